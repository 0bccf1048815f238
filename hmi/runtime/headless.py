"""`hmi runtime`: the runtime alone, without Qt — for servers, tests and scripts."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import time
from pathlib import Path

from hmi.config import ConfigError, load_config
from hmi.drivers.base import ConnectionState
from hmi.plant_time import adopt_plant_timezone
from hmi.runtime.services import PlantServices
from hmi.store.database import StoreError
from hmi.tagvalue import TagValue

STATUS_EVERY_S = 5.0


class _ConsoleReporter:
    """Prints connection changes as they happen and a quality summary every few seconds."""

    def __init__(self) -> None:
        self.updates = 0

    def on_updates(self, batch: list[TagValue]) -> None:
        self.updates += len(batch)

    def on_connection(self, connection: str, state: ConnectionState, detail: str) -> None:
        suffix = f" ({detail})" if detail else ""
        print(f"{time.strftime('%H:%M:%S')} connection {connection}: {state.value}{suffix}")


async def _serve(services: PlantServices, duration: float | None) -> None:
    runtime = services.runtime
    reporter = _ConsoleReporter()
    runtime.add_listener(reporter)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    deadline = None if duration is None else loop.time() + duration
    await services.start()
    try:
        while not stop.is_set():
            wait = STATUS_EVERY_S
            if deadline is not None:
                wait = min(wait, deadline - loop.time())
                if wait <= 0:
                    break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), wait)
            counts = runtime.table.quality_counts()
            summary = ", ".join(f"{n} {q.value}" for q, n in sorted(counts.items()))
            print(f"{time.strftime('%H:%M:%S')} tags: {summary}; {reporter.updates} updates")
    finally:
        await services.stop()


def run_headless(config_path: Path, duration: float | None, db_url: str | None = None) -> int:
    """Run the plant's runtime until Ctrl-C / SIGTERM or `duration` seconds; 0 on a clean stop."""
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    adopt_plant_timezone(config)
    try:
        services = PlantServices(config, db_url)
    except StoreError as exc:
        print(f"hmi runtime: {exc}", file=sys.stderr)
        return 1
    print(
        f"runtime: plant '{config.plant.name}', {len(config.tags)} tags, events → {services.store}"
    )
    try:
        asyncio.run(_serve(services, duration))
    finally:
        services.close()
    return 0
