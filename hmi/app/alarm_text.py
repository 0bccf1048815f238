"""How alarms read on screen: state words, times, value against limit (translated).

Shared by the banner (hmi.app) and the alarm screens (screens/), so an alarm reads
the same everywhere. Words go through `QCoreApplication.translate("Alarms", …)`.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication

from hmi.runtime.alarm_states import AlarmState


def state_word(state: AlarmState | str) -> str:
    """The operator's word for an ISA-18.2 state."""
    words = {
        AlarmState.NORMAL: QCoreApplication.translate("Alarms", "Normal"),
        AlarmState.UNACK: QCoreApplication.translate("Alarms", "Unacknowledged"),
        AlarmState.ACKED: QCoreApplication.translate("Alarms", "Acknowledged"),
        AlarmState.RTN_UNACK: QCoreApplication.translate("Alarms", "RTN unacknowledged"),
        AlarmState.SHELVED: QCoreApplication.translate("Alarms", "Shelved"),
        AlarmState.SUPPRESSED: QCoreApplication.translate("Alarms", "Suppressed"),
        AlarmState.OUT_OF_SERVICE: QCoreApplication.translate("Alarms", "Out of service"),
    }
    try:
        return words[AlarmState(state)]
    except ValueError:
        return str(state)


def clock_time(ts: float | None, with_date: bool = False) -> str:
    """Local wall-clock time of epoch seconds ("" when unknown)."""
    if not ts:
        return ""
    fmt = "%Y-%m-%d %H:%M:%S" if with_date else "%H:%M:%S"
    return datetime.fromtimestamp(ts).strftime(fmt)


def number_text(value: Any) -> str:
    """A value as an operator reads it: 4 significant digits, booleans and text as is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return (
            QCoreApplication.translate("Alarms", "true")
            if value
            else QCoreApplication.translate("Alarms", "false")
        )
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        return f"{value:.4g}" if abs(value) < 1e6 else f"{value:.0f}"
    if isinstance(value, tuple | list):
        return ", ".join(number_text(v) for v in value)
    return str(value)


def value_limit_text(value: Any, limit: Any) -> str:
    """ "10.6 / 9.6": the value at the last transition against its limit."""
    v, lim = number_text(value), number_text(limit)
    if v and lim:
        return f"{v} / {lim}"
    return v or lim
