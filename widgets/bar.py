"""AnalogBar: the ISA-101 analog indicator, horizontal or vertical.

A grey track for the whole scale, a LIGHTER band for the normal operating range,
short ticks at the limits, and a marker for the value. While the value is inside the
normal band everything is grey; outside it the marker turns solid dark and the value
bold (a shape and weight change, readable without colour); in alarm the marker takes
the priority's colour. The operator sees "normal or not" before reading a number.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPolygonF

from hmi.config import TagConfig
from widgets._painted import RangedTagWidget, scaled_font

TRACK = 12  # px: the thickness of the track
MARKER = 9  # px: the marker triangle's size


class AnalogBar(RangedTagWidget):
    """A value against its normal band, along a horizontal or vertical track. The other
    arguments are `RangedTagWidget`'s: ``range`` wins over minimum/maximum/normal/limits;
    without either, the scale is the tag's engineering range (its `Scale`), else 0…100."""

    def __init__(
        self,
        config: TagConfig | None = None,
        caption: str = "",
        *,
        orientation: Qt.Orientation = Qt.Orientation.Horizontal,
        **kwargs: Any,
    ):
        super().__init__(config, caption, **kwargs)
        self.orientation = orientation

    def sizeHint(self) -> QSize:
        if self.orientation == Qt.Orientation.Horizontal:
            return QSize(240, 78)
        return QSize(96, 220)

    def minimumSizeHint(self) -> QSize:
        if self.orientation == Qt.Orientation.Horizontal:
            return QSize(150, 74)
        return QSize(70, 150)

    # -- painting -------------------------------------------------------------------------------

    def paint_content(self, painter: QPainter, rect: QRectF) -> None:
        caption_font = scaled_font(self.font(), 13)
        value_font = scaled_font(self.font(), 17, bold=self.abnormal)
        value = f"{self._text} {self.units}".rstrip() if self._number is not None else self._text
        if self.orientation == Qt.Orientation.Horizontal:
            top = QRectF(rect.left(), rect.top(), rect.width(), 22)
            painter.setFont(caption_font)
            painter.setPen(self.isa.color("faint_ink"))
            painter.drawText(
                top, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.caption
            )
            painter.setFont(value_font)
            painter.setPen(self.isa.color("ink"))
            painter.drawText(
                top, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, value
            )
            track = QRectF(rect.left() + MARKER, top.bottom() + 6, rect.width() - 2 * MARKER, TRACK)
        else:
            # Narrow: the number and its units on two lines under the bar.
            top = QRectF(rect.left(), rect.top(), rect.width(), 18)
            bottom = QRectF(rect.left(), rect.bottom() - 36, rect.width(), 22)
            painter.setFont(caption_font)
            painter.setPen(self.isa.color("faint_ink"))
            painter.drawText(top, Qt.AlignmentFlag.AlignCenter, self.caption)
            value_font.setPixelSize(16)
            painter.setFont(value_font)
            painter.setPen(self.isa.color("ink"))
            painter.drawText(bottom, Qt.AlignmentFlag.AlignCenter, self._text)
            if self._number is not None and self.units:
                painter.setFont(scaled_font(self.font(), 12))
                painter.setPen(self.isa.color("faint_ink"))
                units = QRectF(bottom.left(), bottom.bottom(), bottom.width(), 14)
                painter.drawText(units, Qt.AlignmentFlag.AlignCenter, self.units)
            height = bottom.top() - top.bottom() - 2 * MARKER - 4
            track = QRectF(rect.center().x() - TRACK / 2, top.bottom() + MARKER + 2, TRACK, height)
        self._paint_track(painter, track)

    def _along(self, track: QRectF, fraction: float) -> float:
        """The pixel coordinate of a scale fraction along the track (up is high when vertical)."""
        if self.orientation == Qt.Orientation.Horizontal:
            return track.left() + fraction * track.width()
        return track.bottom() - fraction * track.height()

    def _band(self, track: QRectF, lo: float, hi: float) -> QRectF:
        a, b = self._along(track, lo), self._along(track, hi)
        if self.orientation == Qt.Orientation.Horizontal:
            return QRectF(a, track.top(), b - a, track.height())
        return QRectF(track.left(), b, track.width(), a - b)

    def _paint_track(self, painter: QPainter, track: QRectF) -> None:
        rng = self.range
        painter.setPen(self.pen("outline"))
        painter.setBrush(self.isa.color("track"))
        painter.drawRect(track)
        if rng.normal is not None:
            band = self._band(track, rng.fraction(rng.normal[0]), rng.fraction(rng.normal[1]))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self.isa.color("normal_band"))
            painter.drawRect(
                band.adjusted(0, 1, 0, -1) if self._horizontal else band.adjusted(1, 0, -1, 0)
            )
        painter.setPen(self.pen("ink", 2))
        for limit in rng.limits:
            p = self._along(track, rng.fraction(limit))
            if self._horizontal:
                painter.drawLine(QPointF(p, track.top() - 4), QPointF(p, track.top()))
            else:
                painter.drawLine(QPointF(track.left() - 4, p), QPointF(track.left(), p))
        if self._number is not None:
            self._paint_marker(painter, track, self._along(track, rng.fraction(self._number)))

    @property
    def _horizontal(self) -> bool:
        return self.orientation == Qt.Orientation.Horizontal

    def _paint_marker(self, painter: QPainter, track: QRectF, p: float) -> None:
        m = MARKER
        if self._horizontal:
            line = (QPointF(p, track.top()), QPointF(p, track.bottom()))
            tip = QPointF(p, track.bottom())
            shape = [tip, QPointF(p - m, tip.y() + m * 1.4), QPointF(p + m, tip.y() + m * 1.4)]
        else:
            line = (QPointF(track.left(), p), QPointF(track.right(), p))
            tip = QPointF(track.right(), p)
            shape = [tip, QPointF(tip.x() + m * 1.4, p - m), QPointF(tip.x() + m * 1.4, p + m)]
        abnormal = self.abnormal
        dashed = not self.trusted()
        painter.setPen(self.pen("ink", 2, dashed))
        painter.drawLine(*line)
        painter.setPen(self.pen("ink", 1.5, dashed))
        if self.core.alarm_priority is not None:
            painter.setBrush(self.isa.alarm_color(self.core.alarm_priority))
        elif dashed:
            painter.setBrush(Qt.BrushStyle.NoBrush)
        else:
            painter.setBrush(self.isa.color("out_of_normal" if abnormal else "face"))
        painter.drawPolygon(QPolygonF(shape))
