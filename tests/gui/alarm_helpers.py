"""Shared pieces of the alarm GUI tests: a plant with alarms, a station on its own
journal file, and a journal seeded with known events."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from gui_helpers import PLANT_TOML, ScriptedDriver, push

from hmi.app.station import GuiSession, Station
from hmi.config import load_config
from hmi.store.database import Store, open_store
from hmi.store.events import Event
from hmi.store.journal import Journal
from hmi.tagvalue import TagValue
from screens import builtin_screens

ALARMS_TOML = """
[[alarms]]
tag = "Line1.Current"
type = "hi"
limit = 10.0
priority = 2
message = { en = "Line 1 motor current high", zh_TW = "一號線馬達電流偏高" }

[[alarms]]
tag = "Line1.Speed"
type = "lo"
limit = 5.0
priority = 3
message = { en = "Line 1 conveyor slow", zh_TW = "一號線輸送帶過慢" }
"""

VIEWER_TOML = """
[security]
[security.station]
user = "kiosk"
role = "viewer"
"""

CURRENT_HI = "Line1.Current.HI"
SPEED_LO = "Line1.Speed.LO"


@pytest.fixture
def alarm_station(qapp, tmp_path: Path) -> Iterator[Callable[..., Station]]:
    """A started station on a plant with alarms and its own journal file in tmp_path.

    `make(viewer=True)` adds a [security] section whose station identity is a viewer.
    """
    made: list[tuple[Station, GuiSession]] = []

    def make(viewer: bool = False, lang: str = "en") -> Station:
        n = len(made)
        path = tmp_path / f"plant{n}.toml"
        path.write_text(PLANT_TOML + ALARMS_TOML + (VIEWER_TOML if viewer else ""), "utf-8")
        session = GuiSession(lang, plugins=[], builtin=builtin_screens())
        db = f"sqlite:///{tmp_path / f'events{n}.db'}"
        station = Station(load_config(path), session, driver_factory=ScriptedDriver, db_url=db)
        made.append((station, session))
        return station

    yield make
    for station, session in made:
        station.close()
        session.close()


def raise_current_hi(station: Station, value: float = 12.5) -> None:
    """Line1.Current crosses its HI limit (10.0)."""
    push(station, TagValue("Line1.Current", value))


@pytest.fixture
def seeded_store(tmp_path: Path) -> Iterator[Callable[[list[Event]], Store]]:
    """`seed(events)`: a migrated SQLite store in tmp_path holding exactly `events`."""
    stores: list[Store] = []

    def seed(evs: list[Event], station: str = "st1") -> Store:
        store = open_store(f"sqlite:///{tmp_path / f'journal{len(stores)}.db'}")
        stores.append(store)
        journal = Journal(store.engine, station=station)
        for e in evs:
            journal.record(e)
        journal.close()
        return store

    yield seed
    for store in stores:
        store.close()
