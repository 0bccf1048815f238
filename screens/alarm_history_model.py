"""The history table: journal events paged from the database, newest first, on demand.

Qt's fetchMore/canFetchMore pattern: the view asks for more rows when the reader
scrolls near the end; each page (`PAGE` rows) is fetched by keyset
(`hmi.store.queries.fetch_events` after `page_cursor` of the last page) in the
screen's worker thread and appended when it arrives. A million matching rows cost
one index seek per page, and the GUI never waits on the database. Changing the
filter starts a new generation: pages of an older one are dropped when they land.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from hmi.app.alarm_text import clock_time, state_word
from hmi.store.events import StoredEvent
from hmi.store.queries import EventFilter, count_events, fetch_events, page_cursor
from screens.alarm_worker import JobResult, Worker

if TYPE_CHECKING:
    from sqlalchemy import Engine

PAGE = 500
TIME, KIND, TYPE, PRIORITY, AREA, SOURCE, STATE, VALUE, LIMIT, USER, MESSAGE, COMMENT = range(12)
COLUMN_COUNT = 12

ModelIndex = QModelIndex | QPersistentModelIndex


def column_titles() -> list[str]:
    return [
        QCoreApplication.translate("AlarmHistory", "Time"),
        QCoreApplication.translate("AlarmHistory", "Kind"),
        QCoreApplication.translate("AlarmHistory", "Event"),
        QCoreApplication.translate("AlarmHistory", "Priority"),
        QCoreApplication.translate("AlarmHistory", "Area"),
        QCoreApplication.translate("AlarmHistory", "Source"),
        QCoreApplication.translate("AlarmHistory", "State"),
        QCoreApplication.translate("AlarmHistory", "Value"),
        QCoreApplication.translate("AlarmHistory", "Limit"),
        QCoreApplication.translate("AlarmHistory", "User"),
        QCoreApplication.translate("AlarmHistory", "Message"),
        QCoreApplication.translate("AlarmHistory", "Comment"),
    ]


def kind_words() -> dict[str, str]:
    return {
        "alarm": QCoreApplication.translate("AlarmHistory", "Alarm"),
        "operator": QCoreApplication.translate("AlarmHistory", "Operator"),
        "system": QCoreApplication.translate("AlarmHistory", "System"),
    }


def type_words() -> dict[str, str]:
    """Alarm transitions and common operator/system happenings in the UI language."""
    return {
        "activated": QCoreApplication.translate("AlarmHistory", "Activated"),
        "returned": QCoreApplication.translate("AlarmHistory", "Returned to normal"),
        "acknowledged": QCoreApplication.translate("AlarmHistory", "Acknowledged"),
        "reset": QCoreApplication.translate("AlarmHistory", "Reset"),
        "shelved": QCoreApplication.translate("AlarmHistory", "Shelved"),
        "unshelved": QCoreApplication.translate("AlarmHistory", "Unshelved"),
        "suppressed": QCoreApplication.translate("AlarmHistory", "Suppressed"),
        "unsuppressed": QCoreApplication.translate("AlarmHistory", "Unsuppressed"),
        "out_of_service": QCoreApplication.translate("AlarmHistory", "Out of service"),
        "in_service": QCoreApplication.translate("AlarmHistory", "Returned to service"),
        "silence": QCoreApplication.translate("AlarmHistory", "Horn silenced"),
        "write": QCoreApplication.translate("AlarmHistory", "Write"),
        "login": QCoreApplication.translate("AlarmHistory", "Log in"),
        "logout": QCoreApplication.translate("AlarmHistory", "Log out"),
        "start": QCoreApplication.translate("AlarmHistory", "Station started"),
        "stop": QCoreApplication.translate("AlarmHistory", "Station stopped"),
        "connection_lost": QCoreApplication.translate("AlarmHistory", "Connection lost"),
        "connection_restored": QCoreApplication.translate("AlarmHistory", "Connection restored"),
        "config_loaded": QCoreApplication.translate("AlarmHistory", "Configuration loaded"),
        "plugin_failed": QCoreApplication.translate("AlarmHistory", "Plugin failed"),
        "store_unavailable": QCoreApplication.translate("AlarmHistory", "Database unavailable"),
        "store_restored": QCoreApplication.translate("AlarmHistory", "Database available again"),
        "recorder_active": QCoreApplication.translate("AlarmHistory", "Recording plant data"),
        "recorder_standby": QCoreApplication.translate("AlarmHistory", "Recorder on standby"),
        "demo_backfill": QCoreApplication.translate("AlarmHistory", "Demo history recorded"),
    }


class EventPageModel(QAbstractTableModel):
    """Events matching a filter, newest first, fetched a page at a time in `worker`.

    `loading_changed(bool)`, `total_changed(int)` (rows matching, -1 while counting)
    and `failed(str)` tell the screen what to show beside the table.
    """

    loading_changed = Signal(bool)
    total_changed = Signal(int)
    failed = Signal(str)

    def __init__(
        self,
        engine: Engine,
        worker: Worker,
        lang: str,
        page_size: int = PAGE,
        area_titles: dict[str, str] | None = None,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._area_titles = area_titles or {}
        self._engine = engine
        self._worker = worker
        self._lang = lang
        self.page_size = page_size
        self._rows: list[StoredEvent] = []
        self._filter = EventFilter()
        self._generation = 0
        self._cursor: tuple[float, int] | None = None
        self._exhausted = True
        self._loading = False
        self.total = -1
        self._titles = column_titles()
        self._kinds = kind_words()
        self._types = type_words()

    # -- querying ---------------------------------------------------------------------------

    @property
    def event_filter(self) -> EventFilter:
        return self._filter

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def exhausted(self) -> bool:
        return self._exhausted

    def set_filter(self, flt: EventFilter) -> None:
        """Start over with `flt`: clear, count in the background, fetch the first page."""
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._filter = flt
        self._cursor = None
        self._exhausted = False
        self._set_loading(False)
        self.endResetModel()
        self.total = -1
        self.total_changed.emit(-1)
        gen, engine = self._generation, self._engine
        self._worker.submit(lambda: count_events(engine, flt), lambda r: self._counted(gen, r))
        self.fetchMore(QModelIndex())

    def refresh(self) -> None:
        self.set_filter(self._filter)

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted or self._loading:
            return
        self._set_loading(True)
        gen, flt, after, engine, n = (
            self._generation, self._filter, self._cursor, self._engine, self.page_size,
        )  # fmt: skip
        self._worker.submit(
            lambda: fetch_events(engine, flt, after=after, limit=n, descending=True),
            lambda r: self._page(gen, r),
        )

    def _page(self, gen: int, result: JobResult) -> None:
        if gen != self._generation:
            return  # an answer for an older filter
        if not result.ok:
            self._exhausted = True
            self._set_loading(False)
            self.failed.emit(result.error or "")
            return
        page: list[StoredEvent] = result.value
        self._exhausted = len(page) < self.page_size
        if page:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()
            self._cursor = page_cursor(page)
        self._set_loading(False)  # last: listeners see the page and `exhausted` settled

    def check_new(self, on_count: Callable[[int], None]) -> None:
        """Count the rows matching the filter now (worker); `on_count(n)` on the GUI thread
        if the filter is still the same — to notice events journaled since the load."""
        gen, flt, engine = self._generation, self._filter, self._engine

        def counted(result: JobResult) -> None:
            if gen == self._generation and result.ok:
                on_count(int(result.value))

        self._worker.submit(lambda: count_events(engine, flt), counted)

    def _counted(self, gen: int, result: JobResult) -> None:
        if gen != self._generation:
            return
        if not result.ok:
            self.failed.emit(result.error or "")
            return
        self.total = int(result.value)
        self.total_changed.emit(self.total)

    def _set_loading(self, on: bool) -> None:
        if on != self._loading:
            self._loading = on
            self.loading_changed.emit(on)

    def event_at(self, row: int) -> StoredEvent:
        return self._rows[row]

    # -- Qt model ---------------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._titles[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        e = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(e, index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in (MESSAGE, COMMENT, SOURCE):
            return self.text(e, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (VALUE, LIMIT):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def text(self, e: StoredEvent, col: int) -> str:
        if col == TIME:
            return clock_time(e.ts, with_date=True)
        if col == KIND:
            return self._kinds.get(e.kind, e.kind)
        if col == TYPE:
            return self._types.get(e.type, e.type)
        if col == PRIORITY:
            return "" if e.priority is None else str(e.priority)
        if col == AREA:
            return self._area_titles.get(e.area or "", e.area or "")
        if col == SOURCE:
            return e.source or ""
        if col == STATE:
            return state_word(e.state) if e.state else ""
        if col == VALUE:
            return _short(e.value)
        if col == LIMIT:
            return _short(e.limit)
        if col == USER:
            return e.user or ""
        if col == MESSAGE:
            if self._lang.startswith("zh") and e.details:
                return str(e.details.get("message_zh_TW") or e.message)
            return e.message
        if col == COMMENT:
            return e.comment or ""
        return ""


def _short(text: str | None) -> str:
    """Stored values are text (repr of floats): shorten long floats for reading."""
    if not text:
        return ""
    try:
        x = float(text)
    except ValueError:
        return text
    return text if x.is_integer() and "." not in text else f"{x:.6g}"
