"""Each line's own process equipment (welder, paint shop, truing stand), and its say in quality.

A line knows only the `Machine` interface: step it, ask whether it spoiled the
part just made, and publish its tags; the differences between lines live here.
"""

from __future__ import annotations

import random
from typing import Any

from hmi.config import DataType
from hmi.sim.dynamics import Noise, lag
from hmi.sim.tagspec import Setter, TagSpec, checked_setpoint


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
            self.current_sp = checked_setpoint(tag, value, 50.0, 300.0)

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
            self.temperature_sp = checked_setpoint(tag, value, 20.0, 250.0)

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
