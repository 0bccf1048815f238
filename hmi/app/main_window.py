"""The main window: header, navigation, lazily built screens, alarm-banner footer.

Screens come from plugins, then the station's built-in system screens (passed in by
the composition root, `station.py`: this module never imports `screens`), as
factories; a factory is called the first time its screen is shown, so start-up cost
does not grow with the number of screens (the Taurus/PyDM complaint). A factory that
raises leaves an error panel in place of its screen; the rest of the station runs on.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from hmi.app.binder import Binder
from hmi.app.bridge import RuntimeBridge
from hmi.app.context import StationAccess, StationScreenContext
from hmi.app.error_panel import ErrorPanel
from hmi.app.header import Header
from hmi.app.navigation import NavBar
from hmi.app.plugins import LoadedPlugin
from hmi.config import PlantConfig
from hmi.plugin import ScreenContext, ScreenSpec

log = logging.getLogger(__name__)

Factory = Callable[[ScreenContext], QWidget]


@dataclass
class ScreenEntry:
    """A screen the navigation offers; `widget` is None until it is first shown."""

    key: str
    title: str
    factory: Factory
    widget: QWidget | None = None


def plugin_screens(plugins: Sequence[LoadedPlugin], lang: str) -> list[ScreenEntry]:
    """The screens the plugins offer, in order, none built. A refused plugin offers one
    error screen named after it; a screen name taken twice is qualified by its plugin."""
    entries: dict[str, ScreenEntry] = {}
    for loaded in plugins:
        if loaded.plugin is None:
            title = QCoreApplication.translate("MainWindow", "{plugin} (error)").format(
                plugin=loaded.name
            )
            entries[loaded.name] = ScreenEntry(loaded.name, title, _error_factory(loaded))
            continue
        for spec in loaded.plugin.screens:
            key = spec.name if spec.name not in entries else f"{loaded.name}.{spec.name}"
            entries[key] = ScreenEntry(key, spec.title_for(lang), spec.factory)
    return list(entries.values())


def station_screens(
    plugins: Sequence[LoadedPlugin], builtin: Sequence[ScreenSpec], lang: str
) -> list[ScreenEntry]:
    """The plugin screens, then the built-in ones; a built-in screen whose name a plugin
    already took is offered as ``system.<name>``."""
    entries = plugin_screens(plugins, lang)
    taken = {e.key for e in entries}
    for spec in builtin:
        key = spec.name if spec.name not in taken else f"system.{spec.name}"
        taken.add(key)
        entries.append(ScreenEntry(key, spec.title_for(lang), spec.factory))
    return entries


def _error_factory(loaded: LoadedPlugin) -> Factory:
    def build(_ctx: ScreenContext) -> QWidget:
        title = QCoreApplication.translate("MainWindow", "Plugin not loaded")
        return ErrorPanel(title, loaded.error, loaded.details)

    return build


class MainWindow(QMainWindow):
    """The station's one window. Owns no I/O: data arrives as bridge frames."""

    def __init__(
        self,
        config: PlantConfig,
        lang: str,
        bridge: RuntimeBridge,
        plugins: Sequence[LoadedPlugin] = (),
        builtin: Sequence[ScreenSpec] = (),
        access: StationAccess | None = None,
    ):
        super().__init__()
        self.config = config
        self.lang = lang
        self.bridge = bridge
        self.access = access
        self.binder = Binder(config.tag_index, bridge.snapshot)
        self.screens: dict[str, ScreenEntry] = {}
        self._current = ""

        plant = config.plant.title.get(lang)
        self.setWindowTitle(
            QCoreApplication.translate("MainWindow", "Pro4 HMI — {plant}").format(plant=plant)
        )

        self.header = Header(plant, [c.name for c in config.connections])
        self.nav = NavBar()
        self.nav.selected.connect(self.show_screen)
        self.stack = QStackedWidget(objectName="screenStack")
        self.footer, self.alarm_banner = self._make_footer()

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        for part in (self.header, self.nav):
            layout.addWidget(part)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.footer)
        self.setCentralWidget(central)

        for name, state in bridge.connection_states().items():
            self.header.set_connection_state(name, str(state.value))
        bridge.connection_changed.connect(self.header.set_connection_state)
        bridge.frame.connect(self.binder.on_frame)

        for entry in station_screens(plugins, builtin, lang):
            self.add_screen(entry.key, entry.title, entry.factory)

        self._fullscreen_key = QShortcut(QKeySequence(Qt.Key.Key_F11), self)
        self._fullscreen_key.activated.connect(self.toggle_fullscreen)

        if self.screens:
            self.show_screen(next(iter(self.screens)))

    # -- screens --------------------------------------------------------------------------

    def add_screen(self, key: str, title: str, factory: Factory) -> None:
        """Offer a screen in the navigation; `factory` runs when it is first shown."""
        if key in self.screens:
            raise ValueError(f"a screen named '{key}' already exists")
        self.screens[key] = ScreenEntry(key, title, factory)
        self.nav.add(key, title)

    def screen_names(self) -> list[str]:
        return list(self.screens)

    @property
    def current_screen(self) -> str:
        return self._current

    def is_built(self, key: str) -> bool:
        return self.screens[key].widget is not None

    def show_screen(self, key: str) -> QWidget:
        """Bring screen `key` to the front, building it first if needed; KeyError if unknown."""
        entry = self.screens.get(key)
        if entry is None:
            raise KeyError(f"no screen named '{key}' (available: {', '.join(self.screens)})")
        if entry.widget is None:
            entry.widget = self._build(entry)
            self.stack.addWidget(entry.widget)
        self.stack.setCurrentWidget(entry.widget)
        self.nav.set_current(key)
        self._current = key
        return entry.widget

    def _build(self, entry: ScreenEntry) -> QWidget:
        group = self.binder.screen(entry.key)
        ctx = StationScreenContext(
            self.config, self.lang, self.binder, group, self.bridge, self.access
        )
        try:
            widget = entry.factory(ctx)
            if not isinstance(widget, QWidget):
                raise TypeError(f"screen factory returned {type(widget).__name__}, not a QWidget")
        except Exception as exc:
            log.exception("screen '%s' failed to build", entry.key)
            message = QCoreApplication.translate(
                "MainWindow", "The screen '{screen}' could not be built: {error}"
            ).format(screen=entry.title, error=f"{type(exc).__name__}: {exc}")
            widget = ErrorPanel(
                QCoreApplication.translate("MainWindow", "Screen not available"),
                message,
                traceback.format_exc(),
            )
        group.attach(widget)
        return widget

    # -- frame parts ----------------------------------------------------------------------

    def _make_footer(self) -> tuple[QWidget, QLabel]:
        footer = QWidget(objectName="footer")
        footer.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        footer.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        footer.setMinimumHeight(48)
        row = QHBoxLayout(footer)
        row.setContentsMargins(8, 4, 8, 4)
        banner = QLabel(
            QCoreApplication.translate("MainWindow", "No active alarms"), objectName="alarmBanner"
        )
        banner.setProperty("alarmActive", "false")
        row.addWidget(banner, 1)
        return footer, banner

    def toggle_fullscreen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()
