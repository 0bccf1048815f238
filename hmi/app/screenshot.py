"""`hmi screenshot`: render one screen of the real station offscreen to a PNG.

Used to look at screens without a desktop (CI, reviews) and by the GUI tests. The
window is the same one operators get, with live data for `after` seconds.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

from hmi.app.launch import record_demo_history, start_demo_sim
from hmi.config import ConfigError, load_config
from hmi.paths import DEMO_CONFIG
from hmi.plant_time import adopt_plant_timezone


def take_screenshot(
    config: Path | None,
    screen: str,
    out: Path,
    size: tuple[int, int],
    after: float,
    lang: str,
    seed: int,
    backfill: bool = True,
) -> int:
    """Write a PNG of `screen` at `size`; 2 for an unknown screen or a bad config.

    With the demo (`config` None) the scratch database first gets the demo's simulated
    past (`backfill`), so history, OEE and alarm screens show one."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        plant = load_config(DEMO_CONFIG if config is None else config)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    adopt_plant_timezone(plant)

    from PySide6.QtCore import QEventLoop, QTimer

    from hmi.app.main_window import station_screens
    from hmi.app.station import GuiSession, Station

    session = GuiSession(lang)
    names = [e.key for e in station_screens(session.plugins, session.builtin, lang)]
    if screen not in names:  # checked before a simulator is started for nothing
        print(
            f"no screen named '{screen}'; available: {', '.join(names) or '(none)'}",
            file=sys.stderr,
        )
        session.close()
        return 2
    with contextlib.ExitStack() as stack:
        if config is None:
            plant = start_demo_sim(stack, plant, seed)
        scratch = stack.enter_context(tempfile.TemporaryDirectory(prefix="hmi-shot-"))
        db_url = f"sqlite:///{Path(scratch) / 'events.db'}"
        if config is None and backfill:
            record_demo_history(plant, db_url, seed)
        station = Station(plant, session, db_url=db_url)
        stack.callback(station.close)  # a picture writes no events into a real journal
        window = station.window
        window.resize(*size)
        window.show_screen(screen)
        window.show()
        loop = QEventLoop()
        QTimer.singleShot(max(0, round(after * 1000)), loop.quit)
        loop.exec()
        image = window.grab()
        out.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(out), "PNG"):
            print(f"cannot write {out}", file=sys.stderr)
            return 1
    session.close()
    print(out)
    return 0
