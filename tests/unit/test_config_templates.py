"""Tag templates (UDTs): instances expand to ordinary tags and alarms, every mistake is
named by file, line and the template member or instance field at fault, and the demo
plant's conveyor motors expand exactly to the tags and alarms it had before templates."""

from __future__ import annotations

import json
import textwrap
import time
import tomllib
from pathlib import Path

import pytest

from hmi.config import ConfigError, DataType, TomlLocator, load_config
from hmi.config_alarms import AlarmConfig
from hmi.config_templates import (
    PatternError,
    expand_templates,
    instance_members,
    instances_of,
    render,
)
from hmi.paths import DEMO_CONFIG

SNAPSHOT = Path(__file__).parent / "data" / "demo_tags_alarms_snapshot.json"

HEAD = """\
[plant]
name = "t"
title = "T"

[[connections]]
name = "plc"
driver = "opcua"
endpoint = "opc.tcp://127.0.0.1:4840/x"

[[connections]]
name = "mb"
driver = "modbus"
host = "127.0.0.1"

[[tags]]
name = "A.State"
connection = "plc"
address = "ns=2;s=A.State"
type = "int16"
"""

TEMPLATE = """\
[[templates]]
name = "Motor"
parameters = ["unit", "base"]
defaults = { connection = "mb", hi = 9.5 }
member_defaults = { connection = "{connection}", type = "int16" }

[[templates.members]]
name = "Current"
address = "ir:{base+2}"
scale = { gain = 0.1 }
units = "A"
description = { en = "Motor {unit} current", zh_TW = "馬達 {unit} 電流" }
[[templates.members.alarms]]
type = "hi"
limit = "{hi}"
priority = 2
suppress_when = { tag = "{line}.State", in = [2] }
message = { en = "{instance}: current high", zh_TW = "{instance}：電流偏高" }

[[templates.members]]
name = "Speed"
address = "ir:{base}"
units = "rpm"
description = "Motor {unit} speed ({{rpm}})"
"""

INSTANCES = """\
[[instances]]
name = "A.M1"
template = "Motor"
parameters = { unit = "M1", base = 0 }

[[instances]]
name = "A.M2"
template = "Motor"
parameters = { unit = "M2", base = 10, hi = 12.0 }
[instances.overrides]
Speed = { type = "float32", address = "hr:{base-4}" }
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plant.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return [str(p) for p in info.value.problems]


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first `needle` in `text` (keeps the asserts readable)."""
    return next(i for i, s in enumerate(text.splitlines(), 1) if needle in s)


# --------------------------------------------------------------------------- expansion


def test_instances_expand_to_ordinary_tags(tmp_path):
    cfg = load_config(write(tmp_path, HEAD + TEMPLATE + INSTANCES))
    m1 = cfg.tag("A.M1.Current")
    assert (m1.connection, m1.address, m1.type, m1.units) == ("mb", "ir:2", DataType.INT16, "A")
    assert m1.scale is not None and m1.scale.to_eng(123) == pytest.approx(12.3)
    assert m1.description.get("en") == "Motor M1 current"
    assert m1.description.get("zh_TW") == "馬達 M1 電流"
    assert cfg.tag("A.M1.Speed").address == "ir:0"
    assert cfg.tag("A.M1.Speed").description.get("en") == "Motor M1 speed ({rpm})"
    assert cfg.tag("A.M2.Current").address == "ir:12"  # {base+2} with base 10
    m2_speed = cfg.tag("A.M2.Speed")  # the instance's override wins, and is a pattern too
    assert (m2_speed.address, m2_speed.type) == ("hr:6", DataType.FLOAT32)
    assert [t.name for t in cfg.tags] == [
        "A.State", "A.M1.Current", "A.M1.Speed", "A.M2.Current", "A.M2.Speed",
    ]  # fmt: skip


def test_template_alarms_expand_with_the_instance(tmp_path):
    cfg = load_config(write(tmp_path, HEAD + TEMPLATE + INSTANCES))
    alarms = {a.alarm_id: a for a in cfg.alarms}
    assert set(alarms) == {"A.M1.Current.HI", "A.M2.Current.HI"}
    m1, m2 = alarms["A.M1.Current.HI"], alarms["A.M2.Current.HI"]
    assert m1.tag == "A.M1.Current" and m1.priority == 2
    assert m1.limit == 9.5 and m2.limit == 12.0  # a lone placeholder keeps the number
    assert m1.message.get("en") == "A.M1: current high"
    assert m2.message.get("zh_TW") == "A.M2：電流偏高"
    assert m1.suppress_when is not None and m1.suppress_when.tag == "A.State"


def test_the_config_remembers_each_instance_for_faceplates(tmp_path):
    cfg = load_config(write(tmp_path, HEAD + TEMPLATE + INSTANCES))
    assert [i.name for i in instances_of(cfg, "Motor")] == ["A.M1", "A.M2"]
    m2 = cfg.instances["A.M2"]
    assert m2.template == "Motor" and m2.tag("Speed") == "A.M2.Speed"
    assert m2.parameters == {"connection": "mb", "hi": 12.0, "unit": "M2", "base": 10}
    members = instance_members(cfg, "A.M1")
    assert list(members) == ["Current", "Speed"]
    assert members["Current"].name == "A.M1.Current"
    assert instance_members(cfg, "A.Nope") == {}


def test_placeholder_language_is_tiny_and_safe():
    params = {"line": "A", "base": 40, "x": 1.5, "on": True}
    assert render("hr:{base+2}:{base-40}", params) == "hr:42:0"
    assert render("{ base + 2 }", params) == 42  # a lone placeholder keeps its type
    assert render("{x}", params) == 1.5 and render("{on}", params) is True
    assert render("{{literal}} {line}", params) == "{literal} A"
    for bad in ("{base*2}", "{__import__('os')}", "{line", "a}b", "{base+x}", "{}"):
        with pytest.raises(PatternError, match="bad placeholder"):
            render(bad, params)
    with pytest.raises(PatternError, match="needs an integer"):
        render("{x+1}", params)
    with pytest.raises(PatternError, match="no parameter 'nope'"):
        render("{nope}", params)


# --------------------------------------------------------------------------- errors


def test_unknown_template(tmp_path):
    text = HEAD + TEMPLATE + INSTANCES.replace('template = "Motor"', 'template = "Motr"', 1)
    n = line_of(text, 'template = "Motr"')
    assert problems(write(tmp_path, text)) == [
        f"plant.toml:{n}: instances[0].template: no template 'Motr' (known: Motor)"
    ]


def test_missing_parameter(tmp_path):
    text = HEAD + TEMPLATE + INSTANCES.replace('{ unit = "M1", base = 0 }', '{ unit = "M1" }')
    n = line_of(text, 'parameters = { unit = "M1" }')
    assert problems(write(tmp_path, text)) == [
        f"plant.toml:{n}: instances[0].parameters: missing parameter 'base' of template Motor"
    ]


def test_unknown_parameter(tmp_path):
    text = HEAD + TEMPLATE + INSTANCES.replace("base = 0 }", "base = 0, bse = 1 }")
    n = line_of(text, "bse = 1")
    assert problems(write(tmp_path, text)) == [
        f"plant.toml:{n}: instances[0].parameters.bse: unknown parameter 'bse' of template "
        "Motor (parameters: base, connection, hi, unit)"
    ]


def test_unknown_parameter_in_a_multiline_table_points_at_its_line(tmp_path):
    text = (
        HEAD
        + TEMPLATE
        + INSTANCES.replace(
            'parameters = { unit = "M1", base = 0 }',
            '[instances.parameters]\nunit = "M1"\nbase = 0\nline = "B"',
        )
    )
    n = line_of(text, 'line = "B"')
    assert problems(write(tmp_path, text)) == [
        f"plant.toml:{n}: instances[0].parameters.line: unknown parameter 'line' (it is "
        "built in) of template Motor (parameters: base, connection, hi, unit)"
    ]


def test_pattern_naming_an_undefined_parameter_points_at_the_member_field(tmp_path):
    text = HEAD + TEMPLATE.replace('"ir:{base}"', '"ir:{bas}"') + INSTANCES
    n = line_of(text, '"ir:{bas}"')
    assert problems(write(tmp_path, text)) == [
        f"plant.toml:{n}: templates[0].members[1].address: {{bas}} is not a parameter of "
        "this template (parameters: base, connection, hi, unit; built in: instance, "
        "member, line)"
    ]


def test_bad_placeholder_in_an_alarm_message(tmp_path):
    text = HEAD + TEMPLATE.replace("{instance}: current", "{instance:>10}: current") + INSTANCES
    n = line_of(text, "{instance:>10}")
    (msg,) = problems(write(tmp_path, text))
    assert msg.startswith(
        f"plant.toml:{n}: templates[0].members[0].alarms[0].message.en: bad placeholder "
        "'{instance:>10}'"
    )


def test_arithmetic_on_a_text_parameter_points_at_the_parameter(tmp_path):
    text = HEAD + TEMPLATE + INSTANCES.replace("base = 0 }", 'base = "0" }')
    n = line_of(text, 'base = "0"')
    assert problems(write(tmp_path, text)) == [
        f"plant.toml:{n}: instances[0].parameters.base: {{base+2}} needs an integer "
        "parameter, 'base' is '0' (in A.M1.Current)"
    ]


def test_duplicate_expanded_names(tmp_path):
    clash = '[[tags]]\nname = "A.M2.Speed"\nconnection = "plc"\naddress = "ns=2;s=X"\n'
    text = HEAD + clash + TEMPLATE + INSTANCES
    first = line_of(text, 'name = "A.M2.Speed"')
    n = line_of(text, 'name = "A.M2"')
    assert problems(write(tmp_path, text)) == [
        f"plant.toml:{n}: instances[1].name: duplicate tag name 'A.M2.Speed' (first defined "
        f"at plant.toml:{first}) (in A.M2.Speed)"
    ]


def test_duplicate_instance_and_member_names(tmp_path):
    text = HEAD + TEMPLATE + INSTANCES.replace('name = "A.M2"', 'name = "A.M1"')
    first, n = [i for i, s in enumerate(text.splitlines(), 1) if s == 'name = "A.M1"']
    assert problems(write(tmp_path, text)) == [
        f"plant.toml:{n}: instances[1].name: duplicate instance 'A.M1' (first defined at "
        f"plant.toml:{first})"
    ]
    text = HEAD + TEMPLATE.replace('name = "Speed"', 'name = "Current"') + INSTANCES
    n = [i for i, s in enumerate(text.splitlines(), 1) if s == 'name = "Current"'][1]
    assert problems(write(tmp_path, text)) == [
        f"plant.toml:{n}: templates[0].members[1].name: duplicate member 'Current'"
    ]


def test_bad_value_in_a_member_points_at_the_member_once_for_all_instances(tmp_path):
    text = HEAD + TEMPLATE.replace('units = "rpm"', 'units = "rpm"\ndeadband = -1') + INSTANCES
    n = line_of(text, "deadband = -1")
    assert problems(write(tmp_path, text)) == [
        f"plant.toml:{n}: templates[0].members[1].deadband: Input should be greater than or "
        "equal to 0 (in A.M1.Speed, A.M2.Speed)"
    ]


def test_bad_override_points_at_the_instance(tmp_path):
    text = HEAD + TEMPLATE + INSTANCES.replace('address = "hr:{base-4}"', 'address = "xx:1"')
    n = line_of(text, 'address = "xx:1"')
    (msg,) = problems(write(tmp_path, text))
    assert msg.startswith(f"plant.toml:{n}: instances[1].overrides.Speed.address: ")
    assert msg.endswith("(in A.M2.Speed)")
    text = HEAD + TEMPLATE + INSTANCES.replace("Speed = {", "Sped = {")
    n = line_of(text, "Sped = {")
    assert problems(write(tmp_path, text)) == [
        f"plant.toml:{n}: instances[1].overrides.Sped: template Motor has no member 'Sped' "
        "(members: Current, Speed)"
    ]


def test_unknown_keys_in_templates_are_errors(tmp_path):
    text = HEAD + TEMPLATE.replace('units = "A"', 'unit = "A"').replace(
        "priority = 2", 'priority = 2\ntag = "A.State"'
    )
    text += INSTANCES
    assert problems(write(tmp_path, text)) == [
        f"plant.toml:{line_of(text, 'unit = ')}: templates[0].members[0].unit: unknown key "
        "(check the spelling)",
        f"plant.toml:{line_of(text, 'tag = ')}: templates[0].members[0].alarms[0].tag: "
        "a template alarm is on its member: leave out tag",
    ]


def test_alarm_cross_check_on_an_expanded_alarm_points_at_the_template(tmp_path):
    text = HEAD + TEMPLATE.replace("{line}.State", "{line}.Nope") + INSTANCES
    n = line_of(text, "{line}.Nope")
    assert problems(write(tmp_path, text)) == [
        f"plant.toml:{n}: templates[0].members[0].alarms[0].suppress_when.tag: no tag "
        "named 'A.Nope' (in A.M1.Current, A.M2.Current)"
    ]


# --------------------------------------------------------------------------- the demo and scale


def test_demo_expands_to_the_tags_and_alarms_it_had_before_templates():
    """The snapshot was taken from the demo before its conveyors became instances."""
    snap = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    cfg = load_config(DEMO_CONFIG)
    tags = {t.name: t.model_dump(mode="json") for t in cfg.tags}
    alarms = {a.alarm_id: a.model_dump(mode="json", by_alias=True) for a in cfg.alarms}
    for want in snap["tags"]:
        assert tags.get(want["name"]) == want, want["name"]
    for raw in snap["alarms"]:
        aid = AlarmConfig.model_validate(raw).alarm_id
        assert alarms.get(aid) == raw, aid
    conveyors = {n for n in tags if ".Conveyor." in n}
    assert conveyors == {t["name"] for t in snap["tags"] if ".Conveyor." in t["name"]}
    assert len(conveyors) == 18
    assert {i.name for i in instances_of(cfg, "ConveyorMotor")} == {
        "Welding.Conveyor", "Painting.Conveyor", "Assembly.Conveyor",
    }  # fmt: skip
    assert cfg.instances["Assembly.Conveyor"].tag("Speed") == "Assembly.Conveyor.Speed"


def test_two_hundred_instances_expand_quickly(tmp_path):
    instances = "".join(
        f'[[instances]]\nname = "L{i // 20}.M{i}"\ntemplate = "Motor"\n'
        f'parameters = {{ unit = "M{i}", base = {i * 10} }}\n\n'
        for i in range(200)
    )
    head = HEAD + "".join(
        f'[[tags]]\nname = "L{n}.State"\nconnection = "plc"\naddress = "ns=2;s=L{n}"\n'
        'type = "int16"\n'
        for n in range(10)
    )
    path = write(tmp_path, head + TEMPLATE + instances)
    text = path.read_text(encoding="utf-8")
    data, locator = tomllib.loads(text), TomlLocator(text)
    t0 = time.perf_counter()
    exp = expand_templates(data, "plant.toml", locator)
    expand_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    cfg = load_config(path)
    load_s = time.perf_counter() - t0
    print(f"\n200 instances x 2 members: expand {expand_s * 1000:.1f} ms, "
          f"whole load_config {load_s * 1000:.1f} ms")  # fmt: skip
    assert not exp.problems and len(exp.tags) == 400 and len(exp.alarms) == 200
    assert cfg.tag("L9.M199.Current").address == "ir:1992"
    assert cfg.tag("L9.M199.Current").description.get("zh_TW") == "馬達 M199 電流"
    assert len(cfg.instances) == 200 and len(cfg.alarms) == 200


def test_a_parameter_passed_through_is_blamed_on_the_instance(tmp_path):
    text = HEAD + TEMPLATE + INSTANCES.replace("base = 0 }", 'base = 0, connection = "nope" }')
    n = line_of(text, 'connection = "nope"')
    assert problems(write(tmp_path, text)) == [
        f"plant.toml:{n}: instances[0].parameters.connection: connection: unknown connection "
        "'nope' (known: plc, mb) (in A.M1.Current, A.M1.Speed)"
    ]


def test_a_member_without_an_address_points_at_the_member(tmp_path):
    text = HEAD + TEMPLATE.replace('address = "ir:{base}"\n', "") + INSTANCES
    n = line_of(text, 'name = "Speed"') - 1  # its [[templates.members]] header
    assert problems(write(tmp_path, text)) == [  # A.M2 overrides the address: not in it
        f"plant.toml:{n}: templates[0].members[1].address: required field is missing "
        "(in A.M1.Speed)"
    ]


def test_limit_order_inside_a_template_names_both_template_alarms(tmp_path):
    hihi = '[[templates.members.alarms]]\ntype = "hihi"\nlimit = 9.0\nmessage = "x"\n'
    text = HEAD + TEMPLATE.replace('\n[[templates.members]]\nname = "Speed"', "\n" + hihi + (
        '\n[[templates.members]]\nname = "Speed"'
    )) + INSTANCES  # fmt: skip
    n = line_of(text, "limit = 9.0")
    assert problems(write(tmp_path, text)) == [
        f"plant.toml:{n}: templates[0].members[0].alarms[1].limit: HIHI limit 9 must be above "
        "HI limit 9.5 (templates[0].members[0].alarms[0]) (in A.M1.Current)",
        f"plant.toml:{n}: templates[0].members[0].alarms[1].limit: HIHI limit 9 must be above "
        "HI limit 12 (templates[0].members[0].alarms[0]) (in A.M2.Current)",
    ]
