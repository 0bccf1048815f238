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
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from hmi.config import PlantConfig, TagConfig
from hmi.drivers.base import ConnectionStats
from hmi.plugin import TagWidget
from hmi.tagvalue import TagValue

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QWidget

    from hmi.app.alarm_client import ActionCallback, AlarmClient
    from hmi.app.alarm_feed import AlarmSnapshot
    from hmi.app.binder import Binder, ScreenBinding
    from hmi.app.bridge import RuntimeBridge, WriteCallback
    from hmi.app.session_ui import SessionUi
    from hmi.runtime.alarm_model import AlarmRecord
    from hmi.runtime.host import RuntimeThread
    from hmi.runtime.oee_commands import OeeAccess
    from hmi.store.history import HistoryReader

log = logging.getLogger(__name__)
StatsFuture = concurrent.futures.Future[dict[str, ConnectionStats]]


@dataclass(frozen=True)
class StationAccess:
    """What system screens may reach beyond a plugin's narrow API, passed in as one
    bundle by the composition root (station.py): read-only looks into the runtime and
    the historian's query interface (None: live values only), and the alarms (read API,
    non-blocking commands, the event store) for the alarm screens."""

    probe: RuntimeProbe = field(default_factory=lambda: RuntimeProbe(None))
    history: HistoryReader | None = None
    alarms: AlarmClient | None = None
    security: SessionUi | None = None  # the session mirror (None: open, as the station)
    plugin_failed: Callable[[str, str, str], None] | None = None
    """``(plugin, message, details)``: journal a plugin's load/build/update failure."""
    oee: OeeAccess | None = None
    """The OEE screens' store, live tracker view and reason-code command (None: no OEE)."""


@dataclass(frozen=True)
class StationStatus:
    """Who this station is and what it records, for the diagnostics screen's header."""

    station: str
    database: str  # the URL without its password
    recording: bool  # this station records plant-wide history and OEE
    recorder: str | None  # the station that does, when another one (None: unknown)
    trouble: str | None = None  # recording, but its writes wait (e.g. database unreachable)


class RuntimeProbe:
    """Read-only looks into a running runtime, for system screens.

    `status` answers without I/O (the recorder lease refreshes its view in its own
    thread), so the GUI may call `station_status()` on a timer."""

    def __init__(
        self, host: RuntimeThread | None, status: Callable[[], StationStatus] | None = None
    ):
        self._host = host
        self._status = status

    def station_status(self) -> StationStatus | None:
        """Station, database and recorder role; None outside a station (tests)."""
        return self._status() if self._status is not None else None

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
        *,
        params: Mapping[str, Any] | None = None,
        navigator: Navigator | None = None,
    ):
        self._params: Mapping[str, Any] = dict(params or {})
        self._navigator = navigator
        self._config = config
        self._lang = lang
        self._binder = binder
        self._group = group
        self._bridge = bridge
        self._access = access or StationAccess()
        self._probe = self._access.probe
        self._session = self._access.security or _unsecured_session()

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
        self._give_actions(widget, tag)
        self._wire_faceplate(widget, tag)

    def _give_actions(self, widget: Any, tag: str) -> None:
        """A bound widget with a tag menu (trend, alarm history, faceplate) that its screen
        gave no actions gets the station's, and the template instance its tag belongs
        to: every value on every screen offers "Trend this tag" without screen code."""
        actions = self.actions
        target = getattr(widget, "core", widget)  # library widgets keep them in a core
        if actions is None or not hasattr(target, "actions") or target.actions is not None:
            return
        target.actions = actions
        if hasattr(target, "instance") and not target.instance and not hasattr(widget, "clicked"):
            target.instance = next(
                (name for name, inst in self._config.instances.items()
                 if tag in inst.members.values()),
                "",
            )  # fmt: skip

    def _wire_faceplate(self, widget: Any, tag: str) -> None:
        """A symbol with an instance (`widgets.Symbol`: ``clicked(instance)``) opens that
        instance's faceplate when clicked, on every screen, without screen code."""
        clicked = getattr(widget, "clicked", None)
        instance = getattr(widget, "instance", "")
        if not instance or instance == tag or self._navigator is None or clicked is None:
            return
        if widget.property("faceplateWired") or not hasattr(clicked, "connect"):
            return
        widget.setProperty("faceplateWired", True)
        clicked.connect(self._navigator.open_faceplate_for)

    def write(self, tag: str, value: Any, on_done: WriteCallback | None = None) -> None:
        self._bridge.write(tag, value, on_done)

    # -- plugin API: parameters, navigation, faceplates, .ui (hmi/plugin.py) ----------------

    @property
    def params(self) -> Mapping[str, Any]:
        return self._params

    def members(self, instance: str) -> dict[str, TagConfig]:
        prefix = f"{instance}."
        return {
            name[len(prefix) :]: tag
            for name, tag in self._config.tag_index.items()
            if name.startswith(prefix)
        }

    def open_screen(self, name: str, **params: Any) -> None:
        if self._navigator is None:
            raise RuntimeError("this screen was built without a station to navigate in")
        self._navigator.open_screen(name, **params)

    def open_faceplate(self, name: str, **params: Any) -> None:
        if self._navigator is None:
            raise RuntimeError("this screen was built without a station to open faceplates")
        self._navigator.open_faceplate(name, **params)

    def load_ui(self, path: str | Path) -> QWidget:
        from hmi.app.ui_loader import load_ui

        return load_ui(path, self)

    @property
    def actions(self) -> NavigatorActions | None:
        """The context-menu / symbol-click actions (`widgets.TagActions`); None without a
        station to open screens in."""
        return NavigatorActions(self._navigator) if self._navigator is not None else None

    def alarm_view(
        self, area: str | None = None, prefix: str | None = None, parent: QObject | None = None
    ) -> StationAlarmView:
        """See `hmi.plugin.ScreenContext.alarm_view` (empty without the station's alarms)."""
        return StationAlarmView(self._access.alarms, area, prefix, parent)

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

    def station_status(self) -> StationStatus | None:
        """See `RuntimeProbe.station_status`."""
        return self._probe.station_status()

    @property
    def history(self) -> HistoryReader | None:
        """The historian's query interface; call it off the GUI thread (a worker)."""
        return self._access.history

    @property
    def alarms(self) -> AlarmClient | None:
        """The alarms: engine read API, commands via the runtime, the journal's database."""
        return self._access.alarms

    @property
    def oee(self) -> OeeAccess | None:
        """OEE: the store (read it off the GUI thread), live view, reason-code command."""
        return self._access.oee

    # -- security (plugin API: can_write, session_changed) ---------------------------------

    def can_write(self, tag: str) -> bool:
        """See `hmi.plugin.ScreenContext.can_write`."""
        return self._session.can_write(tag)

    @property
    def session_changed(self) -> SignalInstance:
        """See `hmi.plugin.ScreenContext.session_changed`."""
        return self._session.changed

    @property
    def security(self) -> SessionUi:
        """The session mirror: identity, `allows(permission, …)`, the audit trail."""
        return self._session


class Navigator(Protocol):
    """What opens screens and faceplates for a screen (the main window)."""

    def open_screen(self, name: str, **params: Any) -> Any: ...

    def open_faceplate(self, name: str, **params: Any) -> Any: ...

    def open_faceplate_for(self, instance: str) -> Any: ...


class NavigatorActions:
    """`widgets.TagActions` on a navigator: a widget's menu entries and a symbol's
    ``clicked(instance)`` open the trend, the alarm history and the faceplate."""

    def __init__(self, navigator: Navigator):
        self._nav = navigator

    def trend(self, tag: str) -> None:
        self._open("trends", tag=tag)

    def alarm_history(self, tag: str) -> None:
        self._open("alarm_history", tag=tag)

    def faceplate(self, instance: str) -> None:
        self._nav.open_faceplate_for(instance)

    def _open(self, screen: str, **params: Any) -> None:
        try:
            self._nav.open_screen(screen, **params)
        except KeyError:  # a station without that screen: the menu entry does nothing
            log.warning("no screen '%s' to open for %s", screen, params)


def _unsecured_session() -> SessionUi:
    """The session of a window built without one (tests of single screens): open."""
    from hmi.app.session_ui import SessionUi

    return SessionUi.unsecured()


# -- plugin API: an area's alarms (hmi.plugin.AlarmView) --------------------------------------


class StationAlarmView(QObject):
    """`hmi.plugin.AlarmView` on the station's `AlarmClient`: the feed's annunciated
    alarms of one area / tag prefix. `changed` fires only when THOSE differ, so a list of
    the Painting line does not redraw for every Welding alarm. Without a client (a test
    context, `ScreenHarness`) it is empty and an ack reports an error."""

    changed = Signal()

    def __init__(
        self,
        client: AlarmClient | None,
        area: str | None = None,
        prefix: str | None = None,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._client = client
        self.area = area or None
        self.prefix = prefix or None
        self._last: tuple[AlarmRecord, ...] = ()
        if client is not None:
            self._last = self._select(client.feed.snapshot)
            client.feed.changed.connect(self._on_snapshot)

    def records(self) -> list[AlarmRecord]:
        return list(self._last)

    def ack(
        self,
        ids: Iterable[str],
        comment: str | None = None,
        on_done: ActionCallback | None = None,
    ) -> None:
        if self._client is not None:
            self._client.ack(ids, comment, on_done)
            return
        from hmi.app.alarm_client import ActionResult

        if on_done is not None:  # later, as the station's would: callers never re-enter
            result = ActionResult("ack", "error", "this station has no alarms")
            QTimer.singleShot(0, self, lambda: on_done(result))

    def _on_snapshot(self, snapshot: AlarmSnapshot) -> None:
        mine = self._select(snapshot)
        if mine != self._last:
            self._last = mine
            self.changed.emit()

    def _select(self, snapshot: AlarmSnapshot) -> tuple[AlarmRecord, ...]:
        """Matching annunciated alarms: priority, then unacknowledged first, then newest."""
        mine = [
            r
            for r in snapshot.annunciated
            if (self.area is None or r.area == self.area)
            and (self.prefix is None or r.tag.startswith(self.prefix))
        ]
        mine.sort(key=lambda r: (r.priority, not r.unacked, -r.activated_at, r.alarm_id))
        return tuple(mine)
