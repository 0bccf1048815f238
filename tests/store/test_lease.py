"""The recorder lease: one holder per PostgreSQL database, a bounded takeover, clear errors."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator

import psycopg
import pytest
from sqlalchemy import make_url, text
from sqlalchemy.exc import OperationalError

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


def _terminate(pg_url: str, station: str) -> None:
    """End the station's lease session on the server, as an administrator (or a blip) would."""
    url = make_url(pg_url)
    with psycopg.connect(
        host=url.host, port=url.port, user=url.username, dbname=url.database, autocommit=True
    ) as admin:
        ended = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
            (application_name(station),),
        ).fetchall()
    assert ended == [(True,)]


def _die(lease: RecorderLease) -> None:
    """The station dies: its lease thread stops without releasing anything."""
    lease._stop.set()
    assert lease._thread is not None
    lease._thread.join(WAIT_S)
    assert not lease._thread.is_alive()


def test_a_holder_whose_session_blips_holds_again_and_the_standby_never_takes_it(leases, pg_url):
    a, a_changes = leases("line-pc-1")
    b, b_changes = leases("line-pc-2")
    _terminate(pg_url, "line-pc-1")
    # a notices, stays the recorder, reconnects and takes the lock back in that attempt
    a_changes.wait_for(
        lambda seen: seen[-1] == (True, "this station holds the recorder lease again")
    )
    assert all(held for held, _ in a_changes.seen)  # never a standby
    assert a.held and a.trouble is None
    # once a holds the lock again b cannot take it: had b ever held, on_change would say so
    b_changes.wait_for(
        lambda seen: seen[-1] == (False, "station line-pc-1 holds the recorder lease")
    )
    assert not any(held for held, _ in b_changes.seen), b_changes.seen
    assert not b.held and b.holder() == "line-pc-1"


class _SeveredClient:
    """The lease connection as its client sees it when only the client noticed a failure:
    every statement fails, and closing it reaches nobody. The server keeps the session,
    and with it the lock."""

    def execute(self, *_args, **_kwargs):
        raise OperationalError("SELECT 1", None, Exception("server closed the connection"))

    def close(self) -> None:
        pass


def test_a_holder_whose_old_session_lingers_on_the_server_ends_it_and_holds_again(leases):
    a, a_changes = leases("line-pc-1")
    b, b_changes = leases("line-pc-2")
    lingering = a._conn
    assert lingering is not None
    a._conn = _SeveredClient()  # the lease thread's next check fails; the session stays
    a_changes.wait_for(
        lambda seen: seen[-1] == (True, "this station holds the recorder lease again")
    )
    with pytest.raises(OperationalError):  # a ended its own lingering session
        lingering.execute(text("SELECT 1"))
    lingering.close()
    assert all(held for held, _ in a_changes.seen) and a.trouble is None
    b_changes.wait_for(
        lambda seen: seen[-1] == (False, "station line-pc-1 holds the recorder lease")
    )
    assert not any(held for held, _ in b_changes.seen), b_changes.seen
    assert not b.held


def test_a_dead_holders_lock_is_taken_by_the_standby_after_two_vacant_looks(leases, pg_url):
    a, _ = leases("line-pc-1")
    b, b_changes = leases("line-pc-2")
    _die(a)
    _terminate(pg_url, "line-pc-1")  # the server frees the lock of the dead session
    freed = time.monotonic()
    b_changes.wait_for(lambda seen: seen[-1][0])
    assert time.monotonic() - freed < 3 * RETRY_S + 5.0
    assert (b.held, b.holder()) == (True, "line-pc-2")
    # before taking it, b saw it free once and waited one more attempt
    assert (False, "nobody holds the recorder lease: this station takes it if it is "
            "still free at the next attempt") in b_changes.seen  # fmt: skip


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
