"""What the QPainter-drawn widgets (gauge, bar, sparkline, symbols) share.

A painted widget reduces a value to a small hashable *visible state* (the text it
would draw, the marker position in pixels, …). `set_tag_value` compares it with the
last one and calls `update()` only when it differs: a value that moved by less than a
pixel, or a repeated frame, costs a tuple comparison and no repaint.

The frame itself (a QFrame) is styled by the theme: the ``quality`` and
``alarmPriority`` properties give it its border. Inside, `paintEvent` draws the
content, then what says "do not trust this" without colour — the quality word, a
hatch over bad data — and the alarm priority badge.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, ClassVar, TypedDict, Unpack

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QFrame, QWidget

from hmi.config import TagConfig
from hmi.tagvalue import Quality, TagValue
from widgets._quality import quality_marker
from widgets._tagcore import CoreDelegate, TagCore, finite_number, tr_on_off
from widgets.alarm_aware import paint_alarm_badge
from widgets.analog_range import AnalogRange, RangeState
from widgets.context_menu import TagActions
from widgets.formatting import NO_VALUE, format_value
from widgets.palette import ISA101, IsaPalette

BADGE = 18  # px: the alarm badge and the quality word's height


def scaled_font(base: QFont, pixels: int, bold: bool = False) -> QFont:
    font = QFont(base)
    font.setPixelSize(pixels)
    font.setBold(bold)
    return font


def shown_number(tv: TagValue | None, quality: Quality) -> float | None:
    """The value as a finite number to draw; None without one or without a connection."""
    if tv is None or quality is Quality.DISCONNECTED:
        return None
    return finite_number(tv.value)


class PaintedOptions(TypedDict, total=False):
    """The keyword arguments every painted widget passes on to `PaintedTagWidget`
    (defaults there). Why: declared once, not copied into each widget's signature."""

    tag: str
    lang: str
    actions: TagActions | None
    instance: str
    palette: IsaPalette
    parent: QWidget | None


class PaintedTagWidget(CoreDelegate, QFrame):
    """Base of the painted tag widgets: subclasses give `visible_state` and `paint_content`."""

    def __init__(
        self,
        config: TagConfig | None = None,
        caption: str = "",
        *,
        tag: str = "",
        lang: str = "en",
        actions: TagActions | None = None,
        instance: str = "",
        palette: IsaPalette = ISA101,
        true_text: str | None = None,
        false_text: str | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.isa = palette
        self.caption = caption
        on, off = tr_on_off(true_text, false_text)
        self.core = TagCore(
            self,
            tag,
            config,
            lang=lang,
            actions=actions,
            instance=instance,
            true_text=on,
            false_text=off,
        )
        self._visible: Hashable = object()
        self.update_count = 0
        """How often a value caused a repaint request: tests and benchmarks read it."""

    # -- the TagWidget / AlarmAware protocols -------------------------------------------------

    def set_tag_value(self, value: TagValue) -> None:
        quality = self.core.accept(value)
        tv = value if isinstance(value, TagValue) else None
        state = self.visible_state(tv, quality)
        self.core.show_quality(quality)  # re-polishes (and repaints) only on a change
        if state != self._visible:
            self._visible = state
            self.update_count += 1
            self.update()

    # -- what the operator sees -----------------------------------------------------------------

    @property
    def quality_text(self) -> str:
        """The quality word drawn on the widget ("" when good)."""
        return quality_marker(self.core.quality)

    def value_text(self, tv: TagValue | None, quality: Quality) -> str:
        """The value as text, decorated like ValueDisplay: "----" without data, "?" if doubtful."""
        if tv is None or tv.value is None or quality is Quality.DISCONNECTED:
            return NO_VALUE
        core = self.core
        text = format_value(
            tv.value, core.config, true_text=core.true_text, false_text=core.false_text
        )
        if quality in (Quality.UNCERTAIN, Quality.STALE):
            text += "?"
        return text

    @property
    def units(self) -> str:
        return self.core.config.units if self.core.config else ""

    # -- for subclasses -------------------------------------------------------------------------

    def visible_state(self, tv: TagValue | None, quality: Quality) -> Hashable:
        """Everything that changes the drawing; equal states are not repainted."""
        raise NotImplementedError

    def paint_content(self, painter: QPainter, rect: QRectF) -> None:
        raise NotImplementedError

    def trusted(self) -> bool:
        """Whether the data may be drawn as a plain value (good or merely uncertain)."""
        return self.core.quality in (Quality.GOOD, Quality.UNCERTAIN)

    def pen(self, colour: str, width: float = 1.0, dashed: bool = False) -> QPen:
        pen = QPen(self.isa.color(colour), width)
        if dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        return pen

    # -- painting -------------------------------------------------------------------------------

    def paintEvent(self, ev: Any) -> None:
        super().paintEvent(ev)  # the themed frame (quality / alarm border)
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            rect = QRectF(self.contentsRect().adjusted(3, 3, -3, -3))
            strip = self.status_strip(rect)
            content = self.content_rect(rect, strip)
            self.paint_content(painter, content)
            self._paint_quality(painter, content, strip)
            corner = QPointF(strip.right() - BADGE, strip.top())
            paint_alarm_badge(painter, corner, self.core.alarm_priority, self.isa, BADGE)
        finally:
            painter.end()

    def status_strip(self, rect: QRectF) -> QRectF:
        """Where the quality word (left) and alarm badge (right) go: a reserved bottom row,
        so neither covers the value nor makes the drawing jump when it appears."""
        return QRectF(rect.left(), rect.bottom() - BADGE, rect.width(), BADGE)

    def content_rect(self, rect: QRectF, strip: QRectF) -> QRectF:
        """The area left for `paint_content` (above the bottom strip by default)."""
        if strip.top() > rect.center().y():
            return QRectF(rect.left(), rect.top(), rect.width(), strip.top() - rect.top() - 2)
        return QRectF(
            rect.left(), strip.bottom() + 2, rect.width(), rect.bottom() - strip.bottom() - 2
        )

    def _paint_quality(self, painter: QPainter, content: QRectF, strip: QRectF) -> None:
        quality = self.core.quality
        if quality is Quality.BAD:  # a hatch marks bad data for those who cannot tell colour
            ink = QColor(self.isa.quality)
            ink.setAlpha(90)
            painter.fillRect(content, QBrush(ink, Qt.BrushStyle.BDiagPattern))
        word = quality_marker(quality)
        if not word:
            return
        # The word must fit beside the alarm badge: a smaller font first, then elided.
        room = strip.width() - BADGE - 4
        for pixels in (12, 11, 10, 9):
            painter.setFont(scaled_font(self.font(), pixels, bold=True))
            if painter.fontMetrics().horizontalAdvance(word) + 8 <= room:
                break
        metrics = painter.fontMetrics()
        if metrics.horizontalAdvance(word) + 8 > room:  # elidedText's fractional widths
            # would cut a word that fits exactly: elide only what really does not fit
            word = metrics.elidedText(word, Qt.TextElideMode.ElideRight, max(8, int(room) - 8))
        width = metrics.horizontalAdvance(word) + 8
        box = QRectF(strip.left(), strip.top(), width, BADGE)
        if quality is Quality.BAD:  # as the QSS marker: white on magenta
            painter.fillRect(box, self.isa.color("quality"))
            painter.setPen(self.isa.color("inverse_ink"))
        elif quality is Quality.DISCONNECTED:
            painter.fillRect(box, self.isa.color("background"))
            painter.setPen(self.isa.color("quality"))
        else:
            painter.fillRect(box, self.isa.color("background"))
            painter.setPen(self.pen("faint_ink"))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(box.adjusted(0.5, 0.5, -0.5, -0.5))
            painter.setPen(self.isa.color("ink"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, word)


class RangedTagWidget(PaintedTagWidget):
    """Base of the widgets that draw a value against its scale and normal band (bar, gauge).

    Why shared: both take the same range arguments (``range`` wins over minimum /
    maximum / normal / limits; without either, the tag's engineering range, else
    0…100), keep the same ``rangeState`` style property and reduce a value to the same
    visible state; they differ only in the drawing and in `POSITIONS`, how finely the
    marker's place along the scale counts as a change worth a repaint.
    """

    POSITIONS: ClassVar[int] = 1000

    def __init__(
        self,
        config: TagConfig | None = None,
        caption: str = "",
        *,
        range: AnalogRange | None = None,
        minimum: float | None = None,
        maximum: float | None = None,
        normal: tuple[float, float] | None = None,
        limits: tuple[float, ...] = (),
        **options: Unpack[PaintedOptions],
    ):
        super().__init__(config, caption, **options)
        self.range = range or AnalogRange.for_tag(
            config, minimum=minimum, maximum=maximum, normal=normal, limits=limits
        )
        self._text = NO_VALUE
        self._number: float | None = None
        self._range_state: RangeState = ""
        self.core.style.set(rangeState="")

    @property
    def text(self) -> str:
        """The value text as drawn (with "?" or "----" as ValueDisplay does)."""
        return self._text

    @property
    def range_state(self) -> RangeState:
        return self._range_state

    @property
    def abnormal(self) -> bool:
        """Outside the normal band: drawn heavier."""
        return self._range_state in ("low", "high")

    def visible_state(self, tv: TagValue | None, quality: Quality) -> Hashable:
        number = shown_number(tv, quality)
        self._number = number
        self._text = self.value_text(tv, quality)
        state = self.range.state(number)
        if state != self._range_state:
            self._range_state = state
            self.core.style.set(rangeState=state)
        where = None if number is None else round(self.range.fraction(number) * self.POSITIONS)
        return (self._text, where, state, quality)
