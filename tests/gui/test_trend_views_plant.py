"""Plant trend views on the Trend screen: opened by default, picked, read-only, by name."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from gui_helpers import PLANT_TOML
from PySide6.QtCore import QObject, Signal

from hmi.config import PlantConfig, load_config
from hmi.config_trends import LIVE_WINDOWS
from hmi.store.history import RawSeries
from hmi.tagvalue import Quality, TagValue
from screens.trend_toolbar import LIVE_WINDOWS as SCREEN_WINDOWS
from screens.trend_views import TrendViewStore
from screens.trends import TrendScreen, trends_screen_spec

NOW = 1_800_000_000.0
WAIT_MS = 15_000
VIEWS = """
[[tags]]
name = "Line1.SpeedSP"
connection = "plc"
address = "ns=2;s=Line1.SpeedSP"
units = "m/min"

[[lines]]
name = "Line1"
title = { en = "Line 1", zh_TW = "一號線" }
tags = ["Line1.*"]

[[trends]]
name = "line1_speed"
title = { en = "Line 1: belt speed", zh_TW = "一號線：輸送帶速度" }
line = "Line1"
pens = [
  { tag = "Line1.Speed", color = "#13795b" },
  { tag = "Line1.SpeedSP", color = "#13795b", style = "dash" },
]
window = "15min"
default = true

[[trends]]
name = "line1_drive"
title = { en = "Line 1: drive current", zh_TW = "一號線：驅動電流" }
line = "Line1"
pens = ["Line1.Current"]
window = "1h"
"""


class Context(QObject):
    """The station context the screen uses: config, language, frames, params."""

    frames = Signal(object)

    def __init__(self, config: PlantConfig, lang: str = "en", params: dict | None = None):
        super().__init__()
        self.config = config
        self.lang = lang
        self.params = params or {}

    def tag_config(self, name):
        return self.config.tag(name)

    def bind(self, widget, tag):
        raise AssertionError("the screen should use frames here")

    def write(self, tag, value, on_done=None):
        raise AssertionError("a trend never writes")

    def tag_snapshot(self):
        return {"Line1.Speed": TagValue("Line1.Speed", 12.0, Quality.GOOD, NOW - 1, NOW - 1)}


class History:
    """The historian's query API over one sample per minute of every tag, recording calls."""

    def __init__(self):
        self.raw_calls: list[tuple[str, float, float]] = []

    def raw(self, tag, t0, t1, limit=None):
        self.raw_calls.append((tag, t0, t1))
        ts = np.arange(NOW - 86_400, NOW - 30, 60.0)
        inside = ts[(ts >= t0) & (ts < t1)]
        return RawSeries(inside, np.full(len(inside), 10.0), np.zeros(len(inside), np.int8))

    def auto(self, tag, t0, t1, width_px):
        return self.raw(tag, t0, t1)


@pytest.fixture
def plant(tmp_path: Path) -> PlantConfig:
    path = tmp_path / "plant.toml"
    path.write_text(PLANT_TOML + VIEWS, encoding="utf-8")
    return load_config(path)


@pytest.fixture
def open_screen(qtbot, plant, tmp_path):
    def make(lang="en", params=None, reader=None) -> TrendScreen:
        ctx = Context(plant, lang, params)
        screen = TrendScreen(
            ctx,
            reader,
            views=TrendViewStore("Viewer", tmp_path / "views"),
            clock=lambda: NOW,
            view=ctx.params.get("view"),
            tag=ctx.params.get("tag"),
        )
        qtbot.addWidget(screen)
        screen.resize(1280, 800)
        screen.show()
        return screen

    return make


def backfilled(screen: TrendScreen, tag: str) -> int:
    """How many samples the pen's live buffer holds."""
    return len(screen.plot.buffer(tag))


def test_the_screen_opens_on_the_default_view_with_its_history(qtbot, open_screen):
    history = History()
    screen = open_screen(reader=history)
    assert screen.plot.tags == ["Line1.Speed", "Line1.SpeedSP"]
    assert screen.plot.live and screen.plot.window_s == 900.0
    assert screen.toolbar.window_box.currentData() == 900
    speed, sp = screen.plot.spec("Line1.Speed"), screen.plot.spec("Line1.SpeedSP")
    assert (speed.color, speed.style) == ("#13795b", "solid")
    assert (sp.color, sp.style) == ("#13795b", "dash")  # the setpoint: same hue, dashed
    assert screen.pens.tags() == ["Line1.Speed", "Line1.SpeedSP"]
    assert screen.views.chosen_view() == ("plant", "line1_speed")
    assert screen.views.view_box.currentText().strip() == "Line 1: belt speed"
    # The window's history arrives in the background, as for a pen the operator adds.
    qtbot.waitUntil(lambda: backfilled(screen, "Line1.SpeedSP") >= 14, timeout=WAIT_MS)
    assert ("Line1.SpeedSP", NOW - 900, NOW) in history.raw_calls


def test_picking_a_plant_view_replaces_the_pens(qtbot, open_screen):
    history = History()
    screen = open_screen(reader=history)
    screen.add_pen("Line1.Current")
    entries = screen.views.view_entries()
    assert entries[:2] == [
        ("plant", "line1_speed", "Line 1: belt speed"),
        ("plant", "line1_drive", "Line 1: drive current"),
    ]
    index = screen.views.view_box.findData("plant:line1_drive")
    screen.views.view_box.setCurrentIndex(index)
    screen.views.view_box.activated.emit(index)  # what a click on the entry does
    assert screen.plot.tags == ["Line1.Current"]
    assert screen.pens.tags() == ["Line1.Current"]
    assert screen.plot.window_s == 3600.0 and screen.plot.live
    qtbot.waitUntil(lambda: backfilled(screen, "Line1.Current") >= 59, timeout=WAIT_MS)
    assert ("Line1.Current", NOW - 3600, NOW) in history.raw_calls


def test_plant_views_are_read_only_but_a_copy_can_be_saved(open_screen, tmp_path):
    screen = open_screen()
    assert not screen.views.delete_button.isEnabled()  # a plant view is chosen
    for name in ("line1_speed", "Line 1: belt speed", "一號線：輸送帶速度", "LINE 1: BELT SPEED"):
        assert not screen.views.save_view(name)
        assert "plant view" in screen.status.text()
    assert not screen.views.delete_view("line1_speed")
    assert "plant config" in screen.status.text()
    assert [e[1] for e in screen.views.view_entries()] == ["line1_speed", "line1_drive"]

    screen.remove_pen("Line1.SpeedSP")
    assert screen.views.save_view("My speed")
    assert screen.views.chosen_view() == ("user", "My speed")
    assert screen.views.delete_button.isEnabled()
    assert [(k, n) for k, n, _ in screen.views.view_entries()] == [
        ("plant", "line1_speed"),
        ("plant", "line1_drive"),
        ("user", "My speed"),
    ]
    # The plant view is unchanged by the copy, and the copy opens as saved.
    assert screen.views.open_view("line1_speed")
    assert screen.plot.tags == ["Line1.Speed", "Line1.SpeedSP"]
    assert screen.views.open_view("My speed")
    assert screen.plot.tags == ["Line1.Speed"]
    assert screen.views.delete_view("My speed")
    assert [e[0] for e in screen.views.view_entries()] == ["plant", "plant"]


def test_the_picker_groups_plant_and_own_views_under_headers(open_screen):
    screen = open_screen()
    screen.views.save_view("Night shift")
    box = screen.views.view_box
    texts = [box.itemText(i) for i in range(box.count())]
    assert texts[1] == "Plant views" and "My views" in texts
    for header in ("Plant views", "My views"):
        assert not box.model().item(texts.index(header)).isEnabled()


def test_titles_follow_the_language(open_screen):
    screen = open_screen(lang="zh_TW")
    texts = [text for _kind, _name, text in screen.views.view_entries()]
    assert texts == ["一號線：輸送帶速度", "一號線：驅動電流"]
    assert screen.views.view_box.currentText().strip() == "一號線：輸送帶速度"


def test_params_open_a_view_by_name_or_a_tag(open_screen):
    assert open_screen(params={"view": "line1_drive"}).plot.tags == ["Line1.Current"]
    assert open_screen(params={"tag": "Line1.Current"}).plot.tags == ["Line1.Current"]
    unknown = open_screen(params={"view": "nope"})
    assert unknown.plot.tags == []
    assert "nope" in unknown.status.text()


def test_the_screen_spec_reads_the_view_from_params(qtbot, plant):
    widget = trends_screen_spec().factory(Context(plant, params={"view": "line1_drive"}))
    qtbot.addWidget(widget)
    assert widget.plot.tags == ["Line1.Current"]
    assert widget.plot.window_s == 3600.0


def test_an_operator_change_leaves_the_view(open_screen):
    screen = open_screen()
    screen.picker.chosen.emit("Line1.Current")
    assert screen.plot.tags == ["Line1.Speed", "Line1.SpeedSP", "Line1.Current"]
    assert screen.views.chosen_view() is None


def test_config_windows_are_the_screen_presets():
    assert sorted(LIVE_WINDOWS.values()) == sorted(s for _text, s in SCREEN_WINDOWS)
