"""Start-up time to the first painted frame, 50 screens registered, in fresh processes.

Each figure is the median over `RUNS` fresh Python processes (offscreen Qt) of the time
from just before the process is spawned to its first painted frame: the window is
shown, and a ``QTimer.singleShot(0)`` after it checks (and re-checks, bounded) that the
first screen has had a paint event; the child prints that moment's wall clock.

- **floor**: ``import PySide6.QtWidgets``, a `QApplication`, a bare `QWidget().show()`:
  what any PySide6 window costs here (interpreter, Qt libraries, platform plugin).
- **lazy (ours)**: the station's GUI as `hmi run` builds it, without the runtime
  thread and store: `GuiSession` (theme, fonts, translations) + `MainWindow` with a
  scripted bridge and one plugin of `SCREENS` `ScreenSpec`s, each factory building
  `WIDGETS_PER_SCREEN` bound widgets (ValueDisplay with caption, AnalogBar, Indicator)
  on a plant of `SCREENS * WIDGETS_PER_SCREEN` tags. Only the first screen is built.
- **eager (contrast)**: the same, but every screen is built up front (each shown once
  through `MainWindow.show_screen`, then the first again): what start-up would cost
  if every screen were built at launch.

The runs are interleaved (floor, lazy, eager, floor, …) so all see the same load.

Run: `.venv/bin/python -m bench.startup`.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import Figure

BENCH = "startup"
SCREENS = 50
WIDGETS_PER_SCREEN = 40
RUNS = 3
MODES = ("floor", "lazy", "eager")
CHILD_TIMEOUT_S = 60
PAINT_WAIT_S = 10.0
ROOT = Path(__file__).resolve().parent.parent


def _factory(index: int, tags: list[Any]) -> Any:
    """Screen `index`'s factory: a grid of its tags' widgets, each bound by name."""

    def build(ctx: Any) -> Any:
        from PySide6.QtWidgets import QGridLayout, QWidget

        from hmi.config import DataType
        from widgets import AnalogBar, Indicator, ValueDisplay

        screen = QWidget()
        grid = QGridLayout(screen)
        for j, cfg in enumerate(tags):
            caption = cfg.name.split(".", 1)[1]
            if cfg.type is DataType.BOOL:
                widget = Indicator(cfg, caption)
            elif j % 4 == 0:
                widget = AnalogBar(cfg, caption)
            else:
                widget = ValueDisplay(cfg, caption)
            ctx.bind(widget, cfg.name)
            grid.addWidget(widget, j // 5, j % 5)
        return screen

    build.__qualname__ = f"screen{index}"
    return build


def _station_window(eager: bool) -> Any:
    """The station's window over `SCREENS` plugin screens; the first one shown."""
    from bench.gui_frame import plant_dict
    from hmi.app.bridge import RuntimeBridge
    from hmi.app.main_window import MainWindow
    from hmi.app.plugins import LoadedPlugin
    from hmi.app.station import GuiSession
    from hmi.config import PlantConfig
    from hmi.plugin import API_VERSION, PlantPlugin, ScreenSpec

    n = WIDGETS_PER_SCREEN
    config = PlantConfig.model_validate(plant_dict(SCREENS * n, bools_every=5))
    specs = [
        ScreenSpec(
            f"screen{s}", {"en": f"Screen {s}"}, _factory(s, config.tags[s * n : (s + 1) * n])
        )
        for s in range(SCREENS)
    ]
    plugin = LoadedPlugin("bench", PlantPlugin("bench", "1.0", API_VERSION, specs))
    session = GuiSession("en", [plugin], [])
    window = MainWindow(config, "en", RuntimeBridge(None), session.plugins, session.builtin)
    if eager:
        for key in window.screen_names():
            window.show_screen(key)
        window.show_screen(window.screen_names()[0])
    built = sum(window.is_built(k) for k in window.screen_names())
    return session, window, window.screens[window.screen_names()[0]].widget, built


def child(mode: str) -> int:
    """Build the `mode` window, show it, print JSON with the first painted frame's time."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    if mode != "floor":  # the station's modules, imported up front as `hmi run` does
        for module in ("hmi.app.station", "hmi.app.main_window", "widgets"):
            importlib.import_module(module)

    app = QApplication([sys.argv[0]])
    imported = time.time()
    if mode == "floor":
        window = screen = QWidget()
        built = 0
    else:
        _session, window, screen, built = _station_window(eager=mode == "eager")
    ready = time.time()

    class Paints(QObject):
        n = 0

        def eventFilter(self, _obj: QObject, ev: QEvent) -> bool:
            if ev.type() == QEvent.Type.Paint:
                self.n += 1
            return False

    paints = Paints()
    screen.installEventFilter(paints)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    result: dict[str, Any] = {"imported": imported, "ready": ready, "built": built}
    give_up = time.monotonic() + PAINT_WAIT_S

    def check() -> None:
        if paints.n or time.monotonic() > give_up:
            result.update(first_frame=time.time(), paints=paints.n)
            app.quit()
        else:
            QTimer.singleShot(0, check)

    QTimer.singleShot(0, check)
    app.exec()
    print(json.dumps(result), flush=True)
    return 0 if paints.n else 1


def _spawn(mode: str) -> dict[str, float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    start = time.time()
    proc = subprocess.run(
        [sys.executable, "-m", "bench.startup", "--child", mode],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=CHILD_TIMEOUT_S,
    )  # fmt: skip
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"{mode} start-up failed ({proc.returncode}): {proc.stderr[-2000:]}")
    out = json.loads(lines[-1])
    return {
        "first_frame": (out["first_frame"] - start) * 1e3,
        "imported": (out["imported"] - start) * 1e3,
        "window": (out["ready"] - out["imported"]) * 1e3,
        "built": out["built"],
    }


def run() -> list[Figure]:
    runs: dict[str, list[dict[str, float]]] = {m: [] for m in MODES}
    for _ in range(RUNS):
        for mode in MODES:
            runs[mode].append(_spawn(mode))

    def med(mode: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[mode])

    floor, lazy, eager = (med(m, "first_frame") for m in MODES)
    built = {m: int(runs[m][0]["built"]) for m in MODES}
    return [
        Figure(BENCH, f"first frame, {SCREENS} screens, lazy", "ms", lazy, floor,
               f"raw = bare QWidget().show(); {built['lazy']} screen built; medians of {RUNS}"),
        Figure(BENCH, f"first frame, {SCREENS} screens, eager", "ms", eager, floor,
               f"contrast: all {built['eager']} screens built up front"),
        Figure(BENCH, "lazy vs eager", "ms", lazy, eager, "raw column = eager"),
        Figure(BENCH, "  imports + QApplication (lazy)", "ms", med("lazy", "imported"),
               med("floor", "imported"), "process start to QApplication, hmi imported"),
        Figure(BENCH, "  window build (lazy / eager)", "ms", med("lazy", "window"),
               med("eager", "window"), "raw column = eager"),
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__)
    parser.add_argument("--child", choices=MODES, help="(internal) one start-up, as JSON")
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child)
    from bench.run import table

    print(table(run()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
