"""The Trend screen: live pens from frames, gaps, history in the background, exports, views."""

from __future__ import annotations

import csv
import math
import threading
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from gui_helpers import PLANT_TOML
from PySide6.QtCore import QObject, Qt, Signal

from hmi.config import PlantConfig, load_config
from hmi.store.database import open_store
from hmi.store.history import BucketSeries, HistoryReader, RawSeries
from hmi.store.history_writer import HistoryWriter
from hmi.tagvalue import Quality, TagValue
from screens.trend_views import TrendViewStore
from screens.trends import TrendScreen, trends_screen_spec

NOW = 1_800_000_000.0
ALARMS = """
[[alarms]]
tag = "Line1.Speed"
type = "hi"
limit = 90.0
message = "Speed high"
"""


class FakeContext(QObject):
    """The station context the screen uses: config, frames, snapshot."""

    frames = Signal(object)

    def __init__(self, config: PlantConfig, snapshot: dict[str, TagValue] | None = None):
        super().__init__()
        self.config = config
        self.lang = "en"
        self._snapshot = snapshot or {}

    def tag_config(self, name):
        return self.config.tag(name)

    def bind(self, widget, tag):
        raise AssertionError("the screen should use frames here")

    def write(self, tag, value, on_done=None):
        raise AssertionError("a trend never writes")

    def tag_snapshot(self):
        return dict(self._snapshot)


class FakeHistory:
    """HistoryReader's query API over in-memory arrays; `gate` holds chosen fetches."""

    def __init__(self, data: dict[str, tuple[np.ndarray, np.ndarray]]):
        self.data = data
        self.calls: list[tuple[str, float, float, int]] = []
        self.gate: dict[float, threading.Event] = {}

    def raw(self, tag, t0, t1, limit=None):
        ts, values = self.data.get(tag, (np.empty(0), np.empty(0)))
        inside = (ts >= t0) & (ts < t1)
        return RawSeries(ts[inside], values[inside], np.zeros(int(inside.sum()), np.int8))

    def auto(self, tag, t0, t1, width_px):
        self.calls.append((tag, t0, t1, width_px))
        gate = self.gate.get(round(t0))
        if gate is not None:
            assert gate.wait(10), "test gate never opened"
        return self.raw(tag, t0, t1)


@pytest.fixture
def plant(tmp_path: Path) -> PlantConfig:
    path = tmp_path / "plant.toml"
    path.write_text(PLANT_TOML + ALARMS, encoding="utf-8")
    return load_config(path)


@pytest.fixture
def make_screen(qtbot, plant, tmp_path):
    def make(reader=None, snapshot=None) -> tuple[TrendScreen, FakeContext]:
        ctx = FakeContext(plant, snapshot)
        screen = TrendScreen(
            ctx, reader, views=TrendViewStore("Viewer", tmp_path / "views"), clock=lambda: NOW
        )
        qtbot.addWidget(screen)
        screen.resize(1280, 800)
        screen.show()
        return screen, ctx

    return make


def frame(tag: str, value, ts: float, quality: Quality = Quality.GOOD) -> dict[str, TagValue]:
    return {tag: TagValue(tag, value, quality, ts, ts + 0.05)}


def shown(screen: TrendScreen, tag: str) -> int:
    """How many points the pen's line holds."""
    x = screen.plot.curve(tag).xData
    return 0 if x is None else len(x)


def curve_data(screen: TrendScreen, tag: str) -> tuple[list[float], list[float]]:
    item = screen.plot.curve(tag)
    return list(item.xData), list(item.yData)


def test_an_added_pen_shows_its_live_values(make_screen):
    start = TagValue("Line1.Speed", 10.0, Quality.GOOD, NOW - 3, NOW - 3)
    screen, ctx = make_screen(snapshot={"Line1.Speed": start})
    assert screen.add_pen("Line1.Speed")
    for i, v in enumerate((11.0, 12.5, 13.0)):
        ctx.frames.emit(frame("Line1.Speed", v, NOW - 2 + i))
    ctx.frames.emit(frame("Line1.Current", 99.0, NOW))  # not trended: ignored
    xs, ys = curve_data(screen, "Line1.Speed")
    assert xs == [NOW - 3, NOW - 2, NOW - 1, NOW]  # source timestamps, not the clock
    assert ys == [10.0, 11.0, 12.5, 13.0]
    assert screen.pens.text("Line1.Speed", screen.pens.VALUE) == "13.00 m/min"
    t0, t1 = screen.plot.visible_range()
    assert t1 == pytest.approx(NOW) and t1 - t0 == pytest.approx(300)


def test_an_outage_breaks_the_line(make_screen):
    screen, ctx = make_screen()
    screen.add_pen("Line1.Current")
    ctx.frames.emit(frame("Line1.Current", 5.0, NOW - 3))
    ctx.frames.emit(frame("Line1.Current", 5.0, NOW - 3, Quality.DISCONNECTED))
    ctx.frames.emit(frame("Line1.Current", 6.0, NOW))
    xs, ys = curve_data(screen, "Line1.Current")
    assert ys[0] == 5.0 and math.isnan(ys[1]) and ys[2] == 6.0
    assert xs[1] == pytest.approx(NOW - 3 + 0.05)  # when the station saw the outage
    assert screen.plot.curve("Line1.Current").opts["connect"] == "finite"
    assert screen.pens.text("Line1.Current", screen.pens.VALUE) == "6.00 A"


def test_pause_freezes_the_plot_but_keeps_recording(make_screen):
    screen, ctx = make_screen()
    screen.add_pen("Line1.Speed")
    ctx.frames.emit(frame("Line1.Speed", 1.0, NOW - 2))
    screen.toolbar.pause_button.click()
    assert screen.toolbar.pause_button.text() == "Resume"
    ctx.frames.emit(frame("Line1.Speed", 2.0, NOW - 1))
    assert curve_data(screen, "Line1.Speed")[1] == [1.0]  # frozen for reading
    screen.toolbar.pause_button.click()
    assert curve_data(screen, "Line1.Speed")[1] == [1.0, 2.0]  # nothing was lost


def test_live_window_presets(make_screen):
    screen, _ = make_screen()
    screen.toolbar.window_box.setCurrentIndex(screen.toolbar.window_box.findData(3600))
    t0, t1 = screen.plot.visible_range()
    assert (t0, t1) == (pytest.approx(NOW - 3600), pytest.approx(NOW))


def test_pens_of_one_unit_share_an_axis_and_others_get_their_own(make_screen):
    screen, _ = make_screen()
    screen.add_pen("Line1.Speed")
    screen.add_pen("Line1.Current")
    assert screen.plot.axis_units() == ["m/min", "A"]
    screen.remove_pen("Line1.Speed")
    assert screen.plot.axis_units() == ["A"]
    assert screen.pens.tags() == ["Line1.Current"]


def test_alarm_limits_are_dashed_lines(make_screen):
    screen, _ = make_screen()
    screen.add_pen("Line1.Speed")
    lines = screen.plot._pens["Line1.Speed"].limit_lines
    assert [line.value() for line in lines] == [90.0]
    assert lines[0].pen.style() == Qt.PenStyle.DashLine


def test_a_past_range_shows_stored_values(qtbot, make_screen):
    ts = np.arange(NOW - 7200, NOW - 3600, 60.0)
    history = FakeHistory({"Line1.Speed": (ts, np.sin(ts))})
    screen, _ = make_screen(reader=history)
    screen.add_pen("Line1.Speed")
    screen.show_range(NOW - 7000, NOW - 5000)
    assert not screen.plot.live
    qtbot.waitUntil(lambda: shown(screen, "Line1.Speed") > 0, timeout=15_000)
    xs, ys = curve_data(screen, "Line1.Speed")
    wanted = (ts >= NOW - 8000) & (ts < NOW - 4000)  # the range plus half a view each side
    assert xs == ts[wanted].tolist() and ys == np.sin(ts[wanted]).tolist()
    _tag, _t0, _t1, width = history.calls[-1]
    assert width >= screen.plot.plot_width_px()  # fetched at the plot's pixel width


def test_buckets_draw_a_min_max_envelope_behind_the_mean(make_screen):
    screen, _ = make_screen()
    screen.add_pen("Line1.Speed")
    screen.plot.set_live(False)
    nan = math.nan
    buckets = BucketSeries(
        ts=np.array([0.0, 10.0, 20.0]),
        min=np.array([1.0, nan, 3.0]),
        max=np.array([2.0, nan, 5.0]),
        mean=np.array([1.5, nan, 4.0]),
        last=np.array([2.0, nan, 3.0]),
        count=np.array([3, 0, 4]),
    )
    screen.plot.show_history("Line1.Speed", buckets)
    _xs, ys = curve_data(screen, "Line1.Speed")
    assert ys[0] == 1.5 and math.isnan(ys[1]) and ys[2] == 4.0
    env = screen.plot.envelope("Line1.Speed")
    assert list(env.xData) == [0.0, 0.0, 20.0, 20.0]
    assert list(env.yData) == [1.0, 2.0, 3.0, 5.0]
    assert env.opts["connect"] == "pairs"


def test_a_stale_fetch_for_an_old_range_is_discarded(qtbot, make_screen):
    ts = np.arange(NOW - 10 * 86400, NOW, 600.0)
    history = FakeHistory({"Line1.Speed": (ts, ts - NOW)})
    screen, _ = make_screen(reader=history)
    screen.add_pen("Line1.Speed")
    old = threading.Event()
    history.gate[round(NOW - 9 * 86400 - 43200)] = old  # the first range's fetch waits
    screen.show_range(NOW - 9 * 86400, NOW - 8 * 86400)
    screen.show_range(NOW - 2 * 86400, NOW - 86400)
    qtbot.waitUntil(lambda: shown(screen, "Line1.Speed") > 0, timeout=15_000)
    old.set()  # the old answer arrives last
    qtbot.waitUntil(lambda: screen.fetcher.discarded == 1, timeout=15_000)
    xs, _ = curve_data(screen, "Line1.Speed")
    assert min(xs) >= NOW - 2.5 * 86400  # still the new range, not the old one
    assert screen.fetcher.wait(5000)


def test_keyboard_pan_leaves_live_and_refetches(qtbot, make_screen):
    history = FakeHistory({})
    screen, _ = make_screen(reader=history)
    screen.add_pen("Line1.Speed")
    screen.plot.setFocus()
    qtbot.keyClick(screen.plot, Qt.Key.Key_Left)
    assert not screen.plot.live and screen.toolbar.history_button.isChecked()
    qtbot.waitUntil(lambda: len(history.calls) == 1, timeout=15_000)
    _t0, t1 = screen.plot.visible_range()
    assert t1 == pytest.approx(NOW - 30)  # a tenth of the 5 min window
    screen.back_to_live()
    assert screen.plot.live and screen.toolbar.live_button.isChecked()


def test_csv_export_of_the_visible_data(make_screen, tmp_path):
    screen, ctx = make_screen()
    screen.add_pen("Line1.Speed")
    screen.add_pen("Line1.Current")
    ctx.frames.emit(frame("Line1.Speed", 1.5, NOW - 20))
    ctx.frames.emit(
        {**frame("Line1.Speed", 2.5, NOW - 10), **frame("Line1.Current", 7.0, NOW - 10)}
    )
    ctx.frames.emit(frame("Line1.Current", 7.0, NOW - 5, Quality.BAD))
    ctx.frames.emit(frame("Line1.Speed", 9.0, NOW - 1000))  # older: never shown, not exported
    out = tmp_path / "trend.csv"
    assert screen.export_csv(out) == 3
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[0] == ["time", "Line1.Speed", "Line1.Current"]
    assert [r[1:] for r in rows[1:]] == [["1.5", ""], ["2.5", "7.0"], ["", ""]]
    stamp = datetime.fromisoformat(rows[1][0])
    assert stamp.tzinfo is not None and stamp.timestamp() == NOW - 20  # ISO 8601, with offset


def test_png_export(make_screen, tmp_path):
    screen, _ = make_screen()
    screen.add_pen("Line1.Speed")
    out = tmp_path / "trend.png"
    assert screen.export_png(out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_named_view_round_trips(make_screen, tmp_path):
    screen, _ = make_screen(reader=FakeHistory({}))
    screen.add_pen("Line1.Speed")
    screen.add_pen("Line1.Current", style="dash")
    screen.plot.update_pen("Line1.Current", visible=False)
    screen.show_range(NOW - 86400, NOW - 3600)
    screen.views.save_view("Shift A")

    other, _ = make_screen(reader=FakeHistory({}))
    box = other.views.view_box
    assert [box.itemText(i) for i in range(box.count())][1:] == ["Shift A"]
    other.views.load_view("Shift A")
    assert other.plot.tags == ["Line1.Speed", "Line1.Current"]
    spec = other.plot.spec("Line1.Current")
    assert (spec.style, spec.visible) == ("dash", False)
    assert spec.color == screen.plot.spec("Line1.Current").color
    assert not other.plot.live
    t0, t1 = other.plot.visible_range()
    assert (t0, t1) == (pytest.approx(NOW - 86400), pytest.approx(NOW - 3600))
    assert (tmp_path / "views" / "Viewer.json").is_file()


def test_the_screen_spec_builds_a_live_only_screen_without_a_historian(qtbot, plant):
    spec = trends_screen_spec()
    widget = spec.factory(FakeContext(plant))
    qtbot.addWidget(widget)
    assert spec.title_for("zh_TW") == "趨勢"
    assert "historian" in widget.status.text()


def test_past_range_from_a_real_historian_after_a_restart(qtbot, make_screen, tmp_path):
    url = f"sqlite:///{tmp_path / 'history.db'}"
    store = open_store(url)
    ts = np.arange(NOW - 4000.0, NOW - 3000.0, 10.0)
    samples = [("Line1.Current", float(t), float(t - NOW), 0) for t in ts]
    samples[50] = ("Line1.Current", float(ts[50]), None, 4)  # an outage
    with HistoryWriter(store.engine) as writer:
        writer.submit(samples)
        assert writer.flush(10)
    store.engine.dispose()

    reopened = open_store(url)  # the station restarted
    try:
        screen, _ = make_screen(reader=HistoryReader(reopened.engine))
        screen.add_pen("Line1.Current")
        screen.show_range(NOW - 3900, NOW - 3100)
        qtbot.waitUntil(lambda: shown(screen, "Line1.Current") > 0, timeout=15_000)
        xs, ys = curve_data(screen, "Line1.Current")
        assert xs == ts.tolist()
        assert math.isnan(ys[50]) and ys[49] == ts[49] - NOW and ys[51] == ts[51] - NOW
        screen.fetcher.close()
    finally:
        reopened.engine.dispose()
