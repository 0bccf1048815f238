"""The demo plant model: repeatable, obeys operator commands, stops and recovers, wears."""

from __future__ import annotations

import statistics

import pytest

from hmi.config import DataType
from hmi.sim.plant import BicycleFactory, LineState, Reason

LINES = ("Welding", "Painting", "Assembly")
PY_TYPES = {
    DataType.INT16: int,
    DataType.UINT32: int,
    DataType.FLOAT64: float,
    DataType.STRING: str,
    DataType.BOOL: bool,
}


def run(plant: BicycleFactory, seconds: float, dt: float = 0.1) -> list[dict]:
    """Step the plant for `seconds` and return the values after every step."""
    out = []
    for _ in range(round(seconds / dt)):
        plant.step(dt)
        out.append(plant.values())
    return out


def test_values_name_every_tag_with_its_python_type():
    plant = BicycleFactory(seed=1)
    run(plant, 5)
    values = plant.values()
    assert list(values) == [s.name for s in plant.specs]
    assert len(values) == 46
    for spec in plant.specs:
        assert type(values[spec.name]) is PY_TYPES[spec.type], spec.name


def test_same_seed_gives_identical_values_and_another_seed_differs():
    a, b, c = BicycleFactory(seed=7), BicycleFactory(seed=7), BicycleFactory(seed=8)
    for plant in (a, b, c):
        run(plant, 300)
    assert a.values() == b.values()
    assert a.values() != c.values()


def test_counts_move_every_few_seconds_at_a_plausible_rate():
    plant = BicycleFactory(seed=1)
    history = run(plant, 60)
    for line in LINES:
        assert history[-1][f"{line}.GoodCount"] >= 5, line
        running_rates = [
            v[f"{line}.Rate"]
            for v in history
            if v[f"{line}.State"] == LineState.RUNNING and v[f"{line}.Rate"] > 0
        ]
        assert 300 < statistics.median(running_rates) < 1500, line


def test_run_cmd_false_stops_the_line_and_true_restarts_it():
    plant = BicycleFactory(seed=1)
    run(plant, 20)
    plant.set("Welding.RunCmd", False)
    v = plant.values()
    assert (v["Welding.State"], v["Welding.ReasonCode"]) == (2, 900)
    assert v["Welding.Rate"] == 0.0
    assert v["Welding.RunCmd"] is False
    good, rejects = v["Welding.GoodCount"], v["Welding.RejectCount"]

    history = run(plant, 60)
    for v in history:
        assert (v["Welding.State"], v["Welding.ReasonCode"]) == (2, 900)
        assert v["Welding.Rate"] == 0.0
        assert (v["Welding.GoodCount"], v["Welding.RejectCount"]) == (good, rejects)
    assert history[-1]["Welding.Conveyor.Speed"] == 0.0
    assert history[-1]["Welding.Conveyor.MotorCurrent"] < 1.0

    plant.set("Welding.RunCmd", True)
    assert plant.values()["Welding.ReasonCode"] != Reason.STOPPED_BY_OPERATOR
    history = run(plant, 60)
    assert any(v["Welding.State"] == LineState.RUNNING for v in history)
    assert history[-1]["Welding.GoodCount"] > good


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_every_line_stops_and_recovers_within_two_minutes(seed):
    plant = BicycleFactory(seed=seed)
    history = run(plant, 120)
    for line in LINES:
        states = [v[f"{line}.State"] for v in history]
        first_stop = next(i for i, s in enumerate(states) if s != LineState.RUNNING)
        assert history[first_stop][f"{line}.ReasonCode"] != Reason.NONE or (
            states[first_stop] == LineState.PLANNED_STOP
        )
        assert LineState.RUNNING in states[first_stop:], f"{line} never recovered"


def test_lines_run_most_of_the_time():
    plant = BicycleFactory(seed=1)
    history = run(plant, 1800, dt=0.5)
    for line in LINES:
        running = sum(v[f"{line}.State"] == LineState.RUNNING for v in history)
        assert running / len(history) > 0.6, line


def test_belt_wear_raises_motor_current_and_temperature_over_hours():
    plant = BicycleFactory(seed=3)
    history = run(plant, 6 * 3600, dt=1.0)
    early, late = history[600:2400], history[-1800:]  # skip the first 10 minutes' warm-up

    def mean_running(samples: list[dict], tag: str, line: str) -> float:
        return statistics.mean(v[tag] for v in samples if v[f"{line}.State"] == 1)

    for line in LINES:
        for tag, rise in (("MotorCurrent", 1.0), ("MotorTemperature", 4.0), ("BeltTension", -40)):
            before = mean_running(early, f"{line}.Conveyor.{tag}", line)
            after = mean_running(late, f"{line}.Conveyor.{tag}", line)
            if rise > 0:
                assert after > before + rise, (line, tag, before, after)
            else:
                assert after < before + rise, (line, tag, before, after)


def test_setpoints_are_followed():
    plant = BicycleFactory(seed=1)
    plant.set("Painting.Oven.TemperatureSP", 200)
    plant.set("Welding.Welder.CurrentSP", 190.0)
    plant.set("Assembly.Conveyor.SpeedSP", 18.0)
    history = run(plant, 600, dt=0.5)
    v = history[-1]
    assert v["Painting.Oven.TemperatureSP"] == 200.0
    assert abs(v["Painting.Oven.Temperature"] - 200.0) < 2.0
    welding = [h["Welding.Welder.Current"] for h in history[-200:] if h["Welding.State"] == 1]
    assert abs(statistics.median(welding) - 190.0) < 5.0
    speeds = [h["Assembly.Conveyor.Speed"] for h in history[-200:] if h["Assembly.State"] == 1]
    assert abs(statistics.median(speeds) - 18.0) < 0.5


@pytest.mark.parametrize(
    ("tag", "value", "message"),
    [
        ("Welding.Nope", 1.0, "no tag named"),
        ("Welding.State", 1, "read-only"),
        ("Painting.Conveyor.MotorCurrent", 3.0, "read-only"),
        ("Welding.RunCmd", 1, "True or False"),
        ("Welding.Conveyor.SpeedSP", "fast", "needs a number"),
        ("Welding.Conveyor.SpeedSP", 1000.0, "between"),
        ("Painting.Oven.TemperatureSP", float("nan"), "between"),
    ],
)
def test_bad_commands_raise_value_error(tag, value, message):
    plant = BicycleFactory(seed=1)
    before = plant.values()
    with pytest.raises(ValueError, match=message):
        plant.set(tag, value)
    assert plant.values() == before


def test_step_rejects_a_non_positive_dt():
    with pytest.raises(ValueError, match="dt"):
        BicycleFactory(seed=1).step(0)
