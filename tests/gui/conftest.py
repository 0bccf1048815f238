"""GUI test fixtures: a small plant and a real, started station on top of it.

The runtime, runtime thread, bridge, binder and main window are the real ones. Only
the device is scripted (`gui_helpers.ScriptedDriver`): the GUI layer's contract is
the runtime's listener interface, and the tests must drive connection states and
update storms at will. Real protocol servers are used by tests/protocol and by the
screenshot CLI test (the demo simulator).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from gui_helpers import PLANT_TOML, ScriptedDriver

from hmi.app.plugins import LoadedPlugin
from hmi.app.station import GuiSession, Station
from hmi.config import PlantConfig, load_config


@pytest.fixture
def plant(tmp_path: Path) -> PlantConfig:
    path = tmp_path / "plant.toml"
    path.write_text(PLANT_TOML, encoding="utf-8")
    return load_config(path)


@pytest.fixture
def make_station(qapp, plant: PlantConfig) -> Iterator[Callable[..., Station]]:
    """Build a started station on the test plant; everything is stopped at teardown."""
    made: list[tuple[Station, GuiSession]] = []

    def make(plugins: list[LoadedPlugin] = (), lang: str = "en") -> Station:
        session = GuiSession(lang, plugins=list(plugins))
        station = Station(plant, session, driver_factory=ScriptedDriver)
        made.append((station, session))
        return station

    yield make
    for station, session in made:
        station.close()
        session.close()
