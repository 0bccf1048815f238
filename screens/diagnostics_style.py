"""Theme colours for table cells, read from the station's QSS instead of written here.

Style sheets cannot select the cells of an item view by their data, but the theme
already styles the two things a diagnostics table shows: a connection light
(``#connLight[connState=...]``) and a quality marker
(``[quality=...] QLabel#qualityMarker``). So this module polishes one hidden probe
widget per state and reads the colours the theme gave it. The theme keeps the final
word; ISA-101 holds: a normal state gets no colour at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QBrush, QFont, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from hmi.drivers.base import ConnectionState
from hmi.tagvalue import Quality

ABNORMAL_CONNECTION = (
    ConnectionState.CONNECTING,
    ConnectionState.DISCONNECTED,
    ConnectionState.STOPPED,
)
ABNORMAL_QUALITY = (Quality.UNCERTAIN, Quality.BAD, Quality.STALE, Quality.DISCONNECTED)


@dataclass(frozen=True)
class CellStyle:
    """What a cell in an abnormal state looks like; None parts are left to the view."""

    foreground: QBrush | None
    background: QBrush | None
    font: QFont | None


class StatePalette:
    """Cell styles per connection state and per quality, taken from the current theme."""

    def __init__(self, base_font: QFont):
        self._conn = {
            s.value: self._probe_connection(s.value, base_font) for s in ABNORMAL_CONNECTION
        }
        self._quality = {q.value: self._probe_quality(q.value, base_font) for q in ABNORMAL_QUALITY}

    def connection(self, state: str) -> CellStyle | None:
        """The style of a connection-state cell; None when the state is normal."""
        return self._conn.get(state)

    def quality(self, quality: str) -> CellStyle | None:
        """The style of a quality cell; None when the quality is good."""
        return self._quality.get(quality)

    # -- probes ------------------------------------------------------------------------------

    @staticmethod
    def _probe_connection(state: str, base_font: QFont) -> CellStyle:
        light = QLabel(objectName="connLight")
        light.setProperty("connState", state)
        return _style_of(light, base_font)

    @staticmethod
    def _probe_quality(quality: str, base_font: QFont) -> CellStyle:
        frame = QFrame()
        frame.setProperty("quality", quality)
        marker = QLabel(frame, objectName="qualityMarker")
        QVBoxLayout(frame).addWidget(marker)
        frame.ensurePolished()
        style = _style_of(marker, base_font)
        # Doubtful values read as doubtful without colour: in italics, as ValueDisplay does.
        if quality in (Quality.UNCERTAIN.value, Quality.STALE.value):
            font = QFont(base_font)
            font.setItalic(True)
            return CellStyle(style.foreground, style.background, font)
        return style


def _style_of(probe: QWidget, base_font: QFont) -> CellStyle:
    """The colours the theme gave `probe`, as brushes for item-view roles; a colour that
    is just the application's own (unstyled) one is left out."""
    probe.ensurePolished()
    palette = probe.palette()
    neutral = QPalette()  # the application palette: what an unstyled cell shows
    fg = palette.color(QPalette.ColorRole.WindowText)
    bg = palette.color(QPalette.ColorRole.Window)
    plain_bg = (neutral.color(QPalette.ColorRole.Window), neutral.color(QPalette.ColorRole.Base))
    foreground = QBrush(fg) if fg != neutral.color(QPalette.ColorRole.Text) else None
    background = QBrush(bg) if bg not in plain_bg else None
    font = QFont(base_font)
    font.setBold(background is not None)  # a coloured word alone stays regular: less noise
    return CellStyle(foreground, background, font)
