"""The station's implementation of `hmi.plugin.ScreenContext`, one per screen.

Built-in system screens (diagnostics, later alarms and trends) need a little more
than plant screens: every frame rather than bound widgets, the whole tag table,
and figures of the connections. `StationScreenContext` offers these too, and
`RuntimeProbe` fetches the figures as copies made in the runtime thread, so no
GUI code ever reads an object the runtime is mutating.
"""

from __future__ import annotations

import concurrent.futures
import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hmi.config import PlantConfig, TagConfig
from hmi.drivers.base import ConnectionStats
from hmi.plugin import TagWidget
from hmi.tagvalue import TagValue

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from hmi.app.binder import Binder, ScreenBinding
    from hmi.app.bridge import RuntimeBridge, WriteCallback
    from hmi.runtime.host import RuntimeThread
    from hmi.store.history import HistoryReader

StatsFuture = concurrent.futures.Future[dict[str, ConnectionStats]]


@dataclass(frozen=True)
class StationAccess:
    """What system screens may reach beyond a plugin's narrow API, passed in as one
    bundle by the composition root (station.py): read-only looks into the runtime and
    the historian's query interface (None: live values only)."""

    probe: RuntimeProbe = field(default_factory=lambda: RuntimeProbe(None))
    history: HistoryReader | None = None


class RuntimeProbe:
    """Read-only looks into a running runtime, for system screens."""

    def __init__(self, host: RuntimeThread | None):
        self._host = host

    def connection_stats(self) -> StatsFuture:
        """A future of ``{connection: ConnectionStats}`` copied in the runtime thread.

        The copy is deep (a driver's stats hold dicts it keeps mutating), and the
        future completes in the runtime thread: never wait on it in the GUI thread.
        """
        if self._host is None:
            done: StatsFuture = concurrent.futures.Future()
            done.set_result({})
            return done
        runtime = self._host.runtime

        async def copy_stats() -> dict[str, ConnectionStats]:  # runs in the runtime loop
            return {name: copy.deepcopy(d.stats) for name, d in runtime.drivers.items()}

        return self._host.submit(copy_stats())


class StationScreenContext:
    """What one screen may do: look up tags, bind widgets, write through the runtime.

    Bindings land in the screen's own group, so they follow that screen's visibility.
    """

    def __init__(
        self,
        config: PlantConfig,
        lang: str,
        binder: Binder,
        group: ScreenBinding,
        bridge: RuntimeBridge,
        access: StationAccess | None = None,
    ):
        self._config = config
        self._lang = lang
        self._binder = binder
        self._group = group
        self._bridge = bridge
        self._access = access or StationAccess()
        self._probe = self._access.probe

    @property
    def config(self) -> PlantConfig:
        return self._config

    @property
    def lang(self) -> str:
        return self._lang

    def tag_config(self, name: str) -> TagConfig:
        return self._config.tag(name)

    def bind(self, widget: TagWidget, tag: str) -> None:
        self._binder.bind(self._group, widget, tag)

    def write(self, tag: str, value: Any, on_done: WriteCallback | None = None) -> None:
        self._bridge.write(tag, value, on_done)

    # -- for system screens ----------------------------------------------------------------

    @property
    def frames(self) -> SignalInstance:
        """The bridge's frame signal: ``{tag: TagValue}`` of what changed, per frame."""
        return self._bridge.frame

    @property
    def connection_changed(self) -> SignalInstance:
        """``(connection, state, detail)`` on every state change, on the GUI thread."""
        return self._bridge.connection_changed

    def tag_snapshot(self) -> dict[str, TagValue]:
        """The current value of every tag (a copy of immutable values)."""
        return self._bridge.snapshot()

    def connection_stats(self) -> StatsFuture:
        """See `RuntimeProbe.connection_stats`."""
        return self._probe.connection_stats()

    @property
    def history(self) -> HistoryReader | None:
        """The historian's query interface; call it off the GUI thread (a worker)."""
        return self._access.history
