"""Modbus read throughput: our driver vs a bare pymodbus client, same server, same run.

The server is a pymodbus TCP server in its own process (so it does not share a
core's event loop with the client side). Two measurements, each ~3 s:

- bare: one AsyncModbusTcpClient reading 125 holding registers back to back;
- driver: ModbusDriver polling 1000 int16 holding-register tags (planned into
  8 block reads of <=125) as fast as it can (poll period 0), including decode,
  change detection and delivery of each cycle's batch.

`run()` returns rows (name, value, unit); `python bench/modbus_throughput.py` prints them.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time

from pymodbus.client import AsyncModbusTcpClient

from hmi.config import DataType, TagConfig
from hmi.config_connections import ModbusConnection
from hmi.drivers.base import ConnectionState
from hmi.drivers.modbus import ModbusDriver
from hmi.tagvalue import Quality, TagValue

SECONDS = 3.0
TAGS = 1000

_SERVER = """
import asyncio, sys
from pymodbus.server import ModbusTcpServer
from pymodbus.simulator import DataType, SimData, SimDevice

async def main():
    regs = [SimData(0, values=list(range(2000)), datatype=DataType.REGISTERS)]
    bits = [SimData(0, count=16, values=False, datatype=DataType.BITS)]
    device = SimDevice(id=1, simdata=(bits, bits, regs, regs))
    server = ModbusTcpServer(device, address=("127.0.0.1", 0))
    await server.serve_forever(background=True)
    print(server.transport.sockets[0].getsockname()[1], flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)  # until closed
    await server.shutdown()

asyncio.run(main())
"""


class _CountingSink:
    def __init__(self) -> None:
        self.good = 0
        self.first_good = asyncio.Event()

    def updates(self, batch: list[TagValue]) -> None:
        self.good += sum(tv.quality is Quality.GOOD for tv in batch)
        if self.good >= TAGS:
            self.first_good.set()

    def connection_state(self, connection: str, state: ConnectionState, detail: str) -> None:
        pass


async def _bare(port: int) -> float:
    """125-register read requests per second on one connection."""
    client = AsyncModbusTcpClient("127.0.0.1", port=port, reconnect_delay=0)
    assert await client.connect()
    try:
        n, t0 = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - t0) < SECONDS:
            response = await client.read_holding_registers(0, count=125, device_id=1)
            assert not response.isError() and len(response.registers) == 125
            n += 1
        return n / elapsed
    finally:
        client.close()


async def _driver(port: int) -> tuple[float, float, int]:
    """(tag registers/s, requests/s, requests per cycle) of ModbusDriver polling 1000 tags."""
    conn = ModbusConnection(name="bench", driver="modbus", host="127.0.0.1", port=port)
    conn = conn.model_copy(update={"poll_ms": 0.0})  # as fast as it goes (config minimum is 10)
    tags = [
        TagConfig(name=f"B.r{i}", connection="bench", address=f"hr:{i}", type=DataType.INT16)
        for i in range(TAGS)
    ]
    sink = _CountingSink()
    driver = ModbusDriver(conn, tags, sink)
    await driver.start()
    try:
        await asyncio.wait_for(sink.first_good.wait(), 10)
        cycles0, requests0, t0 = driver.stats.cycles, driver.stats.requests, time.perf_counter()
        await asyncio.sleep(SECONDS)
        elapsed = time.perf_counter() - t0
        cycles = driver.stats.cycles - cycles0
        requests = driver.stats.requests - requests0
        return cycles * TAGS / elapsed, requests / elapsed, driver.stats.last_cycle_requests
    finally:
        await driver.stop()


def run() -> list[tuple[str, float, str]]:
    """Measure both in one run against one server process; rows of (name, value, unit)."""
    server = subprocess.Popen(
        [sys.executable, "-c", _SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())

        async def both() -> tuple[float, tuple[float, float, int]]:
            return await _bare(port), await _driver(port)

        bare_rps, (drv_regs, drv_rps, per_cycle) = asyncio.run(asyncio.wait_for(both(), 60))
    finally:
        if server.stdin:
            server.stdin.close()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    bare_regs = bare_rps * 125
    return [
        ("modbus bare pymodbus: 125-register reads", bare_rps, "req/s"),
        ("modbus bare pymodbus: registers read", bare_regs, "registers/s"),
        ("modbus driver: 1000 hr tags, registers read", drv_regs, "registers/s"),
        ("modbus driver: requests", drv_rps, "req/s"),
        ("modbus driver: requests per poll cycle (1000 tags)", float(per_cycle), "requests"),
        ("modbus driver / bare pymodbus, registers/s", drv_regs / bare_regs, "ratio"),
    ]


if __name__ == "__main__":
    for name, value, unit in run():
        print(f"{name:55s} {value:12,.2f} {unit}")
