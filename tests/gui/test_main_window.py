"""The main window as the operator sees it: header lights, lazy screens, bad plugins, zh_TW."""

from __future__ import annotations

import textwrap
from importlib.metadata import EntryPoint

from gui_helpers import Recorder, ScriptedDriver, plugin_of, push
from PySide6.QtWidgets import QLabel

from hmi.app.error_panel import ErrorPanel
from hmi.app.plugins import load_plugins
from hmi.drivers.base import ConnectionState
from hmi.plugin import API_VERSION, ScreenSpec
from hmi.tagvalue import TagValue


def test_connection_light_follows_the_connection_state(qtbot, make_station):
    station = make_station()
    window = station.window
    qtbot.addWidget(window)
    window.show()
    light = window.header.lights["plc"]
    qtbot.waitUntil(lambda: light.property("connState") == "connected", timeout=15_000)
    assert "Disconnected" not in light.text()

    driver = station.runtime.drivers["plc"]
    station.host.call(driver.set_state, ConnectionState.DISCONNECTED, "connection refused")
    qtbot.waitUntil(lambda: light.property("connState") == "disconnected", timeout=15_000)
    assert "plc" in light.text() and "Disconnected" in light.text()
    assert "connection refused" in light.toolTip()
    # ISA-101: the abnormal state is coloured, the normal one is not.
    abnormal = light.grab().toImage().pixelColor(4, light.height() // 2)
    assert abnormal.saturation() > 100

    station.host.call(driver.set_state, ConnectionState.CONNECTED, "")
    qtbot.waitUntil(lambda: light.property("connState") == "connected", timeout=15_000)
    normal = light.grab().toImage().pixelColor(4, light.height() // 2)
    assert normal.saturation() < 20


def test_header_shows_title_clock_user_and_footer_placeholder(qtbot, make_station):
    window = make_station().window
    qtbot.addWidget(window)
    assert window.header.title.text() == "Test Plant"
    assert window.header.user.text() == "station\nEngineer"  # no [security]: open station
    assert window.header.clock.text().count(":") == 2
    assert window.alarm_banner.text() == "No active alarms"


def test_screens_are_built_only_when_first_shown(qtbot, make_station):
    calls: list[str] = []

    def factory(name: str):
        def build(ctx):
            calls.append(name)
            return QLabel(name)

        return build

    specs = [ScreenSpec(n, {"en": n.upper()}, factory(n)) for n in ("one", "two", "three")]
    window = make_station([plugin_of(*specs)]).window
    qtbot.addWidget(window)
    assert window.screen_names() == ["one", "two", "three"]
    assert calls == ["one"]  # the first screen is on display, the rest wait
    assert [b.text() for b in window.nav.buttons.values()] == ["ONE", "TWO", "THREE"]

    window.nav.buttons["three"].click()
    assert calls == ["one", "three"]
    assert window.current_screen == "three"
    window.show_screen("one")
    assert calls == ["one", "three"]  # built once
    assert not window.is_built("two")


def _write_plugin(tmp_path, module: str, body: str) -> EntryPoint:
    (tmp_path / f"{module}.py").write_text(textwrap.dedent(body), encoding="utf-8")
    return EntryPoint(name=module, value=f"{module}:plugin", group="hmi.plugins")


def test_bad_plugins_show_error_panels_and_the_station_runs_on(
    qtbot, make_station, tmp_path, monkeypatch
):
    monkeypatch.syspath_prepend(str(tmp_path))
    old = _write_plugin(
        tmp_path,
        "old_api_plugin",
        f"""
        from hmi.plugin import PlantPlugin
        plugin = PlantPlugin("old", "0.1", api_version={API_VERSION + 1}, screens=[])
        """,
    )
    crashing = _write_plugin(tmp_path, "crashing_plugin", "raise RuntimeError('no licence')\n")
    mixed = _write_plugin(
        tmp_path,
        "mixed_plugin",
        f"""
        from PySide6.QtWidgets import QLabel
        from hmi.plugin import PlantPlugin, ScreenSpec

        def broken(ctx):
            raise ZeroDivisionError("screen maths")

        def fine(ctx):
            label = QLabel("fine")
            return label

        plugin = PlantPlugin("mixed", "1.0", {API_VERSION}, [
            ScreenSpec("fine", {{"en": "Fine"}}, fine),
            ScreenSpec("broken", {{"en": "Broken"}}, broken),
        ])
        """,
    )
    loaded = load_plugins([old, crashing, mixed])
    assert [p.ok for p in loaded] == [False, False, True]
    assert f"targets plugin API version {API_VERSION + 1}" in loaded[0].error
    assert f"provides version {API_VERSION}" in loaded[0].error

    rec_holder: list[Recorder] = []

    def watched(ctx):
        rec = Recorder()
        ctx.bind(rec, "Line1.Current")
        rec_holder.append(rec)
        return rec

    extra = plugin_of(ScreenSpec("watched", {"en": "Watched"}, watched), name="extra")
    station = make_station([*loaded, extra])
    window = station.window
    qtbot.addWidget(window)
    window.show()

    panel = window.show_screen("old_api_plugin")
    assert isinstance(panel, ErrorPanel) and "refused" in panel.message
    panel = window.show_screen("crashing_plugin")
    assert isinstance(panel, ErrorPanel) and "no licence" in panel.message
    assert "RuntimeError" in panel.details.toPlainText()
    panel = window.show_screen("broken")
    assert isinstance(panel, ErrorPanel) and "screen maths" in panel.message
    assert "ZeroDivisionError" in panel.details.toPlainText()
    assert window.show_screen("fine").text() == "fine"

    # ... and live data still flows to a good screen.
    window.show_screen("watched")
    push(station, TagValue("Line1.Current", 9.5))
    qtbot.waitUntil(lambda: rec_holder[0].last == 9.5, timeout=15_000)


def test_screen_binding_an_unknown_tag_shows_the_tag_name(qtbot, make_station):
    def build(ctx):
        rec = Recorder()
        ctx.bind(rec, "Line9.Nothing")
        return rec

    window = make_station([plugin_of(ScreenSpec("typo", {"en": "Typo"}, build))]).window
    qtbot.addWidget(window)
    panel = window.show_screen("typo")
    assert isinstance(panel, ErrorPanel)
    assert "Line9.Nothing" in panel.message


def test_zh_tw_translation_is_loaded(qtbot, make_station):
    screen = ScreenSpec("ov", {"en": "Overview", "zh_TW": "總覽"}, lambda ctx: QLabel("x"))
    window = make_station([plugin_of(screen)], lang="zh_TW").window
    qtbot.addWidget(window)
    assert window.header.title.text() == "測試工廠"  # from the plant config
    assert window.header.user.text() == "station\n工程師"  # role from security_zh_TW.qm
    assert window.alarm_banner.text() == "無作用中警報"
    assert window.nav.buttons["ov"].text() == "總覽"  # from the plugin's ScreenSpec


def test_f11_toggles_full_screen(qtbot, make_station):
    window = make_station().window
    qtbot.addWidget(window)
    window.show()
    window.toggle_fullscreen()
    qtbot.waitUntil(window.isFullScreen, timeout=15_000)
    window.toggle_fullscreen()
    qtbot.waitUntil(lambda: not window.isFullScreen(), timeout=15_000)


def test_missing_cjk_font_is_reported_once_naming_the_package(qapp, monkeypatch, caplog):
    from PySide6.QtGui import QFontDatabase

    from hmi.app import fonts

    original = QFontDatabase.families

    def without_cjk(ws=QFontDatabase.WritingSystem.Any):
        return [] if ws == QFontDatabase.WritingSystem.TraditionalChinese else original(ws)

    font_before = qapp.font()
    # A machine without a CJK font cannot be made on demand here: simulate its answer.
    monkeypatch.setattr(QFontDatabase, "families", staticmethod(without_cjk))
    try:
        with caplog.at_level("WARNING"):
            assert fonts.setup_fonts(qapp, "zh_TW") is None
            assert fonts.setup_fonts(qapp, "en") is None
    finally:
        qapp.setFont(font_before)
    warnings = [r.getMessage() for r in caplog.records if "fonts-wqy-microhei" in r.getMessage()]
    assert len(warnings) == 1
    assert "Chinese" in warnings[0]


def test_closing_waits_for_a_screens_background_query_before_the_store_closes(
    qapp, plant, monkeypatch
):
    """A screen's query running at shutdown must finish against an open store: closing
    the store under it logged database errors (a deleted scratch database, a server
    gone) and could lose what the query was doing."""
    import threading

    from hmi.app.station import GuiSession, Station
    from screens import builtin_screens
    from screens.alarm_history import AlarmHistoryScreen

    session = GuiSession("en", plugins=[], builtin=builtin_screens())
    station = Station(plant, session, driver_factory=ScriptedDriver)
    store_closed = threading.Event()
    close_store = station.services.close
    monkeypatch.setattr(
        station.services, "close", lambda *a, **k: (store_closed.set(), close_store(*a, **k))
    )
    screen = station.window.show_screen("alarm_history")
    assert isinstance(screen, AlarmHistoryScreen)
    started, release, outcome = threading.Event(), threading.Event(), []

    def query() -> None:  # a slow query, still running when the station closes
        started.set()
        release.wait(30)
        outcome.append("store closed under the query" if store_closed.is_set() else "ok")

    screen.worker.submit(query, lambda _result: None)
    assert started.wait(30)
    releaser = threading.Timer(0.5, release.set)  # the query ends while close() runs
    releaser.start()
    try:
        station.close()
    finally:
        release.set()
        releaser.join(30)
        session.close()
    assert outcome == ["ok"]
