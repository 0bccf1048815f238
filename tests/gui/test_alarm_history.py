"""The alarm history screen: a model that pages from a real SQLite journal in a worker,
filters, and a CSV export of exactly the filtered rows."""

from __future__ import annotations

import csv
from pathlib import Path

import alarm_helpers
import pytest
from PySide6.QtCore import QDateTime

from hmi.config import load_config
from hmi.store.events import Event
from hmi.store.queries import EventFilter
from screens.alarm_history import AlarmHistoryScreen
from screens.alarm_history_model import EventPageModel
from screens.alarm_periods import preset_period, shift_period
from screens.alarm_worker import Worker

seeded_store = alarm_helpers.seeded_store  # the shared fixture, used by name below

WAIT = 20_000
BASE = 1_750_000_020.0  # a whole minute (the custom range edits show minutes)
N = 5000
KINDS = ("alarm", "operator", "system")
AREAS = ("Welding", "Painting", "Assembly")


def _events() -> list[Event]:
    return [
        Event(
            KINDS[i % 3],
            "activated" if i % 3 == 0 else "write" if i % 3 == 1 else "start",
            ts=BASE + i * 0.5,
            source=f"{AREAS[i % 5 % 3]}.Tag{i % 7}",
            area=AREAS[i % 5 % 3],
            priority=1 + i % 4 if i % 3 == 0 else None,
            message=f"event number {i}" + (" belt" if i % 10 == 0 else ""),
        )
        for i in range(N)
    ]


def _matching(pred) -> list[int]:
    return [i for i, e in enumerate(_events()) if pred(e)]


def _load_all(qtbot, model: EventPageModel) -> None:
    """Scroll to the end: fetchMore until the model says there is no more."""
    for _ in range(N // model.page_size + 5):  # bounded: one round per page
        qtbot.waitUntil(lambda: not model.loading, timeout=WAIT)
        if not model.canFetchMore():
            return
        model.fetchMore()
    raise AssertionError("the model never reached the end")


def test_the_model_pages_every_row_exactly_once_newest_first(qtbot, seeded_store):
    store = seeded_store(_events())
    worker = Worker()
    model = EventPageModel(store.engine, worker, "en", page_size=450)
    model.set_filter(EventFilter())
    qtbot.waitUntil(lambda: model.rowCount() == 450 and model.total == N, timeout=WAIT)
    assert model.canFetchMore()  # one page at a time, not everything at once

    _load_all(qtbot, model)
    rows = [model.event_at(r) for r in range(model.rowCount())]
    assert len(rows) == N
    assert len({e.id for e in rows}) == N
    assert [e.message for e in rows] == [e.message for e in reversed(_events())]
    assert model.index(0, 0).data().startswith("2025-")

    model.set_filter(EventFilter(kinds=["alarm"], priorities=[2], areas=["Painting"]))
    _load_all(qtbot, model)
    expected = _matching(lambda e: e.kind == "alarm" and e.priority == 2 and e.area == "Painting")
    assert 0 < model.rowCount() == len(expected) == model.total
    worker.wait()


def _screen(qtbot, store) -> AlarmHistoryScreen:
    config = load_config(Path(__file__).parents[2] / "resources" / "demo" / "plant.toml")
    screen = AlarmHistoryScreen(config, "en", store.engine)
    qtbot.addWidget(screen)
    screen.since_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(BASE) - 60))
    screen.until_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(BASE) + 3600))
    screen.period.setCurrentIndex(screen.period.findData("custom"))
    return screen


def test_screen_filters_narrow_the_rows(qtbot, seeded_store):
    store = seeded_store(_events())
    screen = _screen(qtbot, store)
    qtbot.waitUntil(lambda: screen.model.total == N, timeout=WAIT)
    assert "of 5000 events loaded" in screen.status.text()

    screen.kind_filter.setCurrentIndex(screen.kind_filter.findData("alarm"))
    qtbot.waitUntil(
        lambda: screen.model.total == len(_matching(lambda e: e.kind == "alarm")), timeout=WAIT
    )
    screen.priority_filter.setCurrentIndex(screen.priority_filter.findData(1))
    screen.text_filter.setText("belt")
    screen.apply_filters()  # (typing is debounced; apply at once)
    expected = _matching(lambda e: e.kind == "alarm" and e.priority == 1 and "belt" in e.message)
    qtbot.waitUntil(lambda: screen.model.total == len(expected), timeout=WAIT)
    _load_all(qtbot, screen.model)
    assert screen.model.rowCount() == len(expected) > 0

    screen.text_filter.clear()
    screen.tag_filter.setText("Welding.Tag3")
    screen.apply_filters()
    expected = _matching(
        lambda e: e.kind == "alarm" and e.priority == 1 and e.source == "Welding.Tag3"
    )
    qtbot.waitUntil(lambda: screen.model.total == len(expected), timeout=WAIT)


def test_csv_export_has_exactly_the_filtered_rows(qtbot, seeded_store, tmp_path):
    store = seeded_store(_events())
    screen = _screen(qtbot, store)
    screen.area_filter.setCurrentIndex(screen.area_filter.findData("Assembly"))
    screen.kind_filter.setCurrentIndex(screen.kind_filter.findData("operator"))
    expected = _matching(lambda e: e.area == "Assembly" and e.kind == "operator")
    qtbot.waitUntil(lambda: screen.model.total == len(expected), timeout=WAIT)
    assert screen.model.rowCount() < len(expected) or len(expected) <= 500  # only a page loaded

    out = tmp_path / "export.csv"
    with qtbot.waitCallback(timeout=WAIT) as done:
        screen.export_csv(out, done)
    assert done.args[0].ok and done.args[0].value == len(expected)
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(expected)
    assert {(r["area"], r["kind"]) for r in rows} == {("Assembly", "operator")}
    assert sorted(r["message"] for r in rows) == sorted(_events()[i].message for i in expected)
    assert f"Exported {len(expected)} events" in screen.message.text()


def test_a_bad_period_is_refused_with_a_message(qtbot, seeded_store):
    screen = _screen(qtbot, seeded_store([]))
    screen.until_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(BASE) - 3600))
    screen.apply_filters()
    assert screen.message.text() == "The period must end after it starts."


@pytest.mark.parametrize(
    ("hour", "start_hour"), [(5, 22), (6, 6), (13, 6), (14, 14), (23, 22), (0, 22)]
)
def test_this_shift_without_a_calendar_is_an_8_hour_block(hour, start_hour):
    from datetime import datetime

    now = datetime(2025, 6, 15, hour, 30).astimezone().timestamp()
    since, until = shift_period(now)
    start = datetime.fromtimestamp(since)
    assert (start.hour, until - since) == (start_hour, 8 * 3600)
    assert since <= now < until


def test_this_shift_follows_the_plant_shift_calendar():
    config = load_config(Path(__file__).parents[2] / "resources" / "demo" / "plant.toml")
    assert config.shifts is not None
    now = 1_750_000_000.0
    since, until = preset_period("shift", now, config.shifts)
    assert since <= now < until
    starts = {s.start.strftime("%H:%M") for s in config.shifts.shift}
    from datetime import datetime

    assert datetime.fromtimestamp(since, config.shifts.zone).strftime("%H:%M") in starts
