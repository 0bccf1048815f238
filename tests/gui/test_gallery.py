"""The widget gallery: every widget in every state, renderable offscreen at station sizes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QImage

from hmi.app.i18n import install_translations
from screens.gallery import ALARM_STATES, QUALITY_STATES, STATES, build_gallery, gallery_screen
from widgets import ValueDisplay

SIZES = [(1920, 1080), (1280, 800)]


class Ctx:
    lang = "en"


@pytest.fixture
def gallery(qtbot):
    g = build_gallery(Ctx())
    qtbot.addWidget(g)
    return g


def test_gallery_is_a_screen_spec():
    spec = gallery_screen()
    assert spec.name == "gallery"
    assert spec.title == {"en": "Widget gallery", "zh_TW": "元件展示"}
    assert spec.title_for("zh_TW") == "元件展示"


def test_every_widget_is_shown_in_every_state(gallery):
    assert len(gallery.rows) >= 9
    for row in gallery.rows:
        for state in STATES:
            cell = gallery.cells[(row, state)]
            assert cell, (row, state)
            for w in cell:
                expected = state if state in QUALITY_STATES else "good"
                assert w.property("quality") == expected, (row, state, type(w).__name__)
                priority = state[-1] if state in ALARM_STATES else ""
                assert (w.property("alarmPriority") or "") == priority, (row, state)
    kinds = {type(w).__name__ for w in gallery.widgets()}
    assert {
        "ValueDisplay", "Indicator", "MultiStateLabel", "AnalogBar", "RadialGauge", "Sparkline",
        "SetpointEntry", "CommandButton", "Motor", "Valve", "Tank", "Conveyor",
    } <= kinds  # fmt: skip


def _distinct_colours(image: QImage, step: int = 23) -> int:
    seen = set()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            seen.add(image.pixel(x, y))
    return len(seen)


@pytest.mark.parametrize("lang", ["en", "zh_TW"])
@pytest.mark.parametrize("size", SIZES)
def test_gallery_renders_at_station_sizes(qtbot, qapp, lang, size):
    translators = install_translations(qapp, lang)
    try:
        g = build_gallery(type("C", (), {"lang": lang})())
        qtbot.addWidget(g)
        g.resize(*size)
        g.show()
        qtbot.waitUntil(lambda: g.isVisible() and g.width() == size[0], timeout=15_000)
        image = g.grab().toImage()
        assert not image.isNull()
        assert (image.width(), image.height()) == size
        assert _distinct_colours(image) > 8  # something was drawn, not a blank grey page
        # Wide screens show the alarm block beside the quality block; narrower ones stack
        # it below, so the page never needs a sideways scroll.
        assert g.wide == (size[0] >= g.wide_width())
        assert g.scroll.horizontalScrollBar().maximum() == 0
        if lang == "zh_TW":
            header = g.quality_block.grid.itemAtPosition(0, 1).widget()
            assert header.text() == "良好"
    finally:
        for t in translators:
            qapp.removeTranslator(t)
    assert QCoreApplication.translate("WidgetGallery", "Good") == "Good"


def test_gallery_fits_side_by_side_on_a_full_hd_screen(gallery, qtbot):
    gallery.resize(1920, 1080)
    gallery.show()
    qtbot.waitUntil(lambda: gallery.width() == 1920, timeout=15_000)
    assert gallery.wide
    gallery.resize(1280, 800)
    qtbot.waitUntil(lambda: not gallery.wide, timeout=15_000)


def test_gallery_value_display_shows_its_marker(gallery):
    (vd,) = gallery.cells[("value", "bad")]
    assert isinstance(vd, ValueDisplay)
    assert vd.marker_label.text() == "BAD"
