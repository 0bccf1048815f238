"""The plant's line screens fit a 1280×800 panel PC, and the gallery's quality words fit.

An operator at a 1280×800 panel must see a whole line screen — header, output,
process line, process values and the line's alarms — without scrolling. Each screen
is shown in the real main window (theme, navigation bar, alarm banner) at that size,
with the line down and a reason given (the tallest header); the screen's scroll area,
kept as the fallback for smaller screens, must then have nothing to scroll.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_helpers import push
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from hmi.app.error_panel import ErrorPanel
from hmi.app.plugins import LoadedPlugin
from hmi.config import PlantConfig, load_config
from hmi.paths import DEMO_CONFIG
from hmi.tagvalue import Quality, TagValue
from plugins.bicycle_factory import plugin
from screens.gallery import QUALITY_STATES, WidgetGallery
from widgets._painted import BADGE, PaintedTagWidget
from widgets._quality import quality_marker

WAIT_MS = 15_000  # two busy cores shared with other test runs: generous, bounded
PANEL = QSize(1280, 800)
LINES = {"welding": "Welding", "painting": "Painting", "assembly": "Assembly"}


@pytest.fixture
def plant(tmp_path: Path) -> PlantConfig:  # overrides conftest's: the demo plant
    return load_config(DEMO_CONFIG)


def _running_values(plant: PlantConfig, line: str) -> list[TagValue]:
    """A good value for every tag of `line`, as the running demo plant sends them."""
    values: list[TagValue] = []
    for tag in plant.tags:
        if not tag.name.startswith(f"{line}."):
            continue
        kind = tag.type.value
        value: object = 812.5
        if kind == "bool":
            value = True
        elif kind == "string":
            value = "CITY-26"
        elif kind.startswith(("int", "uint")):
            value = 1234
        values.append(TagValue(tag.name, value))
    return values


def _settle(qtbot, window: QWidget) -> None:
    """Let pending layout requests and style polish run (bounded: a few event passes)."""
    for _ in range(5):
        QApplication.processEvents()
        qtbot.wait(10)
    window.updateGeometry()


def _demo_plugin() -> LoadedPlugin:
    translations = Path(plugin.translations_dir) if plugin.translations_dir else None
    return LoadedPlugin("bicycle_factory", plugin, translations_dir=translations)


def _panel_station(make_station, qtbot, lang: str):
    """A station of the demo plugin, its window shown at the panel's size."""
    station = make_station([_demo_plugin()], lang=lang)
    qtbot.addWidget(station.window)
    station.window.resize(PANEL)
    station.window.show()
    return station


@pytest.mark.parametrize("lang", ["en", "zh_TW"])
@pytest.mark.parametrize("screen_name", list(LINES))
def test_a_line_screen_needs_no_scrolling_on_a_1280x800_panel(
    make_station, plant, qtbot, screen_name, lang
):
    station = _panel_station(make_station, qtbot, lang)
    window = station.window
    screen = window.show_screen(screen_name)
    assert not isinstance(screen, ErrorPanel), getattr(screen, "message", "")
    line = LINES[screen_name]
    push(station, *_running_values(plant, line))
    push(station, TagValue(f"{line}.State", 3), TagValue(f"{line}.ReasonCode", 101))
    qtbot.waitUntil(lambda: screen.header.state.reason_text != "", timeout=WAIT_MS)
    _settle(qtbot, window)
    assert isinstance(screen, QScrollArea)  # the fallback for smaller screens stays
    assert window.size() == PANEL
    bar = screen.verticalScrollBar()
    assert bar.maximum() == 0, (
        f"{screen_name} ({lang}) at 1280×800 scrolls by {bar.maximum()} px "
        f"({screen.viewport().height()} px shown)"
    )
    assert screen.horizontalScrollBar().maximum() == 0


def _word_is_whole(widget: PaintedTagWidget, word: str) -> bool:
    """Whether `widget` draws `word` unshortened: the steps of
    `PaintedTagWidget._paint_quality` (a smaller font first, then elided to the room)."""
    strip = widget.contentsRect().width() - 6  # the 3 px inset each side
    room = strip - BADGE - 4
    metrics = QFontMetrics(widget.font())  # replaced in the loop: (12, …) is never empty
    for pixels in (12, 11, 10, 9):
        font = QFont(widget.font())
        font.setPixelSize(pixels)
        font.setBold(True)
        metrics = QFontMetrics(font)
        if metrics.horizontalAdvance(word) + 8 <= room:
            break
    return metrics.elidedText(word, Qt.TextElideMode.ElideRight, max(8, room - 8)) == word


@pytest.mark.parametrize("size", [QSize(1280, 800), QSize(1920, 1080)])
def test_every_quality_word_in_the_gallery_is_whole(qtbot, qapp, size):
    gallery = WidgetGallery()
    qtbot.addWidget(gallery)
    gallery.resize(size)
    gallery.show()
    _settle(qtbot, gallery)
    quality = {
        "uncertain": Quality.UNCERTAIN,
        "stale": Quality.STALE,
        "bad": Quality.BAD,
        "disconnected": Quality.DISCONNECTED,
    }
    cut: list[str] = []
    for (row, state), cell in gallery.cells.items():
        if state not in QUALITY_STATES or state == "good":
            continue
        word = quality_marker(quality[state])
        for w in cell:
            if isinstance(w, PaintedTagWidget) and not _word_is_whole(w, word):
                cut.append(f"{row}/{state}/{type(w).__name__}: {w.width()} px")
    assert not cut, "quality words cut short:\n" + "\n".join(cut)


@pytest.mark.parametrize("lang", ["en", "zh_TW"])
def test_no_screen_makes_the_window_wider_or_taller_than_a_1280x800_panel(qapp, qtbot, plant, lang):
    """Every screen of the station (the plugin's and the built-in system screens): a
    screen whose layout needs more than the panel would push the window off it. The
    screen stack needs what its largest built screen needs, so the first screen in
    navigation order that is too big is the one named."""
    from gui_helpers import ScriptedDriver

    from hmi.app.station import GuiSession, Station
    from screens import builtin_screens

    session = GuiSession(lang, plugins=[_demo_plugin()], builtin=builtin_screens())
    station = Station(plant, session, driver_factory=ScriptedDriver)
    try:
        window = station.window
        window.resize(PANEL)
        window.show()
        for key in list(window.nav.buttons):
            screen = window.show_screen(key)
            assert not isinstance(screen, ErrorPanel), (key, getattr(screen, "message", ""))
            _settle(qtbot, window)
            need = window.minimumSizeHint().expandedTo(window.minimumSize())
            assert need.width() <= PANEL.width() and need.height() <= PANEL.height(), (
                f"{key} ({lang}) needs {need.width()}×{need.height()}, more than 1280×800"
            )
    finally:
        station.close()
        session.close()


@pytest.mark.parametrize("lang", ["en", "zh_TW"])
def test_the_overview_shows_all_three_lines_side_by_side_on_a_1280x800_panel(
    make_station, qtbot, lang
):
    """The plant overview (ISA-101 level 1) must show every line at once: at 1280×800 the
    long "Wheel & Final Assembly" title once stacked the panels, hiding two lines below
    the fold, and then squeezed its "Line screen" button."""
    window = _panel_station(make_station, qtbot, lang).window
    screen = window.show_screen("overview")
    _settle(qtbot, window)
    qtbot.waitUntil(lambda: not screen.row.stacked, timeout=WAIT_MS)
    _settle(qtbot, window)
    panels = list(screen.panels.values())
    assert len({p.y() for p in panels}) == 1  # one row
    assert screen.verticalScrollBar().maximum() == 0
    for p in panels:
        button = p.details_button
        assert button is not None and button.width() >= button.sizeHint().width(), p.objectName()
