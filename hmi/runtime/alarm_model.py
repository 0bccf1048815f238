"""The alarm data types: what an alarm is, what happened to it, and how it stands now.

`AlarmDef` is an alarm definition compiled for evaluation, `AlarmEvent` one
transition as journaled, `AlarmRecord` one alarm not in Normal as the banner and
the summary show it. Immutable values with no logic beyond (de)serialisation, in
their own module so the journal, the screens and the plugin SDK can use them
without the engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hmi.config_alarms import AlarmConfig, AlarmType
from hmi.runtime.alarm_states import AlarmState, EventKind

COMM_TYPE = "comm"
"""The `AlarmDef.type` of a communication alarm (and of the station's own alarms)."""
COMM_AREA = "System"


@dataclass(frozen=True, slots=True)
class AlarmEvent:
    """One alarm transition (or a horn silence), as journaled and shown.

    `state` is the state the alarm is in after the event; `kind` says what
    happened. `unacked` and `condition` complete the picture so that the last
    event per alarm is enough for `AlarmEngine.restore` after a restart.
    `value`/`limit` are what the alarm compared at that moment (for a rate of
    change, the rate; for a discrete alarm, the alarming values as a tuple).
    """

    time: float
    alarm_id: str
    tag: str
    kind: EventKind
    state: AlarmState | None
    value: Any
    limit: Any
    priority: int
    area: str
    message_en: str
    message_zh_TW: str
    user: str | None = None
    comment: str | None = None
    alarm_type: str = ""
    unacked: bool = False
    condition: bool = False
    shelved_until: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-serialisable (e.g. the journal's `details`); `from_dict` reverses it."""
        # Shallow on purpose: every field is a plain value, and asdict's deep copy cost
        # ~48 µs per event on the journal's path (a few µs this way).
        d = {name: getattr(self, name) for name in self.__slots__}
        d["kind"] = self.kind.value
        d["state"] = self.state.value if self.state else None
        if isinstance(self.limit, tuple):
            d["limit"] = list(self.limit)
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> AlarmEvent:
        data = dict(d)
        data["kind"] = EventKind(data["kind"])
        data["state"] = AlarmState(data["state"]) if data.get("state") else None
        if isinstance(data.get("limit"), list):
            data["limit"] = tuple(data["limit"])
        return cls(**data)

    def message(self, lang: str) -> str:
        return _pick(lang, self.message_en, self.message_zh_TW)


@dataclass(frozen=True, slots=True)
class AlarmRecord:
    """One alarm not in Normal, as the banner and summary screen show it (immutable)."""

    alarm_id: str
    tag: str
    alarm_type: str
    state: AlarmState
    priority: int
    area: str
    message_en: str
    message_zh_TW: str
    value: Any  # at the last transition
    limit: Any
    condition: bool  # the process condition is present now
    unacked: bool
    latched: bool
    activated_at: float  # last time it became active-unacknowledged
    since: float  # time of the last transition
    shelved_until: float | None = None
    shelve_reason: str | None = None
    user: str | None = None  # who did the last operator action

    def message(self, lang: str) -> str:
        return _pick(lang, self.message_en, self.message_zh_TW)


@dataclass(frozen=True, slots=True)
class AlarmDef:
    """An alarm definition compiled for evaluation (from an `AlarmConfig`, or a comm alarm)."""

    alarm_id: str
    tag: str
    type: str  # an AlarmType value, or "comm"
    priority: int
    area: str
    message_en: str
    message_zh_TW: str
    limit: float | None = None
    deadband: float = 0.0
    on_delay_s: float = 0.0
    off_delay_s: float = 0.0
    latched: bool = False
    setpoint_tag: str | None = None
    per_factor: float = 1.0  # rate per second × this = rate in the configured unit
    window_s: float = 10.0  # rate of change: measured over this window
    direction: str = "both"
    states: tuple[Any, ...] = ()
    suppress_tag: str | None = None
    suppress_values: tuple[Any, ...] = ()

    @classmethod
    def from_config(cls, a: AlarmConfig) -> AlarmDef:
        states: tuple[Any, ...] = ()
        if a.type is AlarmType.DISCRETE:
            states = tuple(a.states) if a.states else (a.value,)
        sw = a.suppress_when
        return cls(
            alarm_id=a.alarm_id,
            tag=a.tag,
            type=a.type.value,
            priority=a.priority,
            area=a.area_name,
            message_en=a.message.en,
            message_zh_TW=a.message.zh_TW or a.message.en,
            limit=a.limit,
            deadband=a.deadband,
            on_delay_s=a.on_delay_s,
            off_delay_s=a.off_delay_s,
            latched=a.latched,
            setpoint_tag=a.setpoint_tag,
            per_factor=60.0 if a.per == "min" else 1.0,
            window_s=a.window_s if a.window_s is not None else 10.0,
            direction=a.direction,
            states=states,
            suppress_tag=sw.tag if sw else None,
            suppress_values=tuple(sw.values) if sw else (),
        )

    @classmethod
    def system(cls, key: str, message_en: str, message_zh_TW: str, priority: int) -> AlarmDef:
        """A condition of the station itself (e.g. its event store is unavailable)."""
        return cls(
            alarm_id=f"System.{key}",
            tag=f"system:{key}",
            type=COMM_TYPE,
            priority=priority,
            area=COMM_AREA,
            message_en=message_en,
            message_zh_TW=message_zh_TW,
        )

    @classmethod
    def comm(cls, connection: str, priority: int, on_delay_s: float) -> AlarmDef:
        return cls(
            alarm_id=f"Comm.{connection}",
            tag=connection,
            type=COMM_TYPE,
            priority=priority,
            area=COMM_AREA,
            message_en=f"Communication lost: {connection}",
            message_zh_TW=f"通訊中斷：{connection}",
            on_delay_s=on_delay_s,
        )

    @property
    def shown_limit(self) -> Any:
        return self.states if self.type == AlarmType.DISCRETE else self.limit


def _pick(lang: str, en: str, zh: str) -> str:
    return zh if lang.startswith("zh") and zh else en
