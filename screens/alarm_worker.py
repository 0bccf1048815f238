"""Database work of the alarm screens, off the GUI thread, results back by queued signal.

One worker thread per screen (its own `QThreadPool` of one): queries of one screen
run in the order asked, and never on the GUI thread (ARCHITECTURE wall 2). The
callback runs on the GUI thread with a `JobResult` — the value, or the error text
— so a database failure is shown, never raised into Qt's event loop.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobResult:
    value: Any = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


Callback = Callable[[JobResult], None]


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], callback: Callback, relay: Worker):
        super().__init__()
        self._fn, self._callback, self._relay = fn, callback, relay

    def run(self) -> None:  # the worker thread: no widgets here
        try:
            result = JobResult(self._fn())
        except Exception as exc:
            log.exception("alarm screen query failed")
            result = JobResult(error=f"{type(exc).__name__}: {exc}")
        with contextlib.suppress(RuntimeError):  # the screen is gone: nobody to tell
            self._relay.done.emit(self._callback, result)


class Worker(QObject):
    """`submit(fn, callback)`: fn() in the worker thread, callback(JobResult) on the GUI's."""

    done = Signal(object, object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self.pending = 0
        self.done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def submit(self, fn: Callable[[], Any], callback: Callback) -> None:
        self.pending += 1
        self._pool.start(_Job(fn, callback, self))

    @property
    def busy(self) -> bool:
        return self.pending > 0

    @Slot(object, object)
    def _deliver(self, callback: Callback, result: JobResult) -> None:
        self.pending -= 1
        callback(result)

    def wait(self, timeout_ms: int = 5000) -> bool:
        """Wait for the running jobs (at shutdown); False if they did not finish."""
        return self._pool.waitForDone(timeout_ms)
