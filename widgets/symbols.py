"""ISA-101 process symbols drawn with QPainter: motor, valve, tank with level, conveyor.

High-performance HMI symbols are flat and grey: a stopped motor or closed valve is an
outline on a light grey body; running / open is a DARK, heavy outline on a darker body
(shape and weight, not colour). Colour appears only as the alarm badge (the priority
number in its colour) and the themed border when the equipment is in alarm. Missing
or untrusted data draws a dashed outline and the quality word.

Every symbol is clickable (mouse, or Space/Enter with focus) and emits
``clicked(instance)``: a screen connects it to open that instance's faceplate.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, Unpack

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter, QPainterPath, QPolygonF

from hmi.config import TagConfig
from hmi.tagvalue import Quality, TagValue
from widgets._painted import PaintedOptions, PaintedTagWidget, scaled_font, shown_number
from widgets._tagcore import finite_number
from widgets.analog_range import AnalogRange

CAPTION = 18  # px under the shape for its caption


def _active(value: Any) -> bool | None:
    """Running / open from a bool, a number (non-zero) or a word; None when unreadable."""
    if isinstance(value, bool):
        return value
    number = finite_number(value)
    if number is not None:
        return number != 0
    return None


class Symbol(PaintedTagWidget):
    """Base of the symbols: a shape, a caption under it, and the click."""

    clicked = Signal(str)
    """Emitted with `instance` (or the tag when no instance was given) on a click."""

    def __init__(
        self,
        config: TagConfig | None = None,
        caption: str = "",
        **options: Unpack[PaintedOptions],
    ):
        super().__init__(config, caption, **options)
        self.instance = self.core.instance or self.core.tag
        self._active: bool | None = None
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def minimumSizeHint(self) -> QSize:
        return QSize(76, 90)

    @property
    def active(self) -> bool | None:
        """Running / open (True), stopped / closed (False), unknown (None)."""
        return self._active

    def visible_state(self, tv: TagValue | None, quality: Quality) -> Hashable:
        active = None
        if tv is not None and quality is not Quality.DISCONNECTED:
            active = _active(tv.value)
        self._active = active
        return (active, quality)

    # -- clicks ---------------------------------------------------------------------------------

    def mouseReleaseEvent(self, ev: QMouseEvent) -> None:
        if ev.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            ev.position().toPoint()
        ):
            self.clicked.emit(self.instance)
            ev.accept()
            return
        super().mouseReleaseEvent(ev)

    def keyPressEvent(self, ev: QKeyEvent) -> None:
        if ev.key() in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.clicked.emit(self.instance)
            ev.accept()
            return
        super().keyPressEvent(ev)

    # -- painting -------------------------------------------------------------------------------

    def paint_content(self, painter: QPainter, rect: QRectF) -> None:
        shape = QRectF(rect.left(), rect.top(), rect.width(), rect.height() - CAPTION)
        self._style_body(painter)
        self.paint_shape(painter, shape)
        painter.setFont(scaled_font(self.font(), 13))
        painter.setPen(self.isa.color("ink"))
        caption = QRectF(rect.left(), shape.bottom(), rect.width(), CAPTION)
        painter.drawText(caption, Qt.AlignmentFlag.AlignCenter, self.caption)

    def _style_body(self, painter: QPainter) -> None:
        """Pen and brush for the body by state: heavy dark when active, dashed when unknown."""
        if self._active is None or not self.trusted():
            painter.setPen(self.pen("faint_ink", 1.5, dashed=True))
            painter.setBrush(
                Qt.BrushStyle.NoBrush if self._active is None else self.isa.color("face")
            )
        elif self._active:
            painter.setPen(self.pen("active_outline", 3))
            painter.setBrush(self.isa.color("active_face"))
        else:
            painter.setPen(self.pen("outline", 1.5))
            painter.setBrush(self.isa.color("face"))

    def paint_shape(self, painter: QPainter, rect: QRectF) -> None:
        raise NotImplementedError


def _square(rect: QRectF, margin: float = 4) -> QRectF:
    side = min(rect.width(), rect.height()) - 2 * margin
    return QRectF(rect.center().x() - side / 2, rect.center().y() - side / 2, side, side)


class Motor(Symbol):
    """A circle with "M". Bind it to the motor's running feedback (bool)."""

    def sizeHint(self) -> QSize:
        return QSize(96, 110)

    def paint_shape(self, painter: QPainter, rect: QRectF) -> None:
        box = _square(rect, 6)
        painter.drawEllipse(box)
        painter.setFont(scaled_font(self.font(), max(12, int(box.height() * 0.4)), bold=True))
        painter.setPen(self.isa.color("ink"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, "M")


class Valve(Symbol):
    """Two triangles meeting at a stem (a bow tie). Bind it to the open feedback
    (bool, or a position where non-zero means open)."""

    def sizeHint(self) -> QSize:
        return QSize(96, 110)

    def paint_shape(self, painter: QPainter, rect: QRectF) -> None:
        box = _square(rect, 6)
        cx, cy = box.center().x(), box.center().y() + box.height() * 0.12
        w, h = box.width() / 2, box.height() * 0.3
        left = QPolygonF([QPointF(cx - w, cy - h), QPointF(cx, cy), QPointF(cx - w, cy + h)])
        right = QPolygonF([QPointF(cx + w, cy - h), QPointF(cx, cy), QPointF(cx + w, cy + h)])
        painter.drawPolygon(left)
        painter.drawPolygon(right)
        actuator = QRectF(cx - w * 0.35, box.top(), w * 0.7, box.height() * 0.18)
        painter.drawLine(QPointF(cx, actuator.bottom()), QPointF(cx, cy))
        painter.drawRect(actuator)


class Conveyor(Symbol):
    """A belt between two rollers; running adds direction chevrons on the belt."""

    def sizeHint(self) -> QSize:
        return QSize(200, 90)

    def minimumSizeHint(self) -> QSize:
        return QSize(100, 76)

    def paint_shape(self, painter: QPainter, rect: QRectF) -> None:
        h = min(rect.height() - 8, 36.0)
        belt = QRectF(rect.left() + 4, rect.center().y() - h / 2, rect.width() - 8, h)
        painter.drawRoundedRect(belt, h / 2, h / 2)
        r = h * 0.32
        for x in (belt.left() + h / 2, belt.right() - h / 2):
            painter.drawEllipse(QPointF(x, belt.center().y()), r, r)
        if self._active and self.trusted():
            painter.setPen(self.pen("ink", 2))
            cy = belt.center().y()
            start, end = belt.left() + h * 1.1, belt.right() - h * 1.1
            step = max(14.0, (end - start) / 4)
            x = start
            while x + 8 <= end:  # bounded by the belt's width
                painter.drawPolyline(
                    QPolygonF([QPointF(x, cy - 6), QPointF(x + 7, cy), QPointF(x, cy + 6)])
                )
                x += step


class Tank(Symbol):
    """A vessel with its level. Bind it to the level tag; the range is as for `AnalogBar`
    (``minimum``/``maximum``, else the tag's engineering range, else 0…100)."""

    def __init__(
        self,
        config: TagConfig | None = None,
        caption: str = "",
        *,
        minimum: float | None = None,
        maximum: float | None = None,
        normal: tuple[float, float] | None = None,
        **kwargs: Any,
    ):
        super().__init__(config, caption, **kwargs)
        self.range = AnalogRange.for_tag(config, minimum=minimum, maximum=maximum, normal=normal)
        self._level: float | None = None
        self._text = "----"

    @property
    def text(self) -> str:
        return self._text

    def sizeHint(self) -> QSize:
        return QSize(110, 160)

    def minimumSizeHint(self) -> QSize:
        return QSize(70, 120)

    def visible_state(self, tv: TagValue | None, quality: Quality) -> Hashable:
        level = shown_number(tv, quality)
        self._level = level
        self._active = None if level is None else False  # a tank body is never "running"
        self._text = self.value_text(tv, quality)
        where = None if level is None else round(self.range.fraction(level) * 400)
        return (where, self._text, quality)

    def paint_shape(self, painter: QPainter, rect: QRectF) -> None:
        w = min(rect.width() - 8, rect.height() * 0.7)
        body = QRectF(rect.center().x() - w / 2, rect.top() + 2, w, rect.height() - 4)
        path = QPainterPath()
        path.addRoundedRect(body, w * 0.18, w * 0.18)
        painter.drawPath(path)
        if self._level is not None:
            f = self.range.fraction(self._level)
            liquid = QRectF(
                body.left(), body.bottom() - f * body.height(), body.width(), f * body.height()
            )
            painter.save()
            painter.setClipPath(path)
            painter.fillRect(liquid, self.isa.color("level"))
            painter.restore()
            painter.setPen(self.pen("ink", 1.5, dashed=not self.trusted()))
            painter.drawLine(
                QPointF(body.left(), liquid.top()), QPointF(body.right(), liquid.top())
            )
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(self.pen("outline", 1.5))
            painter.drawPath(path)
        units = f" {self.units}" if self.units and self._level is not None else ""
        painter.setFont(scaled_font(self.font(), 14, bold=True))
        painter.setPen(self.isa.color("ink"))
        painter.drawText(body, Qt.AlignmentFlag.AlignCenter, self._text + units)
