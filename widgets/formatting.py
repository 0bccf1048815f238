"""Turning tag values, timestamps and durations into the text an operator reads.

Pure functions without Qt, so the same rules serve widgets, exports and tests.
Words (for booleans) are passed in by the caller, which owns their translation.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from hmi.config import DataType, TagConfig

NO_VALUE = "----"
"""Shown where there is no value to show (never received, or no connection)."""


def format_value(
    value: Any,
    config: TagConfig | None = None,
    *,
    true_text: str = "On",
    false_text: str = "Off",
) -> str:
    """The display text of `value` by the tag's config.

    `config.format` (a Python format spec such as ".1f") wins when given; otherwise
    integers show without decimals, floats with up to two, booleans as words and
    strings as they are. A value the spec cannot format falls back to `str()` rather
    than raising: a surprising value must still be visible, not crash a frame.
    """
    if value is None:
        return NO_VALUE
    kind = config.type if config is not None else None
    if isinstance(value, bool) or kind is DataType.BOOL:
        return true_text if bool(value) else false_text
    if isinstance(value, str) or kind is DataType.STRING:
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    spec = config.format if config is not None else ""
    if spec:
        try:
            return format(value, spec)
        except (ValueError, TypeError):
            return str(value)
    if (kind is not None and kind.is_integer) or isinstance(value, int):
        try:
            return str(int(value))
        except (ValueError, TypeError):
            return str(value)
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def format_timestamp(ts: float) -> str:
    """POSIX seconds as local date and time with milliseconds; "----" for no stamp."""
    if not ts:
        return NO_VALUE
    dt = datetime.fromtimestamp(ts)
    return dt.strftime("%Y-%m-%d %H:%M:%S.") + f"{dt.microsecond // 1000:03d}"


def format_duration(seconds: float) -> str:
    """A duration as mm:ss, or h:mm:ss from one hour on; negative clock skew shows 00:00."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"
