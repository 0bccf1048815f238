"""The store's tables, as SQLAlchemy Core tables on one shared `metadata`.

Core rather than ORM: every writer here is a batch insert and every reader wants
tuples, so there is no identity map to pay for. Later features (historian, OEE,
users/audit) add their tables to `metadata` and a new alembic revision under
`hmi/store/migrations/versions/`; the naming convention keeps constraint names
stable across SQLite and PostgreSQL so migrations can refer to them.

Times are UTC epoch seconds in DOUBLE PRECISION columns (see `hmi.store.events`).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Double,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

# BIGINT on PostgreSQL; on SQLite only "INTEGER PRIMARY KEY" is the fast rowid alias.
BigId = BigInteger().with_variant(Integer(), "sqlite")
# JSONB on PostgreSQL (indexable, compact), JSON text elsewhere; None is SQL NULL, not 'null'.
Json = JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")

events = Table(
    "events",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("ts", Double(), nullable=False, comment="source/event time, UTC epoch seconds"),
    Column("recorded_ts", Double(), nullable=False, comment="when the station journaled it"),
    Column("kind", String(16), nullable=False, comment="alarm / operator / system"),
    Column("type", String(64), nullable=False, comment="transition or action name"),
    Column("source", String(255), comment="tag or connection name"),
    Column("area", String(128), comment="area / line"),
    Column("priority", SmallInteger()),
    Column("state", String(32)),
    Column("value", Text()),
    Column("limit_value", Text()),
    Column("user_name", String(128)),
    Column("station", String(128)),
    Column("message", Text(), nullable=False, server_default=""),
    Column("comment", Text()),
    Column("details", Json),
    # Supervisors' queries: a time range, one tag's history, one kind's history.
    # (ts, id) also serves keyset paging, whose cursor is exactly (ts, id).
    Index("ix_events_ts_id", "ts", "id"),
    Index("ix_events_source_ts", "source", "ts"),
    Index("ix_events_kind_ts", "kind", "ts"),
)
