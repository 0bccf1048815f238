"""The recorder lease: which one of several stations sharing a database records plant data.

Plant-wide recordings (history samples, OEE intervals and counts) must be written by
exactly one station, or parts are counted twice and intervals overlap. The stations
elect that recorder with a PostgreSQL session-level advisory lock, held on a
dedicated connection of its own. Every `retry_s`:

- the holder checks its connection (`SELECT 1`). When that fails it STAYS the
  recorder (its writers queue until the database is back: nothing is lost) and
  reconnects at once, then every `retry_s`; on reconnecting it takes the lock again
  in the same attempt. Only if another station holds it by then does it become a
  standby. If its own previous session still holds the lock (the client saw the
  connection fail, the server did not yet), it ends that session and takes the lock.
- a standby looks whether the lock is vacant (no session holds it) and takes it
  only when it was vacant on two consecutive attempts. So a live holder whose
  session blipped wins it back first, and a dead holder's lock is taken about
  2 × `retry_s` after the server released it. The first attempt at `start()` takes a
  vacant lock at once: a station starting alone records immediately.
- the SERVER releases a session's advisory locks when the session ends, whatever
  ended it (a clean close, a crashed process, `pg_terminate_backend`, a dead
  network noticed by TCP keepalives on both ends), so two sessions never hold it.

The remaining limit is a network partition: if only the holder lost the database
while the others still reach it, a standby takes over while the old holder, still
recording, queues rows; those are written when it reconnects (and becomes a
standby), and may overlap the new recorder's. An outage of the database itself
loses nothing and elects nobody new.

The lease connection's `application_name` names the station, so `holder()` can say
who records (pg_locks joined to pg_stat_activity). On SQLite the lease is granted at
once: one station per file.

Threads: the first attempt runs in the caller of `start()`, so a station knows its
role when it has started; later attempts run in a daemon thread. `on_change(held,
why)` is called in whichever thread made the attempt, when the role or its
circumstances change (recorder / recorder without a database / standby / no
database): hand it to your own loop, do not block in it.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, Row, create_engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

log = logging.getLogger(__name__)

OnChange = Callable[[bool, str], None]

# Any constant works: it only has to be the same for every station of one plant database
# and differ from the migration lock (hmi.store.database). "PRO4RECO".
RECORDER_LOCK_KEY = 0x50524F345245434F
APP_PREFIX = "pro4-hmi recorder: "
_NAME_MAX = 63  # PostgreSQL truncates application_name to NAMEDATALEN - 1 bytes

# Client side: notice a dead server in ~25 s. Server side (per session, `options`):
# the server notices a dead holder in ~25 s too, and then releases its lock.
KEEPALIVE = {"idle": 10, "interval": 5, "count": 3}
CONNECT_TIMEOUT_S = 5
_END_STALE_MS = 2000  # how long to wait for our own stale session to end

_HOLDER_SQL = text(
    "SELECT a.application_name, l.pid, a.backend_start "
    "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
    "WHERE l.locktype = 'advisory' AND l.granted AND l.database = "
    "(SELECT oid FROM pg_database WHERE datname = current_database()) "
    "AND l.classid = :hi AND l.objid = :lo AND l.objsubid = 1"
)
_TRY_SQL = text(
    "SELECT pg_try_advisory_lock(:key), pg_backend_pid(), "
    "(SELECT backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid())"
)


def application_name(station: str) -> str:
    """The lease connection's application_name for `station` (what `holder()` reads back)."""
    return (APP_PREFIX + station).encode()[:_NAME_MAX].decode(errors="ignore")


def _detail(exc: SQLAlchemyError) -> str:
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]


class RecorderLease:
    """Who records: held by at most one station per PostgreSQL database (see module doc)."""

    def __init__(
        self,
        engine: Engine,
        station: str,
        *,
        retry_s: float = 5.0,
        on_change: OnChange | None = None,
        connect_timeout_s: int = CONNECT_TIMEOUT_S,
    ):
        self.station = station
        self.retry_s = retry_s
        self._on_change = on_change
        self._pg = engine.dialect.name == "postgresql"
        self._engine = self._lease_engine(engine, connect_timeout_s) if self._pg else None
        self._conn: Connection | None = None
        self._locked = False  # the lock is held on self._conn (lease thread only)
        self._session: tuple[int, Any] | None = None  # (pid, backend_start) that took it
        self._vacant_seen = False  # a standby saw the lock vacant on its last attempt
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()  # held/holder/why are read from other threads
        self._held = False
        self._holder: str | None = None
        self._why = "not started"
        self._trouble: str | None = None
        self._state: str | None = None  # "held", "held_unreachable", "standby", …

    def _lease_engine(self, engine: Engine, timeout: int) -> Engine:
        """One unpooled connection's worth of engine, with keepalives and our name."""
        k = KEEPALIVE
        connect_args: dict[str, Any] = {
            "application_name": application_name(self.station),
            "connect_timeout": timeout,
            "keepalives": 1,
            "keepalives_idle": k["idle"],
            "keepalives_interval": k["interval"],
            "keepalives_count": k["count"],
            "tcp_user_timeout": (k["idle"] + k["interval"] * k["count"]) * 1000,
            "options": f"-c tcp_keepalives_idle={k['idle']} "
            f"-c tcp_keepalives_interval={k['interval']} -c tcp_keepalives_count={k['count']}",
        }
        return create_engine(
            engine.url, poolclass=NullPool, isolation_level="AUTOCOMMIT", connect_args=connect_args
        )

    # -- what the station asks ------------------------------------------------------------

    @property
    def held(self) -> bool:
        """True while this station is the recorder (also while its database is away)."""
        return self._held

    def holder(self) -> str | None:
        """The station that records, as last seen (no I/O: refreshed every `retry_s`);
        None when unknown (no database, or nobody holds it right now)."""
        with self._lock:
            return self._holder

    @property
    def why(self) -> str:
        """The last reason given with `on_change`."""
        with self._lock:
            return self._why

    @property
    def trouble(self) -> str | None:
        """While this station records without a live lease session: why (e.g.
        "database unreachable: …"); None otherwise."""
        with self._lock:
            return self._trouble

    # -- life -----------------------------------------------------------------------------

    def start(self) -> None:
        """Make the first attempt now (in this thread), then keep trying in a thread."""
        if not self._pg:
            self._report("held", self.station, "SQLite: one station per database file")
            return
        self._attempt(first=True)
        self._thread = threading.Thread(target=self._run, name="hmi-recorder-lease", daemon=True)
        self._thread.start()

    def close(self, timeout: float = 10.0) -> None:
        """Stop trying and release the lease (closing the session releases it too)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._drop(unlock=True)
        if self._engine is not None:
            self._engine.dispose()
        if self._held:
            self._report("closed", None, "the recorder lease was released (station closing)")

    def _run(self) -> None:
        while not self._stop.wait(self.retry_s):
            self._attempt()

    def _attempt(self, *, first: bool = False) -> None:
        """One step: check the held lock, or (re)connect and try for it."""
        try:
            if self._locked and self._conn is not None:
                try:
                    self._conn.execute(text("SELECT 1"))
                    return
                except SQLAlchemyError as exc:  # still the recorder: reconnect right now
                    self._drop(unlock=False)
                    log.warning("recorder lease: session lost (%s), reconnecting", _detail(exc))
            if self._conn is None:
                assert self._engine is not None
                self._conn = self._engine.connect()
            if self._held:
                self._reclaim()
            else:
                self._compete(first)
        except SQLAlchemyError as exc:
            self._drop(unlock=False)
            self._vacant_seen = False
            detail = _detail(exc)
            if self._held:  # the recorder stays the recorder: its writers queue meanwhile
                self._report(
                    "held_unreachable",
                    self.station,
                    f"cannot reach the database: {detail}; still the recorder, "
                    "its writes wait until the database is back",
                    trouble=f"database unreachable: {detail}",
                )
            else:
                self._report("unreachable", None, f"cannot reach the database: {detail}")

    def _try_lock(self) -> bool:
        assert self._conn is not None
        got, pid, started = self._conn.execute(_TRY_SQL, {"key": RECORDER_LOCK_KEY}).one()
        if got:
            self._locked, self._session, self._vacant_seen = True, (pid, started), False
        return bool(got)

    def _reclaim(self) -> None:
        """The recorder is connected again: take the lock back in this same attempt."""
        if not self._try_lock():
            row = self._holder_row()
            if row is not None and self._session == (row[1], row[2]):
                # our previous session still holds it (the server has not noticed it died)
                assert self._conn is not None
                self._conn.execute(
                    text("SELECT pg_terminate_backend(:pid, :ms)"),
                    {"pid": row[1], "ms": _END_STALE_MS},
                )
                self._try_lock()
        if self._locked:  # said even when the role never changed: the session did
            why = "this station holds the recorder lease again"
            self._report("held", self.station, why, force=True)
            return
        row = self._holder_row()
        if row is None or self._session == (row[1], row[2]):  # not another station's: retry
            self._report(
                "held_stale",
                self.station,
                "reconnected, but the lock is not free of this station's previous session yet",
                trouble="reconnecting to the database",
            )
            return
        self._standby(row)

    def _compete(self, first: bool) -> None:
        """A standby: take the lock once it has been vacant on two attempts in a row
        (on the first attempt at start, at once)."""
        row = self._holder_row()
        if row is None:
            if (first or self._vacant_seen) and self._try_lock():
                self._report("held", self.station, "this station holds the recorder lease")
                return
            if not first and not self._vacant_seen:
                self._vacant_seen = True
                self._report(
                    "standby",
                    None,
                    "nobody holds the recorder lease: this station takes it if it is "
                    "still free at the next attempt",
                )
                return
            row = self._holder_row()  # another station was quicker
        self._vacant_seen = False
        self._standby(row)

    def _standby(self, row: Row[Any] | None) -> None:
        holder = self._station_of(row[0]) if row is not None and row[0] else None
        who = f"station {holder}" if holder else "another station"
        self._report("standby", holder, f"{who} holds the recorder lease")

    def _holder_row(self) -> Row[Any] | None:
        """(application_name, pid, backend_start) of the session holding the lock; None:
        vacant (pg_try_advisory_lock would succeed)."""
        assert self._conn is not None
        key = RECORDER_LOCK_KEY
        return self._conn.execute(_HOLDER_SQL, {"hi": key >> 32, "lo": key & 0xFFFFFFFF}).first()

    @staticmethod
    def _station_of(name: str) -> str:
        return name[len(APP_PREFIX) :] if name.startswith(APP_PREFIX) else name

    def _drop(self, *, unlock: bool) -> None:
        """Close the lease connection (the server then releases the lock in any case)."""
        conn, self._conn = self._conn, None
        locked, self._locked = self._locked, False
        if conn is None:
            return
        try:
            if unlock and locked:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": RECORDER_LOCK_KEY})
        except SQLAlchemyError as exc:
            log.debug("releasing the recorder lease: %s", exc)
        finally:
            with contextlib.suppress(SQLAlchemyError):
                conn.close()

    def _report(
        self,
        state: str,
        holder: str | None,
        why: str,
        trouble: str | None = None,
        *,
        force: bool = False,
    ) -> None:
        """Remember the outcome; tell `on_change` when the role (or the holder) changed."""
        held = state.startswith("held")
        with self._lock:
            changed = force or (state, holder) != (self._state, self._holder) or not self._state
            self._held, self._holder, self._why, self._state = held, holder, why, state
            self._trouble = trouble
        if not changed:
            return
        trouble_now = state == "unreachable" or trouble is not None
        (log.warning if trouble_now else log.info)("recorder lease: %s", why)
        if self._on_change is not None:
            try:
                self._on_change(held, why)
            except Exception:  # a listener's bug must not stop the lease
                log.exception("recorder lease listener failed")
