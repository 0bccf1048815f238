"""The journal's guarantees: a completed ticket means committed, nothing is ever dropped."""

from __future__ import annotations

import asyncio
import select
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from concurrent.futures import wait

import pytest

from hmi.store import (
    Event,
    EventFilter,
    EventKind,
    Journal,
    JournalClosedError,
    JournalError,
    JournalFullError,
    SystemEvent,
    count_events,
    fetch_events,
    open_store,
)
from tests.fakes import HealthLog

from .pgserver import PgServer

FAST = {"flush_interval": 0.05, "retry_first": 0.05, "retry_cap": 0.2}


def _alarm(i: int, source: str = "Paint.Oven.Temp") -> Event:
    return Event(kind=EventKind.ALARM, type="raised", source=source, value=i, message=f"#{i}")


# ------------------------------------------------------------------------- durability


def test_a_completed_ticket_means_the_row_is_readable_from_a_new_engine(store, store_url):
    event = Event(
        kind=EventKind.ALARM, type="acknowledged", ts=1_700_000_000.125, source="Weld.Robot1.Temp",
        area="Welding", priority=1, state="ACKED_ACTIVE", value=81.5, limit=80.0,
        user="alice", station="ST-01", message="Robot 1 temperature high", comment="checking",
        details={"deadband": 0.5, "zh_TW": "焊接機器人溫度高"},
    )  # fmt: skip
    with Journal(store.engine, station="ignored-when-set") as journal:
        row_id = journal.record(event, urgent=True).result(timeout=10)

    with open_store(store_url) as fresh:
        (got,) = fetch_events(fresh.engine)
    assert got.id == row_id
    assert (got.ts, got.kind, got.type, got.source, got.area, got.priority, got.state) == (
        1_700_000_000.125, "alarm", "acknowledged", "Weld.Robot1.Temp", "Welding", 1,
        "ACKED_ACTIVE",
    )  # fmt: skip
    assert (got.value, got.limit, got.user, got.station) == ("81.5", "80.0", "alice", "ST-01")
    assert (got.message, got.comment) == ("Robot 1 temperature high", "checking")
    assert got.details == {"deadband": 0.5, "zh_TW": "焊接機器人溫度高"}
    assert got.recorded_ts >= got.ts


def test_an_event_without_details_stores_sql_null(store):
    with Journal(store.engine) as journal:
        journal.record(Event(kind="system", type=SystemEvent.START))
    with store.engine.connect() as conn:
        nulls = conn.exec_driver_sql("SELECT count(*) FROM events WHERE details IS NULL")
        assert nulls.scalar_one() == 1
    assert fetch_events(store.engine)[0].details is None


def test_close_writes_everything_without_an_explicit_flush(store, store_url):
    journal = Journal(store.engine, flush_interval=60, station="ST-02")  # only close() flushes
    tickets = [journal.record(_alarm(i)) for i in range(300)]
    journal.close()
    assert all(t.done() and t.exception() is None for t in tickets)
    with open_store(store_url) as fresh:
        rows = fetch_events(fresh.engine, limit=1000)
    assert [r.message for r in rows] == [f"#{i}" for i in range(300)]
    assert {r.station for r in rows} == {"ST-02"}


CHILD = textwrap.dedent(
    """
    import sys, time
    from hmi.store import Event, Journal, open_store
    journal = Journal(open_store(sys.argv[1]).engine, flush_interval=60)
    tickets = [journal.record(Event(kind="system", type="start", message=str(i)))
               for i in range(200)]
    assert journal.flush(60)
    print(sum(1 for t in tickets if t.result(0)), flush=True)
    time.sleep(120)  # the test kills this process here, without close()
    """
)


def test_events_whose_tickets_completed_survive_a_killed_process(store_url):
    open_store(store_url).close()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, store_url], stdout=subprocess.PIPE, text=True
    )
    try:
        ready, _, _ = select.select([child.stdout], [], [], 60)
        assert ready, "the child did not report its events as recorded within 60 s"
        assert child.stdout.readline().strip() == "200"
    finally:
        child.kill()
        child.wait(10)
    with open_store(store_url) as fresh:
        assert count_events(fresh.engine) == 200


def test_an_event_is_committed_by_the_flush_deadline_without_close_or_flush(tmp_path):
    # No flush(), no close(): only the writer's own deadline can resolve the ticket.
    # The generous wait is an upper bound for a loaded CI machine, not the promise.
    url = f"sqlite:///{tmp_path / 'hmi.db'}"
    with open_store(url) as store, Journal(store.engine, flush_interval=0.2) as journal:
        ticket = journal.record(Event(kind="system", type=SystemEvent.CONFIG_LOADED))
        row_id = ticket.result(timeout=20)
        with open_store(url) as other:
            assert [e.id for e in fetch_events(other.engine)] == [row_id]


def test_asyncio_callers_await_the_commit(store):
    async def main() -> int:
        with Journal(store.engine) as journal:
            return await asyncio.wait_for(
                journal.arecord(Event(kind="operator", type="write", user="bob"), urgent=True), 10
            )

    row_id = asyncio.run(main())
    assert [e.user for e in fetch_events(store.engine, EventFilter(kinds=["operator"]))] == ["bob"]
    assert row_id == fetch_events(store.engine)[0].id


def test_events_from_many_threads_arrive_exactly_once_in_order_per_thread(store):
    threads, per_thread = 4, 2000
    journal = Journal(store.engine, batch_size=500, flush_interval=0.2)
    tickets: dict[int, list] = {}

    def producer(t: int) -> None:
        tickets[t] = [journal.record(_alarm(n, source=f"thread{t}")) for n in range(per_thread)]

    workers = [threading.Thread(target=producer, args=(t,)) for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert journal.flush(60)
    journal.close()

    rows = fetch_events(store.engine, limit=threads * per_thread + 1)
    assert len(rows) == threads * per_thread
    by_id = sorted(rows, key=lambda r: r.id)
    for t in range(threads):
        assert [r.value for r in by_id if r.source == f"thread{t}"] == [
            str(n) for n in range(per_thread)
        ]
    ticket_ids = sorted(f.result(0) for ts in tickets.values() for f in ts)
    assert ticket_ids == [r.id for r in by_id]


def test_record_after_close_is_refused(store):
    journal = Journal(store.engine)
    journal.close()
    journal.close()  # idempotent
    with pytest.raises(JournalClosedError):
        journal.record(_alarm(1))


def test_a_bad_event_is_refused_where_it_is_made():
    with pytest.raises(ValueError, match="JSON"):
        Event(kind="system", type="start", details={"socket": object()})
    with pytest.raises(ValueError, match="finite"):
        Event(kind="system", type="start", ts=float("nan"))


def test_an_event_the_database_rejects_fails_its_own_ticket_and_the_rest_are_written(pg_url):
    with open_store(pg_url) as store:
        journal = Journal(store.engine, flush_interval=30)
        good1 = journal.record(_alarm(1))
        bad = journal.record(Event(kind="alarm", type="x" * 200))  # longer than VARCHAR(64)
        good2 = journal.record(_alarm(2))
        journal.close()
        assert good1.result(0) < good2.result(0)
        assert "too long" in str(bad.exception(0))
        assert [e.message for e in fetch_events(store.engine)] == ["#1", "#2"]
        assert journal.healthy


# ------------------------------------------------------------------------- outages


def test_a_locked_sqlite_database_queues_events_reports_health_and_drains(locked_sqlite):
    store, lock = locked_sqlite
    health = HealthLog()
    journal = Journal(store.engine, on_health=health, **FAST)
    tickets = [journal.record(_alarm(i)) for i in range(50)]

    assert health.wait_until(ok=False), "the journal did not report the outage"
    assert "locked" in health.changes[-1][1]
    assert not journal.healthy
    assert journal.pending == 50
    assert not any(t.done() for t in tickets)
    tickets += [journal.record(_alarm(i)) for i in range(50, 60)]  # still accepted, queued

    lock.release()
    assert health.wait_until(ok=True)
    _done, not_done = wait(tickets, timeout=20)
    assert not not_done
    journal.close()
    assert [e.message for e in fetch_events(store.engine)] == [f"#{i}" for i in range(60)]
    assert [ok for ok, _ in health.changes] == [False, True]


@pytest.fixture
def own_pg() -> Iterator[PgServer]:
    """A PostgreSQL server of this test's own, since the test stops it."""
    server = PgServer().start()
    yield server
    server.stop()


def test_a_postgresql_outage_queues_events_reports_health_and_drains(own_pg):
    health = HealthLog()
    with open_store(own_pg.url()) as store:
        journal = Journal(store.engine, on_health=health, **FAST)
        journal.record(_alarm(0)).result(timeout=10)

        own_pg.halt("fast")
        during = [journal.record(_alarm(i)) for i in range(1, 21)]
        assert health.wait_until(ok=False), "the journal did not report the outage"
        assert not any(t.done() for t in during)

        own_pg.resume()
        assert health.wait_until(ok=True)
        done, not_done = wait(during, timeout=20)
        assert not not_done and all(t.exception() is None for t in done)
        journal.close()
        assert [e.message for e in fetch_events(store.engine)] == [f"#{i}" for i in range(21)]


def test_a_full_queue_pushes_back_with_journal_full_error_and_drops_nothing(locked_sqlite):
    store, lock = locked_sqlite
    journal = Journal(store.engine, max_queue=5, **FAST)
    tickets = [journal.record(_alarm(i)) for i in range(5)]

    started = time.monotonic()
    with pytest.raises(JournalFullError, match="not recorded"):
        journal.record(_alarm(99), timeout=0.3)
    assert time.monotonic() - started >= 0.3
    with pytest.raises(JournalFullError):
        asyncio.run(journal.arecord(_alarm(99)))  # the asyncio path never blocks the loop
    assert journal.pending == 5

    blocked: list = []
    waiter = threading.Thread(target=lambda: blocked.append(journal.record(_alarm(5), timeout=30)))
    waiter.start()
    lock.release()  # the database is back: room frees up, the blocked record() goes through
    waiter.join(30)
    tickets += blocked
    _done, not_done = wait(tickets, timeout=20)
    assert not not_done
    journal.close()
    assert [e.message for e in fetch_events(store.engine)] == [f"#{i}" for i in range(6)]


def test_closing_while_the_database_stays_down_fails_loudly(locked_sqlite):
    store, _lock = locked_sqlite
    journal = Journal(store.engine, **FAST)
    tickets = [journal.record(_alarm(i)) for i in range(3)]
    with pytest.raises(JournalError, match=r"3 event\(s\) not written.*locked"):
        journal.close(timeout=0.5)
    for ticket in tickets:
        assert isinstance(ticket.exception(timeout=10), JournalError)
