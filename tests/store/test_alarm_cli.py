"""`hmi alarms export` / `hmi alarms kpi` and the export writers behind them, on a seeded
journal (SQLite and PostgreSQL): exactly the expected rows, boundaries and filters included,
and the real command run as a subprocess."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hmi.cli_alarms import parse_time
from hmi.store import Event, Journal, open_store
from hmi.store.export import EVENT_COLUMNS, export_events, iso_utc
from hmi.store.queries import EventFilter

from .test_alarm_kpi import S, U, alarm

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60


def seed() -> list[Event]:
    """Events of every kind, ties on the timestamp, a row on each boundary, zh-TW text."""
    return [
        Event("system", "start", ts=S - 10, message="runtime started"),
        alarm(S, "Paint.Oven.Temp.HI", priority=2),  # exactly at since
        Event("operator", "write", ts=S, source="Paint.Oven.Setpoint", value=180.5, user="amy"),
        Event(
            "operator",
            "acknowledge",
            ts=S + 60.25,
            source="Paint.Oven.Temp",
            user="amy",
            message="已確認",
            comment='ok, "checked"\nby hand',
        ),
        Event("system", "connection_lost", ts=S + 60.25, source="PLC1", message="timeout"),
        alarm(S + 3599.999999, "Weld.Robot1.Current.HI", priority=4),
        alarm(U, "Late.U.HI"),  # exactly at until: excluded
        Event("system", "stop", ts=U + 1, message="runtime stopped"),
    ]


@pytest.fixture
def journal_rows(store_url: str) -> tuple[str, list[tuple[int, Event]]]:
    """The seeded URL and (row id, event) pairs in journal order."""
    with open_store(store_url) as store, Journal(store.engine, station="op1") as journal:
        tickets = [(journal.record(e), e) for e in seed()]
    return store_url, [(t.result(0), e) for t, e in tickets]


def expected(rows, keep=lambda e: True) -> list[dict]:
    """What the export must contain, in (ts, id) order, as the JSON export gives it."""
    out = []
    for row_id, e in sorted(rows, key=lambda r: (r[1].ts, r[0])):
        if not keep(e):
            continue
        row = e.to_row(0.0, "op1")
        out.append(
            {
                "id": row_id,
                "time": iso_utc(e.ts),
                "ts": e.ts,
                "kind": e.kind,
                "type": e.type,
                "source": e.source,
                "area": e.area,
                "priority": e.priority,
                "state": e.state,
                "value": row["value"],
                "limit": row["limit_value"],
                "user": e.user,
                "station": "op1",
                "message": e.message,
                "comment": e.comment,
                "details": row["details"],
            }
        )
    return out


def without_recorded(rows: list[dict]) -> list[dict]:
    for r in rows:
        assert r.pop("recorded_time") == iso_utc(float(r.pop("recorded_ts")))
    return rows


def from_csv(text: str) -> list[dict]:
    """Parse a CSV export back into the JSON export's types."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    assert tuple(reader.fieldnames or ()) == EVENT_COLUMNS
    rows = []
    for r in reader:
        d = {k: (v if v != "" else None) for k, v in r.items()}
        d["id"] = int(d["id"])
        d["ts"] = float(d["ts"])
        d["priority"] = int(d["priority"]) if d["priority"] else None
        d["message"] = d["message"] or ""
        d["details"] = json.loads(d["details"]) if d["details"] else None
        rows.append(d)
    return rows


def export(store_url: str, fmt: str, flt: EventFilter | None = None, page_size=1000) -> str:
    out = io.StringIO(newline="")
    with open_store(store_url) as store:
        export_events(store.engine, out, flt, fmt, page_size=page_size)
    return out.getvalue()


# ------------------------------------------------------------------- the export, in process


def test_csv_export_parses_back_to_exactly_the_journaled_events(journal_rows):
    url, rows = journal_rows
    text = export(url, "csv", page_size=3)  # several keyset pages, ties across a page edge
    assert text.startswith(",".join(EVENT_COLUMNS) + "\r\n")
    assert without_recorded(from_csv(text)) == expected(rows)


def test_json_and_jsonl_exports_parse_back_to_exactly_the_journaled_events(journal_rows):
    url, rows = journal_rows
    assert without_recorded(json.loads(export(url, "json", page_size=2))) == expected(rows)
    lines = export(url, "jsonl").splitlines()
    assert without_recorded([json.loads(line) for line in lines]) == expected(rows)


def test_the_export_keeps_since_inclusive_until_exclusive_and_filters_by_kind(journal_rows):
    url, rows = journal_rows
    flt = EventFilter(since=S, until=U, kinds=["alarm", "operator"])
    got = without_recorded(json.loads(export(url, "json", flt)))
    want = expected(rows, lambda e: S <= e.ts < U and e.kind in ("alarm", "operator"))
    assert got == want
    assert [r["type"] for r in got] == ["activated", "write", "acknowledge", "activated"]


def test_an_empty_export_is_valid_in_every_format(journal_rows):
    url, _ = journal_rows
    nothing = EventFilter(since=U + 100)
    assert json.loads(export(url, "json", nothing)) == []
    assert export(url, "jsonl", nothing) == ""
    assert export(url, "csv", nothing) == ",".join(EVENT_COLUMNS) + "\r\n"


def test_iso_arguments_take_dates_and_datetimes_with_or_without_a_zone():
    assert parse_time("2025-06-15T00:00:00Z") == S
    assert parse_time("2025-06-15 08:00+08:00") == S
    assert parse_time("2025-06-15T00:00:00.5+00:00") == S + 0.5
    # Naive is the station's local time (whatever zone this test runs in).
    from datetime import datetime

    assert parse_time("2025-06-15") == datetime(2025, 6, 15).timestamp()
    assert parse_time("2025-06-15T08:30") == datetime(2025, 6, 15, 8, 30).timestamp()


# --------------------------------------------------------------- the command, as a process


def hmi(*args: str, tz: str = "Asia/Taipei") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TZ": tz, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "hmi", "alarms", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
    )


def test_hmi_alarms_export_writes_csv_to_stdout_with_local_time_arguments(journal_rows):
    url, rows = journal_rows
    # Naive times are the station's local time: 08:00 in Taipei is 00:00 UTC = S.
    proc = hmi("export", "--db", url, "--since", "2025-06-15 08:00", "--until", "2025-06-15T10:00")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    got = without_recorded(from_csv(proc.stdout))  # (text mode turned CRLF into LF)
    assert got == expected(rows, lambda e: S <= e.ts < U)


def test_hmi_alarms_export_writes_a_json_file_of_one_kind(journal_rows, tmp_path):
    url, rows = journal_rows
    out = tmp_path / "events.json"
    proc = hmi("export", "--db", url, "--kind", "system", "--format", "json", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert "3 event(s) written to" in proc.stderr
    got = without_recorded(json.loads(out.read_text(encoding="utf-8")))
    assert got == expected(rows, lambda e: e.kind == "system")
    assert not list(tmp_path.glob("*.part"))


def test_hmi_alarms_kpi_prints_the_report_and_json(store_url):
    from .test_alarm_kpi import scenario

    with open_store(store_url) as store, Journal(store.engine, station="op1") as journal:
        for e in sorted(scenario(), key=lambda e: e.ts):
            journal.record(e)
    period = ("--since", "2025-06-15T00:00Z", "--until", "2025-06-15T02:00Z")

    text = hmi("kpi", "--db", store_url, *period)
    assert text.returncode == 0, text.stderr
    assert text.stderr == ""
    assert "Period      2025-06-15 08:00:00+08:00  to  2025-06-15 10:00:00+08:00" in text.stdout
    assert "Chatter.X.HI" in text.stdout

    js = hmi("kpi", "--db", store_url, *period, "--format", "json")
    assert js.returncode == 0, js.stderr
    d = json.loads(js.stdout)
    assert (d["annunciations"], d["flood_periods"], d["peak_count"]) == (28, 1, 11)
    assert [c["alarm_id"] for c in d["chattering"]] == ["Chatter.X.HI", "Edge.W.HI"]
    assert [s["alarm_id"] for s in d["stale"]] == ["Oven.Temp.HI"]


def test_a_bad_since_is_a_usage_error_with_exit_2(tmp_path):
    proc = hmi("kpi", "--db", f"sqlite:///{tmp_path / 'x.db'}", "--since", "last tuesday")
    assert proc.returncode == 2
    assert "--since: not an ISO 8601 date or date-time: 'last tuesday'" in proc.stderr
    assert proc.stdout == ""


def test_a_missing_sqlite_file_or_an_empty_period_is_a_usage_error(tmp_path):
    missing = tmp_path / "typo.db"
    proc = hmi("export", "--db", f"sqlite:///{missing}")
    assert proc.returncode == 2
    assert f"no SQLite database at {missing}" in proc.stderr
    assert not missing.exists()  # not created empty behind the user's back

    proc = hmi("kpi", "--db", "sqlite://", "--since", "2025-06-15", "--until", "2025-06-14")
    assert proc.returncode == 2
    assert "--since must be before --until" in proc.stderr
