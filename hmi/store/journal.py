"""The durable event journal: callers hand over events, one writer thread commits them.

Why this shape: the runtime's asyncio loop and the GUI thread must never wait on a
disk or a network, yet "an event shown as recorded is on disk" (ARCHITECTURE wall 4).
So `record()` only appends to an in-memory queue and returns a ticket (a
`concurrent.futures.Future`) that completes with the event's row id once the
transaction holding it has COMMITTED. A dedicated thread batches the queue into
multi-row inserts and commits when a batch fills, when the oldest waiting event
reaches `flush_interval` (1 s by default), on `flush()` and on `close()`.

When the database is unavailable (server down, file locked, disk full) nothing is
dropped: events stay queued, `on_health(False, detail)` tells the owner (who
raises a system alarm), the writer retries with capped exponential backoff, drains
the queue when the database is back and reports `on_health(True, …)`. The queue is
bounded; at the bound `record()` blocks up to a timeout and then raises
`JournalFullError`: back-pressure the caller sees, never a silent drop.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, text

from hmi.store.batch_writer import BatchWriter, HealthCallback, is_row_fault, reason
from hmi.store.events import Event
from hmi.store.models import events

log = logging.getLogger(__name__)

_PG_NEXT_IDS = text(
    "SELECT nextval(pg_get_serial_sequence('events', 'id')) FROM generate_series(1, :n)"
)


class JournalError(RuntimeError):
    """Events could not be journaled; the message says how many and why."""


class JournalFullError(JournalError):
    """The queue stayed at its bound for the whole timeout (the database is not keeping up
    or is unavailable). The event was NOT accepted: the caller still holds it."""


class JournalClosedError(JournalError):
    """`record()` after `close()`."""


@dataclass(slots=True)
class _Entry:
    event: Event
    future: Future[int]
    enqueued: float  # time.monotonic(), for the flush deadline
    recorded_ts: float  # wall clock, stored as recorded_ts


class Journal(BatchWriter):
    """A batching, durable writer of `Event`s into the `events` table.

    Thread-safe; one instance per database, owned and closed by whoever opened it.
    """

    _log = log
    _label = "journal"
    _ok_detail = "events are being written"
    _fail_detail = "cannot write events"

    def __init__(
        self,
        engine: Engine,
        *,
        flush_interval: float = 1.0,
        batch_size: int = 1000,
        max_queue: int = 100_000,
        put_timeout: float = 5.0,
        on_health: HealthCallback | None = None,
        station: str | None = None,
        retry_first: float = 0.2,
        retry_cap: float = 5.0,
    ):
        if flush_interval <= 0 or batch_size < 1 or max_queue < 1 or put_timeout < 0:
            raise ValueError("flush_interval > 0, batch_size ≥ 1, max_queue ≥ 1, put_timeout ≥ 0")
        super().__init__(
            engine,
            flush_interval=flush_interval,
            batch_size=batch_size,
            max_queue=max_queue,
            put_timeout=put_timeout,
            on_health=on_health,
            retry_first=retry_first,
            retry_cap=retry_cap,
        )
        self._station = station
        self._insert_returning = events.insert().returning(
            events.c.id, sort_by_parameter_order=True
        )
        self._pending: deque[_Entry] = deque()
        self._start("hmi-journal")

    # ------------------------------------------------------------------------- callers

    def record(
        self, event: Event, *, timeout: float | None = None, urgent: bool = False
    ) -> Future[int]:
        """Queue `event`; return a ticket that completes with its row id after COMMIT.

        Never touches the database. Blocks only when the queue is at its bound, for at
        most `timeout` (default: the journal's `put_timeout`; 0 = don't wait), then
        raises `JournalFullError`. `urgent` asks the writer to commit now instead of
        at the flush deadline (an operator action waiting for its confirmation).
        """
        if not isinstance(event, Event):
            raise TypeError(f"Journal.record takes an Event, not {type(event).__name__}")
        future: Future[int] = Future()
        future.set_running_or_notify_cancel()  # a ticket reports; it cannot be cancelled
        with self._wake:
            self._admit(1, timeout)
            self._accepted += 1
            self._pending.append(_Entry(event, future, time.monotonic(), time.time()))
            if urgent:
                self._flush_upto = self._accepted
            if len(self._pending) in (1, self._batch_size) or urgent:
                self._wake.notify()
        return future

    async def arecord(self, event: Event, *, urgent: bool = False) -> int:
        """`record` for asyncio callers: returns the row id once the event is committed.

        Does not block the loop when the queue is full: raises `JournalFullError` at once.
        """
        return await asyncio.wrap_future(self.record(event, timeout=0, urgent=urgent))

    def _closed_error(self) -> Exception:
        return JournalClosedError("the journal is closed")

    def _full_error(self, n: int, timeout: float) -> Exception:
        return JournalFullError(
            f"event journal full: {len(self._pending)} events waiting for the database "
            f"for {timeout:g} s ({self._health_detail or 'database too slow'}); "
            "the event was not recorded"
        )

    def _unwritten_error(self, left: int, where: str) -> Exception:
        return JournalError(f"journal closed with {left} event(s) not written to {where}")

    # ------------------------------------------------------------------------- writer

    def _write_loop(self) -> None:
        while (batch := self._next_batch()) is not None:
            failure: Exception | None = None
            try:
                self._write(batch)
            except Exception as exc:
                failure = exc
                if is_row_fault(exc):
                    try:
                        self._write_singly(batch)
                        failure = None
                    except Exception as exc2:
                        failure = exc2
            if failure is None:
                self._wrote()
            else:
                self._retry_after(failure)  # close() giving up is seen by _next_batch

    def _next_batch(self) -> list[_Entry] | None:
        """Wait until a batch is due; None when the writer should stop."""
        with self._wake:
            while True:
                if self._abandon:
                    left = list(self._pending)
                    break
                if self._pending:
                    head = self._pending[0]
                    if self._due(head.enqueued):
                        break
                    self._wake.wait(self._deadline_in(head.enqueued))
                elif self._closing:
                    return None
                else:
                    self._wake.wait()
            if not self._abandon:
                return list(itertools.islice(self._pending, self._batch_size))
        # close() gave up on the database: fail the tickets loudly rather than leave them hanging.
        error = JournalError(f"not written, the database stayed unavailable: {self._health_detail}")
        log.error("journal closing with %d unwritten events: %s", len(left), error)
        if left:
            self._resolve(left, [error] * len(left))
        return None

    def _rows(self, batch: list[_Entry]) -> list[dict[str, Any]]:
        return [e.event.to_row(e.recorded_ts, self._station) for e in batch]

    def _write(self, batch: list[_Entry]) -> None:
        with self._engine.begin() as conn:
            ids = self._insert(conn, self._rows(batch))
        self._resolve(batch, ids)

    def _insert(self, conn: Connection, rows: list[dict[str, Any]]) -> list[int]:
        """One multi-row INSERT; the new rows' ids in the order of `rows`.

        Ordered RETURNING would say it, but costs a statement per row on SQLite and
        triples the time on PostgreSQL; each backend has a cheaper way to know.
        """
        dialect = conn.dialect.name
        if dialect == "sqlite":
            # This transaction holds SQLite's one write lock: its rowids are consecutive.
            conn.execute(events.insert(), rows)
            last = conn.exec_driver_sql("SELECT last_insert_rowid()").scalar_one()
            return list(range(last - len(rows) + 1, last + 1))
        if dialect == "postgresql":
            # Reserve the ids from the sequence in one round trip, then a plain executemany.
            ids = sorted(conn.execute(_PG_NEXT_IDS, {"n": len(rows)}).scalars())
            conn.execute(events.insert(), [{**r, "id": i} for r, i in zip(rows, ids, strict=True)])
            return ids
        return list(conn.execute(self._insert_returning, rows).scalars())

    def _write_singly(self, batch: list[_Entry]) -> None:
        """Find the event(s) the database rejects; write the rest. Each bad event's ticket
        raises the error and it is logged: reported, not silently dropped. A database
        failure (not an event fault) propagates, and the unwritten rest stays queued."""
        for entry in batch:
            try:
                with self._engine.begin() as conn:
                    ids = self._insert(conn, self._rows([entry]))
            except Exception as exc:
                if not is_row_fault(exc):
                    raise
                log.error("journal rejected event %r: %s", entry.event, reason(exc))
                self._resolve([entry], [exc])
            else:
                self._resolve([entry], ids)

    def _resolve(self, batch: list[_Entry], results: list[Any]) -> None:
        """Complete the tickets of the queue's first len(batch) entries, then dequeue them.
        Tickets first, so that whoever `flush()` wakes finds them done."""
        for entry, result in zip(batch, results, strict=True):
            if isinstance(result, BaseException):
                entry.future.set_exception(result)
            else:
                entry.future.set_result(result)
        with self._wake:
            for _ in batch:
                self._pending.popleft()
            self._resolve_count(len(batch))
