"""Test doubles shared across test folders: a scripted driver and a small plant."""

from __future__ import annotations

import sqlite3
import textwrap
import threading
from pathlib import Path
from typing import Any

from hmi.config import PlantConfig, load_config
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


PLANT_HEADER = """\
[plant]
name = "t"
title = "T"

[[connections]]
name = "plc"
driver = "opcua"
endpoint = "opc.tcp://127.0.0.1:4840/x"
"""
"""The smallest plant file: one OPC UA connection ("plc") for the tags a test adds.
Shared so that a test's TOML shows only what the test is about."""


def oee_line_tags(counter_type: str) -> str:
    """The tags of OEE line "L": state, reason code and the good/reject counters, whose
    type the test chooses (a uint16 counter wraps sooner)."""
    tags = [("L.State", "int16"), ("L.ReasonCode", "int16")]
    tags += [("L.Good", counter_type), ("L.Reject", counter_type)]
    return "".join(
        f'\n[[tags]]\nname = "{name}"\nconnection = "plc"\naddress = "ns=2;s={name}"\n'
        f'type = "{kind}"\n'
        for name, kind in tags
    )


def load_plant(tmp_path: Path, text: str) -> tuple[Path, PlantConfig]:
    """Write `text` as `tmp_path`/plant.toml (dedented) and load it: the file and its config."""
    path = tmp_path / "plant.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path, load_config(path)


class SqliteWriteLock:
    """Another process-like connection holding the write lock: a real 'database is locked'."""

    def __init__(self, path) -> None:
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._conn.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        if self._conn is not None:
            self._conn.rollback()
            self._conn.close()
            self._conn = None


class HealthLog:
    """An `on_health` listener that collects the calls and lets a test wait, bounded."""

    def __init__(self) -> None:
        self.changes: list[tuple[bool, str]] = []
        self._cond = threading.Condition()

    def __call__(self, ok: bool, detail: str) -> None:
        with self._cond:
            self.changes.append((ok, detail))
            self._cond.notify_all()

    def wait_until(self, ok: bool, timeout: float = 20.0) -> bool:
        with self._cond:
            return self._cond.wait_for(
                lambda: bool(self.changes) and self.changes[-1][0] is ok, timeout
            )


ONE_OEE_LINE_PLANT = (  # one line, its state and two int32 counters: multi-station tests
    PLANT_HEADER
    + oee_line_tags("int32")
    + """
[[lines]]
name = "L"
title = "Line"
tags = ["L.*"]
state_tag = "L.State"

[lines.oee]
states = { running = [1], idle = [2], down = [3] }
good_count_tag = "L.Good"
reject_count_tag = "L.Reject"
ideal_cycle_s = 1
"""
)
