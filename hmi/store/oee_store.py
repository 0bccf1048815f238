"""Persisting OEE intervals, counter deltas and reason assignments, and reading them back.

`OeeStore` is synchronous (tests, the CLI, query workers); the runtime's records
go through `hmi.store.oee_writer.OeeWriter`, so its loop never waits on the
database. Intervals are upserted by (line, start_ts): see `hmi.store.models_oee`.
Reason assignments are journaled through a callback (the station hands it to
`Journal.record`), so who gave which reason to which stop is in the audit trail.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import Engine, and_, delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from hmi.store.events import Event, EventKind, OperatorAction
from hmi.store.models_oee import oee_counts, oee_intervals, oee_reasons

JournalHook = Callable[[Event], object]
_LOSS_STATES = ("idle", "down", "changeover")


@dataclass(frozen=True, slots=True)
class IntervalRow:
    """One state interval as stored (state is a `LineState` value)."""

    line: str
    start: float
    end: float
    state: str
    reason: int | None = None
    product: str | None = None
    open: bool = False


@dataclass(frozen=True, slots=True)
class CountRow:
    """`n` parts counted by the `kind` counter (total / good / reject) at `ts`."""

    line: str
    ts: float
    kind: str
    n: int
    product: str | None = None


@dataclass(frozen=True, slots=True)
class ReasonRow:
    line: str
    event_start: float
    reason: int
    seconds: float
    user: str | None
    assigned_ts: float


class ReasonError(ValueError):
    """A reason assignment that cannot be stored; the message says why."""


CountSeries = dict[tuple[str | None, str], tuple[np.ndarray, np.ndarray]]


class OeeStore:
    """Reads and writes the OEE tables of one database."""

    def __init__(self, engine: Engine, on_journal: JournalHook | None = None):
        self.engine = engine
        self._on_journal = on_journal

    # -- writing ------------------------------------------------------------------------

    def apply(self, rows: Iterable[IntervalRow | CountRow]) -> None:
        """Write a batch in one transaction (the last version of an interval wins)."""
        ivs: dict[tuple[str, float], dict] = {}
        counts: list[dict] = []
        for r in rows:
            if isinstance(r, IntervalRow):
                ivs[(r.line, r.start)] = {
                    "line": r.line, "start_ts": r.start, "end_ts": r.end, "state": r.state,
                    "reason": r.reason, "product": r.product, "is_open": r.open,
                }  # fmt: skip
            else:
                counts.append(
                    {"line": r.line, "ts": r.ts, "kind": r.kind, "n": r.n, "product": r.product}
                )
        with self.engine.begin() as conn:
            if ivs:
                ins = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
                stmt = ins(oee_intervals)
                stmt = stmt.on_conflict_do_update(
                    index_elements=["line", "start_ts"],
                    set_={
                        c: stmt.excluded[c]
                        for c in ("end_ts", "state", "reason", "product", "is_open")
                    },
                )
                conn.execute(stmt, list(ivs.values()))
            if counts:
                conn.execute(insert(oee_counts), counts)

    def recover(self, line: str | None = None) -> int:
        """Close intervals left open by a crash at their last checkpoint; how many."""
        stmt = update(oee_intervals).where(oee_intervals.c.is_open.is_(True))
        if line is not None:
            stmt = stmt.where(oee_intervals.c.line == line)
        with self.engine.begin() as conn:
            return conn.execute(stmt.values(is_open=False)).rowcount

    # -- reading ------------------------------------------------------------------------

    def intervals(self, line: str, since: float, until: float) -> list[IntervalRow]:
        """Intervals overlapping [since, until), in time order."""
        c = oee_intervals.c
        stmt = (
            select(c.line, c.start_ts, c.end_ts, c.state, c.reason, c.product, c.is_open)
            .where(c.line == line, c.start_ts < until, c.end_ts > since)
            .order_by(c.start_ts)
        )
        with self.engine.connect() as conn:
            return [IntervalRow(*row) for row in conn.execute(stmt)]

    def last_interval(self, line: str) -> IntervalRow | None:
        c = oee_intervals.c
        stmt = (
            select(c.line, c.start_ts, c.end_ts, c.state, c.reason, c.product, c.is_open)
            .where(c.line == line)
            .order_by(c.start_ts.desc())
            .limit(1)
        )
        with self.engine.connect() as conn:
            row = conn.execute(stmt).first()
        return IntervalRow(*row) if row else None

    def count_rows(self, line: str, since: float, until: float) -> list[CountRow]:
        c = oee_counts.c
        stmt = (
            select(c.line, c.ts, c.kind, c.n, c.product)
            .where(c.line == line, c.ts >= since, c.ts < until)
            .order_by(c.ts, c.id)
        )
        with self.engine.connect() as conn:
            return [CountRow(*row) for row in conn.execute(stmt)]

    def count_series(self, line: str, since: float, until: float) -> CountSeries:
        """Counts in [since, until) as arrays per (product, kind): (ts ascending, n).

        Built with `np.fromiter` over plain tuples: a month of one-per-second deltas
        must not go through a Python object per row twice.
        """
        c = oee_counts.c
        out: CountSeries = {}
        with self.engine.connect() as conn:
            keys = conn.execute(
                select(c.product, c.kind)
                .where(c.line == line, c.ts >= since, c.ts < until)
                .distinct()
            ).all()
            for product, kind in keys:
                where = [c.line == line, c.ts >= since, c.ts < until, c.kind == kind]
                where.append(c.product.is_(None) if product is None else c.product == product)
                rows = conn.execute(select(c.ts, c.n).where(and_(*where)).order_by(c.ts))
                arr = np.fromiter(map(tuple, rows), dtype=[("ts", "f8"), ("n", "i8")])
                out[(product, kind)] = (arr["ts"], arr["n"])
        return out

    def reasons(self, line: str, since: float, until: float) -> list[ReasonRow]:
        """Reason assignments of the events that start in [since, until)."""
        c = oee_reasons.c
        stmt = (
            select(c.line, c.event_start, c.reason, c.seconds, c.user_name, c.assigned_ts)
            .where(c.line == line, c.event_start >= since, c.event_start < until)
            .order_by(c.event_start, c.id)
        )
        with self.engine.connect() as conn:
            return [ReasonRow(*row) for row in conn.execute(stmt)]

    # -- operators' reasons -------------------------------------------------------------

    def assign_reasons(
        self,
        line: str,
        event_start: float,
        parts: Sequence[tuple[int, float | None]],
        user: str | None,
        *,
        ts: float | None = None,
    ) -> list[ReasonRow]:
        """Give the downtime event of `line` that started at `event_start` its reason(s).

        `parts` is [(reason code, seconds)]: one part with seconds None takes the whole
        event; several parts split it and must add up to its duration (±1 s) once the
        event has ended. Replaces earlier assignments of the event; journals the change.
        """
        if not parts:
            raise ReasonError("give at least one reason")
        now = time.time() if ts is None else ts
        c = oee_intervals.c
        with self.engine.begin() as conn:
            row = conn.execute(
                select(c.end_ts, c.state, c.is_open).where(
                    c.line == line, c.start_ts == event_start
                )
            ).first()
            if row is None:
                raise ReasonError(f"line {line!r} has no event starting at {event_start}")
            end, state, is_open = row
            if state not in _LOSS_STATES:
                raise ReasonError(f"that interval is {state}, not downtime")
            duration = max(end - event_start, 0.0)
            rows = _parts(line, event_start, parts, duration, bool(is_open), user, now)
            conn.execute(
                delete(oee_reasons).where(
                    oee_reasons.c.line == line, oee_reasons.c.event_start == event_start
                )
            )
            conn.execute(
                insert(oee_reasons),
                [
                    {"line": r.line, "event_start": r.event_start, "reason": r.reason,
                     "seconds": r.seconds, "user_name": r.user, "assigned_ts": r.assigned_ts}
                    for r in rows
                ],
            )  # fmt: skip
        if self._on_journal is not None:
            codes = ", ".join(f"{r.reason} ({r.seconds:.0f} s)" for r in rows)
            self._on_journal(
                Event(
                    EventKind.OPERATOR,
                    OperatorAction.REASON_CODE,
                    ts=now,
                    source=line,
                    area=line,
                    user=user,
                    value=",".join(str(r.reason) for r in rows),
                    message=f"downtime reason for {line} stop at {event_start:.0f}: {codes}",
                    details={
                        "event_start": event_start,
                        "parts": [[r.reason, r.seconds] for r in rows],
                    },
                )
            )
        return rows


def _parts(
    line: str,
    event_start: float,
    parts: Sequence[tuple[int, float | None]],
    duration: float,
    is_open: bool,
    user: str | None,
    now: float,
) -> list[ReasonRow]:
    if len(parts) == 1 and parts[0][1] is None:
        return [ReasonRow(line, event_start, int(parts[0][0]), duration or 1.0, user, now)]
    rows = []
    for code, seconds in parts:
        if seconds is None or not seconds > 0:
            raise ReasonError("each part of a split needs seconds > 0")
        rows.append(ReasonRow(line, event_start, int(code), float(seconds), user, now))
    total = sum(r.seconds for r in rows)
    if not is_open and abs(total - duration) > 1.0:
        raise ReasonError(
            f"the parts add up to {total:.0f} s but the event lasted {duration:.0f} s"
        )
    return rows
