"""ValueDisplay: one tag's value and units, with its quality readable without colour.

ISA-101 screens are grey; colour is kept for abnormal states and many operators do
not see it reliably. So a value whose quality is not good also changes its TEXT: a
marker word (UNCERTAIN / BAD / STALE / NO COMM), a "?" after a doubtful value, dashes
when there is no connection, and a hatch over a bad value. The colours themselves
come from the theme through the `quality` property (see `widgets/__init__.py`).
"""

from __future__ import annotations

from typing import Literal

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QContextMenuEvent,
    QFont,
    QHelpEvent,
    QPainter,
    QPalette,
    QShowEvent,
)
from PySide6.QtWidgets import QApplication, QFrame, QGridLayout, QLabel, QToolTip, QWidget

from hmi.config import TagConfig
from hmi.tagvalue import Quality, TagValue
from widgets._quality import StyleProperties, quality_marker
from widgets._tooltip import tag_tooltip
from widgets.alarm_aware import priority_property
from widgets.context_menu import TagActions, show_tag_menu
from widgets.formatting import NO_VALUE, format_value


def tabular_digits(label: QLabel) -> None:
    """Ask the font for equal-width digits, so a changing number does not jitter."""
    font = label.font()
    font.setFeature(QFont.Tag("tnum"), 1)
    label.setFont(font)


_SAME_DIGITS = str.maketrans("0123456789", "0000000000")
_MAX_SHAPES = 64


class ValueLabel(QLabel):
    """A ValueDisplay's number: fixed in size and, over a plain background, opaque.

    When hundreds of values change every frame, the frame's cost is Qt's, not ours. A
    label that may change size makes `setText` re-lay out its parent (Qt skips that only
    for a widget whose minimum and maximum sizes are equal), and a transparent one makes
    Qt repaint the frame and the screen behind it as well. So this label keeps a fixed
    size that grows to fit a wider text (and follows a new font: the theme and screens
    set fonts by style sheet), and fills its background with the colour of what it sits
    on (`_adopt_background`) unless something must show through (`set_see_through`).
    """

    def __init__(self, text: str, parent: QWidget | None = None):
        super().__init__(text, parent)
        self._fitted: set[str] = set()
        """Shapes of the texts the label has been sized for (measuring costs ~8 µs)."""
        self.set_see_through(False)
        self._fit(grow_only=False)

    def show_text(self, text: str) -> None:
        """Show `text`, growing the label if it is wider than any text shown so far."""
        self.setText(text)
        # Digits are tabular (`tabular_digits`): texts of one shape are equally wide.
        shape = text.translate(_SAME_DIGITS)
        if shape not in self._fitted:
            if len(self._fitted) >= _MAX_SHAPES:
                self._fitted.clear()
            self._fitted.add(shape)
            self._fit(grow_only=True)

    def set_see_through(self, see_through: bool) -> None:
        """Let what the parent paints (the bad-value hatch) show through the label."""
        self.setAutoFillBackground(not see_through)

    def _fit(self, *, grow_only: bool) -> None:
        if not grow_only:
            self._fitted = {self.text().translate(_SAME_DIGITS)}
        hint = self.sizeHint()
        width = max(hint.width(), self.minimumWidth()) if grow_only else hint.width()
        if width != self.minimumWidth() or hint.height() != self.minimumHeight():
            self.setFixedSize(width, hint.height())

    def changeEvent(self, ev: QEvent) -> None:
        super().changeEvent(ev)
        if ev.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit(grow_only=False)
            self._adopt_background()
        elif ev.type() == QEvent.Type.ParentChange:
            self._adopt_background()

    def showEvent(self, ev: QShowEvent) -> None:
        self._adopt_background()
        super().showEvent(ev)

    def _adopt_background(self) -> None:
        """Fill with the colour the label sits on, so filling it changes nothing visible.

        A styled label's own palette is the application's, but the panel under it may be
        painted lighter by the theme; a container with a background rule carries it in
        its palette. So: the first ancestor whose background differs from the
        application's (transparent layers in between report the application's).
        Runs on show and on style changes, never per frame.
        """
        base = QApplication.palette().color(QPalette.ColorRole.Window)
        colour = base
        widget = self.parentWidget()
        while widget is not None:
            c = widget.palette().color(widget.backgroundRole())
            if c != base:
                colour = c
                break
            if widget.isWindow():
                break
            widget = widget.parentWidget()
        if self.palette().color(QPalette.ColorRole.Window) != colour:
            palette = self.palette()
            palette.setColor(QPalette.ColorRole.Window, colour)
            self.setPalette(palette)


class ValueDisplay(QFrame):
    """Shows one tag: value and units, with an optional caption and a quality marker.

    Bind it with ``ctx.bind(display, tag)``. `set_tag_value` is called once per frame
    and returns at once when what the operator would see is unchanged, so a screen of
    hundreds of values costs a string comparison each per frame.
    """

    def __init__(
        self,
        config: TagConfig | None = None,
        caption: str = "",
        *,
        caption_position: Literal["above", "left"] = "above",
        lang: str = "en",
        true_text: str | None = None,
        false_text: str | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._config = config
        self._lang = lang
        self._true = true_text or QCoreApplication.translate("ValueDisplay", "On")
        self._false = false_text or QCoreApplication.translate("ValueDisplay", "Off")
        self._last: TagValue | None = None
        self._text: str | None = None

        self.caption_label = QLabel(caption, self)
        self.caption_label.setObjectName("caption")
        self.caption_label.setVisible(bool(caption))
        self.marker_label = QLabel(self)
        self.marker_label.setObjectName("qualityMarker")
        self.marker_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.value_label = ValueLabel(NO_VALUE, self)
        self.value_label.setObjectName("value")
        self.value_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        tabular_digits(self.value_label)
        self.units_label = QLabel(config.units if config else "", self)
        self.units_label.setObjectName("units")
        self.units_label.setVisible(bool(self.units_label.text()))

        self._layout(caption_position)

        labels = (self.caption_label, self.marker_label, self.value_label, self.units_label)
        self.style_props = StyleProperties(self, labels)
        self._alarm_priority: int | None = None
        self.actions: TagActions | None = None  # the tag menu's requests (the context sets it)
        self.instance = ""  # the template instance of the tag, for "Faceplate"
        self._show_quality(Quality.DISCONNECTED)

    def _layout(self, caption_position: str) -> None:
        """Place the parts; the marker shares the caption's cell so it costs no width.

        caption left:  caption | value units     caption above: caption   marker
                       marker  | (spans)                        value units
        no caption:    marker value units
        """
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 2, 4, 2)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(0)
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if not self.caption_label.text():
            grid.addWidget(self.marker_label, 0, 0, left)
            grid.addWidget(self.value_label, 0, 1, right)
            grid.addWidget(
                self.units_label, 0, 2, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom
            )
            grid.setColumnStretch(1, 1)
        elif caption_position == "left":
            # Caption and units sit at the bottom: near the number's baseline.
            bottom = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom
            grid.setHorizontalSpacing(8)
            grid.addWidget(self.caption_label, 0, 0, bottom)
            grid.addWidget(self.marker_label, 1, 0, left)
            grid.addWidget(self.value_label, 0, 1, 2, 1, right)
            grid.addWidget(self.units_label, 0, 2, 2, 1, bottom)
            grid.setColumnStretch(1, 1)
            grid.setRowStretch(0, 1)
        else:
            self.caption_label.setAlignment(right)
            grid.addWidget(self.marker_label, 0, 0, left)
            grid.addWidget(self.caption_label, 0, 1, 1, 2, right)
            grid.addWidget(self.value_label, 1, 0, 1, 2, right)
            grid.addWidget(
                self.units_label, 1, 2, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom
            )
            grid.setColumnStretch(0, 1)
        # Beside a caption the marker only takes height the value already takes, so it
        # may collapse when hidden; alone, it keeps its width so the value does not move.
        policy = self.marker_label.sizePolicy()
        policy.setRetainSizeWhenHidden(not self.caption_label.text())
        self.marker_label.setSizePolicy(policy)

    # -- the TagWidget protocol -------------------------------------------------------------

    def set_tag_value(self, value: TagValue) -> None:
        self._last = value
        text = self._value_text(value)
        if text != self._text:
            self._text = text
            self.value_label.show_text(text)
        if value.quality.value != self.style_props.get("quality"):
            self._show_quality(value.quality)

    # -- what the operator reads --------------------------------------------------------------

    @property
    def text(self) -> str:
        """The value as displayed (with any quality decoration, without the units)."""
        return self.value_label.text()

    @property
    def quality(self) -> Quality:
        return Quality(self.style_props.get("quality"))

    def tooltip_text(self) -> str:
        """Tag name, description, value, quality (+ reason), source time and alarm."""
        cfg = self._config
        name = cfg.name if cfg else (self._last.name if self._last else "")
        return tag_tooltip(
            name, cfg, self._last, lang=self._lang, true_text=self._true,
            false_text=self._false, alarm_priority=self._alarm_priority,
        )  # fmt: skip

    def contextMenuEvent(self, ev: QContextMenuEvent) -> None:
        """The tag menu every tag widget shares: trend, alarm history, faceplate."""
        tag = self._config.name if self._config else (self._last.name if self._last else "")
        show_tag_menu(self, ev.pos(), tag, self.instance, self.actions)

    def set_alarm_priority(self, priority: int | None) -> None:
        """Show the tag's most urgent active alarm (None: none) as a priority border."""
        self._alarm_priority = priority
        self.style_props.set(alarmPriority=priority_property(priority))

    # -- internals ----------------------------------------------------------------------------

    def _value_text(self, tv: TagValue) -> str:
        q = tv.quality
        if q is Quality.DISCONNECTED or tv.value is None:
            return NO_VALUE
        text = format_value(tv.value, self._config, true_text=self._true, false_text=self._false)
        if q in (Quality.UNCERTAIN, Quality.STALE):
            return text + "?"
        return text

    def _show_quality(self, quality: Quality) -> None:
        marker = quality_marker(quality)
        self.marker_label.setText(marker)
        self.marker_label.setVisible(bool(marker))
        self.style_props.set(quality=quality.value)
        self.value_label.set_see_through(quality is Quality.BAD)

    def event(self, ev: QEvent) -> bool:
        # The tooltip is built when asked for, not on every frame.
        if ev.type() == QEvent.Type.ToolTip and isinstance(ev, QHelpEvent):
            QToolTip.showText(ev.globalPos(), self.tooltip_text(), self)
            return True
        return super().event(ev)

    def paintEvent(self, ev) -> None:
        super().paintEvent(ev)
        if self.style_props.get("quality") == Quality.BAD.value:
            # A hatch marks a bad value for those who cannot tell its colour.
            ink = QColor(self.palette().color(QPalette.ColorRole.WindowText))
            ink.setAlpha(70)
            painter = QPainter(self)
            painter.fillRect(self.rect(), QBrush(ink, Qt.BrushStyle.BDiagPattern))
            painter.end()
