"""Log in, log out, idle log-out, the first admin and second signatures, as a person sees them.

The station is the real one (runtime thread, bridge, window, SQLite store in
tmp_path) with a scripted device; users are made through the core's command API.
Passwords are real scrypt hashes (~0.4 s each), so each test logs in only a few times.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from gui_helpers import ScriptedDriver, plugin_of, push
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from hmi.app.station import GuiSession, Station
from hmi.config import load_config
from hmi.drivers.base import WriteResult
from hmi.plugin import ScreenContext, ScreenSpec
from hmi.runtime.security import Identity, Role
from hmi.store.users import UserStore
from hmi.tagvalue import TagValue
from plugins.bicycle_factory.line_panel import RunControl

pytestmark = pytest.mark.gui

WAIT_MS = 20_000  # scrypt and SQLite commits on two busy cores: generous, bounded
OLGA, SAM = ("olga", "olga-pass-1"), ("sam", "sam-pass-12")

SECURE_PLANT = """\
[plant]
name = "secureplant"
title = {{ en = "Secure Plant", zh_TW = "安全工廠" }}

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

[[tags]]
name = "Line1.SpeedSP"
connection = "plc"
address = "ns=2;s=Line1.SpeedSP"
type = "float64"
writable = true

[security]
idle_logout_s = {idle}
operator_tags = ["*.RunCmd", "Line1.SpeedSP"]
critical_tags = ["Line1.SpeedSP"]
approver_role = "operator"
"""


def build_line(ctx: ScreenContext) -> QWidget:
    """A plant screen with the bicycle factory's real Start/Stop control on Line1."""
    control = RunControl(ctx, "Line1.RunCmd", "Line 1")
    ctx.bind(control, "Line1.RunCmd")
    return control


LINE_PLUGIN = plugin_of(ScreenSpec("line", {"en": "Line"}, build_line))
SETUP = Identity("test-setup", Role.ADMIN, authenticated=True)


@pytest.fixture
def secure_station(qapp, tmp_path: Path) -> Iterator[Callable[..., Station]]:
    """A started station on the secure plant, with the given users in its database."""
    made: list[tuple[Station, GuiSession]] = []

    def make(users: dict[str, tuple[str, Role]], idle: float = 900.0, builtin=()) -> Station:
        path = tmp_path / f"plant{len(made)}.toml"
        path.write_text(SECURE_PLANT.format(idle=idle), encoding="utf-8")
        session = GuiSession("en", plugins=[LINE_PLUGIN], builtin=list(builtin))
        db = f"sqlite:///{tmp_path / f'station{len(made)}.db'}"
        station = Station(load_config(path), session, driver_factory=ScriptedDriver, db_url=db)
        made.append((station, session))
        commands = station.runtime.commands
        for name, (password, role) in users.items():
            station.host.submit(commands.add_user(name, role, password, actor=SETUP)).result(30)
        return station

    yield make
    for station, session in made:
        station.close()
        session.close()


def header_text(station: Station) -> str:
    return station.window.header.user.text()


def log_in(station: Station, qtbot, user: str, password: str) -> None:
    """Log in through the header's menu and the dialog, as a person would."""
    controls = station.session_controls
    station.window.header.login_action.trigger()
    dialog = controls.login_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.user, user)
    qtbot.keyClicks(dialog.password, password)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def test_operator_logs_in_gets_start_then_logs_out_to_the_viewer(secure_station, qtbot):
    station = secure_station({"olga": (OLGA[1], Role.OPERATOR)})
    window = station.window
    window.show()
    control = window.show_screen("line")
    assert isinstance(control, RunControl)
    push(station, TagValue("Line1.RunCmd", False))
    qtbot.waitUntil(lambda: control._value is not None, timeout=WAIT_MS)
    assert header_text(station).startswith("station")  # the configured station identity
    assert "Viewer" in header_text(station)
    assert not control.start_button.isEnabled()  # a viewer changes nothing

    log_in(station, qtbot, *OLGA)

    dialog = station.session_controls.login_dialog
    assert dialog.busy.isVisible()  # scrypt runs in the runtime thread; the GUI shows it works
    qtbot.waitUntil(lambda: header_text(station).startswith("olga"), timeout=WAIT_MS)
    assert "Operator" in header_text(station)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    qtbot.waitUntil(control.start_button.isEnabled, timeout=WAIT_MS)
    assert station.session_ui.identity == Identity("olga", Role.OPERATOR, authenticated=True)

    assert window.header.logout_action.isVisible() and not window.header.login_action.isVisible()
    window.header.logout_action.trigger()

    qtbot.waitUntil(lambda: header_text(station).startswith("station"), timeout=WAIT_MS)
    assert not control.start_button.isEnabled()
    assert station.session_ui.identity.role is Role.VIEWER


def test_a_wrong_password_shows_the_message_and_changes_nobody(secure_station, qtbot):
    station = secure_station({"olga": (OLGA[1], Role.OPERATOR)})
    station.window.show()
    before = header_text(station)

    log_in(station, qtbot, "olga", "not-her-password")

    dialog = station.session_controls.login_dialog
    qtbot.waitUntil(dialog.message.isVisible, timeout=WAIT_MS)
    assert dialog.message.text() == "Wrong user name or password."
    assert dialog.isVisible() and dialog.password.text() == ""  # try again, no echo kept
    assert dialog.ok_button.isEnabled() and not dialog.busy.isVisible()
    assert header_text(station) == before
    assert not station.session_ui.identity.authenticated


def test_an_idle_session_is_logged_out_and_the_header_shows_it(secure_station, qtbot):
    station = secure_station({"olga": (OLGA[1], Role.OPERATOR)}, idle=1.0)
    station.window.show()
    done: list[object] = []
    station.session_ui.login(*OLGA, lambda who, error: done.append(who or error))
    qtbot.waitUntil(lambda: header_text(station).startswith("olga"), timeout=WAIT_MS)

    # Nobody touches anything: the station's idle timer ends the session.
    qtbot.waitUntil(lambda: header_text(station).startswith("station"), timeout=WAIT_MS)
    assert not station.session_ui.identity.authenticated
    assert done and isinstance(done[0], Identity)


def test_first_start_creates_the_admin(secure_station, qtbot, tmp_path):
    station = secure_station({})
    station.window.show()
    controls = station.session_controls

    controls.offer_first_admin()

    qtbot.waitUntil(lambda: controls.first_admin_dialog is not None, timeout=WAIT_MS)
    dialog = controls.first_admin_dialog
    assert dialog.isVisible() and dialog.user.text() == "admin"
    qtbot.keyClicks(dialog.password, "admin-pass-1")
    qtbot.keyClicks(dialog.repeat, "admin-pass-2")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "The passwords differ."  # checked before any hashing

    dialog.repeat.clear()
    qtbot.keyClicks(dialog.repeat, "admin-pass-1")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    record = UserStore(station.services.store.engine).get("admin")
    assert record is not None and record.role == "admin"
    qtbot.waitUntil(lambda: header_text(station).startswith("admin"), timeout=WAIT_MS)


def test_a_critical_write_needs_another_persons_signature(secure_station, qtbot):
    station = secure_station({"olga": (OLGA[1], Role.OPERATOR), "sam": (SAM[1], Role.SUPERVISOR)})
    station.window.show()
    controls = station.session_controls
    station.session_ui.login(*OLGA, lambda *_: None)
    qtbot.waitUntil(lambda: header_text(station).startswith("olga"), timeout=WAIT_MS)
    results: list[WriteResult] = []

    def write_and_sign(user: str, password: str) -> WriteResult:
        count = len(results)
        controls.approver_dialog = None
        station.bridge.write("Line1.SpeedSP", 12.5, results.append)
        qtbot.waitUntil(lambda: controls.approver_dialog is not None, timeout=WAIT_MS)
        dialog = controls.approver_dialog
        assert "Line1.SpeedSP" in dialog.intro.text()
        qtbot.keyClicks(dialog.user, user)
        qtbot.keyClicks(dialog.password, password)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: len(results) > count, timeout=WAIT_MS)
        return results[-1]

    same = write_and_sign(*OLGA)
    assert not same.ok and "another person" in (same.error or "")

    signed = write_and_sign(*SAM)
    assert signed.ok, signed.error
    assert station.runtime.table.get("Line1.SpeedSP").value == 12.5
    last = list(station.services.security.audit.records())[-1]
    assert (last.user_name, last.action, last.result, last.approver) == (
        "olga",
        "write",
        "ok",
        "sam",
    )


def test_cancelling_the_signature_returns_the_refusal(secure_station, qtbot):
    station = secure_station({})  # nobody needs to exist: the prompt comes first
    station.window.show()
    controls = station.session_controls
    results: list[WriteResult] = []
    station.bridge.write("Line1.SpeedSP", 3.0, results.append)
    # The station identity (viewer) may not write at all: refused without a prompt.
    qtbot.waitUntil(lambda: bool(results), timeout=WAIT_MS)
    assert controls.approver_dialog is None
    assert "may not do this" in (results[0].error or "")
