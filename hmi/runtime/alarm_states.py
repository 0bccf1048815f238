"""The ISA-18.2 alarm state machine as one pure function.

An alarm's situation is a handful of independent facts (`Status`): is the
process condition present, is the alarm annunciated (latched alarms stay
annunciated after their condition clears), does an activation await
acknowledgement, and is the alarm hidden by shelving, design suppression or
being out of service. The ISA-18.2 state the operator sees is derived from
them (`Status.state`), so states cannot contradict each other.

`transition(status, trigger)` is the whole machine: the engine feeds it
condition changes and operator actions, and journals what comes out. It is a
pure function so docs/alarms.md's table is generated from it and property
tests can drive it directly.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum


class AlarmState(StrEnum):
    """What the operator sees (ISA-18.2 figure 6: states A–H, latched folded into B/C)."""

    NORMAL = "normal"
    UNACK = "unack"  # active, unacknowledged
    ACKED = "acked"  # active, acknowledged (or latched and awaiting reset)
    RTN_UNACK = "rtn_unack"  # returned to normal, unacknowledged
    SHELVED = "shelved"
    SUPPRESSED = "suppressed"  # suppressed by design
    OUT_OF_SERVICE = "out_of_service"


class Trigger(StrEnum):
    """What can happen to an alarm. The first four come from the process, the rest from
    operators (or, for SUPPRESS/UNSUPPRESS and EXPIRE, from the engine itself)."""

    CONDITION_ON = "condition_on"
    CONDITION_OFF = "condition_off"
    SUPPRESS = "suppress"
    UNSUPPRESS = "unsuppress"
    ACK = "ack"
    RESET = "reset"
    SHELVE = "shelve"
    UNSHELVE = "unshelve"
    EXPIRE = "expire"  # the shelve time ran out
    REMOVE = "remove"  # out of service
    RETURN = "return"  # back in service


class EventKind(StrEnum):
    """The `kind` of an `AlarmEvent`: what happened; its `state` says where it led."""

    ACTIVATED = "activated"
    RETURNED = "returned"  # the process condition cleared
    ACKNOWLEDGED = "acknowledged"
    RESET = "reset"  # a latched alarm released by an operator
    SHELVED = "shelved"
    UNSHELVED = "unshelved"  # by an operator, or (user None) at expiry
    SUPPRESSED = "suppressed"
    UNSUPPRESSED = "unsuppressed"
    OUT_OF_SERVICE = "out_of_service"
    IN_SERVICE = "in_service"
    SILENCED = "silenced"  # the horn, not one alarm


class AlarmActionError(ValueError):
    """An operator action that the alarm's state does not allow; the message says why."""


@dataclass(frozen=True, slots=True)
class Status:
    """The independent facts about one alarm; `state` is derived from them."""

    condition: bool = False  # the process condition, after deadband and delays
    in_alarm: bool = False  # annunciated: follows condition, or holds if latched
    unacked: bool = False  # an activation awaits acknowledgement
    shelved: bool = False
    suppressed: bool = False
    out_of_service: bool = False
    latched: bool = False  # from the definition: stays in alarm until reset

    @property
    def hidden(self) -> bool:
        return self.shelved or self.suppressed or self.out_of_service

    @property
    def state(self) -> AlarmState:
        if self.out_of_service:
            return AlarmState.OUT_OF_SERVICE
        if self.shelved:
            return AlarmState.SHELVED
        if self.suppressed:
            return AlarmState.SUPPRESSED
        if self.in_alarm:
            return AlarmState.UNACK if self.unacked else AlarmState.ACKED
        return AlarmState.RTN_UNACK if self.unacked else AlarmState.NORMAL

    @property
    def sounding(self) -> bool:
        """Active and unacknowledged: what the horn is for."""
        return self.state is AlarmState.UNACK


def _reveal(s: Status) -> Status:
    """Leaving shelved / suppressed / out of service: re-evaluate against the process now.

    A present condition is annunciated afresh (unacknowledged); an absent one clears
    the alarm unless it is latched. A pending acknowledgement is never dropped.
    """
    if s.hidden:
        return s
    if s.condition:
        return replace(s, in_alarm=True, unacked=True)
    return replace(s, in_alarm=s.in_alarm and s.latched)


def transition(s: Status, trigger: Trigger) -> tuple[Status, EventKind | None]:
    """The next status and the event it is journaled as (None: nothing to report).

    Raises AlarmActionError for an operator action the state does not allow;
    process triggers (condition, suppression, expiry) are never illegal.
    """
    t = Trigger
    if trigger is t.CONDITION_ON:
        if s.condition:
            return s, None
        if s.hidden:  # tracked silently; annunciated when revealed
            return replace(s, condition=True), None
        return replace(s, condition=True, in_alarm=True, unacked=True), EventKind.ACTIVATED
    if trigger is t.CONDITION_OFF:
        if not s.condition:
            return s, None
        if s.hidden:
            return replace(s, condition=False), None
        in_alarm = s.in_alarm and s.latched
        return replace(s, condition=False, in_alarm=in_alarm), EventKind.RETURNED
    if trigger is t.SUPPRESS:
        if s.suppressed:
            return s, None
        return replace(s, suppressed=True), EventKind.SUPPRESSED
    if trigger is t.UNSUPPRESS:
        if not s.suppressed:
            return s, None
        return _reveal(replace(s, suppressed=False)), EventKind.UNSUPPRESSED
    if trigger is t.EXPIRE:
        if not s.shelved:
            return s, None
        return _reveal(replace(s, shelved=False)), EventKind.UNSHELVED
    return _operator(s, trigger)


def _operator(s: Status, trigger: Trigger) -> tuple[Status, EventKind]:
    t = Trigger
    state = s.state.value
    if trigger is t.ACK:
        if not s.unacked:
            raise AlarmActionError(f"nothing to acknowledge (state {state})")
        return replace(s, unacked=False), EventKind.ACKNOWLEDGED
    if trigger is t.RESET:
        if not s.latched:
            raise AlarmActionError("only a latched alarm is reset")
        if s.hidden:
            raise AlarmActionError(f"cannot reset while {state}")
        if not s.in_alarm:
            raise AlarmActionError("the alarm is not latched in alarm")
        if s.condition:
            raise AlarmActionError("the alarm condition is still present")
        if s.unacked:
            raise AlarmActionError("acknowledge the alarm before resetting it")
        return replace(s, in_alarm=False), EventKind.RESET
    if trigger is t.SHELVE:
        if s.shelved:
            raise AlarmActionError("the alarm is already shelved")
        if s.out_of_service:
            raise AlarmActionError("an alarm out of service cannot be shelved")
        return replace(s, shelved=True), EventKind.SHELVED
    if trigger is t.UNSHELVE:
        if not s.shelved:
            raise AlarmActionError(f"the alarm is not shelved (state {state})")
        return _reveal(replace(s, shelved=False)), EventKind.UNSHELVED
    if trigger is t.REMOVE:
        if s.out_of_service:
            raise AlarmActionError("the alarm is already out of service")
        return replace(s, out_of_service=True, shelved=False), EventKind.OUT_OF_SERVICE
    if trigger is t.RETURN:
        if not s.out_of_service:
            raise AlarmActionError(f"the alarm is in service (state {state})")
        return _reveal(replace(s, out_of_service=False)), EventKind.IN_SERVICE
    raise AssertionError(f"unhandled trigger {trigger}")  # pragma: no cover


def representative_statuses() -> dict[tuple[AlarmState, bool, bool], Status]:
    """One status per (state, condition present, latched) that can actually occur, for the
    documented table: every reachable combination, enumerated from the machine itself."""
    seen: dict[tuple[AlarmState, bool, bool], Status] = {}
    for latched in (False, True):
        frontier = [Status(latched=latched)]
        while frontier:
            s = frontier.pop()
            key = (s.state, s.condition, latched)
            if key in seen:
                continue
            seen[key] = s
            for trig in Trigger:
                try:
                    nxt, _ = transition(s, trig)
                except AlarmActionError:
                    continue
                frontier.append(nxt)
    return seen


# The rows of the documented table: each ISA-18.2 state as it is entered in practice.
TABLE_ROWS: tuple[tuple[str, Status], ...] = (
    ("Normal", Status()),
    ("UNACK (condition present)", Status(condition=True, in_alarm=True, unacked=True)),
    ("ACKED (condition present)", Status(condition=True, in_alarm=True)),
    ("RTN_UNACK", Status(unacked=True)),
    ("UNACK, latched, condition gone", Status(in_alarm=True, unacked=True, latched=True)),
    ("ACKED, latched, condition gone", Status(in_alarm=True, latched=True)),
    ("SHELVED (condition present, unacked)", Status(condition=True, unacked=True, shelved=True)),
    ("SHELVED (condition gone, acked)", Status(shelved=True)),
    ("SUPPRESSED (condition present)", Status(condition=True, suppressed=True)),
    ("SUPPRESSED (condition gone, unacked)", Status(unacked=True, suppressed=True)),
    ("OUT_OF_SERVICE (condition present)", Status(condition=True, out_of_service=True)),
)


def state_table() -> str:
    """The state × trigger table of docs/alarms.md, computed from `transition` itself."""
    triggers = list(Trigger)
    lines = [
        "| state \\ trigger | " + " | ".join(t.value for t in triggers) + " |",
        "| --- " * (len(triggers) + 1) + "|",
    ]
    for name, status in TABLE_ROWS:
        cells = []
        for trig in triggers:
            try:
                new, kind = transition(status, trig)
            except AlarmActionError:
                cells.append("✗")
                continue
            if kind is None:
                cells.append("·" if new == status else "· (tracked)")
            else:
                cells.append(f"{new.state.value} *{kind.value}*")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
