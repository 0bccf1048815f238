"""Demo history: the plant's recent past, recorded offline before the demo station opens.

A fresh `hmi demo` would otherwise show an OEE screen hatched "unknown" up to the
moment it started, empty previous-shift rows, trends without history and an
empty alarm journal. `backfill()` runs the simulator's own plant model
(`BicycleFactory`, seeded) from the start of the previous shift until now,
faster than real time, and feeds what the drivers would have delivered through
the REAL recorders: `AlarmEngine`, `Historian` + `HistoryWriter`, `OeeTracker` +
`OeeStore`, and the `Journal`. Each recorder runs on the simulated clock, so
every interval, sample and alarm transition carries the simulated time.

Choices, and why:
- The model is stepped at `STEP_S` = 1 s (live: 0.1 s), for speed: the step
  costs ~40 µs, and 16 h of 0.1 s steps would take a minute. The model's signals
  are step-independent (first-order lags are exact, the noise is
  Ornstein–Uhlenbeck), stops last 5 s or more and alarm delays are whole
  seconds, and a part's overshoot past a step carries into the next part, so
  the past makes as many parts as the live plant (0.3 % apart over an hour).
- Discrete tags (states, reasons, counters, products) are read every step, by
  every recorder. Analog signals are read like slower scan classes: every
  `ANALOG_S` = 2 s for the alarm engine (fast enough for the ramp after a
  restart to clear within the alarms' 3-5 s on-delays: at 10 s, every restart
  raised a false "conveyor slow" alarm), every `HISTORY_S` = 10 s for the
  historian (a quarter of the samples; a 16 h trend is 30 s a pixel anyway).
- What a driver would deliver: a value only when it changed and passed the tag's
  deadband (`hmi.drivers.base.Deadband`); the Assembly line's values go through
  its Modbus register map (scaled integers, float32), like the live driver reads them.
- Belt wear grows ~0.1 per running hour, so 16 h of it would wear every belt
  out: maintenance replaces a worn belt at a planned stop (`_BeltMaintenance`),
  and the history ends at about the wear the live simulator starts with.
- A simulated operator (`ACK_USER`) acknowledges alarms 5 s…2 min after they
  sound. Only alarm "episodes" that ended (back in Normal) before now are
  journaled; one still open at the end is dropped, so the live station's
  restore-from-journal finds every alarm Normal and its engine judges the live
  values afresh: no stale active or unacknowledged alarm. The acknowledgements
  are journaled as alarm events, never in the audit trail (nobody did them).
- At the end the OEE intervals are closed and the historised tags get a
  disconnected sample, as when a station stops: the seconds until the live
  station starts are an honest gap.
- One system event (`demo_backfill`) says the history is simulated.
- It runs only on a database without OEE, history or alarm data (idempotent).
"""

from __future__ import annotations

import heapq
import logging
import random
import socket
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, exists, select

from hmi.config import DataType, PlantConfig, TagConfig
from hmi.drivers.base import ConnectionState, Deadband, to_engineering
from hmi.runtime.alarm_journal import to_journal_event
from hmi.runtime.alarm_model import AlarmEvent
from hmi.runtime.alarm_states import AlarmState
from hmi.runtime.alarm_states import EventKind as AlarmKind
from hmi.runtime.alarms import AlarmEngine
from hmi.runtime.historian import Historian
from hmi.runtime.oee import OeeTracker
from hmi.runtime.shift_calendar import shift_windows
from hmi.sim import MODBUS_CONNECTION
from hmi.sim.codes import LineState
from hmi.sim.plant import BicycleFactory
from hmi.sim.register_map import ASSEMBLY_MAP, Point
from hmi.store.database import Store, open_store
from hmi.store.events import Event, EventKind, SystemEvent
from hmi.store.history_writer import HistoryWriter, Sample
from hmi.store.journal import Journal
from hmi.store.models import events
from hmi.store.models_history import history_samples
from hmi.store.models_oee import oee_intervals
from hmi.store.oee_store import CountRow, IntervalRow, OeeStore
from hmi.tagvalue import Quality, TagValue

log = logging.getLogger(__name__)

STEP_S = 1.0  # model step (live: 0.1 s); see the module docstring
ANALOG_S = 2.0  # analog tags are read this often for alarms (live: every change)
HISTORY_S = 10.0  # ... and for the historian
TICK_S = 10.0  # the historian's heartbeat check (live: every second; heartbeats are 600 s)
MAX_HOURS = 24.0
NO_CALENDAR_HOURS = 8.0  # a plant without shifts gets this much history
ACK_USER = "sim-operator"
ACK_DELAY_S = {1: (5.0, 30.0), 2: (10.0, 60.0)}  # by priority; others (20, 120)
CHECKPOINT_S = 60.0  # OEE checkpoints (live: 15 s)
OEE_BATCH = 5000  # OEE rows applied per transaction
CATCH_UP_ROUNDS = 3
BELT_REPLACED_AT = 0.4  # belt wear at which maintenance fits a new one (tension ~736 N)
BELT_RUNNING_SHARE = 0.7  # measured share of time the belts run at load

Progress = Callable[[float], None]  # fraction done, 0…1


@dataclass(frozen=True)
class BackfillSummary:
    """What a backfill did; `skipped` says why it did nothing (None: it ran)."""

    since: float
    until: float
    skipped: str | None = None
    steps: int = 0
    samples: int = 0
    oee_rows: int = 0
    alarm_events: int = 0
    elapsed_s: float = 0.0

    @property
    def hours(self) -> float:
        return max(0.0, self.until - self.since) / 3600.0

    @property
    def message(self) -> str:
        """The journal's and the console's one line."""
        if self.skipped:
            return f"demo: no simulated history recorded ({self.skipped})"
        return f"demo: {self.hours:.1f} h of simulated plant history recorded"


# --------------------------------------------------------------------------- the window


def history_window(
    config: PlantConfig, now: float, max_hours: float = MAX_HOURS
) -> tuple[float, float]:
    """(since, now): from the start of the previous shift (capped at `max_hours` back).

    Between shifts, "previous" is the last one that ended; without a shift
    calendar, the last NO_CALENDAR_HOURS.
    """
    floor = now - max_hours * 3600.0
    cal = config.shifts
    if cal is None:
        return max(floor, now - NO_CALENDAR_HOURS * 3600.0), now
    started = [w for w in shift_windows(cal, floor, now) if w.start <= now]
    if not started:
        return max(floor, now - NO_CALENDAR_HOURS * 3600.0), now
    current = started[-1] if started[-1].end > now else None
    previous = started[-2] if current is not None and len(started) > 1 else None
    if current is None:
        previous = started[-1]
    since = (previous or current or started[-1]).start
    return max(floor, since), now


# --------------------------------------------------------------------------- existing data


def existing_data(engine: Engine, config: PlantConfig) -> str | None:
    """Why the database already has a past (OEE, history or alarms), or None when empty."""
    lines = [ln.name for ln in config.lines if ln.oee is not None]
    checks = (
        ("OEE intervals", exists().where(oee_intervals.c.line.in_(lines))),
        ("history samples", exists().where(history_samples.c.ts.is_not(None))),
        ("alarm events", exists().where(events.c.kind == EventKind.ALARM.value)),
        (
            "a previous backfill",
            exists().where(
                events.c.kind == EventKind.SYSTEM.value,
                events.c.type == SystemEvent.DEMO_BACKFILL.value,
            ),
        ),
    )
    with engine.connect() as conn:
        for what, clause in checks:
            if conn.execute(select(clause)).scalar():
                return f"the database already has {what}"
    return None


# --------------------------------------------------------------------------- drivers' view


_F32 = struct.Struct(">f")


def _float32(x: float) -> float:
    """`x` as a float32 on the wire holds it."""
    return _F32.unpack(_F32.pack(x))[0]


_ANALOG = (DataType.FLOAT32, DataType.FLOAT64)


@dataclass(frozen=True, slots=True)
class _Read:
    """How one tag's delivered value comes out of the model's values.

    `convert` takes the model value named `source`, or (`source` None: a value
    derived from several) the whole values dict.
    """

    tag: TagConfig
    source: str | None
    convert: Callable[[Any], Any]


def _opcua_read(tag: TagConfig, key: str) -> _Read:
    """The OPC UA driver's value: the model's own (scaled if the config says so)."""
    if tag.scale is None:
        return _Read(tag, key, lambda x: x)
    return _Read(tag, key, lambda x: to_engineering(tag, x))


def _modbus_read(point: Point, tag: TagConfig) -> _Read:
    """The Modbus driver's value: the register map's raw wire value, then the tag's scale."""
    if point.derive is not None:  # status bits of the line state
        return _Read(tag, None, lambda v: bool(point.raw(v)))
    key = point.tag

    def raw(x: Any) -> Any:
        return point.raw({key: x})

    if point.table.is_bits or point.bit is not None:
        return _Read(tag, key, lambda x: bool(raw(x)))
    if tag.type is DataType.STRING:
        return _Read(tag, key, lambda x: str(x).encode()[: point.chars].decode("utf-8", "replace"))
    if tag.type is DataType.FLOAT32:
        return _Read(tag, key, lambda x: to_engineering(tag, _float32(raw(x))))
    return _Read(tag, key, lambda x: to_engineering(tag, raw(x)))


class DriverView:
    """The plant model's values as the station's drivers would deliver them.

    OPC UA tags read the model value named by their `ns=2;s=<name>` NodeId; the
    Modbus connection's tags read through the simulator's register map. A value is
    delivered when it changed and passed the tag's deadband, as the drivers do.
    Tags the model does not serve are never delivered.

    `changes(analog=False)` looks only at tags fed by the model's discrete values
    (states, reasons, counters, products, commands); those fed by its float
    signals are read when `analog` is true (a slower scan class) or by
    `analog_changes`.
    """

    def __init__(self, config: PlantConfig, model_types: dict[str, DataType]):
        points = {p.tag: p for p in ASSEMBLY_MAP.points}
        reads: list[_Read] = []
        for tag in config.tags:
            if tag.connection == MODBUS_CONNECTION:
                point = points.get(tag.name)
                if point is not None:
                    reads.append(_modbus_read(point, tag))
                continue
            key = tag.address.split(";s=", 1)[-1]
            if key in model_types:
                reads.append(_opcua_read(tag, key))
        analog = {r.tag.name for r in reads if r.source and model_types[r.source] in _ANALOG}
        self._discrete = [r for r in reads if r.tag.name not in analog]
        self._analog = [r for r in reads if r.tag.name in analog]
        self._source: dict[str, Any] = {}  # tag -> the model value last converted
        self._last: dict[str, Any] = {}  # tag -> the value last seen by the driver
        self._deadband = Deadband()

    @property
    def tags(self) -> list[str]:
        return [r.tag.name for r in self._discrete + self._analog]

    @property
    def analog_tags(self) -> frozenset[str]:
        return frozenset(r.tag.name for r in self._analog)

    def changes(self, values: dict[str, Any], ts: float, *, analog: bool = True) -> list[TagValue]:
        """The updates a driver would deliver now (source_ts = receive_ts = `ts`)."""
        out = self._scan(self._discrete, values, ts)
        if analog:
            out += self._scan(self._analog, values, ts)
        return out

    def analog_changes(self, values: dict[str, Any], ts: float) -> list[TagValue]:
        """Only the analog tags' updates."""
        return self._scan(self._analog, values, ts)

    def _scan(self, reads: list[_Read], values: dict[str, Any], ts: float) -> list[TagValue]:
        out: list[TagValue] = []
        sources, last = self._source, self._last
        missing = object()
        for r in reads:
            name = r.tag.name
            if r.source is None:
                value = r.convert(values)
            else:
                src = values[r.source]
                if sources.get(name, missing) == src:
                    continue  # the model value did not move: neither did the tag's
                sources[name] = src
                value = r.convert(src)
            if last.get(name, missing) == value:
                continue
            last[name] = value
            tv = TagValue(name, value, Quality.GOOD, ts, ts)
            if r.tag.deadband > 0 and not self._deadband.passes(r.tag, tv):
                continue
            out.append(tv)
        return out


# --------------------------------------------------------------------------- recorders' helpers


class _SimClock:
    """The simulated time every recorder reads."""

    def __init__(self, t: float):
        self.t = t

    def __call__(self) -> float:
        return self.t


class _BlockingSink:
    """The historian's sink: offline, a full writer queue is waited for, not spilled."""

    def __init__(self, writer: HistoryWriter):
        self._writer = writer

    def submit(self, samples: list[Sample], *, timeout: float | None = None) -> None:
        self._writer.submit(samples, timeout=60.0)


class _Episodes:
    """Journals an alarm's transitions once it is back in Normal (a whole episode).

    Episodes still open at the end are dropped: the journal's last word on every
    alarm is Normal, so the live station restores none of them.
    """

    def __init__(self, journal: Journal, on_event: Callable[[AlarmEvent], None]):
        self._journal = journal
        self._on_event = on_event
        self._open: dict[str, list[AlarmEvent]] = {}
        self.journaled = 0
        self.dropped = 0

    def emit(self, ev: AlarmEvent) -> None:
        if not ev.alarm_id:  # a horn silence: no operator silences the past
            return
        self._on_event(ev)
        if ev.state is not AlarmState.NORMAL:
            self._open.setdefault(ev.alarm_id, []).append(ev)
            return
        for e in [*self._open.pop(ev.alarm_id, []), ev]:
            self._journal.record(to_journal_event(e), timeout=60.0)
            self.journaled += 1

    def drop_open(self) -> None:
        self.dropped = sum(len(v) for v in self._open.values())
        self._open.clear()


class _SimOperator:
    """Acknowledges each alarm a little while after it sounds (seeded delays)."""

    def __init__(self, seed: int):
        self._rng = random.Random(f"{seed}/operator")
        self._due: list[tuple[float, str]] = []
        self._queued: set[str] = set()

    def saw(self, ev: AlarmEvent) -> None:
        if ev.unacked and ev.alarm_id not in self._queued and ev.kind is not AlarmKind.RETURNED:
            lo, hi = ACK_DELAY_S.get(ev.priority, (20.0, 120.0))
            heapq.heappush(self._due, (ev.time + self._rng.uniform(lo, hi), ev.alarm_id))
            self._queued.add(ev.alarm_id)

    def act(self, alarms: AlarmEngine, now: float) -> None:
        while self._due and self._due[0][0] <= now:
            _, aid = heapq.heappop(self._due)
            self._queued.discard(aid)
            status = alarms.status_of(aid)
            if status.unacked:
                alarms.ack(aid, ACK_USER)
            status = alarms.status_of(aid)
            if status.latched and status.in_alarm and not status.condition:
                alarms.reset(aid, ACK_USER)


class _BeltMaintenance:
    """Keeps the belts from wearing out over a long window, the way a plant would.

    Belt wear grows ~0.1 per running hour (measured: the belts run at load ~70 % of
    the time), made for a demo watched for minutes; 16 h of it would leave every
    conveyor overheating. So maintenance fits a new belt at the first planned stop
    after its wear reaches BELT_REPLACED_AT (its tension-low alarm is up by then:
    the predictive-maintenance story), and each belt starts the window at the wear
    that brings it to about the live simulator's starting wear at the end.
    """

    def __init__(self, model: BicycleFactory, hours: float):
        self._lines = list(model.lines.values())
        self.replaced = 0
        for line in self._lines:
            belt = line.conveyor
            growth = belt.WEAR_PER_HOUR * BELT_RUNNING_SHARE * hours
            belt.wear = (belt.wear - growth) % BELT_REPLACED_AT

    def check(self) -> None:
        for line in self._lines:
            belt = line.conveyor
            if belt.wear >= BELT_REPLACED_AT and line.state is LineState.PLANNED_STOP:
                belt.replace_belt()
                self.replaced += 1


# --------------------------------------------------------------------------- the backfill


def backfill(
    config: PlantConfig,
    store: Store | Engine | str | None,
    *,
    until: float | None = None,
    since: float | None = None,
    seed: int = 1,
    step_s: float = STEP_S,
    station: str | None = None,
    progress: Progress | None = None,
    clock: Callable[[], float] = time.time,
) -> BackfillSummary:
    """Record the demo plant's simulated past into `store`, unless it has a past already.

    `until` None: up to now, caught up with the clock at the end (the run takes a
    few seconds). `since` None: the start of the previous shift (`history_window`).
    `station` is the journal's station name (default: this host, as the live
    station's). `progress(fraction)` is called now and then.
    """
    started = time.perf_counter()
    if isinstance(store, Store):
        own, engine = None, store.engine
    elif isinstance(store, Engine):
        own, engine = None, store
    else:
        own = open_store(store)
        engine = own.engine
    try:
        end = clock() if until is None else until
        start = history_window(config, end)[0] if since is None else since
        why = existing_data(engine, config)
        if why is not None:
            return BackfillSummary(start, end, skipped=why)
        if end - start < step_s:
            return BackfillSummary(start, end, skipped="no time to fill")
        run = _Run(config, engine, start, seed, step_s, station or socket.gethostname())
        try:
            run.advance(end, progress)
            for _ in range(CATCH_UP_ROUNDS if until is None else 0):
                now = clock()
                if now - run.clock.t < 2 * step_s:
                    break
                run.advance(now, None)
            summary = run.finish(started)
        finally:
            run.close()
        log.info(summary.message)
        return summary
    finally:
        if own is not None:
            own.close()


class _Run:
    """One backfill: the model, the driver view and the real recorders on a sim clock."""

    def __init__(
        self, config: PlantConfig, engine: Engine, since: float, seed: int, step_s: float,
        station: str,
    ):  # fmt: skip
        self.config = config
        self.since = since
        self.step_s = step_s
        self.clock = _SimClock(since)
        self.journal = Journal(engine, station=station)
        self.oee_store = OeeStore(engine, on_journal=self.journal.record)
        self.oee_rows: list[IntervalRow | CountRow] = []
        self.oee_written = 0
        self.writer = HistoryWriter(
            engine,
            retention_days=lambda tag: self.historian.retention_days(tag),
            purge_interval=config.history.purge_interval_s,
        )
        self.historian = Historian(config, _BlockingSink(self.writer), clock=self.clock)
        # Checkpoints guard a live station against a crash; offline, one a minute is plenty.
        self.tracker = OeeTracker(
            config, self.oee_rows.extend, clock=self.clock, checkpoint_s=CHECKPOINT_S
        )
        self.operator = _SimOperator(seed)
        self.episodes = _Episodes(self.journal, self.operator.saw)
        self.alarms = AlarmEngine.from_config(config, self.episodes.emit, self.clock)
        self.model = BicycleFactory(seed)
        types = {s.name: s.type for s in self.model.specs}
        self.view = DriverView(config, types)  # alarms and OEE
        self.history_view = DriverView(config, types)  # the historian's analog scan
        self._analog_tags = self.view.analog_tags
        self.steps = 0
        self.belts: _BeltMaintenance | None = None
        self._next_analog = self._next_history = since
        self._next_tick = since + TICK_S

    def advance(self, until: float, progress: Progress | None) -> None:
        """Step the plant (and the recorders) up to `until`."""
        if self.belts is None:
            self.belts = _BeltMaintenance(self.model, (until - self.since) / 3600.0)
            self._deliver()  # the first values: every recorder's baseline
        belts = self.belts
        n = int((until - self.clock.t) // self.step_s)
        every = max(1, n // 50)
        dt = self.step_s
        for i in range(n):
            self.model.step(dt)
            belts.check()
            self.clock.t += dt
            self.steps += 1
            self._deliver()
            if progress is not None and i % every == 0:
                progress(i / n)
        if progress is not None:
            progress(1.0)

    def _deliver(self) -> None:
        now = self.clock.t
        values = self.model.values()
        analog = now >= self._next_analog
        if analog:
            self._next_analog += ANALOG_S
        batch = self.view.changes(values, now, analog=analog)
        if batch:
            self.alarms.on_updates(batch)
            self.tracker.on_updates(batch)
        recorded = [tv for tv in batch if tv.name not in self._analog_tags] if analog else batch
        if now >= self._next_history:
            self._next_history += HISTORY_S
            recorded += self.history_view.analog_changes(values, now)
        if recorded:
            self.historian.on_updates(recorded)
        self.alarms.tick()
        self.operator.act(self.alarms, now)
        if now >= self._next_tick:
            self.historian.tick()
            self._next_tick += TICK_S
        if len(self.oee_rows) >= OEE_BATCH:
            self._apply_oee()

    def _apply_oee(self) -> None:
        if self.oee_rows:
            self.oee_store.apply(self.oee_rows)
            self.oee_written += len(self.oee_rows)
            self.oee_rows.clear()

    def finish(self, started: float) -> BackfillSummary:
        """End as a station stops: intervals closed, tags disconnected, open alarms dropped."""
        end = self.clock.t
        self.tracker.close()
        self._apply_oee()
        for conn in self.config.connections:
            self.historian.on_connection(conn.name, ConnectionState.STOPPED, "demo history ends")
        self.episodes.drop_open()
        self.writer.close()
        summary = BackfillSummary(
            self.since,
            end,
            steps=self.steps,
            samples=self.historian.stored,
            oee_rows=self.oee_written,
            alarm_events=self.episodes.journaled,
            elapsed_s=time.perf_counter() - started,
        )
        self.journal.record(
            Event(
                EventKind.SYSTEM,
                SystemEvent.DEMO_BACKFILL,
                ts=end,
                source="demo",
                message=summary.message,
                details={
                    "since": self.since, "until": end, "seed": self.model.seed,
                    "step_s": self.step_s, "samples": summary.samples,
                    "oee_rows": summary.oee_rows, "alarm_events": summary.alarm_events,
                    "alarm_events_dropped": self.episodes.dropped,
                    "belts_replaced": self.belts.replaced if self.belts else 0,
                },
            )
        )  # fmt: skip
        return summary

    def close(self) -> None:
        try:
            self.writer.close()
        finally:
            self.journal.close()
