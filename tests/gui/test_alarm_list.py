"""The embedded alarm list (widgets.AlarmList) on a real station: runtime, alarm engine,
journal in tmp_path, feed and commands are the real ones; only the devices are scripted.
The list gets its data through the plugin API (`ScreenContext.alarm_view`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import alarm_helpers
import pytest
from alarm_helpers import CURRENT_HI, raise_current_hi
from gui_helpers import ScriptedDriver, push
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from hmi.app.plugins import LoadedPlugin
from hmi.app.station import GuiSession, Station
from hmi.config import load_config
from hmi.paths import DEMO_CONFIG
from hmi.plugin import ScreenContext
from hmi.runtime.alarm_states import AlarmState
from hmi.store.queries import EventFilter, fetch_events
from hmi.tagvalue import TagValue
from plugins.bicycle_factory import plugin as bicycle_plugin
from screens import builtin_screens
from widgets.alarm_list import AlarmList

alarm_station = alarm_helpers.alarm_station  # the shared fixture, used by name below

WAIT = 15_000  # two busy cores shared with other test runs: generous, bounded
SP_HI = "Welding.Welder.CurrentSP.HI"  # demo plant: HI at 220 A, priority 4, no delay


@pytest.fixture
def demo_station(qapp, tmp_path: Path) -> Iterator[Callable[[], Station]]:
    """A started station on the demo plant with the bicycle factory plugin, the built-in
    screens (the alarm summary) and its own journal file."""
    made: list[tuple[Station, GuiSession]] = []

    def make() -> Station:
        loaded = LoadedPlugin("bicycle_factory", bicycle_plugin, translations_dir=None)
        session = GuiSession("en", plugins=[loaded], builtin=builtin_screens())
        db = f"sqlite:///{tmp_path / f'events{len(made)}.db'}"
        station = Station(load_config(DEMO_CONFIG), session, ScriptedDriver, db_url=db)
        made.append((station, session))
        station.window.resize(1600, 1000)
        station.window.show()
        return station

    yield make
    for station, session in made:
        station.close()
        session.close()


def _lists_screen(station: Station, *areas: str) -> list[AlarmList]:
    """A plugin-style screen holding one AlarmList per area, shown; returns the lists."""
    made: list[AlarmList] = []

    def build(ctx: ScreenContext) -> QWidget:
        root = QWidget()
        layout = QVBoxLayout(root)
        for area in areas:
            made.append(AlarmList(ctx, area=area))
            layout.addWidget(made[-1])
        return root

    station.window.add_screen("lists", "Lists", build)
    station.window.show()  # a hidden list waits for its screen to be shown
    station.window.show_screen("lists")
    return made


def test_a_welding_hi_shows_in_the_welding_list_and_not_in_the_painting_list(qtbot, demo_station):
    station = demo_station()
    welding, painting = _lists_screen(station, "Welding", "Painting")
    assert welding.quiet.isVisibleTo(welding) and welding.shown_ids() == []
    assert welding.title.text() == "Alarms: Frame Welding"  # the line, as the operator knows it

    push(station, TagValue("Welding.Welder.CurrentSP", 230.0))
    qtbot.waitUntil(lambda: welding.shown_ids() == [SP_HI], timeout=WAIT)
    row = welding.row_of(SP_HI)
    assert row is not None and row.isVisibleTo(welding)
    assert row.message.text() == "Welding current setpoint above the qualified range"
    assert row.priority.text() == "P4 Low"  # the number: readable without colour
    assert row.property("alarmPriority") == "4"
    assert row.state.text() == "Unacknowledged"
    assert row.value.text() == "230 / 220"
    assert not welding.quiet.isVisibleTo(welding)
    assert welding.blinking
    phases: set[str] = set()
    qtbot.waitUntil(
        lambda: phases.add(row.property("blink")) or phases >= {"on", "off"}, timeout=WAIT
    )
    assert painting.shown_ids() == [] and painting.quiet.isVisibleTo(painting)
    assert not painting.blinking


def test_acknowledge_from_the_list_is_journaled_and_stops_the_blinking(qtbot, alarm_station):
    station = alarm_station()
    (alarms,) = _lists_screen(station, "Line1")
    raise_current_hi(station)
    qtbot.waitUntil(lambda: alarms.shown_ids() == [CURRENT_HI], timeout=WAIT)
    assert alarms.blinking
    assert not alarms.ack_button.isEnabled()  # nothing selected yet

    row = alarms.row_of(CURRENT_HI)
    qtbot.mouseClick(row, Qt.MouseButton.LeftButton)
    assert row.property("selected") == "true"
    assert alarms.ack_button.isEnabled()
    qtbot.mouseClick(alarms.ack_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: not alarms.blinking, timeout=WAIT)
    assert station.services.alarms.state_of(CURRENT_HI) is AlarmState.ACKED
    assert row.property("blink") == ""  # steady once acknowledged
    assert row.state.text() == "Acknowledged"
    assert row.property("selected") == "false"
    acks = fetch_events(station.services.store.engine, EventFilter(types=["acknowledged"]))
    assert [(e.source, e.user) for e in acks] == [("Line1.Current", "station")]
    assert not alarms.message.isVisibleTo(alarms)


def test_a_viewer_acknowledging_from_the_list_is_shown_the_denial(qtbot, alarm_station):
    station = alarm_station(viewer=True)
    (alarms,) = _lists_screen(station, "Line1")
    raise_current_hi(station)
    qtbot.waitUntil(lambda: alarms.shown_ids() == [CURRENT_HI], timeout=WAIT)

    alarms.select(CURRENT_HI)
    qtbot.mouseClick(alarms.ack_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: alarms.message.isVisibleTo(alarms), timeout=WAIT)
    assert alarms.message.text().startswith("Not allowed:")
    assert alarms.message.property("messageKind") == "denied"
    assert station.services.alarms.state_of(CURRENT_HI) is AlarmState.UNACK
    assert alarms.blinking
    assert fetch_events(station.services.store.engine, EventFilter(types=["acknowledged"])) == []


def test_a_double_click_opens_the_alarm_summary(qtbot, alarm_station):
    station = alarm_station()
    (alarms,) = _lists_screen(station, "Line1")
    raise_current_hi(station)
    qtbot.waitUntil(lambda: alarms.shown_ids() == [CURRENT_HI], timeout=WAIT)
    qtbot.mouseDClick(alarms.row_of(CURRENT_HI), Qt.MouseButton.LeftButton)
    assert station.window.current_screen == "alarms"


def test_the_line_screen_of_the_demo_lists_that_lines_alarms(qtbot, demo_station):
    station = demo_station()
    welding = station.window.show_screen("welding")
    alarms = welding.alarm_list
    assert alarms.isVisibleTo(welding)
    assert 80 < alarms.scroll.height() < 220  # about four rows, not a screenful

    push(
        station,
        TagValue("Welding.Welder.CurrentSP", 230.0),
        TagValue("Painting.State", 3),  # another line's alarm: not on this screen
    )
    qtbot.waitUntil(lambda: alarms.shown_ids() == [SP_HI], timeout=WAIT)
    painting = station.window.show_screen("painting")  # the Designer screen has one too
    qtbot.waitUntil(lambda: painting.alarm_list.shown_ids() == ["Painting.Down"], timeout=WAIT)
    down = painting.alarm_list.row_of("Painting.Down")
    assert (down.priority.text(), down.state.text()) == ("P2 High", "Unacknowledged")
    assert down.value.text() == ""  # a discrete alarm's state code would only be noise


def test_a_context_without_alarms_gives_an_empty_list(qtbot):
    from hmi.app.plugin_testing import ScreenHarness
    from hmi.plugin import API_VERSION, PlantPlugin, ScreenSpec

    made: list[AlarmList] = []

    def build(ctx: ScreenContext) -> QWidget:
        made.append(AlarmList(ctx, area="Welding"))
        return made[-1]

    spec = ScreenSpec("alarmsonly", {"en": "Alarms only"}, build)
    with ScreenHarness(PlantPlugin("t", "1.0", API_VERSION, [spec])) as harness:
        harness.show("alarmsonly")
        assert harness.error("alarmsonly") is None
        (alarms,) = made
        assert alarms.shown_ids() == [] and alarms.quiet.isVisibleTo(alarms)
        assert not alarms.ack_button.isEnabled()
        results = []
        alarms.view.ack(["x"], None, results.append)
        qtbot.waitUntil(lambda: bool(results), timeout=WAIT)
        assert results[0].status == "error"
