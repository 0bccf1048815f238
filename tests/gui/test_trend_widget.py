"""The embeddable TrendWidget on a real station: bound like any tag widget, live only."""

from __future__ import annotations

import math
import time

from gui_helpers import plugin_of, push
from PySide6.QtWidgets import QVBoxLayout, QWidget

from hmi.plugin import ScreenSpec
from hmi.tagvalue import Quality, TagValue
from widgets.trend import TrendWidget


def test_a_plugin_screen_trends_bound_tags(qtbot, make_station):
    made: list[TrendWidget] = []

    def build(ctx) -> QWidget:
        screen = QWidget()
        trend = TrendWidget([ctx.tag_config("Line1.Speed"), ctx.tag_config("Line1.Current")], 60)
        for tag in trend.tags:
            ctx.bind(trend, tag)
        QVBoxLayout(screen).addWidget(trend)
        made.append(trend)
        return screen

    station = make_station([plugin_of(ScreenSpec("line", {"en": "Line"}, build))])
    station.window.resize(1000, 600)
    station.window.show()
    qtbot.waitUntil(lambda: bool(made), timeout=15_000)
    trend = made[0]
    t = time.time()
    push(station, TagValue("Line1.Speed", 12.0, Quality.GOOD, t - 2, t - 2))
    qtbot.waitUntil(lambda: trend.plot.curve("Line1.Speed").yData is not None, timeout=15_000)
    push(station, TagValue("Line1.Speed", 13.0, Quality.GOOD, t - 1, t - 1))
    push(station, TagValue("Line1.Current", 4.0, Quality.BAD, t - 1, t - 1))

    def drawn() -> bool:
        speed = trend.plot.curve("Line1.Speed").yData
        current = trend.plot.curve("Line1.Current").yData
        return speed is not None and len(speed) == 2 and current is not None

    qtbot.waitUntil(drawn, timeout=15_000)
    assert list(trend.plot.curve("Line1.Speed").xData) == [t - 2, t - 1]
    assert list(trend.plot.curve("Line1.Speed").yData) == [12.0, 13.0]
    assert math.isnan(trend.plot.curve("Line1.Current").yData[-1])  # bad quality: a gap
    assert trend.plot.axis_units() == ["m/min", "A"]
    assert trend._values["Line1.Speed"].text() == "13.00 m/min"
