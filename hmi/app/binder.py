"""Tag → widget binding, screen by screen: only visible screens are fed.

Each screen is a `ScreenBinding` group. The group is active while its root widget
is shown (connect on show, disconnect on hide), so a frame touches only what the
operator can see. When a screen is shown it is filled at once from the runtime's
tag table, so it never shows blanks or old values for a frame.

A widget whose update raises takes its screen out of service, not the station: the
group stops being fed and its `on_failure` callback (set by whoever shows the
screen: the main window swaps in an error panel and journals it) runs once.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from hmi.plugin import TagWidget
from hmi.tagvalue import TagValue

if TYPE_CHECKING:
    from hmi.app.alarm_feed import AlarmSnapshot

log = logging.getLogger(__name__)

Snapshot = Callable[[], dict[str, TagValue]]
FailureCallback = Callable[[str, str], None]
"""``(message, traceback text)`` of the first exception in a screen's widget update."""


class ScreenBinding(QObject):
    """The widgets of one screen, and whether that screen is visible now."""

    def __init__(self, binder: Binder, name: str):
        super().__init__()
        self.name = name
        self.active = False
        self.failed = False
        self.on_failure: FailureCallback | None = None
        self.widgets: list[tuple[str, TagWidget]] = []
        self._binder = binder

    def attach(self, root: QWidget) -> None:
        """Follow `root`'s show/hide; activate now if it is already visible."""
        root.installEventFilter(self)
        if root.isVisible():
            self.activate()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Show:
            self.activate()
        elif kind == QEvent.Type.Hide:
            self.active = False
        return False

    def report_failure(self, message: str, details: str) -> None:
        if self.on_failure is None:
            return
        try:
            self.on_failure(message, details)
        except Exception:
            log.exception("reporting the failure of screen '%s' failed", self.name)

    def activate(self) -> None:
        if self.active or self.failed:
            return
        self.active = True
        self._binder.fill(self)


class Binder:
    """Feeds bound widgets from the bridge's frames; one faulty widget never stops a frame."""

    def __init__(self, tag_names: Collection[str], snapshot: Snapshot):
        self._known = tag_names
        self._snapshot = snapshot
        self._by_tag: dict[str, list[tuple[ScreenBinding, TagWidget]]] = {}
        self._screens: dict[str, ScreenBinding] = {}
        self._alarm_priority: dict[str, int] = {}  # tag -> most urgent annunciated alarm

    def screen(self, name: str) -> ScreenBinding:
        """The binding group of screen `name` (created on first use)."""
        group = self._screens.get(name)
        if group is None:
            group = self._screens[name] = ScreenBinding(self, name)
        return group

    def bind(self, group: ScreenBinding, widget: TagWidget, tag: str) -> None:
        """Feed `widget` the value of `tag` while `group`'s screen is visible."""
        if tag not in self._known:
            raise KeyError(f"no tag named '{tag}' in the plant config")
        if not callable(getattr(widget, "set_tag_value", None)):
            raise TypeError(f"{type(widget).__name__} has no set_tag_value(value) method")
        group.widgets.append((tag, widget))
        self._by_tag.setdefault(tag, []).append((group, widget))
        if tag in self._alarm_priority:
            _show_alarm(widget, self._alarm_priority[tag])
        if group.active:
            self._deliver(group, widget, self._snapshot().get(tag))

    def drop(self, group: ScreenBinding) -> None:
        """Forget a screen's widgets (a closed faceplate, a rebuilt screen): they are
        never fed again and can be garbage-collected."""
        group.active = False
        for tag, _widget in group.widgets:
            entries = self._by_tag.get(tag)
            if entries:
                entries[:] = [e for e in entries if e[0] is not group]
                if not entries:
                    del self._by_tag[tag]
        group.widgets.clear()
        if self._screens.get(group.name) is group:
            del self._screens[group.name]

    def on_frame(self, values: dict[str, TagValue]) -> None:
        """Deliver one frame (the tags that changed) to the widgets of active screens."""
        by_tag = self._by_tag
        for tag, tv in values.items():
            for group, widget in by_tag.get(tag, ()):
                if group.active:
                    self._deliver(group, widget, tv)

    def on_alarms(self, snapshot: AlarmSnapshot) -> None:
        """Mark bound widgets with their tag's most urgent annunciated alarm (or none).

        Only tags whose priority changed are touched, so this costs nothing per frame;
        hidden screens are marked too, so they are right the moment they are shown.
        """
        now: dict[str, int] = {}
        for record in snapshot.annunciated:
            if record.tag not in now or record.priority < now[record.tag]:
                now[record.tag] = record.priority
        before = self._alarm_priority
        self._alarm_priority = now
        for tag in before.keys() | now.keys():
            priority = now.get(tag)
            if priority == before.get(tag):
                continue
            for _group, widget in self._by_tag.get(tag, ()):
                _show_alarm(widget, priority)

    def fill(self, group: ScreenBinding) -> None:
        """Give every widget of a screen that just became visible its current value."""
        if not group.widgets:
            return
        snap = self._snapshot()
        for tag, widget in group.widgets:
            if not group.active:
                return  # a widget failed: the rest of this screen is not fed
            self._deliver(group, widget, snap.get(tag))

    @staticmethod
    def _deliver(group: ScreenBinding, widget: TagWidget, tv: TagValue | None) -> None:
        if tv is None:
            return
        try:
            widget.set_tag_value(tv)
        except Exception as exc:
            log.exception("widget %r failed to show %s", widget, tv.name)
            if group.failed or group.on_failure is None:
                return  # nobody to take the screen out of service: the others run on
            group.failed = True
            group.active = False
            message = (
                f"{type(widget).__name__} failed to show {tv.name} on screen '{group.name}': "
                f"{type(exc).__name__}: {exc}"
            )
            details = traceback.format_exc()
            # After this frame: the handler drops bindings, which must not happen while
            # `on_frame` walks them.
            QTimer.singleShot(0, lambda: group.report_failure(message, details))


def _show_alarm(widget: TagWidget, priority: int | None) -> None:
    """Alarm-aware widgets (widgets.alarm_aware) take the priority; others are left be."""
    show = getattr(widget, "set_alarm_priority", None)
    if show is None:
        return
    try:
        show(priority)
    except Exception:  # a widget's bug must not stop the others being marked
        log.exception("widget %r failed to show alarm priority %s", widget, priority)
