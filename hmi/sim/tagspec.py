"""How a simulated piece of equipment declares its tags and accepts operator writes.

Each part of the model (conveyor, machine, line) lists its own `TagSpec`s and
setters, so the plant's address space is assembled from them rather than kept
in a second list that could drift.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hmi.config import DataType


@dataclass(frozen=True)
class TagSpec:
    """One simulated tag: what the server publishes and the demo config declares."""

    name: str
    type: DataType
    units: str
    writable: bool
    en: str
    zh_TW: str


Setter = Callable[[str, Any], None]
"""Writes one writable tag: `setter(tag, value)`; ValueError for a bad value."""


def checked_setpoint(tag: str, value: Any, low: float, high: float) -> float:
    """A numeric setpoint write, checked: a clear ValueError rather than a strange plant."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{tag} needs a number, not {value!r}")
    if not math.isfinite(value) or not low <= value <= high:
        raise ValueError(f"{tag} must be between {low:g} and {high:g}, not {value!r}")
    return float(value)
