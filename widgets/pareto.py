"""Painted bar charts of the OEE panels: the loss Pareto and hourly production.

`ParetoChart` draws losses largest first as horizontal bars (names are long, and
zh-TW names read best horizontally), each with its time and the cumulative share.
Grey bars: a loss is not an alarm. An entry marked `hatched` (unassigned downtime)
is hatched, so the time nobody has explained is its own visible category.

`HourlyBars` draws good parts per hour against the ideal count of that hour (a
dashed outline box; the gap is the hour's loss) and the target count (a solid mark).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from hmi.cli_oee import duration
from widgets.palette import ISA101, IsaPalette

ROW = 26  # px per Pareto row


@dataclass(frozen=True, slots=True)
class ParetoItem:
    label: str
    seconds: float
    hatched: bool = False  # unassigned: its own visible category


class ParetoChart(QWidget):
    """Horizontal Pareto of loss times (see the module docstring)."""

    def __init__(
        self,
        palette: IsaPalette = ISA101,
        empty_text: str = "-",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.isa = palette
        self.empty_text = empty_text
        self.items: list[ParetoItem] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(420, max(4, len(self.items)) * ROW + 8)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, 2 * ROW)

    def set_items(self, items: Sequence[ParetoItem]) -> None:
        """Show `items`; negative times (a line faster than its ideal) are kept apart
        from the bars and listed at 0 length so they are not hidden."""
        self.items = sorted(items, key=lambda i: -i.seconds)
        self.updateGeometry()
        self.update()

    def rows(self) -> list[tuple[str, str, str]]:
        """(label, time, cumulative %) per row as drawn (tests read this)."""
        total = sum(max(0.0, i.seconds) for i in self.items)
        out, run = [], 0.0
        for i in self.items:
            run += max(0.0, i.seconds)
            share = f"{run / total * 100:.0f} %" if total > 0 else "-"
            out.append((i.label, duration(i.seconds), share))
        return out

    def paintEvent(self, event: Any) -> None:
        p = QPainter(self)
        fm = self.fontMetrics()
        ink = self.isa.color("ink")
        if not self.items:
            p.setPen(self.isa.color("faint_ink"))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
            p.end()
            return
        rows = self.rows()
        label_w = min(self.width() * 0.4, max(fm.horizontalAdvance(r[0]) for r in rows) + 12)
        time_w = fm.horizontalAdvance("00:00:00") + 12
        share_w = fm.horizontalAdvance("100 %") + 10
        bar_w = max(20.0, self.width() - label_w - time_w - share_w)
        top = max(0.0, min(float(self.height() - len(rows) * ROW), 4.0))
        row_h = min(float(ROW), (self.height() - top) / max(1, len(rows)))
        biggest = max((max(0.0, i.seconds) for i in self.items), default=0.0) or 1.0
        hatch = QBrush(QColor("#5a5a5a"), Qt.BrushStyle.BDiagPattern)
        left = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        right = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight
        for k, (item, (label, time_text, share)) in enumerate(zip(self.items, rows, strict=True)):
            y = top + k * row_h
            p.setPen(ink)
            elided = fm.elidedText(label, Qt.TextElideMode.ElideRight, int(label_w - 8))
            p.drawText(QRectF(0, y, label_w - 8, row_h), left, elided)
            w = bar_w * max(0.0, item.seconds) / biggest
            r = QRectF(label_w, y + row_h * 0.18, max(1.0, w), row_h * 0.64)
            if item.hatched:
                p.fillRect(r, self.isa.color("normal_band"))
                p.fillRect(r, hatch)
                p.setPen(QPen(self.isa.color("ink"), 1))
                p.drawRect(r)
            else:
                p.fillRect(r, self.isa.color("active_face") if k else QColor("#6e6e6e"))
            p.setPen(ink)
            p.drawText(QRectF(label_w + bar_w, y, time_w, row_h), right, time_text)
            p.setPen(self.isa.color("faint_ink"))
            p.drawText(QRectF(label_w + bar_w + time_w, y, share_w, row_h), right, share)
        p.end()


@dataclass(frozen=True, slots=True)
class HourItem:
    label: str
    actual: int
    ideal: float | None  # parts at ideal speed in the hour's planned production time
    target: float | None = None  # ideal × the OEE target: what "on target" means


class HourlyBars(QWidget):
    """Good parts per hour (filled) against the hour's ideal count (outline)."""

    def __init__(self, palette: IsaPalette = ISA101, parent: QWidget | None = None):
        super().__init__(parent)
        self.isa = palette
        self.items: list[HourItem] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(420, 200)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, 80)

    def set_items(self, items: Sequence[HourItem]) -> None:
        self.items = list(items)
        self.update()

    def paintEvent(self, event: Any) -> None:
        p = QPainter(self)
        fm = self.fontMetrics()
        n = len(self.items)
        if not n:
            p.end()
            return
        label_h = fm.height() + 4
        value_h = fm.height() + 2
        plot = QRectF(0, value_h + 4, self.width(), self.height() - label_h - value_h - 4)
        top = max(max(i.actual, i.ideal or 0) for i in self.items) or 1.0
        slot = plot.width() / n
        w = max(4.0, slot * 0.6)
        p.setPen(QPen(self.isa.color("outline"), 1))
        p.drawLine(QPointF(0, plot.bottom()), QPointF(self.width(), plot.bottom()))
        center = Qt.AlignmentFlag.AlignCenter
        for k, item in enumerate(self.items):
            x = plot.left() + k * slot + (slot - w) / 2
            h = plot.height() * item.actual / top
            p.fillRect(QRectF(x, plot.bottom() - h, w, h), self.isa.color("active_face"))
            if item.ideal:
                ih = plot.height() * item.ideal / top
                p.setPen(QPen(self.isa.color("ink"), 1, Qt.PenStyle.DashLine))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(QRectF(x, plot.bottom() - ih, w, ih))
            if item.target:
                ty = plot.bottom() - plot.height() * item.target / top
                p.setPen(QPen(self.isa.color("ink"), 3))
                p.drawLine(QPointF(x - 3, ty), QPointF(x + w + 3, ty))
            # The count above the highest mark, so no line crosses it.
            highest = max(item.actual, item.ideal or 0, item.target or 0)
            label_y = plot.bottom() - plot.height() * highest / top - value_h - 2
            p.setPen(self.isa.color("ink"))
            p.drawText(
                QRectF(x - slot * 0.2, label_y, w + slot * 0.4, value_h), center, str(item.actual)
            )
            p.setPen(self.isa.color("faint_ink"))
            p.drawText(QRectF(x - slot * 0.2, plot.bottom() + 2, w + slot * 0.4, label_h),
                       center, item.label)  # fmt: skip
        p.end()
