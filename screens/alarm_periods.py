"""Time-range presets of the alarm history and KPI screens: this shift, today, last N days.

"This shift" comes from the plant's shift calendar (`[shifts]`, hmi.config_oee) when
the config has one; without it, three 8-hour shifts starting 06:00, 14:00 and 22:00
local time. Ranges are [since, until) in epoch seconds, like `EventFilter`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from hmi.runtime.shift_calendar import shift_windows

if TYPE_CHECKING:
    from hmi.config_oee import ShiftCalendar

DEFAULT_SHIFT_STARTS = (6, 14, 22)  # local hours, 8 h each
DAY_S = 86400.0


def presets() -> list[tuple[str, str]]:
    """(key, label) of the presets, in menu order; "custom" last."""
    return [
        ("shift", QCoreApplication.translate("AlarmPeriods", "This shift")),
        ("today", QCoreApplication.translate("AlarmPeriods", "Today")),
        ("24h", QCoreApplication.translate("AlarmPeriods", "Last 24 hours")),
        ("7d", QCoreApplication.translate("AlarmPeriods", "Last 7 days")),
        ("30d", QCoreApplication.translate("AlarmPeriods", "Last 30 days")),
        ("custom", QCoreApplication.translate("AlarmPeriods", "Custom")),
    ]


def shift_period(now: float, shifts: ShiftCalendar | None = None) -> tuple[float, float]:
    """The shift `now` falls in (or, between calendar shifts, the last one that began)."""
    if shifts is not None and shifts.shift:
        windows = shift_windows(shifts, now - 2 * DAY_S, now + 1.0)
        started = [w for w in windows if w.start <= now]
        if started:
            current = next((w for w in started if now < w.end), started[-1])
            return current.start, current.end
    local = datetime.fromtimestamp(now).astimezone()
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    starts = [midnight + timedelta(hours=h) for h in DEFAULT_SHIFT_STARTS]
    starts = [s - timedelta(days=1) for s in starts] + starts  # the night shift began yesterday
    begun = max(s for s in starts if s <= local)
    return begun.timestamp(), (begun + timedelta(hours=8)).timestamp()


def preset_period(key: str, now: float, shifts: ShiftCalendar | None = None) -> tuple[float, float]:
    """[since, until) of a preset key (not "custom")."""
    if key == "shift":
        return shift_period(now, shifts)
    if key == "today":
        local = datetime.fromtimestamp(now).astimezone()
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        return midnight.timestamp(), (midnight + timedelta(days=1)).timestamp()
    days = {"24h": 1, "7d": 7, "30d": 30}.get(key)
    if days is None:
        raise ValueError(f"no period preset {key!r}")
    return now - days * DAY_S, now
