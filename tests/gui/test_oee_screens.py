"""The OEE dashboard and line detail in a real station on the demo plant.

The store is seeded with one past shift of the Welding line (oee_helpers); the
screens are asked for that shift as a custom period, computed in their background
worker, and compared with `hmi oee --format json`. Reasons are assigned through the
downtime list and the reason dialog, i.e. through the command API in the runtime.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from gui_helpers import ScriptedDriver
from oee_helpers import (
    CHANGEOVER,
    DOWN,
    IDLE,
    LINE,
    SINCE,
    SINCE_ISO,
    UNTIL,
    UNTIL_ISO,
    seed,
    with_station_role,
)
from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QDialogButtonBox

from hmi.app.station import GuiSession, Station
from hmi.cli import main
from hmi.cli_oee import percent
from hmi.config import load_config
from hmi.paths import DEMO_CONFIG
from hmi.store.audit import AuditTrail
from hmi.store.queries import EventFilter, fetch_events
from screens import builtin_screens
from screens.oee_dashboard import OeeDashboard
from screens.oee_data import LoadResult, OeeLoader
from screens.oee_line import OeeLineScreen

TIMEOUT_MS = 20_000


@pytest.fixture
def make_station(qapp, tmp_path: Path) -> Iterator[Callable[..., Station]]:
    """A started station on the demo plant over a seeded store; closed at teardown."""
    made: list[tuple[Station, GuiSession]] = []

    def make(role: str = "operator", lang: str = "en") -> Station:
        url = f"sqlite:///{tmp_path / f'hmi{len(made)}.db'}"
        seed(url)
        config = with_station_role(load_config(DEMO_CONFIG), "line-pc", role)
        specs = [s for s in builtin_screens() if s.name in ("oee", "oee_line")]
        session = GuiSession(lang, plugins=[], builtin=specs)
        station = Station(config, session, driver_factory=ScriptedDriver, db_url=url)
        station.db_url = url  # type: ignore[attr-defined]
        made.append((station, session))
        return station

    yield make
    for station, session in made:
        station.close()
        session.close()


def cli_figures(db_url: str, capsys) -> dict:
    args = ["oee", "--db", db_url, "--line", LINE, "--since", SINCE_ISO, "--until", UNTIL_ISO]
    assert main([*args, "--format", "json", "--config", str(DEMO_CONFIG)]) == 0
    (period,) = json.loads(capsys.readouterr().out)["periods"]
    return period


def open_line(qtbot, station: Station) -> OeeLineScreen:
    screen = station.window.show_screen("oee_line")
    assert isinstance(screen, OeeLineScreen)
    screen.set_line(LINE)
    screen.period.set_custom(SINCE, UNTIL)
    qtbot.waitUntil(lambda: loaded(screen), timeout=TIMEOUT_MS)
    return screen


def loaded(screen: OeeLineScreen) -> bool:
    d = screen.detail
    return d is not None and d.card.line == LINE and d.card.figures.since == SINCE


def pareto_labels(screen: OeeLineScreen) -> list[str]:
    return [row[0] for row in screen.pareto.rows()]


def assign(qtbot, screen: OeeLineScreen, start: float, fill: Callable) -> None:
    """Downtime list → select the stop → reason dialog → fill → OK."""
    screen.downtime.select_event(start)
    assert screen.downtime.assign_button.isEnabled()
    screen.downtime.assign_button.click()
    dialog = screen.reason_dialog
    assert dialog is not None and dialog.isVisible()
    fill(dialog)
    before = screen.detail
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: screen.downtime.message.text().startswith(("Saved", "Not saved")),
                    timeout=TIMEOUT_MS)  # fmt: skip
    qtbot.waitUntil(lambda: screen.detail is not before and loaded(screen), timeout=TIMEOUT_MS)


def test_the_dashboard_shows_what_hmi_oee_prints(qtbot, make_station, capsys):
    station = make_station()
    dash = station.window.show_screen("oee")
    assert isinstance(dash, OeeDashboard)
    assert list(dash.cards) == ["Welding", "Painting", "Assembly"]
    dash.period.buttons["custom"].click()  # the range is asked in a small dialog
    dialog = dash.period.custom_dialog
    assert dialog.isVisible()
    dash.period.since_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(SINCE)))
    dash.period.until_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(UNTIL)))
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert dash.period.kind == "custom"
    card = dash.cards[LINE]
    expected = cli_figures(station.db_url, capsys)
    qtbot.waitUntil(lambda: card.oee_label.text() == percent(expected["oee"]), timeout=TIMEOUT_MS)
    assert [card.bars[k].text for k in "APQ"] == [
        percent(expected[k]) for k in ("availability", "performance", "quality")
    ]
    assert (card.good_label.text(), card.reject_label.text()) == ("3900", "50")
    qtbot.waitUntil(lambda: dash.compare.rowCount() > 0, timeout=TIMEOUT_MS)
    first = dash.compare.cell_texts()[0]
    assert first[:3] == ["Frame Welding", "Custom", f"▼ {percent(expected['oee'])}"]
    assert first[4:9] == [
        percent(expected["availability"]), percent(expected["performance"]),
        percent(expected["quality"]), "3900", "50",
    ]  # fmt: skip


def test_the_line_detail_shows_the_shift_its_stops_and_the_pareto(qtbot, make_station, capsys):
    station = make_station()
    screen = open_line(qtbot, station)
    expected = cli_figures(station.db_url, capsys)
    card = screen.cards[LINE]
    assert card.oee_label.text() == percent(expected["oee"])
    assert screen.kpis["mtbf"].text() == "5:30:00"  # 330 min run / 1 failure
    assert screen.kpis["mttr"].text() == "1:30:00"
    rows = screen.downtime.event_rows()
    assert [r[1:5] for r in rows] == [
        ["0:40:00", "Changeover", "Product changeover", "(unassigned)"],
        ["0:20:00", "Idle", "-", "(unassigned)"],
        ["1:30:00", "Down", "Motor overload", "(unassigned)"],
    ]
    assert pareto_labels(screen) == ["Motor overload", "Product changeover", "Unassigned"]
    assert screen.pareto.items[-1].hatched  # unassigned: its own, visible category
    screen.set_pareto_mode("losses")
    assert pareto_labels(screen)[0] == "Reduced speed"
    screen.set_pareto_mode("category")
    assert pareto_labels(screen) == ["Mechanical", "Changeover", "Unassigned"]
    x = screen.timeline.width() * (DOWN + 600 - SINCE) / (UNTIL - SINCE)
    assert screen.timeline.text_at(x).startswith("Down\nMotor overload\n08:00:00")


def test_an_operator_assigns_a_reason_and_the_pareto_changes(qtbot, make_station):
    station = make_station()
    screen = open_line(qtbot, station)
    assert "Unassigned" in pareto_labels(screen)

    def pick(dialog):
        dialog.rows[0].set_reason(201)  # Material → Frames not delivered

    assign(qtbot, screen, IDLE, pick)
    assert screen.downtime.message.text() == "Saved: Frames not delivered"
    stored = station.services.oee_store.reasons(LINE, SINCE, UNTIL)
    assert [(r.event_start, r.reason, r.seconds, r.user) for r in stored] == [
        (IDLE, 201, 1200.0, "line-pc")
    ]
    assert pareto_labels(screen) == ["Motor overload", "Product changeover", "Frames not delivered"]
    idle_row = next(r for r in screen.downtime.event_rows() if r[2] == "Idle")
    assert idle_row[4:] == ["Frames not delivered", "line-pc"]
    assert station.services.journal.flush(10.0)
    (event,) = fetch_events(station.services.store.engine, EventFilter(kinds=["operator"]))
    assert (event.user, event.source, event.value) == ("line-pc", LINE, "201")


def test_a_stop_split_into_two_reasons_stores_both(qtbot, make_station):
    station = make_station()
    screen = open_line(qtbot, station)

    def split(dialog):
        assert dialog.rows[0].code == 102  # the PLC's reason is offered first
        dialog.split_button.click()
        dialog.rows[0].minutes.setValue(60)
        dialog.rows[1].set_reason(101)
        dialog.rows[1].minutes.setValue(30)

    assign(qtbot, screen, DOWN, split)
    stored = station.services.oee_store.reasons(LINE, SINCE, UNTIL)
    assert [(r.reason, r.seconds) for r in stored] == [(102, 3600.0), (101, 1800.0)]
    labels = pareto_labels(screen)
    assert labels[:2] == ["Motor overload", "Product changeover"] and "Belt slip" in labels
    down_row = next(r for r in screen.downtime.event_rows() if r[2] == "Down")
    assert down_row[4] == "Motor overload 1:00:00, Belt slip 0:30:00"


def test_a_viewer_is_refused_and_sees_why(qtbot, make_station):
    station = make_station(role="viewer")
    screen = open_line(qtbot, station)

    def pick(dialog):
        dialog.rows[0].set_reason(301)

    assign(qtbot, screen, CHANGEOVER, pick)
    assert screen.downtime.message.text().startswith(
        "Not saved: 'line-pc' (viewer) may not do this"
    )
    assert screen.downtime.message.property("messageKind") == "error"
    assert station.services.oee_store.reasons(LINE, SINCE, UNTIL) == []
    audit = list(AuditTrail(station.services.store.engine, station.services.station).records())
    assert [(a.user_name, a.action, a.result) for a in audit if a.action.startswith("oee")] == [
        ("line-pc", "oee.reason_code", "denied")
    ]


def test_the_screens_speak_traditional_chinese(qtbot, make_station):
    station = make_station(lang="zh_TW")
    screen = open_line(qtbot, station)
    assert screen.downtime.assign_button.text() == "指定原因…"
    assert pareto_labels(screen) == ["馬達過載", "換線", "未指定"]
    assert screen.cards[LINE].good_label.text() == "3900"
    assert screen.downtime.event_rows()[0][2:5] == ["換線", "換線", "（未指定）"]
    dash = station.window.show_screen("oee")
    assert dash.period.buttons["shift"].text() == "本班"


def test_a_slow_stale_load_never_paints_over_a_newer_one(qtbot):
    loader = OeeLoader()
    got: list[LoadResult] = []
    loader.ready.connect(got.append)
    release = threading.Event()
    assert loader.load("detail", lambda: release.wait(10) and "old")
    assert not loader.load("detail", lambda: "skipped")  # one under way: not piled up
    assert loader.load("detail", lambda: "new", force=True)  # a new period: the old is stale
    qtbot.waitUntil(lambda: len(got) == 1, timeout=TIMEOUT_MS)
    release.set()
    qtbot.waitUntil(lambda: loader.discarded == 1, timeout=TIMEOUT_MS)
    assert [r.value for r in got] == ["new"]
    loader.close()
