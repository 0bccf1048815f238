"""One alarm picture per plant: operator actions taken at one station reach the others.

Stations sharing one PostgreSQL database each run their own alarm engine on the
same plant values and journal their own transitions. An operator who acknowledges
(shelves, unshelves, takes out of / returns to service, resets) an alarm at one
station expects it done at every station, so each station reads the alarm actions
the OTHER stations journaled and applies them to its own engine as the same action
by the same user (`AlarmEngine.apply_remote`). The result is journaled here too,
marked `via_station` (so this station's journal alone restores it), and is never
relayed again: the sync reads only actions taken at their origin. Silencing the
horn is not shared (each station has its own horn), nor are process transitions
(each station judges the values itself). Permission was checked and audited at
the origin.

Reading by row id alone would miss a row: PostgreSQL hands out ids when a
transaction inserts, not when it commits, so a batch with smaller ids can become
visible after one with larger ids. The sync therefore re-reads a short settling
window (ids above the highest id seen `settle_s` ago) and skips rows it already
took. On SQLite (one station per file) there is nobody to hear from: it does nothing.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, Select, func, select
from sqlalchemy.exc import SQLAlchemyError

from hmi.runtime.alarm_journal import VIA_STATION, AlarmJournal, alarm_event
from hmi.runtime.alarm_states import EventKind as AlarmKind
from hmi.runtime.alarms import AlarmEngine
from hmi.store.events import EventKind
from hmi.store.models import events

log = logging.getLogger(__name__)

SHARED_ACTIONS = (
    AlarmKind.ACKNOWLEDGED,
    AlarmKind.RESET,
    AlarmKind.SHELVED,
    AlarmKind.UNSHELVED,
    AlarmKind.OUT_OF_SERVICE,
    AlarmKind.IN_SERVICE,
)
"""The journaled alarm transitions that are an operator's action shared with every station."""
PAGE = 1000


class AlarmSync:
    """Applies other stations' alarm actions to this station's engine, about once a second.

    `catch_up()` (before the runtime starts) takes the actions done elsewhere while this
    station was down; `run()` (a task in the runtime loop) follows the live ones. The
    engine is touched only in the runtime thread; the database only in a worker thread.
    """

    def __init__(
        self,
        db: Engine,
        station: str,
        alarms: AlarmEngine,
        journal: AlarmJournal,
        *,
        interval_s: float = 1.0,
        settle_s: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._db = db
        self.station = station
        self._alarms = alarms
        self._journal = journal
        self.interval_s = interval_s
        self._settle_s = settle_s
        self._clock = clock
        self.shared = db.dialect.name != "sqlite"
        self._low: int | None = None  # every row up to this id has been seen (None: not read)
        self._marks: deque[tuple[float, int]] = deque()  # (when, newest id then) per read
        self._seen: set[int] = set()  # ids above _low already taken
        self.applied = 0  # actions taken over, for diagnostics and tests
        self.reads = 0  # reads of the journal done
        self._failing = False

    def _actions(self) -> Select[Any]:
        """Other stations' alarm actions taken at their origin (not relayed there)."""
        c = events.c
        return (
            select(c.id, c.station, c.details)
            .where(
                c.kind == EventKind.ALARM.value,
                c.type.in_([k.value for k in SHARED_ACTIONS]),
                c.user_name.is_not(None),
                c.station != self.station,
                c.details[VIA_STATION].as_string().is_(None),
            )
            .order_by(c.id)
        )

    def catch_up(self) -> int:
        """Apply what other stations' operators did while this station was down; call after
        `AlarmEngine.restore`, before the runtime starts (it blocks on the database).

        Restore puts back this station's own last state per alarm; an action taken elsewhere
        after this station's newest alarm event is one it has not seen (while it ran, it
        journaled every action it took over). A station that never journaled an alarm is
        new: it starts from its own judgement. Returns how many actions were taken over.
        """
        if not self.shared:
            return 0
        c = events.c
        try:
            with self._db.connect() as conn:
                low = conn.execute(select(func.max(c.id))).scalar() or 0
                own = conn.execute(
                    select(func.max(c.id)).where(
                        c.station == self.station, c.kind == EventKind.ALARM.value
                    )
                ).scalar()
                rows = [] if own is None else conn.execute(self._actions().where(c.id > own)).all()
        except SQLAlchemyError as exc:
            log.warning("cannot read other stations' alarm actions: %s", exc)
            return 0
        self._low = low
        self._marks.append((self._clock(), low))
        self._seen.update(r.id for r in rows if r.id > low)
        return self.apply(rows)

    async def run(self) -> None:
        """Follow other stations' actions until cancelled (returns at once on SQLite)."""
        if not self.shared:
            return
        while True:
            await asyncio.sleep(self.interval_s)
            try:
                rows = await asyncio.to_thread(self.read)
            except SQLAlchemyError as exc:  # the journal's health alarm tells the operator
                if not self._failing:
                    log.warning("cannot read other stations' alarm actions: %s", exc)
                self._failing = True
                continue
            self._failing = False
            try:
                self.apply(rows)
            except Exception:  # one bad row must not stop the picture being shared
                log.exception("applying other stations' alarm actions failed")

    def read(self) -> list[Any]:
        """The actions not taken yet (blocking; one caller at a time, off the loop)."""
        c = events.c
        with self._db.connect() as conn:
            newest = conn.execute(select(func.max(c.id))).scalar() or 0
            if self._low is None:  # no catch-up: start from now, history is not replayed
                self._low = newest
                return []
            seen_upto = self._low
            rows = conn.execute(self._actions().where(c.id > seen_upto).limit(PAGE)).all()
        now = self._clock()
        self.reads += 1
        self._marks.append((now, newest))
        # Whatever commits from now on got its id after the oldest settled read: above its id.
        while self._marks and self._marks[0][0] <= now - self._settle_s:
            low = self._marks.popleft()[1]
            if len(rows) == PAGE:  # a full page: not everything up to `low` was read
                low = min(low, rows[-1].id)
            seen_upto = max(seen_upto, low)
        self._low = seen_upto
        self._seen = {i for i in self._seen if i > seen_upto}
        fresh = [r for r in rows if r.id not in self._seen]
        self._seen.update(r.id for r in fresh)
        return fresh

    def apply(self, rows: list[Any]) -> int:
        """Take each action over, in journal order (the runtime thread, or before it runs)."""
        n = 0
        for row in rows:
            try:
                ev = alarm_event(row.details)
            except (KeyError, TypeError, ValueError) as exc:  # an older or foreign row
                log.debug("alarm action %d not understood: %s", row.id, exc)
                continue
            with self._journal.relayed(row.station):
                done = self._alarms.apply_remote(ev)
            if done is not None:
                n += 1
                log.info("%s %s by %s at %s", ev.alarm_id, ev.kind.value, ev.user, row.station)
        self.applied += n
        return n
