"""Streaming export of journaled events to CSV, JSON or JSON Lines.

A supervisor's export may cover a million rows, so nothing here holds more than
one page: `iter_events` walks the journal by keyset (the same paging the history
screen uses) and the writers consume any iterable of row mappings one row at a
time. The writers know nothing about events: the audit trail and the historian
reuse them with their own columns.

Times go out twice: as ISO 8601 UTC text (for people and spreadsheets) and as
epoch seconds (exact, for programs).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TextIO

from sqlalchemy import Connection, Engine

from hmi.store.events import StoredEvent
from hmi.store.queries import EventFilter, fetch_events, page_cursor

DEFAULT_PAGE = 1000


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"  # one JSON array
    JSONL = "jsonl"  # JSON Lines: one object per line


EVENT_COLUMNS: tuple[str, ...] = (
    "id",
    "time",
    "ts",
    "recorded_time",
    "recorded_ts",
    "kind",
    "type",
    "source",
    "area",
    "priority",
    "state",
    "value",
    "limit",
    "user",
    "station",
    "message",
    "comment",
    "details",
)
"""The export's columns, in order: every column of the events table, times twice."""


def iso_utc(ts: float) -> str:
    """`2025-06-15T15:06:40.123456Z`: ISO 8601 in UTC, always with microseconds so the
    text sorts like the number."""
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="microseconds")[:-6] + "Z"


def iter_events(
    bind: Engine | Connection, flt: EventFilter | None = None, *, page_size: int = DEFAULT_PAGE
) -> Iterator[StoredEvent]:
    """Every event matching `flt` (default: all), oldest first, fetched `page_size` rows at
    a time by keyset, so memory stays bounded however many rows match."""
    flt = flt if flt is not None else EventFilter()
    after = None
    while True:
        page = fetch_events(bind, flt, after=after, limit=page_size)
        yield from page
        if len(page) < page_size:
            return
        after = page_cursor(page)


def event_row(event: StoredEvent) -> dict[str, Any]:
    """One event as an export row (keys = `EVENT_COLUMNS`)."""
    return {
        "id": event.id,
        "time": iso_utc(event.ts),
        "ts": event.ts,
        "recorded_time": iso_utc(event.recorded_ts),
        "recorded_ts": event.recorded_ts,
        "kind": event.kind,
        "type": event.type,
        "source": event.source,
        "area": event.area,
        "priority": event.priority,
        "state": event.state,
        "value": event.value,
        "limit": event.limit,
        "user": event.user,
        "station": event.station,
        "message": event.message,
        "comment": event.comment,
        "details": event.details,
    }


def _csv_cells(row: Mapping[str, Any], columns: Sequence[str]) -> list[Any]:
    # csv writes None as an empty cell and floats by repr (full precision); nested data
    # (details) becomes its JSON text.
    return [
        json.dumps(v, ensure_ascii=False, sort_keys=True) if isinstance(v, dict | list) else v
        for v in map(row.get, columns)
    ]


def write_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], out: TextIO) -> int:
    """CSV with a header row (RFC 4180: CRLF line ends; open files with newline="")."""
    writer = csv.writer(out)
    writer.writerow(columns)
    n = 0

    def counted() -> Iterator[list[Any]]:
        nonlocal n
        for row in rows:
            n += 1
            yield _csv_cells(row, columns)

    writer.writerows(counted())
    return n


def write_json(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], out: TextIO) -> int:
    """One JSON array of objects, written element by element (never built in memory)."""
    n = 0
    out.write("[")
    for row in rows:
        out.write(",\n" if n else "\n")
        out.write(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False))
        n += 1
    out.write("\n]\n" if n else "]\n")
    return n


def write_jsonl(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], out: TextIO) -> int:
    """JSON Lines: one object per line, for `jq`, log shippers and appending."""
    n = 0
    for row in rows:
        out.write(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False))
        out.write("\n")
        n += 1
    return n


WRITERS = {
    ExportFormat.CSV: write_csv,
    ExportFormat.JSON: write_json,
    ExportFormat.JSONL: write_jsonl,
}


def write_rows(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[str],
    out: TextIO,
    fmt: ExportFormat | str = ExportFormat.CSV,
) -> int:
    """Write `rows` to `out` in `fmt`; return how many rows were written."""
    return WRITERS[ExportFormat(fmt)](rows, columns, out)


def export_events(
    bind: Engine | Connection,
    out: TextIO,
    flt: EventFilter | None = None,
    fmt: ExportFormat | str = ExportFormat.CSV,
    *,
    page_size: int = DEFAULT_PAGE,
) -> int:
    """Stream the events matching `flt` to `out`, oldest first; return the row count."""
    rows = (event_row(e) for e in iter_events(bind, flt, page_size=page_size))
    return write_rows(rows, EVENT_COLUMNS, out, fmt)
