"""The composition root of the headless side: store, journal, runtime and its listeners.

`hmi runtime` and the GUI station both assemble a plant here, so the alarm
engine, historian and OEE tracker are wired in exactly one place.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time
from collections.abc import Callable

from hmi.config import PlantConfig
from hmi.drivers import make_driver
from hmi.runtime.alarm_commands import AlarmCommands
from hmi.runtime.alarm_journal import AlarmJournal, last_alarm_events
from hmi.runtime.alarm_sync import AlarmSync
from hmi.runtime.alarms import AlarmEngine
from hmi.runtime.engine import DriverFactory, Runtime
from hmi.runtime.historian import Historian
from hmi.runtime.oee import OeeTracker
from hmi.runtime.oee_commands import OeeCommands
from hmi.runtime.recorder import Recorder
from hmi.runtime.security import Security
from hmi.runtime.system_events import SystemEventRecorder
from hmi.store.audit import AuditTrail
from hmi.store.database import Store, open_store
from hmi.store.events import Event, EventKind, SystemEvent
from hmi.store.history_writer import HistoryWriter
from hmi.store.journal import Journal
from hmi.store.oee_store import OeeStore
from hmi.store.oee_writer import OeeWriter
from hmi.store.users import UserStore

log = logging.getLogger(__name__)

HealthListener = Callable[[bool, str], None]
ALARM_TICK_S = 0.2  # on/off delays and shelve expiry resolve within this


class PlantServices:
    """Everything one plant's runtime needs, opened together and closed in order."""

    def __init__(
        self,
        config: PlantConfig,
        db_url: str | None = None,
        *,
        station: str | None = None,
        driver_factory: DriverFactory = make_driver,
        on_store_health: HealthListener | None = None,
        store: Store | None = None,
        recorder_retry_s: float = 5.0,
    ):
        self.config = config
        self.station = station or socket.gethostname()
        self.store: Store = store if store is not None else open_store(db_url)
        self._health_listeners: list[HealthListener] = [on_store_health] if on_store_health else []
        self._unhealthy: dict[str, str] = {}  # writer -> why, while its database is away
        self._loop: asyncio.AbstractEventLoop | None = None
        self.journal = Journal(
            self.store.engine, station=self.station, on_health=self._health_of("journal")
        )
        self.alarm_journal = AlarmJournal(self.journal)
        # Plant-wide recordings (history, OEE) are written by one station at a time.
        self.recorder = Recorder(
            self.store.engine, self.station, journal=self.journal.record, retry_s=recorder_retry_s
        )
        self.alarms = AlarmEngine.from_config(config, self.alarm_journal.emit, time.time)
        restored = self.alarms.restore(last_alarm_events(self.store.engine, self.station))
        if restored:
            log.info("restored %d alarm(s) from the journal", restored)
        self.runtime = Runtime(config, driver_factory)
        self.security = Security(
            config.security,
            UserStore(self.store.engine),
            AuditTrail(self.store.engine, self.station),
        )
        self.runtime.commands.use_security(self.security)
        self.alarm_commands = AlarmCommands(self.runtime.commands, self.alarms, self.alarm_journal)
        # One alarm picture per plant: other stations' acks, shelves… (PostgreSQL only).
        self.alarm_sync = AlarmSync(
            self.store.engine, self.station, self.alarms, self.alarm_journal
        )
        if caught_up := self.alarm_sync.catch_up():  # what was done elsewhere while we were down
            log.info("took over %d alarm action(s) of other stations", caught_up)
        self.runtime.add_listener(SystemEventRecorder(self.journal))
        self.runtime.add_listener(self.alarms)
        self.history_writer = HistoryWriter(
            self.store.engine,
            retention_days=lambda tag: self.historian.retention_days(tag),
            purge_interval=config.history.purge_interval_s,
            on_health=self._health_of("history"),
        )
        self.historian = Historian(
            config,
            self.recorder.sample_sink(self.history_writer),
            on_health=self._health_of("historian"),
        )
        self.runtime.add_listener(self.historian)
        self.oee_store = OeeStore(self.store.engine, on_journal=self.journal.record)
        self.oee_writer = OeeWriter(self.oee_store, on_health=self._health_of("oee"))
        self.oee_commands = OeeCommands(self.runtime.commands, self.oee_store)  # reason codes
        self.oee = OeeTracker(
            config,
            self.recorder.oee_sink(self.oee_writer.submit),
            on_health=self._health_of("oee-tracker"),  # rows held while the writer is full
        )
        self.runtime.add_listener(self.oee)
        # Recorder or standby from here on; taking the lease closes the intervals a
        # crashed or stopped recorder left open at their checkpoint (the gap is unknown).
        self.recorder.start(
            self.oee,
            self.historian,
            self.oee_store,
            flush_oee=self.oee_writer.flush,
            dispatch=self._in_runtime,
        )
        self._tasks: list[asyncio.Task[None]] = []
        self.journal.record(
            Event(
                EventKind.SYSTEM,
                SystemEvent.CONFIG_LOADED,
                source=str(config.source) if config.source else None,
                message=f"plant '{config.plant.name}': {len(config.tags)} tags, "
                f"{len(config.connections)} connections",
            )
        )

    def _in_runtime(self, fn: Callable[[], None]) -> None:
        """Run `fn` in the runtime thread (directly while no runtime loop runs)."""
        if self._loop is not None and self._loop.is_running():
            self._loop.call_soon_threadsafe(fn)
        else:
            fn()

    def _health_of(self, writer: str) -> HealthListener:
        return lambda ok, detail: self._health(writer, ok, detail)

    def _health(self, writer: str, ok: bool, detail: str) -> None:
        """A writer's database came or went. Called in the writer's thread: log, raise or
        clear the operator's System.EventStore alarm in the runtime thread (the alarm's
        own events queue with the rest until the database is back), pass it on."""
        (log.info if ok else log.error)(
            "%s store %s: %s", writer, "ok" if ok else "UNAVAILABLE", detail
        )
        if ok:
            self._unhealthy.pop(writer, None)
        else:
            self._unhealthy[writer] = detail
        present = bool(self._unhealthy)
        why = "; ".join(f"{w}: {d}" for w, d in self._unhealthy.items()) or detail
        if self._loop is not None and self._loop.is_running():
            self._loop.call_soon_threadsafe(self._set_store_alarm, present, why)
        else:  # not started: no runtime thread feeds the engine yet
            self._set_store_alarm(present, why)
        for listener in self._health_listeners:
            listener(ok, detail)

    def _set_store_alarm(self, present: bool, why: str) -> None:
        try:
            self.alarms.set_system_condition("EventStore", present, why)
        except Exception:  # the alarm must never take the writer or the loop down
            log.exception("could not raise the event store alarm")

    async def start(self) -> None:
        """Start the drivers and journal the start (runs in the runtime loop)."""
        self._loop = asyncio.get_running_loop()
        await self.runtime.start()
        self._tasks = [
            asyncio.create_task(self._tick_alarms(), name="alarm-timers"),
            asyncio.create_task(self.alarm_sync.run(), name="alarm-sync"),
            asyncio.create_task(self.historian.run(), name="historian-heartbeats"),
            asyncio.create_task(self.oee.run(), name="oee-checkpoints"),
        ]
        self.journal.record(
            Event(
                EventKind.SYSTEM,
                SystemEvent.START,
                message="runtime started",
                details={"recorder": self.recorder.role},
            )
        )

    async def _tick_alarms(self) -> None:
        while True:
            await asyncio.sleep(ALARM_TICK_S)
            try:
                self.alarms.tick()
            except Exception:  # a bug in one timer must not stop every later one
                log.exception("alarm timers failed")

    async def stop(self) -> None:
        """Stop the drivers and journal the stop (runs in the runtime loop)."""
        await self.runtime.stop()  # drivers mark their tags disconnected: history gets the gap
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self.oee.close()  # a clean stop closes every open interval now
        self.journal.record(Event(EventKind.SYSTEM, SystemEvent.STOP, message="runtime stopped"))

    def close(self, timeout: float = 30.0) -> None:
        """Flush and close the journal, then the store. Call after stop()."""
        try:
            self.oee_writer.close(timeout)
            self.history_writer.close(timeout)
        finally:
            try:
                self.recorder.close()  # after the writers: a successor finds our rows written
                self.journal.close(timeout)
            finally:
                self.store.close()
