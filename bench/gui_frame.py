"""GUI-thread time per display frame: 2,000 bound widgets, every one updated every frame.

Ours: a `MainWindow` (the station's window, header, navigation and theme) showing one
plugin screen of `N_WIDGETS` `widgets.ValueDisplay`, each bound to its own tag through
the real binder (`ctx.bind` → `hmi.app.binder`). The runtime side is scripted: each
frame's values are handed to `RuntimeBridge.on_updates` (the runtime thread's part, not
timed), then the GUI thread's part is timed: `bridge.flush()` (frame signal → binder →
`set_tag_value` → `QLabel.setText`) and `processEvents()`, which paints the changed
widgets into the offscreen backing store, as the event loop does after a frame.

Raw: the same number of bare `QLabel`s in the same grid, in a plain top-level widget
of the same app (same QSS theme: an app-wide stylesheet styles every widget), each
given its new text with `setText` per frame, then the same `processEvents()`.

Runs alternate in blocks, so both columns see the same machine load.

Run: `.venv/bin/python -m bench.gui_frame`.
"""

from __future__ import annotations

import contextlib
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QEvent, QObject

from bench import Figure

BENCH = "gui_frame"
N_WIDGETS = 2000
COLUMNS = 40
WARMUP = 3
BLOCKS = 3
FRAMES_PER_BLOCK = 8
FRAME_BUDGET_MS = 100.0  # 10 Hz display


def plant_dict(n_tags: int, bools_every: int = 0) -> dict[str, Any]:
    """A plant of `n_tags` analog tags ``Area<a>.Unit<i>.PV`` (every `bools_every`-th a
    bool ``.Run``), on one connection that is never opened."""
    scale = {"raw_min": 0, "raw_max": 100, "eng_min": 0, "eng_max": 100}
    tags = []
    for i in range(n_tags):
        tag = {"connection": "plc", "address": f"ns=2;i={i}"}
        if bools_every and i % bools_every == bools_every - 1:
            tag |= {"name": f"Area{i // 100}.Unit{i}.Run", "type": "bool"}
        else:
            tag |= {"name": f"Area{i // 100}.Unit{i}.PV", "units": "bar", "format": ".2f"}
            tag["scale"] = scale
        tags.append(tag)
    return {
        "plant": {"name": "bench", "title": "Bench Plant"},
        "connections": [
            {"name": "plc", "driver": "opcua", "endpoint": "opc.tcp://127.0.0.1:4840/bench"}
        ],
        "tags": tags,
    }


def offscreen_app() -> Any:
    """The QApplication, on the offscreen platform when this process creates it."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        app = QApplication(["bench"])
    return app


def percentile(values: list[float], q: float) -> float:
    """The `q`-quantile (0…1) of `values`, by the nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


@contextlib.contextmanager
def quiet_qt(*drop: str) -> Iterator[None]:
    """Drop Qt messages containing any of `drop` (the offscreen plugin's chatter)."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_mode: Any, _context: Any, message: str) -> None:
        if not any(d in message for d in drop):
            print(message, file=sys.stderr)

    previous = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)


@dataclass
class FrameTimes:
    """Milliseconds per frame: wall time and GUI-thread CPU time of the whole frame, and
    the CPU time of the update part alone (before painting)."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    update: list[float] = field(default_factory=list)

    def time(
        self,
        app: Any,
        frames: Iterable[int],
        work: Callable[[int], None],
        prepare: Callable[[int], None] | None = None,
    ) -> None:
        """Per frame: `prepare(i)` untimed (the runtime thread's part), then `work(i)` and
        `processEvents()` timed: the GUI thread's part, painting included (the offscreen
        platform paints changed widgets into its backing store there, as the event loop
        would after the frame)."""
        for i in frames:
            if prepare is not None:
                prepare(i)
            t0, c0 = time.perf_counter(), time.thread_time()
            work(i)
            c1 = time.thread_time()
            app.processEvents()
            t2, c2 = time.perf_counter(), time.thread_time()
            self.wall.append((t2 - t0) * 1e3)
            self.cpu.append((c2 - c0) * 1e3)
            self.update.append((c1 - c0) * 1e3)


class PaintCount(QObject):
    """Counts the paint events of the widgets it is installed on."""

    def __init__(self) -> None:
        super().__init__()
        self.n = 0

    def eventFilter(self, _obj: QObject, ev: QEvent) -> bool:
        if ev.type() == QEvent.Type.Paint:
            self.n += 1
        return False


def _station(config: Any) -> tuple[Any, Any, Any, list[Any]]:
    """GuiSession + MainWindow (scripted bridge) showing one screen of bound ValueDisplays."""
    from PySide6.QtWidgets import QGridLayout, QWidget

    from hmi.app.bridge import RuntimeBridge
    from hmi.app.main_window import MainWindow
    from hmi.app.plugins import LoadedPlugin
    from hmi.app.station import GuiSession
    from hmi.plugin import API_VERSION, PlantPlugin, ScreenSpec
    from widgets import ValueDisplay

    displays: list[ValueDisplay] = []

    def build(ctx: Any) -> QWidget:
        screen = QWidget()
        grid = QGridLayout(screen)
        grid.setSpacing(2)
        for i, tag in enumerate(ctx.config.tags):
            display = ValueDisplay(ctx.tag_config(tag.name))
            ctx.bind(display, tag.name)
            grid.addWidget(display, i // COLUMNS, i % COLUMNS)
            displays.append(display)
        return screen

    spec = ScreenSpec("values", {"en": "Values"}, build)
    session = GuiSession(
        "en", [LoadedPlugin("bench", PlantPlugin("bench", "1", API_VERSION, [spec]))], []
    )
    bridge = RuntimeBridge(None)
    window = MainWindow(config, "en", bridge, session.plugins, session.builtin)
    return session, window, bridge, displays


def _bare_labels(n: int) -> tuple[Any, list[Any]]:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

    top = QWidget()
    grid = QGridLayout(top)
    grid.setSpacing(2)
    labels = []
    for i in range(n):
        label = QLabel("-----")
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(label, i // COLUMNS, i % COLUMNS)
        labels.append(label)
    return top, labels


def _show(app: Any, widget: Any) -> None:
    """Show `widget` and wait until it is (a screen's widgets are fed only once shown)."""
    widget.show()
    deadline = time.monotonic() + 10
    while not widget.isVisible() and time.monotonic() < deadline:
        app.processEvents()
    for _ in range(3):
        app.processEvents()


def _fit(app: Any, widget: Any) -> None:
    """Resize `widget` to its laid-out size hint: every child visible, none squeezed."""
    for _ in range(5):  # nested layouts pass a changed hint up one level per event pass
        app.processEvents()
        widget.resize(widget.sizeHint().expandedTo(widget.minimumSizeHint()))
    app.processEvents()


def run() -> list[Figure]:
    from hmi.config import PlantConfig
    from hmi.tagvalue import Quality, TagValue

    app = offscreen_app()
    config = PlantConfig.model_validate(plant_dict(N_WIDGETS))
    names = [t.name for t in config.tags]
    n_frames = WARMUP + BLOCKS * FRAMES_PER_BLOCK
    rng = random.Random(7)
    # Every value changes every frame (a changed text is what costs a repaint).
    values = [[round(rng.uniform(0, 100), 2) for _ in names] for _ in range(n_frames)]
    now = time.time()
    batches = [
        [
            TagValue(n, v, Quality.GOOD, now + f * 0.1, now + f * 0.1)
            for n, v in zip(names, row, strict=True)
        ]
        for f, row in enumerate(values)
    ]
    texts = [[f"{v:.2f}" for v in row] for row in values]

    with quiet_qt("propagateSizeHints"):
        session, window, bridge, displays = _station(config)
        bare, labels = _bare_labels(N_WIDGETS)
        _show(app, window)
        bridge.on_updates(batches[0])
        bridge.flush()  # values in place before the window is sized to fit them all
        _fit(app, window)
        bare.resize(window.stack.size())  # the same area to paint as our screen
        _show(app, bare)
        ours_paints, bare_paints = PaintCount(), PaintCount()
        displays[-1].value_label.installEventFilter(ours_paints)
        labels[-1].installEventFilter(bare_paints)

        def to_bridge(i: int) -> None:
            bridge.on_updates(batches[i])  # what the runtime thread does between frames

        def ours_frame(_i: int) -> None:
            bridge.flush()  # the bridge's frame timer: frame signal → binder → widgets

        def bare_frame(i: int) -> None:
            for label, text in zip(labels, texts[i], strict=True):
                label.setText(text)

        ours, raw = FrameTimes(), FrameTimes()
        try:
            FrameTimes().time(app, range(WARMUP), ours_frame, to_bridge)
            FrameTimes().time(app, range(WARMUP), bare_frame)
            ours_paints.n = bare_paints.n = 0
            for b in range(BLOCKS):
                block = range(WARMUP + b * FRAMES_PER_BLOCK, WARMUP + (b + 1) * FRAMES_PER_BLOCK)
                ours.time(app, block, ours_frame, to_bridge)
                raw.time(app, block, bare_frame)
            shown = displays[-1].text == texts[-1][-1] and labels[-1].text() == texts[-1][-1]
            area = f"{window.stack.width()}x{window.stack.height()} px"
        finally:
            for top in (window, bare):
                top.close()
                top.deleteLater()
            session.close()
            app.processEvents()

    if not shown:
        raise RuntimeError("the last frame's values did not reach the widgets")
    frames = len(ours.wall)
    med = statistics.median
    return [
        Figure(BENCH, "frame GUI-thread CPU, median", "ms", med(ours.cpu), med(raw.cpu),
               f"{N_WIDGETS} widgets on {area}, {frames} frames each"),
        Figure(BENCH, "frame wall time, median", "ms", med(ours.wall), med(raw.wall),
               f"painted {ours_paints.n}/{bare_paints.n} of {frames} frames"),
        Figure(BENCH, "frame wall time, p95", "ms", percentile(ours.wall, 0.95),
               percentile(raw.wall, 0.95), f"budget at 10 Hz: {FRAME_BUDGET_MS:.0f} ms"),
        Figure(BENCH, "updates only (no paint), CPU", "ms", med(ours.update), med(raw.update),
               "bridge.flush → binder → set_tag_value vs setText"),
        Figure(BENCH, "CPU per widget per frame", "µs", med(ours.cpu) * 1e3 / N_WIDGETS,
               med(raw.cpu) * 1e3 / N_WIDGETS),
    ]  # fmt: skip


if __name__ == "__main__":
    from bench.run import table

    print(table(run()))
