"""A line's belt conveyor drive and its slow belt wear: the predictive-maintenance story.

Every line has one; its signals are what a 機聯網 gateway reads off the motor,
and its wear drift is what the demo's trend screens and alarms show.
"""

from __future__ import annotations

import random
from typing import Any

from hmi.config import DataType
from hmi.sim.dynamics import Noise, lag
from hmi.sim.tagspec import Setter, TagSpec, checked_setpoint


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

    def replace_belt(self) -> None:
        """Maintenance fits a new belt: wear is 0 again; the signals follow from the next step."""
        self.wear = 0.0

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
            self.speed_sp = checked_setpoint(tag, value, 0.0, 2.0 * self.nominal_speed)

        return {f"{self.prefix}.SpeedSP": speed_sp}
