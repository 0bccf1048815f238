"""Two stations on one PostgreSQL show one alarm picture: an operator's action at one is
taken over by the other, journaled there with its origin, and never echoed back.

Each station is the real thing: `PlantServices` in its own `RuntimeThread`, fed by a fake
driver with the SAME updates, as two stations watching one plant would.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from hmi.config import PlantConfig
from hmi.runtime.alarm_journal import AlarmJournal, to_journal_event
from hmi.runtime.alarm_states import AlarmState
from hmi.runtime.alarm_sync import AlarmSync
from hmi.runtime.alarms import AlarmEngine
from hmi.runtime.host import RuntimeThread
from hmi.runtime.security import Identity, Role
from hmi.runtime.services import PlantServices
from hmi.store.audit import AuditTrail
from hmi.store.database import open_store
from hmi.store.events import StoredEvent
from hmi.store.journal import Journal
from hmi.store.models import events
from hmi.store.queries import EventFilter, fetch_events
from hmi.tagvalue import TagValue
from tests.fakes import PLANT_HEADER, FakeDriver, load_plant

WAIT_S = 20.0
PASSWORD = "correct horse"
SPEED_HI = "L.Speed.HI"
TEMP_HI = "L.Temp.HI"

TAGS = """
[[tags]]
name = "L.Speed"
connection = "plc"
address = "ns=2;s=Speed"

[[tags]]
name = "L.Temp"
connection = "plc"
address = "ns=2;s=Temp"

[[alarms]]
tag = "L.Speed"
type = "hi"
limit = 10.0
priority = 1
message = { en = "Line speed high", zh_TW = "線速過高" }
"""
TEMP_ALARM = """
[[alarms]]
tag = "L.Temp"
type = "hi"
limit = 80.0
priority = 2
message = { en = "Motor hot", zh_TW = "馬達過熱" }
"""


def wait_until(what: str, cond: Callable[[], bool], timeout: float = WAIT_S) -> None:
    """Poll `cond` (cheap reads of a station's state) until true, at most `timeout` s."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not cond():
        assert time.monotonic() < deadline, f"not within {timeout} s: {what}"
        pause.wait(0.05)


class Station:
    """One station: its services in a runtime thread, as `hmi run` assembles them."""

    def __init__(self, config: PlantConfig, url: str, name: str):
        self.name = name
        self.services = PlantServices(config, url, station=name, driver_factory=FakeDriver)
        self.host = RuntimeThread(self.services.runtime, lifecycle=self.services)
        self.host.start()
        self.closed = False

    def run(self, coro: Coroutine[Any, Any, Any]) -> Any:
        """Run `coro` in the runtime loop and wait for its result."""
        return self.host.submit(coro).result(WAIT_S)

    def call(self, fn: Callable[[], Any]) -> Any:
        """Run `fn` in the runtime thread and wait for it."""

        async def run() -> Any:
            return fn()

        return self.run(run())

    def state(self, alarm_id: str) -> AlarmState:
        record = self.services.alarms.record(alarm_id)
        return record.state if record is not None else AlarmState.NORMAL

    def login(self, user: str) -> None:
        self.run(self.services.runtime.commands.login(user, PASSWORD))

    def polled_twice(self) -> None:
        """Wait until this station's sync has read the journal twice more from now."""
        sync = self.services.alarm_sync
        start = sync.reads
        wait_until(f"{self.name} reads the journal", lambda: sync.reads >= start + 2)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.host.stop()
            self.services.close()


class Plant:
    """Stations started on one database; `smaller` lacks the motor temperature alarm."""

    def __init__(self, tmp_path: Path, url: str):
        self.url = url
        self.full = config_in(tmp_path / "full", PLANT_HEADER + TAGS + TEMP_ALARM)
        self.smaller = config_in(tmp_path / "small", PLANT_HEADER + TAGS)
        self.made: list[Station] = []

    def __call__(self, name: str, config: PlantConfig | None = None) -> Station:
        st = Station(config or self.full, self.url, name)
        self.made.append(st)
        return st


def config_in(folder: Path, text: str) -> PlantConfig:
    folder.mkdir()
    return load_plant(folder, text)[1]


@pytest.fixture
def plant(tmp_path, pg_url) -> Iterator[Plant]:
    made = Plant(tmp_path, pg_url)
    yield made
    for st in made.made:
        st.close()


def feed(stations: list[Station], *values: tuple[str, Any]) -> None:
    """One batch of updates, the same objects (and receive times) for every station."""
    batch = [TagValue(tag, value) for tag, value in values]
    for st in stations:
        st.call(lambda st=st: st.services.runtime.updates(batch))


def add_operator(station: Station, name: str) -> None:
    admin = Identity("setup", Role.ADMIN, authenticated=True)
    station.services.security.admin.add(admin, name, Role.OPERATOR, PASSWORD)


def alarm_events(url: str, type_: str) -> list[StoredEvent]:
    with open_store(url) as store:
        return fetch_events(store.engine, EventFilter(kinds=["alarm"], types=[type_]))


def origins(url: str, type_: str) -> list[tuple[str | None, str | None, str | None]]:
    """(station, user, via_station) of each journaled `type_` transition."""
    return [
        (e.station, e.user, (e.details or {}).get("via_station")) for e in alarm_events(url, type_)
    ]


def test_an_ack_at_one_station_acknowledges_the_alarm_at_the_other(plant):
    a, b = plant("line-1"), plant("control-room", plant.smaller)  # B has no motor alarm
    add_operator(a, "mei")
    a.login("mei")
    feed([a, b], ("L.Speed", 12.0), ("L.Temp", 90.0))
    assert (a.state(SPEED_HI), b.state(SPEED_HI)) == (AlarmState.UNACK, AlarmState.UNACK)

    acked = a.run(a.services.alarm_commands.ack([SPEED_HI, TEMP_HI], comment="slowing down"))
    assert [e.alarm_id for e in acked] == [SPEED_HI, TEMP_HI]
    wait_until("B shows the ack", lambda: b.state(SPEED_HI) is AlarmState.ACKED)
    record = b.services.alarms.record(SPEED_HI)
    assert record is not None and record.user == "mei"  # the same user, not B's session

    assert b.services.journal.flush(WAIT_S)
    a.polled_twice()  # A has read B's relayed ack: it must not take it over again
    assert a.services.alarm_sync.applied == 0
    assert b.services.alarm_sync.applied == 1  # the temperature alarm is unknown at B
    rows = [
        (e.source, e.station, e.comment, (e.details or {}).get("via_station"))
        for e in alarm_events(plant.url, "acknowledged")
    ]
    assert rows == [
        ("L.Speed", "line-1", "slowing down", None),
        ("L.Temp", "line-1", "slowing down", None),
        ("L.Speed", "control-room", "slowing down", "line-1"),  # B's journal: from A
    ]  # fmt: skip
    with open_store(plant.url) as store:
        audits = list(AuditTrail(store.engine, "line-1").records())
    acks = [(r.station, r.user_name) for r in audits if r.action == "alarm.ack"]
    assert acks == [("line-1", "mei")]  # checked and audited at its origin only


def test_a_shelve_at_the_other_station_comes_back_and_the_horn_stays_each_stations_own(plant):
    a, b = plant("line-1"), plant("control-room")
    add_operator(a, "jun")
    b.login("jun")
    a.login("jun")
    feed([a, b], ("L.Speed", 12.0))
    assert a.services.alarms.horn_active() and b.services.alarms.horn_active()

    a.run(a.services.alarm_commands.silence())
    assert not a.services.alarms.horn_active()
    assert a.services.journal.flush(WAIT_S)
    b.polled_twice()
    assert b.services.alarms.horn_active()  # the control room still hears it

    shelved = b.run(b.services.alarm_commands.shelve(SPEED_HI, 600, "sensor replaced"))
    wait_until("A shows the shelve", lambda: a.state(SPEED_HI) is AlarmState.SHELVED)
    record = a.services.alarms.record(SPEED_HI)
    assert record is not None
    assert (record.shelved_until, record.shelve_reason, record.user) == (
        shelved.shelved_until, "sensor replaced", "jun",
    )  # fmt: skip
    assert a.services.journal.flush(WAIT_S)
    b.polled_twice()
    assert b.services.alarm_sync.applied == 0  # no echo
    assert origins(plant.url, "shelved") == [
        ("control-room", "jun", None),
        ("line-1", "jun", "control-room"),
    ]

    a.run(a.services.alarm_commands.unshelve(SPEED_HI))
    wait_until("B shows the unshelve", lambda: b.state(SPEED_HI) is AlarmState.UNACK)


def test_a_station_that_was_down_restores_the_acks_done_meanwhile(plant):
    a, b = plant("line-1"), plant("control-room")
    add_operator(a, "mei")
    a.login("mei")
    feed([a, b], ("L.Speed", 12.0))
    assert b.services.journal.flush(WAIT_S)
    b.close()  # the control room is down …

    a.run(a.services.alarm_commands.ack([SPEED_HI]))  # … while line 1 acknowledges
    assert a.services.journal.flush(WAIT_S)

    again = plant("control-room")
    assert again.state(SPEED_HI) is AlarmState.ACKED
    record = again.services.alarms.record(SPEED_HI)
    assert record is not None and (record.user, record.condition) == ("mei", True)
    assert again.services.journal.flush(WAIT_S)
    assert origins(plant.url, "acknowledged") == [
        ("line-1", "mei", None),
        ("control-room", "mei", "line-1"),  # journaled: its next restart needs nobody else
    ]
    feed([a, again], ("L.Speed", 5.0))  # it is the same alarm at both from here on
    assert (a.state(SPEED_HI), again.state(SPEED_HI)) == (AlarmState.NORMAL, AlarmState.NORMAL)


def test_on_sqlite_there_is_nobody_to_hear_from(tmp_path):
    config = load_plant(tmp_path, PLANT_HEADER + TAGS)[1]
    services = PlantServices(
        config, f"sqlite:///{tmp_path / 'hmi.db'}", station="alone", driver_factory=FakeDriver
    )
    try:
        assert not services.alarm_sync.shared
        asyncio.run(asyncio.wait_for(services.alarm_sync.run(), 1.0))  # returns at once
        assert services.alarm_sync.reads == 0
    finally:
        services.close()


NEXT_TWO_IDS = text(
    "SELECT nextval(pg_get_serial_sequence('events', 'id')) FROM generate_series(1, 2)"
)


def test_an_action_committed_after_a_later_one_is_still_taken_over(plant, tmp_path):
    """PostgreSQL hands out ids at insert: a smaller id can become visible after a larger."""
    config = config_in(tmp_path / "alone", PLANT_HEADER + TAGS + TEMP_ALARM)
    store = open_store(plant.url)
    journal = Journal(store.engine, station="control-room")
    try:
        alarms = AlarmEngine.from_config(config, AlarmJournal(journal).emit)
        alarms.on_updates([TagValue("L.Speed", 12.0), TagValue("L.Temp", 90.0)])
        sync = AlarmSync(store.engine, "control-room", alarms, AlarmJournal(journal))
        sync.catch_up()
        other = AlarmEngine.from_config(config, lambda ev: None)
        other.on_updates([TagValue("L.Speed", 12.0), TagValue("L.Temp", 90.0)])
        late, early = (to_journal_event(other.ack(a, "mei")) for a in (SPEED_HI, TEMP_HI))
        with store.engine.begin() as conn:  # two ids reserved; the larger commits first
            first, second = conn.execute(NEXT_TWO_IDS).scalars()
        with store.engine.begin() as conn:
            conn.execute(events.insert(), [{**early.to_row(time.time(), "line-1"), "id": second}])
        sync.apply(sync.read())
        assert (alarms.state_of(SPEED_HI), alarms.state_of(TEMP_HI)) == (
            AlarmState.UNACK, AlarmState.ACKED,
        )  # fmt: skip
        with store.engine.begin() as conn:
            conn.execute(events.insert(), [{**late.to_row(time.time(), "line-1"), "id": first}])
        sync.apply(sync.read())
        assert alarms.state_of(SPEED_HI) is AlarmState.ACKED
        assert sync.applied == 2
        sync.apply(sync.read())  # read again: each is taken once
        assert sync.applied == 2
    finally:
        journal.close()
        store.close()
