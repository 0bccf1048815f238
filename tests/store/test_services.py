"""The assembled plant journals what the station goes through, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from hmi.config import PlantConfig, load_config
from hmi.drivers.base import ConnectionState
from hmi.paths import DEMO_CONFIG
from hmi.runtime.security import Identity, PermissionDeniedError, Role
from hmi.runtime.services import PlantServices
from hmi.store.audit import AuditTrail
from hmi.store.database import open_store
from hmi.store.history import HistoryReader
from hmi.store.oee_store import OeeStore
from hmi.store.queries import EventFilter, fetch_events
from hmi.tagvalue import Quality, TagValue
from tests.fakes import CONFIG, FakeDriver, SqliteWriteLock


def system_events(url: str) -> list[tuple[str, str | None, str]]:
    with open_store(url) as store:
        rows = fetch_events(store.engine, EventFilter(kinds=["system"]), limit=100)
    return [(e.type, e.source, e.message) for e in rows]


def test_start_connection_loss_and_recovery_and_stop_are_journaled(store_url):
    services = PlantServices(PlantConfig.model_validate(CONFIG), store_url,
                             driver_factory=FakeDriver)  # fmt: skip
    rt = services.runtime

    async def life() -> None:
        await services.start()  # the fake driver connects at once
        rt.connection_state("plc", ConnectionState.DISCONNECTED, "no answer within 4.0 s")
        rt.connection_state("plc", ConnectionState.CONNECTING, "")
        rt.connection_state("plc", ConnectionState.DISCONNECTED, "connection refused")
        rt.connection_state("plc", ConnectionState.CONNECTED, "")
        await services.stop()

    asyncio.run(life())
    services.close()
    assert system_events(store_url) == [
        ("config_loaded", None, "plant 't': 2 tags, 1 connections"),
        ("start", None, "runtime started"),
        ("connection_lost", "plc", "no answer within 4.0 s"),
        ("connection_restored", "plc", "connection restored"),
        ("stop", None, "runtime stopped"),
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_headless_runtime_writes_its_events_to_the_db_given(tmp_path):
    port = free_port()  # nothing listens there: the connection is lost from the start
    config = tmp_path / "plant.toml"
    config.write_text(textwrap.dedent(f"""\
        [plant]
        name = "lonely"
        title = "Lonely plant"
        [[connections]]
        name = "plc"
        driver = "opcua"
        endpoint = "opc.tcp://127.0.0.1:{port}/x"
        timeout_s = 1.0
        [[tags]]
        name = "L.Speed"
        connection = "plc"
        address = "ns=2;s=Speed"
    """))  # fmt: skip
    url = f"sqlite:///{tmp_path / 'events.db'}"
    run = subprocess.run(
        [sys.executable, "-m", "hmi", "runtime", "--config", str(config), "--db", url,
         "--for", "2"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "tags: 1 disconnected" in run.stdout
    types = [(t, s) for t, s, _ in system_events(url)]
    assert types == [
        ("config_loaded", str(config)),
        ("start", None),
        ("connection_lost", "plc"),
        ("stop", None),
    ]


ALARMED = {
    **CONFIG,
    "alarms": [{"tag": "L.Speed", "type": "hi", "limit": 10.0, "priority": 2,
                "message": {"en": "Speed high", "zh_TW": "速度過高"}}],
}  # fmt: skip


def test_an_unacknowledged_alarm_survives_a_restart(store_url):
    services = PlantServices(PlantConfig.model_validate(ALARMED), store_url,
                             driver_factory=FakeDriver)  # fmt: skip
    services.runtime.updates([TagValue("L.Speed", 12.0)])  # above HI: active, unacknowledged
    (record,) = services.alarms.active()
    assert (record.alarm_id, record.unacked) == ("L.Speed.HI", True)
    services.close()  # the station goes away without anyone acknowledging

    again = PlantServices(PlantConfig.model_validate(ALARMED), store_url,
                          driver_factory=FakeDriver)  # fmt: skip
    try:
        (restored,) = again.alarms.active()
        assert (restored.alarm_id, restored.unacked, restored.condition) == (
            "L.Speed.HI",
            True,
            True,
        )
        with again.alarm_journal.collecting() as tickets:
            again.alarms.ack("L.Speed.HI", user="op1", comment="seen")
        assert all(t.result(5) for t in tickets)  # on disk before we call it done
    finally:
        again.close()
    with open_store(store_url) as store:
        acks = fetch_events(store.engine, EventFilter(kinds=["alarm"], types=["acknowledged"]))
    assert [(e.source, e.user, e.comment) for e in acks] == [("L.Speed", "op1", "seen")]


def test_history_recorded_by_the_runtime_is_read_back_after_a_restart(store_url):
    services = PlantServices(PlantConfig.model_validate(CONFIG), store_url,
                             driver_factory=FakeDriver)  # fmt: skip
    for i, value in enumerate([5.0, 6.0, 7.5]):
        services.runtime.updates([TagValue("L.Speed", value, source_ts=1000.0 + i)])
    services.runtime.updates([TagValue("L.Speed", None, Quality.DISCONNECTED, 1003.0, 1003.0)])
    services.close()

    with open_store(store_url) as store:
        series = HistoryReader(store.engine).raw("L.Speed", 999.0, 1010.0)
    assert series.ts.tolist() == [1000.0, 1001.0, 1002.0, 1003.0]
    assert series.value[:3].tolist() == [5.0, 6.0, 7.5]
    assert np.isnan(series.value[3])  # the outage is a gap, not a line


SECURED = {**ALARMED, "security": {"enabled": True}}


@pytest.mark.parametrize(
    ("role", "allowed"), [(Role.VIEWER, False), (Role.OPERATOR, True), (Role.SUPERVISOR, True)]
)
def test_acknowledging_goes_through_the_command_api_checked_audited_and_journaled(
    store_url, role, allowed
):
    services = PlantServices(PlantConfig.model_validate(SECURED), store_url,
                             driver_factory=FakeDriver)  # fmt: skip
    try:
        services.runtime.updates([TagValue("L.Speed", 12.0)])
        who = Identity("pat", role, authenticated=True)
        ack = services.alarm_commands.ack(["L.Speed.HI"], comment="on it", actor=who)
        if allowed:
            (event,) = asyncio.run(ack)
            assert (event.user, event.comment) == ("pat", "on it")
        else:
            with pytest.raises(PermissionDeniedError, match="may not"):
                asyncio.run(ack)
        assert services.alarms.record("L.Speed.HI").unacked is not allowed
        (audit,) = list(AuditTrail(services.store.engine, services.station).records())
        assert (audit.user_name, audit.action, audit.target, audit.result) == (
            "pat", "alarm.ack", "L.Speed.HI", "ok" if allowed else "denied",
        )  # fmt: skip
    finally:
        services.close()
    with open_store(store_url) as store:
        acks = fetch_events(store.engine, EventFilter(kinds=["alarm"], types=["acknowledged"]))
    assert len(acks) == (1 if allowed else 0)


def test_the_demo_lines_state_intervals_are_recorded_for_oee(store_url):
    services = PlantServices(load_config(DEMO_CONFIG), store_url, driver_factory=FakeDriver)
    start = time.time()
    services.runtime.updates([TagValue("Welding.State", 1), TagValue("Welding.GoodCount", 10)])
    services.runtime.updates([TagValue("Welding.State", 3), TagValue("Welding.ReasonCode", 101)])
    asyncio.run(services.stop())  # a clean stop closes the open interval
    services.close()
    with open_store(store_url) as store:
        intervals = OeeStore(store.engine).intervals("Welding", start - 1, time.time() + 1)
    # down with its PLC reason, then unknown once the stopped driver disconnects the tags
    assert [(iv.state, iv.reason) for iv in intervals][-2:] == [("down", 101), ("unknown", None)]


def test_an_unavailable_event_store_raises_a_system_alarm_and_loses_nothing(tmp_path):
    path = tmp_path / "hmi.db"
    store = open_store(f"sqlite:///{path}", sqlite_busy_timeout=0.1)
    services = PlantServices(PlantConfig.model_validate(ALARMED), store=store,
                             driver_factory=FakeDriver)  # fmt: skip
    try:
        assert services.journal.flush(10)
        lock = SqliteWriteLock(path)  # another writer holds the database: inserts fail
        services.runtime.updates([TagValue("L.Speed", 12.0)])  # an alarm to journal
        deadline = time.monotonic() + 20
        while "System.EventStore" not in {r.alarm_id for r in services.alarms.active()}:
            assert time.monotonic() < deadline, "no system alarm for the unavailable store"
            services.journal.flush(0.2)
        lock.release()
        assert services.journal.flush(20), "the queued events did not drain"
        store_alarm = services.alarms.record("System.EventStore")
        assert store_alarm is None or not store_alarm.condition  # returned once it drained
    finally:
        services.close()
    with open_store(f"sqlite:///{path}") as again:
        journaled = fetch_events(again.engine, EventFilter(kinds=["alarm"]), limit=100)
    kinds = [(e.source, e.type) for e in journaled]
    assert ("L.Speed", "activated") in kinds  # queued while locked, written after
    assert ("system:EventStore", "activated") in kinds and (
        "system:EventStore",
        "returned",
    ) in kinds
