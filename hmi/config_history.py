"""History settings in the plant config: what the historian stores for each tag.

A plant-level ``[history]`` table sets the defaults; a tag overrides any of them
with ``history = { ... }`` (or ``history = false``). What a tag gets when it says
nothing depends on its type, because one default cannot suit all of them:

| type | historised | deadband |
| --- | --- | --- |
| float32 / float64 (analog) | yes | the plant default (0.1 % unless set) |
| integer, bool | yes | none: every change is stored (counters, states) |
| string | no | (strings cannot be trended; enabling it is a config error) |

A **percent** deadband is a percentage of the tag's engineering *span*: its
``history.span`` if given, else ``eng_max - eng_min`` of a range scale, else
(no span known) of the magnitude of the last stored value.

`hmi.config` imports this module at its top, so it must not import `hmi.config`
at module level.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

if TYPE_CHECKING:
    from hmi.config import TagConfig

DAY_S = 86_400.0


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _one_deadband(deadband: float | None, percent: float | None) -> None:
    if deadband is not None and percent is not None:
        raise ValueError("give either deadband (absolute) or deadband_percent, not both")


class HistoryDefaults(_Strict):
    """The plant's ``[history]`` table: defaults for every historised tag."""

    enabled: bool = True  # False: the historian stores nothing for this plant
    deadband: float | None = Field(default=None, ge=0)  # absolute, engineering units
    deadband_percent: float | None = Field(default=None, ge=0, le=100)
    heartbeat_s: float = Field(default=600.0, ge=0)  # 0: no heartbeat
    retention_days: float = Field(default=90.0, ge=0)  # 0: keep forever
    purge_interval_s: float = Field(default=3600.0, gt=0)

    @model_validator(mode="after")
    def _check(self) -> HistoryDefaults:
        _one_deadband(self.deadband, self.deadband_percent)
        return self

    @property
    def analog_deadband(self) -> tuple[float, bool]:
        """(size, is_percent) for analog tags that set no deadband: 0.1 % unless configured."""
        if self.deadband is not None:
            return self.deadband, False
        return (0.1 if self.deadband_percent is None else self.deadband_percent), True


class TagHistory(_Strict):
    """A tag's ``history`` table; every field left out inherits (see the module doc)."""

    enabled: bool | None = None
    deadband: float | None = Field(default=None, ge=0)
    deadband_percent: float | None = Field(default=None, ge=0, le=100)
    span: float | None = Field(default=None, gt=0)  # basis of deadband_percent
    heartbeat_s: float | None = Field(default=None, ge=0)
    retention_days: float | None = Field(default=None, ge=0)  # 0: keep forever

    @model_validator(mode="before")
    @classmethod
    def _bool_shorthand(cls, data: Any) -> Any:
        """``history = false`` / ``history = true`` (and yes/no in a CSV column)."""
        if isinstance(data, bool):
            return {"enabled": data}
        return data

    @model_validator(mode="after")
    def _check(self) -> TagHistory:
        _one_deadband(self.deadband, self.deadband_percent)
        return self

    @property
    def is_set(self) -> bool:
        return bool(self.model_fields_set)


@dataclass(frozen=True, slots=True)
class HistorySettings:
    """One tag's effective settings, after defaults: what the recorder works with."""

    enabled: bool
    deadband: float = 0.0  # absolute, or percent when `percent`
    percent: bool = False
    span: float | None = None  # basis for a percent deadband; None: the last stored value
    heartbeat_s: float = 600.0
    retention_days: float = 90.0  # 0: keep forever

    def threshold(self, last: float) -> float:
        """The deadband in engineering units around the last stored value `last`."""
        if not self.percent:
            return self.deadband
        basis = self.span if self.span is not None else abs(last)
        return self.deadband / 100.0 * basis


def resolve_history(tag: TagConfig, defaults: HistoryDefaults) -> HistorySettings:
    """The effective history settings of `tag` under the plant `defaults`."""
    own = tag.history
    typ = tag.type
    numeric_default = typ.is_numeric or typ.value == "bool"
    enabled = defaults.enabled and (own.enabled if own.enabled is not None else numeric_default)
    if own.deadband is not None:
        deadband, percent = own.deadband, False
    elif own.deadband_percent is not None:
        deadband, percent = own.deadband_percent, True
    elif typ.value in ("float32", "float64"):
        deadband, percent = defaults.analog_deadband
    else:
        deadband, percent = 0.0, False
    span = own.span
    if span is None and tag.scale is not None and tag.scale.eng_max is not None:
        span = abs(tag.scale.eng_max - tag.scale.eng_min)  # type: ignore[operator]
    return HistorySettings(
        enabled=enabled,
        deadband=deadband,
        percent=percent,
        span=span or None,
        heartbeat_s=defaults.heartbeat_s if own.heartbeat_s is None else own.heartbeat_s,
        retention_days=own.retention_days
        if own.retention_days is not None
        else defaults.retention_days,
    )
