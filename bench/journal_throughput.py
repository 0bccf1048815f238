"""Events per second through the Journal into SQLite, next to the raw ceilings.

Same machine, same run, same schema (a store opened by `open_store`, WAL,
synchronous=NORMAL), batches of 1000 rows, one commit per batch:
- journal: `Journal.record` × N from the caller, until every ticket completed;
- SQLAlchemy Core executemany of the same dicts (what the journal sits on);
- raw `sqlite3.executemany` of prepared tuples (the floor of the stack).

`run()` returns rows (name, value, unit) for bench/run.py; `python -m bench.journal_throughput`
prints them.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path

from hmi.store import Event, Journal, open_store
from hmi.store.models import events

N = 10_000
BATCH = 1000


def _events(n: int) -> list[Event]:
    t0 = time.time()
    return [
        Event(
            kind="alarm",
            type="raised",
            ts=t0 + i * 0.001,
            source=f"Line{i % 3}.Motor{i % 50}.Current",
            area=f"Line{i % 3}",
            priority=1 + i % 4,
            state="UNACK_ACTIVE",
            value=12.5 + i % 7,
            limit=12.0,
            message=f"Motor current high #{i}",
        )
        for i in range(n)
    ]


def _journal(path: Path, evs: list[Event]) -> float:
    with open_store(f"sqlite:///{path}") as store:
        journal = Journal(store.engine, batch_size=BATCH, max_queue=2 * len(evs))
        start = time.perf_counter()
        tickets = [journal.record(e) for e in evs]
        assert journal.flush(120)
        elapsed = time.perf_counter() - start
        journal.close()
        assert all(t.result(0) for t in tickets)
    return len(evs) / elapsed


def _core(path: Path, evs: list[Event]) -> float:
    rows = [e.to_row(time.time()) for e in evs]
    with open_store(f"sqlite:///{path}") as store:
        start = time.perf_counter()
        for i in range(0, len(rows), BATCH):
            with store.engine.begin() as conn:
                conn.execute(events.insert(), rows[i : i + BATCH])
        return len(rows) / (time.perf_counter() - start)


def _raw(path: Path, evs: list[Event]) -> float:
    open_store(f"sqlite:///{path}").close()  # the same schema, made by the migrations
    cols = list(evs[0].to_row(0.0))
    rows = [tuple(e.to_row(time.time()).values()) for e in evs]
    sql = f"INSERT INTO events ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    try:
        start = time.perf_counter()
        for i in range(0, len(rows), BATCH):
            conn.executemany(sql, rows[i : i + BATCH])
            conn.commit()
        return len(rows) / (time.perf_counter() - start)
    finally:
        conn.close()


def run() -> list[tuple[str, float, str]]:
    evs = _events(N)
    with tempfile.TemporaryDirectory(prefix="hmi-bench-") as tmp:
        d = Path(tmp)
        journal = _journal(d / "journal.db", evs)
        core = _core(d / "core.db", evs)
        raw = _raw(d / "raw.db", evs)
    return [
        ("journal: Journal.record → committed, SQLite, 10k events", journal, "events/s"),
        ("journal: SQLAlchemy Core executemany, same rows", core, "rows/s"),
        ("journal: raw sqlite3.executemany, same rows", raw, "rows/s"),
        ("journal: Journal / raw sqlite3", journal / raw, "ratio"),
    ]


if __name__ == "__main__":
    for name, value, unit in run():
        print(f"{name:60s} {value:12,.2f} {unit}")
