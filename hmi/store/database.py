"""Opening the store: which database, how its connections are tuned, schema migrations.

`open_store(url)` is the one entry point: it builds the engine (SQLite pragmas on
every connection, pre-ping for server databases) and brings the schema to the
code's alembic head before anything reads or writes, refusing a database whose
schema is newer than this code rather than writing into a shape it does not know.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Literal

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from platformdirs import user_data_dir
from sqlalchemy import URL, Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import StaticPool

log = logging.getLogger(__name__)

APP_NAME = "pro4-hmi"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any constant works: it only has to be the same for every station migrating one database.
_PG_MIGRATION_LOCK = 0x50524F34  # "PRO4"

SqliteSync = Literal["OFF", "NORMAL", "FULL", "EXTRA"]


class StoreError(RuntimeError):
    """The store cannot be opened; the message says which database and why."""


class StoreVersionError(StoreError):
    """The database's schema is newer than (or unknown to) this code."""


def default_db_path() -> Path:
    """Where the station keeps its database when no `--db` is given."""
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "hmi.db"


def default_url() -> str:
    return f"sqlite:///{default_db_path()}"


def _describe(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def create_store_engine(
    url: str | URL | None = None,
    *,
    sqlite_busy_timeout: float = 5.0,
    sqlite_synchronous: SqliteSync = "NORMAL",
    **engine_kw: Any,
) -> Engine:
    """An engine for `url` (default: the SQLite file in the user data directory).

    SQLite connections get WAL (readers never block the writer), `synchronous`
    (NORMAL: a commit survives a crash of this process; FULL: also a power cut),
    foreign keys and a busy timeout, through a connect event so that every pooled
    connection has them. PostgreSQL connections are pinged before use, so a
    server restart costs one failed attempt, not a stream of errors.
    """
    sa_url = make_url(url if url is not None else default_url())
    if sa_url.get_backend_name() == "sqlite":
        return _sqlite_engine(sa_url, sqlite_busy_timeout, sqlite_synchronous, engine_kw)
    if sa_url.get_backend_name() == "postgresql":
        engine_kw.setdefault("connect_args", {}).setdefault("connect_timeout", 5)
    engine_kw.setdefault("pool_pre_ping", True)
    return create_engine(sa_url, **engine_kw)


def _sqlite_engine(
    url: URL, busy_timeout: float, synchronous: SqliteSync, engine_kw: dict[str, Any]
) -> Engine:
    database = url.database or ""
    in_memory = database in ("", ":memory:") or url.query.get("mode") == "memory"
    if in_memory:
        # One shared connection, or each thread (the journal's writer!) sees its own empty DB.
        engine_kw.setdefault("poolclass", StaticPool)
        engine_kw.setdefault("connect_args", {}).setdefault("check_same_thread", False)
    elif not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **engine_kw)
    pragmas = (
        "PRAGMA journal_mode=WAL",
        f"PRAGMA synchronous={synchronous}",
        "PRAGMA foreign_keys=ON",
        f"PRAGMA busy_timeout={int(busy_timeout * 1000)}",
    )

    @event.listens_for(engine, "connect")
    def _tune(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            for pragma in pragmas:
                cursor.execute(pragma)
        finally:
            cursor.close()

    return engine


# ------------------------------------------------------------------------------ migrations


def alembic_config(url: str | URL | None = None) -> Config:
    """An alembic config built in code (no alembic.ini): our script location, and the URL
    for the alembic CLI-style commands a developer runs (`command.revision`, …)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("path_separator", "os")
    if url is not None:
        url_text = url if isinstance(url, str) else url.render_as_string(hide_password=False)
        cfg.set_main_option("sqlalchemy.url", url_text.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    """The newest schema revision this code knows: its heads, sorted, comma-joined."""
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert heads, "the store has no migrations"
    return ",".join(sorted(heads))


def schema_revision(connection: Connection) -> str | None:
    """The database's current schema revision in the same form (None: never migrated)."""
    heads = MigrationContext.configure(connection).get_current_heads()
    return ",".join(sorted(heads)) or None


def upgrade_schema(engine: Engine) -> str:
    """Bring the database to the code's head revision; return that revision.

    Idempotent. On PostgreSQL an advisory lock serialises stations that start at
    the same time against one fresh database.
    """
    cfg = alembic_config()
    scripts = ScriptDirectory.from_config(cfg)
    # Each feature (journal, historian, security, OEE) adds its tables on its own
    # branch off the base revision, so the schema is "all heads applied".
    heads = set(scripts.get_heads())
    head = ",".join(sorted(heads))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        current = MigrationContext.configure(conn).get_current_heads()
        for rev in current:
            try:
                known = scripts.get_revision(rev)
            except CommandError:
                known = None
            if known is None:
                raise StoreVersionError(
                    f"database {_describe(engine.url)} has schema revision {rev!r}, newer than "
                    f"this version of Pro4 HMI knows (its newest is {head!r}); it was upgraded "
                    "by a newer release: update this station, or use another database (--db)"
                )
        if set(current) != heads:
            log.info("store schema %s → %s", ",".join(current) or "empty", head)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "heads")
    return head


# ------------------------------------------------------------------------------ the store


class Store:
    """An open, migrated database: hand `store.engine` to the journal and the queries."""

    def __init__(self, engine: Engine):
        self.engine = engine

    @property
    def url(self) -> URL:
        return self.engine.url

    @property
    def backend(self) -> str:
        """ "sqlite" or "postgresql" (or another SQLAlchemy dialect name)."""
        return self.engine.dialect.name

    def close(self) -> None:
        """Release pooled connections. Close journals writing here first."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({_describe(self.url)!r})"


def open_store(url: str | URL | None = None, **engine_kw: Any) -> Store:
    """Open the database at `url` (default: `default_url()`) and migrate it to head.

    Raises `StoreVersionError` for a database newer than this code and `StoreError`
    when the database cannot be reached or migrated, naming the URL (without password).
    """
    engine = create_store_engine(url, **engine_kw)
    try:
        upgrade_schema(engine)
    except StoreError:
        engine.dispose()
        raise
    except DBAPIError as exc:
        engine.dispose()
        detail = str(exc.orig) if exc.orig is not None else str(exc)
        raise StoreError(f"cannot open database {_describe(engine.url)}: {detail}") from exc
    return Store(engine)
