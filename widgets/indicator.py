"""Indicator (an LED with its state word) and MultiStateLabel (the word alone).

A state is a WORD first: an operator reads "Running", "Fault", not a lamp colour.
The lamp adds a shape: hollow when off, filled when on, filled with a ring when the
state is one the caller called abnormal. The ``indicatorState`` property ("on" |
"off" | "abnormal" | "unknown") lets the theme make abnormal states stand out; the
quality word, "?" and a hatch say when the state cannot be trusted.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from hmi.config import TagConfig
from hmi.tagvalue import Quality, TagValue
from widgets._quality import StyleProperties, show_marker
from widgets._tagcore import CoreDelegate, TagCore, tr_on_off
from widgets.context_menu import TagActions
from widgets.formatting import NO_VALUE
from widgets.palette import ISA101, IsaPalette

INDICATOR_STATES = ("on", "off", "abnormal", "unknown")
"""The values of the `indicatorState` property."""

LED_SIZE = 16


def state_key(value: Any) -> Any:
    """The key a value is looked up by: bools and whole numbers as int, else the text."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return str(value)


class _Led(QWidget):
    """The lamp: drawn by its indicator's state, no colour of its own."""

    def __init__(self, owner: Indicator):
        super().__init__(owner)
        self._owner = owner
        self.setFixedSize(LED_SIZE, LED_SIZE)

    def paintEvent(self, ev: Any) -> None:
        owner = self._owner
        isa = owner.isa
        state = owner.indicator_state
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        box = QRectF(2, 2, LED_SIZE - 4, LED_SIZE - 4)
        pen = painter.pen()
        pen.setWidthF(1.5)
        pen.setColor(isa.color("ink" if state != "unknown" else "faint_ink"))
        if state == "unknown" or owner.quality is not Quality.GOOD:
            pen.setStyle(Qt.PenStyle.DashLine if state == "unknown" else Qt.PenStyle.DotLine)
        painter.setPen(pen)
        if state in ("on", "abnormal"):
            painter.setBrush(isa.color("ink"))
        else:
            painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(box)
        if owner.alarm_priority is not None:
            ring = painter.pen()
            ring.setStyle(Qt.PenStyle.SolidLine)
            ring.setWidthF(2.5)
            ring.setColor(isa.alarm_color(owner.alarm_priority))
            painter.setPen(ring)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QRectF(0.5, 0.5, LED_SIZE - 1, LED_SIZE - 1))
        painter.end()


class Indicator(CoreDelegate, QFrame):
    """A discrete tag as lamp + word. `texts` maps values (bool/int codes) to words;
    `abnormal` lists the values that are abnormal (e.g. a fault code)."""

    def __init__(
        self,
        config: TagConfig | None = None,
        caption: str = "",
        *,
        texts: Mapping[Any, str] | None = None,
        abnormal: Collection[Any] = (),
        led: bool = True,
        tag: str = "",
        lang: str = "en",
        actions: TagActions | None = None,
        instance: str = "",
        palette: IsaPalette = ISA101,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.isa = palette
        on, off = tr_on_off(texts.get(True) if texts else None, texts.get(False) if texts else None)
        self._texts = {state_key(k): v for k, v in (texts or {}).items()}
        self._texts.setdefault(1, on)
        self._texts.setdefault(0, off)
        self._abnormal = {state_key(v) for v in abnormal}
        self._shown: tuple[str, str] | None = None

        self.caption_label = QLabel(caption, self)
        self.caption_label.setObjectName("caption")
        self.caption_label.setVisible(bool(caption))
        self.led = _Led(self) if led else None
        self.state_label = QLabel(NO_VALUE, self)
        self.state_label.setObjectName("state")
        self.marker_label = QLabel("", self)
        self.marker_label.setObjectName("qualityMarker")
        self.marker_label.hide()

        # The quality word shares the caption's row, so it costs no width next to the
        # state; the row keeps its height when the word goes, so the lamp does not jump.
        grid = QGridLayout(self)
        grid.setContentsMargins(6, 3, 6, 3)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(1)
        grid.addWidget(self.caption_label, 0, 0, 1, 2)
        grid.addWidget(self.marker_label, 0, 2, Qt.AlignmentFlag.AlignRight)
        if self.led is not None:
            grid.addWidget(self.led, 1, 0, Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(self.state_label, 1, 1, 1, 2)
        grid.setColumnStretch(1, 1)
        policy = self.marker_label.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.marker_label.setSizePolicy(policy)

        labels = (self.caption_label, self.state_label, self.marker_label)
        self.core = TagCore(
            self,
            tag,
            config,
            parts=labels,
            lang=lang,
            actions=actions,
            instance=instance,
            true_text=on,
            false_text=off,
        )
        # The state changes far more often than the quality; only the word is styled by it,
        # so only the frame and the word are re-polished (a quarter of the cost).
        self.state_style = StyleProperties(self, (self.state_label,))
        self.state_style.set(indicatorState="unknown")
        show_marker(self.marker_label, Quality.DISCONNECTED)

    # -- the TagWidget / AlarmAware protocols -------------------------------------------------

    def set_tag_value(self, value: TagValue) -> None:
        quality = self.core.accept(value)
        tv = value if isinstance(value, TagValue) else None
        text, kind = self._state_of(tv, quality)
        if (text, kind) != self._shown:
            self._shown = (text, kind)
            self.state_label.setText(text)
            self.state_style.set(indicatorState=kind)
            if self.led is not None:
                self.led.update()
        if self.core.show_quality(quality):
            show_marker(self.marker_label, quality)
            if self.led is not None:
                self.led.update()

    def set_alarm_priority(self, priority: int | None) -> None:
        if self.core.set_alarm_priority(priority) and self.led is not None:
            self.led.update()

    # -- what the operator sees -----------------------------------------------------------------

    @property
    def text(self) -> str:
        return self.state_label.text()

    @property
    def indicator_state(self) -> str:
        return self.state_style.get("indicatorState") or "unknown"

    def _state_of(self, tv: TagValue | None, quality: Quality) -> tuple[str, str]:
        if tv is None or tv.value is None or quality is Quality.DISCONNECTED:
            return NO_VALUE, "unknown"
        key = state_key(tv.value)
        text = self._texts.get(key)
        if text is None:
            text = QCoreApplication.translate("Indicator", "State {code}").format(code=key)
        if key in self._abnormal:
            kind = "abnormal"
        elif key in (0, "", "0", "False", "false"):
            kind = "off"
        else:
            kind = "on"
        if quality in (Quality.UNCERTAIN, Quality.STALE):
            text += "?"
        return text, kind

    def paintEvent(self, ev: Any) -> None:
        super().paintEvent(ev)
        if self.core.quality is Quality.BAD:
            ink = QColor(self.isa.quality)
            ink.setAlpha(70)
            painter = QPainter(self)
            painter.fillRect(self.rect(), QBrush(ink, Qt.BrushStyle.BDiagPattern))
            painter.end()


class MultiStateLabel(Indicator):
    """A state word without a lamp (e.g. ``Auto`` / ``Manual`` / ``Local``)."""

    def __init__(self, config: TagConfig | None = None, caption: str = "", **kwargs: Any):
        kwargs.setdefault("led", False)
        super().__init__(config, caption, **kwargs)
