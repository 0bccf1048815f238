"""Faceplate popups: one screen definition, opened for any number of instances.

A faceplate is a `ScreenSpec` a plugin lists under ``faceplates``. Opening it with
parameters (``instance="Assembly.Conveyor1"``) builds a fresh copy whose context
carries those parameters, so one faceplate serves 200 motors. Each popup has its own
binding group: it is fed while visible, and closing it drops its bindings. Opening
the same faceplate for the same parameters again raises the open window instead of
stacking a duplicate.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from hmi.app.error_panel import ErrorPanel

if TYPE_CHECKING:
    from hmi.app.binder import Binder, ScreenBinding
    from hmi.plugin import ScreenContext, ScreenSpec

log = logging.getLogger(__name__)

ContextFactory = Callable[["ScreenBinding", Mapping[str, Any]], "ScreenContext"]
FailureReporter = Callable[[str, str, str], None]
"""``(plugin, message, details)``: journal a plugin's failure (the station provides it)."""


def faceplate_key(name: str, params: Mapping[str, Any]) -> str:
    """The identity of one open faceplate: its name and parameters, order-free."""
    args = ",".join(f"{k}={params[k]}" for k in sorted(params))
    return f"{name}({args})"


@dataclass(frozen=True)
class FaceplateSource:
    """A registered faceplate and the plugin that contributed it."""

    plugin: str
    spec: ScreenSpec


class FaceplateWindow(QWidget):
    """One open faceplate: a small top-level window over the main window."""

    closed = Signal(str)

    def __init__(self, key: str, title: str, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("faceplate")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.key = key
        self.setWindowTitle(title)
        self.content: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def set_content(self, widget: QWidget) -> None:
        """Show `widget` as the faceplate's body (replacing the previous one)."""
        if self.content is not None:
            self._layout.removeWidget(self.content)
            self.content.deleteLater()
        self.content = widget
        self._layout.addWidget(widget)

    def closeEvent(self, event: Any) -> None:
        self.closed.emit(self.key)
        super().closeEvent(event)


class Faceplates:
    """The faceplates plugins offer, and the popups open now."""

    def __init__(
        self,
        binder: Binder,
        make_context: ContextFactory,
        lang: str,
        parent: QWidget | None = None,
        report: FailureReporter | None = None,
    ):
        self._binder = binder
        self._make_context = make_context
        self._lang = lang
        self._parent = parent
        self._report = report
        self.sources: dict[str, FaceplateSource] = {}
        self.open_windows: dict[str, FaceplateWindow] = {}
        self._groups: dict[str, ScreenBinding] = {}

    def register(self, plugin: str, spec: ScreenSpec) -> None:
        """Offer `spec`; a later registration of the same name replaces it (dev reload)."""
        self.sources[spec.name] = FaceplateSource(plugin, spec)

    def for_instance(self, instance: str, template: str | None = None) -> str | None:
        """The faceplate to open for `instance`: the one declared for its `template`,
        else the first registered; None when there is no faceplate at all."""
        if template:
            for name, source in self.sources.items():
                if source.spec.template == template:
                    return name
        return next(iter(self.sources), None)

    def open(self, name: str, **params: Any) -> FaceplateWindow:
        """Open (or raise) faceplate `name` for `params`; KeyError if there is none."""
        source = self.sources.get(name)
        if source is None:
            raise KeyError(
                f"no faceplate named '{name}' (available: {', '.join(self.sources) or 'none'})"
            )
        key = faceplate_key(name, params)
        window = self.open_windows.get(key)
        if window is not None:
            window.raise_()
            window.activateWindow()
            return window
        title = source.spec.title_for(self._lang)
        if "instance" in params:
            title = f"{title} — {params['instance']}"
        window = FaceplateWindow(key, title, self._parent)
        window.closed.connect(self._closed)
        self.open_windows[key] = window
        self._fill(window, source, params)
        window.show()
        return window

    def rebuild(self, plugin: str) -> None:
        """Rebuild the open faceplates of `plugin` from their (reloaded) specs."""
        for key, window in list(self.open_windows.items()):
            name, params = window.property("faceplateName"), window.property("faceplateParams")
            source = self.sources.get(name)
            if source is None or source.plugin != plugin:
                continue
            self._drop_group(key)
            self._fill(window, source, params or {})

    def close_all(self) -> None:
        for window in list(self.open_windows.values()):
            window.close()

    # -- internals --------------------------------------------------------------------------

    def _fill(
        self, window: FaceplateWindow, source: FaceplateSource, params: Mapping[str, Any]
    ) -> None:
        window.setProperty("faceplateName", source.spec.name)
        window.setProperty("faceplateParams", dict(params))
        key = window.key
        group = self._binder.screen(f"faceplate:{key}")
        self._groups[key] = group
        ctx = self._make_context(group, dict(params))
        try:
            content = source.spec.factory(ctx)
            if not isinstance(content, QWidget):
                raise TypeError(f"faceplate factory returned {type(content).__name__}")
        except Exception as exc:
            log.exception("faceplate %s failed to build", key)
            message = QCoreApplication.translate(
                "Faceplate", "The faceplate '{name}' could not be built: {error}"
            ).format(name=key, error=f"{type(exc).__name__}: {exc}")
            details = traceback.format_exc()
            content = self._error(message, details)
            self._binder.drop(group)
            if self._report:
                self._report(source.plugin, message, details)
        else:
            group.on_failure = lambda message, details: self._failed(
                window, source.plugin, message, details
            )
        window.set_content(content)
        group.attach(window)

    def _failed(self, window: FaceplateWindow, plugin: str, message: str, details: str) -> None:
        self._drop_group(window.key)
        window.set_content(self._error(message, details))
        if self._report:
            self._report(plugin, message, details)

    @staticmethod
    def _error(message: str, details: str) -> ErrorPanel:
        title = QCoreApplication.translate("Faceplate", "Faceplate not available")
        return ErrorPanel(title, message, details)

    def _drop_group(self, key: str) -> None:
        group = self._groups.pop(key, None)
        if group is not None:
            self._binder.drop(group)

    def _closed(self, key: str) -> None:
        self.open_windows.pop(key, None)
        self._drop_group(key)
