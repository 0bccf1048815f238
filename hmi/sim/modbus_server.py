"""The demo plant's Assembly line as a Modbus TCP device: a pymodbus server on the sim's loop.

It shares the model with the OPC UA server (`hmi.sim.server.SimServer` owns
both), so an operator sees one plant whichever protocol a tag comes over.
`refresh()` copies the model into the device memory once per simulator step;
a client write goes through pymodbus's `action` hook to the model first and
reaches the memory only if the model accepts it (a refusal is answered with
exception 3, a write to a read-only or reserved address with exception 2).
The layout is `hmi.sim.register_map`, documented in docs/demo-register-map.md.
"""

from __future__ import annotations

import errno
import logging
import socket
from typing import Any

from pymodbus.constants import ExcCodes
from pymodbus.server import ModbusTcpServer
from pymodbus.simulator import DataType as SimType
from pymodbus.simulator import SimData, SimDevice

from hmi.drivers.modbus_address import Table
from hmi.sim import MODBUS_PORT
from hmi.sim.plant import BicycleFactory
from hmi.sim.register_map import ASSEMBLY_MAP, RegisterMap, WriteRefused

log = logging.getLogger("hmi.sim")

#: function code that addresses each table in the server's datastore
_FC = {Table.COIL: 1, Table.DI: 2, Table.HR: 3, Table.IR: 4}
_WRITE_TABLE = {5: Table.COIL, 15: Table.COIL, 6: Table.HR, 16: Table.HR, 22: Table.HR,
                23: Table.HR}  # fmt: skip
_EXC = {2: ExcCodes.ILLEGAL_ADDRESS, 3: ExcCodes.ILLEGAL_VALUE}


class SimModbusServer:
    """One Modbus unit serving `regmap` of `model` on host:port (0 binds a free port)."""

    def __init__(
        self,
        model: BicycleFactory,
        host: str = "127.0.0.1",
        port: int = MODBUS_PORT,
        regmap: RegisterMap = ASSEMBLY_MAP,
    ):
        self.model = model
        self.host = host
        self.port = port
        self.regmap = regmap
        self._server: ModbusTcpServer | None = None
        self._image = regmap.image(model.values())
        self._refreshing = False  # our own memory updates pass the write hook untouched

    @property
    def endpoint(self) -> str:
        """`modbus://host:port/unit`, as the Modbus driver names a device."""
        return f"modbus://{self.host}:{self.port}/{self.regmap.unit_id}"

    def _device(self) -> SimDevice:
        """One block per table, sized to the map; reserved registers in it read 0."""

        def block(table: Table) -> list[SimData]:
            size = self.regmap.sizes[table]
            if table.is_bits:  # the datastore packs bits in 16s; a table must not be empty
                return [SimData(0, count=max(16, size), values=False, datatype=SimType.BITS)]
            return [SimData(0, count=max(1, size), values=0, datatype=SimType.REGISTERS)]

        tables = (block(Table.COIL), block(Table.DI), block(Table.HR), block(Table.IR))
        return SimDevice(id=self.regmap.unit_id, simdata=tables, action=self._action)

    async def start(self) -> None:
        """Bind and serve; OSError (e.g. EADDRINUSE) if the port cannot be bound."""
        server = ModbusTcpServer(self._device(), address=(self.host, self.port))
        try:
            await server.serve_forever(background=True)
        except RuntimeError:  # pymodbus only says "Could not start listen": find out why
            raise _bind_error(self.host, self.port) from None
        self._server = server
        self.port = server.transport.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        await self.refresh(self.model.values())

    async def stop(self) -> None:
        if self._server is not None:
            await self._server.shutdown()
            self._server = None

    async def refresh(self, values: dict[str, Any]) -> None:
        """Write the model's `values` into every table of the device memory."""
        self._image = self.regmap.image(values)
        if self._server is None:
            return
        # The datastore calls `_action` for our writes too; nothing in it awaits I/O, so
        # no client request runs while the flag is up.
        self._refreshing = True
        try:
            for table, contents in self._image.items():
                if contents:
                    await self._server.async_setValues(self.regmap.unit_id, _FC[table], 0, contents)
        finally:
            self._refreshing = False

    async def _action(
        self,
        func_code: int,
        _start: int,
        address: int,
        _count: int,
        _registers: list[int],
        values: list[int] | list[bool] | None,
    ) -> ExcCodes | None:
        """pymodbus's hook on every access: hand client writes to the model, or refuse them."""
        if values is None or self._refreshing:
            return None
        table = _WRITE_TABLE.get(func_code)
        if table is None:
            return ExcCodes.ILLEGAL_FUNCTION
        try:
            writes = self.regmap.client_write(table, address, list(values), self._image)
            for tag, value in writes:
                try:
                    self.model.set(tag, value)
                except ValueError as exc:
                    raise WriteRefused(3, str(exc)) from None
                log.info("modbus write %s = %r", tag, value)
        except WriteRefused as exc:
            log.warning("modbus write refused (exception %d): %s", exc.code, exc)
            return _EXC[exc.code]
        return None


def _bind_error(host: str, port: int) -> OSError:
    """The OSError binding host:port gives now (as asyncio binds: SO_REUSEADDR)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            return exc
    return OSError(errno.EADDRINUSE, "cannot listen (the port was busy a moment ago)")
