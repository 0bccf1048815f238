"""The demo bicycle factory's line screens and ConveyorMotor faceplate in a real station.

Runtime, bridge, binder, main window and faceplate windows are the real ones on the
demo plant config; only the devices are scripted (`gui_helpers.ScriptedDriver`, which
echoes writes back), so each test decides what the plant says.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_helpers import push
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

import widgets._dialogs
from hmi.app.error_panel import ErrorPanel
from hmi.app.plugins import LoadedPlugin
from hmi.config import PlantConfig, load_config
from hmi.paths import DEMO_CONFIG
from hmi.tagvalue import TagValue
from plugins.bicycle_factory import plugin
from plugins.bicycle_factory.faceplates import ConveyorMotorFaceplate
from plugins.bicycle_factory.line_screen import DesignerLineScreen, LineScreen
from plugins.bicycle_factory.overview import OverviewScreen
from widgets import AnalogBar, Conveyor, Motor, SetpointEntry, ValueDisplay

WAIT_MS = 15_000  # two busy cores shared with other test runs: generous, bounded


@pytest.fixture
def plant(tmp_path: Path) -> PlantConfig:  # overrides conftest's: the demo plant
    return load_config(DEMO_CONFIG)


@pytest.fixture
def station(make_station, qtbot):
    loaded = LoadedPlugin("bicycle_factory", plugin, translations_dir=None)
    station = make_station([loaded])
    qtbot.addWidget(station.window)
    station.window.resize(1600, 950)
    station.window.show()
    return station


def show(station, name: str) -> QWidget:
    screen = station.window.show_screen(name)
    assert not isinstance(screen, ErrorPanel), getattr(screen, "message", "")
    return screen


def test_plugin_declares_line_screens_at_level_2_and_the_conveyor_faceplate():
    levels = {s.name: s.level for s in plugin.screens}
    assert levels == {"overview": 1, "welding": 2, "painting": 2, "assembly": 2}
    (faceplate,) = plugin.faceplates
    assert (faceplate.name, faceplate.template, faceplate.level) == (
        "conveyor_motor", "ConveyorMotor", 4,
    )  # fmt: skip
    assert faceplate.title_for("zh_TW") == "輸送帶馬達"


@pytest.mark.parametrize(
    ("screen_name", "process_tag", "value", "shown"),
    [
        ("welding", "Welding.Welder.Current", 182.0, "182 A"),
        ("painting", "Painting.Oven.Temperature", 181.5, "181.5 °C"),
        ("assembly", "Assembly.Truing.Runout", 0.25, "0.250 mm"),
    ],
)
def test_each_line_screen_shows_live_state_output_and_process_values(
    station, qtbot, screen_name, process_tag, value, shown
):
    screen = show(station, screen_name)
    line = process_tag.split(".", 1)[0]
    push(
        station,
        TagValue(f"{line}.State", 3),
        TagValue(f"{line}.ReasonCode", 101),
        TagValue(f"{line}.Rate", 812.0),
        TagValue(f"{line}.Conveyor.MotorCurrent", 9.9),
        TagValue(process_tag, value),
    )
    bar = screen.bars[process_tag]
    current = screen.bars[f"{line}.Conveyor.MotorCurrent"]
    header = screen.header
    qtbot.waitUntil(lambda: bar.text + " " + bar.units == shown, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: header.state.reason_text == "Belt slip", timeout=WAIT_MS)
    assert header.state.state_text == "Down"
    assert screen.values[f"{line}.Rate"].text.startswith("812")
    # ISA-101 analog indicator: 9.9 A is above the HI limit 9.6 → outside normal.
    qtbot.waitUntil(lambda: current.range_state == "high", timeout=WAIT_MS)
    assert 9.6 in current.range.limits and current.range.normal == (0.0, 9.6)
    assert bar.range_state in ("normal", "low", "high")
    # The writable setpoints are there, and the conveyor/motor symbols of the instance.
    assert f"{line}.Conveyor.SpeedSP" in screen.setpoints
    assert screen.motor.instance == screen.conveyor.instance == f"{line}.Conveyor"


def test_the_designer_painting_screen_binds_its_tag_properties(station, qtbot):
    screen = show(station, "painting")
    assert isinstance(screen, DesignerLineScreen)
    form = screen.form
    oven = form.findChild(ValueDisplay, "ovenTemperature")
    humidity = form.findChild(AnalogBar, "humidityBar")
    symbol = form.findChild(Conveyor, "conveyor")
    push(
        station,
        TagValue("Painting.Oven.Temperature", 179.0),
        TagValue("Painting.Booth.Humidity", 71.0),
        TagValue("Painting.Conveyor.Speed", 8.0),
        TagValue("Painting.Oven.TemperatureSP", 180.0),
    )
    qtbot.waitUntil(lambda: oven.text == "179.0", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: humidity.text == "71.0", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: symbol.active is True, timeout=WAIT_MS)
    assert humidity.range_state == "high"  # above the HI alarm limit 65 %RH
    # The oven's normal band follows its setpoint: 180 ± 8 °C (the deviation alarm).
    oven_bar = screen.bars["Painting.Oven.Temperature"]
    qtbot.waitUntil(lambda: oven_bar.range.normal == (172.0, 188.0), timeout=WAIT_MS)


def test_clicking_a_motor_symbol_opens_the_faceplate_of_that_instance(station, qtbot):
    window = station.window
    welding = show(station, "welding")
    qtbot.mouseClick(welding.motor, Qt.MouseButton.LeftButton)
    key = "conveyor_motor(instance=Welding.Conveyor)"
    qtbot.waitUntil(lambda: key in window.faceplates.open_windows, timeout=WAIT_MS)
    assert list(window.faceplates.open_windows) == [key]

    painting = show(station, "painting")  # the Designer screen's symbol, too
    qtbot.mouseClick(painting.form.findChild(Motor, "motor"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: "conveyor_motor(instance=Painting.Conveyor)" in window.faceplates.open_windows,
        timeout=WAIT_MS,
    )


def test_a_faceplate_opened_for_two_instances_shows_each_ones_values(station, qtbot):
    window = station.window
    one = window.open_faceplate("conveyor_motor", instance="Welding.Conveyor")
    two = window.open_faceplate("conveyor_motor", instance="Assembly.Conveyor")
    plate1 = one.findChild(ConveyorMotorFaceplate)
    plate2 = two.findChild(ConveyorMotorFaceplate)
    assert plate1 is not None and plate2 is not None
    assert plate1.instance == "Welding.Conveyor" and plate2.instance == "Assembly.Conveyor"
    push(
        station,
        TagValue("Welding.Conveyor.MotorVoltage", 398.0),
        TagValue("Assembly.Conveyor.MotorVoltage", 391.0),
        TagValue("Welding.Conveyor.BeltTension", 801.0),
        TagValue("Assembly.Conveyor.BeltTension", 742.0),
        TagValue("Welding.Conveyor.Speed", 12.0),
        TagValue("Assembly.Conveyor.Speed", 0.0),
    )
    v1, v2 = plate1.bars["MotorVoltage"], plate2.bars["MotorVoltage"]
    qtbot.waitUntil(lambda: (v1.text, v2.text) == ("398.0", "391.0"), timeout=WAIT_MS)
    t1, t2 = plate1.bars["BeltTension"], plate2.bars["BeltTension"]
    qtbot.waitUntil(lambda: (t1.text, t2.text) == ("801", "742"), timeout=WAIT_MS)
    assert t2.range_state == "low"  # below the LO limit 750 N: plan a belt replacement
    qtbot.waitUntil(lambda: plate1.trends["BeltTension"].text == "801", timeout=WAIT_MS)
    assert plate1.motor.active is True and plate2.motor.active is False
    assert set(plate1.trends) == {
        "MotorVoltage", "MotorCurrent", "MotorTemperature", "Speed", "BeltTension",
    }  # fmt: skip


def test_a_setpoint_entry_writes_through_the_station_after_confirmation(
    station, qtbot, monkeypatch
):
    screen = show(station, "welding")
    entry: SetpointEntry = screen.setpoints["Welding.Welder.CurrentSP"]
    push(station, TagValue("Welding.Welder.CurrentSP", 180.0))
    qtbot.waitUntil(lambda: entry.text == "180" and entry.apply_button.isEnabled(), timeout=WAIT_MS)
    asked: list[str] = []
    monkeypatch.setattr(widgets._dialogs, "confirm", lambda _p, _t, q: asked.append(q) or True)

    entry.editor.setText("190")
    assert entry.apply()

    assert asked == ["Change Weld current setpoint from 180 A to 190 A?"]
    # The scripted device echoes the write: the new value comes back through the runtime.
    qtbot.waitUntil(lambda: entry.text == "190", timeout=WAIT_MS)
    assert entry.status_text == ""


def test_declining_the_confirmation_writes_nothing(station, qtbot, monkeypatch):
    screen = show(station, "assembly")
    entry = screen.setpoints["Assembly.Conveyor.SpeedSP"]
    push(station, TagValue("Assembly.Conveyor.SpeedSP", 15.0))
    qtbot.waitUntil(lambda: entry.text == "15.0", timeout=WAIT_MS)
    writes: list[tuple] = []
    monkeypatch.setattr(station.bridge, "write", lambda *a: writes.append(a))
    monkeypatch.setattr(widgets._dialogs, "confirm", lambda *_: False)
    entry.editor.setText("14")
    assert not entry.apply()
    assert writes == []


def test_the_overview_leads_to_each_line_screen(station, qtbot):
    overview = show(station, "overview")
    assert isinstance(overview, OverviewScreen)
    panel = overview.panels["Assembly"]
    assert panel.details_button is not None
    qtbot.mouseClick(panel.details_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: isinstance(station.window.stack.currentWidget(), LineScreen), timeout=WAIT_MS
    )
    assert station.window.stack.currentWidget().header.title_label.text() == (
        "Wheel & Final Assembly"
    )
    back = station.window.stack.currentWidget().header.back_button
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    assert station.window.stack.currentWidget() is overview


def test_every_value_offers_trend_this_tag_and_its_instance_faceplate(station, monkeypatch):
    """No screen code needed: binding gives each value the station's tag menu."""
    from widgets import ValueDisplay
    from widgets.context_menu import build_tag_menu

    opened: list[tuple[str, dict]] = []
    monkeypatch.setattr(station.window, "open_screen", lambda name, **kw: opened.append((name, kw)))
    monkeypatch.setattr(
        station.window, "open_faceplate_for", lambda inst: opened.append((inst, {}))
    )
    screen = show(station, "overview")
    current = next(
        d for d in screen.findChildren(ValueDisplay)
        if d._config and d._config.name == "Welding.Conveyor.MotorCurrent"
    )  # fmt: skip
    assert current.instance == "Welding.Conveyor"  # the template instance of its tag
    menu = build_tag_menu(current, "Welding.Conveyor.MotorCurrent", current.instance,
                          current.actions)  # fmt: skip
    actions = {a.objectName(): a for a in menu.actions()}
    actions["trend"].trigger()
    actions["faceplate"].trigger()
    assert opened == [("trends", {"tag": "Welding.Conveyor.MotorCurrent"}),
                      ("Welding.Conveyor", {})]  # fmt: skip
