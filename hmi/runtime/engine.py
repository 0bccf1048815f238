"""The runtime: builds drivers from a plant config and fans their updates out.

Data path: driver → `Runtime.updates()` → tag table → every listener, all in
the runtime's asyncio loop thread. Listeners (alarm engine, historian, the Qt
bridge) see every update; the bridge alone decides what reaches the screen.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Protocol

from hmi.config import PlantConfig
from hmi.drivers import make_driver
from hmi.drivers.base import ConnectionState, Driver
from hmi.runtime.commands import CommandAPI
from hmi.runtime.tags import TagTable
from hmi.tagvalue import TagValue

log = logging.getLogger(__name__)


class RuntimeListener(Protocol):
    """Something that wants every update. Called in the runtime thread: be quick."""

    def on_updates(self, batch: list[TagValue]) -> None: ...

    def on_connection(self, connection: str, state: ConnectionState, detail: str) -> None: ...


DriverFactory = Callable[..., Driver]


class Runtime:
    """One plant's live core: tag table, drivers, listeners, command API."""

    def __init__(self, config: PlantConfig, driver_factory: DriverFactory = make_driver):
        self.config = config
        self.table = TagTable(t.name for t in config.tags)
        self.connection_states: dict[str, ConnectionState] = {
            c.name: ConnectionState.DISCONNECTED for c in config.connections
        }
        self._listeners: list[RuntimeListener] = []
        self.drivers: dict[str, Driver] = {
            c.name: driver_factory(c, config.tags_of(c.name), self) for c in config.connections
        }
        self.commands = CommandAPI(self)
        self.started = asyncio.Event()

    # -- listeners ------------------------------------------------------------------------

    def add_listener(self, listener: RuntimeListener) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: RuntimeListener) -> None:
        self._listeners.remove(listener)

    # -- DriverSink -----------------------------------------------------------------------

    def updates(self, batch: list[TagValue]) -> None:
        accepted = self.table.apply(batch)
        if not accepted:
            return
        for listener in self._listeners:
            try:
                listener.on_updates(accepted)
            except Exception:  # one faulty listener must not starve the others
                log.exception("listener %r failed on updates", listener)

    def connection_state(self, connection: str, state: ConnectionState, detail: str) -> None:
        self.connection_states[connection] = state
        log.info("connection %s: %s %s", connection, state.value, detail)
        for listener in self._listeners:
            try:
                listener.on_connection(connection, state, detail)
            except Exception:
                log.exception("listener %r failed on connection state", listener)

    # -- life cycle -----------------------------------------------------------------------

    async def start(self) -> None:
        """Start every driver (they connect in the background)."""
        for driver in self.drivers.values():
            await driver.start()
        self.started.set()

    async def stop(self) -> None:
        """Stop every driver; tags end DISCONNECTED."""
        await asyncio.gather(*(d.stop() for d in self.drivers.values()), return_exceptions=True)
