"""OPC UA ⇄ TagValue conversions: the notification hot path, and write coercion.

Kept apart from the connection logic in `opcua.py` because this is the code
that runs once per monitored-item change (tens of thousands per second): every
per-item decision that can be made at subscribe time is made there, in
`ItemDecoder.__init__`, not here per item.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from asyncua import ua

from hmi.config import TagConfig
from hmi.drivers.base import Deadband
from hmi.tagvalue import Quality, TagValue

# --------------------------------------------------------------------------- quality

_SEVERITY = (Quality.GOOD, Quality.UNCERTAIN, Quality.BAD, Quality.BAD)


@functools.lru_cache(maxsize=256)
def quality_of(code: int) -> tuple[Quality, str]:
    """(quality, reason) for a StatusCode value; the reason is the code's name unless Good.

    Cached: a plant sees only a handful of distinct codes, and `StatusCode.name`
    is a table lookup plus string work we don't want per item.
    """
    quality = _SEVERITY[(code >> 30) & 3]
    if quality is Quality.GOOD:
        return quality, ""
    return quality, status_name(code)


def status_name(code: int) -> str:
    """The symbolic name of a StatusCode value, e.g. 'BadNodeIdUnknown'."""
    try:
        return ua.StatusCode(code).name
    except Exception:  # an unknown vendor code must still make a readable reason
        return f"0x{code:08X}"


# --------------------------------------------------------------------------- notifications


@dataclass(frozen=True, slots=True)
class _Item:
    """What the hot path needs to know about one monitored tag, resolved once."""

    name: str
    cfg: TagConfig
    gain: float | None
    offset: float
    deadband: bool


class ItemDecoder:
    """Turns the MonitoredItems of one DataChangeNotification into a TagValue batch.

    Client handles are the keys of `handles` (assigned by the driver), so an
    item's tag is one dict lookup away.
    """

    def __init__(self, handles: dict[int, TagConfig]):
        self._items: dict[int, _Item] = {}
        for handle, cfg in handles.items():
            gain, offset = cfg.scale.factor if cfg.scale is not None else (None, 0.0)
            self._items[handle] = _Item(cfg.name, cfg, gain, offset, cfg.deadband > 0)
        self._deadband = Deadband()

    def decode(self, monitored: Iterable[ua.MonitoredItemNotification], now: float) -> list:
        """TagValues for one notification, in server order; items filtered by deadband dropped."""
        out: list[TagValue] = []
        append = out.append
        items = self._items
        good = Quality.GOOD
        for mi in monitored:
            item = items.get(mi.ClientHandle)
            if item is None:
                continue
            dv = mi.Value
            code = dv.StatusCode.value
            variant = dv.Value
            value = variant.Value if variant is not None else None
            ts = dv.SourceTimestamp or dv.ServerTimestamp
            quality, reason = quality_of(code) if code else (good, "")
            if item.gain is not None and value is not None and value.__class__ is not bool:
                try:
                    value = float(value) * item.gain + item.offset
                except (TypeError, ValueError):
                    quality, reason = Quality.BAD, f"cannot scale {value!r}"
            tv = TagValue(item.name, value, quality, ts.timestamp() if ts else now, now, reason)
            if item.deadband and not self._deadband.passes(item.cfg, tv):
                continue
            append(tv)
        return out


# --------------------------------------------------------------------------- writes

VT = ua.VariantType
_INT_RANGES: dict[ua.VariantType, tuple[int, int]] = {
    VT.SByte: (-(2**7), 2**7 - 1),
    VT.Byte: (0, 2**8 - 1),
    VT.Int16: (-(2**15), 2**15 - 1),
    VT.UInt16: (0, 2**16 - 1),
    VT.Int32: (-(2**31), 2**31 - 1),
    VT.UInt32: (0, 2**32 - 1),
    VT.Int64: (-(2**63), 2**63 - 1),
    VT.UInt64: (0, 2**64 - 1),
}
_FLOAT32_MAX = 3.4028234663852886e38


def coerce(value: Any, vtype: ua.VariantType | None) -> Any:
    """`value` as the Python value the node's VariantType encodes; ValueError if it can't be.

    The config's type already shaped the value (`to_raw`); this is the second
    check, against what the server says the node really is, so a config that
    calls an Int16 node "float64" gets a clear refusal instead of a BadTypeMismatch.
    """
    if vtype is None or vtype is VT.Variant:
        return value
    if vtype is VT.Boolean:
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        raise ValueError(f"{value!r} is not a boolean (node is Boolean)")
    if vtype in _INT_RANGES:
        if isinstance(value, str):
            raise ValueError(f"{value!r} is not a number (node is {vtype.name})")
        num = float(value)
        if not math.isfinite(num) or num != math.floor(num):
            raise ValueError(f"{value!r} is not a whole number (node is {vtype.name})")
        lo, hi = _INT_RANGES[vtype]
        if not lo <= int(num) <= hi:
            raise ValueError(f"{value!r} is outside the node's {vtype.name} range {lo}..{hi}")
        return int(num)
    if vtype in (VT.Float, VT.Double):
        if isinstance(value, str):
            raise ValueError(f"{value!r} is not a number (node is {vtype.name})")
        num = float(value)
        if vtype is VT.Float and math.isfinite(num) and abs(num) > _FLOAT32_MAX:
            raise ValueError(f"{value!r} is outside the node's Float range")
        return num
    if vtype is VT.String:
        return str(value)
    return value
