"""The navigation bar: a button per plant screen, and a System menu for the rest.

ISA-101 puts the plant hierarchy (overview → line → unit) first and system
displays (diagnostics, audit, KPIs) below it: those sit in one "System" menu at
the end of the bar, so the bar fits a 1280-pixel panel however many there are.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QMenu,
    QPushButton,
    QSizePolicy,
    QWidget,
)


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
        self.buttons: dict[str, QPushButton | QAction] = {}
        self._menu_button: QPushButton | None = None
        self._menu: QMenu | None = None

    def add(self, key: str, title: str, *, in_menu: bool = False) -> QPushButton | QAction:
        """A button for `key` in the bar, or an entry in the System menu (`in_menu`)."""
        text = title.replace("&", "&&")  # "&" is a shortcut marker in Qt
        if in_menu:
            action = self._system_menu().addAction(text)
            action.setCheckable(True)
            action.setObjectName(f"nav_{key}")
            action.triggered.connect(lambda _checked=False, k=key: self.selected.emit(k))
            self.buttons[key] = action
            return action
        button = QPushButton(text, self)
        button.setCheckable(True)
        button.setObjectName(f"nav_{key}")
        button.clicked.connect(lambda _checked=False, k=key: self.selected.emit(k))
        self._group.addButton(button)
        self._layout.insertWidget(self._plain_end(), button)
        self.buttons[key] = button
        return button

    def _plain_end(self) -> int:
        """Where the next plain button goes: before the stretch and the System button."""
        return self._layout.count() - 1 - (1 if self._menu_button is not None else 0)

    def _system_menu(self) -> QMenu:
        if self._menu is None:
            title = QCoreApplication.translate("NavBar", "System")
            self._menu_button = QPushButton(title, self)  # Qt draws the menu arrow
            self._menu_button.setObjectName("nav_system")
            self._menu_button.setCheckable(True)
            self._group.addButton(self._menu_button)
            self._menu = QMenu(self._menu_button)
            self._menu_button.setMenu(self._menu)
            self._layout.insertWidget(self._layout.count() - 1, self._menu_button)
        return self._menu

    def set_current(self, key: str) -> None:
        """Mark `key` as shown: its button, or the System button with the entry ticked."""
        item = self.buttons.get(key)
        for other in self.buttons.values():
            if isinstance(other, QAction):
                other.setChecked(other is item)
        if isinstance(item, QAction) and self._menu_button is not None:
            self._menu_button.setChecked(True)
        elif item is not None:
            item.setChecked(True)
