"""The demo bicycle factory as a pure, seeded model.

No I/O and no wall clock: the plant only moves when `step(dt)` is called, and
all chance comes from `random.Random` seeded per line, so one seed and one step
sequence always give the same values (tests and screenshots rely on it). The
OPC UA server in `hmi.sim.server` is a thin shell around this model.

Three lines in series — frame welding → painting → wheel & final assembly —
joined by small hidden buffers, so a stop upstream starves the next line and a
stop downstream blocks the one before. Each line runs a state machine (Running,
Idle, Down, Changeover, Planned stop), makes a part every few seconds, breaks
down often enough that a one-minute demo shows a stop and a recovery, and
carries conveyor signals (voltage, current, temperature, speed, belt tension)
whose slow belt wear is the predictive-maintenance story (預兆診斷).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from hmi.config import DataType


class LineState(IntEnum):
    """The value of `<Line>.State`."""

    RUNNING = 1
    IDLE = 2  # starved, blocked, or stopped by the operator
    DOWN = 3  # a fault
    CHANGEOVER = 4
    PLANNED_STOP = 5


class Reason(IntEnum):
    """The value of `<Line>.ReasonCode`: why the line is not running (0 while it runs)."""

    NONE = 0
    BELT_SLIP = 101
    MOTOR_OVERLOAD = 102
    JAM = 103
    FRAMES_NOT_DELIVERED = 201
    PAINT_SUPPLY_LOW = 202
    PRODUCT_CHANGEOVER = 301
    QUALITY_HOLD = 401
    SENSOR_FAULT = 501
    STARVED_UPSTREAM = 601
    BLOCKED_DOWNSTREAM = 602
    STOPPED_BY_OPERATOR = 900


REASON_TEXT: dict[Reason, tuple[str, str]] = {
    Reason.NONE: ("None", "無"),
    Reason.BELT_SLIP: ("Belt slip", "皮帶打滑"),
    Reason.MOTOR_OVERLOAD: ("Motor overload", "馬達過載"),
    Reason.JAM: ("Jam", "卡料"),
    Reason.FRAMES_NOT_DELIVERED: ("Frames not delivered", "車架未送達"),
    Reason.PAINT_SUPPLY_LOW: ("Paint supply low", "塗料不足"),
    Reason.PRODUCT_CHANGEOVER: ("Product changeover", "換線"),
    Reason.QUALITY_HOLD: ("Quality hold", "品質暫停"),
    Reason.SENSOR_FAULT: ("Sensor fault", "感測器故障"),
    Reason.STARVED_UPSTREAM: ("Starved upstream", "上游缺料"),
    Reason.BLOCKED_DOWNSTREAM: ("Blocked downstream", "下游阻塞"),
    Reason.STOPPED_BY_OPERATOR: ("Stopped by operator", "操作員停止"),
}

PRODUCTS: tuple[tuple[str, float], ...] = (
    # product code, cycle-time factor (a mountain-bike frame takes longer)
    ("CITY-26", 1.0),
    ("MTB-29", 1.2),
    ("ROAD-700C", 1.1),
)


@dataclass(frozen=True)
class TagSpec:
    """One simulated tag: what the server publishes and the demo config declares."""

    name: str
    type: DataType
    units: str
    writable: bool
    en: str
    zh_TW: str


# --------------------------------------------------------------------------- small dynamics


def lag(value: float, target: float, tau: float, dt: float) -> float:
    """First-order lag: `value` moves toward `target` with time constant `tau` seconds."""
    return target + (value - target) * math.exp(-dt / tau)


class Noise:
    """Coloured noise (Ornstein–Uhlenbeck): std `sigma`, correlation time `tau`.

    Unlike white noise its size does not depend on the step length, so a plant
    stepped at 10 Hz and one stepped at 1 Hz look alike.
    """

    def __init__(self, rng: random.Random, sigma: float, tau: float = 1.0):
        self._rng = rng
        self.sigma = sigma
        self.tau = tau
        self.x = 0.0

    def step(self, dt: float) -> float:
        a = math.exp(-dt / self.tau)
        self.x = a * self.x + self.sigma * math.sqrt(1.0 - a * a) * self._rng.gauss(0.0, 1.0)
        return self.x


def _setpoint(tag: str, value: Any, low: float, high: float) -> float:
    """A numeric setpoint write, checked: a clear ValueError rather than a strange plant."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{tag} needs a number, not {value!r}")
    if not math.isfinite(value) or not low <= value <= high:
        raise ValueError(f"{tag} must be between {low:g} and {high:g}, not {value!r}")
    return float(value)


Setter = Callable[[str, Any], None]


# --------------------------------------------------------------------------- equipment


class ConveyorMotor:
    """A belt conveyor's drive: the signals a 機聯網 gateway reads off the motor.

    Belt wear (0 new … 1 worn out) grows while the belt runs, about 0.1 per
    running hour: a worn belt needs more current, so the motor runs hotter, and
    its tension falls — the slow drift predictive diagnosis looks for.
    """

    WEAR_PER_HOUR = 0.1
    AMBIENT_C = 28.0

    def __init__(self, line: str, rng: random.Random, nominal_speed: float, wear: float):
        self.prefix = f"{line}.Conveyor"
        self.nominal_speed = nominal_speed
        self.speed_sp = nominal_speed
        self.wear = wear
        self._v_true = nominal_speed
        self._i_true = self._current_target(True)
        self._t_true = self._temperature_target()
        self.speed = self._v_true
        self.current = self._i_true
        self.temperature = self._t_true
        self.voltage = 400.0
        self.tension = 800.0
        self._noise_i = Noise(rng, 0.08, 0.8)
        self._noise_v = Noise(rng, 0.6, 2.0)
        self._noise_t = Noise(rng, 0.15, 5.0)
        self._noise_s = Noise(rng, 0.03, 0.5)
        self._noise_f = Noise(rng, 2.5, 1.5)

    @property
    def speed_ratio(self) -> float:
        """Actual speed over nominal: how fast parts move through the line."""
        return self._v_true / self.nominal_speed

    def _current_target(self, running: bool) -> float:
        if not running:
            return 0.5  # magnetising current of the stopped drive
        load = 0.3 + 0.7 * self.speed_ratio
        return 0.5 + 7.5 * load + 4.0 * self.wear

    def _temperature_target(self) -> float:
        return self.AMBIENT_C + 0.36 * self._i_true**2

    def step(self, dt: float, running: bool) -> None:
        target = self.speed_sp if running else 0.0
        self._v_true = lag(self._v_true, target, 2.0 if running else 1.0, dt)
        if running:
            load = max(self.speed_ratio, 0.2)
            self.wear = min(1.0, self.wear + dt * self.WEAR_PER_HOUR * load / 3600.0)
        self._i_true = lag(self._i_true, self._current_target(running), 0.6, dt)
        self._t_true = lag(self._t_true, self._temperature_target(), 180.0, dt)
        self.current = max(0.0, self._i_true + self._noise_i.step(dt))
        self.temperature = self._t_true + self._noise_t.step(dt)
        self.voltage = 400.0 - 0.4 * self._i_true + self._noise_v.step(dt)
        ripple = self._noise_f.step(dt) if running else 0.0
        self.tension = 800.0 - 160.0 * self.wear + ripple
        jitter = self._noise_s.step(dt) if running and self._v_true > 0.5 else 0.0
        self.speed = max(0.0, self._v_true + jitter)

    def specs(self) -> list[TagSpec]:
        p = self.prefix
        f = DataType.FLOAT64
        return [
            TagSpec(f"{p}.MotorVoltage", f, "V", False, "Conveyor motor voltage", "輸送帶馬達電壓"),
            TagSpec(f"{p}.MotorCurrent", f, "A", False, "Conveyor motor current", "輸送帶馬達電流"),
            TagSpec(
                f"{p}.MotorTemperature", f, "°C", False,
                "Conveyor motor winding temperature", "輸送帶馬達溫度",
            ),
            TagSpec(f"{p}.Speed", f, "m/min", False, "Conveyor belt speed", "輸送帶速度"),
            TagSpec(
                f"{p}.SpeedSP", f, "m/min", True,
                "Conveyor belt speed setpoint", "輸送帶速度設定值",
            ),
            TagSpec(f"{p}.BeltTension", f, "N", False, "Conveyor belt tension", "輸送帶張力"),
        ]  # fmt: skip

    def values(self) -> dict[str, Any]:
        p = self.prefix
        return {
            f"{p}.MotorVoltage": round(self.voltage, 1),
            f"{p}.MotorCurrent": round(self.current, 2),
            f"{p}.MotorTemperature": round(self.temperature, 1),
            f"{p}.Speed": round(self.speed, 2),
            f"{p}.SpeedSP": self.speed_sp,
            f"{p}.BeltTension": round(self.tension, 1),
        }

    def setters(self) -> dict[str, Setter]:
        def speed_sp(tag: str, value: Any) -> None:
            self.speed_sp = _setpoint(tag, value, 0.0, 2.0 * self.nominal_speed)

        return {f"{self.prefix}.SpeedSP": speed_sp}


class Machine:
    """A line's own process equipment; the base has no signals and no say in quality."""

    def step(self, dt: float, running: bool) -> None:
        """Advance the process by `dt` seconds; `running` says whether the line produces."""

    def part_done(self, rng: random.Random) -> bool:
        """A part just left the station; True if this machine spoiled it."""
        return False

    def specs(self) -> list[TagSpec]:
        return []

    def values(self) -> dict[str, Any]:
        return {}

    def setters(self) -> dict[str, Setter]:
        return {}


class Welder(Machine):
    """The frame-welding robot's arc: current tracks its setpoint while welding.

    Welding far from the 180 A the joints are qualified for spoils frames.
    """

    QUALIFIED_A = 180.0

    def __init__(self, rng: random.Random):
        self.current_sp = self.QUALIFIED_A
        self._i = self.current_sp
        self.current = self._i
        self.voltage = self._arc_voltage(self._i)
        self._noise_i = Noise(rng, 1.5, 0.3)
        self._noise_v = Noise(rng, 0.15, 0.3)

    @staticmethod
    def _arc_voltage(current: float) -> float:
        return 14.0 + 0.055 * current

    def step(self, dt: float, running: bool) -> None:
        self._i = lag(self._i, self.current_sp if running else 0.0, 0.3, dt)
        if running or self._i > 1.0:
            self.current = max(0.0, self._i + self._noise_i.step(dt))
            self.voltage = max(0.0, self._arc_voltage(self._i) + self._noise_v.step(dt))
        else:
            self.current = self.voltage = 0.0

    def part_done(self, rng: random.Random) -> bool:
        off = (self.current_sp - self.QUALIFIED_A) / 60.0
        return rng.random() < min(0.5, off * off)

    def specs(self) -> list[TagSpec]:
        f = DataType.FLOAT64
        return [
            TagSpec("Welding.Welder.Current", f, "A", False, "Welding current", "焊接電流"),
            TagSpec(
                "Welding.Welder.CurrentSP", f, "A", True,
                "Welding current setpoint", "焊接電流設定值",
            ),
            TagSpec("Welding.Welder.Voltage", f, "V", False, "Welding arc voltage", "焊接電壓"),
        ]  # fmt: skip

    def values(self) -> dict[str, Any]:
        return {
            "Welding.Welder.Current": round(self.current, 1),
            "Welding.Welder.CurrentSP": self.current_sp,
            "Welding.Welder.Voltage": round(self.voltage, 2),
        }

    def setters(self) -> dict[str, Setter]:
        def current_sp(tag: str, value: Any) -> None:
            self.current_sp = _setpoint(tag, value, 50.0, 300.0)

        return {"Welding.Welder.CurrentSP": current_sp}


class PaintShop(Machine):
    """Curing oven and spray booth. The oven stays hot through line stops.

    Paint cured below 170 °C does not hold, so a low oven setpoint raises rejects.
    """

    def __init__(self, rng: random.Random):
        self.temperature_sp = 180.0
        self._t = self.temperature_sp
        self.temperature = self._t
        self._noise_t = Noise(rng, 0.3, 3.0)
        self._humidity_drift = Noise(rng, 3.0, 600.0)
        self._humidity_noise = Noise(rng, 0.3, 2.0)
        self.humidity = 55.0

    def step(self, dt: float, running: bool) -> None:
        self._t = lag(self._t, self.temperature_sp, 90.0, dt)
        self.temperature = self._t + self._noise_t.step(dt)
        self.humidity = 55.0 + self._humidity_drift.step(dt) + self._humidity_noise.step(dt)

    def part_done(self, rng: random.Random) -> bool:
        return rng.random() < min(0.6, max(0.0, (170.0 - self._t) / 50.0))

    def specs(self) -> list[TagSpec]:
        f = DataType.FLOAT64
        return [
            TagSpec("Painting.Oven.Temperature", f, "°C", False, "Curing oven temperature",
                    "烤爐溫度"),
            TagSpec("Painting.Oven.TemperatureSP", f, "°C", True,
                    "Curing oven temperature setpoint", "烤爐溫度設定值"),
            TagSpec("Painting.Booth.Humidity", f, "%RH", False, "Spray booth humidity",
                    "噴漆室濕度"),
        ]  # fmt: skip

    def values(self) -> dict[str, Any]:
        return {
            "Painting.Oven.Temperature": round(self.temperature, 1),
            "Painting.Oven.TemperatureSP": self.temperature_sp,
            "Painting.Booth.Humidity": round(self.humidity, 1),
        }

    def setters(self) -> dict[str, Setter]:
        def temperature_sp(tag: str, value: Any) -> None:
            self.temperature_sp = _setpoint(tag, value, 20.0, 250.0)

        return {"Painting.Oven.TemperatureSP": temperature_sp}


class TruingStand(Machine):
    """Wheel truing: measures each wheel's lateral runout; above 0.42 mm is a reject."""

    LIMIT_MM = 0.42

    def __init__(self) -> None:
        self.runout = 0.28

    def part_done(self, rng: random.Random) -> bool:
        self.runout = min(0.8, max(0.08, rng.gauss(0.28, 0.055)))
        return self.runout > self.LIMIT_MM

    def specs(self) -> list[TagSpec]:
        return [
            TagSpec("Assembly.Truing.Runout", DataType.FLOAT64, "mm", False,
                    "Wheel lateral runout (last wheel)", "輪圈偏擺量（最近一輪）"),
        ]  # fmt: skip

    def values(self) -> dict[str, Any]:
        return {"Assembly.Truing.Runout": round(self.runout, 3)}


# --------------------------------------------------------------------------- the line


class Buffer:
    """Parts waiting between two lines (not published: it shows as starved/blocked)."""

    def __init__(self, capacity: int, level: int):
        self.capacity = capacity
        self.level = level

    def take(self) -> bool:
        if self.level <= 0:
            return False
        self.level -= 1
        return True

    def put(self) -> bool:
        if self.level >= self.capacity:
            return False
        self.level += 1
        return True


@dataclass(frozen=True)
class StopKind:
    """One kind of unplanned stop a line suffers, and how long it lasts."""

    state: LineState
    reason: Reason
    min_s: float
    max_s: float
    weight: float = 1.0


@dataclass
class Stop:
    """A stop in progress. Its clock runs even while the operator holds the line."""

    state: LineState
    reason: Reason
    remaining: float


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


class Line:
    """One production line: its state machine, counters, rate and equipment.

    The displayed state is derived each step, highest priority first: operator
    stop (Idle 900) › a stop in progress (Down / Changeover / Planned stop /
    material Idle) › starved (601) › blocked (602) › Running.
    """

    def __init__(
        self,
        design: LineDesign,
        seed: int,
        machine_factory: Callable[[random.Random], Machine],
        upstream: Buffer | None,
        downstream: Buffer | None,
    ):
        self.design = design
        self.name = design.name
        self._rng = random.Random(f"{seed}/{design.name}")
        self.conveyor = ConveyorMotor(
            design.name, self._rng, design.nominal_speed, design.initial_wear
        )
        self.machine = machine_factory(self._rng)
        self.upstream = upstream
        self.downstream = downstream
        self.clock = 0.0
        self.run_cmd = True
        self.state = LineState.RUNNING
        self.reason = Reason.NONE
        self.good = 0
        self.rejects = 0
        self._product_index = 0
        self._batch_left = self._rng.randint(20, 100)
        self._stop: Stop | None = None
        self._to_fault = self._rng.uniform(8.0, 35.0)  # running seconds to the next stop
        self._next_break = design.first_break_s
        # The line was already running when the model starts: a part is half made.
        self._has_part = True
        self._holding = False  # a finished good part waiting for room downstream
        self._progress = self._rng.uniform(0.2, 0.9)
        self._cycle = design.base_cycle_s
        self._carry_s = 0.0  # work done past the last part's end, within one step
        self._starved = False
        self._blocked = False
        self._last_part_at = self._part_started_at()
        self.rate = 3600.0 / self._cycle

    @property
    def product(self) -> str:
        return PRODUCTS[self._product_index][0]

    # -- one step ---------------------------------------------------------------

    def step(self, dt: float) -> None:
        self.clock += dt
        self._advance_stop(dt)
        if self._stop is None and self.clock >= self._next_break:
            self._stop = Stop(LineState.PLANNED_STOP, Reason.NONE, BREAK_S)
            self._next_break += BREAK_EVERY_S
        if self.run_cmd and self._stop is None:
            self._produce(dt)
        self._update_state()
        if self.state is LineState.RUNNING:
            self._to_fault -= dt
            if self._to_fault <= 0:
                self._start_fault()
                self._update_state()
        running = self.state is LineState.RUNNING
        self.conveyor.step(dt, running)
        self.machine.step(dt, running)
        self._update_rate()

    def _advance_stop(self, dt: float) -> None:
        if self._stop is None:
            return
        self._stop.remaining -= dt
        if self._stop.remaining <= 0:
            if self._stop.reason is Reason.PRODUCT_CHANGEOVER:
                self._product_index = (self._product_index + 1) % len(PRODUCTS)
                self._batch_left = self._rng.randint(*BATCH_PARTS)
            self._stop = None

    def _start_fault(self) -> None:
        kinds = self.design.stops
        kind = self._rng.choices(kinds, weights=[k.weight for k in kinds])[0]
        self._stop = Stop(kind.state, kind.reason, self._rng.uniform(kind.min_s, kind.max_s))
        self._to_fault = self._rng.uniform(0.4, 1.6) * self.design.mtbf_s

    def _produce(self, dt: float) -> None:
        self._starved = self._blocked = False
        if self._holding:
            if self.downstream is not None and not self.downstream.put():
                self._blocked, self._carry_s = True, 0.0
                return
            self._holding = False
        if not self._has_part:
            if self.upstream is not None and not self.upstream.take():
                self._starved, self._carry_s = True, 0.0
                return
            self._has_part = True
            factor = PRODUCTS[self._product_index][1]
            self._cycle = self.design.base_cycle_s * factor * self._rng.uniform(0.9, 1.1)
            # The work the last step did past the previous part's end belongs to this one,
            # so output does not depend on the step (the demo's 1 s backfill steps).
            self._progress, self._carry_s = self._carry_s / self._cycle, 0.0
        self._progress += dt * self.conveyor.speed_ratio / self._cycle
        if self._progress >= 1.0:
            self._finish_part()

    def _finish_part(self) -> None:
        self._has_part = False
        self._carry_s = (self._progress - 1.0) * self._cycle
        spoiled = self.machine.part_done(self._rng)
        if spoiled or self._rng.random() < self.design.reject_rate:
            self.rejects += 1
        else:
            self.good += 1
            self._holding = self.downstream is not None and not self.downstream.put()
        interval = self.clock - self._last_part_at
        if interval > 0:
            inst = 3600.0 / interval
            self.rate = inst if self.rate == 0 else self.rate + 0.3 * (inst - self.rate)
        self._last_part_at = self.clock
        self._batch_left -= 1
        if self._batch_left <= 0:
            self._stop = Stop(
                LineState.CHANGEOVER,
                Reason.PRODUCT_CHANGEOVER,
                self._rng.uniform(*CHANGEOVER_S),
            )

    def _update_state(self) -> None:
        was_running = self.state is LineState.RUNNING
        if not self.run_cmd:
            self.state, self.reason = LineState.IDLE, Reason.STOPPED_BY_OPERATOR
        elif self._stop is not None:
            self.state, self.reason = self._stop.state, self._stop.reason
        elif self._starved:
            self.state, self.reason = LineState.IDLE, Reason.STARVED_UPSTREAM
        elif self._blocked:
            self.state, self.reason = LineState.IDLE, Reason.BLOCKED_DOWNSTREAM
        else:
            self.state, self.reason = LineState.RUNNING, Reason.NONE
        if self.state is LineState.RUNNING and not was_running:
            self._last_part_at = self._part_started_at()  # the rate restarts with this run

    def _part_started_at(self) -> float:
        """When the part in progress would have started, had the line never stopped."""
        return self.clock - (self._progress * self._cycle if self._has_part else 0.0)

    def _update_rate(self) -> None:
        if self.state is not LineState.RUNNING:
            self.rate = 0.0
            return
        elapsed = self.clock - self._last_part_at
        if self.rate > 0 and elapsed > 3600.0 / self.rate:
            self.rate = 3600.0 / elapsed  # slower than the rolling figure: show it now

    # -- tags -------------------------------------------------------------------

    def specs(self) -> list[TagSpec]:
        n = self.name
        return [
            TagSpec(f"{n}.State", DataType.INT16, "", False,
                    "Line state (1 Running, 2 Idle, 3 Down, 4 Changeover, 5 Planned stop)",
                    "產線狀態（1 運轉、2 待機、3 故障、4 換線、5 計畫停機）"),
            TagSpec(f"{n}.ReasonCode", DataType.INT16, "", False,
                    "Reason of the current stop (0 = none)", "目前停機原因碼（0 = 無）"),
            TagSpec(f"{n}.GoodCount", DataType.UINT32, "pcs", False,
                    "Good parts since start", "良品數"),
            TagSpec(f"{n}.RejectCount", DataType.UINT32, "pcs", False,
                    "Rejected parts since start", "不良品數"),
            TagSpec(f"{n}.Rate", DataType.FLOAT64, "pcs/h", False,
                    "Production rate (rolling; 0 when stopped)", "生產速率（0 = 停止）"),
            TagSpec(f"{n}.Product", DataType.STRING, "", False,
                    "Current product code", "目前產品型號"),
            TagSpec(f"{n}.RunCmd", DataType.BOOL, "", True,
                    "Run command (True = run, False = stop)", "運轉命令（True 運轉、False 停止）"),
            *self.conveyor.specs(),
            *self.machine.specs(),
        ]  # fmt: skip

    def values(self) -> dict[str, Any]:
        n = self.name
        return {
            f"{n}.State": int(self.state),
            f"{n}.ReasonCode": int(self.reason),
            f"{n}.GoodCount": self.good,
            f"{n}.RejectCount": self.rejects,
            f"{n}.Rate": round(self.rate, 1),
            f"{n}.Product": self.product,
            f"{n}.RunCmd": self.run_cmd,
            **self.conveyor.values(),
            **self.machine.values(),
        }

    def setters(self) -> dict[str, Setter]:
        def run_cmd(tag: str, value: Any) -> None:
            if not isinstance(value, bool):
                raise ValueError(f"{tag} needs True or False, not {value!r}")
            self.run_cmd = value
            self._update_state()
            self._update_rate()

        return {f"{self.name}.RunCmd": run_cmd, **self.conveyor.setters(), **self.machine.setters()}


# --------------------------------------------------------------------------- the plant


class BicycleFactory:
    """The whole demo plant: three lines in series, one seed.

    >>> plant = BicycleFactory(seed=1)
    >>> plant.step(0.1)
    >>> plant.values()["Welding.State"]
    1
    """

    BUFFER_CAPACITY = 15

    def __init__(self, seed: int = 1):
        self.seed = seed
        self.clock = 0.0
        welded = Buffer(self.BUFFER_CAPACITY, 8)
        painted = Buffer(self.BUFFER_CAPACITY, 8)
        welding, painting, assembly = DESIGNS
        self.lines: dict[str, Line] = {
            "Welding": Line(welding, seed, Welder, None, welded),
            "Painting": Line(painting, seed, PaintShop, welded, painted),
            "Assembly": Line(assembly, seed, lambda _rng: TruingStand(), painted, None),
        }
        self.specs: tuple[TagSpec, ...] = tuple(s for ln in self.lines.values() for s in ln.specs())
        self._setters: dict[str, Setter] = {}
        for line in self.lines.values():
            self._setters.update(line.setters())

    def step(self, dt: float) -> None:
        """Advance the whole plant by `dt` seconds of plant time."""
        if not dt > 0 or not math.isfinite(dt):
            raise ValueError(f"dt must be a positive number of seconds, not {dt!r}")
        self.clock += dt
        for line in self.lines.values():
            line.step(dt)

    def values(self) -> dict[str, Any]:
        """Every tag's current value, keyed by tag name, as plain Python values."""
        out: dict[str, Any] = {}
        for line in self.lines.values():
            out.update(line.values())
        return out

    def set(self, tag: str, value: Any) -> None:
        """An operator command: write a writable tag. ValueError names what is wrong."""
        setter = self._setters.get(tag)
        if setter is None:
            if any(s.name == tag for s in self.specs):
                raise ValueError(f"{tag} is read-only")
            raise ValueError(f"no tag named {tag!r} in the demo plant")
        setter(tag, value)
