"""The simulator's Modbus TCP side as integrators meet it: through our driver, through an
independent client (pyModbusTCP), and in agreement with the demo config and the model."""

from __future__ import annotations

import asyncio
import math
import socket
import struct
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from asyncua import Client
from pyModbusTCP.client import ModbusClient

from hmi.config import PlantConfig, load_config
from hmi.config_connections import ModbusConnection
from hmi.drivers.modbus_address import parse_address
from hmi.paths import DEMO_CONFIG
from hmi.runtime.engine import Runtime
from hmi.sim import MODBUS_CONNECTION, OPCUA_CONNECTION
from hmi.sim.register_map import ASSEMBLY_MAP, Point
from hmi.sim.server import SimBindError, SimServer
from hmi.tagvalue import Quality

pytestmark = pytest.mark.protocol

TIMEOUT_S = 30.0  # whole test, two busy cores
WAIT_S = 15.0  # one condition

MODBUS_TAGS = [p.tag for p in ASSEMBLY_MAP.points]


def run(coro: Awaitable[Any]) -> Any:
    return asyncio.run(asyncio.wait_for(coro, TIMEOUT_S))


async def until(check: Callable[[], Any], timeout: float = WAIT_S) -> None:
    """Wait until `check()` (sync or async) is true, polling every 50 ms, at most `timeout`."""

    async def loop() -> None:
        while True:
            ok = check()
            if asyncio.iscoroutine(ok):
                ok = await ok
            if ok:
                return
            await asyncio.sleep(0.05)

    await asyncio.wait_for(loop(), timeout)


def matches(point: Point, got: Any, expected: Any) -> bool:
    """Equal up to what the register format can carry (float32, scaled counts)."""
    if isinstance(expected, bool | str):
        return got == expected
    if point.type.value == "float32":
        return math.isclose(got, expected, rel_tol=1e-6, abs_tol=1e-9)
    return abs(got - expected) <= point.resolution + 1e-9


def demo_config() -> PlantConfig:
    return load_config(DEMO_CONFIG)


async def frozen_plant(seconds: float = 90.0) -> SimServer:
    """A started simulator whose plant stands still after `seconds` of history."""
    sim = SimServer(port=0, modbus_port=0, seed=1, on_line_change=None, step_s=None)
    await sim.start()
    for _ in range(round(seconds / 0.1)):
        sim.model.step(0.1)
    await sim.publish()
    return sim


async def started_runtime(config: PlantConfig, names: list[str]) -> Runtime:
    """A runtime on `config` whose tags `names` are all GOOD."""
    rt = Runtime(config)
    await rt.start()
    try:
        await until(lambda: all(rt.table.get(n).quality is Quality.GOOD for n in names))
    except TimeoutError:
        bad = {n: rt.table.get(n) for n in names if rt.table.get(n).quality is not Quality.GOOD}
        await rt.stop()
        raise AssertionError(f"not GOOD in time: {bad}") from None
    return rt


# --------------------------------------------------------------------------- config vs map


def test_demo_config_reads_the_assembly_line_over_modbus_exactly_as_the_map_serves_it():
    """Config and simulator never drift apart: same tags, addresses, types, scaling, access."""
    config = demo_config()
    conn = config.connection(MODBUS_CONNECTION)
    assert isinstance(conn, ModbusConnection)
    assert (conn.host, conn.port, conn.unit_id) == ("127.0.0.1", 5020, ASSEMBLY_MAP.unit_id)
    tags = {t.name: t for t in config.tags_of(MODBUS_CONNECTION)}
    assert set(tags) == set(MODBUS_TAGS)
    for point in ASSEMBLY_MAP.points:
        tag = tags[point.tag]
        addr, served = parse_address(tag.address), parse_address(point.address)
        assert (addr.table, addr.offset, addr.bit, addr.string_bytes) == (
            served.table, served.offset, served.bit, served.string_bytes,
        ), point.tag  # fmt: skip
        if point.count > 1 and point.type.value != "string":
            assert (addr.order or conn.word_order) == point.order, point.tag
        assert tag.type == point.type, point.tag
        assert (tag.scale.factor if tag.scale else (1.0, 0.0)) == (point.gain, 0.0), point.tag
        assert tag.writable == point.writable, point.tag
        assert tag.units == point.units, point.tag
    assert {t.line for t in tags.values()} == {"Assembly"}


def test_every_model_tag_is_in_the_config_over_one_protocol_or_the_other():
    config = demo_config()
    sim = SimServer(modbus_port=None)  # not started: only its model is needed
    model_tags = {s.name for s in sim.model.specs}
    over_opcua = {t.name for t in config.tags_of(OPCUA_CONNECTION)}
    over_modbus = {t.name for t in config.tags_of(MODBUS_CONNECTION)}
    assert not over_opcua & over_modbus
    assert model_tags <= over_opcua | over_modbus
    assert {n for n in model_tags if n.startswith("Assembly.")} <= over_modbus
    specs = {s.name: s for s in sim.model.specs}
    for name in over_modbus & model_tags:  # same units and descriptions as the model says
        tag = config.tag(name)
        assert (tag.units, tag.description.en) == (specs[name].units, specs[name].en), name


# --------------------------------------------------------------------------- through our driver


def test_driver_reads_every_assembly_tag_good_with_the_models_values():
    async def body() -> None:
        sim = await frozen_plant()
        try:
            values = sim.model.values()
            assert values["Assembly.GoodCount"] > 0, "90 s of plant should have made parts"
            rt = await started_runtime(sim.retarget(demo_config()), MODBUS_TAGS)
            try:
                for point in ASSEMBLY_MAP.points:
                    got = rt.table.get(point.tag).value
                    expected = point.value(values)
                    assert matches(point, got, expected), (point.tag, got, expected)
                stats = rt.drivers[MODBUS_CONNECTION].stats
                assert stats.blocks == 3  # coils, holding and input registers: one read each
            finally:
                await rt.stop()
        finally:
            await sim.stop()

    run(body())


def test_run_cmd_written_over_modbus_stops_the_line_on_both_protocols():
    async def body() -> None:
        async with SimServer(port=0, modbus_port=0, seed=1, on_line_change=None) as sim:
            rt = await started_runtime(
                sim.retarget(demo_config()), ["Assembly.RunCmd", "Welding.State"]
            )
            try:
                result = await rt.commands.write("Assembly.RunCmd", False)
                assert result.ok, result.error
                assert sim.model.lines["Assembly"].run_cmd is False

                def modbus_says_stopped() -> bool:
                    state, reason = (rt.table.get(f"Assembly.{n}").value
                                     for n in ("State", "ReasonCode"))  # fmt: skip
                    return (state, reason) == (2, 900)

                await until(modbus_says_stopped)
                assert rt.table.get("Assembly.Status.Running").value is False
                async with Client(sim.endpoint) as opc:
                    state = opc.get_node("ns=2;s=Assembly.State")
                    reason = opc.get_node("ns=2;s=Assembly.ReasonCode")

                    async def opcua_says_stopped() -> bool:
                        return (await state.read_value(), await reason.read_value()) == (2, 900)

                    await until(opcua_says_stopped)
                    assert await opc.get_node("ns=2;s=Assembly.RunCmd").read_value() is False

                result = await rt.commands.write("Assembly.RunCmd", True)
                assert result.ok, result.error
                await until(lambda: rt.table.get("Assembly.ReasonCode").value != 900)
            finally:
                await rt.stop()

    run(body())


def test_setpoint_written_over_modbus_reaches_the_model_and_a_bad_one_is_refused():
    async def body() -> None:
        async with SimServer(port=0, modbus_port=0, seed=1, on_line_change=None) as sim:
            tag = "Assembly.Conveyor.SpeedSP"
            rt = await started_runtime(sim.retarget(demo_config()), [tag])
            try:
                result = await rt.commands.write(tag, 18.5)
                assert result.ok, result.error
                assert result.value == 18.5  # confirmed by read-back
                assert sim.model.values()[tag] == 18.5
                async with Client(sim.endpoint) as opc:
                    node = opc.get_node(f"ns=2;s={tag}")

                    async def opcua_shows_it() -> bool:
                        return await node.read_value() == 18.5

                    await until(opcua_shows_it)

                refused = await rt.commands.write(tag, 1000.0)  # the model allows 0 … 30
                assert not refused.ok
                assert "exception 3" in (refused.error or ""), refused.error
                assert sim.model.values()[tag] == 18.5
            finally:
                await rt.stop()

    run(body())


# --------------------------------------------------------------------------- independent client


def test_an_independent_client_reads_and_writes_per_the_documented_map():
    """pyModbusTCP, not pymodbus: float32 ABCD, uint32 CDAB, a string, a coil, a refusal."""

    def talk(port: int) -> dict[str, Any]:
        client = ModbusClient(host="127.0.0.1", port=port, unit_id=1, timeout=5.0)
        try:
            out: dict[str, Any] = {
                "rate": client.read_holding_registers(8, 2),  # hr:8-9 float32 ABCD
                "voltage": client.read_input_registers(0, 2),  # ir:0-1 float32 ABCD
                "good": client.read_holding_registers(4, 2),  # hr:4-5 uint32 CDAB
                "product": client.read_holding_registers(10, 8),  # hr:10-17 16 chars
                "temperature": client.read_input_registers(4, 1),  # ir:4 int16, 0.1 °C
                "stop": client.write_single_coil(0, False),  # coil:0 RunCmd
                "state_write": client.write_single_register(0, 1),  # hr:0 is read-only
                "state_write_exception": client.last_except,
            }
            return out
        finally:
            client.close()

    async def body() -> None:
        sim = await frozen_plant()
        try:
            values = sim.model.values()
            assert sim.modbus_port is not None
            got = await asyncio.to_thread(talk, sim.modbus_port)
            rate = struct.unpack(">f", struct.pack(">2H", *got["rate"]))[0]
            assert math.isclose(rate, values["Assembly.Rate"], rel_tol=1e-6)
            voltage = struct.unpack(">f", struct.pack(">2H", *got["voltage"]))[0]
            assert math.isclose(voltage, values["Assembly.Conveyor.MotorVoltage"], rel_tol=1e-6)
            low, high = got["good"]
            assert (high << 16) | low == values["Assembly.GoodCount"]
            text = struct.pack(">8H", *got["product"]).rstrip(b"\0").decode()
            assert text == values["Assembly.Product"]
            raw = struct.unpack(">h", struct.pack(">H", got["temperature"][0]))[0]
            assert abs(raw / 10 - values["Assembly.Conveyor.MotorTemperature"]) <= 0.05 + 1e-9
            assert got["stop"] is True
            assert sim.model.lines["Assembly"].run_cmd is False
            assert got["state_write"] is False and got["state_write_exception"] == 2
        finally:
            await sim.stop()

    run(body())


def test_a_busy_modbus_port_is_named_and_nothing_stays_bound():
    async def body() -> None:
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            busy = taken.getsockname()[1]
            sim = SimServer(port=0, modbus_port=busy, on_line_change=None)
            with pytest.raises(SimBindError) as err:
                await sim.start()
            assert err.value.protocol == "Modbus TCP"
            assert f"127.0.0.1:{busy}: the port is in use" in str(err.value)
            with pytest.raises(OSError):  # the OPC UA side was shut again
                socket.create_connection(("127.0.0.1", sim.port), timeout=1.0).close()

    run(body())
