"""The downtime list of the OEE line detail: one line's stops, newest first.

A table of the period's stops (start, duration, state, the PLC's reason, the
operator's reason and who gave it), its "Downtime" heading, the Assign-reason
button, the micro-stops filter and a message line for the outcome. It only shows:
the screen hands it the stops with `set_events`, hears `assign_requested` when the
operator asks to give the selected stop a reason, and reports the command's answer
with `say`. Kept apart so the screen's layout code and the list's rows don't mix.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hmi.cli_oee import duration
from hmi.runtime.oee_calc import DowntimeEvent
from screens.oee_dashboard import tr
from widgets.oee_card import STATE_STYLE, state_text

TABLE_ROWS = 4  # the downtime list shows at least this many stops before it scrolls
EVENT_COLUMNS = (
    QT_TRANSLATE_NOOP("OeeScreens", "Start"),
    QT_TRANSLATE_NOOP("OeeScreens", "Duration"),
    QT_TRANSLATE_NOOP("OeeScreens", "State"),
    QT_TRANSLATE_NOOP("OeeScreens", "PLC reason"),
    QT_TRANSLATE_NOOP("OeeScreens", "Assigned reason"),
    QT_TRANSLATE_NOOP("OeeScreens", "User"),
)


def auto_text(e: DowntimeEvent, reasons: dict[int, str]) -> str:
    """The PLC's reason of a stop, by name ("" when it gave none)."""
    return reasons.get(e.auto_reason, str(e.auto_reason)) if e.auto_reason else ""


def assigned_text(e: DowntimeEvent, reasons: dict[int, str]) -> str:
    """The operator's reason(s) of a stop; a split one lists each part with its time."""
    if not e.parts:
        return ""
    if len(e.parts) == 1:
        return reasons.get(e.parts[0].reason, str(e.parts[0].reason))
    return ", ".join(
        f"{reasons.get(p.reason, str(p.reason))} {duration(p.seconds)}" for p in e.parts
    )


class _MessageLabel(QLabel):
    """A wrapped message whose height the layout gives it: a long text never asks
    for more (which would make the whole screen scroll); the tooltip has it all."""

    def hasHeightForWidth(self) -> bool:
        return False


class DowntimePanel(QWidget):
    """See the module docstring."""

    assign_requested = Signal(object)  # the selected DowntimeEvent

    def __init__(self, reasons: dict[int, str], zone: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("oeeEventsBox")
        self._reasons = reasons
        self._zone = zone
        self._events: list[DowntimeEvent] | None = None  # None: nothing loaded
        self._shown_events: list[DowntimeEvent] = []

        self.events_table = QTableWidget(0, len(EVENT_COLUMNS), self)
        self.events_table.setObjectName("oeeEvents")
        self.events_table.setHorizontalHeaderLabels([tr(c) for c in EVENT_COLUMNS])
        self.events_table.verticalHeader().setVisible(False)
        self.events_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.events_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.events_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        head = self.events_table.horizontalHeader()
        for c in range(len(EVENT_COLUMNS)):
            mode = (
                QHeaderView.ResizeMode.Stretch
                if c in (3, 4)
                else QHeaderView.ResizeMode.ResizeToContents
            )
            head.setSectionResizeMode(c, mode)
        self.events_table.doubleClicked.connect(lambda _i: self._request_assign())
        self.events_table.itemSelectionChanged.connect(self._selection_changed)
        self.assign_button = QPushButton(
            QCoreApplication.translate("OeeScreens", "Assign reason…"), self
        )
        self.assign_button.setEnabled(False)
        self.assign_button.clicked.connect(lambda: self._request_assign())
        self.micro_box = QCheckBox(
            QCoreApplication.translate("OeeScreens", "Show micro-stops"), self
        )
        self.micro_box.toggled.connect(lambda _: self._show_events())
        self.message = _MessageLabel("", self)
        self.message.setObjectName("oeeMessage")
        self.message.setProperty("messageKind", "")
        self.message.setWordWrap(True)
        # Beside the list: a long refusal wraps but never makes the screen taller (the
        # whole text is also its tooltip).
        self.message.setFixedWidth(max(240, self.assign_button.sizeHint().width()))
        self.message.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Ignored)
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # No box: the list's own header frames it; its heading and actions stand
        # beside it, so the list's height is all stops.
        heading = QLabel(QCoreApplication.translate("OeeScreens", "Downtime"), self)
        heading.setObjectName("oeeSection")
        el = QHBoxLayout(self)
        el.setContentsMargins(0, 0, 0, 0)
        el.setSpacing(12)
        el.addWidget(self.events_table, 1)
        side = QVBoxLayout()
        side.setSpacing(6)
        side.addWidget(heading)
        side.addWidget(self.assign_button)
        side.addWidget(self.micro_box)
        side.addWidget(self.message, 1)
        el.addLayout(side)
        self._fit_table_rows()

    # -- what the screen drives --------------------------------------------------------------

    def set_events(self, events: list[DowntimeEvent]) -> None:
        """Show these stops (micro-stops only when asked); the selected stop stays selected."""
        self._events = list(events)
        self._show_events()

    def clear(self) -> None:
        """Empty the list until the next `set_events` (another line was chosen)."""
        self._events = None
        self.events_table.setRowCount(0)

    def say(self, text: str, kind: str) -> None:
        """Show an outcome on the message line; `kind` ("", "ok", "error") styles it."""
        self.message.setText(text)
        self.message.setToolTip(text)
        if self.message.property("messageKind") != kind:
            self.message.setProperty("messageKind", kind)
            self.message.style().unpolish(self.message)
            self.message.style().polish(self.message)

    def event_rows(self) -> list[list[str]]:
        t = self.events_table
        return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]

    def selected_event(self) -> DowntimeEvent | None:
        rows = self.events_table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self._shown_events):
            return None
        return self._shown_events[rows[0].row()]

    def select_event(self, start: float) -> None:
        for r, e in enumerate(self._shown_events):
            if e.start == start:
                self.events_table.selectRow(r)
                return
        raise KeyError(f"no downtime event starting at {start}")

    # -- inside ----------------------------------------------------------------------------

    def _show_events(self) -> None:
        if self._events is None:
            return
        show_micro = self.micro_box.isChecked()
        events = [e for e in self._events if show_micro or not e.micro]
        events.sort(key=lambda e: -e.start)
        selected = self.selected_event()
        self._shown_events = events
        t = self.events_table
        t.setRowCount(len(events))
        for r, e in enumerate(events):
            assigned = assigned_text(e, self._reasons)
            users = sorted({p.user for p in e.parts if p.user})
            cells = [
                datetime.fromtimestamp(e.start, self._zone).strftime("%m-%d %H:%M:%S"),
                duration(e.duration),
                state_text(e.state),
                auto_text(e, self._reasons) or "-",
                assigned or QCoreApplication.translate("OeeScreens", "(unassigned)"),
                ", ".join(users),
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 1:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if c == 2:
                    item.setData(Qt.ItemDataRole.UserRole, STATE_STYLE.get(e.state, "unknown"))
                t.setItem(r, c, item)
            if selected is not None and e.start == selected.start:
                t.selectRow(r)
        self._selection_changed()

    def _selection_changed(self) -> None:
        self.assign_button.setEnabled(self.selected_event() is not None)

    def _request_assign(self) -> None:
        event = self.selected_event()
        if event is not None:
            self.assign_requested.emit(event)

    def _fit_table_rows(self) -> None:
        """The list asks for room for `TABLE_ROWS` stops and its header, no less."""
        t = self.events_table
        rows = TABLE_ROWS * t.verticalHeader().defaultSectionSize()
        t.setMinimumHeight(t.horizontalHeader().sizeHint().height() + rows + 2 * t.frameWidth())

    def changeEvent(self, event: Any) -> None:
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self._fit_table_rows()  # the theme sets the row height
        super().changeEvent(event)
