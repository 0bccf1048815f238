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
