"""Plant-defined trend views in the plant config: ``[[trends]]``.

The integrator names, per line or area, the set of pens an operator watches
("Welding conveyor": belt speed and its setpoint, motor current, motor
temperature) and the live window to show them over; every operator opens it in
one click, and the one marked ``default = true`` is what the trend screen opens
on. The screen (`screens.trends`) shows these views read-only next to each
user's own saved views. The reference with examples is docs/config.md.

Like `hmi.config_alarms`, `hmi.config` imports this module at its top, so
`Problem` is imported lazily: that breaks the cycle.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from hmi.config_alarms import Text

if TYPE_CHECKING:
    from hmi.config import PlantConfig, Problem, TomlLocator

LIVE_WINDOWS: dict[str, float] = {
    "1min": 60.0,
    "5min": 300.0,
    "15min": 900.0,
    "1h": 3600.0,
    "8h": 8 * 3600.0,
}
"""The live windows a view may open on: the trend screen's own presets, by name."""

PEN_STYLES = ("solid", "dash", "dot", "dashdot")
_COLOR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
_NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TrendPenConfig(_Strict):
    """One pen of a plant view; a bare tag name in the config means all defaults."""

    tag: str
    color: str | None = None  # "#rrggbb"; None: the next free pen colour
    style: Literal["solid", "dash", "dot", "dashdot"] = "solid"
    axis: Literal["left", "right"] | None = None

    @field_validator("color")
    @classmethod
    def _hex(cls, v: str | None) -> str | None:
        if v is not None and not _COLOR_RE.match(v):
            raise ValueError(f"'{v}' is not a colour like \"#1f4e9c\"")
        return v


class TrendViewConfig(_Strict):
    """One ``[[trends]]`` table: a named, titled set of pens over a live window."""

    name: str
    title: Text
    line: str | None = None
    pens: list[TrendPenConfig] = Field(min_length=1)
    window: str = "1h"
    default: bool = False

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not _NAME_RE.match(v):
            raise ValueError(f"'{v}' is not a view name (letters, digits, _ . -; no spaces)")
        return v

    @field_validator("pens", mode="before")
    @classmethod
    def _bare_tags(cls, v: Any) -> Any:
        """``pens = ["A.Speed", { tag = "A.SpeedSP", style = "dash" }]``."""
        if isinstance(v, list):
            return [{"tag": p} if isinstance(p, str) else p for p in v]
        return v

    @field_validator("window")
    @classmethod
    def _window(cls, v: str) -> str:
        key = window_key(v)
        if key not in LIVE_WINDOWS:
            raise ValueError(f"unknown window '{v}' (known: {', '.join(LIVE_WINDOWS)})")
        return key

    @property
    def window_s(self) -> float:
        return LIVE_WINDOWS[self.window]

    def ordered_pens(self) -> list[TrendPenConfig]:
        """The pens in the order to add them: ``axis = "left"`` first (the trend plot
        gives the first pen's units the left axis), the rest as written."""
        return sorted(self.pens, key=lambda p: p.axis != "left")


def window_key(text: str) -> str:
    """ "1 h", "1H", "5 min" → the `LIVE_WINDOWS` key ("1h", "5min")."""
    return re.sub(r"\s+", "", text).lower()


def check_trends(config: PlantConfig, shown: str, locator: TomlLocator) -> list[Problem]:
    """Cross-checks of the plant's trend views against its tags, lines and each other."""
    from hmi.config import Problem

    problems: list[Problem] = []

    def problem(i: int, sub: str, msg: str, *loc: Any) -> None:
        line = locator.line_of(("trends", i, *(loc or sub.split("."))))
        problems.append(Problem(shown, line, f"trends[{i}].{sub}", msg))

    tags = config.tag_index
    lines = {line.name for line in config.lines}
    first: dict[str, int] = {}
    default: int | None = None
    for i, view in enumerate(config.trends):
        if view.name in first:
            where = locator.line_of(("trends", first[view.name]))
            problem(i, "name", f"duplicate view name '{view.name}' (first at {shown}:{where})")
        else:
            first[view.name] = i
        if view.default:
            if default is not None:
                msg = f"only one view may be the default (trends[{default}] is already)"
                problem(i, "default", msg)
            else:
                default = i
        if view.line is not None and view.line not in lines:
            known = ", ".join(sorted(lines)) or "none defined"
            problem(i, "line", f"no line named '{view.line}' (known: {known})")
        seen: set[str] = set()
        left_units: dict[str, str] = {}
        for j, pen in enumerate(view.pens):
            where = (f"pens[{j}].tag", "pens", j, "tag")
            tag = tags.get(pen.tag)
            if tag is None:
                problem(i, where[0], f"no tag named '{pen.tag}'", *where[1:])
                continue
            if not tag.type.is_numeric:
                msg = f"'{pen.tag}' is {tag.type.value}: a trend shows numeric tags"
                problem(i, where[0], msg, *where[1:])
            if pen.tag in seen:
                problem(i, where[0], f"'{pen.tag}' is in this view twice", *where[1:])
            seen.add(pen.tag)
            if pen.axis == "left":
                left_units.setdefault(tag.units, pen.tag)
        if len(left_units) > 1:
            shown_units = ", ".join(f"{t} [{u or 'no units'}]" for u, t in left_units.items())
            msg = f"the left axis shows one unit; these differ: {shown_units}"
            problem(i, "pens", msg)
        for j, pen in enumerate(view.pens):
            tag = tags.get(pen.tag)
            if pen.axis == "right" and tag is not None and tag.units in left_units:
                msg = (
                    f"'{pen.tag}' has the units of the left axis ({tag.units or 'no units'}); "
                    "pens of the same units share one axis"
                )
                problem(i, f"pens[{j}].axis", msg, "pens", j, "axis")
    return problems
