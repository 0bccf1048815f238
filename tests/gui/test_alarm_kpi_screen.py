"""The alarm KPI screen shows what hmi.store.alarm_kpi computes for a seeded journal."""

from __future__ import annotations

from pathlib import Path

import alarm_helpers
import pyqtgraph as pg

from hmi.config import load_config
from hmi.store.alarm_kpi import compute_alarm_kpis
from hmi.store.events import Event
from screens.alarm_kpi import AlarmKpiScreen

seeded_store = alarm_helpers.seeded_store  # the shared fixture, used by name below

WAIT = 20_000
NOW = 1_750_000_000.0
DAY = 86400.0


def _activation(ts: float, alarm_id: str, priority: int) -> Event:
    tag = alarm_id.rsplit(".", 1)[0]
    return Event(
        "alarm", "activated", ts=ts, source=tag, area=tag.split(".")[0], priority=priority,
        state="unack", message=alarm_id, details={"alarm_id": alarm_id},
    )  # fmt: skip


def _journal() -> list[Event]:
    evs = []
    flood_start = NOW - 6 * 3600
    for i in range(14):  # a flood: 14 annunciations in 10 minutes, one of them chattering
        aid = "Assembly.Belt.LO" if i < 4 else f"Welding.T{i}.HI"
        evs.append(_activation(flood_start + i * 10, aid, 3 if i % 2 else 2))
    for i in range(6):  # a quiet background over the day
        evs.append(_activation(NOW - 20 * 3600 + i * 3000, "Painting.Oven.HI", 4))
    evs.append(_activation(NOW - 2 * DAY, "Painting.Old.HI", 1))  # before the period
    return sorted(evs, key=lambda e: e.ts)


def test_the_screen_shows_the_computed_kpis(qtbot, seeded_store):
    store = seeded_store(_journal())
    config = load_config(Path(__file__).parents[2] / "resources" / "demo" / "plant.toml")
    screen = AlarmKpiScreen(config, "en", store.engine, clock=lambda: NOW)
    qtbot.addWidget(screen)
    screen.period.setCurrentIndex(screen.period.findData("24h"))  # computes in the worker
    qtbot.waitUntil(lambda: screen.result is not None, timeout=WAIT)

    k = compute_alarm_kpis(store.engine, NOW - DAY, NOW)
    assert screen.result.kpis == k
    assert k.annunciations == 20 and k.peak_count == 14 and len(k.chattering) == 1
    f = screen.figures
    assert f["annunciations"].text() == "20"
    assert f["per_10min"].text() == f"{k.per_operator_per_10min:.2f}"
    assert f["per_hour"].text() == f"{k.per_operator_per_hour:.2f}"
    assert f["peak"].text() == "14"
    assert f["chattering"].text() == "1"
    assert f["top10"].text() == f"{k.top10_percent:.1f} %"
    assert f["flood"].text().startswith(f"{k.flood_percent:.1f} %")

    # Colour only where out of target.
    a = screen.assessments
    assert (a["peak"].text(), a["peak"].property("kpiStatus")) == ("Out of target", "bad")
    assert (a["stale"].text(), a["stale"].property("kpiStatus")) == ("Within target", "ok")
    assert a["per_10min"].text() == "Acceptable"
    shares = {p.priority: p for p in k.priorities}
    assert screen.priority_labels[4].text() == f"{shares[4].count}  ({shares[4].percent:.1f} %)"

    table = screen.bad_actor_table  # most frequent first, as counted
    rows = [tuple(table.item(r, c).text() for c in range(3)) for r in range(table.rowCount())]
    assert rows == [(b.alarm_id, str(b.count), f"{b.percent:.1f} %") for b in k.bad_actors]
    assert rows and int(rows[0][1]) >= int(rows[-1][1])
    rate_bars = [i for i in screen.rate_plot.getPlotItem().items if isinstance(i, pg.BarGraphItem)]
    heights = rate_bars[0].opts["height"]
    assert int(heights.sum()) == 20 and int(heights.max()) == 14
    assert len(heights) == 144  # 24 h of 10-minute periods


def test_an_empty_journal_gives_zeros_not_errors(qtbot, seeded_store):
    store = seeded_store([])
    config = load_config(Path(__file__).parents[2] / "resources" / "demo" / "plant.toml")
    screen = AlarmKpiScreen(config, "en", store.engine, clock=lambda: NOW)
    qtbot.addWidget(screen)
    screen.recompute()
    qtbot.waitUntil(lambda: screen.result is not None, timeout=WAIT)
    assert screen.figures["annunciations"].text() == "0"
    assert screen.assessments["peak"].property("kpiStatus") == "ok"
