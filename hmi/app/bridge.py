"""The runtime↔Qt bridge: the one door between the runtime thread and the GUI thread.

The runtime may deliver tens of thousands of updates a second; the screen needs a
frame a few times a second. So the bridge keeps only the latest value per tag
(under a lock, in the runtime thread) and a GUI-thread timer hands the widgets one
dict per frame — never one signal per update (PyDM's mistake). Writes go to the
runtime loop with `RuntimeThread.submit`; their results come back by a queued
signal, so the GUI thread never waits on I/O.

Critical writes (security.critical_tags) need a second person's signature: when
the runtime refuses a write for want of one, and an approval prompt is installed
(`set_approval_prompt`, by the station: `hmi.app.login.SessionControls`), the
bridge asks for the approver's name and password and sends the write again with
`approver=Credential(...)`. The runtime checks the signature; cancelling the
prompt hands the original refusal to the caller.
"""

from __future__ import annotations

import concurrent.futures
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from hmi.drivers.base import ConnectionState, WriteResult
from hmi.runtime.commands import NEEDS_APPROVER
from hmi.tagvalue import TagValue

if TYPE_CHECKING:
    from hmi.runtime.host import RuntimeThread
    from hmi.runtime.security import Credential

log = logging.getLogger(__name__)

WriteCallback = Callable[[WriteResult], None]
ApprovalPrompt = Callable[[str, Any, Callable[["Credential | None"], None]], None]
"""``prompt(tag, value, answer)``: ask for a second signature; `answer(None)` cancels."""

"""Part of `CommandAPI.write`'s refusal of a critical write without an approver."""


def needs_approver(result: WriteResult) -> bool:
    """Whether the runtime refused `result` only for want of a second signature."""
    return not result.ok and NEEDS_APPROVER in (result.error or "")


class RuntimeBridge(QObject):
    """A `RuntimeListener` living on the GUI thread that emits coalesced frames.

    `frame` carries ``{tag: TagValue}`` of the tags that changed since the last frame
    (not emitted when nothing changed). `connection_changed` carries
    ``(connection, ConnectionState value, detail)`` and is queued to the GUI thread.
    """

    frame = Signal(object)
    connection_changed = Signal(str, str, str)
    _write_finished = Signal(object, object)  # (on_done, WriteResult), runtime → GUI thread

    def __init__(
        self,
        host: RuntimeThread | None,
        frame_rate_hz: float = 10.0,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._host = host
        self._approval: ApprovalPrompt | None = None
        self._lock = threading.Lock()
        self._pending: dict[str, TagValue] = {}
        self.frames_emitted = 0
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(max(1, round(1000.0 / frame_rate_hz)))
        self._timer.timeout.connect(self.flush)
        self._write_finished.connect(self._deliver_write, Qt.ConnectionType.QueuedConnection)

    # -- life cycle (GUI thread) ------------------------------------------------------------

    def start(self) -> None:
        """Begin emitting frames at the configured rate."""
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    # -- RuntimeListener (runtime thread: be quick, never touch Qt widgets) -----------------

    def on_updates(self, batch: list[TagValue]) -> None:
        with self._lock:
            pending = self._pending
            for tv in batch:
                pending[tv.name] = tv

    def on_connection(self, connection: str, state: ConnectionState, detail: str) -> None:
        # The bridge lives on the GUI thread, so Qt queues this emission to it.
        self.connection_changed.emit(connection, str(state.value), detail)

    # -- frames (GUI thread) ----------------------------------------------------------------

    @Slot()
    def flush(self) -> None:
        """Swap out what changed since the last frame and emit it as one frame."""
        with self._lock:
            if not self._pending:
                return
            changed, self._pending = self._pending, {}
        self.frames_emitted += 1
        self.frame.emit(changed)

    # -- reads and writes -------------------------------------------------------------------

    def snapshot(self) -> dict[str, TagValue]:
        """The runtime's current value of every tag (a copy; cheap)."""
        if self._host is None:
            return {}
        return self._host.runtime.table.snapshot()

    def connection_states(self) -> dict[str, ConnectionState]:
        if self._host is None:
            return {}
        return dict(self._host.runtime.connection_states)

    def set_approval_prompt(self, prompt: ApprovalPrompt | None) -> None:
        """Install who asks for a critical write's second signature (None: nobody)."""
        self._approval = prompt

    def write(
        self,
        tag: str,
        value: Any,
        on_done: WriteCallback | None = None,
        approver: Credential | None = None,
    ) -> None:
        """Submit a write to the runtime; `on_done` gets the result later on the GUI thread."""
        if self._host is None:
            self._write_finished.emit(on_done, WriteResult(tag, False, error="no runtime"))
            return
        if approver is None and self._approval is not None:
            on_done = self._with_approval(tag, value, on_done)
        commands = self._host.runtime.commands
        future = self._host.submit(commands.write(tag, value, approver=approver))

        def finished(fut: concurrent.futures.Future[WriteResult]) -> None:
            try:
                result = fut.result()
            except Exception as exc:  # the command itself failed: report it, don't lose it
                log.exception("write %s = %r failed", tag, value)
                result = WriteResult(tag, False, error=f"{type(exc).__name__}: {exc}")
            self._write_finished.emit(on_done, result)

        future.add_done_callback(finished)

    def _with_approval(self, tag: str, value: Any, on_done: WriteCallback | None) -> WriteCallback:
        """`on_done`, but a refusal for want of an approver first asks for one and retries."""
        prompt = self._approval
        assert prompt is not None

        def done(result: WriteResult) -> None:
            if not needs_approver(result):
                if on_done is not None:
                    on_done(result)
                return

            def answer(credential: Credential | None) -> None:
                if credential is not None:
                    self.write(tag, value, on_done, approver=credential)
                elif on_done is not None:
                    on_done(result)

            prompt(tag, value, answer)

        return done

    @Slot(object, object)
    def _deliver_write(self, on_done: WriteCallback | None, result: WriteResult) -> None:
        if not result.ok:
            log.warning("write %s refused: %s", result.tag, result.error)
        if on_done is None:
            return
        try:
            on_done(result)
        except Exception:
            log.exception("write callback for %s failed", result.tag)
