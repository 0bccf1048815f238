"""Testing a plugin's screens without a runtime: what `hmi plugin new`'s test uses.

`ScreenHarness` puts a plugin in a real main window (real binder, context, .ui
loader, error panels) over a bridge with no runtime behind it, so a plugin's own test
suite builds its screens offscreen in a second and feeds them values directly::

    with ScreenHarness(plugin) as harness:          # the demo plant by default
        screen = harness.show("my_overview")
        harness.push(TagValue("Welding.Rate", 42.5))
        assert harness.error("my_overview") is None
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QWidget

from hmi.app.bridge import RuntimeBridge
from hmi.app.error_panel import ErrorPanel
from hmi.app.main_window import MainWindow
from hmi.app.plugins import LoadedPlugin
from hmi.config import PlantConfig, load_config
from hmi.paths import DEMO_CONFIG
from hmi.plugin import PlantPlugin
from hmi.tagvalue import TagValue


class ScreenHarness:
    """A plugin's screens in a main window fed by hand (no runtime, no drivers)."""

    def __init__(
        self,
        plugin: PlantPlugin,
        config: PlantConfig | str | Path = DEMO_CONFIG,
        lang: str = "en",
    ):
        self.app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "t"])
        self.config = config if isinstance(config, PlantConfig) else load_config(config)
        self.bridge = RuntimeBridge(None, self.config.display.frame_rate_hz)
        self.window = MainWindow(
            self.config, lang, self.bridge, [LoadedPlugin(plugin.name, plugin)]
        )
        self.window.resize(1280, 800)
        self.window.show()

    def show(self, screen: str, **params: Any) -> QWidget:
        """Build (if needed) and show `screen` (with `params`: a parameterised instance)."""
        return self.window.open_screen(screen, **params)

    def error(self, screen: str) -> str | None:
        """The error panel's message shown in place of `screen`, or None if it is fine."""
        widget = self.window.screens[screen].widget
        return widget.message if isinstance(widget, ErrorPanel) else None

    def push(self, *values: TagValue) -> None:
        """Deliver `values` as one display frame (as the runtime's bridge would)."""
        self.bridge.on_updates(list(values))
        self.bridge.flush()
        self.app.processEvents()

    def close(self) -> None:
        self.window.faceplates.close_all()
        self.window.close()
        self.window.deleteLater()
        self.app.processEvents()

    def __enter__(self) -> ScreenHarness:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
