"""Alarm awareness shared by every tag widget: the `alarmPriority` property and its marker.

A tag value does not say whether its tag is in alarm; the alarm engine does. So the
station (or a screen) tells a widget its tag's most urgent alarm with
``widget.set_alarm_priority(p)`` (1 most urgent … 4, None when not in alarm), and
`priority_for_tag` picks that priority from the engine's active records. The widget
then sets the ``alarmPriority`` style property ("" | "1" … "4") — the theme draws a
border in the priority's colour — and painted widgets draw `paint_alarm_badge`: the
priority NUMBER in a coloured diamond, so an alarm is readable without colour vision.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QPainter, QPen, QPolygonF

from widgets.palette import IsaPalette

ALARM_PRIORITIES = (1, 2, 3, 4)
QUIET_STATES = frozenset({"normal", "shelved", "suppressed", "out_of_service"})
"""Alarm states that do not mark a widget (the operator chose not to be told, or by design)."""


@runtime_checkable
class AlarmAware(Protocol):
    """A widget that shows its tag's alarm priority."""

    def set_alarm_priority(self, priority: int | None) -> None: ...


class _AlarmRecordLike(Protocol):
    tag: str
    priority: int
    state: str


def priority_property(priority: int | None) -> str:
    """The `alarmPriority` property value: "" when not in alarm, else "1" … "4"."""
    if priority is None or priority not in ALARM_PRIORITIES:
        return ""
    return str(priority)


def normalize_priority(priority: object) -> int | None:
    """An int 1…4, or None for anything else (no alarm, or garbage from a caller)."""
    if isinstance(priority, bool):
        return None
    if isinstance(priority, int) and priority in ALARM_PRIORITIES:
        return priority
    return None


def priority_for_tag(records: Iterable[_AlarmRecordLike], tag: str) -> int | None:
    """The most urgent priority among `tag`'s alarms that should be shown, or None.

    `records` are the engine's active `AlarmRecord`s; shelved, suppressed and
    out-of-service alarms do not mark a widget.
    """
    found = [r.priority for r in records if r.tag == tag and str(r.state) not in QUIET_STATES]
    return min(found) if found else None


def paint_alarm_badge(
    painter: QPainter, corner: QPointF, priority: int | None, palette: IsaPalette, size: float = 18
) -> None:
    """A diamond in the priority's colour with the priority number, its top-left at `corner`."""
    if priority is None:
        return
    colour = palette.alarm_color(priority)
    half = size / 2
    cx, cy = corner.x() + half, corner.y() + half
    diamond = QPolygonF(
        [
            QPointF(cx, cy - half),
            QPointF(cx + half, cy),
            QPointF(cx, cy + half),
            QPointF(cx - half, cy),
        ]
    )
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(QPen(palette.color("ink"), 1))
    painter.setBrush(colour)
    painter.drawPolygon(diamond)
    font = QFont(painter.font())
    font.setPixelSize(max(8, int(size * 0.6)))
    font.setBold(True)
    painter.setFont(font)
    # Dark digits on the light colours (yellow, orange), white on the dark ones.
    painter.setPen(palette.color("ink" if colour.lightness() > 110 else "inverse_ink"))
    painter.drawText(
        QRectF(cx - half, cy - half, size, size), Qt.AlignmentFlag.AlignCenter, str(priority)
    )
    painter.restore()
