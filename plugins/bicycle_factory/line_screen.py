"""A production line's screen (ISA-101 level 2): its machines and how they are doing.

Top to bottom: the line's name, state (with reason and time in state) and Start/Stop;
its output; the process line drawn left to right (where parts come from, the conveyor
and its drive motor — a click opens the ConveyorMotor faceplate — and the line's
machines, to where parts go); then the values an operator steers by, as analog
indicators against their normal band, with the setpoints beside them.

Welding and Assembly are built here in Python; Painting is drawn in Qt Designer
(`screens/painting.ui`) and finished by `build_painting` with the same parts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from hmi.config import LineConfig
from hmi.plugin import ScreenContext
from plugins.bicycle_factory.alarm_marks import AlarmMarks
from plugins.bicycle_factory.line_panel import RunControl
from plugins.bicycle_factory.overview import line_codes
from plugins.bicycle_factory.parts import (
    bar,
    drive_symbols,
    flow_arrow,
    guard_setpoint,
    machine_box,
    prepare_bar,
    section,
    setpoint,
    value,
)
from widgets import AnalogBar, SetpointEntry, StateIndicator, ValueDisplay
from widgets.alarm_list import AlarmList

PAINTING_UI = Path(__file__).resolve().parent / "screens" / "painting.ui"

STYLE = """
QLabel[role="screenTitle"] { font-size: 26px; font-weight: 600; }
QLabel[role="sectionTitle"] { font-size: 16px; font-weight: 600; padding-top: 4px; }
QLabel[role="machineTitle"] { font-size: 16px; font-weight: 600; }
QLabel[role="flow"] { font-size: 15px; }
QLabel[role="arrow"] { font-size: 30px; min-width: 40px; }
QFrame[role="machineBox"], QFrame[role="processLine"], QFrame[role="outputBox"] {
    border: 1px solid #a6a6a6; border-radius: 2px; background-color: #dbdbdb; }
QFrame[role="processLine"] QFrame[role="machineBox"] { background-color: #d4d4d4; }
StateIndicator QLabel#state { font-size: 26px; font-weight: 600; }
StateIndicator QLabel#duration { font-size: 22px; }
StateIndicator QLabel#reason { font-size: 17px; }
ValueDisplay[role="kpi"] QLabel#value { font-size: 30px; }
ValueDisplay QLabel#caption { font-size: 15px; }
QPushButton { font-size: 16px; min-height: 36px; min-width: 96px; }
"""
"""Sizes and the calm greys of the boxes; state colours stay with the station's theme."""


@dataclass(frozen=True)
class Machine:
    """A machine of a line: its values (tag, caption) and writable setpoints."""

    title: str
    values: list[tuple[str, str]] = field(default_factory=list)
    setpoints: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class LineLayout:
    """What a line screen draws: where parts come from and go, and its machines."""

    line: str
    upstream: str
    downstream: str
    machines: list[Machine]


def line_layouts() -> dict[str, LineLayout]:
    """The demo plant's lines, their neighbours and machines (texts translated)."""
    return {
        "Welding": LineLayout(
            "Welding",
            QCoreApplication.translate("BicycleLine", "Frame tubes"),
            QCoreApplication.translate("BicycleLine", "To painting"),
            [
                Machine(
                    QCoreApplication.translate("BicycleLine", "Welding robot"),
                    [
                        (
                            "Welding.Welder.Current",
                            QCoreApplication.translate("BicycleLine", "Weld current"),
                        ),
                        (
                            "Welding.Welder.Voltage",
                            QCoreApplication.translate("BicycleLine", "Arc voltage"),
                        ),
                    ],
                    [
                        (
                            "Welding.Welder.CurrentSP",
                            QCoreApplication.translate("BicycleLine", "Weld current setpoint"),
                        )
                    ],
                )
            ],
        ),
        "Assembly": LineLayout(
            "Assembly",
            QCoreApplication.translate("BicycleLine", "From painting"),
            QCoreApplication.translate("BicycleLine", "Finished bicycles"),
            [
                Machine(
                    QCoreApplication.translate("BicycleLine", "Wheel truing stand"),
                    [
                        (
                            "Assembly.Truing.Runout",
                            QCoreApplication.translate("BicycleLine", "Wheel runout"),
                        )
                    ],
                )
            ],
        ),
    }


def conveyor_values() -> list[tuple[str, str]]:
    """The conveyor drive's signals shown on a line screen (member, caption)."""
    return [
        ("MotorCurrent", QCoreApplication.translate("BicycleLine", "Motor current")),
        ("MotorTemperature", QCoreApplication.translate("BicycleLine", "Motor temperature")),
        ("BeltTension", QCoreApplication.translate("BicycleLine", "Belt tension")),
    ]


class LineHeader(QWidget):
    """Name, state with reason and duration, Start/Stop, and the way back to the plant."""

    def __init__(self, ctx: ScreenContext, line: LineConfig, parent: QWidget | None = None):
        super().__init__(parent)
        title = line.title.get(ctx.lang)
        self.title_label = QLabel(title, self)
        self.title_label.setObjectName("screenTitle")
        self.title_label.setProperty("role", "screenTitle")
        codes = line_codes()
        self.state = StateIndicator(
            f"{line.name}.State", f"{line.name}.ReasonCode",
            state_texts=codes.state_texts, state_kinds=codes.state_kinds,
            reason_texts=codes.reason_texts, parent=self,
        )  # fmt: skip
        for tag in self.state.tags:
            ctx.bind(self.state, tag)
        self.run_control = RunControl(ctx, f"{line.name}.RunCmd", title, self)
        ctx.bind(self.run_control, f"{line.name}.RunCmd")
        self.back_button = QPushButton(
            QCoreApplication.translate("BicycleLine", "Plant overview"), self
        )
        self.back_button.setObjectName("overviewButton")
        self.back_button.clicked.connect(lambda: ctx.open_screen("overview"))

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(20)
        layout.addWidget(self.title_label)
        layout.addWidget(self.state, 1)
        layout.addWidget(self.run_control, 1)
        layout.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)


def output_row(ctx: ScreenContext, line: str, marks: AlarmMarks) -> QFrame:
    """Product, rate, good and reject counts: the line's output at a glance."""
    box = QFrame()
    box.setObjectName("outputBox")
    box.setProperty("role", "outputBox")
    layout = QHBoxLayout(box)
    layout.setContentsMargins(14, 8, 14, 8)
    layout.setSpacing(28)
    for leaf, caption in (
        ("Product", QCoreApplication.translate("BicycleLine", "Product")),
        ("Rate", QCoreApplication.translate("BicycleLine", "Rate")),
        ("GoodCount", QCoreApplication.translate("BicycleLine", "Good")),
        ("RejectCount", QCoreApplication.translate("BicycleLine", "Reject")),
    ):
        w = value(ctx, f"{line}.{leaf}", caption, marks)
        w.setProperty("role", "kpi")
        layout.addWidget(w)
    layout.addStretch(1)
    return box


class LineScreen(QScrollArea):
    """A line's level-2 screen built in Python from a `LineLayout`."""

    def __init__(self, ctx: ScreenContext, layout_spec: LineLayout, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("lineScreen")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setStyleSheet(STYLE)
        name = layout_spec.line
        line = next(line for line in ctx.config.lines if line.name == name)
        self.marks = AlarmMarks(ctx, self)
        instance = f"{name}.Conveyor"

        self.header = LineHeader(ctx, line)
        self.conveyor, self.motor = drive_symbols(ctx, instance, self.marks)
        self.bars: dict[str, AnalogBar] = {}
        self.setpoints: dict[str, SetpointEntry] = {}
        self.values: dict[str, ValueDisplay] = {}

        # The process line, left to right: arrows take the slack, machines their size.
        drawing = QFrame()
        drawing.setObjectName("processLine")
        drawing.setProperty("role", "processLine")
        flow = QHBoxLayout(drawing)
        flow.setContentsMargins(14, 8, 14, 8)
        flow.setSpacing(6)
        flow.addWidget(flow_arrow(layout_spec.upstream))
        flow.addWidget(flow_arrow(), 1)
        speed = value(
            ctx,
            f"{instance}.Speed",
            QCoreApplication.translate("BicycleLine", "Belt speed"),
            self.marks,
        )
        self.conveyor.setFixedWidth(240)
        flow.addWidget(
            machine_box(
                QCoreApplication.translate("BicycleLine", "Conveyor"),
                [self.conveyor, self.motor, speed],
            )
        )
        for machine in layout_spec.machines:
            flow.addWidget(flow_arrow(), 1)
            key_tag, key_caption = machine.values[0]  # the machine's key value in the drawing
            flow.addWidget(machine_box(machine.title, value(ctx, key_tag, key_caption, self.marks)))
        flow.addWidget(flow_arrow(), 1)
        flow.addWidget(flow_arrow(layout_spec.downstream))

        # What the operator steers by: the conveyor drive, then the line's own machines.
        columns = QHBoxLayout()
        columns.setSpacing(16)
        speed_bar = bar(
            ctx,
            f"{instance}.Speed",
            QCoreApplication.translate("BicycleLine", "Belt speed"),
            self.marks,
        )
        speed_sp = setpoint(
            ctx,
            f"{instance}.SpeedSP",
            QCoreApplication.translate("BicycleLine", "Belt speed setpoint"),
        )
        drive_bars = [bar(ctx, f"{instance}.{m}", c, self.marks) for m, c in conveyor_values()]
        columns.addWidget(
            machine_box(
                QCoreApplication.translate("BicycleLine", "Conveyor drive"),
                [speed_bar, speed_sp],
                drive_bars[:2],
                drive_bars[2:],
            ),
            2,
        )
        for machine in layout_spec.machines:
            rows: list[QWidget] = [bar(ctx, t, c, self.marks) for t, c in machine.values]
            rows += [setpoint(ctx, t, c) for t, c in machine.setpoints]
            columns.addWidget(machine_box(machine.title, *rows), 1)

        root = QWidget()
        body = QVBoxLayout(root)
        body.setContentsMargins(20, 16, 20, 16)
        body.setSpacing(14)
        body.addWidget(self.header)
        body.addWidget(output_row(ctx, name, self.marks))
        body.addWidget(section(QCoreApplication.translate("BicycleLine", "Process line")))
        body.addWidget(drawing)
        body.addWidget(section(QCoreApplication.translate("BicycleLine", "Process values")))
        body.addLayout(columns)
        self.alarm_list = line_alarms(ctx, name)
        body.addWidget(self.alarm_list)
        body.addStretch(1)
        self.setWidget(root)
        for w in root.findChildren(AnalogBar):
            self.bars[w.core.tag] = w
        for w in root.findChildren(SetpointEntry):
            self.setpoints[w.core.tag] = w
        for w in root.findChildren(ValueDisplay):
            self.values[w.property("boundTag")] = w


class DesignerLineScreen(QScrollArea):
    """A line screen drawn in Qt Designer, finished with what a .ui file cannot say: the
    line state and Start/Stop, analog ranges, setpoint permissions, alarm marks and the
    captions in the operator's language."""

    def __init__(self, ctx: ScreenContext, form: QWidget, line_name: str, context: str):
        super().__init__()
        self.setObjectName("lineScreen")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setStyleSheet(STYLE)
        self.form = form
        line = next(line for line in ctx.config.lines if line.name == line_name)
        self.marks = AlarmMarks(ctx, self)
        self.header = LineHeader(ctx, line)
        slot = form.findChild(QWidget, "headerSlot")
        slot_layout: QLayout | None = slot.layout() if slot is not None else None
        if slot_layout is None:
            raise ValueError("the .ui file has no 'headerSlot' with a layout for the line header")
        slot_layout.addWidget(self.header)
        self.bars = {w.core.tag: w for w in form.findChildren(AnalogBar)}
        for w in self.bars.values():
            w.caption = QCoreApplication.translate(context, w.caption)
            prepare_bar(ctx, w, self.marks)
        self.setpoints = {w.core.tag: w for w in form.findChildren(SetpointEntry)}
        for w in self.setpoints.values():
            w.caption_label.setText(QCoreApplication.translate(context, w.caption_label.text()))
            guard_setpoint(ctx, w)
        self.values: dict[str, ValueDisplay] = {}
        for w in form.findChildren(ValueDisplay):
            w.caption_label.setText(QCoreApplication.translate(context, w.caption_label.text()))
            tag = _bound_tag(w)
            self.values[tag] = w
            self.marks.add(w, tag)
        instance = f"{line_name}.Conveyor"
        drive = [f"{instance}.{m}" for m in ctx.members(instance)]
        for symbol in (form.findChild(QWidget, "conveyor"), form.findChild(QWidget, "motor")):
            if symbol is not None:
                symbol.caption = QCoreApplication.translate(context, symbol.caption)
                self.marks.add(symbol, *drive)
        self.conveyor = form.findChild(QWidget, "conveyor")
        self.motor = form.findChild(QWidget, "motor")
        self.alarm_list = line_alarms(ctx, line_name)  # above the .ui's end spacer
        body = form.layout()
        if isinstance(body, QVBoxLayout):
            body.insertWidget(max(0, body.count() - 1), self.alarm_list)
        self.setWidget(form)


def line_alarms(ctx: ScreenContext, line: str) -> AlarmList:
    """The line's active alarms at the foot of its screen: about four rows, titled like a
    section (the screen's title already names the line)."""
    alarms = AlarmList(
        ctx, area=line, rows=4, title=QCoreApplication.translate("AlarmList", "Alarms")
    )
    alarms.title.setProperty("role", "sectionTitle")
    return alarms


def _bound_tag(display: ValueDisplay) -> str:
    """The tag a .ui ValueDisplay was given (its `tag` property, placeholders filled)."""
    return str(display.property("tag") or "")


def build_line(ctx: ScreenContext, line: str) -> QWidget:
    """The factory of a Python line screen ("welding", "assembly")."""
    return LineScreen(ctx, line_layouts()[line])


def build_painting(ctx: ScreenContext, path: Path = PAINTING_UI) -> QWidget:
    """The factory of the Painting screen: the Designer file, loaded and bound by the SDK."""
    form = ctx.load_ui(path)
    return DesignerLineScreen(ctx, form, "Painting", "PaintingLine")
