"""Painted bar charts of the OEE panels: the loss Pareto and hourly production.

`ParetoChart` draws losses largest first as horizontal bars (names are long, and
zh-TW names read best horizontally), each with its time and the cumulative share.
Grey bars: a loss is not an alarm. An entry marked `hatched` (unassigned downtime)
is hatched, so the time nobody has explained is its own visible category.

A row is never drawn lower than a line of text: when more losses exist than rows fit
the widget's height, the biggest keep their rows and the rest are folded into one
last "Other (k …)" row with their summed time (cumulative % stays that of the whole);
recomputed on every resize. Hovering that row lists what it holds.

`HourlyBars` draws good parts per hour against the ideal count of that hour (a
dashed outline box; the gap is the hour's loss) and the target count (a solid mark).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QHelpEvent, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from hmi.cli_oee import duration
from widgets.palette import ISA101, IsaPalette

ROW = 26  # px per Pareto row when there is room
ROW_GAP = 3  # px above a line of text: the least a row may be (see `min_row`)
MIN_ROWS = 3  # the least the chart asks its layout for: two losses and "Other"


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
        other_text: str = "Other (%1)",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.isa = palette
        self.empty_text = empty_text
        self.other_text = other_text  # %1: how many losses the last row folds
        self.items: list[ParetoItem] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(420, max(4, len(self.items)) * ROW + 8)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, MIN_ROWS * self.min_row())

    def min_row(self) -> int:
        """The least height of a row: one line of text."""
        return self.fontMetrics().height() + ROW_GAP

    def set_items(self, items: Sequence[ParetoItem], other_text: str | None = None) -> None:
        """Show `items`, largest first; `other_text` (with %1) names the fold row."""
        self.items = sorted(items, key=lambda i: -i.seconds)
        if other_text is not None:
            self.other_text = other_text
        self.updateGeometry()
        self.update()

    # -- what fits ---------------------------------------------------------------------------

    def capacity(self) -> int:
        """How many rows of at least `min_row` fit the current height."""
        return max(1, self.height() // self.min_row())

    def _split(self) -> tuple[list[ParetoItem], list[ParetoItem]]:
        """(rows of their own, folded into "Other"): the biggest losses that fit, but
        unassigned downtime always keeps its own row, however small: it is the category
        an operator must see to go and assign reasons."""
        n, cap = len(self.items), self.capacity()
        if n <= cap:
            return list(self.items), []
        keep = max(1, cap - 1)
        pinned = [i for i in self.items[keep:] if i.hatched]
        keep = max(0, keep - len(pinned))
        shown = sorted([*self.items[:keep], *pinned], key=lambda i: -i.seconds)
        hidden = [i for i in self.items[keep:] if not i.hatched]
        return shown, hidden

    def shown_count(self) -> int:
        """How many of `items` keep a row of their own (the rest fold into "Other")."""
        return len(self._split()[0])

    def hidden_items(self) -> list[ParetoItem]:
        """The losses folded into the "Other" row, largest first."""
        return self._split()[1]

    def other_item(self) -> ParetoItem | None:
        """The fold row: the losses that do not fit, summed; None when all fit."""
        hidden = self.hidden_items()
        if not hidden:
            return None
        label = self.other_text.replace("%1", str(len(hidden)))
        return ParetoItem(label, sum(i.seconds for i in hidden), hatched=False)

    def drawn_items(self) -> list[ParetoItem]:
        shown, _hidden = self._split()
        other = self.other_item()
        return [*shown, other] if other is not None else shown

    def row_height(self) -> float:
        """The height each drawn row gets: `ROW` when there is room, never below `min_row`."""
        n = max(1, len(self.drawn_items()))
        return max(float(self.min_row()), min(float(ROW), self.height() / n))

    # -- rows ------------------------------------------------------------------------------

    def rows(self) -> list[tuple[str, str, str]]:
        """(label, time, cumulative %) of every loss, unfolded (tests read this)."""
        return self._rows(self.items)

    def drawn_rows(self) -> list[tuple[str, str, str]]:
        """(label, time, cumulative %) per row as drawn at the current height."""
        return self._rows(self.drawn_items())

    def _rows(self, items: Sequence[ParetoItem]) -> list[tuple[str, str, str]]:
        total = sum(max(0.0, i.seconds) for i in self.items)
        out, run = [], 0.0
        for i in items:
            run += max(0.0, i.seconds)
            share = f"{run / total * 100:.0f} %" if total > 0 else "-"
            out.append((i.label, duration(i.seconds), share))
        return out

    def resizeEvent(self, event: Any) -> None:
        self.update()  # the fold depends on the height
        super().resizeEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            self._tooltip(QHelpEvent(event.type(), event.pos(), event.globalPos()))
            return True
        return super().event(event)

    def _tooltip(self, event: QHelpEvent) -> None:
        """Over the "Other" row: what it holds, largest first."""
        other = self.other_item()
        drawn = len(self.drawn_items())
        if other is None or int(event.pos().y() // self.row_height()) != drawn - 1:
            QToolTip.hideText()
            return
        hidden = self.hidden_items()
        lines = [f"{i.label}  {duration(i.seconds)}" for i in hidden[:20]]
        if len(hidden) > 20:
            lines.append("…")
        QToolTip.showText(event.globalPos(), "\n".join(lines), self)

    def paintEvent(self, event: Any) -> None:
        p = QPainter(self)
        fm = self.fontMetrics()
        ink = self.isa.color("ink")
        if not self.items:
            p.setPen(self.isa.color("faint_ink"))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
            p.end()
            return
        items = self.drawn_items()
        rows = self._rows(items)
        label_w = min(self.width() * 0.4, max(fm.horizontalAdvance(r[0]) for r in rows) + 12)
        time_w = fm.horizontalAdvance("00:00:00") + 12
        share_w = fm.horizontalAdvance("100 %") + 10
        bar_w = max(20.0, self.width() - label_w - time_w - share_w)
        row_h = self.row_height()
        folded = self.other_item() is not None
        # The scale is the biggest single loss: a fold of many small ones must not
        # shrink the bars that matter; a longer fold bar is cut with a break mark.
        own = items[:-1] if folded else items
        biggest = max((max(0.0, i.seconds) for i in own), default=0.0) or 1.0
        hatch = QBrush(QColor("#5a5a5a"), Qt.BrushStyle.BDiagPattern)
        left = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        right = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight
        for k, (item, (label, time_text, share)) in enumerate(zip(items, rows, strict=True)):
            y = k * row_h
            is_other = folded and k == len(items) - 1
            p.setPen(ink)
            elided = fm.elidedText(label, Qt.TextElideMode.ElideRight, int(label_w - 8))
            p.drawText(QRectF(0, y, label_w - 8, row_h), left, elided)
            w = min(bar_w - 4, bar_w * max(0.0, item.seconds) / biggest)
            r = QRectF(label_w, y + row_h * 0.18, max(1.0, w), row_h * 0.64)
            if item.hatched:
                p.fillRect(r, self.isa.color("normal_band"))
                p.fillRect(r, hatch)
                p.setPen(QPen(self.isa.color("ink"), 1))
                p.drawRect(r)
            elif is_other:  # many small losses together: lighter, not a loss of its own
                p.fillRect(r, self.isa.color("track"))
                if item.seconds > biggest:
                    self._break_mark(p, r)
            else:
                p.fillRect(r, self.isa.color("active_face") if k else QColor("#6e6e6e"))
            p.setPen(ink)
            p.drawText(QRectF(label_w + bar_w, y, time_w, row_h), right, time_text)
            p.setPen(self.isa.color("faint_ink"))
            p.drawText(QRectF(label_w + bar_w + time_w, y, share_w, row_h), right, share)
        p.end()

    def _break_mark(self, p: QPainter, r: QRectF) -> None:
        """Two slanted cuts near the bar's end: longer than drawn."""
        p.setPen(QPen(self.isa.color("background"), 3))
        for dx in (18.0, 24.0):
            x = r.right() - dx
            p.drawLine(QPointF(x - 3, r.bottom() + 1), QPointF(x + 3, r.top() - 1))


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
