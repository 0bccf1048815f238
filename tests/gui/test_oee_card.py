"""The OEE card, the state timeline and the Pareto chart show the engine's figures."""

from __future__ import annotations

import dataclasses
import json
import time

import pytest
from oee_helpers import LINE, SINCE, SINCE_ISO, UNTIL, UNTIL_ISO, seed

from hmi.cli import main
from hmi.cli_oee import duration, percent
from hmi.config import load_config
from hmi.config_oee import LineState
from hmi.paths import DEMO_CONFIG
from hmi.runtime.oee import line_model, load_figures
from hmi.runtime.oee_calc import Interval
from hmi.runtime.oee_commands import OeeAccess
from hmi.store.database import open_store
from hmi.store.oee_store import OeeStore
from hmi.tagvalue import Quality, TagValue
from screens.oee_data import card_data
from widgets.oee_card import OeeCard
from widgets.pareto import ParetoChart, ParetoItem
from widgets.state_timeline import StateTimeline


@pytest.fixture(scope="module")
def demo():
    return load_config(DEMO_CONFIG)


@pytest.fixture
def db_url(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'hmi.db'}"
    seed(url)
    return url


@pytest.fixture
def store(db_url):
    opened = open_store(db_url)
    yield OeeStore(opened.engine)
    opened.close()


def make_card(qtbot, demo) -> OeeCard:
    lc = next(c for c in demo.lines if c.name == LINE)
    names = {r.code: r.name.en for c in demo.downtime_reasons for r in c.reasons}
    card = OeeCard(LINE, lc.title.en, line_model(demo, LINE), reason_names=names)
    qtbot.addWidget(card)
    return card


def card_texts(card: OeeCard) -> dict[str, str]:
    return {
        "oee": card.oee_label.text(),
        "A": card.bars["A"].text,
        "P": card.bars["P"].text,
        "Q": card.bars["Q"].text,
        "good": card.good_label.text(),
        "reject": card.reject_label.text(),
    }


def test_the_card_shows_the_engine_figures_of_a_demo_shift(qtbot, demo, store):
    fig = load_figures(store, demo, LINE, SINCE, UNTIL)
    card = make_card(qtbot, demo)
    card.set_data(card_data(OeeAccess(demo, store), LINE, SINCE, UNTIL, time.time()))
    # By hand: PPT 480 min (the lunch break is run time: the line ran through it),
    # run 330 min; ideal time of the good parts 1500 × 3.24 s + 2400 × 3.89 s.
    assert fig.planned_production_time == 480 * 60 and fig.run_time == 330 * 60
    assert (fig.good, fig.reject) == (3900, 50)
    assert card_texts(card) == {
        "oee": "49.3 %",
        "A": "68.8 %",
        "P": percent(fig.performance),
        "Q": "98.7 %",
        "good": "3900",
        "reject": "50",
    }
    assert card.oee_label.text() == percent(fig.oee)
    assert card.target_label.text() == "target 85.0 %"
    ideal = fig.planned_production_time * fig.total / fig.ideal_time
    assert card.production_label.text() == f"3900 / {ideal:.0f}"
    assert card.property("belowTarget") == "true"  # 49 % against 85 %: coloured
    assert not card.state_chip.isVisibleTo(card)  # a past shift has no current state


def test_the_card_and_hmi_oee_json_print_the_same_figures(qtbot, demo, store, db_url, capsys):
    args = ["oee", "--db", db_url, "--line", LINE, "--since", SINCE_ISO, "--until", UNTIL_ISO]
    assert main([*args, "--format", "json", "--config", str(DEMO_CONFIG)]) == 0
    (period,) = json.loads(capsys.readouterr().out)["periods"]
    card = make_card(qtbot, demo)
    card.set_data(card_data(OeeAccess(demo, store), LINE, SINCE, UNTIL, time.time()))
    assert card_texts(card) == {
        "oee": percent(period["oee"]),
        "A": percent(period["availability"]),
        "P": percent(period["performance"]),
        "Q": percent(period["quality"]),
        "good": str(period["good"]),
        "reject": str(period["reject"]),
    }


def test_on_target_the_number_is_grey(qtbot, demo, store):
    data = card_data(OeeAccess(demo, store), LINE, SINCE, UNTIL, time.time())
    card = make_card(qtbot, demo)
    card.set_data(dataclasses.replace(data, figures=dataclasses.replace(data.figures, oee=0.9)))
    assert (card.oee_label.text(), card.property("belowTarget")) == ("90.0 %", "false")


def test_counts_and_state_move_live_with_the_bound_tags(qtbot, demo, store):
    now = time.time()
    data = card_data(OeeAccess(demo, store), LINE, SINCE, UNTIL, now)
    live = dataclasses.replace(
        data, live=True, state=LineState.RUNNING, state_since=now - 65, good=10, reject=1,
        raw={"Welding.GoodCount": 100, "Welding.RejectCount": 5},
        modulus={"Welding.GoodCount": None, "Welding.RejectCount": None},
    )  # fmt: skip
    card = make_card(qtbot, demo)
    assert set(card.tags) == {"Welding.GoodCount", "Welding.RejectCount", "Welding.State"}
    card.set_data(live)
    assert card.state_label.text() == "Running"
    assert card.duration_label.text() in ("0:01:05", "0:01:06")
    card.set_tag_value(TagValue("Welding.GoodCount", 107))
    card.set_tag_value(TagValue("Welding.RejectCount", 6))
    assert (card.good_label.text(), card.reject_label.text()) == ("17", "2")
    card.set_tag_value(TagValue("Welding.GoodCount", 3))  # a reset: 3 made since
    assert card.good_label.text() == "13"
    card.set_tag_value(TagValue("Welding.GoodCount", 200, Quality.BAD))  # not trusted
    assert card.good_label.text() == "13"
    card.set_tag_value(TagValue("Welding.State", 3))
    assert card.state_label.text() == "Down"
    assert card.state_chip.property("lineState") == "down"
    card.set_data(live)  # new figures: they already hold what the counters moved
    assert card.good_label.text() == "10"


def test_the_timeline_paints_every_state_and_hover_names_it(qtbot, demo):
    names = {r.code: r.name.en for c in demo.downtime_reasons for r in c.reasons}
    tl = StateTimeline(reason_names=names, zone=demo.shifts.zone)
    qtbot.addWidget(tl)
    tl.resize(960, 60)
    ivs = [
        Interval(SINCE, SINCE + 3600, LineState.RUNNING),
        Interval(SINCE + 3600, SINCE + 7200, LineState.DOWN, 102),
        Interval(SINCE + 7200, SINCE + 10800, LineState.IDLE, 201),
        Interval(SINCE + 10800, SINCE + 14400, LineState.CHANGEOVER, 301),
        Interval(SINCE + 14400, SINCE + 18000, LineState.PLANNED_STOP),
        Interval(SINCE + 18000, SINCE + 21600, LineState.UNKNOWN),
        # 21600 … 28800 has no record: drawn as unknown, never guessed
    ]
    tl.set_intervals(ivs, SINCE, UNTIL)
    assert [s.state for s in tl.segments] == [iv.state for iv in ivs] + [LineState.UNKNOWN]
    image = tl.grab().toImage()
    assert not image.isNull()
    y = 10
    colours = {image.pixelColor(int(120 * k + 60), y).name() for k in range(6)}
    assert len(colours) == 6  # every state has its own look
    assert tl.text_at(120 + 60) == "Down\nMotor overload\n07:00:00 – 08:00:00  (1:00:00)"
    assert tl.text_at(900).startswith("Unknown\n12:00:00 – 14:00:00")


def test_the_pareto_lists_losses_largest_first_with_the_cumulative_share(qtbot):
    chart = ParetoChart()
    qtbot.addWidget(chart)
    chart.resize(500, 200)
    chart.set_items(
        [ParetoItem("Jam", 600), ParetoItem("Unassigned", 1800, hatched=True),
         ParetoItem("Belt slip", 1200)]
    )  # fmt: skip
    assert chart.rows() == [
        ("Unassigned", duration(1800), "50 %"),
        ("Belt slip", duration(1200), "83 %"),
        ("Jam", duration(600), "100 %"),
    ]
    assert not chart.grab().toImage().isNull()
