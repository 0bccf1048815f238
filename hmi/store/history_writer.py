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
- Rollups: every write also updates `history_rollup_1m` (one row per tag and
  minute) in the same transaction, and a purge chunk deletes the minutes it
  emptied, so the rollups always equal what the samples say (see `update_rollups`).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Any

from sqlalchemy import Connection, Engine

from hmi.store.batch_writer import ChunkedBatchWriter, HealthCallback, is_row_fault, reason

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

# -- per-minute rollups (history_rollup_1m) ---------------------------------------------
#
# Kept exact in the samples' own transaction. A batch is folded per (tag, minute) in
# Python and upserted; when all of a minute's new samples are newer than its stored
# last sample (the recorder's normal case: times strictly increase per tag) the row
# is merged incrementally. Otherwise (a late or re-delivered sample, which may
# overwrite one already counted) the upsert marks the row n = -1 and the minute is
# recomputed from its samples. Readers never see the mark: same transaction.

_R = "history_rollup_1m"
_ROLLUP_UPSERT = f"""
INSERT INTO {_R} (tag_id, minute_ts, first_ts, last_ts, vmin, vmax, vsum, n, last_value,
                  last_quality) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (tag_id, minute_ts) DO UPDATE SET
    vmin = CASE WHEN {_R}.vmin IS NULL OR excluded.vmin < {_R}.vmin
                THEN excluded.vmin ELSE {_R}.vmin END,
    vmax = CASE WHEN {_R}.vmax IS NULL OR excluded.vmax > {_R}.vmax
                THEN excluded.vmax ELSE {_R}.vmax END,
    vsum = {_R}.vsum + excluded.vsum,
    n = CASE WHEN {_R}.n >= 0 AND excluded.first_ts > {_R}.last_ts
             THEN {_R}.n + excluded.n ELSE -1 END,
    last_ts = excluded.last_ts,
    last_value = excluded.last_value,
    last_quality = excluded.last_quality
"""
_ROLLUP_DELETE = f"DELETE FROM {_R} WHERE tag_id = ? AND minute_ts = ?"
# One minute from its samples; params (minute, tag_id, minute, minute + 60). No row
# when the minute has no samples (left deleted).
_ROLLUP_RECOMPUTE = f"""
INSERT INTO {_R}
    (tag_id, minute_ts, first_ts, last_ts, vmin, vmax, vsum, n, last_value, last_quality)
SELECT a.tag_id, ?, a.first_ts, a.last_ts, a.vmin, a.vmax, a.vsum, a.n, s.value, s.quality
FROM (
    SELECT tag_id, min(ts) AS first_ts, max(ts) AS last_ts,
           min(CASE WHEN quality = 0 THEN value END) AS vmin,
           max(CASE WHEN quality = 0 THEN value END) AS vmax,
           coalesce(sum(CASE WHEN quality = 0 THEN value END), 0) AS vsum,
           count(CASE WHEN quality = 0 THEN value END) AS n
    FROM history_samples WHERE tag_id = ? AND ts >= ? AND ts < ?
    GROUP BY tag_id
) a
JOIN history_samples s ON s.tag_id = a.tag_id AND s.ts = a.last_ts
"""


def minute_of(ts: float) -> float:
    """Start m of the minute holding `ts` (m <= ts < m + 60, exactly; floor(ts / 60)
    can round up for a ts a few hundred ns below a boundary)."""
    m = math.floor(ts / 60.0) * 60.0
    return m - 60.0 if m > ts else m


def rollup_rows(rows: Sequence[tuple[int, float, float | None, int]]) -> list[tuple]:
    """(tag_id, ts, value, quality) rows → one rollup row per (tag, minute), in
    `_ROLLUP_UPSERT`'s column order. A (tag, ts) given twice counts once, the later
    row winning (as the samples' upsert does)."""
    latest: dict[tuple[int, float], tuple[float | None, int]] = {}
    for tag_id, ts, value, quality in rows:
        latest[(tag_id, ts)] = (value, quality)
    # key → [first_ts, last_ts, vmin, vmax, vsum, n, last_value, last_quality]
    acc: dict[tuple[int, float], list[Any]] = {}
    for (tag_id, ts), (value, quality) in latest.items():
        key = (tag_id, minute_of(ts))
        good = quality == 0 and value is not None
        a = acc.get(key)
        if a is None:
            v = value if good else None
            acc[key] = [ts, ts, v, v, v if good else 0.0, int(good), value, quality]
            continue
        if ts < a[0]:
            a[0] = ts
        if ts > a[1]:
            a[1], a[6], a[7] = ts, value, quality
        if good:
            if a[2] is None or value < a[2]:
                a[2] = value
            if a[3] is None or value > a[3]:
                a[3] = value
            a[4] += value
            a[5] += 1
    return [(tag_id, minute, *a) for (tag_id, minute), a in acc.items()]


def update_rollups(conn: Connection, rows: Sequence[tuple[int, float, float | None, int]]) -> None:
    """Bring the rollups of the minutes `rows` (just upserted into history_samples in
    `conn`'s transaction) up to date."""
    upserts = rollup_rows(rows)
    if not upserts:
        return
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(_sql(conn, _ROLLUP_UPSERT), upserts)
    finally:
        cursor.close()
    tag_ids = sorted({r[0] for r in upserts})
    lo, hi = min(r[1] for r in upserts), max(r[1] for r in upserts)
    stale: list[tuple[int, float]] = []
    for start in range(0, len(tag_ids), 500):
        part = tag_ids[start : start + 500]
        marks = ", ".join("?" * len(part))
        stale += driver_rows(
            conn,
            f"SELECT tag_id, minute_ts FROM {_R} WHERE tag_id IN ({marks}) "
            "AND minute_ts >= ? AND minute_ts <= ? AND n < 0",
            (*part, lo, hi),
        )
    recompute_minutes(conn, stale)


def recompute_minutes(conn: Connection, keys: Sequence[tuple[int, float]]) -> None:
    """Rebuild the rollup of each (tag_id, minute) from its samples (none: no row)."""
    if not keys:
        return
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(_sql(conn, _ROLLUP_DELETE), keys)
        cursor.executemany(
            _sql(conn, _ROLLUP_RECOMPUTE), [(m, tag_id, m, m + 60.0) for tag_id, m in keys]
        )
    finally:
        cursor.close()


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


class HistoryWriter(ChunkedBatchWriter[Sample]):
    """A batching, durable writer of samples into `history_samples`. Thread-safe."""

    _log = log
    _label = "history"
    _ok_detail = "history is being written"
    _fail_detail = "cannot write history"

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
        self._retention = retention_days or (lambda _name: 0.0)
        self._purge_interval = purge_interval
        self._purge_chunk = purge_chunk
        self._clock = clock
        self._ids = TagIds()
        self._purge_requests: list[tuple[float | None, Future[int]]] = []
        self._next_purge = time.monotonic() + purge_interval
        self.written = 0  # samples committed
        self.rejected = 0  # samples the database refused (logged)
        self._start("hmi-history")

    # ------------------------------------------------------------------------- callers

    def submit(self, samples: Sequence[Sample], *, timeout: float | None = None) -> None:
        """Queue `samples` (a sequence the caller will not change). Never touches the
        database; at the queue bound waits up to `timeout` (default `put_timeout`,
        0 = not at all), then raises `HistoryFullError` with nothing accepted."""
        if not samples:
            return
        self._enqueue(samples, timeout)

    def purge(self, now: float | None = None) -> Future[int]:
        """Run a retention pass soon (cut-off ages from `now`, default the clock); the
        future completes with the number of samples deleted."""
        future: Future[int] = Future()
        with self._wake:
            if self._closing:
                raise self._closed_error()
            self._purge_requests.append((now, future))
            self._wake.notify()
        return future

    def _closed_error(self) -> Exception:
        return HistoryClosedError("the history writer is closed")

    def _full_error(self, n: int, timeout: float) -> Exception:
        return HistoryFullError(
            f"history queue full: {self._accepted - self._resolved} samples waiting for the "
            f"database ({self._health_detail or 'database too slow'}); {n} not accepted"
        )

    def _unwritten_error(self, left: int, where: str) -> Exception:
        return HistoryError(f"history closed with {left} sample(s) not written to {where}")

    # ------------------------------------------------------------------------- writer

    def _write_loop(self) -> None:
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
                self._ids.forget()
                if self._retry_after(exc):
                    with self._wake:
                        self._fail_queued()
                    break
                continue
            self._wrote()
        if purge is not None:
            purge.fail(HistoryClosedError("closed during a purge"))

    def _next_work(self, purging: bool) -> list[Sample] | str | None:
        """The next batch, "purge" for a purge step, or None to stop."""
        with self._wake:
            while True:
                if self._abandon:
                    self._fail_queued()
                    return None
                if self._head_due():
                    return self._take_batch()
                if not self._chunks and self._closing:
                    self._fail_purges("closed before the purge ran")
                    return None
                if purging or self._purge_requests or time.monotonic() >= self._next_purge:
                    return "purge"
                wait = self._next_purge - time.monotonic()
                deadline = self._head_deadline_in()
                if deadline is not None:
                    wait = min(wait, deadline)
                self._wake.wait(max(wait, 0.0))

    def _write(self, batch: list[Sample]) -> None:
        try:
            self._insert(batch)
        except Exception as exc:
            if not is_row_fault(exc):
                raise
            self._insert_per_tag(batch)
            return
        self._resolve(len(batch), len(batch))

    def _insert(self, batch: Sequence[Sample]) -> None:
        with self._engine.begin() as conn:
            ids = self._ids.resolve(conn, {s[0] for s in batch})
            # NaN is stored as no value: SQLite would store NULL, PostgreSQL a NaN that
            # its min/max/count would then take as a number
            rows = [
                (ids[name], ts, None if value != value else value, quality)
                for name, ts, value, quality in batch
            ]
            cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            try:
                cursor.executemany(_sql(conn, _UPSERT), rows)
            finally:
                cursor.close()
            update_rollups(conn, rows)
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
                if not is_row_fault(exc):
                    raise  # the database failed meanwhile: the whole batch is retried (upsert)
                log.error(
                    "history rejected %d sample(s) of %r: %s", len(samples), name, reason(exc)
                )
                self.rejected += len(samples)
        self._resolve(len(batch), written)

    def _resolve(self, n: int, written: int) -> None:
        self.written += written
        with self._wake:
            self._resolve_count(n)

    def _fail_queued(self) -> None:
        """close() gave up on the database: count what is lost, loudly (caller holds lock)."""
        left = self._accepted - self._resolved
        log.error("history closing with %d unwritten samples: %s", left, self._health_detail)
        self._chunks.clear()
        self._resolve_count(left)
        self._fail_purges("closed before the purge ran")

    def _fail_purges(self, why: str) -> None:
        """Fail the purge requests not yet started (caller holds lock)."""
        for _, fut in self._purge_requests:
            fut.set_exception(HistoryClosedError(why))
        self._purge_requests.clear()

    # ------------------------------------------------------------------------- retention

    def _start_purge(self) -> _PurgePass:
        with self._wake:
            requests, self._purge_requests = self._purge_requests, []
            self._next_purge = time.monotonic() + self._purge_interval
        now = next((t for t, _ in requests if t is not None), None)
        return _PurgePass(self._clock() if now is None else now, [f for _, f in requests])


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
                # rollups: whole minutes before `limit` go, the one it cuts is rebuilt
                minute = minute_of(limit)
                sql = f"DELETE FROM {_R} WHERE tag_id = ? AND minute_ts < ?"
                cursor.execute(_sql(conn, sql), (tag_id, minute))
            finally:
                cursor.close()
            if minute < limit:
                recompute_minutes(conn, [(tag_id, minute)])
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
