"""The one command API every operator action goes through.

Widgets never talk to drivers: a write, an acknowledge or a reason code comes
here, and this is the one place that (1) finds out who acts (the station's
current session unless an identity is given), (2) checks the permission, and
for a critical write a second person's signature, (3) executes, and (4) puts
the attempt and its result on the audit trail, durably, before returning. A
denied command changes nothing, is audited too, and comes back with an error
that says why. The GUI may grey out what the user cannot do; this check is the
one that counts.

Commands are coroutines: run them in the runtime loop. Authentication and audit
writes are blocking database work, so they run in a worker thread.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from hmi.drivers.base import ConnectionState, WriteResult
from hmi.runtime.security import (
    AuthenticationError,
    Credential,
    Identity,
    Permission,
    PermissionDeniedError,
    Role,
    Security,
    SecurityError,
    area_of,
)
from hmi.store.audit import AuditEntry
from hmi.store.users import UserRecord

if TYPE_CHECKING:
    from hmi.runtime.engine import Runtime

log = logging.getLogger(__name__)

NEEDS_APPROVER = "a second person must sign"
"""In the refusal of a critical write without a second signature: a GUI asks for one."""
T = TypeVar("T")


class CommandAPI:
    """Operator commands against one runtime, permission-checked and audited."""

    def __init__(self, runtime: Runtime, security: Security | None = None):
        self._rt = runtime
        # Without a store (a bare Runtime in tests): the plant's policy, nobody can log
        # in, audit only logged. `PlantServices` installs the store-backed one.
        self.security = security or Security(runtime.config.security)

    def use_security(self, security: Security) -> None:
        """Install the station's security (users and audit trail in the store)."""
        self.security = security

    # -- who ------------------------------------------------------------------------------

    async def _actor(self, actor: Identity | None) -> Identity:
        if actor is not None:
            return actor
        sessions = self.security.sessions
        if sessions.idle_for() >= self.security.config.idle_logout_s:
            await asyncio.to_thread(sessions.expire_idle)  # it audits: not in the loop
        who = sessions.current
        if who.authenticated:
            sessions.touch()  # a command is activity
        return who

    async def identity(self, actor: Identity | None = None) -> Identity:
        """Who a command runs as: `actor`, else the station's current session."""
        return await self._actor(actor)

    async def login(self, user: str, password: str) -> Identity:
        """Log in (or switch to) `user`; raises `AuthenticationError` with a message to show."""
        return await asyncio.to_thread(self.security.sessions.login, user, password)

    async def logout(self) -> None:
        await asyncio.to_thread(self.security.sessions.logout)

    # -- audit ----------------------------------------------------------------------------

    async def _audit(self, who: Identity, action: str, result: str, **kw: Any) -> None:
        entry = AuditEntry(who.user, who.role.value, action, result, ts=self.security.clock(), **kw)
        await asyncio.to_thread(self.security.audit.append, entry)

    async def _deny(self, who: Identity, action: str, why: str, **kw: Any) -> None:
        log.warning("%s by %s denied: %s", action, who, why)
        await self._audit(who, action, "denied", detail=why, **kw)

    # -- generic guarded command ----------------------------------------------------------

    async def run(
        self,
        action: str,
        permission: Permission,
        execute: Callable[[], T | Awaitable[T]],
        *,
        target: str | None = None,
        area: str | None = None,
        tag: str | None = None,
        old_value: Any = None,
        new_value: Any = None,
        comment: str | None = None,
        actor: Identity | None = None,
    ) -> T:
        """Check, execute and audit one command (ack, shelve, reason code, reload, …).

        `execute` is called in the runtime loop (a coroutine function is awaited).
        Raises `PermissionDeniedError` (after auditing the denial) when not allowed;
        an exception from `execute` is audited as failed and re-raised.
        """
        who = await self._actor(actor)
        kw = dict(target=target or tag, area=area or (area_of(tag) if tag else None),
                  old_value=old_value, new_value=new_value, comment=comment)  # fmt: skip
        why = self.security.policy.denial(who, permission, tag=tag, area=kw["area"])
        if why:
            await self._deny(who, action, why, **kw)
            raise PermissionDeniedError(why)
        try:
            result = execute()
            if inspect.isawaitable(result):
                result = await result
        except Exception as exc:
            await self._audit(who, action, "failed", detail=f"{type(exc).__name__}: {exc}", **kw)
            raise
        await self._audit(who, action, "ok", **kw)
        return result  # type: ignore[return-value]

    # -- writes ---------------------------------------------------------------------------

    async def write(
        self,
        tag: str,
        value: Any,
        *,
        actor: Identity | None = None,
        comment: str | None = None,
        approver: Credential | None = None,
    ) -> WriteResult:
        """Write an engineering value to a tag; the result says whether the device took it.

        `actor` defaults to whoever is logged in at this station. A tag configured as
        critical also needs `approver`: another person's credential, checked now.
        The result is returned only after the audit record is committed.
        """
        who = await self._actor(actor)
        rt = self._rt
        cfg = rt.config.tag_index.get(tag)
        old = rt.table.get(tag).value if cfg is not None else None
        audit = dict(target=tag, area=area_of(tag), old_value=old, new_value=value,
                     comment=comment)  # fmt: skip
        policy = self.security.policy
        if cfg is None:
            return await self._refuse(who, tag, f"no tag named '{tag}'", audit)
        why = policy.denial(who, policy.write_permission(tag), tag=tag)
        if why:
            await self._deny(who, "write", why, **audit)
            return WriteResult(tag, False, error=f"permission denied: {why}")
        if policy.is_critical(tag):
            signed = await self._second_signature(who, tag, approver, audit)
            if isinstance(signed, WriteResult):
                return signed
            audit["approver"] = signed.name
        if not cfg.writable:
            return await self._refuse(who, tag, f"tag '{tag}' is read-only", audit)
        if getattr(rt.config.connection(cfg.connection), "read_only", False):  # e.g. Modbus
            why = f"connection '{cfg.connection}' is read-only: no write leaves the station"
            await self._deny(who, "write", why, **audit)
            return WriteResult(tag, False, error=why)
        driver = rt.drivers[cfg.connection]
        if driver.stats.state is not ConnectionState.CONNECTED:
            why = f"connection '{cfg.connection}' is not connected"
            return await self._refuse(who, tag, why, audit)
        result = await driver.write(tag, value)
        log.info("write %s = %r by %s: %s", tag, value, who, "ok" if result.ok else result.error)
        outcome = "ok" if result.ok else "failed"
        try:
            await self._audit(who, "write", outcome, detail=result.error or None, **audit)
        except Exception as exc:  # the device took it, but the record is missing: say so loudly
            log.exception("write %s done but NOT audited", tag)
            return WriteResult(tag, result.ok, result.value, f"done, but not audited: {exc}")
        return result

    async def _refuse(self, who: Identity, tag: str, why: str, audit: dict) -> WriteResult:
        await self._audit(who, "write", "failed", detail=why, **audit)
        return WriteResult(tag, False, error=why)

    async def _second_signature(
        self, who: Identity, tag: str, approver: Credential | None, audit: dict
    ) -> UserRecord | WriteResult:
        if approver is None:
            why = f"'{tag}' is a critical tag: {NEEDS_APPROVER} (approver)"
            await self._deny(who, "write", why, **audit)
            return WriteResult(tag, False, error=f"permission denied: {why}")
        try:
            return await asyncio.to_thread(self.security.verify_approver, who, approver)
        except SecurityError as exc:
            detail = exc.detail if isinstance(exc, AuthenticationError) else str(exc)
            why = f"approval by '{approver.user}' refused: {exc}"
            await self._deny(who, "write", f"{why} ({detail})", approver=approver.user, **audit)
            return WriteResult(tag, False, error=f"permission denied: {why}")

    # -- user administration --------------------------------------------------------------

    async def add_user(
        self, name: str, role: Role, password: str, *, actor: Identity | None = None
    ) -> UserRecord:
        """Create a user (admin only)."""
        who = await self._actor(actor)
        admin = self.security.admin
        return await self._user_change(
            who, "user_add", name, lambda: admin.add(who, name, role, password)
        )

    async def set_password(
        self, name: str, password: str, *, actor: Identity | None = None
    ) -> None:
        """Set another user's password (admin only); it also clears a lockout."""
        who = await self._actor(actor)
        admin = self.security.admin
        await self._user_change(who, "user_passwd", name, lambda: admin.passwd(who, name, password))

    async def disable_user(
        self, name: str, disabled: bool = True, *, actor: Identity | None = None
    ) -> None:
        """Disable (or re-enable) a user (admin only)."""
        who = await self._actor(actor)
        admin = self.security.admin
        action = "user_disable" if disabled else "user_enable"
        await self._user_change(who, action, name, lambda: admin.set_disabled(who, name, disabled))

    async def _user_change(self, who: Identity, action: str, name: str, do: Callable[[], T]) -> T:
        why = self.security.policy.denial(who, Permission.USERS_MANAGE)
        if why:
            await self._deny(who, action, why, target=name)
            raise PermissionDeniedError(why)
        try:
            return await asyncio.to_thread(do)  # UserAdmin audits a change it made
        except Exception as exc:
            await self._audit(who, action, "failed", target=name, detail=str(exc))
            raise
