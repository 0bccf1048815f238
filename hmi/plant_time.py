"""The station shows plant time.

Shift boundaries, OEE periods and shift reports are defined in the plant's time zone
(``[shifts] timezone``). An operator must read every other time on the same clock —
the header clock, alarm times, trends, the audit trail — or a 06:00 shift change
shows up as 22:00 on a panel PC left at UTC. A station serves one plant, so the
process adopts the plant's zone as its local time (``TZ`` + ``tzset``): Python's and
Qt's local-time formatting then agree with the shift calendar without each screen
converting. Called once by the commands that run a station, never by library code
(tests and embedding keep the process's zone).
"""

from __future__ import annotations

import os
import time

from hmi.config import PlantConfig


def adopt_plant_timezone(config: PlantConfig) -> str | None:
    """Make the plant's zone this process's local time; the zone, or None when the
    plant names none (no shift calendar) or the platform cannot switch (no tzset)."""
    zone = config.shifts.timezone if config.shifts is not None else None
    if zone is None or not hasattr(time, "tzset"):
        return None
    os.environ["TZ"] = zone
    time.tzset()
    return zone
