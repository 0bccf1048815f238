"""Per-minute rollups: buckets read from them equal buckets of the raw samples, whatever
the writes, purges and migrations did before. SQLite AND PostgreSQL (store_url).

Quality codes: 0 good, 1 uncertain, 2 bad, 4 disconnected.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from alembic import command
from sqlalchemy import create_engine, text

import hmi.store.history as history
from hmi.store import open_store
from hmi.store.database import alembic_config
from hmi.store.history import HistoryReader
from hmi.store.history_writer import HistoryWriter

from .test_history import _reference

T0 = 1_700_000_040.0  # on a minute boundary
DAY = 86_400.0


def _random_samples(seed: int, n: int, span: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sorted random times over [T0, T0 + span) with a 20-minute outage, non-good
    samples, and samples on and a hair below minute boundaries."""
    rng = np.random.default_rng(seed)
    ts = T0 + rng.uniform(0, span, n)
    edges = T0 + 60.0 * rng.integers(1, int(span // 60), 40)
    ts = np.concatenate([ts, edges, edges - 1e-6])
    ts = np.unique(ts[(ts < T0 + 0.3 * span) | (ts >= T0 + 0.3 * span + 1200)])
    value = rng.normal(50, 10, len(ts)).round(3)
    quality = rng.choice([0, 0, 0, 0, 0, 0, 1, 2, 4], len(ts)).astype(np.int8)
    value[quality == 4] = np.nan
    return ts, value, quality


def _as_samples(tag, ts, value, quality) -> list[tuple]:
    return [
        (tag, float(t), None if math.isnan(v) else float(v), int(q))
        for t, v, q in zip(ts, value, quality, strict=True)
    ]


def _assert_equal(got, ref) -> None:
    expected, count, last_q = ref
    for key in ("min", "max", "last"):
        np.testing.assert_array_equal(getattr(got, key), expected[key], err_msg=key)
    np.testing.assert_allclose(got.mean, expected["mean"], rtol=1e-12, equal_nan=True)
    np.testing.assert_array_equal(got.count, count)
    np.testing.assert_array_equal(got.last_quality, last_q)


def _rollup_table(url: str, tag: str = "L.A") -> dict[float, tuple]:
    with open_store(url) as store, store.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT r.minute_ts, r.first_ts, r.last_ts, r.vmin, r.vmax, r.vsum, r.n, "
                "r.last_value, r.last_quality FROM history_rollup_1m r "
                "JOIN history_tags t ON t.id = r.tag_id WHERE t.name = :tag"
            ),
            {"tag": tag},
        ).all()
    return {float(r[0]): tuple(r[1:]) for r in rows}


def _expected_rollup(ts, value, quality) -> dict[float, tuple]:
    """The rollup the samples imply, computed independently of the store's code."""
    out: dict[float, tuple] = {}
    minute = np.array([60.0 * math.floor(t / 60.0) for t in ts])
    minute[minute > ts] -= 60.0
    for m in np.unique(minute):
        sel = minute == m
        good = sel & (quality == 0) & ~np.isnan(value)
        last = np.flatnonzero(sel)[np.argmax(ts[sel])]
        v = value[good]
        out[float(m)] = (
            ts[sel].min(),
            ts[sel].max(),
            v.min() if len(v) else None,
            v.max() if len(v) else None,
            v.sum(),
            int(good.sum()),
            None if math.isnan(value[last]) else value[last],
            int(quality[last]),
        )
    return out


def _assert_rollup(url: str, ts, value, quality) -> None:
    got, want = _rollup_table(url), _expected_rollup(ts, value, quality)
    assert got.keys() == want.keys()
    for m, row in want.items():
        g = got[m]
        assert g[:4] == row[:4] and g[5:] == row[5:], (m, g, row)
        assert g[4] == pytest.approx(row[4], rel=1e-12, abs=1e-9), (m, g, row)


@pytest.fixture
def rollup_calls(monkeypatch) -> list[int]:
    """Counts the bucket queries answered from the rollups."""
    calls: list[int] = []
    real = history._rollup_buckets

    def spy(*args, **kw):
        calls.append(1)
        return real(*args, **kw)

    monkeypatch.setattr(history, "_rollup_buckets", spy)
    return calls


def test_buckets_from_rollups_equal_the_raw_reference_for_any_grid(store_url, rollup_calls):
    span = 6 * 3600.0
    ts, value, quality = _random_samples(7, 6000, span)
    samples = _as_samples("L.A", ts, value, quality)
    samples += [("L.Other", float(t), 1e6, 0) for t in ts[::5]]  # must not leak into L.A
    rng = np.random.default_rng(1)
    chunks = np.array_split(np.arange(len(samples)), 40)
    with open_store(store_url) as store, HistoryWriter(store.engine, batch_size=300) as w:
        for chunk in chunks:  # many commits, shuffled within each: out of order
            w.submit([samples[i] for i in rng.permutation(chunk)])
        assert w.flush(60)
    _assert_rollup(store_url, ts, value, quality)

    cases = [
        (T0, T0 + span, 360),  # aligned, 1-minute buckets
        (T0 + 600, T0 + 600 + 120 * 90, 90),  # aligned, 2 minutes
        (T0 - 3600, T0 + span + 3600, 32),  # aligned, 15 minutes, beyond the data
        (T0 + 123.4, T0 + 9876.5, 37),  # unaligned: every edge cuts a minute
        (T0 + 17.25, T0 + span - 3.5, 50),  # unaligned, ~7 minutes
        (T0 + 60 * 37 - 1e-6, T0 + 60 * 337 - 1e-6, 60),  # edges a hair before minutes
        (T0 + 1, T0 + span, 1),  # one bucket
    ]
    with open_store(store_url) as store:
        reader = HistoryReader(store.engine)
        plain = HistoryReader(store.engine, rollups=False)
        for t0, t1, n in cases:
            calls = len(rollup_calls)
            got = reader.buckets("L.A", t0, t1, n)
            assert len(rollup_calls) == calls + 1, (t0, t1, n)  # the rollup path answered
            _assert_equal(got, _reference(ts, value, quality, t0, t1, n))
            raw = plain.buckets("L.A", t0, t1, n)
            np.testing.assert_array_equal(got.ts, raw.ts)
            np.testing.assert_array_equal(got.count, raw.count)
        # narrow or unaligned minute-wide buckets stay on the raw path
        calls = len(rollup_calls)
        reader.buckets("L.A", T0 + 1, T0 + 3601, 60)
        reader.buckets("L.A", T0, T0 + 3600, 120)
        assert len(rollup_calls) == calls
        assert reader.buckets("No.Tag", T0, T0 + span, 10).count.sum() == 0


def test_late_out_of_order_and_redelivered_samples_keep_the_minute_exact(store_url):
    m = T0 + 600  # one minute, hit by several commits
    batches = [
        [("L.A", m + 10, 5.0, 0), ("L.A", m + 50, 7.0, 0)],
        [("L.A", m + 55, 9.0, 0), ("L.A", m + 30, 1.0, 0)],  # out of order, one late
        [("L.A", m + 10, 20.0, 0)],  # re-delivered: the former minimum is overwritten
        [("L.A", m + 59.5, None, 4), ("L.A", m + 61, 3.0, 0)],  # ends in an outage
        [("L.A", m + 20, 2.0, 1), ("L.A", m + 20, -4.0, 0)],  # twice in a batch: last wins
        [("L.A", m + 5, 8.0, 2)],  # late, not good
    ]
    final = {}
    with open_store(store_url) as store, HistoryWriter(store.engine) as writer:
        for batch in batches:
            writer.submit(batch)
            assert writer.flush(30)  # one commit each
            final.update({s[1]: s for s in batch})
    ts = np.array(sorted(final))
    value = np.array([np.nan if final[t][2] is None else final[t][2] for t in ts])
    quality = np.array([final[t][3] for t in ts], np.int8)
    _assert_rollup(store_url, ts, value, quality)
    assert _rollup_table(store_url)[m] == (m + 5, m + 59.5, -4.0, 20.0, 33.0, 5, None, 4)
    with open_store(store_url) as store:
        reader = HistoryReader(store.engine)
        for t0, t1, n in [(m - 600, m + 600, 20), (m - 590, m + 610, 4), (m, m + 120, 2)]:
            _assert_equal(
                reader.buckets("L.A", t0, t1, n), _reference(ts, value, quality, t0, t1, n)
            )


def test_retention_purge_removes_rollups_with_their_samples(store_url):
    now = T0 + 20 * DAY + 13  # the cut-off cuts a minute
    ts = now - np.arange(0, 10 * DAY, 37.0)[::-1]  # every 37 s: minutes cut by the cut-off
    value = np.sin(ts / 1000.0)
    quality = np.where(np.arange(len(ts)) % 11 == 0, 1, 0).astype(np.int8)
    write = _as_samples("L.A", ts, value, quality)
    with open_store(store_url) as store:
        with HistoryWriter(store.engine) as writer:
            writer.submit(write)
            assert writer.flush(60)
        writer = HistoryWriter(store.engine, retention_days=lambda _: 7.25, purge_chunk=500)
        try:
            deleted = writer.purge(now=now).result(timeout=60)
        finally:
            writer.close()
    keep = ts >= now - 7.25 * DAY
    assert deleted == int((~keep).sum()) and (now - 7.25 * DAY) % 60 != 0
    ts, value, quality = ts[keep], value[keep], quality[keep]
    _assert_rollup(store_url, ts, value, quality)  # no minute before, the cut one rebuilt
    with open_store(store_url) as store:
        reader = HistoryReader(store.engine)
        t0, t1 = now - 10 * DAY, now + 60
        _assert_equal(
            reader.buckets("L.A", t0, t1, 240), _reference(ts, value, quality, t0, t1, 240)
        )


def test_the_migration_backfills_the_rollups_of_an_existing_history(store_url):
    command.upgrade(alembic_config(store_url), "0002_history")  # a database from before
    ts, value, quality = _random_samples(11, 3000, 3 * 3600.0)
    engine = create_engine(store_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO history_tags (id, name) VALUES (1, 'L.A')"))
            conn.execute(
                text("INSERT INTO history_samples VALUES (1, :ts, :value, :quality)"),
                [
                    {"ts": t, "value": v, "quality": q}
                    for _, t, v, q in _as_samples("L.A", ts, value, quality)
                ],
            )
    finally:
        engine.dispose()
    open_store(store_url).close()  # upgrades: creates the rollups and backfills them
    _assert_rollup(store_url, ts, value, quality)
    with open_store(store_url) as store:
        reader = HistoryReader(store.engine)
        for t0, t1, n in [(T0, T0 + 3 * 3600, 36), (T0 + 33.3, T0 + 3 * 3600 - 7, 25)]:
            _assert_equal(
                reader.buckets("L.A", t0, t1, n), _reference(ts, value, quality, t0, t1, n)
            )
        # and the writer carries on from the backfilled rows
        with HistoryWriter(store.engine) as writer:
            writer.submit([("L.A", T0 + 3 * 3600 - 1, 1000.0, 0)])
            assert writer.flush(30)
    ts = np.r_[ts, T0 + 3 * 3600 - 1]
    value, quality = np.r_[value, 1000.0], np.r_[quality, 0].astype(np.int8)
    _assert_rollup(store_url, ts, value, quality)
