"""Roles, permissions, passwords, lockout, sessions and the command API's enforcement.

Real parts: a SQLite file per module for users and the audit trail, the real
Runtime with the scripted driver. A cheap scrypt cost keeps the tests fast; the
production cost is the hasher's default.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import select

from hmi.config import PlantConfig
from hmi.config_security import Role, SecurityConfig
from hmi.runtime.engine import Runtime
from hmi.runtime.security import (
    AuthenticationError,
    Credential,
    Identity,
    Permission,
    PermissionDeniedError,
    ScryptHasher,
    Security,
    SecurityError,
    permissions_of,
)
from hmi.store import Store, open_store
from hmi.store.audit import AuditTrail
from hmi.store.models_security import audit
from hmi.store.users import UsersExistError, UserStore
from hmi.tagvalue import TagValue
from tests.fakes import FakeDriver

FAST = ScryptHasher(n=2**10)
PASSWORD = "correct horse"


def _tag(name: str) -> dict[str, Any]:
    return {"name": name, "connection": "plc", "address": f"ns=2;s={name}", "writable": True}


PLANT = {
    "plant": {"name": "t", "title": "T"},
    "connections": [{"name": "plc", "driver": "opcua", "endpoint": "opc.tcp://127.0.0.1:1/x"}],
    "tags": [
        _tag("Painting.RunCmd"),
        _tag("Painting.Recipe"),
        _tag("Painting.Diag.Reset"),
        _tag("Painting.Oven.TemperatureSP"),
        _tag("Welding.RunCmd"),
        {"name": "Painting.Speed", "connection": "plc", "address": "ns=2;s=s"},
    ],
    "security": {
        "operator_tags": ["*.RunCmd", "*.Diag.*", "Painting.Oven.TemperatureSP"],
        "diagnostics_tags": ["*.Diag.*"],
        "critical_tags": ["Painting.Oven.TemperatureSP"],
        "lockout_failures": 3,
        "lockout_minutes": 10,
        "idle_logout_s": 300,
        "scopes": [{"users": ["painter"], "areas": ["Painting"]}],
    },
}


class Clock:
    """An injected clock the test moves by hand."""

    def __init__(self, now: float = 1_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path_factory.mktemp('sec') / 'hmi.db'}")
    users = UserStore(opened.engine)
    for role in Role:
        users.add(role.value, role.value, FAST.hash(PASSWORD), 0.0)
    users.add("painter", "operator", FAST.hash(PASSWORD), 0.0)
    yield opened
    opened.close()


def make_security(store: Store, clock: Clock | None = None, **changes: Any) -> Security:
    cfg = SecurityConfig.model_validate({**PLANT["security"], **changes})
    return Security(
        cfg, UserStore(store.engine), AuditTrail(store.engine, "st1"), hasher=FAST,
        clock=clock or Clock(),
    )  # fmt: skip


def make_runtime(security: Security) -> Runtime:
    rt = Runtime(PlantConfig.model_validate(PLANT), driver_factory=FakeDriver)
    rt.commands.use_security(security)
    asyncio.run(rt.start())
    return rt


def last_audit(store: Store) -> dict[str, Any]:
    with store.engine.connect() as conn:
        row = conn.execute(select(audit).order_by(audit.c.id.desc())).mappings().first()
    return dict(row) if row else {"id": 0}


# ------------------------------------------------------------------------ commands × roles

Command = Callable[[Runtime, Identity, list[str]], Awaitable[bool]]


def _write(tag: str) -> Command:
    async def run(rt: Runtime, who: Identity, effects: list[str]) -> bool:
        result = await rt.commands.write(tag, 1, actor=who, comment="test")
        assert result.ok or result.error.startswith("permission denied")
        return result.ok

    return run


def _guarded(action: str, permission: Permission, area: str = "Painting") -> Command:
    async def run(rt: Runtime, who: Identity, effects: list[str]) -> bool:
        try:
            await rt.commands.run(
                action, permission, lambda: effects.append(action), target="Painting.A1",
                area=area, actor=who,
            )  # fmt: skip
        except PermissionDeniedError:
            return False
        return True

    return run


async def _add_user(rt: Runtime, who: Identity, effects: list[str]) -> bool:
    name = f"new-by-{who.user}"
    try:
        await rt.commands.add_user(name, Role.VIEWER, "a long password", actor=who)
    except PermissionDeniedError:
        return False
    return rt.commands.security.users.get(name) is not None


COMMANDS: dict[str, tuple[Command, Role]] = {  # command: (how, least role that may)
    "write operator tag": (_write("Painting.RunCmd"), Role.OPERATOR),
    "write other tag": (_write("Painting.Recipe"), Role.ENGINEER),
    "write diagnostics tag": (_write("Painting.Diag.Reset"), Role.ENGINEER),
    "acknowledge": (_guarded("acknowledge", Permission.ACK), Role.OPERATOR),
    "silence": (_guarded("silence", Permission.SILENCE), Role.OPERATOR),
    "reason code": (_guarded("reason_code", Permission.REASON_CODE), Role.OPERATOR),
    "shelve": (_guarded("shelve", Permission.SHELVE), Role.SUPERVISOR),
    "out of service": (_guarded("out_of_service", Permission.OUT_OF_SERVICE), Role.SUPERVISOR),
    "history export": (_guarded("history_export", Permission.HISTORY_EXPORT), Role.SUPERVISOR),
    "config reload": (_guarded("config_reload", Permission.CONFIG_RELOAD), Role.ENGINEER),
    "user change": (_add_user, Role.ADMIN),
}


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_each_role_can_do_exactly_what_it_may_and_every_attempt_is_audited(store, command, role):
    how, least = COMMANDS[command]
    rt = make_runtime(make_security(store))
    who = Identity(role.value, role, authenticated=True)
    effects: list[str] = []
    before = last_audit(store)["id"]

    done = asyncio.run(how(rt, who, effects))

    may = role.rank >= least.rank
    assert done is may
    record = last_audit(store)
    assert record["id"] > before
    assert (record["user_name"], record["role"], record["station"]) == (role.value, role, "st1")
    if may:
        assert record["result"] == "ok"
    else:  # nothing changed, and the denial is on the record with its reason
        assert effects == []
        assert rt.drivers["plc"].written == []
        assert record["result"] == "denied"
        assert "may not" in record["detail"]


def test_permissions_are_cumulative_up_the_roles():
    ranks = list(Role)
    for lower, higher in itertools.pairwise(ranks):
        assert permissions_of(lower) < permissions_of(higher)
    assert permissions_of(Role.VIEWER) == frozenset()


def test_a_write_records_who_old_and_new_value_and_the_reason(store):
    rt = make_runtime(make_security(store))
    rt.table.apply([TagValue("Painting.RunCmd", 0)])
    who = Identity("operator", Role.OPERATOR, authenticated=True)
    result = asyncio.run(rt.commands.write("Painting.RunCmd", 1, actor=who, comment="restart"))
    assert result.ok and rt.drivers["plc"].written == [("Painting.RunCmd", 1)]
    rec = last_audit(store)
    keys = ("action", "target", "area", "old_value", "new_value", "comment")
    assert {k: rec[k] for k in keys} == {
        "action": "write", "target": "Painting.RunCmd", "area": "Painting",
        "old_value": "0", "new_value": "1", "comment": "restart",
    }  # fmt: skip


def test_an_operator_scoped_to_painting_may_write_only_painting_tags(store):
    rt = make_runtime(make_security(store))
    painter = Identity("painter", Role.OPERATOR, authenticated=True)
    ok = asyncio.run(rt.commands.write("Painting.RunCmd", 1, actor=painter))
    refused = asyncio.run(rt.commands.write("Welding.RunCmd", 1, actor=painter))
    assert ok.ok
    assert not refused.ok and "Welding.RunCmd" in refused.error
    assert rt.drivers["plc"].written == [("Painting.RunCmd", 1)]
    assert last_audit(store)["result"] == "denied"
    # the same role without a scope is not narrowed
    other = Identity("operator", Role.OPERATOR, authenticated=True)
    assert asyncio.run(rt.commands.write("Welding.RunCmd", 1, actor=other)).ok


def test_alarm_commands_are_narrowed_by_area_too(store):
    rt = make_runtime(make_security(store))
    painter = Identity("painter", Role.OPERATOR, authenticated=True)
    effects: list[str] = []
    asyncio.run(rt.commands.run("acknowledge", Permission.ACK, lambda: effects.append("p"),
                                area="Painting", actor=painter))  # fmt: skip
    with pytest.raises(PermissionDeniedError, match="area 'Welding'"):
        asyncio.run(rt.commands.run("acknowledge", Permission.ACK, lambda: effects.append("w"),
                                    area="Welding", actor=painter))  # fmt: skip
    assert effects == ["p"]


@pytest.mark.parametrize(
    ("approver", "error"),
    [
        (None, "a second person must sign"),
        (Credential("supervisor", "wrong password"), "wrong user name or password"),
        (Credential("operator", PASSWORD), "the second signature must be another person's"),
        (Credential("painter", PASSWORD), "an approver must be supervisor or above"),
    ],
)
def test_a_critical_write_without_a_valid_second_signature_changes_nothing(store, approver, error):
    rt = make_runtime(make_security(store))
    who = Identity("operator", Role.OPERATOR, authenticated=True)
    result = asyncio.run(
        rt.commands.write("Painting.Oven.TemperatureSP", 180, actor=who, approver=approver)
    )
    assert not result.ok and error in result.error
    assert rt.drivers["plc"].written == []
    assert last_audit(store)["result"] == "denied"


def test_a_critical_write_signed_by_a_supervisor_is_done_and_names_the_approver(store):
    rt = make_runtime(make_security(store))
    who = Identity("operator", Role.OPERATOR, authenticated=True)
    signed = Credential("supervisor", PASSWORD)
    result = asyncio.run(
        rt.commands.write("Painting.Oven.TemperatureSP", 180, actor=who, approver=signed)
    )
    assert result.ok and rt.drivers["plc"].written == [("Painting.Oven.TemperatureSP", 180)]
    rec = last_audit(store)
    assert (rec["result"], rec["user_name"], rec["approver"]) == ("ok", "operator", "supervisor")


def test_without_a_login_the_station_is_a_viewer_and_may_not_write(store):
    rt = make_runtime(make_security(store))
    result = asyncio.run(rt.commands.write("Painting.RunCmd", 1))
    assert not result.ok and "'station' (viewer)" in result.error
    assert last_audit(store)["user_name"] == "station"


def test_a_configured_operator_station_writes_operator_tags_without_a_login(store):
    sec = make_security(store, station={"user": "line-1", "role": "operator"})
    rt = make_runtime(sec)
    assert asyncio.run(rt.commands.write("Painting.RunCmd", 1)).ok
    assert not asyncio.run(rt.commands.write("Painting.Recipe", 1)).ok
    assert last_audit(store)["user_name"] == "line-1"


def test_a_plant_without_a_security_section_runs_open():
    rt = Runtime(
        PlantConfig.model_validate({k: v for k, v in PLANT.items() if k != "security"}),
        driver_factory=FakeDriver,
    )
    asyncio.run(rt.start())
    assert not rt.commands.security.policy.enabled
    assert asyncio.run(rt.commands.write("Painting.Recipe", 5)).ok


def test_the_logged_in_user_acts_and_logout_returns_to_the_station(store):
    rt = make_runtime(make_security(store))
    who = asyncio.run(rt.commands.login("engineer", PASSWORD))
    assert who == Identity("engineer", Role.ENGINEER, authenticated=True)
    assert asyncio.run(rt.commands.write("Painting.Recipe", 3)).ok
    assert last_audit(store)["user_name"] == "engineer"
    asyncio.run(rt.commands.logout())
    assert last_audit(store)["action"] == "logout"
    assert not asyncio.run(rt.commands.write("Painting.Recipe", 4)).ok


# ------------------------------------------------------------------------ passwords


def test_password_hashes_are_salted_and_verify_only_the_right_password():
    hashed = FAST.hash(PASSWORD)
    assert PASSWORD not in hashed and hashed.startswith("scrypt$1024$8$1$")
    assert FAST.hash(PASSWORD) != hashed  # a fresh salt each time
    assert FAST.verify(hashed, PASSWORD)
    assert not FAST.verify(hashed, PASSWORD + "!")
    assert not FAST.verify("not a hash", PASSWORD)
    assert ScryptHasher().needs_rehash(hashed) and not FAST.needs_rehash(hashed)


def test_a_too_short_password_is_refused(store):
    sec = make_security(store)
    with pytest.raises(SecurityError, match="at least 8"):
        sec.admin.add(Identity("admin", Role.ADMIN), "shorty", Role.VIEWER, "short")


# ------------------------------------------------------------------------ lockout and sessions


def test_an_account_locks_after_n_failures_and_unlocks_after_m_minutes(tmp_path):
    with open_store(f"sqlite:///{tmp_path / 'hmi.db'}") as st:
        UserStore(st.engine).add("ann", "operator", FAST.hash(PASSWORD), 0.0)
        clock = Clock()
        sessions = make_security(st, clock).sessions
        for _ in range(2):
            with pytest.raises(AuthenticationError, match="wrong user name or password"):
                sessions.login("ann", "guess")
        with pytest.raises(AuthenticationError, match="now locked for 10 min"):
            sessions.login("ann", "guess")
        clock.now += 9 * 60  # still locked: even the right password is refused
        with pytest.raises(AuthenticationError, match="locked"):
            sessions.login("ann", PASSWORD)
        clock.now += 61
        assert sessions.login("ann", PASSWORD).user == "ann"
        trail = [(r.action, r.result, r.user_name) for r in AuditTrail(st.engine, "x").records()]
        assert trail == [("login", "failed", "ann")] * 4 + [("login", "ok", "ann")]


def test_a_disabled_user_cannot_log_in(tmp_path):
    with open_store(f"sqlite:///{tmp_path / 'hmi.db'}") as st:
        sec = make_security(st)
        admin = Identity("admin", Role.ADMIN, authenticated=True)
        sec.admin.add(admin, "bo", Role.OPERATOR, PASSWORD)
        sec.admin.set_disabled(admin, "bo")
        with pytest.raises(AuthenticationError, match="disabled"):
            sec.sessions.login("bo", PASSWORD)


def test_an_idle_session_is_logged_out_and_activity_keeps_it(store):
    clock = Clock()
    sessions = make_security(store, clock).sessions
    seen: list[Identity] = []
    sessions.add_listener(seen.append)
    sessions.login("operator", PASSWORD)
    clock.now += 299
    sessions.touch()
    clock.now += 299
    assert sessions.current.user == "operator"
    clock.now += 2
    assert sessions.current == sessions.station_identity
    assert [w.user for w in seen] == ["operator", "station"]
    rec = last_audit(store)
    assert (rec["action"], rec["user_name"], rec["comment"]) == (
        "logout", "operator", "idle for more than 300 s",
    )  # fmt: skip


def test_a_failed_switch_of_user_keeps_the_current_one(store):
    sessions = make_security(store).sessions
    sessions.login("operator", PASSWORD)
    with pytest.raises(AuthenticationError):
        sessions.switch_user("supervisor", "nope")
    assert sessions.current.user == "operator"
    assert sessions.switch_user("supervisor", PASSWORD).role is Role.SUPERVISOR


def test_first_start_asks_for_the_admin_once(tmp_path):
    with open_store(f"sqlite:///{tmp_path / 'hmi.db'}") as st:
        sessions = make_security(st).sessions
        assert sessions.needs_first_admin()
        sessions.create_first_admin("boss", PASSWORD)
        assert not sessions.needs_first_admin()
        with pytest.raises(UsersExistError):
            sessions.create_first_admin("intruder", PASSWORD)
        assert sessions.login("boss", PASSWORD).role is Role.ADMIN
