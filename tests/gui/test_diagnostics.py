"""The built-in Diagnostics screen, as an integrator uses it.

Connection rows and writes run against a real pymodbus server on 127.0.0.1 (its own
thread and loop, like a device on the network) through the real station: Modbus
driver → runtime → bridge → screen. The tag browser's filters and change
announcements use the scripted device of the other GUI tests, so values and
qualities can be set at will.
"""

from __future__ import annotations

import asyncio
import importlib.util
import re
import struct
import threading
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import ScriptedDriver, plugin_of, push
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QLabel

from hmi.app.station import GuiSession, Station
from hmi.config import PlantConfig, load_config
from hmi.plugin import ScreenSpec
from hmi.tagvalue import Quality, TagValue
from screens import builtin_screens
from screens import diagnostics_connections as conn_cols
from screens.diagnostics import DiagnosticsScreen
from screens.diagnostics_model import TagTableModel, lines_of, ranges

pytestmark = pytest.mark.gui

LIVE_TIMEOUT_MS = 20_000  # two busy cores shared with other test runs: generous, bounded


def _load_protocol_helper(name: str):
    """tests/protocol's server helpers (that folder is not a package)."""
    path = Path(__file__).resolve().parents[1] / "protocol" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"_diag_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PymodbusServer = _load_protocol_helper("modbus_servers").PymodbusServer


class DeviceThread:
    """A pymodbus server in a thread of its own; blocking control from the test."""

    def __init__(self, hr_holes: tuple[int, ...] = ()):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.server = PymodbusServer(hr_holes=hr_holes)

    def call(self, coro: Coroutine[Any, Any, Any], timeout: float = 15.0) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def holding(self, address: int, count: int) -> list[int]:
        return self.call(self.server.read("hr", address, count))

    def close(self) -> None:
        self.call(self.server.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


MODBUS_PLANT = """\
[plant]
name = "diagplant"
title = "Diagnostics Plant"

[display]
frame_rate_hz = 20

[[connections]]
name = "press"
driver = "modbus"
host = "127.0.0.1"
port = {port}
poll_ms = 100
timeout_s = 1.0
reconnect_min_s = 0.2
reconnect_max_s = 1.0

[[tags]]
name = "Press.Speed"
connection = "press"
address = "hr:0"
type = "float32"
units = "rpm"
writable = true

[[tags]]
name = "Press.Count"
connection = "press"
address = "hr:4"
type = "uint16"

[[tags]]
name = "Press.Limit"
connection = "press"
address = "hr:50"
type = "int16"
writable = true
"""


@pytest.fixture
def device() -> Iterator[DeviceThread]:
    dev = DeviceThread(hr_holes=(50,))  # hr:50 is not mapped: the device refuses it
    dev.call(dev.server.start())
    yield dev
    dev.close()


def _station(qapp, plant: PlantConfig, **kw: Any) -> tuple[Station, GuiSession]:
    session = GuiSession("en", plugins=[], builtin=builtin_screens())
    station = Station(plant, session, **kw)
    station.window.resize(1400, 900)
    station.window.show()
    return station, session


@pytest.fixture
def modbus_station(qapp, tmp_path: Path, device: DeviceThread) -> Iterator[Station]:
    path = tmp_path / "plant.toml"
    path.write_text(MODBUS_PLANT.format(port=device.server.port), encoding="utf-8")
    station, session = _station(qapp, load_config(path))
    yield station
    station.close()
    session.close()


def _screen(station: Station) -> DiagnosticsScreen:
    screen = station.window.show_screen("diagnostics")
    assert isinstance(screen, DiagnosticsScreen)
    return screen


def _cell(model, row: int, column: int, role=Qt.ItemDataRole.DisplayRole) -> Any:
    return model.data(model.index(row, column), role)


# --------------------------------------------------------------------------- registration


def test_builtin_screens_come_after_the_plugin_screens(qapp, plant, make_station):
    specs = builtin_screens()
    diag = next(s for s in specs if s.name == "diagnostics")
    assert diag.title_for("zh_TW") == "系統診斷"
    assert builtin_screens() is not builtin_screens()  # no shared mutable registry

    session = GuiSession("en", plugins=[], builtin=specs)
    station = Station(plant, session, driver_factory=ScriptedDriver)
    try:
        assert station.window.screen_names() == [s.name for s in specs]
        assert station.window.nav.buttons["diagnostics"].text() == "Diagnostics"
    finally:
        station.close()
        session.close()


# --------------------------------------------------------------------------- connections


def test_connection_row_follows_the_device_state(qtbot, modbus_station, device):
    screen = _screen(modbus_station)
    model = screen.connections
    qtbot.waitUntil(lambda: model.state_of("press") == "connected", timeout=LIVE_TIMEOUT_MS)
    assert _cell(model, 0, conn_cols.STATE) == "connected"
    assert _cell(model, 0, conn_cols.DRIVER) == "modbus"
    assert _cell(model, 0, conn_cols.ENDPOINT) == f"modbus://127.0.0.1:{device.server.port}/1"
    # Normal is grey: no colour on a connected row.
    assert _cell(model, 0, conn_cols.STATE, Qt.ItemDataRole.BackgroundRole) is None
    # Polling figures arrive with the next snapshots.
    qtbot.waitUntil(lambda: float(model.text("press", conn_cols.RATE) or 0) > 0, timeout=10_000)
    assert re.fullmatch(r"\d+\.\d / \d+\.\d", model.text("press", conn_cols.LATENCY))

    device.call(device.server.stop())
    qtbot.waitUntil(lambda: model.state_of("press") == "disconnected", timeout=LIVE_TIMEOUT_MS)
    assert _cell(model, 0, conn_cols.STATE) == "disconnected"
    # Abnormal: the theme's colour for a lost connection (the header light's), and why.
    assert _cell(model, 0, conn_cols.STATE, Qt.ItemDataRole.BackgroundRole) is not None
    assert model.text("press", conn_cols.LAST_ERROR) != ""
    assert int(model.text("press", conn_cols.ERRORS)) >= 1


# --------------------------------------------------------------------------- writes


def _write(qtbot, screen: DiagnosticsScreen, tag: str, text: str):
    assert screen.select_tag(tag)
    assert screen.write_button.isEnabled()
    screen.write_button.click()
    dialog = screen.write_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.input.setText(text)
    dialog.next_button.click()
    assert dialog.step == "confirm"
    dialog.confirm_button.click()
    qtbot.waitUntil(lambda: dialog.step == "done", timeout=LIVE_TIMEOUT_MS)
    return dialog


def test_write_from_the_browser_reaches_the_device_after_confirmation(
    qtbot, modbus_station, device
):
    screen = _screen(modbus_station)
    row = screen.tags.row_of("Press.Speed")
    qtbot.waitUntil(
        lambda: (tv := screen.tags.value_at(row)) is not None and tv.quality is Quality.GOOD,
        timeout=LIVE_TIMEOUT_MS,
    )
    assert screen.select_tag("Press.Speed")
    screen.write_button.click()
    dialog = screen.write_dialog
    assert dialog is not None
    assert dialog.old_text == "0.00 rpm"
    dialog.input.setText("42.5")
    dialog.next_button.click()
    assert "0.00 rpm → 42.5 rpm" in dialog.confirm_label.text()
    assert device.holding(0, 2) == [0, 0]  # nothing is written before the confirmation
    dialog.confirm_button.click()
    qtbot.waitUntil(lambda: dialog.step == "done", timeout=LIVE_TIMEOUT_MS)
    assert dialog.result_value is not None and dialog.result_value.ok
    assert dialog.status_label.text() == "Written: 42.50 rpm"
    hi, lo = device.holding(0, 2)
    assert struct.unpack(">f", struct.pack(">HH", hi, lo))[0] == 42.5
    # …and the browser shows the polled value.
    qtbot.waitUntil(lambda: _cell(screen.tags, row, 1) == "42.50", timeout=LIVE_TIMEOUT_MS)


def test_a_refused_write_shows_its_error(qtbot, modbus_station, device):
    screen = _screen(modbus_station)
    qtbot.waitUntil(
        lambda: screen.connections.state_of("press") == "connected", timeout=LIVE_TIMEOUT_MS
    )
    dialog = _write(qtbot, screen, "Press.Limit", "7")
    assert dialog.result_value is not None and not dialog.result_value.ok
    assert dialog.status_label.text().startswith("Not written: ")
    assert "illegal data address" in dialog.status_label.text()

    assert screen.select_tag("Press.Count")  # read-only: no write offered
    assert not screen.write_button.isEnabled()


def test_a_boolean_is_written_by_picking_a_word(qtbot, qapp, plant):
    station, session = _station(qapp, plant, driver_factory=ScriptedDriver)
    try:
        screen = _screen(station)
        push(station, TagValue("Line1.RunCmd", True))
        row = screen.tags.row_of("Line1.RunCmd")
        qtbot.waitUntil(lambda: _cell(screen.tags, row, 1) == "On", timeout=LIVE_TIMEOUT_MS)
        dialog = screen.open_write_dialog("Line1.RunCmd")
        assert dialog.choice.isVisibleTo(dialog) and not dialog.input.isVisibleTo(dialog)
        dialog.choice.setCurrentIndex(dialog.choice.findText("Off"))
        dialog.next_button.click()
        assert dialog.confirm_label.text() == "Write Line1.RunCmd: On → Off?"
        dialog.confirm_button.click()
        qtbot.waitUntil(lambda: dialog.step == "done", timeout=LIVE_TIMEOUT_MS)
        assert dialog.status_label.text() == "Written: Off"
        qtbot.waitUntil(lambda: _cell(screen.tags, row, 1) == "Off", timeout=LIVE_TIMEOUT_MS)
        with pytest.raises(ValueError, match="not writable"):
            screen.open_write_dialog("Line1.Speed")
    finally:
        station.close()
        session.close()


# --------------------------------------------------------------------------- tag browser

SCRIPTED_PLANT = """\
[plant]
name = "browse"
title = "Browse"

[display]
frame_rate_hz = 20

[[connections]]
name = "plc1"
driver = "opcua"
endpoint = "opc.tcp://127.0.0.1:4840/a"

[[connections]]
name = "plc2"
driver = "opcua"
endpoint = "opc.tcp://127.0.0.1:4841/b"

[[tags]]
name = "Welding.Robot.Current"
connection = "plc1"
address = "ns=2;s=a"
units = "A"

[[tags]]
name = "Welding.Robot.Speed"
connection = "plc1"
address = "ns=2;s=b"

[[tags]]
name = "Painting.Booth.Temp"
connection = "plc2"
address = "ns=2;s=c"

[[tags]]
name = "Painting.Booth.Current"
connection = "plc2"
address = "ns=2;s=d"

[[lines]]
name = "Welding"
title = "Frame Welding"
tags = ["Welding.*"]
"""


@pytest.fixture
def scripted(qapp, tmp_path: Path) -> Iterator[Station]:
    path = tmp_path / "plant.toml"
    path.write_text(SCRIPTED_PLANT, encoding="utf-8")
    station, session = _station(qapp, load_config(path), driver_factory=ScriptedDriver)
    yield station
    station.close()
    session.close()


def _shown(screen: DiagnosticsScreen) -> list[str]:
    out = screen.filter.output
    return [out.data(out.index(r, 0)) for r in range(out.rowCount())]


def test_tag_browser_filters_by_name_quality_line_and_connection(qtbot, scripted):
    screen = _screen(scripted)
    push(
        scripted,
        TagValue("Welding.Robot.Current", 12.5),
        TagValue("Welding.Robot.Speed", 3.0),
        TagValue("Painting.Booth.Temp", None, Quality.BAD, reason="sensor open"),
        TagValue("Painting.Booth.Current", 4.0, Quality.STALE, reason="no update"),
    )
    row = screen.tags.row_of("Painting.Booth.Temp")
    qtbot.waitUntil(
        lambda: _cell(screen.tags, row, 3) == "bad — sensor open", timeout=LIVE_TIMEOUT_MS
    )
    assert _shown(screen) == sorted(_shown(screen), key=str.lower)  # sorted by name
    assert len(_shown(screen)) == 4
    # The abnormal quality is coloured by the theme; good is not.
    assert _cell(screen.tags, row, 3, Qt.ItemDataRole.BackgroundRole) is not None
    good_row = screen.tags.row_of("Welding.Robot.Speed")
    assert _cell(screen.tags, good_row, 3, Qt.ItemDataRole.BackgroundRole) is None

    qtbot.keyClicks(screen.name_filter, "current")
    assert _shown(screen) == ["Painting.Booth.Current", "Welding.Robot.Current"]
    assert screen.count_label.text() == "2 of 4 tags"
    screen.name_filter.clear()

    screen.quality_filter.setCurrentIndex(screen.quality_filter.findData("bad"))
    assert _shown(screen) == ["Painting.Booth.Temp"]
    screen.quality_filter.setCurrentIndex(screen.quality_filter.findData("abnormal"))
    assert _shown(screen) == ["Painting.Booth.Current", "Painting.Booth.Temp"]
    # A recovery moves a tag out of the "not good" view by itself.
    push(scripted, TagValue("Painting.Booth.Temp", 60.0))
    qtbot.waitUntil(lambda: _shown(screen) == ["Painting.Booth.Current"], timeout=LIVE_TIMEOUT_MS)
    screen.quality_filter.setCurrentIndex(0)

    screen.line_filter.setCurrentIndex(screen.line_filter.findData("Welding"))
    assert screen.line_filter.currentText() == "Frame Welding"
    assert _shown(screen) == ["Welding.Robot.Current", "Welding.Robot.Speed"]
    screen.line_filter.setCurrentIndex(0)

    screen.connection_filter.setCurrentIndex(screen.connection_filter.findData("plc2"))
    assert _shown(screen) == ["Painting.Booth.Current", "Painting.Booth.Temp"]


def test_a_hidden_screen_takes_no_frames_and_catches_up_when_shown(qtbot, qapp, tmp_path):
    path = tmp_path / "plant.toml"
    path.write_text(SCRIPTED_PLANT, encoding="utf-8")
    other = plugin_of(ScreenSpec("other", {"en": "Other"}, lambda _ctx: QLabel("other")))
    session = GuiSession("en", plugins=[other], builtin=builtin_screens())
    station = Station(load_config(path), session, driver_factory=ScriptedDriver)
    try:
        station.window.show()
        names = station.window.screen_names()
        assert names[0] == "other" and "diagnostics" in names
        screen = _screen(station)
        row = screen.tags.row_of("Welding.Robot.Speed")
        station.window.show_screen("other")
        assert not screen.isVisible() and not screen.poller.running

        frames = station.bridge.frames_emitted
        push(station, TagValue("Welding.Robot.Speed", 7.0))
        qtbot.waitUntil(lambda: station.bridge.frames_emitted > frames, timeout=LIVE_TIMEOUT_MS)
        assert _cell(screen.tags, row, 1) != "7.00"  # hidden: the frame went by

        station.window.show_screen("diagnostics")
        assert _cell(screen.tags, row, 1) == "7.00"  # shown: filled from the tag table at once
        assert screen.poller.running
    finally:
        station.close()
        session.close()


def test_the_screen_speaks_traditional_chinese(qtbot, qapp, tmp_path):
    path = tmp_path / "plant.toml"
    path.write_text(SCRIPTED_PLANT, encoding="utf-8")
    session = GuiSession("zh_TW", plugins=[], builtin=builtin_screens())
    station = Station(load_config(path), session, driver_factory=ScriptedDriver)
    try:
        station.window.show()
        assert station.window.nav.buttons["diagnostics"].text() == "系統診斷"
        screen = _screen(station)
        model = screen.connections
        assert model.headerData(conn_cols.STATE, Qt.Orientation.Horizontal) == "狀態"
        qtbot.waitUntil(lambda: model.state_of("plc1") == "connected", timeout=LIVE_TIMEOUT_MS)
        assert _cell(model, 0, conn_cols.STATE) == "已連線"
        assert screen.write_button.text() == "寫入…"
        assert screen.count_label.text() == "顯示 4 / 共 4 個標籤"
    finally:
        station.close()
        session.close()


def test_the_header_names_the_station_its_database_and_that_it_records(qtbot, qapp, tmp_path):
    path = tmp_path / "plant.toml"
    path.write_text(SCRIPTED_PLANT, encoding="utf-8")
    session = GuiSession("en", plugins=[], builtin=builtin_screens())
    db = tmp_path / "station.db"
    station = Station(
        load_config(path), session, driver_factory=ScriptedDriver, db_url=f"sqlite:///{db}"
    )
    try:
        station.window.show()
        label = _screen(station).station_label
        text = label.text()
        assert text.startswith(f"Station {station.services.station} · database sqlite:///{db}")
        assert text.endswith("this station records plant history and OEE")  # SQLite: alone
        assert label.isVisible()
    finally:
        station.close()
        session.close()


def test_model_announces_only_the_rows_that_changed(qapp, tmp_path: Path):
    names = [f"Line{i // 5}.Tag{i}" for i in range(10)]
    toml = SCRIPTED_PLANT.split("[[tags]]")[0] + "".join(
        f'[[tags]]\nname = "{n}"\nconnection = "plc1"\naddress = "ns=2;s={n}"\n\n' for n in names
    )
    path = tmp_path / "plant.toml"
    path.write_text(toml, encoding="utf-8")
    config = load_config(path)
    model = TagTableModel(config.tags, lines_of(config))
    model.apply({n: TagValue(n, 0.0, source_ts=1.0, receive_ts=1.0) for n in names})

    seen: list[tuple[int, int, int, int]] = []

    def record(top: QModelIndex, bottom: QModelIndex, _roles=()) -> None:
        seen.append((top.row(), bottom.row(), top.column(), bottom.column()))

    model.dataChanged.connect(record)
    frame = {names[i]: TagValue(names[i], float(i), source_ts=2.0, receive_ts=2.0)
             for i in (8, 2, 3, 4)}  # fmt: skip
    frame["Unknown.Tag"] = TagValue("Unknown.Tag", 1.0)
    assert model.apply(frame) == 4
    assert [(a, b) for a, b, _c0, _c1 in seen] == [(2, 4), (8, 8)]
    assert all(c0 == 1 and c1 == 5 for _a, _b, c0, c1 in seen)  # value … receive time
    assert _cell(model, 3, 1) == "3.00"

    seen.clear()
    assert model.apply(frame) == 0  # the same values again: nothing to repaint
    assert seen == []


def test_ranges_coalesce_rows():
    assert ranges([7, 1, 3, 2]) == [(1, 3), (7, 7)]
    assert ranges([]) == []
