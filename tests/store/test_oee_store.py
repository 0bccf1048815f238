"""OEE persistence on SQLite and PostgreSQL: round trips, restarts, reasons, `hmi oee`."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hmi.cli import main
from hmi.config import PlantConfig
from hmi.runtime.oee import OeeTracker, load_figures
from hmi.store.events import EventKind, OperatorAction
from hmi.store.oee_store import (
    CountRow,
    IntervalRow,
    OeeStore,
    ReasonError,
)
from hmi.tagvalue import Quality, TagValue
from tests.fakes import PLANT_HEADER, load_plant, oee_line_tags

TZ = ZoneInfo("Asia/Taipei")

PLANT = (
    PLANT_HEADER
    + oee_line_tags("uint32")
    + """
[[lines]]
name = "L"
title = "Line"
tags = ["L.*"]
state_tag = "L.State"

[lines.oee]
good_count_tag = "L.Good"
reject_count_tag = "L.Reject"
reason_tag = "L.ReasonCode"
ideal_cycle_s = 60
micro_stop_s = 30
target = 0.8

[shifts]
timezone = "Asia/Taipei"

[[shifts.shift]]
name = "A"
start = "06:00"
end = "14:00"

[[shifts.shift]]
name = "B"
start = "14:00"
end = "22:00"

[[shifts.breaks]]
start = "10:00"
end = "10:30"

[[downtime_reasons]]
id = "mechanical"
name = { en = "Mechanical", zh_TW = "機械" }
reasons = [
  { code = 101, name = { en = "Belt slip", zh_TW = "皮帶打滑" } },
  { code = 102, name = { en = "Motor overload", zh_TW = "馬達過載" } },
]
"""
)


def at(hhmm: str) -> float:
    return datetime.strptime(f"2025-03-03 {hhmm}", "%Y-%m-%d %H:%M").replace(tzinfo=TZ).timestamp()


@pytest.fixture
def plant(tmp_path: Path) -> tuple[Path, PlantConfig]:
    return load_plant(tmp_path, PLANT)


def test_intervals_and_counts_round_trip_with_upserts(store):
    oee = OeeStore(store.engine)
    t = at("06:00")
    oee.apply([
        IntervalRow("L", t, t, "running", None, "CITY", True),
        IntervalRow("L", t, t + 50, "running", None, "CITY", True),   # a checkpoint
        CountRow("L", t + 10, "good", 3, "CITY"),
        CountRow("L", t + 20, "reject", 1, "CITY"),
    ])  # fmt: skip
    oee.apply([
        IntervalRow("L", t, t + 60, "running", None, "CITY", False),  # closed
        IntervalRow("L", t + 60, t + 60, "down", 102, "CITY", True),
        CountRow("L", t + 30, "good", 4, None),
        CountRow("M", t + 30, "good", 99, None),                      # another line
    ])  # fmt: skip
    assert oee.intervals("L", t, t + 3600) == [
        IntervalRow("L", t, t + 60, "running", None, "CITY", False),
        IntervalRow("L", t + 60, t + 60, "down", 102, "CITY", True),
    ]
    assert oee.count_rows("L", t, t + 3600) == [
        CountRow("L", t + 10, "good", 3, "CITY"),
        CountRow("L", t + 20, "reject", 1, "CITY"),
        CountRow("L", t + 30, "good", 4, None),
    ]
    series = oee.count_series("L", t, t + 25)
    assert {k: (list(ts - t), list(n)) for k, (ts, n) in series.items()} == {
        ("CITY", "good"): ([10.0], [3]),
        ("CITY", "reject"): ([20.0], [1]),
    }
    assert oee.recover("L") == 1
    assert oee.last_interval("L") == IntervalRow("L", t + 60, t + 60, "down", 102, "CITY", False)


def _feed(tracker: OeeTracker, clock: list[float], t: float, tag: str, value, q=Quality.GOOD):
    clock[0] = t
    tracker.on_updates([TagValue(tag, value, q, t, t)])


def test_a_restart_mid_shift_continues_from_the_store_and_the_gap_is_unknown(store, plant):
    _, config = plant
    oee = OeeStore(store.engine)
    clock = [at("06:00")]
    first = OeeTracker(config, oee.apply, clock=lambda: clock[0], checkpoint_s=60)
    _feed(first, clock, at("06:00"), "L.State", 1)
    _feed(first, clock, at("06:00"), "L.Good", 1000)
    _feed(first, clock, at("06:00"), "L.Reject", 0)
    _feed(first, clock, at("06:20"), "L.Good", 1020)
    clock[0] = at("06:25")
    first.tick()  # the last checkpoint before the crash at ~06:26 (nothing after it)
    del first

    clock[0] = at("06:30")
    second = OeeTracker(config, oee.apply, clock=lambda: clock[0], checkpoint_s=60)
    assert second.resume(oee) == 1
    _feed(second, clock, at("06:30"), "L.State", 1)
    _feed(second, clock, at("06:30"), "L.Good", 1030)  # a new baseline: not counted
    _feed(second, clock, at("06:50"), "L.Good", 1052)
    clock[0] = at("07:00")
    second.close()

    fig = load_figures(oee, config, "L", at("06:00"), at("07:00"))
    assert fig.unknown_time == pytest.approx(300)  # 06:25–06:30, never guessed
    assert fig.run_time == pytest.approx(3300)
    assert fig.total == 42  # 20 before, 22 after
    assert fig.availability == pytest.approx(1.0)
    assert fig.performance == pytest.approx(42 * 60 / 3300, rel=1e-3)  # 0.76364
    assert fig.oee == pytest.approx(42 * 60 / 3300, rel=1e-3)


def test_reason_assignment_and_split_are_stored_journaled_and_change_the_pareto(store, plant):
    _, config = plant
    journaled = []
    oee = OeeStore(store.engine, on_journal=journaled.append)
    t0, t1, t2 = at("08:00"), at("08:10"), at("08:40")
    oee.apply([
        IntervalRow("L", t0, t1, "running", None, None, False),
        IntervalRow("L", t1, t2, "down", 102, None, False),      # 30 min, auto reason 102
        IntervalRow("L", t2, at("09:00"), "running", None, None, False),
    ])  # fmt: skip
    fig = load_figures(oee, config, "L", t0, at("09:00"))
    assert [(e.reason, e.seconds) for e in fig.pareto] == [(102, 1800)]

    oee.assign_reasons("L", t1, [(101, None)], "op1", ts=t2 + 5)
    fig = load_figures(oee, config, "L", t0, at("09:00"))
    assert [(e.reason, e.seconds) for e in fig.pareto] == [(101, 1800)]

    oee.assign_reasons("L", t1, [(101, 1200), (102, 600)], "op2", ts=t2 + 9)
    fig = load_figures(oee, config, "L", t0, at("09:00"))
    assert [(e.reason, e.seconds) for e in fig.pareto] == [(101, 1200), (102, 600)]
    assert [(r.reason, r.seconds, r.user) for r in oee.reasons("L", t0, t2)] == [
        (101, 1200, "op2"),
        (102, 600, "op2"),
    ]
    assert [(e.kind, e.type, e.user, e.value) for e in journaled] == [
        (EventKind.OPERATOR, OperatorAction.REASON_CODE, "op1", "101"),
        (EventKind.OPERATOR, OperatorAction.REASON_CODE, "op2", "101,102"),
    ]
    assert journaled[1].details == {"event_start": t1, "parts": [[101, 1200.0], [102, 600.0]]}

    with pytest.raises(ReasonError, match="add up to 1500 s but the event lasted 1800 s"):
        oee.assign_reasons("L", t1, [(101, 1000), (102, 500)], "op3")
    with pytest.raises(ReasonError, match="running, not downtime"):
        oee.assign_reasons("L", t0, [(101, None)], "op3")
    with pytest.raises(ReasonError, match="no event"):
        oee.assign_reasons("L", t0 + 1, [(101, None)], "op3")
    assert len(journaled) == 2  # refused assignments are not journaled


def _seed(oee: OeeStore) -> None:
    """Shift A on 2025-03-03: the long-failure reference shift of test_oee_calc."""
    oee.apply([
        IntervalRow("L", at("06:00"), at("08:00"), "running", None, None, False),
        IntervalRow("L", at("08:00"), at("09:30"), "down", 102, None, False),
        IntervalRow("L", at("09:30"), at("10:00"), "running", None, None, False),
        IntervalRow("L", at("10:00"), at("10:30"), "planned_stop", None, None, False),
        IntervalRow("L", at("10:30"), at("14:00"), "running", None, None, False),
        CountRow("L", at("07:00"), "good", 110),
        CountRow("L", at("09:45"), "good", 28),
        CountRow("L", at("12:00"), "good", 170),
        CountRow("L", at("13:00"), "reject", 16),
    ])  # fmt: skip


def test_hmi_oee_prints_the_expected_figures_as_json_and_text(store, store_url, plant, capsys):
    path, _ = plant
    _seed(OeeStore(store.engine))
    args = ["oee", "--db", store_url, "--line", "L", "--config", str(path)]
    span = ["--since", "2025-03-03T06:00", "--until", "2025-03-03T22:00"]

    assert main([*args, *span, "--by", "shift", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["line"], out["timezone"], out["target"]) == ("L", "Asia/Taipei", 0.8)
    a, b = out["periods"]
    assert (a["label"], a["start"], a["end"]) == (
        "2025-03-03 A", "2025-03-03T06:00:00+08:00", "2025-03-03T14:00:00+08:00",
    )  # fmt: skip
    assert (a["planned_production_time"], a["run_time"], a["down_time"]) == (27000, 21600, 5400)
    assert (a["total"], a["good"], a["reject"]) == (324, 308, 16)
    assert a["availability"] == pytest.approx(0.8)
    assert a["performance"] == pytest.approx(0.9)
    assert a["quality"] == pytest.approx(308 / 324)
    assert a["oee"] == pytest.approx(308 / 450)
    assert a["teep"] == pytest.approx(308 / 480)
    assert (a["mtbf"], a["mttr"], a["stops"], a["failures"]) == (21600, 5400, 1, 1)
    assert a["losses"]["equipment_failure"] == 5400
    assert a["pareto"] == [{"reason": 102, "seconds": 5400, "events": 1}]
    # Shift B has no record at all: unknown, not zero.
    assert (b["label"], b["unknown_time"], b["oee"]) == ("2025-03-03 B", 28800, None)

    assert main([*args, "--since", "2025-03-03T06:00", "--until", "2025-03-03T14:00"]) == 0
    text = capsys.readouterr().out
    assert text == (
        "L  2025-03-03 06:00  (2025-03-03 06:00 → 14:00, Asia/Taipei)\n"
        "  planned 7:30:00  run 6:00:00  down 1:30:00  idle 0:00:00  changeover 0:00:00  "
        "unknown 0:00:00\n"
        "  counts  total 324  good 308  reject 16\n"
        "  A 80.0 %  P 90.0 %  Q 95.1 %  OEE 68.4 % (target 80.0 %)  TEEP 64.2 %\n"
        "  MTBF 6:00:00  MTTR 1:30:00  stops 1  micro-stops 0\n"
        "  losses  equipment failure 1:30:00, setup/changeover 0:00:00, "
        "idling & minor stops 0:00:00, reduced speed 0:36:00, process defects 0:16:00, "
        "start-up rejects 0:00:00\n"
        "  downtime by reason  Motor overload 1:30:00\n"
    )


def test_hmi_oee_names_an_unknown_line_and_a_bad_time(store_url, plant, capsys):
    path, _ = plant
    base = ["oee", "--db", store_url, "--config", str(path)]
    assert main([*base, "--line", "Nope"]) == 2
    assert "no OEE line named 'Nope' (OEE lines: L)" in capsys.readouterr().err
    assert main([*base, "--line", "L", "--since", "yesterday"]) == 2
    assert "'yesterday' is not an ISO date/time" in capsys.readouterr().err
