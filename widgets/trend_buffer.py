"""A fixed-size ring of (timestamp, value) samples for one live trend pen.

Live trends append a sample per frame and redraw from a contiguous view of the last
N samples. Shifting the whole array per sample (``np.roll``, PyDM's way) costs O(N)
per sample; this ring writes every sample twice, at ``i`` and ``i + capacity``, so
the last N samples are always one contiguous slice and a write is O(1).

Samples are stamped with the SOURCE time of the value, never the clock of the
display: a frame may carry a value that is seconds old, and the trend must show
when it happened, not when it was drawn.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from hmi.tagvalue import Quality, TagValue


def numeric(value: Any) -> float | None:
    """The value as a float to plot, or None when it is not a number (strings)."""
    if value is None:
        return math.nan
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def sample_of(tv: TagValue, last_ts: float) -> tuple[float, float] | None:
    """The (ts, value) a trend plots for `tv`, or None when there is nothing to plot.

    A value whose quality is not good is plotted as NaN: a gap, never a line across an
    outage. A quality change keeps the old `source_ts` (the source said nothing new),
    so the gap is stamped when the station noticed it (`receive_ts`).
    """
    if tv.source_ts <= 0 and tv.receive_ts <= 0:
        return None  # "never received": no time to put it at
    value = numeric(tv.value) if tv.quality is Quality.GOOD else math.nan
    if value is None:
        return None
    ts = tv.source_ts if tv.source_ts > 0 else tv.receive_ts
    if tv.quality is not Quality.GOOD and ts <= last_ts:
        ts = max(tv.receive_ts, last_ts)
    return ts, value


class RingBuffer:
    """The last `capacity` samples of one pen, oldest first, as contiguous numpy views.

    Timestamps are kept non-decreasing: a sample older than the newest one is dropped
    (a late duplicate from a reconnect must not draw a line back in time).
    """

    def __init__(self, capacity: int):
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self._cap = capacity
        self._ts = np.empty(2 * capacity, dtype=np.float64)
        self._val = np.empty(2 * capacity, dtype=np.float64)
        self._next = 0  # where the next sample goes, in [0, capacity)
        self._len = 0

    @property
    def capacity(self) -> int:
        return self._cap

    def __len__(self) -> int:
        return self._len

    @property
    def last_ts(self) -> float:
        """The newest timestamp, or -inf when empty."""
        if not self._len:
            return -math.inf
        return float(self._ts[(self._next - 1) % self._cap])

    def append(self, ts: float, value: float) -> bool:
        """Add one sample; False (and nothing stored) when it is older than the newest."""
        if ts < self.last_ts:
            return False
        i = self._next
        self._ts[i] = self._ts[i + self._cap] = ts
        self._val[i] = self._val[i + self._cap] = value
        self._next = (i + 1) % self._cap
        self._len = min(self._len + 1, self._cap)
        return True

    def extend(self, ts: np.ndarray, values: np.ndarray) -> None:
        """Add many samples at once (a history backfill), sorted oldest first.

        Samples older than the newest one held are dropped, as in `append`.
        """
        ts = np.asarray(ts, dtype=np.float64)
        values = np.asarray(values, dtype=np.float64)
        keep = ts >= self.last_ts
        ts, values = ts[keep][-self._cap :], values[keep][-self._cap :]
        n = len(ts)
        if not n:
            return
        idx = (self._next + np.arange(n)) % self._cap
        self._ts[idx] = self._ts[idx + self._cap] = ts
        self._val[idx] = self._val[idx + self._cap] = values
        self._next = (self._next + n) % self._cap
        self._len = min(self._len + n, self._cap)

    def prepend(self, ts: np.ndarray, values: np.ndarray) -> None:
        """Put older samples (a backfill) before what is held, keeping the newest overall."""
        held_ts, held_val = self.view()
        older = ts < (held_ts[0] if len(held_ts) else math.inf)
        all_ts = np.concatenate([ts[older], held_ts])
        all_val = np.concatenate([values[older], held_val])
        self.clear()
        self.extend(all_ts[-self._cap :], all_val[-self._cap :])

    def view(self) -> tuple[np.ndarray, np.ndarray]:
        """(ts, values) of what is held, oldest first. Views, valid until the next append."""
        start = (self._next - self._len) % self._cap
        end = start + self._len
        return self._ts[start:end], self._val[start:end]

    def value_at(self, t: float) -> float | None:
        """The value in force at `t` (the newest sample at or before it), NaN in a gap."""
        ts, values = self.view()
        i = int(np.searchsorted(ts, t, side="right")) - 1
        if i < 0:
            return None
        return float(values[i])

    def clear(self) -> None:
        self._next = 0
        self._len = 0

    def resize(self, capacity: int) -> None:
        """Change the capacity, keeping the newest samples that fit."""
        if capacity == self._cap:
            return
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        ts, values = (a.copy() for a in self.view())
        self._cap = capacity
        self._ts = np.empty(2 * capacity, dtype=np.float64)
        self._val = np.empty(2 * capacity, dtype=np.float64)
        self.clear()
        self.extend(ts, values)
