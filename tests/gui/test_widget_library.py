"""The widget library as an operator sees it: values, quality markers, alarms, writes, clicks."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

import widgets._dialogs
from hmi.config import TagConfig
from hmi.drivers.base import WriteResult
from hmi.tagvalue import Quality, TagValue
from widgets import (
    ISA101,
    AnalogBar,
    AnalogRange,
    CommandButton,
    Conveyor,
    Indicator,
    Motor,
    MultiStateLabel,
    RadialGauge,
    SetpointEntry,
    Sparkline,
    Tank,
    Valve,
    priority_for_tag,
)
from widgets._quality import quality_marker
from widgets.context_menu import build_tag_menu

TS = datetime(2026, 3, 14, 9, 26, 53, 589000).timestamp()
NOT_GOOD = (Quality.UNCERTAIN, Quality.STALE, Quality.BAD, Quality.DISCONNECTED)


def cfg(name: str, type_: str = "float64", units: str = "", fmt: str = ".1f", **kw) -> TagConfig:
    return TagConfig(
        name=name, connection="plc", address=f"ns=2;s={name}", type=type_, units=units,
        format=fmt, **kw,
    )  # fmt: skip


SPEED = cfg("Line1.Speed", units="m/min", writable=True, description={"en": "Belt speed"})
RUN = cfg("Line1.Running", type_="bool", fmt="")
MODE = cfg("Line1.Mode", type_="uint16", fmt="")
LEVEL = cfg("Line1.Level", units="%", fmt=".0f")
CMD = cfg("Line1.StartCmd", type_="bool", fmt="", writable=True)


class Writes:
    """Stands in for ScreenContext.write: records, and answers as the runtime would."""

    def __init__(self, ok: bool = True, error: str = ""):
        self.calls: list[tuple[str, Any]] = []
        self.ok = ok
        self.error = error

    def __call__(self, tag: str, value: Any, on_done=None) -> None:
        self.calls.append((tag, value))
        if on_done is not None:
            on_done(WriteResult(tag, self.ok, value if self.ok else None, self.error))


# Every tag widget: how to build it, a good value, and what it then shows.
FACTORIES = {
    "indicator": (lambda: Indicator(RUN, texts={True: "Running", False: "Stopped"}), True),
    "multistate": (lambda: MultiStateLabel(MODE, texts={2: "Auto"}, abnormal={3}), 2),
    "bar": (lambda: AnalogBar(SPEED, "Speed", minimum=0, maximum=80, normal=(30, 50)), 42.46),
    "vbar": (
        lambda: AnalogBar(SPEED, "Speed", orientation=Qt.Orientation.Vertical, maximum=80),
        42.46,
    ),
    "gauge": (lambda: RadialGauge(SPEED, "Speed", maximum=80, normal=(30, 50)), 42.46),
    "sparkline": (lambda: Sparkline(SPEED, "Speed"), 42.46),
    "setpoint": (lambda: SetpointEntry(SPEED, "Speed SP", write=Writes(), maximum=60), 42.46),
    "button": (lambda: CommandButton("Start", tag=CMD.name, value=True, write=Writes()), True),
    "motor": (lambda: Motor(RUN, "M1", instance="Line1.M1"), True),
    "valve": (lambda: Valve(RUN, "XV1", instance="Line1.XV1"), True),
    "tank": (lambda: Tank(LEVEL, "T1", instance="Line1.T1"), 64.2),
    "conveyor": (lambda: Conveyor(RUN, "CV1", instance="Line1.CV1"), True),
}
GOOD_TEXT = {
    "indicator": "Running",
    "multistate": "Auto",
    "bar": "42.5",
    "vbar": "42.5",
    "gauge": "42.5",
    "sparkline": "42.5",
    "setpoint": "42.5",
    "tank": "64",
}


def make(qtbot, kind: str) -> QWidget:
    factory, _ = FACTORIES[kind]
    w = factory()
    qtbot.addWidget(w)
    w.resize(w.sizeHint())
    w.show()
    return w


def feed(w: QWidget, value: Any, quality: Quality = Quality.GOOD, reason: str = "") -> None:
    w.set_tag_value(TagValue(w.core.tag, value, quality, TS, TS, reason))


def marker_of(w: QWidget) -> str:
    """The quality word the operator sees on the widget ("" when none is shown)."""
    label = getattr(w, "marker_label", None)
    if label is not None:
        return label.text() if label.isVisibleTo(w) else ""
    return w.quality_text


def shown_text(w: QWidget) -> str:
    return w.text


@pytest.mark.parametrize("kind", FACTORIES)
def test_good_value_is_shown_without_marker(qtbot, kind):
    w = make(qtbot, kind)
    feed(w, FACTORIES[kind][1])
    assert w.property("quality") == "good"
    assert marker_of(w) == ""
    if kind in GOOD_TEXT:
        assert shown_text(w) == GOOD_TEXT[kind]
    if kind in ("motor", "valve", "conveyor"):
        assert w.active is True
    if kind == "button":
        assert w.button.isEnabled()
    assert not w.grab().isNull()  # paints without error


@pytest.mark.parametrize("kind", FACTORIES)
@pytest.mark.parametrize("quality", NOT_GOOD)
def test_each_bad_quality_sets_property_and_shows_its_word(qtbot, kind, quality):
    w = make(qtbot, kind)
    feed(w, FACTORIES[kind][1])
    feed(w, FACTORIES[kind][1], quality, "device says so")
    assert w.property("quality") == quality.value
    assert marker_of(w) == quality_marker(quality) != ""
    if kind in GOOD_TEXT:
        text = shown_text(w)
        if quality is Quality.DISCONNECTED:
            assert text == "----"  # no connection: no number pretending to be current
        elif quality in (Quality.UNCERTAIN, Quality.STALE):
            assert text.endswith("?")
    assert not w.grab().isNull()


@pytest.mark.parametrize("kind", FACTORIES)
def test_alarm_priority_sets_the_property(qtbot, kind):
    w = make(qtbot, kind)
    feed(w, FACTORIES[kind][1])
    for p in (1, 2, 3, 4):
        w.set_alarm_priority(p)
        assert w.property("alarmPriority") == str(p)
        assert w.alarm_priority == p
        assert not w.grab().isNull()
    w.set_alarm_priority(None)
    assert w.property("alarmPriority") == ""
    w.set_alarm_priority(7)  # not a priority: treated as none, not a crash
    assert w.property("alarmPriority") == ""


@pytest.mark.parametrize("kind", FACTORIES)
@pytest.mark.parametrize("garbage", [None, "abc", math.nan, math.inf, -1e308, [1, 2], object()])
def test_garbage_values_do_not_raise(qtbot, kind, garbage):
    w = make(qtbot, kind)
    feed(w, garbage)
    feed(w, garbage, Quality.BAD)
    assert not w.grab().isNull()
    w.set_tag_value("not a TagValue")  # type: ignore[arg-type]
    assert w.property("quality") == "bad"
    assert not w.grab().isNull()


@pytest.mark.parametrize("kind", ["bar", "gauge", "motor", "tank", "sparkline"])
def test_painted_widget_repaints_only_on_visible_change(qtbot, kind):
    w = make(qtbot, kind)
    feed(w, FACTORIES[kind][1])
    updates, polishes = w.update_count, w.core.style.repolish_count
    feed(w, FACTORIES[kind][1])
    assert (w.update_count, w.core.style.repolish_count) == (updates, polishes)


def test_bar_marks_out_of_normal_without_colour(qtbot):
    w = make(qtbot, "bar")
    feed(w, 40.0)
    assert w.range_state == "normal" and w.property("rangeState") == "normal"
    feed(w, 55.0)
    assert w.range_state == "high" and w.property("rangeState") == "high"
    feed(w, 10.0)
    assert w.range_state == "low"
    before = w.update_count
    feed(w, 10.0001)  # less than a pixel: nothing to repaint
    assert w.update_count == before


def test_analog_range_takes_the_tags_engineering_range():
    scaled = cfg(
        "Line1.Pressure",
        scale={"raw_min": 0, "raw_max": 27648, "eng_min": -1, "eng_max": 10},
    )
    rng = AnalogRange.for_tag(scaled)
    assert (rng.minimum, rng.maximum) == (-1.0, 10.0)
    with pytest.raises(ValueError, match="must be above"):
        AnalogRange(5, 5)


def test_indicator_maps_codes_to_words_and_abnormal(qtbot):
    w = make(qtbot, "multistate")
    feed(w, 3)
    assert w.text == "State 3"
    assert w.property("indicatorState") == "abnormal"
    feed(w, 2.0)
    assert w.text == "Auto" and w.property("indicatorState") == "on"
    feed(w, 0)
    assert w.property("indicatorState") == "off"
    feed(w, None, Quality.DISCONNECTED)
    assert w.text == "----" and w.property("indicatorState") == "unknown"


def test_tooltip_tells_tag_value_quality_time_and_alarm(qtbot):
    w = make(qtbot, "gauge")
    feed(w, 42.46, Quality.STALE, "no update for 10 s")
    w.set_alarm_priority(2)
    tip = w.tooltip_text()
    assert "Tag: Line1.Speed" in tip
    assert "Belt speed" in tip
    assert "Value: 42.5 m/min" in tip
    assert "Quality: stale (no update for 10 s)" in tip
    assert "Source time: 2026-03-14 09:26:53.589" in tip
    assert "priority 2" in tip


class Actions:
    def __init__(self):
        self.asked: list[tuple[str, str]] = []

    def trend(self, tag):
        self.asked.append(("trend", tag))

    def alarm_history(self, tag):
        self.asked.append(("history", tag))

    def faceplate(self, instance):
        self.asked.append(("faceplate", instance))


def test_context_menu_requests_through_tag_actions(qtbot):
    actions = Actions()
    w = Motor(RUN, "M1", instance="Line1.M1", actions=actions)
    qtbot.addWidget(w)
    w.show()
    at = QPoint(5, 5)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, at, w.mapToGlobal(at))
    QApplication.sendEvent(w, event)
    menu = w.core.menu
    assert menu is not None
    entries = {a.objectName(): a for a in menu.actions()}
    assert [a.text() for a in menu.actions()] == [
        "Trend this tag",
        "Alarm history of this tag",
        "Faceplate",
    ]
    for name in ("trend", "alarmHistory", "faceplate"):
        entries[name].trigger()
    assert actions.asked == [
        ("trend", "Line1.Running"),
        ("history", "Line1.Running"),
        ("faceplate", "Line1.M1"),
    ]
    menu.close()


def test_context_menu_without_actions_is_disabled(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    menu = build_tag_menu(parent, "Line1.Speed", "", None)
    assert [a.isEnabled() for a in menu.actions()] == [False, False, False]


# -- setpoint entry -------------------------------------------------------------------------------


@pytest.fixture
def confirmations(monkeypatch):
    """Replace the Yes/No box: record each question, answer `answer`."""

    class Confirm:
        def __init__(self):
            self.answer = True
            self.asked: list[tuple[str, str]] = []

        def __call__(self, parent, title, question):
            self.asked.append((title, question))
            return self.answer

    confirm = Confirm()
    monkeypatch.setattr(widgets._dialogs, "confirm", confirm)
    return confirm


def setpoint(qtbot, writes: Writes, **kw) -> SetpointEntry:
    w = SetpointEntry(SPEED, "Speed SP", write=writes, **kw)
    qtbot.addWidget(w)
    w.show()
    feed(w, 42.46)
    return w


def test_setpoint_refuses_out_of_limit_values(qtbot, confirmations):
    writes = Writes()
    w = setpoint(qtbot, writes, minimum=0, maximum=60)
    for text in ("61", "-0.5", "abc", "nan", ""):
        w.editor.setText(text)
        assert w.apply() is False
        assert w.status_label.isVisibleTo(w)
        assert w.property("entryState") == "error"
    w.editor.setText("61")
    w.apply()
    assert w.status_text == "Out of limits: allowed 0 … 60"
    assert writes.calls == [] and confirmations.asked == []


def test_setpoint_confirms_old_to_new_then_writes(qtbot, confirmations):
    writes = Writes()
    w = setpoint(qtbot, writes, minimum=0, maximum=60)
    w.editor.setText("45")
    qtbot.mouseClick(w.apply_button, Qt.MouseButton.LeftButton)
    assert confirmations.asked == [
        ("Change setpoint", "Change Speed SP from 42.5 m/min to 45.0 m/min?")
    ]
    assert writes.calls == [("Line1.Speed", 45.0)]
    assert w.editor.text() == "" and w.status_text == ""


def test_setpoint_declined_writes_nothing_and_failure_is_shown(qtbot, confirmations):
    writes = Writes(ok=False, error="device refused")
    w = setpoint(qtbot, writes, maximum=60)
    confirmations.answer = False
    w.editor.setText("50")
    assert w.apply() is False
    assert writes.calls == []
    confirmations.answer = True
    assert w.apply() is True
    assert writes.calls == [("Line1.Speed", 50.0)]
    assert w.status_text == "Write failed: device refused"


def test_setpoint_limits_come_from_the_tag_scale(qtbot, confirmations):
    scaled = cfg(
        "Line1.Temp",
        writable=True,
        scale={"raw_min": 0, "raw_max": 1000, "eng_min": 10, "eng_max": 90},
    )
    writes = Writes()
    w = SetpointEntry(scaled, write=writes)
    qtbot.addWidget(w)
    feed(w, 20.0)
    w.editor.setText("95")
    assert w.apply() is False
    w.editor.setText("90")
    assert w.apply() is True
    assert writes.calls == [("Line1.Temp", 90.0)]


def test_setpoint_integer_tag_refuses_fractions(qtbot, confirmations):
    count = cfg("Line1.Batch", type_="uint16", fmt="", writable=True)
    writes = Writes()
    w = SetpointEntry(count, write=writes, maximum=100)
    qtbot.addWidget(w)
    feed(w, 10)
    w.editor.setText("12.5")
    assert w.apply() is False
    w.editor.setText("12")
    assert w.apply() is True
    assert writes.calls == [("Line1.Batch", 12)] and isinstance(writes.calls[0][1], int)


@pytest.mark.parametrize(
    "how",
    [{"can_write": lambda tag: False}, {"writable": False}, {"can_write": lambda tag: 1 / 0}],
)
def test_setpoint_is_disabled_without_permission(qtbot, confirmations, how):
    writes = Writes()
    w = setpoint(qtbot, writes, maximum=60, **how)
    assert not w.editor.isEnabled() and not w.apply_button.isEnabled()
    assert "permission" in w.editor.toolTip()
    w.editor.setText("45")
    assert w.apply() is False
    assert writes.calls == [] and confirmations.asked == []


def test_setpoint_permission_follows_the_context(qtbot, confirmations):
    w = setpoint(qtbot, Writes(), maximum=60)
    assert w.editor.isEnabled()
    w.writable = False
    assert not w.editor.isEnabled()
    w.writable = True
    assert w.editor.isEnabled()
    feed(w, 42.0, Quality.DISCONNECTED)
    assert not w.apply_button.isEnabled()


def test_setpoint_of_a_read_only_tag_is_disabled(qtbot):
    w = SetpointEntry(cfg("Line1.Ro"), write=Writes())
    qtbot.addWidget(w)
    feed(w, 1.0)
    assert not w.editor.isEnabled()


# -- command button -------------------------------------------------------------------------------


def test_push_button_confirms_then_writes(qtbot, confirmations):
    writes = Writes()
    w = CommandButton("Start", tag=CMD.name, value=True, write=writes, config=CMD)
    qtbot.addWidget(w)
    w.show()
    confirmations.answer = False
    qtbot.mouseClick(w.button, Qt.MouseButton.LeftButton)
    assert writes.calls == []
    confirmations.answer = True
    qtbot.mouseClick(w.button, Qt.MouseButton.LeftButton)
    assert writes.calls == [("Line1.StartCmd", True)]
    assert confirmations.asked[-1] == ("Start", "Start: send the command to Line1.StartCmd?")


def test_push_button_failure_is_shown_and_permission_disables(qtbot, confirmations):
    writes = Writes(ok=False, error="interlock")
    w = CommandButton("Start", tag=CMD.name, value=True, write=writes, can_write=lambda t: True)
    qtbot.addWidget(w)
    assert w.press() is True
    assert w.status_text == "Command failed: interlock"
    w.writable = False
    assert not w.button.isEnabled()
    assert w.press() is False
    assert len(writes.calls) == 1


# -- symbols --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["motor", "valve", "tank", "conveyor"])
def test_symbols_emit_clicked_with_their_instance(qtbot, kind):
    w = make(qtbot, kind)
    with qtbot.waitSignal(w.clicked, timeout=15_000) as blocker:
        qtbot.mouseClick(w, Qt.MouseButton.LeftButton, pos=w.rect().center())
    assert blocker.args == [w.instance]
    assert w.instance.startswith("Line1.")
    with qtbot.waitSignal(w.clicked, timeout=15_000) as blocker:
        qtbot.keyClick(w, Qt.Key.Key_Space)
    assert blocker.args == [w.instance]


def test_symbol_without_instance_reports_its_tag(qtbot):
    w = Motor(RUN)
    qtbot.addWidget(w)
    assert w.instance == "Line1.Running"


def test_motor_running_and_stopped_differ(qtbot):
    w = make(qtbot, "motor")
    feed(w, True)
    running = w.grab().toImage()
    feed(w, False)
    assert w.active is False
    assert w.grab().toImage() != running


# -- alarm and palette helpers --------------------------------------------------------------------


class Rec:
    def __init__(self, tag, priority, state="unack"):
        self.tag, self.priority, self.state = tag, priority, state


def test_priority_for_tag_picks_the_most_urgent_shown_alarm():
    records = [Rec("A", 3), Rec("A", 2, "acked"), Rec("A", 1, "shelved"), Rec("B", 1)]
    assert priority_for_tag(records, "A") == 2
    assert priority_for_tag(records, "C") is None


def test_palette_takes_the_plants_priority_colours():
    class P:
        priority, color = 1, "#FF00FF"

    custom = ISA101.with_priorities([P()])
    assert custom.alarm_color(1).name() == "#ff00ff"
    assert ISA101.alarm_color(1).name() == "#e0201b"  # the default is not changed


def test_hovering_any_part_shows_the_tooltip(qtbot):
    w = Indicator(RUN, texts={True: "Running"})
    qtbot.addWidget(w)
    w.show()
    feed(w, True)
    at = QPoint(2, 2)
    child = w.state_label
    event = QHelpEvent(QEvent.Type.ToolTip, at, child.mapToGlobal(at))
    QApplication.sendEvent(child, event)  # unhandled by the label: it reaches the widget
    qtbot.waitUntil(QToolTip.isVisible, timeout=15_000)
    assert QToolTip.text() == w.tooltip_text()
    assert "Value: Running" in QToolTip.text()
    QToolTip.hideText()
