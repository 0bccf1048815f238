"""The recorder role: only the station holding the recorder lease writes plant-wide data.

Several stations may share one plant database (docs/store.md, "Several stations: one
recorder"). Each sees every update and runs its own alarms, screens and journal, but
history samples and OEE intervals/counts are plant-wide: one station records them,
the others are standbys that read them from the database. This module is the one
place that decides: it owns the `RecorderLease` and the two sink gates the
historian and the OEE tracker write through.

- Gaining the lease (at start, or taking over from a recorder that stopped or
  died): the previous holder's open OEE intervals are closed at their last
  checkpoint (`OeeStore.recover`: the time since is an honest gap), then, in the
  runtime thread, the gates open and the tracker and historian start afresh at
  "now" (new open intervals, counters re-baselined, a sample of every tag).
- The database going away does NOT change the role: the recorder keeps recording,
  its writers queue (bounded, with health alarms) and write everything once it is
  back; the lease reconnects and takes the lock again. The role string says
  "recorder (database unreachable: …)" meanwhile.
- Losing the lease (another station holds it when this one reconnects): the gates
  close at once; nothing more of this station is written, and the intervals it had
  open are left for the next recorder to close.

`dispatch` runs a function in the runtime thread (the tracker and historian are
confined to it); before the runtime loop runs it may just call the function.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from hmi.runtime.historian import Historian, SampleSink
from hmi.runtime.oee import OeeTracker, Record, Sink
from hmi.store.events import Event, EventKind, SystemEvent
from hmi.store.history_writer import Sample
from hmi.store.lease import RecorderLease
from hmi.store.oee_store import OeeStore

log = logging.getLogger(__name__)

Dispatch = Callable[[Callable[[], None]], None]
JournalHook = Callable[[Event], object]


class _OeeGate:
    """The tracker's sink: records pass to the writer only while this station records."""

    def __init__(self, role: Recorder, sink: Sink):
        self._role, self._sink = role, sink

    def __call__(self, rows: list[Record]) -> None:
        if self._role.recording:
            self._sink(rows)


class _SampleGate:
    """The historian's sink (`SampleSink`): the same gate in front of `HistoryWriter`."""

    def __init__(self, role: Recorder, sink: SampleSink):
        self._role, self._sink = role, sink

    def submit(self, samples: list[Sample], *, timeout: float | None = None) -> None:
        if self._role.recording:
            self._sink.submit(samples, timeout=timeout)


class Recorder:
    """Owns the recorder lease of one station and gates its plant-wide writers."""

    def __init__(
        self,
        engine: Engine,
        station: str,
        *,
        journal: JournalHook | None = None,
        retry_s: float = 5.0,
        clock: Callable[[], float] = time.time,
    ):
        self.station = station
        self._journal = journal
        self._clock = clock
        self._dispatch: Dispatch = lambda fn: fn()
        self._tracker: OeeTracker | None = None
        self._historian: Historian | None = None
        self._oee_store: OeeStore | None = None
        self._flush_oee: Callable[[float], object] | None = None
        self._started = False
        self._closing = False
        self.recording = False  # the gates' switch, read in the runtime thread
        self._holding = False  # the lease as last reported (lease thread)
        self._listeners: list[Callable[[str], None]] = []
        self.lease = RecorderLease(engine, station, retry_s=retry_s, on_change=self._on_change)

    # -- wiring (the composition root) ----------------------------------------------------

    def oee_sink(self, sink: Sink) -> Sink:
        """`sink` (the OEE writer's submit) behind this station's gate."""
        return _OeeGate(self, sink)

    def sample_sink(self, sink: SampleSink) -> SampleSink:
        """`sink` (the `HistoryWriter`) behind this station's gate."""
        return _SampleGate(self, sink)

    def start(
        self,
        tracker: OeeTracker,
        historian: Historian,
        oee_store: OeeStore,
        *,
        flush_oee: Callable[[float], object] | None = None,
        dispatch: Dispatch | None = None,
    ) -> None:
        """Take part in the election. The first attempt runs here, so after this call
        the station knows its role (on SQLite: recorder at once). `flush_oee(timeout)`
        waits for this station's own queued OEE writes before a takeover closes the
        intervals left open."""
        self._tracker, self._historian, self._oee_store = tracker, historian, oee_store
        self._flush_oee = flush_oee
        if dispatch is not None:
            self._dispatch = dispatch
        self.lease.start()
        self._started = True

    def close(self, timeout: float = 10.0) -> None:
        """Release the lease (after the writers flushed: a successor then finds every
        interval this station wrote, closed)."""
        self._closing = True
        self.recording = False
        self.lease.close(timeout)

    def add_listener(self, listener: Callable[[str], None]) -> None:
        """Call `listener(role)` (in the runtime thread) whenever the role has changed:
        the diagnostics screen refreshes on it (queue it to the GUI thread)."""
        self._listeners.append(listener)

    # -- the role -------------------------------------------------------------------------

    @property
    def role(self) -> str:
        """For the diagnostics screen: "recorder", "recorder (database unreachable: …)"
        (still recording: its writes wait for the database), or "standby (recorder:
        <station>)" (<station> is "unknown" while the database cannot be reached or
        between holders)."""
        if self.recording:
            trouble = self.lease.trouble
            return "recorder" if trouble is None else f"recorder ({trouble})"
        return f"standby (recorder: {self.lease.holder() or 'unknown'})"

    def _on_change(self, held: bool, why: str) -> None:
        """The lease moved (lease thread, or the caller of start() for the first try)."""
        if self._closing:
            return
        was, self._holding = self._holding, held
        if held and was:  # still the recorder; its lease session went or came back
            self._dispatch(self._notify)
            return
        if not held:
            self.recording = False  # at once: nothing more of this station is written
            self._dispatch(self._become_standby)
            if was:
                self._record(SystemEvent.RECORDER_STANDBY, f"recording stopped: {why}")
            return
        not_before = self._take_over()
        self._dispatch(lambda: self._become_recorder(not_before))
        if self._started:  # the role a station starts in is in its start event
            self._record(SystemEvent.RECORDER_ACTIVE, f"this station records plant data: {why}")

    def _take_over(self) -> dict[str, float]:
        """Close what the previous recorder left open (database I/O, in the lease's
        thread); the end of each line's last interval, which new ones must not precede."""
        store, tracker = self._oee_store, self._tracker
        if store is None or tracker is None:
            return {}
        if self._flush_oee is not None:
            try:  # our own rows from an earlier term first, or they would reopen intervals
                done = self._flush_oee(10.0)
            except Exception as exc:  # a timeout, or a write that failed for good
                done, why = False, str(exc)
            else:
                why = "the database is slow or away"
            if done is False:
                log.warning("taking over with unwritten OEE rows of an earlier term: %s", why)
        ends: dict[str, float] = {}
        try:
            closed = tracker.resume(store)
            if closed:
                log.info("recorder: closed %d interval(s) left open at their checkpoint", closed)
            for line in tracker.lines:
                last = store.last_interval(line)
                if last is not None:
                    ends[line] = last.end
        except SQLAlchemyError as exc:  # the lease's own check will notice a dead database
            log.warning("recorder: could not close the previous recorder's intervals: %s", exc)
        return ends

    def _become_recorder(self, not_before: dict[str, float]) -> None:
        """In the runtime thread: open the gates and start every recording afresh."""
        if self._closing or not self.lease.held:
            return
        self.recording = True
        now = self._clock()
        if self._tracker is not None:
            self._tracker.restart_recording(now, not_before)
        if self._historian is not None:
            self._historian.restart_recording()
        self._notify()

    def _become_standby(self) -> None:
        if self._tracker is not None and self._oee_store is not None:
            self._tracker.stop_recording(self._oee_store)
        self._notify()

    def _notify(self) -> None:
        role = self.role
        for listener in self._listeners:
            try:
                listener(role)
            except Exception:  # a display's bug must not undo the role change
                log.exception("recorder role listener failed")

    def _record(self, kind: SystemEvent, message: str) -> None:
        if self._journal is None:
            return
        try:
            self._journal(Event(EventKind.SYSTEM, kind, source=self.station, message=message))
        except Exception:  # the role must change even if the journal is full or closed
            log.exception("could not journal the recorder role change")
