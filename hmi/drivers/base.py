"""The driver contract, and the per-tag conversions every driver shares.

A driver owns one connection. It runs inside the runtime's asyncio loop, never
blocks it, and reports through a `DriverSink`:

- `sink.updates(batch)` with a list of `TagValue` (engineering units, source
  timestamp, quality) — one call per notification batch or poll cycle;
- `sink.connection_state(name, state, detail)` on every state change.

On a lost connection the driver itself re-qualifies its tags DISCONNECTED and
keeps retrying with capped exponential backoff until `stop()`.
"""

from __future__ import annotations

import abc
import math
import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from hmi.config import DataType, TagConfig
from hmi.config_connections import Connection
from hmi.tagvalue import Quality, TagValue


class ConnectionState(StrEnum):
    CONNECTING = "connecting"
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    STOPPED = "stopped"


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What happened to a write, as reported back to whoever asked."""

    tag: str
    ok: bool
    value: Any = None  # the value as written (after coercion), when ok
    error: str = ""


@dataclass(slots=True)
class ConnectionStats:
    """Figures a diagnostics screen shows per connection."""

    state: ConnectionState = ConnectionState.DISCONNECTED
    endpoint: str = ""
    connects: int = 0
    updates: int = 0
    errors: int = 0
    last_error: str = ""
    last_change: float = field(default_factory=time.time)


class DriverSink(Protocol):
    """Where a driver delivers. Called from the runtime loop's thread only."""

    def updates(self, batch: list[TagValue]) -> None: ...

    def connection_state(self, connection: str, state: ConnectionState, detail: str) -> None: ...


class Driver(abc.ABC):
    """One connection to one source. Runs in the runtime's asyncio loop."""

    def __init__(self, conn: Connection, tags: list[TagConfig], sink: DriverSink):
        self.conn = conn
        self.tags = {t.name: t for t in tags}
        self.sink = sink
        self.stats = ConnectionStats(endpoint=getattr(conn, "endpoint", ""))

    @property
    def name(self) -> str:
        return self.conn.name

    @abc.abstractmethod
    async def start(self) -> None:
        """Begin connecting in the background; return at once."""

    @abc.abstractmethod
    async def stop(self) -> None:
        """Disconnect and end all background work; tags end DISCONNECTED."""

    @abc.abstractmethod
    async def write(self, tag: str, value: Any) -> WriteResult:
        """Write an engineering value; report the outcome (never raise for device errors)."""

    def set_state(self, state: ConnectionState, detail: str = "") -> None:
        """Record and announce a state change (once per change)."""
        if state is self.stats.state and not detail:
            return
        if state is ConnectionState.CONNECTED:
            self.stats.connects += 1
        elif detail and state is ConnectionState.DISCONNECTED:
            self.stats.errors += 1
            self.stats.last_error = detail
        self.stats.state = state
        self.stats.last_change = time.time()
        self.sink.connection_state(self.name, state, detail)

    def mark_all(self, quality: Quality, reason: str) -> None:
        """Re-qualify every tag of this connection (e.g. DISCONNECTED on a lost link)."""
        now = time.time()
        self.sink.updates([TagValue(n, None, quality, now, now, reason) for n in self.tags])


def backoff_delays(first: float, cap: float):
    """1st, 2nd, … reconnect delays: doubling from `first`, capped at `cap`."""
    delay = first
    while True:
        yield delay
        delay = min(delay * 2, cap)


# --------------------------------------------------------------------------- value conversion

_INT_RANGES = {
    DataType.INT16: (-(2**15), 2**15 - 1),
    DataType.UINT16: (0, 2**16 - 1),
    DataType.INT32: (-(2**31), 2**31 - 1),
    DataType.UINT32: (0, 2**32 - 1),
    DataType.INT64: (-(2**63), 2**63 - 1),
    DataType.UINT64: (0, 2**64 - 1),
}


def to_engineering(tag: TagConfig, raw: Any) -> Any:
    """A raw device value in engineering units (scaling applied)."""
    if tag.scale is not None and raw is not None and not isinstance(raw, bool):
        return tag.scale.to_eng(float(raw))
    return raw


def to_raw(tag: TagConfig, value: Any) -> Any:
    """An operator's engineering value as the device's raw type; ValueError if it can't be.

    Strings such as "12.5" or "true" are accepted, so a typed-in value works.
    """
    t = tag.type
    if t is DataType.BOOL:
        if isinstance(value, str):
            low = value.strip().lower()
            if low in ("1", "true", "on", "yes"):
                return True
            if low in ("0", "false", "off", "no"):
                return False
            raise ValueError(f"{value!r} is not a boolean")
        return bool(value)
    if t is DataType.STRING:
        return str(value)
    if t.is_integer and tag.scale is None:
        exact = _exact_int(value)  # int64 values above 2**53 must not pass through float
        if exact is not None:
            lo, hi = _INT_RANGES[t]
            if not lo <= exact <= hi:
                raise ValueError(f"{value!r} is outside {t.value} range {lo}..{hi}")
            return exact
    try:
        num = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{value!r} is not a number") from None
    if not math.isfinite(num):
        raise ValueError(f"{value!r} is not a finite number")
    if tag.scale is not None:
        num = tag.scale.to_raw(num)
    if t.is_integer:
        lo, hi = _INT_RANGES[t]
        rounded = round(num)
        if not lo <= rounded <= hi:
            raise ValueError(f"{value!r} is outside {t.value} range {lo}..{hi}")
        return rounded
    return num


def _exact_int(value: Any) -> int | None:
    """`value` as an exact int when it is one (int, integral str), else None."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


class Deadband:
    """Per-tag absolute deadband on good values: passes a change only when it is big enough.

    Quality changes always pass, so a recovery or an outage is never filtered.
    """

    __slots__ = ("_last",)

    def __init__(self) -> None:
        self._last: dict[str, TagValue] = {}

    def passes(self, tag: TagConfig, tv: TagValue) -> bool:
        last = self._last.get(tag.name)
        if (
            tag.deadband > 0
            and last is not None
            and last.quality is tv.quality
            and isinstance(tv.value, (int, float))
            and isinstance(last.value, (int, float))
            and abs(tv.value - last.value) < tag.deadband
        ):
            return False
        self._last[tag.name] = tv
        return True
