"""The Modbus driver against a real pymodbus server on 127.0.0.1.

Expected register images come from pymodbus's own converter (and a byte swap
for BADC/DCBA), not from our codec, so a wrong order shows up as a failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import struct
from collections.abc import Callable, Coroutine
from typing import Any

import pytest
from modbus_servers import PymodbusServer
from pymodbus.client.mixin import ModbusClientMixin
from pymodbus.pdu import ModbusPDU

from hmi.config import DataType, Scale, TagConfig
from hmi.config_connections import ModbusConnection
from hmi.drivers.base import ConnectionState
from hmi.drivers.modbus import ModbusDriver
from hmi.tagvalue import Quality, TagValue

pytestmark = pytest.mark.protocol

DT = ModbusClientMixin.DATATYPE


# --------------------------------------------------------------------------- helpers


class Sink:
    """A DriverSink that remembers everything and lets a test wait for a condition."""

    def __init__(self) -> None:
        self.values: dict[str, TagValue] = {}
        self.batches: list[list[TagValue]] = []
        self.states: list[tuple[ConnectionState, str]] = []
        self._changed = asyncio.Event()

    def updates(self, batch: list[TagValue]) -> None:
        self.batches.append(batch)
        for tv in batch:
            self.values[tv.name] = tv
        self._changed.set()

    def connection_state(self, connection: str, state: ConnectionState, detail: str) -> None:
        self.states.append((state, detail))
        self._changed.set()

    def kick(self) -> None:
        self._changed.set()

    async def wait(self, predicate: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                shown = {n: (v.value, v.quality.value, v.reason) for n, v in self.values.items()}
                raise AssertionError(f"timed out waiting for {what}; values: {shown}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), min(remaining, 0.2))

    def good(self, *names: str) -> bool:
        return all(n in self.values and self.values[n].quality is Quality.GOOD for n in names)

    def value(self, name: str) -> Any:
        return self.values[name].value


def connection(port: int, **kw: Any) -> ModbusConnection:
    args: dict[str, Any] = dict(
        name="dev", driver="modbus", host="127.0.0.1", port=port, poll_ms=30, timeout_s=1.0,
        reconnect_min_s=0.05, reconnect_max_s=0.2,
    )  # fmt: skip
    args.update(kw)
    return ModbusConnection(**args)


def tag(name: str, address: str, type_: str = "int16", **kw: Any) -> TagConfig:
    return TagConfig(
        name=name, connection="dev", address=address, type=DataType(type_), writable=True, **kw
    )


def run(coro: Coroutine[Any, Any, None], timeout: float = 60.0) -> None:
    asyncio.run(asyncio.wait_for(coro, timeout))


class Running:
    """A started driver, stopped on exit."""

    def __init__(self, conn: ModbusConnection, tags: list[TagConfig]):
        self.sink = Sink()
        self.driver = ModbusDriver(conn, tags, self.sink)

    async def __aenter__(self) -> tuple[ModbusDriver, Sink]:
        await self.driver.start()
        return self.driver, self.sink

    async def __aexit__(self, *exc: Any) -> None:
        await self.driver.stop()


def swap_bytes(regs: list[int]) -> list[int]:
    return [((r & 0xFF) << 8) | (r >> 8) for r in regs]


def reference_registers(value: Any, type_: str, order: str) -> list[int]:
    """The register image per pymodbus's converter: big/little word order, then byte swap."""
    word = "little" if order in ("CDAB", "DCBA") else "big"
    regs = ModbusClientMixin.convert_to_registers(value, DT[type_.upper()], word_order=word)
    return swap_bytes(regs) if order in ("BADC", "DCBA") else regs


def float32(x: float) -> float:
    return struct.unpack(">f", struct.pack(">f", x))[0]


# --------------------------------------------------------------------------- data types


VALUES = {
    "int16": (-12345, 321),
    "uint16": (54321, 7),
    "int32": (-123456789, 2_000_000_001),
    "uint32": (3_123_456_789, 65_537),
    "int64": (-1_234_567_890_123_456_789, 9_000_000_000_000_000_001),
    "uint64": (12_345_678_901_234_567_890, 3),
    "float32": (123.456, -7.25),
    "float64": (-9876.54321, 1.0e300),
}
ORDERS = ("ABCD", "CDAB", "BADC", "DCBA")


def test_every_type_in_every_order_reads_and_writes() -> None:
    """All numeric types x four orders: read what the device holds, write what it expects."""

    async def main() -> None:
        async with PymodbusServer() as srv:
            tags, addr = [], 0
            for type_ in VALUES:
                for order in ORDERS:
                    tags.append(tag(f"T.{type_}_{order}", f"hr:{addr}:{order}", type_))
                    first, _ = VALUES[type_]
                    await srv.write("hr", addr, reference_registers(first, type_, order))
                    addr += 4
            async with Running(connection(srv.port), tags) as (driver, sink):
                names = [t.name for t in tags]
                await sink.wait(lambda: sink.good(*names), "all types read")
                for t in tags:
                    type_ = t.type.value
                    expect = VALUES[type_][0]
                    got = sink.value(t.name)
                    if type_ == "float32":
                        assert got == float32(expect), t.name
                    else:
                        assert got == expect, t.name
                for t in tags:
                    type_, order = t.type.value, t.address.rsplit(":", 1)[1]
                    second = VALUES[type_][1]
                    result = await driver.write(t.name, second)
                    assert result.ok, (t.name, result.error)
                    offset = int(t.address.split(":")[1])
                    width = len(reference_registers(second, type_, order))
                    held = await srv.read("hr", offset, width)
                    assert held == reference_registers(second, type_, order), t.name
                await sink.wait(
                    lambda: all(
                        sink.value(t.name) == pytest.approx(VALUES[t.type.value][1], rel=1e-6)
                        for t in tags
                    ),
                    "written values polled back",
                )

    run(main())


def test_strings_fixed_length_and_byte_swapped() -> None:
    async def main() -> None:
        async with PymodbusServer() as srv:
            plain = ModbusClientMixin.convert_to_registers("PM5560-A", DT.STRING)  # 4 registers
            await srv.write("hr", 200, [*plain, 0, 0])
            await srv.write("hr", 220, swap_bytes(plain))
            tags = [
                tag("S.name", "hr:200:str12", "string"),  # 12 characters = 6 registers
                tag("S.swapped", "hr:220:str4r:BADC", "string"),  # 4 registers, bytes swapped
            ]
            async with Running(connection(srv.port), tags) as (driver, sink):
                await sink.wait(lambda: sink.good("S.name", "S.swapped"), "strings read")
                assert sink.value("S.name") == "PM5560-A"
                assert sink.value("S.swapped") == "PM5560-A"
                assert (await driver.write("S.name", "LINE-2")).ok
                expect = ModbusClientMixin.convert_to_registers("LINE-2", DT.STRING)
                assert await srv.read("hr", 200, 6) == [*expect, 0, 0, 0]
                too_long = await driver.write("S.swapped", "123456789")
                assert not too_long.ok and "longer than 8" in too_long.error

    run(main())


# --------------------------------------------------------------------------- bits


def test_coils_discrete_inputs_and_bits_in_registers() -> None:
    async def main() -> None:
        async with PymodbusServer() as srv:
            await srv.write("coil", 5, [True])
            await srv.write("di", 7, [True])
            await srv.write("hr", 300, [0b1000_0000_0000_0001])
            await srv.write("ir", 30, [0x8000])
            tags = [
                tag("B.coil5", "coil:5", "bool"),
                tag("B.coil6", "coil:6", "bool"),
                tag("B.di7", "di:7", "bool"),
                tag("B.hr300_0", "hr:300.0", "bool"),
                tag("B.hr300_3", "hr:300.3", "bool"),
                tag("B.ir30_15", "ir:30.15", "bool"),
            ]
            async with Running(connection(srv.port), tags) as (driver, sink):
                await sink.wait(lambda: sink.good(*(t.name for t in tags)), "bits read")
                assert sink.value("B.coil5") is True
                assert sink.value("B.coil6") is False
                assert sink.value("B.di7") is True
                assert sink.value("B.hr300_0") is True
                assert sink.value("B.hr300_3") is False
                assert sink.value("B.ir30_15") is True

                assert (await driver.write("B.coil6", True)).ok
                assert await srv.read("coil", 5, 2) == [True, True]
                assert (await driver.write("B.coil5", "off")).ok
                assert await srv.read("coil", 5, 2) == [False, True]

                # bit write = read-modify-write: the other bits of the register survive
                assert (await driver.write("B.hr300_3", True)).ok
                assert await srv.read("hr", 300) == [0b1000_0000_0000_1001]
                assert (await driver.write("B.hr300_0", False)).ok
                assert await srv.read("hr", 300) == [0b1000_0000_0000_1000]
                await sink.wait(
                    lambda: sink.value("B.hr300_3") is True and sink.value("B.coil6") is True,
                    "written bits polled back",
                )

    run(main())


# --------------------------------------------------------------------------- scaling, deadband


def test_scaling_and_deadband() -> None:
    async def main() -> None:
        async with PymodbusServer() as srv:
            await srv.write("hr", 400, [500, 100])
            tags = [
                # a drive's speed: int16 raw 0..1000 = 0..100 %
                tag("D.speed", "hr:400", "int16", scale=Scale(raw_min=0, raw_max=1000, eng_min=0,
                                                              eng_max=100)),
                tag("D.temp", "hr:401", "int16", deadband=5.0, scale=Scale(gain=1.0)),
            ]  # fmt: skip
            async with Running(connection(srv.port), tags) as (driver, sink):
                await sink.wait(lambda: sink.good("D.speed", "D.temp"), "scaled read")
                assert sink.value("D.speed") == pytest.approx(50.0)
                assert (await driver.write("D.speed", 75)).ok
                assert await srv.read("hr", 400) == [750]
                await sink.wait(lambda: sink.value("D.speed") == pytest.approx(75.0), "75 %")

                # a change inside the deadband is not delivered; a bigger one is
                await srv.write("hr", 401, [103])
                cycles = driver.stats.cycles
                await sink.wait(lambda: driver.stats.cycles >= cycles + 3, "3 poll cycles")
                assert sink.value("D.temp") == pytest.approx(100.0)
                await srv.write("hr", 401, [106])
                await sink.wait(lambda: sink.value("D.temp") == pytest.approx(106.0), "106")

    run(main())


# --------------------------------------------------------------------------- block reads


def test_two_hundred_tags_cost_six_requests_per_cycle() -> None:
    """150 register tags spread over 0..596 and 50 coils over 0..343: 5 + 1 block reads."""

    async def main() -> None:
        async with PymodbusServer() as srv:
            tags = [
                tag(f"R.r{i}", f"hr:{i * 4}", "float32" if i % 2 == 0 else "int16")
                for i in range(150)
            ] + [tag(f"C.c{i}", f"coil:{i * 7}", "bool") for i in range(50)]
            await srv.write("hr", 592, reference_registers(1.5, "float32", "ABCD"))
            await srv.write("coil", 343, [True])
            async with Running(connection(srv.port, max_gap=16), tags) as (driver, sink):
                await sink.wait(lambda: sink.good(*(t.name for t in tags)), "200 tags read")
                assert sink.value("R.r149") == 0 and sink.value("R.r148") == 1.5
                assert sink.value("C.c49") is True
                assert driver.stats.blocks == 6
                start_requests, start_cycles = srv.total_requests, driver.stats.cycles
                await sink.wait(lambda: driver.stats.cycles >= start_cycles + 10, "10 cycles")
            cycles = driver.stats.cycles - start_cycles
            requests = srv.total_requests - start_requests
            # a cycle may have been in progress at either end of the count
            assert 6 * (cycles - 1) <= requests <= 6 * (cycles + 1)
            assert driver.stats.last_cycle_requests == 6
            # one batch per poll cycle: only the first cycle changed anything
            assert len(sink.batches[0]) == 200

    run(main())


# --------------------------------------------------------------------------- faults


def test_illegal_address_makes_only_its_tag_bad() -> None:
    """Register 105 is unmapped; 201 is an unmapped gap between two tags."""

    async def main() -> None:
        async with PymodbusServer(hr_holes=[105, 201]) as srv:
            await srv.write("hr", 100, [10, 11, 12, 13, 14])
            await srv.write("hr", 106, [16, 17, 18, 19])
            await srv.write("hr", 200, [20])
            await srv.write("hr", 202, [22])
            tags = [tag(f"H.r{a}", f"hr:{a}") for a in (*range(100, 110), 200, 202)]
            async with Running(connection(srv.port), tags) as (driver, sink):
                good = [t.name for t in tags if t.name != "H.r105"]
                await sink.wait(lambda: sink.good(*good) and "H.r105" in sink.values, "block split")
                bad = sink.values["H.r105"]
                assert bad.quality is Quality.BAD
                assert bad.reason == "exception 2: illegal data address"
                assert [sink.value(f"H.r{a}") for a in (100, 104, 106, 109, 200, 202)] == [
                    10, 14, 16, 19, 20, 22,
                ]  # fmt: skip
                # the plan learns: 100-104, 106-109, 200, 202 (+ 105 alone now and then)
                await sink.wait(
                    lambda: driver.stats.last_cycle_requests == 4 and driver.stats.blocks == 4,
                    "plan converged",
                )
                assert driver.stats.bad_addresses == 1
                assert driver.stats.errors_by_kind["exception"] >= 1
                assert all(tv.quality is Quality.GOOD for n, tv in sink.values.items() if n in good)

    run(main())


def test_short_response_is_bad_with_reason_then_recovers() -> None:
    def halve(pdu: ModbusPDU) -> ModbusPDU:
        if pdu.function_code == 3 and len(pdu.registers) > 2:
            pdu.registers = pdu.registers[: len(pdu.registers) // 2]
        return pdu

    async def main() -> None:
        async with PymodbusServer() as srv:
            await srv.write("hr", 10, [1, 2, 3, 4, 5, 6])
            tags = [tag(f"M.r{a}", f"hr:{a}") for a in range(10, 16)]
            async with Running(connection(srv.port), tags) as (driver, sink):
                await sink.wait(lambda: sink.good(*(t.name for t in tags)), "read")
                srv.mangle = halve
                await sink.wait(
                    lambda: all(sink.values[t.name].quality is Quality.BAD for t in tags),
                    "short response seen",
                )
                assert "short response: 3 of 6 registers" in sink.values["M.r15"].reason
                assert sink.value("M.r15") == 6  # the last good value stays for context
                srv.mangle = None
                await sink.wait(lambda: sink.good(*(t.name for t in tags)), "recovered")
                assert driver.stats.errors_by_kind["malformed"] >= 1
                assert driver.stats.state is ConnectionState.CONNECTED

    run(main())


def test_timeout_makes_tags_bad_then_values_resume() -> None:
    async def main() -> None:
        async with PymodbusServer() as srv:
            await srv.write("hr", 0, [42])
            conn = connection(srv.port, timeout_s=0.2)
            async with Running(conn, [tag("S.slow", "hr:0")]) as (driver, sink):
                await sink.wait(lambda: sink.good("S.slow"), "read")
                srv.delay_s = 0.6
                await sink.wait(
                    lambda: sink.values["S.slow"].quality is not Quality.GOOD, "timeout seen"
                )
                reasons = {tv.reason for b in sink.batches for tv in b if tv.name == "S.slow"}
                assert any(r.startswith("timeout: no response in 0.2 s") for r in reasons)
                srv.delay_s = 0.0
                await sink.wait(lambda: sink.good("S.slow"), "values resume")
                assert driver.stats.errors_by_kind["timeout"] >= 1

    run(main())


def test_server_stop_disconnects_and_restart_resumes() -> None:
    async def main() -> None:
        srv = await PymodbusServer().start()
        port = srv.port
        await srv.write("hr", 0, [1])
        tags = [tag("P.a", "hr:0"), tag("P.b", "coil:0", "bool")]
        async with Running(connection(port), tags) as (driver, sink):
            await sink.wait(lambda: sink.good("P.a", "P.b"), "connected")
            await srv.stop()
            await sink.wait(
                lambda: all(sink.values[n].quality is Quality.DISCONNECTED for n in ("P.a", "P.b")),
                "tags disconnected",
            )
            assert driver.stats.state is ConnectionState.DISCONNECTED
            assert sink.value("P.a") == 1  # last value kept for context
            write = await driver.write("P.a", 5)
            assert not write.ok and "not" in write.error

            srv = await PymodbusServer(port=port).start()
            try:
                await srv.write("hr", 0, [2])
                await sink.wait(lambda: sink.good("P.a") and sink.value("P.a") == 2, "resumed")
                assert driver.stats.state is ConnectionState.CONNECTED
                assert driver.stats.connects >= 2
                states = [s for s, _ in sink.states]
                assert ConnectionState.DISCONNECTED in states
                assert states[-1] is ConnectionState.CONNECTED
            finally:
                await srv.stop()
        assert sink.values["P.a"].quality is Quality.DISCONNECTED
        assert driver.stats.state is ConnectionState.STOPPED

    run(main())


def test_unreachable_device_retries_with_backoff_and_stays_disconnected() -> None:
    async def main() -> None:
        srv = await PymodbusServer().start()
        port = srv.port
        await srv.stop()  # nothing listens there now
        async with Running(connection(port), [tag("U.a", "hr:0")]) as (driver, sink):
            await sink.wait(lambda: driver.stats.errors_by_kind.get("connection", 0) >= 3, "tries")
            assert sink.values["U.a"].quality is Quality.DISCONNECTED
            assert "cannot connect" in sink.values["U.a"].reason
            assert driver.stats.state is ConnectionState.DISCONNECTED

    run(main())


# --------------------------------------------------------------------------- writes refused


def test_writes_to_read_only_tables_and_connections_are_refused() -> None:
    async def main() -> None:
        async with PymodbusServer() as srv:
            tags = [
                tag("W.ir", "ir:5"),
                tag("W.di", "di:5", "bool"),
                tag("W.hr", "hr:5"),
                tag("W.badtype", "coil:1", "float32"),
            ]
            async with Running(connection(srv.port), tags) as (driver, sink):
                await sink.wait(lambda: sink.good("W.ir", "W.di", "W.hr"), "read")
                ir = await driver.write("W.ir", 1)
                assert not ir.ok and "input registers" in ir.error
                di = await driver.write("W.di", True)
                assert not di.ok and "discrete inputs" in di.error
                big = await driver.write("W.hr", 40000)
                assert not big.ok and "outside int16 range" in big.error
                junk = await driver.write("W.hr", "fast")
                assert not junk.ok and "not a number" in junk.error
                assert not (await driver.write("W.nope", 1)).ok
                # a tag whose type does not fit its table is BAD from the start, never polled
                assert sink.values["W.badtype"].quality is Quality.BAD
                assert "must be bool" in sink.values["W.badtype"].reason
                assert not (await driver.write("W.badtype", 1.0)).ok
                assert await srv.read("hr", 5) == [0]

            ro = connection(srv.port, read_only=True)
            async with Running(ro, [tag("W.hr", "hr:5")]) as (driver, sink):
                await sink.wait(lambda: sink.good("W.hr"), "read")
                refused = await driver.write("W.hr", 1)
                assert not refused.ok and "read-only" in refused.error
                assert await srv.read("hr", 5) == [0]

    run(main())


def test_write_rejected_by_device_is_reported() -> None:
    async def main() -> None:
        async with PymodbusServer(hr_holes=[50]) as srv:
            conn, tags = connection(srv.port), [tag("W.hole", "hr:50")]
            async with Running(conn, tags) as (driver, sink):
                await sink.wait(lambda: "W.hole" in sink.values, "polled")
                result = await driver.write("W.hole", 3)
                assert not result.ok
                assert "exception 2: illegal data address" in result.error

    run(main())


# --------------------------------------------------------------------------- several in flight


def test_several_requests_in_flight_on_parallel_connections() -> None:
    async def main() -> None:
        async with PymodbusServer() as srv:
            values = list(range(1, 401))
            await srv.write("hr", 0, values[:200])
            await srv.write("hr", 1000, values[200:])
            tags = [tag(f"F.a{a}", f"hr:{a}") for a in (*range(0, 200, 5), *range(1000, 1200, 5))]
            conn = connection(srv.port, max_in_flight=3, max_block_registers=50)
            async with Running(conn, tags) as (driver, sink):
                await sink.wait(lambda: sink.good(*(t.name for t in tags)), "read")
                assert sink.value("F.a1195") == 396
                assert driver.stats.blocks == 8
                assert (await driver.write("F.a5", 999)).ok
                await sink.wait(lambda: sink.value("F.a5") == 999, "written value polled")
                assert math.isclose(driver.stats.mean_response_ms, driver.stats.mean_response_ms)
                assert 0 < driver.stats.mean_response_ms <= driver.stats.max_response_ms

    run(main())


def test_an_isolated_address_that_the_device_serves_again_rejoins_its_block() -> None:
    """Register 105 is unmapped until the device is reprogrammed (same port, new map):
    the lone retry finds it readable, the tag turns good and the plan merges it back,
    so the device is read in one request again, not two blocks and a lone read."""

    async def main() -> None:
        srv = await PymodbusServer(hr_holes=[105]).start()
        port = srv.port
        await srv.write("hr", 100, [10, 11, 12, 13, 14])
        await srv.write("hr", 106, [16, 17, 18, 19])
        tags = [tag(f"H.r{a}", f"hr:{a}") for a in range(100, 110)]
        driver = ModbusDriver(connection(port), tags, sink := Sink())
        driver.isolated_retry_s = 0.2
        await driver.start()
        try:
            await sink.wait(
                lambda: driver.stats.bad_addresses == 1 and driver.stats.blocks == 2,
                "105 isolated, the rest in two blocks",
            )
            assert sink.values["H.r105"].quality is Quality.BAD
            await srv.stop()
            srv = await PymodbusServer(port=port).start()  # the new map serves 105
            await srv.write("hr", 100, list(range(10, 20)))
            await sink.wait(
                lambda: (
                    sink.good(*(t.name for t in tags))
                    and driver.stats.bad_addresses == 0
                    and driver.stats.blocks == 1
                    and driver.stats.last_cycle_requests == 1
                ),
                "105 good and merged back into one block",
            )
            assert [sink.value(f"H.r{a}") for a in range(100, 110)] == list(range(10, 20))
        finally:
            await driver.stop()
            await srv.stop()

    run(main())
