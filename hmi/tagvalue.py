"""The one value object that travels from a driver to a widget.

Value, quality and both timestamps travel together (the Taurus lesson), as one
immutable object on one path (the PyDM anti-lesson of 14 signals per value).
Every layer imports this module; it imports nothing of the project.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Quality(StrEnum):
    """How far a value can be trusted, worst last.

    GOOD: the source vouches for it. UNCERTAIN: the source doubts it.
    BAD: the source or decoding failed. STALE: not refreshed when it should have been.
    DISCONNECTED: no connection to the source at all.
    """

    GOOD = "good"
    UNCERTAIN = "uncertain"
    BAD = "bad"
    STALE = "stale"
    DISCONNECTED = "disconnected"

    @property
    def is_good(self) -> bool:
        return self is Quality.GOOD


@dataclass(frozen=True, slots=True)
class TagValue:
    """A tag's value at one instant.

    `source_ts` is the time the source stamped (OPC UA SourceTimestamp, or the
    poll's response time for Modbus); `receive_ts` is when this station got it.
    Both are POSIX seconds (UTC). `reason` says why the quality is not good.
    """

    name: str
    value: Any
    quality: Quality = Quality.GOOD
    source_ts: float = 0.0
    receive_ts: float = field(default_factory=time.time)
    reason: str = ""

    def with_quality(self, quality: Quality, reason: str = "", ts: float | None = None) -> TagValue:
        """The same last value, re-qualified (e.g. on disconnect): the value stays for context."""
        now = time.time() if ts is None else ts
        return TagValue(self.name, self.value, quality, self.source_ts, now, reason)


def initial_value(name: str) -> TagValue:
    """What a tag holds before its source has ever answered."""
    return TagValue(name, None, Quality.DISCONNECTED, 0.0, 0.0, "not connected yet")
