"""The recorder lease: one holder per PostgreSQL database, a bounded takeover, clear errors."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator

import psycopg
import pytest
from sqlalchemy import make_url

from hmi.store.database import create_store_engine
from hmi.store.lease import RecorderLease, application_name

RETRY_S = 0.2
WAIT_S = 20.0  # generous: two cores shared with other test runs


class Changes:
    """An `on_change` listener that a test can wait on."""

    def __init__(self) -> None:
        self.seen: list[tuple[bool, str]] = []
        self._cond = threading.Condition()

    def __call__(self, held: bool, why: str) -> None:
        with self._cond:
            self.seen.append((held, why))
            self._cond.notify_all()

    def wait_for(self, pred: Callable[[list[tuple[bool, str]]], bool]) -> None:
        with self._cond:
            assert self._cond.wait_for(lambda: pred(self.seen), WAIT_S), self.seen


@pytest.fixture
def leases(pg_url: str) -> Iterator[Callable[[str], tuple[RecorderLease, Changes]]]:
    """Make started leases of named stations on one PostgreSQL database; all closed after."""
    engine = create_store_engine(pg_url)
    made: list[RecorderLease] = []

    def make(station: str) -> tuple[RecorderLease, Changes]:
        changes = Changes()
        lease = RecorderLease(engine, station, retry_s=RETRY_S, on_change=changes)
        made.append(lease)
        lease.start()
        return lease, changes

    yield make
    for lease in made:
        lease.close()
    engine.dispose()


def test_of_two_stations_exactly_one_holds_and_the_other_knows_who(leases):
    a, a_changes = leases("line-pc-1")
    b, b_changes = leases("line-pc-2")
    assert (a.held, b.held) == (True, False)  # the first attempt runs in start()
    assert a_changes.seen == [(True, "this station holds the recorder lease")]
    assert b_changes.seen == [(False, "station line-pc-1 holds the recorder lease")]
    assert b.holder() == "line-pc-1" and a.holder() == "line-pc-1"


def test_closing_the_holder_lets_the_other_take_over_within_a_retry(leases):
    a, _ = leases("line-pc-1")
    b, b_changes = leases("line-pc-2")
    closed = time.monotonic()
    a.close()
    b_changes.wait_for(lambda seen: seen[-1][0])
    assert time.monotonic() - closed < 5 * RETRY_S + 2.0
    assert (a.held, b.held, b.holder()) == (False, True, "line-pc-2")


def _pg_conninfo(pg_url: str) -> dict:
    url = make_url(pg_url)
    return {"host": url.host, "port": url.port, "user": url.username, "dbname": url.database}


def test_a_holder_whose_session_the_server_ends_notices_and_the_other_takes_over(leases, pg_url):
    a, a_changes = leases("line-pc-1")
    b, b_changes = leases("line-pc-2")
    with psycopg.connect(**_pg_conninfo(pg_url), autocommit=True) as admin:
        ended = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
            (application_name("line-pc-1"),),
        ).fetchall()
    assert ended == [(True,)]
    a_changes.wait_for(lambda seen: not seen[-1][0])
    assert a_changes.seen[-1][1].startswith("lease lost: cannot reach the database")
    b_changes.wait_for(lambda seen: seen[-1][0])
    assert (b.held, b.holder()) == (True, "line-pc-2")
    # the old holder reconnects and waits as a standby: still exactly one recorder
    a_changes.wait_for(
        lambda seen: seen[-1] == (False, "station line-pc-2 holds the recorder lease")
    )
    assert not a.held


def test_sqlite_grants_the_lease_at_once(tmp_path):
    engine = create_store_engine(f"sqlite:///{tmp_path / 'hmi.db'}")
    changes = Changes()
    lease = RecorderLease(engine, "line-pc", on_change=changes)
    lease.start()
    try:
        assert lease.held and lease.holder() == "line-pc"
        assert changes.seen == [(True, "SQLite: one station per database file")]
    finally:
        lease.close()
        engine.dispose()


def test_a_database_that_is_down_gives_a_clear_reason_without_hanging():
    with socket.socket() as s:  # a free port: nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    engine = create_store_engine(f"postgresql+psycopg://postgres@127.0.0.1:{port}/plant")
    changes = Changes()
    lease = RecorderLease(engine, "line-pc", retry_s=RETRY_S, on_change=changes)
    began = time.monotonic()
    lease.start()
    try:
        assert time.monotonic() - began < 6.0  # the connect timeout bounds the first try
        assert not lease.held and lease.holder() is None
        ((held, why),) = changes.seen
        assert not held
        assert why.startswith("cannot reach the database:") and "refused" in why, why
    finally:
        closing = time.monotonic()
        lease.close()
        assert time.monotonic() - closing < 6.0
        engine.dispose()
