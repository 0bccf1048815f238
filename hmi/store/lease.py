"""The recorder lease: which one of several stations sharing a database records plant data.

Plant-wide recordings (history samples, OEE intervals and counts) must be written by
exactly one station, or parts are counted twice and intervals overlap. The stations
elect that recorder with a PostgreSQL session-level advisory lock, held on a
dedicated connection of its own:

- a standby tries `pg_try_advisory_lock(RECORDER_LOCK_KEY)` every `retry_s`;
- the holder checks its connection (`SELECT 1`) every `retry_s`; when it fails the
  lease is lost and the station goes back to trying;
- the SERVER releases a session's advisory locks when the session ends, whatever
  ended it (a clean close, a crashed process, `pg_terminate_backend`, a dead
  network noticed by TCP keepalives on both ends). That is what makes a takeover
  safe: no station can believe it holds the lock after the server gave it away,
  except for the time it needs to notice (at most `retry_s` plus the keepalive
  time when the network is silently dead).

The lease connection's `application_name` names the station, so `holder()` can say
who records (pg_locks joined to pg_stat_activity). On SQLite the lease is granted at
once: one station per file.

Threads: the first attempt runs in the caller of `start()`, so a station knows its
role when it has started; later attempts run in a daemon thread. `on_change(held,
why)` is called in whichever thread made the attempt, when the role changes
(recorder / standby / no database): hand it to your own loop, do not block in it.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, text
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

_HOLDER_SQL = text(
    "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
    "WHERE l.locktype = 'advisory' AND l.granted AND l.database = "
    "(SELECT oid FROM pg_database WHERE datname = current_database()) "
    "AND l.classid = :hi AND l.objid = :lo AND l.objsubid = 1"
)


def application_name(station: str) -> str:
    """The lease connection's application_name for `station` (what `holder()` reads back)."""
    return (APP_PREFIX + station).encode()[:_NAME_MAX].decode(errors="ignore")


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
        holdoff_s: float | None = None,
    ):
        self.station = station
        self.retry_s = retry_s
        # After losing the lease, wait this long before competing again: a standby with
        # a healthy connection should take over, not the station whose connection failed.
        self.holdoff_s = 3 * retry_s if holdoff_s is None else holdoff_s
        self._wait = retry_s
        self._on_change = on_change
        self._pg = engine.dialect.name == "postgresql"
        self._engine = self._lease_engine(engine, connect_timeout_s) if self._pg else None
        self._conn: Connection | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()  # held/holder/why are read from other threads
        self._held = False
        self._holder: str | None = None
        self._why = "not started"
        self._state: str | None = None  # "held", "standby", "unreachable" or "closed"

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
        """True while this station is the recorder."""
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

    # -- life -----------------------------------------------------------------------------

    def start(self) -> None:
        """Make the first attempt now (in this thread), then keep trying in a thread."""
        if not self._pg:
            self._report("held", self.station, "SQLite: one station per database file")
            return
        self._attempt()
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
        while not self._stop.wait(self._wait):
            self._wait = self.retry_s
            self._attempt()

    def _attempt(self) -> None:
        """One step: connect if needed, then try for the lock or check we still hold it."""
        try:
            if self._conn is None:
                assert self._engine is not None
                self._conn = self._engine.connect()
            if self._held:
                self._conn.execute(text("SELECT 1"))
                return
            got = self._conn.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": RECORDER_LOCK_KEY}
            ).scalar()
            if got:
                self._report("held", self.station, "this station holds the recorder lease")
                return
            holder = self._query_holder()
            who = f"station {holder}" if holder else "another station"
            self._report("standby", holder, f"{who} holds the recorder lease")
        except SQLAlchemyError as exc:
            self._drop(unlock=False)
            detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            lost = ""
            if self._held:
                lost, self._wait = "lease lost: ", self.holdoff_s
            self._report("unreachable", None, f"{lost}cannot reach the database: {detail}")

    def _query_holder(self) -> str | None:
        assert self._conn is not None
        key = RECORDER_LOCK_KEY
        name = self._conn.execute(_HOLDER_SQL, {"hi": key >> 32, "lo": key & 0xFFFFFFFF}).scalar()
        if name is None:
            return None
        return name[len(APP_PREFIX) :] if name.startswith(APP_PREFIX) else name

    def _drop(self, *, unlock: bool) -> None:
        """Close the lease connection (the server then releases the lock in any case)."""
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            if unlock and self._held:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": RECORDER_LOCK_KEY})
        except SQLAlchemyError as exc:
            log.debug("releasing the recorder lease: %s", exc)
        finally:
            with contextlib.suppress(SQLAlchemyError):
                conn.close()

    def _report(self, state: str, holder: str | None, why: str) -> None:
        """Remember the outcome; tell `on_change` when the role (or the holder) changed."""
        held = state == "held"
        with self._lock:
            changed = (state, holder) != (self._state, self._holder) or self._state is None
            self._held, self._holder, self._why, self._state = held, holder, why, state
        if not changed:
            return
        (log.info if held else log.warning)("recorder lease: %s", why)
        if self._on_change is not None:
            try:
                self._on_change(held, why)
            except Exception:  # a listener's bug must not stop the lease
                log.exception("recorder lease listener failed")
