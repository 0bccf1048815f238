"""Alembic environment for the store.

The application runs migrations in code (`hmi.store.database.upgrade_schema`),
handing its open connection over in `config.attributes["connection"]`; there is
no alembic.ini. A developer writing a new revision builds the config in code
(see docs/store.md, "Migrations")::

    from alembic import command
    from hmi.store.database import alembic_config
    command.revision(alembic_config("sqlite:///dev.db"), "historian samples", autogenerate=True)
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from hmi.store.models import metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things: autogenerate emits batch (copy-and-move) ops.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    try:
        with engine.connect() as conn:
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
