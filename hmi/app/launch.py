"""`hmi run` and `hmi demo`: the operator station on a plant config."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from hmi.config import ConfigError, PlantConfig, load_config
from hmi.plant_time import adopt_plant_timezone
from hmi.store.database import StoreError

log = logging.getLogger(__name__)


def start_demo_sim(
    stack: contextlib.ExitStack, config: PlantConfig, seed: int, secure: bool = False
) -> PlantConfig:
    """Start the simulator process (free ports) and point the demo connections at it.

    `secure`: the simulator serves OPC UA with Basic256Sha256 SignAndEncrypt and a user
    login, and — for the DEMO only — its certificate is trusted automatically, in a
    trust folder of its own (a real plant trusts a server explicitly). Without
    HMI_SIM_PASSWORD set, the demo makes a one-time password for itself and its
    simulator (the child inherits the environment).
    """
    from hmi.sim.launch import start_sim_process

    if secure:
        import os
        import secrets

        from hmi.sim.security import PASSWORD_ENV

        if not os.environ.get(PASSWORD_ENV):
            os.environ[PASSWORD_ENV] = secrets.token_urlsafe(16)
    sim = stack.enter_context(start_sim_process(seed=seed, secure=secure))
    log.info("simulator at %s and %s", sim.endpoint, sim.modbus_endpoint)
    config = sim.retarget(config)
    if secure:
        from hmi.sim.security import default_sim_dir, trust_simulator

        assert sim.certificate is not None
        config = trust_simulator(config, sim.certificate, default_sim_dir() / "demo-trusted")
    return config


def demo_db_url() -> str:
    """The demo's own journal, beside the default one: a demo never mixes into a plant's."""
    from hmi.store.database import default_db_path

    return f"sqlite:///{default_db_path().with_name('demo.db')}"


def record_demo_history(config: PlantConfig, db_url: str, seed: int) -> None:
    """Give an empty demo database its simulated past (hmi/sim/backfill.py), before any
    window opens: a progress line on a terminal, then one line saying what was recorded."""
    from hmi.sim.backfill import backfill

    tty = sys.stdout.isatty()

    def progress(done: float) -> None:
        if tty:
            print(f"\rdemo: recording simulated plant history… {done:4.0%}", end="", flush=True)

    try:
        summary = backfill(config, db_url, seed=seed, progress=progress)
    except Exception as exc:  # a nicety: the live demo must start without it
        log.exception("demo history not recorded")
        print(f"\ndemo: simulated history not recorded ({exc}); starting live", flush=True)
        return
    if tty and not summary.skipped:
        print("\r" + " " * 60 + "\r", end="")
    if summary.skipped:
        log.info(summary.message)
    else:
        print(f"{summary.message} in {summary.elapsed_s:.1f} s", flush=True)


def all_plugin_paths(config: PlantConfig, extra: Sequence[Path] = ()) -> list[Path]:
    """The command line's plugin folders, then the config's (relative to its file)."""
    base = config.source.parent if config.source else Path.cwd()
    return [*(Path(p) for p in extra), *(base / p for p in config.plant.plugin_paths)]


def run_gui(
    config_path: Path,
    *,
    lang: str,
    fullscreen: bool,
    demo: bool,
    seed: int = 1,
    db_url: str | None = None,
    dev: bool = False,
    plugin_paths: Sequence[Path] = (),
    secure: bool = False,
    backfill: bool = True,
) -> int:
    """Run the station until its window closes; 2 on a config error, 1 without a display
    or database. `db_url` None: the default database (the demo's own for the demo).
    `plugin_paths` (and the config's ``plant.plugin_paths``) are folders of plugin
    packages; `dev` reloads edited plugin screens in place (hmi/app/dev_reload.py).
    `backfill` (demo only): an empty demo database first gets its simulated past."""
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    adopt_plant_timezone(config)
    from hmi.app.station import GuiSession, Station, display_problem, quit_on_sigint

    problem = display_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    session = GuiSession(lang, plugin_paths=all_plugin_paths(config, plugin_paths))
    with contextlib.ExitStack() as stack:
        if demo:
            config = start_demo_sim(stack, config, seed, secure=secure)
        url = db_url or (demo_db_url() if demo else None)
        try:
            if demo and backfill and url is not None:
                record_demo_history(config, url, seed)
            station = Station(config, session, db_url=url)
        except StoreError as exc:
            print(f"hmi: {exc}", file=sys.stderr)
            return 1
        stack.callback(station.close)  # runs before the simulator stops
        if dev:
            from hmi.app.dev_reload import DevReloader

            reloader = DevReloader(session.plugins, station.window.reload_plugin)
            reloader.start()
            stack.callback(reloader.stop)
        if fullscreen:
            station.window.showFullScreen()
        else:
            screen = session.app.primaryScreen()
            room = screen.availableGeometry() if screen else None
            width, height = (1600, 900) if room is None else (room.width(), room.height())
            station.window.resize(min(1600, width), min(900, height))
            station.window.show()
        with quit_on_sigint(session.app):
            code = session.app.exec()
    session.close()
    return code
