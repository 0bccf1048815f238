"""The Modbus driver against pyModbusTCP's server, an implementation independent of pymodbus.

The register images are set and checked with pyModbusTCP's own IEEE helpers,
so our float32/float64 word orders agree with someone else's, not only with
themselves.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import pytest
from modbus_servers import PyModbusTcpServer
from pyModbusTCP import utils

from hmi.config import DataType, Scale, TagConfig
from hmi.config_connections import ModbusConnection
from hmi.drivers.base import ConnectionState
from hmi.drivers.modbus import ModbusDriver
from hmi.tagvalue import Quality, TagValue

pytestmark = pytest.mark.protocol


class Sink:
    def __init__(self) -> None:
        self.values: dict[str, TagValue] = {}
        self.changed = asyncio.Event()

    def updates(self, batch: list[TagValue]) -> None:
        self.values.update((tv.name, tv) for tv in batch)
        self.changed.set()

    def connection_state(self, connection: str, state: ConnectionState, detail: str) -> None:
        self.changed.set()

    async def wait(self, predicate, what: str, timeout: float = 15.0) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            if loop.time() > deadline:
                raise AssertionError(f"timed out waiting for {what}: {self.values}")
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), 0.2)


def words(value: float, big_endian: bool, double: bool = False) -> list[int]:
    """pyModbusTCP's register image of an IEEE float (big_endian=False is CDAB)."""
    return utils.long_list_to_word(
        [utils.encode_ieee(value, double=double)], big_endian=big_endian, long_long=double
    )


def value_of(regs: list[int], big_endian: bool, double: bool = False) -> float:
    longs = utils.word_list_to_long(regs, big_endian=big_endian, long_long=double)
    return utils.decode_ieee(longs[0], double=double)


def make_tag(name: str, address: str, type_: str) -> TagConfig:
    return TagConfig(
        name=name, connection="pm", address=address, type=DataType(type_), writable=True
    )


def test_float_word_orders_agree_with_pymodbustcp() -> None:
    """A power meter's float32 in ABCD and CDAB (and float64 both ways): read and write."""
    with PyModbusTcpServer() as srv:
        bank = srv.bank
        bank.set_holding_registers(0, words(123.456, big_endian=True))
        bank.set_holding_registers(10, words(123.456, big_endian=False))
        bank.set_holding_registers(20, words(-2.5e-3, big_endian=True, double=True))
        bank.set_holding_registers(30, words(-2.5e-3, big_endian=False, double=True))
        assert bank.get_holding_registers(0, 2) == [0x42F6, 0xE979]  # the datasheet pattern
        conn = ModbusConnection(
            name="pm", driver="modbus", host="127.0.0.1", port=srv.port, poll_ms=30,
            timeout_s=1.0, word_order="CDAB",  # the device default; ABCD tags override it
        )  # fmt: skip
        tags = [
            make_tag("PM.f_abcd", "hr:0:ABCD", "float32"),
            make_tag("PM.f_cdab", "hr:10", "float32"),  # device default CDAB
            make_tag("PM.d_abcd", "hr:20:ABCD", "float64"),
            make_tag("PM.d_cdab", "hr:30:CDAB", "float64"),
        ]
        names = [t.name for t in tags]

        async def main() -> None:
            sink = Sink()
            driver = ModbusDriver(conn, tags, sink)
            await driver.start()
            try:
                await sink.wait(
                    lambda: all(
                        n in sink.values and sink.values[n].quality is Quality.GOOD for n in names
                    ),
                    "all read",
                )
                assert sink.values["PM.f_abcd"].value == pytest.approx(123.456, rel=1e-7)
                assert sink.values["PM.f_cdab"].value == pytest.approx(123.456, rel=1e-7)
                assert sink.values["PM.d_abcd"].value == -2.5e-3
                assert sink.values["PM.d_cdab"].value == -2.5e-3

                for name, value in (("PM.f_abcd", -7.25), ("PM.f_cdab", 0.15625)):
                    result = await driver.write(name, value)
                    assert result.ok, result.error
                assert (await driver.write("PM.d_abcd", 6.02214076e23)).ok
                assert (await driver.write("PM.d_cdab", -1.5)).ok
                assert bank.get_holding_registers(0, 2) == [0xC0E8, 0x0000]
                assert value_of(bank.get_holding_registers(0, 2), big_endian=True) == -7.25
                assert bank.get_holding_registers(10, 2) == [0x0000, 0x3E20]
                assert value_of(bank.get_holding_registers(10, 2), big_endian=False) == 0.15625
                d1 = value_of(bank.get_holding_registers(20, 4), big_endian=True, double=True)
                d2 = value_of(bank.get_holding_registers(30, 4), big_endian=False, double=True)
                assert (d1, d2) == (6.02214076e23, -1.5)
                await sink.wait(
                    lambda: (
                        sink.values["PM.f_abcd"].value == -7.25
                        and sink.values["PM.f_cdab"].value == 0.15625
                    ),
                    "written values polled back",
                )
            finally:
                await driver.stop()

        asyncio.run(asyncio.wait_for(main(), 60))


def test_int_bits_and_coils_against_pymodbustcp() -> None:
    """A temperature controller: int16 x0.1 setpoint, an alarm bit, a run coil."""
    with PyModbusTcpServer() as srv:
        bank = srv.bank
        bank.set_holding_registers(100, [utils.get_2comp(-125, 16) & 0xFFFF, 0b0100])
        bank.set_coils(3, [True])
        conn = ModbusConnection(
            name="pm", driver="modbus", host="127.0.0.1", port=srv.port, poll_ms=30
        )
        tags: list[Any] = [
            TagConfig(name="TC.pv", connection="pm", address="hr:100", type=DataType.INT16,
                      scale=Scale(gain=0.1), writable=True),
            make_tag("TC.alarm", "hr:101.2", "bool"),
            make_tag("TC.run", "coil:3", "bool"),
        ]  # fmt: skip

        async def main() -> None:
            sink = Sink()
            driver = ModbusDriver(conn, tags, sink)
            await driver.start()
            try:
                await sink.wait(lambda: len(sink.values) == 3, "read")
                assert sink.values["TC.pv"].value == pytest.approx(-12.5)
                assert sink.values["TC.alarm"].value is True
                assert sink.values["TC.run"].value is True
                assert (await driver.write("TC.pv", 40.5)).ok
                assert bank.get_holding_registers(100, 1) == [405]
                assert (await driver.write("TC.run", False)).ok
                assert bank.get_coils(3, 1) == [False]
                assert (await driver.write("TC.alarm", False)).ok
                assert bank.get_holding_registers(101, 1) == [0]
            finally:
                await driver.stop()

        asyncio.run(asyncio.wait_for(main(), 60))
