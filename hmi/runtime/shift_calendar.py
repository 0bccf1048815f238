"""Time on a line's shift calendar: shift occurrences, breaks, and report periods.

Pure and exact: no clock, no database, no Qt. `calendar_segments` cuts a period
into production / break / off time for the OEE calculation (`oee_calc.compute`);
`shift_windows`, `current_shift` and `periods` tell the CLI, the OEE screens and
the alarm KPI screen which shift is on and how to cut a range into shifts, local
days or local hours. Wall-clock times are in the calendar's own time zone.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from hmi.config_oee import ShiftCalendar

_EPS = 1e-9


# --------------------------------------------------------------------------- calendar


class CalendarKind(StrEnum):
    PRODUCTION = "production"
    BREAK = "break"  # a break or planned stop inside a shift
    OFF = "off"  # outside every shift, or a day off


@dataclass(frozen=True, slots=True)
class ShiftWindow:
    start: float
    end: float
    name: str
    day: date  # the local day the shift starts on


def _at(day: date, t: Any, zone: Any) -> float:
    return datetime.combine(day, t, tzinfo=zone).timestamp()


def shift_windows(cal: ShiftCalendar, since: float, until: float) -> list[ShiftWindow]:
    """Every shift occurrence overlapping [since, until), in time order."""
    zone = cal.zone
    first = datetime.fromtimestamp(since, zone).date() - timedelta(days=1)
    last = datetime.fromtimestamp(until, zone).date()
    out: list[ShiftWindow] = []
    day = first
    while day <= last:
        if not cal.is_day_off(day):
            for s in cal.shift:
                end_day = day + timedelta(days=1) if s.end <= s.start else day
                a, b = _at(day, s.start, zone), _at(end_day, s.end, zone)
                if a < until and b > since:
                    out.append(ShiftWindow(a, b, s.name, day))
        day += timedelta(days=1)
    out.sort(key=lambda w: w.start)
    return out


def _break_windows(cal: ShiftCalendar, line: str, shifts: list[ShiftWindow]) -> list[tuple]:
    zone = cal.zone
    out: list[tuple[float, float]] = []
    for w in shifts:
        for b in cal.breaks:
            if b.shifts and w.name not in b.shifts:
                continue
            for day in (w.day, w.day + timedelta(days=1)):
                end_day = day + timedelta(days=1) if b.end <= b.start else day
                a = max(_at(day, b.start, zone), w.start)
                z = min(_at(end_day, b.end, zone), w.end)
                if a < z:
                    out.append((a, z))
    for p in cal.planned_stops:
        if p.lines and line not in p.lines:
            continue
        a0 = p.start.replace(tzinfo=zone).timestamp()
        z0 = p.end.replace(tzinfo=zone).timestamp()
        for w in shifts:
            a, z = max(a0, w.start), min(z0, w.end)
            if a < z:
                out.append((a, z))
    return out


def calendar_segments(
    cal: ShiftCalendar | None, line: str, since: float, until: float
) -> list[tuple[float, float, CalendarKind]]:
    """[since, until) cut into production / break / off segments (no calendar: all
    production)."""
    if cal is None:
        return [(since, until, CalendarKind.PRODUCTION)]
    shifts = shift_windows(cal, since, until)
    breaks = _break_windows(cal, line, shifts)
    cuts = {since, until}
    for w in shifts:
        cuts.update((w.start, w.end))
    for a, z in breaks:
        cuts.update((a, z))
    bounds = sorted(t for t in cuts if since <= t <= until)
    out: list[tuple[float, float, CalendarKind]] = []
    for a, z in itertools.pairwise(bounds):
        mid = (a + z) / 2
        if not any(w.start <= mid < w.end for w in shifts):
            kind = CalendarKind.OFF
        elif any(b0 <= mid < b1 for b0, b1 in breaks):
            kind = CalendarKind.BREAK
        else:
            kind = CalendarKind.PRODUCTION
        if out and out[-1][2] is kind and abs(out[-1][1] - a) < _EPS:
            out[-1] = (out[-1][0], z, kind)
        else:
            out.append((a, z, kind))
    return out


# --------------------------------------------------------------------------- periods


@dataclass(frozen=True, slots=True)
class Period:
    label: str
    start: float
    end: float


def periods(
    cal: ShiftCalendar | None, since: float, until: float, by: str | None, tz: Any = None
) -> list[Period]:
    """[since, until) cut by shift, local day or local hour (None: one period).

    Shift periods are the shift occurrences (clipped); time outside every shift
    belongs to no shift period.
    """
    zone = tz or (cal.zone if cal else None)
    if by is None:
        return [Period(_label(since, zone, "%Y-%m-%d %H:%M"), since, until)]
    if by == "shift":
        if cal is None:
            raise ValueError("--by shift needs a [shifts] calendar in the plant config")
        return [
            Period(f"{w.day.isoformat()} {w.name}", max(w.start, since), min(w.end, until))
            for w in shift_windows(cal, since, until)
        ]
    if by not in ("day", "hour"):
        raise ValueError(f"unknown period {by!r} (shift, day or hour)")
    out: list[Period] = []
    local = datetime.fromtimestamp(since, zone)
    if by == "day":
        cur = local.replace(hour=0, minute=0, second=0, microsecond=0)
        fmt, step = "%Y-%m-%d", timedelta(days=1)
    else:
        cur = local.replace(minute=0, second=0, microsecond=0)
        fmt, step = "%Y-%m-%d %H:00", timedelta(hours=1)
    while cur.timestamp() < until:
        # Wall-clock arithmetic on a naive time, then localised: a day is a local day.
        nxt = (cur.replace(tzinfo=None) + step).replace(tzinfo=zone)
        a, z = max(cur.timestamp(), since), min(nxt.timestamp(), until)
        if a < z:
            out.append(Period(cur.strftime(fmt), a, z))
        cur = nxt
    return out


def _label(ts: float, zone: Any, fmt: str) -> str:
    return datetime.fromtimestamp(ts, zone).strftime(fmt)


def current_shift(cal: ShiftCalendar | None, now: float) -> ShiftWindow | None:
    """The shift occurrence `now` falls in, if any."""
    if cal is None:
        return None
    for w in shift_windows(cal, now, now + 1e-6):
        if w.start <= now < w.end:
            return w
    return None
