"""Between the alarm engine and the journal: every transition recorded, state restored.

Each `AlarmEvent` becomes one journal `Event` (kind "alarm", type = the
transition, source = the tag, details = the whole AlarmEvent), so the journal
alone is enough to rebuild the engine after a crash: the last event of each
alarm carries its unacknowledged flag, condition and shelve expiry.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from concurrent.futures import Future

from sqlalchemy import Engine, func, select

from hmi.runtime.alarm_model import AlarmEvent
from hmi.runtime.alarm_states import EventKind as AlarmKind
from hmi.store.events import Event, EventKind, OperatorAction
from hmi.store.journal import Journal
from hmi.store.models import events

log = logging.getLogger(__name__)


def to_journal_event(ev: AlarmEvent) -> Event:
    """The journal's view of an alarm transition (silencing the horn is an operator act)."""
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
        details=ev.as_dict(),
    )


class AlarmJournal:
    """The engine's `emit`: journals each transition; operator-caused ones commit at once.

    `collecting()` hands back the tickets of the transitions made inside it, so a
    command can report "done" only after its transitions are on disk.
    """

    def __init__(self, journal: Journal):
        self._journal = journal
        self._collect: list[Future[int]] | None = None

    def emit(self, ev: AlarmEvent) -> None:
        ticket = self._journal.record(to_journal_event(ev), urgent=ev.user is not None)
        if self._collect is not None:
            self._collect.append(ticket)

    @contextlib.contextmanager
    def collecting(self) -> Iterator[list[Future[int]]]:
        outer, self._collect = self._collect, []
        try:
            yield self._collect
        finally:
            self._collect = outer


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
                out.append(AlarmEvent.from_dict(details))
            except (KeyError, TypeError, ValueError) as exc:  # an older or foreign row
                log.warning("cannot restore alarm from %r: %s", details, exc)
    return out
