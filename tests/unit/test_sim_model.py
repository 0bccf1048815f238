"""The demo plant model: repeatable, obeys operator commands, stops and recovers, wears."""

from __future__ import annotations

import statistics

import pytest

from hmi.config import DataType
from hmi.drivers.modbus_address import Table, parse_address, type_problem
from hmi.drivers.modbus_codec import decode, get_bit
from hmi.sim.codes import LineState, Reason
from hmi.sim.plant import BicycleFactory
from hmi.sim.register_map import ASSEMBLY_MAP, Point, RegisterMap, WriteRefused

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


# --------------------------------------------------------------------------- Modbus register map


def test_register_map_points_are_model_tags_with_valid_addresses_and_the_same_access():
    specs = {s.name: s for s in BicycleFactory(seed=1).specs}
    assert {n for n in specs if n.startswith("Assembly.")} <= {p.tag for p in ASSEMBLY_MAP.points}
    for p in ASSEMBLY_MAP.points:
        assert type_problem(parse_address(p.address), p.type.value) is None, p.tag
        if p.derive is None:
            assert p.tag in specs, p.tag
            assert p.writable == specs[p.tag].writable, p.tag
            assert p.units == specs[p.tag].units, p.tag
        else:
            assert not p.writable, p.tag


def test_register_image_decodes_to_the_models_values_with_the_drivers_codec():
    """pymodbus's converters (the simulator) against our codec (the driver): same values."""
    plant = BicycleFactory(seed=4)
    run(plant, 120)
    values = plant.values()
    image = ASSEMBLY_MAP.image(values)
    for p in ASSEMBLY_MAP.points:
        expected = p.value(values)
        if p.table.is_bits:
            got = image[p.table][p.offset]
        elif p.bit is not None:
            got = get_bit(image[p.table][p.offset], p.bit)
        else:
            regs = image[p.table][p.offset : p.offset + p.count]
            raw = decode(regs, p.type.value, p.order, p.chars or None)
            got = raw * p.gain if p.gain != 1.0 else raw
        if p.type is DataType.FLOAT32:
            assert got == pytest.approx(expected, rel=1e-6), p.tag
        elif isinstance(expected, float):
            assert abs(got - expected) <= p.resolution + 1e-9, p.tag
        else:
            assert got == expected, p.tag


def test_status_word_bits_follow_the_line_state():
    plant = BicycleFactory(seed=1)
    plant.step(0.1)
    assert ASSEMBLY_MAP.image(plant.values())[Table.HR][2] == 0b01  # running
    plant.set("Assembly.RunCmd", False)
    assert ASSEMBLY_MAP.image(plant.values())[Table.HR][2] == 0b00  # idle: neither bit


def test_client_writes_become_model_writes_and_read_only_ones_are_refused():
    plant = BicycleFactory(seed=1)
    image = ASSEMBLY_MAP.image(plant.values())
    assert ASSEMBLY_MAP.client_write(Table.COIL, 0, [False], image) == [("Assembly.RunCmd", False)]
    sp = [0x4194, 0x0000]  # 18.5 as float32 ABCD
    assert ASSEMBLY_MAP.client_write(Table.HR, 20, sp, image) == [
        ("Assembly.Conveyor.SpeedSP", 18.5)
    ]
    # Half a float combines with the half already there, as in a real device.
    assert ASSEMBLY_MAP.client_write(Table.HR, 20, [0x4194], image) == [
        ("Assembly.Conveyor.SpeedSP", 18.5)  # 15.0 is 0x4170 0x0000: the low word was 0
    ]
    for table, address, regs in ((Table.HR, 0, [1]), (Table.HR, 19, [0, 0]), (Table.HR, 3, [0])):
        with pytest.raises(WriteRefused) as err:
            ASSEMBLY_MAP.client_write(table, address, regs, image)
        assert err.value.code == 2
    with pytest.raises(WriteRefused) as err:
        ASSEMBLY_MAP.client_write(Table.HR, 20, [0x7FC0, 0], image)  # NaN
    assert err.value.code == 3


def test_overlapping_points_are_a_mistake_but_distinct_bits_share_a_register():
    a = Point("A", Table.HR, 0, DataType.UINT32)
    with pytest.raises(ValueError, match="B overlaps A at hr:1"):
        RegisterMap([a, Point("B", Table.HR, 1, DataType.INT16)])
    bit0 = Point("C", Table.HR, 5, DataType.BOOL, bit=0)
    RegisterMap([bit0, Point("D", Table.HR, 5, DataType.BOOL, bit=1)])
    with pytest.raises(ValueError, match="E overlaps C"):
        RegisterMap([bit0, Point("E", Table.HR, 5, DataType.BOOL, bit=0)])
    with pytest.raises(ValueError, match="F overlaps C"):
        RegisterMap([bit0, Point("F", Table.HR, 5, DataType.INT16)])
