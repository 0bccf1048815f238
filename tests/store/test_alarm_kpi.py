"""Alarm KPIs on a seeded journal equal figures worked out by hand for a designed shift.

The scenario (one station, "op1", period S … S + 2 h, twelve 10-minute periods):
a flood of 11 alarms in one period, a chattering alarm, an alarm that needs
exactly 60 s for three activations (chattering) next to one that needs 61 s (not),
a stale alarm acknowledged 29 h ago, an alarm shelved, unshelved with its
condition present (a re-annunciation) and shelved again, one out of service,
and events exactly on both period boundaries.
"""

from __future__ import annotations

import json
import re

import pytest

from hmi.runtime.alarm_journal import to_journal_event
from hmi.runtime.alarm_model import AlarmEvent
from hmi.runtime.alarm_states import AlarmState, EventKind
from hmi.store import Event, Journal, open_store
from hmi.store.alarm_kpi import (
    BadActor,
    ChatteringAlarm,
    compute_alarm_kpis,
    format_report,
    is_annunciation,
    kpis_from_events,
)
from hmi.store.events import StoredEvent
from hmi.store.export import iter_events
from hmi.store.queries import EventFilter

S = 1_749_945_600.0  # 2025-06-15T00:00:00Z
U = S + 7200.0
H = 3600.0


def alarm(
    t: float,
    alarm_id: str,
    kind: EventKind = EventKind.ACTIVATED,
    state: AlarmState = AlarmState.UNACK,
    priority: int = 3,
    user: str | None = None,
    comment: str | None = None,
    shelved_until: float | None = None,
) -> Event:
    tag = alarm_id.rsplit(".", 1)[0]
    return to_journal_event(
        AlarmEvent(
            time=t,
            alarm_id=alarm_id,
            tag=tag,
            kind=kind,
            state=state,
            value=12.5,
            limit=10.0,
            priority=priority,
            area=tag.split(".")[0],
            message_en=f"{alarm_id} alarm",
            message_zh_TW=f"{alarm_id} 警報",
            user=user,
            comment=comment,
            unacked=state in (AlarmState.UNACK, AlarmState.RTN_UNACK),
            condition=state in (AlarmState.UNACK, AlarmState.ACKED),
            shelved_until=shelved_until,
        )
    )


def scenario() -> list[Event]:
    K, St = EventKind, AlarmState
    ev = [
        # --- before the period: the state each alarm starts the period in
        alarm(S - 48 * H, "Gone.Temp.HI"),
        alarm(S - 47 * H, "Gone.Temp.HI", K.RETURNED, St.RTN_UNACK),
        alarm(S - 47 * H + 5, "Gone.Temp.HI", K.ACKNOWLEDGED, St.NORMAL, user="amy"),
        alarm(S - 30 * H, "Oven.Temp.HI", priority=2),  # stale: active 32 h at U
        alarm(S - 29 * H, "Oven.Temp.HI", K.ACKNOWLEDGED, St.ACKED, priority=2, user="amy"),
        alarm(S - 2 * H, "Belt.Tension.LO"),  # active 4 h at U: not stale
        alarm(S - H, "Old.Shelved.HI", K.SHELVED, St.SHELVED, 2, "bob", "noisy", S + H),
        alarm(S - 1, "Early.Temp.HI"),  # 1 s before the period: not counted
        # --- in the period
        alarm(S, "Edge.Start.HI"),  # exactly at since: counted
        alarm(S + 100, "Oos.Valve.LO", K.OUT_OF_SERVICE, St.OUT_OF_SERVICE, user="dave"),
        alarm(S + 300, "Slow.Y.HI", priority=4),
        alarm(S + 1500, "Old.Shelved.HI", K.UNSHELVED, St.UNACK, 2, "bob"),  # re-annunciation
        alarm(
            S + 1800, "Old.Shelved.HI", K.SHELVED, St.SHELVED, 2, "alice", "sensor swap", S + 9000
        ),
        alarm(S + 2700, "Slow.Y.HI", priority=4),
        *(alarm(S + 3600 + d, "Chatter.X.HI", priority=4) for d in (0, 10, 20, 30, 40)),
        *(alarm(S + 3605 + d, "Chatter.X.HI", K.RETURNED, St.RTN_UNACK, 4) for d in (0, 10, 20)),
        alarm(S + 4500, "Slow.Y.HI", priority=4),
        *(alarm(S + t, "Pair.Z.HI") for t in (5000, 5030, 5061)),  # 61 s: not chattering
        *(alarm(S + t, "Edge.W.HI") for t in (6000, 6030, 6060)),  # 60 s: chattering
        alarm(S + 6900, "Slow.Y.HI", priority=4),
        alarm(S + 7000, "Slow.Y.HI", K.SHELVED, St.SHELVED, 4, "carol", "trip test", S + 7300),
        alarm(S + 7100, "Slow.Y.HI", K.UNSHELVED, St.NORMAL, 4, "carol"),  # no annunciation
        # the horn (journaled as an operator act; as an alarm kind it would carry no id)
        Event("alarm", "silenced", ts=S + 200, user="amy", details={"alarm_id": ""}),
        Event("system", "start", ts=S + 1, message="runtime started"),
        Event("operator", "write", ts=S + 2, source="Paint.Oven.Setpoint", user="amy"),
        # --- at and after the period end: not counted
        alarm(U, "Late.U.HI"),
        alarm(U + 50, "Late.U.HI"),
    ]
    # The flood: 11 different alarms within period 1 (S+600 … S+1200).
    priorities = [1, 2, 2] + [3] * 8
    ev += [
        alarm(S + 600 + 30 * i, f"Flood.{i + 1:02}.HI", priority=p)
        for i, p in enumerate(priorities)
    ]
    return ev


@pytest.fixture
def seeded_url(store_url: str) -> str:
    with open_store(store_url) as store, Journal(store.engine, station="op1") as journal:
        for e in sorted(scenario(), key=lambda e: e.ts):
            journal.record(e)
    return store_url


def test_the_kpis_of_a_designed_shift_equal_the_hand_computed_figures(seeded_url: str):
    with open_store(seeded_url) as store:
        k = compute_alarm_kpis(store.engine, S, U, page_size=7)  # many pages

    assert k.stations == ("op1",) and k.operators == 1
    # 1 Edge.Start + 11 flood + 5 Chatter.X + 4 Slow.Y + 3 Pair.Z + 3 Edge.W + 1 re-annunciation
    assert k.annunciations == 28
    assert k.activations == 27
    assert k.per_operator_per_10min == pytest.approx(28 / 12)
    assert k.per_operator_per_hour == pytest.approx(14.0)

    # Per period: P0 2, P1 11, P2 1, P4 1, P6 5, P7 1, P8 3, P10 3, P11 1.
    assert (k.periods, k.flood_periods) == (12, 1)
    assert k.flood_percent == pytest.approx(100 / 12)
    assert (k.peak_count, k.peak_start, k.peak_station) == (11, S + 600, "op1")

    assert k.bad_actors == (
        BadActor("Chatter.X.HI", "Chatter.X", 4, 5, pytest.approx(500 / 28)),
        BadActor("Slow.Y.HI", "Slow.Y", 4, 4, pytest.approx(400 / 28)),
        BadActor("Edge.W.HI", "Edge.W", 3, 3, pytest.approx(300 / 28)),
        BadActor("Pair.Z.HI", "Pair.Z", 3, 3, pytest.approx(300 / 28)),
        BadActor("Edge.Start.HI", "Edge.Start", 3, 1, pytest.approx(100 / 28)),
        *(
            BadActor(f"Flood.0{i}.HI", f"Flood.0{i}", p, 1, pytest.approx(100 / 28))
            for i, p in zip(range(1, 6), (1, 2, 2, 3, 3), strict=True)
        ),
    )
    assert k.top10_percent == pytest.approx(2100 / 28)

    assert k.chattering == (
        ChatteringAlarm("Chatter.X.HI", "Chatter.X", "op1", 5, 5, S + 3600),
        ChatteringAlarm("Edge.W.HI", "Edge.W", "op1", 3, 3, S + 6000),
    )

    assert [(s.alarm_id, s.state, s.since, s.priority) for s in k.stale] == [
        ("Oven.Temp.HI", "acked", S - 30 * H, 2)
    ]

    shares = {p.priority: (p.category, p.count, p.target_percent) for p in k.priorities}
    assert shares == {
        1: ("highest", 1, 1.0),
        2: ("high", 3, 5.0),
        3: ("medium", 15, 15.0),
        4: ("low", 9, 80.0),
    }
    assert sum(p.percent for p in k.priorities) == pytest.approx(100.0)

    assert (k.shelve_actions, k.alarms_shelved) == (2, 2)
    [shelved] = k.shelved_at_end
    assert (shelved.alarm_id, shelved.since, shelved.user, shelved.comment) == (
        "Old.Shelved.HI",
        S + 1800,
        "alice",
        "sensor swap",
    )
    assert shelved.shelved_until == S + 9000
    [oos] = k.out_of_service_at_end
    assert (oos.alarm_id, oos.since, oos.user) == ("Oos.Valve.LO", S + 100, "dave")


def test_the_json_form_carries_the_same_figures_and_the_report_shows_them(seeded_url: str):
    with open_store(seeded_url) as store:
        k = compute_alarm_kpis(store.engine, S, U)
    d = json.loads(json.dumps(k.as_dict()))
    assert d["annunciations"] == 28
    assert d["since_time"] == "2025-06-15T00:00:00.000000Z"
    assert d["peak_start_time"] == "2025-06-15T00:10:00.000000Z"
    assert [b["alarm_id"] for b in d["bad_actors"]][:2] == ["Chatter.X.HI", "Slow.Y.HI"]
    assert d["stale"][0]["since_time"] == "2025-06-13T18:00:00.000000Z"
    assert d["shelved_at_end"][0]["user"] == "alice"

    report = format_report(k)
    assert re.search(r"\n  Annunciated alarms +28  ", report)
    assert re.search(r"\n  Peak 10-min count +11  <= 10  at 2025-06-15 ..:10:00", report)
    assert "Chatter.X.HI" in report and "Oven.Temp.HI" in report
    lines = report.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("  KPI "))
    end = lines[header].index("value") + len("value")
    for row in lines[header + 1 : header + 12]:  # numbers right-aligned under "value"
        assert row[end - 1] != " " and row[end : end + 1] in ("", " "), row


def test_periods_have_since_inclusive_and_until_exclusive(seeded_url: str):
    with open_store(seeded_url) as store:
        at_end = compute_alarm_kpis(store.engine, U, U + 600)
        before = compute_alarm_kpis(store.engine, S - 1, S)
    assert at_end.annunciations == 2  # Late.U at U and U + 50
    assert at_end.stale[0].alarm_id == "Oven.Temp.HI"
    assert before.annunciations == 1  # Early.Temp at S - 1; Edge.Start at S is not in it


def test_an_empty_period_reports_zero_without_dividing_by_zero(seeded_url: str):
    with open_store(seeded_url) as store:
        k = compute_alarm_kpis(store.engine, S - 20 * H, S - 19 * H)
    assert (k.annunciations, k.peak_count, k.peak_start, k.flood_percent) == (0, 0, None, 0.0)
    assert k.per_operator_per_10min == 0.0 and k.top10_percent == 0.0
    assert k.operators == 1
    assert "none" in format_report(k)


def test_a_period_must_end_after_it_starts(seeded_url: str):
    with open_store(seeded_url) as store, pytest.raises(ValueError, match="until > since"):
        compute_alarm_kpis(store.engine, S, S)


# --------------------------------------------------------------- several stations, pure


def _stored(i: int, e: Event, station: str) -> StoredEvent:
    row = e.to_row(e.ts, station)
    return StoredEvent(
        id=i,
        ts=row["ts"],
        recorded_ts=row["recorded_ts"],
        kind=row["kind"],
        type=row["type"],
        source=row["source"],
        area=row["area"],
        priority=row["priority"],
        state=row["state"],
        value=row["value"],
        limit=row["limit_value"],
        user=row["user_name"],
        station=row["station"],
        message=row["message"],
        comment=row["comment"],
        details=row["details"],
    )


def test_two_stations_journaling_the_same_alarms_are_two_operators_not_chattering():
    # Both stations run the plant's engine: each activation is journaled twice, a few ms apart.
    events = []
    for n, t in enumerate((S + 10, S + 100, S + 1000)):
        events.append(_stored(2 * n, alarm(t, "Belt.Tension.LO"), "op1"))
        events.append(_stored(2 * n + 1, alarm(t + 0.005, "Belt.Tension.LO"), "op2"))
    k = kpis_from_events(events, S, S + 3600, ["op1", "op2"])
    assert k.operators == 2
    assert k.annunciations == 6
    assert k.per_operator_per_hour == pytest.approx(3.0)  # what each operator saw
    assert k.periods == 12 and k.peak_count == 2 and k.peak_station == "op1"
    assert k.chattering == ()
    assert k.bad_actors[0].count == 6


def test_only_annunciations_count_not_acknowledgements_or_quiet_unshelving():
    ack = alarm(S, "A.B.HI", EventKind.ACKNOWLEDGED, AlarmState.ACKED)
    unshelve_clear = alarm(S, "A.B.HI", EventKind.UNSHELVED, AlarmState.RTN_UNACK)
    unsuppress_active = alarm(S, "A.B.HI", EventKind.UNSUPPRESSED, AlarmState.UNACK)
    in_service_active = alarm(S, "A.B.HI", EventKind.IN_SERVICE, AlarmState.UNACK)
    assert [
        is_annunciation(_stored(0, e, "op1"))
        for e in (ack, unshelve_clear, unsuppress_active, in_service_active)
    ] == [False, False, True, True]


def test_reading_the_journal_through_the_filter_gives_alarm_events_only(seeded_url: str):
    with open_store(seeded_url) as store:
        kinds = {e.kind for e in iter_events(store.engine, EventFilter(kinds=["alarm"]))}
    assert kinds == {"alarm"}
