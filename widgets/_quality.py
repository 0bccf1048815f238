"""What every tag widget shares: quality words, style properties and their cheap re-polish.

Qt style sheets match dynamic properties only when a widget is polished, and a
descendant selector (``ValueDisplay[quality="bad"] QLabel#value``) is matched when
the CHILD is polished. So a change re-polishes the widget and its labels — and only
on a change, because polishing is far dearer than comparing two strings.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QWidget

from hmi.tagvalue import Quality


class StyleProperties:
    """Holds a widget's style properties and re-polishes it (and `parts`) when one changes."""

    def __init__(self, owner: QWidget, parts: Iterable[QWidget] = ()):
        self._owner = owner
        self._parts = list(parts)
        self._values: dict[str, str] = {}
        self.repolish_count = 0
        """How often the widget was re-polished: tests and benchmarks read it."""

    def set(self, **props: str) -> bool:
        """Set properties; re-polish once if any value differs. Returns whether it did."""
        changed = False
        for name, value in props.items():
            if self._values.get(name) != value:
                self._values[name] = value
                self._owner.setProperty(name, value)
                changed = True
        if changed:
            self.repolish()
        return changed

    def get(self, name: str) -> str | None:
        return self._values.get(name)

    def repolish(self) -> None:
        self.repolish_count += 1
        for w in (self._owner, *self._parts):
            style = w.style()
            style.unpolish(w)
            style.polish(w)
        self._owner.update()


def quality_marker(quality: Quality) -> str:
    """The short word shown next to a value whose quality is not good (no colour needed)."""
    match quality:
        case Quality.UNCERTAIN:
            return QCoreApplication.translate("Quality", "UNCERTAIN")
        case Quality.BAD:
            return QCoreApplication.translate("Quality", "BAD")
        case Quality.STALE:
            return QCoreApplication.translate("Quality", "STALE")
        case Quality.DISCONNECTED:
            return QCoreApplication.translate("Quality", "NO COMM")
    return ""


def show_marker(label: QLabel, quality: Quality) -> None:
    """Show the quality word in `label`, hidden while the quality is good: the one way
    the label-based widgets (indicator, setpoint, command button) show it."""
    marker = quality_marker(quality)
    label.setText(marker)
    label.setVisible(bool(marker))


def quality_word(quality: Quality) -> str:
    """The quality spelled out, for tooltips and details."""
    match quality:
        case Quality.GOOD:
            return QCoreApplication.translate("Quality", "good")
        case Quality.UNCERTAIN:
            return QCoreApplication.translate("Quality", "uncertain")
        case Quality.BAD:
            return QCoreApplication.translate("Quality", "bad")
        case Quality.STALE:
            return QCoreApplication.translate("Quality", "stale")
        case Quality.DISCONNECTED:
            return QCoreApplication.translate("Quality", "disconnected")
    return str(quality)
