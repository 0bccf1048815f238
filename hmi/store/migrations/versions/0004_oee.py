"""OEE: state intervals, counter deltas, reason assignments.

Revision ID: 0004_oee
Revises: 0001
Create Date: 2025-01-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_oee"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = ("oee",)
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "oee_intervals",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("line", sa.String(128), nullable=False),
        sa.Column("start_ts", sa.Double(), nullable=False),
        sa.Column("end_ts", sa.Double(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("reason", sa.Integer()),
        sa.Column("product", sa.String(128)),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_oee_intervals"),
        sa.UniqueConstraint("line", "start_ts", name="uq_oee_intervals_line_start_ts"),
    )
    op.create_index("ix_oee_intervals_line_end_ts", "oee_intervals", ["line", "end_ts"])
    op.create_table(
        "oee_counts",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("line", sa.String(128), nullable=False),
        sa.Column("ts", sa.Double(), nullable=False),
        sa.Column("product", sa.String(128)),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_oee_counts"),
    )
    op.create_index("ix_oee_counts_line_ts", "oee_counts", ["line", "ts"])
    op.create_table(
        "oee_reasons",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("line", sa.String(128), nullable=False),
        sa.Column("event_start", sa.Double(), nullable=False),
        sa.Column("reason", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Double(), nullable=False),
        sa.Column("user_name", sa.String(128)),
        sa.Column("assigned_ts", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_oee_reasons"),
    )
    op.create_index("ix_oee_reasons_line_event_start", "oee_reasons", ["line", "event_start"])


def downgrade() -> None:
    op.drop_table("oee_reasons")
    op.drop_table("oee_counts")
    op.drop_table("oee_intervals")
