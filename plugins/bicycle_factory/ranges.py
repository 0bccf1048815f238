"""The scales and normal bands of the demo plant's analog indicators (ISA-101).

An analog indicator shows a value against its NORMAL band, so the band must say what
the plant calls normal: it lies between the tag's innermost low and high alarm limits
in the plant config (the ticks on the scale), and, where a deviation alarm watches
the value against a setpoint, it follows that setpoint (`SetpointBand`). Only the
drawn scale, which the config does not know, is written here.
"""

from __future__ import annotations

from dataclasses import replace

from hmi.config import PlantConfig
from hmi.tagvalue import Quality, TagValue
from widgets import AnalogBar, AnalogRange

SCALES: dict[str, tuple[float, float]] = {
    "MotorVoltage": (340.0, 440.0),
    "MotorCurrent": (0.0, 14.0),
    "MotorTemperature": (20.0, 90.0),
    "BeltTension": (600.0, 900.0),
    "Welder.Current": (0.0, 300.0),
    "Welder.Voltage": (0.0, 40.0),
    "Oven.Temperature": (20.0, 250.0),
    "Booth.Humidity": (20.0, 90.0),
    "Truing.Runout": (0.0, 0.6),
}
"""Drawn scale by the tag's name without its line (``Welding.Welder.Current`` →
``Welder.Current``) or by its last part (a template member such as ``MotorCurrent``)."""

NOMINAL_SPEED = {"Welding": 12.0, "Painting": 8.0, "Assembly": 15.0}
"""Nominal conveyor speed per line (m/min, docs/demo-plant.md): the speed scale is 0 … 2×."""

LOW = ("lo", "lolo")
HIGH = ("hi", "hihi")


def _scale(tag: str) -> tuple[float, float] | None:
    line, _, rest = tag.partition(".")
    leaf = tag.rsplit(".", 1)[-1]
    if leaf == "Speed" and line in NOMINAL_SPEED:
        return (0.0, 2 * NOMINAL_SPEED[line])
    return SCALES.get(rest) or SCALES.get(leaf)


def analog_range(config: PlantConfig, tag: str) -> AnalogRange:
    """Scale, normal band and limit ticks of `tag` from its alarms in the plant config."""
    lows: list[float] = []
    highs: list[float] = []
    for alarm in config.alarms:
        if alarm.tag != tag or not alarm.type.is_limit or alarm.limit is None:
            continue
        limit = float(alarm.limit)
        (lows if alarm.type.value in LOW else highs).append(limit)
    scale = _scale(tag)
    if scale is None:
        tag_scale = config.tag(tag).scale
        scale = (tag_scale.eng_min, tag_scale.eng_max) if tag_scale else (0.0, 100.0)
    lo, hi = scale
    limits = tuple(sorted(lows + highs))
    normal = (max(lows, default=lo), min(highs, default=hi))
    return AnalogRange(lo, hi, normal if normal != (lo, hi) else None, limits)


def deviation_limit(config: PlantConfig, tag: str) -> tuple[str, float] | None:
    """``(setpoint tag, allowed deviation)`` of `tag`'s deviation alarm, if it has one."""
    for alarm in config.alarms:
        if alarm.tag == tag and alarm.type.value == "deviation" and alarm.limit is not None:
            return alarm.setpoint_tag, float(alarm.limit)
    return None


def ranged_bar(bar: AnalogBar, config: PlantConfig, tag: str) -> SetpointBand | None:
    """Give `bar` the range of `tag`; returns the `SetpointBand` to bind to the setpoint
    when the tag's normal band follows one (bind it: ``ctx.bind(band, band.setpoint)``)."""
    bar.range = analog_range(config, tag)
    deviation = deviation_limit(config, tag)
    if deviation is None:
        return None
    return SetpointBand(bar, *deviation)


class SetpointBand:
    """A TagWidget on a setpoint that moves a bar's normal band to setpoint ± deviation
    (clipped to the static band), so "normal" means "where it should be now"."""

    def __init__(self, bar: AnalogBar, setpoint: str, deviation: float):
        self.bar = bar
        self.setpoint = setpoint
        self.deviation = deviation
        self._static = bar.range

    def set_tag_value(self, value: TagValue) -> None:
        sp = value.value
        if value.quality is not Quality.GOOD or isinstance(sp, bool):
            return
        if not isinstance(sp, int | float):
            return
        lo, hi = self._static.normal or (self._static.minimum, self._static.maximum)
        band = (max(lo, sp - self.deviation), min(hi, sp + self.deviation))
        if band[0] > band[1]:  # a setpoint outside the static band: keep the static band
            band = (lo, hi)
        if band == self.bar.range.normal:
            return
        self.bar.range = replace(self._static, normal=band)
        last = self.bar.core.last
        if last is not None:  # re-judge the shown value against the new band
            self.bar._visible = object()
            self.bar.set_tag_value(last)
        self.bar.update()
