"""The OPC UA driver against a real asyncua server on loopback, inside a real Runtime."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest
from asyncua import ua

from hmi.config import PlantConfig
from hmi.drivers.base import ConnectionState
from hmi.drivers.opcua_codec import coerce, quality_of
from hmi.drivers.opcua_subscription import resolve_address
from hmi.runtime.engine import Runtime
from hmi.tagvalue import Quality, TagValue

if TYPE_CHECKING:
    from tests.protocol.conftest import OpcTestServer

pytestmark = pytest.mark.protocol

TIMEOUT = 1.0  # the connection's timeout_s in these tests
SLACK_S = 1.0  # scheduling delay a loaded 2-core CI machine may add to a timed promise


# --------------------------------------------------------------------------- helpers


def run(coro: Coroutine[Any, Any, Any], limit: float = 40.0) -> Any:
    """Run one test body in a fresh loop, bounded as a whole."""
    return asyncio.run(asyncio.wait_for(coro, limit))


async def until(cond: Callable[[], bool], timeout: float, what: str) -> float:
    """Poll `cond` until true; fail naming `what` after `timeout` s. Returns the wait taken."""
    start = time.monotonic()
    while not cond():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"not within {timeout} s: {what}")
        await asyncio.sleep(0.01)
    return time.monotonic() - start


class Recorder:
    """A runtime listener that keeps every batch and every connection state."""

    def __init__(self) -> None:
        self.batches: list[list[TagValue]] = []
        self.states: list[tuple[ConnectionState, str]] = []

    def on_updates(self, batch: list[TagValue]) -> None:
        self.batches.append(batch)

    def on_connection(self, connection: str, state: ConnectionState, detail: str) -> None:
        self.states.append((state, detail))

    def details(self) -> str:
        return " ".join(detail for _, detail in self.states)

    def seen(self, name: str) -> list[Any]:
        return [tv.value for b in self.batches for tv in b if tv.name == name]


def plant(endpoint: str, tags: list[dict], **conn: Any) -> PlantConfig:
    connection = {
        "name": "ua",
        "driver": "opcua",
        "endpoint": endpoint,
        "timeout_s": TIMEOUT,
        "publishing_interval_ms": 50,
        "reconnect_min_s": 0.1,
        "reconnect_max_s": 0.5,
    }
    connection.update(conn)
    return PlantConfig.model_validate(
        {
            "plant": {"name": "t", "title": "Test"},
            "connections": [connection],
            "tags": [{"connection": "ua", **t} for t in tags],
        }
    )


def basic_tags(srv: OpcTestServer) -> list[dict]:
    return [
        {"name": "T.Double", "address": srv.nsu("Test.Double"), "writable": True},
        {"name": "T.Int16", "address": srv.ns("Test.Int16"), "type": "int16", "writable": True},
        {"name": "T.Bool", "address": srv.ns("Test.Bool"), "type": "bool", "writable": True},
        {"name": "T.String", "address": srv.ns("Test.String"), "type": "string"},
        {
            "name": "T.ReadOnly",
            "address": srv.ns("Test.ReadOnly"),
            "writable": True,  # the config claims it; the server knows better
        },
    ]


class Harness:
    """A started Runtime with a Recorder; stops the runtime on exit."""

    def __init__(self, config: PlantConfig):
        self.rt = Runtime(config)
        self.rec = Recorder()
        self.rt.add_listener(self.rec)

    async def __aenter__(self) -> Harness:
        await self.rt.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await asyncio.wait_for(self.rt.stop(), 10.0)

    @property
    def state(self) -> ConnectionState:
        return self.rt.connection_states["ua"]

    def tv(self, name: str) -> TagValue:
        return self.rt.table.get(name)

    def all_quality(self, quality: Quality, names: list[str] | None = None) -> bool:
        names = names or [t.name for t in self.rt.config.tags]
        return all(self.tv(n).quality is quality for n in names)

    async def connected_and_good(self, names: list[str], timeout: float = 10.0) -> None:
        await until(
            lambda: (
                self.state is ConnectionState.CONNECTED and self.all_quality(Quality.GOOD, names)
            ),
            timeout,
            f"connected with good {names}",
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------- reading


def test_server_change_arrives_good_with_source_timestamp(opc_server: OpcTestServer) -> None:
    async def body() -> None:
        await opc_server.write("Test.Double", 1.5)
        async with Harness(plant(opc_server.endpoint, basic_tags(opc_server))) as h:
            names = ["T.Double", "T.Int16", "T.Bool", "T.String", "T.ReadOnly"]
            await h.connected_and_good(names)
            # Initial values come batched: fewer sink calls than tags.
            assert len(h.rec.batches) < len(names)
            assert h.tv("T.String").value == "hello"

            stamp = datetime(2026, 1, 2, 3, 4, 5, 500000, tzinfo=UTC)
            before = time.time()
            await opc_server.write("Test.Double", 42.25, source_ts=stamp)
            await until(lambda: h.tv("T.Double").value == 42.25, 5, "new value")
            tv = h.tv("T.Double")
            assert tv.quality is Quality.GOOD and tv.reason == ""
            assert tv.source_ts == pytest.approx(stamp.timestamp(), abs=1e-6)
            assert before - 0.1 <= tv.receive_ts <= time.time() + 0.1

    run(body())


def test_scaling_is_applied(opc_server: OpcTestServer) -> None:
    tags = [
        {
            "name": "T.Level",
            "address": opc_server.ns("Test.Counts"),
            "units": "%",
            "scale": {"raw_min": 0, "raw_max": 1000, "eng_min": 0, "eng_max": 100},
        }
    ]

    async def body() -> None:
        await opc_server.write("Test.Counts", 500)
        async with Harness(plant(opc_server.endpoint, tags)) as h:
            await h.connected_and_good(["T.Level"])
            assert h.tv("T.Level").value == pytest.approx(50.0)
            await opc_server.write("Test.Counts", 250)
            await until(lambda: h.tv("T.Level").value == pytest.approx(25.0), 5, "scaled 25 %")

    run(body())


def test_status_codes_become_quality_with_reason(opc_server: OpcTestServer) -> None:
    async def body() -> None:
        async with Harness(plant(opc_server.endpoint, basic_tags(opc_server)[:1])) as h:
            await h.connected_and_good(["T.Double"])
            code = ua.StatusCodes.UncertainLastUsableValue
            await opc_server.write("Test.Double", 3.0, status=code)
            await until(lambda: h.tv("T.Double").quality is Quality.UNCERTAIN, 5, "uncertain")
            assert h.tv("T.Double").reason == "UncertainLastUsableValue"
            await opc_server.write("Test.Double", 4.0, status=ua.StatusCodes.BadSensorFailure)
            await until(lambda: h.tv("T.Double").quality is Quality.BAD, 5, "bad")
            assert h.tv("T.Double").reason == "BadSensorFailure"
            await opc_server.write("Test.Double", 5.0)
            await until(lambda: h.tv("T.Double").quality is Quality.GOOD, 5, "good again")

    run(body())


def test_unknown_address_is_bad_and_the_rest_works(opc_server: OpcTestServer) -> None:
    tags = [
        *basic_tags(opc_server)[:2],
        {"name": "T.Missing", "address": opc_server.ns("Test.NoSuchVariable")},
        {"name": "T.OtherNs", "address": "nsu=urn:nobody;s=Test.Double"},
    ]

    async def body() -> None:
        async with Harness(plant(opc_server.endpoint, tags)) as h:
            await h.connected_and_good(["T.Double", "T.Int16"])
            await until(lambda: h.tv("T.Missing").quality is Quality.BAD, 5, "missing is bad")
            assert h.tv("T.Missing").reason == "BadNodeIdUnknown"
            assert h.tv("T.OtherNs").quality is Quality.BAD
            assert "urn:nobody" in h.tv("T.OtherNs").reason
            result = await h.rt.drivers["ua"].write("T.Missing", 1.0)
            assert not result.ok and "BadNodeIdUnknown" in result.error

    run(body())


def test_client_side_deadband_filters_small_changes(opc_server: OpcTestServer) -> None:
    tags = [{"name": "T.Double", "address": opc_server.ns("Test.Double"), "deadband": 1.0}]

    async def body() -> None:
        await opc_server.write("Test.Double", 10.0)
        async with Harness(plant(opc_server.endpoint, tags)) as h:
            await until(lambda: h.tv("T.Double").value == 10.0, 10, "initial 10.0")
            await opc_server.write("Test.Double", 10.5)
            await opc_server.write("Test.Double", 12.0)
            await until(lambda: h.tv("T.Double").value == 12.0, 5, "12.0 passes")
            assert 10.5 not in h.rec.seen("T.Double")

    run(body())


# --------------------------------------------------------------------------- connection loss


def test_lost_server_disconnects_every_tag_then_resumes_on_same_port(
    opc_server_factory: type[OpcTestServer],
) -> None:
    first = opc_server_factory().start()
    port = first.port

    async def body() -> None:
        async with Harness(plant(first.endpoint, basic_tags(first))) as h:
            names = [t.name for t in h.rt.config.tags]
            await h.connected_and_good(names)
            stopping = asyncio.create_task(asyncio.to_thread(first.stop))
            await until(
                lambda: (
                    h.all_quality(Quality.DISCONNECTED) and h.state is ConnectionState.DISCONNECTED
                ),
                2 * TIMEOUT,
                "every tag DISCONNECTED",
            )
            await stopping
            assert h.rt.drivers["ua"].stats.last_error

            again = opc_server_factory(port)
            await asyncio.to_thread(again.start)
            assert again.port == port
            await h.connected_and_good(names, timeout=10)
            await again.write("Test.Double", 77.0)
            await until(lambda: h.tv("T.Double").value == 77.0, 5, "fresh value after restart")

    run(body())


def test_hung_server_is_detected_by_the_watchdog(
    opc_server_factory: type[OpcTestServer],
) -> None:
    srv = opc_server_factory().start()

    async def body() -> None:
        async with Harness(plant(srv.endpoint, basic_tags(srv)[:2])) as h:
            await h.connected_and_good(["T.Double", "T.Int16"])
            srv.freeze(max_s=8.0)  # socket open, nobody answers
            # The watchdog promises 1.5 x timeout; SLACK_S absorbs a loaded CI machine's
            # scheduling, and is far below the next check a broken watchdog would wait for.
            taken = await until(
                lambda: h.all_quality(Quality.DISCONNECTED), 1.5 * TIMEOUT + SLACK_S, "disconnected"
            )
            assert taken <= 1.5 * TIMEOUT + SLACK_S
            assert h.state is ConnectionState.DISCONNECTED
            assert "no answer" in h.tv("T.Double").reason
            srv.thaw()
            await h.connected_and_good(["T.Double", "T.Int16"], timeout=10)

    run(body())


def test_refused_connection_is_reported_and_stop_is_prompt() -> None:
    endpoint = f"opc.tcp://127.0.0.1:{free_port()}/nothing"
    tags = [{"name": "T.X", "address": "ns=2;s=X", "writable": True}]

    async def body() -> None:
        h = Harness(plant(endpoint, tags))
        await h.rt.start()
        await until(lambda: "connection refused" in h.rec.details(), 5, "refused")
        result = await h.rt.drivers["ua"].write("T.X", 1.0)
        assert not result.ok and "not connected" in result.error
        t0 = time.monotonic()
        await h.rt.stop()
        assert time.monotonic() - t0 < TIMEOUT + SLACK_S
        assert h.state is ConnectionState.STOPPED
        assert h.tv("T.X").quality is Quality.DISCONNECTED

    run(body())


def test_stop_ends_tags_disconnected_and_state_stopped(opc_server: OpcTestServer) -> None:
    async def body() -> None:
        async with Harness(plant(opc_server.endpoint, basic_tags(opc_server)[:2])) as h:
            await h.connected_and_good(["T.Double", "T.Int16"])
        assert h.state is ConnectionState.STOPPED
        assert h.all_quality(Quality.DISCONNECTED)
        assert h.rec.states[-1][0] is ConnectionState.STOPPED

    run(body())


# --------------------------------------------------------------------------- writing


def test_writes_reach_the_server_coerced_to_the_node_type(opc_server: OpcTestServer) -> None:
    async def body() -> None:
        async with Harness(plant(opc_server.endpoint, basic_tags(opc_server))) as h:
            await h.connected_and_good(["T.Double", "T.Int16", "T.Bool"])
            cases = [
                ("T.Double", 12.5, "Test.Double", 12.5, ua.VariantType.Double),
                ("T.Int16", "12", "Test.Int16", 12, ua.VariantType.Int16),
                ("T.Int16", 3.0, "Test.Int16", 3, ua.VariantType.Int16),
                ("T.Bool", "true", "Test.Bool", True, ua.VariantType.Boolean),
            ]
            for tag, given, node, expected, vtype in cases:
                result = await h.rt.commands.write(tag, given)
                assert result.ok, result.error
                assert result.value == expected
                variant = await opc_server.read(node)
                assert (variant.Value, variant.VariantType) == (expected, vtype)
                await until(lambda t=tag, e=expected: h.tv(t).value == e, 5, f"{tag} echoed")

    run(body())


def test_refused_writes_say_why_and_change_nothing(opc_server: OpcTestServer) -> None:
    async def body() -> None:
        await opc_server.write("Test.Int16", 5)
        async with Harness(plant(opc_server.endpoint, basic_tags(opc_server))) as h:
            await h.connected_and_good(["T.Int16", "T.ReadOnly", "T.Double"])
            driver = h.rt.drivers["ua"]

            result = await driver.write("T.Int16", 70000)
            assert not result.ok and "range" in result.error
            result = await driver.write("T.Int16", "twelve")
            assert not result.ok and "not a number" in result.error
            assert (await opc_server.read("Test.Int16")).Value == 5

            result = await driver.write("T.ReadOnly", 1.0)
            assert not result.ok and "read-only" in result.error, result.error
            assert (await opc_server.read("Test.ReadOnly")).Value == 7.0

            result = await driver.write("T.Double", float("nan"))
            assert not result.ok and "finite" in result.error

    run(body())


# --------------------------------------------------------------------------- pure conversions


@pytest.mark.parametrize(
    ("value", "vtype", "expected"),
    [
        (3.0, ua.VariantType.Int16, 3),
        (True, ua.VariantType.Byte, 1),
        (1, ua.VariantType.Boolean, True),
        (12, ua.VariantType.Double, 12.0),
        (5, ua.VariantType.String, "5"),
    ],
)
def test_coerce_to_the_node_type(value: Any, vtype: ua.VariantType, expected: Any) -> None:
    out = coerce(value, vtype)
    assert out == expected and type(out) is type(expected)


@pytest.mark.parametrize(
    ("value", "vtype", "message"),
    [
        (3.5, ua.VariantType.Int16, "whole number"),
        (256, ua.VariantType.Byte, "range 0..255"),
        (2, ua.VariantType.Boolean, "not a boolean"),
        (1e39, ua.VariantType.Float, "Float range"),
        ("x", ua.VariantType.Double, "not a number"),
    ],
)
def test_coerce_refuses_with_a_reason(value: Any, vtype: ua.VariantType, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        coerce(value, vtype)


def test_addresses_resolve_through_the_namespace_array() -> None:
    spaces = ["http://opcfoundation.org/UA/", "urn:a", "urn:pro4:bicycle-factory:sim"]
    node = resolve_address("nsu=urn:pro4:bicycle-factory:sim;s=Welding.State", spaces)
    assert (node.NamespaceIndex, node.Identifier) == (2, "Welding.State")
    assert resolve_address("ns=5;i=1001", spaces) == ua.NodeId(1001, 5)
    with pytest.raises(ValueError, match="urn:missing"):
        resolve_address("nsu=urn:missing;s=X", spaces)
    assert quality_of(ua.StatusCodes.BadNodeIdUnknown) == (Quality.BAD, "BadNodeIdUnknown")
