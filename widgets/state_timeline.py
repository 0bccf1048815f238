"""StateTimeline: a line's states over a period as one Gantt strip (QPainter).

A calm palette, so the one thing that matters stands out: running dark grey, down
the one strong colour (red), idle, changeover and planned stop in muted tones, and
unknown time (no data, bad quality) hatched, never painted as if it were known.
Time without a record is drawn as unknown too. Hovering shows the state, its
reason and how long it lasted; `text_at(x)` gives the same text (tests use it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QMouseEvent, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolTip, QWidget

from hmi.cli_oee import duration
from hmi.config_oee import LineState
from hmi.runtime.oee_calc import Interval

STATE_COLOURS: dict[LineState, str] = {
    LineState.RUNNING: "#4a4a4a",  # normal: dark and quiet
    LineState.DOWN: "#c81e1e",  # the one strong colour
    LineState.IDLE: "#d9c27a",  # muted amber: a loss, not a fault
    LineState.CHANGEOVER: "#8fa3b8",  # muted blue-grey
    LineState.PLANNED_STOP: "#b8b8b8",  # light grey: planned
    LineState.UNKNOWN: "#e0e0e0",  # hatched over this
}


def state_text(state: LineState | None) -> str:
    """The state in the UI language (context "OeeCard", shared with the card)."""
    words = {
        LineState.RUNNING: QCoreApplication.translate("OeeCard", "Running"),
        LineState.IDLE: QCoreApplication.translate("OeeCard", "Idle"),
        LineState.DOWN: QCoreApplication.translate("OeeCard", "Down"),
        LineState.CHANGEOVER: QCoreApplication.translate("OeeCard", "Changeover"),
        LineState.PLANNED_STOP: QCoreApplication.translate("OeeCard", "Planned stop"),
        LineState.UNKNOWN: QCoreApplication.translate("OeeCard", "Unknown"),
    }
    return words.get(state, "-") if state is not None else "-"


STRIP = 34  # px: the strip's height
AXIS = 20  # px: room for the hour labels under it


class StateTimeline(QWidget):
    """Intervals of one line between `since` and `until`, with hour ticks."""

    def __init__(
        self,
        *,
        reason_names: Mapping[int, str] | None = None,
        zone: Any = None,
        colours: Mapping[LineState, str] | None = None,
        strip: int = STRIP,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setMouseTracking(True)
        self.strip = strip
        self.setFixedHeight(strip + AXIS + 4)
        self._reasons = dict(reason_names or {})
        self._zone = zone
        self._colours = {k: QColor(v) for k, v in (colours or STATE_COLOURS).items()}
        self._since = 0.0
        self._until = 1.0
        self._intervals: list[Interval] = []
        self.reason_of: Callable[[Interval], str] = self._reason_text

    def sizeHint(self) -> QSize:
        return QSize(800, self.strip + AXIS + 4)

    def set_intervals(self, intervals: Sequence[Interval], since: float, until: float) -> None:
        """Show `intervals` clipped to [since, until); gaps are unknown."""
        self._since, self._until = since, max(until, since + 1.0)
        self._intervals = sorted(
            (iv for iv in intervals if iv.end > since and iv.start < until), key=lambda i: i.start
        )
        self.update()

    @property
    def segments(self) -> list[Interval]:
        """What is drawn: the intervals clipped, with gaps filled as UNKNOWN."""
        out: list[Interval] = []
        t = self._since
        for iv in self._intervals:
            a, z = max(iv.start, t), min(iv.end, self._until)
            if z <= a:
                continue
            if a > t:
                out.append(Interval(t, a, LineState.UNKNOWN))
            out.append(Interval(a, z, iv.state, iv.reason, iv.product))
            t = z
        if t < self._until:
            out.append(Interval(t, self._until, LineState.UNKNOWN))
        return out

    # -- geometry ------------------------------------------------------------------------

    def _x(self, t: float) -> float:
        span = self._until - self._since
        return (t - self._since) / span * max(1, self.width() - 1)

    def _t(self, x: float) -> float:
        return self._since + x / max(1, self.width() - 1) * (self._until - self._since)

    def interval_at(self, x: float) -> Interval | None:
        t = self._t(x)
        for seg in self.segments:
            if seg.start <= t < seg.end:
                return seg
        return None

    def _reason_text(self, iv: Interval) -> str:
        if not iv.reason:
            return ""
        return self._reasons.get(iv.reason, str(iv.reason))

    def text_at(self, x: float) -> str:
        """The hover text at pixel `x`: state, reason, from–to and duration."""
        iv = self.interval_at(x)
        if iv is None:
            return ""
        a = datetime.fromtimestamp(iv.start, self._zone).strftime("%H:%M:%S")
        z = datetime.fromtimestamp(iv.end, self._zone).strftime("%H:%M:%S")
        lines = [state_text(iv.state)]
        reason = self.reason_of(iv)
        if reason:
            lines.append(reason)
        lines.append(f"{a} – {z}  ({duration(iv.duration)})")
        return "\n".join(lines)

    # -- Qt ------------------------------------------------------------------------------

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        text = self.text_at(event.position().x())
        if text:
            QToolTip.showText(event.globalPosition().toPoint(), text, self)
        else:
            QToolTip.hideText()
        super().mouseMoveEvent(event)

    def paintEvent(self, event: Any) -> None:
        p = QPainter(self)
        bar = QRectF(0, 0, self.width(), self.strip)
        hatch = QBrush(QColor("#8c8c8c"), Qt.BrushStyle.BDiagPattern)
        for seg in self.segments:
            x0, x1 = self._x(seg.start), self._x(seg.end)
            r = QRectF(x0, bar.top(), max(1.0, x1 - x0), bar.height())
            p.fillRect(r, self._colours.get(seg.state, self._colours[LineState.UNKNOWN]))
            if seg.state is LineState.UNKNOWN:
                p.fillRect(r, hatch)
        p.setPen(QPen(QColor("#8c8c8c"), 1))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(bar.adjusted(0, 0, -1, -1))
        self._paint_axis(p)
        p.end()

    def _paint_axis(self, p: QPainter) -> None:
        span = self._until - self._since
        steps = (600.0, 3600.0, 4 * 3600.0, 86400.0)
        step = next((x for x in steps if span / x <= 12), 7 * 86400.0)
        local = datetime.fromtimestamp(self._since, self._zone)
        whole = {"minute": 0, "second": 0, "microsecond": 0}
        if step >= 86400:
            whole["hour"] = 0
        first = local.replace(**whole).timestamp()
        t = first
        while t < self._since:
            t += step
        fm = self.fontMetrics()
        p.setPen(QPen(QColor("#4a4a4a"), 1))
        last_right = -1e9
        while t <= self._until:
            x = self._x(t)
            p.drawLine(QPointF(x, self.strip), QPointF(x, self.strip + 4))
            fmt = "%m-%d" if step >= 86400 else "%H:%M"
            label = datetime.fromtimestamp(t, self._zone).strftime(fmt)
            w = fm.horizontalAdvance(label)
            left = min(max(0.0, x - w / 2), self.width() - w)
            if left > last_right + 6:
                p.drawText(QPointF(left, self.strip + 4 + fm.ascent()), label)
                last_right = left + w
            t += step


def _swatch(colour: str, hatched: bool) -> QPixmap:
    """A legend square drawn like the timeline draws the state (unknown is hatched)."""
    pix = QPixmap(14, 14)
    pix.fill(QColor(colour))
    p = QPainter(pix)
    if hatched:
        p.fillRect(pix.rect(), QBrush(QColor("#8c8c8c"), Qt.BrushStyle.BDiagPattern))
    p.setPen(QColor("#8c8c8c"))
    p.drawRect(0, 0, 13, 13)
    p.end()
    return pix


class StateLegend(QWidget):
    """The timeline's colours in words (unknown hatched, as on the strip)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        for k, (state, colour) in enumerate(STATE_COLOURS.items()):
            if k:
                row.addSpacing(10)
            swatch = QLabel(self)
            swatch.setPixmap(_swatch(colour, hatched=state is LineState.UNKNOWN))
            row.addWidget(swatch)
            row.addWidget(QLabel(state_text(state), self))
        row.addStretch(1)
