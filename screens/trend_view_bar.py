"""The Trend screen's views picker: the plant's trend views and the user's own, in one list.

Plant views (``[[trends]]`` in the plant config) are read-only: they cannot be deleted
here and their names and titles (in any language) cannot be saved over, so a copy needs
a name of its own. The user's views are kept by `screens.trend_views.TrendViewStore`.

The bar knows nothing of plots: it asks the screen for what to save (a callable that
returns the screen's pens and range as a `TrendView`), emits `view_chosen` for the screen
to apply, and `message` for the screen's status line (so the screen calls `reload()` once
it listens: a views file that cannot be read is said, not lost).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hmi.config import PlantConfig
from screens.trend_views import TrendView, TrendViewStore, ViewStoreError, plant_view

PLANT, USER = "plant", "user"


class TrendViewBar(QWidget):
    """The "Views" title, the picker (under "Plant views" / "My views" headers), and the
    save and delete buttons."""

    view_chosen = Signal(object)
    """A `TrendView` to show: replace the pens by its pens, over its window or range."""
    message = Signal(str)
    """A line for the screen's status (a refusal, an error, "saved")."""

    def __init__(
        self,
        store: TrendViewStore,
        config: PlantConfig,
        lang: str,
        current: Callable[[str], TrendView],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.store = store
        self.plant_views = {v.name: v for v in config.trends}
        self._lines = config.lines
        self._lang = lang
        self._current = current

        self.view_box = QComboBox(self, objectName="viewList")
        self.view_box.setMinimumContentsLength(8)
        self.view_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.view_box.activated.connect(self._on_view_chosen)
        self.view_box.currentIndexChanged.connect(self._update_buttons)
        self.save_button = QPushButton(
            QCoreApplication.translate("Trends", "Save view…"), self, objectName="saveView"
        )
        self.save_button.setToolTip(
            QCoreApplication.translate("Trends", "Save these pens as one of your own views")
        )
        self.save_button.clicked.connect(self._ask_save_view)
        self.delete_button = QPushButton(
            QCoreApplication.translate("Trends", "Delete"), self, objectName="deleteView"
        )
        self.delete_button.setToolTip(
            QCoreApplication.translate(
                "Trends", "Delete the chosen view (your own views only: plant views are read-only)"
            )
        )
        self.delete_button.clicked.connect(self._ask_delete_view)

        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(
            QLabel(QCoreApplication.translate("Trends", "Views"), self, objectName="sectionTitle")
        )
        col.addWidget(self.view_box)
        row = QHBoxLayout()
        row.addWidget(self.save_button, 1)
        row.addWidget(self.delete_button)
        col.addLayout(row)

    def plant_view_title(self, name: str) -> str:
        return self.plant_views[name].title.get(self._lang)

    def default_view(self) -> str | None:
        """The name of the plant's default view, if it has one."""
        return next((v.name for v in self.plant_views.values() if v.default), None)

    def _plant_name_of(self, name: str) -> str | None:
        """The plant view `name` is the name or a title of (any language), else None."""
        key = name.strip().casefold()
        for view in self.plant_views.values():
            titles = (view.name, view.title.en, view.title.zh_TW or "")
            if key in (t.casefold() for t in titles):
                return view.name
        return None

    # -- save, delete, open ----------------------------------------------------------------

    def save_view(self, name: str) -> bool:
        """Save the screen's pens and range as the user's view `name`; a plant view's name
        or title is refused (plant views are read-only: a copy needs a name of its own)."""
        if self._plant_name_of(name) is not None:
            self.message.emit(
                QCoreApplication.translate(
                    "Trends", "'{name}' is a plant view: save your copy under another name"
                ).format(name=name)
            )
            return False
        try:
            self.store.save(self._current(name))
        except ViewStoreError as exc:
            self.message.emit(str(exc))
            return False
        self.reload()
        self._select(USER, name)
        self.message.emit(
            QCoreApplication.translate("Trends", "View '{name}' saved").format(name=name)
        )
        return True

    def delete_view(self, name: str) -> bool:
        """Delete the user's view `name`; plant views cannot be deleted here."""
        if name in self.plant_views:
            self.message.emit(
                QCoreApplication.translate(
                    "Trends", "'{name}' is a plant view: it can only be changed in the plant config"
                ).format(name=self.plant_view_title(name))
            )
            return False
        try:
            self.store.delete(name)
        except ViewStoreError as exc:
            self.message.emit(str(exc))
            return False
        self.reload()
        self.message.emit(
            QCoreApplication.translate("Trends", "View '{name}' deleted").format(name=name)
        )
        return True

    def open_view(self, name: str) -> bool:
        """Open the plant view `name`, else the user's saved view of that name."""
        if name in self.plant_views:
            return self.open_plant_view(name)
        return self.load_view(name)

    def open_plant_view(self, name: str) -> bool:
        """Show the plant view `name`: its pens, live over its window."""
        config = self.plant_views.get(name)
        if config is None:
            self._no_view(name)
            return False
        self.view_chosen.emit(plant_view(config))
        self._select(PLANT, name)
        return True

    def load_view(self, name: str) -> bool:
        """Show the user's saved view `name`."""
        try:
            view = self.store.load(name)
        except KeyError:
            self._no_view(name)
            return False
        except ViewStoreError as exc:
            self.message.emit(str(exc))
            return False
        self.view_chosen.emit(view)
        self._select(USER, name)
        return True

    def _no_view(self, name: str) -> None:
        self.message.emit(
            QCoreApplication.translate("Trends", "No trend view named '{name}'").format(name=name)
        )

    # -- the picker ------------------------------------------------------------------------

    def reload(self) -> None:
        """Refill the picker: a placeholder, then "Plant views" and "My views", each under
        a header that cannot be chosen."""
        try:
            names = self.store.names()
        except ViewStoreError as exc:
            names = []
            self.message.emit(str(exc))
        box = self.view_box
        current = box.currentData()
        box.blockSignals(True)
        box.clear()
        box.addItem(QCoreApplication.translate("Trends", "Open a view…"), None)
        if self.plant_views:
            self._add_header(QCoreApplication.translate("Trends", "Plant views"))
            lines = {line.name: line.title.get(self._lang) for line in self._lines}
            for view in self.plant_views.values():
                box.addItem("  " + view.title.get(self._lang), f"{PLANT}:{view.name}")
                tip = lines.get(view.line or "", "")
                box.setItemData(box.count() - 1, tip or None, Qt.ItemDataRole.ToolTipRole)
        grouped = bool(self.plant_views)  # without plant views, a plain list as before
        if names and grouped:
            self._add_header(QCoreApplication.translate("Trends", "My views"))
        for name in names:
            box.addItem(("  " if grouped else "") + name, f"{USER}:{name}")
        index = box.findData(current)
        box.setCurrentIndex(max(0, index))
        box.blockSignals(False)
        self._update_buttons()

    def _add_header(self, text: str) -> None:
        """A group title in the picker: shown, not choosable."""
        box = self.view_box
        box.addItem(text, None)
        item = box.model().item(box.count() - 1)
        item.setEnabled(False)
        font = QFont(box.font())
        font.setBold(True)
        item.setFont(font)

    def _select(self, kind: str, name: str) -> None:
        index = self.view_box.findData(f"{kind}:{name}") if kind else -1
        self.view_box.setCurrentIndex(max(0, index))

    def clear_choice(self) -> None:
        """Show the placeholder: the operator changed the pens, they are no view's now."""
        self._select("", "")

    def chosen_view(self) -> tuple[str, str] | None:
        """(kind, name) of the view the picker shows, None for the placeholder."""
        return _split_entry(self.view_box.currentData())

    def view_entries(self) -> list[tuple[str, str, str]]:
        """(kind, name, text) of each view in the picker, in its order (headers left out)."""
        box = self.view_box
        out = []
        for i in range(box.count()):
            entry = _split_entry(box.itemData(i))
            if entry:
                out.append((*entry, box.itemText(i).strip()))
        return out

    def _update_buttons(self, *_: Any) -> None:
        chosen = self.chosen_view()
        self.delete_button.setEnabled(chosen is not None and chosen[0] == USER)

    def _on_view_chosen(self, index: int) -> None:
        entry = _split_entry(self.view_box.itemData(index))
        if entry is None:
            return
        kind, name = entry
        if kind == PLANT:
            self.open_plant_view(name)
        else:
            self.load_view(name)

    # -- dialogs ---------------------------------------------------------------------------

    def _ask_save_view(self) -> None:
        chosen = self.chosen_view()
        suggestion = chosen[1] if chosen and chosen[0] == USER else ""
        name, ok = QInputDialog.getText(
            self,
            QCoreApplication.translate("Trends", "Save view"),
            QCoreApplication.translate("Trends", "Name of the view:"),
            text=suggestion,
        )
        if ok and name.strip():
            self.save_view(name.strip())

    def _ask_delete_view(self) -> None:
        chosen = self.chosen_view()
        if chosen is None or chosen[0] != USER:
            return
        answer = QMessageBox.question(
            self,
            QCoreApplication.translate("Trends", "Delete view"),
            QCoreApplication.translate("Trends", "Delete your view '{name}'?").format(
                name=chosen[1]
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_view(chosen[1])


def _split_entry(data: Any) -> tuple[str, str] | None:
    """A picker entry's data "plant:<name>" / "user:<name>" as (kind, name); None for the
    placeholder and the group headers. (A string: Qt compares it in findData.)"""
    if not isinstance(data, str) or ":" not in data:
        return None
    kind, name = data.split(":", 1)
    return kind, name
