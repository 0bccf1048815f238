"""The live OEE tracker: tag updates with an injected clock → intervals and count deltas."""

from __future__ import annotations

import asyncio
import textwrap
import time
from pathlib import Path

import pytest

from hmi.config import PlantConfig, load_config
from hmi.config_oee import CountKind, LineState
from hmi.runtime.oee import OeeTracker
from hmi.runtime.oee_calc import CountDelta, Counts, Interval, compute
from hmi.store.oee_store import CountRow, IntervalRow
from hmi.store.oee_writer import OeeWriterFullError
from hmi.tagvalue import Quality, TagValue
from tests.fakes import PLANT_HEADER, load_plant, oee_line_tags

T0 = 1_740_999_960.0  # a whole minute (UTC epoch), so 0–59 s are one minute

PLANT = (
    PLANT_HEADER
    + oee_line_tags("uint16")
    + """
[[tags]]
name = "L.Product"
connection = "plc"
address = "ns=2;s=L.Product"
type = "string"

[[lines]]
name = "L"
title = "Line"
tags = ["L.*"]
state_tag = "L.State"

[lines.oee]
states = { running = [1], idle = [2], down = [3], changeover = [4], planned_stop = [5, 6] }
good_count_tag = "L.Good"
reject_count_tag = "L.Reject"
product_tag = "L.Product"
reason_tag = "L.ReasonCode"
ideal_cycle_s = 60
products = [{ product = "MTB", ideal_cycle_s = 120 }]
micro_stop_s = 30
"""
)


@pytest.fixture
def config(tmp_path: Path) -> PlantConfig:
    return load_plant(tmp_path, PLANT)[1]


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


class Recorder:
    """The sink: keeps every record, and the last version of each interval (an upsert)."""

    def __init__(self) -> None:
        self.batches: list[list] = []
        self.intervals: dict[float, IntervalRow] = {}
        self.counts: list[CountRow] = []

    def __call__(self, rows: list) -> None:
        self.batches.append(rows)
        for r in rows:
            if isinstance(r, IntervalRow):
                self.intervals[r.start] = r
            else:
                self.counts.append(r)

    def table(self) -> list[tuple]:
        return [
            (r.start - T0, r.end - T0, r.state, r.reason, r.product, r.open)
            for r in sorted(self.intervals.values(), key=lambda r: r.start)
        ]


def feed(tracker: OeeTracker, clock: Clock, script: list[tuple]) -> None:
    """Each row: (seconds after T0, tag, value[, quality]); one batch per row."""
    for row in script:
        t, tag, value = row[:3]
        quality = row[3] if len(row) > 3 else Quality.GOOD
        clock.now = T0 + t
        tracker.on_updates([TagValue(tag, value, quality, T0 + t, T0 + t)])


def test_state_reason_and_product_changes_make_the_expected_intervals(config):
    clock, sink = Clock(), Recorder()
    tracker = OeeTracker(config, sink, clock=clock, checkpoint_s=1e9)
    feed(tracker, clock, [
        # t    tag              value
        (0,   "L.Product",     "CITY"),
        (0,   "L.State",       1),
        (0,   "L.ReasonCode",  0),
        (100, "L.State",       3),
        (100, "L.ReasonCode",  102),    # same instant: the Down interval gets its reason
        (150, "L.ReasonCode",  101),    # the PLC changes its mind: a new event
        (200, "L.State",       1),
        (200, "L.ReasonCode",  0),
        (250, "L.ReasonCode",  7),      # a reason while running is ignored
        (300, "L.State",       4),
        (300, "L.ReasonCode",  301),
        (360, "L.Product",     "MTB"),  # the product changes at the end of the changeover
        (360, "L.State",       1),
        (360, "L.ReasonCode",  0),
        (400, "L.State",       6),      # 6 is mapped to planned_stop too
        (420, "L.State",       99),     # an unmapped value: unknown
    ])  # fmt: skip
    assert sink.table() == [
        # start end   state           reason  product  open
        (0,   100, "running",       None,  "CITY", False),
        (100, 150, "down",          102,   "CITY", False),
        (150, 200, "down",          101,   "CITY", False),
        (200, 300, "running",       None,  "CITY", False),
        (300, 360, "changeover",    301,   "CITY", False),
        (360, 400, "running",       None,  "MTB",  False),
        (400, 420, "planned_stop",  None,  "MTB",  False),
        (420, 420, "unknown",       None,  "MTB",  True),
    ]  # fmt: skip


def test_bad_quality_on_the_state_tag_is_unknown_time(config):
    clock, sink = Clock(), Recorder()
    tracker = OeeTracker(config, sink, clock=clock, checkpoint_s=1e9)
    feed(tracker, clock, [
        (0,   "L.State", 1),
        (60,  "L.State", 1, Quality.DISCONNECTED),
        (90,  "L.State", 1, Quality.BAD),        # still unknown: no new interval
        (120, "L.State", 1),
    ])  # fmt: skip
    tracker.close()
    assert [(a, z, s) for a, z, s, *_ in sink.table()] == [
        (0, 60, "running"),
        (60, 120, "unknown"),
        (120, 120, "running"),
    ]


def test_counters_count_deltas_across_rollover_and_reset_and_ignore_bad_values(config):
    clock, sink = Clock(), Recorder()
    tracker = OeeTracker(config, sink, clock=clock, checkpoint_s=1e9)
    feed(tracker, clock, [
        (0,  "L.Product", "CITY"),
        (0,  "L.State",   1),
        (0,  "L.Good",    65530),   # baseline: not a count
        (10, "L.Good",    65533),   # +3
        (20, "L.Good",    2),       # +5 across the uint16 wrap
        (25, "L.Good",    0, Quality.BAD),  # ignored
        (30, "L.Good",    40),      # +38
        (40, "L.Good",    5),       # a reset (wrapped difference 65501 > 1000): +5
        (40, "L.Reject",  7),       # baseline
        (50, "L.Reject",  9),       # +2
        (70, "L.Good",    45),      # +40, in the next minute
    ])  # fmt: skip
    clock.now = T0 + 80
    tracker.close()
    # Deltas are held and written per counter at whole minutes (and at state changes,
    # checkpoints, the close), stamped with the time of their first part.
    assert sorted((c.ts - T0, c.kind, c.n, c.product) for c in sink.counts) == [
        (10, "good", 3 + 5 + 38 + 5, "CITY"),
        (50, "reject", 2, "CITY"),
        (70, "good", 40, "CITY"),
    ]


def test_held_counts_are_cut_at_state_changes_and_at_the_end_of_the_startup_window(config):
    model = config.lines[0].oee.model_copy(update={"startup_window_s": 20.0})
    line = config.lines[0].model_copy(update={"oee": model})
    config = config.model_copy(update={"lines": [line]})
    clock, sink = Clock(), Recorder()
    tracker = OeeTracker(config, sink, clock=clock, checkpoint_s=1e9)
    feed(tracker, clock, [
        (0,  "L.State",   1),
        (0,  "L.Reject",  0),
        (5,  "L.Reject",  1),       # running
        (10, "L.State",   4),       # changeover: the held reject is written
        (12, "L.Reject",  2),
        (20, "L.State",   1),       # start-up window 20–40 s
        (25, "L.Reject",  4),
        (39, "L.Reject",  5),
        (41, "L.Reject",  6),       # after the window: a new row
    ])  # fmt: skip
    clock.now = T0 + 50
    tracker.close()
    assert sorted((c.ts - T0, c.n) for c in sink.counts) == [(5, 1), (12, 1), (25, 3), (41, 1)]


def test_checkpoints_extend_the_open_interval_to_the_last_known_time(config):
    clock, sink = Clock(), Recorder()
    tracker = OeeTracker(config, sink, clock=clock, checkpoint_s=5.0)
    feed(tracker, clock, [(0, "L.State", 1)])
    clock.now = T0 + 4
    tracker.tick()
    assert sink.table() == [(0, 4, "running", None, None, True)]
    clock.now = T0 + 12  # no update, but the state is still known: checkpointed
    tracker.tick()
    assert sink.table() == [(0, 12, "running", None, None, True)]
    assert tracker.live_interval("L") == Interval(T0, T0 + 12, LineState.RUNNING)
    clock.now = T0 + 13
    tracker.close()
    assert sink.table() == [(0, 13, "running", None, None, False)]


def test_the_recorded_shift_gives_the_hand_computed_figures(config):
    """One hour: 50 min running making CITY (60 s ideal), a 20 s jam (a micro-stop),
    a 10 min failure. 45 good, 3 rejects. A = 3000/3600, P = 48·60/3000, Q = 45/48."""
    clock, sink = Clock(), Recorder()
    tracker = OeeTracker(config, sink, clock=clock, checkpoint_s=1e9)
    feed(tracker, clock, [
        (0,    "L.Product", "CITY"),
        (0,    "L.State",   1),
        (0,    "L.Good",    100),
        (0,    "L.Reject",  0),
        (1000, "L.State",   3),
        (1020, "L.State",   1),     # 20 s < 30 s: a micro-stop
        (1500, "L.Good",    145),
        (2000, "L.State",   3),
        (2000, "L.ReasonCode", 103),
        (2600, "L.State",   1),
        (3000, "L.Reject",  3),
    ])  # fmt: skip
    clock.now = T0 + 3600
    tracker.close()
    ivs = [
        Interval(r.start, r.end, LineState(r.state), r.reason, r.product)
        for r in sink.intervals.values()
    ]
    counts = Counts(CountDelta(c.ts, CountKind(c.kind), c.n, c.product) for c in sink.counts)
    fig = compute(config.lines[0].oee, ivs, counts, T0, T0 + 3600)
    assert fig.run_time == pytest.approx(3000)  # 3600 − 600 down (the 20 s jam is run time)
    assert fig.availability == pytest.approx(3000 / 3600, rel=1e-3)
    assert fig.performance == pytest.approx(48 * 60 / 3000, rel=1e-3)
    assert fig.quality == pytest.approx(45 / 48, rel=1e-3)
    assert fig.oee == pytest.approx(45 * 60 / 3600, rel=1e-3)
    assert (fig.stops, fig.micro_stops, fig.failures) == (1, 1, 1)
    assert fig.mttr == pytest.approx(600) and fig.mtbf == pytest.approx(3000)


def test_one_batch_gives_one_sink_call_and_unrelated_tags_cost_nothing(config):
    clock, sink = Clock(), Recorder()
    tracker = OeeTracker(config, sink, clock=clock, checkpoint_s=1e9)
    tracker.on_updates([TagValue("Other.Tag", 1.0, receive_ts=T0)] * 100)
    assert sink.batches == []
    tracker.on_updates(
        [TagValue("L.State", 1, receive_ts=T0), TagValue("L.State", 3, receive_ts=T0 + 1)]
    )
    assert len(sink.batches) == 1
    assert tracker.tags == {"L.State", "L.Good", "L.Reject", "L.Product", "L.ReasonCode"}


def test_config_mistakes_in_the_oee_model_are_named_with_file_line_and_field(tmp_path):
    from hmi.config import ConfigError

    text = (
        textwrap.dedent(PLANT)
        .replace('good_count_tag = "L.Good"', 'good_count_tag = "L.Goood"')
        .replace("micro_stop_s = 30", "micro_stop_s = 30\ntarget = 1.5")
    )
    text += textwrap.dedent("""
        [shifts]
        timezone = "Mars/Olympus"

        [[shifts.shift]]
        name = "A"
        start = "6am"
        end = "14:00"
    """)
    path = tmp_path / "plant.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    shown = [str(p) for p in info.value.problems]
    lines = text.splitlines()
    target_line = next(i for i, s in enumerate(lines, 1) if s.startswith("target"))
    assert f"plant.toml:{target_line}: lines[0].oee.target: " in shown[0]
    assert any("shifts.timezone: unknown time zone 'Mars/Olympus'" in s for s in shown)
    assert any("shifts.shift[0].start: '6am' is not a local time like '06:00'" in s for s in shown)

    bad = textwrap.dedent(PLANT).replace('good_count_tag = "L.Good"', 'good_count_tag = "L.Goood"')
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    (problem,) = info.value.problems
    assert problem.field == "lines[0].oee.good_count_tag"
    assert problem.message == "no tag named 'L.Goood'"
    assert (
        problem.line == textwrap.dedent(PLANT).splitlines().index('good_count_tag = "L.Good"') + 1
    )


class FullSink(Recorder):
    """The OEE writer with its bounded queue full (the database away) until `full` is
    cleared: it refuses at once, accepting nothing, as `OeeWriter.submit` does."""

    def __init__(self) -> None:
        super().__init__()
        self.full = True
        self.accepted = asyncio.Event()

    def __call__(self, rows: list) -> None:
        if self.full:
            raise OeeWriterFullError(f"OEE writer queue full; {len(rows)} not accepted")
        super().__call__(rows)
        self.accepted.set()


OUTAGE = [
    (0,  "L.State", 1),
    (0,  "L.Good",  100),   # baseline
    (10, "L.Good",  103),   # +3
    (70, "L.Good",  105),   # +2 in the next minute: the first count row is due
    (80, "L.State", 3),     # a split: the running interval closes, +2 written
    (90, "L.State", 1),
    (95, "L.Good",  109),   # +4
]  # fmt: skip


def test_a_full_writer_loses_nothing_the_tracker_holds_the_records_in_order(config):
    clock, sink, health = Clock(), FullSink(), []
    tracker = OeeTracker(
        config, sink, clock=clock, checkpoint_s=30.0, on_health=lambda ok, _d: health.append(ok)
    )
    began = time.monotonic()
    feed(tracker, clock, OUTAGE)  # never raises, never waits
    assert time.monotonic() - began < 1.0
    assert sink.batches == [] and tracker.held > 0
    assert (tracker.healthy, health) == (False, [False])

    sink.full = False  # the database is back: the writer has room again
    clock.now = T0 + 100
    tracker.tick()
    assert (tracker.held, tracker.healthy, health) == (0, True, [False, True])

    clock2, reference = Clock(), Recorder()  # the same plant with a writer never full
    twin = OeeTracker(config, reference, clock=clock2, checkpoint_s=30.0)
    feed(twin, clock2, OUTAGE)
    clock2.now = T0 + 100
    twin.tick()
    flat = [row for batch in sink.batches for row in batch]
    assert flat == [row for batch in reference.batches for row in batch]  # same rows, same order
    assert sum(c.n for c in sink.counts if c.kind == "good") == 3 + 2 + 4
    assert sink.table() == reference.table()


def test_held_records_are_handed_over_by_run_without_new_updates(config):
    clock, sink = Clock(), FullSink()
    tracker = OeeTracker(config, sink, clock=clock, checkpoint_s=1e9)
    feed(tracker, clock, [(0, "L.State", 1)])
    assert tracker.held > 0

    async def scenario() -> None:
        runner = asyncio.create_task(tracker.run())
        try:
            sink.full = False
            await asyncio.wait_for(sink.accepted.wait(), 10.0)  # within a retry (1 s)
        finally:
            runner.cancel()
            await runner

    asyncio.run(scenario())
    assert tracker.held == 0 and sink.table() == [(0, 0, "running", None, None, True)]


def test_a_standby_drops_records_held_from_its_term_as_recorder(config):
    clock, sink = Clock(), FullSink()
    tracker = OeeTracker(config, sink, clock=clock, checkpoint_s=1e9)
    feed(tracker, clock, [(0, "L.State", 1), (5, "L.State", 3)])
    assert tracker.held > 0
    tracker.stop_recording(None)  # another station records now: not ours to write
    assert (tracker.held, tracker.healthy) == (0, True)
    sink.full = False
    tracker.restart_recording(T0 + 20)
    assert sink.table() == [(20, 20, "down", None, None, True)]
