"""The historian's recorder: sees every tag update, decides cheaply what to store.

A `RuntimeListener` in the runtime's asyncio thread (no Qt, no I/O): per update a
dict lookup, a float compare and, when the sample is kept, a tuple appended to a
list that is handed to the `HistoryWriter` thread once per batch. What is kept:

- the first sample of a tag, and every change of QUALITY (an outage is stored as a
  non-good sample, so a trend shows a gap rather than a line across it);
- a good value that moved at least the deadband away from the last STORED value
  (absolute, or percent of the span: `hmi.config_history`); with no deadband,
  every change;
- a heartbeat: when nothing was stored for `heartbeat_s`, the latest value is
  stored again, at the clock's time (`tick()`, called every second by `run()`),
  so a flat tag still has a recent sample and a long range is never empty.

Timestamps: a good sample keeps its SOURCE timestamp. A quality change is stamped
when this station learned it (receive_ts), since the source's timestamp then is the
last good value's. Per tag, stored times strictly increase: a sample whose time is
not after the previous one is stamped at its receive time, or 1 µs after the
previous one (the (tag, ts) key is unique).

Never blocking: when the writer's queue is full (database down or too slow) the
recorder keeps the samples itself, in order, reports `on_health(False, …)` and
hands them over as soon as there is room. Nothing is dropped; memory grows while
the database is away (~150 bytes per sample), and the health alarm says so.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol

from hmi.config import PlantConfig
from hmi.config_history import HistorySettings, resolve_history
from hmi.drivers.base import ConnectionState
from hmi.store.history import QUALITY_CODES
from hmi.store.history_writer import HistoryFullError, Sample
from hmi.tagvalue import Quality, TagValue

log = logging.getLogger(__name__)

HealthCallback = Callable[[bool, str], None]
_GOOD = QUALITY_CODES[Quality.GOOD]
_DISCONNECTED = QUALITY_CODES[Quality.DISCONNECTED]
_MIN_STEP = 1e-6


class SampleSink(Protocol):
    """Where samples go: `HistoryWriter.submit`, which raises `HistoryFullError` when full."""

    def submit(self, samples: list[Sample], *, timeout: float | None = None) -> None: ...


class _TagState:
    """What the recorder remembers about one tag (slots: one per historised tag)."""

    __slots__ = (
        "connection",
        "last_quality",
        "last_stored_at",
        "last_ts",
        "last_value",
        "seen_quality",
        "seen_value",
        "settings",
    )

    def __init__(self, settings: HistorySettings, connection: str):
        self.settings = settings
        self.connection = connection
        self.last_value: float | None = None  # last STORED value (the deadband's centre)
        self.last_quality = -1  # last stored quality code; -1: nothing stored yet
        self.last_ts = -math.inf  # last stored ts
        self.last_stored_at = 0.0  # clock time of the last store (heartbeat)
        self.seen_value: float | None = None  # latest value seen (what a heartbeat stores)
        self.seen_quality = -1


def as_number(value: object) -> float | None:
    """A tag value as the float history stores: bools 0/1; None for what is not a number."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    return None


class Historian:
    """Records the plant's historised tags through a `SampleSink` (the writer thread)."""

    def __init__(
        self,
        config: PlantConfig,
        sink: SampleSink,
        *,
        clock: Callable[[], float] = time.time,
        on_health: HealthCallback | None = None,
    ):
        self._sink = sink
        self._clock = clock
        self._on_health = on_health
        self._tags: dict[str, _TagState] = {}
        self._default_retention = config.history.retention_days
        for tag in config.tags:
            settings = resolve_history(tag, config.history)
            if settings.enabled:
                self._tags[tag.name] = _TagState(settings, tag.connection)
        self._spill: deque[list[Sample]] = deque()
        self._spilled = 0
        self._healthy = True
        self.stored = 0  # samples handed to the sink (or held for it)

    # -- RuntimeListener ------------------------------------------------------------------

    def on_updates(self, batch: list[TagValue]) -> None:
        now = self._clock()
        tags = self._tags
        out: list[Sample] = []
        for tv in batch:
            st = tags.get(tv.name)
            if st is None:
                continue
            quality = QUALITY_CODES[tv.quality]
            value = as_number(tv.value) if quality == _GOOD else None
            st.seen_value, st.seen_quality = value, quality
            keep = (
                quality != st.last_quality
                or (quality == _GOOD and self._moved(st, value))
                or (st.settings.heartbeat_s and now - st.last_stored_at >= st.settings.heartbeat_s)
            )
            if not keep:
                continue
            # A good value keeps its source time; a quality change (or a restated non-good
            # value) is stamped when this station learned it.
            ts = (tv.source_ts or tv.receive_ts) if quality == _GOOD else tv.receive_ts
            out.append(self._store(st, tv.name, ts, tv.receive_ts, value, quality, now))
        if out or self._spill:
            self._hand_over(out)

    def on_connection(self, connection: str, state: ConnectionState, detail: str) -> None:
        """A lost connection closes its tags' lines even if the driver said nothing more:
        drivers normally re-qualify their tags first, and then this stores nothing."""
        if state not in (ConnectionState.DISCONNECTED, ConnectionState.STOPPED):
            return
        now = self._clock()
        out = [
            self._store(st, name, now, now, None, _DISCONNECTED, now)
            for name, st in self._tags.items()
            if st.connection == connection and st.last_quality not in (-1, _DISCONNECTED)
        ]
        if out:
            for name in (s[0] for s in out):
                self._tags[name].seen_quality = _DISCONNECTED
            self._hand_over(out)

    # -- heartbeat and retries ------------------------------------------------------------

    def tick(self) -> None:
        """Store a heartbeat for every tag whose last sample is `heartbeat_s` old, and
        retry handing over held samples. Call about once a second (`run()` does)."""
        now = self._clock()
        out = [
            self._store(st, name, now, now, st.seen_value, st.seen_quality, now)
            for name, st in self._tags.items()
            if st.settings.heartbeat_s
            and st.last_quality != -1
            and now - st.last_stored_at >= st.settings.heartbeat_s
        ]
        if out or self._spill:
            self._hand_over(out)

    async def run(self, interval: float = 1.0) -> None:
        """`tick()` every `interval` seconds in the runtime loop, until cancelled."""
        while True:
            await asyncio.sleep(interval)
            try:
                self.tick()
            except Exception:
                log.exception("historian tick failed")

    def restart_recording(self) -> None:
        """This station becomes the recorder (hmi.runtime.recorder): store every tag's
        latest value now, so each trend restarts from a known point and the deadband
        measures from what is stored, not from what a standby saw but never wrote.
        Samples held for a full writer belong to an earlier term: they are dropped."""
        self._spill.clear()
        self._spilled = 0
        now = self._clock()
        out = [
            self._store(st, name, now, now, st.seen_value, st.seen_quality, now)
            for name, st in self._tags.items()
            if st.seen_quality != -1
        ]
        self._hand_over(out)

    @property
    def held(self) -> int:
        """Samples kept here because the writer's queue was full."""
        return self._spilled

    @property
    def healthy(self) -> bool:
        return self._healthy

    def settings(self, tag: str) -> HistorySettings | None:
        """The effective settings of a historised tag; None when it is not historised."""
        st = self._tags.get(tag)
        return None if st is None else st.settings

    def retention_days(self, tag: str) -> float:
        """Days to keep `tag`'s samples (for `HistoryWriter(retention_days=…)`); tags no
        longer in the config keep the plant default."""
        st = self._tags.get(tag)
        return st.settings.retention_days if st is not None else self._default_retention

    # -- internals ------------------------------------------------------------------------

    @staticmethod
    def _moved(st: _TagState, value: float | None) -> bool:
        last = st.last_value
        if value is None or last is None:
            return value is not last
        if math.isnan(value) or math.isnan(last):
            return not (math.isnan(value) and math.isnan(last))
        diff = abs(value - last)
        return diff > 0 and diff >= st.settings.threshold(last)

    def _store(
        self,
        st: _TagState,
        name: str,
        ts: float,
        receive_ts: float,
        value: float | None,
        quality: int,
        now: float,
    ) -> Sample:
        if ts <= st.last_ts:
            ts = receive_ts if receive_ts > st.last_ts else st.last_ts + _MIN_STEP
        st.last_ts, st.last_value, st.last_quality, st.last_stored_at = ts, value, quality, now
        self.stored += 1
        return (name, ts, value, quality)

    def _hand_over(self, out: list[Sample]) -> None:
        """Give samples to the sink without ever waiting; keep them (in order) if it is full."""
        if out:
            self._spill.append(out)
            self._spilled += len(out)
        while self._spill:
            head = self._spill[0]
            try:
                self._sink.submit(head, timeout=0)
            except HistoryFullError as exc:
                self._set_health(False, f"history writer full, {self._spilled} samples held: {exc}")
                return
            self._spill.popleft()
            self._spilled -= len(head)
        self._set_health(True, "history samples flowing")

    def _set_health(self, ok: bool, detail: str) -> None:
        if ok == self._healthy:
            return
        self._healthy = ok
        (log.info if ok else log.warning)("historian: %s", detail)
        if self._on_health is not None:
            try:
                self._on_health(ok, detail)
            except Exception:
                log.exception("historian health callback failed")
