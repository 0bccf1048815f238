"""Pieces the line screens and the faceplate share: bound widgets built the same way.

Each helper builds one widget, binds it through the screen context and, where it has
an alarm, registers it with the screen's `AlarmMarks`, so a Python screen and the
Designer screen (`screens/painting.ui`, finished by `finish_ui`) look and behave alike.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from hmi.plugin import ScreenContext
from plugins.bicycle_factory.alarm_marks import AlarmMarks
from plugins.bicycle_factory.ranges import ranged_bar
from widgets import AnalogBar, Conveyor, Motor, SetpointEntry, ValueDisplay

ARROW = "\u2192"  # → between the machines of a process line


def value(ctx: ScreenContext, tag: str, caption: str, marks: AlarmMarks) -> ValueDisplay:
    w = ValueDisplay(ctx.tag_config(tag), caption, lang=ctx.lang)
    w.setProperty("boundTag", tag)  # ValueDisplay keeps no tag name of its own
    ctx.bind(w, tag)
    marks.add(w, tag)
    return w


def bar(ctx: ScreenContext, tag: str, caption: str, marks: AlarmMarks) -> AnalogBar:
    """An ISA-101 analog indicator with the tag's normal band and alarm limit ticks."""
    w = AnalogBar(ctx.tag_config(tag), caption, lang=ctx.lang, actions=ctx.actions)
    w.setObjectName(tag)
    prepare_bar(ctx, w, marks)
    ctx.bind(w, tag)
    return w


def prepare_bar(ctx: ScreenContext, w: AnalogBar, marks: AlarmMarks) -> None:
    """Range, setpoint-following band and alarm marks of a bar (built here or in a .ui)."""
    tag = w.core.tag
    band = ranged_bar(w, ctx.config, tag)
    if band is not None:
        ctx.bind(band, band.setpoint)
    marks.add(w, tag)
    w.setMinimumWidth(200)


def setpoint(ctx: ScreenContext, tag: str, caption: str) -> SetpointEntry:
    """A setpoint entry that writes through `ctx` and is greyed out without permission."""
    w = SetpointEntry(
        ctx.tag_config(tag), caption, write=ctx.write, can_write=ctx.can_write,
        lang=ctx.lang, actions=ctx.actions,
    )  # fmt: skip
    w.setObjectName(tag)
    ctx.bind(w, tag)
    guard_setpoint(ctx, w)
    return w


def guard_setpoint(ctx: ScreenContext, w: SetpointEntry) -> None:
    """Re-ask `ctx.can_write` at each login/logout (a .ui entry gets no `can_write`)."""

    def refresh(*_: object) -> None:
        w.writable = ctx.can_write(w.core.tag)

    refresh()
    ctx.session_changed.connect(refresh)


def drive_symbols(ctx: ScreenContext, instance: str, marks: AlarmMarks) -> tuple[Conveyor, Motor]:
    """The conveyor and its motor, running while the belt moves; a click opens the
    instance's ConveyorMotor faceplate (the station wires it in `ctx.bind`)."""
    tag = f"{instance}.Speed"
    conveyor = Conveyor(
        ctx.tag_config(tag), QCoreApplication.translate("BicycleLine", "Conveyor"),
        instance=instance, lang=ctx.lang, actions=ctx.actions,
    )  # fmt: skip
    conveyor.setObjectName("conveyor")
    motor = Motor(
        ctx.tag_config(tag), QCoreApplication.translate("BicycleLine", "Drive motor"),
        instance=instance, lang=ctx.lang, actions=ctx.actions,
    )  # fmt: skip
    motor.setObjectName("motor")
    drive = [f"{instance}.{m}" for m in ctx.members(instance)]
    for w in (conveyor, motor):
        ctx.bind(w, tag)
        marks.add(w, *drive)  # the most urgent alarm of any of the drive's signals
    return conveyor, motor


def flow_arrow(text: str = "") -> QLabel:
    """The flow of parts: a wide arrow between machines, or where parts come from / go."""
    label = QLabel(text or ARROW)
    label.setObjectName("flow")
    label.setProperty("role", "flow" if text else "arrow")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


def machine_box(title: str, *rows: QWidget | Sequence[QWidget], name: str = "machineBox") -> QFrame:
    """A titled box of a machine (no title row when `title` is empty). Each row is a
    widget or a sequence of widgets side by side (values, or setpoints under their
    values), so a wide screen shows more in less height."""
    box = QFrame()
    box.setObjectName(name)
    box.setProperty("role", "machineBox")
    grid = QGridLayout(box)
    grid.setContentsMargins(10, 6, 10, 6)
    grid.setHorizontalSpacing(12)
    grid.setVerticalSpacing(4)
    width = max((len(r) for r in rows if not isinstance(r, QWidget)), default=1)
    if title:
        heading = QLabel(title, box)
        heading.setObjectName("machineTitle")
        heading.setProperty("role", "machineTitle")
        grid.addWidget(heading, 0, 0, 1, width)
    for i, row in enumerate(rows, start=1):
        cells = [row] if isinstance(row, QWidget) else list(row)
        for j, w in enumerate(cells):
            grid.addWidget(w, i, j, Qt.AlignmentFlag.AlignTop)
    grid.setRowStretch(len(rows) + 1, 1)
    for j in range(width):
        grid.setColumnStretch(j, 1)
    return box


def section(title: str) -> QLabel:
    label = QLabel(title)
    label.setObjectName("sectionTitle")
    label.setProperty("role", "sectionTitle")
    return label
