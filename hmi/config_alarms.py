"""Alarm definitions in the plant config (ISA-18.2), and their cross-checks.

One ``[[alarms]]`` block is one alarm: a tag, a type (hihi / hi / lo / lolo,
discrete, deviation, roc) and what the operator sees (priority, message). The
engine in `hmi.runtime.alarms` runs them; this module only says what is valid.
The reference with examples is docs/alarms.md.

`hmi.config` imports this module at its top, so `Localized` is imported lazily
(inside the validator) rather than at module level: that breaks the cycle.
"""

from __future__ import annotations

import itertools
import math
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationError,
    ValidationInfo,
    field_validator,
)

if TYPE_CHECKING:
    from hmi.config import Localized, PlantConfig, Problem, TomlLocator

    Text = Localized
else:

    def _to_localized(v: Any) -> Any:
        """A string or an {en, zh_TW} table, validated as `hmi.config.Localized`."""
        from hmi.config import Localized, _localized

        if isinstance(v, Localized):
            return v
        try:
            return Localized.model_validate(_localized(v))
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"])
            kind = err["type"]
            msg = {
                "extra_forbidden": "unknown key (give en and optionally zh_TW)",
                "missing": "required field is missing",
            }.get(kind, str(err["msg"]))
            raise ValueError(f"{where}: {msg}" if where else msg) from None

    Text = Annotated[Any, PlainValidator(_to_localized)]


Scalar = bool | int | float | str


class AlarmType(StrEnum):
    """What condition an alarm watches."""

    HIHI = "hihi"
    HI = "hi"
    LO = "lo"
    LOLO = "lolo"
    DISCRETE = "discrete"  # value equals `value`, or is one of `states`
    DEVIATION = "deviation"  # |value - setpoint_tag| >= limit
    ROC = "roc"  # |rate of change| >= limit, per second or per minute

    @property
    def is_limit(self) -> bool:
        return self in (AlarmType.HIHI, AlarmType.HI, AlarmType.LO, AlarmType.LOLO)

    @property
    def is_high(self) -> bool:
        return self in (AlarmType.HIHI, AlarmType.HI)

    @property
    def needs_limit(self) -> bool:
        return self is not AlarmType.DISCRETE


_DIRECTED = (AlarmType.DEVIATION, AlarmType.ROC)

# HIHI > HI > LO > LOLO: the order the limits of one tag must keep.
LIMIT_ORDER = (AlarmType.HIHI, AlarmType.HI, AlarmType.LO, AlarmType.LOLO)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Strict):
    """A small structured condition, no expressions: `tag`'s value is one of `in`.

    Written ``suppress_when = { tag = "Welding.State", in = [2, 5] }``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    tag: str
    values: list[Scalar] = Field(alias="in", min_length=1)

    def holds(self, value: Any) -> bool:
        return value in self.values


class AlarmConfig(_Strict):
    """One alarm on one tag. Field order matters: `type` is validated before the fields
    whose meaning depends on it."""

    tag: str
    type: AlarmType
    id: str | None = None
    limit: float | None = Field(default=None, validate_default=True)
    setpoint_tag: str | None = Field(default=None, validate_default=True)
    per: Literal["s", "min"] | None = Field(default=None, validate_default=True)
    window_s: float | None = Field(default=None, gt=0, validate_default=True)
    value: Scalar | None = Field(default=None, validate_default=True)
    states: list[Scalar] | None = Field(default=None, validate_default=True)
    direction: Literal["both", "high", "low"] = "both"
    priority: int = Field(default=3, ge=1, le=4)
    message: Text
    deadband: float = Field(default=0.0, ge=0, validate_default=True)
    on_delay_s: float = Field(default=0.0, ge=0)
    off_delay_s: float = Field(default=0.0, ge=0)
    area: str | None = None
    latched: bool = False
    suppress_when: Condition | None = None

    @field_validator(
        "limit", "setpoint_tag", "per", "window_s", "value", "states", "direction", "deadband"
    )
    @classmethod
    def _fits_type(cls, v: Any, info: ValidationInfo) -> Any:
        kind = info.data.get("type")
        if kind is None:  # the type itself is wrong; that error is reported
            return v
        name = info.field_name
        given = v is not None and v != [] and not (name == "deadband" and v == 0)
        if name == "limit":
            if kind.needs_limit and v is None:
                return _fail(f"a {kind.value} alarm needs a limit")
            if not kind.needs_limit and given:
                return _fail("a discrete alarm has no limit (use value or states)")
            if v is not None and not math.isfinite(v):
                return _fail("limit must be a finite number")
            if kind in (AlarmType.DEVIATION, AlarmType.ROC) and v is not None and v <= 0:
                return _fail(f"a {kind.value} limit is a magnitude and must be > 0")
        elif name == "setpoint_tag":
            if kind is AlarmType.DEVIATION and not v:
                return _fail("a deviation alarm needs setpoint_tag")
            if kind is not AlarmType.DEVIATION and given:
                return _fail("only a deviation alarm has a setpoint_tag")
        elif name == "per":
            if kind is not AlarmType.ROC and given:
                return _fail("only a roc alarm has per (s or min)")
            if kind is AlarmType.ROC and v is None:
                return "s"
        elif name == "window_s":
            if kind is not AlarmType.ROC and given:
                return _fail("only a roc alarm has window_s")
            if kind is AlarmType.ROC and v is None:
                return 10.0
        elif name in ("value", "states"):
            if kind is not AlarmType.DISCRETE and given:
                return _fail(f"only a discrete alarm has {name}")
            if kind is AlarmType.DISCRETE and name == "states":
                has_value = info.data.get("value") is not None
                if has_value and given:
                    return _fail("give either value or states, not both")
                if not has_value and not given:
                    return _fail("a discrete alarm needs value or states")
        elif name == "direction" and v != "both" and kind not in _DIRECTED:
            return _fail("only deviation and roc alarms have a direction")
        elif name == "deadband" and kind is AlarmType.DISCRETE and given:
            return _fail("a deadband applies to analog alarms, not discrete ones")
        return v

    @property
    def alarm_id(self) -> str:
        """The stable id: `id` if given, else e.g. ``Welding.Conveyor.MotorCurrent.HI``."""
        return self.id or f"{self.tag}.{self.type.value.upper()}"

    @property
    def area_name(self) -> str:
        """`area`, or by convention the first segment of the tag name (the line)."""
        return self.area or self.tag.split(".", 1)[0]

    @property
    def tags(self) -> tuple[str, ...]:
        """Every tag this alarm reads."""
        out = [self.tag]
        if self.setpoint_tag:
            out.append(self.setpoint_tag)
        if self.suppress_when:
            out.append(self.suppress_when.tag)
        return tuple(out)


def _fail(msg: str) -> Any:
    raise ValueError(msg)


# --------------------------------------------------------------------------- priorities


class AlarmPriority(_Strict):
    """How one priority looks and sounds in this plant (ISA-101: colour only for alarms)."""

    priority: int = Field(ge=1, le=4)
    name: Text
    color: str = Field(pattern=r"^#[0-9A-Fa-f]{6}$")
    horn: bool = True


def default_priorities() -> list[AlarmPriority]:
    """1 critical red … 4 low; the horn sounds for 1–3."""
    rows = [
        (1, "Critical", "緊急", "#E0201B", True),
        (2, "High", "高", "#F08C00", True),
        (3, "Medium", "中", "#F2D100", True),
        (4, "Low", "低", "#2E86DE", False),
    ]
    return [
        AlarmPriority(priority=p, name={"en": en, "zh_TW": zh}, color=c, horn=h)
        for p, en, zh, c, h in rows
    ]


def _complete_priorities(given: list[AlarmPriority]) -> list[AlarmPriority]:
    """The plant's priorities, then any of 1..4 it does not define, from the defaults.

    Order is kept (duplicates are reported by `check_alarms` with their line).
    """
    seen = {p.priority for p in given}
    return [*given, *(p for p in default_priorities() if p.priority not in seen)]


def priority_table(priorities: list[AlarmPriority]) -> dict[int, AlarmPriority]:
    """Priority number → its look and sound (what the banner and the horn need)."""
    out: dict[int, AlarmPriority] = {}
    for p in priorities:
        out.setdefault(p.priority, p)
    return out


AlarmPriorities = Annotated[list[AlarmPriority], AfterValidator(_complete_priorities)]


# --------------------------------------------------------------------------- cross-checks


def check_alarms(config: PlantConfig, shown: str, locator: TomlLocator) -> list[Problem]:
    """Cross-checks of alarm definitions against the tags and each other."""
    from hmi.config import Problem

    problems: list[Problem] = []

    def problem(i: int, sub: str, msg: str) -> None:
        line = locator.line_of(("alarms", i, *sub.split(".")))
        problems.append(Problem(shown, line, f"alarms[{i}].{sub}", msg))

    seen_prio: dict[int, int] = {}
    for i, p in enumerate(config.alarm_priorities):
        if p.priority in seen_prio:
            line = locator.line_of(("alarm_priorities", i, "priority"))
            first_i = seen_prio[p.priority]
            msg = f"priority {p.priority} is defined twice (alarm_priorities[{first_i}])"
            problems.append(Problem(shown, line, f"alarm_priorities[{i}].priority", msg))
        seen_prio.setdefault(p.priority, i)

    tags = config.tag_index
    first: dict[str, int] = {}
    limits: dict[str, dict[AlarmType, tuple[int, float]]] = {}
    for i, a in enumerate(config.alarms):
        aid = a.alarm_id
        if aid in first:
            where = locator.line_of(("alarms", first[aid]))
            problem(i, "id", f"duplicate alarm id '{aid}' (first defined at {shown}:{where})")
        else:
            first[aid] = i
        tag = tags.get(a.tag)
        if tag is None:
            problem(i, "tag", f"no tag named '{a.tag}'")
        elif a.type.needs_limit and not tag.type.is_numeric:
            problem(i, "tag", f"a {a.type.value} alarm needs a numeric tag, not {tag.type.value}")
        if a.setpoint_tag is not None:
            sp = tags.get(a.setpoint_tag)
            if sp is None:
                problem(i, "setpoint_tag", f"no tag named '{a.setpoint_tag}'")
            elif not sp.type.is_numeric:
                problem(i, "setpoint_tag", f"the setpoint must be numeric, not {sp.type.value}")
        if a.suppress_when is not None and a.suppress_when.tag not in tags:
            problem(i, "suppress_when.tag", f"no tag named '{a.suppress_when.tag}'")
        if a.type.is_limit and a.limit is not None:
            limits.setdefault(a.tag, {})[a.type] = (i, a.limit)
    for by_type in limits.values():
        given = [(t, *by_type[t]) for t in LIMIT_ORDER if t in by_type]
        for (hi_t, hi_i, hi_v), (lo_t, lo_i, lo_v) in itertools.pairwise(given):
            if not hi_v > lo_v:
                i, other = max(hi_i, lo_i), min(hi_i, lo_i)
                msg = (
                    f"{hi_t.value.upper()} limit {hi_v:g} must be above "
                    f"{lo_t.value.upper()} limit {lo_v:g} (alarms[{other}])"
                )
                problem(i, "limit", msg)
    return problems
