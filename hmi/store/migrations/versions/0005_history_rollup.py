"""The historian's per-minute rollups, backfilled from the samples already stored.

Revision ID: 0005_history_rollup
Revises: 0002_history
Create Date: 2025-01-05

The backfill is one INSERT … SELECT … GROUP BY over `history_samples`: on a large
history it takes a while (tens of seconds for 10 M samples on SQLite), once.
The SQL is frozen here on purpose (a migration must not follow later code); it
computes exactly what `hmi.store.history_writer` maintains.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_history_rollup"
down_revision: str | Sequence[str] | None = "0002_history"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The minute m with m <= ts < m + 60. floor(ts / 60) can round up for a ts a few
# hundred ns below a minute boundary, so step back when m overshoots; on SQLite the
# CAST truncates, which the same step also corrects for negative ts.
_K = {"sqlite": "CAST(ts / 60 AS INTEGER)", "postgresql": "floor(ts / 60)"}
_MINUTE = "{k} * 60 - CASE WHEN {k} * 60 > ts THEN 60 ELSE 0 END"

BACKFILL = """
INSERT INTO history_rollup_1m
    (tag_id, minute_ts, first_ts, last_ts, vmin, vmax, vsum, n, last_value, last_quality)
SELECT a.tag_id, a.minute_ts, a.first_ts, a.last_ts, a.vmin, a.vmax, a.vsum, a.n,
       s.value, s.quality
FROM (
    SELECT tag_id, {minute} AS minute_ts, min(ts) AS first_ts, max(ts) AS last_ts,
           min(CASE WHEN quality = 0 THEN value END) AS vmin,
           max(CASE WHEN quality = 0 THEN value END) AS vmax,
           coalesce(sum(CASE WHEN quality = 0 THEN value END), 0) AS vsum,
           count(CASE WHEN quality = 0 THEN value END) AS n
    FROM history_samples
    GROUP BY 1, 2
) a
JOIN history_samples s ON s.tag_id = a.tag_id AND s.ts = a.last_ts
"""


def backfill_sql(dialect: str) -> str:
    """The backfill statement for `dialect` (the benchmark builds its rollups with it)."""
    k = _K.get(dialect, _K["postgresql"])
    return BACKFILL.format(minute=_MINUTE.format(k=k))


def upgrade() -> None:
    op.create_table(
        "history_rollup_1m",
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("minute_ts", sa.Double(), nullable=False),
        sa.Column("first_ts", sa.Double(), nullable=False),
        sa.Column("last_ts", sa.Double(), nullable=False),
        sa.Column("vmin", sa.Double(), nullable=True),
        sa.Column("vmax", sa.Double(), nullable=True),
        sa.Column("vsum", sa.Double(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("last_value", sa.Double(), nullable=True),
        sa.Column("last_quality", sa.SmallInteger(), nullable=False),
        sa.PrimaryKeyConstraint("tag_id", "minute_ts", name="pk_history_rollup_1m"),
        sqlite_with_rowid=False,
    )
    op.execute(backfill_sql(op.get_bind().dialect.name))


def downgrade() -> None:
    op.drop_table("history_rollup_1m")
