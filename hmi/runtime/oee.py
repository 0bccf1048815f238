"""The live OEE tracker: state-tag and counter updates → intervals and count deltas.

A `RuntimeListener` (no Qt, no I/O of its own). Per line it keeps the open
interval (state, reason, product since when) and each counter's last raw value.
It hands what must be persisted to a `sink` as small records; in the station the
sink is `hmi.store.oee_store.OeeWriter.submit`, which writes off the runtime's
loop. Times are the station's receive times of the updates (`receive_ts`), the
clock the checkpoints and the restart gap are measured with too.

Restarts: every interval is upserted by (line, start) when it opens, at each
checkpoint (its end = the last known time) and when it closes. After a crash the
store still holds the open interval ending at the last checkpoint;
`OeeStore.recover()` closes it there, and the time until the tracker sees the
line again is a gap: unknown, never guessed.

Count deltas are held and written as one row per counter and product at the next
boundary: a state/reason/product change, a whole minute, the end of a start-up
window, a checkpoint. Every period the calculation cuts at (shift, day, hour,
interval, start-up window) is such a boundary, so the figures stay exact, and a
month of a fast line is tens of thousands of rows, not millions.

Counters (docs/oee.md, "Counters"): an increase is counted; a decrease is a
rollover when the wrapped difference (modulus − old + new) is at most
`rollover_window`, else a reset (the counter restarted at 0, so `new` parts were
made since). Counter values with non-good quality are ignored; the first good
value after a start is the baseline, not a count.

Never blocking, nothing dropped: when the writer's bounded queue is full (the
database is away or slow) the sink raises `OeeWriterFullError` with nothing
accepted. The tracker then keeps the records itself, in order, reports
`on_health(False, …)` and hands them over again (every update batch, and every
second from `run()`) before anything newer, as the historian does with its samples.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import replace

from hmi.config import LineConfig, PlantConfig
from hmi.config_oee import CountKind, LineOee, LineState, counter_modulus, state_key
from hmi.drivers.base import ConnectionState
from hmi.runtime.oee_calc import (
    Counts,
    Interval,
    OeeFigures,
    ReasonPart,
    compute,
)
from hmi.store.oee_store import CountRow, IntervalRow, OeeStore
from hmi.store.oee_writer import OeeWriterFullError
from hmi.tagvalue import TagValue

log = logging.getLogger(__name__)

Record = IntervalRow | CountRow
# `OeeWriter.submit`: raises `OeeWriterFullError` (nothing accepted) when its queue is full.
Sink = Callable[[list[Record]], None]
HealthCallback = Callable[[bool, str], None]
HAND_OVER_RETRY_S = 1.0  # how often run() offers held records again


def counter_delta(old: int, new: int, modulus: int | None, window: int) -> int:
    """Parts counted between two readings of a counter (see the module docstring)."""
    if new >= old:
        return new - old
    if modulus is not None:
        wrapped = modulus - old + new
        if wrapped <= window:
            return wrapped
    return new


class _Line:
    """One line's live state."""

    def __init__(self, line: LineConfig, model: LineOee, modulus: dict[str, int | None]):
        self.name = line.name
        self.model = model
        self.state_map = model.states.table()
        self.modulus = modulus
        self.kinds = {tag: kind.value for tag, kind in model.count_tags().items()}
        self.state: LineState | None = None  # None: never seen
        self.reason: int | None = None
        self.product: str | None = None
        self.open: IntervalRow | None = None
        self.last_ts = 0.0
        self.raw: dict[str, int] = {}
        # Count deltas held until the next boundary: (kind, product) → [first ts, n].
        self.pending: dict[tuple[str, str | None], list] = {}
        self.startup_until = 0.0  # end of the start-up window after the last changeover

    def classify(self, tv: TagValue) -> LineState:
        if not tv.quality.is_good or tv.value is None:
            return LineState.UNKNOWN
        return self.state_map.get(state_key(tv.value), LineState.UNKNOWN)


class OeeTracker:
    """Turns updates of each OEE line's tags into `Record`s for the sink."""

    def __init__(
        self,
        config: PlantConfig,
        sink: Sink,
        *,
        clock: Callable[[], float] = time.time,
        checkpoint_s: float = 15.0,
        on_health: HealthCallback | None = None,
    ):
        self._sink = sink
        self._clock = clock
        self._on_health = on_health
        self._held: deque[list[Record]] = deque()  # refused by a full writer, in order
        self._held_rows = 0
        self._healthy = True
        self._checkpoint_s = checkpoint_s
        self._next_checkpoint = 0.0
        self._following: OeeStore | None = None  # on a standby: where the recorder writes
        self.lines: dict[str, _Line] = {}
        self._routes: dict[str, list[tuple[_Line, str]]] = {}
        for line in config.lines:
            if line.oee is None:
                continue
            model = line.oee
            counters = model.count_tags()
            modulus = {
                tag: counter_modulus(
                    config.tag_index[tag].type if tag in config.tag_index else None,
                    model.counter_max,
                )
                for tag in counters
            }
            lt = _Line(line, model, modulus)
            self.lines[line.name] = lt
            state_tag = model.state_tag or line.state_tag
            if state_tag:
                self._route(state_tag, lt, "state")
            for tag in counters:
                self._route(tag, lt, "count")
            if model.reason_tag:
                self._route(model.reason_tag, lt, "reason")
            if model.product_tag:
                self._route(model.product_tag, lt, "product")

    def _route(self, tag: str, line: _Line, role: str) -> None:
        self._routes.setdefault(tag, []).append((line, role))

    @property
    def tags(self) -> set[str]:
        """Every tag the tracker reads."""
        return set(self._routes)

    # -- RuntimeListener ----------------------------------------------------------------

    def on_updates(self, batch: list[TagValue]) -> None:
        out: list[Record] = []
        routes = self._routes
        for tv in batch:
            targets = routes.get(tv.name)
            if targets is None:
                continue
            for line, role in targets:
                t = max(tv.receive_ts, line.last_ts)
                line.last_ts = t
                if role == "state":
                    self._on_state(line, tv, t, out)
                elif role == "count":
                    self._on_count(line, tv, t, out)
                elif role == "reason":
                    reason = tv.value if tv.quality.is_good and isinstance(tv.value, int) else None
                    line.reason = reason or None
                    self._maybe_split(line, t, out)
                else:
                    if tv.quality.is_good and tv.value not in (None, ""):
                        line.product = str(tv.value)
                        self._maybe_split(line, t, out)
        now = self._clock()
        if now >= self._next_checkpoint:
            self._checkpoint(now, out)
        if out or self._held:
            self._hand_over(out)

    def on_connection(self, connection: str, state: ConnectionState, detail: str) -> None:
        """Quality changes arrive as tag updates; nothing to do here."""

    # -- the work -----------------------------------------------------------------------

    def _on_state(self, line: _Line, tv: TagValue, t: float, out: list[Record]) -> None:
        line.state = line.classify(tv)
        self._maybe_split(line, t, out)

    def _on_count(self, line: _Line, tv: TagValue, t: float, out: list[Record]) -> None:
        value = tv.value
        if not tv.quality.is_good or isinstance(value, bool) or not isinstance(value, int | float):
            return
        mod = line.modulus.get(tv.name)
        new = int(value) % mod if mod is not None else int(value)
        old = line.raw.get(tv.name)
        line.raw[tv.name] = new
        if old is None:
            return
        n = counter_delta(old, new, mod, line.model.rollover_window)
        if n <= 0 or self._following is not None:  # a standby holds no counts: not its to write
            return
        key = (line.kinds[tv.name], line.product)
        held = line.pending.get(key)
        if held is not None and (
            held[0] // 60 != t // 60 or held[0] < line.startup_until <= t
        ):  # a whole minute or the end of a start-up window lies between: keep them apart
            self._flush_counts(line, out, key)
            held = None
        if held is None:
            line.pending[key] = [t, n]
        else:
            held[1] += n

    def _flush_counts(self, line: _Line, out: list[Record], only: tuple | None = None) -> None:
        """Write held count deltas, stamped with the time of their first part."""
        for key in [only] if only is not None else list(line.pending):
            held = line.pending.pop(key, None)
            if held is not None:
                out.append(CountRow(line.name, held[0], key[0], held[1], key[1]))

    def _wanted(self, line: _Line) -> tuple[LineState, int | None, str | None] | None:
        if line.state is None:
            return None
        reason = line.reason if line.state not in (LineState.RUNNING, LineState.UNKNOWN) else None
        return line.state, reason, line.product

    def _maybe_split(self, line: _Line, t: float, out: list[Record]) -> None:
        wanted = self._wanted(line)
        if wanted is None:
            return
        cur = line.open
        if cur is not None and (LineState(cur.state), cur.reason, cur.product) == wanted:
            return
        state, reason, product = wanted
        self._flush_counts(line, out)  # held counts belong to the interval that ends here
        if cur is not None and cur.state == LineState.CHANGEOVER and state != LineState.CHANGEOVER:
            line.startup_until = t + line.model.startup_window_s
        if cur is not None and t > cur.start:
            out.append(replace(cur, end=t, open=False))
        elif cur is not None:  # changed again at the same instant: replace it
            t = cur.start
        line.open = IntervalRow(line.name, t, t, state.value, reason, product, True)
        out.append(line.open)

    def _checkpoint(self, now: float, out: list[Record]) -> None:
        self._next_checkpoint = now + self._checkpoint_s
        for line in self.lines.values():
            self._flush_counts(line, out)
            cur = line.open
            if cur is None:
                continue
            end = max(now, cur.end, line.last_ts)
            line.open = replace(cur, end=end)
            out.append(line.open)

    def tick(self) -> None:
        """Checkpoint the open intervals now (call periodically; `run` does)."""
        out: list[Record] = []
        self._checkpoint(self._clock(), out)
        if out or self._held:
            self._hand_over(out)

    def close(self) -> None:
        """Close every open interval at the clock's now (a clean stop)."""
        now = self._clock()
        out: list[Record] = []
        for line in self.lines.values():
            self._flush_counts(line, out)
            if line.open is not None:
                out.append(replace(line.open, end=max(now, line.open.end), open=False))
                line.open = None
        if out or self._held:
            self._hand_over(out)

    async def run(self, every_s: float | None = None) -> None:
        """Checkpoint every `every_s` seconds until cancelled (in the runtime loop);
        in between, offer records held for a full writer again every second."""
        every = every_s or self._checkpoint_s
        step = min(every, HAND_OVER_RETRY_S)
        waited = 0.0
        with contextlib.suppress(asyncio.CancelledError):
            while True:
                await asyncio.sleep(step)
                waited += step
                if waited >= every:
                    waited = 0.0
                    self.tick()
                elif self._held:
                    self._hand_over([])

    @property
    def held(self) -> int:
        """Records kept here because the writer's queue was full."""
        return self._held_rows

    @property
    def healthy(self) -> bool:
        """False while records are held for a full writer."""
        return self._healthy

    def _hand_over(self, out: list[Record]) -> None:
        """Give records to the sink without ever waiting; keep them (in order) if it is
        full, and give the oldest first once it has room."""
        if out:
            self._held.append(out)
            self._held_rows += len(out)
        while self._held:
            head = self._held[0]
            try:
                self._sink(head)
            except OeeWriterFullError as exc:
                self._set_health(False, f"OEE writer full, {self._held_rows} records held: {exc}")
                return
            self._held.popleft()
            self._held_rows -= len(head)
        self._set_health(True, "OEE records flowing")

    def _set_health(self, ok: bool, detail: str) -> None:
        if ok == self._healthy:
            return
        self._healthy = ok
        (log.info if ok else log.warning)("OEE tracker: %s", detail)
        if self._on_health is not None:
            try:
                self._on_health(ok, detail)
            except Exception:
                log.exception("OEE tracker health callback failed")

    def _drop_held(self) -> None:
        """Records of an earlier recorder term are not this term's to write."""
        if self._held_rows:
            log.warning("OEE tracker: %d held records of an earlier term dropped", self._held_rows)
        self._held.clear()
        self._held_rows = 0
        self._set_health(True, "no OEE records held")

    def live_interval(self, line: str) -> Interval | None:
        """The open interval of `line` up to now (for a live card), if any.

        On a standby it is the recorder's open interval as stored (read from the
        database: call it off the GUI thread), since that is the one the figures hold."""
        following = self._following
        if following is not None:
            last = following.last_interval(line) if line in self.lines else None
            if last is None or not last.open:
                return None
            return replace(to_interval(last), end=max(self._clock(), last.end))
        lt = self.lines.get(line)
        if lt is None or lt.open is None:
            return None
        cur = lt.open
        end = max(self._clock(), cur.end)
        return Interval(cur.start, end, LineState(cur.state), cur.reason, cur.product)

    # -- the recorder role (hmi.runtime.recorder) -----------------------------------------

    def restart_recording(self, now: float, not_before: Mapping[str, float] | None = None) -> None:
        """This station becomes the recorder at `now`: each line with a known state opens
        a fresh interval then (or at the end of the line's last stored interval, if
        another station's clock ran ahead), counters count from their last readings, and
        nothing counted before is written (it was the previous recorder's)."""
        self._following = None
        self._drop_held()
        out: list[Record] = []
        for line in self.lines.values():
            line.pending.clear()
            start = max(now, (not_before or {}).get(line.name, now))
            line.last_ts = max(line.last_ts, start)
            line.open = None
            wanted = self._wanted(line)
            if wanted is not None:
                state, reason, product = wanted
                line.open = IntervalRow(line.name, start, start, state.value, reason, product, True)
                out.append(line.open)
        self._next_checkpoint = now + self._checkpoint_s
        if out:
            self._hand_over(out)

    def stop_recording(self, recorded: OeeStore) -> None:
        """This station is a standby: it keeps following the lines (so it can take over
        at any moment) but holds no counts, and its live view is what `recorded` holds."""
        self._following = recorded
        self._drop_held()
        for line in self.lines.values():
            line.pending.clear()

    def resume(self, store: OeeStore) -> int:
        """On start: close the intervals a crash left open at their last checkpoint, so
        the time since is a gap (unknown). Returns how many were closed."""
        return sum(store.recover(line) for line in self.lines)


# --------------------------------------------------------------------------- reading back


def to_interval(row: IntervalRow) -> Interval:
    return Interval(row.start, row.end, LineState(row.state), row.reason, row.product)


def load_figures(
    store: OeeStore,
    config: PlantConfig,
    line: str,
    since: float,
    until: float,
    *,
    live: Interval | None = None,
) -> OeeFigures:
    """The figures of `line` over [since, until), read from the store.

    `live` (the tracker's open interval up to now) replaces the stored version of the
    open interval, whose end is only the last checkpoint.
    """
    model = line_model(config, line)
    margin = model.micro_stop_s + 1.0
    ivs = [to_interval(r) for r in store.intervals(line, since - margin, until + margin)]
    if live is not None:
        ivs = [iv for iv in ivs if iv.start != live.start] + [live]
    series = store.count_series(line, since, until)
    counts = Counts.from_arrays({(p, CountKind(k)): v for (p, k), v in series.items()})
    first = min((iv.start for iv in ivs), default=since)
    parts = [
        ReasonPart(r.event_start, r.reason, r.seconds, r.user)
        for r in store.reasons(line, first, until + margin)
    ]
    return compute(
        model, ivs, counts, since, until, calendar=config.shifts, line=line, assignments=parts
    )


def line_model(config: PlantConfig, line: str) -> LineOee:
    """The OEE model of `line`; KeyError naming the OEE lines if it has none."""
    for lc in config.lines:
        if lc.name == line and lc.oee is not None:
            return lc.oee
    known = ", ".join(lc.name for lc in config.lines if lc.oee is not None) or "none"
    raise KeyError(f"no OEE line named {line!r} (OEE lines: {known})")
