"""The OEE tables: state intervals, counter deltas and operators' reason assignments.

An interval is keyed by (line, start_ts): the tracker writes it when it opens,
rewrites its end at each checkpoint and when it closes (an upsert on that key),
so it never needs a row id back from the database. Times are UTC epoch seconds.
A gap between intervals is time nobody recorded: the calculation counts it as
unknown, never guessed.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Double,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)

from hmi.store.models import BigId, metadata

oee_intervals = Table(
    "oee_intervals",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("line", String(128), nullable=False),
    Column("start_ts", Double(), nullable=False),
    Column("end_ts", Double(), nullable=False),
    Column("state", String(16), nullable=False),
    Column("reason", Integer()),
    Column("product", String(128)),
    Column("is_open", Boolean(), nullable=False),
    UniqueConstraint("line", "start_ts"),
    Index("ix_oee_intervals_line_end_ts", "line", "end_ts"),
)

oee_counts = Table(
    "oee_counts",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("line", String(128), nullable=False),
    Column("ts", Double(), nullable=False),
    Column("product", String(128)),
    Column("kind", String(8), nullable=False),
    Column("n", BigInteger(), nullable=False),
    Index("ix_oee_counts_line_ts", "line", "ts"),
)

oee_reasons = Table(
    "oee_reasons",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("line", String(128), nullable=False),
    Column("event_start", Double(), nullable=False),
    Column("reason", Integer(), nullable=False),
    Column("seconds", Double(), nullable=False),
    Column("user_name", String(128)),
    Column("assigned_ts", Double(), nullable=False),
    Index("ix_oee_reasons_line_event_start", "line", "event_start"),
)
