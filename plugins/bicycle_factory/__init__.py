"""The demo bicycle smart factory (自行車智慧工廠): its plant screens, as a plugin.

Loaded like any third-party plugin, through the ``hmi.plugins`` entry point. This
module imports no Qt: the station reads the declaration first and builds a screen
(importing its module) only when the screen is first shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from hmi.plugin import API_VERSION, PlantPlugin, ScreenSpec

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from hmi.plugin import ScreenContext


def _build_overview(ctx: ScreenContext) -> QWidget:
    from plugins.bicycle_factory.overview import build_overview

    return build_overview(ctx)


plugin = PlantPlugin(
    name="bicycle_factory",
    version="1.0",
    api_version=API_VERSION,
    screens=[
        ScreenSpec(
            "overview", {"en": "Plant overview", "zh_TW": "全廠總覽"}, _build_overview, level=1
        ),
    ],
    translations_dir=str(Path(__file__).resolve().parent / "i18n"),
)
