"""The Diagnostics screen: what every connection is doing, and every tag, for integrators.

Top: one row per connection (state, endpoint, request rate, latency, errors, last
error), refreshed about once a second from stats snapshots copied in the runtime
thread. Bottom: a tag browser over all configured tags, filtered by name, line,
connection and quality, sortable, fed by the bridge's frames while the screen is
visible; a writable tag can be written from it, with confirmation.

The screen needs the station's context (`hmi.app.context.StationScreenContext`):
frames, the tag snapshot and connection stats, beyond what plant screens get.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QModelIndex, QPoint, Qt, SignalInstance
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hmi.app.context import StationStatus, StatsFuture
from hmi.plugin import ScreenContext
from hmi.tagvalue import Quality, TagValue
from screens import diagnostics_connections as conn_cols
from screens import diagnostics_model as tag_cols
from screens.diagnostics_connections import ConnectionTableModel, StatsPoller
from screens.diagnostics_model import TagFilter, TagTableModel, lines_of
from screens.diagnostics_style import StatePalette
from screens.diagnostics_write import WriteDialog
from widgets._quality import quality_word

REFRESH_MS = 1000
"""How often connection figures are fetched while the screen is visible."""

MAX_COLUMN_PX = 380
"""No column starts wider than this, whatever the longest name; the integrator can drag."""
ADDRESS_PX = 260
"""Long OPC UA NodeIds are elided (the full address is in the tooltip)."""


class DiagnosticsContext(ScreenContext, Protocol):
    """What this screen needs of the station beyond a plant screen's context."""

    @property
    def frames(self) -> SignalInstance: ...

    @property
    def connection_changed(self) -> SignalInstance: ...

    def tag_snapshot(self) -> dict[str, TagValue]: ...

    def connection_stats(self) -> StatsFuture: ...

    def station_status(self) -> StationStatus | None: ...


def build_diagnostics(ctx: ScreenContext) -> QWidget:
    """The screen factory registered in `screens.builtin_screens`."""
    missing = [n for n in ("frames", "tag_snapshot", "connection_stats") if not hasattr(ctx, n)]
    if missing:
        raise TypeError(f"the diagnostics screen needs the station's context (no {missing})")
    return DiagnosticsScreen(ctx)  # type: ignore[arg-type]


class DiagnosticsScreen(QWidget):
    """Connections on top, the tag browser below, in a splitter."""

    def __init__(self, ctx: DiagnosticsContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("diagnosticsScreen")
        self._ctx = ctx
        self._live = False
        self.write_dialog: WriteDialog | None = None
        config = ctx.config
        palette = StatePalette(self.font())

        self.connections = ConnectionTableModel(
            [(c.name, c.driver) for c in config.connections], palette, self
        )
        self.poller = StatsPoller(ctx.connection_stats, REFRESH_MS, self)
        self.poller.ready.connect(self.connections.update)
        self.poller.ready.connect(self._update_summary)
        ctx.connection_changed.connect(self._on_connection_changed)

        self.tags = TagTableModel(config.tags, lines_of(config), palette, ctx.lang, self)
        self.filter = TagFilter(self.tags, self)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._connections_box())
        splitter.addWidget(self._tags_box())
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        self.station_label = QLabel(self, objectName="stationStatus")
        self.station_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.poller.ready.connect(self._update_station)
        self._update_station()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 10)
        layout.addWidget(self.station_label)
        layout.addWidget(splitter)

    # -- parts -------------------------------------------------------------------------------

    def _connections_box(self) -> QGroupBox:
        box = QGroupBox(QCoreApplication.translate("Diagnostics", "Connections"), self)
        view = QTableView(box, objectName="connectionTable")
        view.setModel(self.connections)
        _table_look(view)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(conn_cols.LAST_ERROR, QHeaderView.ResizeMode.Stretch)
        view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        # As tall as its rows (plus a scroll bar when narrow), no empty band below them.
        view.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
        view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        self.connection_view = view
        col = QVBoxLayout(box)
        col.addWidget(view)
        return box

    def _tags_box(self) -> QGroupBox:
        box = QGroupBox(QCoreApplication.translate("Diagnostics", "Tags"), self)
        self.name_filter = QLineEdit(box, objectName="nameFilter")
        self.name_filter.setPlaceholderText(
            QCoreApplication.translate("Diagnostics", "Filter by tag name…")
        )
        self.name_filter.setClearButtonEnabled(True)
        self.name_filter.textChanged.connect(self.filter.set_name)

        config = self._ctx.config
        titles = {ln.name: ln.title.get(self._ctx.lang) for ln in config.lines}
        lines = sorted(set(lines_of(config).values()))
        self.line_filter = _combo(
            box,
            "lineFilter",
            [(QCoreApplication.translate("Diagnostics", "All lines"), "")]
            + [(titles.get(line, line), line) for line in lines],
            self.filter.set_line,
        )
        self.connection_filter = _combo(
            box,
            "connectionFilter",
            [(QCoreApplication.translate("Diagnostics", "All connections"), "")]
            + [(c.name, c.name) for c in config.connections],
            self.filter.set_connection,
        )
        self.quality_filter = _combo(
            box,
            "qualityFilter",
            [
                (QCoreApplication.translate("Diagnostics", "All qualities"), ""),
                (QCoreApplication.translate("Diagnostics", "Not good"), TagFilter.ALL_BAD),
            ]
            + [(quality_word(q), q.value) for q in Quality],
            self.filter.set_quality,
        )

        self.count_label = QLabel(box, objectName="tagCount")
        self.summary_label = QLabel(box, objectName="qualitySummary")
        self.write_button = QPushButton(
            QCoreApplication.translate("Diagnostics", "Write…"), box, objectName="writeButton"
        )
        self.write_button.setEnabled(False)
        self.write_button.clicked.connect(self._write_selected)

        bar = QHBoxLayout()
        bar.addWidget(self.name_filter, 3)
        for combo in (self.line_filter, self.connection_filter, self.quality_filter):
            bar.addWidget(combo)
        bar.addWidget(self.count_label)
        bar.addStretch(1)
        bar.addWidget(self.write_button)

        view = QTableView(box, objectName="tagTable")
        view.setModel(self.filter.output)
        _table_look(view)
        view.setSortingEnabled(True)
        view.sortByColumn(tag_cols.TAG, Qt.SortOrder.AscendingOrder)
        view.setWordWrap(False)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in self._tag_column_widths(view).items():
            header.resizeSection(column, width)
        view.selectionModel().currentRowChanged.connect(self._current_changed)
        view.doubleClicked.connect(self._double_clicked)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._context_menu)
        self.tag_view = view
        output = self.filter.output
        for signal in (output.rowsInserted, output.rowsRemoved, output.modelReset):
            signal.connect(self._update_count)
        self._update_count()

        col = QVBoxLayout(box)
        col.addLayout(bar)
        col.addWidget(view, 1)
        col.addWidget(self.summary_label)
        return box

    def _tag_column_widths(self, view: QTableView) -> dict[int, int]:
        """Starting widths from the config's longest texts (not from 5,000 rows of data)."""
        metrics = view.fontMetrics()
        pad = 2 * metrics.averageCharWidth() + 8
        titles = tag_cols.column_titles()
        tags = self._ctx.config.tags

        def fit(column: int, samples: list[str]) -> int:
            widest = max(metrics.horizontalAdvance(t) for t in [titles[column], *samples])
            return min(MAX_COLUMN_PX, widest + pad)

        lines = sorted(set(lines_of(self._ctx.config).values()))
        return {
            tag_cols.TAG: fit(tag_cols.TAG, [t.name for t in tags]),
            tag_cols.VALUE: fit(tag_cols.VALUE, ["-12345.67"]),
            tag_cols.UNITS: fit(tag_cols.UNITS, [t.units for t in tags]),
            tag_cols.QUALITY: fit(tag_cols.QUALITY, ["disconnected — stopped"]),
            tag_cols.SOURCE_TS: fit(tag_cols.SOURCE_TS, ["00:00:00.000"]),
            tag_cols.RECEIVE_TS: fit(tag_cols.RECEIVE_TS, ["00:00:00.000"]),
            tag_cols.CONNECTION: fit(tag_cols.CONNECTION, [t.connection for t in tags]),
            tag_cols.ADDRESS: min(fit(tag_cols.ADDRESS, [t.address for t in tags]), ADDRESS_PX),
            tag_cols.LINE: fit(tag_cols.LINE, lines),
        }

    # -- visibility: fed only while shown ----------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._live:
            return
        self._live = True
        self.tags.apply(self._ctx.tag_snapshot())  # catch up on what was missed while hidden
        self._ctx.frames.connect(self.tags.apply)
        self.poller.start()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        if not self._live:
            return
        self._live = False
        self._ctx.frames.disconnect(self.tags.apply)
        self.poller.stop()

    def _on_connection_changed(self, _name: str, _state: str, _detail: str) -> None:
        if self.poller.running:
            self.poller.refresh()  # show a state change now, not at the next tick

    # -- counts ------------------------------------------------------------------------------

    def _update_count(self, *_args) -> None:
        self.count_label.setText(
            QCoreApplication.translate("Diagnostics", "{shown} of {total} tags").format(
                shown=self.filter.output.rowCount(), total=self.tags.rowCount()
            )
        )

    def _update_station(self, *_args) -> None:
        """Which station this is, its database, and who records plant data (once a
        second with the connection figures: the recorder can change at any time)."""
        status = self._ctx.station_status() if hasattr(self._ctx, "station_status") else None
        self.station_label.setVisible(status is not None)
        if status is None:
            return
        tr = QCoreApplication.translate
        if status.recording:
            role = tr("Diagnostics", "this station records plant history and OEE")
            if status.trouble:  # the writes wait in its queues: the store alarm says more
                role = f"{role} ({status.trouble})"
        else:
            holder = status.recorder or tr("Diagnostics", "unknown (no database)")
            role = tr("Diagnostics", "standby: {station} records plant history and OEE").format(
                station=holder
            )
        self.station_label.setText(
            tr("Diagnostics", "Station {station} · database {database} · {role}").format(
                station=status.station, database=status.database, role=role
            )
        )

    def _update_summary(self, *_args) -> None:
        """Tags per quality, refreshed with the connection figures (not per frame)."""
        counts = {q: 0 for q in Quality}
        for row in range(self.tags.rowCount()):
            tv = self.tags.value_at(row)
            counts[tv.quality if tv else Quality.DISCONNECTED] += 1
        parts = [f"{quality_word(q)} {n}" for q, n in counts.items() if n or q.is_good]
        self.summary_label.setText(
            QCoreApplication.translate("Diagnostics", "Tags by quality: {counts}").format(
                counts=" · ".join(parts)
            )
        )

    # -- writing -----------------------------------------------------------------------------

    def select_tag(self, tag: str) -> bool:
        """Make `tag` the current row of the browser; False when it is filtered out."""
        row = self.filter.output_row(self.tags.row_of(tag))
        if row < 0:
            return False
        self.tag_view.setCurrentIndex(self.filter.output.index(row, 0))
        return True

    def open_write_dialog(self, tag: str) -> WriteDialog:
        """Open (non-blocking) the write dialog for `tag`; ValueError if it is read-only."""
        row = self.tags.row_of(tag)
        cfg = self.tags.tag_at(row)
        if not cfg.writable:
            raise ValueError(f"tag '{tag}' is not writable")
        if self.write_dialog is not None:
            self.write_dialog.close()
            self.write_dialog.deleteLater()
        dialog = WriteDialog(self._ctx, cfg, self.tags.value_at(row), self.tags.format, self)
        self.write_dialog = dialog
        dialog.open()
        return dialog

    def _current_tag(self) -> str | None:
        index = self.tag_view.currentIndex()
        if not index.isValid():
            return None
        return self.tags.tag_at(self.filter.source_row(index.row())).name

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        writable = current.isValid() and bool(current.data(tag_cols.WRITABLE_ROLE))
        self.write_button.setEnabled(writable)

    def _write_selected(self) -> None:
        tag = self._current_tag()
        if tag is not None and self.tags.tag_at(self.tags.row_of(tag)).writable:
            self.open_write_dialog(tag)

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.data(tag_cols.WRITABLE_ROLE):
            self.tag_view.setCurrentIndex(index)
            self._write_selected()

    def _context_menu(self, pos: QPoint) -> None:
        index = self.tag_view.indexAt(pos)
        if not index.isValid():
            return
        self.tag_view.setCurrentIndex(index)
        tag = self._current_tag()
        menu = QMenu(self)
        write = menu.addAction(QCoreApplication.translate("Diagnostics", "Write…"))
        write.setEnabled(bool(index.data(tag_cols.WRITABLE_ROLE)))
        write.triggered.connect(self._write_selected)
        copy = menu.addAction(QCoreApplication.translate("Diagnostics", "Copy tag name"))
        copy.triggered.connect(lambda: QGuiApplication.clipboard().setText(tag or ""))
        menu.popup(self.tag_view.viewport().mapToGlobal(pos))


def _combo(
    parent: QWidget, name: str, items: list[tuple[str, str]], on_pick: Callable[[str], None]
) -> QComboBox:
    """A filter choice: (text, value) items; `on_pick(value)` when the choice changes."""
    combo = QComboBox(parent, objectName=name)
    for text, value in items:
        combo.addItem(text, value)
    combo.currentIndexChanged.connect(lambda _i: on_pick(combo.currentData()))
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


def _table_look(view: QTableView) -> None:
    """Dense, read-only, whole-row selection, no row numbers, fixed row height (fast)."""
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    vertical = view.verticalHeader()
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(view.fontMetrics().height() + 10)
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setDefaultAlignment(
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    )
