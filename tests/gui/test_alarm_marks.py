"""Every bound widget shows its tag's most urgent active alarm, on any screen."""

from __future__ import annotations

import alarm_helpers
from alarm_helpers import raise_current_hi
from gui_helpers import push

from hmi.tagvalue import TagValue
from widgets import ValueDisplay

LIVE_MS = 10_000

alarm_station = alarm_helpers.alarm_station  # the shared fixture, used by name below


def test_a_bound_widget_takes_its_tags_alarm_priority_and_loses_it_when_cleared(
    qtbot, alarm_station
):
    station = alarm_station()
    binder = station.window.binder
    display = ValueDisplay(station.window.config.tag("Line1.Current"))
    qtbot.addWidget(display)
    binder.bind(binder.screen("marks"), display, "Line1.Current")
    assert not display.property("alarmPriority")  # no alarm: no mark

    raise_current_hi(station)  # priority 2
    qtbot.waitUntil(lambda: display.property("alarmPriority") == "2", timeout=LIVE_MS)

    push(station, TagValue("Line1.Current", 1.0))  # returns: RTN unacknowledged, still shown
    # acknowledging the returned alarm clears it from the operator's view, and the mark
    future = station.host.submit(station.services.alarm_commands.ack(["Line1.Current.HI"]))
    future.result(10)
    qtbot.waitUntil(lambda: not display.property("alarmPriority"), timeout=LIVE_MS)
