"""The GUI's door to the alarms: the engine's read API, and operator actions that never block.

Screens and the banner get one `AlarmClient` (through the screen context). Reads
go straight to the engine's thread-safe read API. Actions (`ack`, `shelve`, …) are
coroutines of `hmi.runtime.alarm_commands.AlarmCommands`: they are submitted to the
runtime loop and their outcome comes back on the GUI thread by a queued signal as
an `ActionResult` — done, denied (the permission message to show) or refused (an
illegal action, e.g. nothing to acknowledge). The GUI thread never waits on them.
"""

from __future__ import annotations

import concurrent.futures
import logging
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from hmi.app.alarm_feed import AlarmFeed
from hmi.runtime.alarm_states import AlarmActionError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from hmi.config import PlantConfig
    from hmi.runtime.alarm_commands import AlarmCommands
    from hmi.runtime.alarm_model import AlarmRecord
    from hmi.runtime.alarms import AlarmEngine
    from hmi.runtime.host import RuntimeThread

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ActionResult:
    """The outcome of one operator action. `status`: "ok", "denied" or "error"."""

    action: str
    status: str
    message: str = ""
    result: Any = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


ActionCallback = Callable[[ActionResult], None]


class AlarmClient(QObject):
    """Read API + non-blocking commands + the history database, for the alarm GUI."""

    finished = Signal(object)  # every ActionResult, after its own callback
    _deliver = Signal(object, object)  # (callback, ActionResult): runtime thread → GUI

    def __init__(
        self,
        config: PlantConfig,
        engine: AlarmEngine,
        commands: AlarmCommands,
        host: RuntimeThread | None,
        store_engine: Engine | None,
        feed: AlarmFeed,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.config = config
        self.engine = engine
        self._commands = commands
        self._host = host
        self.store_engine = store_engine
        self.feed = feed
        self._deliver.connect(self._on_deliver, Qt.ConnectionType.QueuedConnection)

    # -- reads (any thread) --------------------------------------------------------------

    def active(self) -> list[AlarmRecord]:
        return self.engine.active()

    def record(self, alarm_id: str) -> AlarmRecord | None:
        return self.engine.record(alarm_id)

    def horn_active(self) -> bool:
        return self.engine.horn_active()

    def priority_color(self, priority: int) -> str:
        """The plant's colour for a priority (config `alarm_priorities`)."""
        for p in self.config.alarm_priorities:
            if p.priority == priority:
                return p.color
        return "#808080"

    def area_title(self, area: str, lang: str) -> str:
        """An alarm area as the operator knows it: the line's title when it is a line."""
        for line in self.config.lines:
            if line.name == area:
                return line.title.get(lang)
        return area

    def priority_name(self, priority: int, lang: str) -> str:
        for p in self.config.alarm_priorities:
            if p.priority == priority:
                return p.name.get(lang)
        return str(priority)

    # -- actions (GUI thread in, GUI thread out) -----------------------------------------

    def ack(
        self, ids: Iterable[str], comment: str | None = None, on_done: ActionCallback | None = None
    ) -> None:
        ids = list(ids)
        self._run("ack", lambda: self._commands.ack(ids, comment or None), on_done)

    def silence(self, on_done: ActionCallback | None = None) -> None:
        self._run("silence", self._commands.silence, on_done)

    def shelve(
        self, alarm_id: str, duration_s: float, reason: str, on_done: ActionCallback | None = None
    ) -> None:
        self._run("shelve", lambda: self._commands.shelve(alarm_id, duration_s, reason), on_done)

    def unshelve(self, alarm_id: str, on_done: ActionCallback | None = None) -> None:
        self._run("unshelve", lambda: self._commands.unshelve(alarm_id), on_done)

    def remove_from_service(
        self, alarm_id: str, reason: str, on_done: ActionCallback | None = None
    ) -> None:
        self._run(
            "out_of_service", lambda: self._commands.remove_from_service(alarm_id, reason), on_done
        )

    def return_to_service(self, alarm_id: str, on_done: ActionCallback | None = None) -> None:
        self._run("in_service", lambda: self._commands.return_to_service(alarm_id), on_done)

    def _run(
        self,
        action: str,
        make: Callable[[], Coroutine[Any, Any, Any]],
        on_done: ActionCallback | None,
    ) -> None:
        if self._host is None:
            self._deliver.emit(on_done, ActionResult(action, "error", "no runtime"))
            return
        coro = make()
        try:
            future = self._host.submit(coro)
        except RuntimeError as exc:  # the runtime loop is gone (shutting down)
            coro.close()
            self._deliver.emit(on_done, ActionResult(action, "error", str(exc)))
            return

        def finished(fut: concurrent.futures.Future[Any]) -> None:  # runtime thread
            self._deliver.emit(on_done, _outcome(action, fut))

        future.add_done_callback(finished)

    @Slot(object, object)
    def _on_deliver(self, on_done: ActionCallback | None, result: ActionResult) -> None:
        self.feed.refresh()  # show the new states now, not at the next frame
        if on_done is not None:
            try:
                on_done(result)
            except Exception:
                log.exception("callback of alarm action %s failed", result.action)
        self.finished.emit(result)


def _outcome(action: str, fut: concurrent.futures.Future[Any]) -> ActionResult:
    # Imported here: the security module pulls in the store (SQLAlchemy), which the
    # window does not need to open; by the time an action finishes, it is loaded.
    from hmi.runtime.security import PermissionDeniedError, SecurityError

    try:
        return ActionResult(action, "ok", result=fut.result())
    except PermissionDeniedError as exc:
        return ActionResult(action, "denied", str(exc))
    except (AlarmActionError, SecurityError) as exc:
        return ActionResult(action, "error", str(exc))
    except Exception as exc:  # e.g. the journal could not record it: say so, never crash
        log.exception("alarm action %s failed", action)
        return ActionResult(action, "error", f"{type(exc).__name__}: {exc}")
