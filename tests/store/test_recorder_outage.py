"""A lone station on PostgreSQL stays the recorder through a database restart and loses nothing.

One station, one central database: the common deployment. The station runs the real
`PlantServices` in its `RuntimeThread` against a PostgreSQL server of this test's own,
which the test stops and starts again (same port, same data) while updates keep coming.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from hmi.runtime.host import RuntimeThread
from hmi.runtime.services import PlantServices
from hmi.store.database import open_store
from hmi.store.history import HistoryReader
from hmi.store.oee_store import OeeStore
from hmi.store.queries import EventFilter, fetch_events
from hmi.tagvalue import TagValue
from tests.fakes import ONE_OEE_LINE_PLANT, FakeDriver, load_plant

from .pgserver import PgServer

RETRY_S = 0.2
WAIT_S = 30.0  # generous: two cores shared with other test runs

PLANT = ONE_OEE_LINE_PLANT


@pytest.fixture
def own_pg() -> Iterator[PgServer]:
    """A PostgreSQL server of this test's own, since the test restarts it."""
    server = PgServer().start()
    yield server
    server.stop()


class Roles:
    """Every role the station reported, for a test to wait on."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self._cond = threading.Condition()

    def __call__(self, role: str) -> None:
        with self._cond:
            self.seen.append(role)
            self._cond.notify_all()

    def wait_for(self, what: str, pred) -> None:
        with self._cond:
            assert self._cond.wait_for(lambda: pred(self.seen), WAIT_S), (what, self.seen)


def test_a_lone_recorder_keeps_recording_through_a_database_restart(tmp_path, own_pg):
    config = load_plant(tmp_path, PLANT)[1]
    services = PlantServices(
        config, own_pg.url(), station="pc", driver_factory=FakeDriver, recorder_retry_s=RETRY_S
    )
    roles = Roles()
    services.recorder.add_listener(roles)
    host = RuntimeThread(services.runtime, lifecycle=services)
    host.start()
    counter = iter(range(10, 1000))
    fed: list[int] = []

    def call(fn) -> Any:
        async def run() -> Any:
            return fn()

        return host.submit(run()).result(WAIT_S)

    def make_parts(n: int) -> None:
        for _ in range(n):
            fed.append(next(counter))
            call(lambda v=fed[-1]: services.runtime.updates([TagValue("L.Good", v)]))

    def flush() -> None:
        call(services.oee.tick)  # the tracker's checkpoint: held counts go to the writer
        assert services.oee_writer.flush(WAIT_S) is not False
        assert services.history_writer.flush(WAIT_S)

    try:
        assert services.recorder.role == "recorder"
        call(lambda: services.runtime.updates([TagValue("L.State", 1)]))
        make_parts(4)  # the first reading is the counter's baseline: 3 parts
        flush()

        own_pg.halt("fast")
        roles.wait_for(
            "the recorder notices the outage",
            lambda seen: seen and seen[-1].startswith("recorder (database unreachable: "),
        )
        make_parts(5)  # made while the database is away
        call(services.oee.tick)  # their counts are queued for the database now
        assert services.oee_writer.pending > 0 or services.oee.held > 0

        own_pg.resume()
        roles.wait_for("the lease is back", lambda seen: seen[-1] == "recorder")
        make_parts(2)
        flush()
        assert services.oee.healthy and services.oee.held == 0

        with open_store(own_pg.url()) as store:
            counts = OeeStore(store.engine).count_rows("L", 0, time.time() + 60)
            history = HistoryReader(store.engine).raw("L.Good", 0, time.time() + 60)
            standby = fetch_events(store.engine, EventFilter(types=["recorder_standby"]))
        assert sum(r.n for r in counts if r.kind == "good") == len(fed) - 1  # every part
        assert [int(v) for v in history.value] == fed  # every sample, in order
        assert all(role.startswith("recorder") for role in roles.seen), roles.seen
        assert standby == []
        assert services.recorder.recording
    finally:
        host.stop()
        services.close()
