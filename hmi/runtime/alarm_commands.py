"""Operator actions on alarms, through the command API: checked, audited, journaled.

Each action runs as the current session's identity, is refused (and audited)
without the permission, and reports done only once the alarm transitions it
caused are committed to the journal.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable

from hmi.runtime.alarm_journal import AlarmJournal
from hmi.runtime.alarm_model import AlarmEvent
from hmi.runtime.alarm_states import AlarmActionError
from hmi.runtime.alarms import AlarmEngine
from hmi.runtime.commands import CommandAPI
from hmi.runtime.security import Identity, Permission


class AlarmCommands:
    """ack, silence, shelve, unshelve, out of service / back, for one plant's alarms."""

    def __init__(self, commands: CommandAPI, engine: AlarmEngine, journal: AlarmJournal):
        self._commands = commands
        self._engine = engine
        self._journal = journal

    async def _do(
        self,
        action: str,
        permission: Permission,
        alarm_ids: list[str],
        act: Callable[[str], list[AlarmEvent]],
        *,
        comment: str | None = None,
        actor: Identity | None = None,
    ) -> list[AlarmEvent]:
        who = await self._commands.identity(actor)
        records = [self._engine.record(a) for a in alarm_ids]
        areas = {r.area for r in records if r is not None}
        target = alarm_ids[0] if len(alarm_ids) == 1 else f"{len(alarm_ids)} alarms"

        async def execute() -> list[AlarmEvent]:
            with self._journal.collecting() as tickets:
                done = act(who.user)
            await asyncio.gather(*(asyncio.wrap_future(t) for t in tickets))  # on disk first
            return done

        return await self._commands.run(
            action, permission, execute, target=target,
            area=areas.pop() if len(areas) == 1 else None, comment=comment, actor=who,
        )  # fmt: skip

    async def ack(
        self, alarm_ids: Iterable[str], comment: str | None = None, actor: Identity | None = None
    ) -> list[AlarmEvent]:
        """Acknowledge each alarm that awaits it; the others are left as they are."""
        ids = list(alarm_ids)
        return await self._do(
            "alarm.ack", Permission.ACK, ids,
            lambda user: self._engine.ack_many(ids, user, comment), comment=comment, actor=actor,
        )  # fmt: skip

    async def silence(self, actor: Identity | None = None) -> list[AlarmEvent]:
        """Silence the horn for what sounds now (a later activation sounds again)."""
        return await self._do(
            "alarm.silence", Permission.SILENCE, [],
            lambda user: [self._engine.silence(user)], actor=actor,
        )  # fmt: skip

    async def shelve(
        self, alarm_id: str, duration_s: float, reason: str, actor: Identity | None = None
    ) -> AlarmEvent:
        """Hide an alarm for a while, with a reason; it comes back by itself."""
        if duration_s <= 0:
            raise AlarmActionError("shelving needs a duration")
        (ev,) = await self._do(
            "alarm.shelve", Permission.SHELVE, [alarm_id],
            lambda user: [self._engine.shelve(alarm_id, user, reason, duration_s)],
            comment=reason, actor=actor,
        )  # fmt: skip
        return ev

    async def unshelve(self, alarm_id: str, actor: Identity | None = None) -> AlarmEvent:
        (ev,) = await self._do(
            "alarm.unshelve", Permission.SHELVE, [alarm_id],
            lambda user: [self._engine.unshelve(alarm_id, user)], actor=actor,
        )  # fmt: skip
        return ev

    async def remove_from_service(
        self, alarm_id: str, reason: str, actor: Identity | None = None
    ) -> AlarmEvent:
        (ev,) = await self._do(
            "alarm.out_of_service", Permission.OUT_OF_SERVICE, [alarm_id],
            lambda user: [self._engine.remove_from_service(alarm_id, user, reason)],
            comment=reason, actor=actor,
        )  # fmt: skip
        return ev

    async def return_to_service(self, alarm_id: str, actor: Identity | None = None) -> AlarmEvent:
        (ev,) = await self._do(
            "alarm.in_service", Permission.OUT_OF_SERVICE, [alarm_id],
            lambda user: [self._engine.return_to_service(alarm_id, user)], actor=actor,
        )  # fmt: skip
        return ev
