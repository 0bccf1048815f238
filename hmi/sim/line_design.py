"""What makes each demo line different: cycle time, conveyor, wear, rejects and its stops.

Data, not behaviour: tuning the demo (how often lines break, how long for) is
an edit here, and `Line` stays one state machine for all three lines.
"""

from __future__ import annotations

from dataclasses import dataclass

from hmi.sim.codes import LineState, Reason


@dataclass(frozen=True)
class StopKind:
    """One kind of unplanned stop a line suffers, and how long it lasts."""

    state: LineState
    reason: Reason
    min_s: float
    max_s: float
    weight: float = 1.0


@dataclass(frozen=True)
class LineDesign:
    """What makes each line different."""

    name: str
    base_cycle_s: float
    nominal_speed: float  # m/min
    initial_wear: float
    reject_rate: float
    mtbf_s: float  # mean running time between unplanned stops
    stops: tuple[StopKind, ...]
    first_break_s: float  # when the first planned stop comes


def _down(reason: Reason, min_s: float, max_s: float, weight: float = 1.0) -> StopKind:
    return StopKind(LineState.DOWN, reason, min_s, max_s, weight)


def _idle(reason: Reason, min_s: float, max_s: float, weight: float = 1.0) -> StopKind:
    return StopKind(LineState.IDLE, reason, min_s, max_s, weight)


R = Reason
DESIGNS = (
    LineDesign("Welding", 3.6, 12.0, 0.15, 0.015, 50.0, (
        _down(R.BELT_SLIP, 5, 15, 2), _down(R.MOTOR_OVERLOAD, 8, 20), _down(R.JAM, 5, 12, 2),
        _idle(R.FRAMES_NOT_DELIVERED, 6, 15, 2), _down(R.SENSOR_FAULT, 5, 10),
        _down(R.QUALITY_HOLD, 8, 18),
    ), 20 * 60.0),
    LineDesign("Painting", 3.8, 8.0, 0.05, 0.02, 55.0, (
        _down(R.BELT_SLIP, 5, 15), _down(R.JAM, 5, 12), _idle(R.PAINT_SUPPLY_LOW, 8, 18, 2),
        _down(R.SENSOR_FAULT, 5, 10), _down(R.QUALITY_HOLD, 8, 18, 2),
    ), 25 * 60.0),
    LineDesign("Assembly", 4.0, 15.0, 0.35, 0.01, 45.0, (
        _down(R.BELT_SLIP, 5, 15), _down(R.MOTOR_OVERLOAD, 8, 20), _down(R.JAM, 5, 12, 3),
        _down(R.SENSOR_FAULT, 5, 10), _down(R.QUALITY_HOLD, 8, 18),
    ), 30 * 60.0),
)  # fmt: skip
del R

BREAK_EVERY_S = 30 * 60.0
BREAK_S = 45.0
CHANGEOVER_S = (15.0, 30.0)
BATCH_PARTS = (60, 120)
