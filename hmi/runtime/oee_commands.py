"""Operator reason codes through the command API, and what the OEE screens may reach.

`OeeCommands.assign` is the one way a downtime reason gets stored from a station:
permission-checked as the current session (`Permission.REASON_CODE`, scoped to the
line as its area), audited allowed or denied, and only then `OeeStore.assign_reasons`,
whose `on_journal` hook puts the operator event with the user in the journal.

`OeeAccess` bundles, for the OEE screens, the store (read in a worker thread, never
the GUI thread), the tracker's live view of each line, the plant config, and a
non-blocking `assign` that runs the command in the runtime loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hmi.config_oee import CountKind
from hmi.runtime.commands import CommandAPI
from hmi.runtime.oee_calc import Interval
from hmi.runtime.security import Identity, Permission
from hmi.store.oee_store import OeeStore, ReasonRow

if TYPE_CHECKING:
    from hmi.config import PlantConfig
    from hmi.runtime.oee import OeeTracker

Parts = Sequence[tuple[int, float | None]]
Submit = Callable[[Coroutine[Any, Any, Any]], concurrent.futures.Future]


class OeeCommands:
    """Reason codes for downtime events, as a guarded, audited command."""

    def __init__(self, commands: CommandAPI, store: OeeStore):
        self._commands = commands
        self._store = store

    async def assign(
        self, line: str, event_start: float, parts: Parts, actor: Identity | None = None
    ) -> list[ReasonRow]:
        """Give the stop of `line` that began at `event_start` its reason(s).

        Raises `PermissionDeniedError` (audited) when the user may not, and
        `ReasonError` (audited as failed) when the parts do not fit the event.
        """
        who = await self._commands.identity(actor)
        value = ", ".join(f"{code}" if s is None else f"{code} ({s:.0f} s)" for code, s in parts)

        def execute() -> Coroutine[Any, Any, list[ReasonRow]]:
            return asyncio.to_thread(
                self._store.assign_reasons, line, event_start, list(parts), who.user
            )

        return await self._commands.run(
            "oee.reason_code", Permission.REASON_CODE, execute,
            target=f"{line} stop at {event_start:.0f}", area=line, new_value=value, actor=who,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class LiveCounts:
    """What the tracker holds for a line but has not written yet, and the counters'
    last raw readings: the card adds these to the stored figures to count live."""

    good: int = 0
    reject: int = 0
    raw: dict[str, int] = field(default_factory=dict)
    modulus: dict[str, int | None] = field(default_factory=dict)


class OeeAccess:
    """The OEE screens' window on the plant (see the module docstring)."""

    def __init__(
        self,
        config: PlantConfig,
        store: OeeStore,
        tracker: OeeTracker | None = None,
        commands: OeeCommands | None = None,
        submit: Submit | None = None,
    ):
        self.config = config
        self.store = store
        self._tracker = tracker
        self._commands = commands
        self._submit = submit

    @property
    def lines(self) -> list[str]:
        """The OEE lines, in config order."""
        return [lc.name for lc in self.config.lines if lc.oee is not None]

    def live_interval(self, line: str) -> Interval | None:
        """The line's open interval up to now (None without a tracker or a state yet)."""
        return self._tracker.live_interval(line) if self._tracker is not None else None

    def live_counts(self, line: str) -> LiveCounts:
        """Counts the tracker holds until its next boundary, plus its raw counter readings.

        Read from another thread: `dict(...)` copies are atomic under the GIL, and a part
        counted between the store read and this copy is off for one refresh only.
        """
        lt = self._tracker.lines.get(line) if self._tracker is not None else None
        if lt is None:
            return LiveCounts()
        held: dict[str, int] = {}
        for (kind, _product), (_ts, n) in dict(lt.pending).items():
            held[kind] = held.get(kind, 0) + n
        kinds = lt.model.count_kinds
        total = held.get(CountKind.TOTAL.value, 0)
        if CountKind.TOTAL in kinds:
            reject = (
                held.get(CountKind.REJECT.value, 0)
                if CountKind.REJECT in kinds
                else total - held.get(CountKind.GOOD.value, 0)
            )
            good = total - reject
        else:
            good = held.get(CountKind.GOOD.value, 0)
            reject = held.get(CountKind.REJECT.value, 0)
        return LiveCounts(good, reject, dict(lt.raw), dict(lt.modulus))

    def assign(
        self, line: str, event_start: float, parts: Parts
    ) -> concurrent.futures.Future[list[ReasonRow]]:
        """Run `OeeCommands.assign` in the runtime loop; never wait on the future in the
        GUI thread (add a done-callback)."""
        if self._commands is None or self._submit is None:
            fut: concurrent.futures.Future[list[ReasonRow]] = concurrent.futures.Future()
            fut.set_exception(RuntimeError("this station cannot assign reasons"))
            return fut
        return self._submit(self._commands.assign(line, event_start, parts))
