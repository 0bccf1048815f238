"""The plant config: the demo is valid, and every class of mistake is named by file, line, field."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from hmi.config import ConfigError, DataType, load_config
from hmi.paths import DEMO_CONFIG

GOOD = """\
[plant]
name = "test"
title = { en = "Test plant", zh_TW = "測試工廠" }

[[connections]]
name = "plc"
driver = "opcua"
endpoint = "opc.tcp://127.0.0.1:4840/x"

[[tags]]
name = "Line1.Motor.Speed"
connection = "plc"
address = "ns=2;s=Line1.Motor.Speed"
units = "rpm"

[[tags]]
name = "Line1.Motor.Current"
connection = "plc"
address = "ns=2;i=1001"
type = "float32"
scale = { raw_min = 0, raw_max = 27648, eng_min = 0, eng_max = 20 }

[[lines]]
name = "Line1"
title = "Line 1"
tags = ["Line1.*"]
"""


def write(tmp_path: Path, text: str, name: str = "plant.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return [str(p) for p in info.value.problems]


def test_demo_config_is_valid():
    cfg = load_config(DEMO_CONFIG)
    assert {line.name for line in cfg.lines} == {"Welding", "Painting", "Assembly"}
    assert "Assembly.Conveyor.MotorCurrent" in cfg.tag_index
    for line in cfg.lines:
        assert cfg.line_tags(line), f"line {line.name} has no tags"
        assert line.title.get("zh_TW") != line.title.get("en"), "zh-TW titles ship"


def test_good_config_loads_with_scaling_and_defaults(tmp_path):
    cfg = load_config(write(tmp_path, GOOD))
    speed = cfg.tag("Line1.Motor.Speed")
    assert speed.type is DataType.FLOAT64 and speed.units == "rpm" and not speed.writable
    current = cfg.tag("Line1.Motor.Current")
    assert current.scale.to_eng(27648) == pytest.approx(20.0)
    assert current.scale.to_raw(10.0) == pytest.approx(13824)
    assert cfg.line_tags(cfg.lines[0]) == ["Line1.Motor.Speed", "Line1.Motor.Current"]
    assert cfg.plant.title.get("zh_TW") == "測試工廠"
    assert cfg.lines[0].title.get("zh_TW") == "Line 1"  # falls back to English


def test_empty_node_id_names_file_line_and_field(tmp_path):
    path = write(tmp_path, GOOD.replace('address = "ns=2;i=1001"', 'address = "ns=2;s="'))
    assert problems(path) == ["plant.toml:19: tags[1].address: NodeId 'ns=2;s=' is empty"]


def test_unknown_key_is_an_error_not_ignored(tmp_path):
    path = write(tmp_path, GOOD.replace('units = "rpm"', 'unit = "rpm"'))
    assert problems(path) == ["plant.toml:14: tags[0].unit: unknown key (check the spelling)"]


def test_missing_required_field(tmp_path):
    path = write(
        tmp_path,
        GOOD.replace(
            'connection = "plc"\naddress = "ns=2;s=Line1.Motor.Speed"',
            'address = "ns=2;s=Line1.Motor.Speed"',
        ),
    )
    assert problems(path) == ["plant.toml:10: tags[0].connection: required field is missing"]


def test_bad_enum_value_lists_choices(tmp_path):
    path = write(tmp_path, GOOD.replace('type = "float32"', 'type = "float"'))
    (msg,) = problems(path)
    assert msg.startswith("plant.toml:20: tags[1].type: ")
    assert "float32" in msg and "float64" in msg


def test_duplicate_tag_names(tmp_path):
    path = write(
        tmp_path, GOOD.replace('name = "Line1.Motor.Current"', 'name = "Line1.Motor.Speed"')
    )
    assert problems(path) == [
        "plant.toml:17: tags[1].name: duplicate tag name 'Line1.Motor.Speed' "
        "(first defined at plant.toml:11)"
    ]


def test_unknown_connection_and_bad_name(tmp_path):
    text = GOOD.replace(
        'connection = "plc"\naddress = "ns=2;i=1001"',
        'connection = "plc2"\naddress = "ns=2;i=1001"',
    )
    text = text.replace('name = "Line1.Motor.Speed"', 'name = "Line1..Speed"')
    assert problems(write(tmp_path, text)) == [
        "plant.toml:11: tags[0].name: 'Line1..Speed' is not a dotted tag name "
        "(letters, digits, _; segments joined by '.')",
    ]
    text = GOOD.replace(
        'connection = "plc"\naddress = "ns=2;i=1001"',
        'connection = "plc2"\naddress = "ns=2;i=1001"',
    )
    assert problems(write(tmp_path, text)) == [
        "plant.toml:18: tags[1].connection: unknown connection 'plc2' (known: plc)"
    ]


def test_half_a_scale_range(tmp_path):
    path = write(tmp_path, GOOD.replace("raw_min = 0, ", ""))
    (msg,) = problems(path)
    assert msg.startswith("plant.toml:21: tags[1].scale: a range scale needs all of")


def test_syntax_error_gives_the_line(tmp_path):
    path = write(tmp_path, GOOD.replace('units = "rpm"', 'units = "rpm'))
    (msg,) = problems(path)
    assert msg.startswith("plant.toml:14: (syntax): ")


def test_unknown_driver_and_bad_endpoint(tmp_path):
    path = write(tmp_path, GOOD.replace('driver = "opcua"', 'driver = "profinet"'))
    (msg,) = problems(path)
    expected = "unknown driver 'profinet' (known: 'opcua', 'modbus')"
    assert msg == f"plant.toml:7: connections[0].driver: {expected}"
    path = write(tmp_path, GOOD.replace("opc.tcp://127.0.0.1:4840/x", "http://plc"))
    assert problems(path) == [
        "plant.toml:8: connections[0].endpoint: 'http://plc' is not an opc.tcp://host:port/path "
        "endpoint"
    ]


def test_line_pattern_that_matches_nothing(tmp_path):
    path = write(tmp_path, GOOD.replace('tags = ["Line1.*"]', 'tags = ["Line2.*"]'))
    assert problems(path) == ["plant.toml:26: lines[0].tags[0]: 'Line2.*' matches no tag"]


def test_several_problems_reported_at_once(tmp_path):
    text = GOOD.replace('units = "rpm"', 'unit = "rpm"').replace('type = "float32"', 'type = "x"')
    assert len(problems(write(tmp_path, text))) == 2


CSV_HEADER = "name,connection,address,type,units,description,writable,gain,offset\n"


def test_csv_tag_list_is_merged(tmp_path):
    write(
        tmp_path,
        CSV_HEADER + "Line1.Oven.Temp,plc,ns=2;s=Oven.T,float32,°C,Oven,no,0.1,0\n",
        "tags.csv",
    )
    text = GOOD.replace(
        'title = { en = "Test plant"', 'tag_files = ["tags.csv"]\ntitle = { en = "Test plant"'
    )
    cfg = load_config(write(tmp_path, text))
    oven = cfg.tag("Line1.Oven.Temp")
    assert oven.units == "°C" and oven.scale.to_eng(255) == pytest.approx(25.5)
    assert "Line1.Oven.Temp" in cfg.line_tags(cfg.lines[0])


def test_csv_errors_name_the_csv_row(tmp_path):
    write(
        tmp_path,
        CSV_HEADER
        + "Line1.Oven.Temp,plc,ns=2;s=Oven.T,float32,°C,Oven,no,,\n"
        + "Line1.Oven.SP,plc,ns=2;s=,float32,°C,Oven,no,,\n"
        + "Line1.Motor.Speed,plc,ns=2;s=X,float32,°C,dup,no,,\n"
        + "Line1.Oven.Bad,plc,ns=2;s=Y,double,,,no,,\n",
        "tags.csv",
    )
    text = GOOD.replace(
        'title = { en = "Test plant"', 'tag_files = ["tags.csv"]\ntitle = { en = "Test plant"'
    )
    found = problems(write(tmp_path, text))
    assert found[0].startswith("tags.csv:5: type: ")
    # cross-checks run once the schema passes: fix the type and look again
    write(tmp_path, (tmp_path / "tags.csv").read_text().replace("double", "float64"), "tags.csv")
    assert problems(tmp_path / "plant.toml") == [
        "tags.csv:3: address: NodeId 'ns=2;s=' is empty",
        "tags.csv:4: name: duplicate tag name 'Line1.Motor.Speed' (first defined at plant.toml:12)",
    ]


def test_missing_csv_file(tmp_path):
    text = GOOD.replace(
        'title = { en = "Test plant"', 'tag_files = ["nope.csv"]\ntitle = { en = "Test plant"'
    )
    assert problems(write(tmp_path, text)) == [
        "plant.toml:3: plant.tag_files[0]: no file 'nope.csv'"
    ]


def test_with_connection_points_a_connection_elsewhere(tmp_path):
    cfg = load_config(write(tmp_path, GOOD))
    with pytest.raises(ValueError, match="connection 'plc' has no port"):
        cfg.with_connection("plc", port=5000)  # OPC UA has an endpoint, not a port
    moved = cfg.with_connection("plc", endpoint="opc.tcp://127.0.0.1:5000/y")
    assert moved.connection("plc").endpoint == "opc.tcp://127.0.0.1:5000/y"
    assert cfg.connection("plc").endpoint == "opc.tcp://127.0.0.1:4840/x"
    assert moved.source == cfg.source


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hmi", *args], capture_output=True, text=True, timeout=60
    )


def test_validate_cli_ok_and_errors(tmp_path):
    ok = run_cli("validate", str(write(tmp_path, GOOD)))
    assert ok.returncode == 0
    assert ok.stdout.strip() == (
        "plant.toml: OK — plant 'test', 1 connection(s), 2 tag(s), 1 line(s), 0 alarm(s)"
    )
    bad = run_cli("validate", str(write(tmp_path, GOOD.replace('units = "rpm"', "unit = 1"))))
    assert bad.returncode == 2
    assert bad.stderr.strip() == "plant.toml:14: tags[0].unit: unknown key (check the spelling)"


MODBUS = """\
[plant]
name = "m"
title = "M"

[[connections]]
name = "meter"
driver = "modbus"
host = "127.0.0.1"

[[tags]]
name = "Meter.Power"
connection = "meter"
address = "hr:100:CDAB"
type = "float32"
"""


def test_modbus_address_must_fit_the_tag_type(tmp_path):
    assert load_config(write(tmp_path, MODBUS)).tag("Meter.Power").type is DataType.FLOAT32
    path = write(tmp_path, MODBUS.replace('address = "hr:100:CDAB"', 'address = "coil:3"'))
    assert problems(path) == [
        "plant.toml:13: tags[0].address: coils hold bits: the tag's type must be bool, not float32"
    ]
