"""The OEE record writer: the tracker's intervals and count deltas into the OEE tables.

The same durability rules as the event journal and the historian's writer
(`hmi.store.batch_writer`, docs/store.md), for the records `OeeTracker` hands over:

- `submit(rows)` is called from the runtime's asyncio thread, so it NEVER waits:
  it appends to a bounded in-memory queue, and at the bound raises
  `OeeWriterFullError` at once with nothing accepted (the caller still holds the rows).
- One thread hands batches to `OeeStore.apply` in submission order (a later version
  of an interval must win): when a batch fills, when its oldest row has waited
  `flush_interval` (1 s), on `flush()` and on `close()`.
- Database unavailable: rows stay queued, `on_health(False, detail)` once, retry
  with capped backoff, then drain in order and `on_health(True, …)`.
- A row the database itself rejects (a NULL, a text too long for PostgreSQL): the
  batch is written row by row, the bad row is logged and counted in `rejected`,
  the good ones are written.
- `close(timeout)` raises, saying how many rows were not written, when the database
  stays away.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Sequence

from hmi.store.batch_writer import ChunkedBatchWriter, HealthCallback, is_row_fault, reason
from hmi.store.oee_store import CountRow, IntervalRow, OeeStore

log = logging.getLogger(__name__)

Record = IntervalRow | CountRow


class OeeWriterError(RuntimeError):
    """OEE records could not be written; the message says how many and why."""


class OeeWriterFullError(OeeWriterError):
    """The queue is at its bound; the rows were NOT accepted: the caller still holds them."""


class OeeWriterClosedError(OeeWriterError):
    """`submit()` after `close()`."""


class OeeWriter(ChunkedBatchWriter[Record]):
    """A batching, durable writer of OEE records through `OeeStore.apply`. Thread-safe.

    There is no `put_timeout`: the only caller is the runtime's event loop, which must
    never wait on the database, so a full queue is refused at once.
    """

    _log = log
    _label = "OEE"
    _ok_detail = "OEE records are being written"
    _fail_detail = "cannot write OEE records"

    def __init__(
        self,
        store: OeeStore,
        *,
        flush_interval: float = 1.0,
        batch_size: int = 1000,
        max_queue: int = 100_000,
        on_health: HealthCallback | None = None,
        retry_first: float = 0.2,
        retry_cap: float = 5.0,
    ):
        if flush_interval <= 0 or batch_size < 1 or max_queue < 1:
            raise ValueError("flush_interval > 0, batch_size ≥ 1, max_queue ≥ 1")
        super().__init__(
            store.engine,
            flush_interval=flush_interval,
            batch_size=batch_size,
            max_queue=max_queue,
            put_timeout=0.0,
            on_health=on_health,
            retry_first=retry_first,
            retry_cap=retry_cap,
        )
        self._store = store
        self.written = 0  # rows committed
        self.rejected = 0  # rows the database refused (logged)
        self._start("hmi-oee-writer")

    # ------------------------------------------------------------------------- callers

    def submit(self, rows: Sequence[Record]) -> None:
        """Queue `rows` to be written in this order. Never waits: at the queue bound
        raises `OeeWriterFullError` with none of them accepted."""
        if not rows:
            return
        chunk = tuple(rows)
        for row in chunk:
            if not isinstance(row, IntervalRow | CountRow):
                raise TypeError(
                    f"OeeWriter.submit takes IntervalRow/CountRow, not {type(row).__name__}"
                )
        self._enqueue(chunk, 0.0)

    def _closed_error(self) -> Exception:
        return OeeWriterClosedError("the OEE writer is closed")

    def _full_error(self, n: int, timeout: float) -> Exception:
        return OeeWriterFullError(
            f"OEE writer queue full: {self._accepted - self._resolved} rows waiting for the "
            f"database ({self._health_detail or 'database too slow'}); {n} not accepted"
        )

    def _unwritten_error(self, left: int, where: str) -> Exception:
        return OeeWriterError(f"OEE writer closed with {left} row(s) not written to {where}")

    # ------------------------------------------------------------------------- writer

    def _write_loop(self) -> None:
        batch: deque[Record] = deque()
        while True:
            if not batch:
                taken = self._next_batch()
                if taken is None:
                    break
                batch.extend(taken)
            try:
                self._write(batch)
            except Exception as exc:
                if self._retry_after(exc):
                    with self._wake:
                        self._fail_queued()
                    break
                continue  # the rest of the batch, first in line again
            self._wrote()

    def _next_batch(self) -> list[Record] | None:
        """Wait until a batch is due; None when the writer should stop."""
        with self._wake:
            while True:
                if self._abandon:
                    self._fail_queued()
                    return None
                if self._head_due():
                    return self._take_batch()
                deadline = self._head_deadline_in()
                if deadline is not None:
                    self._wake.wait(max(deadline, 0.0))
                elif self._closing:
                    return None
                else:
                    self._wake.wait()

    def _write(self, batch: deque[Record]) -> None:
        """Write `batch`, removing rows as they are resolved: a database fault midway
        leaves only the unwritten rest to retry, since count rows are plain inserts
        and must never be written twice."""
        try:
            self._store.apply(batch)
        except Exception as exc:
            if not is_row_fault(exc):
                raise
            self._write_singly(batch)
            return
        n = len(batch)
        batch.clear()
        self._resolve(n, n)

    def _write_singly(self, batch: deque[Record]) -> None:
        """A row fault in the batch: write it row by row, in order; log and count the
        rows the database refuses. A database fault propagates (the rest is retried)."""
        while batch:
            row = batch[0]
            try:
                self._store.apply([row])
            except Exception as exc:
                if not is_row_fault(exc):
                    raise
                log.error("OEE writer rejected %r: %s", row, reason(exc))
                self.rejected += 1
                written = 0
            else:
                written = 1
            batch.popleft()
            self._resolve(1, written)

    def _resolve(self, n: int, written: int) -> None:
        self.written += written
        with self._wake:
            self._resolve_count(n)

    def _fail_queued(self) -> None:
        """close() gave up on the database: count what is lost, loudly (caller holds lock)."""
        left = self._accepted - self._resolved
        log.error("OEE writer closing with %d unwritten rows: %s", left, self._health_detail)
        self._chunks.clear()
        self._resolve_count(left)
