"""The ConveyorMotor faceplate (ISA-101 level 4): one definition for every conveyor drive.

Opened for a template instance (``ctx.params["instance"]``, e.g. "Painting.Conveyor")
by a click on its conveyor or motor symbol on any screen. It shows whether the drive
runs and the line's state (with why it stopped), then each drive signal — voltage,
current, temperature, speed with its setpoint, belt tension — as an analog indicator
against its normal band beside a trend of the last minutes, so a slow drift (belt
wear: current and temperature up, tension down) is seen before it becomes a stop.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from hmi.plugin import ScreenContext
from plugins.bicycle_factory.alarm_marks import AlarmMarks
from plugins.bicycle_factory.overview import line_codes
from plugins.bicycle_factory.parts import bar, section, setpoint
from widgets import Motor, Sparkline, StateIndicator

TREND_WINDOW_S = 300.0
"""The trends show the last five minutes."""
TREND_CAPACITY = 3000
"""Samples kept per trend: five minutes at the display rate of 10 frames per second."""

STYLE = """
QLabel[role="screenTitle"] { font-size: 20px; font-weight: 600; }
QLabel[role="sectionTitle"] { font-size: 15px; font-weight: 600; padding-top: 4px; }
StateIndicator QLabel#state { font-size: 20px; font-weight: 600; }
StateIndicator QLabel#duration { font-size: 18px; }
StateIndicator QLabel#reason { font-size: 15px; }
QPushButton { font-size: 15px; }
"""


def signals() -> list[tuple[str, str]]:
    """The drive's signals in the order an operator reads them (member, caption)."""
    return [
        ("MotorVoltage", QCoreApplication.translate("ConveyorFaceplate", "Voltage")),
        ("MotorCurrent", QCoreApplication.translate("ConveyorFaceplate", "Current")),
        ("MotorTemperature", QCoreApplication.translate("ConveyorFaceplate", "Temperature")),
        ("Speed", QCoreApplication.translate("ConveyorFaceplate", "Speed")),
        ("BeltTension", QCoreApplication.translate("ConveyorFaceplate", "Belt tension")),
    ]


class ConveyorMotorFaceplate(QFrame):
    """The faceplate of one ConveyorMotor instance."""

    def __init__(self, ctx: ScreenContext, instance: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("conveyorFaceplate")
        self.setStyleSheet(STYLE)
        self.instance = instance
        members = ctx.members(instance)
        missing = [m for m, _ in signals() if m not in members]
        if missing:
            raise KeyError(f"'{instance}' is not a ConveyorMotor: no member(s) {missing}")
        line_name = instance.split(".", 1)[0]
        line = next((x for x in ctx.config.lines if x.name == line_name), None)
        line_title = line.title.get(ctx.lang) if line is not None else line_name
        self.marks = AlarmMarks(ctx, self)

        title = QLabel(
            QCoreApplication.translate("ConveyorFaceplate", "{line} — conveyor drive").format(
                line=line_title
            ),
            self,
        )
        title.setProperty("role", "screenTitle")
        self.title_label = title
        speed = f"{instance}.Speed"
        self.motor = Motor(
            ctx.tag_config(speed), QCoreApplication.translate("ConveyorFaceplate", "Motor"),
            lang=ctx.lang, actions=ctx.actions,
        )  # fmt: skip
        ctx.bind(self.motor, speed)
        self.marks.add(self.motor, *(f"{instance}.{m}" for m in members))
        self.state: StateIndicator | None = None
        head = QHBoxLayout()
        head.setSpacing(16)
        head.addWidget(self.motor)
        if line is not None and line.state_tag:
            codes = line_codes()
            reason = f"{line_name}.ReasonCode"
            self.state = StateIndicator(
                line.state_tag, reason if ctx_has(ctx, reason) else None,
                state_texts=codes.state_texts, state_kinds=codes.state_kinds,
                reason_texts=codes.reason_texts, parent=self,
            )  # fmt: skip
            for tag in self.state.tags:
                ctx.bind(self.state, tag)
            head.addWidget(self.state, 1)

        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(6)
        self.bars: dict[str, QWidget] = {}
        self.trends: dict[str, Sparkline] = {}
        row = 0
        for member, caption in signals():
            tag = f"{instance}.{member}"
            w = bar(ctx, tag, caption, self.marks)
            trend = Sparkline(
                ctx.tag_config(tag), "", window_s=TREND_WINDOW_S, capacity=TREND_CAPACITY,
                lang=ctx.lang, actions=ctx.actions,
            )  # fmt: skip
            trend.setObjectName(f"trend.{member}")
            trend.setMinimumWidth(240)
            ctx.bind(trend, tag)
            self.marks.add(trend, tag)
            self.bars[member] = w
            self.trends[member] = trend
            grid.addWidget(w, row, 0)
            grid.addWidget(trend, row, 1)
            row += 1
            if member == "Speed" and "SpeedSP" in members:
                self.speed_setpoint = setpoint(
                    ctx,
                    f"{instance}.SpeedSP",
                    QCoreApplication.translate("ConveyorFaceplate", "Speed setpoint"),
                )
                grid.addWidget(self.speed_setpoint, row, 0)
                row += 1
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addLayout(head)
        trends = section(
            QCoreApplication.translate(
                "ConveyorFaceplate", "Drive signals · trend of the last 5 min"
            )
        )
        layout.addWidget(trends)
        layout.addLayout(grid)
        layout.addStretch(1)


def ctx_has(ctx: ScreenContext, tag: str) -> bool:
    try:
        ctx.tag_config(tag)
    except KeyError:
        return False
    return True


def build_conveyor_motor(ctx: ScreenContext) -> QWidget:
    """The factory of the "conveyor_motor" faceplate."""
    return ConveyorMotorFaceplate(ctx, str(ctx.params["instance"]))
