"""Real Modbus TCP servers on 127.0.0.1 for protocol tests.

- `PymodbusServer`: pymodbus 3.16's server in the running asyncio loop, on an
  ephemeral port (or a given one, to restart "the same device"), with direct
  access to its memory, a count of the requests it received, and two fault
  hooks a real device can show: a slow answer (`delay_s`) and a mangled
  response (`mangle`).
- `PyModbusTcpServer`: pyModbusTCP's server in its own thread, an independent
  implementation, for interop tests.

Table names are the driver's: coil, di, ir, hr; addresses are 0-based protocol offsets.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Iterable

from pymodbus.pdu import ModbusPDU
from pymodbus.server import ModbusTcpServer
from pymodbus.simulator import DataType, SimData, SimDevice
from pyModbusTCP.server import ModbusServer

FC_READ = {"coil": 1, "di": 2, "hr": 3, "ir": 4}
SIZE = 2000


def _register_ranges(size: int, holes: Iterable[int]) -> list[SimData]:
    """SimData covering 0..size-1 except `holes` (unmapped: exception 2 when read)."""
    out: list[SimData] = []
    start = 0
    for hole in [*sorted(set(holes)), size]:
        if hole > start:
            out.append(SimData(start, count=hole - start, values=0, datatype=DataType.REGISTERS))
        start = hole + 1
    return out


class PymodbusServer:
    """A pymodbus server for one unit id, on 127.0.0.1, in the current event loop.

    `hr_holes` are holding-register addresses the device does not map (reading
    a block that covers one gives exception 2: illegal data address).
    """

    def __init__(self, unit_id: int = 1, port: int = 0, hr_holes: Iterable[int] = ()):
        self.unit_id = unit_id
        self.port = port
        self.hr_holes = tuple(hr_holes)
        self.requests: Counter[int] = Counter()  # function code -> requests received
        self.delay_s = 0.0  # answer every request this late (a slow or hung device)
        self.mangle: Callable[[ModbusPDU], ModbusPDU] | None = None  # alter each response
        self._server: ModbusTcpServer | None = None

    def _device(self) -> SimDevice:
        bits = [SimData(0, count=SIZE, values=False, datatype=DataType.BITS)]
        return SimDevice(
            id=self.unit_id,
            simdata=(
                bits,
                [SimData(0, count=SIZE, values=False, datatype=DataType.BITS)],
                _register_ranges(SIZE, self.hr_holes),
                _register_ranges(SIZE, ()),
            ),
            action=self._action,
        )

    async def _action(self, fc, start, address, count, registers, values):
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        return None

    def _trace(self, sending: bool, pdu: ModbusPDU) -> ModbusPDU:
        if not sending:
            self.requests[pdu.function_code] += 1
        elif self.mangle is not None:
            return self.mangle(pdu)
        return pdu

    @property
    def total_requests(self) -> int:
        return sum(self.requests.values())

    async def start(self) -> PymodbusServer:
        self._server = ModbusTcpServer(
            self._device(), address=("127.0.0.1", self.port), trace_pdu=self._trace
        )
        await self._server.serve_forever(background=True)
        self.port = self._server.transport.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._server is not None:
            await self._server.shutdown()
            self._server = None

    async def __aenter__(self) -> PymodbusServer:
        return await self.start()

    async def __aexit__(self, *exc) -> None:
        await self.stop()

    # -- the device's memory, as the device sees it -------------------------------------------

    async def read(self, table: str, address: int, count: int = 1) -> list:
        assert self._server is not None
        values = await self._server.context.async_getValues(
            self.unit_id, FC_READ[table], address, count
        )
        assert isinstance(values, list), values
        return values[:count]

    async def write(self, table: str, address: int, values: list) -> None:
        assert self._server is not None
        err = await self._server.context.async_setValues(
            self.unit_id, FC_READ[table], address, values
        )
        assert err is None, err


class PyModbusTcpServer:
    """pyModbusTCP's server (not pymodbus) on 127.0.0.1, an ephemeral port, its own thread."""

    def __init__(self) -> None:
        self.server = ModbusServer(host="127.0.0.1", port=0, no_block=True)
        self.port = 0

    def __enter__(self) -> PyModbusTcpServer:
        self.server.start()
        self.port = self.server._service.server_address[1]  # bound port (we asked for 0)
        return self

    def __exit__(self, *exc) -> None:
        self.server.stop()

    @property
    def bank(self):
        return self.server.data_bank
