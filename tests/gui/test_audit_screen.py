"""The audit screen: who may look, what it lists, a tampered row, the CSV of the filter.

The records come from real commands on a real station (a failed log-in, a denied
write, a supervisor's log-in) in a SQLite store in tmp_path.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from gui_helpers import ScriptedDriver
from sqlalchemy import text

from hmi.app.station import GuiSession, Station
from hmi.config import load_config
from hmi.runtime.security import AuthenticationError, Identity, Role
from screens import builtin_screens
from screens.audit import AuditScreen

pytestmark = pytest.mark.gui

WAIT_MS = 20_000
SETUP = Identity("test-setup", Role.ADMIN, authenticated=True)

PLANT = """\
[plant]
name = "auditplant"
title = { en = "Audit Plant", zh_TW = "稽核工廠" }

[[connections]]
name = "plc"
driver = "opcua"
endpoint = "opc.tcp://127.0.0.1:4840/test"

[[tags]]
name = "Line1.RunCmd"
connection = "plc"
address = "ns=2;s=Line1.RunCmd"
type = "bool"
writable = true

[security]
operator_tags = ["*.RunCmd"]
"""


@pytest.fixture
def station(qapp, tmp_path: Path) -> Iterator[Station]:
    path = tmp_path / "plant.toml"
    path.write_text(PLANT, encoding="utf-8")
    audit_spec = [s for s in builtin_screens() if s.name == "audit"]
    session = GuiSession("en", plugins=[], builtin=audit_spec)
    st = Station(
        load_config(path), session, driver_factory=ScriptedDriver,
        db_url=f"sqlite:///{tmp_path / 'station.db'}",
    )  # fmt: skip
    try:
        commands = st.runtime.commands
        for name, role in (("olga", Role.OPERATOR), ("sam", Role.SUPERVISOR)):
            st.host.submit(commands.add_user(name, role, f"{name}-pass-1", actor=SETUP)).result(30)
        yield st
    finally:
        st.close()
        session.close()


def rows(screen: AuditScreen) -> list[tuple[str, str, str]]:
    model = screen.model
    return [
        (model.record(r).user_name, model.record(r).action, model.record(r).result)
        for r in range(model.rowCount())
    ]


def test_audit_screen_lists_filters_exports_and_shows_a_broken_chain(station, qtbot, tmp_path):
    commands = station.runtime.commands
    with pytest.raises(AuthenticationError):
        station.host.submit(commands.login("olga", "wrong-password")).result(30)
    denied = station.host.submit(commands.write("Line1.RunCmd", True)).result(30)
    assert not denied.ok  # the station is a viewer
    station.window.show()
    screen = station.window.show_screen("audit")
    assert isinstance(screen, AuditScreen)

    # A viewer sees that it is not permitted, and no records.
    assert screen.pages.currentWidget() is screen.denied
    assert "Not permitted" in screen.denied.text()
    assert screen.model.rowCount() == 0

    station.session_ui.login("sam", "sam-pass-1", lambda *_: None)
    qtbot.waitUntil(lambda: ("sam", "login", "ok") in rows(screen), timeout=WAIT_MS)
    assert screen.pages.currentIndex() == 1
    listed = rows(screen)
    assert ("olga", "login", "failed") in listed
    assert ("station", "write", "denied") in listed
    assert listed.count(("test-setup", "user_add", "ok")) == 2
    qtbot.waitUntil(lambda: screen.chain is not None, timeout=WAIT_MS)
    assert screen.chain.ok and screen.chain_label.text().startswith("Chain intact")
    assert screen.chain_label.property("chain") == "intact"

    # Filter: the denied and failed attempts only; the export holds exactly those rows.
    screen.result_filter.setCurrentIndex(screen.result_filter.findData("denied"))
    assert rows(screen) == [("station", "write", "denied")]
    out = tmp_path / "audit.csv"
    screen.export_csv(out)
    qtbot.waitUntil(lambda: screen.last_export is not None, timeout=WAIT_MS)
    with out.open(encoding="utf-8", newline="") as f:
        exported = list(csv.DictReader(f))
    assert [(r["user_name"], r["action"], r["result"]) for r in exported] == rows(screen)
    assert screen.last_export == 1
    screen.result_filter.setCurrentIndex(0)
    screen.user_filter.setCurrentIndex(screen.user_filter.findData("olga"))
    assert rows(screen) == [("olga", "login", "failed")]

    # Someone edits one row in the database: the screen names it.
    target = next(r for r in screen.model.loaded if r.user_name == "olga" and r.action == "login")
    with station.services.store.engine.begin() as conn:
        conn.execute(text("UPDATE audit SET result = 'ok' WHERE id = :id"), {"id": target.id})
    screen.reload()
    qtbot.waitUntil(lambda: screen.chain is not None and not screen.chain.ok, timeout=WAIT_MS)
    assert f"BROKEN at record {target.id}" in screen.chain_label.text()
    assert screen.chain_label.property("chain") == "broken"

    # Logging out drops the records from the screen at once.
    station.session_ui.logout()
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.denied, timeout=WAIT_MS)
    assert screen.model.rowCount() == 0
