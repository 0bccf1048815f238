"""The `[security]` section of a plant config: who may do what, and how strictly.

A plant without the section runs *open* (every command allowed, still audited, as
the station identity): that keeps development configs and the simulator simple.
Writing the section at all switches security on with safe defaults: the station
starts as a read-only viewer until someone logs in. Users live in the database
(`hmi users …`); the config only says what roles mean for this plant.

Tag name patterns are `fnmatch` patterns over the one dotted tag name
(`Painting.*`, `*.RunCmd`). See docs/security.md for the full reference.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Role(StrEnum):
    """The roles, least to most powerful; each has every permission of the roles below it."""

    VIEWER = "viewer"
    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    ENGINEER = "engineer"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StationIdentity(_Strict):
    """Who the station is while nobody is logged in (after start, log-out and idle log-out).

    `role = "operator"` makes an unattended line station usable without a login;
    the default `viewer` shows everything and changes nothing.
    """

    user: str = Field(default="station", min_length=1, max_length=128)
    role: Role = Role.VIEWER


class Scope(_Strict):
    """Narrows what some users (by name) or roles may act on.

    A person matched by one or more scopes may act only on targets that one of
    them allows: the target's area (the first segment of a tag name, or an
    alarm's area) must be in `areas` when `areas` is given, and a tag must match
    one of `tags` when `tags` is given. Example: the Painting operators
    ``users = ["li"], areas = ["Painting"]`` may write only Painting.* tags.
    """

    users: list[str] = Field(default_factory=list)
    roles: list[Role] = Field(default_factory=list)
    areas: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _meaningful(self) -> Scope:
        if not self.users and not self.roles:
            raise ValueError("a scope needs users or roles to apply to")
        if not self.areas and not self.tags:
            raise ValueError("a scope needs areas or tags to narrow to")
        return self


class SecurityConfig(_Strict):
    """Security policy of one plant (see the module docstring)."""

    enabled: bool = True
    station: StationIdentity = Field(default_factory=StationIdentity)
    idle_logout_s: float = Field(default=900.0, gt=0)  # 15 min without touch() logs out
    lockout_failures: int = Field(default=5, ge=1)  # wrong passwords in a row…
    lockout_minutes: float = Field(default=15.0, gt=0)  # …lock the account this long
    # Writable tags an operator may write (start/stop, setpoints of the process).
    # Any other writable tag needs the engineer's `write.any`.
    operator_tags: list[str] = Field(default_factory=list)
    # Tags only engineers write (`diagnostics.write`), even if they also match operator_tags.
    diagnostics_tags: list[str] = Field(default_factory=list)
    # Writes that need a second person's signature (an approver credential at execution).
    critical_tags: list[str] = Field(default_factory=list)
    # The least role an approver of a critical write must hold.
    approver_role: Role = Role.SUPERVISOR
    scopes: list[Scope] = Field(default_factory=list)


def open_security() -> SecurityConfig:
    """The policy of a plant whose config has no `[security]` section."""
    return SecurityConfig(enabled=False, station=StationIdentity(role=Role.ENGINEER))
