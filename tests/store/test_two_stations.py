"""Two stations on one PostgreSQL: one records plant data, the other stands by and takes over.

Each station is the real thing: `PlantServices` in its own `RuntimeThread`, fed by a
fake driver. Both get the SAME updates, as two stations watching one plant would.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import make_url

from hmi.config import PlantConfig
from hmi.runtime.host import RuntimeThread
from hmi.runtime.oee import load_figures
from hmi.runtime.services import PlantServices
from hmi.store.database import open_store
from hmi.store.lease import application_name
from hmi.store.oee_store import IntervalRow, OeeStore
from hmi.store.queries import EventFilter, fetch_events
from hmi.tagvalue import TagValue
from tests.fakes import ONE_OEE_LINE_PLANT, FakeDriver, load_plant

RETRY_S = 0.2
WAIT_S = 20.0

PLANT = ONE_OEE_LINE_PLANT


class Station:
    """One station: its services in a runtime thread, as `hmi run` assembles them."""

    def __init__(self, config: PlantConfig, url: str, name: str):
        self.services = PlantServices(
            config, url, station=name, driver_factory=FakeDriver, recorder_retry_s=RETRY_S
        )
        self._roles = threading.Condition()
        self.services.recorder.add_listener(self._role_changed)
        self.host = RuntimeThread(self.services.runtime, lifecycle=self.services)
        self.host.start()
        self.closed = False

    def _role_changed(self, _role: str) -> None:
        with self._roles:
            self._roles.notify_all()

    def wait_until(self, what: str, cond: Callable[[], bool]) -> None:
        """Wait (bounded) for the recorder role to satisfy `cond`."""
        with self._roles:
            assert self._roles.wait_for(cond, WAIT_S), f"not within {WAIT_S} s: {what}"

    def call(self, fn: Callable[[], Any]) -> Any:
        """Run `fn` in the runtime thread and wait for it."""

        async def run() -> Any:
            return fn()

        return self.host.submit(run()).result(WAIT_S)

    def checkpoint(self) -> None:
        """Write what the tracker holds now (its 15 s checkpoint, brought forward)."""
        self.call(self.services.oee.tick)
        assert self.services.oee_writer.flush(WAIT_S) is not False
        assert self.services.history_writer.flush(WAIT_S)
        assert self.services.journal.flush(WAIT_S)

    @property
    def recording(self) -> bool:
        return self.services.recorder.recording

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.host.stop()
            self.services.close()


def feed(stations: list[Station], *values: tuple[str, Any]) -> None:
    """One batch of updates, the same objects (and receive times) for every station."""
    batch = [TagValue(tag, value) for tag, value in values]
    for st in stations:
        st.call(lambda st=st: st.services.runtime.updates(batch))


@pytest.fixture
def plant(tmp_path, pg_url) -> Iterator[tuple[PlantConfig, str, list[Station]]]:
    config = load_plant(tmp_path, PLANT)[1]
    made: list[Station] = []
    yield config, pg_url, made
    for st in made:
        st.close()


def start(plant, name: str) -> Station:
    config, url, made = plant
    st = Station(config, url, name)
    made.append(st)
    return st


def good_parts(url: str) -> int:
    with open_store(url) as store:
        rows = OeeStore(store.engine).count_rows("L", 0, time.time() + 60)
    return sum(r.n for r in rows if r.kind == "good")


def intervals(url: str) -> list[IntervalRow]:
    with open_store(url) as store:
        return OeeStore(store.engine).intervals("L", 0, time.time() + 60)


def assert_no_overlap(ivs: list[IntervalRow]) -> None:
    for a, b in itertools.pairwise(ivs):
        assert a.end <= b.start, f"{a} overlaps {b}"


def system_events(url: str, type_: str) -> list[tuple[str | None, str | None]]:
    with open_store(url) as store:
        rows = fetch_events(store.engine, EventFilter(kinds=["system"], types=[type_]))
    return [(e.station, e.message) for e in rows]


def test_the_same_updates_at_two_stations_are_recorded_once(plant):
    a = start(plant, "pc-a")
    b = start(plant, "pc-b")
    url = plant[1]
    assert (a.recording, b.recording) == (True, False)
    assert a.services.recorder.role == "recorder"
    assert b.services.recorder.role == "standby (recorder: pc-a)"
    feed([a, b], ("L.State", 1), ("L.Good", 10))  # the counter's baseline
    feed([a, b], ("L.Good", 13))
    feed([a, b], ("L.Good", 15), ("L.State", 2))
    for st in (a, b):
        st.checkpoint()
    assert good_parts(url) == 5  # not 10
    ivs = intervals(url)
    assert [(iv.state, iv.open) for iv in ivs] == [("running", False), ("idle", True)]
    assert_no_overlap(ivs)
    assert a.services.history_writer.written > 0
    assert b.services.history_writer.written == 0  # the standby writes no samples
    # the standby's live card shows the recorder's open interval, extended to now
    live = b.services.oee.live_interval("L")
    assert live is not None and (live.start, live.state.value) == (ivs[-1].start, "idle")
    starts = system_events(url, "start")
    with open_store(url) as store:
        details = [e.details for e in fetch_events(store.engine, EventFilter(types=["start"]))]
    assert [s for s, _ in starts] == ["pc-a", "pc-b"]
    assert details == [{"recorder": "recorder"}, {"recorder": "standby (recorder: pc-a)"}]


def test_when_the_recorder_stops_the_standby_takes_over_and_parts_count_once(plant):
    a = start(plant, "pc-a")
    b = start(plant, "pc-b")
    url = plant[1]
    feed([a, b], ("L.State", 1), ("L.Good", 10))
    feed([a, b], ("L.Good", 15))
    a.host.stop()  # the recorder's runtime stops (its driver disconnects the tags) …
    feed([b], ("L.Good", 16))  # … a part made while nobody records: the gap
    a.services.close()  # … and its lease is released once its rows are written
    a.closed = True
    b.wait_until("the standby records", lambda: b.recording)
    assert b.services.recorder.role == "recorder"
    feed([b], ("L.Good", 18))
    feed([b], ("L.Good", 20))
    b.checkpoint()
    assert good_parts(url) == 5 + 4  # each part once; the one in the gap is not counted
    ivs = intervals(url)
    assert_no_overlap(ivs)
    assert [iv.state for iv in ivs] == ["running", "unknown", "running"]  # a's stop, then b
    stopped, took_over = ivs[1], ivs[2]
    with open_store(url) as store:
        fig = load_figures(OeeStore(store.engine), plant[0], "L", ivs[0].start, took_over.end)
    assert fig.good == 9
    # from a's stop to b's takeover: unknown, not guessed
    assert took_over.start >= stopped.end
    assert fig.unknown_time == pytest.approx(took_over.start - stopped.start, abs=1e-6)
    assert system_events(url, "recorder_active") == [
        ("pc-b", "this station records plant data: this station holds the recorder lease")
    ]


def terminate_lease_session(url: str, station: str) -> None:
    """The server ends the station's lease session (an administrator, or a blip)."""
    conninfo = make_url(url)
    with psycopg.connect(
        host=conninfo.host, port=conninfo.port, user=conninfo.username,
        dbname=conninfo.database, autocommit=True,
    ) as admin:  # fmt: skip
        ended = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
            (application_name(station),),
        ).fetchall()
    assert ended == [(True,)]


def die(st: Station, url: str) -> None:
    """The station's process dies: its runtime loop stops without the clean stop (no
    interval is closed), its lease thread stops, its sessions end."""
    loop = st.host.loop
    loop.call_soon_threadsafe(loop.stop)
    st.host._thread.join(WAIT_S)
    lease = st.services.recorder.lease
    lease._stop.set()
    assert lease._thread is not None
    lease._thread.join(WAIT_S)
    assert not (st.host._thread.is_alive() or lease._thread.is_alive())
    st.services.store.engine.dispose()  # the writers' pooled sessions close
    terminate_lease_session(url, st.services.station)


def test_when_the_recorder_dies_the_standby_takes_over_and_closes_its_interval(plant):
    a = start(plant, "pc-a")
    b = start(plant, "pc-b")
    url = plant[1]
    feed([a, b], ("L.State", 1), ("L.Good", 10))
    feed([a, b], ("L.Good", 15))
    a.checkpoint()  # a's last checkpoint: its open interval ends here in the database
    checkpoint_end = intervals(url)[-1].end
    feed([a, b], ("L.Good", 17))  # counted by a but never written: a dies
    die(a, url)
    b.wait_until("b takes over", lambda: b.recording)
    feed([b], ("L.Good", 20))
    b.checkpoint()
    assert good_parts(url) == 5 + 3
    ivs = intervals(url)
    assert_no_overlap(ivs)
    (a_iv, b_iv) = ivs
    assert (a_iv.end, a_iv.open) == (checkpoint_end, False)  # closed where it was last known
    assert b_iv.open and b_iv.start > checkpoint_end
    with open_store(url) as store:
        fig = load_figures(OeeStore(store.engine), plant[0], "L", a_iv.start, b_iv.end)
    assert fig.good == 8
    assert fig.unknown_time == pytest.approx(b_iv.start - checkpoint_end, abs=1e-6)
    assert [s for s, _ in system_events(url, "recorder_active")] == ["pc-b"]
    assert system_events(url, "recorder_standby") == []  # a died without a word


def test_a_blip_of_the_recorders_session_keeps_one_recorder_and_every_part_counts_once(plant):
    a = start(plant, "pc-a")
    b = start(plant, "pc-b")
    url = plant[1]
    feed([a, b], ("L.State", 1), ("L.Good", 10))
    feed([a, b], ("L.Good", 15))
    terminate_lease_session(url, "pc-a")
    feed([a, b], ("L.Good", 18))  # while a's lease session is gone or coming back
    lease = a.services.recorder.lease
    a.wait_until("a holds the lease again", lambda: lease.why.endswith("lease again"))
    feed([a, b], ("L.Good", 20))
    b.wait_until(
        "b stands by for a", lambda: b.services.recorder.role == "standby (recorder: pc-a)"
    )
    for st in (a, b):
        st.checkpoint()
    assert (a.recording, b.recording) == (True, False)
    assert a.services.recorder.role == "recorder"
    assert good_parts(url) == 5 + 3 + 2  # none lost across the blip, none twice
    ivs = intervals(url)
    assert [(iv.state, iv.open) for iv in ivs] == [("running", True)]  # never split
    assert b.services.history_writer.written == 0
    assert system_events(url, "recorder_active") == []  # the role never changed
    assert system_events(url, "recorder_standby") == []
