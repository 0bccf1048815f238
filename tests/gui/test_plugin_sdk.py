"""The plugin SDK seen from the station: discovery, refusal, isolation, dev reload.

Real station (runtime thread, journal in SQLite, bridge, main window); plugins are
real packages written into tmp_path and found through ``--plugin-path``, or the
demo plugin through its installed entry point.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

from gui_helpers import Recorder, plugin_of, push
from PySide6.QtWidgets import QLabel, QWidget

from hmi.app.dev_reload import DevReloader
from hmi.app.error_panel import ErrorPanel
from hmi.app.plugins import discover, load_plugin, load_plugins
from hmi.app.station import Station
from hmi.plugin import API_VERSION, ScreenSpec
from hmi.store.queries import EventFilter, fetch_events
from hmi.tagvalue import TagValue

WAIT_MS = 10_000


def failures(station: Station, plugin: str) -> list[str]:
    """The messages of the `plugin_failed` events journaled for `plugin`."""
    assert station.services.journal.flush(10)
    flt = EventFilter(types=["plugin_failed"], sources=[plugin])
    return [e.message for e in fetch_events(station.services.store.engine, flt)]


def write_plugin(folder: Path, name: str, init: str, **modules: str) -> Path:
    """A plugin package `name` in `folder` (a plugin folder for --plugin-path)."""
    package = folder / name
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(textwrap.dedent(init), encoding="utf-8")
    for module, text in modules.items():
        (package / f"{module}.py").write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


LABEL_PLUGIN = """\
    from hmi.plugin import API_VERSION, PlantPlugin, ScreenSpec

    def _build(ctx):
        from {name}.screen import build
        return build(ctx)

    plugin = PlantPlugin(
        "{name}", "2.5", {api}, [ScreenSpec("{name}_main", {{"en": "Main"}}, _build)]
    )
"""

LABEL_SCREEN = """\
    from PySide6.QtWidgets import QLabel

    def build(ctx):
        label = QLabel("{text}")
        label.setObjectName("greeting")
        return label
"""


def test_the_demo_plugin_loads_through_its_entry_point():
    eps = {ep.name: ep for ep in discover()}
    loaded = load_plugin(eps["bicycle_factory"])
    assert loaded.ok, loaded.error
    assert loaded.plugin.api_version == API_VERSION
    assert loaded.package_dir is not None and loaded.package_dir.name == "bicycle_factory"


def test_a_folder_plugin_loads_through_plugin_path_and_shows_its_screen(
    qtbot, tmp_path, make_station
):
    folder = write_plugin(
        tmp_path,
        "folder_plug",
        LABEL_PLUGIN.format(name="folder_plug", api="API_VERSION"),
        screen=LABEL_SCREEN.format(text="hello from a folder"),
    )
    plugins = load_plugins(eps=[], paths=[folder])
    assert [(p.name, p.ok, p.plugin.version) for p in plugins] == [("folder_plug", True, "2.5")]
    window = make_station(plugins).window
    qtbot.addWidget(window)
    screen = window.show_screen("folder_plug_main")
    assert screen.findChild(QLabel, "greeting") or screen.text() == "hello from a folder"


def test_an_incompatible_plugin_is_refused_with_a_clear_message(qtbot, tmp_path, make_station):
    folder = write_plugin(
        tmp_path, "old_plug", LABEL_PLUGIN.format(name="old_plug", api=API_VERSION + 1)
    )
    (loaded,) = load_plugins(eps=[], paths=[folder])
    assert not loaded.ok
    assert f"targets plugin API version {API_VERSION + 1}" in loaded.error
    assert f"provides version {API_VERSION}: refused" in loaded.error
    station = make_station([loaded])
    qtbot.addWidget(station.window)
    panel = station.window.show_screen("old_plug")
    assert isinstance(panel, ErrorPanel) and "refused" in panel.message
    assert any("refused" in m for m in failures(station, "old_plug"))


def test_a_plugin_that_raises_on_import_leaves_the_station_running(qtbot, tmp_path, make_station):
    folder = write_plugin(tmp_path, "boom_plug", "raise RuntimeError('no such PLC library')\n")
    good = plugin_of(ScreenSpec("fine", {"en": "Fine"}, lambda ctx: _bound_label(ctx)))
    plugins = [*load_plugins(eps=[], paths=[folder]), good]
    station = make_station(plugins)
    window = station.window
    qtbot.addWidget(window)
    window.show()
    panel = window.show_screen("boom_plug")
    assert isinstance(panel, ErrorPanel)
    assert "no such PLC library" in panel.message and "Traceback" in panel.details.toPlainText()
    label = window.show_screen("fine")
    push(station, TagValue("Line1.Speed", 3.5))
    qtbot.waitUntil(lambda: label.last == 3.5, timeout=WAIT_MS)
    assert any("no such PLC library" in m for m in failures(station, "boom_plug"))


def _bound_label(ctx) -> Recorder:
    label = Recorder()
    ctx.bind(label, "Line1.Speed")
    return label


def test_a_screen_that_raises_on_build_shows_the_error_panel_and_is_journaled(qtbot, make_station):
    def broken(ctx) -> QWidget:
        raise ValueError("layout went wrong")

    station = make_station([plugin_of(ScreenSpec("broken", {"en": "Broken"}, broken))])
    qtbot.addWidget(station.window)
    panel = station.window.show_screen("broken")
    assert isinstance(panel, ErrorPanel) and "layout went wrong" in panel.message
    assert any("layout went wrong" in m for m in failures(station, "testplug"))


class Fragile(Recorder):
    """A widget whose update raises on a negative value."""

    def set_tag_value(self, value: TagValue) -> None:
        if isinstance(value.value, float) and value.value < 0:
            raise ZeroDivisionError("negative speed")
        super().set_tag_value(value)


def test_a_widget_that_raises_on_update_takes_only_its_screen_down(qtbot, make_station):
    def fragile(ctx) -> QWidget:
        widget = Fragile()
        ctx.bind(widget, "Line1.Speed")
        return widget

    plugin = plugin_of(
        ScreenSpec("fragile", {"en": "Fragile"}, fragile),
        ScreenSpec("steady", {"en": "Steady"}, _bound_label),
    )
    station = make_station([plugin])
    window = station.window
    qtbot.addWidget(window)
    window.show()
    steady = window.show_screen("steady")
    window.show_screen("fragile")
    push(station, TagValue("Line1.Speed", -1.0))
    qtbot.waitUntil(
        lambda: isinstance(window.screens["fragile"].widget, ErrorPanel), timeout=WAIT_MS
    )
    panel = window.screens["fragile"].widget
    assert window.stack.currentWidget() is panel
    assert "negative speed" in panel.message and "ZeroDivisionError" in panel.details.toPlainText()

    push(station, TagValue("Line1.Speed", -2.0))  # the broken screen is not fed again
    window.show_screen("steady")
    push(station, TagValue("Line1.Speed", 7.0))
    qtbot.waitUntil(lambda: steady.last == 7.0, timeout=WAIT_MS)  # the rest runs on
    assert len([m for m in failures(station, "testplug") if "negative speed" in m]) == 1


def test_dev_reload_shows_an_edited_screen_without_restarting_the_runtime(
    qtbot, tmp_path, make_station
):
    folder = write_plugin(
        tmp_path,
        "live_plug",
        LABEL_PLUGIN.format(name="live_plug", api="API_VERSION"),
        screen=LABEL_SCREEN.format(text="version one"),
    )
    plugins = load_plugins(eps=[], paths=[folder])
    station = make_station(plugins)
    window = station.window
    qtbot.addWidget(window)
    host, alarms, runtime = station.host, station.services.alarms, station.runtime
    assert window.show_screen("live_plug_main").text() == "version one"

    reloader = DevReloader(plugins, window.reload_plugin, interval_ms=50)
    assert reloader.folders["live_plug"] == folder / "live_plug"
    reloader.start()
    module = folder / "live_plug" / "screen.py"
    module.write_text(textwrap.dedent(LABEL_SCREEN.format(text="version two")), encoding="utf-8")
    stat = module.stat()  # a save within the same mtime tick must still count
    os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    with qtbot.waitSignal(reloader.reloaded, timeout=WAIT_MS):
        pass
    reloader.stop()

    screen = window.screens["live_plug_main"].widget
    assert screen.text() == "version two"
    assert window.stack.currentWidget() is screen
    assert station.host is host and station.runtime is runtime
    assert station.services.alarms is alarms
    push(station, TagValue("Line1.Speed", 9.0))  # and it still runs
    qtbot.waitUntil(lambda: station.bridge.snapshot()["Line1.Speed"].value == 9.0, timeout=WAIT_MS)
