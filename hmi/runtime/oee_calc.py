"""The OEE calculation: state intervals + count deltas + calendar + period → figures.

Pure and exact: no clock, no database, no Qt. The same function serves the live
card (the current shift), a past shift, a day, a custom range and each bucket of
`hmi oee --by`. Every definition is written out in docs/oee.md; in short:

* every instant of the period is exactly one of: unknown (state tag not good, or
  no record), running (run time), planned downtime (a calendar break / planned
  stop, or the Planned-stop state), unscheduled (outside every shift), or a loss
  in planned production time (Down, Idle, Changeover);
* a stop (adjacent Idle/Down intervals) shorter than the micro-stop threshold is
  run time, and a performance loss, not an availability loss;
* A = run / planned production time; P = Σ ideal cycle × count / run; Q = good /
  total; OEE = A·P·Q; TEEP = OEE × planned production time / calendar time.

The calendar's side (which time is a shift, a break, a report period) is
`hmi.runtime.shift_calendar`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np

from hmi.config_oee import CountKind, LineOee, LineState, ReasonCategory, ShiftCalendar
from hmi.runtime.shift_calendar import CalendarKind, calendar_segments

_EPS = 1e-9
_STOPS = (LineState.IDLE, LineState.DOWN)
_LOSSES = (LineState.IDLE, LineState.DOWN, LineState.CHANGEOVER)


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True, slots=True)
class Interval:
    """The line was in `state` from `start` to `end` (UTC epoch seconds)."""

    start: float
    end: float
    state: LineState
    reason: int | None = None
    product: str | None = None

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class CountDelta:
    """`n` parts counted by the `kind` counter at `ts`, while making `product`."""

    ts: float
    kind: CountKind
    n: int
    product: str | None = None


@dataclass(frozen=True, slots=True)
class ReasonPart:
    """An operator's assignment: `seconds` of the event that started at `event_start`
    were due to `reason`. Several parts split one event."""

    event_start: float
    reason: int
    seconds: float
    user: str | None = None


@dataclass(frozen=True, slots=True)
class Tally:
    total: int = 0
    good: int = 0
    reject: int = 0


class Counts:
    """Count deltas indexed for exact range sums: prefix sums per (product, kind).

    A sum over [t0, t1) costs two binary searches per series, so a 30-day query with
    thousands of windows stays cheap.
    """

    def __init__(self, deltas: Iterable[CountDelta] = ()):
        groups: dict[tuple[str | None, CountKind], list[tuple[float, int]]] = defaultdict(list)
        for d in deltas:
            groups[(d.product, CountKind(d.kind))].append((d.ts, d.n))
        self._series: dict[tuple[str | None, CountKind], tuple[np.ndarray, np.ndarray]] = {}
        for key, rows in groups.items():
            rows.sort()
            ts = np.fromiter((r[0] for r in rows), dtype=np.float64, count=len(rows))
            n = np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows))
            self._add(key, ts, n)

    @classmethod
    def from_arrays(
        cls, series: dict[tuple[str | None, CountKind], tuple[np.ndarray, np.ndarray]]
    ) -> Counts:
        """From (product, kind) → (ts array sorted ascending, n array)."""
        self = cls()
        for key, (ts, n) in series.items():
            self._add(key, np.asarray(ts, dtype=np.float64), np.asarray(n, dtype=np.int64))
        return self

    def _add(self, key: tuple[str | None, CountKind], ts: np.ndarray, n: np.ndarray) -> None:
        cs = np.zeros(len(n) + 1, dtype=np.int64)
        np.cumsum(n, out=cs[1:])
        self._series[key] = (ts, cs)

    def window(self, t0: float, t1: float) -> dict[tuple[str | None, CountKind], int]:
        """Raw sums per (product, kind) of the deltas with t0 <= ts < t1."""
        out: dict[tuple[str | None, CountKind], int] = {}
        if t1 <= t0:
            return out
        for key, (ts, cs) in self._series.items():
            i0, i1 = np.searchsorted(ts, (t0, t1), side="left")
            s = int(cs[i1] - cs[i0])
            if s:
                out[key] = s
        return out

    def windows(
        self, spans: Iterable[tuple[float, float]]
    ) -> dict[tuple[str | None, CountKind], int]:
        out: dict[tuple[str | None, CountKind], int] = defaultdict(int)
        for t0, t1 in spans:
            for key, n in self.window(t0, t1).items():
                out[key] += n
        return dict(out)


def tallies(
    raw: dict[tuple[str | None, CountKind], int], kinds: frozenset[CountKind]
) -> dict[str | None, Tally]:
    """Per product (total, good, reject) from the two counters the line has."""
    per: dict[str | None, dict[CountKind, int]] = defaultdict(lambda: defaultdict(int))
    for (product, kind), n in raw.items():
        per[product][kind] += n
    out: dict[str | None, Tally] = {}
    for product, c in per.items():
        if CountKind.TOTAL in kinds:
            total = c[CountKind.TOTAL]
            reject = c[CountKind.REJECT] if CountKind.REJECT in kinds else total - c[CountKind.GOOD]
        else:
            total = c[CountKind.GOOD] + c[CountKind.REJECT]
            reject = c[CountKind.REJECT]
        out[product] = Tally(total, total - reject, reject)
    return out


# --------------------------------------------------------------------------- timeline


@dataclass(slots=True)
class _Seg:
    start: float
    end: float
    state: LineState
    micro: bool = False
    source: Interval | None = None  # the recorded interval (None: a gap)


def _timeline(intervals: Sequence[Interval], lo: float, hi: float) -> list[_Seg]:
    """Intervals in time order over [lo, hi), gaps filled with UNKNOWN (never guessed)."""
    out: list[_Seg] = []
    t = lo
    for iv in sorted(intervals, key=lambda i: i.start):
        a, z = max(iv.start, t), min(iv.end, hi)
        if z <= a:
            continue
        if a > t + _EPS:
            out.append(_Seg(t, a, LineState.UNKNOWN))
        out.append(_Seg(a, z, iv.state, source=iv))
        t = z
    if hi > t + _EPS:
        out.append(_Seg(t, hi, LineState.UNKNOWN))
    return out


def _stops(segs: list[_Seg]) -> list[list[_Seg]]:
    """Maximal runs of adjacent Idle/Down segments."""
    runs: list[list[_Seg]] = []
    cur: list[_Seg] = []
    for s in segs:
        if s.state in _STOPS and (not cur or abs(cur[-1].end - s.start) < _EPS):
            cur.append(s)
        else:
            if cur:
                runs.append(cur)
            cur = [s] if s.state in _STOPS else []
    if cur:
        runs.append(cur)
    return runs


def _run_length(run: list[_Seg]) -> float:
    """A stop's full length, from its recorded intervals (not clipped to the period)."""
    first, last = run[0].source, run[-1].source
    a = first.start if first is not None else run[0].start
    z = last.end if last is not None else run[-1].end
    return z - a


# --------------------------------------------------------------------------- figures


class BigLoss(StrEnum):
    EQUIPMENT_FAILURE = "equipment_failure"
    SETUP = "setup_changeover"
    IDLING_MINOR_STOPS = "idling_minor_stops"
    REDUCED_SPEED = "reduced_speed"
    PROCESS_DEFECTS = "process_defects"
    STARTUP_REJECTS = "reduced_yield_startup"


@dataclass(frozen=True, slots=True)
class ParetoEntry:
    """Downtime due to one reason (None: unassigned), in planned production time."""

    reason: int | None
    seconds: float
    events: int


@dataclass(frozen=True, slots=True)
class DowntimeEvent:
    """One recorded stop interval an operator can give a reason (or several)."""

    start: float
    end: float
    state: LineState
    auto_reason: int | None
    parts: tuple[ReasonPart, ...]
    micro: bool

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class OeeFigures:
    """Everything `compute` finds for one line and one period. Times in seconds; ratios
    as fractions (None when the denominator is 0 or the ideal is unknown)."""

    line: str
    since: float
    until: float
    calendar_time: float
    unknown_time: float
    unscheduled_time: float
    planned_downtime: float
    planned_production_time: float
    run_time: float
    down_time: float
    idle_time: float
    changeover_time: float
    micro_stop_time: float
    total: int
    good: int
    reject: int
    unknown_count: int
    ideal_time: float
    availability: float | None
    performance: float | None
    quality: float | None
    oee: float | None
    teep: float | None
    stops: int
    micro_stops: int
    failures: int
    mtbf: float | None
    mttr: float | None
    target: float
    losses: dict[str, float] = field(default_factory=dict)
    pareto: list[ParetoEntry] = field(default_factory=list)
    by_product: dict[str, Tally] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["pareto"] = [asdict(p) for p in self.pareto]
        out["by_product"] = {k: asdict(v) for k, v in self.by_product.items()}
        return out


def _ratio(num: float, den: float) -> float | None:
    if den <= 0 or math.isnan(num):
        return None
    return num / den


def _subtract(spans: list[tuple[float, float]], holes: list[tuple[float, float]]) -> list:
    """`spans` minus `holes` (both lists of [a, z) pairs)."""
    out: list[tuple[float, float]] = []
    for a, z in spans:
        pieces = [(a, z)]
        for h0, h1 in holes:
            nxt = []
            for p0, p1 in pieces:
                if h1 <= p0 or h0 >= p1:
                    nxt.append((p0, p1))
                    continue
                if p0 < h0:
                    nxt.append((p0, h0))
                if h1 < p1:
                    nxt.append((h1, p1))
            pieces = nxt
        out.extend(pieces)
    return out


def _merge(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for a, z in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], z))
        else:
            out.append((a, z))
    return out


def downtime_events(
    model: LineOee, intervals: Sequence[Interval], assignments: Iterable[ReasonPart] = ()
) -> list[DowntimeEvent]:
    """The Idle / Down / Changeover intervals, in time order, with their reasons."""
    if not intervals:
        return []
    ivs = sorted(intervals, key=lambda i: i.start)
    segs = _timeline(ivs, ivs[0].start, max(i.end for i in ivs))
    micro = _micro_sources(model, segs)
    parts = _parts_by_event(assignments)
    return [
        DowntimeEvent(
            iv.start, iv.end, iv.state, iv.reason or None, parts.get(iv.start, ()), id(iv) in micro
        )
        for iv in ivs
        if iv.state in _LOSSES
    ]


def _parts_by_event(assignments: Iterable[ReasonPart]) -> dict[float, tuple[ReasonPart, ...]]:
    out: dict[float, list[ReasonPart]] = defaultdict(list)
    for p in assignments:
        out[p.event_start].append(p)
    return {k: tuple(v) for k, v in out.items()}


def _micro_sources(model: LineOee, segs: list[_Seg]) -> set[int]:
    """ids of the intervals that belong to micro-stops; marks their segments micro."""
    out: set[int] = set()
    if model.micro_stop_s <= 0:
        return out
    for run in _stops(segs):
        if _run_length(run) < model.micro_stop_s:
            for s in run:
                s.micro = True
                if s.source is not None:
                    out.add(id(s.source))
    return out


def compute(
    model: LineOee,
    intervals: Sequence[Interval],
    counts: Counts,
    since: float,
    until: float,
    *,
    calendar: ShiftCalendar | None = None,
    line: str = "",
    assignments: Iterable[ReasonPart] = (),
) -> OeeFigures:
    """The OEE figures of one line over [since, until).

    `intervals` must hold every recorded interval overlapping [since − m, until + m]
    with m = the micro-stop threshold, unclipped, so stops are judged by their whole
    length even at the period's edges.
    """
    if until < since:
        raise ValueError("until is before since")
    ivs = sorted(intervals, key=lambda i: i.start)
    lo = min([since, *(i.start for i in ivs[:1])])
    hi = max([until, *(i.end for i in ivs)])
    segs = _timeline(ivs, lo, hi)
    _micro_sources(model, segs)
    cal = calendar_segments(calendar, line, since, until)

    acc: dict[str, float] = defaultdict(float)
    unknown_spans: list[tuple[float, float]] = []
    event_time: dict[int, float] = defaultdict(float)
    event_of: dict[int, Interval] = {}
    i = 0
    for c0, c1, ckind in cal:
        while i < len(segs) and segs[i].end <= c0:
            i += 1
        j = i
        while j < len(segs) and segs[j].start < c1:
            s = segs[j]
            a, z = max(s.start, c0), min(s.end, c1)
            j += 1
            if z <= a:
                continue
            d = z - a
            if s.state is LineState.UNKNOWN:
                acc["unknown"] += d
                unknown_spans.append((a, z))
            elif s.state is LineState.RUNNING or s.micro:
                acc["run"] += d
                if s.micro:
                    acc["micro"] += d
            elif ckind is CalendarKind.OFF:
                acc["unscheduled"] += d
            elif ckind is CalendarKind.BREAK or s.state is LineState.PLANNED_STOP:
                acc["planned"] += d
            else:
                acc[s.state.value] += d
                if s.source is not None:
                    event_time[id(s.source)] += d
                    event_of[id(s.source)] = s.source

    unknown_spans = _merge(unknown_spans)
    raw_all = counts.window(since, until)
    raw_unknown = counts.windows(unknown_spans)
    raw = {k: n - raw_unknown.get(k, 0) for k, n in raw_all.items()}
    kinds = model.count_kinds
    per_product = tallies(raw, kinds)
    unknown_tally = tallies(raw_unknown, kinds)
    total = sum(t.total for t in per_product.values())
    good = sum(t.good for t in per_product.values())
    reject = sum(t.reject for t in per_product.values())
    ideal_total = sum(model.ideal_cycle(p) * t.total for p, t in per_product.items() if t.total)
    ideal_reject = sum(model.ideal_cycle(p) * t.reject for p, t in per_product.items() if t.reject)
    startup = _startup_reject_time(model, segs, counts, since, until, unknown_spans)

    run = acc["run"]
    ppt = run + acc["down"] + acc["idle"] + acc["changeover"]
    calendar_time = until - since
    a = _ratio(run, ppt)
    p = _ratio(ideal_total, run)
    q = _ratio(good, total)
    oee = a * p * q if a is not None and p is not None and q is not None else None
    teep = _ratio(oee * ppt, calendar_time) if oee is not None else None

    stops, micro_stops, failures = _event_counts(segs, since, until)
    down = acc["down"]
    losses = {
        BigLoss.EQUIPMENT_FAILURE.value: down,
        BigLoss.SETUP.value: acc["changeover"],
        BigLoss.IDLING_MINOR_STOPS.value: acc["idle"] + acc["micro"],
        BigLoss.REDUCED_SPEED.value: run - acc["micro"] - ideal_total,
        BigLoss.PROCESS_DEFECTS.value: ideal_reject - startup,
        BigLoss.STARTUP_REJECTS.value: startup,
    }
    pareto = _pareto(event_time, event_of, assignments)
    return OeeFigures(
        line=line,
        since=since,
        until=until,
        calendar_time=calendar_time,
        unknown_time=acc["unknown"],
        unscheduled_time=acc["unscheduled"],
        planned_downtime=acc["planned"],
        planned_production_time=ppt,
        run_time=run,
        down_time=down,
        idle_time=acc["idle"],
        changeover_time=acc["changeover"],
        micro_stop_time=acc["micro"],
        total=total,
        good=good,
        reject=reject,
        unknown_count=sum(t.total for t in unknown_tally.values()),
        ideal_time=ideal_total,
        availability=a,
        performance=p,
        quality=q,
        oee=oee,
        teep=teep,
        stops=stops,
        micro_stops=micro_stops,
        failures=failures,
        mtbf=run / failures if failures else None,
        mttr=down / failures if failures else None,
        target=model.target,
        losses=losses,
        pareto=pareto,
        by_product={str(k): v for k, v in per_product.items() if v.total},
    )


def _event_counts(segs: list[_Seg], since: float, until: float) -> tuple[int, int, int]:
    """(stops, micro-stops, failures) that START in [since, until).

    A failure is a maximal run of adjacent Down intervals inside a stop that is not a
    micro-stop; counting by start makes the counts of adjacent periods add up.
    """
    stops = micro = failures = 0
    for run in _stops(segs):
        begin = run[0].source.start if run[0].source is not None else run[0].start
        if run[0].micro:
            micro += since <= begin < until
            continue
        stops += since <= begin < until
        prev_down = False
        for s in run:
            is_down = s.state is LineState.DOWN
            if is_down and not prev_down:
                start = s.source.start if s.source is not None else s.start
                failures += since <= start < until
            prev_down = is_down
    return stops, micro, failures


def _startup_reject_time(
    model: LineOee,
    segs: list[_Seg],
    counts: Counts,
    since: float,
    until: float,
    unknown: list[tuple[float, float]],
) -> float:
    """Ideal time of the rejects counted within `startup_window_s` after each changeover
    ends (the end of the last of adjacent Changeover intervals)."""
    w = model.startup_window_s
    if w <= 0:
        return 0.0
    windows: list[tuple[float, float]] = []
    for k, s in enumerate(segs):
        if s.state is not LineState.CHANGEOVER:
            continue
        nxt = segs[k + 1] if k + 1 < len(segs) else None
        if nxt is not None and nxt.state is LineState.CHANGEOVER:
            continue
        end = s.source.end if s.source is not None else s.end
        a, z = max(end, since), min(end + w, until)
        if a < z:
            windows.append((a, z))
    spans = _subtract(_merge(windows), unknown)
    per = tallies(counts.windows(spans), model.count_kinds)
    return sum(model.ideal_cycle(p) * t.reject for p, t in per.items() if t.reject)


def _pareto(
    event_time: dict[int, float], event_of: dict[int, Interval], assignments: Iterable[ReasonPart]
) -> list[ParetoEntry]:
    parts = _parts_by_event(assignments)
    secs: dict[int | None, float] = defaultdict(float)
    events: dict[int | None, int] = defaultdict(int)
    for key, t in event_time.items():
        iv = event_of[key]
        mine = parts.get(iv.start)
        if mine:
            whole = sum(p.seconds for p in mine)
            for p in mine:
                secs[p.reason] += t * p.seconds / whole
                events[p.reason] += 1
        else:
            r = iv.reason or None
            secs[r] += t
            events[r] += 1
    out = [ParetoEntry(r, s, events[r]) for r, s in secs.items()]
    out.sort(key=lambda e: (-e.seconds, e.reason is None, e.reason or 0))
    return out


def pareto_by_category(
    pareto: list[ParetoEntry], tree: list[ReasonCategory]
) -> list[tuple[str | None, float]]:
    """The reason Pareto rolled up to categories (None: unassigned or not in the tree)."""
    index = {r.code: c.id for c in tree for r in c.reasons}
    secs: dict[str | None, float] = defaultdict(float)
    for e in pareto:
        secs[index.get(e.reason) if e.reason is not None else None] += e.seconds
    return sorted(secs.items(), key=lambda kv: -kv[1])
