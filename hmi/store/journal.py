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
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, StatementError

from hmi.store.events import Event
from hmi.store.models import events

log = logging.getLogger(__name__)

HealthCallback = Callable[[bool, str], None]

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
    seq: int
    enqueued: float  # time.monotonic(), for the flush deadline
    recorded_ts: float  # wall clock, stored as recorded_ts


def _backoff(first: float, cap: float) -> Iterator[float]:
    delay = first
    while True:
        yield delay
        delay = min(delay * 2, cap)


def _is_event_fault(exc: BaseException) -> bool:
    """True when the batch failed because of what one event holds (retrying is useless),
    False when the database itself failed (unreachable, locked, full: retry)."""
    if isinstance(exc, IntegrityError | DataError):
        return True
    # StatementError that is not a DBAPIError: a bind value could not be converted.
    return isinstance(exc, StatementError | TypeError | ValueError) and not isinstance(
        exc, DBAPIError
    )


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip().splitlines()
    return f"{type(orig or exc).__name__}: {text[0] if text else ''}"


class Journal:
    """A batching, durable writer of `Event`s into the `events` table.

    Thread-safe; one instance per database, owned and closed by whoever opened it.
    """

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
        self._engine = engine
        self._flush_interval = flush_interval
        self._batch_size = batch_size
        self._max_queue = max_queue
        self._put_timeout = put_timeout
        self._on_health = on_health
        self._station = station
        self._retry = (retry_first, retry_cap)
        self._insert_returning = events.insert().returning(
            events.c.id, sort_by_parameter_order=True
        )

        lock = threading.Lock()
        self._wake_writer = threading.Condition(lock)  # new work, flush request, close
        self._progress = threading.Condition(lock)  # entries resolved: room in the queue
        self._pending: deque[_Entry] = deque()
        self._seq = 0  # last seq handed out
        self._resolved_seq = 0  # every entry up to here has its ticket completed
        self._flush_upto = 0  # write now, without waiting for the deadline, up to here
        self._closing = False
        self._abandon = False  # close() gave up waiting for the database
        self._healthy = True
        self._health_detail = ""
        self._thread = threading.Thread(target=self._run, name="hmi-journal", daemon=True)
        self._thread.start()

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
        with self._wake_writer:
            if self._closing:
                raise JournalClosedError("the journal is closed")
            if len(self._pending) >= self._max_queue:
                self._wait_for_room(self._put_timeout if timeout is None else timeout)
            self._seq += 1
            self._pending.append(_Entry(event, future, self._seq, time.monotonic(), time.time()))
            if urgent:
                self._flush_upto = self._seq
            if len(self._pending) in (1, self._batch_size) or urgent:
                self._wake_writer.notify()
        return future

    async def arecord(self, event: Event, *, urgent: bool = False) -> int:
        """`record` for asyncio callers: returns the row id once the event is committed.

        Does not block the loop when the queue is full: raises `JournalFullError` at once.
        """
        return await asyncio.wrap_future(self.record(event, timeout=0, urgent=urgent))

    def flush(self, timeout: float | None = None) -> bool:
        """Commit everything recorded so far; True when it all resolved within `timeout`."""
        with self._wake_writer:
            target = self._seq
            if self._resolved_seq >= target:
                return True
            self._flush_upto = max(self._flush_upto, target)
            self._wake_writer.notify()
            return self._progress.wait_for(lambda: self._resolved_seq >= target, timeout)

    def close(self, timeout: float = 30.0) -> None:
        """Flush and stop the writer. Idempotent.

        If the database stays unavailable for `timeout` seconds, the events still
        queued are failed (their tickets raise `JournalError`) and this raises
        `JournalError` saying how many: loud, since they are not on disk.
        """
        with self._wake_writer:
            self._closing = True
            self._flush_upto = self._seq
            self._wake_writer.notify()
            self._progress.notify_all()  # blocked record() calls give up with JournalClosedError
        self._thread.join(timeout)
        if not self._thread.is_alive():
            return
        with self._wake_writer:
            self._abandon = True
            left = len(self._pending)
            self._wake_writer.notify()
        self._thread.join(10.0)
        raise JournalError(
            f"journal closed with {left} event(s) not written to "
            f"{self._engine.url.render_as_string(hide_password=True)}: {self._health_detail}"
        )

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def healthy(self) -> bool:
        """False while the database refuses writes (see `on_health`)."""
        return self._healthy

    @property
    def pending(self) -> int:
        """Events recorded but not yet committed."""
        with self._wake_writer:
            return len(self._pending)

    def _wait_for_room(self, timeout: float) -> None:
        """Called with the lock held and the queue at its bound."""
        deadline = time.monotonic() + timeout
        while len(self._pending) >= self._max_queue:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise JournalFullError(
                    f"event journal full: {len(self._pending)} events waiting for the database "
                    f"for {timeout:g} s ({self._health_detail or 'database too slow'}); "
                    "the event was not recorded"
                )
            self._progress.wait(remaining)
            if self._closing:
                raise JournalClosedError("the journal is closed")

    # ------------------------------------------------------------------------- writer

    def _run(self) -> None:
        try:
            self._write_loop()
        except BaseException as exc:  # a bug here must not leave callers waiting unawares
            log.exception("journal writer stopped")
            self._set_health(False, f"journal writer stopped: {exc!r}")
            raise

    def _write_loop(self) -> None:
        delays: Iterator[float] | None = None
        while (batch := self._next_batch()) is not None:
            failure: Exception | None = None
            try:
                self._write(batch)
            except Exception as exc:
                failure = exc
                if _is_event_fault(exc):
                    try:
                        self._write_singly(batch)
                        failure = None
                    except Exception as exc2:
                        failure = exc2
            if failure is None:
                delays = None
                self._set_health(True, "events are being written")
                continue
            level = logging.WARNING if self._healthy else logging.DEBUG
            log.log(level, "journal write failed, %d queued: %s", self.pending, _reason(failure))
            self._set_health(False, f"cannot write events: {_reason(failure)}")
            delays = delays or _backoff(*self._retry)
            with self._wake_writer:
                self._wake_writer.wait_for(lambda: self._abandon, next(delays))

    def _next_batch(self) -> list[_Entry] | None:
        """Wait until a batch is due; None when the writer should stop."""
        with self._wake_writer:
            while True:
                if self._abandon:
                    left = list(self._pending)
                    break
                if self._pending:
                    head = self._pending[0]
                    if (
                        len(self._pending) >= self._batch_size
                        or self._closing
                        or head.seq <= self._flush_upto
                    ):
                        break
                    wait = head.enqueued + self._flush_interval - time.monotonic()
                    if wait <= 0:
                        break
                    self._wake_writer.wait(wait)
                elif self._closing:
                    return None
                else:
                    self._wake_writer.wait()
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
                if not _is_event_fault(exc):
                    raise
                log.error("journal rejected event %r: %s", entry.event, _reason(exc))
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
        with self._wake_writer:
            for _ in batch:
                self._pending.popleft()
            self._resolved_seq = batch[-1].seq
            self._progress.notify_all()

    def _set_health(self, ok: bool, detail: str) -> None:
        changed = ok != self._healthy
        self._healthy, self._health_detail = ok, ("" if ok else detail)
        if not changed or self._on_health is None:
            return
        try:
            self._on_health(ok, detail)
        except Exception:
            log.exception("journal health callback failed")
