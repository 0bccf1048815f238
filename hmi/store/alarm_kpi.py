"""ISA-18.2 / IEC 62682 alarm performance metrics, computed from the event journal.

Pure computation, no Qt: `compute_alarm_kpis(engine, since, until)` reads the
journaled alarm transitions through `hmi.store.queries` (keyset pages, never the
whole table at once) and `kpis_from_events` turns them into an `AlarmKpis`. The
CLI prints it (`format_report`, `AlarmKpis.as_dict`); the KPI screen shows it.

Definitions (docs/alarm-kpi.md says the same for supervisors):
- The period is [since, until): since inclusive, until exclusive.
- An *annunciation* is what puts an alarm in front of the operator: an
  `activated` event, or leaving shelved / suppressed / out of service with the
  condition present (`unshelved` / `unsuppressed` / `in_service` whose state is
  `unack`). Every rate, flood, bad-actor, chattering and priority figure counts
  annunciations.
- One operator per station: the operators of a period are the distinct stations
  that journaled any event in it (at least one). Stations sharing a PostgreSQL
  journal each journal their own alarms, so counts are kept per station.
- 10-minute periods are aligned to `since` (period k is [since + 600k,
  since + 600(k+1)); the last one may be shorter). A flood period has more than
  10 annunciations for one operator.
- An alarm is identified by its `alarm_id` (from the event's details; the source
  tag when absent) and the station that journaled it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine, select

from hmi.store.events import EventKind, StoredEvent
from hmi.store.export import DEFAULT_PAGE, iso_utc, iter_events
from hmi.store.models import events
from hmi.store.queries import EventFilter

PERIOD_S = 600.0  # ISA-18.2's 10-minute period
FLOOD_THRESHOLD = 10  # a period with MORE than this many annunciations is a flood
CHATTER_WINDOW_S = 60.0
CHATTER_COUNT = 3  # this many annunciations within CHATTER_WINDOW_S: chattering
STALE_S = 24 * 3600.0
TOP_N = 10

# ISA-18.2-2016 table 8 / EEMUA 191 targets.
TARGET_PER_10MIN = (1.0, 2.0)  # "very likely acceptable", "maximum manageable"
TARGET_PER_HOUR = (6.0, 12.0)
TARGET_FLOOD_PERCENT = 1.0
TARGET_TOP10_PERCENT = 5.0
TARGET_STALE = 5  # fewer than this present on any day

ACTIVE_STATES = frozenset({"unack", "acked"})
_REANNUNCIATING = frozenset({"unshelved", "unsuppressed", "in_service"})

# Our priorities 1..4 against ISA-18.2's four-priority distribution.
PRIORITY_CATEGORIES: dict[int, tuple[str, float]] = {
    1: ("highest", 1.0),  # critical: "< 1 %"
    2: ("high", 5.0),
    3: ("medium", 15.0),
    4: ("low", 80.0),
}


# ----------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class BadActor:
    alarm_id: str
    tag: str | None
    priority: int | None
    count: int
    percent: float  # of all annunciations in the period


@dataclass(frozen=True, slots=True)
class ChatteringAlarm:
    alarm_id: str
    tag: str | None
    station: str | None
    count: int  # annunciations in the period
    max_in_window: int  # most annunciations within any 60 s
    first_burst: float  # when the first 60 s window with ≥ 3 annunciations began


@dataclass(frozen=True, slots=True)
class StandingAlarm:
    """An alarm's situation at the period end (stale, shelved or out of service)."""

    alarm_id: str
    tag: str | None
    station: str | None
    priority: int | None
    state: str
    since: float  # when it entered this situation
    user: str | None = None
    comment: str | None = None
    shelved_until: float | None = None


@dataclass(frozen=True, slots=True)
class PriorityShare:
    priority: int | None
    category: str  # ISA-18.2's name for it
    count: int
    percent: float
    target_percent: float | None  # None: no target (unknown priority)


@dataclass(frozen=True, slots=True)
class AlarmKpis:
    since: float
    until: float
    stations: tuple[str | None, ...]
    annunciations: int
    activations: int  # `activated` events (the rest are re-annunciations)
    per_operator_per_10min: float
    per_operator_per_hour: float
    periods: int  # operator 10-minute periods in the period (stations × periods)
    flood_periods: int
    flood_percent: float
    peak_count: int
    peak_start: float | None  # None when there were no annunciations
    peak_station: str | None
    bad_actors: tuple[BadActor, ...]
    top10_percent: float
    chattering: tuple[ChatteringAlarm, ...]
    stale: tuple[StandingAlarm, ...]
    priorities: tuple[PriorityShare, ...]
    shelve_actions: int
    alarms_shelved: int  # distinct alarms shelved at least once in the period
    shelved_at_end: tuple[StandingAlarm, ...]
    out_of_service_at_end: tuple[StandingAlarm, ...]

    @property
    def hours(self) -> float:
        return (self.until - self.since) / 3600.0

    @property
    def operators(self) -> int:
        return max(1, len(self.stations))

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: every figure, times as epoch seconds plus ISO 8601 UTC (`*_time`)."""
        d = asdict(self)
        d["stations"] = list(self.stations)
        d["operators"] = self.operators
        d["hours"] = self.hours
        d["since_time"] = iso_utc(self.since)
        d["until_time"] = iso_utc(self.until)
        d["peak_start_time"] = iso_utc(self.peak_start) if self.peak_start is not None else None
        for item in d["chattering"]:
            item["first_burst_time"] = iso_utc(item["first_burst"])
        for key in ("stale", "shelved_at_end", "out_of_service_at_end"):
            for item in d[key]:
                item["since_time"] = iso_utc(item["since"])
        d["targets"] = {
            "per_operator_per_10min": list(TARGET_PER_10MIN),
            "per_operator_per_hour": list(TARGET_PER_HOUR),
            "flood_percent_below": TARGET_FLOOD_PERCENT,
            "peak_count_at_most": FLOOD_THRESHOLD,
            "top10_percent_at_most": TARGET_TOP10_PERCENT,
            "chattering": 0,
            "stale_below": TARGET_STALE,
        }
        return d


# ----------------------------------------------------------------------------- computing


@dataclass(slots=True)
class _Track:
    """One alarm (per station) followed through the journal up to the period end."""

    tag: str | None = None
    priority: int | None = None
    state: str = "normal"
    state_since: float = 0.0  # when the current situation (active / shelved / oos) began
    user: str | None = None
    comment: str | None = None
    shelved_until: float | None = None
    times: list[float] = field(default_factory=list)  # annunciations in the period


def is_annunciation(event: StoredEvent) -> bool:
    """Did this alarm event put the alarm in front of the operator (see module doc)?"""
    return event.type == "activated" or (event.type in _REANNUNCIATING and event.state == "unack")


def _alarm_id(event: StoredEvent) -> str | None:
    details = event.details or {}
    alarm_id = details.get("alarm_id")
    return str(alarm_id) if alarm_id else event.source


def _situation(state: str | None) -> str:
    return "active" if state in ACTIVE_STATES else state or "normal"


def kpis_from_events(
    alarm_events: Iterable[StoredEvent],
    since: float,
    until: float,
    stations: Sequence[str | None] = (),
) -> AlarmKpis:
    """The KPIs of [since, until) from alarm events in journal order, ALL of them before
    `until` (the earlier ones give each alarm's state at the period start, which stale,
    shelved and out-of-service counts need). `stations`: who was on duty in the period."""
    if not until > since:
        raise ValueError("the period must end after it starts (until > since)")
    tracks: dict[tuple[str | None, str], _Track] = {}
    shelve_actions = 0
    shelved_ids: set[tuple[str | None, str]] = set()
    activations = 0
    priority_counts: Counter[int | None] = Counter()
    seen_stations: set[str | None] = set(stations)
    for e in alarm_events:
        if e.ts >= until:
            break
        alarm_id = _alarm_id(e)
        if not alarm_id or e.type == "silenced":  # the horn, not an alarm
            continue
        key = (e.station, alarm_id)
        t = tracks.get(key)
        if t is None:
            t = tracks[key] = _Track(state_since=e.ts)
        t.tag, t.priority = e.source, e.priority if e.priority is not None else t.priority
        before = _situation(t.state)
        t.state = e.state or t.state
        if _situation(t.state) != before:
            t.state_since = e.ts
        if e.type == "shelved":
            t.user, t.comment = e.user, e.comment
            t.shelved_until = (e.details or {}).get("shelved_until")
        elif e.type == "out_of_service":
            t.user, t.comment = e.user, e.comment
        if e.ts < since:
            continue
        seen_stations.add(e.station)
        if e.type == "shelved":
            shelve_actions += 1
            shelved_ids.add(key)
        if is_annunciation(e):
            t.times.append(e.ts)
            activations += e.type == "activated"
            priority_counts[e.priority] += 1

    station_list = tuple(sorted(seen_stations, key=lambda s: (s is not None, s or "")))
    operators = max(1, len(station_list))
    total = sum(len(t.times) for t in tracks.values())
    duration = until - since
    n_periods = math.ceil(duration / PERIOD_S)

    # Flood and peak: annunciations per (station, 10-minute period).
    flood_periods, peak_count, peak_start, peak_station = 0, 0, None, None
    for station in station_list:
        times = [x for (st, _), t in tracks.items() if st == station for x in t.times]
        if not times:
            continue
        buckets = ((np.asarray(times) - since) // PERIOD_S).astype(np.int64)
        counts = np.bincount(buckets, minlength=n_periods)
        flood_periods += int(np.count_nonzero(counts > FLOOD_THRESHOLD))
        k = int(np.argmax(counts))  # first (earliest) maximum
        if counts[k] > peak_count or (
            counts[k] == peak_count and peak_start is not None and since + k * PERIOD_S < peak_start
        ):
            peak_count, peak_start, peak_station = int(counts[k]), since + k * PERIOD_S, station

    # Bad actors: counted per alarm id over all stations.
    per_alarm: Counter[str] = Counter()
    info: dict[str, _Track] = {}
    for (_, alarm_id), t in tracks.items():
        if t.times:
            per_alarm[alarm_id] += len(t.times)
            info[alarm_id] = t
    ranked = sorted(per_alarm.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_N]
    bad_actors = tuple(
        BadActor(a, info[a].tag, info[a].priority, n, _pct(n, total)) for a, n in ranked
    )

    chattering = []
    for (station, alarm_id), t in tracks.items():
        if len(t.times) < CHATTER_COUNT:
            continue
        ts = np.sort(np.asarray(t.times))
        in_window = np.searchsorted(ts, ts + CHATTER_WINDOW_S, side="right") - np.arange(len(ts))
        if in_window.max() >= CHATTER_COUNT:
            first = float(ts[int(np.argmax(in_window >= CHATTER_COUNT))])
            chattering.append(
                ChatteringAlarm(alarm_id, t.tag, station, len(ts), int(in_window.max()), first)
            )
    chattering.sort(key=lambda c: (-c.max_in_window, -c.count, c.alarm_id, c.station or ""))

    def standing(situation: str, min_age: float = 0.0) -> tuple[StandingAlarm, ...]:
        operator_action = situation != "active"  # shelved / out of service: who and why
        found = [
            StandingAlarm(
                alarm_id=alarm_id,
                tag=t.tag,
                station=station,
                priority=t.priority,
                state=t.state,
                since=t.state_since,
                user=t.user if operator_action else None,
                comment=t.comment if operator_action else None,
                shelved_until=t.shelved_until if situation == "shelved" else None,
            )
            for (station, alarm_id), t in tracks.items()
            if _situation(t.state) == situation and until - t.state_since > min_age
        ]
        return tuple(sorted(found, key=lambda s: (s.since, s.alarm_id, s.station or "")))

    priorities = []
    for p in sorted(priority_counts, key=lambda p: (p is None, p or 0)):
        category, target = PRIORITY_CATEGORIES.get(p, ("unknown", None)) if p else ("unknown", None)
        priorities.append(
            PriorityShare(p, category, priority_counts[p], _pct(priority_counts[p], total), target)
        )
    for p, (category, target) in PRIORITY_CATEGORIES.items():  # show every ISA category
        if p not in priority_counts:
            priorities.append(PriorityShare(p, category, 0, 0.0, target))
    priorities.sort(key=lambda s: (s.priority is None, s.priority or 0))

    return AlarmKpis(
        since=since,
        until=until,
        stations=station_list,
        annunciations=total,
        activations=activations,
        per_operator_per_10min=total / operators / (duration / PERIOD_S),
        per_operator_per_hour=total / operators / (duration / 3600.0),
        periods=n_periods * operators,
        flood_periods=flood_periods,
        flood_percent=_pct(flood_periods, n_periods * operators),
        peak_count=peak_count,
        peak_start=peak_start,
        peak_station=peak_station,
        bad_actors=bad_actors,
        top10_percent=_pct(sum(b.count for b in bad_actors), total),
        chattering=tuple(chattering),
        stale=standing("active", STALE_S),
        priorities=tuple(priorities),
        shelve_actions=shelve_actions,
        alarms_shelved=len(shelved_ids),
        shelved_at_end=standing("shelved"),
        out_of_service_at_end=standing("out_of_service"),
    )


def _pct(part: float, whole: float) -> float:
    return 100.0 * part / whole if whole else 0.0


def stations_in(bind: Engine | Connection, since: float, until: float) -> list[str | None]:
    """The stations that journaled anything in [since, until): the operators on duty."""
    flt = EventFilter(since=since, until=until)
    stmt = select(events.c.station).where(*flt.where()).distinct()
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return [row[0] for row in conn.execute(stmt)]
    return [row[0] for row in bind.execute(stmt)]


def compute_alarm_kpis(
    bind: Engine | Connection, since: float, until: float, *, page_size: int = DEFAULT_PAGE
) -> AlarmKpis:
    """The KPIs of [since, until) from the journal at `bind`.

    Reads every alarm event before `until` (earlier ones only to know each alarm's
    state when the period starts), page by page, oldest first.
    """
    if not until > since:
        raise ValueError("the period must end after it starts (until > since)")
    flt = EventFilter(until=until, kinds=[EventKind.ALARM])
    return kpis_from_events(
        iter_events(bind, flt, page_size=page_size), since, until, stations_in(bind, since, until)
    )


# ----------------------------------------------------------------------------- the report


def _local(ts: float) -> str:
    return datetime.fromtimestamp(ts).astimezone().isoformat(sep=" ", timespec="seconds")


def _verdict(value: float, acceptable: float, manageable: float) -> str:
    if value <= acceptable:
        return "acceptable"
    return "manageable" if value <= manageable else "OVERLOADED"


def _ok(good: bool) -> str:
    return "ok" if good else "ACTION"


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]], indent: str = "  ") -> list[str]:
    """Columns padded to their widest cell; numbers right-aligned."""
    cells = [[str(c) for c in header]] + [["" if c is None else str(c) for c in r] for r in rows]
    numeric = [bool(rows) and all(_is_number(r[i]) for r in rows) for i in range(len(header))]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    out = []
    for r in cells:
        parts = [
            r[i].rjust(widths[i]) if numeric[i] else r[i].ljust(widths[i])
            for i in range(len(header))
        ]
        out.append((indent + "  ".join(parts)).rstrip())
    return out


def _is_number(value: Any) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    try:
        float(str(value).rstrip("%"))
    except ValueError:
        return False
    return True


def format_report(k: AlarmKpis) -> str:
    """The KPIs as a plain-text report with aligned columns (times in local time)."""
    lines = [
        "Alarm performance (ISA-18.2 / IEC 62682)",
        f"Period      {_local(k.since)}  to  {_local(k.until)}  ({k.hours:.2f} h)",
        f"Operators   {k.operators} (one per station: "
        + (", ".join(s or "(unnamed)" for s in k.stations) or "none journaled")
        + ")",
        "",
    ]
    peak_when = f"at {_local(k.peak_start)}" if k.peak_start is not None else ""
    if k.peak_start is not None and k.operators > 1:
        peak_when += f" on {k.peak_station or '(unnamed)'}"
    summary = [
        ("Annunciated alarms", k.annunciations, f"{k.activations} activations", ""),
        (
            "Average per operator per 10 min",
            f"{k.per_operator_per_10min:.2f}",
            "~1 acceptable, ~2 manageable",
            _verdict(k.per_operator_per_10min, *TARGET_PER_10MIN),
        ),
        (
            "Average per operator per hour",
            f"{k.per_operator_per_hour:.2f}",
            "~6 acceptable, ~12 manageable",
            _verdict(k.per_operator_per_hour, *TARGET_PER_HOUR),
        ),
        (
            "10-min periods in flood (>10)",
            f"{k.flood_percent:.1f}%",
            f"< {TARGET_FLOOD_PERCENT:g}%  ({k.flood_periods} of {k.periods})",
            _ok(k.flood_percent < TARGET_FLOOD_PERCENT),
        ),
        (
            "Peak 10-min count",
            k.peak_count,
            f"<= {FLOOD_THRESHOLD}  {peak_when}".rstrip(),
            _ok(k.peak_count <= FLOOD_THRESHOLD),
        ),
        (
            "Top-10 share of all alarms",
            f"{k.top10_percent:.1f}%",
            f"<= {TARGET_TOP10_PERCENT:g}%",
            _ok(k.top10_percent <= TARGET_TOP10_PERCENT),
        ),
        ("Chattering alarms", len(k.chattering), "0", _ok(not k.chattering)),
        ("Stale alarms (active > 24 h)", len(k.stale), f"< {TARGET_STALE}", _ok(len(k.stale) < 5)),
        ("Shelve actions", k.shelve_actions, f"{k.alarms_shelved} alarm(s) shelved", ""),
        ("Shelved at period end", len(k.shelved_at_end), "", ""),
        ("Out of service at period end", len(k.out_of_service_at_end), "", ""),
    ]
    lines += _table(("KPI", "value", "target", "assessment"), summary)

    lines += [
        "",
        "Priority distribution (target ~80 % low / 15 % medium / 5 % high / <1 % highest)",
    ]
    lines += _table(
        ("priority", "ISA category", "count", "share", "target"),
        [
            (
                p.priority if p.priority is not None else "-",
                p.category,
                p.count,
                f"{p.percent:.1f}%",
                f"{'<' if p.priority == 1 else '~'}{p.target_percent:g}%"
                if p.target_percent is not None
                else "",
            )
            for p in k.priorities
        ],
    )

    lines += ["", f"Top {TOP_N} most frequent alarms (bad actors)"]
    lines += (
        _table(
            ("#", "alarm", "priority", "count", "share"),
            [
                (i, b.alarm_id, b.priority, b.count, f"{b.percent:.1f}%")
                for i, b in enumerate(k.bad_actors, 1)
            ],
        )
        if k.bad_actors
        else ["  none"]
    )

    lines += ["", "Chattering alarms (>= 3 annunciations within 60 s)"]
    lines += (
        _table(
            ("alarm", "count", "max in 60 s", "first burst"),
            [(c.alarm_id, c.count, c.max_in_window, _local(c.first_burst)) for c in k.chattering],
        )
        if k.chattering
        else ["  none"]
    )

    lines += ["", "Stale alarms (active for more than 24 h at the period end)"]
    lines += (
        _table(
            ("alarm", "state", "active since", "hours"),
            [
                (s.alarm_id, s.state, _local(s.since), f"{(k.until - s.since) / 3600:.1f}")
                for s in k.stale
            ],
        )
        if k.stale
        else ["  none"]
    )

    lines += ["", "Shelved at the period end"]
    lines += (
        _table(
            ("alarm", "by", "since", "until", "reason"),
            [
                (
                    s.alarm_id,
                    s.user,
                    _local(s.since),
                    _local(s.shelved_until) if s.shelved_until else "",
                    s.comment,
                )
                for s in k.shelved_at_end
            ],
        )
        if k.shelved_at_end
        else ["  none"]
    )
    if k.out_of_service_at_end:
        lines += ["", "Out of service at the period end"]
        lines += _table(
            ("alarm", "by", "since", "comment"),
            [(s.alarm_id, s.user, _local(s.since), s.comment) for s in k.out_of_service_at_end],
        )
    return "\n".join(lines) + "\n"
