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

This module assembles the factory and steps it; the parts live apart so each
reads on its own: `codes` (what State, ReasonCode and Product mean), `tagspec`
(how equipment declares tags and takes writes), `dynamics` (lag, noise),
`conveyor` and `machines` (the equipment), `line_design` (what differs between
lines) and `line` (the state machine every line runs, and the buffers between).
"""

from __future__ import annotations

import math
from typing import Any

from hmi.sim.line import Buffer, Line
from hmi.sim.line_design import DESIGNS
from hmi.sim.machines import PaintShop, TruingStand, Welder
from hmi.sim.tagspec import Setter, TagSpec


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
