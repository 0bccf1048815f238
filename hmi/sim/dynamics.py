"""The small dynamics every simulated signal is built from: a lag and coloured noise.

Both are exact for any step length: that is what lets the demo backfill step at
1 s while the live simulator steps at 0.1 s and both look alike.
"""

from __future__ import annotations

import math
import random


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
