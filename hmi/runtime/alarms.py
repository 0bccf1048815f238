"""The alarm engine: ISA-18.2 alarms evaluated on every tag update. No Qt, no I/O.

The runtime feeds it every update batch (`on_updates`) and connection change
(`on_connection`), and calls `tick()` a few times per second for the timers
(on/off delays, shelve expiry, rate-of-change going quiet). Operators act
through methods (`ack`, `shelve`, …) that return the resulting event or raise
`AlarmActionError`. Every transition becomes an `AlarmEvent` handed to `emit`,
which the runtime wires to the journal; nothing here writes anywhere itself.

Three layers per alarm, each simple on its own:
1. the *condition*: the tag value against the limit, with deadband hysteresis
   (`hmi.runtime.alarm_conditions`, one class per alarm type);
2. the *filter*: on-delay / off-delay, and hold on bad quality (here);
3. the *state machine*: `hmi.runtime.alarm_states.transition`, pure.
The values it takes and hands out (`AlarmDef`, `AlarmEvent`, `AlarmRecord`) are
in `hmi.runtime.alarm_model`.

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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from hmi.config_alarms import AlarmConfig, AlarmPriority, default_priorities
from hmi.drivers.base import ConnectionState
from hmi.runtime.alarm_conditions import LiveAlarm, RocAlarm, live_alarm
from hmi.runtime.alarm_model import COMM_TYPE, AlarmDef, AlarmEvent, AlarmRecord
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

log = logging.getLogger(__name__)

Clock = Callable[[], float]
MAX_SHELVE_S = 24 * 3600.0


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
        self._alarms: dict[str, LiveAlarm] = {}
        by_tag: dict[str, list[LiveAlarm]] = {}
        by_suppress: dict[str, list[LiveAlarm]] = {}
        self._comm: dict[str, LiveAlarm] = {}
        for d in defs:
            if d.alarm_id in self._alarms:
                raise ValueError(f"duplicate alarm id '{d.alarm_id}'")
            a = live_alarm(d)
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
        self._pending: set[LiveAlarm] = set()  # delay timers running
        self._roc_hot: set[RocAlarm] = set()  # raw rate condition present
        self._shelved: set[LiveAlarm] = set()
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

    def _judge_condition(self, a: LiveAlarm, raw: bool, detail: str) -> None:
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

    def apply_remote(self, ev: AlarmEvent) -> AlarmEvent | None:
        """Take an operator action done at another station on the same plant (`ev` as that
        station journaled it): the same action by the same user, so both stations show one
        alarm picture. Returns the local event (emitted like any action), or None when the
        action does not apply here: not an operator action, an alarm unknown here or local
        to a station (comm, system), a state that does not allow it, an expired shelve, or
        an acknowledgement older than the activation shown here. No permission check: the
        origin station checked and audited it.
        """
        trigger = _REMOTE_TRIGGERS.get(ev.kind)
        a = self._alarms.get(ev.alarm_id)
        why = None
        if trigger is None or ev.user is None:
            why = "not an operator action"
        elif a is None:
            why = "alarm not defined here"
        elif a.d.type == COMM_TYPE:
            why = "a station's own alarm"
        if why is not None:
            log.debug("remote %s of %r ignored: %s", ev.kind.value, ev.alarm_id, why)
            return None
        assert a is not None and trigger is not None and ev.user is not None
        now = self.clock()
        shelve = None
        if trigger is Trigger.SHELVE:
            if ev.shelved_until is None or ev.shelved_until <= now:
                log.debug("remote shelve of %r ignored: already expired", ev.alarm_id)
                return None
            shelve = (ev.shelved_until, (ev.comment or "").strip() or "shelved elsewhere")
        elif trigger is Trigger.ACK and ev.time < a.activated_at:
            log.debug("remote ack of %r ignored: older than this activation", ev.alarm_id)
            return None
        try:
            return self._apply(a, trigger, now, ev.user, ev.comment, shelve)
        except AlarmActionError as exc:
            log.debug("remote %s of %r ignored: %s", ev.kind.value, ev.alarm_id, exc)
            return None

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

    def _get(self, alarm_id: str) -> LiveAlarm:
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

    def _hold(self, a: LiveAlarm) -> None:
        """No trustworthy value: keep the state, stop any delay, forget rate history."""
        if a.pending_since is not None:
            a.pending_since = None
            self._pending.discard(a)
        a.raw = a.status.condition
        a.reset_history()
        if isinstance(a, RocAlarm):
            self._roc_hot.discard(a)

    def _roc_seen(self, a: RocAlarm, raw: bool) -> None:
        if raw:
            self._roc_hot.add(a)
        else:
            self._roc_hot.discard(a)

    def _filter(self, a: LiveAlarm, raw: bool, now: float) -> None:
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

    def _suppression(self, value: Any, dependants: tuple[LiveAlarm, ...], now: float) -> None:
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
        a: LiveAlarm,
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

    def _publish(self, a: LiveAlarm) -> None:
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


_REMOTE_TRIGGERS = {
    EventKind.ACKNOWLEDGED: Trigger.ACK,
    EventKind.RESET: Trigger.RESET,
    EventKind.SHELVED: Trigger.SHELVE,
    EventKind.UNSHELVED: Trigger.UNSHELVE,  # by an operator; expiry (no user) is local
    EventKind.OUT_OF_SERVICE: Trigger.REMOVE,
    EventKind.IN_SERVICE: Trigger.RETURN,
}
"""Operator actions another station shares (`apply_remote`); silencing the horn is not one:
each station has its own horn."""


def _check_user(user: str) -> None:
    if not isinstance(user, str) or not user.strip():
        raise AlarmActionError("an operator action needs the user who does it")
