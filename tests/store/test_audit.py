"""The audit trail on SQLite and PostgreSQL: a linear hash chain that names tampering."""

from __future__ import annotations

import csv
import io
import json
import threading

import pytest
from sqlalchemy import text

from hmi.cli import main
from hmi.store import open_store
from hmi.store.audit import GENESIS, AuditEntry, AuditTrail, export_records


def _fill(trail: AuditTrail, n: int, t0: float = 1_700_000_000.0) -> None:
    for i in range(n):
        trail.append(
            AuditEntry("ann", "operator", "write", "ok", target="Painting.RunCmd",
                       old_value=i, new_value=i + 1, comment="交班 shift change", ts=t0 + i)
        )  # fmt: skip


def test_appended_records_form_a_chain_that_verifies(store):
    trail = AuditTrail(store.engine, "st1")
    _fill(trail, 5)
    records = list(trail.records())
    assert [r.prev_hash for r in records] == [GENESIS] + [r.hash for r in records[:-1]]
    assert records[0].new_value == "1" and records[0].station == "st1"
    check = trail.verify()
    assert check.ok and check.checked == 5


def test_altering_one_row_in_the_database_makes_verify_name_exactly_that_record(
    store, store_url, capsys
):
    trail = AuditTrail(store.engine, "st1")
    _fill(trail, 6)
    victim = list(trail.records())[3]
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE audit SET new_value = '0' WHERE id = :id"), {"id": victim.id})

    check = trail.verify()
    assert not check.ok and check.broken.id == victim.id and check.checked == 3
    assert main(["audit", "verify", "--db", store_url]) == 1
    err = capsys.readouterr().err
    assert f"record id={victim.id} time={victim.time_iso}" in err
    assert "content does not match its hash" in err


def test_deleting_a_row_breaks_the_link_of_the_next_one(store):
    trail = AuditTrail(store.engine, "st1")
    _fill(trail, 4)
    ids = [r.id for r in trail.records()]
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit WHERE id = :id"), {"id": ids[1]})
    check = trail.verify()
    assert check.broken.id == ids[2] and "does not link" in check.reason


def test_an_intact_trail_verifies_from_the_command_line(store, store_url, capsys):
    _fill(AuditTrail(store.engine, "st1"), 3)
    assert main(["audit", "verify", "--db", store_url]) == 0
    assert "intact: 3 record(s)" in capsys.readouterr().out


def test_stations_appending_at_once_keep_the_chain_linear(store_url):
    stores = [open_store(store_url) for _ in range(3)]
    try:
        trails = [AuditTrail(s.engine, f"st{i}") for i, s in enumerate(stores)]
        threads = [threading.Thread(target=_fill, args=(t, 15)) for t in trails]
        for th in threads:
            th.start()
        for th in threads:
            th.join(60)
        check = trails[0].verify()
        assert check.ok and check.checked == 45, str(check)
    finally:
        for s in stores:
            s.close()


def test_export_selects_a_time_range_and_writes_csv_and_json(store, store_url, capsys, tmp_path):
    trail = AuditTrail(store.engine, "st1")
    t0 = 1_700_000_000.0
    _fill(trail, 5, t0)

    out = io.StringIO()
    assert export_records(trail.records(t0 + 1, t0 + 3), out, "csv") == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["old_value"] for r in rows] == ["1", "2"]
    assert rows[0]["user_name"] == "ann" and rows[0]["comment"] == "交班 shift change"
    assert rows[0]["time"] == "2023-11-14T22:13:21+00:00"

    assert main(["audit", "export", "--db", store_url, "--format", "json",
                 "--since", "2023-11-14T22:13:22+00:00"]) == 0  # fmt: skip
    data = json.loads(capsys.readouterr().out)
    assert [d["new_value"] for d in data] == ["3", "4", "5"]
    assert data[-1]["hash"] == list(trail.records())[-1].hash

    target = tmp_path / "shift.csv"
    assert main(["audit", "export", "--db", store_url, "--out", str(target)]) == 0
    assert len(list(csv.DictReader(target.open(encoding="utf-8")))) == 5


def test_a_bad_time_is_a_clear_usage_error(store_url, capsys):
    with pytest.raises(SystemExit):
        main(["audit", "export", "--db", store_url, "--since", "yesterday"])
    assert "not an ISO time" in capsys.readouterr().err
