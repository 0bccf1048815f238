"""The runtime core without any network: tag table, fan-out, the command API's checks."""

from __future__ import annotations

import asyncio

import pytest

from hmi.config import PlantConfig
from hmi.drivers.base import ConnectionState
from hmi.runtime.engine import Runtime
from hmi.runtime.host import RuntimeThread
from hmi.tagvalue import Quality, TagValue
from tests.fakes import CONFIG, FakeDriver, Recorder


class Faulty:
    def on_updates(self, batch):
        raise RuntimeError("listener bug")

    def on_connection(self, *args):
        raise RuntimeError("listener bug")


def make_runtime() -> Runtime:
    return Runtime(PlantConfig.model_validate(CONFIG), driver_factory=FakeDriver)


def test_tags_start_disconnected_and_updates_reach_every_listener_despite_a_faulty_one():
    rt = make_runtime()
    assert rt.table.get("L.Speed").quality is Quality.DISCONNECTED
    rec = Recorder()
    rt.add_listener(Faulty())
    rt.add_listener(rec)
    rt.updates([TagValue("L.Speed", 12.5, source_ts=100.0), TagValue("Unknown.Tag", 1)])
    assert rt.table.get("L.Speed").value == 12.5
    assert [[tv.name for tv in b] for b in rec.batches] == [["L.Speed"]]  # unknown tag dropped


def test_connection_states_are_tracked_and_announced():
    rt = make_runtime()
    rec = Recorder()
    rt.add_listener(rec)
    asyncio.run(rt.start())
    assert rt.connection_states["plc"] is ConnectionState.CONNECTED
    assert rec.states == [("plc", ConnectionState.CONNECTED)]


@pytest.mark.parametrize(
    ("tag", "error"),
    [("L.Speed", "tag 'L.Speed' is read-only"), ("No.Such", "no tag named 'No.Such'")],
)
def test_command_api_refuses_bad_writes_before_the_driver(tag, error):
    rt = make_runtime()
    asyncio.run(rt.start())
    result = asyncio.run(rt.commands.write(tag, 1.0))
    assert (result.ok, result.error) == (False, error)
    assert rt.drivers["plc"].written == []


def test_command_api_refuses_writes_while_disconnected():
    rt = make_runtime()  # not started: connection not up
    result = asyncio.run(rt.commands.write("L.SP", 1.0))
    assert result.error == "connection 'plc' is not connected"


def test_runtime_thread_runs_commands_off_the_caller_thread_and_stops_clean():
    rt = make_runtime()
    host = RuntimeThread(rt)
    host.start()
    try:
        result = host.submit(rt.commands.write("L.SP", 42.0)).result(5)
        assert result.ok and rt.drivers["plc"].written == [("L.SP", 42.0)]
    finally:
        host.stop()
    assert rt.table.get("L.SP").quality is Quality.DISCONNECTED
    assert rt.connection_states["plc"] is ConnectionState.STOPPED


def test_an_outage_keeps_the_last_value_for_context():
    rt = make_runtime()
    rt.updates([TagValue("L.Speed", 7.5, source_ts=50.0)])
    rec = Recorder()
    rt.add_listener(rec)
    rt.updates([TagValue("L.Speed", None, Quality.DISCONNECTED, 60.0, 60.0, "lost")])
    tv = rt.table.get("L.Speed")
    assert (tv.value, tv.quality, tv.source_ts, tv.reason) == (
        7.5,
        Quality.DISCONNECTED,
        50.0,
        "lost",
    )
    assert rec.batches == [[tv]]  # listeners see what the table holds
