"""Assembling a station: Qt application, theme, fonts, translations, runtime, window.

Shared by `hmi run`/`hmi demo` (launch.py) and `hmi screenshot` (screenshot.py), so
the screenshot shows exactly what an operator would see.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from hmi.app.alarm_banner import AlarmBanner
from hmi.app.alarm_client import AlarmClient
from hmi.app.alarm_feed import AlarmFeed
from hmi.app.bridge import RuntimeBridge
from hmi.app.context import RuntimeProbe, StationAccess, StationStatus
from hmi.app.fonts import setup_fonts
from hmi.app.horn import Horn
from hmi.app.i18n import install_translations
from hmi.app.login import SessionControls
from hmi.app.main_window import MainWindow
from hmi.app.plugins import LoadedPlugin, load_plugins
from hmi.app.session_ui import SessionUi
from hmi.app.theme import apply_theme
from hmi.config import PlantConfig
from hmi.drivers import make_driver
from hmi.plugin import ScreenSpec

if TYPE_CHECKING:
    from PySide6.QtCore import QTranslator

    from hmi.runtime.engine import DriverFactory
    from hmi.runtime.oee_commands import OeeAccess

NO_DISPLAY_MESSAGE = (
    "no display: run under a desktop, or `xvfb-run -a hmi demo`, or set QT_QPA_PLATFORM=offscreen"
)

log = logging.getLogger(__name__)


def display_problem() -> str | None:
    """Why Qt could not open a window here, or None. Checked before QApplication exists,
    because Qt's own answer to a missing display is an abort with a cryptic message."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return None
    if sys.platform.startswith(("win", "darwin")):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return NO_DISPLAY_MESSAGE


def default_builtin_screens() -> list[ScreenSpec]:
    """The station's own system screens (diagnostics, …). The composition root is the one
    place in `hmi.app` that reaches up to `screens`; nothing else here imports it."""
    from screens import builtin_screens

    return builtin_screens()


class GuiSession:
    """The QApplication with theme, fonts and the translators of app, widgets and plugins.

    `plugins=None` discovers the installed plugins and offers the built-in screens too;
    an explicit `plugins` list (tests, embedding) offers only `builtin` next to it.
    """

    def __init__(
        self,
        lang: str,
        plugins: Sequence[LoadedPlugin] | None = None,
        builtin: Sequence[ScreenSpec] | None = None,
        plugin_paths: Sequence[Path] = (),  # folders of plugin packages (--plugin-path)
    ):
        existing = QApplication.instance()
        self.app: QApplication = existing or QApplication([sys.argv[0] if sys.argv else "hmi"])
        self.app.setApplicationName("Pro4 HMI")
        self.lang = lang
        setup_fonts(self.app, lang)
        apply_theme(self.app)
        self.plugin_paths = list(plugin_paths)
        self.plugins = list(load_plugins(paths=plugin_paths) if plugins is None else plugins)
        if builtin is None:
            builtin = default_builtin_screens() if plugins is None else ()
        self.builtin: list[ScreenSpec] = list(builtin)
        dirs = [p.translations_dir for p in self.plugins if p.translations_dir]
        self.translators: list[QTranslator] = install_translations(self.app, lang, dirs)

    def close(self) -> None:
        for translator in self.translators:
            self.app.removeTranslator(translator)
        self.translators.clear()


class Station:
    """Plant services in their runtime thread + bridge + main window on one config.

    `db_url` is the event/history database (None: the default file in the user data
    directory). close() stops everything in order: bridge, the screens' background
    queries, runtime, store, window.
    """

    def __init__(
        self,
        config: PlantConfig,
        session: GuiSession,
        driver_factory: DriverFactory = make_driver,
        db_url: str | None = None,
    ):
        # The runtime, store and OEE modules load here, not when the GUI's modules do.
        from hmi.runtime.host import RuntimeThread
        from hmi.runtime.services import PlantServices
        from hmi.store.history import HistoryReader

        self.services = PlantServices(config, db_url, driver_factory=driver_factory)
        self.runtime = self.services.runtime
        self.host = RuntimeThread(self.runtime, lifecycle=self.services)
        self.bridge = RuntimeBridge(self.host, config.display.frame_rate_hz)
        self.runtime.add_listener(self.bridge)  # before the loop runs: no race on the list
        services = self.services
        self.alarm_feed = AlarmFeed(services.alarms, self.bridge.interval_ms)
        self.alarms = AlarmClient(
            config, services.alarms, services.alarm_commands, self.host,
            services.store.engine, self.alarm_feed,
        )  # fmt: skip
        self.session_ui = SessionUi(services.runtime.commands, self.host)  # who is logged in
        self.window = MainWindow(
            config,
            session.lang,
            self.bridge,
            session.plugins,
            session.builtin,
            StationAccess(
                RuntimeProbe(self.host, self._station_status),
                HistoryReader(services.store.engine),
                self.alarms,
                security=self.session_ui,
                plugin_failed=self.journal_plugin_failure,
                oee=self._oee_access(),
            ),
        )
        # Log in/out from the header; critical writes ask for a second signature.
        self.session_controls = SessionControls(self.session_ui, self.window.header, self.window)
        self.bridge.set_approval_prompt(self.session_controls.ask_approver)
        self.window.set_alarm_banner(AlarmBanner(self.alarms, session.lang))
        self.horn = Horn()
        self.alarm_feed.changed.connect(lambda snap: self.horn.set_active(snap.horn))
        self.alarm_feed.changed.connect(self.window.binder.on_alarms)  # widgets' alarm marks
        self.host.start()
        self.bridge.start()
        self.alarm_feed.start()

    def _station_status(self) -> StationStatus:
        services = self.services
        recorder = services.recorder
        return StationStatus(
            station=services.station,
            database=services.store.engine.url.render_as_string(hide_password=True),
            recording=recorder.recording,
            recorder=None if recorder.recording else recorder.lease.holder(),
            trouble=recorder.lease.trouble if recorder.recording else None,
        )

    def journal_plugin_failure(self, plugin: str, message: str, details: str = "") -> None:
        """Journal a plugin's load/build/update failure as a `plugin_failed` system event
        (the traceback's last lines in `details`, for the engineer reading the journal)."""
        from hmi.store.events import Event, EventKind, SystemEvent

        tail = "\n".join(details.strip().splitlines()[-6:]) if details else ""
        self.services.journal.record(
            Event(
                EventKind.SYSTEM, SystemEvent.PLUGIN_FAILED, source=plugin, message=message,
                details={"traceback": tail} if tail else None,
            )
        )  # fmt: skip

    def _oee_access(self) -> OeeAccess:
        """The OEE screens' access; OeeCommands moves to PlantServices once it has one."""
        from hmi.runtime.oee_commands import OeeAccess, OeeCommands

        services = self.services
        commands = getattr(services, "oee_commands", None) or OeeCommands(
            services.runtime.commands, services.oee_store
        )
        return OeeAccess(
            services.config, services.oee_store, services.oee, commands, self.host.submit
        )

    def close(self) -> None:
        self.window.faceplates.close_all()
        self.session_ui.close()
        self.alarm_feed.stop()
        self.horn.close()
        self.bridge.stop()
        if not self.window.stop_screens():
            log.warning("a screen's background query was still running at shutdown")
        try:
            self.host.stop()
        finally:
            self.services.close()
            self.window.close()


@contextlib.contextmanager
def quit_on_sigint(app: QApplication) -> Iterator[None]:
    """Let Ctrl+C (and a service manager's SIGTERM) end the Qt loop, so the station stops
    in order and journals its stop. Python handlers only run when Python code runs."""
    stops = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.signal(sig, lambda *_: app.quit()) for sig in stops}
    wakeup = QTimer()
    wakeup.timeout.connect(lambda: None)
    wakeup.start(250)
    try:
        yield
    finally:
        wakeup.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
