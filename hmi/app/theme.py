"""The ISA-101 theme: one QSS file with property selectors, applied to the whole app.

Widgets never hard-code colours; they set dynamic properties (`quality`,
`lineState`, `connState`, …) and the theme decides the look (see the comment block
at the top of resources/themes/isa101.qss).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory, QWidget

from hmi.paths import RESOURCES

THEMES = RESOURCES / "themes"
DEFAULT_THEME = "isa101"

# ISA-101 greys: the palette paints every background, the QSS only what has a state.
PALETTE = {
    QPalette.ColorRole.Window: "#d4d4d4",
    QPalette.ColorRole.WindowText: "#1a1a1a",
    QPalette.ColorRole.Base: "#ececec",
    QPalette.ColorRole.AlternateBase: "#dedede",
    QPalette.ColorRole.Text: "#1a1a1a",
    QPalette.ColorRole.Button: "#c4c4c4",
    QPalette.ColorRole.ButtonText: "#1a1a1a",
    QPalette.ColorRole.ToolTipBase: "#f0f0f0",
    QPalette.ColorRole.ToolTipText: "#1a1a1a",
    QPalette.ColorRole.Highlight: "#5a5a5a",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.PlaceholderText: "#6e6e6e",
}


def theme_path(name: str = DEFAULT_THEME) -> Path:
    return THEMES / f"{name}.qss"


def apply_theme(app: QApplication, name: str = DEFAULT_THEME) -> None:
    """Use the Fusion style (same look on every OS), grey palette, the named QSS on top.

    Idempotent: setting a style sheet re-polishes every live widget, so a second
    session on the same QApplication (tests, embedding) must not pay for it again.
    """
    if app.property("hmi_theme") == name:
        return
    style = QStyleFactory.create("Fusion")
    if style is not None:
        app.setStyle(style)
    palette = QPalette()
    for role, colour in PALETTE.items():
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, "#7a7a7a")
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, "#7a7a7a")
    app.setPalette(palette)
    app.setStyleSheet(theme_path(name).read_text(encoding="utf-8"))
    app.setProperty("hmi_theme", name)


def set_state_property(widget: QWidget, name: str, value: str) -> None:
    """Set a styling property and re-polish so the QSS selector takes effect now."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    repolish(widget)


def repolish(widget: QWidget) -> None:
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()
