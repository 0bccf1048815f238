"""Opening the store: migrations, SQLite tuning, refusing what it must not touch."""

from __future__ import annotations

import socket

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from hmi.store import Event, Journal, StoreError, StoreVersionError, open_store
from hmi.store.database import default_db_path, head_revision, schema_revision
from hmi.store.models import metadata
from hmi.store.queries import fetch_events


def _schema(url: str) -> tuple[set[str], set[str], set[str], list[str]]:
    engine = create_engine(url)
    try:
        insp = inspect(engine)
        with engine.connect() as conn:
            versions = list(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
        return (
            set(insp.get_table_names()),
            {c["name"] for c in insp.get_columns("events")},
            {i["name"] for i in insp.get_indexes("events")},
            versions,
        )
    finally:
        engine.dispose()


def test_opening_an_empty_database_creates_the_schema_and_reopening_changes_nothing(store_url):
    with open_store(store_url) as store, store.engine.connect() as conn:
        assert schema_revision(conn) == head_revision()
    first = _schema(store_url)
    tables, columns, indexes, versions = first
    assert {"events", "alembic_version"} <= tables
    assert {
        "id", "ts", "recorded_ts", "kind", "type", "source", "area", "priority", "state",
        "value", "limit_value", "user_name", "station", "message", "comment", "details",
    } == columns  # fmt: skip
    assert {"ix_events_ts_id", "ix_events_source_ts", "ix_events_kind_ts"} <= indexes
    assert sorted(versions) == head_revision().split(",")

    with open_store(store_url) as store:  # a second start: idempotent
        pass
    assert _schema(store_url) == first


def test_sqlite_connections_run_in_wal_mode_with_the_documented_pragmas(tmp_path):
    # Two connections checked out at once: the pragmas are per connection.
    with (
        open_store(f"sqlite:///{tmp_path / 'hmi.db'}", sqlite_busy_timeout=2.5) as store,
        store.engine.connect() as a,
        store.engine.connect() as b,
    ):
        for conn in (a, b):
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 2500


def test_a_database_newer_than_the_code_is_refused_untouched(store_url):
    with open_store(store_url) as store, store.engine.begin() as conn:
        # one row per applied branch head; a newer release would leave its own
        conn.execute(text("DELETE FROM alembic_version"))
        conn.execute(text("INSERT INTO alembic_version VALUES ('9999_from_the_future')"))

    with pytest.raises(StoreVersionError, match=r"9999_from_the_future.*newer") as info:
        open_store(store_url)
    assert head_revision() in str(info.value)
    assert _schema(store_url)[3] == ["9999_from_the_future"]


def test_the_default_database_is_a_file_in_the_user_data_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_db_path() == tmp_path / "data" / "pro4-hmi" / "hmi.db"
    with open_store() as store:
        assert store.backend == "sqlite"
        assert store.url.database == str(tmp_path / "data" / "pro4-hmi" / "hmi.db")
    assert default_db_path().is_file()


def test_an_unreachable_server_gives_an_error_naming_the_database():
    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"postgresql+psycopg://postgres:secret@127.0.0.1:{port}/plant"
    with pytest.raises(StoreError, match=rf"cannot open database .*127\.0\.0\.1:{port}/plant") as e:
        open_store(url)
    assert "secret" not in str(e.value)


def test_an_in_memory_sqlite_store_is_shared_with_the_writer_thread():
    with open_store("sqlite://") as store, Journal(store.engine) as journal:
        ticket = journal.record(Event(kind="system", type="start"), urgent=True)
        row_id = ticket.result(timeout=10)
        assert [e.id for e in fetch_events(store.engine)] == [row_id]


def test_the_migrations_build_exactly_the_schema_the_models_declare(store):
    """Guards every future revision: a model changed without a migration fails here."""
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []
