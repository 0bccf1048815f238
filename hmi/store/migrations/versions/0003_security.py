"""Security: users and the hash-chained audit trail.

Revision ID: 0003_security
Revises: 0001
Create Date: 2025-01-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_security"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = ("security",)
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(512), nullable=False, comment="scrypt$n$r$p$salt$key"),
        sa.Column("disabled", sa.Boolean(), nullable=False, server_default="0"),
        sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("locked_until", sa.Double(), comment="refuse logins before this time"),
        sa.Column("created_ts", sa.Double(), nullable=False),
        sa.Column("changed_ts", sa.Double(), nullable=False),
        sa.Column("last_login_ts", sa.Double()),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("name", name="uq_users_name"),
    )
    op.create_table(
        "audit",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("ts", sa.Double(), nullable=False),
        sa.Column("station", sa.String(128), nullable=False),
        sa.Column("user_name", sa.String(128), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("action", sa.String(64), nullable=False, comment="write, acknowledge, login, …"),
        sa.Column("target", sa.String(255), comment="tag, alarm, user or config"),
        sa.Column("area", sa.String(128)),
        sa.Column("old_value", sa.Text()),
        sa.Column("new_value", sa.Text()),
        sa.Column("comment", sa.Text(), comment="reason or comment given"),
        sa.Column("result", sa.String(16), nullable=False, comment="ok / denied / failed"),
        sa.Column("detail", sa.Text(), comment="why denied or failed"),
        sa.Column("approver", sa.String(128), comment="second signature of a critical command"),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit"),
    )
    op.create_index("ix_audit_ts_id", "audit", ["ts", "id"])


def downgrade() -> None:
    op.drop_table("audit")
    op.drop_table("users")
