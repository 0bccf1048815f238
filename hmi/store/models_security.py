"""The security tables: station users, and the tamper-evident audit trail.

`users` holds password hashes (never passwords) and the lockout state, so every
station sharing one PostgreSQL database sees one lockout. `audit` is append-only
by convention and tamper-evident by construction: each row carries the SHA-256
of its own content and its predecessor's hash (see `hmi.store.audit`).
Times are UTC epoch seconds.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Double, Index, Integer, String, Table, Text

from hmi.store.models import BigId, metadata

users = Table(
    "users",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("name", String(128), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("password_hash", String(512), nullable=False, comment="scrypt$n$r$p$salt$key"),
    Column("disabled", Boolean(), nullable=False, server_default="0"),
    Column("failed_logins", Integer(), nullable=False, server_default="0"),
    Column("locked_until", Double(), comment="refuse logins before this time"),
    Column("created_ts", Double(), nullable=False),
    Column("changed_ts", Double(), nullable=False),
    Column("last_login_ts", Double()),
)

audit = Table(
    "audit",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("ts", Double(), nullable=False),
    Column("station", String(128), nullable=False),
    Column("user_name", String(128), nullable=False),
    Column("role", String(16), nullable=False),
    Column("action", String(64), nullable=False, comment="write, acknowledge, login, …"),
    Column("target", String(255), comment="tag, alarm, user or config"),
    Column("area", String(128)),
    Column("old_value", Text()),
    Column("new_value", Text()),
    Column("comment", Text(), comment="reason or comment given"),
    Column("result", String(16), nullable=False, comment="ok / denied / failed"),
    Column("detail", Text(), comment="why denied or failed"),
    Column("approver", String(128), comment="second signature of a critical command"),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index("ix_audit_ts_id", "ts", "id"),
)
