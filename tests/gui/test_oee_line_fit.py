"""The OEE line detail stays readable on a panel PC once a line has real history.

A shift with 25 different downtime reasons (the demo's backfill gives a station
dozens) is seeded into the store; the line detail is shown in the real main window
at 1280×800 with three line-down alarms in the banner (its tallest). The Pareto must
draw no row lower than a line of text, folding the reasons that do not fit into one
"Other (k reasons)" row whose time is the hidden reasons' sum; the screen must fit
without scrolling, and its downtime list must show several stops. At 1920×1080 the
extra room goes to more Pareto rows and more stops.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from gui_helpers import ScriptedDriver, push
from oee_helpers import LINE, SINCE, UNTIL, with_station_role
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QScrollArea

from hmi.app.station import GuiSession, Station
from hmi.cli_oee import duration
from hmi.config import load_config
from hmi.paths import DEMO_CONFIG
from hmi.store.database import open_store
from hmi.store.oee_store import IntervalRow, OeeStore
from hmi.tagvalue import TagValue
from screens import builtin_screens
from screens.oee_line import OeeLineScreen
from widgets.pareto import ParetoChart, ParetoItem

TIMEOUT_MS = 20_000  # two busy cores shared with other test runs: generous, bounded
PANEL, FULL_HD = QSize(1280, 800), QSize(1920, 1080)
# The demo tree's 11 codes and 14 the tree does not know (a PLC sends what it sends).
CODES = [101, 102, 103, 201, 202, 301, 401, 501, 601, 602, 900, *range(700, 714)]


def many_reasons() -> list[IntervalRow]:
    """06:00–14:00: 4 min running, then a stop of 2, 3, … 26 min, each its own reason."""
    rows, t = [], SINCE
    for k, code in enumerate(CODES):
        rows.append(IntervalRow(LINE, t, t + 240, "running", None, "CITY-26"))
        t += 240
        rows.append(IntervalRow(LINE, t, t + (k + 2) * 60, "down", code, "CITY-26"))
        t += (k + 2) * 60
    rows.append(IntervalRow(LINE, t, UNTIL, "running", None, "CITY-26"))
    return rows


@pytest.fixture
def open_screen(qtbot, tmp_path: Path) -> Iterator[Callable[..., OeeLineScreen]]:
    """The line detail in a shown main window of `size`, loaded with the seeded shift."""
    made: list[tuple[Station, GuiSession]] = []

    def make(size: QSize, lang: str = "en") -> OeeLineScreen:
        url = f"sqlite:///{tmp_path / f'hmi{len(made)}.db'}"
        with open_store(url) as store:
            OeeStore(store.engine).apply(many_reasons())
        config = with_station_role(load_config(DEMO_CONFIG), "line-pc", "operator")
        specs = [s for s in builtin_screens() if s.name == "oee_line"]
        session = GuiSession(lang, plugins=[], builtin=specs)
        station = Station(config, session, driver_factory=ScriptedDriver, db_url=url)
        made.append((station, session))
        window = station.window
        window.resize(size)
        window.show()
        # Three lines down: the alarm banner at its tallest leaves the least room.
        push(station, *(TagValue(f"{line}.State", 3) for line in config_lines(config)))
        qtbot.waitUntil(lambda: len(window.alarm_banner.shown_ids()) == 3, timeout=TIMEOUT_MS)
        screen = window.show_screen("oee_line")
        assert isinstance(screen, OeeLineScreen)
        screen.set_line(LINE)
        screen.period.set_custom(SINCE, UNTIL)
        qtbot.waitUntil(lambda: loaded(screen), timeout=TIMEOUT_MS)
        settle()
        assert window.size() == size
        return screen

    yield make
    for station, session in made:
        station.close()
        session.close()


def config_lines(config) -> list[str]:
    return [lc.name for lc in config.lines]


def loaded(screen: OeeLineScreen) -> bool:
    d = screen.detail
    return d is not None and d.card.line == LINE and d.card.figures.since == SINCE


def settle() -> None:
    """Let pending layout requests, polish and repaints run (a few bounded passes)."""
    for _ in range(8):
        QApplication.processEvents()


def scroll_area(screen: OeeLineScreen) -> QScrollArea:
    area = screen.findChild(QScrollArea)
    assert area is not None  # the fallback for smaller screens stays
    return area


def visible_table_rows(screen: OeeLineScreen) -> int:
    t = screen.downtime.events_table
    return t.viewport().height() // t.verticalHeader().defaultSectionSize()


@pytest.mark.parametrize("lang", ["en", "zh_TW"])
def test_the_pareto_draws_legible_rows_and_folds_the_rest_into_other(open_screen, lang):
    screen = open_screen(PANEL, lang)
    pareto = screen.pareto
    every = pareto.items
    assert len(every) == len(CODES)
    drawn = pareto.drawn_rows()
    height = pareto.row_height()
    assert height >= pareto.fontMetrics().height()
    assert len(drawn) * height <= pareto.height()
    assert 4 <= len(drawn) < len(CODES)
    shown = len(drawn) - 1
    hidden = every[shown:]
    label, time_text, share = drawn[-1]
    other = "Other (%1 reasons)" if lang == "en" else "其他（%1 個原因）"
    assert label == other.replace("%1", str(len(hidden)))
    hidden_minutes = sum(i.seconds for i in hidden) / 60
    assert pareto.other_item().seconds / 60 == pytest.approx(hidden_minutes)
    assert time_text == duration(pareto.other_item().seconds)
    assert share == "100 %"
    # The biggest reasons keep their own rows, with the cumulative share of the whole.
    assert drawn[:shown] == pareto.rows()[:shown]


def test_the_pareto_shows_more_reasons_on_a_bigger_screen(open_screen):
    small = open_screen(PANEL)
    big = open_screen(FULL_HD)
    assert len(big.pareto.drawn_rows()) > len(small.pareto.drawn_rows())
    assert visible_table_rows(big) > visible_table_rows(small)


@pytest.mark.parametrize("lang", ["en", "zh_TW"])
def test_the_line_detail_fits_a_1280x800_panel_with_a_usable_downtime_list(open_screen, lang):
    screen = open_screen(PANEL, lang)
    area = scroll_area(screen)
    bar = area.verticalScrollBar()
    assert bar.maximum() == 0, (
        f"oee_line ({lang}) at 1280×800 scrolls by {bar.maximum()} px "
        f"({area.viewport().height()} px shown)"
    )
    assert area.horizontalScrollBar().maximum() == 0
    assert screen.downtime.events_table.rowCount() == len(CODES)
    assert visible_table_rows(screen) >= 4
    assert screen.pareto.row_height() >= screen.pareto.fontMetrics().height()


def test_the_fold_follows_the_height_and_names_what_it_holds(qtbot):
    """The chart alone: a resize recomputes the fold; the fold row's tooltip lists it."""
    chart = ParetoChart(other_text="Other (%1 categories)")
    qtbot.addWidget(chart)
    items = [ParetoItem(f"cause {k}", 60.0 * (k + 1)) for k in range(25)]
    chart.set_items(items)
    chart.resize(600, 4 * chart.min_row())
    assert [r[0] for r in chart.drawn_rows()] == [
        "cause 24", "cause 23", "cause 22", "Other (22 categories)",
    ]  # fmt: skip
    assert chart.other_item().seconds == sum(60.0 * (k + 1) for k in range(22))
    chart.resize(600, 30 * chart.min_row())
    assert len(chart.drawn_rows()) == 25 and chart.other_item() is None
    assert chart.row_height() == 26  # room: the comfortable height, not squeezed
    assert chart.minimumSizeHint().height() >= 3 * chart.fontMetrics().height()


def test_unassigned_downtime_keeps_its_own_row_however_small(qtbot):
    """Unassigned downtime is its own visible category (docs/oee.md): folding it into
    "Other" would hide exactly what the operator has to go and assign."""
    chart = ParetoChart(other_text="Other (%1 reasons)")
    qtbot.addWidget(chart)
    items = [ParetoItem(f"cause {k}", 600.0 * (k + 1)) for k in range(20)]
    unassigned = ParetoItem("Unassigned", 30.0, hatched=True)  # the smallest of all
    chart.set_items([*items, unassigned])
    chart.resize(600, 5 * chart.min_row())
    labels = [r[0] for r in chart.drawn_rows()]
    assert labels == ["cause 19", "cause 18", "cause 17", "Unassigned", "Other (17 reasons)"]
    assert unassigned not in chart.hidden_items()
    assert chart.other_item().seconds == sum(600.0 * (k + 1) for k in range(17))
    assert chart.drawn_rows()[-1][2] == "100 %"
