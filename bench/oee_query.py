"""OEE queries over a month of history, and the live tracker's cost per update.

History: one line, 30 days of one-second updates (a part every second while
running, the worst case of a fast line; a state change every 5–300 s: runs,
micro-stops, failures, changeovers, planned stops), fed through the tracker and
written to a SQLite store as the station would. Then `load_figures` (what `hmi oee` and the
panels call) for the whole month, per day, and for one shift.

Tracker: updates of a line's state, counters and reason through `on_updates` in
batches of 100, with a sink that drops the records (the writer's cost is the
store's, measured above).

Run: `.venv/bin/python -m bench.oee_query`.
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from hmi.config import PlantConfig
from hmi.runtime.oee import OeeTracker, load_figures
from hmi.runtime.shift_calendar import periods
from hmi.store.database import open_store
from hmi.store.oee_store import IntervalRow, OeeStore
from hmi.tagvalue import TagValue

DAYS = 30
T0 = 1_740_960_000.0  # 2025-03-03 08:00 Asia/Taipei


def plant() -> PlantConfig:
    tag = {"connection": "plc", "type": "uint32"}
    return PlantConfig.model_validate(
        {
            "plant": {"name": "bench", "title": "Bench"},
            "connections": [{"name": "plc", "driver": "opcua", "endpoint": "opc.tcp://h:4840"}],
            "tags": [
                {"name": "L.State", "address": "ns=2;s=S", "connection": "plc", "type": "int16"},
                {"name": "L.Reason", "address": "ns=2;s=R", "connection": "plc", "type": "int16"},
                {"name": "L.Good", "address": "ns=2;s=G", **tag},
                {"name": "L.Reject", "address": "ns=2;s=J", **tag},
            ],
            "lines": [
                {
                    "name": "L",
                    "title": "L",
                    "state_tag": "L.State",
                    "oee": {
                        "good_count_tag": "L.Good",
                        "reject_count_tag": "L.Reject",
                        "reason_tag": "L.Reason",
                        "ideal_cycle_s": 0.9,
                        "micro_stop_s": 30,
                        "startup_window_s": 300,
                    },
                }
            ],
            "shifts": {
                "shift": [
                    {"name": "A", "start": "06:00", "end": "14:00"},
                    {"name": "B", "start": "14:00", "end": "22:00"},
                    {"name": "C", "start": "22:00", "end": "06:00"},
                ],
                "breaks": [{"start": "12:00", "end": "12:30"}],
            },
        }
    )


def seed(url: str, days: int = DAYS, seed: int = 1) -> tuple[int, int, float]:
    """Feed `days` of one-second state and counter updates through the tracker and
    write what it records; returns (intervals, count rows, tracker seconds)."""
    rng = random.Random(seed)
    codes = {"running": 1, "idle": 2, "down": 3, "changeover": 4, "planned_stop": 5}
    rows: list = []
    clock = [T0]
    tracker = OeeTracker(plant(), rows.extend, clock=lambda: clock[0])
    good = reject = 0
    next_change = T0
    state = 1
    spent = 0.0
    for k in range(int(days * 86400)):
        t = T0 + k
        batch = []
        if t >= next_change:
            name = rng.choices(tuple(codes), weights=(70, 10, 10, 3, 2))[0]
            state = codes[name]
            length = rng.uniform(20, 120) if state == 1 else rng.uniform(5, 300)
            next_change = t + int(length)
            batch.append(TagValue("L.Reason", 0 if state == 1 else 101, receive_ts=t))
            batch.append(TagValue("L.State", state, receive_ts=t))
        if state == 1:
            if k % 50 == 0:
                reject += 1
                batch.append(TagValue("L.Reject", reject, receive_ts=t))
            else:
                good += 1
                batch.append(TagValue("L.Good", good, receive_ts=t))
        if batch:
            clock[0] = t
            t0 = time.perf_counter()
            tracker.on_updates(batch)
            spent += time.perf_counter() - t0
    clock[0] = T0 + days * 86400
    tracker.close()
    store = open_store(url)
    try:
        oee = OeeStore(store.engine)
        for i in range(0, len(rows), 50_000):
            oee.apply(rows[i : i + 50_000])
        n_iv = len({(r.line, r.start) for r in rows if isinstance(r, IntervalRow)})
    finally:
        store.close()
    return n_iv, len(rows) - sum(isinstance(r, IntervalRow) for r in rows), spent


def _timed(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def query_figures(url: str) -> list[tuple[str, float, str]]:
    config = plant()
    store = open_store(url)
    try:
        oee = OeeStore(store.engine)
        end = T0 + DAYS * 86400
        month = _timed(lambda: load_figures(oee, config, "L", T0, end), repeat=2)
        days = periods(config.shifts, T0, end, "day")
        per_day = _timed(
            lambda: [load_figures(oee, config, "L", p.start, p.end) for p in days], repeat=1
        )
        mid = T0 + 15 * 86400
        shift = _timed(lambda: load_figures(oee, config, "L", mid, mid + 8 * 3600))
    finally:
        store.close()
    return [
        ("30 days, one query", month * 1000, "ms"),
        ("30 days --by day, per day", per_day / len(days) * 1000, "ms"),
        ("one shift (8 h)", shift * 1000, "ms"),
    ]


def tracker_cost(n_batches: int = 2000, batch: int = 100) -> list[tuple[str, float, str]]:
    config = plant()
    clock = [T0]
    tracker = OeeTracker(config, lambda rows: None, clock=lambda: clock[0], checkpoint_s=5)
    rng = random.Random(2)
    good = 0
    batches = []
    t = T0
    for _ in range(n_batches):
        rows = []
        for _ in range(batch):
            t += 0.01
            r = rng.random()
            if r < 0.05:
                rows.append(TagValue("L.State", rng.choice((1, 1, 1, 2, 3)), receive_ts=t))
            elif r < 0.07:
                rows.append(TagValue("L.Reason", rng.choice((0, 101, 102)), receive_ts=t))
            elif r < 0.5:
                good += 1
                rows.append(TagValue("L.Good", good, receive_ts=t))
            else:
                rows.append(TagValue("Other.Tag", r, receive_ts=t))  # not an OEE tag
        batches.append(rows)
    start = time.perf_counter()
    for rows in batches:
        clock[0] = rows[-1].receive_ts
        tracker.on_updates(rows)
    spent = time.perf_counter() - start
    per_update = spent / (n_batches * batch) * 1e6
    # A GUI frame at 10 Hz for one line carries ~1 state/counter update per tag.
    frame = [TagValue("L.State", 1, receive_ts=t), TagValue("L.Good", good + 1, receive_ts=t)]
    t0 = time.perf_counter()
    for k in range(20000):
        frame[1] = TagValue("L.Good", good + 1 + k, receive_ts=t + k * 0.1)
        tracker.on_updates(frame)
    per_frame = (time.perf_counter() - t0) / 20000 * 1e6
    return [
        ("tracker, per update (mixed tags)", per_update, "µs"),
        ("tracker, per line per frame", per_frame, "µs"),
    ]


def run() -> list[tuple[str, float, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'oee.db'}"
        t = time.perf_counter()
        n_iv, n_counts, spent = seed(url)
        setup = time.perf_counter() - t
        rows = [
            ("history: intervals", float(n_iv), "rows"),
            ("history: count rows", float(n_counts), "rows"),
            ("history: 30 days through the tracker", spent, "s"),
            ("history: seeding in all", setup, "s"),
        ]
        rows += query_figures(url)
    return rows + tracker_cost()


if __name__ == "__main__":
    for name, value, unit in run():
        print(f"{name:40s} {value:12.2f} {unit}")
