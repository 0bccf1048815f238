"""Trend redraw time: 1 million points in view, and 20 live pens of 10k points at 10 Hz.

Ours is `widgets.trend.TrendPlot`, the plot of the trend screen and of `TrendWidget`
(date axis, grid, cosmetic pens, peak downsampling and clip-to-view, NaN gaps via
``connect='finite'``). Raw is a bare `pyqtgraph.PlotWidget` in the same process, the
same size, with the same downsampling settings (and once without them, as context).
Both run under the station's theme and fonts (`GuiSession`), offscreen; a frame is the
work plus `processEvents()`, in which Qt paints the plot into the backing store (a
paint counter on each view checks that every frame was painted).

- **1M points, new data**: a 1-hour history result of 1,000,000 raw samples is handed
  to the plot (ours: `TrendPlot.show_history`; raw: `setData`) and drawn.
- **1M points, pan**: the same data, the view moved by 1 % (ours: `set_range`, raw:
  `setXRange`) and drawn: what a drag or an arrow key costs.
- **20 pens × 10k live**: every pen's ring buffer (`widgets.trend_buffer`) holds 10,000
  samples (1,000 s at 10 Hz); each frame one new `TagValue` per pen arrives, as the
  bridge delivers them, and the trend screen's live path runs: `append` per value,
  `refresh` once, `scroll`. Raw: 20 curves, `setData` of each pen's last 10,000 samples
  (a slice of a preallocated array: no copy) and `setXRange`.

Run: `.venv/bin/python -m bench.trend_render`.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from bench import Figure
from bench.gui_frame import FrameTimes, PaintCount, offscreen_app, percentile, quiet_qt

BENCH = "trend_render"
SIZE = (1000, 600)
N_BIG = 1_000_000
PENS = 20
PEN_POINTS = 10_000
RATE_HZ = 10.0
BLOCKS = 3
BIG_FRAMES = 5  # per block
LIVE_FRAMES = 10  # per block
NAIVE_FRAMES = 3


def _shown(app: Any, widget: Any) -> PaintCount:
    """Show `widget` at `SIZE`, settle it, and count its view's paints from now on."""
    widget.resize(*SIZE)
    widget.show()
    deadline = time.monotonic() + 10
    while not widget.isVisible() and time.monotonic() < deadline:
        app.processEvents()
    for _ in range(3):
        app.processEvents()
    counter = PaintCount()
    widget.viewport().installEventFilter(counter)
    return counter


def _interleaved(
    app: Any,
    runs: dict[str, tuple[Callable[[int], None], PaintCount]],
    frames: int,
    blocks: int = BLOCKS,
    warmup: int = 2,
) -> dict[str, FrameTimes]:
    """Time each run's frames in alternating blocks, so all see the same machine load;
    raises if a frame was not painted."""
    times = {name: FrameTimes() for name in runs}
    for work, _ in runs.values():
        FrameTimes().time(app, range(warmup), work)
    for _, paints in runs.values():
        paints.n = 0
    for b in range(blocks):
        for name, (work, _) in runs.items():
            times[name].time(app, range(warmup + b * frames, warmup + (b + 1) * frames), work)
    for name, (_, paints) in runs.items():
        if paints.n < frames * blocks:
            raise RuntimeError(f"{name}: {paints.n} paints in {frames * blocks} frames")
    return times


def _big(app: Any, tag: str) -> list[Figure]:
    """1M points in view: ours vs bare with the same settings vs bare without them."""
    import pyqtgraph as pg

    from hmi.store.history import RawSeries
    from widgets.trend import PEN_COLORS, PenSpec, TrendPlot

    rng = np.random.default_rng(5)
    t0 = 1.7e9
    ts = t0 + np.arange(N_BIG) * (3600.0 / N_BIG)
    values = 50 + np.cumsum(rng.normal(0, 0.05, N_BIG)) + 5 * np.sin(np.arange(N_BIG) / 5e4)
    series = RawSeries(ts, values, np.zeros(N_BIG, dtype=np.int8))
    t1 = float(ts[-1])
    pan = 0.01 * (t1 - t0)

    ours = TrendPlot(capacity=16)
    ours.set_live(False)
    ours.add_pen(PenSpec(tag, PEN_COLORS[0], units="bar"))
    ours.set_range(t0, t1)
    bare = pg.PlotWidget()
    fast = bare.plot(pen=pg.mkPen(PEN_COLORS[0], width=1))
    fast.setDownsampling(auto=True, method="peak")
    fast.setClipToView(True)
    bare.setXRange(t0, t1, padding=0)
    naive = pg.PlotWidget()
    slow = naive.plot(pen=pg.mkPen(PEN_COLORS[0], width=1))
    naive.setXRange(t0, t1, padding=0)
    plots = (ours, bare, naive)
    try:
        paints = [_shown(app, p) for p in plots]
        data = _interleaved(
            app,
            {
                "ours": (lambda _i: ours.show_history(tag, series), paints[0]),
                "bare": (lambda _i: fast.setData(ts, values), paints[1]),
            },
            BIG_FRAMES,
        )
        naive_times = _interleaved(
            app, {"naive": (lambda _i: slow.setData(ts, values), paints[2])}, NAIVE_FRAMES, 1, 1
        )["naive"]
        panned = _interleaved(
            app,
            {
                "ours": (lambda i: ours.set_range(t0 + i * pan, t1 + i * pan), paints[0]),
                "bare": (
                    lambda i: bare.setXRange(t0 + i * pan, t1 + i * pan, padding=0),
                    paints[1],
                ),
            },
            BIG_FRAMES,
        )
        drawn = len(ours.curve(tag).getData()[0])  # what reached the painter, thinned
    finally:
        for p in plots:
            p.close()
            p.deleteLater()
        app.processEvents()

    med = statistics.median
    o, b = data["ours"], data["bare"]
    return [
        Figure(BENCH, "1M points: new data + draw, median", "ms", med(o.wall), med(b.wall),
               f"{len(o.wall)} frames each; {drawn:,} points drawn after downsampling"),
        Figure(BENCH, "1M points: new data + draw, GUI CPU", "ms", med(o.cpu), med(b.cpu)),
        Figure(BENCH, "1M points: pan + redraw, median", "ms", med(panned["ours"].wall),
               med(panned["bare"].wall), "view moved 1 %, same data"),
        Figure(BENCH, "1M points: vs bare WITHOUT downsampling", "ms", med(o.wall),
               med(naive_times.wall), "context: bare setData, no clip/downsampling"),
    ]  # fmt: skip


def _live(app: Any, tags: list[str]) -> list[Figure]:
    """20 pens × 10k points, one new value per pen per frame."""
    import pyqtgraph as pg

    from hmi.tagvalue import Quality, TagValue
    from widgets.trend import PEN_COLORS, PenSpec, TrendPlot

    frames = 2 + BLOCKS * LIVE_FRAMES
    dt = 1.0 / RATE_HZ
    window_s = PEN_POINTS * dt
    start = 1.7e9
    total = PEN_POINTS + frames
    x_all = start + np.arange(total) * dt
    rng = np.random.default_rng(9)
    y_all = [50 + np.cumsum(rng.normal(0, 0.3, total)) for _ in tags]
    # What the bridge hands over per frame: {tag: TagValue} (built in the runtime thread).
    batches = [
        {
            tag: TagValue(tag, float(y[PEN_POINTS + f]), Quality.GOOD, x_all[PEN_POINTS + f],
                          x_all[PEN_POINTS + f])
            for tag, y in zip(tags, y_all, strict=True)
        }
        for f in range(frames)
    ]  # fmt: skip
    clock = [float(x_all[PEN_POINTS - 1])]

    ours = TrendPlot(capacity=PEN_POINTS, clock=lambda: clock[0])
    ours.set_window(window_s)
    for k, tag in enumerate(tags):
        ours.add_pen(PenSpec(tag, PEN_COLORS[k % len(PEN_COLORS)], units="bar"))
        ours.backfill(tag, x_all[:PEN_POINTS], y_all[k][:PEN_POINTS])
    bare = pg.PlotWidget()
    curves = []
    for k in range(len(tags)):
        curve = bare.plot(pen=pg.mkPen(PEN_COLORS[k % len(PEN_COLORS)], width=1))
        curve.setDownsampling(auto=True, method="peak")
        curve.setClipToView(True)
        curve.setData(x_all[:PEN_POINTS], y_all[k][:PEN_POINTS])
        curves.append(curve)

    def ours_frame(f: int) -> None:  # the trend screen's on_frame, then its scroll
        clock[0] = float(x_all[PEN_POINTS + f])
        for tv in batches[f].values():
            ours.append(tv)
        ours.refresh()
        ours.scroll()

    def bare_frame(f: int) -> None:
        lo, hi = f + 1, PEN_POINTS + f + 1
        for curve, y in zip(curves, y_all, strict=True):
            curve.setData(x_all[lo:hi], y[lo:hi])
        right = float(x_all[hi - 1])
        bare.setXRange(right - window_s, right, padding=0)

    try:
        paints = [_shown(app, p) for p in (ours, bare)]
        times = _interleaved(
            app, {"ours": (ours_frame, paints[0]), "bare": (bare_frame, paints[1])}, LIVE_FRAMES
        )
        held = [len(ours.buffer(t)) for t in tags]
    finally:
        for p in (ours, bare):
            p.close()
            p.deleteLater()
        app.processEvents()
    if min(held) != PEN_POINTS:
        raise RuntimeError(f"pens hold {min(held)}…{max(held)} samples, not {PEN_POINTS}")

    med = statistics.median
    o, b = times["ours"], times["bare"]
    label = f"{len(tags)} pens × {PEN_POINTS // 1000}k live"
    return [
        Figure(BENCH, f"{label}: frame, median", "ms", med(o.wall), med(b.wall),
               f"{len(o.wall)} frames each; budget at {RATE_HZ:.0f} Hz: {1e3 / RATE_HZ:.0f} ms"),
        Figure(BENCH, f"{label}: frame, p95", "ms", percentile(o.wall, 0.95),
               percentile(b.wall, 0.95)),
        Figure(BENCH, f"{label}: frame GUI CPU, median", "ms", med(o.cpu), med(b.cpu)),
        Figure(BENCH, f"{label}: data handling, CPU", "ms", med(o.update), med(b.update),
               "append+refresh+scroll vs setData+setXRange"),
    ]  # fmt: skip


def run() -> list[Figure]:
    from hmi.app.station import GuiSession

    app = offscreen_app()
    session = GuiSession("en", plugins=[], builtin=[])  # the station's theme and fonts
    tags = [f"Area0.Unit{k}.PV" for k in range(PENS)]
    try:
        with quiet_qt("propagateSizeHints"):
            return _big(app, tags[0]) + _live(app, tags)
    finally:
        session.close()


if __name__ == "__main__":
    from bench.run import table

    print(table(run()))
