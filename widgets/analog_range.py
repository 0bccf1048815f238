"""The range an analog indicator draws (bar, gauge): scale, normal band and limit ticks.

ISA-101's analog indicator shows a value against its NORMAL band, so the operator
sees "inside / outside normal" at a glance without reading the number. No Qt here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from hmi.config import TagConfig

RangeState = Literal["low", "normal", "high", ""]


@dataclass(frozen=True)
class AnalogRange:
    """`minimum`…`maximum` is the drawn scale; `normal` (low, high) the normal band;
    `limits` are drawn as ticks (typically the alarm limits)."""

    minimum: float = 0.0
    maximum: float = 100.0
    normal: tuple[float, float] | None = None
    limits: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        if not (math.isfinite(self.minimum) and math.isfinite(self.maximum)):
            raise ValueError("minimum and maximum must be finite numbers")
        if self.maximum <= self.minimum:
            raise ValueError(f"maximum {self.maximum:g} must be above minimum {self.minimum:g}")
        if self.normal is not None and self.normal[0] > self.normal[1]:
            raise ValueError(f"normal band {self.normal} is not (low, high)")

    @classmethod
    def for_tag(
        cls,
        config: TagConfig | None,
        *,
        minimum: float | None = None,
        maximum: float | None = None,
        normal: tuple[float, float] | None = None,
        limits: tuple[float, ...] = (),
    ) -> AnalogRange:
        """The arguments, else the engineering range of the tag's scale, else 0…100."""
        scale = config.scale if config else None
        lo = minimum if minimum is not None else (scale.eng_min if scale else None)
        hi = maximum if maximum is not None else (scale.eng_max if scale else None)
        return cls(
            0.0 if lo is None else float(lo),
            100.0 if hi is None else float(hi),
            normal,
            tuple(limits),
        )

    def fraction(self, value: float) -> float:
        """Where `value` sits on the scale, 0…1, clamped (an off-scale value pins an end)."""
        f = (value - self.minimum) / (self.maximum - self.minimum)
        return min(1.0, max(0.0, f))

    def state(self, value: float | None) -> RangeState:
        """ "low" / "high" outside the normal band, "normal" inside, "" without a value."""
        if value is None:
            return ""
        if self.normal is not None:
            if value < self.normal[0]:
                return "low"
            if value > self.normal[1]:
                return "high"
        return "normal"
