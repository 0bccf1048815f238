"""The historian's store: writer, query API, retention, on SQLite AND PostgreSQL.

Real databases throughout (fixtures in tests/store/conftest.py). Quality codes:
0 good, 1 uncertain, 2 bad, 4 disconnected.
"""

from __future__ import annotations

import math
import sqlite3
import threading
import time

import numpy as np

from hmi.config import PlantConfig
from hmi.runtime.historian import Historian
from hmi.store import open_store
from hmi.store.history import BucketSeries, HistoryReader, RawSeries
from hmi.store.history_writer import HistoryWriter
from hmi.tagvalue import Quality, TagValue

T0 = 1_700_000_000.0


def write(url: str, samples: list[tuple], **kw) -> None:
    with open_store(url) as store, HistoryWriter(store.engine, **kw) as writer:
        writer.submit(samples)
        assert writer.flush(30)


def wait_until(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def test_samples_are_read_back_by_a_new_engine_after_a_restart(store_url):
    write(
        store_url,
        [
            ("L.A", T0 + 1, 1.5, 0),
            ("L.A", T0 + 2, None, 4),  # outage
            ("L.A", T0 + 3, 2.5, 0),
            ("L.B", T0 + 1, 7.0, 0),
            ("L.A", T0 + 4, 3.5, 1),  # uncertain: a gap too
        ],
    )
    with open_store(store_url) as store:  # a new process would do exactly this
        reader = HistoryReader(store.engine)
        raw = reader.raw("L.A", T0, T0 + 10)
        assert raw.ts.tolist() == [T0 + 1, T0 + 2, T0 + 3, T0 + 4]
        np.testing.assert_array_equal(raw.value, [1.5, np.nan, 2.5, np.nan])
        assert raw.quality.dtype == np.int8 and raw.quality.tolist() == [0, 4, 0, 1]
        assert reader.tags() == ["L.A", "L.B"]
        assert reader.value_at("L.A", T0 + 3.5) == (2.5, 0)
        value, quality = reader.value_at("L.A", T0 + 2)
        assert math.isnan(value) and quality == 4
        assert reader.value_at("L.A", T0) is None and reader.value_at("No.Tag", T0) is None
        assert len(reader.raw("No.Tag", T0, T0 + 10)) == 0


def test_raw_puts_the_sample_before_t0_in_front_when_within_the_lookback(store_url):
    write(store_url, [("L.A", T0 + t, float(t), 0) for t in (0, 100, 3000, 3700, 3800, 3900)])
    with open_store(store_url) as store:
        reader = HistoryReader(store.engine, lookback_s=1000)
        assert reader.raw("L.A", T0 + 3650, T0 + 4000).ts.tolist() == [
            T0 + 3000,  # the line enters the view from the left
            T0 + 3700,
            T0 + 3800,
            T0 + 3900,
        ]
        assert reader.raw("L.A", T0 + 1500, T0 + 2000).ts.tolist() == []  # 1400 s back: too old
        limited = reader.raw("L.A", T0 + 3650, T0 + 4000, limit=2)
        assert limited.ts.tolist() == [T0 + 3000, T0 + 3700, T0 + 3800]


def _reference(ts, value, quality, t0, t1, n):
    """What buckets() must return, computed in numpy."""
    width = (t1 - t0) / n
    inside = (ts >= t0) & (ts < t1)
    ts, value, quality = ts[inside], value[inside], quality[inside]
    index = np.minimum(np.floor((ts - t0) / width).astype(np.int64), n - 1)
    out = {k: np.full(n, np.nan) for k in ("min", "max", "mean", "last")}
    count = np.zeros(n, np.int64)
    last_q = np.full(n, -1, np.int8)
    for b in range(n):
        sel = index == b
        if not sel.any():
            continue
        good = sel & (quality == 0)
        count[b] = good.sum()
        if count[b]:
            out["min"][b] = value[good].min()
            out["max"][b] = value[good].max()
            out["mean"][b] = value[good].mean()
        latest = np.flatnonzero(sel)[np.argmax(ts[sel])]
        last_q[b] = quality[latest]
        out["last"][b] = value[latest] if quality[latest] == 0 else np.nan
    return out, count, last_q


def test_bucketed_query_equals_a_numpy_reference_on_the_same_random_data(store_url):
    rng = np.random.default_rng(5)
    n_samples = 4000
    ts = T0 + np.sort(rng.choice(10**7, n_samples, replace=False)) / 1000.0  # over 10 000 s
    value = rng.normal(50, 10, n_samples)
    quality = rng.choice([0, 0, 0, 0, 0, 0, 1, 2, 4], n_samples).astype(np.int8)
    # An outage: 600 s with no samples after a disconnected one.
    hole = (ts > T0 + 4000) & (ts < T0 + 4600)
    ts, value, quality = ts[~hole], value[~hole], quality[~hole]
    quality[np.searchsorted(ts, T0 + 4000) - 1] = 4
    samples = [
        ("L.A", float(t), None if q == 4 else float(v), int(q))
        for t, v, q in zip(ts, value, quality, strict=True)
    ]
    samples += [("L.Other", float(t), 1e6, 0) for t in ts[::7]]  # must not leak into L.A
    write(store_url, samples)
    value = np.where(quality == 4, np.nan, value)
    with open_store(store_url) as store:
        reader = HistoryReader(store.engine)
        for t0, t1, n in [(T0 + 123.4, T0 + 9876.5, 37), (T0, T0 + 10_000, 500)]:
            got = reader.buckets("L.A", t0, t1, n)
            ref, count, last_q = _reference(ts, value, quality, t0, t1, n)
            assert isinstance(got, BucketSeries) and len(got) == n
            np.testing.assert_allclose(got.ts, t0 + np.arange(n) * (t1 - t0) / n)
            for key in ("min", "max", "last"):
                np.testing.assert_array_equal(getattr(got, key), ref[key], err_msg=key)
            np.testing.assert_allclose(got.mean, ref["mean"], rtol=1e-12, equal_nan=True)
            np.testing.assert_array_equal(got.count, count)
            np.testing.assert_array_equal(got.last_quality, last_q)
            assert got.count.dtype == np.int64
            # the outage shows as empty buckets
            in_hole = (got.ts >= T0 + 4000) & (got.ts + got.width <= T0 + 4600)
            assert in_hole.any() and (got.count[in_hole] == 0).all()
            assert np.isnan(got.mean[in_hole]).all()


def _plant() -> PlantConfig:
    return PlantConfig.model_validate(
        {
            "plant": {"name": "t", "title": "T"},
            "connections": [
                {"name": "plc", "driver": "opcua", "endpoint": "opc.tcp://127.0.0.1:1/x"}
            ],
            "tags": [
                {
                    "name": "L.P",
                    "connection": "plc",
                    "address": "ns=2;s=p",
                    "history": {"heartbeat_s": 0, "deadband": 0},
                }
            ],
        }
    )


def test_an_outage_recorded_live_is_a_nan_gap_in_raw_and_in_buckets(store_url):
    with open_store(store_url) as store, HistoryWriter(store.engine) as writer:
        clock = [T0]
        historian = Historian(_plant(), writer, clock=lambda: clock[0])
        for i in range(100):  # one sample a second, with an outage from 40 to 60
            t = T0 + i
            clock[0] = t
            if 40 <= i < 60:
                tv = TagValue("L.P", None, Quality.DISCONNECTED, source_ts=t, receive_ts=t)
            else:
                tv = TagValue("L.P", float(i), source_ts=t, receive_ts=t)
            historian.on_updates([tv])
        assert writer.flush(30)
        reader = HistoryReader(store.engine)
        raw = reader.raw("L.P", T0, T0 + 100)
        assert len(raw) == 81  # 40 good, ONE disconnected sample, 40 good
        assert np.isnan(raw.value[40]) and raw.quality[40] == 4 and raw.ts[40] == T0 + 40
        assert not np.isnan(raw.value[:40]).any() and not np.isnan(raw.value[41:]).any()
        b = reader.buckets("L.P", T0, T0 + 100, 10)
        assert b.count.tolist() == [10, 10, 10, 10, 0, 0, 10, 10, 10, 10]
        assert np.isnan(b.mean[4:6]).all() and b.mean[3] == 34.5 and b.mean[6] == 64.5
        assert b.last_quality.tolist() == [0, 0, 0, 0, 4, -1, 0, 0, 0, 0]
        assert np.isnan(b.last[4])  # the bucket ends inside the outage


def test_auto_returns_raw_samples_for_a_short_range_and_buckets_for_a_long_one(store_url):
    write(store_url, [("L.A", T0 + i, float(i % 17), 0) for i in range(5000)])
    with open_store(store_url) as store:
        reader = HistoryReader(store.engine)
        few = reader.auto("L.A", T0 + 100, T0 + 200, width_px=800)
        assert isinstance(few, RawSeries) and len(few) == 101  # + the sample before t0
        many = reader.auto("L.A", T0, T0 + 5000, width_px=800)
        assert isinstance(many, BucketSeries) and len(many) == 800
        assert many.count.sum() == 5000 and np.nanmax(many.max) == 16


def test_retention_purge_deletes_exactly_the_samples_older_than_each_tags_retention(store_url):
    day = 86_400.0
    now = T0 + 100 * day
    samples = [("Keep.Week", now - i * 3600.0, float(i), 0) for i in range(24 * 10)]
    samples += [("Keep.Ever", now - i * day, float(i), 0) for i in range(50)]
    samples += [("Gone.Tag", now - i * day, float(i), 0) for i in range(50)]  # not in config
    write(store_url, samples)
    retention = {"Keep.Week": 7.0, "Keep.Ever": 0.0}.get
    with open_store(store_url) as store:
        writer = HistoryWriter(
            store.engine, retention_days=lambda n: retention(n, 30.0), purge_chunk=7
        )
        try:
            deleted = writer.purge(now=now).result(timeout=30)
        finally:
            writer.close()
        reader = HistoryReader(store.engine)
        week = reader.raw("Keep.Week", 0, now + 1)
        assert week.ts.min() == now - 7 * day and len(week) == 24 * 7 + 1  # the boundary stays
        assert len(reader.raw("Keep.Ever", 0, now + 1)) == 50
        gone = reader.raw("Gone.Tag", 0, now + 1)
        assert gone.ts.min() == now - 30 * day and len(gone) == 31
        assert deleted == (24 * 10 - 169) + (50 - 31)


def test_the_writer_commits_by_its_deadline_without_being_asked(store_url):
    # No flush(), no close(): only the writer's own deadline can commit the sample. The
    # wait is an upper bound for a loaded CI machine, not the promise (docs/history.md).
    with (
        open_store(store_url) as store,
        HistoryWriter(store.engine, flush_interval=0.2) as writer,
    ):
        writer.submit([("L.A", T0, 1.0, 0)])
        reader = HistoryReader(store.engine)
        wait_until(lambda: len(reader.raw("L.A", T0, T0 + 1)) == 1, timeout=20)


def test_a_locked_database_applies_back_pressure_then_everything_is_written(tmp_path):
    """The writer's queue fills while another process holds the write lock: the recorder
    keeps going (holds samples, reports health), and after the lock is released every
    sample is stored, in order."""
    url = f"sqlite:///{tmp_path / 'hmi.db'}"
    open_store(url).close()
    blocker = sqlite3.connect(tmp_path / "hmi.db", isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    writer_down = threading.Event()
    writer_health: list[bool] = []
    historian_health: list[bool] = []

    def on_writer(ok: bool, _detail: str) -> None:
        writer_health.append(ok)
        if not ok:
            writer_down.set()

    with open_store(url, sqlite_busy_timeout=0.05) as store:
        writer = HistoryWriter(
            store.engine, batch_size=50, max_queue=200, on_health=on_writer, retry_cap=0.2
        )
        clock = [T0]
        h = Historian(
            _plant(),
            writer,
            clock=lambda: clock[0],
            on_health=lambda ok, _: historian_health.append(ok),
        )
        start = time.perf_counter()
        for i in range(1000):
            clock[0] = T0 + i
            h.on_updates([TagValue("L.P", float(i), source_ts=T0 + i, receive_ts=T0 + i)])
        assert time.perf_counter() - start < 2.0  # never waited for the database
        assert writer_down.wait(10)
        assert h.held >= 800 and historian_health == [False]
        blocker.rollback()
        blocker.close()
        deadline = time.monotonic() + 30
        while h.held:
            assert time.monotonic() < deadline
            h.tick()  # what Historian.run does every second
            writer.flush(5)  # the hand-over made progress: wait for room, then hand over more
        assert writer.flush(30)
        writer.close()
        assert historian_health == [False, True] and writer_health[-1] is True
        raw = HistoryReader(store.engine).raw("L.P", T0, T0 + 1000)
        assert raw.value.tolist() == [float(i) for i in range(1000)]
