"""The historian: tag dictionary and samples keyed (tag_id, ts).

Revision ID: 0002_history
Revises: 0001
Create Date: 2025-01-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_history"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = ("history",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "history_tags",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_history_tags"),
        sa.UniqueConstraint("name", name="uq_history_tags_name"),
    )
    op.create_table(
        "history_samples",
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("ts", sa.Double(), nullable=False),
        sa.Column("value", sa.Double(), nullable=True),
        sa.Column("quality", sa.SmallInteger(), nullable=False),
        sa.PrimaryKeyConstraint("tag_id", "ts", name="pk_history_samples"),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("history_samples")
    op.drop_table("history_tags")
