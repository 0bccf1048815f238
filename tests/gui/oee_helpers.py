"""A seeded OEE store for the demo plant's Welding line: one past shift, written as a table.

Shift A of Monday 2025-03-03 (06:00–14:00 Asia/Taipei, lunch 11:30–12:00):

| from  | to    | state      | PLC reason          |
| ----- | ----- | ---------- | ------------------- |
| 06:00 | 08:00 | running    |                     |
| 08:00 | 09:30 | down       | 102 Motor overload  |
| 09:30 | 10:00 | running    |                     |
| 10:00 | 10:20 | idle       | (none: unassigned)  |
| 10:20 | 11:00 | changeover | 301 Product change  |
| 11:00 | 14:00 | running    |                     |

Counts: 1500 good + 30 rejects of CITY-26 before the changeover, 2400 good + 20
rejects of MTB-29 after it.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from hmi.config import PlantConfig
from hmi.runtime.security import Role
from hmi.store.database import open_store
from hmi.store.oee_store import CountRow, IntervalRow, OeeStore

TZ = ZoneInfo("Asia/Taipei")
LINE = "Welding"
SINCE_ISO, UNTIL_ISO = "2025-03-03T06:00", "2025-03-03T14:00"


def at(hhmm: str) -> float:
    return datetime.strptime(f"2025-03-03 {hhmm}", "%Y-%m-%d %H:%M").replace(tzinfo=TZ).timestamp()


SINCE, UNTIL = at("06:00"), at("14:00")
DOWN, IDLE, CHANGEOVER = at("08:00"), at("10:00"), at("10:20")

INTERVALS = [
    IntervalRow(LINE, at("06:00"), at("08:00"), "running", None, "CITY-26"),
    IntervalRow(LINE, DOWN, at("09:30"), "down", 102, "CITY-26"),
    IntervalRow(LINE, at("09:30"), at("10:00"), "running", None, "CITY-26"),
    IntervalRow(LINE, IDLE, at("10:20"), "idle", None, "CITY-26"),
    IntervalRow(LINE, CHANGEOVER, at("11:00"), "changeover", 301, "MTB-29"),
    IntervalRow(LINE, at("11:00"), at("14:00"), "running", None, "MTB-29"),
]


def counts() -> list[CountRow]:
    rows = []
    for hhmm in ("06:30", "07:30", "09:40"):
        rows.append(CountRow(LINE, at(hhmm), "good", 500, "CITY-26"))
        rows.append(CountRow(LINE, at(hhmm) + 30, "reject", 10, "CITY-26"))
    for hhmm in ("11:30", "12:30", "13:30"):
        rows.append(CountRow(LINE, at(hhmm), "good", 800, "MTB-29"))
    rows.append(CountRow(LINE, at("11:10"), "reject", 20, "MTB-29"))
    return rows


def seed(db_url: str) -> None:
    """Write the table above into the store at `db_url` (creating its tables)."""
    with open_store(db_url) as store:
        OeeStore(store.engine).apply([*INTERVALS, *counts()])


def with_station_role(config: PlantConfig, user: str, role: str) -> PlantConfig:
    """The config with another station identity (who acts while nobody is logged in)."""
    station = config.security.station.model_copy(update={"user": user, "role": Role(role)})
    security = config.security.model_copy(update={"station": station})
    return config.model_copy(update={"security": security})
