"""Alarm definitions in the plant config: a valid block loads, every mistake is located."""

from __future__ import annotations

from pathlib import Path

import pytest

from hmi.config import ConfigError, load_config
from hmi.config_alarms import AlarmType, priority_table

BASE = """\
[plant]
name = "test"
title = "Test"

[[connections]]
name = "plc"
driver = "opcua"
endpoint = "opc.tcp://127.0.0.1:4840/x"

[[tags]]
name = "Welding.Conveyor.MotorCurrent"
connection = "plc"
address = "ns=2;s=a"

[[tags]]
name = "Welding.State"
connection = "plc"
address = "ns=2;s=b"
type = "int16"

[[tags]]
name = "Welding.Product"
connection = "plc"
address = "ns=2;s=c"
type = "string"

[[tags]]
name = "Painting.Oven.Temperature"
connection = "plc"
address = "ns=2;s=d"

[[tags]]
name = "Painting.Oven.TemperatureSP"
connection = "plc"
address = "ns=2;s=e"
"""

GOOD_ALARMS = """
[[alarms]]
tag = "Welding.Conveyor.MotorCurrent"
type = "hihi"
limit = 15
priority = 1
message = { en = "Conveyor motor current very high", zh_TW = "輸送帶馬達電流過高" }

[[alarms]]
tag = "Welding.Conveyor.MotorCurrent"
type = "hi"
limit = 13
deadband = 0.3
on_delay_s = 2
off_delay_s = 5
priority = 3
message = { en = "Conveyor motor current high", zh_TW = "輸送帶馬達電流偏高" }
suppress_when = { tag = "Welding.State", in = [2, 5] }

[[alarms]]
id = "Welding.Down"
tag = "Welding.State"
type = "discrete"
states = [3]
priority = 2
latched = true
area = "Frame welding"
message = "Welding line down"

[[alarms]]
tag = "Painting.Oven.Temperature"
type = "deviation"
setpoint_tag = "Painting.Oven.TemperatureSP"
limit = 10
message = { en = "Oven temperature off setpoint", zh_TW = "烤爐溫度偏離設定值" }

[[alarms]]
tag = "Painting.Oven.Temperature"
type = "roc"
limit = 5
per = "min"
window_s = 30
direction = "high"
message = "Oven heating too fast"

[[alarm_priorities]]
priority = 4
name = { en = "Advisory", zh_TW = "提示" }
color = "#3366FF"
horn = true
"""


def write(tmp_path: Path, alarms: str) -> Path:
    path = tmp_path / "plant.toml"
    path.write_text(BASE + alarms, encoding="utf-8")
    return path


def line_of(path: Path, needle: str, nth: int = 1) -> int:
    """The line of the `nth` line containing `needle` (so tests survive edits to BASE)."""
    hits = [i for i, ln in enumerate(path.read_text().splitlines(), 1) if needle in ln]
    return hits[nth - 1]


def problems(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return [str(p) for p in info.value.problems]


def one_alarm(body: str) -> str:
    return "\n[[alarms]]\n" + body


def test_valid_alarm_block_loads_with_defaults(tmp_path):
    cfg = load_config(write(tmp_path, GOOD_ALARMS))
    hihi, hi, down, dev, roc = cfg.alarms
    assert [a.alarm_id for a in cfg.alarms] == [
        "Welding.Conveyor.MotorCurrent.HIHI",
        "Welding.Conveyor.MotorCurrent.HI",
        "Welding.Down",
        "Painting.Oven.Temperature.DEVIATION",
        "Painting.Oven.Temperature.ROC",
    ]
    assert hihi.type is AlarmType.HIHI and hihi.area_name == "Welding"
    assert (hi.deadband, hi.on_delay_s, hi.off_delay_s) == (0.3, 2, 5)
    assert hi.suppress_when.tag == "Welding.State" and hi.suppress_when.holds(5)
    assert not hi.suppress_when.holds(1)
    assert down.latched and down.states == [3] and down.area_name == "Frame welding"
    assert down.message.en == "Welding line down"
    assert hihi.message.get("zh_TW") == "輸送帶馬達電流過高"
    assert dev.priority == 3 and dev.setpoint_tag == "Painting.Oven.TemperatureSP"
    assert (roc.per, roc.window_s, roc.direction) == ("min", 30, "high")
    assert [p.priority for p in cfg.alarm_priorities] == [4, 1, 2, 3]  # the plant's, then defaults
    table = priority_table(cfg.alarm_priorities)
    assert table[4].horn and table[4].name.get("zh_TW") == "提示" and table[1].color == "#E0201B"
    assert not priority_table(load_config(write(tmp_path, "")).alarm_priorities)[4].horn


def test_unknown_key_in_an_alarm(tmp_path):
    path = write(tmp_path, GOOD_ALARMS.replace("deadband = 0.3", "dead_band = 0.3"))
    assert problems(path) == [
        f"plant.toml:{line_of(path, 'dead_band')}: alarms[1].dead_band: "
        "unknown key (check the spelling)"
    ]


def test_limit_alarm_without_a_limit(tmp_path):
    path = write(tmp_path, GOOD_ALARMS.replace("limit = 13\n", ""))
    assert problems(path) == [
        f"plant.toml:{line_of(path, '[[alarms]]', 2)}: alarms[1].limit: a hi alarm needs a limit"
    ]


def test_priority_out_of_range(tmp_path):
    path = write(tmp_path, GOOD_ALARMS.replace("priority = 1", "priority = 5"))
    (msg,) = problems(path)
    assert msg.startswith(f"plant.toml:{line_of(path, 'priority = 5')}: alarms[0].priority: ")
    assert "4" in msg


def test_bad_alarm_type_lists_choices(tmp_path):
    path = write(tmp_path, GOOD_ALARMS.replace('type = "hihi"', 'type = "veryhigh"'))
    (msg,) = problems(path)
    assert msg.startswith(f"plant.toml:{line_of(path, 'veryhigh')}: alarms[0].type: ")
    assert "'hihi'" in msg and "'roc'" in msg


def test_message_needs_english(tmp_path):
    path = write(tmp_path, GOOD_ALARMS.replace('message = { en = "Conveyor motor current high", ',
                                               'message = { '))  # fmt: skip
    line = line_of(path, 'message = { zh_TW = "輸送帶馬達電流偏高"')
    assert problems(path) == [
        f"plant.toml:{line}: alarms[1].message: en: required field is missing"
    ]


def test_fields_that_do_not_fit_the_type(tmp_path):
    body = """\
tag = "Welding.Conveyor.MotorCurrent"
type = "hi"
limit = 12
per = "min"
states = [1]
direction = "low"
message = "x"

[[alarms]]
tag = "Welding.State"
type = "discrete"
value = 3
states = [3]
deadband = 1
message = "y"

[[alarms]]
tag = "Painting.Oven.Temperature"
type = "deviation"
limit = -2
message = "z"
"""
    path = write(tmp_path, one_alarm(body))
    assert problems(path) == [
        f"plant.toml:{line_of(path, 'per = ')}: alarms[0].per: only a roc alarm has per (s or min)",
        f"plant.toml:{line_of(path, 'states = [1]')}: alarms[0].states: "
        "only a discrete alarm has states",
        f"plant.toml:{line_of(path, 'direction')}: alarms[0].direction: "
        "only deviation and roc alarms have a direction",
        f"plant.toml:{line_of(path, 'states = [3]')}: alarms[1].states: "
        "give either value or states, not both",
        f"plant.toml:{line_of(path, 'deadband = 1')}: alarms[1].deadband: "
        "a deadband applies to analog alarms, not discrete ones",
        f"plant.toml:{line_of(path, 'limit = -2')}: alarms[2].limit: "
        "a deviation limit is a magnitude and must be > 0",
        f"plant.toml:{line_of(path, '[[alarms]]', 3)}: alarms[2].setpoint_tag: "
        "a deviation alarm needs setpoint_tag",
    ]


def test_tags_must_exist_and_be_numeric(tmp_path):
    body = """\
tag = "Welding.Conveyor.MotorCurent"
type = "hi"
limit = 12
message = "typo"

[[alarms]]
tag = "Welding.Product"
type = "lo"
limit = 1
message = "string tag"

[[alarms]]
tag = "Painting.Oven.Temperature"
type = "deviation"
setpoint_tag = "Painting.Oven.SP"
limit = 5
message = "no sp"
suppress_when = { tag = "Painting.State", in = [5] }

[[alarms]]
tag = "Welding.Product"
type = "discrete"
states = ["TEST"]
message = "discrete on a string is fine"
"""
    path = write(tmp_path, one_alarm(body))
    assert problems(path) == [
        f"plant.toml:{line_of(path, 'MotorCurent')}: alarms[0].tag: "
        "no tag named 'Welding.Conveyor.MotorCurent'",
        f"plant.toml:{line_of(path, 'Welding.Product', 2)}: alarms[1].tag: "
        "a lo alarm needs a numeric tag, not string",
        f"plant.toml:{line_of(path, 'Oven.SP')}: alarms[2].setpoint_tag: "
        "no tag named 'Painting.Oven.SP'",
        f"plant.toml:{line_of(path, 'suppress_when')}: alarms[2].suppress_when.tag: "
        "no tag named 'Painting.State'",
    ]


def test_limits_must_keep_hihi_above_hi_above_lo_above_lolo(tmp_path):
    body = """\
tag = "Welding.Conveyor.MotorCurrent"
type = "lo"
limit = 14
message = "lo"

[[alarms]]
tag = "Welding.Conveyor.MotorCurrent"
type = "lolo"
limit = 2
message = "lolo"
"""
    path = write(tmp_path, GOOD_ALARMS + one_alarm(body))
    assert problems(path) == [
        f"plant.toml:{line_of(path, 'limit = 14')}: alarms[5].limit: "
        "HI limit 13 must be above LO limit 14 (alarms[1])"
    ]


def test_duplicate_alarm_ids(tmp_path):
    body = """\
tag = "Welding.Conveyor.MotorCurrent"
type = "hi"
limit = 12
message = "again"
"""
    path = write(tmp_path, GOOD_ALARMS + one_alarm(body))
    first = line_of(path, "[[alarms]]", 2)
    assert problems(path) == [
        f"plant.toml:{line_of(path, '[[alarms]]', 6)}: alarms[5].id: duplicate alarm id "
        f"'Welding.Conveyor.MotorCurrent.HI' (first defined at plant.toml:{first})"
    ]


def test_suppression_condition_is_structured(tmp_path):
    path = write(tmp_path, GOOD_ALARMS.replace("in = [2, 5]", "equals = 5"))
    found = problems(path)
    line = line_of(path, "suppress_when")
    unknown = "unknown key (check the spelling)"
    assert f"plant.toml:{line}: alarms[1].suppress_when.equals: {unknown}" in found
    assert f"plant.toml:{line}: alarms[1].suppress_when.in: required field is missing" in found


def test_priorities_defined_twice_or_badly(tmp_path):
    extra = '\n[[alarm_priorities]]\npriority = 4\nname = "x"\ncolor = "red"\n'
    path = write(tmp_path, GOOD_ALARMS + extra)
    found = problems(path)
    assert any(
        p.startswith(f"plant.toml:{line_of(path, 'color = ' + chr(34) + 'red')}: "
                     "alarm_priorities[1].color: ")
        for p in found
    ), found  # fmt: skip
    fixed = write(tmp_path, GOOD_ALARMS + extra.replace('"red"', '"#FF0000"'))
    assert problems(fixed) == [
        f"plant.toml:{line_of(fixed, 'priority = 4', 2)}: alarm_priorities[1].priority: "
        "priority 4 is defined twice (alarm_priorities[0])"
    ]
