"""The alarm engine: ISA-18.2 transitions, anti-chatter, quality, comm alarms, restore.

Time is an injected clock the tests move by hand; `tick()` runs the timers.
"""

from __future__ import annotations

import json
import math
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from hmi.config_alarms import AlarmConfig
from hmi.drivers.base import ConnectionState
from hmi.runtime.alarm_journal import AlarmJournal, alarm_event
from hmi.runtime.alarm_model import AlarmEvent
from hmi.runtime.alarm_states import AlarmActionError, AlarmState, EventKind, Status
from hmi.runtime.alarms import AlarmEngine
from hmi.tagvalue import Quality, TagValue
from tests.fakes import PLANT_HEADER, load_plant

S = AlarmState
K = EventKind


def alarm(tag: str = "L1.Motor.Current", type: str = "hi", **kw: Any) -> AlarmConfig:
    kw.setdefault("message", {"en": f"{tag} {type}", "zh_TW": f"{tag} {type} 中文"})
    if type in ("hi", "hihi", "lo", "lolo", "deviation", "roc"):
        kw.setdefault("limit", 10.0)
    return AlarmConfig.model_validate({"tag": tag, "type": type, **kw})


class Rig:
    """An engine with a hand-moved clock and the events it emitted."""

    def __init__(self, *alarms: AlarmConfig, connections: tuple[str, ...] = ()):
        self.t = 1000.0
        self.events: list[AlarmEvent] = []
        self.engine = AlarmEngine(
            list(alarms), self.events.append, lambda: self.t, connections=connections
        )

    def put(self, tag: str, value: Any, quality: Quality = Quality.GOOD, ts: float = 0.0):
        self.engine.on_updates([TagValue(tag, value, quality, ts, self.t)])

    def after(self, dt: float) -> None:
        self.t += dt
        self.engine.tick()

    def kinds(self) -> list[tuple[str, str]]:
        return [(e.kind.value, e.state.value if e.state else "") for e in self.events]

    def take(self) -> list[tuple[str, str]]:
        out = self.kinds()
        self.events.clear()
        return out

    def drain(self) -> list[AlarmEvent]:
        out = list(self.events)
        self.events.clear()
        return out

    def state(self, alarm_id: str = "L1.Motor.Current.HI") -> AlarmState:
        return self.engine.state_of(alarm_id)


HI = "L1.Motor.Current.HI"
TAG = "L1.Motor.Current"


# --------------------------------------------------------------------------- the basic cycle


def test_activation_event_carries_what_the_journal_needs():
    rig = Rig(alarm(priority=2, area="Motors"))
    rig.put(TAG, 5.0)
    assert rig.events == [] and rig.engine.active() == []
    rig.put(TAG, 12.5)
    (ev,) = rig.events
    assert (ev.kind, ev.state, ev.alarm_id, ev.tag) == (K.ACTIVATED, S.UNACK, HI, TAG)
    assert (ev.value, ev.limit, ev.priority, ev.area, ev.time) == (12.5, 10.0, 2, "Motors", 1000.0)
    assert ev.message("en") == f"{TAG} hi" and ev.message("zh_TW") == f"{TAG} hi 中文"
    assert ev.unacked and ev.condition and ev.user is None
    (rec,) = rig.engine.active()
    assert (rec.alarm_id, rec.state, rec.unacked, rec.activated_at) == (HI, S.UNACK, True, 1000.0)


def test_ack_while_active_then_return_to_normal():
    rig = Rig(alarm())
    rig.put(TAG, 11)
    rig.t += 5
    ev = rig.engine.ack(HI, "alice", "checking the belt")
    assert (ev.kind, ev.state, ev.user, ev.comment, ev.time) == (
        K.ACKNOWLEDGED, S.ACKED, "alice", "checking the belt", 1005.0,
    )  # fmt: skip
    rig.put(TAG, 9)
    assert rig.take() == [("activated", "unack"), ("acknowledged", "acked"), ("returned", "normal")]
    assert rig.engine.active() == []


def test_return_before_ack_then_ack_after_return():
    rig = Rig(alarm())
    rig.put(TAG, 11)
    rig.put(TAG, 9)
    assert rig.state() is S.RTN_UNACK
    (rec,) = rig.engine.active()
    assert rec.state is S.RTN_UNACK and not rec.condition and rec.unacked
    rig.engine.ack(HI, "bob")
    assert rig.take() == [
        ("activated", "unack"), ("returned", "rtn_unack"), ("acknowledged", "normal"),
    ]  # fmt: skip
    assert rig.engine.active() == []


def test_reactivation_from_rtn_unack_is_a_new_activation():
    rig = Rig(alarm())
    rig.put(TAG, 11)
    rig.put(TAG, 9)
    rig.t += 1
    rig.put(TAG, 12)
    assert rig.take()[-1] == ("activated", "unack")
    assert rig.engine.record(HI).activated_at == 1001.0


def test_illegal_actions_raise_a_clear_error_and_change_nothing():
    rig = Rig(alarm())
    with pytest.raises(AlarmActionError, match="nothing to acknowledge"):
        rig.engine.ack(HI, "bob")
    with pytest.raises(AlarmActionError, match="no alarm 'Nope'"):
        rig.engine.ack("Nope", "bob")
    rig.put(TAG, 11)
    with pytest.raises(AlarmActionError, match="needs the user"):
        rig.engine.ack(HI, "  ")
    with pytest.raises(AlarmActionError, match="not shelved"):
        rig.engine.unshelve(HI, "bob")
    with pytest.raises(AlarmActionError, match="in service"):
        rig.engine.return_to_service(HI, "bob")
    with pytest.raises(AlarmActionError, match="only a latched alarm"):
        rig.engine.reset(HI, "bob")
    assert rig.take() == [("activated", "unack")] and rig.state() is S.UNACK


# --------------------------------------------------------------------------- latched


def test_latched_alarm_stays_until_acknowledged_and_reset():
    rig = Rig(alarm(latched=True))
    rig.put(TAG, 11)
    rig.put(TAG, 5)  # condition clears: a latched alarm holds
    assert rig.state() is S.UNACK and not rig.engine.record(HI).condition
    with pytest.raises(AlarmActionError, match="acknowledge the alarm before"):
        rig.engine.reset(HI, "bob")
    rig.engine.ack(HI, "bob")
    assert rig.state() is S.ACKED
    rig.engine.reset(HI, "bob", "belt replaced")
    assert rig.take() == [
        ("activated", "unack"), ("returned", "unack"), ("acknowledged", "acked"),
        ("reset", "normal"),
    ]  # fmt: skip
    assert rig.engine.active() == []


def test_latched_alarm_cannot_be_reset_while_its_condition_is_present():
    rig = Rig(alarm(latched=True))
    rig.put(TAG, 11)
    rig.engine.ack(HI, "bob")
    with pytest.raises(AlarmActionError, match="still present"):
        rig.engine.reset(HI, "bob")
    rig.put(TAG, 5)
    assert rig.state() is S.ACKED  # latched: acked with the condition gone, awaiting reset
    rig.put(TAG, 12)  # comes back before the reset: a new activation
    assert rig.take()[-1] == ("activated", "unack")


# --------------------------------------------------------------------------- shelving


def test_shelve_while_active_then_unshelve_reannunciates():
    rig = Rig(alarm(priority=1))
    rig.put(TAG, 11)
    ev = rig.engine.shelve(HI, "carol", "sensor being replaced", 600)
    assert (ev.kind, ev.state, ev.comment, ev.shelved_until) == (
        K.SHELVED, S.SHELVED, "sensor being replaced", 1600.0,
    )  # fmt: skip
    assert not rig.engine.horn_active() and rig.engine.counts()[1] == 0
    (rec,) = rig.engine.active()
    assert rec.state is S.SHELVED and rec.shelve_reason == "sensor being replaced"
    rig.put(TAG, 9)
    rig.put(TAG, 12)  # changes while shelved are tracked silently
    assert rig.take() == [("activated", "unack"), ("shelved", "shelved")]
    rig.engine.unshelve(HI, "carol")
    assert rig.take() == [("unshelved", "unack")]
    assert rig.engine.horn_active()


def test_shelve_while_normal_hides_an_activation_until_expiry():
    rig = Rig(alarm())
    rig.engine.shelve(HI, "carol", "known fault", 60)
    rig.put(TAG, 11)
    rig.after(59)
    assert rig.state() is S.SHELVED
    rig.after(1)
    (ev,) = rig.events[-1:]
    assert (ev.kind, ev.state, ev.user, ev.comment) == (
        K.UNSHELVED, S.UNACK, None, "shelve expired",
    )  # fmt: skip


def test_shelve_expiry_while_normal_returns_to_normal():
    rig = Rig(alarm())
    rig.put(TAG, 11)
    rig.engine.ack(HI, "d")
    rig.engine.shelve(HI, "d", "nuisance", 30)
    rig.put(TAG, 5)
    rig.after(31)
    assert rig.take()[-1] == ("unshelved", "normal")
    assert rig.engine.active() == []


def test_shelve_keeps_a_pending_acknowledgement():
    """Shelving is not acknowledging: an unacked return is still owed an ack afterwards."""
    rig = Rig(alarm())
    rig.put(TAG, 11)
    rig.engine.shelve(HI, "d", "x", 30)
    rig.put(TAG, 5)
    rig.engine.unshelve(HI, "d")
    assert rig.state() is S.RTN_UNACK


def test_shelve_arguments_are_checked():
    rig = Rig(alarm())
    with pytest.raises(AlarmActionError, match="needs a reason"):
        rig.engine.shelve(HI, "d", " ", 60)
    for bad in (0, -5, math.inf, math.nan, 10 * 24 * 3600):
        with pytest.raises(AlarmActionError, match="duration"):
            rig.engine.shelve(HI, "d", "r", bad)
    rig.engine.shelve(HI, "d", "r", 60)
    with pytest.raises(AlarmActionError, match="already shelved"):
        rig.engine.shelve(HI, "d", "r", 60)


# --------------------------------------------------------------------------- suppression by design

SPEED = "L1.Conveyor.Speed"
STATE = "L1.State"
LO = "L1.Conveyor.Speed.LO"


def speed_lo(**kw: Any) -> AlarmConfig:
    return alarm(SPEED, "lo", limit=5.0, suppress_when={"tag": STATE, "in": [2, 5]}, **kw)


def test_suppression_by_design_prevents_the_alarm():
    rig = Rig(speed_lo())
    rig.engine.on_updates([TagValue(STATE, 5), TagValue(SPEED, 0.0)])  # one batch
    assert rig.take() == [("suppressed", "suppressed")]
    rig.put(STATE, 1)  # back to running with the speed still low: now it alarms
    assert rig.take() == [("unsuppressed", "unack")]


def test_suppression_on_and_off_while_active():
    rig = Rig(speed_lo())
    rig.put(STATE, 1)
    rig.put(SPEED, 1.0)
    rig.engine.ack(LO, "op")
    rig.put(STATE, 5)
    assert rig.state(LO) is S.SUPPRESSED
    rig.put(SPEED, 8.0)  # recovers while suppressed
    rig.put(STATE, 1)
    assert rig.take() == [
        ("activated", "unack"), ("acknowledged", "acked"), ("suppressed", "suppressed"),
        ("unsuppressed", "normal"),
    ]  # fmt: skip


def test_bad_quality_on_the_suppression_tag_holds_suppression():
    rig = Rig(speed_lo())
    rig.put(STATE, 5)
    rig.put(STATE, None, Quality.DISCONNECTED)
    rig.put(SPEED, 0.0)
    assert rig.state(LO) is S.SUPPRESSED and rig.take() == [("suppressed", "suppressed")]


# --------------------------------------------------------------------------- out of service


def test_out_of_service_and_back():
    rig = Rig(alarm())
    rig.put(TAG, 11)
    rig.engine.shelve(HI, "eng", "r", 60)
    ev = rig.engine.remove_from_service(HI, "eng", "transmitter removed")
    assert (ev.state, ev.user, ev.comment) == (S.OUT_OF_SERVICE, "eng", "transmitter removed")
    assert rig.engine.record(HI).shelved_until is None  # out of service ends shelving
    with pytest.raises(AlarmActionError, match="cannot be shelved"):
        rig.engine.shelve(HI, "eng", "r", 60)
    rig.put(TAG, 5)
    rig.put(TAG, 50)
    rig.after(120)  # no shelve expiry fires
    rig.engine.return_to_service(HI, "eng")
    assert rig.take() == [
        ("activated", "unack"), ("shelved", "shelved"), ("out_of_service", "out_of_service"),
        ("in_service", "unack"),
    ]  # fmt: skip


# --------------------------------------------------------------------------- anti-chatter


def test_deadband_stops_chatter_around_the_limit():
    rig = Rig(alarm(deadband=0.5))
    for v in (9.9, 10.0, 9.8, 10.1, 9.6, 10.3, 9.51, 10.0):
        rig.put(TAG, v)
    assert rig.take() == [("activated", "unack")]
    rig.put(TAG, 9.5)  # limit - deadband: returns
    assert rig.take() == [("returned", "rtn_unack")]


def test_low_alarm_deadband_is_above_the_limit():
    rig = Rig(alarm(type="lo", limit=5, deadband=1))
    for v in (5.0, 5.9, 4.0, 6.0):
        rig.put(TAG, v)
    assert rig.take() == [("activated", "unack"), ("returned", "rtn_unack")]


def test_on_delay_ignores_a_short_excursion():
    rig = Rig(alarm(on_delay_s=3))
    rig.put(TAG, 11)
    rig.after(2.9)
    rig.put(TAG, 9)
    rig.after(10)
    assert rig.events == []
    rig.put(TAG, 11)
    rig.after(2.0)
    rig.put(TAG, 12)  # still above: the timer keeps running from the first crossing
    rig.after(1.0)
    (ev,) = rig.events
    assert ev.kind is K.ACTIVATED and ev.time == rig.t and ev.value == 12


def test_off_delay_rides_through_a_short_dip():
    rig = Rig(alarm(off_delay_s=5))
    rig.put(TAG, 11)
    rig.put(TAG, 9)
    rig.after(4)
    rig.put(TAG, 11)
    rig.after(10)
    assert rig.take() == [("activated", "unack")]
    rig.put(TAG, 9)
    rig.after(5)
    assert rig.take() == [("returned", "rtn_unack")]


# --------------------------------------------------------------------------- alarm types


def test_hihi_and_hi_on_the_same_tag():
    rig = Rig(alarm(limit=10, priority=3), alarm(type="hihi", limit=15, priority=1))
    rig.put(TAG, 12)
    rig.put(TAG, 16)
    assert [(e.alarm_id, e.kind.value) for e in rig.drain()] == [
        (HI, "activated"), (f"{TAG}.HIHI", "activated"),
    ]  # fmt: skip
    assert rig.engine.counts() == {1: 1, 2: 0, 3: 1, 4: 0}
    assert [r.alarm_id for r in rig.engine.active()] == [f"{TAG}.HIHI", HI]  # most urgent first
    rig.put(TAG, 12)
    assert [(e.alarm_id, e.kind.value) for e in rig.drain()] == [(f"{TAG}.HIHI", "returned")]


def test_deviation_from_a_setpoint_tag():
    oven, sp = "P.Oven.Temperature", "P.Oven.TemperatureSP"
    rig = Rig(alarm(oven, "deviation", setpoint_tag=sp, limit=8, deadband=1))
    rig.put(oven, 150.0)  # no setpoint yet: nothing to judge
    rig.put(sp, 180.0)
    assert [(e.kind.value, e.value) for e in rig.drain()] == [("activated", 150.0)]
    rig.put(oven, 172.5)
    assert rig.take() == []  # |deviation| 7.5 > 8 - 1: still inside the deadband
    rig.put(oven, 175.5)
    assert rig.take() == [("returned", "rtn_unack")]
    rig.put(sp, 160.0)  # the setpoint moves away from the value
    assert rig.take() == [("activated", "unack")]


def test_deviation_direction_high_only():
    rig = Rig(alarm("W.I", "deviation", setpoint_tag="W.SP", limit=5, direction="high"))
    rig.engine.on_updates([TagValue("W.SP", 100.0), TagValue("W.I", 90.0)])
    assert rig.events == []
    rig.put("W.I", 106)
    assert rig.take() == [("activated", "unack")]


def test_rate_of_change_per_minute_over_its_window_and_quiet_return():
    rig = Rig(alarm("L.T", "roc", limit=6, per="min", window_s=10))  # 6 °C/min over 10 s
    for v in (50.0, 50.3, 50.2, 50.5):  # noisy but flat; and not yet a full window
        rig.put("L.T", v)
        rig.after(2)
    rig.put("L.T", 50.4)
    rig.after(2)
    rig.put("L.T", 50.3)  # 10 s of history: slope 0.3 °C / 10 s = 1.8 °C/min
    assert rig.events == []
    for v in (51.0, 52.0, 53.0):  # 0.5 °C/s = 30 °C/min
        rig.after(2)
        rig.put("L.T", v)
    (ev,) = rig.drain()
    assert ev.kind is K.ACTIVATED and ev.value > 6
    rig.after(5)  # the value stands still; a subscription sends nothing more
    assert rig.events == []  # 53 vs ~50.3 ten seconds ago: still rising over the window
    rig.after(6)
    assert rig.take() == [("returned", "rtn_unack")]


def test_rate_of_change_does_not_bridge_a_gap_of_bad_data():
    rig = Rig(alarm("L.T", "roc", limit=1, window_s=2))
    rig.put("L.T", 0.0)
    rig.after(2)
    rig.put("L.T", None, Quality.BAD)
    rig.after(1)
    rig.put("L.T", 50.0)  # 50 across the gap: not a rate anyone measured
    rig.after(1)
    rig.put("L.T", 50.5)
    assert rig.events == []


def test_discrete_on_state_codes_and_on_a_value():
    rig = Rig(
        alarm("W.State", "discrete", states=[3], priority=2),
        alarm("W.Estop", "discrete", value=True, priority=1),
    )
    for v in (1, 2, 3, 3, 1):
        rig.put("W.State", v)
    rig.put("W.Estop", True)
    assert [(e.alarm_id, e.kind.value) for e in rig.drain()] == [
        ("W.State.DISCRETE", "activated"), ("W.State.DISCRETE", "returned"),
        ("W.Estop.DISCRETE", "activated"),
    ]  # fmt: skip


# --------------------------------------------------------------------------- quality and comm


@pytest.mark.parametrize("quality", [Quality.BAD, Quality.STALE, Quality.DISCONNECTED])
def test_bad_quality_holds_the_state(quality):
    rig = Rig(alarm(on_delay_s=2))
    rig.put(TAG, 20, quality)  # a bad 20 raises nothing
    rig.after(5)
    assert rig.events == []
    rig.put(TAG, 20)
    rig.after(1)
    rig.put(TAG, 20, quality)  # the pending delay stops: bad data does not complete it
    rig.after(5)
    assert rig.events == []
    rig.put(TAG, 20)
    rig.after(2)
    assert rig.take() == [("activated", "unack")]
    rig.put(TAG, 0.0, quality)  # nor does bad data clear it
    rig.put(TAG, math.nan)  # a NaN from the source is not a judgement either
    rig.after(5)
    assert rig.state() is S.UNACK and rig.events == []


def test_communication_alarm_per_connection():
    rig = Rig(alarm(), connections=("plc", "sim"))
    eng = rig.engine
    eng.on_connection("sim", ConnectionState.CONNECTING, "")
    eng.on_connection("sim", ConnectionState.CONNECTED, "")
    assert rig.events == []
    eng.on_connection("sim", ConnectionState.DISCONNECTED, "connection refused")
    (ev,) = rig.drain()
    assert (ev.alarm_id, ev.tag, ev.kind, ev.value, ev.area, ev.priority) == (
        "Comm.sim", "sim", K.ACTIVATED, "connection refused", "System", 2,
    )  # fmt: skip
    assert ev.message("zh_TW") == "通訊中斷：sim"
    assert eng.state_of("Comm.plc") is S.NORMAL
    eng.on_connection("sim", ConnectionState.CONNECTING, "")  # retrying: still lost
    eng.on_connection("sim", ConnectionState.CONNECTED, "")
    assert rig.take() == [("returned", "rtn_unack")]
    eng.on_connection("other", ConnectionState.DISCONNECTED, "")  # unknown: ignored


# --------------------------------------------------------------------------- horn and counts


def test_horn_sounds_for_configured_priorities_until_silenced_or_acked():
    rig = Rig(alarm(priority=4), alarm(type="hihi", limit=20, priority=1))
    eng = rig.engine
    rig.put(TAG, 12)
    assert not eng.horn_active()  # priority 4 does not sound by default
    rig.put(TAG, 21)
    assert eng.horn_active()
    rig.t += 1
    ev = eng.silence("op")
    assert (ev.kind, ev.user, ev.alarm_id) == (K.SILENCED, "op", "")
    assert not eng.horn_active()
    rig.put(TAG, 12)
    rig.t += 1
    rig.put(TAG, 25)  # a new activation sounds again
    assert eng.horn_active()
    eng.ack(f"{TAG}.HIHI", "op")
    assert not eng.horn_active()
    assert eng.counts() == {1: 0, 2: 0, 3: 0, 4: 1}


def test_an_update_costs_only_the_alarms_on_its_tag():
    alarms = [alarm(f"T{i}.V") for i in range(1000)]
    rig = Rig(*alarms, alarm("T0.V", "hihi", limit=20))
    rig.put("T0.V", 1.0)
    rig.put("Unrelated.Tag", 1.0)
    assert rig.engine.evaluations == 2


# --------------------------------------------------------------------------- restore


def test_restore_rebuilds_unacknowledged_and_active_alarms():
    defs = (
        alarm(),
        alarm(type="hihi", limit=20),
        alarm("L1.Other", type="lo", limit=0),
        alarm("L1.Shelf", limit=1),
    )
    first = Rig(*defs, connections=("plc",))
    first.put(TAG, 25)
    first.engine.ack(f"{TAG}.HIHI", "op")  # HI unacked+active, HIHI acked+active
    first.put("L1.Other", -1)
    first.put("L1.Other", 1)  # RTN_UNACK
    first.engine.shelve("L1.Shelf.HI", "op", "r", 100)
    first.engine.on_connection("plc", ConnectionState.DISCONNECTED, "gone")
    before = {r.alarm_id: (r.state, r.unacked, r.condition) for r in first.engine.active()}
    journal = [AlarmEvent.from_dict(e.as_dict()) for e in first.events]  # as stored

    second = Rig(*defs, connections=("plc",))
    second.t = 2000.0
    assert second.engine.restore(journal) == 5
    after = {r.alarm_id: (r.state, r.unacked, r.condition) for r in second.engine.active()}
    assert after == before
    assert second.engine.horn_active() and second.events == []  # restoring re-journals nothing
    second.put(TAG, 5)  # the process recovered while the station was down
    assert [(e.alarm_id, e.kind.value, e.state.value) for e in second.drain()] == [
        (HI, "returned", "rtn_unack"), (f"{TAG}.HIHI", "returned", "normal"),
    ]  # fmt: skip
    second.engine.ack("L1.Other.LO", "op")
    second.after(0)  # the shelve (until 1100) expired during the downtime
    assert second.take()[-1] == ("unshelved", "normal")


def test_restore_skips_alarms_no_longer_defined():
    first = Rig(alarm("Gone.Tag"))
    first.put("Gone.Tag", 50)
    second = Rig(alarm())
    assert second.engine.restore(first.events) == 0 and second.engine.active() == []


def test_engine_from_a_plant_config(tmp_path: Path):
    text = (
        PLANT_HEADER
        + """
[[tags]]
name = "L1.Motor.Current"
connection = "plc"
address = "ns=2;s=a"

[[alarms]]
tag = "L1.Motor.Current"
type = "hi"
limit = 12
priority = 4
message = { en = "Motor current high", zh_TW = "馬達電流過高" }

[[alarm_priorities]]
priority = 4
name = "Low"
color = "#00AAFF"
horn = true
"""
    )
    _, config = load_plant(tmp_path, text)
    events: list[AlarmEvent] = []
    eng = AlarmEngine.from_config(config, events.append, lambda: 0)
    assert set(eng.alarm_ids) == {"L1.Motor.Current.HI", "Comm.plc", "System.EventStore"}
    eng.on_updates([TagValue("L1.Motor.Current", 13.0)])
    assert eng.horn_active()  # this plant makes priority 4 sound
    assert events[0].message("zh_TW") == "馬達電流過高"


def test_status_state_derivation():
    assert Status().state is S.NORMAL
    assert Status(condition=True, in_alarm=True, unacked=True).state is S.UNACK
    assert Status(in_alarm=True, unacked=True, out_of_service=True, shelved=True).state is (
        S.OUT_OF_SERVICE
    )


def test_leaving_suppression_restarts_the_on_delay():
    """A conveyor still ramping up when its line starts running is not an alarm."""
    rig = Rig(speed_lo(on_delay_s=5))
    rig.put(STATE, 1)
    rig.put(SPEED, 8.0)
    rig.put(STATE, 5)
    rig.put(SPEED, 0.0)
    rig.after(60)  # stopped for a minute: the low condition is tracked, silently
    rig.put(STATE, 1)
    rig.after(3)
    rig.put(SPEED, 6.0)  # up to speed within the delay
    rig.after(10)
    assert rig.take() == [("suppressed", "suppressed"), ("unsuppressed", "normal")]
    rig.put(STATE, 5)
    rig.put(STATE, 1)
    rig.put(SPEED, 1.0)  # does not come up to speed: alarms after the delay
    rig.after(5)
    assert rig.take()[-1] == ("activated", "unack")


def test_leaving_suppression_restarts_a_running_on_delay():
    rig = Rig(speed_lo(on_delay_s=5))
    rig.put(STATE, 1)
    rig.put(SPEED, 8.0)
    rig.put(STATE, 5)
    rig.put(SPEED, 0.0)
    rig.after(4)  # the on-delay of the (suppressed) low speed is 1 s from done
    rig.put(STATE, 1)
    rig.after(3)
    rig.put(SPEED, 6.0)
    rig.after(10)
    assert rig.take() == [("suppressed", "suppressed"), ("unsuppressed", "normal")]


def test_documented_state_table_is_the_implemented_one():
    from hmi.paths import ROOT
    from hmi.runtime.alarm_states import state_table

    assert state_table() in (ROOT / "docs" / "alarms.md").read_text(encoding="utf-8")


def test_ack_many_acknowledges_only_those_that_await_it():
    rig = Rig(alarm(), alarm(type="hihi", limit=20), alarm("L1.Other", "discrete", value=True))
    rig.put(TAG, 25)
    rig.engine.ack(f"{TAG}.HIHI", "op")
    events = rig.engine.ack_many([HI, f"{TAG}.HIHI", "L1.Other.DISCRETE"], "op", "all visible")
    assert [(e.alarm_id, e.comment) for e in events] == [(HI, "all visible")]


def test_event_round_trips_through_a_dict():
    rig = Rig(alarm("W.State", "discrete", states=[3, 4]))
    rig.put("W.State", 4)
    (ev,) = rig.events
    again = AlarmEvent.from_dict(json.loads(json.dumps(ev.as_dict())))
    assert again == ev and again.limit == (3, 4)


def test_a_failing_journal_does_not_stop_evaluation_but_an_operator_learns_of_it():
    seen: list[AlarmEvent] = []

    def emit(ev: AlarmEvent) -> None:
        seen.append(ev)
        raise OSError("disk full")

    engine = AlarmEngine([alarm(), alarm(type="hihi", limit=20)], emit, lambda: 0.0)
    engine.on_updates([TagValue(TAG, 25.0)])
    assert [e.alarm_id for e in seen] == [HI, f"{TAG}.HIHI"]
    with pytest.raises(OSError, match="disk full"):
        engine.ack(HI, "op")


def test_a_system_condition_raises_and_clears_a_station_alarm():
    events: list[AlarmEvent] = []
    eng = AlarmEngine([], events.append, lambda: 5.0)
    eng.set_system_condition("EventStore", True, "database is locked")
    (rec,) = eng.active()
    assert (rec.alarm_id, rec.priority, rec.area, rec.value) == (
        "System.EventStore", 2, "System", "database is locked",
    )  # fmt: skip
    eng.set_system_condition("EventStore", False)
    assert [e.kind for e in events] == [EventKind.ACTIVATED, EventKind.RETURNED]
    with pytest.raises(KeyError):
        eng.set_system_condition("Nope", True)


# ------------------------------------------------------------------ another station's actions


def two_stations(*alarms: AlarmConfig, connections: tuple[str, ...] = ()) -> tuple[Rig, Rig]:
    """Two engines on one plant, fed the same values (as stations sharing a database)."""
    return Rig(*alarms, connections=connections), Rig(*alarms, connections=connections)


def test_an_ack_at_another_station_acknowledges_here_as_the_same_user():
    a, b = two_stations(alarm(latched=True))
    for rig in (a, b):
        rig.put(TAG, 12.0)
        rig.t += 5
    ack = a.engine.ack(HI, "mei", "checked the motor")
    b.drain()
    done = b.engine.apply_remote(ack)
    assert done is not None and b.drain() == [done]
    assert (done.kind, done.state, done.user, done.comment) == (
        K.ACKNOWLEDGED, S.ACKED, "mei", "checked the motor",
    )  # fmt: skip
    assert b.engine.record(HI).user == "mei"
    for rig in (a, b):  # the condition clears at both; a reset at B releases A's latch
        rig.put(TAG, 5.0)
    reset = b.engine.reset(HI, "jun")
    a.drain()
    assert a.engine.apply_remote(reset).kind is K.RESET
    assert a.state() is S.NORMAL


def test_shelving_elsewhere_shelves_here_until_the_same_moment():
    a, b = two_stations(alarm())
    for rig in (a, b):
        rig.put(TAG, 12.0)
    shelved = a.engine.shelve(HI, "mei", "sensor being replaced", 600)
    b.t += 2  # it reaches B a little later: it still ends when A's does
    done = b.engine.apply_remote(shelved)
    assert done is not None and done.shelved_until == shelved.shelved_until == 1600.0
    assert (b.state(), b.engine.record(HI).shelve_reason) == (S.SHELVED, "sensor being replaced")
    unshelved = a.engine.unshelve(HI, "mei")
    assert b.engine.apply_remote(unshelved).state is S.UNACK
    removed = a.engine.remove_from_service(HI, "jun", "instrument broken")
    assert b.engine.apply_remote(removed).state is S.OUT_OF_SERVICE
    back = a.engine.return_to_service(HI, "jun")
    assert b.engine.apply_remote(back).state is S.UNACK


def test_an_action_that_does_not_apply_here_is_ignored_quietly():
    a, b = two_stations(alarm(), alarm(type="hihi", limit=20), connections=("plc",))
    other = Rig(alarm("L9.Elsewhere"))
    other.put("L9.Elsewhere", 12.0)
    unknown = other.engine.ack("L9.Elsewhere.HI", "mei")
    a.put(TAG, 25.0)
    b.put(TAG, 12.0)  # B does not see HIHI (yet)
    hihi_ack = a.engine.ack(f"{TAG}.HIHI", "mei")
    hi_ack = a.engine.ack(HI, "mei")
    b.engine.ack(HI, "jun")  # already acknowledged here
    a.t = b.t = 2000.0
    expired = a.engine.shelve(HI, "mei", "short", 1)
    a.after(2)
    b.t = a.t  # it reaches B after it ended
    (expiry,) = [e for e in a.drain() if e.kind is K.UNSHELVED]
    silence = a.engine.silence("mei")  # the horn is each station's own
    for rig in (a, b):
        rig.engine.on_connection("plc", ConnectionState.DISCONNECTED, "refused")
    comm_ack = a.engine.ack("Comm.plc", "mei")  # a station's own link
    b.drain()
    for ev in (unknown, hihi_ack, hi_ack, expired, expiry, silence, comm_ack):
        assert b.engine.apply_remote(ev) is None, ev
    assert b.drain() == []
    assert b.engine.state_of("Comm.plc") is S.UNACK and b.state() is S.ACKED


def test_an_ack_older_than_the_activation_shown_here_is_not_applied():
    a, b = two_stations(alarm())
    for rig in (a, b):
        rig.put(TAG, 12.0)
    ack = a.engine.ack(HI, "mei")  # acknowledges the first activation …
    b.t += 3
    b.put(TAG, 5.0)
    b.t += 1
    b.put(TAG, 12.0)  # … but B has a newer one by the time the ack arrives
    assert b.engine.apply_remote(ack) is None
    assert b.state() is S.UNACK


def test_a_relayed_action_is_journaled_with_its_origin_and_restores_like_any_other():
    class Journal:  # the journal's `record`, keeping what it is given
        def __init__(self) -> None:
            self.events: list[Any] = []

        def record(self, event: Any, urgent: bool = False) -> Future[int]:
            self.events.append((event, urgent))
            done: Future[int] = Future()
            done.set_result(len(self.events))
            return done

    journal = Journal()
    relay = AlarmJournal(journal)  # type: ignore[arg-type]
    a = Rig(alarm())
    b = AlarmEngine([alarm()], relay.emit, lambda: 1000.0)  # B journals what it does
    a.put(TAG, 12.0)
    b.on_updates([TagValue(TAG, 12.0)])
    with relay.relayed("line-1"):
        done = b.apply_remote(a.engine.ack(HI, "mei"))
    (_, (event, urgent)) = journal.events
    assert (event.type, event.user, event.details["via_station"], urgent) == (
        "acknowledged", "mei", "line-1", True,
    )  # fmt: skip
    assert alarm_event(event.details) == done  # the journal-only key is left aside
    b.on_updates([TagValue(TAG, 5.0)])
    assert journal.events[-1][0].details.get("via_station") is None  # only inside `relayed`
    again = Rig(alarm())
    assert again.engine.restore([alarm_event(event.details)]) == 1
    assert again.state() is S.ACKED
