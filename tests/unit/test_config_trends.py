"""Plant trend views (``[[trends]]``): what loads, and each mistake named by file, line, field."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from hmi.config import ConfigError, load_config
from hmi.paths import DEMO_CONFIG

PLANT = """\
[plant]
name = "test"
title = "Test plant"

[[connections]]
name = "plc"
driver = "opcua"
endpoint = "opc.tcp://127.0.0.1:4840/x"

[[tags]]
name = "Line1.Speed"
connection = "plc"
address = "ns=2;s=Line1.Speed"
units = "m/min"

[[tags]]
name = "Line1.SpeedSP"
connection = "plc"
address = "ns=2;s=Line1.SpeedSP"
units = "m/min"

[[tags]]
name = "Line1.Current"
connection = "plc"
address = "ns=2;s=Line1.Current"
units = "A"

[[tags]]
name = "Line1.Running"
connection = "plc"
address = "ns=2;s=Line1.Running"
type = "bool"

[[lines]]
name = "Line1"
title = "Line 1"
tags = ["Line1.*"]
"""

VIEW = """
[[trends]]
name = "line1_drive"
title = { en = "Line 1 drive", zh_TW = "一號線驅動" }
line = "Line1"
pens = [
  "Line1.Current",
  { tag = "Line1.Speed", color = "#1f4e9c", axis = "left" },
  { tag = "Line1.SpeedSP", color = "#1f4e9c", style = "dash" },
]
window = "15 min"
default = true
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plant.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return [str(p) for p in info.value.problems]


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    """The line number of the `occurrence`-th line containing `needle`."""
    hits = [n for n, t in enumerate(path.read_text().splitlines(), 1) if needle in t]
    return hits[occurrence - 1]


def test_a_view_loads_with_titles_pens_window_and_default(tmp_path):
    cfg = load_config(write(tmp_path, PLANT + VIEW))
    (view,) = cfg.trends
    assert view.name == "line1_drive" and view.line == "Line1" and view.default
    assert view.title.get("en") == "Line 1 drive"
    assert view.title.get("zh_TW") == "一號線驅動"
    assert view.window == "15min" and view.window_s == 900.0
    assert [p.tag for p in view.pens] == ["Line1.Current", "Line1.Speed", "Line1.SpeedSP"]
    assert view.pens[0].color is None and view.pens[0].style == "solid"
    assert view.pens[2].style == "dash" and view.pens[2].color == "#1f4e9c"
    # The left-axis pen is added first: its units take the left axis.
    assert [p.tag for p in view.ordered_pens()] == ["Line1.Speed", "Line1.Current", "Line1.SpeedSP"]


def test_a_plant_without_trends_has_none(tmp_path):
    assert load_config(write(tmp_path, PLANT)).trends == []


def test_unknown_and_non_numeric_tags(tmp_path):
    path = write(tmp_path, PLANT + VIEW.replace('"Line1.Current"', '"Line1.Nope", "Line1.Running"'))
    line = line_of(path, "pens = [")
    assert problems(path) == [
        f"plant.toml:{line}: trends[0].pens[0].tag: no tag named 'Line1.Nope'",
        f"plant.toml:{line}: trends[0].pens[1].tag: 'Line1.Running' is bool: "
        "a trend shows numeric tags",
    ]


def test_duplicate_names_and_second_default(tmp_path):
    path = write(tmp_path, PLANT + VIEW + VIEW)
    first = line_of(path, "[[trends]]")
    second_name = line_of(path, 'name = "line1_drive"', 2)
    assert problems(path) == [
        f"plant.toml:{second_name}: trends[1].name: "
        f"duplicate view name 'line1_drive' (first at plant.toml:{first})",
        f"plant.toml:{line_of(path, 'default = true', 2)}: trends[1].default: "
        "only one view may be the default (trends[0] is already)",
    ]


def test_unknown_window_lists_the_known_ones(tmp_path):
    path = write(tmp_path, PLANT + VIEW.replace('"15 min"', '"2h"'))
    assert problems(path) == [
        f"plant.toml:{line_of(path, 'window =')}: trends[0].window: unknown window '2h' "
        "(known: 1min, 5min, 15min, 1h, 8h)"
    ]


def test_unknown_line_bad_colour_and_style(tmp_path):
    text = (
        VIEW.replace('line = "Line1"', 'line = "Line9"')
        .replace('color = "#1f4e9c", axis', 'color = "blue", axis')
        .replace('style = "dash"', 'style = "dashed"')
    )
    path = write(tmp_path, PLANT + text)
    found = problems(path)
    pens = line_of(path, "pens = [")
    assert (
        f"plant.toml:{pens}: trends[0].pens[1].color: 'blue' is not a colour like \"#1f4e9c\""
        in found
    )
    assert any(p.startswith(f"plant.toml:{pens}: trends[0].pens[2].style: ") for p in found)
    assert len(found) == 2  # the line is a cross-check: reported once the schema is right
    path = write(tmp_path, PLANT + VIEW.replace('line = "Line1"', 'line = "Line9"'))
    assert problems(path) == [
        f"plant.toml:{line_of(path, 'line = ')}: trends[0].line: "
        "no line named 'Line9' (known: Line1)"
    ]


def test_missing_title_no_pens_and_unknown_key(tmp_path):
    path = write(
        tmp_path,
        PLANT + '\n[[trends]]\nname = "empty"\npens = []\ncolour = "#000000"\n',
    )
    head = line_of(path, "[[trends]]")
    assert problems(path) == [
        f"plant.toml:{head}: trends[0].title: required field is missing",
        f"plant.toml:{line_of(path, 'pens = []')}: trends[0].pens: "
        "List should have at least 1 item after validation, not 0",
        f"plant.toml:{line_of(path, 'colour =')}: trends[0].colour: "
        "unknown key (check the spelling)",
    ]


def test_left_axis_holds_one_unit(tmp_path):
    text = VIEW.replace('"Line1.Current"', '{ tag = "Line1.Current", axis = "left" }').replace(
        'style = "dash"', 'style = "dash", axis = "right"'
    )
    path = write(tmp_path, PLANT + text)
    pens = line_of(path, "pens = [")
    assert problems(path) == [
        f"plant.toml:{pens}: trends[0].pens: the left axis shows one unit; these differ: "
        "Line1.Current [A], Line1.Speed [m/min]",
        f"plant.toml:{pens}: trends[0].pens[2].axis: 'Line1.SpeedSP' has the units of the "
        "left axis (m/min); pens of the same units share one axis",
    ]


def test_pens_as_tables_are_located_on_their_own_lines(tmp_path):
    text = """
    [[trends]]
    name = "t"
    title = "T"

    [[trends.pens]]
    tag = "Line1.Speed"

    [[trends.pens]]
    tag = "Line1.Missing"
    """
    path = write(tmp_path, PLANT + textwrap.dedent(text))
    assert problems(path) == [
        f"plant.toml:{line_of(path, 'Line1.Missing')}: trends[0].pens[1].tag: "
        "no tag named 'Line1.Missing'"
    ]


def test_demo_plant_has_one_view_per_line_and_a_default():
    cfg = load_config(DEMO_CONFIG)
    lines = {v.line for v in cfg.trends}
    assert {"Welding", "Painting", "Assembly"} <= lines
    assert sum(v.default for v in cfg.trends) == 1
    assert all(v.title.zh_TW for v in cfg.trends)
