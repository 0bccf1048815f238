"""The OEE calculation against hand-computed reference shifts.

Each case is a table: the state intervals, the counts and the figures worked out
by hand (the arithmetic is in the comment next to each expectation). Times are
local wall-clock times on Monday 2025-03-03 in Asia/Taipei. The plant works three
8-hour shifts (A 06–14, B 14–22, C 22–06) with a 10:00–10:30 break in shift A.
Ideal cycle times: CITY 60 s, MTB 120 s. Micro-stop threshold 120 s, start-up
window 10 min. A, P, Q, OEE, MTBF and MTTR must match to 0.1 %.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from hmi.config import DataType
from hmi.config_oee import CountKind, LineOee, LineState, ShiftCalendar, counter_modulus
from hmi.runtime.oee import counter_delta
from hmi.runtime.oee_calc import (
    CountDelta,
    Counts,
    Interval,
    ReasonPart,
    compute,
    downtime_events,
    pareto_by_category,
)
from hmi.runtime.shift_calendar import periods

TZ = ZoneInfo("Asia/Taipei")
DAY = "2025-03-03"

CALENDAR = ShiftCalendar.model_validate(
    {
        "timezone": "Asia/Taipei",
        "shift": [
            {"name": "A", "start": "06:00", "end": "14:00"},
            {"name": "B", "start": "14:00", "end": "22:00"},
            {"name": "C", "start": "22:00", "end": "06:00"},
        ],
        "breaks": [{"name": "lunch", "start": "10:00", "end": "10:30", "shifts": ["A"]}],
    }
)
MODEL = LineOee.model_validate(
    {
        "state_tag": "L.State",
        "good_count_tag": "L.Good",
        "reject_count_tag": "L.Reject",
        "product_tag": "L.Product",
        "ideal_cycle_s": 60.0,
        "products": [
            {"product": "CITY", "ideal_cycle_s": 60},
            {"product": "MTB", "ideal_cycle_s": 120},
        ],
        "micro_stop_s": 120.0,
        "startup_window_s": 600.0,
        "target": 0.85,
    }
)


def at(hhmm: str, day: str = DAY) -> float:
    fmt = "%Y-%m-%d %H:%M:%S" if hhmm.count(":") == 2 else "%Y-%m-%d %H:%M"
    return datetime.strptime(f"{day} {hhmm}", fmt).replace(tzinfo=TZ).timestamp()


@dataclass
class Case:
    name: str
    period: tuple[str, str]
    intervals: list[tuple]  # (start, end, state, reason, product)
    counts: list[tuple]  # (at, kind, n, product)
    expect: dict[str, float | int | None]
    assignments: list[tuple] = field(default_factory=list)

    def run(self, model: LineOee = MODEL, calendar: ShiftCalendar | None = CALENDAR):
        ivs = [Interval(at(a), at(z), LineState(s), r, p) for a, z, s, r, p in self.intervals]
        counts = Counts(CountDelta(at(t), CountKind(k), n, p) for t, k, n, p in self.counts)
        return compute(
            model, ivs, counts, at(self.period[0]), at(self.period[1]),
            calendar=calendar, line="L", assignments=self.assignments,
        )  # fmt: skip


CASES = [
    Case(
        "breaks",
        ("08:00", "12:00"),
        [
            # start    end      state           reason  product
            ("08:00", "10:00", "running",       None,   "CITY"),
            ("10:00", "10:30", "planned_stop",  None,   "CITY"),
            ("10:30", "12:00", "running",       None,   "CITY"),
        ],
        [
            # at       kind      n    product
            ("09:00", "good",   100, "CITY"),
            ("11:00", "good",    80, "CITY"),
            ("11:30", "reject",   9, "CITY"),
        ],
        {
            "planned_production_time": 210 * 60,  # 240 min − 30 min break
            "planned_downtime": 30 * 60,
            "run_time": 210 * 60,
            "total": 189, "good": 180, "reject": 9,
            "availability": 1.0,                   # 210 / 210
            "performance": 0.9,                    # 189 × 60 s / 210 min
            "quality": 180 / 189,                  # 0.95238
            "oee": 180 / 210,                      # 0.85714
            "teep": 180 / 210 * 210 / 240,         # 0.75
            "mtbf": None, "mttr": None, "stops": 0, "micro_stops": 0,
        },
    ),
    Case(
        "running through the break",
        ("09:00", "11:00"),
        [
            ("09:00", "11:00", "running",       None,   "CITY"),
        ],
        [
            ("10:15", "good",   108, "CITY"),
        ],
        {
            # Running in a break is production: the 30 min count as planned and run.
            "planned_production_time": 120 * 60, "run_time": 120 * 60, "planned_downtime": 0,
            "availability": 1.0, "performance": 0.9, "quality": 1.0, "oee": 0.9,
        },
    ),
    Case(
        "a long failure",
        ("06:00", "14:00"),
        [
            ("06:00", "08:00", "running",       None,   "CITY"),
            ("08:00", "09:30", "down",          102,    "CITY"),
            ("09:30", "10:00", "running",       None,   "CITY"),
            ("10:00", "10:30", "planned_stop",  None,   "CITY"),
            ("10:30", "14:00", "running",       None,   "CITY"),
        ],
        [
            ("07:00", "good",   110, "CITY"),
            ("09:45", "good",    28, "CITY"),
            ("12:00", "good",   170, "CITY"),
            ("13:00", "reject",  16, "CITY"),
        ],
        {
            "planned_production_time": 450 * 60,   # 480 − 30
            "run_time": 360 * 60, "down_time": 90 * 60,
            "total": 324, "good": 308, "reject": 16,
            "availability": 0.8,                   # 360 / 450
            "performance": 0.9,                    # 324 min ideal / 360 min
            "quality": 308 / 324,                  # 0.95062
            "oee": 308 / 450,                      # 0.68444
            "teep": 308 / 450 * 450 / 480,         # 0.64167
            "mtbf": 360 * 60,                      # run time / 1 failure
            "mttr": 90 * 60,                       # 90 min down / 1 failure
            "stops": 1, "micro_stops": 0, "failures": 1,
            "loss.equipment_failure": 90 * 60,
            "loss.setup_changeover": 0,
            "loss.idling_minor_stops": 0,
            "loss.reduced_speed": 36 * 60,         # 360 − 324 min
            "loss.process_defects": 16 * 60,       # 16 rejects × 60 s
            "loss.reduced_yield_startup": 0,
        },
    ),
    Case(
        "a changeover and a product change mid-shift",
        ("06:00", "08:00"),
        [
            ("06:00", "07:00", "running",       None,   "CITY"),
            ("07:00", "07:20", "changeover",    301,    "CITY"),
            ("07:20", "08:00", "running",       None,   "MTB"),
        ],
        [
            ("06:30", "good",    54, "CITY"),
            ("07:25", "reject",   2, "MTB"),   # within 10 min of the changeover's end
            ("07:40", "good",    15, "MTB"),
            ("07:50", "reject",   1, "MTB"),   # after the start-up window
        ],
        {
            "planned_production_time": 120 * 60, "run_time": 100 * 60,
            "changeover_time": 20 * 60,
            "total": 72, "good": 69, "reject": 3,
            "availability": 100 / 120,             # 0.83333
            "performance": 0.9,                    # (54×60 + 18×120) s = 90 min / 100 min
            "quality": 69 / 72,                    # 0.95833
            "oee": 100 / 120 * 0.9 * 69 / 72,      # 0.71875
            "mtbf": None, "mttr": None, "stops": 0,
            "loss.setup_changeover": 20 * 60,
            "loss.reduced_speed": 10 * 60,         # 100 − 90 min
            "loss.process_defects": 120,           # 1 MTB reject × 120 s
            "loss.reduced_yield_startup": 240,     # 2 MTB rejects × 120 s
        },
    ),
    Case(
        "micro-stops below the threshold",
        ("06:00", "07:00"),
        [
            ("06:00:00", "06:16:40", "running", None,   "CITY"),
            ("06:16:40", "06:17:40", "idle",    601,    "CITY"),  # 60 s: micro
            ("06:17:40", "06:33:20", "running", None,   "CITY"),
            ("06:33:20", "06:34:50", "down",    103,    "CITY"),  # 90 s: micro
            ("06:34:50", "06:50:00", "running", None,   "CITY"),
            ("06:50:00", "06:55:00", "down",    101,    "CITY"),  # 300 s: a failure
            ("06:55:00", "07:00:00", "running", None,   "CITY"),
        ],
        [
            ("06:40", "good",    50, "CITY"),
        ],
        {
            "planned_production_time": 3600, "run_time": 3300, "micro_stop_time": 150,
            "down_time": 300,
            "availability": 3300 / 3600,           # 0.91667
            "performance": 3000 / 3300,            # 0.90909
            "quality": 1.0,
            "oee": 3000 / 3600,                    # 0.83333
            "stops": 1, "micro_stops": 2, "failures": 1,
            "mtbf": 3300, "mttr": 300,
            "loss.equipment_failure": 300,
            "loss.idling_minor_stops": 150,        # the two micro-stops
            "loss.reduced_speed": 150,             # 3300 − 150 − 3000
        },
    ),
    Case(
        "a bad-quality gap",
        ("06:00", "07:00"),
        [
            ("06:00", "06:20", "running",       None,   "CITY"),
            ("06:20", "06:30", "unknown",       None,   "CITY"),  # state tag bad quality
            ("06:30", "07:00", "running",       None,   "CITY"),
        ],
        [
            ("06:10", "good",    20, "CITY"),
            ("06:25", "good",     5, "CITY"),   # counted in unknown time: excluded, shown
            ("06:50", "good",    25, "CITY"),
        ],
        {
            "unknown_time": 600, "unknown_count": 5,
            "planned_production_time": 3000, "run_time": 3000,
            "total": 45,
            "availability": 1.0, "performance": 0.9, "quality": 1.0, "oee": 0.9,
            "teep": 0.9 * 3000 / 3600,             # 0.75
        },
    ),
    Case(
        "a restart mid-shift",
        ("06:00", "07:00"),
        [
            ("06:00", "06:25", "running",       None,   "CITY"),  # closed at the last checkpoint
            # 06:25–06:28:20 nothing recorded: the station was restarting
            ("06:28:20", "07:00", "running",    None,   "CITY"),
        ],
        [
            ("06:15", "good",    20, "CITY"),
            ("06:45", "good",    22, "CITY"),
        ],
        {
            "unknown_time": 200,
            "planned_production_time": 3400, "run_time": 3400,
            "availability": 1.0,
            "performance": 2520 / 3400,            # 42 × 60 s / 3400 s = 0.74118
            "oee": 2520 / 3400,
            "teep": 2520 / 3600,                   # 0.7
        },
    ),
]  # fmt: skip


def _value(fig, key: str):
    if key.startswith("loss."):
        return fig.losses[key.removeprefix("loss.")]
    return getattr(fig, key)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_reference_shift(case: Case):
    fig = case.run()
    for key, want in case.expect.items():
        got = _value(fig, key)
        if want is None:
            assert got is None, key
        else:
            assert got == pytest.approx(want, rel=1e-3, abs=1e-6), key
    # The period is fully accounted for, and the six losses are exactly the gap between
    # planned production time and the ideal time of the good parts.
    parts = (
        fig.unknown_time + fig.unscheduled_time + fig.planned_downtime + fig.planned_production_time
    )
    assert parts == pytest.approx(fig.calendar_time)
    ideal_good = sum(MODEL.ideal_cycle(p) * t.good for p, t in fig.by_product.items())
    assert sum(fig.losses.values()) == pytest.approx(fig.planned_production_time - ideal_good)


def test_a_counter_rollover_counts_the_parts_across_the_wrap():
    # A uint16 good counter wraps 65535 → 0; a reset to 0 later restarts the count.
    readings = [
        # at      raw     what happened
        ("06:00", 65500),  # baseline
        ("06:20", 65530),  # +30
        ("06:40", 4),      # +10 across the wrap: 65531..65535, 0..4 (10 ≤ rollover window)
        ("06:50", 20000),  # +19996 (an increase is always counted)
        ("06:55", 3),      # a decrease with a large wrapped difference: a reset, +3
    ]  # fmt: skip
    mod = counter_modulus(DataType.UINT16, None)
    assert mod == 65536
    deltas = []
    for (_, old), (t, new) in itertools.pairwise(readings):
        deltas.append((t, counter_delta(old, new, mod, MODEL.rollover_window)))
    assert [n for _, n in deltas] == [30, 10, 19996, 3]
    case = Case(
        "rollover",
        ("06:00", "07:00"),
        [("06:00", "07:00", "running", None, "CITY")],
        [(t, "good", n, "CITY") for t, n in deltas[:2]],
        {},
    )
    fig = case.run()
    assert fig.total == 40  # 30 + 10
    assert fig.performance == pytest.approx(40 * 60 / 3600, rel=1e-3)  # 0.66667
    assert fig.oee == pytest.approx(40 * 60 / 3600, rel=1e-3)


def test_a_signed_counter_is_read_as_unsigned():
    mod = counter_modulus(DataType.INT16, None)
    assert counter_delta(32767 % mod, -32768 % mod, mod, 1000) == 1
    assert counter_modulus(DataType.FLOAT64, None) is None
    assert counter_modulus(DataType.UINT32, 9999) == 10000
    assert counter_delta(9998, 2, 10000, 1000) == 4


def test_reason_assignment_and_split_change_the_pareto():
    case = CASES[2]  # the long failure, auto reason 102 (Motor overload) from the PLC
    before = case.run()
    assert [(e.reason, e.seconds) for e in before.pareto] == [(102, 5400)]

    start = at("08:00")
    case.assignments = [ReasonPart(start, 101, 3600, "op1"), ReasonPart(start, 103, 1800, "op1")]
    after = case.run()
    assert [(e.reason, e.seconds) for e in after.pareto] == [(101, 3600), (103, 1800)]
    # The big-loss Pareto is by state: unchanged by the reasons.
    assert after.losses == before.losses
    case.assignments = []


def test_unassigned_downtime_is_its_own_category():
    case = Case(
        "unassigned",
        ("06:00", "07:00"),
        [
            ("06:00", "06:30", "running", None, "CITY"),
            ("06:30", "06:40", "idle", None, "CITY"),  # no PLC reason
            ("06:40", "06:45", "down", 501, "CITY"),
            ("06:45", "07:00", "running", None, "CITY"),
        ],
        [],
        {},
    )
    fig = case.run()
    assert [(e.reason, e.seconds, e.events) for e in fig.pareto] == [(None, 600, 1), (501, 300, 1)]
    tree = [
        {"id": "electrical", "name": "Electrical", "reasons": [{"code": 501, "name": "Sensor"}]}
    ]
    from hmi.config_oee import ReasonCategory

    cats = pareto_by_category(fig.pareto, [ReasonCategory.model_validate(c) for c in tree])
    assert cats == [(None, 600), ("electrical", 300)]
    events = downtime_events(MODEL, [Interval(at(a), at(z), LineState(s), r, p)
                                     for a, z, s, r, p in case.intervals])  # fmt: skip
    assert [(e.state, e.auto_reason, e.micro) for e in events] == [
        (LineState.IDLE, None, False),
        (LineState.DOWN, 501, False),
    ]


def test_time_outside_every_shift_is_unscheduled_and_a_day_off_is_not_planned():
    cal = ShiftCalendar.model_validate(
        {"shift": [{"name": "D", "start": "08:00", "end": "17:00"}], "weekly_days_off": ["mon"]}
    )
    case = Case(
        "day off",
        ("07:00", "09:00"),
        [("07:00", "09:00", "idle", None, "CITY")],
        [],
        {},
    )
    fig = case.run(calendar=cal)  # a Monday: all off
    assert (fig.unscheduled_time, fig.planned_production_time) == (7200, 0)
    assert fig.availability is None
    cal2 = cal.model_copy(update={"weekly_days_off": []})
    fig2 = case.run(calendar=cal2)
    assert (fig2.unscheduled_time, fig2.idle_time) == (3600, 3600)


def test_periods_by_shift_day_and_hour_add_up():
    since, until = at("05:00"), at("15:30")
    shifts = periods(CALENDAR, since, until, "shift")
    assert [p.label for p in shifts] == ["2025-03-02 C", "2025-03-03 A", "2025-03-03 B"]
    assert (shifts[0].start, shifts[-1].end) == (since, until)
    hours = periods(CALENDAR, since, until, "hour")
    assert len(hours) == 11 and hours[0].label == "2025-03-03 05:00"
    assert periods(CALENDAR, since, until, "day")[0].label == "2025-03-03"

    ivs = [Interval(since, until, LineState.RUNNING, None, "CITY")]
    counts = Counts(
        [CountDelta(at("06:00") + 60 * k, CountKind.GOOD, 1, "CITY") for k in range(500)]
    )
    whole = compute(MODEL, ivs, counts, since, until, calendar=CALENDAR)
    parts = [compute(MODEL, ivs, counts, p.start, p.end, calendar=CALENDAR) for p in hours]
    assert sum(p.total for p in parts) == whole.total == 500
    assert sum(p.run_time for p in parts) == pytest.approx(whole.run_time)
