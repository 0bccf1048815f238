"""The Trend screen: live and historical trends of any numeric tag.

Left, a searchable tag list; middle, the plot (`widgets.trend.TrendPlot`); below it
the pen table with each pen's value and its value at the cursor. Live mode scrolls a
window (1 min … 8 h) fed by the bridge's frames, one ring-buffer append per changed
tag per frame. History mode shows a range picked by date/time, preset, mouse or keys;
the data of the visible range (plus a margin for panning) is fetched in the background
with buckets matched to the plot's pixel width, and fetched again, debounced, when the
operator pans or zooms. Panning a live trend switches it to history; "Back to live"
returns.

The historian is reached through ``ctx.history`` (a `hmi.store.history.HistoryReader`)
when the station offers one; without it the screen is live only and says so.

Views: the plant's trend views (``[[trends]]`` in the plant config, read-only) and the
user's own saved views share one picker, in two groups. The screen opens on the view
named by ``params["view"]`` (``ctx.open_screen("trends", view="welding_conveyor")``), else
on one pen for ``params["tag"]`` (a widget's "Trend" menu), else on the plant's default
view, else empty. Opening a view is the same as adding its pens: live, over its window,
each pen's recent history fetched in the background.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDateTime, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateTimeEdit,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from hmi.plugin import ScreenContext, ScreenSpec
from hmi.tagvalue import TagValue
from screens.history_worker import HistoryFetcher, HistoryResult, HistorySource
from screens.trend_export import write_csv
from screens.trend_pens import PenTable, TagPicker
from screens.trend_views import PenView, TrendView, TrendViewStore, ViewStoreError, plant_view
from widgets.formatting import NO_VALUE, format_timestamp, format_value
from widgets.trend import PEN_COLORS, PenSpec, TrendPlot, alarm_limits

log = logging.getLogger(__name__)

LIVE_WINDOWS = (
    (QT_TRANSLATE_NOOP("Trends", "1 min"), 60),
    (QT_TRANSLATE_NOOP("Trends", "5 min"), 300),
    (QT_TRANSLATE_NOOP("Trends", "15 min"), 900),
    (QT_TRANSLATE_NOOP("Trends", "1 h"), 3600),
    (QT_TRANSLATE_NOOP("Trends", "8 h"), 8 * 3600),
)
HISTORY_PRESETS = (
    (QT_TRANSLATE_NOOP("Trends", "Last hour"), 3600),
    (QT_TRANSLATE_NOOP("Trends", "Last 8 hours"), 8 * 3600),
    (QT_TRANSLATE_NOOP("Trends", "Last 24 hours"), 24 * 3600),
    (QT_TRANSLATE_NOOP("Trends", "Last 7 days"), 7 * 86400),
    (QT_TRANSLATE_NOOP("Trends", "Last 30 days"), 30 * 86400),
)
REFETCH_DEBOUNCE_MS = 150
MAX_BUFFER = 200_000
"""Samples a live pen keeps at most (8 h at 10 Hz would be 288k: 6.4 MB per pen here)."""


def trends_screen_spec(level: int = 2) -> ScreenSpec:
    """The Trend screen as a `ScreenSpec` (the station registers it with its built-ins)."""
    return ScreenSpec("trends", {"en": "Trends", "zh_TW": "趨勢"}, build_trends, level=level)


def build_trends(ctx: ScreenContext) -> QWidget:
    """The screen factory: takes frames, snapshot, historian and user from the station's
    context when it has them, and works (live only) with a plain plugin context."""
    params = getattr(ctx, "params", None) or {}
    return TrendScreen(
        ctx,
        reader=getattr(ctx, "history", None),
        user=getattr(ctx, "user", "Viewer"),
        view=params.get("view"),
        tag=params.get("tag"),
    )


class TrendScreen(QWidget):
    """Tag list, plot, pen table and the live/history controls around them."""

    def __init__(
        self,
        ctx: ScreenContext,
        reader: HistorySource | None = None,
        *,
        user: str = "Viewer",
        views: TrendViewStore | None = None,
        clock: Callable[[], float] = time.time,
        view: str | None = None,
        tag: str | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("trendScreen")
        self._ctx = ctx
        self._clock = clock
        self._lang = ctx.lang
        self._config = ctx.config
        self._numeric = [t for t in ctx.config.tags if t.type.is_numeric]
        self._rate = ctx.config.display.frame_rate_hz
        self._bound: set[str] = set()
        self._sized = False
        self.views = views or TrendViewStore(user)
        self.plant_views = {v.name: v for v in ctx.config.trends}
        self.reader = reader
        self.fetcher = HistoryFetcher(reader, self) if reader is not None else None
        if self.fetcher is not None:
            self.fetcher.ready.connect(self._on_history)
        self._refetch = QTimer(self, singleShot=True, interval=REFETCH_DEBOUNCE_MS)
        self._refetch.timeout.connect(self.fetch_visible)

        self.plot = TrendPlot(capacity=self._capacity_for(300), clock=clock, parent=self)
        self.plot.range_edited.connect(self._on_range_edited)
        self.plot.cursor_moved.connect(self._on_cursor)
        self.picker = TagPicker(self._numeric, self._lang, self)
        self.picker.chosen.connect(self._operator_adds)
        self.pens = PenTable(self)
        self.pens.visibility_changed.connect(lambda t, v: self.plot.update_pen(t, visible=v))
        self.pens.color_changed.connect(self._on_color)
        self.pens.style_changed.connect(lambda t, s: self.plot.update_pen(t, style=s))
        self.pens.remove_requested.connect(self._operator_removes)
        self.status = QLabel(self, objectName="trendStatus")
        self.cursor_label = QLabel(self, objectName="cursorTime")

        self._build_layout()
        # The mode buttons show which mode is on; the station theme styles only the
        # navigation's checked buttons so far (isa101.qss is the place for this rule).
        self.setStyleSheet(
            "QPushButton:checked { background-color: #5a5a5a; color: #ffffff;"
            " border: 1px solid #3a3a3a; }"
        )
        frames = getattr(ctx, "frames", None)
        if frames is not None:
            frames.connect(self.on_frame)
        self.set_window(300)
        self._set_mode_buttons(live=True)
        if reader is None:
            self._say(QCoreApplication.translate("Trends", "No historian: live values only"))
        self._open_first(view, tag)

    def _open_first(self, view: str | None, tag: str | None) -> None:
        """What the screen shows when it opens (see the module doc)."""
        if view:
            self.open_view(view)
        elif tag:
            self.add_pen(tag)
        else:
            default = next((v.name for v in self.plant_views.values() if v.default), None)
            if default is not None:
                self.open_plant_view(default)

    # -- layout ----------------------------------------------------------------------------

    def _build_layout(self) -> None:
        self._make_actions()
        side = QWidget(self)
        side_col = QVBoxLayout(side)
        side_col.setContentsMargins(0, 0, 6, 0)
        side_col.addWidget(
            QLabel(QCoreApplication.translate("Trends", "Tags"), side, objectName="sectionTitle")
        )
        side_col.addWidget(self.picker, 1)
        side_col.addSpacing(8)
        side_col.addWidget(
            QLabel(QCoreApplication.translate("Trends", "Views"), side, objectName="sectionTitle")
        )
        side_col.addWidget(self.view_box)
        view_row = QHBoxLayout()
        view_row.addWidget(self.save_button, 1)
        view_row.addWidget(self.delete_button)
        side_col.addLayout(view_row)
        side.setMinimumWidth(220)

        top = QWidget(self)
        col = QVBoxLayout(top)
        col.setContentsMargins(6, 0, 0, 4)
        col.setSpacing(6)
        col.addLayout(self._toolbar())
        col.addWidget(self.plot, 1)
        info = QHBoxLayout()
        info.addWidget(self.status, 1)
        info.addWidget(self.cursor_label)
        info.addSpacing(12)
        for w in (self.cursor_button, self.csv_button, self.png_button):
            info.addWidget(w)
        col.addLayout(info)
        # A long status must not widen the screen: it is cut, the tooltip has it all.
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        plot_and_pens = QSplitter(Qt.Orientation.Vertical, self)
        plot_and_pens.setChildrenCollapsible(False)
        plot_and_pens.addWidget(top)
        plot_and_pens.addWidget(self.pens)
        plot_and_pens.setStretchFactor(0, 1)
        plot_and_pens.setStretchFactor(1, 0)
        self.pens.setMinimumHeight(90)
        rows = self.pens.verticalHeader().defaultSectionSize()
        plot_and_pens.setSizes([2000, self.pens.horizontalHeader().sizeHint().height() + 5 * rows])

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setChildrenCollapsible(False)
        split.addWidget(side)
        split.addWidget(plot_and_pens)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        self._split = split
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(split)

    def _make_actions(self) -> None:
        self.cursor_button = QPushButton(
            QCoreApplication.translate("Trends", "Cursor"), self, objectName="cursorButton"
        )
        self.cursor_button.setCheckable(True)
        self.cursor_button.setToolTip(
            QCoreApplication.translate("Trends", "A line you drag to read every pen's value")
        )
        self.cursor_button.toggled.connect(self._toggle_cursor)
        self.csv_button = QPushButton(
            QCoreApplication.translate("Trends", "CSV…"), self, objectName="exportCsv"
        )
        self.csv_button.setToolTip(
            QCoreApplication.translate("Trends", "Export the visible data to a CSV file")
        )
        self.csv_button.clicked.connect(self._ask_csv)
        self.png_button = QPushButton(
            QCoreApplication.translate("Trends", "PNG…"), self, objectName="exportPng"
        )
        self.png_button.setToolTip(
            QCoreApplication.translate("Trends", "Save the plot as a PNG image")
        )
        self.png_button.clicked.connect(self._ask_png)
        self.view_box = QComboBox(self, objectName="viewList")
        self.view_box.setMinimumContentsLength(8)
        self.view_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.view_box.activated.connect(self._on_view_chosen)
        self.view_box.currentIndexChanged.connect(self._update_view_buttons)
        self.save_button = QPushButton(
            QCoreApplication.translate("Trends", "Save view…"), self, objectName="saveView"
        )
        self.save_button.setToolTip(
            QCoreApplication.translate("Trends", "Save these pens as one of your own views")
        )
        self.save_button.clicked.connect(self._ask_save_view)
        self.delete_button = QPushButton(
            QCoreApplication.translate("Trends", "Delete"), self, objectName="deleteView"
        )
        self.delete_button.setToolTip(
            QCoreApplication.translate(
                "Trends", "Delete the chosen view (your own views only: plant views are read-only)"
            )
        )
        self.delete_button.clicked.connect(self._ask_delete_view)
        self._reload_view_names()

    def _toolbar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.setSpacing(6)
        self.live_button = QPushButton(
            QCoreApplication.translate("Trends", "Live"), self, objectName="liveMode"
        )
        self.history_button = QPushButton(
            QCoreApplication.translate("Trends", "History"), self, objectName="historyMode"
        )
        modes = QButtonGroup(self)
        modes.setExclusive(True)
        for b in (self.live_button, self.history_button):
            b.setCheckable(True)
            modes.addButton(b)
            bar.addWidget(b)
        self.live_button.clicked.connect(self.back_to_live)
        self.history_button.clicked.connect(lambda: self.show_preset(HISTORY_PRESETS[0][1]))
        bar.addSpacing(6)
        self.controls = QStackedWidget(self)
        self.controls.addWidget(self._live_controls())
        self.controls.addWidget(self._history_controls())
        bar.addWidget(self.controls, 1)
        return bar

    def _live_controls(self) -> QWidget:
        box = QWidget(self)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(QCoreApplication.translate("Trends", "Window"), box))
        self.window_box = QComboBox(box, objectName="liveWindow")
        for text, seconds in LIVE_WINDOWS:
            self.window_box.addItem(QCoreApplication.translate("Trends", text), seconds)
        self.window_box.setCurrentIndex(1)
        self.window_box.currentIndexChanged.connect(
            lambda _i: self.set_window(self.window_box.currentData())
        )
        row.addWidget(self.window_box)
        self.pause_button = QPushButton(
            QCoreApplication.translate("Trends", "Pause"), box, objectName="pauseButton"
        )
        self.pause_button.setCheckable(True)
        self.pause_button.toggled.connect(self.set_paused)
        row.addWidget(self.pause_button)
        row.addStretch(1)
        return box

    def _history_controls(self) -> QWidget:
        box = QWidget(self)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        fmt = "yyyy-MM-dd HH:mm"  # seconds: zoom in
        self.from_edit = QDateTimeEdit(box, objectName="fromTime", calendarPopup=True)
        self.to_edit = QDateTimeEdit(box, objectName="toTime", calendarPopup=True)
        for label, edit in (
            (QCoreApplication.translate("Trends", "From"), self.from_edit),
            (QCoreApplication.translate("Trends", "To"), self.to_edit),
        ):
            edit.setDisplayFormat(fmt)
            row.addWidget(QLabel(label, box))
            row.addWidget(edit)
        self.apply_button = QPushButton(
            QCoreApplication.translate("Trends", "Show"), box, objectName="applyRange"
        )
        self.apply_button.clicked.connect(self._apply_edits)
        row.addWidget(self.apply_button)
        self.preset_box = QComboBox(box, objectName="historyPreset")
        self.preset_box.addItem(QCoreApplication.translate("Trends", "Presets…"), 0)
        for text, seconds in HISTORY_PRESETS:
            self.preset_box.addItem(QCoreApplication.translate("Trends", text), seconds)
        self.preset_box.activated.connect(self._on_preset)
        row.addWidget(self.preset_box)
        self.live_again = QPushButton(
            QCoreApplication.translate("Trends", "Back to live"), box, objectName="backToLive"
        )
        self.live_again.clicked.connect(self.back_to_live)
        row.addWidget(self.live_again)
        row.addStretch(1)
        return box

    def _say(self, text: str) -> None:
        """Show a status message (cut when long, so the tooltip repeats it)."""
        self.status.setText(text)
        self.status.setToolTip(text)

    # -- pens ------------------------------------------------------------------------------

    def add_pen(
        self, tag: str, color: str | None = None, style: str = "solid", visible: bool = True
    ) -> bool:
        """Trend `tag`; False (and a status message) if it is trended already or unknown."""
        if tag in self.plot.tags:
            self._say(
                QCoreApplication.translate("Trends", "{tag} is already trended").format(tag=tag)
            )
            return False
        cfg = self._config.tag_index.get(tag)
        if cfg is None or not cfg.type.is_numeric:
            self._say(
                QCoreApplication.translate("Trends", "{tag} is not a numeric tag").format(tag=tag)
            )
            return False
        if color is None:
            used = {self.plot.spec(t).color for t in self.plot.tags}
            free = [c for c in PEN_COLORS if c not in used]
            color = free[0] if free else PEN_COLORS[len(self.plot.tags) % len(PEN_COLORS)]
        spec = PenSpec(tag, color, style, visible, cfg.units, alarm_limits(self._config, tag))
        self.plot.add_pen(spec)
        self.pens.add_pen(tag, cfg.description.get(self._lang), color, style, visible)
        self._follow(tag)
        if self.plot.live:
            self._backfill(tag)
        else:
            self._refetch.start()
        return True

    def remove_pen(self, tag: str) -> None:
        self.plot.remove_pen(tag)
        self.pens.remove_pen(tag)

    def _follow(self, tag: str) -> None:
        """Start feeding `tag`: its current value now, then every frame."""
        snapshot = getattr(self._ctx, "tag_snapshot", None)
        if snapshot is not None:
            current = snapshot().get(tag)
            if current is not None:
                self.on_frame({tag: current})
        elif tag not in self._bound:  # a plain plugin context: bind the screen itself
            self._bound.add(tag)
            self._ctx.bind(self, tag)

    def _backfill(self, tag: str) -> None:
        if self.fetcher is None:
            return
        now = self._clock()
        self.fetcher.fetch([tag], now - self.plot.window_s, now, 0, purpose=f"backfill:{tag}")

    def _on_color(self, tag: str, color: str) -> None:
        self.plot.update_pen(tag, color=color)

    # -- live ------------------------------------------------------------------------------

    def set_tag_value(self, value: TagValue) -> None:
        """TagWidget protocol, for contexts without frames: one value at a time."""
        self.on_frame({value.name: value})

    def on_frame(self, values: dict[str, TagValue]) -> None:
        """One display frame: append what changed to the pens' buffers, redraw them once."""
        changed = False
        for tag in self.plot.tags:
            tv = values.get(tag)
            if tv is None:
                continue
            changed |= self.plot.append(tv)
            self.pens.set_text(tag, PenTable.VALUE, self._value_text(tag, tv))
        if changed:
            self.plot.refresh()

    def _value_text(self, tag: str, tv: TagValue) -> str:
        cfg = self._config.tag(tag)
        if not tv.quality.is_good or tv.value is None:
            return NO_VALUE
        return f"{format_value(tv.value, cfg)} {cfg.units}".rstrip()

    def _capacity_for(self, window_s: float) -> int:
        return min(MAX_BUFFER, int(window_s * self._rate * 1.1) + 100)

    def set_window(self, seconds: float) -> None:
        needed = self._capacity_for(seconds)
        if needed > max((self.plot.buffer(t).capacity for t in self.plot.tags), default=0):
            self.plot.set_capacity(needed)
        self.plot.set_window(seconds)
        index = self.window_box.findData(seconds)
        if index >= 0 and index != self.window_box.currentIndex():
            self.window_box.setCurrentIndex(index)

    def set_paused(self, paused: bool) -> None:
        self.plot.set_paused(paused)
        self.pause_button.setText(
            QCoreApplication.translate("Trends", "Resume")
            if paused
            else QCoreApplication.translate("Trends", "Pause")
        )
        if self.pause_button.isChecked() != paused:
            self.pause_button.setChecked(paused)

    def back_to_live(self) -> None:
        if self.fetcher is not None:
            self.fetcher.cancel("view")
        self._refetch.stop()
        self.set_paused(False)
        self.plot.set_live(True)
        self._set_mode_buttons(live=True)
        self._say(
            ""
            if self.reader is not None
            else QCoreApplication.translate("Trends", "No historian: live values only")
        )

    def _set_mode_buttons(self, live: bool) -> None:
        self.live_button.setChecked(live)
        self.history_button.setChecked(not live)
        self.controls.setCurrentIndex(0 if live else 1)

    # -- history ---------------------------------------------------------------------------

    def show_range(self, t0: float, t1: float) -> None:
        """Switch to history mode showing [t0, t1] and fetch it."""
        if t1 <= t0:
            self._say(
                QCoreApplication.translate("Trends", "The end of the range must be after its start")
            )
            return
        if self.plot.live:
            self.plot.set_live(False)
            self._set_mode_buttons(live=False)
        self.plot.set_range(t0, t1)
        self._show_edits(t0, t1)
        self.fetch_visible()

    def show_preset(self, seconds: float) -> None:
        now = self._clock()
        self.show_range(now - seconds, now)

    def _on_preset(self, index: int) -> None:
        seconds = self.preset_box.itemData(index)
        if seconds:
            self.show_preset(seconds)
        self.preset_box.setCurrentIndex(0)

    def _apply_edits(self) -> None:
        t0 = self.from_edit.dateTime().toSecsSinceEpoch()
        t1 = self.to_edit.dateTime().toSecsSinceEpoch()
        self.show_range(float(t0), float(t1))

    def _show_edits(self, t0: float, t1: float) -> None:
        for edit, t in ((self.from_edit, t0), (self.to_edit, t1)):
            edit.blockSignals(True)
            edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(t)))
            edit.blockSignals(False)

    def _on_range_edited(self, t0: float, t1: float) -> None:
        """The operator panned or zoomed: history mode, refetch once the view settles."""
        if self.plot.live:
            self.plot.set_live(False)
            self._set_mode_buttons(live=False)
        self._show_edits(t0, t1)
        self._refetch.start()

    def fetch_visible(self) -> None:
        """Fetch the visible range plus half a view each side, sized to the plot's width."""
        if self.plot.live or not self.plot.tags:
            return
        if self.fetcher is None:
            self._say(QCoreApplication.translate("Trends", "No historian: live values only"))
            return
        t0, t1 = self.plot.visible_range()
        margin = (t1 - t0) / 2
        width = self.plot.plot_width_px() * 2
        self.fetcher.fetch(self.plot.tags, t0 - margin, t1 + margin, width)
        self._say(QCoreApplication.translate("Trends", "Loading history…"))

    def _on_history(self, result: HistoryResult) -> None:
        purpose = result.request.purpose
        if purpose.startswith("backfill:"):
            for tag, series in result.series.items():
                self.plot.backfill(tag, series.ts, series.value)
            return
        if self.plot.live:
            return
        for tag, series in result.series.items():
            self.plot.show_history(tag, series)
        if result.errors:
            self._say(
                QCoreApplication.translate("Trends", "History not available for: {tags}").format(
                    tags=", ".join(result.errors)
                )
            )
        else:
            points = sum(len(series.ts) for series in result.series.values())
            self._say(
                QCoreApplication.translate("Trends", "History: {points} points").format(
                    points=points
                )
            )
        self._on_cursor(self.plot.cursor.value())

    # -- cursor ----------------------------------------------------------------------------

    def _toggle_cursor(self, on: bool) -> None:
        self.plot.show_cursor(on)
        if not on:
            self.cursor_label.setText("")
            for tag in self.plot.tags:
                self.pens.set_text(tag, PenTable.CURSOR, "")

    def _on_cursor(self, t: float) -> None:
        if not self.plot.cursor.isVisible():
            return
        self.cursor_label.setText(
            QCoreApplication.translate("Trends", "Cursor: {time}").format(time=format_timestamp(t))
        )
        for tag in self.plot.tags:
            value = self.plot.value_at(tag, t)
            cfg = self._config.tag(tag)
            if value is None or value != value:  # none yet, or a gap (NaN)
                text = NO_VALUE
            else:
                text = f"{format_value(value, cfg)} {cfg.units}".rstrip()
            self.pens.set_text(tag, PenTable.CURSOR, text)

    # -- export ----------------------------------------------------------------------------

    def export_csv(self, path: Path) -> int:
        """Write the visible data of the visible pens; returns the number of rows."""
        rows = write_csv(path, self.plot.visible_data())
        self._say(
            QCoreApplication.translate("Trends", "Exported {rows} rows to {path}").format(
                rows=rows, path=path
            )
        )
        return rows

    def export_png(self, path: Path) -> bool:
        ok = self.plot.grab().save(str(path), "PNG")
        self._say(
            QCoreApplication.translate("Trends", "Saved {path}").format(path=path)
            if ok
            else QCoreApplication.translate("Trends", "Cannot write {path}").format(path=path)
        )
        return ok

    def _default_name(self, ext: str) -> str:
        return f"trend-{datetime.now():%Y%m%d-%H%M%S}.{ext}"

    def _ask_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            QCoreApplication.translate("Trends", "Export CSV"),
            self._default_name("csv"),
            QCoreApplication.translate("Trends", "CSV files (*.csv)"),
        )
        if path:
            self.export_csv(Path(path))

    def _ask_png(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            QCoreApplication.translate("Trends", "Save image"),
            self._default_name("png"),
            QCoreApplication.translate("Trends", "PNG images (*.png)"),
        )
        if path:
            self.export_png(Path(path))

    # -- named views -----------------------------------------------------------------------

    PLANT, USER = "plant", "user"

    def current_view(self, name: str) -> TrendView:
        pens = [
            PenView(t, self.plot.spec(t).color, self.plot.spec(t).style, self.plot.spec(t).visible)
            for t in self.plot.tags
        ]
        if self.plot.live:
            return TrendView(name, pens, "live", self.plot.window_s)
        t0, t1 = self.plot.visible_range()
        return TrendView(name, pens, "history", self.plot.window_s, t0, t1)

    def plant_view_title(self, name: str) -> str:
        return self.plant_views[name].title.get(self._lang)

    def _plant_name_of(self, name: str) -> str | None:
        """The plant view `name` is the name or a title of (any language), else None."""
        key = name.strip().casefold()
        for view in self.plant_views.values():
            titles = (view.name, view.title.en, view.title.zh_TW or "")
            if key in (t.casefold() for t in titles):
                return view.name
        return None

    def save_view(self, name: str) -> bool:
        """Save the pens and range as the user's view `name`; a plant view's name or title
        is refused (plant views are read-only: a copy needs a name of its own)."""
        if self._plant_name_of(name) is not None:
            self._say(
                QCoreApplication.translate(
                    "Trends", "'{name}' is a plant view: save your copy under another name"
                ).format(name=name)
            )
            return False
        try:
            self.views.save(self.current_view(name))
        except ViewStoreError as exc:
            self._say(str(exc))
            return False
        self._reload_view_names()
        self._select_view(self.USER, name)
        self._say(QCoreApplication.translate("Trends", "View '{name}' saved").format(name=name))
        return True

    def delete_view(self, name: str) -> bool:
        """Delete the user's view `name`; plant views cannot be deleted here."""
        if name in self.plant_views:
            self._say(
                QCoreApplication.translate(
                    "Trends", "'{name}' is a plant view: it can only be changed in the plant config"
                ).format(name=self.plant_view_title(name))
            )
            return False
        try:
            self.views.delete(name)
        except ViewStoreError as exc:
            self._say(str(exc))
            return False
        self._reload_view_names()
        self._say(QCoreApplication.translate("Trends", "View '{name}' deleted").format(name=name))
        return True

    def open_view(self, name: str) -> bool:
        """Open the plant view `name`, else the user's saved view of that name."""
        if name in self.plant_views:
            return self.open_plant_view(name)
        return self.load_view(name)

    def open_plant_view(self, name: str) -> bool:
        """Show the plant view `name`: its pens, live over its window (history backfilled)."""
        config = self.plant_views.get(name)
        if config is None:
            self._say(
                QCoreApplication.translate("Trends", "No trend view named '{name}'").format(
                    name=name
                )
            )
            return False
        self._apply_view(plant_view(config))
        self._select_view(self.PLANT, name)
        return True

    def load_view(self, name: str) -> bool:
        """Show the user's saved view `name`."""
        try:
            view = self.views.load(name)
        except KeyError:
            self._say(
                QCoreApplication.translate("Trends", "No trend view named '{name}'").format(
                    name=name
                )
            )
            return False
        except ViewStoreError as exc:
            self._say(str(exc))
            return False
        self._apply_view(view)
        self._select_view(self.USER, name)
        return True

    def _apply_view(self, view: TrendView) -> None:
        """Replace the pens by the view's: added as an operator adds them, so live pens
        get their recent history in the background the same way."""
        for tag in self.plot.tags:
            self.remove_pen(tag)
        self.back_to_live()
        self.set_window(view.window_s)
        for pen in view.pens:
            self.add_pen(pen.tag, pen.color, pen.style, pen.visible)
        if view.mode == "history" and view.t0 is not None and view.t1 is not None:
            self.show_range(view.t0, view.t1)

    def _operator_adds(self, tag: str) -> None:
        if self.add_pen(tag):
            self._select_view("", "")  # the pens are no longer the chosen view's

    def _operator_removes(self, tag: str) -> None:
        self.remove_pen(tag)
        self._select_view("", "")

    def _reload_view_names(self) -> None:
        """The picker: a placeholder, then "Plant views" and "My views", each under a
        header that cannot be chosen."""
        try:
            names = self.views.names()
        except ViewStoreError as exc:
            names = []
            self._say(str(exc))
        box = self.view_box
        current = box.currentData()
        box.blockSignals(True)
        box.clear()
        box.addItem(QCoreApplication.translate("Trends", "Open a view…"), None)
        if self.plant_views:
            self._add_header(QCoreApplication.translate("Trends", "Plant views"))
            lines = {line.name: line.title.get(self._lang) for line in self._config.lines}
            for view in self.plant_views.values():
                box.addItem("  " + view.title.get(self._lang), f"{self.PLANT}:{view.name}")
                tip = lines.get(view.line or "", "")
                box.setItemData(box.count() - 1, tip or None, Qt.ItemDataRole.ToolTipRole)
        grouped = bool(self.plant_views)  # without plant views, a plain list as before
        if names and grouped:
            self._add_header(QCoreApplication.translate("Trends", "My views"))
        for name in names:
            box.addItem(("  " if grouped else "") + name, f"{self.USER}:{name}")
        index = box.findData(current)
        box.setCurrentIndex(max(0, index))
        box.blockSignals(False)
        self._update_view_buttons()

    def _add_header(self, text: str) -> None:
        """A group title in the picker: shown, not choosable."""
        box = self.view_box
        box.addItem(text, None)
        item = box.model().item(box.count() - 1)
        item.setEnabled(False)
        font = QFont(box.font())
        font.setBold(True)
        item.setFont(font)

    def _select_view(self, kind: str, name: str) -> None:
        index = self.view_box.findData(f"{kind}:{name}") if kind else -1
        self.view_box.setCurrentIndex(max(0, index))

    def chosen_view(self) -> tuple[str, str] | None:
        """(kind, name) of the view the picker shows, None for the placeholder."""
        return _split_entry(self.view_box.currentData())

    def view_entries(self) -> list[tuple[str, str, str]]:
        """(kind, name, text) of each view in the picker, in its order (headers left out)."""
        box = self.view_box
        out = []
        for i in range(box.count()):
            entry = _split_entry(box.itemData(i))
            if entry:
                out.append((*entry, box.itemText(i).strip()))
        return out

    def _update_view_buttons(self, *_: Any) -> None:
        chosen = self.chosen_view()
        self.delete_button.setEnabled(chosen is not None and chosen[0] == self.USER)

    def _on_view_chosen(self, index: int) -> None:
        entry = _split_entry(self.view_box.itemData(index))
        if entry is None:
            return
        kind, name = entry
        if kind == self.PLANT:
            self.open_plant_view(name)
        else:
            self.load_view(name)

    def _ask_save_view(self) -> None:
        chosen = self.chosen_view()
        suggestion = chosen[1] if chosen and chosen[0] == self.USER else ""
        name, ok = QInputDialog.getText(
            self,
            QCoreApplication.translate("Trends", "Save view"),
            QCoreApplication.translate("Trends", "Name of the view:"),
            text=suggestion,
        )
        if ok and name.strip():
            self.save_view(name.strip())

    def _ask_delete_view(self) -> None:
        chosen = self.chosen_view()
        if chosen is None or chosen[0] != self.USER:
            return
        answer = QMessageBox.question(
            self,
            QCoreApplication.translate("Trends", "Delete view"),
            QCoreApplication.translate("Trends", "Delete your view '{name}'?").format(
                name=chosen[1]
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_view(chosen[1])

    # -- life cycle ------------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._sized:  # the tag list gets room for names once, then the operator's say
            self._sized = True
            side = min(320, self.width() // 4)
            self._split.setSizes([side, max(1, self._split.width() - side)])

    def closeEvent(self, event: Any) -> None:
        if self.fetcher is not None:
            self.fetcher.close()
        super().closeEvent(event)


def _split_entry(data: Any) -> tuple[str, str] | None:
    """A picker entry's data "plant:<name>" / "user:<name>" as (kind, name); None for the
    placeholder and the group headers. (A string: Qt compares it in findData.)"""
    if not isinstance(data, str) or ":" not in data:
        return None
    kind, name = data.split(":", 1)
    return kind, name
