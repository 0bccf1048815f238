"""The station's built-in system screens (diagnostics; later alarms, trends, OEE).

`builtin_screens()` returns fresh `ScreenSpec`s; the composition root
(`hmi.app.station`) passes them to the main window, which offers them after the
plugin screens. Registering a screen is one line in that list: its name, titles and
the ``module:function`` that builds it. The module is imported only when the screen
is first shown, so an unused screen costs nothing at start-up.

Layering: screens may import `widgets` and `hmi.app`; neither imports `screens`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from hmi.plugin import ScreenSpec

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from hmi.plugin import ScreenContext, ScreenFactory

SYSTEM_LEVEL = 4
"""ISA-101 level of system screens: detail/diagnostic, below the plant's own displays."""


def lazy(target: str) -> ScreenFactory:
    """A factory that imports ``module:function`` when the screen is first built."""
    module_name, _, func_name = target.partition(":")

    def build(ctx: ScreenContext) -> QWidget:
        return getattr(importlib.import_module(module_name), func_name)(ctx)

    build.__qualname__ = f"lazy({target})"
    return build


def builtin_screens() -> list[ScreenSpec]:
    """The built-in screens, in navigation order (a new list on every call)."""
    return [
        ScreenSpec(
            "trends",
            {"en": "Trends", "zh_TW": "趨勢"},
            lazy("screens.trends:build_trends"),
            level=2,
        ),
        ScreenSpec(
            "gallery",
            {"en": "Widget gallery", "zh_TW": "元件展示"},
            lazy("screens.gallery:build_gallery"),
            level=SYSTEM_LEVEL,
        ),
        ScreenSpec(
            "diagnostics",
            {"en": "Diagnostics", "zh_TW": "系統診斷"},
            lazy("screens.diagnostics:build_diagnostics"),
            level=SYSTEM_LEVEL,
        ),
    ]
