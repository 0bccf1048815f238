"""The widget gallery: every library widget in every state, fed with made-up values.

Columns are the states an operator must tell apart — good, uncertain, stale, bad, no
communication, and alarm priorities 1–4 — and rows are the widgets. It needs no
runtime (values are fake `TagValue`s), so it doubles as the fixture of the
screenshot tests and the pictures in docs/widgets.md.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from hmi.config import TagConfig
from hmi.drivers.base import WriteResult
from hmi.plugin import ScreenContext, ScreenSpec
from hmi.tagvalue import Quality, TagValue
from widgets import (
    AlarmAware,
    AnalogBar,
    CommandButton,
    Conveyor,
    Indicator,
    Motor,
    MultiStateLabel,
    RadialGauge,
    SetpointEntry,
    Sparkline,
    Tank,
    ValueDisplay,
    Valve,
)
from widgets._painted import BADGE, PaintedTagWidget, scaled_font
from widgets._quality import quality_marker
from widgets.alarm_aware import priority_property

TS = 1_773_480_413.0  # a fixed source time (2026-03-14 09:26:53 UTC): stable screenshots
QUALITY_STATES = ("good", "uncertain", "stale", "bad", "disconnected")
ALARM_STATES = ("alarm1", "alarm2", "alarm3", "alarm4")
STATES = QUALITY_STATES + ALARM_STATES
"""The gallery's columns, in order."""


def gallery_screen() -> ScreenSpec:
    """The gallery as a screen (system level 4: a reference, not a plant display)."""
    return ScreenSpec("gallery", {"en": "Widget gallery", "zh_TW": "元件展示"}, build_gallery, 4)


def build_gallery(ctx: ScreenContext | None = None) -> WidgetGallery:
    return WidgetGallery(lang=ctx.lang if ctx is not None else "en")


def _tag(name: str, units: str = "", type_: str = "float64", fmt: str = ".1f", **kw: Any):
    return TagConfig(
        name=f"Gallery.{name}",
        connection="gallery",
        address=f"gallery:{name}",
        type=type_,
        units=units,
        format=fmt,
        **kw,
    )


SPEED = _tag("Speed", "m/min", writable=True, description={"en": "Belt speed", "zh_TW": "皮帶速度"})
CURRENT = _tag("Current", "A", description={"en": "Motor current", "zh_TW": "馬達電流"})
TEMP = _tag("Temperature", "°C", fmt=".0f")
LEVEL = _tag("Level", "%", fmt=".0f")
RUNNING = _tag("Running", type_="bool", fmt="")
MODE = _tag("Mode", type_="uint16", fmt="")
START = _tag("StartCmd", type_="bool", fmt="", writable=True)


def _echo_write(tag: str, value: Any, on_done: Callable[[WriteResult], None] | None) -> None:
    """The gallery's stand-in for the runtime: every write succeeds at once."""
    if on_done is not None:
        on_done(WriteResult(tag, True, value))


def _quality(state: str) -> Quality:
    """The quality of a column's fake values (the alarm columns' values are good)."""
    return {
        "uncertain": Quality.UNCERTAIN,
        "stale": Quality.STALE,
        "bad": Quality.BAD,
        "disconnected": Quality.DISCONNECTED,
    }.get(state, Quality.GOOD)


def _value(state: str, name: str, good: Any, alarm: Any) -> TagValue:
    """The fake value of one cell: `alarm` (out of normal) in the alarm columns."""
    quality = _quality(state)
    value = alarm if state in ALARM_STATES else good
    reason = (
        ""
        if quality is Quality.GOOD
        else QCoreApplication.translate("WidgetGallery", "gallery example")
    )
    return TagValue(name, value, quality, TS, TS, reason)


def _priority(state: str) -> int | None:
    return int(state[-1]) if state in ALARM_STATES else None


QUALITY_WORD_PX = 12
"""The quality word's font size a gallery cell leaves room for: the widget's first choice
(it tries 12 … 9 px), so the word is never shrunk, nor cut at a size on the edge of fitting."""


def _fit_quality_word(widget: QWidget, quality: Quality) -> None:
    """Widen a painted widget so its quality word fits whole beside its alarm badge.

    A narrow painted widget shrinks, then elides, the word ("UNC…"); the gallery shows
    what each state looks like, so no cell may be that narrow.
    """
    word = quality_marker(quality)
    if not word or not isinstance(widget, PaintedTagWidget):
        return
    metrics = QFontMetrics(scaled_font(widget.font(), QUALITY_WORD_PX, bold=True))
    margins = widget.contentsMargins()
    # As PaintedTagWidget._paint_quality: a 3 px inset each side, the word's box (+8 px),
    # a 4 px gap and the alarm badge; +4 px, as eliding measures a little wider.
    needed = metrics.horizontalAdvance(word) + 8 + 4 + BADGE + 6 + 4
    needed += margins.left() + margins.right()
    widget.setMinimumWidth(max(widget.minimumSizeHint().width(), needed))


def _set_alarm(widget: QWidget, priority: int | None) -> None:
    """Mark a widget's alarm; ValueDisplay predates `set_alarm_priority`, so set its property."""
    if isinstance(widget, AlarmAware):
        widget.set_alarm_priority(priority)
    elif isinstance(widget, ValueDisplay):
        widget.style_props.set(alarmPriority=priority_property(priority))


class _StateGrid(QWidget):
    """One block of the gallery: a title column and one column per state."""

    def __init__(self, headers: list[str]):
        super().__init__()
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(8)
        self.grid.setVerticalSpacing(8)
        self.titles: list[QLabel] = []
        for col, text in enumerate(headers, start=1):
            label = QLabel(text)
            label.setObjectName("galleryHeader")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.grid.addWidget(label, 0, col)
            self.grid.setColumnStretch(col, 1)

    def add_row(self, title: str, cells: list[QWidget]) -> None:
        row = len(self.titles) + 1
        label = QLabel(title)
        label.setObjectName("galleryRowTitle")
        label.setWordWrap(True)
        label.setFixedWidth(104)
        self.titles.append(label)
        self.grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignVCenter)
        for col, cell in enumerate(cells, start=1):
            self.grid.addWidget(cell, row, col)

    def show_titles(self, shown: bool) -> None:
        for label in self.titles:
            label.setVisible(shown)


class WidgetGallery(QWidget):
    """The gallery. `cells[(row, state)]` lists the widgets of one cell (tests read it).

    On a wide screen the quality states and the alarm priorities stand side by side, one
    row per widget; when that does not fit, the alarm block moves below the quality block
    (the page scrolls vertically, never sideways).
    """

    def __init__(self, lang: str = "en", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("gallery")
        self.lang = lang
        self.cells: dict[tuple[str, str], list[QWidget]] = {}
        self.rows: list[str] = []
        self._wide_width: int | None = None
        self._arranged: bool | None = None

        self.quality_block = _StateGrid(
            [
                QCoreApplication.translate("WidgetGallery", "Good"),
                QCoreApplication.translate("WidgetGallery", "Uncertain"),
                QCoreApplication.translate("WidgetGallery", "Stale"),
                QCoreApplication.translate("WidgetGallery", "Bad"),
                QCoreApplication.translate("WidgetGallery", "No comm"),
            ]
        )
        self.alarm_block = _StateGrid(
            [
                QCoreApplication.translate("WidgetGallery", "Alarm P{n}").format(n=n)
                for n in (1, 2, 3, 4)
            ]
        )
        for name, title, make, feed, stacked in self._rows():
            self._add_row(name, title, make, feed, stacked)
        self._align_rows()

        body = QWidget()
        body.setObjectName("galleryBody")
        self.blocks = QBoxLayout(QBoxLayout.Direction.LeftToRight, body)
        self.blocks.setContentsMargins(12, 8, 12, 12)
        self.blocks.setSpacing(10)
        self.blocks.addWidget(self.quality_block, 5)
        self.blocks.addWidget(self.alarm_block, 4)
        self.wide = True

        self.scroll = QScrollArea(self)
        self.scroll.setObjectName("galleryScroll")
        self.scroll.setWidget(body)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll)
        self._arrange(self.width())

    def widgets(self) -> list[QWidget]:
        """Every tag widget in the gallery."""
        return [w for cell in self.cells.values() for w in cell]

    # -- layout ---------------------------------------------------------------------------------

    def wide_width(self) -> int:
        """The width the side-by-side arrangement needs (measured once, with all titles)."""
        if self._wide_width is None:
            margins = 12 + 12 + 10 + 20  # body margins, spacing between blocks, a scroll bar
            titles = self.alarm_block.titles[0].width() + 8 if self.alarm_block.titles else 0
            alarm = self.alarm_block.minimumSizeHint().width() - titles
            self._wide_width = self.quality_block.minimumSizeHint().width() + alarm + margins
        return self._wide_width

    def _arrange(self, width: int) -> None:
        wide = width >= self.wide_width()
        if wide == self._arranged:
            return
        self._arranged = wide
        self.wide = wide
        self.blocks.setDirection(
            QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        )
        self.alarm_block.show_titles(not wide)
        # The block's minimum width was fixed when its grid was last activated, with or
        # without the titles: activate it again now, else the page is sized for them.
        self.alarm_block.grid.activate()

    def resizeEvent(self, ev) -> None:
        super().resizeEvent(ev)
        self._arrange(ev.size().width())

    # -- building -------------------------------------------------------------------------------

    def _add_row(self, name: str, title: str, make, feed, stacked: bool) -> None:
        self.rows.append(name)
        quality_cells: list[QWidget] = []
        alarm_cells: list[QWidget] = []
        for state in STATES:
            widgets = make()
            holder = QWidget()
            box = QVBoxLayout(holder) if stacked else QHBoxLayout(holder)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(4)
            for w in widgets:
                box.addWidget(w)
                feed(w, state)
                _fit_quality_word(w, _quality(state))
                _set_alarm(w, _priority(state))
            self.cells[(name, state)] = widgets
            (alarm_cells if state in ALARM_STATES else quality_cells).append(holder)
        self.quality_block.add_row(title, quality_cells)
        self.alarm_block.add_row(title, alarm_cells)

    def _align_rows(self) -> None:
        """Give a row the same height in both blocks, so side by side they line up."""
        for block in (self.quality_block, self.alarm_block):
            block.grid.activate()
        for row in range(1, len(self.rows) + 1):
            height = 0
            for block in (self.quality_block, self.alarm_block):
                for col in range(block.grid.columnCount()):
                    item = block.grid.itemAtPosition(row, col)
                    if item is not None and item.widget() is not None:
                        height = max(height, item.widget().sizeHint().height())
            for block in (self.quality_block, self.alarm_block):
                block.grid.setRowMinimumHeight(row, height)

    def _rows(self) -> list[tuple[str, str, Callable[[], list[QWidget]], Callable, bool]]:
        lang = self.lang

        def feed(good: Any, alarm: Any) -> Callable[[Any, str], None]:
            return lambda w, state: w.set_tag_value(_value(state, w.core.tag, good, alarm))

        def feed_value_display(w: ValueDisplay, state: str) -> None:
            w.set_tag_value(_value(state, SPEED.name, 42.5, 58.3))

        def feed_spark(w: Sparkline, state: str) -> None:
            for i in range(60):
                v = 40 + 6 * math.sin(i / 6) + (i / 4 if state in ALARM_STATES else 0)
                w.set_tag_value(TagValue(CURRENT.name, v, Quality.GOOD, TS - 60 + i, TS - 60 + i))
            w.set_tag_value(_value(state, CURRENT.name, 41.0, 56.0))

        running = {
            True: QCoreApplication.translate("WidgetGallery", "Running"),
            False: QCoreApplication.translate("WidgetGallery", "Stopped"),
        }
        modes = {
            0: QCoreApplication.translate("WidgetGallery", "Off"),
            1: QCoreApplication.translate("WidgetGallery", "Manual"),
            2: QCoreApplication.translate("WidgetGallery", "Auto"),
            3: QCoreApplication.translate("WidgetGallery", "Fault"),
        }

        def speed_bar(vertical: bool = False) -> AnalogBar:
            return AnalogBar(
                SPEED,
                QCoreApplication.translate("WidgetGallery", "Speed"),
                orientation=Qt.Orientation.Vertical if vertical else Qt.Orientation.Horizontal,
                minimum=0,
                maximum=80,
                normal=(30, 50),
                limits=(20, 55),
                lang=lang,
            )

        def pick(tag: str, first: tuple[Any, Any], other: tuple[Any, Any]):
            """A feeder for a cell of two widgets: `first` for `tag`, `other` for the rest."""
            return lambda w, s: w.set_tag_value(
                _value(s, w.core.tag, *(first if w.core.tag == tag else other))
            )

        def gauge() -> RadialGauge:
            return RadialGauge(
                TEMP,
                QCoreApplication.translate("WidgetGallery", "Temp."),
                minimum=0,
                maximum=120,
                normal=(40, 80),
                limits=(90,),
                lang=lang,
            )

        def setpoint() -> SetpointEntry:
            return SetpointEntry(
                SPEED,
                QCoreApplication.translate("WidgetGallery", "Speed SP"),
                write=_echo_write,
                minimum=0,
                maximum=60,
                lang=lang,
            )

        def button() -> CommandButton:
            return CommandButton(
                QCoreApplication.translate("WidgetGallery", "Start"),
                tag=START.name,
                value=True,
                write=_echo_write,
                config=START,
                lang=lang,
            )

        return [
            (
                "value",
                QCoreApplication.translate("WidgetGallery", "Value display"),
                lambda: [
                    ValueDisplay(
                        SPEED, QCoreApplication.translate("WidgetGallery", "Speed"), lang=lang
                    )
                ],
                feed_value_display,
                False,
            ),
            (
                "indicator",
                QCoreApplication.translate("WidgetGallery", "Indicator / multi-state label"),
                lambda: [
                    Indicator(RUNNING, texts=running, lang=lang),
                    MultiStateLabel(MODE, texts=modes, abnormal={3}, lang=lang),
                ],
                pick(RUNNING.name, (True, True), (2, 3)),
                True,
            ),
            (
                "bar",
                QCoreApplication.translate("WidgetGallery", "Bar (normal band)"),
                lambda: [speed_bar()],
                feed(42.5, 58.3),
                False,
            ),
            (
                "gauge_vbar",
                QCoreApplication.translate("WidgetGallery", "Gauge / vertical bar"),
                lambda: [gauge(), speed_bar(vertical=True)],
                pick(TEMP.name, (62.0, 96.0), (42.5, 58.3)),
                False,
            ),
            (
                "sparkline",
                QCoreApplication.translate("WidgetGallery", "Sparkline"),
                lambda: [
                    Sparkline(
                        CURRENT, QCoreApplication.translate("WidgetGallery", "Current"), lang=lang
                    )
                ],
                feed_spark,
                False,
            ),
            (
                "setpoint",
                QCoreApplication.translate("WidgetGallery", "Setpoint entry"),
                lambda: [setpoint()],
                feed(42.5, 58.3),
                False,
            ),
            (
                "button",
                QCoreApplication.translate("WidgetGallery", "Command button"),
                lambda: [button()],
                feed(False, False),
                False,
            ),
            (
                "motor_valve",
                QCoreApplication.translate("WidgetGallery", "Motor / valve"),
                lambda: [
                    Motor(RUNNING, "M-101", instance="Gallery.M101", lang=lang),
                    Valve(RUNNING, "XV-7", instance="Gallery.XV7", lang=lang),
                ],
                feed(True, True),
                False,
            ),
            (
                "tank_conveyor",
                QCoreApplication.translate("WidgetGallery", "Tank / conveyor"),
                lambda: [
                    Tank(LEVEL, "T-1", instance="Gallery.T1", minimum=0, maximum=100, lang=lang),
                    Conveyor(RUNNING, "CV-2", instance="Gallery.CV2", lang=lang),
                ],
                pick(LEVEL.name, (64.0, 93.0), (True, True)),
                False,
            ),
        ]
