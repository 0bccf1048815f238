"""The tag widgets as an operator sees them: text, quality markers, tooltips, durations."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent, QPalette
from PySide6.QtWidgets import QApplication, QToolTip

from hmi.config import TagConfig
from hmi.tagvalue import Quality, TagValue
from widgets import StateIndicator, ValueDisplay, format_duration, format_value

TS = datetime(2026, 3, 14, 9, 26, 53, 589000).timestamp()


def tag(name="Welding.Conveyor.MotorCurrent", type_="float64", units="A", fmt=".1f", **kw):
    return TagConfig(
        name=name,
        connection="sim",
        address=f"ns=2;s={name}",
        type=type_,
        units=units,
        format=fmt,
        description={"en": "Welding conveyor motor current", "zh_TW": "焊接輸送帶馬達電流"},
        **kw,
    )


@pytest.fixture
def display(qtbot) -> ValueDisplay:
    w = ValueDisplay(tag(), "Motor current")
    qtbot.addWidget(w)
    w.show()
    return w


def test_good_value_shows_formatted_number_and_units(display):
    display.set_tag_value(TagValue("Welding.Conveyor.MotorCurrent", 10.4567, source_ts=TS))
    assert display.text == "10.5"
    assert display.units_label.text() == "A"
    assert display.caption_label.text() == "Motor current"
    assert display.property("quality") == "good"
    assert not display.marker_label.isVisible()


@pytest.mark.parametrize(
    ("cfg", "value", "shown"),
    [
        (tag(type_="uint32", units="pcs", fmt=""), 1520, "1520"),
        (tag(type_="float64", fmt=""), 2.0, "2.00"),
        (tag(type_="float64", fmt=".0f"), 118.4, "118"),
        (tag(type_="bool", units="", fmt=""), True, "On"),
        (tag(type_="bool", units="", fmt=""), False, "Off"),
        (tag(type_="string", units="", fmt=""), "MTB-29", "MTB-29"),
    ],
)
def test_values_format_by_tag_type(qtbot, cfg, value, shown):
    w = ValueDisplay(cfg)
    qtbot.addWidget(w)
    w.set_tag_value(TagValue(cfg.name, value))
    assert w.text == shown


def test_a_value_the_format_cannot_take_is_still_shown():
    assert format_value("abc", tag(fmt=".1f", type_="float64")) == "abc"
    assert format_value(float("nan"), tag()) == "nan"


@pytest.mark.parametrize(
    ("quality", "value", "shown", "marker"),
    [
        (Quality.UNCERTAIN, 10.0, "10.0?", "UNCERTAIN"),
        (Quality.STALE, 10.0, "10.0?", "STALE"),
        (Quality.BAD, 10.0, "10.0", "BAD"),
        (Quality.BAD, None, "----", "BAD"),
        (Quality.DISCONNECTED, 10.0, "----", "NO COMM"),
    ],
)
def test_each_bad_quality_is_readable_without_colour(display, quality, value, shown, marker):
    display.set_tag_value(TagValue("Welding.Conveyor.MotorCurrent", 10.0, source_ts=TS))
    display.set_tag_value(TagValue("Welding.Conveyor.MotorCurrent", value, quality, TS))
    assert display.text == shown
    assert display.marker_label.isVisible()
    assert display.marker_label.text() == marker
    assert display.property("quality") == quality.value


def test_quality_markers_are_distinct():
    from widgets._quality import quality_marker

    markers = [quality_marker(q) for q in Quality if q is not Quality.GOOD]
    assert len(set(markers)) == len(markers) and all(markers)


def test_before_any_value_the_display_shows_disconnected(qtbot):
    w = ValueDisplay(tag())
    qtbot.addWidget(w)
    assert w.text == "----"
    assert w.property("quality") == "disconnected"


def test_tooltip_names_tag_description_value_quality_and_source_time(display, qtbot):
    tv = TagValue("Welding.Conveyor.MotorCurrent", 10.46, Quality.STALE, TS, reason="no update")
    display.set_tag_value(tv)
    text = display.tooltip_text()
    assert "Welding.Conveyor.MotorCurrent" in text
    assert "Welding conveyor motor current" in text
    assert "10.5 A" in text
    assert "stale (no update)" in text
    assert "2026-03-14 09:26:53.589" in text  # local time, with milliseconds
    # And the operator gets it by hovering: the tooltip is built on demand.
    QApplication.sendEvent(
        display, QHelpEvent(QEvent.Type.ToolTip, QPoint(5, 5), display.mapToGlobal(QPoint(5, 5)))
    )
    qtbot.waitUntil(lambda: "Welding.Conveyor.MotorCurrent" in QToolTip.text(), timeout=15_000)
    QToolTip.hideText()


def test_tooltip_uses_the_description_in_the_ui_language(qtbot):
    w = ValueDisplay(tag(), lang="zh_TW")
    qtbot.addWidget(w)
    w.set_tag_value(TagValue("Welding.Conveyor.MotorCurrent", 1.0, source_ts=TS))
    assert "焊接輸送帶馬達電流" in w.tooltip_text()


def test_unchanged_value_and_quality_do_not_repolish(display):
    name = "Welding.Conveyor.MotorCurrent"
    display.set_tag_value(TagValue(name, 10.0, source_ts=TS))
    polished = display.style_props.repolish_count
    for i in range(20):
        # New timestamps and digits beyond the format: nothing the operator would see.
        display.set_tag_value(TagValue(name, 10.0 + i * 0.001, source_ts=TS + i))
    assert display.style_props.repolish_count == polished
    display.set_tag_value(TagValue(name, 10.0, Quality.STALE, TS + 30))
    assert display.style_props.repolish_count == polished + 1


def test_quality_property_drives_the_theme(qtbot):
    """The descendant selectors a theme uses really apply after a quality change."""
    w = ValueDisplay(tag())
    w.setStyleSheet('ValueDisplay[quality="bad"] QLabel#value { color: rgb(1, 2, 3); }')
    qtbot.addWidget(w)
    w.show()
    w.set_tag_value(TagValue("Welding.Conveyor.MotorCurrent", 1.0))
    assert w.value_label.palette().color(QPalette.ColorRole.WindowText).getRgb()[:3] != (1, 2, 3)
    w.set_tag_value(TagValue("Welding.Conveyor.MotorCurrent", 1.0, Quality.BAD))
    assert w.value_label.palette().color(QPalette.ColorRole.WindowText).getRgb()[:3] == (1, 2, 3)


# ------------------------------------------------------------------------------ StateIndicator

STATES = {1: "Running", 2: "Idle", 3: "Down", 4: "Changeover", 5: "Planned stop"}
KINDS = {1: "running", 2: "idle", 3: "down", 4: "changeover", 5: "planned"}
REASONS = {0: "", 102: "Motor overload", 900: "Stopped by operator"}


class Clock:
    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(TS)


@pytest.fixture
def indicator(qtbot, clock) -> StateIndicator:
    w = StateIndicator(
        "Welding.State",
        "Welding.ReasonCode",
        state_texts=STATES,
        state_kinds=KINDS,
        reason_texts=REASONS,
        clock=clock,
    )
    qtbot.addWidget(w)
    w.show()
    return w


def test_state_words_reason_and_duration(indicator, clock):
    assert indicator.tags == ("Welding.State", "Welding.ReasonCode")
    indicator.set_tag_value(TagValue("Welding.State", 3, source_ts=TS - 75))
    indicator.set_tag_value(TagValue("Welding.ReasonCode", 102, source_ts=TS - 75))
    assert indicator.state_text == "Down"
    assert indicator.reason_text == "Motor overload"
    assert indicator.duration_text == "01:15"
    assert indicator.property("lineState") == "down"
    assert indicator.property("quality") == "good"
    clock.now += 60
    indicator._show_duration()  # what the one-second ticker does
    assert indicator.duration_text == "02:15"


def test_duration_ticks_while_visible(indicator, clock, qtbot):
    indicator.set_tag_value(TagValue("Welding.State", 1, source_ts=TS))
    assert indicator.duration_text == "00:00"
    clock.now += 3
    qtbot.waitUntil(lambda: indicator.duration_text == "00:03", timeout=15_000)


def test_duration_restarts_on_a_new_state_only(indicator, clock):
    indicator.set_tag_value(TagValue("Welding.State", 1, source_ts=TS - 100))
    # The same state again (e.g. after a reconnect) keeps counting from its start.
    indicator.set_tag_value(TagValue("Welding.State", 1, source_ts=TS - 10))
    assert indicator.duration_text == "01:40"
    indicator.set_tag_value(TagValue("Welding.State", 2, source_ts=TS - 5))
    indicator.set_tag_value(TagValue("Welding.ReasonCode", 900, source_ts=TS - 5))
    assert indicator.state_text == "Idle"
    assert indicator.reason_text == "Stopped by operator"
    assert indicator.duration_text == "00:05"
    assert indicator.property("lineState") == "idle"


def test_no_reason_text_for_reason_zero_and_words_for_unknown_codes(indicator):
    indicator.set_tag_value(TagValue("Welding.State", 1, source_ts=TS))
    indicator.set_tag_value(TagValue("Welding.ReasonCode", 0, source_ts=TS))
    assert indicator.state_text == "Running"
    assert indicator.reason_text == ""
    indicator.set_tag_value(TagValue("Welding.State", 9, source_ts=TS))
    indicator.set_tag_value(TagValue("Welding.ReasonCode", 777, source_ts=TS))
    assert indicator.state_text == "State 9"
    assert indicator.reason_text == "Reason 777"
    assert indicator.property("lineState") == "unknown"


def test_disconnected_state_shows_dashes_and_marker(indicator):
    indicator.set_tag_value(TagValue("Welding.State", 1, source_ts=TS))
    indicator.set_tag_value(TagValue("Welding.State", None, Quality.DISCONNECTED, TS))
    assert indicator.state_text == "----"
    assert indicator.duration_text == ""
    assert indicator.marker_label.text() == "NO COMM"
    assert indicator.property("quality") == "disconnected"
    assert indicator.property("lineState") == "unknown"


def test_unknown_state_kind_is_refused():
    with pytest.raises(ValueError, match="sleeping"):
        StateIndicator("L.State", state_texts={}, state_kinds={1: "sleeping"})


@pytest.mark.parametrize(("secs", "text"), [(0, "00:00"), (75.9, "01:15"), (3725, "1:02:05")])
def test_durations(secs, text):
    assert format_duration(secs) == text
