"""The tag browser's data: one row per configured tag, fed by the bridge's frames.

Built for thousands of tags at display rate: rows never move in the source model
(the tag set is the config's), a frame touches only the rows it names, a row whose
value is unchanged emits nothing, and the changed rows are announced as a few
contiguous `dataChanged` ranges rather than one signal per tag. Texts are computed
in `data()`, i.e. only for the rows a view actually paints.

Filtering and sorting are Qt's own proxies, and none of them is dynamic: a proxy
that re-filters or re-sorts on `dataChanged` calls `data()` (Python) for every
changed row, every frame (measured: ~25 ms per 5,000 changed rows per proxy). Name,
line and connection never change; the quality filter is re-run only in a frame in
which some tag's quality changed; and the sort (at the bottom of the chain, so the
filters above keep its order) is that of the last header click, so rows do not jump
around under the reader's eyes.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRegularExpression,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from hmi.config import PlantConfig, TagConfig
from hmi.tagvalue import Quality, TagValue
from screens.diagnostics_style import StatePalette
from widgets._quality import quality_word
from widgets.formatting import format_timestamp, format_value

Index = QModelIndex | QPersistentModelIndex

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
"""A natively comparable key per cell (number or text), so sorting runs in C++."""
QUALITY_ROLE = Qt.ItemDataRole.UserRole + 2
"""The quality's value ("good", "bad", …) on every cell of a row, for the quality filter."""
WRITABLE_ROLE = Qt.ItemDataRole.UserRole + 3

(TAG, VALUE, UNITS, QUALITY, SOURCE_TS, RECEIVE_TS, CONNECTION, ADDRESS, LINE) = range(9)
LIVE_COLUMNS = (VALUE, RECEIVE_TS)
"""The span of columns a new value can change (value … receive time)."""


def column_titles() -> list[str]:
    return [
        QCoreApplication.translate("Diagnostics", "Tag"),
        QCoreApplication.translate("Diagnostics", "Value"),
        QCoreApplication.translate("Diagnostics", "Units"),
        QCoreApplication.translate("Diagnostics", "Quality"),
        QCoreApplication.translate("Diagnostics", "Source time"),
        QCoreApplication.translate("Diagnostics", "Received"),
        QCoreApplication.translate("Diagnostics", "Connection"),
        QCoreApplication.translate("Diagnostics", "Address"),
        QCoreApplication.translate("Diagnostics", "Line"),
    ]


def lines_of(config: PlantConfig) -> dict[str, str]:
    """Each tag's line: the first [[lines]] entry whose patterns match, else its first
    name segment (the naming convention)."""
    out: dict[str, str] = {}
    for tag in config.tags:
        line = next(
            (
                ln.name
                for ln in config.lines
                if any(fnmatch.fnmatchcase(tag.name, p) for p in ln.tags)
            ),
            tag.line,
        )
        out[tag.name] = line
    return out


def ranges(rows: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted rows as inclusive (first, last) runs: [1, 2, 3, 7] → [(1, 3), (7, 7)]."""
    out: list[tuple[int, int]] = []
    for row in sorted(rows):
        if out and row == out[-1][1] + 1:
            out[-1] = (out[-1][0], row)
        else:
            out.append((row, row))
    return out


class TagTableModel(QAbstractTableModel):
    """Every configured tag with its latest value, quality and timestamps.

    `qualities_changed` is emitted after a frame in which any tag's quality changed.
    """

    qualities_changed = Signal()

    def __init__(
        self,
        tags: Sequence[TagConfig],
        line_of: Mapping[str, str],
        palette: StatePalette | None = None,
        lang: str = "en",
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._lang = lang
        self._tags = list(tags)
        self._lines = [line_of.get(t.name, t.line) for t in self._tags]
        self._row = {t.name: i for i, t in enumerate(self._tags)}
        self._values: list[TagValue | None] = [None] * len(self._tags)
        self._palette = palette
        self._doubtful_font = QFont()
        self._doubtful_font.setItalic(True)
        self._titles = column_titles()
        self._on = QCoreApplication.translate("Diagnostics", "On")
        self._off = QCoreApplication.translate("Diagnostics", "Off")
        self._today = datetime.now().strftime("%Y-%m-%d ")
        self.ranges_emitted = 0
        """How many dataChanged ranges were emitted (tests and benchmarks read it)."""

    # -- feeding -----------------------------------------------------------------------------

    def apply(self, values: Mapping[str, TagValue]) -> int:
        """Take a frame (or a snapshot); announce the changed rows. Returns their count."""
        row_of, stored = self._row, self._values
        self._today = datetime.now().strftime("%Y-%m-%d ")
        changed: list[int] = []
        quality_moved = False
        for name, tv in values.items():
            row = row_of.get(name)
            if row is None:
                continue
            old = stored[row]
            if old == tv:
                continue
            if old is None or old.quality is not tv.quality:
                quality_moved = True
            stored[row] = tv
            changed.append(row)
        if changed:
            first_col, last_col = LIVE_COLUMNS
            for top, bottom in ranges(changed):
                self.ranges_emitted += 1
                self.dataChanged.emit(self.index(top, first_col), self.index(bottom, last_col))
        if quality_moved:
            self.qualities_changed.emit()
        return len(changed)

    # -- lookups -----------------------------------------------------------------------------

    def tag_at(self, row: int) -> TagConfig:
        return self._tags[row]

    def value_at(self, row: int) -> TagValue | None:
        return self._values[row]

    def row_of(self, tag: str) -> int:
        return self._row[tag]

    def format(self, cfg: TagConfig, value: Any) -> str:
        """A value as this browser shows it (widgets.formatting rules)."""
        return format_value(value, cfg, true_text=self._on, false_text=self._off)

    # -- QAbstractTableModel -----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 — Qt's signature
        return 0 if parent.isValid() else len(self._tags)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._titles)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._titles[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row, col = index.row(), index.column()
        cfg, tv = self._tags[row], self._values[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(col, cfg, tv)
        if role == SORT_ROLE:
            return self._sort_key(col, cfg, tv)
        if role == QUALITY_ROLE:
            return (tv.quality if tv else Quality.DISCONNECTED).value
        if role == WRITABLE_ROLE:
            return cfg.writable
        if role == Qt.ItemDataRole.TextAlignmentRole and col == VALUE:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(col, cfg, tv)
        if role == Qt.ItemDataRole.FontRole and col == VALUE and tv and not tv.quality.is_good:
            return self._doubtful_font  # a value not vouched for reads as such, without colour
        if col == QUALITY and tv is not None and self._palette is not None:
            style = self._palette.quality(tv.quality.value)
            if style is None:
                return None
            if role == Qt.ItemDataRole.ForegroundRole:
                return style.foreground
            if role == Qt.ItemDataRole.BackgroundRole:
                return style.background
            if role == Qt.ItemDataRole.FontRole:
                return style.font
        return None

    # -- cell contents -----------------------------------------------------------------------

    def _text(self, col: int, cfg: TagConfig, tv: TagValue | None) -> str:
        if col == TAG:
            return cfg.name
        if col == UNITS:
            return cfg.units
        if col == CONNECTION:
            return cfg.connection
        if col == ADDRESS:
            return cfg.address
        if col == LINE:
            return self._lines[self._row[cfg.name]]
        if tv is None:  # live columns before the first value
            return self.format(cfg, None) if col == VALUE else ""
        if col == VALUE:
            return self.format(cfg, tv.value)
        if col == QUALITY:
            word = quality_word(tv.quality)
            return f"{word} — {tv.reason}" if tv.reason and not tv.quality.is_good else word
        if col == SOURCE_TS:
            return self._time(tv.source_ts)
        if col == RECEIVE_TS:
            return self._time(tv.receive_ts)
        return ""

    def _time(self, ts: float) -> str:
        """Time of day with milliseconds for today's stamps (the usual case: narrow
        columns), the full date and time otherwise; the tooltip always has the date."""
        text = format_timestamp(ts)
        return text[11:] if text.startswith(self._today) else text

    def _sort_key(self, col: int, cfg: TagConfig, tv: TagValue | None) -> Any:
        if col == VALUE:
            value = tv.value if tv else None
            if isinstance(value, (int, float)):
                return float(value)
            return "" if value is None else str(value)
        if col == QUALITY:
            return (tv.quality if tv else Quality.DISCONNECTED).value
        if col == SOURCE_TS:
            return tv.source_ts if tv else 0.0
        if col == RECEIVE_TS:
            return tv.receive_ts if tv else 0.0
        return self._text(col, cfg, tv)

    def _tooltip(self, col: int, cfg: TagConfig, tv: TagValue | None) -> str | None:
        if col == TAG:
            desc = cfg.description.get(self._lang)
            return f"{cfg.name}\n{desc}" if desc else cfg.name
        if col == ADDRESS:
            return cfg.address
        if tv is None:
            return None
        if col in (VALUE, QUALITY):
            return self._text(QUALITY, cfg, tv)
        if col == SOURCE_TS:
            return format_timestamp(tv.source_ts)
        if col == RECEIVE_TS:
            return format_timestamp(tv.receive_ts)
        return None


class _Proxy(QSortFilterProxyModel):
    """A static filter on one column (re-run on demand, never per frame)."""

    def __init__(self, source: QAbstractItemModel, column: int, parent: QObject | None):
        super().__init__(parent)
        self.setDynamicSortFilter(False)
        self.setSourceModel(source)
        self.setFilterKeyColumn(column)

    def refilter(self) -> None:
        """Filter every row again (the data under the filter column changed)."""
        self.beginFilterChange()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)


class _Output(_Proxy):
    """The top of the chain; a view's sort request goes to the sorting proxy below."""

    def __init__(self, source: QAbstractItemModel, sorter: QSortFilterProxyModel, parent):
        super().__init__(source, TAG, parent)
        self._sorter = sorter

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sorter.sort(column, order)


class TagFilter:
    """Sorting, then quality, line, connection and name filters, as a chain of Qt proxies.

    Each proxy filters one column with Qt's own matching; none is dynamic (see the
    module docstring). `output` is the model a view shows.
    """

    ALL_BAD = "abnormal"
    """The quality choice "anything but good"."""

    def __init__(self, source: TagTableModel, parent: QObject | None = None):
        self._sorter = QSortFilterProxyModel(parent)
        self._sorter.setDynamicSortFilter(False)
        self._sorter.setSourceModel(source)
        self._sorter.setSortRole(SORT_ROLE)
        self._sorter.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._quality = _Proxy(self._sorter, QUALITY, parent)
        self._quality.setFilterRole(QUALITY_ROLE)
        self._line = _Proxy(self._quality, LINE, parent)
        self._connection = _Proxy(self._line, CONNECTION, parent)
        self._name = _Output(self._connection, self._sorter, parent)
        self._name.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._chain = (self._name, self._connection, self._line, self._quality, self._sorter)
        self.source = source
        source.qualities_changed.connect(self._qualities_changed)

    def _qualities_changed(self) -> None:
        if self._quality.filterRegularExpression().pattern():
            self._quality.refilter()

    @property
    def output(self) -> QSortFilterProxyModel:
        return self._name

    def set_name(self, text: str) -> None:
        """Tags whose name contains `text` (any case); empty shows all."""
        self._name.setFilterFixedString(text.strip())

    def set_line(self, line: str) -> None:
        self._connection_or_line(self._line, line)

    def set_connection(self, connection: str) -> None:
        self._connection_or_line(self._connection, connection)

    def set_quality(self, quality: str) -> None:
        """ "" for all, a `Quality` value, or ALL_BAD for every quality but good."""
        if quality == self.ALL_BAD:
            self._quality.setFilterRegularExpression("^(?!good$)")
        else:
            self._connection_or_line(self._quality, quality)

    @staticmethod
    def _connection_or_line(proxy: QSortFilterProxyModel, value: str) -> None:
        exact = f"^{QRegularExpression.escape(value)}$" if value else ""
        proxy.setFilterRegularExpression(exact)

    def source_row(self, row: int) -> int:
        """The source model row of the output's `row`."""
        index = self._name.index(row, 0)
        for proxy in self._chain:
            index = proxy.mapToSource(index)
        return index.row()

    def output_row(self, source_row: int) -> int:
        """The output row showing source row `source_row`, or -1 when it is filtered out."""
        index = self.source.index(source_row, 0)
        for proxy in reversed(self._chain):
            index = proxy.mapFromSource(index)
        return index.row() if index.isValid() else -1
