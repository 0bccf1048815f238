"""History queries out of 10 million stored samples, next to the same SQL run bare.

The table: 10 tags × 1,000,000 samples over 30 days (one every ~2.6 s per tag) in
the store's own `history_samples` (schema made by the migrations), written with raw
`sqlite3.executemany` for speed and cached under /tmp, keyed by the schema
revision, so only the first run pays the ~1-2 minute build.

Figures (median of several random windows of one tag):
- a 1-hour raw query: `HistoryReader.raw` vs bare sqlite3 running the same SELECT
  and building the same numpy arrays with np.fromiter;
- a 30-day bucketed query, 2000 buckets (min/max/mean/last/count) aggregating the
  raw samples (`HistoryReader(rollups=False).buckets`) vs the same SQL bare;
- the same query answered from the per-minute rollups (the default `buckets`: its
  2000 edges cut minutes, which are read raw), and a 30-day view of 20-minute buckets
  on the minute grid (rollups only), each vs the bare raw-sample SQL.

The rollups are built the way an upgraded station builds them: the samples go into a
database at the history revision before rollups (0002), and opening the store runs
the rollup migration, whose backfill fills them.
"""

from __future__ import annotations

import hashlib
import itertools
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from alembic import command

from bench import Figure
from hmi.store import open_store
from hmi.store.database import alembic_config, head_revision
from hmi.store.history import HistoryReader, bucket_sql

TAGS = 10
PER_TAG = 1_000_000
DAYS = 30
T0 = 1_700_000_000.0
SPAN = DAYS * 86_400.0
BUCKETS = 2000
GRID_BUCKETS = DAYS * 72  # 20-minute buckets
REPEAT = 7


def _db_path() -> Path:
    key = hashlib.sha1(f"{head_revision()}|{TAGS}|{PER_TAG}|{DAYS}".encode()).hexdigest()[:10]
    return Path(tempfile.gettempdir()) / f"hmi-bench-history-{key}.db"


def _build(path: Path) -> None:
    done = path.with_suffix(".ok")
    if path.exists() and done.exists():
        return
    for p in (path, done, Path(f"{path}-wal"), Path(f"{path}-shm")):
        p.unlink(missing_ok=True)
    command.upgrade(alembic_config(f"sqlite:///{path}"), "0002_history")  # before rollups
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    conn.executemany(
        "INSERT INTO history_tags (id, name) VALUES (?, ?)",
        [(i + 1, f"Bench.Tag{i}") for i in range(TAGS)],
    )
    rng = np.random.default_rng(1)
    step = SPAN / PER_TAG
    sql = "INSERT INTO history_samples (tag_id, ts, value, quality) VALUES (?, ?, ?, ?)"
    for tag in range(1, TAGS + 1):
        ts = T0 + np.arange(PER_TAG) * step + rng.uniform(0, step / 2, PER_TAG)
        value = np.cumsum(rng.normal(0, 1, PER_TAG))
        quality = (rng.random(PER_TAG) < 0.001).astype(np.int64) * 4
        rows = zip(itertools.repeat(tag), ts.tolist(), value.tolist(), quality.tolist())
        conn.executemany(sql, rows)
        conn.commit()
    conn.close()
    open_store(f"sqlite:///{path}").close()  # the other migrations, and the rollup backfill
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    done.touch()


def _bare_raw(conn: sqlite3.Connection, tag_id: int, t0: float, t1: float) -> int:
    rows = conn.execute(
        "SELECT ts, value, quality FROM history_samples "
        "WHERE tag_id = ? AND ts >= ? AND ts < ? ORDER BY ts",
        (tag_id, t0, t1),
    ).fetchall()
    n = len(rows)
    np.fromiter((r[0] for r in rows), np.float64, n)
    np.fromiter((r[1] for r in rows), np.float64, n)
    np.fromiter((r[2] for r in rows), np.int8, n)
    return n


def _bare_buckets(conn: sqlite3.Connection, tag_id: int, t0: float, t1: float) -> int:
    width = (t1 - t0) / BUCKETS
    rows = conn.execute(bucket_sql("sqlite"), (t0, width, tag_id, t0, t1, tag_id)).fetchall()
    k = len(rows)
    np.fromiter(itertools.chain.from_iterable(rows), np.float64, 7 * k)
    return k


def _median_ms(fn, windows) -> float:
    times = []
    for args in windows:
        start = time.perf_counter()
        fn(*args)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run() -> list[Figure]:
    path = _db_path()
    start = time.perf_counter()
    _build(path)
    built = time.perf_counter() - start
    rnd = random.Random(3)
    hours = [
        (f"Bench.Tag{rnd.randrange(TAGS)}", T0 + rnd.uniform(0, SPAN - 3600)) for _ in range(REPEAT)
    ]
    months = [(f"Bench.Tag{rnd.randrange(TAGS)}", T0) for _ in range(3)]
    ids = {f"Bench.Tag{i}": i + 1 for i in range(TAGS)}
    with open_store(f"sqlite:///{path}") as store:
        reader = HistoryReader(store.engine, lookback_s=0)
        reader.raw("Bench.Tag0", T0, T0 + 1)  # warm the connection pool and the id cache
        ours_raw = _median_ms(lambda tag, t: reader.raw(tag, t, t + 3600), hours)
        n_hour = len(reader.raw(*hours[0][:1], hours[0][1], hours[0][1] + 3600))
        plain = HistoryReader(store.engine, lookback_s=0, rollups=False)
        ours_buckets = _median_ms(lambda tag, t: plain.buckets(tag, t, t + SPAN, BUCKETS), months)
        rolled = _median_ms(lambda tag, t: reader.buckets(tag, t, t + SPAN, BUCKETS), months)
        aligned = T0 - T0 % 60 + 60
        grid = _median_ms(
            lambda tag, _t: reader.buckets(tag, aligned, aligned + SPAN, GRID_BUCKETS), months
        )
    conn = sqlite3.connect(path)
    try:
        bare_raw = _median_ms(lambda tag, t: _bare_raw(conn, ids[tag], t, t + 3600), hours)
        bare_buckets = _median_ms(lambda tag, t: _bare_buckets(conn, ids[tag], t, t + SPAN), months)
    finally:
        conn.close()
    note = f"{TAGS * PER_TAG / 1e6:.0f} M samples" + (
        f", built in {built:.0f} s" if built > 5 else ""
    )
    return [
        Figure(
            "history_query",
            f"1-hour raw query of one tag (~{n_hour} samples) → numpy",
            "ms",
            ours_raw,
            bare_raw,
            note,
        ),
        Figure(
            "history_query",
            f"30-day bucketed query of one tag ({PER_TAG // 1000}k samples → {BUCKETS} buckets)",
            "ms",
            ours_buckets,
            bare_buckets,
            "raw samples: min/max/mean/last/count in SQL",
        ),
        Figure(
            "history_query",
            f"30-day bucketed query, {BUCKETS} buckets, from per-minute rollups",
            "ms",
            rolled,
            bare_buckets,
            "bare: raw-sample SQL; the minutes cut by bucket edges are read raw",
        ),
        Figure(
            "history_query",
            f"30-day bucketed query, {GRID_BUCKETS} 20-min buckets on the minute grid, rollups",
            "ms",
            grid,
            bare_buckets,
            "bare: raw-sample SQL, 2000 buckets",
        ),
    ]


if __name__ == "__main__":
    for f in run():
        print(f"{f.name:70s} ours {f.ours:10,.2f} {f.unit}  bare {f.baseline:10,.2f}  {f.note}")
