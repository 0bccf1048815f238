"""A production line's screen (ISA-101 level 2): its machines and how they are doing.

Top to bottom: the line's name with Start/Stop; its state (with reason and time in
state) beside its output; the process line drawn left to right (where parts come from,
the conveyor and its drive motor — a click opens the ConveyorMotor faceplate — and the
line's machines, to where parts go); the values an operator steers by, as analog
indicators against their normal band, each setpoint under its value; the line's alarms.

Sized for a 1280×800 panel PC: all of it shows without scrolling (the scroll area stays
as the fallback for smaller screens); on a larger screen the alarm list shows more rows
and the content stops at `MAX_CONTENT_WIDTH`, so nothing is stretched thin.

Welding and Assembly are built here in Python; Painting is drawn in Qt Designer
(`screens/painting.ui`) and finished by `build_painting` with the same parts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QShowEvent
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
    setpoint,
    value,
)
from widgets import AnalogBar, SetpointEntry, StateIndicator, ValueDisplay
from widgets.alarm_list import AlarmList

PAINTING_UI = Path(__file__).resolve().parent / "screens" / "painting.ui"
MAX_CONTENT_WIDTH = 1680
"""px: wider than this, the screen's content is centred rather than stretched."""
SYMBOL_HEIGHT = 96
"""px of the conveyor and motor symbols in the process line (shape, caption, status row)."""
ALARM_ROWS = (3, 6)
"""Rows of the line's alarm list: on a 1280×800 panel, and at most where there is room."""

STYLE = """
QLabel[role="screenTitle"] { font-size: 24px; font-weight: 600; }
QLabel[role="sectionTitle"] { font-size: 16px; font-weight: 600; }
QLabel[role="machineTitle"] { font-size: 16px; font-weight: 600; }
QLabel[role="flow"] { font-size: 15px; }
QLabel[role="arrow"] { font-size: 30px; min-width: 32px; }
QFrame[role="machineBox"], QFrame[role="processLine"], QFrame[role="outputBox"] {
    border: 1px solid #a6a6a6; border-radius: 2px; background-color: #dbdbdb; }
QFrame[role="processLine"] QFrame[role="machineBox"] { background-color: #d4d4d4; }
AlarmList QScrollArea#alarmListRows { border: 1px solid #a6a6a6; background-color: #dbdbdb; }
StateIndicator QLabel#state { font-size: 24px; font-weight: 600; }
StateIndicator QLabel#duration { font-size: 20px; }
StateIndicator QLabel#reason { font-size: 16px; }
ValueDisplay[role="kpi"] QLabel#value { font-size: 26px; }
ValueDisplay QLabel#caption { font-size: 15px; }
LineHeader QPushButton { font-size: 16px; min-height: 28px; min-width: 96px; }
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
    """Name, Start/Stop and the way back to the plant; under them the state (with reason
    and duration) beside the line's output, so the two facts an operator looks for first
    share one band."""

    def __init__(
        self,
        ctx: ScreenContext,
        line: LineConfig,
        parent: QWidget | None = None,
        output: QWidget | None = None,
    ):
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
        self.output = output

        top = QHBoxLayout()
        top.setSpacing(24)
        top.addWidget(self.title_label)
        top.addWidget(self.run_control, 1)  # its status text takes the free width
        top.addWidget(self.back_button)
        status = QHBoxLayout()
        status.setSpacing(12)
        self.state.setMinimumWidth(280)
        self.state.setMaximumWidth(520)
        status.addWidget(self.state, 2)
        if output is not None:
            status.addWidget(output, 3)
        else:
            status.addStretch(3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addLayout(status)


def output_row(ctx: ScreenContext, line: str, marks: AlarmMarks) -> QFrame:
    """Product, rate, good and reject counts: the line's output at a glance."""
    box = QFrame()
    box.setObjectName("outputBox")
    box.setProperty("role", "outputBox")
    layout = QHBoxLayout(box)
    layout.setContentsMargins(12, 4, 12, 4)
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
        _scroll_fallback(self)
        name = layout_spec.line
        line = next(line for line in ctx.config.lines if line.name == name)
        self.marks = AlarmMarks(ctx, self)
        instance = f"{name}.Conveyor"

        self.header = LineHeader(ctx, line, output=output_row(ctx, name, self.marks))
        self.conveyor, self.motor = drive_symbols(ctx, instance, self.marks)
        self.bars: dict[str, AnalogBar] = {}
        self.setpoints: dict[str, SetpointEntry] = {}
        self.values: dict[str, ValueDisplay] = {}

        # The process line, left to right: arrows take the slack, machines their size.
        drawing = QFrame()
        drawing.setObjectName("processLine")
        drawing.setProperty("role", "processLine")
        flow = QHBoxLayout(drawing)
        flow.setContentsMargins(12, 6, 12, 6)
        flow.setSpacing(6)
        flow.addWidget(flow_arrow(layout_spec.upstream))
        flow.addWidget(flow_arrow(), 1)
        speed = value(
            ctx,
            f"{instance}.Speed",
            QCoreApplication.translate("BicycleLine", "Belt speed"),
            self.marks,
        )
        self.conveyor.setFixedSize(240, SYMBOL_HEIGHT)
        self.motor.setFixedSize(96, SYMBOL_HEIGHT)
        # No box title: the belt's own caption names it, and the band stays low.
        flow.addWidget(machine_box("", [self.conveyor, self.motor, speed]))
        for machine in layout_spec.machines:
            flow.addWidget(flow_arrow(), 1)
            key_tag, key_caption = machine.values[0]  # the machine's key value in the drawing
            flow.addWidget(machine_box(machine.title, value(ctx, key_tag, key_caption, self.marks)))
        flow.addWidget(flow_arrow(), 1)
        flow.addWidget(flow_arrow(layout_spec.downstream))

        # What the operator steers by, each setpoint under its value: the conveyor drive,
        # then the line's own machines; a box's width follows its number of columns.
        columns = QHBoxLayout()
        columns.setSpacing(12)
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
                [speed_bar, *drive_bars[:2]],
                [speed_sp, *drive_bars[2:]],
            ),
            3,
        )
        for machine in layout_spec.machines:
            bars = [bar(ctx, t, c, self.marks) for t, c in machine.values]
            sps = [setpoint(ctx, t, c) for t, c in machine.setpoints]
            box = machine_box(machine.title, bars, *([sps] if sps else []))
            columns.addWidget(box, len(bars))

        root = QWidget()
        body = QVBoxLayout(root)
        body.setContentsMargins(12, 8, 12, 8)
        body.setSpacing(8)
        body.addWidget(self.header)
        body.addWidget(drawing)
        body.addLayout(columns)
        self.alarm_list = line_alarms(ctx, name)
        body.addWidget(self.alarm_list, 1)
        body.addStretch(1)  # what the alarm list leaves goes below, not into the drawing
        self.setWidget(_centred(root))
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
        _scroll_fallback(self)
        self.form = form
        line = next(line for line in ctx.config.lines if line.name == line_name)
        self.marks = AlarmMarks(ctx, self)
        body = form.layout()
        output = form.findChild(QFrame, "outputBox")
        if output is not None and body is not None:
            body.removeWidget(output)  # it goes beside the line state, in the header
        self.header = LineHeader(ctx, line, output=output)
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
        if isinstance(body, QVBoxLayout):
            body.insertWidget(max(0, body.count() - 1), self.alarm_list, 1)
        self.setWidget(_centred(form))


def _scroll_fallback(area: QScrollArea) -> None:
    """A line screen's scroll area: it scrolls only on a screen smaller than it is made for."""
    area.setObjectName("lineScreen")
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setStyleSheet(STYLE)


def _centred(content: QWidget) -> QWidget:
    """`content` at most `MAX_CONTENT_WIDTH` wide, centred: on a wide screen the bars and
    the process line keep their proportions instead of stretching across it."""
    content.setMaximumWidth(MAX_CONTENT_WIDTH)
    page = QWidget()
    page.setObjectName("linePage")
    row = QHBoxLayout(page)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(0)
    row.addStretch(0)  # the margins share what the content, at its maximum, leaves
    row.addWidget(content, 1)
    row.addStretch(0)
    return page


class LineAlarms(AlarmList):
    """The line's alarm list: `ALARM_ROWS[0]` rows at least, up to `ALARM_ROWS[1]` rows
    where the screen has the height; beyond that the rows scroll, and the heading never
    takes the extra height."""

    def __init__(self, ctx: ScreenContext, line: str):
        least, most = ALARM_ROWS
        title = QCoreApplication.translate("AlarmList", "Alarms")
        super().__init__(ctx, area=line, rows=least, title=title)
        rows = self.scroll.height()  # AlarmList fixes it to `least` rows
        self._more = rows * (most - least) // least
        self.scroll.setMinimumHeight(rows)
        self.scroll.setMaximumHeight(rows + self._more)

    def showEvent(self, ev: QShowEvent) -> None:
        # Measured once shown, with the screen's style: the least height plus the rows.
        # (Not the size hint: a line screen's scroll area gives the page its preferred
        # height, which must stay what a 1280×800 panel shows.)
        self.setMaximumHeight(self.minimumSizeHint().height() + self._more)
        super().showEvent(ev)


def line_alarms(ctx: ScreenContext, line: str) -> AlarmList:
    """The line's active alarms at the foot of its screen, titled like a section (the
    screen's title already names the line)."""
    alarms = LineAlarms(ctx, line)
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
