"""The demo plant's alarms trip on the simulator's faults and belt wear (no network)."""

from __future__ import annotations

from hmi.config import load_config
from hmi.paths import DEMO_CONFIG
from hmi.runtime.alarm_states import EventKind
from hmi.runtime.alarms import AlarmEngine
from hmi.sim.plant import BicycleFactory
from hmi.tagvalue import TagValue


def test_demo_faults_and_belt_wear_raise_alarms_within_two_minutes():
    config = load_config(DEMO_CONFIG)
    plant = BicycleFactory(seed=1)
    events = []
    engine = AlarmEngine.from_config(config, events.append, lambda: plant.clock)
    while plant.clock < 120:
        plant.step(0.1)
        now = plant.clock
        engine.on_updates([TagValue(k, v, source_ts=now) for k, v in plant.values().items()])
        engine.tick()
    raised = {e.alarm_id for e in events if e.kind is EventKind.ACTIVATED}
    assert "Assembly.Conveyor.BeltTension.LO" in raised  # the worn belt: predictive maintenance
    assert {"Welding.Down", "Painting.Down", "Assembly.Down"} & raised  # a fault stops a line
    assert len(config.alarms) >= 30
