"""Reading the journal back: every filter agrees with a plain-Python reference, and keyset
paging visits every matching row exactly once, ties on the timestamp included."""

from __future__ import annotations

import pytest

from hmi.store import (
    Event,
    EventFilter,
    Journal,
    count_events,
    fetch_events,
    open_store,
    page_cursor,
)

T0 = 1_750_000_000.0
KINDS = ("alarm", "operator", "system")
SOURCES = ("Weld.Robot1.Temp", "Paint.Oven.Temp", "Assembly.Conveyor.MotorCurrent", None)
AREAS = ("Welding", "Painting", "Assembly")


def _seed_events(n: int = 600) -> list[Event]:
    # Three events share each timestamp, so paging must break ties by id.
    return [
        Event(
            kind=KINDS[i % 3],
            type="raised" if i % 3 == 0 else "write" if i % 3 == 1 else "connection_lost",
            ts=T0 + i // 3,
            source=SOURCES[i % 4],
            area=AREAS[i % 5 % 3],
            priority=(i % 4) + 1 if i % 3 == 0 else None,
            message=f"Belt 50% slip #{i}" if i % 7 == 0 else f"Motor current HIGH #{i}",
        )
        for i in range(n)
    ]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def seeded(request, tmp_path_factory):
    """One seeded database per backend for the whole module: these tests only read."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('queries') / 'hmi.db'}"
    else:
        pg = request.getfixturevalue("pg_server")
        dbname = pg.create_database()
        url = pg.url(dbname)
    events = _seed_events()
    with open_store(url) as store:
        with Journal(store.engine, batch_size=250) as journal:
            tickets = [journal.record(e) for e in events]
        ids = [t.result(0) for t in tickets]  # close() committed them all
        yield store, list(zip(ids, events, strict=True))
    if request.param == "postgresql":
        pg.drop_database(dbname)


def _reference(seeded_rows, keep) -> list[int]:
    return [i for i, e in sorted(seeded_rows, key=lambda r: (r[1].ts, r[0])) if keep(e)]


FILTERS = {
    "everything": (EventFilter(), lambda e: True),
    "time range": (
        EventFilter(since=T0 + 10, until=T0 + 50),
        lambda e: T0 + 10 <= e.ts < T0 + 50,
    ),
    "kind": (EventFilter(kinds=["alarm"]), lambda e: e.kind == "alarm"),
    "type": (EventFilter(types=["write"]), lambda e: e.type == "write"),
    "sources": (
        EventFilter(sources=["Paint.Oven.Temp", "Weld.Robot1.Temp"]),
        lambda e: e.source in ("Paint.Oven.Temp", "Weld.Robot1.Temp"),
    ),
    "area": (EventFilter(areas=["Painting"]), lambda e: e.area == "Painting"),
    "priority": (EventFilter(priorities=[1, 2]), lambda e: e.priority in (1, 2)),
    "text, any case": (EventFilter(text="current high"), lambda e: "HIGH" in e.message),
    "text, literally": (EventFilter(text="50% slip"), lambda e: "50% slip" in e.message),
    "text, no wildcard": (EventFilter(text="5_%"), lambda e: False),
    "combined": (
        EventFilter(since=T0 + 30, kinds=["alarm"], areas=["Welding", "Assembly"], text="#"),
        lambda e: e.ts >= T0 + 30 and e.kind == "alarm" and e.area in ("Welding", "Assembly"),
    ),
}


@pytest.mark.parametrize("name", FILTERS)
def test_filters_and_count_match_a_plain_python_reference(seeded, name):
    store, rows = seeded
    flt, keep = FILTERS[name]
    expected = _reference(rows, keep)
    assert [e.id for e in fetch_events(store.engine, flt, limit=10_000)] == expected
    assert count_events(store.engine, flt) == len(expected)


@pytest.mark.parametrize("descending", [False, True], ids=["oldest first", "newest first"])
def test_keyset_paging_returns_every_row_exactly_once(seeded, descending):
    store, rows = seeded
    flt = EventFilter(since=T0 + 5, kinds=["alarm", "system"])
    expected = _reference(rows, lambda e: e.ts >= T0 + 5 and e.kind in ("alarm", "system"))
    if descending:
        expected.reverse()

    seen, cursor, pages = [], None, 0
    while pages < 1000:  # bounded: 400 rows / 37 per page needs 11
        page = fetch_events(store.engine, flt, after=cursor, limit=37, descending=descending)
        if not page:
            break
        assert len(page) <= 37
        seen += [e.id for e in page]
        cursor, pages = page_cursor(page), pages + 1
    assert seen == expected
    assert pages == -(-len(expected) // 37)


def test_a_page_is_plain_data_usable_after_the_database_is_closed(seeded):
    store, _rows = seeded
    with open_store(store.url) as own:
        page = fetch_events(own.engine, limit=5)
    assert [e.message for e in page][:1] == ["Belt 50% slip #0"]
    assert isinstance(page[0].ts, float)
