"""The parts every widget of the library composes: quality, alarm, tooltip, context menu.

Not a base class: a widget owns a `TagCore` and asks it. The core keeps the last
value, sets the ``quality`` and ``alarmPriority`` style properties (one re-polish,
only on a change), answers the tooltip when the operator hovers (built then, never
per frame) and pops up the common context menu.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtGui import QContextMenuEvent, QHelpEvent
from PySide6.QtWidgets import QMenu, QToolTip, QWidget

from hmi.config import TagConfig
from hmi.tagvalue import Quality, TagValue
from widgets._quality import StyleProperties
from widgets._tooltip import tag_tooltip
from widgets.alarm_aware import normalize_priority, priority_property
from widgets.context_menu import TagActions, show_tag_menu


def finite_number(value: Any) -> float | None:
    """`value` as a finite float, or None (None, text that is no number, NaN, inf)."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def quality_of(value: Any) -> Quality:
    """The quality of a delivered object; anything that is not a TagValue counts as BAD."""
    if not isinstance(value, TagValue):
        return Quality.BAD
    try:
        return Quality(value.quality)
    except ValueError:
        return Quality.BAD


def tr_on_off(true_text: str | None, false_text: str | None) -> tuple[str, str]:
    """The words for a boolean, translated unless the caller gave its own."""
    return (
        true_text or QCoreApplication.translate("TagWidget", "On"),
        false_text or QCoreApplication.translate("TagWidget", "Off"),
    )


class CoreDelegate:
    """Mixin answering the TagWidget / AlarmAware protocols from the widget's `core`.

    Why: every tag widget answers them the same way, by asking its `TagCore`; the
    mixin says it once. A widget that must do more (repaint a lamp) overrides.
    """

    core: TagCore

    def set_alarm_priority(self, priority: int | None) -> None:
        self.core.set_alarm_priority(priority)

    @property
    def quality(self) -> Quality:
        return self.core.quality

    @property
    def alarm_priority(self) -> int | None:
        return self.core.alarm_priority

    def tooltip_text(self) -> str:
        return self.core.tooltip_text()


class TagCore(QObject):
    """Quality + alarm properties, tooltip and context menu of one tag widget."""

    def __init__(
        self,
        owner: QWidget,
        tag: str = "",
        config: TagConfig | None = None,
        *,
        parts: Iterable[QWidget] = (),
        lang: str = "en",
        actions: TagActions | None = None,
        instance: str = "",
        true_text: str = "On",
        false_text: str = "Off",
    ):
        super().__init__(owner)
        self.owner = owner
        self.tag = tag or (config.name if config else "")
        self.config = config
        self.lang = lang
        self.actions = actions
        self.instance = instance
        self.true_text = true_text
        self.false_text = false_text
        self.last: TagValue | None = None
        self.alarm_priority: int | None = None
        self.menu: QMenu | None = None
        self.style = StyleProperties(owner, parts)
        self.style.set(quality=Quality.DISCONNECTED.value, alarmPriority="")
        owner.installEventFilter(self)

    @property
    def quality(self) -> Quality:
        return Quality(self.style.get("quality"))

    def accept(self, value: Any) -> Quality:
        """Remember a delivered value (if it is one) and return its quality."""
        quality = quality_of(value)
        if isinstance(value, TagValue):
            self.last = value
        return quality

    def show_quality(self, quality: Quality) -> bool:
        """Set the `quality` property; True when it changed (and the widget was re-polished)."""
        return self.style.set(quality=quality.value)

    def set_alarm_priority(self, priority: int | None) -> bool:
        """Set the `alarmPriority` property; True when it changed."""
        self.alarm_priority = normalize_priority(priority)
        return self.style.set(alarmPriority=priority_property(self.alarm_priority))

    def tooltip_text(self) -> str:
        return tag_tooltip(
            self.tag,
            self.config,
            self.last,
            lang=self.lang,
            true_text=self.true_text,
            false_text=self.false_text,
            alarm_priority=self.alarm_priority,
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            QToolTip.showText(event.globalPos(), self.tooltip_text(), self.owner)
            return True
        if kind == QEvent.Type.ContextMenu and isinstance(event, QContextMenuEvent):
            self.menu = show_tag_menu(
                self.owner, event.pos(), self.tag, self.instance, self.actions
            )
            return True
        return False
