"""The footer alarm banner and the horn, on a real station (scripted device, real
runtime, alarm engine, journal in tmp_path)."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import alarm_helpers
from alarm_helpers import CURRENT_HI, raise_current_hi
from PySide6.QtCore import Qt

from hmi.app.horn import Horn
from hmi.runtime.alarm_states import AlarmState
from hmi.store.queries import EventFilter, fetch_events

alarm_station = alarm_helpers.alarm_station  # the shared fixture, used by name below

WAIT = 10_000


def test_a_value_crossing_hi_shows_blinking_on_the_banner(qtbot, alarm_station):
    station = alarm_station()
    banner = station.window.alarm_banner
    qtbot.addWidget(station.window)
    assert banner.text() == "No active alarms"
    assert not banner.blinking

    raise_current_hi(station)
    qtbot.waitUntil(lambda: banner.text() == "Line 1 motor current high", timeout=WAIT)
    row = banner.rows[0]
    assert row.property("alarmPriority") == "2"
    assert row.alarm_id == CURRENT_HI
    assert "12.5 / 10" in row.value.text()
    assert banner.counts[2].text() == "P2  1/1"
    assert banner.counts[2].property("unacked") == "true"
    assert banner.blinking
    phases = set()
    qtbot.waitUntil(
        lambda: phases.add(row.property("blink")) or phases >= {"on", "off"}, timeout=15_000
    )


def test_acknowledge_a_selected_row_stops_the_blinking(qtbot, alarm_station):
    station = alarm_station()
    banner = station.window.alarm_banner
    raise_current_hi(station)
    qtbot.waitUntil(lambda: banner.shown_ids() == [CURRENT_HI], timeout=WAIT)

    qtbot.mouseClick(banner.rows[0], Qt.MouseButton.LeftButton)
    assert banner.rows[0].property("selected") == "true"
    qtbot.mouseClick(banner.ack_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not banner.blinking, timeout=WAIT)
    assert station.services.alarms.state_of(CURRENT_HI) is AlarmState.ACKED
    assert banner.rows[0].property("blink") == ""  # steady once acknowledged
    assert banner.counts[2].text() == "P2  0/1"


def test_acknowledge_without_selection_asks_first_then_acks_all_shown(qtbot, alarm_station):
    station = alarm_station()
    banner = station.window.alarm_banner
    raise_current_hi(station)
    qtbot.waitUntil(lambda: banner.shown_ids() == [CURRENT_HI], timeout=WAIT)

    banner.acknowledge()
    box = banner.confirm_box
    assert box is not None and "1 unacknowledged" in box.text()
    assert station.services.alarms.state_of(CURRENT_HI) is AlarmState.UNACK  # not before yes
    box.button(box.StandardButton.Ok).click()
    qtbot.waitUntil(
        lambda: station.services.alarms.state_of(CURRENT_HI) is AlarmState.ACKED, timeout=WAIT
    )


def test_a_viewer_is_told_why_acknowledge_is_refused(qtbot, alarm_station):
    station = alarm_station(viewer=True)
    banner = station.window.alarm_banner
    raise_current_hi(station)
    qtbot.waitUntil(lambda: banner.shown_ids() == [CURRENT_HI], timeout=WAIT)

    banner.select(CURRENT_HI)
    qtbot.mouseClick(banner.ack_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: banner.message.isVisibleTo(banner), timeout=WAIT)
    assert banner.message.text().startswith("Not allowed:")
    assert banner.message.property("messageKind") == "denied"
    assert station.services.alarms.state_of(CURRENT_HI) is AlarmState.UNACK
    assert banner.blinking


def test_horn_without_audio_player_is_a_visible_marker_and_silence_clears_it(
    qtbot, alarm_station, monkeypatch, tmp_path, caplog
):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no aplay, no paplay
    with caplog.at_level(logging.WARNING, logger="hmi.app.horn"):
        station = alarm_station()
    banner = station.window.alarm_banner
    assert not station.horn.audible
    horn_lines = [r for r in caplog.records if r.name == "hmi.app.horn"]
    assert len(horn_lines) == 1 and "visible only" in horn_lines[0].getMessage()

    raise_current_hi(station)  # priority 2 sounds by default
    qtbot.waitUntil(lambda: banner.horn_marker.isVisibleTo(banner), timeout=WAIT)
    assert station.horn.active
    assert banner.silence_button.isEnabled()

    with qtbot.waitSignal(station.alarms.finished, timeout=WAIT):  # done = journaled
        qtbot.mouseClick(banner.silence_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not banner.horn_marker.isVisibleTo(banner), timeout=WAIT)
    assert not station.horn.active
    assert station.services.alarms.state_of(CURRENT_HI) is AlarmState.UNACK  # still to ack
    silenced = fetch_events(station.services.store.engine, EventFilter(types=["silence"]))
    assert [e.user for e in silenced] == ["station"]  # audited through the command API
    assert len([r for r in caplog.records if r.name == "hmi.app.horn"]) == 1


def _fake_player(folder: Path) -> Path:
    """An `aplay` that notes each play in a file and returns at once."""
    folder.mkdir()
    log = folder / "plays.txt"
    script = folder / "aplay"
    script.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return log


def test_horn_plays_the_sound_repeatedly_until_stopped(qtbot, tmp_path, monkeypatch):
    plays = _fake_player(tmp_path / "bin")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    horn = Horn()
    assert horn.audible

    def count() -> int:
        return len(plays.read_text().splitlines()) if plays.exists() else 0

    horn.set_active(True)
    qtbot.waitUntil(lambda: count() >= 2, timeout=WAIT)
    assert plays.read_text().splitlines()[0].endswith("horn.wav")
    assert "-q" in plays.read_text()
    horn.set_active(False)
    stopped_at = count()
    qtbot.wait(900)  # longer than the gap between plays: nothing more may start
    assert count() == stopped_at
    horn.close()
