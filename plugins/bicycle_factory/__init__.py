"""The demo bicycle smart factory (自行車智慧工廠): its plant screens, as a plugin.

Loaded like any third-party plugin, through the ``hmi.plugins`` entry point. This
module imports no Qt: the station reads the declaration first and builds a screen
(importing its module) only when the screen is first shown.

ISA-101 hierarchy: the plant overview (level 1), one screen per line (level 2; the
Painting screen is a Qt Designer file) and the ConveyorMotor faceplate (level 4) that
a click on any conveyor or motor symbol opens for its instance.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from hmi.plugin import API_VERSION, PlantPlugin, ScreenSpec

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from hmi.plugin import ScreenContext

LINE_SCREENS = {"Welding": "welding", "Painting": "painting", "Assembly": "assembly"}
"""The line screen of each line of the demo plant (line name → screen name)."""


def _build_overview(ctx: ScreenContext) -> QWidget:
    from plugins.bicycle_factory.overview import build_overview

    return build_overview(ctx)


def _build_welding(ctx: ScreenContext) -> QWidget:
    from plugins.bicycle_factory.line_screen import build_line

    return build_line(ctx, "Welding")


def _build_painting(ctx: ScreenContext) -> QWidget:
    from plugins.bicycle_factory.line_screen import build_painting

    return build_painting(ctx)


def _build_assembly(ctx: ScreenContext) -> QWidget:
    from plugins.bicycle_factory.line_screen import build_line

    return build_line(ctx, "Assembly")


def _build_conveyor_motor(ctx: ScreenContext) -> QWidget:
    from plugins.bicycle_factory.faceplates import build_conveyor_motor

    return build_conveyor_motor(ctx)


plugin = PlantPlugin(
    name="bicycle_factory",
    version="1.1",
    api_version=API_VERSION,
    screens=[
        ScreenSpec(
            "overview", {"en": "Plant overview", "zh_TW": "全廠總覽"}, _build_overview, level=1
        ),
        ScreenSpec(
            "welding", {"en": "Frame Welding", "zh_TW": "車架焊接"}, _build_welding, level=2
        ),
        ScreenSpec("painting", {"en": "Painting", "zh_TW": "塗裝"}, _build_painting, level=2),
        ScreenSpec(
            "assembly",
            {"en": "Wheel & Final Assembly", "zh_TW": "輪組與總裝"},
            _build_assembly,
            level=2,
        ),
    ],
    faceplates=[
        ScreenSpec(
            "conveyor_motor",
            {"en": "Conveyor motor", "zh_TW": "輸送帶馬達"},
            _build_conveyor_motor,
            level=4,
            template="ConveyorMotor",
        ),
    ],
    translations_dir=str(Path(__file__).resolve().parent / "i18n"),
)
