"""The demo's simulated past (hmi/sim/backfill.py), recorded through the real recorders
into a real SQLite file, and read back the way the screens read it."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from sqlalchemy import func, select

from hmi.config import PlantConfig, load_config
from hmi.paths import DEMO_CONFIG
from hmi.runtime.alarm_journal import last_alarm_events
from hmi.runtime.alarms import AlarmEngine
from hmi.runtime.oee import load_figures
from hmi.runtime.services import PlantServices
from hmi.sim.backfill import ACK_USER, BackfillSummary, backfill, history_window
from hmi.store import Store, open_store
from hmi.store.events import EventKind, SystemEvent
from hmi.store.history import HistoryReader
from hmi.store.models import events
from hmi.store.oee_store import OeeStore

TAIPEI = ZoneInfo("Asia/Taipei")
STATION = "demo-test-station"
# 10:00 in the plant's time zone: day shift A (06:00-14:00); night shift C began 22:00.
UNTIL = datetime(2025, 6, 16, 10, 0, tzinfo=TAIPEI).timestamp()
SINCE = UNTIL - 2 * 3600.0
KEY_TAGS = (
    "Welding.Conveyor.MotorCurrent",
    "Painting.Oven.Temperature",
    "Assembly.Conveyor.BeltTension",  # over Modbus: scaled uint16 on the wire
    "Assembly.GoodCount",
    "Welding.State",
)


@pytest.fixture(scope="module")
def config() -> PlantConfig:
    return load_config(DEMO_CONFIG)


@pytest.fixture(scope="module")
def filled(config: PlantConfig, tmp_path_factory: pytest.TempPathFactory):
    """Two simulated hours in a fresh SQLite file (run once for the module: ~3 s)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('backfill') / 'demo.db'}"
    store = open_store(url)
    summary = backfill(config, store, since=SINCE, until=UNTIL, seed=1, station=STATION)
    yield url, store, summary
    store.close()


def _alarm_rows(store: Store) -> list:
    with store.engine.connect() as conn:
        return conn.execute(
            select(events.c.ts, events.c.type, events.c.user_name, events.c.station).where(
                events.c.kind == EventKind.ALARM.value
            )
        ).all()


def test_the_window_runs_from_the_previous_shift_start(config: PlantConfig):
    since, until = history_window(config, UNTIL)
    assert until == UNTIL
    assert since == datetime(2025, 6, 15, 22, 0, tzinfo=TAIPEI).timestamp()  # shift C
    late = datetime(2025, 6, 16, 13, 59, tzinfo=TAIPEI).timestamp()  # end of A: ~16 h
    assert history_window(config, late)[0] == since
    assert history_window(config, late, max_hours=6)[0] == late - 6 * 3600


def test_every_line_has_plausible_oee_over_the_window(config: PlantConfig, filled):
    _url, store, summary = filled
    assert summary.skipped is None and summary.hours == pytest.approx(2.0)
    oee = OeeStore(store.engine)
    for line in ("Welding", "Painting", "Assembly"):
        f = load_figures(oee, config, line, SINCE, UNTIL)
        known = f.calendar_time - f.unknown_time
        assert known > 0.9 * (UNTIL - SINCE), (line, f.unknown_time)
        for ratio in (f.availability, f.performance, f.quality):
            assert ratio is not None and 0.0 < ratio <= 1.0, (line, f)
        assert f.good > 500 and f.stops > 10 and f.pareto  # a living line with losses


def test_history_covers_the_window_for_key_tags(filled):
    _url, store, _summary = filled
    reader = HistoryReader(store.engine)
    for tag in KEY_TAGS:
        series = reader.raw(tag, SINCE, UNTIL + 1)
        assert len(series) > 20, tag
        assert series.ts[0] < SINCE + 60 and series.ts[-1] > UNTIL - 600, tag
        assert series.ts.min() >= SINCE and series.ts.max() <= UNTIL + 1e-3, tag
    tension = reader.raw("Assembly.Conveyor.BeltTension", SINCE, UNTIL).value
    good = tension[~np.isnan(tension)]
    assert (good == good.round()).all() and 600 < good.min() <= good.max() < 820  # whole N


def test_alarm_events_carry_simulated_times_and_acknowledgements(filled):
    _url, store, summary = filled
    rows = _alarm_rows(store)
    assert len(rows) == summary.alarm_events > 10
    assert all(SINCE <= r.ts <= UNTIL for r in rows)
    assert {r.station for r in rows} == {STATION}
    kinds = {r.type for r in rows}
    assert {"activated", "acknowledged", "returned"} <= kinds
    assert {r.user_name for r in rows if r.type == "acknowledged"} == {ACK_USER}


def test_one_system_event_marks_the_history_as_simulated(filled):
    _url, store, _summary = filled
    with store.engine.connect() as conn:
        marks = conn.execute(
            select(events.c.ts, events.c.message).where(
                events.c.type == SystemEvent.DEMO_BACKFILL.value
            )
        ).all()
    assert len(marks) == 1
    assert marks[0].ts == pytest.approx(UNTIL)
    assert marks[0].message == "demo: 2.0 h of simulated plant history recorded"


def test_a_second_backfill_finds_the_past_and_does_nothing(config: PlantConfig, filled):
    url, store, _summary = filled

    def count() -> int:
        with store.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(events)).scalar_one()

    before = count()
    again = backfill(config, url, since=SINCE - 3600, until=UNTIL + 3600, station=STATION)
    assert isinstance(again, BackfillSummary)
    assert again.skipped and "already has" in again.skipped
    assert again.steps == 0 and count() == before


def test_the_demo_station_restores_no_stale_alarm(config: PlantConfig, filled):
    url, store, _summary = filled
    engine = AlarmEngine.from_config(config, lambda ev: None)
    assert engine.restore(last_alarm_events(store.engine, STATION)) == 0
    services = PlantServices(config, url, station=STATION)
    try:
        assert services.alarms.active() == []
        assert not services.oee_store.recover()  # every interval was closed: a clean start
    finally:
        services.close()


def test_demo_help_offers_no_backfill():
    out = subprocess.run(
        [sys.executable, "-m", "hmi", "demo", "--help"],
        capture_output=True, text=True, timeout=60, cwd=Path(__file__).parent,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "--no-backfill" in out.stdout
