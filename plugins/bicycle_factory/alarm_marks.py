"""Alarm awareness for a plugin screen's widgets: each shows its tag's most urgent alarm.

The SDK's `ScreenContext` binds values but does not tell widgets about alarms. The
station's context offers the alarm client (``ctx.alarms``, with its once-per-frame
`feed`) to system screens; where it is there, `AlarmMarks` follows it and calls
``widget.set_alarm_priority`` on the widgets registered with it. Without it (a bare
test context) the widgets simply show no alarm marks.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject

from widgets import AlarmAware, priority_for_tag


class AlarmMarks(QObject):
    """Registers widgets with their tags and marks them from the alarm feed's snapshots."""

    def __init__(self, ctx: Any, parent: QObject | None = None):
        super().__init__(parent)
        self._marked: list[tuple[AlarmAware, tuple[str, ...]]] = []
        self._records: tuple[Any, ...] = ()
        alarms = getattr(ctx, "alarms", None)
        feed = getattr(alarms, "feed", None)
        self.live = feed is not None
        if feed is not None:
            self._records = tuple(feed.snapshot.records)
            feed.changed.connect(self._on_snapshot)

    def add(self, widget: AlarmAware, *tags: str) -> None:
        """Mark `widget` with the most urgent shown alarm of any of `tags` from now on."""
        self._marked.append((widget, tags))
        widget.set_alarm_priority(self._priority(tags))

    def _priority(self, tags: tuple[str, ...]) -> int | None:
        found = [p for t in tags if (p := priority_for_tag(self._records, t)) is not None]
        return min(found, default=None)

    def _on_snapshot(self, snapshot: Any) -> None:
        self._records = tuple(snapshot.records)
        self.refresh()

    def refresh(self) -> None:
        for widget, tags in self._marked:
            widget.set_alarm_priority(self._priority(tags))
