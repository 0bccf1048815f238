"""The audit screen's data: what is asked for, the loaded window, the filtered table.

Loading reads one time range from the store (in a worker) and keeps at most
`MAX_ROWS` of its newest records, so a year of audit never floods the GUI. The
person's filters (user, action, result, target text) then apply to that window in
memory, at once. The CSV export runs the same query and filter over the store
again, without the window's cap, so the file holds exactly the rows the filter
selects, however many.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDateTime,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont

from hmi.store.audit import AuditRecord, AuditTrail, export_records

MAX_ROWS = 10_000
"""The newest records of a range the screen holds; the export is not capped."""

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class AuditFilter:
    """What the person selected: a time range (since included, until excluded; None
    open) and, empty meaning any, a user, an action, a result and target text."""

    since: float | None = None
    until: float | None = None
    user: str = ""
    action: str = ""
    result: str = ""
    target: str = ""

    def matches(self, rec: AuditRecord) -> bool:
        if self.user and rec.user_name != self.user:
            return False
        if self.action and rec.action != self.action:
            return False
        if self.result and rec.result != self.result:
            return False
        return not self.target or self.target.casefold() in (rec.target or "").casefold()


@dataclass(frozen=True)
class LoadedWindow:
    """The newest `MAX_ROWS` records of a range, oldest first, and how many it holds."""

    records: list[AuditRecord]
    total: int


def load_window(trail: AuditTrail, query: AuditFilter, limit: int = MAX_ROWS) -> LoadedWindow:
    """Read the range of `query` (ignoring its other filters); blocking: call in a worker."""
    newest: deque[AuditRecord] = deque(maxlen=limit)
    total = 0
    for rec in trail.records(query.since, query.until):
        newest.append(rec)
        total += 1
    return LoadedWindow(list(newest), total)


def export_csv(trail: AuditTrail, query: AuditFilter, path: Path) -> int:
    """Write every record `query` selects as CSV (with hashes); blocking: call in a worker."""
    selected: Iterator[AuditRecord] = (
        r for r in trail.records(query.since, query.until) if query.matches(r)
    )
    with path.open("w", encoding="utf-8", newline="") as out:
        return export_records(selected, out, "csv")


COLUMNS = (
    "time", "station", "user", "role", "action", "target", "change", "comment", "result",
    "detail", "approver",
)  # fmt: skip


def column_titles() -> list[str]:
    return [
        QCoreApplication.translate("Audit", "Time"),
        QCoreApplication.translate("Audit", "Station"),
        QCoreApplication.translate("Audit", "User"),
        QCoreApplication.translate("Audit", "Role"),
        QCoreApplication.translate("Audit", "Action"),
        QCoreApplication.translate("Audit", "Target"),
        QCoreApplication.translate("Audit", "Old → new"),
        QCoreApplication.translate("Audit", "Comment"),
        QCoreApplication.translate("Audit", "Result"),
        QCoreApplication.translate("Audit", "Detail"),
        QCoreApplication.translate("Audit", "Approver"),
    ]


def result_text(result: str) -> str:
    texts = {
        "ok": QCoreApplication.translate("Audit", "ok"),
        "denied": QCoreApplication.translate("Audit", "denied"),
        "failed": QCoreApplication.translate("Audit", "failed"),
    }
    return texts.get(result, result)


def change_text(rec: AuditRecord) -> str:
    if rec.old_value is None and rec.new_value is None:
        return ""
    return f"{rec.old_value if rec.old_value is not None else '–'} → {rec.new_value or '–'}"


def time_text(ts: float) -> str:
    """Station-local time, to the second (the export carries UTC)."""
    return QDateTime.fromMSecsSinceEpoch(round(ts * 1000)).toString("yyyy-MM-dd HH:mm:ss")


class AuditTableModel(QAbstractTableModel):
    """The loaded window, filtered; newest first (what a person looks for is recent)."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._all: list[AuditRecord] = []
        self._rows: list[AuditRecord] = []
        self._filter = AuditFilter()
        self._titles = column_titles()
        self._bold = QFont()
        self._bold.setBold(True)

    # -- contents --------------------------------------------------------------------------

    def set_records(self, records: Iterable[AuditRecord]) -> None:
        self._all = list(records)
        self._refilter()

    def set_filter(self, query: AuditFilter) -> None:
        self._filter = query
        self._refilter()

    def clear(self) -> None:
        self.set_records([])

    def _refilter(self) -> None:
        self.beginResetModel()
        self._rows = [r for r in reversed(self._all) if self._filter.matches(r)]
        self.endResetModel()

    @property
    def loaded(self) -> list[AuditRecord]:
        return self._all

    def record(self, row: int) -> AuditRecord:
        return self._rows[row]

    def distinct(self, field: str) -> list[str]:
        """The values of `field` in the loaded window (for the filter choices)."""
        return sorted({getattr(r, field) for r in self._all if getattr(r, field)})

    # -- Qt model --------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._titles[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        rec = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(rec, column)
        if role == Qt.ItemDataRole.FontRole and rec.result != "ok" and column == "result":
            return self._bold  # weight, not colour: a denial is normal audit content
        return None

    @staticmethod
    def text(rec: AuditRecord, column: str) -> str:
        values = {
            "time": lambda: time_text(rec.ts),
            "station": lambda: rec.station,
            "user": lambda: rec.user_name,
            "role": lambda: rec.role,
            "action": lambda: rec.action,
            "target": lambda: rec.target or "",
            "change": lambda: change_text(rec),
            "comment": lambda: rec.comment or "",
            "result": lambda: result_text(rec.result),
            "detail": lambda: rec.detail or "",
            "approver": lambda: rec.approver or "",
        }
        return values[column]()
