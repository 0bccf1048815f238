"""The alarm engine: ISA-18.2 alarms evaluated on every tag update. No Qt, no I/O.

The runtime feeds it every update batch (`on_updates`) and connection change
(`on_connection`), and calls `tick()` a few times per second for the timers
(on/off delays, shelve expiry, rate-of-change going quiet). Operators act
through methods (`ack`, `shelve`, …) that return the resulting event or raise
`AlarmActionError`. Every transition becomes an `AlarmEvent` handed to `emit`,
which the runtime wires to the journal; nothing here writes anywhere itself.

Three layers per alarm, each simple on its own:
1. the *condition*: the tag value against the limit, with deadband hysteresis;
2. the *filter*: on-delay / off-delay, and hold on bad quality;
3. the *state machine*: `hmi.runtime.alarm_states.transition`, pure.

Bad, stale, uncertain or disconnected values neither raise nor clear a process
alarm: the alarm holds its state (ISA-18.2 practice; pending delays restart
when the data is good again), and the connection's own communication alarm
tells the operator why the data cannot be trusted.

Threads: the runtime thread owns the engine and calls everything except the
read API (`active`, `counts`, `horn_active`, `record`), which copies immutable
records under a lock and may be called from any thread.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Any

from hmi.config_alarms import AlarmConfig, AlarmPriority, AlarmType, default_priorities
from hmi.drivers.base import ConnectionState
from hmi.runtime.alarm_states import (
    AlarmActionError,
    AlarmState,
    EventKind,
    Status,
    Trigger,
    transition,
)
from hmi.tagvalue import Quality, TagValue

if TYPE_CHECKING:
    from hmi.config import PlantConfig

__all__ = [
    "AlarmActionError",
    "AlarmEngine",
    "AlarmEvent",
    "AlarmRecord",
    "AlarmState",
    "EventKind",
]

log = logging.getLogger(__name__)

Clock = Callable[[], float]
COMM_TYPE = "comm"
COMM_AREA = "System"
MAX_SHELVE_S = 24 * 3600.0


# --------------------------------------------------------------------------- value objects


@dataclass(frozen=True, slots=True)
class AlarmEvent:
    """One alarm transition (or a horn silence), as journaled and shown.

    `state` is the state the alarm is in after the event; `kind` says what
    happened. `unacked` and `condition` complete the picture so that the last
    event per alarm is enough for `AlarmEngine.restore` after a restart.
    `value`/`limit` are what the alarm compared at that moment (for a rate of
    change, the rate; for a discrete alarm, the alarming values as a tuple).
    """

    time: float
    alarm_id: str
    tag: str
    kind: EventKind
    state: AlarmState | None
    value: Any
    limit: Any
    priority: int
    area: str
    message_en: str
    message_zh_TW: str
    user: str | None = None
    comment: str | None = None
    alarm_type: str = ""
    unacked: bool = False
    condition: bool = False
    shelved_until: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-serialisable (e.g. the journal's `details`); `from_dict` reverses it."""
        d = asdict(self)
        d["kind"] = self.kind.value
        d["state"] = self.state.value if self.state else None
        if isinstance(self.limit, tuple):
            d["limit"] = list(self.limit)
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> AlarmEvent:
        data = dict(d)
        data["kind"] = EventKind(data["kind"])
        data["state"] = AlarmState(data["state"]) if data.get("state") else None
        if isinstance(data.get("limit"), list):
            data["limit"] = tuple(data["limit"])
        return cls(**data)

    def message(self, lang: str) -> str:
        return _pick(lang, self.message_en, self.message_zh_TW)


@dataclass(frozen=True, slots=True)
class AlarmRecord:
    """One alarm not in Normal, as the banner and summary screen show it (immutable)."""

    alarm_id: str
    tag: str
    alarm_type: str
    state: AlarmState
    priority: int
    area: str
    message_en: str
    message_zh_TW: str
    value: Any  # at the last transition
    limit: Any
    condition: bool  # the process condition is present now
    unacked: bool
    latched: bool
    activated_at: float  # last time it became active-unacknowledged
    since: float  # time of the last transition
    shelved_until: float | None = None
    shelve_reason: str | None = None
    user: str | None = None  # who did the last operator action

    def message(self, lang: str) -> str:
        return _pick(lang, self.message_en, self.message_zh_TW)


@dataclass(frozen=True, slots=True)
class AlarmDef:
    """An alarm definition compiled for evaluation (from an `AlarmConfig`, or a comm alarm)."""

    alarm_id: str
    tag: str
    type: str  # an AlarmType value, or "comm"
    priority: int
    area: str
    message_en: str
    message_zh_TW: str
    limit: float | None = None
    deadband: float = 0.0
    on_delay_s: float = 0.0
    off_delay_s: float = 0.0
    latched: bool = False
    setpoint_tag: str | None = None
    per_factor: float = 1.0  # rate per second × this = rate in the configured unit
    window_s: float = 10.0  # rate of change: measured over this window
    direction: str = "both"
    states: tuple[Any, ...] = ()
    suppress_tag: str | None = None
    suppress_values: tuple[Any, ...] = ()

    @classmethod
    def from_config(cls, a: AlarmConfig) -> AlarmDef:
        states: tuple[Any, ...] = ()
        if a.type is AlarmType.DISCRETE:
            states = tuple(a.states) if a.states else (a.value,)
        sw = a.suppress_when
        return cls(
            alarm_id=a.alarm_id,
            tag=a.tag,
            type=a.type.value,
            priority=a.priority,
            area=a.area_name,
            message_en=a.message.en,
            message_zh_TW=a.message.zh_TW or a.message.en,
            limit=a.limit,
            deadband=a.deadband,
            on_delay_s=a.on_delay_s,
            off_delay_s=a.off_delay_s,
            latched=a.latched,
            setpoint_tag=a.setpoint_tag,
            per_factor=60.0 if a.per == "min" else 1.0,
            window_s=a.window_s if a.window_s is not None else 10.0,
            direction=a.direction,
            states=states,
            suppress_tag=sw.tag if sw else None,
            suppress_values=tuple(sw.values) if sw else (),
        )

    @classmethod
    def system(cls, key: str, message_en: str, message_zh_TW: str, priority: int) -> AlarmDef:
        """A condition of the station itself (e.g. its event store is unavailable)."""
        return cls(
            alarm_id=f"System.{key}",
            tag=f"system:{key}",
            type=COMM_TYPE,
            priority=priority,
            area=COMM_AREA,
            message_en=message_en,
            message_zh_TW=message_zh_TW,
        )

    @classmethod
    def comm(cls, connection: str, priority: int, on_delay_s: float) -> AlarmDef:
        return cls(
            alarm_id=f"Comm.{connection}",
            tag=connection,
            type=COMM_TYPE,
            priority=priority,
            area=COMM_AREA,
            message_en=f"Communication lost: {connection}",
            message_zh_TW=f"通訊中斷：{connection}",
            on_delay_s=on_delay_s,
        )

    @property
    def shown_limit(self) -> Any:
        return self.states if self.type == AlarmType.DISCRETE else self.limit


# --------------------------------------------------------------------------- conditions


def _number(v: Any) -> float | None:
    """A finite number, or None (a value an analog alarm cannot judge: hold)."""
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None
    return float(v) if math.isfinite(v) else None


class _Alarm:
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


class _HighAlarm(_Alarm):
    __slots__ = ()

    def evaluate(self, tv: TagValue, now: float) -> bool | None:
        v = _number(tv.value)
        if v is None:
            return None
        self.value = v
        return self._beyond(v)


class _LowAlarm(_Alarm):
    __slots__ = ()

    def evaluate(self, tv: TagValue, now: float) -> bool | None:
        v = _number(tv.value)
        if v is None:
            return None
        self.value = v
        lim = self.d.limit
        assert lim is not None
        return v < lim + self.d.deadband if self.raw else v <= lim


class _DiscreteAlarm(_Alarm):
    __slots__ = ()

    def evaluate(self, tv: TagValue, now: float) -> bool | None:
        if tv.value is None:
            return None
        self.value = tv.value
        return tv.value in self.d.states


class _DeviationAlarm(_Alarm):
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


class _RocAlarm(_Alarm):
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


class _CommAlarm(_Alarm):
    __slots__ = ()

    def evaluate(self, tv: TagValue, now: float) -> bool | None:  # fed by on_connection only
        return None


_KINDS: dict[str, type[_Alarm]] = {
    AlarmType.HIHI: _HighAlarm,
    AlarmType.HI: _HighAlarm,
    AlarmType.LO: _LowAlarm,
    AlarmType.LOLO: _LowAlarm,
    AlarmType.DISCRETE: _DiscreteAlarm,
    AlarmType.DEVIATION: _DeviationAlarm,
    AlarmType.ROC: _RocAlarm,
    COMM_TYPE: _CommAlarm,
}


# --------------------------------------------------------------------------- the engine


SYSTEM_ALARMS = (
    AlarmDef.system(
        "EventStore",
        "Event store unavailable: events are held in memory until it is back",
        "事件資料庫無法使用：事件暫存於記憶體，恢復後寫入",
        priority=2,
    ),
)
"""The station's own alarms; `AlarmEngine.set_system_condition` raises and clears them."""


class AlarmEngine:
    """Evaluates alarm definitions on every update and runs their ISA-18.2 state machines.

    Implements the runtime's `RuntimeListener` protocol. `emit` receives every
    `AlarmEvent` synchronously, in order. If it raises, a process transition is
    logged and evaluation goes on; an operator action re-raises to its caller
    (the state has changed, but the caller must know it was not recorded).
    """

    def __init__(
        self,
        alarms: Sequence[AlarmConfig | AlarmDef],
        emit: Callable[[AlarmEvent], None],
        clock: Clock = time.time,
        *,
        priorities: Sequence[AlarmPriority] | None = None,
        connections: Iterable[str] = (),
        comm_priority: int = 2,
        comm_on_delay_s: float = 0.0,
        max_shelve_s: float = MAX_SHELVE_S,
    ):
        self._emit = emit
        self.clock = clock
        self.max_shelve_s = max_shelve_s
        prios = priorities if priorities is not None else default_priorities()
        self._horn = {p.priority for p in prios if p.horn}
        defs = [a if isinstance(a, AlarmDef) else AlarmDef.from_config(a) for a in alarms]
        defs += [AlarmDef.comm(c, comm_priority, comm_on_delay_s) for c in connections]
        defs += list(SYSTEM_ALARMS)
        self._alarms: dict[str, _Alarm] = {}
        by_tag: dict[str, list[_Alarm]] = {}
        by_suppress: dict[str, list[_Alarm]] = {}
        self._comm: dict[str, _Alarm] = {}
        for d in defs:
            if d.alarm_id in self._alarms:
                raise ValueError(f"duplicate alarm id '{d.alarm_id}'")
            a = _KINDS[d.type](d)
            self._alarms[d.alarm_id] = a
            if d.type == COMM_TYPE:
                self._comm[d.tag] = a
                continue
            by_tag.setdefault(d.tag, []).append(a)
            if d.setpoint_tag and d.setpoint_tag != d.tag:
                by_tag.setdefault(d.setpoint_tag, []).append(a)
            if d.suppress_tag:
                by_suppress.setdefault(d.suppress_tag, []).append(a)
        self._by_tag = {t: tuple(v) for t, v in by_tag.items()}
        self._by_suppress = {t: tuple(v) for t, v in by_suppress.items()}
        self._pending: set[_Alarm] = set()  # delay timers running
        self._roc_hot: set[_RocAlarm] = set()  # raw rate condition present
        self._shelved: set[_Alarm] = set()
        self._visible: dict[str, AlarmRecord] = {}
        self._lock = threading.Lock()
        self._silenced_at = -math.inf
        self.evaluations = 0  # alarm condition evaluations, for the benchmark and diagnostics

    @classmethod
    def from_config(
        cls, config: PlantConfig, emit: Callable[[AlarmEvent], None], clock: Clock = time.time
    ) -> AlarmEngine:
        """An engine for a plant: its alarms, priorities, and a comm alarm per connection."""
        return cls(
            config.alarms,
            emit,
            clock,
            priorities=config.alarm_priorities,
            connections=[c.name for c in config.connections],
        )

    # -- RuntimeListener ---------------------------------------------------------------------

    def on_updates(self, batch: list[TagValue]) -> None:
        now = self.clock()
        by_suppress = self._by_suppress
        if by_suppress:  # suppression first: a state change and a value in one batch
            for tv in batch:
                dependants = by_suppress.get(tv.name)
                if dependants is not None and tv.quality is Quality.GOOD:
                    self._suppression(tv.value, dependants, now)
        by_tag = self._by_tag
        good = Quality.GOOD
        n = 0
        for tv in batch:
            alarms = by_tag.get(tv.name)
            if alarms is None:
                continue
            n += len(alarms)
            if tv.quality is not good:
                for a in alarms:
                    self._hold(a)
                continue
            for a in alarms:
                raw = a.evaluate(tv, now)
                if raw is None:
                    self._hold(a)
                    continue
                a.raw = raw
                if a.is_roc:
                    self._roc_seen(a, raw)  # type: ignore[arg-type]
                if raw is a.status.condition:
                    if a.pending_since is not None:
                        a.pending_since = None
                        self._pending.discard(a)
                else:
                    self._filter(a, raw, now)
        self.evaluations += n

    def on_connection(self, connection: str, state: ConnectionState, detail: str) -> None:
        a = self._comm.get(connection)
        if a is None:
            return
        if state is ConnectionState.DISCONNECTED:
            raw = True
        elif state is ConnectionState.CONNECTED:
            raw = False
        else:  # connecting, or stopped on purpose: no news about the link
            return
        self._judge_condition(a, raw, detail or state.value)

    def set_system_condition(self, key: str, present: bool, detail: str = "") -> None:
        """Raise or clear a station alarm `System.<key>` (see SYSTEM_ALARMS). Call it in
        the runtime thread, like every other input of the engine."""
        a = self._comm.get(f"system:{key}")
        if a is None:
            raise KeyError(f"no system alarm '{key}'")
        self._judge_condition(a, present, detail)

    def _judge_condition(self, a: _Alarm, raw: bool, detail: str) -> None:
        a.raw = raw
        a.value = detail
        if raw is a.status.condition:
            a.pending_since = None
            self._pending.discard(a)
        else:
            self._filter(a, raw, self.clock())

    def tick(self) -> None:
        """Run the timers: on/off delays, shelve expiry, a rate of change that went quiet."""
        now = self.clock()
        for a in list(self._roc_hot):  # slide the window of quiet rate-of-change alarms
            raw = a.judge(a.samples[-1][1], now)
            a.raw = raw
            self._roc_seen(a, raw)
            if raw is a.status.condition:
                a.pending_since = None
                self._pending.discard(a)
            else:
                self._filter(a, raw, now)
        for a in list(self._pending):
            if a.pending_since is not None:
                self._filter(a, a.raw, now)
        for a in [a for a in self._shelved if now >= (a.shelved_until or 0.0)]:
            self._apply(a, Trigger.EXPIRE, now, None, "shelve expired")

    # -- operator actions ---------------------------------------------------------------------

    def ack(self, alarm_id: str, user: str, comment: str | None = None) -> AlarmEvent:
        """Acknowledge: the operator has seen it. Legal while an activation awaits it."""
        return self._act(alarm_id, Trigger.ACK, user, comment)

    def ack_many(
        self, alarm_ids: Iterable[str], user: str, comment: str | None = None
    ) -> list[AlarmEvent]:
        """Acknowledge every alarm of `alarm_ids` that awaits it (the summary's 'ack all')."""
        out = []
        for aid in alarm_ids:
            a = self._get(aid)
            if a.status.unacked:
                out.append(self._act(aid, Trigger.ACK, user, comment))
        return out

    def reset(self, alarm_id: str, user: str, comment: str | None = None) -> AlarmEvent:
        """Release a latched alarm whose condition has cleared and that was acknowledged."""
        return self._act(alarm_id, Trigger.RESET, user, comment)

    def shelve(self, alarm_id: str, user: str, reason: str, duration_s: float) -> AlarmEvent:
        """Hide an alarm for `duration_s` seconds (it unshelves itself at expiry)."""
        if not reason or not reason.strip():
            raise AlarmActionError("shelving needs a reason")
        if not (isinstance(duration_s, int | float) and 0 < duration_s <= self.max_shelve_s):
            raise AlarmActionError(
                f"shelve duration must be between 0 and {self.max_shelve_s:g} s, not {duration_s!r}"
            )
        until = self.clock() + float(duration_s)
        return self._act(alarm_id, Trigger.SHELVE, user, reason, shelve=(until, reason.strip()))

    def unshelve(self, alarm_id: str, user: str, comment: str | None = None) -> AlarmEvent:
        return self._act(alarm_id, Trigger.UNSHELVE, user, comment)

    def remove_from_service(
        self, alarm_id: str, user: str, comment: str | None = None
    ) -> AlarmEvent:
        """Take an alarm out of service (e.g. a broken instrument); it ends any shelving."""
        return self._act(alarm_id, Trigger.REMOVE, user, comment)

    def return_to_service(self, alarm_id: str, user: str, comment: str | None = None) -> AlarmEvent:
        return self._act(alarm_id, Trigger.RETURN, user, comment)

    def silence(self, user: str) -> AlarmEvent:
        """Silence the horn for the alarms sounding now; a later activation sounds again."""
        _check_user(user)
        now = self.clock()
        self._silenced_at = now
        ev = AlarmEvent(now, "", "", EventKind.SILENCED, None, None, None, 0, "", "", "", user)
        self._emit(ev)
        return ev

    # -- read API (any thread) ----------------------------------------------------------------

    def active(self) -> list[AlarmRecord]:
        """Every alarm not in Normal, most urgent first (priority, then newest)."""
        with self._lock:
            records = list(self._visible.values())
        records.sort(key=lambda r: (r.priority, -r.activated_at, r.alarm_id))
        return records

    def record(self, alarm_id: str) -> AlarmRecord | None:
        """The alarm's record if it is not in Normal, else None."""
        with self._lock:
            return self._visible.get(alarm_id)

    def counts(self) -> dict[int, int]:
        """Unacknowledged alarms (active or returned) per priority 1..4."""
        out = dict.fromkeys(range(1, 5), 0)
        with self._lock:
            for r in self._visible.values():
                if r.state in (AlarmState.UNACK, AlarmState.RTN_UNACK):
                    out[r.priority] = out.get(r.priority, 0) + 1
        return out

    def horn_active(self) -> bool:
        """An active unacknowledged alarm of a sounding priority, activated since the last
        silence."""
        with self._lock:
            return any(
                r.state is AlarmState.UNACK
                and r.priority in self._horn
                and r.activated_at > self._silenced_at
                for r in self._visible.values()
            )

    def state_of(self, alarm_id: str) -> AlarmState:
        return self._get(alarm_id).status.state

    def status_of(self, alarm_id: str) -> Status:
        return self._get(alarm_id).status

    @property
    def alarm_ids(self) -> list[str]:
        return list(self._alarms)

    def definition(self, alarm_id: str) -> AlarmDef:
        return self._get(alarm_id).d

    # -- restart ------------------------------------------------------------------------------

    def restore(self, events: Iterable[AlarmEvent]) -> int:
        """Rebuild alarm states from the journal after a restart, before any update.

        `events` are journaled AlarmEvents (all of them, or at least the last one per
        alarm, in journal order); the last per alarm id wins. Alarms no longer defined
        are skipped. No events are emitted: these transitions are journaled already.
        The restored condition is re-judged by the first good value. Returns how many
        alarms were restored to a state other than Normal.
        """
        last: dict[str, AlarmEvent] = {}
        for ev in events:
            if ev.kind is EventKind.SILENCED or not ev.alarm_id:
                continue
            prev = last.get(ev.alarm_id)
            if prev is None or ev.time >= prev.time:
                last[ev.alarm_id] = ev
        n = 0
        for aid, ev in last.items():
            a = self._alarms.get(aid)
            if a is None or ev.state is None:
                continue
            st = ev.state
            status = Status(
                condition=ev.condition,
                in_alarm=st in (AlarmState.UNACK, AlarmState.ACKED),
                unacked=ev.unacked,
                shelved=st is AlarmState.SHELVED and ev.shelved_until is not None,
                suppressed=st is AlarmState.SUPPRESSED and a.d.suppress_tag is not None,
                out_of_service=st is AlarmState.OUT_OF_SERVICE,
                latched=a.d.latched,
            )
            a.status = status
            a.raw = ev.condition
            a.value = ev.value
            a.since = ev.time
            a.user = ev.user
            a.activated_at = ev.time if status.state is AlarmState.UNACK else 0.0
            if status.shelved:
                a.shelved_until = ev.shelved_until
                a.shelve_reason = ev.comment
                self._shelved.add(a)
            self._publish(a)
            n += status.state is not AlarmState.NORMAL
        return n

    # -- internals ----------------------------------------------------------------------------

    def _get(self, alarm_id: str) -> _Alarm:
        a = self._alarms.get(alarm_id)
        if a is None:
            raise AlarmActionError(f"no alarm '{alarm_id}'")
        return a

    def _act(
        self,
        alarm_id: str,
        trigger: Trigger,
        user: str,
        comment: str | None,
        shelve: tuple[float, str] | None = None,
    ) -> AlarmEvent:
        _check_user(user)
        a = self._get(alarm_id)
        ev = self._apply(a, trigger, self.clock(), user, comment, shelve)
        assert ev is not None  # operator triggers always report
        return ev

    def _hold(self, a: _Alarm) -> None:
        """No trustworthy value: keep the state, stop any delay, forget rate history."""
        if a.pending_since is not None:
            a.pending_since = None
            self._pending.discard(a)
        a.raw = a.status.condition
        a.reset_history()
        if isinstance(a, _RocAlarm):
            self._roc_hot.discard(a)

    def _roc_seen(self, a: _RocAlarm, raw: bool) -> None:
        if raw:
            self._roc_hot.add(a)
        else:
            self._roc_hot.discard(a)

    def _filter(self, a: _Alarm, raw: bool, now: float) -> None:
        """The delay filter: commit `raw` once it has held for its delay."""
        if a.pending_since is None:
            a.pending_since = now
        delay = a.d.on_delay_s if raw else a.d.off_delay_s
        if now - a.pending_since >= delay:
            a.pending_since = None
            self._pending.discard(a)
            self._apply(a, Trigger.CONDITION_ON if raw else Trigger.CONDITION_OFF, now)
        else:
            self._pending.add(a)

    def _suppression(self, value: Any, dependants: tuple[_Alarm, ...], now: float) -> None:
        for a in dependants:
            want = value in a.d.suppress_values
            if want is a.status.suppressed:
                continue
            s = a.status
            if not want and a.raw and a.d.on_delay_s > 0 and not s.in_alarm:
                # Leaving suppression restarts the on-delay of a present condition: a
                # conveyor still ramping up when its line starts is not an alarm.
                if s.condition:
                    a.status = replace(s, condition=False)
                a.pending_since = now
                self._pending.add(a)
            self._apply(a, Trigger.SUPPRESS if want else Trigger.UNSUPPRESS, now)

    def _apply(
        self,
        a: _Alarm,
        trigger: Trigger,
        now: float,
        user: str | None = None,
        comment: str | None = None,
        shelve: tuple[float, str] | None = None,
    ) -> AlarmEvent | None:
        old = a.status
        new, kind = transition(old, trigger)  # raises AlarmActionError for illegal actions
        a.status = new
        if kind is None:  # a silent change (the condition of a hidden alarm): keep the record true
            if new != old and new.state is not AlarmState.NORMAL:
                self._publish(a)
            return None
        if new.state is AlarmState.UNACK and old.state is not AlarmState.UNACK:
            a.activated_at = now
        if new.shelved and not old.shelved and shelve is not None:
            a.shelved_until, a.shelve_reason = shelve
            self._shelved.add(a)
        elif not new.shelved:
            a.shelved_until = a.shelve_reason = None
            self._shelved.discard(a)
        a.since = now
        if user is not None:
            a.user = user
        self._publish(a)
        d = a.d
        ev = AlarmEvent(
            time=now,
            alarm_id=d.alarm_id,
            tag=d.tag,
            kind=kind,
            state=new.state,
            value=a.value,
            limit=d.shown_limit,
            priority=d.priority,
            area=d.area,
            message_en=d.message_en,
            message_zh_TW=d.message_zh_TW,
            user=user,
            comment=comment,
            alarm_type=d.type,
            unacked=new.unacked,
            condition=new.condition,
            shelved_until=a.shelved_until,
        )
        if user is None:  # a process transition: one failing consumer must not stop evaluation
            try:
                self._emit(ev)
            except Exception:
                log.exception("alarm event could not be emitted: %s", ev)
        else:  # an operator action: the caller must learn that it was not recorded
            self._emit(ev)
        return ev

    def _publish(self, a: _Alarm) -> None:
        """Refresh the alarm's immutable record in the read API."""
        s, d = a.status, a.d
        with self._lock:
            if s.state is AlarmState.NORMAL:
                self._visible.pop(d.alarm_id, None)
                return
            self._visible[d.alarm_id] = AlarmRecord(
                alarm_id=d.alarm_id,
                tag=d.tag,
                alarm_type=d.type,
                state=s.state,
                priority=d.priority,
                area=d.area,
                message_en=d.message_en,
                message_zh_TW=d.message_zh_TW,
                value=a.value,
                limit=d.shown_limit,
                condition=s.condition,
                unacked=s.unacked,
                latched=d.latched,
                activated_at=a.activated_at,
                since=a.since,
                shelved_until=a.shelved_until,
                shelve_reason=a.shelve_reason,
                user=a.user,
            )


def _pick(lang: str, en: str, zh: str) -> str:
    return zh if lang.startswith("zh") and zh else en


def _check_user(user: str) -> None:
    if not isinstance(user, str) or not user.strip():
        raise AlarmActionError("an operator action needs the user who does it")
