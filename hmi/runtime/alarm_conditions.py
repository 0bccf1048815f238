"""How each kind of alarm judges its condition: one live-state class per alarm type.

The first layer of the alarm engine (`hmi.runtime.alarms`): a `LiveAlarm` turns a
good update of its tag(s) into the raw condition (limit and deadband hysteresis,
discrete states, deviation from a setpoint, rate of change over a window) and
carries the per-alarm state the engine's delay filter and state machine work on.
Kept apart from the engine so each condition reads on its own; no I/O, no clock.
"""

from __future__ import annotations

import math
from collections import deque
from typing import Any

from hmi.config_alarms import AlarmType
from hmi.runtime.alarm_model import COMM_TYPE, AlarmDef
from hmi.runtime.alarm_states import Status
from hmi.tagvalue import TagValue


def _number(v: Any) -> float | None:
    """A finite number, or None (a value an analog alarm cannot judge: hold)."""
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None
    return float(v) if math.isfinite(v) else None


class LiveAlarm:
    """Live state of one alarm: the condition with hysteresis, the delay filter, the status."""

    __slots__ = (
        "activated_at",
        "d",
        "pending_since",
        "raw",
        "shelve_reason",
        "shelved_until",
        "since",
        "status",
        "user",
        "value",
    )

    is_roc = False

    def __init__(self, d: AlarmDef):
        self.d = d
        self.status = Status(latched=d.latched)
        self.raw = False  # the undelayed condition, kept for hysteresis
        self.pending_since: float | None = None  # raw has differed from the condition since
        self.value: Any = None
        self.activated_at = 0.0
        self.since = 0.0
        self.shelved_until: float | None = None
        self.shelve_reason: str | None = None
        self.user: str | None = None

    def evaluate(self, tv: TagValue, now: float) -> bool | None:
        """The raw condition for a good update of one of this alarm's tags (None: hold)."""
        raise NotImplementedError

    def reset_history(self) -> None:
        """Forget samples that would bridge a gap in the data (rate of change)."""

    def _beyond(self, x: float) -> bool:
        """`x` against the limit (a high-type comparison), with deadband hysteresis."""
        lim = self.d.limit
        assert lim is not None
        return x > lim - self.d.deadband if self.raw else x >= lim

    def _directional(self, x: float) -> bool:
        direction = self.d.direction
        if direction == "high":
            return self._beyond(x)
        if direction == "low":
            return self._beyond(-x)
        return self._beyond(abs(x))


class _HighAlarm(LiveAlarm):
    __slots__ = ()

    def evaluate(self, tv: TagValue, now: float) -> bool | None:
        v = _number(tv.value)
        if v is None:
            return None
        self.value = v
        return self._beyond(v)


class _LowAlarm(LiveAlarm):
    __slots__ = ()

    def evaluate(self, tv: TagValue, now: float) -> bool | None:
        v = _number(tv.value)
        if v is None:
            return None
        self.value = v
        lim = self.d.limit
        assert lim is not None
        return v < lim + self.d.deadband if self.raw else v <= lim


class _DiscreteAlarm(LiveAlarm):
    __slots__ = ()

    def evaluate(self, tv: TagValue, now: float) -> bool | None:
        if tv.value is None:
            return None
        self.value = tv.value
        return tv.value in self.d.states


class _DeviationAlarm(LiveAlarm):
    __slots__ = ("pv", "sp")

    def __init__(self, d: AlarmDef):
        super().__init__(d)
        self.pv: float | None = None
        self.sp: float | None = None

    def evaluate(self, tv: TagValue, now: float) -> bool | None:
        v = _number(tv.value)
        if v is None:
            return None
        if tv.name == self.d.tag:
            self.pv = self.value = v
        else:
            self.sp = v
        if self.pv is None or self.sp is None:
            return self.raw  # not judgeable yet: no change
        return self._directional(self.pv - self.sp)

    def reset_history(self) -> None:
        self.pv = self.sp = None


class RocAlarm(LiveAlarm):
    """Rate of change over a sliding window of `window_s`, timed by the engine clock.

    One sample pair is useless on a noisy, rounded signal (0.1 °C in 0.1 s reads as
    60 °C/min); the slope from the last sample at least `window_s` old to now is not.
    The engine clock (receive time) is used so `tick()` can slide the window on when
    a subscription goes quiet (an unchanged value is not re-sent) and the rate decays.
    """

    __slots__ = ("samples",)
    is_roc = True

    def __init__(self, d: AlarmDef):
        super().__init__(d)
        self.samples: deque[tuple[float, float]] = deque()

    def evaluate(self, tv: TagValue, now: float) -> bool | None:
        v = _number(tv.value)
        if v is None:
            return None
        return self.judge(v, now)

    def judge(self, v: float, now: float) -> bool:
        s = self.samples
        if s and s[-1][0] >= now:
            s[-1] = (s[-1][0], v)  # several samples in one batch: keep the newest
        else:
            s.append((now, v))
        cutoff = now - self.d.window_s
        while len(s) >= 2 and s[1][0] <= cutoff:
            s.popleft()
        t0, v0 = s[0]
        if now - t0 < self.d.window_s:
            return self.raw  # not a full window of history yet: no change
        self.value = rate = (v - v0) / (now - t0) * self.d.per_factor
        return self._directional(rate)

    def reset_history(self) -> None:
        self.samples.clear()


class _CommAlarm(LiveAlarm):
    __slots__ = ()

    def evaluate(self, tv: TagValue, now: float) -> bool | None:  # fed by on_connection only
        return None


_KINDS: dict[str, type[LiveAlarm]] = {
    AlarmType.HIHI: _HighAlarm,
    AlarmType.HI: _HighAlarm,
    AlarmType.LO: _LowAlarm,
    AlarmType.LOLO: _LowAlarm,
    AlarmType.DISCRETE: _DiscreteAlarm,
    AlarmType.DEVIATION: _DeviationAlarm,
    AlarmType.ROC: RocAlarm,
    COMM_TYPE: _CommAlarm,
}


def live_alarm(d: AlarmDef) -> LiveAlarm:
    """The live state that evaluates `d`, of the class for its type (KeyError if unknown)."""
    return _KINDS[d.type](d)
