"""Test doubles shared across test folders: a scripted driver and a small plant."""

from __future__ import annotations

from typing import Any

from hmi.drivers.base import ConnectionState, Driver, WriteResult
from hmi.tagvalue import Quality, TagValue

CONFIG = {
    "plant": {"name": "t", "title": "T"},
    "connections": [{"name": "plc", "driver": "opcua", "endpoint": "opc.tcp://127.0.0.1:1/x"}],
    "tags": [
        {"name": "L.Speed", "connection": "plc", "address": "ns=2;s=a"},
        {"name": "L.SP", "connection": "plc", "address": "ns=2;s=b", "writable": True},
    ],
}


class FakeDriver(Driver):
    """Stands in for a device: records writes, lets the test push updates and states."""

    def __init__(self, conn, tags, sink):
        super().__init__(conn, tags, sink)
        self.written: list[tuple[str, Any]] = []

    async def start(self) -> None:
        self.set_state(ConnectionState.CONNECTED)

    async def stop(self) -> None:
        self.mark_all(Quality.DISCONNECTED, "stopped")
        self.set_state(ConnectionState.STOPPED)

    async def write(self, tag: str, value: Any) -> WriteResult:
        self.written.append((tag, value))
        return WriteResult(tag, True, value)


class Recorder:
    def __init__(self) -> None:
        self.batches: list[list[TagValue]] = []
        self.states: list[tuple[str, ConnectionState]] = []

    def on_updates(self, batch):
        self.batches.append(batch)

    def on_connection(self, connection, state, detail):
        self.states.append((connection, state))
