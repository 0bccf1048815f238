"""The runtime↔Qt bridge and the binder: frames, not floods; visible screens only."""

from __future__ import annotations

import asyncio
import logging
import threading

import pytest
from gui_helpers import TAGS, Recorder, plugin_of, push
from PySide6.QtWidgets import QVBoxLayout, QWidget

from hmi.app.binder import Binder
from hmi.app.bridge import RuntimeBridge
from hmi.drivers.base import ConnectionState
from hmi.plugin import ScreenSpec
from hmi.tagvalue import TagValue

UPDATES = 20_000


def test_thousands_of_updates_reach_the_gui_as_few_frames_of_latest_values(qtbot, make_station):
    station = make_station()
    frames: list[dict[str, TagValue]] = []
    station.bridge.frame.connect(frames.append)
    names = TAGS[:2]

    async def storm() -> None:
        # Realistic driver cadence: batches of 50, yielding to the loop between them.
        for start in range(0, UPDATES, 50):
            batch = [TagValue(names[i % 2], float(i)) for i in range(start, start + 50)]
            station.runtime.updates(batch)
            await asyncio.sleep(0)

    station.host.submit(storm()).result(timeout=60)
    last = {names[0]: float(UPDATES - 2), names[1]: float(UPDATES - 1)}

    def latest_shown() -> bool:
        seen: dict[str, object] = {}
        for frame in frames:
            seen.update({k: v.value for k, v in frame.items()})
        return all(seen.get(k) == v for k, v in last.items())

    qtbot.waitUntil(latest_shown, timeout=10_000)
    assert 1 <= len(frames) < UPDATES / 100, f"{len(frames)} frames for {UPDATES} updates"
    assert all(frames), "an empty frame was emitted"
    assert frames[-1].keys() <= set(names)


def test_no_frame_is_emitted_when_nothing_changed(qtbot):
    bridge = RuntimeBridge(None, frame_rate_hz=10)
    frames: list[dict] = []
    bridge.frame.connect(frames.append)
    bridge.flush()
    assert frames == []
    bridge.on_updates([TagValue("A", 1), TagValue("A", 2), TagValue("B", 3)])
    bridge.flush()
    bridge.flush()
    assert len(frames) == 1
    assert {k: v.value for k, v in frames[0].items()} == {"A": 2, "B": 3}
    assert bridge.interval_ms == 100


def test_connection_changes_from_another_thread_arrive_on_the_gui_thread(qtbot):
    bridge = RuntimeBridge(None)
    got: list[tuple[str, str, str, bool]] = []
    bridge.connection_changed.connect(
        lambda c, s, d: got.append((c, s, d, threading.current_thread() is threading.main_thread()))
    )
    worker = threading.Thread(
        target=bridge.on_connection, args=("plc", ConnectionState.DISCONNECTED, "refused")
    )
    worker.start()
    worker.join(5)
    qtbot.waitUntil(lambda: bool(got), timeout=15_000)
    assert got == [("plc", "disconnected", "refused", True)]


def test_write_result_is_delivered_on_the_gui_thread(qtbot, make_station):
    station = make_station()
    qtbot.waitUntil(lambda: station.runtime.connection_states["plc"] == "connected", timeout=15_000)
    results = []

    def on_done(result) -> None:
        results.append((result, threading.current_thread() is threading.main_thread()))

    station.bridge.write("Line1.RunCmd", "true", on_done)
    station.bridge.write("Line1.Speed", 3.0, on_done)  # read-only: refused, not raised
    qtbot.waitUntil(lambda: len(results) == 2, timeout=15_000)
    by_tag = {r.tag: (r, on_gui) for r, on_gui in results}
    assert by_tag["Line1.RunCmd"][0].ok and by_tag["Line1.RunCmd"][0].value is True
    assert not by_tag["Line1.Speed"][0].ok and "read-only" in by_tag["Line1.Speed"][0].error
    assert all(on_gui for _, on_gui in results)


def _screen_with_recorder(store: dict, key: str, tag: str = "Line1.Speed") -> ScreenSpec:
    def build(ctx) -> QWidget:
        page = QWidget()
        rec = Recorder(page)
        QVBoxLayout(page).addWidget(rec)
        ctx.bind(rec, tag)
        store[key] = rec
        return page

    return ScreenSpec(key, {"en": key.title()}, build)


def test_binder_feeds_only_the_visible_screen_and_fills_a_new_one_at_once(qtbot, make_station):
    recs: dict[str, Recorder] = {}
    station = make_station(
        [plugin_of(_screen_with_recorder(recs, "a"), _screen_with_recorder(recs, "b"))]
    )
    window = station.window
    qtbot.addWidget(window)
    window.show()
    push(station, TagValue("Line1.Speed", 1.5))
    qtbot.waitUntil(lambda: recs["a"].last == 1.5, timeout=15_000)
    assert "b" not in recs  # not built yet

    window.show_screen("b")
    assert recs["b"].last == 1.5  # filled from the tag table at once, no blank frame

    push(station, TagValue("Line1.Speed", 2.5))
    qtbot.waitUntil(lambda: recs["b"].last == 2.5, timeout=15_000)
    assert recs["a"].last == 1.5, "a hidden screen was updated"

    window.show_screen("a")
    assert recs["a"].last == 2.5  # caught up on show


def test_unknown_tag_raises_key_error_naming_it(qapp):
    binder = Binder({"Known.Tag"}, dict)
    with pytest.raises(KeyError, match=r"No\.Such\.Tag"):
        binder.bind(binder.screen("s"), Recorder(), "No.Such.Tag")


def test_a_failing_widget_does_not_break_the_frame_for_others(qapp, caplog):
    class Broken(Recorder):
        def set_tag_value(self, value: TagValue) -> None:
            raise ValueError("boom")

    binder = Binder({"T"}, dict)
    group = binder.screen("s")
    group.active = True
    broken, good = Broken(), Recorder()
    binder.bind(group, broken, "T")
    binder.bind(group, good, "T")
    with caplog.at_level(logging.ERROR):
        binder.on_frame({"T": TagValue("T", 7)})
    assert good.last == 7
    assert "failed to show T" in caplog.text
