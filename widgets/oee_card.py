"""OeeCard: one line's OEE at a glance, embeddable in any screen.

The big number is OEE against the line's target: grey while on target, coloured
(the theme's ``belowTarget`` rule) only below it, ISA-101 style. Under it A, P and Q
as bars, good and reject counts, the current state with how long it has lasted, and
good parts against the ideal count so far (good / ideal = OEE).

Two update paths, on purpose: `set_data` takes figures the screen recomputes in the
background every few seconds (`screens.oee_data.card_data`), and `set_tag_value`
takes the bound counter and state tags every frame, so counts and state move live
between recomputations. Texts use the formatting of `hmi oee` (`hmi.cli_oee`), so the
card and the command print the same figures.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from hmi.cli_oee import duration, percent
from hmi.config_oee import CountKind, LineOee, LineState, state_key
from hmi.runtime.oee import counter_delta
from hmi.tagvalue import TagValue
from widgets.palette import ISA101, IsaPalette
from widgets.state_timeline import StateTimeline, state_text
from widgets.value_display import tabular_digits

STATE_STYLE = {
    LineState.RUNNING: "running",
    LineState.IDLE: "idle",
    LineState.DOWN: "down",
    LineState.CHANGEOVER: "changeover",
    LineState.PLANNED_STOP: "planned",
    LineState.UNKNOWN: "unknown",
}
"""LineState → the theme's ``lineState`` property value."""


def tr(text: str) -> str:
    return QCoreApplication.translate("OeeCard", text)


def _repolish(w: QWidget) -> None:
    w.style().unpolish(w)
    w.style().polish(w)
    for child in w.findChildren(QLabel):
        child.style().unpolish(child)
        child.style().polish(child)


class RatioBar(QWidget):
    """A 0…100 % bar with its caption and value text; an optional target tick.

    Painted grey: a ratio is not an alarm. The number beside it is what to read.
    """

    def __init__(self, caption: str, palette: IsaPalette = ISA101, parent: QWidget | None = None):
        super().__init__(parent)
        self.caption = caption
        self.isa = palette
        self.ratio: float | None = None
        self.target: float | None = None
        self.text = "-"
        self.show_number = True
        self.setFixedHeight(26)

    def sizeHint(self) -> QSize:
        return QSize(220, 24)

    def set_ratio(self, ratio: float | None, text: str, target: float | None = None) -> None:
        if (ratio, text, target) != (self.ratio, self.text, self.target):
            self.ratio, self.text, self.target = ratio, text, target
            self.update()

    def paintEvent(self, event: Any) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        fm = self.fontMetrics()
        h = self.height()
        cap_w = fm.horizontalAdvance(self.caption) + 8 if self.caption else 0
        num_w = fm.horizontalAdvance("100.0 %") + 8 if self.show_number else 0
        th = max(8.0, min(20.0, h * 0.55))
        track = QRectF(cap_w, (h - th) / 2, max(10, self.width() - cap_w - num_w), th)
        p.setPen(self.isa.color("ink"))
        if self.caption:
            p.drawText(QRectF(0, 0, cap_w, h), Qt.AlignmentFlag.AlignVCenter, self.caption)
        p.fillRect(track, self.isa.color("normal_band"))
        p.setPen(QPen(self.isa.color("outline"), 1))
        p.drawRect(track)
        if self.ratio is not None:
            fill = QRectF(track)
            fill.setWidth(track.width() * max(0.0, min(1.0, self.ratio)))
            p.fillRect(fill, self.isa.color("active_face"))
        if self.target is not None:
            x = track.left() + track.width() * max(0.0, min(1.0, self.target))
            p.setPen(QPen(self.isa.color("ink"), 2))
            p.drawLine(int(x), int(track.top()) - 3, int(x), int(track.bottom()) + 3)
        if self.show_number:
            p.setPen(self.isa.color("ink"))
            right = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight
            p.drawText(QRectF(self.width() - num_w, 0, num_w, h), right, self.text)
        p.end()


class OeeCard(QFrame):
    """One OEE line: see the module docstring. Bind it to ``card.tags``."""

    counts_changed = Signal(int, int)
    """(good, reject) as shown, whenever they change (figures or counter tags)."""

    def __init__(
        self,
        line: str,
        title: str,
        model: LineOee,
        *,
        state_tag: str | None = None,
        reason_names: Mapping[int, str] | None = None,
        clock: Callable[[], float] = time.time,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("oeeCard")
        self.line = line
        self.model = model
        self.state_tag = model.state_tag or state_tag
        self._state_map = model.states.table()
        self._counters = {tag: kind for tag, kind in model.count_tags().items()}
        self._reason_names = dict(reason_names or {})
        self._clock = clock
        self._data: Any = None
        self._extra: dict[CountKind, int] = {}
        self._state: LineState | None = None
        self._since: float | None = None
        self._reason: int | None = None
        self.setProperty("belowTarget", "false")

        self.title_label = QLabel(title, self)
        self.title_label.setObjectName("oeeTitle")
        self.state_chip = QFrame(self)
        self.state_chip.setObjectName("oeeStateChip")
        self.state_chip.setProperty("lineState", "unknown")
        self.state_label = QLabel("-", self.state_chip)
        self.state_label.setObjectName("state")
        self.duration_label = QLabel("", self.state_chip)
        self.duration_label.setObjectName("duration")
        tabular_digits(self.duration_label)
        chip = QHBoxLayout(self.state_chip)
        chip.setContentsMargins(8, 2, 8, 2)
        chip.addWidget(self.state_label)
        chip.addWidget(self.duration_label)
        self.reason_label = QLabel("", self)
        self.reason_label.setObjectName("oeeReason")
        self.reason_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # The reason takes what the title and the state leave, elided: cards stay equal.
        self.reason_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.reason_text = ""

        self.oee_label = QLabel("-", self)
        self.oee_label.setObjectName("oeeValue")
        self.oee_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        tabular_digits(self.oee_label)
        self.oee_caption = QLabel(QCoreApplication.translate("OeeCard", "OEE"), self)
        self.oee_caption.setObjectName("oeeCaption")
        self.oee_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.target_label = QLabel("", self)
        self.target_label.setObjectName("oeeTarget")
        self.target_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        big = QVBoxLayout()  # centred in the height the card gets: stretch above and below
        big.setSpacing(0)
        big.addStretch(1)
        big.addWidget(self.oee_label)
        big.addWidget(self.oee_caption)
        big.addWidget(self.target_label)
        big.addStretch(1)

        self.bars = {
            "A": RatioBar(QCoreApplication.translate("OeeCard", "A"), parent=self),
            "P": RatioBar(QCoreApplication.translate("OeeCard", "P"), parent=self),
            "Q": RatioBar(QCoreApplication.translate("OeeCard", "Q"), parent=self),
        }
        for key, tip in (
            (
                "A",
                QCoreApplication.translate(
                    "OeeCard", "Availability: run time / planned production time"
                ),
            ),
            (
                "P",
                QCoreApplication.translate(
                    "OeeCard", "Performance: ideal cycle time × count / run time"
                ),
            ),
            ("Q", QCoreApplication.translate("OeeCard", "Quality: good / total")),
        ):
            self.bars[key].setToolTip(tip)
        bars = QVBoxLayout()
        bars.setSpacing(6)
        bars.addStretch(1)
        for bar in self.bars.values():
            bars.addWidget(bar)
        bars.addStretch(1)

        self.good_label = QLabel("-", self)
        self.good_label.setObjectName("oeeCount")
        self.reject_label = QLabel("-", self)
        self.reject_label.setObjectName("oeeCount")
        for lab in (self.good_label, self.reject_label):
            tabular_digits(lab)
            lab.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.production_bar = RatioBar("", parent=self)
        self.production_bar.show_number = False
        self.production_bar.setToolTip(
            QCoreApplication.translate("OeeCard", "The mark is the OEE target")
        )
        self.production_label = QLabel("-", self)
        self.production_label.setObjectName("oeeProduction")
        self.production_label.setAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        tabular_digits(self.production_label)

        grid = QGridLayout(self)
        grid.setContentsMargins(12, 6, 12, 6)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(3)
        top = QHBoxLayout()
        top.addWidget(self.title_label)
        top.addWidget(self.reason_label, 1)  # why it stopped, next to the state: one row
        top.addWidget(self.state_chip)
        grid.addLayout(top, 0, 0, 1, 2)
        grid.addLayout(big, 2, 0)
        grid.addLayout(bars, 2, 1)
        counts = QGridLayout()
        counts.setHorizontalSpacing(8)
        good_caption = QLabel(QCoreApplication.translate("OeeCard", "Good"), self)
        reject_caption = QLabel(QCoreApplication.translate("OeeCard", "Reject"), self)
        counts.addWidget(good_caption, 0, 0)
        counts.addWidget(self.good_label, 0, 1)
        counts.addWidget(reject_caption, 0, 2)
        counts.addWidget(self.reject_label, 0, 3)
        counts.setColumnStretch(4, 1)
        self._counts = counts
        grid.addLayout(counts, 3, 0, 1, 2)
        self.production_caption = QLabel(
            QCoreApplication.translate("OeeCard", "Good parts vs ideal so far"), self
        )
        self.production_caption.setObjectName("oeeSmall")
        prod = QHBoxLayout()
        prod.addWidget(self.production_caption, 1)
        prod.addWidget(self.production_label)
        grid.addLayout(prod, 4, 0, 1, 2)
        grid.addWidget(self.production_bar, 5, 0, 1, 2)
        self.timeline: StateTimeline | None = None  # made by show_timeline
        self._grid = grid
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(2, 1)  # extra height goes to the number and the bars

        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._show_duration)

    # -- binding -------------------------------------------------------------------------

    @property
    def tags(self) -> list[str]:
        """The tags to bind: the counters (live counts) and the state tag."""
        out = list(self._counters)
        if self.state_tag:
            out.append(self.state_tag)
        return out

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._fit_number()
        self._show_reason()

    def _show_reason(self) -> None:
        fm = self.reason_label.fontMetrics()
        width = max(0, self.reason_label.width() - 4)
        elided = fm.elidedText(self.reason_text, Qt.TextElideMode.ElideRight, width)
        self.reason_label.setText(elided)
        self.reason_label.setToolTip(self.reason_text)

    def _fit_number(self) -> None:
        """The big number grows with the card's width (a wall display far away, a small
        embed). Not with its height: the number's own size would feed back into the
        card's minimum height and never let it shrink. Called on resize and re-polish."""
        px = int(max(28, min(72, self.width() * 0.1)))
        font = self.oee_label.font()
        if font.pixelSize() != px or not font.bold():
            font.setPixelSize(px)
            font.setBold(True)
            self.oee_label.setFont(font)

    def showEvent(self, event: Any) -> None:
        self._ticker.start()
        super().showEvent(event)

    def hideEvent(self, event: Any) -> None:
        self._ticker.stop()
        super().hideEvent(event)

    # -- figures (every few seconds) -----------------------------------------------------

    def set_data(self, data: Any) -> None:
        """Show a `screens.oee_data.CardData` (figures of a period, maybe live)."""
        self._data = data
        self._extra = {}
        fig = data.figures
        self.oee_label.setText(percent(fig.oee))
        self.target_label.setText(
            QCoreApplication.translate("OeeCard", "target %1").replace("%1", percent(fig.target))
        )
        below = "true" if fig.oee is not None and fig.oee < fig.target else "false"
        if self.property("belowTarget") != below:
            self.setProperty("belowTarget", below)
            _repolish(self)
            self._fit_number()
        self.bars["A"].set_ratio(fig.availability, percent(fig.availability))
        self.bars["P"].set_ratio(fig.performance, percent(fig.performance))
        self.bars["Q"].set_ratio(fig.quality, percent(fig.quality))
        if data.live:
            self._set_state(data.state, data.state_since, data.reason)
        else:
            self._set_state(None, None, None)
        self._show_counts()

    def _show_counts(self) -> None:
        data = self._data
        if data is None:
            return
        good, reject = self.live_counts()
        self.counts_changed.emit(good, reject)
        self.good_label.setText(str(good))
        self.reject_label.setText(str(reject))
        ideal = data.ideal_count
        if ideal:
            self.production_label.setText(f"{good} / {ideal:.0f}")
            self.production_bar.set_ratio(good / ideal, percent(good / ideal), fig_target(data))
        else:
            self.production_label.setText(f"{good} / -")
            self.production_bar.set_ratio(None, "-")

    def live_counts(self) -> tuple[int, int]:
        """(good, reject) shown now: the figures plus what the counters moved since."""
        data = self._data
        if data is None:
            return 0, 0
        e = self._extra
        kinds = self.model.count_kinds
        if CountKind.TOTAL in kinds:
            total = e.get(CountKind.TOTAL, 0)
            if CountKind.REJECT in kinds:
                reject = e.get(CountKind.REJECT, 0)
            else:
                reject = total - e.get(CountKind.GOOD, 0)
            good = total - reject
        else:
            good, reject = e.get(CountKind.GOOD, 0), e.get(CountKind.REJECT, 0)
        return data.good + good, data.reject + reject

    # -- tags (every frame) --------------------------------------------------------------

    def set_tag_value(self, value: TagValue) -> None:
        if value.name in self._counters:
            self._on_counter(value)
        elif value.name == self.state_tag:
            self._on_state(value)

    def _on_counter(self, tv: TagValue) -> None:
        data = self._data
        if data is None or not data.live or not tv.quality.is_good:
            return
        base = data.raw.get(tv.name)
        if base is None or isinstance(tv.value, bool) or not isinstance(tv.value, int | float):
            return
        mod = data.modulus.get(tv.name)
        new = int(tv.value) % mod if mod else int(tv.value)
        n = counter_delta(base, new, mod, self.model.rollover_window)
        kind = self._counters[tv.name]
        if self._extra.get(kind) != n:
            self._extra[kind] = n
            self._show_counts()

    def _on_state(self, tv: TagValue) -> None:
        if self._data is None or not self._data.live:
            return
        if not tv.quality.is_good or tv.value is None:
            state = LineState.UNKNOWN
        else:
            state = self._state_map.get(state_key(tv.value), LineState.UNKNOWN)
        if state != self._state:
            reason = None if state is LineState.RUNNING else self._reason
            self._set_state(state, tv.receive_ts, reason)

    def _set_state(self, state: LineState | None, since: float | None, reason: int | None) -> None:
        self._state, self._since, self._reason = state, since, reason
        self.state_label.setText(state_text(state) if state is not None else "")
        self.state_chip.setVisible(state is not None)
        style = STATE_STYLE.get(state, "unknown") if state is not None else "unknown"
        if self.state_chip.property("lineState") != style:
            self.state_chip.setProperty("lineState", style)
            _repolish(self.state_chip)
        if reason and state not in (LineState.RUNNING, None):
            self.reason_text = self._reason_names.get(reason, str(reason))
        else:
            self.reason_text = ""
        self._show_reason()
        self._show_duration()

    def _show_duration(self) -> None:
        if self._since is None:
            self.duration_label.setText("")
            return
        self.duration_label.setText(duration(max(0.0, self._clock() - self._since)))

    def show_timeline(
        self, intervals: Any, since: float, until: float, *, zone: Any = None
    ) -> StateTimeline:
        """Add (once) and fill a state strip under the figures: the period at a glance."""
        if self.timeline is None:
            self.timeline = StateTimeline(
                reason_names=self._reason_names, zone=zone, strip=18, parent=self
            )
            self._grid.addWidget(self.timeline, 6, 0, 1, 2)
        self.timeline.set_intervals(intervals, since, until)
        return self.timeline

    def add_action(self, widget: QWidget) -> None:
        """Put a button (e.g. "Line details") at the right of the counts row."""
        self._counts.addWidget(widget, 0, 5)

    @property
    def state(self) -> LineState | None:
        return self._state


def fig_target(data: Any) -> float:
    return data.figures.target
