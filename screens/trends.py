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
user's own saved views share one picker, in two groups (`screens.trend_view_bar`; the
live/history controls are `screens.trend_toolbar`). The screen opens on the view
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

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from hmi.plugin import ScreenContext, ScreenSpec
from hmi.tagvalue import TagValue
from screens.history_worker import HistoryFetcher, HistoryResult, HistorySource
from screens.trend_export import write_csv
from screens.trend_pens import PenTable, TagPicker
from screens.trend_toolbar import TrendToolbar
from screens.trend_view_bar import TrendViewBar
from screens.trend_views import PenView, TrendView, TrendViewStore
from widgets.formatting import NO_VALUE, format_timestamp, format_value
from widgets.trend import PEN_COLORS, PenSpec, TrendPlot, alarm_limits

log = logging.getLogger(__name__)

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

        self._build_layout(views or TrendViewStore(user))
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
        self.toolbar.show_mode(live=True)
        if reader is None:
            self._say(QCoreApplication.translate("Trends", "No historian: live values only"))
        self._open_first(view, tag)

    def _open_first(self, view: str | None, tag: str | None) -> None:
        """What the screen shows when it opens (see the module doc)."""
        if view:
            self.views.open_view(view)
        elif tag:
            self.add_pen(tag)
        else:
            default = self.views.default_view()
            if default is not None:
                self.views.open_plant_view(default)

    # -- layout ----------------------------------------------------------------------------

    def _build_layout(self, store: TrendViewStore) -> None:
        self._make_actions(store)
        side = QWidget(self)
        side_col = QVBoxLayout(side)
        side_col.setContentsMargins(0, 0, 6, 0)
        side_col.addWidget(
            QLabel(QCoreApplication.translate("Trends", "Tags"), side, objectName="sectionTitle")
        )
        side_col.addWidget(self.picker, 1)
        side_col.addSpacing(8)
        side_col.addWidget(self.views)
        side.setMinimumWidth(220)

        top = QWidget(self)
        col = QVBoxLayout(top)
        col.setContentsMargins(6, 0, 0, 4)
        col.setSpacing(6)
        col.addWidget(self._make_toolbar())
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

    def _make_actions(self, store: TrendViewStore) -> None:
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
        self.views = TrendViewBar(store, self._config, self._lang, self.current_view, self)
        self.views.view_chosen.connect(self._apply_view)
        self.views.message.connect(self._say)
        self.views.reload()

    def _make_toolbar(self) -> TrendToolbar:
        self.toolbar = TrendToolbar(self)
        self.toolbar.live_requested.connect(self.back_to_live)
        self.toolbar.window_chosen.connect(self.set_window)
        self.toolbar.pause_toggled.connect(self.set_paused)
        self.toolbar.preset_chosen.connect(self.show_preset)
        self.toolbar.range_chosen.connect(self.show_range)
        return self.toolbar

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
        self.toolbar.show_window(seconds)

    def set_paused(self, paused: bool) -> None:
        self.plot.set_paused(paused)
        self.toolbar.show_paused(paused)

    def back_to_live(self) -> None:
        if self.fetcher is not None:
            self.fetcher.cancel("view")
        self._refetch.stop()
        self.set_paused(False)
        self.plot.set_live(True)
        self.toolbar.show_mode(live=True)
        self._say(
            ""
            if self.reader is not None
            else QCoreApplication.translate("Trends", "No historian: live values only")
        )

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
            self.toolbar.show_mode(live=False)
        self.plot.set_range(t0, t1)
        self.toolbar.show_range(t0, t1)
        self.fetch_visible()

    def show_preset(self, seconds: float) -> None:
        now = self._clock()
        self.show_range(now - seconds, now)

    def _on_range_edited(self, t0: float, t1: float) -> None:
        """The operator panned or zoomed: history mode, refetch once the view settles."""
        if self.plot.live:
            self.plot.set_live(False)
            self.toolbar.show_mode(live=False)
        self.toolbar.show_range(t0, t1)
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

    # -- views ----------------------------------------------------------------------------

    def current_view(self, name: str) -> TrendView:
        """The pens and range on show, as the view `name` (what "Save view…" saves)."""
        pens = [
            PenView(t, self.plot.spec(t).color, self.plot.spec(t).style, self.plot.spec(t).visible)
            for t in self.plot.tags
        ]
        if self.plot.live:
            return TrendView(name, pens, "live", self.plot.window_s)
        t0, t1 = self.plot.visible_range()
        return TrendView(name, pens, "history", self.plot.window_s, t0, t1)

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
            self.views.clear_choice()  # the pens are no longer the chosen view's

    def _operator_removes(self, tag: str) -> None:
        self.remove_pen(tag)
        self.views.clear_choice()

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
