"""The trend screen's two pen lists: the tag picker (what can be trended) and the pen
table under the plot (what is trended: colour, style, visibility, value, cursor value).

Both are plain item views fed by the screen; they hold no data of their own beyond
text, and tell the screen what the operator asked for by signals.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QListView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hmi.config import TagConfig
from widgets.trend import PEN_COLORS

SEARCH_ROLE = Qt.ItemDataRole.UserRole + 1
TAG_ROLE = Qt.ItemDataRole.UserRole + 2


def swatch(color: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


def style_names() -> dict[str, str]:
    return {
        "solid": QCoreApplication.translate("Trends", "Solid"),
        "dash": QCoreApplication.translate("Trends", "Dashed"),
        "dot": QCoreApplication.translate("Trends", "Dotted"),
        "dashdot": QCoreApplication.translate("Trends", "Dash-dot"),
    }


class TagPicker(QWidget):
    """A filter box over the plant's numeric tags; double-click or Enter adds a pen."""

    chosen = Signal(str)

    def __init__(self, tags: Sequence[TagConfig], lang: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = QStandardItemModel(self)
        for cfg in tags:
            desc = cfg.description.get(lang)
            units = f"  [{cfg.units}]" if cfg.units else ""
            item = QStandardItem(f"{cfg.name}{units}\n{desc}" if desc else f"{cfg.name}{units}")
            item.setEditable(False)
            item.setToolTip(f"{cfg.name}\n{desc}".strip())
            item.setData(f"{cfg.name} {desc} {cfg.units}", SEARCH_ROLE)
            item.setData(cfg.name, TAG_ROLE)
            self.model.appendRow(item)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterRole(SEARCH_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self.search = QLineEdit(self, objectName="tagSearch")
        self.search.setPlaceholderText(QCoreApplication.translate("Trends", "Search tags…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.search.returnPressed.connect(self._choose_first)
        self.list = QListView(self, objectName="tagList")
        self.list.setModel(self.proxy)
        self.list.setSpacing(1)
        self.list.setAlternatingRowColors(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # tag names differ at the end
        self.list.setUniformItemSizes(True)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.doubleClicked.connect(lambda index: self.chosen.emit(index.data(TAG_ROLE)))
        self.add_button = QPushButton(
            QCoreApplication.translate("Trends", "Add pen"), self, objectName="addPen"
        )
        self.add_button.clicked.connect(self._choose_current)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.add_button)

    def visible_tags(self) -> list[str]:
        return [self.proxy.index(r, 0).data(TAG_ROLE) for r in range(self.proxy.rowCount())]

    def _choose_current(self) -> None:
        index = self.list.currentIndex()
        if index.isValid():
            self.chosen.emit(index.data(TAG_ROLE))
        else:
            self._choose_first()

    def _choose_first(self) -> None:
        if self.proxy.rowCount() == 1:
            self.chosen.emit(self.proxy.index(0, 0).data(TAG_ROLE))


class PenTable(QTableWidget):
    """One row per pen: show, tag, description, value, value at cursor, colour, style, remove."""

    SHOW, TAG, DESCRIPTION, VALUE, CURSOR, COLOR, STYLE, REMOVE = range(8)

    visibility_changed = Signal(str, bool)
    color_changed = Signal(str, str)
    style_changed = Signal(str, str)
    remove_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, 8, parent)
        self.setObjectName("penTable")
        headers = [
            "",
            QCoreApplication.translate("Trends", "Tag"),
            QCoreApplication.translate("Trends", "Description"),
            QCoreApplication.translate("Trends", "Value"),
            QCoreApplication.translate("Trends", "At cursor"),
            QCoreApplication.translate("Trends", "Colour"),
            QCoreApplication.translate("Trends", "Line"),
            "",
        ]
        self.setHorizontalHeaderLabels(headers)
        self.verticalHeader().setVisible(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        chars = self.fontMetrics().averageCharWidth()
        for col, width in ((self.VALUE, 14), (self.CURSOR, 14)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(col, chars * width)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        self.itemChanged.connect(self._on_item_changed)
        self._rows: list[str] = []

    def tags(self) -> list[str]:
        return list(self._rows)

    def add_pen(self, tag: str, description: str, color: str, style: str, visible: bool) -> None:
        row = self.rowCount()
        self.blockSignals(True)
        self.insertRow(row)
        show = QTableWidgetItem(swatch(color), "")
        show.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        show.setCheckState(Qt.CheckState.Checked if visible else Qt.CheckState.Unchecked)
        show.setToolTip(QCoreApplication.translate("Trends", "Show or hide this pen"))
        self.setItem(row, self.SHOW, show)
        self.setItem(row, self.TAG, QTableWidgetItem(tag))
        self.setItem(row, self.DESCRIPTION, QTableWidgetItem(description))
        for col in (self.VALUE, self.CURSOR):
            item = QTableWidgetItem("")
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.setItem(row, col, item)
        self.blockSignals(False)
        self._rows.append(tag)

        colors = QComboBox(self)
        for c in PEN_COLORS:
            colors.addItem(swatch(c), "", c)
        colors.setCurrentIndex(max(0, colors.findData(color)))
        colors.setMinimumWidth(self.fontMetrics().averageCharWidth() * 7)
        colors.currentIndexChanged.connect(lambda _i, t=tag, w=colors: self._color(t, w))
        self.setCellWidget(row, self.COLOR, colors)
        styles = QComboBox(self)
        for key, text in style_names().items():
            styles.addItem(text, key)
        styles.setCurrentIndex(max(0, styles.findData(style)))
        styles.currentIndexChanged.connect(
            lambda _i, t=tag, w=styles: self.style_changed.emit(t, w.currentData())
        )
        self.setCellWidget(row, self.STYLE, styles)
        remove = QToolButton(self, objectName="removePen")
        remove.setText("✕")
        remove.setToolTip(QCoreApplication.translate("Trends", "Remove this pen"))
        remove.clicked.connect(lambda _c=False, t=tag: self.remove_requested.emit(t))
        self.setCellWidget(row, self.REMOVE, remove)

    def remove_pen(self, tag: str) -> None:
        row = self._rows.index(tag)
        self.removeRow(row)
        self._rows.pop(row)

    def set_text(self, tag: str, column: int, text: str) -> None:
        item = self.item(self._rows.index(tag), column)
        if item is not None and item.text() != text:
            item.setText(text)

    def text(self, tag: str, column: int) -> str:
        item = self.item(self._rows.index(tag), column)
        return item.text() if item is not None else ""

    def _color(self, tag: str, combo: QComboBox) -> None:
        color = combo.currentData()
        self.blockSignals(True)
        self.item(self._rows.index(tag), self.SHOW).setIcon(swatch(color))
        self.blockSignals(False)
        self.color_changed.emit(tag, color)

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == self.SHOW:
            tag = self._rows[item.row()]
            self.visibility_changed.emit(tag, item.checkState() == Qt.CheckState.Checked)
