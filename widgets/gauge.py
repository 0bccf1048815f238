"""RadialGauge: a value on a 270° dial, drawn with QPainter (no images).

The same ISA-101 language as `AnalogBar`: a grey arc for the scale, a lighter arc for
the normal band, ticks at the limits, a dark needle. Outside the normal band the needle
and value text get heavier; in alarm the needle's hub takes the priority colour and
the badge shows the priority number. Use it sparingly: a bar reads faster in a row.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPen

from widgets._painted import RangedTagWidget, scaled_font
from widgets.formatting import format_value

START_DEG = 225.0  # the scale minimum, at about 7:30 on a clock face
SWEEP_DEG = 270.0  # clockwise to 4:30
ARC = 10  # px: the scale arc's thickness


def _angle(fraction: float) -> float:
    return math.radians(START_DEG - SWEEP_DEG * fraction)


def _point(centre: QPointF, radius: float, fraction: float) -> QPointF:
    a = _angle(fraction)
    return QPointF(centre.x() + radius * math.cos(a), centre.y() - radius * math.sin(a))


class RadialGauge(RangedTagWidget):
    """A dial. Range arguments as for `AnalogBar` (see `RangedTagWidget`)."""

    POSITIONS = 540  # half a degree of needle is below what anyone can see

    def sizeHint(self) -> QSize:
        return QSize(170, 180)

    def minimumSizeHint(self) -> QSize:
        return QSize(100, 130)

    def paint_content(self, painter: QPainter, rect: QRectF) -> None:
        painter.setFont(scaled_font(self.font(), 13))
        painter.setPen(self.isa.color("faint_ink"))
        title = QRectF(rect.left(), rect.top(), rect.width(), 18)
        painter.drawText(title, Qt.AlignmentFlag.AlignCenter, self.caption)
        dial = QRectF(rect.left(), title.bottom() + 2, rect.width(), rect.bottom() - title.bottom())
        side = min(dial.width(), dial.height() * 1.15)
        radius = side / 2 - ARC
        centre = QPointF(dial.center().x(), dial.top() + ARC + radius)
        self._paint_scale(painter, centre, radius)
        self._paint_needle(painter, centre, radius)
        self._paint_text(painter, centre, radius)

    def _arc(self, painter: QPainter, centre: QPointF, radius: float, f0: float, f1: float) -> None:
        box = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
        start = START_DEG - SWEEP_DEG * f0
        span = -SWEEP_DEG * (f1 - f0)
        painter.drawArc(box, round(start * 16), round(span * 16))

    def _paint_scale(self, painter: QPainter, centre: QPointF, radius: float) -> None:
        rng = self.range
        painter.setBrush(Qt.BrushStyle.NoBrush)
        pen = QPen(self.isa.color("track"), ARC)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setPen(pen)
        self._arc(painter, centre, radius, 0.0, 1.0)
        if rng.normal is not None:
            pen = QPen(self.isa.color("normal_band"), ARC - 4)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            painter.setPen(pen)
            self._arc(
                painter, centre, radius, rng.fraction(rng.normal[0]), rng.fraction(rng.normal[1])
            )
        painter.setPen(self.pen("ink", 2))
        for limit in rng.limits:
            f = rng.fraction(limit)
            painter.drawLine(
                _point(centre, radius + ARC / 2, f), _point(centre, radius + ARC / 2 + 5, f)
            )
        painter.setFont(scaled_font(self.font(), 11))
        painter.setPen(self.isa.color("faint_ink"))
        cfg = self.core.config
        for f, v in ((0.0, rng.minimum), (1.0, rng.maximum)):
            p = _point(centre, radius, f)
            box = QRectF(p.x() - 30, p.y() + ARC / 2 + 1, 60, 14)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, format_value(v, cfg))

    def _paint_needle(self, painter: QPainter, centre: QPointF, radius: float) -> None:
        if self._number is None:
            return
        f = self.range.fraction(self._number)
        pen = self.pen("ink", 4 if self.abnormal else 2.5, dashed=not self.trusted())
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawLine(centre, _point(centre, radius - 2, f))
        hub = self.isa.color("ink")
        if self.core.alarm_priority is not None:
            hub = self.isa.alarm_color(self.core.alarm_priority)
        painter.setPen(self.pen("ink", 1))
        painter.setBrush(hub)
        painter.drawEllipse(centre, 6, 6)

    def _paint_text(self, painter: QPainter, centre: QPointF, radius: float) -> None:
        painter.setFont(scaled_font(self.font(), 18, bold=self.abnormal))
        painter.setPen(self.isa.color("ink"))
        box = QRectF(centre.x() - radius, centre.y() + radius * 0.28, 2 * radius, 24)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, self._text)
        if self.units and self._number is not None:
            painter.setFont(scaled_font(self.font(), 12))
            painter.setPen(self.isa.color("faint_ink"))
            painter.drawText(box.translated(0, 20), Qt.AlignmentFlag.AlignCenter, self.units)
