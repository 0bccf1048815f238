"""Reusable tag widgets for Pro4 HMI screens.

Every widget here is a `hmi.plugin.TagWidget`: the binder calls
``set_tag_value(TagValue)`` once per display frame in which its tag changed. The
widgets contain no colour: they set dynamic properties and re-polish only when one
changes, and the theme (``resources/themes/isa101.qss``) styles them by selector.

Style hooks (class names are the Python class names; Qt matches them in QSS):

``ValueDisplay`` (QFrame)
    property ``quality``: "good" | "uncertain" | "bad" | "stale" | "disconnected"
    children (QLabel, by object name): ``#caption``, ``#qualityMarker`` (a word such
    as BAD / STALE / NO COMM, shown only when quality is not good), ``#value`` (the
    number, right aligned, tabular digits), ``#units``.
    e.g. ``ValueDisplay[quality="stale"] QLabel#value { color: ...; font-style: italic; }``

``StateIndicator`` (QFrame)
    properties ``quality`` (as above) and ``lineState``: "running" | "idle" | "down" |
    "changeover" | "planned" | "unknown"
    children (QLabel): ``#state`` (the state word), ``#duration`` (mm:ss in state),
    ``#reason`` (why it stopped; hidden for reason 0), ``#qualityMarker``.
    e.g. ``StateIndicator[lineState="down"] { background: ...; }``

Children are re-polished with their parent, so descendant selectors such as
``ValueDisplay[quality="bad"] QLabel#value`` work. A StateIndicator is bound to TWO
tags (state and reason: ``for t in w.tags: ctx.bind(w, t)``) and tells them apart by
``TagValue.name``. Texts are translated in the contexts "ValueDisplay",
"StateIndicator" and "Quality" (``resources/translations/widgets_<lang>.qm``).

The widget library (docs/widgets.md) adds, each with ``quality`` and ``alarmPriority``
("" | "1" … "4", set by ``set_alarm_priority``; the theme draws a border in the
priority colour), the shared tooltip and the context menu (`TagActions`):

``Indicator`` / ``MultiStateLabel`` (QFrame)
    property ``indicatorState``: "on" | "off" | "abnormal" | "unknown"; children
    ``#caption``, ``#state``, ``#qualityMarker``.
``AnalogBar``, ``RadialGauge`` (painted QFrame)
    property ``rangeState``: "low" | "normal" | "high" | "" (no value).
``Sparkline``, ``Motor``, ``Valve``, ``Tank``, ``Conveyor`` (painted QFrame)
    painted widgets take their colours from `widgets.palette.IsaPalette`, not QSS.
``SetpointEntry`` (QFrame)
    property ``entryState``: "" | "pending" | "error"; children ``#caption``,
    ``#value``, ``#units``, ``#editor`` (QLineEdit), ``#apply``, ``#status``,
    ``#qualityMarker``.
``CommandButton`` (QFrame)
    children ``#command`` (QPushButton), ``#status``, ``#qualityMarker``.

Their texts are in the contexts "TagTooltip", "TagMenu", "TagWidget", "Indicator",
"SetpointEntry", "CommandButton" (``resources/translations/widgets2_<lang>.qm``).
"""

from widgets.alarm_aware import AlarmAware, priority_for_tag
from widgets.alarm_list import AlarmList
from widgets.analog_range import AnalogRange
from widgets.bar import AnalogBar
from widgets.context_menu import TagActions
from widgets.formatting import format_duration, format_timestamp, format_value
from widgets.gauge import RadialGauge
from widgets.indicator import Indicator, MultiStateLabel
from widgets.palette import ISA101, IsaPalette
from widgets.push_button import CommandButton
from widgets.setpoint import SetpointEntry
from widgets.sparkline import Sparkline
from widgets.state_indicator import LINE_STATES, StateIndicator
from widgets.symbols import Conveyor, Motor, Symbol, Tank, Valve
from widgets.value_display import ValueDisplay

__all__ = [
    "ISA101",
    "LINE_STATES",
    "AlarmAware",
    "AlarmList",
    "AnalogBar",
    "AnalogRange",
    "CommandButton",
    "Conveyor",
    "Indicator",
    "IsaPalette",
    "Motor",
    "MultiStateLabel",
    "RadialGauge",
    "SetpointEntry",
    "Sparkline",
    "StateIndicator",
    "Symbol",
    "TagActions",
    "Tank",
    "ValueDisplay",
    "Valve",
    "format_duration",
    "format_timestamp",
    "format_value",
    "priority_for_tag",
]
