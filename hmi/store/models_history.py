"""The historian's tables: a tag dictionary and the samples, keyed (tag_id, ts).

Why this shape: the one query that must stay fast out of tens of millions of rows
is "one tag, one time range". A primary key (tag_id, ts) serves it with one index
range scan; on SQLite the table is WITHOUT ROWID, so that key IS the table
(clustered: a range is read from consecutive pages, no second lookup per row), and
an integer tag id instead of the dotted name keeps each row ~25 bytes.

`value` is NULL when the sample carries no number (an outage); `quality` is the
code of `hmi.store.history.QUALITY_CODES` (0 = good). There is deliberately no
foreign key from samples to tags: it would cost a lookup per inserted sample and
tags are never deleted.

`history_rollup_1m` holds one row per tag and minute that has samples: what any
bucket made of whole minutes needs (min/max/sum/count of the good samples, the
latest sample's value and quality), so a 30-day view reads ~43,000 rows instead of
millions. `first_ts`/`last_ts` bound the minute's samples: a reader knows from them
whether a whole minute falls into one bucket, and the writer whether a batch only
appends to a minute. The writer keeps it exact in the same transaction as the
samples (`hmi.store.history_writer`); migration 0005 backfills it.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Double,
    Integer,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    UniqueConstraint,
)

from hmi.store.models import metadata

history_tags = Table(
    "history_tags",
    metadata,
    Column("id", Integer(), primary_key=True, autoincrement=True),
    Column("name", String(255), nullable=False),
    UniqueConstraint("name"),
)

history_samples = Table(
    "history_samples",
    metadata,
    Column("tag_id", Integer(), nullable=False),
    Column("ts", Double(), nullable=False),
    Column("value", Double()),
    Column("quality", SmallInteger(), nullable=False),
    PrimaryKeyConstraint("tag_id", "ts"),
    sqlite_with_rowid=False,
)

history_rollup_1m = Table(
    "history_rollup_1m",
    metadata,
    Column("tag_id", Integer(), nullable=False),
    Column("minute_ts", Double(), nullable=False),  # the minute's start: m <= ts < m + 60
    Column("first_ts", Double(), nullable=False),  # the minute's first and last sample
    Column("last_ts", Double(), nullable=False),
    Column("vmin", Double()),  # over the good samples (NULL: none)
    Column("vmax", Double()),
    Column("vsum", Double(), nullable=False),
    Column("n", Integer(), nullable=False),  # good samples with a value
    Column("last_value", Double()),  # the sample at last_ts
    Column("last_quality", SmallInteger(), nullable=False),
    PrimaryKeyConstraint("tag_id", "minute_ts"),
    sqlite_with_rowid=False,
)
