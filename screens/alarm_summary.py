"""The active alarm summary: every alarm not in Normal, filtered, sorted, acted on.

Tabs split what the operator must act on (Active) from what is hidden on purpose
(Shelved; Suppressed / out of service). Filters narrow by priority, area, state and
text. Actions — acknowledge selected / all visible (with an optional comment),
shelve (duration and a required reason), unshelve, remove from / return to
service — go through the station's `AlarmClient` (the command API, permission-
checked and audited) and never block; a denial or refusal is shown in the screen's
message line. "Trend" asks the station for the tag's trend when the context can
open screens (`ctx.open_screen("trends", tag=...)`), and always emits
`trend_requested(tag)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFontMetrics, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hmi.app.alarm_client import ActionResult, AlarmClient
from hmi.app.alarm_feed import AlarmSnapshot
from hmi.app.alarm_text import state_word
from hmi.app.theme import set_state_property
from hmi.plugin import ScreenContext
from hmi.runtime.alarm_model import AlarmRecord
from hmi.runtime.alarm_states import AlarmState
from screens import alarm_models as cols
from screens.alarm_dialogs import ReasonDialog
from screens.alarm_models import AlarmFilter, AlarmTableModel

VIEW_ORDER = ("active", "shelved", "hidden")
MESSAGE_MS = 15_000


def build_alarm_summary(ctx: ScreenContext) -> QWidget:
    """The screen factory registered in `screens.builtin_screens`."""
    client = getattr(ctx, "alarms", None)
    if client is None:
        raise TypeError("the alarm summary needs the station's context (no alarms)")
    return AlarmSummaryScreen(ctx, client)


def _contrast(colour: str) -> str:
    return "#1a1a1a" if QColor(colour).lightness() > 110 else "#ffffff"


class AlarmSummaryScreen(QWidget):
    """Tabs, filters, the table and the action bar."""

    trend_requested = Signal(str)

    def __init__(self, ctx: ScreenContext, client: AlarmClient, parent: QWidget | None = None):
        super().__init__(parent, objectName="alarmSummary")
        self._ctx = ctx
        self._client = client
        self._lang = ctx.lang
        self.dialog: ReasonDialog | None = None

        self.model = AlarmTableModel(
            ctx.lang,
            lambda p: (client.priority_color(p), _contrast(client.priority_color(p))),
            lambda p: client.priority_name(p, ctx.lang),
            lambda area: client.area_title(area, ctx.lang),
            self,
        )
        self.filter = AlarmFilter(self.model, self)

        self.tabs = QTabBar(self, objectName="alarmTabs")
        self.tabs.setExpanding(False)
        for _ in VIEW_ORDER:
            self.tabs.addTab("")
        self.tabs.currentChanged.connect(self._tab_changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 10)
        layout.addWidget(self.tabs)
        layout.addLayout(self._filter_bar())
        layout.addWidget(self._table(), 1)
        layout.addLayout(self._action_bar())
        self.message = QLabel(self, objectName="alarmActionMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        self._message_timer = QTimer(self, singleShot=True, interval=MESSAGE_MS)
        self._message_timer.timeout.connect(self.message.hide)

        for signal in (self.filter.rowsInserted, self.filter.rowsRemoved, self.filter.modelReset):
            signal.connect(self._update_counts)
        self.filter.layoutChanged.connect(self._update_counts)
        client.feed.changed.connect(self._on_snapshot)
        self._on_snapshot(client.feed.snapshot)
        self._tab_changed(0)

    # -- parts -------------------------------------------------------------------------------

    def _filter_bar(self) -> QHBoxLayout:
        self.text_filter = QLineEdit(self, objectName="alarmTextFilter")
        self.text_filter.setPlaceholderText(
            QCoreApplication.translate("AlarmSummary", "Filter by tag or message…")
        )
        self.text_filter.setClearButtonEnabled(True)
        self.text_filter.textChanged.connect(self.filter.set_text)

        self.priority_filter = QComboBox(self, objectName="alarmPriorityFilter")
        self.priority_filter.addItem(
            QCoreApplication.translate("AlarmSummary", "All priorities"), 0
        )
        for p in range(1, 5):
            self.priority_filter.addItem(f"{p} {self._client.priority_name(p, self._lang)}", p)
        self.priority_filter.currentIndexChanged.connect(
            lambda _i: self.filter.set_priorities(
                [self.priority_filter.currentData()] if self.priority_filter.currentData() else []
            )
        )

        self.area_filter = QComboBox(self, objectName="alarmAreaFilter")
        self.area_filter.addItem(QCoreApplication.translate("AlarmSummary", "All areas"), "")
        titles = {ln.name: ln.title.get(self._lang) for ln in self._ctx.config.lines}
        for area in _areas(self._ctx):
            self.area_filter.addItem(titles.get(area, area), area)
        self.area_filter.currentIndexChanged.connect(
            lambda _i: self.filter.set_area(self.area_filter.currentData())
        )

        self.state_filter = QComboBox(self, objectName="alarmStateFilter")
        self.state_filter.addItem(QCoreApplication.translate("AlarmSummary", "All states"), "")
        for state in (AlarmState.UNACK, AlarmState.ACKED, AlarmState.RTN_UNACK):
            self.state_filter.addItem(state_word(state), state.value)
        self.state_filter.currentIndexChanged.connect(
            lambda _i: self.filter.set_states(
                [self.state_filter.currentData()] if self.state_filter.currentData() else []
            )
        )
        self.count_label = QLabel(self, objectName="alarmCountLabel")

        bar = QHBoxLayout()
        bar.addWidget(self.text_filter, 3)
        for combo in (self.priority_filter, self.area_filter, self.state_filter):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            bar.addWidget(combo)
        bar.addWidget(self.count_label)
        bar.addStretch(1)
        return bar

    def _table(self) -> QTableView:
        view = QTableView(self, objectName="alarmTable")
        view.setModel(self.filter)
        view.setAlternatingRowColors(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.verticalHeader().setVisible(False)
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
        view.setSortingEnabled(True)
        view.sortByColumn(cols.PRIORITY, Qt.SortOrder.AscendingOrder)
        view.setWordWrap(False)
        header = view.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        bold = view.font()
        bold.setBold(True)
        metrics = QFontMetrics(bold)  # unacknowledged rows are bold
        widths = {
            cols.TIME: "0000-00-00 00:00:00",
            cols.PRIORITY: "1 Critical",
            cols.STATE: "RTN unacknowledged",
            cols.AREA: max(
                (self._client.area_title(a, self._lang) for a in _areas(self._ctx)),
                key=len,
                default="Assembly",
            ),
            cols.TAG: "Assembly.Conveyor.MotorCurrent",
            cols.VALUE: "-12345.6",
            cols.LIMIT: "-12345.6",
            cols.SHELVED_UNTIL: "0000-00-00 00:00:00",
        }
        for column, sample in widths.items():
            title = self.model.headerData(column, Qt.Orientation.Horizontal, 0)
            width = max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(title))
            header.resizeSection(column, width + 24)
        # What an operator reads first comes first: the message right after the priority,
        # the engineering detail (area, tag) last, where a narrow panel scrolls it off.
        for at, column in enumerate((cols.TIME, cols.PRIORITY, cols.MESSAGE, cols.STATE)):
            header.moveSection(header.visualIndex(column), at)
        for column in (cols.AREA, cols.TAG):
            header.moveSection(header.visualIndex(column), header.count() - 1)
        self.message_min_px = metrics.horizontalAdvance("M" * 24)
        view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        view.doubleClicked.connect(lambda _i: self.acknowledge_selected())
        self.view = view
        return view

    def _action_bar(self) -> QHBoxLayout:
        self.comment = QLineEdit(self, objectName="ackComment")
        self.comment.setPlaceholderText(
            QCoreApplication.translate("AlarmSummary", "Comment (optional)")
        )
        self.comment.setMaxLength(500)

        def button(text: str, name: str, slot: Callable[[], Any]) -> QPushButton:
            b = QPushButton(text, self, objectName=name)
            b.clicked.connect(slot)
            return b

        self.ack_button = button(
            QCoreApplication.translate("AlarmSummary", "Acknowledge"),
            "ackSelected",
            self.acknowledge_selected,
        )
        self.ack_all_button = button(
            QCoreApplication.translate("AlarmSummary", "Acknowledge all visible"),
            "ackAll",
            self.acknowledge_all,
        )
        self.shelve_button = button(
            QCoreApplication.translate("AlarmSummary", "Shelve…"),
            "shelveButton",
            self.open_shelve_dialog,
        )
        self.unshelve_button = button(
            QCoreApplication.translate("AlarmSummary", "Unshelve"),
            "unshelveButton",
            self.unshelve_selected,
        )
        self.oos_button = button(
            QCoreApplication.translate("AlarmSummary", "Remove from service…"),
            "oosButton",
            self.open_oos_dialog,
        )
        self.return_button = button(
            QCoreApplication.translate("AlarmSummary", "Return to service"),
            "returnButton",
            self.return_selected,
        )
        self.trend_button = button(
            QCoreApplication.translate("AlarmSummary", "Trend"), "trendButton", self.trend_selected
        )
        self.trend_button.setToolTip(
            QCoreApplication.translate("AlarmSummary", "Show the trend of the selected alarm's tag")
        )

        bar = QHBoxLayout()
        bar.addWidget(self.comment, 2)
        for b in (
            self.ack_button,
            self.ack_all_button,
            self.shelve_button,
            self.unshelve_button,
            self.oos_button,
            self.return_button,
            self.trend_button,
        ):
            bar.addWidget(b)
        return bar

    # -- feeding -----------------------------------------------------------------------------

    def _on_snapshot(self, snap: AlarmSnapshot) -> None:
        self.model.set_records(snap.records)
        self._update_counts()
        self._update_buttons()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._client.feed.refresh()
        self.model.set_records(self._client.feed.snapshot.records)
        self._update_counts()
        self._update_buttons()

    def _fit_message(self) -> None:
        """The message takes the width the other columns leave, but never less than
        `message_min_px`: on a narrow panel the trailing columns scroll instead."""
        header = self.view.horizontalHeader()
        others = sum(
            header.sectionSize(c)
            for c in range(header.count())
            if c != cols.MESSAGE and not header.isSectionHidden(c)
        )
        room = self.view.viewport().width() - others
        header.resizeSection(cols.MESSAGE, max(self.message_min_px, room))

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        QTimer.singleShot(0, self, self._fit_message)  # after the view took its new size

    def _tab_changed(self, index: int) -> None:
        view = VIEW_ORDER[index]
        self.filter.set_view(view)
        self.state_filter.setEnabled(view == "active")
        shelved = view == "shelved"
        self.view.setColumnHidden(cols.SHELVED_UNTIL, not shelved)
        self.view.setColumnHidden(cols.NOTE, view == "active")
        self._fit_message()
        self._update_counts()
        self._update_buttons()

    def _update_counts(self, *_args: Any) -> None:
        words = {
            "active": QCoreApplication.translate("AlarmSummary", "Active ({n})"),
            "shelved": QCoreApplication.translate("AlarmSummary", "Shelved ({n})"),
            "hidden": QCoreApplication.translate(
                "AlarmSummary", "Suppressed / out of service ({n})"
            ),
        }
        for i, view in enumerate(VIEW_ORDER):
            self.tabs.setTabText(i, words[view].format(n=self.filter.count(view)))
        self.count_label.setText(
            QCoreApplication.translate("AlarmSummary", "{shown} shown").format(
                shown=self.filter.rowCount()
            )
        )

    # -- selection ---------------------------------------------------------------------------

    def selected_records(self) -> list[AlarmRecord]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [
            self.model.record_at(self.filter.mapToSource(self.filter.index(r, 0)).row())
            for r in rows
        ]

    def select_alarm(self, alarm_id: str) -> bool:
        """Select the row of `alarm_id` (False when it is not listed in this tab)."""
        source_row = self.model.row_of(alarm_id)
        if source_row < 0:
            return False
        index = self.filter.mapFromSource(self.model.index(source_row, 0))
        if not index.isValid():
            return False
        self.view.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.setCurrentIndex(index)
        return True

    def show_view(self, view: str) -> None:
        self.tabs.setCurrentIndex(VIEW_ORDER.index(view))

    def _update_buttons(self) -> None:
        sel = self.selected_records()
        one = sel[0] if len(sel) == 1 else None
        self.ack_button.setEnabled(any(r.unacked for r in sel))
        self.ack_all_button.setEnabled(any(r.unacked for r in self.filter.visible_records()))
        self.shelve_button.setEnabled(
            one is not None and one.state not in (AlarmState.SHELVED, AlarmState.OUT_OF_SERVICE)
        )
        self.unshelve_button.setEnabled(one is not None and one.state is AlarmState.SHELVED)
        self.oos_button.setEnabled(one is not None and one.state is not AlarmState.OUT_OF_SERVICE)
        self.return_button.setEnabled(one is not None and one.state is AlarmState.OUT_OF_SERVICE)
        self.trend_button.setEnabled(one is not None and one.alarm_type != "comm")

    # -- actions -----------------------------------------------------------------------------

    def acknowledge_selected(self) -> None:
        ids = [r.alarm_id for r in self.selected_records() if r.unacked]
        if ids:
            self._client.ack(ids, self.comment.text().strip() or None, self._report)

    def acknowledge_all(self) -> None:
        ids = [r.alarm_id for r in self.filter.visible_records() if r.unacked]
        if ids:
            self._client.ack(ids, self.comment.text().strip() or None, self._report)

    def open_shelve_dialog(self) -> ReasonDialog | None:
        sel = self.selected_records()
        if len(sel) != 1:
            return None
        r = sel[0]
        dialog = ReasonDialog(
            QCoreApplication.translate("AlarmSummary", "Shelve alarm"),
            self._describe(r),
            True,
            self,
        )

        def accepted() -> None:
            self._client.shelve(r.alarm_id, dialog.duration_s(), dialog.reason_text(), self._report)

        return self._open(dialog, accepted)

    def open_oos_dialog(self) -> ReasonDialog | None:
        sel = self.selected_records()
        if len(sel) != 1:
            return None
        r = sel[0]
        dialog = ReasonDialog(
            QCoreApplication.translate("AlarmSummary", "Remove alarm from service"),
            self._describe(r),
            False,
            self,
        )

        def accepted() -> None:
            self._client.remove_from_service(r.alarm_id, dialog.reason_text(), self._report)

        return self._open(dialog, accepted)

    def _open(self, dialog: ReasonDialog, accepted: Callable[[], None]) -> ReasonDialog:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.accepted.connect(accepted)
        dialog.open()
        return dialog

    def unshelve_selected(self) -> None:
        for r in self.selected_records():
            if r.state is AlarmState.SHELVED:
                self._client.unshelve(r.alarm_id, self._report)

    def return_selected(self) -> None:
        for r in self.selected_records():
            if r.state is AlarmState.OUT_OF_SERVICE:
                self._client.return_to_service(r.alarm_id, self._report)

    def trend_selected(self) -> None:
        sel = self.selected_records()
        if len(sel) != 1:
            return
        tag = sel[0].tag
        self.trend_requested.emit(tag)
        open_screen = getattr(self._ctx, "open_screen", None)
        if callable(open_screen):
            try:
                open_screen("trends", tag=tag)
            except (KeyError, RuntimeError) as exc:  # no trend screen in this station
                self._show_message(
                    QCoreApplication.translate("AlarmSummary", "No trend: {why}").format(why=exc),
                    "error",
                )

    def _describe(self, r: AlarmRecord) -> str:
        return f"{r.alarm_id}\n{r.message(self._lang)}"

    def _report(self, result: ActionResult) -> None:
        if result.ok:
            if result.action == "ack":
                self.comment.clear()
            text = {
                "ack": QCoreApplication.translate("AlarmSummary", "Acknowledged."),
                "shelve": QCoreApplication.translate("AlarmSummary", "Shelved."),
                "unshelve": QCoreApplication.translate("AlarmSummary", "Unshelved."),
                "out_of_service": QCoreApplication.translate(
                    "AlarmSummary", "Removed from service."
                ),
                "in_service": QCoreApplication.translate("AlarmSummary", "Returned to service."),
            }.get(result.action, "")
            self._show_message(text, "ok")
        elif result.status == "denied":
            self._show_message(
                QCoreApplication.translate("AlarmSummary", "Not allowed: {why}").format(
                    why=result.message
                ),
                "denied",
            )
        else:
            self._show_message(
                QCoreApplication.translate("AlarmSummary", "Not done: {why}").format(
                    why=result.message
                ),
                "error",
            )
        self._update_buttons()

    def _show_message(self, text: str, kind: str) -> None:
        self.message.setText(text)
        set_state_property(self.message, "messageKind", kind)
        self.message.setVisible(bool(text))
        self._message_timer.start()


def _areas(ctx: ScreenContext) -> list[str]:
    """The areas alarms are in: the config's alarm areas, and System for comm alarms."""
    areas = sorted({a.area_name for a in ctx.config.alarms})
    if ctx.config.connections:
        areas.append("System")
    return areas
