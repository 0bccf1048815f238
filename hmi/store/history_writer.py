"""The historian's writer thread: batches samples into `history_samples`, purges old ones.

The same durability rules as the event journal (`hmi.store.journal`, docs/store.md),
shaped for a stream of small rows rather than a few precious events: there is no
ticket per sample (a Future each would cost more than the insert), instead
`flush(timeout)` says when everything submitted so far is committed. So:

- `submit(samples)` never touches the database: it appends to a bounded in-memory
  queue. At the bound it waits up to a timeout and raises `HistoryFullError`; the
  samples were NOT accepted and the caller still holds them (the recorder, which
  must not block, keeps them and retries: see `hmi.runtime.historian`).
- One thread commits a batch when it fills, when its oldest sample has waited
  `flush_interval` (1 s), on `flush()` and on `close()`.
- Database unavailable: samples stay queued, `on_health(False, detail)` once, retry
  with capped backoff, then drain in order and `on_health(True, …)`.
- A sample the database itself rejects (a tag name too long for PostgreSQL) is
  logged and counted in `rejected`; the rest of the batch is written.
- Retention: `purge()` (and every `purge_interval`) deletes samples older than each
  tag's retention in chunks of `purge_chunk` rows, one short transaction each,
  between sample batches: a purge never holds the write lock for long and never
  delays samples by more than one chunk.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from typing import Any

from sqlalchemy import Connection, Engine

# The journal's private helpers, shared rather than copied: same failure rules.
from hmi.store.journal import HealthCallback, _backoff, _reason
from hmi.store.journal import _is_event_fault as _is_row_fault

log = logging.getLogger(__name__)

Sample = tuple[str, float, float | None, int]
"""(tag name, ts UTC epoch seconds, value or None, quality code)."""

RetentionDays = Callable[[str], float]
"""Days to keep a tag's samples (0: forever)."""

_DAY_S = 86_400.0


class HistoryError(RuntimeError):
    """Samples could not be written; the message says how many and why."""


class HistoryFullError(HistoryError):
    """The queue stayed at its bound for the whole timeout; the samples were NOT accepted."""


class HistoryClosedError(HistoryError):
    """`submit()` after `close()`."""


def _sql(conn: Connection, sql: str) -> str:
    """`sql` written with ? placeholders, in the driver's own paramstyle."""
    return sql if conn.dialect.paramstyle == "qmark" else sql.replace("?", "%s")


def driver_rows(conn: Connection, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
    """Run `sql` (? placeholders) on the DBAPI cursor and return plain tuples.

    Why bypass SQLAlchemy's Result: building numpy arrays from `Row` objects costs
    70-90 ms per 10k-row query here, from tuples under 1 ms (ENVIRONMENT.md).
    """
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(_sql(conn, sql), tuple(params))
        return cursor.fetchall() if cursor.description else []
    finally:
        cursor.close()


_UPSERT = (
    "INSERT INTO history_samples (tag_id, ts, value, quality) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (tag_id, ts) DO UPDATE SET value = excluded.value, quality = excluded.quality"
)
_NEW_TAG = "INSERT INTO history_tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING"


class TagIds:
    """Tag name → id of the `history_tags` dictionary, creating ids on first use.

    Thread-confined to the writer. Ids enter the cache only after their transaction
    committed, so a rolled-back batch never leaves a dangling id behind.
    """

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}

    def resolve(self, conn: Connection, names: set[str]) -> dict[str, int]:
        """Ids of `names` inside `conn`'s transaction (call `commit()` after it commits)."""
        missing = [n for n in names if n not in self._ids]
        found = dict(self._ids)
        if missing:
            cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            try:
                cursor.executemany(_sql(conn, _NEW_TAG), [(n,) for n in missing])
            finally:
                cursor.close()
            for start in range(0, len(missing), 500):
                part = missing[start : start + 500]
                marks = ", ".join("?" * len(part))
                sql = f"SELECT name, id FROM history_tags WHERE name IN ({marks})"
                found.update(driver_rows(conn, sql, part))
        return found

    def commit(self, ids: dict[str, int]) -> None:
        self._ids.update(ids)

    def forget(self) -> None:
        self._ids.clear()


class HistoryWriter:
    """A batching, durable writer of samples into `history_samples`. Thread-safe."""

    def __init__(
        self,
        engine: Engine,
        *,
        retention_days: RetentionDays | None = None,
        flush_interval: float = 1.0,
        batch_size: int = 5000,
        max_queue: int = 500_000,
        put_timeout: float = 5.0,
        purge_interval: float = 3600.0,
        purge_chunk: int = 10_000,
        on_health: HealthCallback | None = None,
        clock: Callable[[], float] = time.time,
        retry_first: float = 0.2,
        retry_cap: float = 5.0,
    ):
        if flush_interval <= 0 or batch_size < 1 or max_queue < 1 or purge_chunk < 1:
            raise ValueError("flush_interval > 0, batch_size ≥ 1, max_queue ≥ 1, purge_chunk ≥ 1")
        self._engine = engine
        self._retention = retention_days or (lambda _name: 0.0)
        self._flush_interval = flush_interval
        self._batch_size = batch_size
        self._max_queue = max_queue
        self._put_timeout = put_timeout
        self._purge_interval = purge_interval
        self._purge_chunk = purge_chunk
        self._on_health = on_health
        self._clock = clock
        self._retry = (retry_first, retry_cap)
        self._ids = TagIds()

        lock = threading.Lock()
        self._wake = threading.Condition(lock)  # new work, flush/purge request, close
        self._progress = threading.Condition(lock)  # samples resolved: room, flush done
        self._chunks: deque[tuple[float, Sequence[Sample]]] = deque()  # (enqueued, samples)
        self._queued = 0  # samples in _chunks plus the batch being written
        self._accepted = 0  # samples ever accepted
        self._resolved = 0  # samples ever written or rejected
        self._flush_upto = 0
        self._purge_requests: list[tuple[float | None, Future[int]]] = []
        self._next_purge = time.monotonic() + purge_interval
        self._closing = False
        self._abandon = False
        self._healthy = True
        self._health_detail = ""
        self.written = 0  # samples committed
        self.rejected = 0  # samples the database refused (logged)
        self._thread = threading.Thread(target=self._run, name="hmi-history", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------------------- callers

    def submit(self, samples: Sequence[Sample], *, timeout: float | None = None) -> None:
        """Queue `samples` (a sequence the caller will not change). Never touches the
        database; at the queue bound waits up to `timeout` (default `put_timeout`,
        0 = not at all), then raises `HistoryFullError` with nothing accepted."""
        if not samples:
            return
        n = len(samples)
        with self._wake:
            if self._closing:
                raise HistoryClosedError("the history writer is closed")
            if self._queued and self._queued + n > self._max_queue:
                self._wait_for_room(n, self._put_timeout if timeout is None else timeout)
            self._chunks.append((time.monotonic(), samples))
            self._queued += n
            self._accepted += n
            if self._queued == n or self._queued >= self._batch_size:
                self._wake.notify()

    def flush(self, timeout: float | None = None) -> bool:
        """Commit everything submitted so far; True when it all resolved within `timeout`."""
        with self._wake:
            target = self._accepted
            if self._resolved >= target:
                return True
            self._flush_upto = max(self._flush_upto, target)
            self._wake.notify()
            return self._progress.wait_for(lambda: self._resolved >= target, timeout)

    def purge(self, now: float | None = None) -> Future[int]:
        """Run a retention pass soon (cut-off ages from `now`, default the clock); the
        future completes with the number of samples deleted."""
        future: Future[int] = Future()
        with self._wake:
            if self._closing:
                raise HistoryClosedError("the history writer is closed")
            self._purge_requests.append((now, future))
            self._wake.notify()
        return future

    def close(self, timeout: float = 30.0) -> None:
        """Write everything queued and stop. Idempotent. If the database stays
        unavailable for `timeout`, raises `HistoryError` saying how many samples
        were not written (loud: they are not on disk)."""
        with self._wake:
            self._closing = True
            self._flush_upto = self._accepted
            self._wake.notify()
            self._progress.notify_all()
        self._thread.join(timeout)
        if not self._thread.is_alive():
            return
        with self._wake:
            self._abandon = True
            left = self._queued
            self._wake.notify()
        self._thread.join(10.0)
        raise HistoryError(
            f"history closed with {left} sample(s) not written to "
            f"{self._engine.url.render_as_string(hide_password=True)}: {self._health_detail}"
        )

    def __enter__(self) -> HistoryWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def healthy(self) -> bool:
        return self._healthy

    @property
    def pending(self) -> int:
        """Samples accepted but not yet committed."""
        with self._wake:
            return self._queued

    def _wait_for_room(self, n: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self._queued and self._queued + n > self._max_queue:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise HistoryFullError(
                    f"history queue full: {self._queued} samples waiting for the database "
                    f"({self._health_detail or 'database too slow'}); {n} not accepted"
                )
            self._progress.wait(remaining)
            if self._closing:
                raise HistoryClosedError("the history writer is closed")

    # ------------------------------------------------------------------------- writer

    def _run(self) -> None:
        try:
            self._loop()
        except BaseException as exc:
            log.exception("history writer stopped")
            self._set_health(False, f"history writer stopped: {exc!r}")
            raise

    def _loop(self) -> None:
        delays: Iterator[float] | None = None
        batch: list[Sample] = []
        purge: _PurgePass | None = None
        while True:
            if not batch:
                work = self._next_work(purge is not None)
                if work is None:
                    break
                if work == "purge":
                    purge = purge or self._start_purge()
                else:
                    batch = work
            try:
                if batch:
                    self._write(batch)
                    batch = []
                elif purge is not None and purge.step(self):
                    purge = None
            except Exception as exc:
                level = logging.WARNING if self._healthy else logging.DEBUG
                log.log(level, "history write failed, %d queued: %s", self.pending, _reason(exc))
                self._set_health(False, f"cannot write history: {_reason(exc)}")
                self._ids.forget()
                delays = delays or _backoff(*self._retry)
                with self._wake:
                    if self._wake.wait_for(lambda: self._abandon, next(delays)):
                        self._fail_queued()
                        break
                continue
            delays = None
            self._set_health(True, "history is being written")
        if purge is not None:
            purge.fail(HistoryClosedError("closed during a purge"))

    def _next_work(self, purging: bool) -> list[Sample] | str | None:
        """The next batch, "purge" for a purge step, or None to stop."""
        with self._wake:
            while True:
                if self._abandon:
                    self._fail_queued()
                    return None
                if self._chunks:
                    head_enqueued = self._chunks[0][0]
                    due = (
                        self._queued >= self._batch_size
                        or self._closing
                        or self._resolved < self._flush_upto
                        or time.monotonic() >= head_enqueued + self._flush_interval
                    )
                    if due:
                        return self._take_batch()
                elif self._closing:
                    for _, fut in self._purge_requests:
                        fut.set_exception(HistoryClosedError("closed before the purge ran"))
                    self._purge_requests.clear()
                    return None
                if purging or self._purge_requests or time.monotonic() >= self._next_purge:
                    return "purge"
                wait = self._next_purge - time.monotonic()
                if self._chunks:
                    wait = min(wait, self._chunks[0][0] + self._flush_interval - time.monotonic())
                self._wake.wait(max(wait, 0.0))

    def _take_batch(self) -> list[Sample]:
        """Move up to batch_size samples off the queue head (they stay counted in _queued)."""
        batch: list[Sample] = []
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

    def _write(self, batch: list[Sample]) -> None:
        try:
            self._insert(batch)
        except Exception as exc:
            if not _is_row_fault(exc):
                raise
            self._insert_per_tag(batch)
            return
        self._resolve(len(batch), len(batch))

    def _insert(self, batch: Sequence[Sample]) -> None:
        with self._engine.begin() as conn:
            ids = self._ids.resolve(conn, {s[0] for s in batch})
            rows = [(ids[name], ts, value, quality) for name, ts, value, quality in batch]
            cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            try:
                cursor.executemany(_sql(conn, _UPSERT), rows)
            finally:
                cursor.close()
        self._ids.commit(ids)

    def _insert_per_tag(self, batch: list[Sample]) -> None:
        """A row fault in the batch: write it tag by tag, log and count what is refused."""
        by_tag: dict[str, list[Sample]] = {}
        for sample in batch:
            by_tag.setdefault(sample[0], []).append(sample)
        written = 0
        for name, samples in by_tag.items():
            try:
                self._insert(samples)
                written += len(samples)
            except Exception as exc:
                if not _is_row_fault(exc):
                    raise  # the database failed meanwhile: the whole batch is retried (upsert)
                log.error(
                    "history rejected %d sample(s) of %r: %s", len(samples), name, _reason(exc)
                )
                self.rejected += len(samples)
        self._resolve(len(batch), written)

    def _resolve(self, n: int, written: int) -> None:
        self.written += written
        with self._wake:
            self._queued -= n
            self._resolved += n
            self._progress.notify_all()

    def _fail_queued(self) -> None:
        """close() gave up on the database: count what is lost, loudly (caller holds lock)."""
        left = self._queued
        log.error("history closing with %d unwritten samples: %s", left, self._health_detail)
        self._chunks.clear()
        self._queued = 0
        self._resolved += left
        self._progress.notify_all()
        for _, fut in self._purge_requests:
            fut.set_exception(HistoryClosedError("closed before the purge ran"))
        self._purge_requests.clear()

    # ------------------------------------------------------------------------- retention

    def _start_purge(self) -> _PurgePass:
        with self._wake:
            requests, self._purge_requests = self._purge_requests, []
            self._next_purge = time.monotonic() + self._purge_interval
        now = next((t for t, _ in requests if t is not None), None)
        return _PurgePass(self._clock() if now is None else now, [f for _, f in requests])

    def _set_health(self, ok: bool, detail: str) -> None:
        changed = ok != self._healthy
        self._healthy, self._health_detail = ok, ("" if ok else detail)
        if not changed or self._on_health is None:
            return
        try:
            self._on_health(ok, detail)
        except Exception:
            log.exception("history health callback failed")


class _PurgePass:
    """One retention pass over every tag, done one chunk (one transaction) per step."""

    def __init__(self, now: float, futures: list[Future[int]]):
        self.now = now
        self.futures = futures
        self.todo: list[tuple[int, float]] | None = None  # (tag id, cut-off ts)
        self.deleted = 0

    def step(self, writer: HistoryWriter) -> bool:
        """Delete one chunk; True when the pass is complete."""
        with writer._engine.begin() as conn:
            if self.todo is None:
                tags = driver_rows(conn, "SELECT id, name FROM history_tags ORDER BY id")
                self.todo = []
                for tag_id, name in tags:
                    days = writer._retention(name)
                    if days > 0:
                        self.todo.append((tag_id, self.now - days * _DAY_S))
                return self._done_if_empty()
            tag_id, cutoff = self.todo[0]
            bound = driver_rows(
                conn,
                "SELECT ts FROM history_samples WHERE tag_id = ? AND ts < ? "
                "ORDER BY ts LIMIT 1 OFFSET ?",
                (tag_id, cutoff, writer._purge_chunk),
            )
            limit = bound[0][0] if bound else cutoff
            cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            try:
                sql = "DELETE FROM history_samples WHERE tag_id = ? AND ts < ?"
                cursor.execute(_sql(conn, sql), (tag_id, limit))
                self.deleted += max(cursor.rowcount, 0)
            finally:
                cursor.close()
        if not bound:
            self.todo.pop(0)
        return self._done_if_empty()

    def _done_if_empty(self) -> bool:
        if self.todo:
            return False
        if self.deleted:
            log.info("history retention purge deleted %d samples", self.deleted)
        for future in self.futures:
            future.set_result(self.deleted)
        return True

    def fail(self, exc: BaseException) -> None:
        for future in self.futures:
            future.set_exception(exc)
