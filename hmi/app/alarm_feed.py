"""Alarm state for the GUI, once per display frame, only when it changed.

The alarm engine's read API (`active`, `counts`, `horn_active`) copies immutable
records under a lock, so reading it from the GUI thread is cheap and safe. The feed
reads it on a timer at the bridge's frame rate — alarm changes do not always come
with a tag change (delay timers, shelve expiry, an acknowledge) — and emits one
`AlarmSnapshot` when something differs from the last one. Banner, horn and summary
screen all listen to this one signal instead of polling the engine each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from hmi.runtime.alarm_states import AlarmState

if TYPE_CHECKING:  # the engine module loads the store: only the runtime needs it
    from hmi.runtime.alarm_model import AlarmRecord

ANNUNCIATED = frozenset({AlarmState.UNACK, AlarmState.ACKED, AlarmState.RTN_UNACK})
"""States the operator is shown on the banner and in the active list (not hidden)."""
UNACKED = frozenset({AlarmState.UNACK, AlarmState.RTN_UNACK})


class AlarmReader(Protocol):
    """The engine's thread-safe read API (`hmi.runtime.alarms.AlarmEngine`)."""

    def active(self) -> list[AlarmRecord]: ...

    def counts(self) -> dict[int, int]: ...

    def horn_active(self) -> bool: ...


@dataclass(frozen=True)
class AlarmSnapshot:
    """Every alarm not in Normal (most urgent first), unacked counts, and the horn."""

    records: tuple[AlarmRecord, ...] = ()
    unacked: dict[int, int] = field(default_factory=dict)
    horn: bool = False

    @property
    def annunciated(self) -> list[AlarmRecord]:
        """Alarms in front of the operator: not shelved, suppressed or out of service."""
        return [r for r in self.records if r.state in ANNUNCIATED]

    def totals(self) -> dict[int, int]:
        """Annunciated alarms per priority 1..4 (acknowledged or not)."""
        out = dict.fromkeys(range(1, 5), 0)
        for r in self.annunciated:
            out[r.priority] = out.get(r.priority, 0) + 1
        return out


class AlarmFeed(QObject):
    """Polls an `AlarmReader` every `interval_ms` and emits `changed` on a difference."""

    changed = Signal(object)  # AlarmSnapshot

    def __init__(self, reader: AlarmReader, interval_ms: int = 100, parent: QObject | None = None):
        super().__init__(parent)
        self._reader = reader
        self.snapshot = AlarmSnapshot()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.CoarseTimer)
        self._timer.setInterval(max(10, interval_ms))
        self._timer.timeout.connect(self.refresh)

    def start(self) -> None:
        self.refresh()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @Slot()
    def refresh(self) -> None:
        """Read the engine now; emit `changed` if anything differs from the last read."""
        snap = AlarmSnapshot(
            tuple(self._reader.active()), self._reader.counts(), self._reader.horn_active()
        )
        if snap != self.snapshot:  # records are frozen dataclasses: compared by value
            self.snapshot = snap
            self.changed.emit(snap)
