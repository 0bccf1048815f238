"""The event value object: one alarm transition, operator action or system happening.

An `Event` is what producers hand to the journal; a `StoredEvent` is what queries
give back (the same fields plus the row id and when the station recorded it).
Both are plain frozen dataclasses, so they cross threads freely and never drag a
database session along.

Times are UTC epoch seconds as floats everywhere in the store: comparisons and
history arrays (numpy) want numbers, and a float keeps microseconds for centuries.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class EventKind(StrEnum):
    """The broad family of an event; filters and KPIs select on it."""

    ALARM = "alarm"  # an ISA-18.2 alarm state transition
    OPERATOR = "operator"  # something a person did (write, ack, shelve, reason code, login…)
    SYSTEM = "system"  # the station itself (start, stop, connection lost, config loaded…)


class SystemEvent(StrEnum):
    """Well-known `type` values for `EventKind.SYSTEM` (others are allowed)."""

    START = "start"
    STOP = "stop"
    CONNECTION_LOST = "connection_lost"
    CONNECTION_RESTORED = "connection_restored"
    CONFIG_LOADED = "config_loaded"
    PLUGIN_FAILED = "plugin_failed"
    STORE_UNAVAILABLE = "store_unavailable"
    STORE_RESTORED = "store_restored"
    DEMO_BACKFILL = "demo_backfill"  # the demo's simulated past was recorded (not real data)
    RECORDER_ACTIVE = "recorder_active"  # this station took the recorder lease
    RECORDER_STANDBY = "recorder_standby"  # this station lost it: another one records


class OperatorAction(StrEnum):
    """Well-known `type` values for `EventKind.OPERATOR` (others are allowed)."""

    WRITE = "write"
    ACKNOWLEDGE = "acknowledge"
    SILENCE = "silence"
    SHELVE = "shelve"
    UNSHELVE = "unshelve"
    OUT_OF_SERVICE = "out_of_service"
    IN_SERVICE = "in_service"
    REASON_CODE = "reason_code"
    LOGIN = "login"
    LOGOUT = "logout"


def _text(value: Any) -> str | None:
    """Values and limits are stored as text: tags may be numbers, booleans or strings."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened, to be journaled.

    `kind` is the family (`EventKind`), `type` the specific happening within it
    (an alarm transition name, "connection_lost", "write"…). `ts` is when it
    happened at the source, UTC epoch seconds. `value` and `limit` may be any
    scalar; they are stored as text. `details` holds JSON-serialisable extras.
    """

    kind: str
    type: str
    ts: float = field(default_factory=time.time)
    source: str | None = None
    area: str | None = None
    priority: int | None = None
    state: str | None = None
    value: Any = None
    limit: Any = None
    user: str | None = None
    station: str | None = None
    message: str = ""
    comment: str | None = None
    details: Mapping[str, Any] | None = None

    def __post_init__(self) -> None:
        # Reject bad events at the caller, not later in the writer thread where the
        # error could only be reported through the ticket.
        if not self.kind or not self.type:
            raise ValueError("an event needs a kind and a type")
        if not isinstance(self.ts, int | float) or not math.isfinite(self.ts):
            raise ValueError(f"event ts must be finite epoch seconds, not {self.ts!r}")
        if self.priority is not None and not isinstance(self.priority, int):
            raise ValueError(f"event priority must be an int or None, not {self.priority!r}")
        if self.details:
            try:
                json.dumps(self.details)
            except (TypeError, ValueError) as exc:
                raise ValueError(f"event details must be JSON-serialisable: {exc}") from None

    def to_row(self, recorded_ts: float, station: str | None = None) -> dict[str, Any]:
        """The column values of this event (`station` fills in when the event has none)."""
        return {
            "ts": float(self.ts),
            "recorded_ts": recorded_ts,
            "kind": str(self.kind),
            "type": str(self.type),
            "source": self.source,
            "area": self.area,
            "priority": self.priority,
            "state": self.state,
            "value": _text(self.value),
            "limit_value": _text(self.limit),
            "user_name": self.user,
            "station": self.station if self.station is not None else station,
            "message": self.message,
            "comment": self.comment,
            "details": dict(self.details) if self.details else None,
        }


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event as read back from the journal. `value` and `limit` come back as text."""

    id: int
    ts: float
    recorded_ts: float
    kind: str
    type: str
    source: str | None
    area: str | None
    priority: int | None
    state: str | None
    value: str | None
    limit: str | None
    user: str | None
    station: str | None
    message: str
    comment: str | None
    details: dict[str, Any] | None
