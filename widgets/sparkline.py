"""Sparkline: a tiny live line of one tag's last minute, and its current value.

Samples go into the trend's ring buffer (`widgets.trend_buffer.RingBuffer`), stamped
with the SOURCE time; a value whose quality is not good is a gap, never a line across
an outage. The y scale follows the data unless a fixed range is given. No axes: a
sparkline says "rising, steady, falling" next to a number, not the number itself.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from typing import Unpack

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPainterPath

from hmi.config import TagConfig
from hmi.tagvalue import Quality, TagValue
from widgets._painted import PaintedOptions, PaintedTagWidget, scaled_font
from widgets.trend_buffer import RingBuffer, sample_of

VALUE_WIDTH = 72  # px kept on the right for the current value


class Sparkline(PaintedTagWidget):
    """The last `window_s` seconds of a tag (at most `capacity` samples) as a thin line."""

    def __init__(
        self,
        config: TagConfig | None = None,
        caption: str = "",
        *,
        window_s: float = 60.0,
        capacity: int = 240,
        minimum: float | None = None,
        maximum: float | None = None,
        **options: Unpack[PaintedOptions],
    ):
        super().__init__(config, caption, **options)
        if window_s <= 0:
            raise ValueError("window_s must be positive")
        self.window_s = window_s
        self.fixed = (minimum, maximum) if minimum is not None and maximum is not None else None
        self.buffer = RingBuffer(capacity)
        self._text = "----"

    @property
    def text(self) -> str:
        return self._text

    def sizeHint(self) -> QSize:
        return QSize(220, 64)

    def minimumSizeHint(self) -> QSize:
        return QSize(140, 56)

    def visible_state(self, tv: TagValue | None, quality: Quality) -> Hashable:
        if tv is not None:
            try:
                sample = sample_of(tv, self.buffer.last_ts)
            except (TypeError, ValueError):
                sample = None
            # The same sample again (a screen shown anew is refilled) is not a new point.
            if sample is not None and not self._repeats(*sample):
                self.buffer.append(*sample)
        self._text = self.value_text(tv, quality)
        return (self._text, len(self.buffer), self.buffer.last_ts, quality)

    def _repeats(self, ts: float, value: float) -> bool:
        if ts != self.buffer.last_ts:
            return False
        last = float(self.buffer.view()[1][-1])
        return last == value or (math.isnan(last) and math.isnan(value))

    def paint_content(self, painter: QPainter, rect: QRectF) -> None:
        line_box = QRectF(rect.left(), rect.top(), rect.width() - VALUE_WIDTH, rect.height())
        value_box = QRectF(line_box.right() + 4, rect.top(), VALUE_WIDTH - 4, rect.height())
        if self.caption:
            painter.setFont(scaled_font(self.font(), 12))
            painter.setPen(self.isa.color("faint_ink"))
            painter.drawText(
                QRectF(value_box.left(), value_box.top(), value_box.width(), 14),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                self.caption,
            )
        painter.setFont(scaled_font(self.font(), 15))
        painter.setPen(self.isa.color("ink"))
        painter.drawText(
            value_box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, self._text
        )
        painter.setPen(self.pen("outline"))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawLine(line_box.bottomLeft(), line_box.bottomRight())
        path = self._path(line_box.adjusted(1, 2, -1, -2))
        if path is not None:
            painter.setPen(self.pen("ink", 1.5, dashed=not self.trusted()))
            painter.drawPath(path)

    def _path(self, box: QRectF) -> QPainterPath | None:
        ts, values = self.buffer.view()
        if not len(ts):
            return None
        end = float(ts[-1])
        start = end - self.window_s
        keep = ts >= start
        ts, values = ts[keep], values[keep]
        finite = values[np.isfinite(values)]
        if not len(finite):
            return None
        lo, hi = self.fixed or (float(finite.min()), float(finite.max()))
        span = hi - lo
        if not (span > 0 and math.isfinite(span)):  # flat, or too wide for a float
            mid = lo if math.isfinite(lo) else 0.0
            lo, hi = mid - 1.0, mid + 1.0
            span = hi - lo
            if not span > 0:  # a huge constant: 1.0 is below its precision
                return None
        path = QPainterPath()
        pen_down = False
        for t, v in zip(ts.tolist(), values.tolist(), strict=True):
            if not math.isfinite(v):
                pen_down = False
                continue
            x = box.left() + (t - start) / self.window_s * box.width()
            y = box.bottom() - (min(hi, max(lo, v)) - lo) / span * box.height()
            if pen_down:
                path.lineTo(QPointF(x, y))
            else:
                path.moveTo(QPointF(x, y))
                pen_down = True
        return path
