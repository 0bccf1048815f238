"""StateIndicator: a line's state in words, why it stopped, and for how long.

Codes are plant-specific, so the widget takes its words from the caller: a map
of state codes to text, one of state codes to a style kind (``lineState``), and
one of reason codes to text. It shows two tags (state and reason) and is bound to
both; it tells them apart by `TagValue.name`. The time in the current state ticks
on a one-second timer that runs only while the widget is visible, because the
binder calls `set_tag_value` only when a tag changes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QSizePolicy, QWidget

from hmi.tagvalue import Quality, TagValue
from widgets._quality import StyleProperties, quality_marker
from widgets.formatting import NO_VALUE, format_duration
from widgets.value_display import tabular_digits

LINE_STATES = ("running", "idle", "down", "changeover", "planned", "unknown")
"""The values the `lineState` property takes; the theme styles them."""


def _code(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


class StateIndicator(QFrame):
    """Shows ``Down  00:42`` over ``Motor overload`` for a state tag and a reason tag.

    Bind it to both tags: ``for tag in indicator.tags: ctx.bind(indicator, tag)``.
    """

    def __init__(
        self,
        state_tag: str,
        reason_tag: str | None = None,
        *,
        state_texts: Mapping[int, str],
        state_kinds: Mapping[int, str],
        reason_texts: Mapping[int, str] | None = None,
        clock: Callable[[], float] = time.time,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        unknown = set(state_kinds.values()) - set(LINE_STATES)
        if unknown:
            raise ValueError(f"unknown line state kind(s) {sorted(unknown)}; use {LINE_STATES}")
        self.state_tag = state_tag
        self.reason_tag = reason_tag
        self._state_texts = dict(state_texts)
        self._state_kinds = dict(state_kinds)
        self._reason_texts = dict(reason_texts or {})
        self._clock = clock
        self._state: TagValue | None = None
        self._reason: TagValue | None = None
        self._since: float | None = None  # source time the current state began

        self.state_label = QLabel(NO_VALUE, self)
        self.state_label.setObjectName("state")
        self.duration_label = QLabel("", self)
        self.duration_label.setObjectName("duration")
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        self.duration_label.setAlignment(right)
        tabular_digits(self.duration_label)
        self.reason_label = QLabel("", self)
        self.reason_label.setObjectName("reason")
        self.reason_label.setWordWrap(True)
        # Keep the row's height when there is no reason, so the panel does not jump.
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setRetainSizeWhenHidden(True)
        self.reason_label.setSizePolicy(policy)
        self.reason_label.hide()
        self.marker_label = QLabel("", self)
        self.marker_label.setObjectName("qualityMarker")

        grid = QGridLayout(self)
        grid.setContentsMargins(8, 6, 8, 6)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        grid.addWidget(self.state_label, 0, 0)
        grid.addWidget(self.marker_label, 0, 1)
        grid.addWidget(self.duration_label, 0, 2)
        grid.addWidget(self.reason_label, 1, 0, 1, 3)
        grid.setColumnStretch(0, 1)

        labels = (self.state_label, self.duration_label, self.reason_label, self.marker_label)
        self.style_props = StyleProperties(self, labels)
        self.style_props.set(quality=Quality.DISCONNECTED.value, lineState="unknown")
        self._show_marker(Quality.DISCONNECTED)

        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._show_duration)

    @property
    def tags(self) -> tuple[str, ...]:
        """The tags to bind this widget to."""
        return (self.state_tag, self.reason_tag) if self.reason_tag else (self.state_tag,)

    # -- the TagWidget protocol (bound to two tags) ---------------------------------------------

    def set_tag_value(self, value: TagValue) -> None:
        if value.name == self.reason_tag:
            self._reason = value
            self._show_reason()
            return
        previous = _code(self._state.value) if self._state is not None else None
        self._state = value
        code = _code(value.value) if value.quality is not Quality.DISCONNECTED else None
        if code is None:
            self._since = None
        elif code != previous or self._since is None:
            self._since = value.source_ts or self._clock()
        self._show_state(code, value.quality)
        self._show_reason()
        self._show_duration()

    # -- what the operator reads ----------------------------------------------------------------

    @property
    def state_text(self) -> str:
        return self.state_label.text()

    @property
    def reason_text(self) -> str:
        return self.reason_label.text() if self.reason_label.isVisibleTo(self) else ""

    @property
    def duration_text(self) -> str:
        return self.duration_label.text()

    # -- internals ------------------------------------------------------------------------------

    def _show_state(self, code: int | None, quality: Quality) -> None:
        if code is None:
            text, kind = NO_VALUE, "unknown"
        else:
            text = self._state_texts.get(code) or QCoreApplication.translate(
                "StateIndicator", "State {code}"
            ).format(code=code)
            kind = self._state_kinds.get(code, "unknown")
        if text != self.state_label.text():
            self.state_label.setText(text)
        if self.style_props.get("quality") != quality.value:
            self._show_marker(quality)
        self.style_props.set(quality=quality.value, lineState=kind)

    def _show_marker(self, quality: Quality) -> None:
        marker = quality_marker(quality)
        self.marker_label.setText(marker)
        self.marker_label.setVisible(bool(marker))

    def _show_reason(self) -> None:
        tv = self._reason
        code = _code(tv.value) if tv is not None and tv.quality is not Quality.DISCONNECTED else 0
        text = ""
        if code:
            text = self._reason_texts.get(code) or QCoreApplication.translate(
                "StateIndicator", "Reason {code}"
            ).format(code=code)
        if text != self.reason_label.text():
            self.reason_label.setText(text)
        if bool(text) != self.reason_label.isVisibleTo(self):
            self.reason_label.setVisible(bool(text))

    def _show_duration(self) -> None:
        text = "" if self._since is None else format_duration(self._clock() - self._since)
        if text != self.duration_label.text():
            self.duration_label.setText(text)

    def showEvent(self, ev) -> None:
        super().showEvent(ev)
        self._show_duration()
        self._ticker.start()

    def hideEvent(self, ev) -> None:
        self._ticker.stop()
        super().hideEvent(ev)
