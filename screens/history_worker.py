"""History fetches off the GUI thread, newest request wins.

The trend screen asks for the visible range every time the operator pans or zooms.
Each request runs in this fetcher's own thread pool (never the GUI thread: a month
of a tag may take a while on a busy database); results come back by a queued signal.
Every request gets a generation number, and a result whose generation is no longer
the newest is dropped, so a slow answer for an old range never paints over the
range now on screen (the PyDM/Taurus archiver complaint: plots fetched only on
redraw, and out of order).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class HistorySource(Protocol):
    """What the trend screen needs of `hmi.store.history.HistoryReader`."""

    def auto(self, tag: str, t0: float, t1: float, width_px: int) -> Any: ...

    def raw(self, tag: str, t0: float, t1: float, limit: int | None = None) -> Any: ...


@dataclass(frozen=True)
class HistoryRequest:
    """One fetch: `tags` over [t0, t1) at `width_px` pixels. `purpose` is the caller's tag
    for what the result is for ("view" or "backfill")."""

    generation: int
    tags: tuple[str, ...]
    t0: float
    t1: float
    width_px: int
    purpose: str = "view"


@dataclass(frozen=True)
class HistoryResult:
    request: HistoryRequest
    series: dict[str, Any]  # tag -> RawSeries | BucketSeries
    errors: dict[str, str]


class _Relay(QObject):
    """Carries a result from a pool thread to the GUI thread (queued connection)."""

    done = Signal(object)


class _Fetch(QRunnable):
    def __init__(self, reader: HistorySource, request: HistoryRequest, relay: _Relay):
        super().__init__()
        self._reader = reader
        self._request = request
        self._relay = relay

    def run(self) -> None:  # a pool thread: no widgets here
        req = self._request
        series: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for tag in req.tags:
            try:
                if req.purpose.startswith("backfill"):
                    series[tag] = self._reader.raw(tag, req.t0, req.t1)
                else:
                    series[tag] = self._reader.auto(tag, req.t0, req.t1, req.width_px)
            except Exception as exc:  # one tag's failure must not lose the others
                log.exception("history fetch of %s failed", tag)
                errors[tag] = f"{type(exc).__name__}: {exc}"
        self._relay.done.emit(HistoryResult(req, series, errors))


class HistoryFetcher(QObject):
    """Runs fetches in the background and emits only the newest one's result.

    `ready` carries a `HistoryResult` on the GUI thread. A "backfill" request has its
    own generation counter, so a view fetch and a backfill never cancel each other.
    """

    ready = Signal(object)

    def __init__(self, reader: HistorySource, parent: QObject | None = None, threads: int = 2):
        super().__init__(parent)
        self._reader = reader
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._relay = _Relay()
        self._relay.done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._newest: dict[str, int] = {}
        self._counter = 0
        self.discarded = 0
        """How many results arrived too late to be shown (tests and diagnostics read it)."""

    def fetch(
        self,
        tags: Sequence[str],
        t0: float,
        t1: float,
        width_px: int,
        purpose: str = "view",
    ) -> HistoryRequest:
        """Start a fetch; any older fetch of the same purpose is now stale."""
        self._counter += 1
        request = HistoryRequest(self._counter, tuple(tags), t0, t1, width_px, purpose)
        self._newest[purpose] = request.generation
        self._pool.start(_Fetch(self._reader, request, self._relay))
        return request

    def cancel(self, purpose: str = "view") -> None:
        """Make every fetch of `purpose` under way stale (e.g. on going back to live)."""
        self._counter += 1
        self._newest[purpose] = self._counter

    @Slot(object)
    def _deliver(self, result: HistoryResult) -> None:
        req = result.request
        if self._newest.get(req.purpose) != req.generation:
            self.discarded += 1
            return
        self.ready.emit(result)

    def wait(self, timeout_ms: int = 5000) -> bool:
        """Wait for fetches under way (shutdown, tests); True when none is left."""
        return self._pool.waitForDone(timeout_ms)

    def close(self) -> None:
        self._pool.clear()
        self.cancel("view")
        self.cancel("backfill")
        self._pool.waitForDone(5000)
