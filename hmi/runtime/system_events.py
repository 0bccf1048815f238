"""Journals what the station itself goes through: connections lost and restored."""

from __future__ import annotations

import logging

from hmi.drivers.base import ConnectionState
from hmi.store.events import Event, EventKind, SystemEvent
from hmi.store.journal import Journal, JournalError
from hmi.tagvalue import TagValue

log = logging.getLogger(__name__)


class SystemEventRecorder:
    """A runtime listener that turns connection state changes into journal events.

    Only real changes are journaled: a connection that never came up is "lost"
    once (with the reason), one that comes back is "restored"; CONNECTING steps
    and repeated failures while already down are not events.
    """

    def __init__(self, journal: Journal):
        self._journal = journal
        self._up: dict[str, bool] = {}

    def on_updates(self, batch: list[TagValue]) -> None:
        pass

    def on_connection(self, connection: str, state: ConnectionState, detail: str) -> None:
        was_up = self._up.get(connection)
        if state is ConnectionState.CONNECTED and was_up is not True:
            self._up[connection] = True
            if was_up is False:
                self._record(SystemEvent.CONNECTION_RESTORED, connection, "connection restored")
        elif state is ConnectionState.DISCONNECTED and was_up is not False:
            self._up[connection] = False
            self._record(SystemEvent.CONNECTION_LOST, connection, detail or "connection lost")

    def _record(self, type_: SystemEvent, connection: str, message: str) -> None:
        try:
            self._journal.record(
                Event(EventKind.SYSTEM, type_, source=connection, message=message), timeout=0
            )
        except JournalError as exc:  # full or closed: say so loudly, never block the loop
            log.error("could not journal %s of %s: %s", type_, connection, exc)
