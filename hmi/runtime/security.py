"""Users, roles, permissions and sessions of an operator station. No Qt, no direct I/O.

The pieces, each with one job:
- `Role` (hmi.config_security) and `Permission`: what each role may do, cumulatively.
- `Policy`: the plant's rules on top of the roles (operator tags, per-area and
  per-tag-group scopes, critical writes), answering "may this identity do this
  to that target?" with a reason when not.
- `ScryptHasher`: password hashes (stdlib `hashlib.scrypt`, OWASP parameters).
- `Authenticator`: checks a name and password against the user directory,
  counting failures and locking the account after too many.
- `Sessions`: who is at the station now: log in/out, switch user, idle log-out
  (an injected clock; the GUI calls `touch()` on activity), first-admin set-up.
- `UserAdmin`: add/passwd/disable users, audited (used by `hmi users` and the
  command API).

Persistence goes through the store objects handed in (`UserDirectory`,
`AuditSink`: in production `hmi.store.users.UserStore` and
`hmi.store.audit.AuditTrail`), so everything here is testable with fakes.
Methods that touch the store block: the command API runs them off the event loop.
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import hmac
import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from hmi.config_security import Role, SecurityConfig
from hmi.store.audit import AuditEntry
from hmi.store.users import UnknownUserError, UserRecord

log = logging.getLogger(__name__)

Clock = Callable[[], float]


class Permission(StrEnum):
    """Things a role may be allowed to do."""

    ACK = "alarm.ack"
    SILENCE = "alarm.silence"
    REASON_CODE = "reason_code"
    WRITE_OPERATOR = "write.operator"  # writable tags listed in security.operator_tags
    SHELVE = "alarm.shelve"  # shelve and unshelve
    OUT_OF_SERVICE = "alarm.out_of_service"  # remove from and return to service
    HISTORY_EXPORT = "history.export"
    AUDIT_VIEW = "audit.view"
    WRITE_ANY = "write.any"  # every writable tag
    CONFIG_RELOAD = "config.reload"
    PLUGIN_RELOAD = "plugin.reload"
    DIAGNOSTICS_WRITE = "diagnostics.write"  # tags listed in security.diagnostics_tags
    USERS_MANAGE = "users.manage"


_GRANTS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: frozenset(),
    Role.OPERATOR: frozenset(
        {Permission.ACK, Permission.SILENCE, Permission.REASON_CODE, Permission.WRITE_OPERATOR}
    ),
    Role.SUPERVISOR: frozenset(
        {
            Permission.SHELVE,
            Permission.OUT_OF_SERVICE,
            Permission.HISTORY_EXPORT,
            Permission.AUDIT_VIEW,
        }
    ),
    Role.ENGINEER: frozenset(
        {
            Permission.WRITE_ANY,
            Permission.CONFIG_RELOAD,
            Permission.PLUGIN_RELOAD,
            Permission.DIAGNOSTICS_WRITE,
        }
    ),
    Role.ADMIN: frozenset({Permission.USERS_MANAGE}),
}


def permissions_of(role: Role) -> frozenset[Permission]:
    """Everything `role` may do: its own grants and those of every lesser role."""
    return frozenset().union(*(p for r, p in _GRANTS.items() if r.rank <= role.rank))


# ------------------------------------------------------------------------------- identities


@dataclass(frozen=True, slots=True)
class Identity:
    """Who acts: a logged-in user, or the station's own identity when nobody is."""

    user: str
    role: Role
    authenticated: bool = False  # False: the configured station identity

    def __str__(self) -> str:
        return f"'{self.user}' ({self.role.value})"


@dataclass(frozen=True, slots=True)
class Credential:
    """A name and password given at the moment of a command (a second signature)."""

    user: str
    password: str = ""

    def __repr__(self) -> str:  # never log a password
        return f"Credential(user={self.user!r})"


class SecurityError(Exception):
    """A security rule refused something; the message is fit to show the person."""


class PermissionDeniedError(SecurityError):
    """The identity may not do this."""


class AuthenticationError(SecurityError):
    """A login (or a signature) was refused. `detail` is for the audit trail only."""

    def __init__(self, message: str, detail: str):
        super().__init__(message)
        self.detail = detail


# ------------------------------------------------------------------------------- policy


def _matches(name: str, patterns: Iterable[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, p) for p in patterns)


def area_of(tag: str) -> str:
    """The area/line of a tag: the first segment of its dotted name."""
    return tag.split(".", 1)[0]


class Policy:
    """The plant's security rules (`SecurityConfig`) applied to one identity and target."""

    def __init__(self, config: SecurityConfig):
        self.config = config

    @property
    def enabled(self) -> bool:
        return self.config.enabled

    def write_permission(self, tag: str) -> Permission:
        """What writing `tag` needs: diagnostics, operator or any-tag write."""
        if _matches(tag, self.config.diagnostics_tags):
            return Permission.DIAGNOSTICS_WRITE
        if _matches(tag, self.config.operator_tags):
            return Permission.WRITE_OPERATOR
        return Permission.WRITE_ANY

    def is_critical(self, tag: str) -> bool:
        """Whether a write to `tag` needs a second person's signature."""
        return self.config.enabled and _matches(tag, self.config.critical_tags)

    def allows(self, who: Identity, permission: Permission) -> bool:
        """The role check alone (what a GUI uses to grey out a button)."""
        if not self.enabled:
            return True
        have = permissions_of(who.role)
        if permission is Permission.WRITE_OPERATOR and Permission.WRITE_ANY in have:
            return True
        return permission in have

    def denial(
        self,
        who: Identity,
        permission: Permission,
        *,
        tag: str | None = None,
        area: str | None = None,
    ) -> str | None:
        """Why `who` may not use `permission` on the target; None when allowed."""
        if not self.enabled:
            return None
        if not self.allows(who, permission):
            return f"{who} may not do this (it needs '{permission.value}')"
        area = area or (area_of(tag) if tag else None)
        scopes = [
            s for s in self.config.scopes if who.user in s.users or who.role in s.roles
        ]  # fmt: skip
        if scopes and not any(self._in_scope(s, tag, area) for s in scopes):
            what = f"tag '{tag}'" if tag else f"area '{area}'" if area else "this target"
            return f"{who} may not act on {what} (outside the areas/tags assigned to them)"
        return None

    @staticmethod
    def _in_scope(scope: Any, tag: str | None, area: str | None) -> bool:
        if scope.areas and area not in scope.areas:
            return False
        return not (scope.tags and (tag is None or not _matches(tag, scope.tags)))

    def approver_denial(self, actor: Identity, approver: UserRecord) -> str | None:
        """Why `approver` cannot sign for `actor`'s critical command; None when they can."""
        if approver.name == actor.user:
            return "the second signature must be another person's"
        if Role(approver.role).rank < self.config.approver_role.rank:
            return (
                f"'{approver.name}' ({approver.role}) may not approve: an approver must be "
                f"{self.config.approver_role.value} or above"
            )
        return None


# ------------------------------------------------------------------------------- passwords


@dataclass(frozen=True, slots=True)
class ScryptHasher:
    """scrypt password hashes in a self-describing ``scrypt$n$r$p$salt$key`` form.

    The defaults are OWASP's (N=2^17, r=8, p=1: 128 MiB, ~0.4 s here), so guessing
    from a stolen database is slow. stdlib only: nothing compiled to ship to a
    station. Parameters are stored with each hash, so raising them later still
    verifies old hashes (and `needs_rehash` upgrades them at the next login).
    """

    n: int = 2**17
    r: int = 8
    p: int = 1
    salt_bytes: int = 16
    key_bytes: int = 32

    def _derive(self, password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
        maxmem = 256 * n * r * p + (1 << 20)
        return hashlib.scrypt(
            password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=maxmem,
            dklen=self.key_bytes,
        )  # fmt: skip

    def hash(self, password: str) -> str:
        salt = secrets.token_bytes(self.salt_bytes)
        key = self._derive(password, salt, self.n, self.r, self.p)
        b64 = base64.b64encode
        return f"scrypt${self.n}${self.r}${self.p}${b64(salt).decode()}${b64(key).decode()}"

    def verify(self, stored: str, password: str) -> bool:
        """True when `password` produced `stored` (a malformed hash never verifies)."""
        try:
            scheme, n, r, p, salt, key = stored.split("$")
            if scheme != "scrypt":
                return False
            expected = base64.b64decode(key)
            got = self._derive(password, base64.b64decode(salt), int(n), int(r), int(p))
        except (ValueError, TypeError):
            return False
        return hmac.compare_digest(got, expected)

    def needs_rehash(self, stored: str) -> bool:
        return not stored.startswith(f"scrypt${self.n}${self.r}${self.p}$")


def check_password_rules(password: str) -> None:
    """Refuse passwords too weak to be worth hashing."""
    if len(password) < 8:
        raise SecurityError("a password needs at least 8 characters")


# ------------------------------------------------------------------------------- store seams


class UserDirectory(Protocol):
    """What security needs of user storage (`hmi.store.users.UserStore` provides it)."""

    def get(self, name: str) -> UserRecord | None: ...
    def list(self) -> list[UserRecord]: ...
    def count(self) -> int: ...
    def add(self, name: str, role: str, password_hash: str, now: float) -> UserRecord: ...
    def add_first(self, name: str, role: str, password_hash: str, now: float) -> UserRecord: ...
    def set_password(self, name: str, password_hash: str, now: float) -> None: ...
    def set_role(self, name: str, role: str, now: float) -> None: ...
    def set_disabled(self, name: str, disabled: bool, now: float) -> None: ...
    def record_failure(self, name: str, threshold: int, lock_until: float) -> UserRecord: ...
    def record_success(self, name: str, now: float, password_hash: str | None = None) -> None: ...


class AuditSink(Protocol):
    """Where audit entries go (`hmi.store.audit.AuditTrail`); must be durable on return."""

    def append(self, entry: AuditEntry) -> Any: ...


class LogOnlyAudit:
    """The audit of a runtime with no database (unit tests, a bare `Runtime`): logs only."""

    def append(self, entry: AuditEntry) -> None:
        log.info("audit (not stored): %s", entry)


class NoUsers:
    """The user directory of a runtime with no database: nobody can log in."""

    def get(self, name: str) -> UserRecord | None:
        return None

    def list(self) -> list[UserRecord]:
        return []

    def count(self) -> int:
        return 0

    def _none(self, *args: object, **kw: object) -> Any:
        raise SecurityError("this station has no user database")

    add = add_first = set_password = set_role = set_disabled = _none
    record_failure = record_success = _none


# ------------------------------------------------------------------------------- authentication


class Authenticator:
    """Name + password → the user's record, or `AuthenticationError`; counts and locks."""

    def __init__(
        self,
        users: UserDirectory,
        config: SecurityConfig,
        hasher: ScryptHasher | None = None,
        clock: Clock = time.time,
    ):
        self.users = users
        self.config = config
        self.hasher = hasher or ScryptHasher()
        self._clock = clock
        self._dummy: str | None = None  # a hash to check unknown names against, made lazily

    def _burn_time(self, password: str) -> None:
        """Spend a real check's time, so a wrong name cannot be told from a wrong password."""
        if self._dummy is None:
            self._dummy = self.hasher.hash(secrets.token_hex(8))
        self.hasher.verify(self._dummy, password)

    def authenticate(self, name: str, password: str) -> UserRecord:
        now = self._clock()
        wrong = "wrong user name or password"
        user = self.users.get(name)
        if user is None:
            self._burn_time(password)
            raise AuthenticationError(wrong, f"no user named '{name}'")
        if user.disabled:
            raise AuthenticationError(f"user '{name}' is disabled", "user disabled")
        if user.locked_until is not None and now < user.locked_until:
            left = max(1, round((user.locked_until - now) / 60))
            raise AuthenticationError(
                f"user '{name}' is locked after too many failed logins; "
                f"try again in {left} min or ask an admin to reset the password",
                "account locked",
            )
        if not self.hasher.verify(user.password_hash, password):
            cfg = self.config
            after = self.users.record_failure(
                name, cfg.lockout_failures, now + cfg.lockout_minutes * 60
            )
            if after.locked_until is not None and after.locked_until > now:
                raise AuthenticationError(
                    f"{wrong}; user '{name}' is now locked for {cfg.lockout_minutes:g} min",
                    f"wrong password; locked after {cfg.lockout_failures} failures",
                )
            raise AuthenticationError(wrong, f"wrong password ({after.failed_logins} in a row)")
        rehash = (
            self.hasher.hash(password) if self.hasher.needs_rehash(user.password_hash) else None
        )
        self.users.record_success(name, now, rehash)
        return user


# ------------------------------------------------------------------------------- sessions

SessionListener = Callable[[Identity], None]


class Sessions:
    """Who is at this station. Thread-safe; methods that audit or authenticate block.

    Nobody logged in means the configured station identity (viewer by default).
    Every log-in, failed log-in and log-out (including the idle one) is audited.
    """

    def __init__(
        self,
        config: SecurityConfig,
        auth: Authenticator,
        audit: AuditSink,
        clock: Clock = time.time,
    ):
        self.config = config
        self.auth = auth
        self.audit = audit
        self._clock = clock
        self._lock = threading.RLock()
        self._station = Identity(config.station.user, config.station.role)
        self._user: Identity | None = None
        self._last_activity = clock()
        self._listeners: list[SessionListener] = []

    @property
    def station_identity(self) -> Identity:
        return self._station

    @property
    def current(self) -> Identity:
        """The acting identity now (an idle session is logged out first)."""
        self.expire_idle()
        with self._lock:
            return self._user or self._station

    def add_listener(self, listener: SessionListener) -> None:
        """`listener(identity)` after every change of user (called in the changing thread)."""
        self._listeners.append(listener)

    def touch(self) -> None:
        """The person is active (a key, a click): restart the idle timer."""
        with self._lock:
            self._last_activity = self._clock()

    def idle_for(self) -> float:
        with self._lock:
            return self._clock() - self._last_activity

    def expire_idle(self) -> bool:
        """Log out a session idle for longer than `idle_logout_s`; True if it did."""
        with self._lock:
            if self._user is None or self.idle_for() < self.config.idle_logout_s:
                return False
            ended, self._user = self._user, None
        self._ended(ended, f"idle for more than {self.config.idle_logout_s:g} s")
        return True

    def login(self, name: str, password: str) -> Identity:
        """Log `name` in (switching from whoever was logged in); `AuthenticationError` if not.

        A failed attempt leaves the current user logged in. The slow parts (the hash
        check, audit commits) run outside the lock, so `current` never waits on them.
        """
        try:
            user = self.auth.authenticate(name, password)
        except AuthenticationError as exc:
            self._audit(name, "-", "login", "failed", target=name, detail=exc.detail)
            raise
        who = Identity(user.name, Role(user.role), authenticated=True)
        with self._lock:
            previous, self._user = self._user, who
            self._last_activity = self._clock()
        if previous is not None:
            self._audit(previous.user, previous.role, "logout", "ok", target=previous.user,
                        comment=f"switched to '{name}'")  # fmt: skip
        self._audit(who.user, who.role, "login", "ok", target=who.user)
        self._changed()
        return who

    switch_user = login

    def logout(self, reason: str | None = None) -> None:
        """Back to the station identity (a no-op when nobody is logged in)."""
        with self._lock:
            ended, self._user = self._user, None
        if ended is not None:
            self._ended(ended, reason)

    def _ended(self, who: Identity, reason: str | None) -> None:
        self._audit(who.user, who.role, "logout", "ok", target=who.user, comment=reason)
        self._changed()

    def _audit(self, user: str, role: str, action: str, result: str, **kw: Any) -> None:
        self.audit.append(AuditEntry(user, str(role), action, result, ts=self._clock(), **kw))

    def _changed(self) -> None:
        with self._lock:
            who = self._user or self._station
        for listener in list(self._listeners):
            try:
                listener(who)
            except Exception:
                log.exception("session listener failed")

    # -- first start ----------------------------------------------------------------------

    def needs_first_admin(self) -> bool:
        """True while the database has no users at all: ask for the first admin."""
        return self.config.enabled and self.auth.users.count() == 0

    def create_first_admin(self, name: str, password: str) -> UserRecord:
        """Create the first (admin) user; refused once any user exists. Does not log in."""
        check_password_rules(password)
        record = self.auth.users.add_first(
            name, Role.ADMIN.value, self.auth.hasher.hash(password), self._clock()
        )
        who = self.current
        self._audit(who.user, who.role, "user_add", "ok", target=name,
                    new_value=Role.ADMIN.value, comment="first admin")  # fmt: skip
        return record


# ------------------------------------------------------------------------------- user admin


class UserAdmin:
    """Add, re-password, disable and list users; every change audited as `actor`.

    The permission check (admin) is the command API's; the CLI acts as whoever
    can reach the database, and is audited as the OS user.
    """

    def __init__(
        self,
        users: UserDirectory,
        audit: AuditSink,
        hasher: ScryptHasher | None = None,
        clock: Clock = time.time,
    ):
        self.users = users
        self.audit = audit
        self.hasher = hasher or ScryptHasher()
        self._clock = clock

    def _record(self, actor: Identity, action: str, target: str, **kw: Any) -> None:
        self.audit.append(
            AuditEntry(actor.user, actor.role, action, "ok", target=target, ts=self._clock(), **kw)
        )

    def add(self, actor: Identity, name: str, role: Role, password: str) -> UserRecord:
        check_password_rules(password)
        rec = self.users.add(name, role.value, self.hasher.hash(password), self._clock())
        self._record(actor, "user_add", name, new_value=role.value)
        return rec

    def passwd(self, actor: Identity, name: str, password: str) -> None:
        check_password_rules(password)
        self._require(name)
        self.users.set_password(name, self.hasher.hash(password), self._clock())
        self._record(actor, "user_passwd", name)

    def set_role(self, actor: Identity, name: str, role: Role) -> None:
        old = self._require(name).role
        self.users.set_role(name, role.value, self._clock())
        self._record(actor, "user_role", name, old_value=old, new_value=role.value)

    def set_disabled(self, actor: Identity, name: str, disabled: bool = True) -> None:
        old = self._require(name).disabled
        self.users.set_disabled(name, disabled, self._clock())
        action = "user_disable" if disabled else "user_enable"
        self._record(actor, action, name, old_value=old, new_value=disabled)

    def list(self) -> list[UserRecord]:
        return self.users.list()

    def _require(self, name: str) -> UserRecord:
        rec = self.users.get(name)
        if rec is None:
            raise UnknownUserError(name)
        return rec


# ------------------------------------------------------------------------------- together


class Security:
    """One station's security: policy, sessions, user admin and the audit sink, wired."""

    def __init__(
        self,
        config: SecurityConfig,
        users: UserDirectory | None = None,
        audit: AuditSink | None = None,
        *,
        hasher: ScryptHasher | None = None,
        clock: Clock = time.time,
    ):
        self.config = config
        self.policy = Policy(config)
        self.users: UserDirectory = users if users is not None else NoUsers()
        self.audit: AuditSink = audit if audit is not None else LogOnlyAudit()
        self.hasher = hasher or ScryptHasher()
        self.clock = clock
        self.auth = Authenticator(self.users, config, self.hasher, clock)
        self.sessions = Sessions(config, self.auth, self.audit, clock)
        self.admin = UserAdmin(self.users, self.audit, self.hasher, clock)

    def verify_approver(self, actor: Identity, credential: Credential) -> UserRecord:
        """Check a second person's signature for `actor`'s critical command."""
        approver = self.auth.authenticate(credential.user, credential.password)
        why = self.policy.approver_denial(actor, approver)
        if why:
            raise PermissionDeniedError(why)
        return approver
