"""The navigation bar: one checkable button per screen, in the order screens were added."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QSizePolicy, QWidget


class NavBar(QWidget):
    """Emits `selected(screen key)` when the operator picks a screen."""

    selected = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("navBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(8, 0, 8, 0)
        self._layout.setSpacing(2)
        self._layout.addStretch(1)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self.buttons: dict[str, QPushButton] = {}

    def add(self, key: str, title: str) -> QPushButton:
        button = QPushButton(title, self)
        button.setCheckable(True)
        button.setObjectName(f"nav_{key}")
        button.clicked.connect(lambda _checked=False, k=key: self.selected.emit(k))
        self._group.addButton(button)
        self._layout.insertWidget(self._layout.count() - 1, button)
        self.buttons[key] = button
        return button

    def set_current(self, key: str) -> None:
        button = self.buttons.get(key)
        if button is not None:
            button.setChecked(True)
