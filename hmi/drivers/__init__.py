"""Protocol drivers: each turns one connection's traffic into TagValue batches.

The contract is in `base.py`; `make_driver` picks the implementation by the
connection's `driver` key, importing it only when a plant uses it.
"""

from __future__ import annotations

from hmi.config import TagConfig
from hmi.config_connections import Connection
from hmi.drivers.base import Driver, DriverSink


def make_driver(conn: Connection, tags: list[TagConfig], sink: DriverSink) -> Driver:
    """The driver for `conn`, serving `tags`, delivering to `sink`."""
    if conn.driver == "opcua":
        from hmi.drivers.opcua import OpcUaDriver

        return OpcUaDriver(conn, tags, sink)
    if conn.driver == "modbus":
        from hmi.drivers.modbus import ModbusDriver

        return ModbusDriver(conn, tags, sink)
    raise ValueError(f"no driver for {conn.driver!r}")
