"""The ISA-101 colours of PAINTED widgets (gauge, bar, sparkline, symbols), in one place.

Widgets built from labels and frames are coloured by the QSS theme through properties;
widgets that draw with QPainter cannot be reached by QSS, so they take their colours
from an `IsaPalette` instead of hard-coding them. The default matches the theme
(``resources/themes/isa101.qss``): greys for everything normal, magenta for data that
cannot be trusted, and the alarm priority colours only for alarms.

Alarm priority colours (the ISA-101 / EEMUA 191 convention, and the defaults of
`hmi.config_alarms.default_priorities`): 1 critical red, 2 high orange, 3 medium
yellow, 4 low blue. Magenta is kept for communication and data quality, so it is not
an alarm priority colour here. A plant that redefines its priorities in the config
gets them on painted widgets through `IsaPalette.with_priorities`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Protocol

from PySide6.QtGui import QColor

DEFAULT_ALARM_COLOURS: dict[int, str] = {
    1: "#E0201B",  # critical: red
    2: "#F08C00",  # high: orange
    3: "#F2D100",  # medium: yellow
    4: "#2E86DE",  # low: blue
}
"""Priority → colour; the same values as the config's default priorities and the QSS."""


class _HasPriorityColour(Protocol):
    priority: int
    color: str


@dataclass(frozen=True)
class IsaPalette:
    """Colours for painted widgets. Immutable: pass a new one to change the look."""

    background: str = "#d4d4d4"  # the screen
    face: str = "#cbcbcb"  # a symbol's body when stopped / normal
    track: str = "#b4b4b4"  # a bar's or gauge's whole range
    normal_band: str = "#e6e6e6"  # the normal operating range: lighter than the track
    outline: str = "#8c8c8c"  # a quiet outline
    active_outline: str = "#1a1a1a"  # running / open: a dark outline, not a colour
    active_face: str = "#9a9a9a"  # running / open body
    ink: str = "#1a1a1a"  # text and the value marker
    inverse_ink: str = "#ffffff"  # text on a dark or saturated fill
    faint_ink: str = "#6a6a6a"  # scale text, stale values
    level: str = "#a8a8a8"  # a tank's liquid
    out_of_normal: str = "#1a1a1a"  # a value outside its normal band (shape says it)
    quality: str = "#a0009c"  # bad data / no communication: magenta, as in the QSS
    alarm: Mapping[int, str] = field(
        default_factory=lambda: MappingProxyType(dict(DEFAULT_ALARM_COLOURS))
    )

    def color(self, name: str) -> QColor:
        """A named colour of this palette as a QColor."""
        return QColor(getattr(self, name))

    def alarm_color(self, priority: int) -> QColor:
        """The colour of an alarm priority; the quiet outline for an unknown one."""
        return QColor(self.alarm.get(priority, self.outline))

    def with_priorities(self, priorities: Iterable[_HasPriorityColour]) -> IsaPalette:
        """This palette with the plant's own priority colours (`config.alarm_priorities`)."""
        colours = dict(self.alarm)
        colours.update({p.priority: p.color for p in priorities})
        return replace(self, alarm=MappingProxyType(colours))


ISA101 = IsaPalette()
"""The default palette (immutable; widgets accept another one in their constructor)."""
