"""A compact list of one area's active alarms, to embed in a plant screen.

It shows what the operator must act on where they are looking (a line screen), not
the whole plant: the annunciated alarms of an area (a line) and/or tag prefix, most
urgent first. Each row reads without colour — time, "P2 High", the state word (the
same words as the alarm summary, `hmi.app.alarm_text`), the message in the UI
language, value / limit — and looks like the footer banner's rows: the theme styles
``#alarmRow`` by ``alarmPriority`` and ``blink`` ("on" | "off" while unacknowledged,
"" once acknowledged) and ``selected``. A click selects a row (again: deselects),
Acknowledge acts on the selected rows through the station's command API without
blocking (a denial is shown under the list), and a double-click or "All alarms"
opens the full alarm summary.

Data comes through the plugin API only (`ScreenContext.alarm_view`), so it works in
any plugin screen; a context without alarms shows an empty list. While its screen is
hidden it ignores changes and catches up when shown.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QHideEvent, QMouseEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from hmi.app.alarm_text import clock_time, state_word, value_limit_text
from hmi.app.context import StationAlarmView
from hmi.plugin import AlarmView, ScreenContext
from hmi.runtime.alarm_model import AlarmRecord
from hmi.runtime.alarm_states import AlarmState

log = logging.getLogger(__name__)

BLINK_MS = 500  # half a period: ~1 Hz, as the banner
MESSAGE_MS = 10_000  # how long a denial or error stays under the list
ALARMS_SCREEN = "alarms"
NO_VALUE_TYPES = frozenset({"discrete", "comm"})
"""Alarm types whose value / limit says nothing the message does not."""


def _repolish(widget: QWidget) -> None:
    """Re-apply the theme to a row and its labels (descendant selectors need both)."""
    for w in (widget, *widget.findChildren(QLabel)):
        style = w.style()
        style.unpolish(w)
        style.polish(w)
    widget.update()


def _set_prop(widget: QWidget, name: str, value: str, children: bool = False) -> None:
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    if children:
        _repolish(widget)
    else:
        style = widget.style()
        style.unpolish(widget)
        style.polish(widget)


class AlarmListRow(QFrame):
    """One alarm: time, priority, state, message, value / limit."""

    clicked = Signal(str)
    double_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, objectName="alarmRow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.alarm_id = ""
        self.unacked = False
        self.time = QLabel(self, objectName="alarmTime")
        self.priority = QLabel(self, objectName="alarmPriorityName")
        self.state = QLabel(self, objectName="alarmState")
        self.message = QLabel(self, objectName="alarmMessage")
        self.value = QLabel(self, objectName="alarmValue")
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 1, 8, 1)
        row.setSpacing(12)
        for label in (self.time, self.priority, self.state):
            row.addWidget(label)
        row.addWidget(self.message, 1)
        row.addWidget(self.value)
        self.setProperty("blink", "")
        self.setProperty("selected", "false")
        self.setProperty("alarmPriority", "")

    def set_widths(self, priority_names: list[str]) -> None:
        """Fixed columns, so messages start at the same x on every row (bold worst case)."""
        bold = self.font()
        bold.setPixelSize(15)  # the theme's row text size
        bold.setBold(True)
        m = QFontMetrics(bold)
        states = [state_word(s) for s in (AlarmState.UNACK, AlarmState.ACKED, AlarmState.RTN_UNACK)]
        self.time.setFixedWidth(m.horizontalAdvance("00:00:00") + 6)
        self.priority.setFixedWidth(max(m.horizontalAdvance(n) for n in priority_names) + 6)
        self.state.setFixedWidth(max(m.horizontalAdvance(s) for s in states) + 6)
        self.value.setMinimumWidth(m.horizontalAdvance("-1234.5 / -1234.5"))

    def show_record(self, r: AlarmRecord, priority_name: str, lang: str) -> None:
        self.alarm_id = r.alarm_id
        self.unacked = r.unacked
        self.time.setText(clock_time(r.activated_at or r.since))
        self.priority.setText(priority_name)
        self.state.setText(state_word(r.state))
        message = r.message(lang)
        self.message.setText(message)
        # A discrete alarm's value is a state code the message already explains: noise.
        analog = r.alarm_type not in NO_VALUE_TYPES
        self.value.setText(value_limit_text(r.value, r.limit) if analog else "")
        self.setToolTip(
            f"{message}\n{r.alarm_id} ({r.tag})\n"
            + QCoreApplication.translate(
                "AlarmList", "Click to select, double-click for the alarm summary"
            )
        )
        _set_prop(self, "alarmPriority", str(r.priority), children=True)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.alarm_id)
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # not a second select
        if event.button() == Qt.MouseButton.LeftButton:
            self.double_clicked.emit(self.alarm_id)


class AlarmList(QFrame):
    """The active alarms of `area` (e.g. "Welding") and/or tag `prefix`, about `rows`
    rows tall (it scrolls beyond). ``ctx`` is the screen's `hmi.plugin.ScreenContext`."""

    def __init__(
        self,
        ctx: ScreenContext,
        *,
        area: str | None = None,
        prefix: str | None = None,
        rows: int = 4,
        title: str | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent, objectName="alarmList")
        self._ctx = ctx
        self._lang = ctx.lang
        make_view = getattr(ctx, "alarm_view", None)
        self.view: AlarmView = (
            make_view(area=area, prefix=prefix, parent=self)
            if make_view is not None
            else StationAlarmView(None, area, prefix, self)  # a context without alarms
        )
        self._names = {
            p.priority: f"P{p.priority} {p.name.get(self._lang)}"
            for p in ctx.config.alarm_priorities
        }
        self.records: list[AlarmRecord] = []
        self.selected: set[str] = set()
        self.rows: list[AlarmListRow] = []
        self._phase = True
        self._stale = True

        self.title = QLabel(title or self._default_title(area, prefix), self)
        self.title.setObjectName("alarmListTitle")
        self.count = QLabel(self, objectName="alarmListCount")
        self.ack_button = QPushButton(
            QCoreApplication.translate("AlarmList", "Acknowledge"), self, objectName="alarmListAck"
        )
        self.ack_button.setToolTip(
            QCoreApplication.translate(
                "AlarmList", "Acknowledge the selected alarms (click a row to select)"
            )
        )
        self.ack_button.clicked.connect(self.acknowledge)
        self.summary_button = QPushButton(
            QCoreApplication.translate("AlarmList", "All alarms"),
            self,
            objectName="alarmListSummary",
        )
        self.summary_button.setToolTip(
            QCoreApplication.translate("AlarmList", "Open the alarm summary")
        )
        self.summary_button.clicked.connect(self.open_summary)
        head = QHBoxLayout()
        head.setSpacing(12)
        head.addWidget(self.title)
        head.addWidget(self.count)
        head.addStretch(1)
        head.addWidget(self.ack_button)
        head.addWidget(self.summary_button)

        self.quiet = QLabel(
            QCoreApplication.translate("AlarmList", "No active alarms"),
            self,
            objectName="alarmListQuiet",
        )
        body = QWidget()
        self._rows_box = QVBoxLayout(body)
        self._rows_box.setContentsMargins(0, 0, 0, 0)
        self._rows_box.setSpacing(2)
        self._rows_box.addWidget(self.quiet)
        self._rows_box.addStretch(1)
        self.scroll = QScrollArea(self, objectName="alarmListRows")
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(body)
        self._body = body
        self._probe = self._new_row()  # sizes the list before any alarm arrives
        self._probe.hide()
        self.scroll.setFixedHeight(max(1, rows) * (self._row_height() + 2))

        self.message = QLabel(self, objectName="alarmActionMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(head)
        layout.addWidget(self.scroll)
        layout.addWidget(self.message)

        self._blink = QTimer(self, interval=BLINK_MS)
        self._blink.timeout.connect(self._toggle_blink)
        self._message_timer = QTimer(self, singleShot=True, interval=MESSAGE_MS)
        self._message_timer.timeout.connect(self.message.hide)
        self.view.changed.connect(self._on_changed)
        self.refresh()

    def _default_title(self, area: str | None, prefix: str | None) -> str:
        line = next((ln for ln in self._ctx.config.lines if ln.name == area), None)
        where = line.title.get(self._lang) if line is not None else (area or prefix or "")
        return (
            QCoreApplication.translate("AlarmList", "Alarms: {where}").format(where=where)
            if where
            else QCoreApplication.translate("AlarmList", "Alarms")
        )

    def _new_row(self) -> AlarmListRow:
        row = AlarmListRow(self._body)
        row.set_widths(list(self._names.values()) or ["P1"])
        row.clicked.connect(self.select)
        row.double_clicked.connect(lambda _id: self.open_summary())
        self._rows_box.insertWidget(self._rows_box.count() - 1, row)
        return row

    def _row_height(self) -> int:
        self._probe.time.setText("00:00:00")
        self._probe.ensurePolished()
        for label in self._probe.findChildren(QLabel):
            label.ensurePolished()
        return max(self._probe.sizeHint().height(), self._probe.minimumSizeHint().height())

    # -- reading -----------------------------------------------------------------------------

    def shown_ids(self) -> list[str]:
        return [r.alarm_id for r in self.records]

    def row_of(self, alarm_id: str) -> AlarmListRow | None:
        return next((row for row in self.rows if row.alarm_id == alarm_id), None)

    @property
    def blinking(self) -> bool:
        return self._blink.isActive()

    # -- feeding -----------------------------------------------------------------------------

    def _on_changed(self) -> None:
        if self.isVisible():
            self.refresh()
        else:  # a hidden screen: catch up when shown (showEvent)
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()
        elif self._unacked_shown():
            self._blink.start()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._blink.stop()

    def refresh(self) -> None:
        """Show the view's records now."""
        self._stale = False
        self.records = self.view.records()
        while len(self.rows) < len(self.records):
            self.rows.append(self._new_row())
        for row, r in zip(self.rows, self.records, strict=False):
            row.show_record(r, self._names.get(r.priority, f"P{r.priority}"), self._lang)
            row.show()
        for row in self.rows[len(self.records) :]:
            row.hide()
            row.alarm_id = ""
        self.selected &= set(self.shown_ids())
        self.quiet.setVisible(not self.records)
        self._mark()
        unacked = sum(1 for r in self.records if r.unacked)
        self.count.setText(
            QCoreApplication.translate("AlarmList", "{n} active, {u} unacknowledged").format(
                n=len(self.records), u=unacked
            )
            if self.records
            else ""
        )
        if unacked and not self._blink.isActive():
            self._phase = True
            self._blink.start()
        elif not unacked:
            self._blink.stop()
        self._update_button()

    def _mark(self) -> None:
        """Blink and selection properties of every shown row."""
        for row in self.rows[: len(self.records)]:
            blink = ("on" if self._phase else "off") if row.unacked else ""
            _set_prop(row, "blink", blink, children=True)
            _set_prop(row, "selected", "true" if row.alarm_id in self.selected else "false")

    def _toggle_blink(self) -> None:
        self._phase = not self._phase
        self._mark()

    def _unacked_shown(self) -> bool:
        return any(r.unacked for r in self.records)

    def _update_button(self) -> None:
        self.ack_button.setEnabled(
            any(r.unacked and r.alarm_id in self.selected for r in self.records)
        )

    # -- actions -----------------------------------------------------------------------------

    def select(self, alarm_id: str) -> None:
        """Select a row for Acknowledge; selecting it again deselects it."""
        if alarm_id in self.selected:
            self.selected.discard(alarm_id)
        elif alarm_id in self.shown_ids():
            self.selected.add(alarm_id)
        self._mark()
        self._update_button()

    def acknowledge(self) -> None:
        """Acknowledge the selected unacknowledged alarms (non-blocking)."""
        ids = [r.alarm_id for r in self.records if r.unacked and r.alarm_id in self.selected]
        if ids:
            self.view.ack(ids, None, self._report)

    def open_summary(self) -> None:
        try:
            self._ctx.open_screen(ALARMS_SCREEN)
        except (KeyError, RuntimeError) as exc:  # a station without that screen
            log.warning("cannot open the alarm summary: %s", exc)

    def _report(self, result: Any) -> None:
        if result.ok:
            self.selected.clear()
            self._mark()
            self._update_button()
            self.message.hide()
            return
        text = result.message
        if result.status == "denied":
            text = QCoreApplication.translate("AlarmList", "Not allowed: {why}").format(
                why=result.message
            )
        self.message.setText(text)
        _set_prop(self.message, "messageKind", result.status)
        self.message.show()
        self._message_timer.start()
