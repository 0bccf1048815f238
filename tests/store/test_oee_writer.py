"""The OEE writer's guarantees: in order, never waits, nothing lost, bad rows isolated."""

from __future__ import annotations

import logging
import time

import pytest
from sqlalchemy.exc import OperationalError

from hmi.store import open_store
from hmi.store.oee_store import CountRow, IntervalRow, OeeStore
from hmi.store.oee_writer import (
    OeeWriter,
    OeeWriterClosedError,
    OeeWriterError,
    OeeWriterFullError,
)
from tests.fakes import HealthLog

RETRY = {"retry_first": 0.05, "retry_cap": 0.2}
FAST = {"flush_interval": 0.05, **RETRY}
T0 = 1_740_960_000.0  # 2025-03-03 08:00 +08:00


def _count(i: int, line: str = "L") -> CountRow:
    return CountRow(line, T0 + i, "good", i + 1, "CITY")


def _counts(oee: OeeStore, line: str = "L") -> list[CountRow]:
    return oee.count_rows(line, T0 - 1, T0 + 86_400)


def test_submitted_rows_are_in_the_store_after_flush(store):
    oee = OeeStore(store.engine)
    with OeeWriter(oee, flush_interval=60.0) as writer:  # only flush() can write them
        writer.submit([IntervalRow("L", T0, T0, "running", None, "CITY", True), _count(1)])
        writer.submit([_count(2), IntervalRow("L", T0, T0 + 30, "running", None, "CITY", False)])
        assert writer.flush(timeout=30)
        assert writer.pending == 0
        assert oee.intervals("L", T0 - 1, T0 + 60) == [
            IntervalRow("L", T0, T0 + 30, "running", None, "CITY", False)
        ]
        assert _counts(oee) == [_count(1), _count(2)]
        assert (writer.written, writer.rejected) == (4, 0)


def test_a_later_version_of_an_interval_wins_across_batches(store):
    oee = OeeStore(store.engine)
    ends = [5, 9, 2, 7, 3, 8, 1, 6]  # only applying them in order leaves the last one
    with OeeWriter(oee, batch_size=3, **FAST) as writer:
        for k, end in enumerate(ends):
            writer.submit([
                IntervalRow("L", T0, T0 + end, "down", 100 + k, None, True),
                _count(k),
            ])  # fmt: skip
        assert writer.flush(timeout=30)
    assert oee.intervals("L", T0 - 1, T0 + 60) == [
        IntervalRow("L", T0, T0 + 6, "down", 107, None, True)
    ]
    assert _counts(oee) == [_count(k) for k in range(len(ends))]  # each written once


def test_a_bad_row_is_skipped_and_counted_and_the_rest_of_its_batch_is_written(store, caplog):
    oee = OeeStore(store.engine)
    health = HealthLog()
    bad = CountRow("L", T0 + 2, None, 5)  # type: ignore[arg-type]  # kind is NOT NULL
    with OeeWriter(oee, on_health=health, flush_interval=60.0) as writer:
        with caplog.at_level(logging.ERROR, logger="hmi.store.oee_writer"):
            writer.submit([
                IntervalRow("L", T0, T0, "running", None, None, True),
                _count(1),
                bad,
                _count(3),
                IntervalRow("L", T0, T0 + 10, "running", None, None, False),
            ])  # fmt: skip
            assert writer.flush(timeout=30)
        assert (writer.written, writer.rejected) == (4, 1)
        writer.submit([_count(4)])  # the writer carries on
        assert writer.flush(timeout=30)
    assert oee.intervals("L", T0 - 1, T0 + 60) == [
        IntervalRow("L", T0, T0 + 10, "running", None, None, False)
    ]
    assert _counts(oee) == [_count(1), _count(3), _count(4)]
    assert any("OEE writer rejected" in r.getMessage() for r in caplog.records)
    assert health.changes == []  # a bad row is not a database outage


class _DropsOnce(OeeStore):
    """The real store, except the database goes away once while one given row is written
    on its own (during the row-by-row pass)."""

    def __init__(self, engine, victim: CountRow):
        super().__init__(engine)
        self._victim: CountRow | None = victim

    def apply(self, rows):
        rows = list(rows)
        if rows == [self._victim]:
            self._victim = None
            raise OperationalError("INSERT", {}, Exception("server closed the connection"))
        super().apply(rows)


def test_an_outage_during_the_row_by_row_pass_writes_no_count_twice(store):
    health = HealthLog()
    bad = CountRow("L", T0 + 2, None, 5)  # type: ignore[arg-type]
    oee = _DropsOnce(store.engine, victim=_count(3))
    with OeeWriter(oee, on_health=health, flush_interval=60.0, **RETRY) as writer:
        writer.submit([_count(1), bad, _count(3), _count(4)])
        assert writer.flush(timeout=30)
        assert (writer.written, writer.rejected) == (3, 1)
    assert [ok for ok, _ in health.changes] == [False, True]
    assert _counts(oee) == [_count(1), _count(3), _count(4)]


def test_a_locked_database_reports_health_keeps_the_rows_and_drains_in_order(locked_sqlite):
    store, lock = locked_sqlite
    oee = OeeStore(store.engine)
    health = HealthLog()
    writer = OeeWriter(oee, on_health=health, **FAST)
    writer.submit([IntervalRow("L", T0, T0, "running", None, None, True)])
    writer.submit([_count(i) for i in range(20)])

    assert health.wait_until(ok=False), "the writer did not report the outage"
    assert "locked" in health.changes[-1][1]
    assert not writer.healthy
    assert writer.pending == 21
    writer.submit([_count(i) for i in range(20, 30)])  # still accepted, queued
    writer.submit([IntervalRow("L", T0, T0 + 40, "down", 7, None, False)])

    lock.release()
    assert health.wait_until(ok=True)
    assert writer.flush(timeout=20)
    writer.close()
    assert [ok for ok, _ in health.changes] == [False, True]
    assert _counts(oee) == [_count(i) for i in range(30)]  # none lost, none twice
    assert oee.intervals("L", T0 - 1, T0 + 60) == [
        IntervalRow("L", T0, T0 + 40, "down", 7, None, False)
    ]


def test_submit_never_waits_when_the_queue_is_full(locked_sqlite):
    store, lock = locked_sqlite
    oee = OeeStore(store.engine)
    health = HealthLog()
    writer = OeeWriter(oee, max_queue=5, on_health=health, **FAST)
    writer.submit([_count(i) for i in range(5)])
    assert health.wait_until(ok=False)

    started = time.monotonic()
    with pytest.raises(OeeWriterFullError, match=r"5 rows waiting .*locked.*; 1 not accepted"):
        writer.submit([_count(99)])
    assert time.monotonic() - started < 1.0  # refused at once: the runtime loop never waits
    assert writer.pending == 5

    lock.release()
    assert writer.flush(timeout=20)
    writer.submit([_count(5)])  # room again: the caller hands over what it still holds
    writer.close()
    assert _counts(oee) == [_count(i) for i in range(6)]


def test_closing_while_the_database_stays_down_raises_saying_how_many_rows(locked_sqlite):
    store, _lock = locked_sqlite
    writer = OeeWriter(OeeStore(store.engine), **FAST)
    writer.submit([_count(i) for i in range(3)])
    with pytest.raises(OeeWriterError, match=r"3 row\(s\) not written to sqlite.*locked"):
        writer.close(timeout=0.5)
    assert writer.pending == 0
    with pytest.raises(OeeWriterClosedError):
        writer.submit([_count(4)])


def test_submit_refuses_what_is_not_an_oee_record(tmp_path):
    with (
        open_store(f"sqlite:///{tmp_path / 'hmi.db'}") as store,
        OeeWriter(OeeStore(store.engine)) as writer,
    ):
        with pytest.raises(TypeError, match="IntervalRow/CountRow, not tuple"):
            writer.submit([("L", T0, "good", 1)])  # type: ignore[list-item]
        assert writer.pending == 0
