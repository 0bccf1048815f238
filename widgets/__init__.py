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
"""

from widgets.formatting import format_duration, format_timestamp, format_value
from widgets.state_indicator import LINE_STATES, StateIndicator
from widgets.value_display import ValueDisplay

__all__ = [
    "LINE_STATES",
    "StateIndicator",
    "ValueDisplay",
    "format_duration",
    "format_timestamp",
    "format_value",
]
