"""The plant overview in the real station on the real demo simulator (OPC UA on loopback).

End to end: simulator process → asyncua driver → runtime → bridge → binder → the
plugin's widgets. What an operator would see: live numbers, a stop that takes
effect, and dashes when the simulator goes away.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from hmi.app.station import GuiSession, Station
from hmi.config import load_config
from hmi.paths import DEMO_CONFIG
from hmi.sim.launch import SimProcess, start_sim_process
from plugins.bicycle_factory.overview import OverviewScreen

pytestmark = [pytest.mark.gui, pytest.mark.protocol]

LIVE_TIMEOUT_MS = 30_000  # two busy cores shared with other test runs: generous, bounded


@pytest.fixture
def sim() -> Iterator[SimProcess]:
    with start_sim_process(seed=3) as process:
        yield process


@pytest.fixture
def overview(qapp, sim) -> Iterator[tuple[OverviewScreen, Station]]:
    plant = sim.retarget(load_config(DEMO_CONFIG))
    session = GuiSession("en")
    station = Station(plant, session)
    try:
        station.window.resize(1600, 900)
        station.window.show()
        screen = station.window.show_screen("overview")
        assert isinstance(screen, OverviewScreen), "the overview failed to build"
        yield screen, station
    finally:
        station.close()
        session.close()


def test_live_values_then_disconnected_when_the_simulator_stops(overview, sim, qtbot):
    screen, _station = overview
    panel = screen.panels["Welding"]
    current = panel.process["Welding.Conveyor.MotorCurrent"]

    qtbot.waitUntil(lambda: current.property("quality") == "good", timeout=LIVE_TIMEOUT_MS)
    assert current.text != "----"
    assert panel.state.state_text in ("Running", "Idle", "Down", "Changeover", "Planned stop")
    assert panel.title_label.text() == "Frame Welding"
    first = current.text
    qtbot.waitUntil(lambda: current.text not in (first, "----"), timeout=LIVE_TIMEOUT_MS)

    sim.stop()
    qtbot.waitUntil(lambda: current.property("quality") == "disconnected", timeout=LIVE_TIMEOUT_MS)
    assert current.text == "----"
    assert current.marker_label.text() == "NO COMM"
    assert panel.state.property("quality") == "disconnected"


def test_stop_button_stops_the_line(overview, qtbot, monkeypatch):
    screen, _station = overview
    panel = screen.panels["Painting"]
    control = panel.run_control
    qtbot.waitUntil(control.stop_button.isEnabled, timeout=LIVE_TIMEOUT_MS)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)

    qtbot.mouseClick(control.stop_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(
        lambda: panel.state.reason_text == "Stopped by operator" or control.error_box is not None,
        timeout=LIVE_TIMEOUT_MS,
    )
    assert control.error_box is None, control.status_label.text()
    assert panel.state.state_text == "Idle"
    assert panel.state.property("lineState") == "idle"
    qtbot.waitUntil(control.start_button.isEnabled, timeout=LIVE_TIMEOUT_MS)
