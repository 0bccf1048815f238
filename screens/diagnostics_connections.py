"""The connections table: what each device link is doing, refreshed about once a second.

The figures are `ConnectionStats` snapshots deep-copied in the runtime thread (see
`hmi.app.context.RuntimeProbe`); the future's done-callback hands them to the GUI
thread by a queued signal. Nothing here reads a live runtime object, and nothing
waits: a refresh is skipped while the previous one is still on its way.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
    Slot,
)

from hmi.drivers.base import ConnectionStats
from screens.diagnostics_style import StatePalette

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex
StatsFetch = Callable[[], concurrent.futures.Future[dict[str, ConnectionStats]]]

(NAME, DRIVER, STATE, SINCE, ENDPOINT, CONNECTS, UPDATES, RATE, LATENCY, ERRORS, BY_KIND,
 LAST_ERROR) = range(12)  # fmt: skip
NUMERIC = (CONNECTS, UPDATES, RATE, LATENCY, ERRORS)


def column_titles() -> list[str]:
    return [
        QCoreApplication.translate("Diagnostics", "Connection"),
        QCoreApplication.translate("Diagnostics", "Driver"),
        QCoreApplication.translate("Diagnostics", "State"),
        QCoreApplication.translate("Diagnostics", "Since"),
        QCoreApplication.translate("Diagnostics", "Endpoint"),
        QCoreApplication.translate("Diagnostics", "Connects"),
        QCoreApplication.translate("Diagnostics", "Updates"),
        QCoreApplication.translate("Diagnostics", "Req/s"),
        QCoreApplication.translate("Diagnostics", "ms mean / max"),
        QCoreApplication.translate("Diagnostics", "Errors"),
        QCoreApplication.translate("Diagnostics", "By kind"),
        QCoreApplication.translate("Diagnostics", "Last error"),
    ]


def column_tips() -> dict[int, str]:
    """What the terse column titles mean, as header tooltips."""
    return {
        SINCE: QCoreApplication.translate("Diagnostics", "Time of the last state change"),
        CONNECTS: QCoreApplication.translate("Diagnostics", "Successful connects since start"),
        UPDATES: QCoreApplication.translate("Diagnostics", "Tag updates delivered since start"),
        RATE: QCoreApplication.translate("Diagnostics", "Requests per second (polled drivers)"),
        LATENCY: QCoreApplication.translate(
            "Diagnostics", "Response time in milliseconds: mean and maximum (polled drivers)"
        ),
        BY_KIND: QCoreApplication.translate("Diagnostics", "Errors by kind, most frequent first"),
    }


def state_word(state: str) -> str:
    """A connection state in the operator's language."""
    words = {
        "connected": QCoreApplication.translate("Diagnostics", "connected"),
        "connecting": QCoreApplication.translate("Diagnostics", "connecting"),
        "disconnected": QCoreApplication.translate("Diagnostics", "disconnected"),
        "stopped": QCoreApplication.translate("Diagnostics", "stopped"),
    }
    return words.get(state, state)


def since_text(ts: float, now: float | None = None) -> str:
    """When a state began: the time of day today, else date and time."""
    if not ts:
        return ""
    when = datetime.fromtimestamp(ts)
    today = datetime.fromtimestamp(time.time() if now is None else now).date()
    return when.strftime("%H:%M:%S" if when.date() == today else "%Y-%m-%d %H:%M")


def kinds_text(by_kind: Mapping[str, int]) -> str:
    """Errors by kind, most frequent first: "timeout 12, exception 2"."""
    return ", ".join(f"{k} {n}" for k, n in sorted(by_kind.items(), key=lambda kv: (-kv[1], kv[0])))


def row_texts(name: str, driver: str, stats: ConnectionStats | None) -> tuple[str, ...]:
    """One connection's row as displayed. Figures a driver does not keep stay blank."""
    if stats is None:
        return (name, driver, *[""] * (LAST_ERROR - DRIVER))
    rate = getattr(stats, "request_rate", None)
    mean = getattr(stats, "mean_response_ms", None)
    peak = getattr(stats, "max_response_ms", None)
    latency = "" if mean is None or peak is None else f"{mean:.1f} / {peak:.1f}"
    return (
        name,
        driver,
        stats.state.value,
        since_text(stats.last_change),
        stats.endpoint,
        str(stats.connects),
        str(stats.updates),
        "" if rate is None else f"{rate:.1f}",
        latency,
        str(stats.errors),
        kinds_text(getattr(stats, "errors_by_kind", {}) or {}),
        stats.last_error,
    )


class ConnectionTableModel(QAbstractTableModel):
    """One row per configured connection; `update()` takes a stats snapshot."""

    def __init__(
        self,
        connections: Sequence[tuple[str, str]],
        palette: StatePalette | None = None,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._rows = [row_texts(name, driver, None) for name, driver in connections]
        self._drivers = dict(connections)
        self._index = {name: i for i, (name, _driver) in enumerate(connections)}
        self._palette = palette
        self._titles = column_titles()
        self._tips = column_tips()
        self.updates_applied = 0

    def update(self, stats: Mapping[str, ConnectionStats]) -> None:
        """Show a snapshot; rows whose texts did not change emit nothing."""
        self.updates_applied += 1
        for name, st in stats.items():
            row = self._index.get(name)
            if row is None:
                continue
            texts = row_texts(name, self._drivers[name], st)
            if texts != self._rows[row]:
                self._rows[row] = texts
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(texts) - 1))

    def state_of(self, name: str) -> str:
        """The state shown for connection `name` ("" before the first snapshot)."""
        return self._rows[self._index[name]][STATE]

    def text(self, name: str, column: int) -> str:
        return self._rows[self._index[name]][column]

    # -- QAbstractTableModel -----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 — Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._titles)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._titles[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tips.get(section)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row, col = index.row(), index.column()
        texts = self._rows[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return state_word(texts[STATE]) if col == STATE else texts[col]
        if role == Qt.ItemDataRole.ToolTipRole and col in (LAST_ERROR, BY_KIND, ENDPOINT):
            return texts[col] or None
        if role == Qt.ItemDataRole.TextAlignmentRole and col in NUMERIC:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if col == STATE and self._palette is not None:
            style = self._palette.connection(texts[STATE])
            if style is None:
                return None
            if role == Qt.ItemDataRole.ForegroundRole:
                return style.foreground
            if role == Qt.ItemDataRole.BackgroundRole:
                return style.background
            if role == Qt.ItemDataRole.FontRole:
                return style.font
        return None


class StatsPoller(QObject):
    """Asks for a stats snapshot every `interval_ms` while running, and on demand.

    `ready` carries ``{connection: ConnectionStats}`` on the GUI thread.
    """

    ready = Signal(object)
    _arrived = Signal(object)  # emitted in the runtime thread, queued to this object's thread

    def __init__(self, fetch: StatsFetch, interval_ms: int = 1000, parent: QObject | None = None):
        super().__init__(parent)
        self._fetch = fetch
        self._pending: concurrent.futures.Future | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.refresh)
        self._arrived.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def start(self) -> None:
        self._timer.start()
        self.refresh()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    @Slot()
    def refresh(self) -> None:
        """Request a snapshot now, unless one is already on its way."""
        if self._pending is not None and not self._pending.done():
            return
        self._pending = future = self._fetch()
        future.add_done_callback(self._on_done)

    def _on_done(self, future: concurrent.futures.Future) -> None:
        # Runs in the runtime thread (or right here if the future was already done).
        with contextlib.suppress(RuntimeError):  # the screen went away: nobody to tell
            self._arrived.emit(future)

    @Slot(object)
    def _deliver(self, future: concurrent.futures.Future) -> None:
        try:
            stats = future.result(timeout=0)
        except Exception:
            log.exception("connection statistics could not be read")
            return
        self.ready.emit(stats)
