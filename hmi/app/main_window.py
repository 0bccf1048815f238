"""The main window: header, navigation, lazily built screens, alarm-banner footer.

Screens come from plugins, then the station's built-in system screens (passed in by
the composition root, `station.py`: this module never imports `screens`), as
factories; a factory is called the first time its screen is shown, so start-up cost
does not grow with the number of screens (the Taurus/PyDM complaint). A factory that
raises leaves an error panel in place of its screen; the rest of the station runs on.

Plugin isolation: a plugin that failed to load, a screen that failed to build and a
screen whose widget raised while updating each show an error panel in place of that
screen and are reported once through ``StationAccess.plugin_failed`` (the station
journals a ``plugin_failed`` system event). Faceplate popups (hmi/app/faceplate.py)
and parameterised screens (`open_screen(name, **params)`) are built on demand the
same way; `hmi run --dev` rebuilds a plugin's screens in place (`reload_plugin`).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QThreadPool
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
from hmi.app.faceplate import Faceplates, FaceplateWindow, faceplate_key
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
    plugin: str = ""  # the plugin that offers it ("" for the station's own screens)
    params: dict[str, Any] = field(default_factory=dict)  # for open_screen(name, **params)
    base: str = ""  # the screen a parameterised entry is an instance of
    level: int = 1  # ISA-101 display level: 4 (system/detail) goes in the System menu


SYSTEM_MENU_LEVEL = 4
"""Displays at this ISA-101 level or below are reached through the System menu."""


def plugin_screens(plugins: Sequence[LoadedPlugin], lang: str) -> list[ScreenEntry]:
    """The screens the plugins offer, in order, none built. A refused plugin offers one
    error screen named after it; a screen name taken twice is qualified by its plugin."""
    entries: dict[str, ScreenEntry] = {}
    for loaded in plugins:
        if loaded.plugin is None:
            title = QCoreApplication.translate("MainWindow", "{plugin} (error)").format(
                plugin=loaded.name
            )
            entries[loaded.name] = ScreenEntry(
                loaded.name, title, _error_factory(loaded), plugin=loaded.name
            )
            continue
        for spec in loaded.plugin.screens:
            key = spec.name if spec.name not in entries else f"{loaded.name}.{spec.name}"
            entries[key] = ScreenEntry(
                key, spec.title_for(lang), spec.factory, plugin=loaded.name, level=spec.level
            )
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
        entries.append(ScreenEntry(key, spec.title_for(lang), spec.factory, level=spec.level))
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
        self.plugins = list(plugins)
        self.faceplates = Faceplates(
            self.binder, self._faceplate_context, lang, self, self._report_failure
        )
        for loaded in self.plugins:
            self._register_faceplates(loaded)

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
            self.add_screen(entry.key, entry.title, entry.factory, entry.level)
            self.screens[entry.key].plugin = entry.plugin
        for loaded in self.plugins:
            if not loaded.ok:
                self._report_failure(loaded.name, loaded.error, loaded.details)

        self._fullscreen_key = QShortcut(QKeySequence(Qt.Key.Key_F11), self)
        self._fullscreen_key.activated.connect(self.toggle_fullscreen)

        if self.screens:
            self.show_screen(next(iter(self.screens)))

    # -- screens --------------------------------------------------------------------------

    def add_screen(self, key: str, title: str, factory: Factory, level: int = 1) -> None:
        """Offer a screen in the navigation; `factory` runs when it is first shown.
        Level-4 (system and detail) displays go in the bar's System menu."""
        if key in self.screens:
            raise ValueError(f"a screen named '{key}' already exists")
        self.screens[key] = ScreenEntry(key, title, factory, level=level)
        self.nav.add(key, title, in_menu=level >= SYSTEM_MENU_LEVEL)

    def screen_names(self) -> list[str]:
        return list(self.screens)

    @property
    def current_screen(self) -> str:
        return self._current

    def stop_screens(self, timeout_ms: int = 10_000) -> bool:
        """Close every built screen (its closeEvent stops its loaders) and wait for the
        thread pools the screens own: at shutdown nothing may still read the store
        after it closes. False if some job did not finish within `timeout_ms`."""
        for i in range(self.stack.count()):
            self.stack.widget(i).close()
        done = True
        for pool in self.stack.findChildren(QThreadPool):
            pool.clear()  # queued, not started: dropped
            done = pool.waitForDone(timeout_ms) and done
        return done

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
        self.nav.set_current(entry.base or key)
        self._current = key
        return entry.widget

    def _build(self, entry: ScreenEntry) -> QWidget:
        group = self.binder.screen(entry.key)
        ctx = StationScreenContext(
            self.config, self.lang, self.binder, group, self.bridge, self.access,
            params=entry.params, navigator=self,
        )  # fmt: skip
        try:
            widget = entry.factory(ctx)
            if not isinstance(widget, QWidget):
                raise TypeError(f"screen factory returned {type(widget).__name__}, not a QWidget")
        except Exception as exc:
            log.exception("screen '%s' failed to build", entry.key)
            message = QCoreApplication.translate(
                "MainWindow", "The screen '{screen}' could not be built: {error}"
            ).format(screen=entry.title, error=f"{type(exc).__name__}: {exc}")
            self.binder.drop(group)  # what it bound before raising is never fed
            details = traceback.format_exc()
            self._report_failure(entry.plugin or "station", message, details)
            return self._error_panel(message, details)
        group.on_failure = lambda message, details: self._update_failed(entry, message, details)
        group.attach(widget)
        return widget

    @staticmethod
    def _error_panel(message: str, details: str) -> ErrorPanel:
        title = QCoreApplication.translate("MainWindow", "Screen not available")
        return ErrorPanel(title, message, details)

    def _update_failed(self, entry: ScreenEntry, message: str, details: str) -> None:
        """A widget of `entry` raised while updating: its screen becomes an error panel."""
        self._report_failure(entry.plugin or "station", message, details)
        self._replace_widget(entry, self._error_panel(message, details))

    def _replace_widget(self, entry: ScreenEntry, widget: QWidget) -> None:
        """Put `widget` in place of `entry`'s built widget, at the same place in the stack."""
        old = entry.widget
        entry.widget = widget
        if old is None:
            return
        index = self.stack.indexOf(old)
        current = self.stack.currentWidget() is old
        self.stack.insertWidget(index, widget)
        if current:
            self.stack.setCurrentWidget(widget)
        self.stack.removeWidget(old)
        old.deleteLater()

    def rebuild_screen(self, key: str) -> None:
        """Build screen `key` again from its (possibly new) factory, in place; a screen
        not built yet stays lazy."""
        entry = self.screens[key]
        if entry.widget is None:
            return
        old_group = self.binder.screen(entry.key)
        self.binder.drop(old_group)
        old_group.on_failure = None
        self._replace_widget(entry, self._build(entry))

    # -- parameterised screens and faceplates (the plugin API's navigation) ------------------

    def open_screen(self, name: str, **params: Any) -> QWidget:
        """Show screen `name`; with `params`, a separate instance of it built with them
        (kept, so opening it again is instant). KeyError if there is no such screen."""
        if not params:
            return self.show_screen(name)
        base = self.screens.get(name)
        if base is None:
            raise KeyError(f"no screen named '{name}' (available: {', '.join(self.screens)})")
        key = faceplate_key(name, params)
        if key not in self.screens:
            self.screens[key] = ScreenEntry(
                key, base.title, base.factory, plugin=base.plugin, params=dict(params), base=name
            )
        return self.show_screen(key)

    def open_faceplate(self, name: str, **params: Any) -> FaceplateWindow:
        """Open faceplate `name` for `params` as a popup (see hmi/app/faceplate.py)."""
        return self.faceplates.open(name, **params)

    def open_faceplate_for(self, instance: str) -> FaceplateWindow | None:
        """Open the faceplate that fits template instance `instance` (a symbol's click)."""
        name = self.faceplates.for_instance(instance, self._template_of(instance))
        if name is None:
            log.warning("no faceplate to open for %s", instance)
            return None
        return self.faceplates.open(name, instance=instance)

    def _template_of(self, instance: str) -> str | None:
        """The tag template `instance` was made from (config [[instances]]), if any."""
        found = self.config.instances.get(instance)
        return found.template if found is not None else None

    def _faceplate_context(self, group: Any, params: dict[str, Any]) -> StationScreenContext:
        return StationScreenContext(
            self.config, self.lang, self.binder, group, self.bridge, self.access,
            params=params, navigator=self,
        )  # fmt: skip

    def _register_faceplates(self, loaded: LoadedPlugin) -> None:
        if loaded.plugin is not None:
            for spec in loaded.plugin.faceplates:
                self.faceplates.register(loaded.name, spec)

    # -- plugins: failures and reload -----------------------------------------------------

    def _report_failure(self, plugin: str, message: str, details: str = "") -> None:
        report = getattr(self.access, "plugin_failed", None) if self.access else None
        if report is None:
            return
        try:
            report(plugin, message, details)
        except Exception:
            log.exception("could not report the failure of plugin %s", plugin)

    def reload_plugin(self, loaded: LoadedPlugin) -> list[str]:
        """Take `loaded` (a plugin loaded again after an edit) in place of the plugin of the
        same name: its screens get the new factories and the built ones are rebuilt where
        they stand; open faceplates of it are rebuilt too. Returns the rebuilt keys.
        Screens the new version no longer has keep their last widget until restart."""
        self.plugins = [loaded if p.name == loaded.name else p for p in self.plugins]
        if not loaded.ok:
            self._report_failure(loaded.name, loaded.error, loaded.details)
            new_entries = {loaded.name: _error_factory(loaded)}
        else:
            new_entries = {spec.name: spec.factory for spec in loaded.plugin.screens}
            self._register_faceplates(loaded)
        rebuilt: list[str] = []
        for key, entry in list(self.screens.items()):
            if entry.plugin != loaded.name:
                continue
            name = entry.base or key
            short = name.removeprefix(f"{loaded.name}.")
            factory = new_entries.get(name) or new_entries.get(short)
            if factory is None and not loaded.ok:
                factory = new_entries[loaded.name]
            if factory is None:
                continue
            entry.factory = factory
            if entry.widget is not None:
                self.rebuild_screen(key)
                rebuilt.append(key)
        if loaded.plugin is not None:  # screens new in this version join the navigation
            known = {e.base or k for k, e in self.screens.items() if e.plugin == loaded.name}
            for spec in loaded.plugin.screens:
                if spec.name not in known and f"{loaded.name}.{spec.name}" not in known:
                    key = spec.name
                    if key in self.screens:
                        key = f"{loaded.name}.{spec.name}"
                    self.add_screen(key, spec.title_for(self.lang), spec.factory)
                    self.screens[key].plugin = loaded.name
        self.faceplates.rebuild(loaded.name)
        return rebuilt

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

    def set_alarm_banner(self, banner: QWidget) -> None:
        """Put the alarm banner (hmi.app.alarm_banner) in the footer in place of the
        placeholder; its `summary_requested` opens the alarm summary screen."""
        self.footer.layout().replaceWidget(self.alarm_banner, banner)
        self.alarm_banner.deleteLater()
        self.alarm_banner = banner
        summary = next((k for k in ("alarms", "system.alarms") if k in self.screens), None)
        if summary is not None and hasattr(banner, "summary_requested"):
            banner.summary_requested.connect(lambda: self.show_screen(summary))

    def toggle_fullscreen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()
