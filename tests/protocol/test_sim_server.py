"""The simulator as an OPC UA client sees it, and its agreement with the demo config."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from asyncua import Client, Node, ua
from pymodbus.client import AsyncModbusTcpClient

from hmi.config import load_config
from hmi.paths import DEMO_CONFIG
from hmi.sim import MODBUS_CONNECTION, NAMESPACE_URI, OPCUA_CONNECTION
from hmi.sim.launch import start_sim_process
from hmi.sim.server import VARIANT_TYPES, SimServer

pytestmark = pytest.mark.protocol

TIMEOUT_S = 20.0


def run(coro: Awaitable[Any]) -> Any:
    """Run one test coroutine with a hard bound, so a hang fails instead of stalling."""
    return asyncio.run(asyncio.wait_for(coro, TIMEOUT_S))


async def until(check: Callable[[], Awaitable[bool]], timeout: float = 10.0) -> None:
    """Wait until `check()` is true, polling every 0.1 s, at most `timeout` seconds."""

    async def loop() -> None:
        while not await check():
            await asyncio.sleep(0.1)

    await asyncio.wait_for(loop(), timeout)


def node(client: Client, tag: str) -> Node:
    return client.get_node(f"ns=2;s={tag}")


async def write(client: Client, tag: str, value: Any, vtype: ua.VariantType) -> None:
    # A DataValue without timestamps: what strict servers accept, as the driver sends it.
    await node(client, tag).write_value(ua.DataValue(ua.Variant(value, vtype)))


def test_values_change_over_time():
    async def body() -> None:
        async with (
            SimServer(port=0, seed=1, on_line_change=None, modbus_port=None) as sim,
            Client(sim.endpoint) as c,
        ):
            current = node(c, "Welding.Conveyor.MotorCurrent")
            good = node(c, "Welding.GoodCount")
            first_current, first_good = await current.read_value(), await good.read_value()
            assert 5.0 < first_current < 15.0

            async def changed() -> bool:
                return (await current.read_value() != first_current) and (
                    await good.read_value() > first_good
                )

            await until(changed)

    run(body())


def test_folder_tree_is_browsable_with_names_and_descriptions():
    async def body() -> None:
        async with (
            SimServer(port=0, seed=1, on_line_change=None, modbus_port=None) as sim,
            Client(sim.endpoint) as c,
        ):
            assert await c.get_namespace_index(NAMESPACE_URI) == 2
            path = ["2:BicycleFactory", "2:Welding", "2:Conveyor", "2:MotorCurrent"]
            var = await c.nodes.objects.get_child(path)
            assert var.nodeid == ua.NodeId("Welding.Conveyor.MotorCurrent", 2)
            assert (await var.read_display_name()).Text == "MotorCurrent"
            assert "motor current" in (await var.read_description()).Text
            factory = await c.nodes.objects.get_child(["2:BicycleFactory"])
            names = {(await n.read_browse_name()).Name for n in await factory.get_children()}
            assert names == {"Welding", "Painting", "Assembly"}

    run(body())


def test_writing_run_cmd_false_stops_the_line_and_true_restarts_it():
    async def body() -> None:
        async with (
            SimServer(port=0, seed=1, on_line_change=None, modbus_port=None) as sim,
            Client(sim.endpoint) as c,
        ):
            state, reason = node(c, "Welding.State"), node(c, "Welding.ReasonCode")
            await write(c, "Welding.RunCmd", False, ua.VariantType.Boolean)
            assert sim.model.lines["Welding"].run_cmd is False

            async def stopped() -> bool:
                return (await state.read_value(), await reason.read_value()) == (2, 900)

            await until(stopped)
            assert await node(c, "Welding.Rate").read_value() == 0.0

            await write(c, "Welding.RunCmd", True, ua.VariantType.Boolean)

            async def released() -> bool:
                return await reason.read_value() != 900

            await until(released)
            assert await node(c, "Welding.RunCmd").read_value() is True

    run(body())


def test_setpoint_writes_reach_the_model_and_bad_ones_are_refused():
    async def body() -> None:
        async with (
            SimServer(port=0, seed=1, on_line_change=None, modbus_port=None) as sim,
            Client(sim.endpoint) as c,
        ):
            await write(c, "Painting.Oven.TemperatureSP", 195.0, ua.VariantType.Double)
            assert sim.model.values()["Painting.Oven.TemperatureSP"] == 195.0

            with pytest.raises(ua.UaStatusCodeError) as err:
                await write(c, "Welding.Conveyor.SpeedSP", 1000.0, ua.VariantType.Double)
            assert err.value.code == ua.StatusCodes.BadOutOfRange
            assert await node(c, "Welding.Conveyor.SpeedSP").read_value() == 12.0

            with pytest.raises(ua.UaStatusCodeError) as err:
                await write(c, "Welding.State", 1, ua.VariantType.Int16)
            assert err.value.code == ua.StatusCodes.BadUserAccessDenied

    run(body())


def test_every_opcua_config_tag_is_served_with_its_type_and_access():
    """The demo config and the simulator must never drift apart, in either direction.

    The OPC UA server serves the whole plant; the config reads the Assembly line
    over Modbus instead (checked against the Modbus server in test_sim_modbus.py).
    """
    config = load_config(DEMO_CONFIG)
    opcua_tags = config.tags_of(OPCUA_CONNECTION)
    assert {t.line for t in opcua_tags} == {"Welding", "Painting"}

    async def served_tags(folder: Node) -> set[str]:
        out: set[str] = set()
        for child in await folder.get_children():
            if await child.read_node_class() == ua.NodeClass.Variable:
                out.add(child.nodeid.Identifier)
            else:
                out |= await served_tags(child)
        return out

    async def body() -> None:
        async with (
            SimServer(port=0, seed=1, on_line_change=None, modbus_port=None) as sim,
            Client(sim.endpoint) as c,
        ):
            for tag in opcua_tags:
                var = c.get_node(tag.address)
                data_type = await var.read_data_type()
                expected = VARIANT_TYPES[tag.type]
                assert data_type == ua.NodeId(expected.value, 0), tag.name
                value = await var.read_data_value()
                assert value.Value.VariantType == expected, tag.name
                access = await var.read_attribute(ua.AttributeIds.UserAccessLevel)
                can_write = bool(access.Value.Value & (1 << ua.AccessLevel.CurrentWrite))
                assert can_write == tag.writable, tag.name
            factory = await c.nodes.objects.get_child(["2:BicycleFactory"])
            served = await served_tags(factory)
            assert served == {s.name for s in sim.model.specs}
            assert {t.name for t in opcua_tags} == {
                n for n in served if not n.startswith("Assembly.")
            }

    run(body())


def test_start_sim_process_serves_both_protocols_and_stops_cleanly():
    with start_sim_process(seed=2) as sim:
        assert sim.endpoint == f"opc.tcp://127.0.0.1:{sim.port}/pro4/sim"
        assert sim.modbus_port != sim.port
        config = sim.retarget(load_config(DEMO_CONFIG))
        assert config.connection(OPCUA_CONNECTION).endpoint == sim.endpoint
        modbus = config.connection(MODBUS_CONNECTION)
        assert (modbus.host, modbus.port) == ("127.0.0.1", sim.modbus_port)
        assert config.source == DEMO_CONFIG

        async def read_product() -> tuple[str, list[int]]:
            async with Client(sim.endpoint) as c:
                over_opcua = await node(c, "Assembly.Product").read_value()
            mb = AsyncModbusTcpClient("127.0.0.1", port=sim.modbus_port, timeout=5.0)
            try:
                assert await mb.connect()
                regs = (await mb.read_holding_registers(10, count=8, device_id=1)).registers
            finally:
                mb.close()
            return over_opcua, regs

        over_opcua, regs = run(read_product())
        assert over_opcua == "CITY-26"
        assert b"".join(r.to_bytes(2, "big") for r in regs).rstrip(b"\0") == b"CITY-26"
    assert sim.proc.returncode == 0  # SIGTERM shuts it down cleanly
    assert f"serving {sim.endpoint}" in sim.output()
    assert f"serving {sim.modbus_endpoint}" in sim.output()
    for port in (sim.port, sim.modbus_port):
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=1.0).close()
