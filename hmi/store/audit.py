"""The audit trail: who did what, when, from which station, and what came of it.

Tamper evidence: each record stores ``prev_hash`` (its predecessor's hash, or 64
zeros for the first) and ``hash`` = SHA-256 over a canonical serialisation of its
own columns including ``prev_hash`` and its id. Changing, inserting or deleting a
row breaks the chain at that row (or the one after a deleted one), and `verify`
names it. Anyone with write access could recompute the whole chain, so export
the head hash (`hmi audit export`) to somewhere else now and then; see
docs/security.md.

Appends are serialised so the chain stays linear when several stations share one
PostgreSQL database (a transaction-scoped advisory lock), or several processes
one SQLite file (BEGIN IMMEDIATE takes the write lock before reading the head).
`append` returns only after COMMIT: a command is not reported done before its
audit record is durable.
"""

from __future__ import annotations

import csv
import hashlib
import json
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, TextIO

from sqlalchemy import Connection, Engine, select, text, update

from hmi.store.models_security import audit

GENESIS = "0" * 64
_PG_AUDIT_LOCK = 0x41554454  # "AUDT": any constant shared by every station
# The columns a record's hash covers, in this order (never reorder: old hashes depend on it).
HASHED = (
    "id", "ts", "station", "user_name", "role", "action", "target", "area",
    "old_value", "new_value", "comment", "result", "detail", "approver", "prev_hash",
)  # fmt: skip
ExportFormat = Literal["csv", "json"]


def as_text(value: Any) -> str | None:
    """Values are stored as text: a tag may hold a number, a bool or a string."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One thing to put on the record (what producers hand to `AuditTrail.append`)."""

    user: str
    role: str
    action: str
    result: str  # "ok", "denied" or "failed"
    target: str | None = None
    area: str | None = None
    old_value: Any = None
    new_value: Any = None
    comment: str | None = None
    detail: str | None = None
    approver: str | None = None
    station: str | None = None  # filled from the trail's station when None
    ts: float = field(default_factory=time.time)


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One stored record, with its place in the chain."""

    id: int
    ts: float
    station: str
    user_name: str
    role: str
    action: str
    target: str | None
    area: str | None
    old_value: str | None
    new_value: str | None
    comment: str | None
    result: str
    detail: str | None
    approver: str | None
    prev_hash: str
    hash: str

    @property
    def time_iso(self) -> str:
        return datetime.fromtimestamp(self.ts, UTC).isoformat()


@dataclass(frozen=True, slots=True)
class ChainCheck:
    """What `verify` found: intact, or the first record that breaks the chain and why."""

    ok: bool
    checked: int
    broken: AuditRecord | None = None
    reason: str = ""

    def __str__(self) -> str:
        if self.ok:
            return f"audit trail intact: {self.checked} record(s) verified"
        b = self.broken
        assert b is not None
        return f"audit trail BROKEN at record id={b.id} time={b.time_iso}: {self.reason}"


def record_hash(row: dict[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of the hashed columns of `row`."""
    values = [row[c] for c in HASHED]
    values[1] = float(values[1])  # ts: the same double on every backend
    canonical = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def serialise_writers(conn: Connection, key: int) -> None:
    """Make this transaction the only writer of what `key` guards until it ends.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: BEGIN IMMEDIATE takes
    the database write lock now, before the transaction reads anything (call it
    first thing in ``engine.begin()``; pysqlite has not begun a transaction yet).
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    elif conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


class AuditTrail:
    """Appends to, verifies and reads the audit table of one database."""

    def __init__(self, engine: Engine, station: str):
        self._engine = engine
        self.station = station

    def append(self, entry: AuditEntry) -> AuditRecord:
        """Chain `entry` onto the trail and COMMIT; returns the stored record."""
        row: dict[str, Any] = {
            "ts": float(entry.ts),
            "station": entry.station or self.station,
            "user_name": entry.user,
            "role": str(entry.role),
            "action": str(entry.action),
            "target": entry.target,
            "area": entry.area,
            "old_value": as_text(entry.old_value),
            "new_value": as_text(entry.new_value),
            "comment": entry.comment,
            "result": entry.result,
            "detail": entry.detail,
            "approver": entry.approver,
        }
        with self._engine.begin() as conn:
            serialise_writers(conn, _PG_AUDIT_LOCK)
            last = select(audit.c.hash).order_by(audit.c.id.desc()).limit(1)
            row["prev_hash"] = conn.execute(last).scalar() or GENESIS
            result = conn.execute(audit.insert().values(**row, hash=""))
            row["id"] = int(result.inserted_primary_key[0])
            row["hash"] = record_hash(row)
            conn.execute(update(audit).where(audit.c.id == row["id"]).values(hash=row["hash"]))
        return AuditRecord(**row)

    def records(
        self, since: float | None = None, until: float | None = None
    ) -> Iterator[AuditRecord]:
        """Records in chain order; `since` includes its time, `until` excludes it."""
        query = select(audit).order_by(audit.c.id)
        if since is not None:
            query = query.where(audit.c.ts >= since)
        if until is not None:
            query = query.where(audit.c.ts < until)
        with self._engine.connect() as conn:
            for row in conn.execution_options(yield_per=1000).execute(query).mappings():
                yield AuditRecord(**row)

    def verify(self) -> ChainCheck:
        """Walk the whole chain; stop at the first record whose content or link is wrong."""
        prev = GENESIS
        checked = 0
        for rec in self.records():
            if record_hash(asdict(rec)) != rec.hash:
                return ChainCheck(False, checked, rec, "its content does not match its hash")
            if rec.prev_hash != prev:
                return ChainCheck(
                    False, checked, rec, "it does not link to the record before it "
                    "(a record before it was deleted, inserted or re-hashed)",
                )  # fmt: skip
            prev = rec.hash
            checked += 1
        return ChainCheck(True, checked)


EXPORT_COLUMNS = ("id", "time", *(c for c in HASHED if c != "id"), "hash")


def _export_row(rec: AuditRecord) -> dict[str, Any]:
    return {"time": rec.time_iso, **asdict(rec)}


def export_records(records: Iterator[AuditRecord], out: TextIO, fmt: ExportFormat) -> int:
    """Write records as CSV (a header row) or a JSON array; returns how many.

    Hashes are included, so an exported shift can be checked against the database later.
    """
    n = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for rec in records:
            writer.writerow(_export_row(rec))
            n += 1
        return n
    if fmt != "json":
        raise ValueError(f"unknown export format {fmt!r} (csv or json)")
    out.write("[")
    for rec in records:
        row = {k: v for k, v in _export_row(rec).items() if k in EXPORT_COLUMNS}
        out.write(",\n" if n else "\n")
        out.write(json.dumps(row, ensure_ascii=False))
        n += 1
    out.write("\n]\n")
    return n
