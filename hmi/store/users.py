"""Persistence of station users: names, roles, password hashes and lockout state.

Only storage and atomic updates live here; what a failed login *means* (when to
lock, for how long) is decided in `hmi.runtime.security`. Lockout counters are
updated in one statement each, so two stations sharing a PostgreSQL database
cannot lose a failure between them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import IntegrityError

from hmi.store.audit import serialise_writers
from hmi.store.models_security import users

_PG_USERS_LOCK = 0x55534552  # "USER": serialises "create the first admin"


class UserExistsError(ValueError):
    """A user of that name is already in the database."""


class UnknownUserError(LookupError):
    """No user of that name in the database."""

    def __init__(self, name: str):
        super().__init__(f"no user named '{name}'")
        self.name = name


class UsersExistError(RuntimeError):
    """Asked to create the first admin of a database that already has users."""


@dataclass(frozen=True, slots=True)
class UserRecord:
    id: int
    name: str
    role: str
    password_hash: str
    disabled: bool
    failed_logins: int
    locked_until: float | None
    created_ts: float
    changed_ts: float
    last_login_ts: float | None


class UserStore:
    """The users table of one database."""

    def __init__(self, engine: Engine):
        self._engine = engine

    def get(self, name: str) -> UserRecord | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.name == name)).mappings().first()
        return UserRecord(**row) if row else None

    def list(self) -> list[UserRecord]:
        with self._engine.connect() as conn:
            rows = conn.execute(select(users).order_by(users.c.name)).mappings().all()
        return [UserRecord(**r) for r in rows]

    def count(self) -> int:
        with self._engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(users)).scalar_one())

    def add(self, name: str, role: str, password_hash: str, now: float) -> UserRecord:
        """Insert a user; `UserExistsError` if the name is taken."""
        return self._insert(name, role, password_hash, now, only_if_empty=False)

    def add_first(self, name: str, role: str, password_hash: str, now: float) -> UserRecord:
        """Insert a user only if there is none yet (atomically: two stations, one admin)."""
        return self._insert(name, role, password_hash, now, only_if_empty=True)

    def _insert(
        self, name: str, role: str, password_hash: str, now: float, *, only_if_empty: bool
    ) -> UserRecord:
        values = {
            "name": name,
            "role": role,
            "password_hash": password_hash,
            "disabled": False,
            "failed_logins": 0,
            "created_ts": now,
            "changed_ts": now,
        }
        try:
            with self._engine.begin() as conn:
                if only_if_empty:
                    serialise_writers(conn, _PG_USERS_LOCK)
                    if conn.execute(select(func.count()).select_from(users)).scalar_one():
                        raise UsersExistError("the database already has users")
                conn.execute(users.insert().values(**values))
        except IntegrityError:
            raise UserExistsError(f"a user named '{name}' already exists") from None
        record = self.get(name)
        assert record is not None
        return record

    def _update(self, name: str, **values: object) -> None:
        with self._engine.begin() as conn:
            done = conn.execute(update(users).where(users.c.name == name).values(**values))
            if done.rowcount != 1:
                raise UnknownUserError(name)

    def set_password(self, name: str, password_hash: str, now: float) -> None:
        """New hash; also clears a lockout (an admin reset is how a locked user gets back in)."""
        self._update(
            name, password_hash=password_hash, changed_ts=now, failed_logins=0, locked_until=None
        )

    def set_role(self, name: str, role: str, now: float) -> None:
        self._update(name, role=role, changed_ts=now)

    def set_disabled(self, name: str, disabled: bool, now: float) -> None:
        self._update(name, disabled=disabled, changed_ts=now)

    def record_failure(self, name: str, threshold: int, lock_until: float) -> UserRecord:
        """Count a failed login; the `threshold`-th in a row locks the account until `lock_until`.

        The count restarts after a lock, so the next lock needs `threshold` new failures.
        """
        with self._engine.begin() as conn:
            conn.execute(
                update(users)
                .where(users.c.name == name)
                .values(failed_logins=users.c.failed_logins + 1)
            )
            conn.execute(
                update(users)
                .where(users.c.name == name, users.c.failed_logins >= threshold)
                .values(failed_logins=0, locked_until=lock_until)
            )
            row = conn.execute(select(users).where(users.c.name == name)).mappings().first()
        if row is None:
            raise UnknownUserError(name)
        return UserRecord(**row)

    def record_success(self, name: str, now: float, password_hash: str | None = None) -> None:
        """A good login: reset the failure count and lock; optionally store a re-hash."""
        values: dict[str, object] = {"failed_logins": 0, "locked_until": None, "last_login_ts": now}
        if password_hash is not None:
            values["password_hash"] = password_hash
        self._update(name, **values)
