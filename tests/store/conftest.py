"""Store fixtures: every store test runs on a SQLite file AND on a real PostgreSQL.

The PostgreSQL server is started once per test session (tests/store/pgserver.py)
and each test gets its own fresh database in it, dropped afterwards. There is no
skip when PostgreSQL is missing: the tests fail and say how to install it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from hmi.store import Store, open_store
from tests.fakes import SqliteWriteLock

from .pgserver import PgServer


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    try:
        server = PgServer().start()
    except RuntimeError as exc:
        ci = " (CI is set: .ci/run must install postgresql)" if os.environ.get("CI") else ""
        pytest.fail(f"cannot run the PostgreSQL store tests{ci}: {exc}", pytrace=False)
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test."""
    name = pg_server.create_database()
    yield pg_server.url(name)
    pg_server.drop_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """A fresh database URL: a new SQLite file, or a new database on the test PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hmi.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """The store at `store_url`, opened (and so migrated) the way the application opens it."""
    opened = open_store(store_url)
    yield opened
    opened.close()


@pytest.fixture
def locked_sqlite(tmp_path) -> Iterator[tuple[Store, SqliteWriteLock]]:
    """A migrated SQLite store whose write lock another connection holds."""
    with open_store(f"sqlite:///{tmp_path / 'hmi.db'}", sqlite_busy_timeout=0.1) as store:
        lock = SqliteWriteLock(tmp_path / "hmi.db")
        try:
            yield store, lock
        finally:
            lock.release()
