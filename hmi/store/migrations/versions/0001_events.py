"""The event journal: alarm transitions, operator actions and system events.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "ts", sa.Double(), nullable=False, comment="source/event time, UTC epoch seconds"
        ),
        sa.Column(
            "recorded_ts", sa.Double(), nullable=False, comment="when the station journaled it"
        ),
        sa.Column("kind", sa.String(16), nullable=False, comment="alarm / operator / system"),
        sa.Column("type", sa.String(64), nullable=False, comment="transition or action name"),
        sa.Column("source", sa.String(255), comment="tag or connection name"),
        sa.Column("area", sa.String(128), comment="area / line"),
        sa.Column("priority", sa.SmallInteger()),
        sa.Column("state", sa.String(32)),
        sa.Column("value", sa.Text()),
        sa.Column("limit_value", sa.Text()),
        sa.Column("user_name", sa.String(128)),
        sa.Column("station", sa.String(128)),
        sa.Column("message", sa.Text(), nullable=False, server_default=""),
        sa.Column("comment", sa.Text()),
        sa.Column("details", sa.JSON().with_variant(postgresql.JSONB(), "postgresql")),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
    )
    op.create_index("ix_events_ts_id", "events", ["ts", "id"])
    op.create_index("ix_events_source_ts", "events", ["source", "ts"])
    op.create_index("ix_events_kind_ts", "events", ["kind", "ts"])


def downgrade() -> None:
    op.drop_table("events")
