"""The writer-thread machinery shared by the event journal and the historian's writer.

Why one piece: both keep the same promise (ARCHITECTURE wall 4, docs/store.md) — a
caller never waits on the database, nothing is silently lost — and they kept it with
the same code: a bounded in-memory queue counted in items with back-pressure at the
bound, one writer thread woken by new work, a flush request or close, a flush
deadline, health reported once per change, retry with capped backoff, and a close
that says loudly how much was not written. `BatchWriter` is that machinery; a
subclass owns the queue's shape (a ticket per event, chunks of samples), what one
write does, and the words of its errors.

Counting: `_accepted` items ever queued and `_resolved` items ever written, rejected
or failed; what is pending is the difference, so a flush waits for `_resolved` to
reach the `_accepted` it saw.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import Any, ClassVar, Generic, Self, TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, StatementError

T = TypeVar("T")
HealthCallback = Callable[[bool, str], None]
"""`on_health(ok, detail)`: called once per change between writing and failing."""


def backoff(first: float, cap: float) -> Iterator[float]:
    """Retry delays: `first`, doubling, at most `cap`."""
    delay = first
    while True:
        yield delay
        delay = min(delay * 2, cap)


def is_row_fault(exc: BaseException) -> bool:
    """True when the batch failed because of what one row holds (retrying is useless),
    False when the database itself failed (unreachable, locked, full: retry)."""
    if isinstance(exc, IntegrityError | DataError):
        return True
    # StatementError that is not a DBAPIError: a bind value could not be converted.
    return isinstance(exc, StatementError | TypeError | ValueError) and not isinstance(
        exc, DBAPIError
    )


def reason(exc: BaseException) -> str:
    """One line saying why a write failed (the driver's own error when there is one)."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip().splitlines()
    return f"{type(orig or exc).__name__}: {text[0] if text else ''}"


class BatchWriter:
    """Base of a batching, durable writer: callers queue, one thread commits. Thread-safe.

    A subclass sets the class attributes, calls `_start()` at the end of its
    `__init__`, implements `_write_loop()` and the three error hooks, and counts
    what it queues with `_accepted` and what it finishes with `_resolve_count()`.
    """

    _log: ClassVar[logging.Logger]
    _label: ClassVar[str]  # "journal": in log lines
    _ok_detail: ClassVar[str]  # the health detail once writes succeed again
    _fail_detail: ClassVar[str]  # the health detail's prefix when they fail

    def __init__(
        self,
        engine: Engine,
        *,
        flush_interval: float,
        batch_size: int,
        max_queue: int,
        put_timeout: float,
        on_health: HealthCallback | None,
        retry_first: float,
        retry_cap: float,
    ):
        self._engine = engine
        self._flush_interval = flush_interval
        self._batch_size = batch_size
        self._max_queue = max_queue
        self._put_timeout = put_timeout
        self._on_health = on_health
        self._retry = (retry_first, retry_cap)
        self._delays: Iterator[float] | None = None

        lock = threading.Lock()
        self._wake = threading.Condition(lock)  # new work, flush request, close
        self._progress = threading.Condition(lock)  # items resolved: room, flush done
        self._accepted = 0  # items ever queued
        self._resolved = 0  # items ever written, rejected or failed
        self._flush_upto = 0  # write now, without waiting for the deadline, up to here
        self._closing = False
        self._abandon = False  # close() gave up waiting for the database
        self._healthy = True
        self._health_detail = ""
        self._thread: threading.Thread | None = None

    def _start(self, name: str) -> None:
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    # ------------------------------------------------------------------------- hooks

    def _write_loop(self) -> None:
        raise NotImplementedError

    def _closed_error(self) -> Exception:
        """What a caller gets when queueing after `close()`."""
        raise NotImplementedError

    def _full_error(self, n: int, timeout: float) -> Exception:
        """What a caller gets when `n` items found no room within `timeout`."""
        raise NotImplementedError

    def _unwritten_error(self, left: int, where: str) -> Exception:
        """What `close()` raises when `left` items could not be written to `where`."""
        raise NotImplementedError

    # ------------------------------------------------------------------------- callers

    def flush(self, timeout: float | None = None) -> bool:
        """Commit everything queued so far; True when it all resolved within `timeout`."""
        with self._wake:
            target = self._accepted
            if self._resolved >= target:
                return True
            self._flush_upto = max(self._flush_upto, target)
            self._wake.notify()
            return self._progress.wait_for(lambda: self._resolved >= target, timeout)

    def close(self, timeout: float = 30.0) -> None:
        """Flush and stop the writer. Idempotent.

        If the database stays unavailable for `timeout` seconds, what is still queued
        is failed and this raises (`_unwritten_error`) saying how much: loud, since it
        is not on disk.
        """
        with self._wake:
            self._closing = True
            self._flush_upto = self._accepted
            self._wake.notify()
            self._progress.notify_all()  # blocked callers give up with the closed error
        assert self._thread is not None
        self._thread.join(timeout)
        if not self._thread.is_alive():
            return
        with self._wake:
            self._abandon = True
            left = self._accepted - self._resolved
            self._wake.notify()
        self._thread.join(10.0)
        where = self._engine.url.render_as_string(hide_password=True)
        raise self._unwritten_error(left, f"{where}: {self._health_detail}")

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def healthy(self) -> bool:
        """False while the database refuses writes (see `on_health`)."""
        return self._healthy

    @property
    def pending(self) -> int:
        """Items queued but not yet committed."""
        with self._wake:
            return self._accepted - self._resolved

    def _admit(self, n: int, timeout: float | None) -> None:
        """Before queueing `n` items, with the lock held: refuse after close, and at the
        bound wait up to `timeout` (None: `put_timeout`) for room, then refuse."""
        if self._closing:
            raise self._closed_error()
        pending = self._accepted - self._resolved
        if not (pending and pending + n > self._max_queue):
            return
        timeout = self._put_timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        while (pending := self._accepted - self._resolved) and pending + n > self._max_queue:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise self._full_error(n, timeout)
            self._progress.wait(remaining)
            if self._closing:
                raise self._closed_error()

    # ------------------------------------------------------------------------- writer

    def _run(self) -> None:
        try:
            self._write_loop()
        except BaseException as exc:  # a bug here must not leave callers waiting unawares
            self._log.exception("%s writer stopped", self._label)
            self._set_health(False, f"{self._label} writer stopped: {exc!r}")
            raise

    def _due(self, enqueued: float) -> bool:
        """Whether to write now, the queue head having been queued at `enqueued` (lock held)."""
        return (
            self._accepted - self._resolved >= self._batch_size
            or self._closing
            or self._resolved < self._flush_upto
            or time.monotonic() >= enqueued + self._flush_interval
        )

    def _deadline_in(self, enqueued: float) -> float:
        """Seconds until the queue head, queued at `enqueued`, reaches its flush deadline."""
        return enqueued + self._flush_interval - time.monotonic()

    def _resolve_count(self, n: int) -> None:
        """`n` more items are finished (lock held): wake flushes and blocked callers."""
        self._resolved += n
        self._progress.notify_all()

    def _wrote(self) -> None:
        """A write succeeded: reset the backoff, report health."""
        self._delays = None
        self._set_health(True, self._ok_detail)

    def _retry_after(self, exc: BaseException) -> bool:
        """A write failed for the database's sake: report it, wait the next backoff delay.
        True when `close()` gave up meanwhile (stop retrying)."""
        level = logging.WARNING if self._healthy else logging.DEBUG
        self._log.log(
            level, "%s write failed, %d queued: %s", self._label, self.pending, reason(exc)
        )
        self._set_health(False, f"{self._fail_detail}: {reason(exc)}")
        self._delays = self._delays or backoff(*self._retry)
        with self._wake:
            return self._wake.wait_for(lambda: self._abandon, next(self._delays))

    def _set_health(self, ok: bool, detail: str) -> None:
        changed = ok != self._healthy
        self._healthy, self._health_detail = ok, ("" if ok else detail)
        if not changed or self._on_health is None:
            return
        try:
            self._on_health(ok, detail)
        except Exception:
            self._log.exception("%s health callback failed", self._label)


class ChunkedBatchWriter(BatchWriter, Generic[T]):
    """A `BatchWriter` whose callers hand over chunks of plain items (history samples,
    OEE rows): each chunk is queued as handed over, stamped when it arrived, and the
    writer takes `batch_size` items at a time off the head without copying them one
    by one. A batch being written stays counted as pending."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._chunks: deque[tuple[float, Sequence[T]]] = deque()  # (enqueued, items)

    def _enqueue(self, chunk: Sequence[T], timeout: float | None) -> None:
        """Queue `chunk` (not empty), waking the writer when the queue was empty or a
        batch is full; at the bound `_admit` waits `timeout`, then refuses it whole."""
        n = len(chunk)
        with self._wake:
            self._admit(n, timeout)
            self._chunks.append((time.monotonic(), chunk))
            self._accepted += n
            queued = self._accepted - self._resolved
            if queued == n or queued >= self._batch_size:
                self._wake.notify()

    def _head_due(self) -> bool:
        """Items are queued and the head's batch should be written now (lock held)."""
        return bool(self._chunks) and self._due(self._chunks[0][0])

    def _head_deadline_in(self) -> float | None:
        """Seconds until the head reaches its flush deadline; None when empty (lock held)."""
        return self._deadline_in(self._chunks[0][0]) if self._chunks else None

    def _take_batch(self) -> list[T]:
        """Move up to batch_size items off the queue head (lock held)."""
        batch: list[T] = []
        room = self._batch_size
        while self._chunks and room > 0:
            enqueued, chunk = self._chunks[0]
            if len(chunk) <= room:
                self._chunks.popleft()
                batch.extend(chunk)
                room -= len(chunk)
            else:
                batch.extend(chunk[:room])
                self._chunks[0] = (enqueued, chunk[room:])
                room = 0
        return batch
