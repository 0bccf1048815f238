"""Reason codes through the command API: checked, audited, stored with the user, journaled."""

from __future__ import annotations

import asyncio

import pytest

from hmi.config import PlantConfig
from hmi.runtime.oee_commands import OeeAccess, OeeCommands
from hmi.runtime.security import Identity, PermissionDeniedError, Role
from hmi.runtime.services import PlantServices
from hmi.store.audit import AuditTrail
from hmi.store.oee_store import IntervalRow, ReasonError
from hmi.store.queries import EventFilter, fetch_events
from hmi.tagvalue import TagValue
from tests.fakes import FakeDriver

T0 = 1_741_000_000.0  # a Monday morning in 2025; the exact hour does not matter here

CONFIG = {
    "plant": {"name": "p", "title": "P"},
    "connections": [{"name": "plc", "driver": "opcua", "endpoint": "opc.tcp://127.0.0.1:4840/x"}],
    "tags": [
        {"name": "L.State", "connection": "plc", "address": "ns=2;s=S", "type": "int16"},
        {"name": "L.Good", "connection": "plc", "address": "ns=2;s=G", "type": "uint32"},
        {"name": "L.Reject", "connection": "plc", "address": "ns=2;s=R", "type": "uint32"},
    ],
    "lines": [
        {
            "name": "L", "title": "Line", "tags": ["L.*"], "state_tag": "L.State",
            "oee": {"good_count_tag": "L.Good", "reject_count_tag": "L.Reject",
                    "ideal_cycle_s": 60},
        }
    ],
    "downtime_reasons": [
        {"id": "mech", "name": {"en": "Mechanical", "zh_TW": "機械"},
         "reasons": [{"code": 101, "name": {"en": "Belt slip"}},
                     {"code": 102, "name": {"en": "Motor overload"}}]},
    ],
    "security": {"enabled": True, "station": {"user": "line-pc", "role": "operator"}},
}  # fmt: skip


@pytest.fixture
def services(store_url: str):
    svc = PlantServices(PlantConfig.model_validate(CONFIG), store_url, driver_factory=FakeDriver)
    svc.oee_store.apply(
        [
            IntervalRow("L", T0, T0 + 600, "running"),
            IntervalRow("L", T0 + 600, T0 + 1200, "down", 102),
            IntervalRow("L", T0 + 1200, T0 + 1800, "running"),
        ]
    )
    try:
        yield svc
    finally:
        svc.close()


def audits(svc: PlantServices) -> list[tuple]:
    return [
        (a.user_name, a.action, a.area, a.result)
        for a in AuditTrail(svc.store.engine, svc.station).records()
    ]


def operator_events(svc: PlantServices) -> list:
    assert svc.journal.flush(10.0)  # the journal writes in its own thread
    return fetch_events(svc.store.engine, EventFilter(kinds=["operator"]))


def test_an_operator_assigns_a_reason_stored_with_the_user_audited_and_journaled(services):
    commands = OeeCommands(services.runtime.commands, services.oee_store)
    rows = asyncio.run(commands.assign("L", T0 + 600, [(101, None)]))
    assert [(r.reason, r.seconds, r.user) for r in rows] == [(101, 600.0, "line-pc")]
    stored = services.oee_store.reasons("L", T0, T0 + 3600)
    assert [(r.reason, r.user) for r in stored] == [(101, "line-pc")]
    assert audits(services) == [("line-pc", "oee.reason_code", "L", "ok")]
    (event,) = operator_events(services)
    assert (event.user, event.source, event.value) == ("line-pc", "L", "101")


def test_a_split_stores_two_reasons_with_their_seconds(services):
    commands = OeeCommands(services.runtime.commands, services.oee_store)
    asyncio.run(commands.assign("L", T0 + 600, [(101, 400.0), (102, 200.0)]))
    stored = services.oee_store.reasons("L", T0, T0 + 3600)
    assert [(r.reason, r.seconds) for r in stored] == [(101, 400.0), (102, 200.0)]


def test_a_viewer_is_refused_nothing_is_stored_and_the_denial_is_audited(services):
    commands = OeeCommands(services.runtime.commands, services.oee_store)
    viewer = Identity("mei", Role.VIEWER, authenticated=True)
    with pytest.raises(PermissionDeniedError, match="may not"):
        asyncio.run(commands.assign("L", T0 + 600, [(101, None)], actor=viewer))
    assert services.oee_store.reasons("L", T0, T0 + 3600) == []
    assert audits(services) == [("mei", "oee.reason_code", "L", "denied")]


def test_parts_that_do_not_fit_the_stop_fail_with_a_reason_and_are_audited(services):
    commands = OeeCommands(services.runtime.commands, services.oee_store)
    with pytest.raises(ReasonError, match="add up to"):
        asyncio.run(commands.assign("L", T0 + 600, [(101, 100.0), (102, 100.0)]))
    assert services.oee_store.reasons("L", T0, T0 + 3600) == []
    assert audits(services) == [("line-pc", "oee.reason_code", "L", "failed")]


def test_the_access_reports_what_the_tracker_still_holds(services):
    access = OeeAccess(services.config, services.oee_store, services.oee)
    services.runtime.updates([TagValue("L.State", 1), TagValue("L.Good", 10)])
    services.runtime.updates([TagValue("L.Good", 13), TagValue("L.Reject", 4)])
    services.runtime.updates([TagValue("L.Reject", 5)])
    held = access.live_counts("L")
    assert (held.good, held.reject) == (3, 1)
    assert held.raw == {"L.Good": 13, "L.Reject": 5}
    live = access.live_interval("L")
    assert live is not None and live.state.value == "running"
    assert access.lines == ["L"]
