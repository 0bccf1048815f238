"""Alarm and event history, for supervisors: filter the journal, scroll it, export it.

Filters: a time range (this shift, today, last 24 h / 7 / 30 days, or custom
from/to), event kind, priority, area/line, tag and free text. The table pages from
the database in this screen's worker thread (`EventPageModel`), newest first, so
a million rows scroll smoothly; "Export CSV…" streams exactly the filtered rows
(`hmi.store.export.export_events`) to a file, in the worker too.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QDateTime, Qt, QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hmi.app.theme import set_state_property
from hmi.config import PlantConfig
from hmi.plugin import ScreenContext
from hmi.store.export import ExportFormat, export_events
from hmi.store.queries import EventFilter
from screens import alarm_history_model as cols
from screens.alarm_history_model import EventPageModel
from screens.alarm_periods import preset_period, presets
from screens.alarm_worker import JobResult, Worker

if TYPE_CHECKING:
    from sqlalchemy import Engine

TEXT_DEBOUNCE_MS = 400
NEW_EVENTS_POLL_MS = 5000
"""While shown, how often the screen looks for events journaled since its query."""


def build_alarm_history(ctx: ScreenContext) -> QWidget:
    """The screen factory registered in `screens.builtin_screens`."""
    alarms = getattr(ctx, "alarms", None)
    if alarms is None or alarms.store_engine is None:
        raise TypeError("the alarm history needs the station's context (no event store)")
    screen = AlarmHistoryScreen(ctx.config, ctx.lang, alarms.store_engine)
    tag = (getattr(ctx, "params", None) or {}).get("tag")
    if tag:  # opened for one tag (a widget's "Alarm history" menu entry)
        screen.tag_filter.setText(str(tag))
        screen.period.setCurrentIndex(screen.period.findData("7d"))
    return screen


class AlarmHistoryScreen(QWidget):
    """Filter bar, paged table, status line and CSV export."""

    def __init__(
        self,
        config: PlantConfig,
        lang: str,
        engine: Engine,
        clock: Callable[[], float] = time.time,
        parent: QWidget | None = None,
    ):
        super().__init__(parent, objectName="alarmHistory")
        self._config = config
        self._lang = lang
        self._engine = engine
        self._clock = clock
        self._loaded_once = False
        self.last_export: JobResult | None = None
        self.worker = Worker(self)
        titles = {ln.name: ln.title.get(lang) for ln in config.lines}
        self.model = EventPageModel(engine, self.worker, lang, area_titles=titles, parent=self)
        self.model.loading_changed.connect(self._update_status)
        self.model.total_changed.connect(self._update_status)
        self.model.rowsInserted.connect(self._update_status)
        self.model.modelReset.connect(self._update_status)
        self.model.failed.connect(self._failed)

        self._poll = QTimer(self, interval=NEW_EVENTS_POLL_MS)
        self._poll.timeout.connect(lambda: self.model.check_new(self._new_count))
        self.new_events = 0
        self._debounce = QTimer(self, singleShot=True, interval=TEXT_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_filters)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 10)
        layout.addLayout(self._range_bar())
        layout.addLayout(self._filter_bar())
        layout.addWidget(self._table(), 1)
        self.status = QLabel(self, objectName="historyStatus")
        self.message = QLabel(self, objectName="alarmActionMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.status)
        layout.addWidget(self.message)

    # -- parts -------------------------------------------------------------------------------

    def _range_bar(self) -> QHBoxLayout:
        self.period = QComboBox(self, objectName="historyPeriod")
        for key, label in presets():
            self.period.addItem(label, key)
        self.period.setCurrentIndex(self.period.findData("shift"))
        self.period.currentIndexChanged.connect(self._period_changed)
        now = QDateTime.currentDateTime()
        self.since_edit = QDateTimeEdit(now.addDays(-1), self, objectName="historySince")
        self.until_edit = QDateTimeEdit(now, self, objectName="historyUntil")
        for edit in (self.since_edit, self.until_edit):
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
            edit.setCalendarPopup(True)
            edit.setEnabled(False)
            edit.dateTimeChanged.connect(lambda _dt: self._custom_changed())
        self.refresh_button = QPushButton(
            QCoreApplication.translate("AlarmHistory", "Refresh"), self, objectName="historyRefresh"
        )
        self.refresh_button.clicked.connect(self.apply_filters)
        self.export_button = QPushButton(
            QCoreApplication.translate("AlarmHistory", "Export CSV…"),
            self,
            objectName="historyExport",
        )
        self.export_button.clicked.connect(self._ask_export)

        bar = QHBoxLayout()
        bar.addWidget(QLabel(QCoreApplication.translate("AlarmHistory", "Period"), self))
        bar.addWidget(self.period)
        bar.addWidget(QLabel(QCoreApplication.translate("AlarmHistory", "From"), self))
        bar.addWidget(self.since_edit)
        bar.addWidget(QLabel(QCoreApplication.translate("AlarmHistory", "To"), self))
        bar.addWidget(self.until_edit)
        bar.addStretch(1)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.export_button)
        return bar

    def _filter_bar(self) -> QHBoxLayout:
        self.kind_filter = _combo(
            self, "historyKind", [(QCoreApplication.translate("AlarmHistory", "All kinds"), "")]
        )
        for kind, word in cols.kind_words().items():
            self.kind_filter.addItem(word, kind)
        self.priority_filter = _combo(
            self,
            "historyPriority",
            [(QCoreApplication.translate("AlarmHistory", "All priorities"), 0)],
        )
        for p in range(1, 5):
            name = next(
                (x.name.get(self._lang) for x in self._config.alarm_priorities if x.priority == p),
                "",
            )
            self.priority_filter.addItem(f"{p} {name}".strip(), p)
        self.area_filter = _combo(
            self, "historyArea", [(QCoreApplication.translate("AlarmHistory", "All areas"), "")]
        )
        titles = {ln.name: ln.title.get(self._lang) for ln in self._config.lines}
        areas = sorted(
            {a.area_name for a in self._config.alarms} | {ln.name for ln in self._config.lines}
        )
        for area in [*areas, "System"]:
            self.area_filter.addItem(titles.get(area, area), area)
        for combo in (self.kind_filter, self.priority_filter, self.area_filter):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filters())

        self.tag_filter = QLineEdit(self, objectName="historyTag")
        self.tag_filter.setPlaceholderText(
            QCoreApplication.translate("AlarmHistory", "Tag (exact)")
        )
        self.tag_filter.setClearButtonEnabled(True)
        completer = QCompleter([t.name for t in self._config.tags], self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.tag_filter.setCompleter(completer)
        self.text_filter = QLineEdit(self, objectName="historyText")
        self.text_filter.setPlaceholderText(
            QCoreApplication.translate("AlarmHistory", "Text in the message…")
        )
        self.text_filter.setClearButtonEnabled(True)
        for edit in (self.tag_filter, self.text_filter):
            edit.textChanged.connect(lambda _t: self._debounce.start())

        bar = QHBoxLayout()
        for combo in (self.kind_filter, self.priority_filter, self.area_filter):
            bar.addWidget(combo)
        bar.addWidget(self.tag_filter, 2)
        bar.addWidget(self.text_filter, 3)
        return bar

    def _table(self) -> QTableView:
        view = QTableView(self, objectName="historyTable")
        view.setModel(self.model)
        view.setAlternatingRowColors(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setWordWrap(False)
        vertical = view.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(view.fontMetrics().height() + 8)
        header = view.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(True)
        metrics = view.fontMetrics()
        samples = {
            cols.TIME: "0000-00-00 00:00:00",
            cols.KIND: "Operator",
            cols.TYPE: "Returned to normal",
            cols.PRIORITY: "Priority",
            cols.AREA: "Assembly",
            cols.SOURCE: "Assembly.Conveyor.BeltTension",
            cols.STATE: "RTN unacknowledged",
            cols.VALUE: "-12345.6",
            cols.LIMIT: "-12345.6",
            cols.USER: "demo-station",
            cols.MESSAGE: "M" * 34,
        }
        titles = cols.column_titles()
        for column, sample in samples.items():
            width = max(
                metrics.horizontalAdvance(sample), metrics.horizontalAdvance(titles[column])
            )
            header.resizeSection(column, width + 20)
        self.view = view
        return view

    # -- filtering ---------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._loaded_once:
            self._loaded_once = True
            self.apply_filters()
        self._poll.start()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._poll.stop()

    def _new_count(self, total: int) -> None:
        """More rows match than were counted: reload if the reader is at the newest (top),
        else say so (a reload would pull the rows from under their eyes)."""
        if self.model.total < 0 or total <= self.model.total or self.model.loading:
            return
        if (
            self.view.verticalScrollBar().value() == 0
            and not self.view.selectionModel().hasSelection()
        ):
            self.model.refresh()
            return
        self.new_events = total - self.model.total
        self._update_status()

    def _period_changed(self, _index: int) -> None:
        custom = self.period.currentData() == "custom"
        self.since_edit.setEnabled(custom)
        self.until_edit.setEnabled(custom)
        self.apply_filters()

    def _custom_changed(self) -> None:
        if self.period.currentData() == "custom":
            self._debounce.start()

    def time_range(self) -> tuple[float | None, float | None]:
        """[since, until) of the chosen period; an open end for ranges reaching now."""
        key = self.period.currentData()
        if key == "custom":
            since = self.since_edit.dateTime().toSecsSinceEpoch()
            until = self.until_edit.dateTime().toSecsSinceEpoch()
            return float(since), float(until)
        now = self._clock()
        since, until = preset_period(key, now, self._config.shifts)
        for edit, ts in ((self.since_edit, since), (self.until_edit, until)):
            edit.blockSignals(True)  # show the preset's range; it is not a custom edit
            edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(ts)))
            edit.blockSignals(False)
        return since, (None if until >= now else until)

    def current_filter(self) -> EventFilter:
        since, until = self.time_range()
        kind = self.kind_filter.currentData()
        priority = self.priority_filter.currentData()
        area = self.area_filter.currentData()
        tag = self.tag_filter.text().strip()
        text = self.text_filter.text().strip()
        return EventFilter(
            since=since,
            until=until,
            kinds=[kind] if kind else (),
            priorities=[priority] if priority else (),
            areas=[area] if area else (),
            sources=[tag] if tag else (),
            text=text or None,
        )

    def apply_filters(self) -> None:
        self._debounce.stop()
        self.message.hide()
        self.new_events = 0
        since, until = self.time_range()
        if since is not None and until is not None and until <= since:
            self._show_message(
                QCoreApplication.translate("AlarmHistory", "The period must end after it starts.")
            )
            return
        self.model.set_filter(self.current_filter())

    # -- status ------------------------------------------------------------------------------

    def _update_status(self, *_args: object) -> None:
        loaded, total = self.model.rowCount(), self.model.total
        if total < 0:
            text = QCoreApplication.translate(
                "AlarmHistory", "{loaded} events loaded, counting…"
            ).format(loaded=loaded)
        else:
            text = QCoreApplication.translate(
                "AlarmHistory", "{loaded} of {total} events loaded"
            ).format(loaded=loaded, total=total)
        if self.new_events and total >= 0:
            text += " — " + QCoreApplication.translate(
                "AlarmHistory", "{n} new since: press Refresh"
            ).format(n=self.new_events)
        if self.model.loading:
            text += " — " + QCoreApplication.translate("AlarmHistory", "loading…")
        elif self.model.canFetchMore():
            text += " — " + QCoreApplication.translate("AlarmHistory", "scroll down for more")
        self.status.setText(text)

    def _failed(self, error: str) -> None:
        self._show_message(
            QCoreApplication.translate(
                "AlarmHistory", "The history could not be read: {error}"
            ).format(error=error)
        )

    def _show_message(self, text: str, kind: str = "error") -> None:
        self.message.setText(text)
        set_state_property(self.message, "messageKind", kind)
        self.message.show()

    # -- export ------------------------------------------------------------------------------

    def _ask_export(self) -> None:
        default = str(Path.home() / f"alarm-history-{time.strftime('%Y%m%d-%H%M')}.csv")
        path, _ = QFileDialog.getSaveFileName(
            self,
            QCoreApplication.translate("AlarmHistory", "Export alarm history"),
            default,
            QCoreApplication.translate("AlarmHistory", "CSV files (*.csv)"),
        )
        if path:
            self.export_csv(Path(path))

    def export_csv(self, path: Path, on_done: Callable[[JobResult], None] | None = None) -> None:
        """Write the filtered view (all of it, not only the rows loaded) to `path`, in the
        worker; the result (row count or error) is shown, then given to `on_done`."""
        flt, engine = self.model.event_filter, self._engine
        self.export_button.setEnabled(False)
        self._show_message(QCoreApplication.translate("AlarmHistory", "Exporting…"), "ok")

        def write() -> int:
            with path.open("w", encoding="utf-8", newline="") as out:
                return export_events(engine, out, flt, ExportFormat.CSV)

        def done(result: JobResult) -> None:
            self.export_button.setEnabled(True)
            self.last_export = result
            if result.ok:
                self._show_message(
                    QCoreApplication.translate(
                        "AlarmHistory", "Exported {n} events to {path}"
                    ).format(n=result.value, path=path),
                    "ok",
                )
            else:
                self._show_message(
                    QCoreApplication.translate("AlarmHistory", "Export failed: {error}").format(
                        error=result.error
                    )
                )
            if on_done is not None:
                on_done(result)

        self.worker.submit(write, done)


def _combo(parent: QWidget, name: str, items: list[tuple[str, object]]) -> QComboBox:
    combo = QComboBox(parent, objectName=name)
    for text, value in items:
        combo.addItem(text, value)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo
