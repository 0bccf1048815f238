"""The plant overview (ISA-101 level 1): the three lines of the bicycle factory at a glance.

The lines sit side by side on a control-room screen and stack (in a scroll area)
when the window is too narrow for them, e.g. on a small panel PC. The screen sets
only its typographic scale (large figures to read from a distance, quieter
captions); every colour comes from the station's theme.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QBoxLayout, QFrame, QScrollArea, QWidget

from hmi.plugin import ScreenContext
from plugins.bicycle_factory import LINE_SCREENS
from plugins.bicycle_factory.line_panel import LineCodes, LinePanel, ProcessValue

PANEL_MIN_WIDTH = 330
"""Below this width per line the panels stack instead of standing side by side."""

TYPOGRAPHY = """
QLabel#panelTitle {{ font-size: {title}px; font-weight: 600; }}
QLabel#sectionTitle {{ font-size: {small}px; font-weight: 600; padding-top: 6px; }}
QLabel#caption {{ font-size: {label}px; }}
QLabel#units {{ font-size: {label}px; }}
QLabel#qualityMarker {{ font-size: {marker}px; font-weight: 700; }}
QLabel#value {{ font-size: {value}px; }}
ValueDisplay#kpi QLabel#value {{ font-size: {kpi}px; }}
StateIndicator QLabel#state {{ font-size: {state}px; font-weight: 600; }}
StateIndicator QLabel#duration {{ font-size: {duration}px; }}
StateIndicator QLabel#reason {{ font-size: {reason}px; }}
QPushButton {{ font-size: {button}px; min-height: 36px; min-width: 96px; padding: 0 12px; }}
QLabel#writeStatus {{ font-size: {small}px; }}
LinePanel ValueDisplay {{ padding-top: {pad}px; padding-bottom: {pad}px; }}
"""
"""Sizes only — no colours, so the theme keeps the final word on state styling."""

SCALES = {
    # a panel PC (1280×800) or a small window
    "normal": dict(title=22, small=14, label=15, marker=12, value=22, kpi=28, state=24,
                   duration=22, reason=16, button=16, pad=0),
    # a control-room screen (1920×1080), read from a few metres
    "large": dict(title=28, small=17, label=19, marker=14, value=30, kpi=38, state=32,
                  duration=28, reason=20, button=18, pad=4),
}  # fmt: skip
STACKED_MAX_WIDTH = 640
"""The widest a line panel grows when the panels are stacked."""
LARGE_FROM = (1500, 850)
"""The screen's size from which the large type is used."""


def line_codes() -> LineCodes:
    """The demo plant's state and reason codes (see the demo tag spec), translated."""
    return LineCodes(
        state_texts={
            1: QCoreApplication.translate("BicycleFactory", "Running"),
            2: QCoreApplication.translate("BicycleFactory", "Idle"),
            3: QCoreApplication.translate("BicycleFactory", "Down"),
            4: QCoreApplication.translate("BicycleFactory", "Changeover"),
            5: QCoreApplication.translate("BicycleFactory", "Planned stop"),
        },
        state_kinds={1: "running", 2: "idle", 3: "down", 4: "changeover", 5: "planned"},
        reason_texts={
            101: QCoreApplication.translate("BicycleFactory", "Belt slip"),
            102: QCoreApplication.translate("BicycleFactory", "Motor overload"),
            103: QCoreApplication.translate("BicycleFactory", "Jam"),
            201: QCoreApplication.translate("BicycleFactory", "Frames not delivered"),
            202: QCoreApplication.translate("BicycleFactory", "Paint supply low"),
            301: QCoreApplication.translate("BicycleFactory", "Product changeover"),
            401: QCoreApplication.translate("BicycleFactory", "Quality hold"),
            501: QCoreApplication.translate("BicycleFactory", "Sensor fault"),
            601: QCoreApplication.translate("BicycleFactory", "Starved upstream"),
            602: QCoreApplication.translate("BicycleFactory", "Blocked downstream"),
            900: QCoreApplication.translate("BicycleFactory", "Stopped by operator"),
        },
    )


def process_values(line: str) -> list[ProcessValue]:
    """The key process values shown for `line`: the conveyor's, then the line's own."""
    values = [
        ProcessValue(
            f"{line}.Conveyor.MotorCurrent",
            QCoreApplication.translate("BicycleFactory", "Motor current"),
        ),
        ProcessValue(
            f"{line}.Conveyor.MotorTemperature",
            QCoreApplication.translate("BicycleFactory", "Motor temp."),
        ),
        ProcessValue(
            f"{line}.Conveyor.Speed", QCoreApplication.translate("BicycleFactory", "Conveyor speed")
        ),
        ProcessValue(
            f"{line}.Conveyor.BeltTension",
            QCoreApplication.translate("BicycleFactory", "Belt tension"),
        ),
    ]
    specific = {
        "Welding": (
            "Welding.Welder.Current",
            QCoreApplication.translate("BicycleFactory", "Weld current"),
        ),
        "Painting": (
            "Painting.Oven.Temperature",
            QCoreApplication.translate("BicycleFactory", "Oven temp."),
        ),
        "Assembly": (
            "Assembly.Truing.Runout",
            QCoreApplication.translate("BicycleFactory", "Wheel runout"),
        ),
    }
    if line in specific:
        values.append(ProcessValue(*specific[line]))
    return values


class LineRow(QWidget):
    """Holds the line panels side by side, or stacked when the width is too small."""

    def __init__(self, panels: list[QWidget], parent: QWidget | None = None):
        super().__init__(parent)
        self.panels = panels
        self._layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._layout.setContentsMargins(16, 8, 16, 8)  # zh-TW text is taller: fit 800 px
        self._layout.setSpacing(16)
        for p in panels:
            self._layout.addWidget(p, 1)

    @property
    def stacked(self) -> bool:
        return self._layout.direction() is QBoxLayout.Direction.TopToBottom

    def fit_width(self, width: int) -> None:
        """Stand the panels side by side if `width` holds them all, else stack them."""
        # Each panel needs its own minimum (a long line title needs more than the rest);
        # the layout gives every panel at least that, so their sum is what must fit.
        mins = [max(p.minimumSizeHint().width(), PANEL_MIN_WIDTH) for p in self.panels]
        wide = width >= sum(mins) + 16 * (len(self.panels) + 1)
        for i, least in enumerate(mins):  # side by side, the width is shared in proportion
            self._layout.setStretch(i, least)
        want = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self._layout.direction() is not want:
            self._layout.setDirection(want)
            # Stacked on a narrow screen, a full-width panel would put its numbers far
            # from their captions: keep it to a readable width.
            for p in self.panels:
                p.setMaximumWidth(16777215 if wide else STACKED_MAX_WIDTH)


class OverviewScreen(QScrollArea):
    """The overview screen's root: a scroll area, so nothing is ever cut off."""

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("overview")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scale = ""
        self._set_scale("normal")
        codes = line_codes()
        self.panels: dict[str, LinePanel] = {
            line.name: LinePanel(
                ctx, line, codes, process_values(line.name),
                open_details=_opener(ctx, LINE_SCREENS.get(line.name)),
            )
            for line in ctx.config.lines
        }  # fmt: skip
        self.row = LineRow(list(self.panels.values()))
        self.setWidget(self.row)

    def resizeEvent(self, ev) -> None:
        # Decided here, on the visible width: side by side, the row's minimum width
        # would keep it wider than the viewport and it would never learn to stack.
        super().resizeEvent(ev)
        size = ev.size()
        large = size.width() >= LARGE_FROM[0] and size.height() >= LARGE_FROM[1]
        self._set_scale("large" if large else "normal")
        self.row.fit_width(self.viewport().width())

    def _set_scale(self, scale: str) -> None:
        """Re-style only when the scale changes: a style sheet re-polishes the whole screen."""
        if scale != self.scale:
            self.scale = scale
            self.setStyleSheet(TYPOGRAPHY.format(**SCALES[scale]))
            # The new fonts reach the labels with this event loop pass; measure after it.
            QTimer.singleShot(0, self, self._refit)

    def _refit(self) -> None:
        for panel in self.panels.values():
            panel.align_columns()
        self.row.fit_width(self.viewport().width())


def _opener(ctx: ScreenContext, screen: str | None) -> Callable[[], None] | None:
    """What a line panel's "Line screen" button does; None for a line without a screen
    (or on a context that cannot navigate, such as a bare test context)."""
    if screen is None or not hasattr(ctx, "open_screen"):
        return None
    return lambda: ctx.open_screen(screen)


def build_overview(ctx: ScreenContext) -> QWidget:
    """The ScreenSpec factory of the "overview" screen."""
    return OverviewScreen(ctx)
