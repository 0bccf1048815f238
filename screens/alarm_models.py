"""The alarm summary's data: one row per alarm not in Normal, and the filters over it.

Rows are keyed by alarm id and updated in place (changed rows emit `dataChanged`,
gone rows are removed, new rows appended), so the operator's selection survives
the updates that arrive while they read. A few hundred alarms at most: the filter
is plain Python over the source model's records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from hmi.app.alarm_text import clock_time, number_text, state_word
from hmi.runtime.alarm_model import AlarmRecord
from hmi.runtime.alarm_states import AlarmState

TIME, PRIORITY, STATE, AREA, TAG, MESSAGE, VALUE, LIMIT, SHELVED_UNTIL, NOTE = range(10)
COLUMN_COUNT = 10
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ALARM_ID_ROLE = Qt.ItemDataRole.UserRole + 2

ACTIVE_STATES = frozenset({AlarmState.UNACK, AlarmState.ACKED, AlarmState.RTN_UNACK})
VIEWS: dict[str, frozenset[AlarmState]] = {
    "active": ACTIVE_STATES,
    "shelved": frozenset({AlarmState.SHELVED}),
    "hidden": frozenset({AlarmState.SUPPRESSED, AlarmState.OUT_OF_SERVICE}),
}
"""The summary's tabs: which states each lists."""

_STATE_ORDER = {
    AlarmState.UNACK: 0,
    AlarmState.RTN_UNACK: 1,
    AlarmState.ACKED: 2,
    AlarmState.SHELVED: 3,
    AlarmState.SUPPRESSED: 4,
    AlarmState.OUT_OF_SERVICE: 5,
}

ModelIndex = QModelIndex | QPersistentModelIndex


def column_titles() -> list[str]:
    return [
        QCoreApplication.translate("AlarmSummary", "Activated"),
        QCoreApplication.translate("AlarmSummary", "Priority"),
        QCoreApplication.translate("AlarmSummary", "State"),
        QCoreApplication.translate("AlarmSummary", "Area"),
        QCoreApplication.translate("AlarmSummary", "Tag"),
        QCoreApplication.translate("AlarmSummary", "Message"),
        QCoreApplication.translate("AlarmSummary", "Value"),
        QCoreApplication.translate("AlarmSummary", "Limit"),
        QCoreApplication.translate("AlarmSummary", "Shelved until"),
        QCoreApplication.translate("AlarmSummary", "By / reason"),
    ]


class AlarmTableModel(QAbstractTableModel):
    """Alarm records as rows. `priority_style(p)` gives (background, text) colours."""

    def __init__(
        self,
        lang: str,
        priority_style: Callable[[int], tuple[str, str]],
        priority_name: Callable[[int], str],
        area_title: Callable[[str], str] = str,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._area_title = area_title
        self._lang = lang
        self._records: list[AlarmRecord] = []
        self._row_of: dict[str, int] = {}
        self._titles = column_titles()
        self._style = {p: tuple(QColor(c) for c in priority_style(p)) for p in range(1, 5)}
        self._names = {p: priority_name(p) for p in range(1, 5)}
        self._bold = QFont()
        self._bold.setBold(True)

    # -- feeding ----------------------------------------------------------------------------

    def set_records(self, records: Iterable[AlarmRecord]) -> None:
        """Make the rows these records: update in place, remove gone, append new."""
        new = {r.alarm_id: r for r in records}
        gone = [row for row, r in enumerate(self._records) if r.alarm_id not in new]
        for row in reversed(gone):  # contiguous runs would be fewer signals; rows are few
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._records[row]
            self.endRemoveRows()
        self._row_of = {r.alarm_id: i for i, r in enumerate(self._records)}
        for row, old in enumerate(self._records):
            fresh = new[old.alarm_id]
            if fresh != old:
                self._records[row] = fresh
                self.dataChanged.emit(self.index(row, 0), self.index(row, COLUMN_COUNT - 1))
        added = [r for aid, r in new.items() if aid not in self._row_of]
        if added:
            first = len(self._records)
            self.beginInsertRows(QModelIndex(), first, first + len(added) - 1)
            self._records.extend(added)
            self.endInsertRows()
            self._row_of = {r.alarm_id: i for i, r in enumerate(self._records)}

    def record_at(self, row: int) -> AlarmRecord:
        return self._records[row]

    def records(self) -> list[AlarmRecord]:
        return list(self._records)

    def row_of(self, alarm_id: str) -> int:
        return self._row_of.get(alarm_id, -1)

    # -- Qt model ---------------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._titles[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self._records[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, col)
        if role == SORT_ROLE:
            return self._sort_key(r, col)
        if role == ALARM_ID_ROLE:
            return r.alarm_id
        if col == PRIORITY and role in (
            Qt.ItemDataRole.BackgroundRole,
            Qt.ItemDataRole.ForegroundRole,
        ):
            if r.state not in ACTIVE_STATES:
                return None  # hidden alarms: no colour (ISA-101: colour means act now)
            bg, fg = self._style.get(r.priority, (None, None))
            return bg if role == Qt.ItemDataRole.BackgroundRole else fg
        if (
            role == Qt.ItemDataRole.FontRole
            and col in (STATE, MESSAGE)
            and r.state in (AlarmState.UNACK, AlarmState.RTN_UNACK)
        ):
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{r.alarm_id}\n{r.message(self._lang)}"
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (VALUE, LIMIT):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, r: AlarmRecord, col: int) -> str:
        if col == TIME:
            return clock_time(r.activated_at or r.since, with_date=True)
        if col == PRIORITY:
            return f"{r.priority} {self._names.get(r.priority, '')}".strip()
        if col == STATE:
            return state_word(r.state)
        if col == AREA:
            return self._area_title(r.area)
        if col == TAG:
            return r.tag
        if col == MESSAGE:
            return r.message(self._lang)
        if col == VALUE:
            return number_text(r.value)
        if col == LIMIT:
            return number_text(r.limit)
        if col == SHELVED_UNTIL:
            return clock_time(r.shelved_until, with_date=True)
        if col == NOTE:
            return " — ".join(x for x in (r.user, r.shelve_reason) if x)
        return ""

    def _sort_key(self, r: AlarmRecord, col: int) -> Any:
        if col == TIME:
            return r.activated_at or r.since
        if col == PRIORITY:
            return r.priority
        if col == STATE:
            return _STATE_ORDER.get(r.state, 9)
        if col in (VALUE, LIMIT):
            v = r.value if col == VALUE else r.limit
            return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else -1e300
        if col == SHELVED_UNTIL:
            return r.shelved_until or 0.0
        return self._text(r, col).casefold()


class AlarmFilter(QSortFilterProxyModel):
    """Which rows the summary shows: a tab (view), priority, area, state and text."""

    def __init__(self, source: AlarmTableModel, parent: QObject | None = None):
        super().__init__(parent)
        self._source = source
        self.view = "active"
        self.priorities: frozenset[int] = frozenset()
        self.area = ""
        self.states: frozenset[AlarmState] = frozenset()
        self.text = ""
        self.setSourceModel(source)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def set_view(self, view: str) -> None:
        if view not in VIEWS:
            raise ValueError(f"no alarm view {view!r}")
        self.view = view
        self._refilter()

    def set_priorities(self, priorities: Sequence[int]) -> None:
        self.priorities = frozenset(priorities)
        self._refilter()

    def set_area(self, area: str) -> None:
        self.area = area
        self._refilter()

    def set_states(self, states: Sequence[AlarmState | str]) -> None:
        self.states = frozenset(AlarmState(s) for s in states)
        self._refilter()

    def set_text(self, text: str) -> None:
        self.text = text.strip().casefold()
        self._refilter()

    def _refilter(self) -> None:
        self.beginFilterChange()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def accepts(self, r: AlarmRecord, lang: str = "en") -> bool:
        if r.state not in VIEWS[self.view]:
            return False
        if self.priorities and r.priority not in self.priorities:
            return False
        if self.area and r.area != self.area:
            return False
        if self.states and r.state not in self.states:
            return False
        if self.text:
            hay = f"{r.tag} {r.alarm_id} {r.message_en} {r.message_zh_TW} {r.area}".casefold()
            if self.text not in hay:
                return False
        return True

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        return self.accepts(self._source.record_at(source_row))

    def visible_records(self) -> list[AlarmRecord]:
        """The records shown, in the view's order."""
        return [
            self._source.record_at(self.mapToSource(self.index(row, 0)).row())
            for row in range(self.rowCount())
        ]

    def count(self, view: str) -> int:
        """How many alarms a tab would list (ignoring the other filters)."""
        return sum(1 for r in self._source.records() if r.state in VIEWS[view])
