"""Reading the journal back: filtered time ranges, keyset paging, counts.

Paging is by keyset, never OFFSET: the cursor is the (ts, id) of the last row a
page ended on, so page 10,000 of a million rows costs the same index seek as
page 1, and rows inserted meanwhile neither repeat nor vanish. Results are
frozen `StoredEvent`s (no session, no lazy loading), safe to hand to a GUI model
from a worker thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, Engine, Select, and_, func, or_, select

from hmi.store.events import StoredEvent
from hmi.store.models import events

Cursor = tuple[float, int]
"""(ts, id) of the last row of a page: where the next page starts."""

_COLUMNS = (
    events.c.id,
    events.c.ts,
    events.c.recorded_ts,
    events.c.kind,
    events.c.type,
    events.c.source,
    events.c.area,
    events.c.priority,
    events.c.state,
    events.c.value,
    events.c.limit_value,
    events.c.user_name,
    events.c.station,
    events.c.message,
    events.c.comment,
    events.c.details,
)


@dataclass(frozen=True, slots=True)
class EventFilter:
    """What a supervisor asks for. Empty fields do not filter.

    `since` is inclusive, `until` exclusive (UTC epoch seconds), so consecutive
    ranges never count an event twice. `text` matches inside the message,
    case-insensitively, taken literally (% and _ are not wildcards).
    """

    since: float | None = None
    until: float | None = None
    kinds: Sequence[str] = ()
    types: Sequence[str] = ()
    sources: Sequence[str] = ()
    areas: Sequence[str] = ()
    priorities: Sequence[int] = ()
    text: str | None = None

    def where(self) -> list[ColumnElement[bool]]:
        c = events.c
        clauses: list[ColumnElement[bool]] = []
        if self.since is not None:
            clauses.append(c.ts >= self.since)
        if self.until is not None:
            clauses.append(c.ts < self.until)
        for column, values in (
            (c.kind, self.kinds),
            (c.type, self.types),
            (c.source, self.sources),
            (c.area, self.areas),
        ):
            if values:
                clauses.append(column.in_([str(v) for v in values]))
        if self.priorities:
            clauses.append(c.priority.in_([int(p) for p in self.priorities]))
        if self.text:
            clauses.append(c.message.icontains(self.text, autoescape=True))
        return clauses


def _after(cursor: Cursor, descending: bool) -> ColumnElement[bool]:
    # "ts ≥ t AND (ts > t OR id > i)": the leading range term lets every backend seek
    # the (ts, id) index; the OR settles ties on ts.
    ts, row_id = cursor
    c = events.c
    if descending:
        return and_(c.ts <= ts, or_(c.ts < ts, c.id < row_id))
    return and_(c.ts >= ts, or_(c.ts > ts, c.id > row_id))


def events_query(
    flt: EventFilter = EventFilter(),
    *,
    after: Cursor | None = None,
    limit: int | None = 500,
    descending: bool = False,
) -> Select:
    """The SELECT behind `fetch_events`, for callers that stream or export."""
    clauses = flt.where()
    if after is not None:
        clauses.append(_after(after, descending))
    order = (events.c.ts.desc(), events.c.id.desc()) if descending else (events.c.ts, events.c.id)
    stmt = select(*_COLUMNS).where(*clauses).order_by(*order)
    return stmt.limit(limit) if limit is not None else stmt


def fetch_events(
    bind: Engine | Connection,
    flt: EventFilter = EventFilter(),
    *,
    after: Cursor | None = None,
    limit: int = 500,
    descending: bool = False,
) -> list[StoredEvent]:
    """One page of events matching `flt`, in time order (newest first if `descending`).

    Pass the previous page's `page_cursor(...)` as `after` for the next page; an empty
    list means there are no more.
    """
    if limit < 1:
        raise ValueError("limit must be ≥ 1")
    stmt = events_query(flt, after=after, limit=limit, descending=descending)
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            rows = conn.execute(stmt).all()
    else:
        rows = bind.execute(stmt).all()
    return [StoredEvent(*row) for row in rows]


def page_cursor(page: Sequence[StoredEvent]) -> Cursor | None:
    """The cursor after the last event of `page` (None for an empty page)."""
    return (page[-1].ts, page[-1].id) if page else None


def count_events(bind: Engine | Connection, flt: EventFilter = EventFilter()) -> int:
    """How many events match `flt` (for a GUI model's row count or a KPI)."""
    stmt = select(func.count()).select_from(events).where(*flt.where())
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return int(conn.execute(stmt).scalar_one())
    return int(bind.execute(stmt).scalar_one())
