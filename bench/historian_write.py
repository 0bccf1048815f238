"""Historian samples written per second into SQLite, next to raw `sqlite3.executemany`.

Same machine, same run, same table (`history_samples`, made by the migrations of a
store opened with `open_store`: WAL, synchronous=NORMAL), same rows:
- historian: `Historian.on_updates` (the runtime-thread recorder, deadband 0 so every
  update is a sample) → `HistoryWriter` thread → committed (`flush`);
- raw: `sqlite3.executemany` of the prepared (tag_id, ts, value, quality) tuples in
  batches of the writer's size, one commit each: the floor of the stack;
- the recorder's own cost per update in the runtime thread (writer not involved).

`run()` returns Figures for bench/run.py; `python -m bench.historian_write` prints them.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path

from bench import Figure
from hmi.config import PlantConfig
from hmi.runtime.historian import Historian
from hmi.store import open_store
from hmi.store.history_writer import HistoryWriter
from hmi.tagvalue import TagValue

TAGS = 100
UPDATES_PER_TAG = 1000
BATCH = 5000
T0 = 1_700_000_000.0


def _plant() -> PlantConfig:
    return PlantConfig.model_validate(
        {
            "plant": {"name": "bench", "title": "bench"},
            "history": {"deadband": 0.0, "heartbeat_s": 0},
            "connections": [
                {"name": "plc", "driver": "opcua", "endpoint": "opc.tcp://127.0.0.1:1/x"}
            ],
            "tags": [
                {"name": f"L.T{i}", "connection": "plc", "address": f"ns=2;i={i + 1}"}
                for i in range(TAGS)
            ],
        }
    )


def _batches() -> list[list[TagValue]]:
    """One driver batch per time step: every tag changes (a busy plant)."""
    return [
        [
            TagValue(f"L.T{i}", float(step + i), source_ts=T0 + step, receive_ts=T0 + step)
            for i in range(TAGS)
        ]
        for step in range(UPDATES_PER_TAG)
    ]


class _NullSink:
    def submit(self, samples, *, timeout=None):
        pass


def _historian(path: Path, batches: list[list[TagValue]]) -> float:
    with open_store(f"sqlite:///{path}") as store:
        writer = HistoryWriter(store.engine, batch_size=BATCH)
        h = Historian(_plant(), writer, clock=lambda: T0)
        start = time.perf_counter()
        for batch in batches:
            h.on_updates(batch)
        assert writer.flush(300)
        elapsed = time.perf_counter() - start
        writer.close()
        assert writer.written == TAGS * UPDATES_PER_TAG
    return writer.written / elapsed


def _recorder_us(batches: list[list[TagValue]]) -> float:
    h = Historian(_plant(), _NullSink(), clock=lambda: T0)
    start = time.perf_counter()
    for batch in batches:
        h.on_updates(batch)
    return (time.perf_counter() - start) / (TAGS * UPDATES_PER_TAG) * 1e6


def _raw(path: Path) -> float:
    open_store(f"sqlite:///{path}").close()  # the same schema, made by the migrations
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.executemany(
        "INSERT INTO history_tags (id, name) VALUES (?, ?)",
        [(i + 1, f"L.T{i}") for i in range(TAGS)],
    )
    conn.commit()
    rows = [
        (i + 1, T0 + step, float(step + i), 0)
        for step in range(UPDATES_PER_TAG)
        for i in range(TAGS)
    ]
    sql = "INSERT INTO history_samples (tag_id, ts, value, quality) VALUES (?, ?, ?, ?)"
    try:
        start = time.perf_counter()
        for i in range(0, len(rows), BATCH):
            conn.executemany(sql, rows[i : i + BATCH])
            conn.commit()
        return len(rows) / (time.perf_counter() - start)
    finally:
        conn.close()


def run() -> list[Figure]:
    batches = _batches()
    with tempfile.TemporaryDirectory(prefix="hmi-bench-") as tmp:
        ours = _historian(Path(tmp) / "historian.db", batches)
        raw = _raw(Path(tmp) / "raw.db")
    per_update = _recorder_us(batches)
    n = TAGS * UPDATES_PER_TAG
    return [
        Figure(
            "historian_write",
            f"samples written, {n // 1000}k, recorder → writer → committed",
            "samples/s",
            ours,
            raw,
            "raw: sqlite3.executemany, same table and batches",
        ),
        Figure(
            "historian_write",
            "recorder cost per update in the runtime thread",
            "µs",
            per_update,
            note="deadband + heartbeat decision and hand-over, no I/O",
        ),
    ]


if __name__ == "__main__":
    for f in run():
        print(f"{f.name:60s} {f.ours:12,.2f} {f.unit}  (raw {f.baseline})")
