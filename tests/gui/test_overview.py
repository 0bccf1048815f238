"""The demo plugin's plant overview, on a fake ScreenContext fed by hand.

The station (binder, bridge, runtime) is not involved: this checks what the screen
shows for given tag values and what it asks the station to write. The live run
on the real simulator is in test_overview_live.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from hmi.config import PlantConfig, TagConfig, load_config
from hmi.drivers.base import WriteResult
from hmi.paths import DEMO_CONFIG
from hmi.plugin import TagWidget
from hmi.tagvalue import Quality, TagValue
from plugins.bicycle_factory import plugin
from plugins.bicycle_factory.overview import OverviewScreen

LINES = {
    "Welding": ("Frame Welding", "車架焊接", ["Welder.Current", "Welder.CurrentSP"]),
    "Painting": ("Painting", "塗裝", ["Oven.Temperature", "Oven.TemperatureSP"]),
    "Assembly": ("Wheel & Final Assembly", "輪組與總裝", ["Truing.Runout"]),
}
UNITS = {
    "Rate": "pcs/h", "MotorVoltage": "V", "MotorCurrent": "A", "MotorTemperature": "°C",
    "Speed": "m/min", "SpeedSP": "m/min", "BeltTension": "N", "Current": "A",
    "CurrentSP": "A", "Temperature": "°C", "TemperatureSP": "°C", "Runout": "mm",
}  # fmt: skip
TYPES = {
    "State": "int16", "ReasonCode": "int16", "GoodCount": "uint32", "RejectCount": "uint32",
    "Product": "string", "RunCmd": "bool",
}  # fmt: skip


def built_demo_config() -> PlantConfig:
    """The demo plant's tags per the demo tag spec, for when resources/demo is absent."""
    tags: list[dict[str, Any]] = []
    lines = []
    for line, (en, zh, own) in LINES.items():
        names = [
            "State", "ReasonCode", "GoodCount", "RejectCount", "Rate", "Product", "RunCmd",
            "Conveyor.MotorVoltage", "Conveyor.MotorCurrent", "Conveyor.MotorTemperature",
            "Conveyor.Speed", "Conveyor.SpeedSP", "Conveyor.BeltTension", *own,
        ]  # fmt: skip
        for n in names:
            leaf = n.rsplit(".", 1)[-1]
            tags.append(
                {
                    "name": f"{line}.{n}",
                    "connection": "sim",
                    "address": f"ns=2;s={line}.{n}",
                    "type": TYPES.get(leaf, "float64"),
                    "units": UNITS.get(leaf, ""),
                    "format": ".0f" if leaf in ("Rate", "BeltTension") else "",
                    "writable": leaf in ("RunCmd", "SpeedSP", "CurrentSP", "TemperatureSP"),
                    "description": {"en": f"{en} {n}", "zh_TW": f"{zh} {n}"},
                }
            )
        lines.append({"name": line, "title": {"en": en, "zh_TW": zh}, "tags": [f"{line}.*"]})
    return PlantConfig.model_validate(
        {
            "plant": {"name": "bicycle_factory", "title": "Bicycle factory"},
            "connections": [
                {"name": "sim", "driver": "opcua", "endpoint": "opc.tcp://127.0.0.1:4840/pro4/sim"}
            ],
            "tags": tags,
            "lines": lines,
        }
    )


def demo_config() -> PlantConfig:
    return load_config(DEMO_CONFIG) if DEMO_CONFIG.is_file() else built_demo_config()


class FakeContext:
    """A ScreenContext that records bindings and writes, and lets the test push values."""

    def __init__(self, config: PlantConfig, lang: str = "en"):
        self._config = config
        self._lang = lang
        self.bound: dict[str, list[TagWidget]] = {}
        self.writes: list[tuple[str, Any, Callable[[WriteResult], None] | None]] = []

    @property
    def config(self) -> PlantConfig:
        return self._config

    @property
    def lang(self) -> str:
        return self._lang

    def tag_config(self, name: str) -> TagConfig:
        return self._config.tag(name)

    def bind(self, widget: TagWidget, tag: str) -> None:
        self._config.tag(tag)  # unknown tags raise KeyError, like the station's
        self.bound.setdefault(tag, []).append(widget)

    def write(self, tag: str, value: Any, on_done=None) -> None:
        self.writes.append((tag, value, on_done))

    def push(self, tag: str, value: Any, quality: Quality = Quality.GOOD, ts: float = 0.0) -> None:
        tv = TagValue(tag, value, quality, ts or time.time())
        for w in self.bound[tag]:
            w.set_tag_value(tv)


@pytest.fixture
def ctx() -> FakeContext:
    return FakeContext(demo_config())


@pytest.fixture
def screen(qtbot, ctx) -> OverviewScreen:
    spec = next(s for s in plugin.screens if s.name == "overview")
    w = spec.factory(ctx)
    assert isinstance(w, OverviewScreen)
    qtbot.addWidget(w)
    w.resize(1600, 900)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_plugin_declares_the_overview_screen():
    spec = next(s for s in plugin.screens if s.name == "overview")
    assert spec.level == 1
    assert spec.title_for("en") == "Plant overview"
    assert spec.title_for("zh_TW") == "全廠總覽"
    assert plugin.translations_dir and plugin.translations_dir.endswith("i18n")


def test_every_line_gets_a_panel_with_its_title(screen, ctx):
    assert list(screen.panels) == ["Welding", "Painting", "Assembly"]
    assert screen.panels["Welding"].title_label.text() == "Frame Welding"
    assert screen.panels["Assembly"].title_label.text() == "Wheel & Final Assembly"
    # Every tag the screen shows is bound; the state indicator to both its tags.
    for line in LINES:
        for leaf in ("State", "ReasonCode", "Rate", "GoodCount", "RejectCount", "Product"):
            assert f"{line}.{leaf}" in ctx.bound
        assert f"{line}.Conveyor.MotorCurrent" in ctx.bound
        assert f"{line}.RunCmd" in ctx.bound
    assert "Painting.Oven.Temperature" in ctx.bound
    assert "Assembly.Truing.Runout" in ctx.bound


def test_panels_show_the_values_fed_to_them(screen, ctx):
    now = time.time()
    ctx.push("Welding.State", 3, ts=now - 75)
    ctx.push("Welding.ReasonCode", 102)
    ctx.push("Welding.Rate", 118.4)
    ctx.push("Welding.GoodCount", 1520)
    ctx.push("Welding.RejectCount", 7)
    ctx.push("Welding.Product", "MTB-29")
    ctx.push("Welding.Conveyor.MotorCurrent", 10.46)
    ctx.push("Welding.Welder.Current", 181.2)
    ctx.push("Painting.Oven.Temperature", 179.6, Quality.STALE)

    panel = screen.panels["Welding"]
    assert panel.state.state_text == "Down"
    assert panel.state.reason_text == "Motor overload"
    assert panel.state.duration_text in ("01:15", "01:16")
    assert panel.state.property("lineState") == "down"
    assert panel.rate.text == format(118.4, ctx.tag_config("Welding.Rate").format or ".2f")
    assert panel.rate.units_label.text() == "pcs/h"
    assert panel.good.text == "1520"
    assert panel.reject.text == "7"
    assert panel.product.text == "MTB-29"
    assert panel.process["Welding.Conveyor.MotorCurrent"].text.startswith("10.")
    assert panel.process["Welding.Welder.Current"].text.startswith("181")
    oven = screen.panels["Painting"].process["Painting.Oven.Temperature"]
    assert oven.text.endswith("?")
    assert oven.property("quality") == "stale"


def test_panels_stand_side_by_side_when_wide_and_stack_when_narrow(screen, qtbot):
    screen.resize(1900, 1000)
    qtbot.waitUntil(lambda: not screen.row.stacked, timeout=15_000)
    panels = list(screen.panels.values())
    assert panels[0].y() == panels[1].y() and panels[0].x() < panels[1].x()
    screen.resize(700, 800)
    qtbot.waitUntil(lambda: screen.row.stacked, timeout=15_000)
    qtbot.waitUntil(lambda: panels[0].y() < panels[1].y(), timeout=15_000)


def test_type_is_larger_on_a_control_room_screen(screen, qtbot):
    kpi = screen.panels["Welding"].rate.value_label
    screen.resize(1200, 700)
    qtbot.waitUntil(lambda: screen.scale == "normal", timeout=15_000)
    small = kpi.font().pixelSize()
    screen.resize(1900, 1000)
    qtbot.waitUntil(lambda: screen.scale == "large", timeout=15_000)
    assert kpi.font().pixelSize() > small >= 20


def test_stop_asks_for_confirmation_then_writes_false(screen, ctx, monkeypatch, qtbot):
    asked: list[str] = []

    def answer_yes(parent, title, text, *args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer_yes)
    ctx.push("Welding.RunCmd", True)
    control = screen.panels["Welding"].run_control
    assert control.stop_button.isEnabled() and not control.start_button.isEnabled()
    qtbot.mouseClick(control.stop_button, _left())
    assert asked == ["Stop line Frame Welding?"]
    assert [(t, v) for t, v, _ in ctx.writes] == [("Welding.RunCmd", False)]


def test_no_write_when_the_operator_says_no(screen, ctx, monkeypatch, qtbot):
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.No)
    ctx.push("Painting.RunCmd", False)
    control = screen.panels["Painting"].run_control
    qtbot.mouseClick(control.start_button, _left())
    assert ctx.writes == []


def test_a_refused_write_is_shown(screen, ctx, monkeypatch, qtbot):
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    ctx.push("Assembly.RunCmd", True)
    control = screen.panels["Assembly"].run_control
    qtbot.mouseClick(control.stop_button, _left())
    tag, value, on_done = ctx.writes[-1]
    assert (tag, value) == ("Assembly.RunCmd", False)
    assert on_done is not None
    on_done(WriteResult(tag, False, error="BadUserAccessDenied"))
    assert "BadUserAccessDenied" in control.status_label.text()
    assert control.error_box is not None and "BadUserAccessDenied" in control.error_box.text()
    control.error_box.close()


def test_disconnected_line_shows_dashes_and_disables_its_buttons(screen, ctx):
    ctx.push("Welding.Rate", 120.0)
    ctx.push("Welding.Rate", None, Quality.DISCONNECTED)
    ctx.push("Welding.RunCmd", None, Quality.DISCONNECTED)
    panel = screen.panels["Welding"]
    assert panel.rate.text == "----"
    assert panel.rate.marker_label.text() == "NO COMM"
    assert not panel.run_control.start_button.isEnabled()
    assert not panel.run_control.stop_button.isEnabled()


def test_chinese_titles_come_from_the_config(qtbot):
    ctx = FakeContext(demo_config(), lang="zh_TW")
    w = OverviewScreen(ctx)
    qtbot.addWidget(w)
    assert w.panels["Welding"].title_label.text() == "車架焊接"
    assert w.panels["Painting"].title_label.text() == "塗裝"


def _left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
