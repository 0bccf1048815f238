"""Shared pieces of the GUI tests: a small plant, a scripted device, a recording widget."""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from hmi.app.plugins import LoadedPlugin
from hmi.app.station import Station
from hmi.drivers.base import ConnectionState, Driver, WriteResult, to_raw
from hmi.plugin import API_VERSION, PlantPlugin, ScreenSpec
from hmi.tagvalue import Quality, TagValue

PLANT_TOML = """\
[plant]
name = "testplant"
title = { en = "Test Plant", zh_TW = "測試工廠" }

[display]
frame_rate_hz = 20

[[connections]]
name = "plc"
driver = "opcua"
endpoint = "opc.tcp://127.0.0.1:4840/test"

[[tags]]
name = "Line1.Speed"
connection = "plc"
address = "ns=2;s=Line1.Speed"
units = "m/min"

[[tags]]
name = "Line1.Current"
connection = "plc"
address = "ns=2;s=Line1.Current"
units = "A"

[[tags]]
name = "Line1.RunCmd"
connection = "plc"
address = "ns=2;s=Line1.RunCmd"
type = "bool"
writable = true
"""

TAGS = ("Line1.Speed", "Line1.Current", "Line1.RunCmd")


class ScriptedDriver(Driver):
    """A device stand-in: connects at once, echoes writes back as updates."""

    async def start(self) -> None:
        self.set_state(ConnectionState.CONNECTED)

    async def stop(self) -> None:
        self.mark_all_disconnected()
        self.set_state(ConnectionState.STOPPED)

    def mark_all_disconnected(self) -> None:
        self.mark_all(Quality.DISCONNECTED, "stopped")

    async def write(self, tag: str, value: Any) -> WriteResult:
        raw = to_raw(self.tags[tag], value)
        await asyncio.sleep(0)
        self.sink.updates([TagValue(tag, raw)])
        return WriteResult(tag, True, raw)


class Recorder(QLabel):
    """A TagWidget that remembers every value it was given."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.values: list[TagValue] = []

    def set_tag_value(self, value: TagValue) -> None:
        self.values.append(value)
        self.setText(str(value.value))

    @property
    def last(self) -> Any:
        return self.values[-1].value if self.values else None


def plugin_of(*screens: ScreenSpec, name: str = "testplug", api: int = API_VERSION):
    return LoadedPlugin(name, PlantPlugin(name, "1.0", api, list(screens)))


def push(station: Station, *values: TagValue) -> None:
    """Deliver values as the drivers do: from the runtime thread, through the runtime."""
    station.host.call(station.runtime.updates, list(values))
