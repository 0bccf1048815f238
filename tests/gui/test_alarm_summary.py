"""The active alarm summary screen on a real station: list, filter, acknowledge, shelve."""

from __future__ import annotations

import alarm_helpers
from alarm_helpers import CURRENT_HI, SPEED_LO, raise_current_hi
from gui_helpers import push
from PySide6.QtCore import Qt

from hmi.runtime.alarm_states import AlarmState
from hmi.store.queries import EventFilter, fetch_events
from hmi.tagvalue import TagValue
from screens.alarm_models import MESSAGE, PRIORITY, STATE
from screens.alarm_summary import AlarmSummaryScreen

alarm_station = alarm_helpers.alarm_station  # the shared fixture, used by name below

WAIT = 10_000


def _summary(station) -> AlarmSummaryScreen:
    screen = station.window.show_screen("alarms")
    assert isinstance(screen, AlarmSummaryScreen)
    return screen


def _cell(screen: AlarmSummaryScreen, row: int, column: int) -> str:
    return screen.filter.index(row, column).data()


def test_a_value_crossing_hi_is_listed_with_its_state_in_words(qtbot, alarm_station):
    station = alarm_station()
    qtbot.addWidget(station.window)
    screen = _summary(station)
    assert screen.filter.rowCount() == 0

    raise_current_hi(station)
    qtbot.waitUntil(lambda: screen.filter.rowCount() == 1, timeout=WAIT)
    assert _cell(screen, 0, MESSAGE) == "Line 1 motor current high"
    assert _cell(screen, 0, STATE) == "Unacknowledged"
    assert _cell(screen, 0, PRIORITY).startswith("2")
    assert screen.tabs.tabText(0) == "Active (1)"


def test_filters_narrow_by_priority_state_and_text(qtbot, alarm_station):
    station = alarm_station()
    screen = _summary(station)
    push(station, TagValue("Line1.Current", 12.0), TagValue("Line1.Speed", 1.0))
    qtbot.waitUntil(lambda: screen.filter.rowCount() == 2, timeout=WAIT)

    screen.priority_filter.setCurrentIndex(screen.priority_filter.findData(3))
    assert [r.alarm_id for r in screen.filter.visible_records()] == [SPEED_LO]
    screen.priority_filter.setCurrentIndex(0)
    screen.text_filter.setText("current")
    assert [r.alarm_id for r in screen.filter.visible_records()] == [CURRENT_HI]
    screen.text_filter.clear()
    screen.state_filter.setCurrentIndex(screen.state_filter.findData("acked"))
    assert screen.filter.rowCount() == 0
    screen.state_filter.setCurrentIndex(0)
    screen.view.sortByColumn(PRIORITY, Qt.SortOrder.DescendingOrder)
    assert [r.alarm_id for r in screen.filter.visible_records()] == [SPEED_LO, CURRENT_HI]


def test_acknowledge_with_a_comment_is_journaled_with_the_user(qtbot, alarm_station):
    station = alarm_station()
    screen = _summary(station)
    banner = station.window.alarm_banner
    raise_current_hi(station)
    qtbot.waitUntil(lambda: screen.filter.rowCount() == 1, timeout=WAIT)
    assert banner.blinking

    assert screen.select_alarm(CURRENT_HI)
    screen.comment.setText("motor checked, load normal")
    qtbot.mouseClick(screen.ack_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.message.text() == "Acknowledged.", timeout=WAIT)

    acks = fetch_events(station.services.store.engine, EventFilter(types=["acknowledged"]))
    assert [(e.source, e.user, e.comment) for e in acks] == [
        ("Line1.Current", "station", "motor checked, load normal")
    ]
    assert _cell(screen, 0, STATE) == "Acknowledged"
    assert screen.comment.text() == ""
    qtbot.waitUntil(lambda: not banner.blinking, timeout=WAIT)


def test_acknowledge_all_visible_acks_only_the_filtered_rows(qtbot, alarm_station):
    station = alarm_station()
    screen = _summary(station)
    push(station, TagValue("Line1.Current", 12.0), TagValue("Line1.Speed", 1.0))
    qtbot.waitUntil(lambda: screen.filter.rowCount() == 2, timeout=WAIT)
    screen.priority_filter.setCurrentIndex(screen.priority_filter.findData(3))
    qtbot.mouseClick(screen.ack_all_button, Qt.MouseButton.LeftButton)
    engine = station.services.alarms
    qtbot.waitUntil(lambda: engine.state_of(SPEED_LO) is AlarmState.ACKED, timeout=WAIT)
    assert engine.state_of(CURRENT_HI) is AlarmState.UNACK


def test_a_viewer_sees_the_denial_and_the_alarm_stays_unacknowledged(qtbot, alarm_station):
    station = alarm_station(viewer=True)
    screen = _summary(station)
    raise_current_hi(station)
    qtbot.waitUntil(lambda: screen.filter.rowCount() == 1, timeout=WAIT)

    screen.select_alarm(CURRENT_HI)
    qtbot.mouseClick(screen.ack_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.message.isVisibleTo(screen), timeout=WAIT)
    assert screen.message.text().startswith("Not allowed:")
    assert "viewer" in screen.message.text() or "permission" in screen.message.text().lower()
    assert station.services.alarms.state_of(CURRENT_HI) is AlarmState.UNACK
    assert _cell(screen, 0, STATE) == "Unacknowledged"
    acks = fetch_events(station.services.store.engine, EventFilter(types=["acknowledged"]))
    assert acks == []


def test_shelve_needs_a_reason_and_moves_the_alarm_to_the_shelved_list(qtbot, alarm_station):
    station = alarm_station()
    screen = _summary(station)
    raise_current_hi(station)
    qtbot.waitUntil(lambda: screen.filter.rowCount() == 1, timeout=WAIT)
    screen.select_alarm(CURRENT_HI)

    dialog = screen.open_shelve_dialog()
    assert dialog is not None
    assert not dialog.ok_button.isEnabled()  # no reason yet
    dialog.accept()  # Enter without a reason does nothing
    assert dialog.isVisible()
    dialog.duration.setCurrentIndex(dialog.duration.findData(3600))
    dialog.reason.setText("sensor being recalibrated")
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    alarms = station.services.alarms
    qtbot.waitUntil(lambda: screen.message.text() == "Shelved.", timeout=WAIT)  # journaled
    assert alarms.state_of(CURRENT_HI) is AlarmState.SHELVED
    qtbot.waitUntil(lambda: screen.filter.rowCount() == 0, timeout=WAIT)  # gone from Active
    assert screen.tabs.tabText(1) == "Shelved (1)"
    screen.show_view("shelved")
    assert [r.alarm_id for r in screen.filter.visible_records()] == [CURRENT_HI]
    record = alarms.record(CURRENT_HI)
    assert record.shelve_reason == "sensor being recalibrated"
    assert 3590 < record.shelved_until - record.since <= 3600
    shelved = fetch_events(station.services.store.engine, EventFilter(types=["shelved"]))
    assert [(e.user, e.comment) for e in shelved] == [("station", "sensor being recalibrated")]

    screen.select_alarm(CURRENT_HI)
    qtbot.mouseClick(screen.unshelve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: alarms.state_of(CURRENT_HI) is AlarmState.UNACK, timeout=WAIT)
    screen.show_view("active")
    qtbot.waitUntil(lambda: screen.filter.rowCount() == 1, timeout=WAIT)


def test_a_refused_action_is_shown_not_raised(qtbot, alarm_station):
    station = alarm_station()
    screen = _summary(station)
    raise_current_hi(station)
    qtbot.waitUntil(lambda: screen.filter.rowCount() == 1, timeout=WAIT)
    station.alarms.shelve(CURRENT_HI, 600, "   ", screen._report)  # blank reason
    qtbot.waitUntil(lambda: screen.message.isVisibleTo(screen), timeout=WAIT)
    assert screen.message.text() == "Not done: shelving needs a reason"
    assert station.services.alarms.state_of(CURRENT_HI) is AlarmState.UNACK


def test_trend_opens_the_tags_trend_and_history_opens_for_a_tag(qtbot, alarm_station):
    station = alarm_station()
    screen = _summary(station)
    raise_current_hi(station)
    qtbot.waitUntil(lambda: screen.filter.rowCount() == 1, timeout=WAIT)
    screen.select_alarm(CURRENT_HI)
    with qtbot.waitSignal(screen.trend_requested, timeout=WAIT) as signal:
        qtbot.mouseClick(screen.trend_button, Qt.MouseButton.LeftButton)
    assert signal.args == ["Line1.Current"]
    assert station.window.current_screen.startswith("trends")  # the trend of that tag

    history = station.window.open_screen("alarm_history", tag="Line1.Current")
    assert history.tag_filter.text() == "Line1.Current"


def test_the_alarm_gui_speaks_traditional_chinese(qtbot, alarm_station):
    station = alarm_station(lang="zh_TW")
    banner = station.window.alarm_banner
    assert banner.text() == "無作用中警報"
    assert banner.ack_button.text() == "確認"
    screen = _summary(station)
    raise_current_hi(station)
    qtbot.waitUntil(lambda: screen.filter.rowCount() == 1, timeout=WAIT)
    assert _cell(screen, 0, STATE) == "未確認"
    assert _cell(screen, 0, MESSAGE) == "一號線馬達電流偏高"  # the config's zh-TW message
    assert screen.tabs.tabText(0) == "作用中（1）"
    qtbot.waitUntil(lambda: banner.text() == "一號線馬達電流偏高", timeout=WAIT)


def test_on_a_1280_panel_the_message_comes_third_and_stays_readable(qtbot, alarm_station):
    """The message is what an operator reads: right after time and priority, never
    squeezed to a few letters; the engineering columns (area, tag) scroll off instead."""
    from screens.alarm_models import AREA, TAG, TIME

    station = alarm_station()
    station.window.resize(1280, 800)
    screen = _summary(station)
    header = screen.view.horizontalHeader()
    assert [header.logicalIndex(i) for i in range(3)] == [TIME, PRIORITY, MESSAGE]
    assert header.visualIndex(TAG) > header.visualIndex(AREA) > header.visualIndex(STATE)
    qtbot.waitUntil(lambda: header.sectionSize(MESSAGE) >= screen.message_min_px, timeout=WAIT)
    wide = screen.view.fontMetrics().horizontalAdvance("Line 1 motor current high")
    assert header.sectionSize(MESSAGE) > wide
