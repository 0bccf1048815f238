"""Parameterised faceplates: one definition, a popup per instance, each bound to its own
tags; a click on a motor symbol opens its faceplate; closing one unbinds it."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_helpers import Recorder, plugin_of, push
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from hmi.config import PlantConfig, load_config
from hmi.plugin import ScreenSpec
from hmi.tagvalue import TagValue
from widgets import Motor

WAIT_MS = 10_000
MEMBERS = ("Speed", "Current", "Running")


def motor_tags(instance: str) -> str:
    types = {"Running": "bool"}
    return "".join(
        f'[[tags]]\nname = "{instance}.{m}"\nconnection = "plc"\n'
        f'address = "ns=2;s={instance}.{m}"\ntype = "{types.get(m, "float64")}"\n\n'
        for m in MEMBERS
    )


@pytest.fixture
def plant(tmp_path: Path) -> PlantConfig:  # overrides conftest's: two motor instances
    path = tmp_path / "plant.toml"
    path.write_text(
        '[plant]\nname = "fp"\ntitle = { en = "Faceplates" }\n\n[display]\nframe_rate_hz = 20\n\n'
        '[[connections]]\nname = "plc"\ndriver = "opcua"\n'
        'endpoint = "opc.tcp://127.0.0.1:4840/test"\n\n'
        + motor_tags("Assembly.Conveyor1")
        + motor_tags("Assembly.Conveyor2"),
        encoding="utf-8",
    )
    return load_config(path)


def python_faceplate(ctx) -> QWidget:
    """A faceplate built in Python: one Recorder per member of the instance."""
    root = QWidget()
    layout = QVBoxLayout(root)
    for member, config in sorted(ctx.members(ctx.params["instance"]).items()):
        rec = Recorder()
        rec.setObjectName(member)
        ctx.bind(rec, config.name)
        layout.addWidget(rec)
    return root


def ui_faceplate(tmp_path: Path) -> ScreenSpec:
    path = tmp_path / "motor.ui"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><ui version="4.0"><class>F</class>'
        '<widget class="QWidget" name="F"><layout class="QVBoxLayout" name="l"><item>'
        '<widget class="QLabel" name="speed"><property name="tag" stdset="0">'
        "<string>{instance}.Speed</string></property></widget></item></layout></widget></ui>",
        encoding="utf-8",
    )
    return ScreenSpec.from_ui("motor_ui", {"en": "Motor (Designer)"}, path)


def plant_screen(ctx) -> QWidget:
    """A plant screen: a motor symbol of Conveyor1 and a button for Conveyor2's faceplate."""
    root = QWidget()
    layout = QVBoxLayout(root)
    motor = Motor(
        ctx.tag_config("Assembly.Conveyor1.Running"), "Conveyor 1",
        instance="Assembly.Conveyor1", actions=ctx.actions,
    )  # fmt: skip
    motor.setObjectName("motor1")
    ctx.bind(motor, "Assembly.Conveyor1.Running")
    button = QPushButton("Conveyor 2")
    button.setObjectName("open2")
    button.clicked.connect(lambda: ctx.open_faceplate("motor", instance="Assembly.Conveyor2"))
    layout.addWidget(motor)
    layout.addWidget(button)
    return root


def station_with_faceplates(make_station, tmp_path, qtbot):
    plugin = plugin_of(ScreenSpec("plant", {"en": "Plant"}, plant_screen))
    plugin.plugin.faceplates.extend(
        [ScreenSpec("motor", {"en": "Motor"}, python_faceplate), ui_faceplate(tmp_path)]
    )
    station = make_station([plugin])
    qtbot.addWidget(station.window)
    station.window.show()
    return station


def test_a_faceplate_opened_for_two_instances_shows_each_ones_values(qtbot, tmp_path, make_station):
    station = station_with_faceplates(make_station, tmp_path, qtbot)
    window = station.window
    one = window.open_faceplate("motor", instance="Assembly.Conveyor1")
    two = window.open_faceplate("motor", instance="Assembly.Conveyor2")
    assert one is not two and one.isVisible() and two.isVisible()
    assert "Assembly.Conveyor2" in two.windowTitle()
    assert (
        window.open_faceplate("motor", instance="Assembly.Conveyor1") is one
    )  # raised, not doubled

    push(
        station,
        TagValue("Assembly.Conveyor1.Speed", 11.0),
        TagValue("Assembly.Conveyor2.Speed", 22.0),
        TagValue("Assembly.Conveyor1.Current", 1.5),
        TagValue("Assembly.Conveyor2.Current", 2.5),
    )
    speed1, speed2 = one.findChild(Recorder, "Speed"), two.findChild(Recorder, "Speed")
    qtbot.waitUntil(lambda: speed1.last == 11.0 and speed2.last == 22.0, timeout=WAIT_MS)
    assert one.findChild(Recorder, "Current").last == 1.5
    assert two.findChild(Recorder, "Current").last == 2.5

    designer = window.open_faceplate("motor_ui", instance="Assembly.Conveyor2")
    label = designer.findChild(QLabel, "speed")
    qtbot.waitUntil(lambda: label.text() == "22.00", timeout=WAIT_MS)  # filled on show


def test_closing_a_faceplate_unbinds_it_and_the_others_run_on(qtbot, tmp_path, make_station):
    station = station_with_faceplates(make_station, tmp_path, qtbot)
    window = station.window
    one = window.open_faceplate("motor", instance="Assembly.Conveyor1")
    two = window.open_faceplate("motor", instance="Assembly.Conveyor2")
    closed = one.findChild(Recorder, "Speed")
    seen = len(closed.values)
    one.close()
    assert list(window.faceplates.open_windows) == [two.key]

    push(
        station,
        TagValue("Assembly.Conveyor1.Speed", 5.0),
        TagValue("Assembly.Conveyor2.Speed", 6.0),
    )
    speed2 = two.findChild(Recorder, "Speed")
    qtbot.waitUntil(lambda: speed2.last == 6.0, timeout=WAIT_MS)
    assert len(closed.values) == seen  # the closed faceplate was not fed


def test_clicking_a_motor_symbol_or_a_button_opens_its_faceplate(qtbot, tmp_path, make_station):
    station = station_with_faceplates(make_station, tmp_path, qtbot)
    window = station.window
    screen = window.show_screen("plant")
    motor = screen.findChild(Motor, "motor1")
    qtbot.mouseClick(motor, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "motor(instance=Assembly.Conveyor1)" in window.faceplates.open_windows)
    qtbot.mouseClick(screen.findChild(QPushButton, "open2"), Qt.MouseButton.LeftButton)
    assert "motor(instance=Assembly.Conveyor2)" in window.faceplates.open_windows
    assert len(window.faceplates.open_windows) == 2
