"""OEE settings in the plant config: the line model, the shift calendar, the reason tree.

A line's ``[lines.oee]`` table says how to read its state and counters and what
"ideal" means for it; the plant's ``[shifts]`` table says when production is
planned; ``[[downtime_reasons]]`` is the category → reason tree operators pick
from. The engine (`hmi.runtime.oee`, `hmi.runtime.oee_calc`) uses them; this
module only says what is valid. The reference with examples is docs/oee.md.

Like `hmi.config_alarms`, `hmi.config` imports this module at its top, so
`Localized` and `Problem` are imported lazily: that breaks the cycle.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from hmi.config_alarms import Text

if TYPE_CHECKING:
    from hmi.config import DataType, PlantConfig, Problem, TomlLocator

DEFAULT_TIMEZONE = "Asia/Taipei"
Scalar = bool | int | float | str
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class LineState(StrEnum):
    """What a line is doing, as OEE sees it. UNKNOWN is never configured: it is time the
    state tag had non-good quality, or no record at all (the tracker was not running)."""

    RUNNING = "running"
    IDLE = "idle"  # starved, blocked, waiting: idling loss
    DOWN = "down"  # a fault: equipment-failure loss
    CHANGEOVER = "changeover"  # setup loss
    PLANNED_STOP = "planned_stop"  # planned: not planned production time
    UNKNOWN = "unknown"


class CountKind(StrEnum):
    TOTAL = "total"
    GOOD = "good"
    REJECT = "reject"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------- line model


class StateMap(_Strict):
    """Which values of the state tag mean which `LineState`; unlisted values are unknown."""

    running: list[Scalar] = Field(default_factory=lambda: [1])
    idle: list[Scalar] = Field(default_factory=lambda: [2])
    down: list[Scalar] = Field(default_factory=lambda: [3])
    changeover: list[Scalar] = Field(default_factory=lambda: [4])
    planned_stop: list[Scalar] = Field(default_factory=lambda: [5])

    @model_validator(mode="after")
    def _disjoint(self) -> StateMap:
        seen: dict[Any, str] = {}
        for state in ("running", "idle", "down", "changeover", "planned_stop"):
            for v in getattr(self, state):
                key = _key(v)
                if key in seen:
                    raise ValueError(f"value {v!r} is mapped to both {seen[key]} and {state}")
                seen[key] = state
        return self

    def table(self) -> dict[Any, LineState]:
        """Value → state, keyed so that 1, 1.0 and True do not collide with "1"."""
        return {
            _key(v): LineState(state)
            for state in ("running", "idle", "down", "changeover", "planned_stop")
            for v in getattr(self, state)
        }


def _key(value: Any) -> Any:
    """A lookup key for a state value: numbers by value (3 == 3.0), strings as themselves."""
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, int | float):
        return ("n", float(value))
    return ("s", str(value))


def state_key(value: Any) -> Any:
    """The key `StateMap.table()` uses for a live tag value."""
    return _key(value)


class ProductIdeal(_Strict):
    """The ideal cycle time of one product (or its ideal rate; give one of the two)."""

    product: str
    ideal_cycle_s: float | None = Field(default=None, gt=0)
    ideal_rate_per_h: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _one(self) -> ProductIdeal:
        if (self.ideal_cycle_s is None) == (self.ideal_rate_per_h is None):
            raise ValueError("give ideal_cycle_s or ideal_rate_per_h (one of them)")
        return self

    @property
    def cycle_s(self) -> float:
        return self.ideal_cycle_s or 3600.0 / self.ideal_rate_per_h  # type: ignore[operator]


class LineOee(_Strict):
    """A line's OEE model (``[lines.oee]``).

    Counters: give two of total / good / reject (the third is derived:
    total = good + reject). The state tag defaults to the line's `state_tag`.
    """

    state_tag: str | None = None
    states: StateMap = Field(default_factory=StateMap)
    total_count_tag: str | None = None
    good_count_tag: str | None = None
    reject_count_tag: str | None = None
    counter_max: int | None = Field(default=None, ge=1)
    rollover_window: int = Field(default=1000, ge=1)
    product_tag: str | None = None
    reason_tag: str | None = None
    ideal_cycle_s: float | None = Field(default=None, gt=0)
    ideal_rate_per_h: float | None = Field(default=None, gt=0)
    products: list[ProductIdeal] = Field(default_factory=list)
    micro_stop_s: float = Field(default=0.0, ge=0)
    startup_window_s: float = Field(default=0.0, ge=0)
    target: float = Field(default=0.85, gt=0, le=1)

    @model_validator(mode="after")
    def _complete(self) -> LineOee:
        given = [k for k in CountKind if getattr(self, f"{k.value}_count_tag")]
        if len(given) != 2:
            raise ValueError(
                "give exactly two of total_count_tag, good_count_tag, reject_count_tag "
                f"(given: {', '.join(k.value for k in given) or 'none'})"
            )
        if self.ideal_cycle_s is not None and self.ideal_rate_per_h is not None:
            raise ValueError("give ideal_cycle_s or ideal_rate_per_h, not both")
        no_default = self.ideal_cycle_s is None and self.ideal_rate_per_h is None
        if no_default and not (self.product_tag and self.products):
            raise ValueError(
                "give ideal_cycle_s or ideal_rate_per_h (the line's default), "
                "or a product_tag and products"
            )
        seen: set[str] = set()
        for p in self.products:
            if p.product in seen:
                raise ValueError(f"product {p.product!r} is listed twice")
            seen.add(p.product)
        return self

    @property
    def count_kinds(self) -> frozenset[CountKind]:
        """The counters this line has (two of total / good / reject)."""
        return frozenset(k for k in CountKind if getattr(self, f"{k.value}_count_tag"))

    def count_tags(self) -> dict[str, CountKind]:
        return {getattr(self, f"{k.value}_count_tag"): k for k in self.count_kinds}

    @property
    def default_cycle_s(self) -> float | None:
        if self.ideal_cycle_s is not None:
            return self.ideal_cycle_s
        if self.ideal_rate_per_h is not None:
            return 3600.0 / self.ideal_rate_per_h
        return None

    def ideal_cycle(self, product: str | None) -> float:
        """Seconds one part of `product` takes at the ideal rate (falls back to the default).

        A product with neither its own entry nor a line default has no ideal: NaN, which
        the calculation reports as an unknown performance rather than inventing one.
        """
        for p in self.products:
            if p.product == product:
                return p.cycle_s
        default = self.default_cycle_s
        return default if default is not None else math.nan


# --------------------------------------------------------------------------- shift calendar


def _hhmm(v: Any) -> time:
    if isinstance(v, time):
        return v.replace(second=0, microsecond=0, tzinfo=None)
    if not isinstance(v, str) or not _HHMM.match(v):
        raise ValueError(f"{v!r} is not a local time like '06:00'")
    h, m = v.split(":")
    return time(int(h), int(m))


class Shift(_Strict):
    """A shift: local wall-clock times, every day that is not a day off.

    `end` at or before `start` means the shift ends the next day (22:00–06:00). A
    shift belongs to the day it starts on.
    """

    name: str
    title: Text | None = None
    start: time
    end: time

    _t = field_validator("start", "end", mode="before")(_hhmm)


class Break(_Strict):
    """A daily break (planned time, not planned production time), optionally only on
    some shifts."""

    name: str = "break"
    start: time
    end: time
    shifts: list[str] = Field(default_factory=list)

    _t = field_validator("start", "end", mode="before")(_hhmm)


class PlannedStop(_Strict):
    """A one-off planned stop (maintenance, trial), local date-times; all lines or some."""

    name: str = "planned stop"
    start: datetime
    end: datetime
    lines: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _order(self) -> PlannedStop:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("give local date-times without an offset (the plant's timezone)")
        return self


class ShiftCalendar(_Strict):
    """When production is planned (``[shifts]``). Without one, every hour is planned."""

    timezone: str = DEFAULT_TIMEZONE
    shift: list[Shift] = Field(default_factory=list, min_length=1)
    breaks: list[Break] = Field(default_factory=list)
    planned_stops: list[PlannedStop] = Field(default_factory=list)
    days_off: list[date] = Field(default_factory=list)
    weekly_days_off: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = Field(
        default_factory=list
    )

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {v!r} (e.g. 'Asia/Taipei')") from None
        return v

    @model_validator(mode="after")
    def _names(self) -> ShiftCalendar:
        names = [s.name for s in self.shift]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise ValueError(f"shift name(s) {sorted(dup)} used twice")
        for b in self.breaks:
            unknown = set(b.shifts) - set(names)
            if unknown:
                raise ValueError(f"break {b.name!r} names unknown shift(s) {sorted(unknown)}")
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_day_off(self, day: date) -> bool:
        return day in self.days_off or WEEKDAYS[day.weekday()] in self.weekly_days_off


# --------------------------------------------------------------------------- reason tree


class Reason(_Strict):
    """One downtime reason: the code a PLC reports (or an operator picks) and its names."""

    code: int = Field(ge=1)
    name: Text


class ReasonCategory(_Strict):
    """A branch of the reason tree (Mechanical, Material, Changeover, Quality…)."""

    id: str
    name: Text
    reasons: list[Reason] = Field(default_factory=list)


def reason_index(tree: list[ReasonCategory]) -> dict[int, tuple[ReasonCategory, Reason]]:
    """Reason code → (its category, the reason)."""
    return {r.code: (c, r) for c in tree for r in c.reasons}


# --------------------------------------------------------------------------- cross-checks


def counter_modulus(tag_type: DataType | None, counter_max: int | None) -> int | None:
    """The value after which a counter wraps back to 0 (max + 1), or None: never wraps.

    Integer tags wrap at 2**bits (a signed counter is read as unsigned, so an int16
    going 32767 → -32768 is +1); `counter_max` overrides it (a PLC counter preset).
    """
    if counter_max is not None:
        return counter_max + 1
    if tag_type is None or not tag_type.is_integer:
        return None
    bits = int(tag_type.value.removeprefix("u").removeprefix("int"))
    return 2**bits


def check_oee(config: PlantConfig, shown: str, locator: TomlLocator) -> list[Problem]:
    """OEE settings against the tags, lines and each other (called by `hmi.config`)."""
    from hmi.config import Problem

    problems: list[Problem] = []
    tags = config.tag_index
    lines = {line.name for line in config.lines}
    for i, line in enumerate(config.lines):
        oee = getattr(line, "oee", None)
        if oee is None:
            continue

        def problem(sub: str, msg: str, i: int = i) -> None:
            ln = locator.line_of(("lines", i, "oee", sub))
            problems.append(Problem(shown, ln, f"lines[{i}].oee.{sub}", msg))

        if not (oee.state_tag or line.state_tag):
            problem("state_tag", "an OEE line needs a state tag (here or the line's state_tag)")
        for field in (
            "state_tag", "total_count_tag", "good_count_tag", "reject_count_tag",
            "product_tag", "reason_tag",
        ):  # fmt: skip
            name = getattr(oee, field)
            if name is None:
                continue
            tag = tags.get(name)
            if tag is None:
                problem(field, f"no tag named '{name}'")
            elif field.endswith("count_tag") and not tag.type.is_numeric:
                problem(field, f"a counter must be numeric, not {tag.type.value}")
    cal = getattr(config, "shifts", None)
    if cal is not None:
        for j, stop in enumerate(cal.planned_stops):
            for name in stop.lines:
                if name not in lines:
                    ln = locator.line_of(("shifts", "planned_stops", j, "lines"))
                    field = f"shifts.planned_stops[{j}].lines"
                    problems.append(Problem(shown, ln, field, f"no line named '{name}'"))
    seen: dict[int, int] = {}
    ids: set[str] = set()
    for c, cat in enumerate(getattr(config, "downtime_reasons", []) or []):
        if cat.id in ids:
            ln = locator.line_of(("downtime_reasons", c, "id"))
            field = f"downtime_reasons[{c}].id"
            problems.append(Problem(shown, ln, field, f"duplicate category id '{cat.id}'"))
        ids.add(cat.id)
        for r, reason in enumerate(cat.reasons):
            if reason.code in seen:
                ln = locator.line_of(("downtime_reasons", c, "reasons", r, "code"))
                field = f"downtime_reasons[{c}].reasons[{r}].code"
                msg = f"reason code {reason.code} is used twice"
                problems.append(Problem(shown, ln, field, msg))
            seen[reason.code] = c
    return problems
