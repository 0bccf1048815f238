"""Trend plots: `TrendPlot` (the pyqtgraph core the trend screen drives) and `TrendWidget`
(a small live trend a plugin screen binds like any tag widget).

Live drawing costs per frame what arrived in the frame, not what is on screen: each
pen appends to its numpy ring buffer (`widgets.trend_buffer`) and hands pyqtgraph a
view of it; clip-to-view and peak downsampling keep the drawn point count near the
pixel width however long the window. Quality gaps are NaN and break the line
(``connect='finite'``), so an outage never looks like a flat value.

ISA-101 keeps the plot grey with subtle dark grid lines; a trend is the one place where
colour means identity, so pens take calm, distinguishable colours from `PEN_COLORS`
(no red or magenta: those mean alarm and bad quality). Pens of the same units share a
y-axis; each further unit gets its own axis on the right, X-linked to the first.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from hmi.config import PlantConfig, TagConfig
from hmi.tagvalue import TagValue
from widgets.formatting import NO_VALUE, format_value
from widgets.trend_buffer import RingBuffer, sample_of

PEN_COLORS = (
    "#1f4e9c",  # blue
    "#b35a00",  # burnt orange
    "#13795b",  # teal green
    "#6a3d9a",  # purple
    "#7a6500",  # olive
    "#0e6f86",  # petrol
    "#8c4a2f",  # brown
    "#2b2b2b",  # charcoal
)
"""Pen colours in the order new pens take them: dark enough for the grey plot, told
apart by hue and lightness, none of them an alarm or quality colour."""

LINE_STYLES = {
    "solid": Qt.PenStyle.SolidLine,
    "dash": Qt.PenStyle.DashLine,
    "dot": Qt.PenStyle.DotLine,
    "dashdot": Qt.PenStyle.DashDotLine,
}

PLOT_BACKGROUND = "#e2e2e2"
AXIS_INK = "#3a3a3a"
GRID_ALPHA = 0.18
LIMIT_LABELS = {"hihi": "HH", "hi": "H", "lo": "L", "lolo": "LL"}


def alarm_limits(config: PlantConfig | None, tag: str) -> list[tuple[str, float]]:
    """The (kind, limit) of the tag's HIHI/HI/LO/LOLO alarms in the plant config."""
    if config is None:
        return []
    out = []
    for alarm in config.alarms:
        if alarm.tag == tag and alarm.type.is_limit and alarm.limit is not None:
            out.append((alarm.type.value, float(alarm.limit)))
    return out


@dataclass
class PenSpec:
    """What a pen shows and how it looks; the trend screen saves these in views."""

    tag: str
    color: str
    style: str = "solid"
    visible: bool = True
    units: str = ""
    limits: list[tuple[str, float]] = field(default_factory=list)

    def qpen(self, width: int = 1) -> Any:
        """A cosmetic 1 px pen: Qt strokes wider (or fractional) lines on a slow path,
        2.5x the frame time with 20 pens of 10k points here."""
        pen = pg.mkPen(self.color, width=width)
        pen.setStyle(LINE_STYLES.get(self.style, Qt.PenStyle.SolidLine))
        pen.setCosmetic(True)
        return pen


class _Pen:
    """One pen's plot items, live buffer and last history result."""

    def __init__(self, spec: PenSpec, view: pg.ViewBox, capacity: int):
        self.spec = spec
        self.view = view
        self.buffer = RingBuffer(capacity)
        self.history: Any = None  # RawSeries | BucketSeries of the history mode
        self.dirty = False
        self.curve = pg.PlotDataItem()
        self.envelope = pg.PlotDataItem()
        # The line: pyqtgraph clips to the view and peak-downsamples to the pixel width.
        # The envelope is drawn as vertical min-max pairs, which neither may split or
        # thin out; it holds at most two points per fetched bucket anyway.
        self.curve.setDownsampling(auto=True, method="peak")
        self.curve.setClipToView(True)
        self.envelope.setZValue(-1)
        self.limit_lines: list[pg.InfiniteLine] = []
        view.addItem(self.envelope)
        view.addItem(self.curve)
        for kind, value in spec.limits:
            line = pg.InfiniteLine(
                pos=value,
                angle=0,
                movable=False,
                label=LIMIT_LABELS.get(kind, kind.upper()),
                labelOpts={"position": 0.015, "color": spec.color, "anchors": [(0, 1), (0, 1)]},
            )
            view.addItem(line)  # in the y auto-range: the operator sees how close it is
            self.limit_lines.append(line)
        self.restyle()

    def restyle(self) -> None:
        spec = self.spec
        self.curve.setPen(spec.qpen())
        band = QColor(spec.color)
        band.setAlpha(55)
        self.envelope.setPen(pg.mkPen(band, width=1))
        limit_pen = pg.mkPen(spec.color, width=1, style=Qt.PenStyle.DashLine)
        for line in self.limit_lines:
            line.setPen(limit_pen)
        for item in (self.curve, self.envelope, *self.limit_lines):
            item.setVisible(spec.visible)

    def detach(self) -> None:
        for item in (self.curve, self.envelope, *self.limit_lines):
            self.view.removeItem(item)

    # -- data ------------------------------------------------------------------------------

    def show_live(self) -> None:
        ts, values = self.buffer.view()
        self.curve.setData(ts, values, connect="finite")
        self.envelope.setData([], [])
        self.dirty = False

    def show_history(self, series: Any) -> None:
        self.history = series
        if series is None:
            self.curve.setData([], [])
            self.envelope.setData([], [])
        elif hasattr(series, "mean"):  # buckets: min–max bars behind the mean line
            self.curve.setData(series.ts, series.mean, connect="finite")
            full = np.isfinite(series.min) & np.isfinite(series.max)
            x = np.repeat(series.ts[full], 2)
            y = np.column_stack([series.min[full], series.max[full]]).ravel()
            self.envelope.setData(x, y, connect="pairs")
        else:
            self.curve.setData(series.ts, series.value, connect="finite")
            self.envelope.setData([], [])

    def data(self, live: bool) -> tuple[np.ndarray, np.ndarray]:
        """(ts, values) the pen shows now: its buffer live, its history result otherwise."""
        if live or self.history is None:
            return self.buffer.view()
        series = self.history
        return series.ts, (series.mean if hasattr(series, "mean") else series.value)

    def value_at(self, t: float, live: bool) -> float | None:
        ts, values = self.data(live)
        i = int(np.searchsorted(ts, t, side="right")) - 1
        return None if i < 0 else float(values[i])


class TrendPlot(pg.PlotWidget):
    """A time plot of pens with per-unit y-axes, a live mode and a history mode.

    Live: `append` values, then `refresh` once per frame; the x range follows the
    newest time while not paused. History: `show_history` per pen with arrays from
    the historian; `range_edited` tells when the user moved or zoomed the view (mouse,
    arrow keys, +/-), so the owner can fetch data for the new range.
    """

    range_edited = Signal(float, float)
    cursor_moved = Signal(float)

    def __init__(
        self,
        capacity: int = 20_000,
        clock: Callable[[], float] = time.time,
        parent: QWidget | None = None,
    ):
        super().__init__(
            parent, background=PLOT_BACKGROUND, axisItems={"bottom": pg.DateAxisItem()}
        )
        self._capacity = capacity
        self._clock = clock
        self._pens: dict[str, _Pen] = {}
        self._axes: dict[str, tuple[pg.ViewBox, pg.AxisItem]] = {}
        self._extra_views: list[pg.ViewBox] = []
        self.live = True
        self.paused = False
        self.window_s = 300.0
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        item.showGrid(x=True, y=True, alpha=GRID_ALPHA)
        for name in ("left", "bottom", "right"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen(AXIS_INK))
            axis.setTextPen(pg.mkPen(AXIS_INK))
        item.getAxis("right").setGrid(False)
        self.main_view: pg.ViewBox = item.getViewBox()
        self._setup_view(self.main_view)
        self.main_view.sigResized.connect(self._sync_views)
        self.main_view.sigRangeChangedManually.connect(self._on_user_range)

        self.cursor = pg.InfiniteLine(angle=90, movable=True, pen=pg.mkPen(AXIS_INK, width=1))
        self.cursor.setHoverPen(pg.mkPen(AXIS_INK, width=3))
        self.cursor.setVisible(False)
        self.cursor.setZValue(20)
        self.main_view.addItem(self.cursor, ignoreBounds=True)
        self.cursor.sigPositionChanged.connect(lambda line: self.cursor_moved.emit(line.value()))

        self._scroll_timer = QTimer(self)
        self._scroll_timer.setInterval(200)
        self._scroll_timer.timeout.connect(self.scroll)
        self.set_window(self.window_s)

    def showEvent(self, ev: Any) -> None:
        super().showEvent(ev)
        self._scroll_timer.start()  # scroll only while someone can see it
        self.scroll()

    def hideEvent(self, ev: Any) -> None:
        super().hideEvent(ev)
        self._scroll_timer.stop()

    @staticmethod
    def _setup_view(view: pg.ViewBox) -> None:
        view.setMouseEnabled(x=True, y=False)
        view.enableAutoRange(axis=pg.ViewBox.YAxis)
        view.setAutoVisible(y=True)

    # -- pens ------------------------------------------------------------------------------

    @property
    def tags(self) -> list[str]:
        return list(self._pens)

    def spec(self, tag: str) -> PenSpec:
        return self._pens[tag].spec

    def add_pen(self, spec: PenSpec) -> None:
        """Add a pen; it shares the y-axis of pens with the same units, or gets a new one."""
        if spec.tag in self._pens:
            raise ValueError(f"'{spec.tag}' is already trended")
        view = self._view_for(spec.units)
        pen = _Pen(spec, view, self._capacity)
        self._pens[spec.tag] = pen
        if not self.live and pen.history is None:
            pen.show_history(None)

    def remove_pen(self, tag: str) -> None:
        pen = self._pens.pop(tag)
        pen.detach()
        self._release_axis(pen.spec.units)

    def update_pen(self, tag: str, **changes: Any) -> None:
        """Change colour, style or visibility of a pen (`PenSpec` field names)."""
        pen = self._pens[tag]
        for name, value in changes.items():
            setattr(pen.spec, name, value)
        pen.restyle()

    def curve(self, tag: str) -> pg.PlotDataItem:
        """The pen's line (tests and exports read its data)."""
        return self._pens[tag].curve

    def envelope(self, tag: str) -> pg.PlotDataItem:
        return self._pens[tag].envelope

    def buffer(self, tag: str) -> RingBuffer:
        return self._pens[tag].buffer

    def axis_units(self) -> list[str]:
        """The units of each y-axis, left axis first."""
        return list(self._axes)

    # -- axes ------------------------------------------------------------------------------

    def _view_for(self, units: str) -> pg.ViewBox:
        if units in self._axes:
            return self._axes[units][0]
        item = self.getPlotItem()
        if not self._axes:
            view, axis = self.main_view, item.getAxis("left")
        else:
            view = pg.ViewBox()
            self._setup_view(view)
            axis = pg.AxisItem("right")
            axis.setPen(pg.mkPen(AXIS_INK))
            axis.setTextPen(pg.mkPen(AXIS_INK))
            item.layout.addItem(axis, 2, 2 + len(self._axes))
            item.scene().addItem(view)
            axis.linkToView(view)
            view.setXLink(self.main_view)
            axis.setZValue(-10000)
            self._extra_views.append(view)
        axis.setLabel(units or QCoreApplication.translate("TrendWidget", "(no units)"))
        self._axes[units] = (view, axis)
        self._sync_views()
        return view

    def _release_axis(self, units: str) -> None:
        if any(p.spec.units == units for p in self._pens.values()):
            return
        view, axis = self._axes.pop(units)
        if view is self.main_view:
            axis.setLabel("")
            if self._axes:  # the left axis is free: move the next unit's pens onto it
                self._rebuild_axes()
            return
        self._drop_view(view, axis)

    def _drop_view(self, view: pg.ViewBox, axis: pg.AxisItem) -> None:
        item = self.getPlotItem()
        item.layout.removeItem(axis)
        for part in (axis, view):
            if part.scene() is not None:
                part.scene().removeItem(part)
        self._extra_views.remove(view)

    def _rebuild_axes(self) -> None:
        specs = [(p.spec, p.buffer, p.history) for p in self._pens.values()]
        for pen in self._pens.values():
            pen.detach()
        for view, axis in list(self._axes.values()):
            if view is not self.main_view:
                self._drop_view(view, axis)
        self._axes.clear()
        self._pens.clear()
        for spec, buf, history in specs:
            self.add_pen(spec)
            pen = self._pens[spec.tag]
            pen.buffer = buf
            if self.live:
                pen.show_live()
            else:
                pen.show_history(history)

    def _sync_views(self, *_: Any) -> None:
        rect = self.main_view.sceneBoundingRect()
        for view in self._extra_views:
            view.setGeometry(rect)
            view.linkedViewChanged(self.main_view, view.XAxis)

    # -- live ------------------------------------------------------------------------------

    def append(self, tv: TagValue) -> bool:
        """Store a value of a trended tag in its buffer; True when something was stored."""
        pen = self._pens.get(tv.name)
        if pen is None:
            return False
        sample = sample_of(tv, pen.buffer.last_ts)
        if sample is None or not pen.buffer.append(*sample):
            return False
        pen.dirty = True
        return True

    def backfill(self, tag: str, ts: np.ndarray, values: np.ndarray) -> None:
        """Put history (older than the live samples) into a pen's buffer."""
        pen = self._pens.get(tag)
        if pen is None:
            return
        pen.buffer.prepend(ts, values)
        pen.dirty = True
        self.refresh()

    def refresh(self) -> None:
        """Redraw the pens whose buffers changed (live mode, not paused)."""
        if not self.live or self.paused:
            return
        for pen in self._pens.values():
            if pen.dirty:
                pen.show_live()

    def set_window(self, seconds: float) -> None:
        """The live window's width (see `set_capacity` for how much each pen keeps)."""
        self.window_s = float(seconds)
        self.scroll()

    def set_capacity(self, samples: int) -> None:
        """How many samples each pen's buffer keeps (new pens too); the newest are kept."""
        self._capacity = max(16, int(samples))
        for pen in self._pens.values():
            pen.buffer.resize(self._capacity)

    def newest_ts(self) -> float:
        newest = [p.buffer.last_ts for p in self._pens.values() if len(p.buffer)]
        return max(newest, default=-math.inf)

    def scroll(self) -> None:
        """Keep the live window's right edge at now (or the newest sample, if later)."""
        if not self.live or self.paused:
            return
        right = max(self._clock(), self.newest_ts())
        self.main_view.setXRange(right - self.window_s, right, padding=0)

    def set_live(self, live: bool) -> None:
        """Switch between live (buffers, scrolling) and history (fetched series)."""
        self.live = live
        for pen in self._pens.values():
            if live:
                pen.history = None
                pen.show_live()
            else:
                pen.show_history(pen.history)
        self.scroll()

    def set_paused(self, paused: bool) -> None:
        self.paused = paused
        if not paused:
            for pen in self._pens.values():
                pen.show_live()
            self.scroll()

    # -- history ---------------------------------------------------------------------------

    def show_history(self, tag: str, series: Any) -> None:
        """Show a `RawSeries` or `BucketSeries` for `tag` (history mode)."""
        pen = self._pens.get(tag)
        if pen is not None and not self.live:
            pen.show_history(series)

    def set_range(self, t0: float, t1: float) -> None:
        self.main_view.setXRange(t0, t1, padding=0)

    def visible_range(self) -> tuple[float, float]:
        (t0, t1), _ = self.main_view.viewRange()
        return float(t0), float(t1)

    def plot_width_px(self) -> int:
        return max(50, int(self.main_view.width()))

    def _on_user_range(self, *_: Any) -> None:
        self.range_edited.emit(*self.visible_range())

    def keyPressEvent(self, ev: QKeyEvent) -> None:
        """Arrow keys pan by a tenth of the view, +/- zoom around its centre."""
        t0, t1 = self.visible_range()
        span = t1 - t0
        key = ev.key()
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            step = span / 10 * (-1 if key == Qt.Key.Key_Left else 1)
            t0, t1 = t0 + step, t1 + step
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal, Qt.Key.Key_Minus):
            factor = 0.8 if key != Qt.Key.Key_Minus else 1.25
            mid = (t0 + t1) / 2
            t0, t1 = mid - span * factor / 2, mid + span * factor / 2
        else:
            super().keyPressEvent(ev)
            return
        self.set_range(t0, t1)
        self.range_edited.emit(t0, t1)
        ev.accept()

    # -- cursor and data -------------------------------------------------------------------

    def show_cursor(self, on: bool) -> None:
        if on and not self.cursor.isVisible():
            t0, t1 = self.visible_range()
            self.cursor.setValue(t0 + (t1 - t0) * 0.75)
        self.cursor.setVisible(on)
        if on:
            self.cursor_moved.emit(self.cursor.value())

    def value_at(self, tag: str, t: float) -> float | None:
        return self._pens[tag].value_at(t, self.live)

    def visible_data(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Per visible pen, the (ts, values) inside the visible time range."""
        t0, t1 = self.visible_range()
        out = {}
        for tag, pen in self._pens.items():
            if not pen.spec.visible:
                continue
            ts, values = pen.data(self.live)
            inside = (ts >= t0) & (ts <= t1)
            out[tag] = (ts[inside].copy(), values[inside].copy())
        return out


class TrendWidget(QWidget):
    """A small live trend for plugin screens: a few pens, their values underneath.

    Bind it to each of its tags (``for t in w.tags: ctx.bind(w, t)``); it tells the
    values apart by `TagValue.name` and redraws once per frame, however many tags.
    """

    def __init__(
        self,
        configs: Sequence[TagConfig],
        window_s: float = 300.0,
        *,
        plant: PlantConfig | None = None,
        capacity: int = 5_000,
        clock: Callable[[], float] = time.time,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("trendWidget")
        self._configs = {c.name: c for c in configs}
        self.plot = TrendPlot(capacity=capacity, clock=clock, parent=self)
        self.plot.set_window(window_s)
        self.plot.setMinimumHeight(140)
        legend = QHBoxLayout()
        legend.setContentsMargins(4, 0, 4, 0)
        legend.setSpacing(14)
        self._values: dict[str, QLabel] = {}
        for i, cfg in enumerate(configs):
            color = PEN_COLORS[i % len(PEN_COLORS)]
            self.plot.add_pen(
                PenSpec(cfg.name, color, units=cfg.units, limits=alarm_limits(plant, cfg.name))
            )
            swatch = QLabel("━━", self)
            swatch.setStyleSheet(f"color: {color}; font-weight: bold;")
            name = QLabel(cfg.name.rsplit(".", 1)[-1], self)
            name.setToolTip(cfg.name)
            value = QLabel(NO_VALUE, self, objectName="trendValue")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self._values[cfg.name] = value
            for w in (swatch, name, value):
                legend.addWidget(w)
            legend.addSpacing(10)
        legend.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.plot, 1)
        layout.addLayout(legend)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._refresh_pending = False

    @property
    def tags(self) -> list[str]:
        return list(self._configs)

    def set_tag_value(self, value: TagValue) -> None:
        """Called by the binder per tag per frame; the redraw is coalesced to one per frame."""
        if not self.plot.append(value):
            return
        cfg = self._configs[value.name]
        text = format_value(value.value, cfg) if value.quality.is_good else NO_VALUE
        label = self._values[value.name]
        label.setText(f"{text} {cfg.units}".rstrip())
        if not self._refresh_pending:
            self._refresh_pending = True
            QTimer.singleShot(0, self._refresh)

    def _refresh(self) -> None:
        self._refresh_pending = False
        self.plot.refresh()
