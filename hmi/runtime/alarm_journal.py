"""Between the alarm engine and the journal: every transition recorded, state restored.

Each `AlarmEvent` becomes one journal `Event` (kind "alarm", type = the
transition, source = the tag, details = the whole AlarmEvent), so the journal
alone is enough to rebuild the engine after a crash: the last event of each
alarm carries its unacknowledged flag, condition and shelve expiry. An operator
action taken over from another station (`hmi.runtime.alarm_sync`) is journaled
here too, with `via_station` in its details.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from collections.abc import Iterator, Mapping
from concurrent.futures import Future
from typing import Any

from sqlalchemy import Engine, func, select

from hmi.runtime.alarm_model import AlarmEvent
from hmi.runtime.alarm_states import EventKind as AlarmKind
from hmi.store.events import Event, EventKind, OperatorAction
from hmi.store.journal import Journal
from hmi.store.models import events

log = logging.getLogger(__name__)

VIA_STATION = "via_station"
"""The `details` key naming the station where an operator action relayed here was taken."""
_EVENT_FIELDS = frozenset(f.name for f in dataclasses.fields(AlarmEvent))


def to_journal_event(ev: AlarmEvent, via_station: str | None = None) -> Event:
    """The journal's view of an alarm transition (silencing the horn is an operator act).
    `via_station`: the action was taken at that station and relayed here."""
    if ev.kind is AlarmKind.SILENCED:
        return Event(
            EventKind.OPERATOR, OperatorAction.SILENCE, ts=ev.time, user=ev.user,
            message="horn silenced", comment=ev.comment, details=ev.as_dict(),
        )  # fmt: skip
    return Event(
        EventKind.ALARM,
        ev.kind.value,
        ts=ev.time,
        source=ev.tag,
        area=ev.area,
        priority=ev.priority,
        state=ev.state.value if ev.state else None,
        value=ev.value,
        limit=None if isinstance(ev.limit, tuple) else ev.limit,
        user=ev.user,
        message=ev.message_en,
        comment=ev.comment,
        details=ev.as_dict() if via_station is None else {**ev.as_dict(), VIA_STATION: via_station},
    )


def alarm_event(details: Mapping[str, Any]) -> AlarmEvent:
    """The AlarmEvent of a journal row's `details` (its journal-only keys left aside)."""
    return AlarmEvent.from_dict({k: v for k, v in details.items() if k in _EVENT_FIELDS})


class AlarmJournal:
    """The engine's `emit`: journals each transition; operator-caused ones commit at once.

    `collecting()` hands back the tickets of the transitions made inside it, so a
    command can report "done" only after its transitions are on disk.
    """

    def __init__(self, journal: Journal):
        self._journal = journal
        self._collect: list[Future[int]] | None = None
        self._via: str | None = None

    def emit(self, ev: AlarmEvent) -> None:
        event = to_journal_event(ev, self._via)
        ticket = self._journal.record(event, urgent=ev.user is not None)
        if self._collect is not None:
            self._collect.append(ticket)

    @contextlib.contextmanager
    def collecting(self) -> Iterator[list[Future[int]]]:
        outer, self._collect = self._collect, []
        try:
            yield self._collect
        finally:
            self._collect = outer

    @contextlib.contextmanager
    def relayed(self, station: str) -> Iterator[None]:
        """Journal the transitions made inside as another station's operator action
        (`via_station` in details): on record here for restore, never relayed back."""
        outer, self._via = self._via, station
        try:
            yield
        finally:
            self._via = outer


def last_alarm_events(engine: Engine, station: str | None = None) -> list[AlarmEvent]:
    """The last journaled transition of every alarm, oldest first: what `restore` needs.

    One pass in SQL (a window over the alarm id inside `details`), on SQLite and
    PostgreSQL alike, however long the history. With `station`, only that
    station's alarms: stations sharing one database each restore their own.
    """
    alarm_id = events.c.details["alarm_id"].as_string()
    ranked = (
        select(
            events.c.id,
            events.c.details,
            func.row_number().over(partition_by=alarm_id, order_by=events.c.id.desc()).label("rn"),
        )
        .where(
            events.c.kind == EventKind.ALARM.value,
            *([events.c.station == station] if station is not None else []),
        )
        .subquery()
    )
    stmt = select(ranked.c.details).where(ranked.c.rn == 1).order_by(ranked.c.id)
    out: list[AlarmEvent] = []
    with engine.connect() as conn:
        for (details,) in conn.execute(stmt):
            try:
                out.append(alarm_event(details))
            except (KeyError, TypeError, ValueError) as exc:  # an older or foreign row
                log.warning("cannot restore alarm from %r: %s", details, exc)
    return out
