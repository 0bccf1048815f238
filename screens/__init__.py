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
            "alarms",
            {"en": "Alarms", "zh_TW": "警報總覽"},
            lazy("screens.alarm_summary:build_alarm_summary"),
            level=2,
        ),
        ScreenSpec(
            "oee",
            {"en": "OEE", "zh_TW": "設備綜合效率"},
            lazy("screens.oee_dashboard:build_oee_dashboard"),
            level=2,
        ),
        ScreenSpec(
            "oee_line",
            {"en": "OEE line detail", "zh_TW": "產線績效明細"},
            lazy("screens.oee_line:build_oee_line"),
            level=SYSTEM_LEVEL - 1,
        ),
        ScreenSpec(
            "alarm_history",
            {"en": "Alarm history", "zh_TW": "警報歷史"},
            lazy("screens.alarm_history:build_alarm_history"),
            level=SYSTEM_LEVEL,
        ),
        ScreenSpec(
            "alarm_kpi",
            {"en": "Alarm KPIs", "zh_TW": "警報績效"},
            lazy("screens.alarm_kpi:build_alarm_kpi"),
            level=SYSTEM_LEVEL,
        ),
        ScreenSpec(
            "audit",
            {"en": "Audit trail", "zh_TW": "稽核紀錄"},
            lazy("screens.audit:build_audit"),
            level=SYSTEM_LEVEL,
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
