"""The integrator's write dialog: current value, new value, confirm old → new, result.

The write goes through the screen context, i.e. the runtime's one command API, and
its result comes back later on the GUI thread; the dialog stays responsive while it
waits, shows ok or the device's (or runtime's) error, and never decides for the
device: a value the runtime refuses is reported, not guessed at here. A person who
may not write the tag (`can_write`, re-asked when the session changes) cannot get
past the first step; the runtime's check still counts. Style hook:
``QLabel#writeStatus[outcome="pending"|"ok"|"error"]``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hmi.app.theme import set_state_property
from hmi.config import DataType, TagConfig
from hmi.drivers.base import WriteResult
from hmi.tagvalue import TagValue

TYPOGRAPHY = "QLabel#confirmText, QLabel#writeStatus { font-weight: 600; }"
"""Weight only: the question and the answer stand out; colours stay the theme's."""


class Writer(Protocol):
    """The write path (`ScreenContext.write`)."""

    def write(
        self, tag: str, value: Any, on_done: Callable[[WriteResult], None] | None = None
    ) -> None: ...


class WriteDialog(QDialog):
    """Write one tag, in three steps: enter → confirm (old → new) → result."""

    def __init__(
        self,
        writer: Writer,
        config: TagConfig,
        current: TagValue | None,
        fmt: Callable[[TagConfig, Any], str],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("writeDialog")
        self.setWindowTitle(QCoreApplication.translate("Diagnostics", "Write tag"))
        self.setMinimumWidth(460)
        self.setStyleSheet(TYPOGRAPHY)
        self._writer = writer
        self._config = config
        self._fmt = fmt
        self.result_value: WriteResult | None = None

        units = f" {config.units}" if config.units else ""
        self.old_text = fmt(config, current.value if current else None) + units
        self.input = QLineEdit(objectName="newValue")
        self.choice = QComboBox(objectName="newChoice")  # booleans: pick a word, don't type
        now = current.value if current is not None else None
        if config.type is DataType.BOOL:
            for value in (True, False):
                self.choice.addItem(fmt(config, value), "true" if value else "false")
            self.choice.setCurrentIndex(0 if now is None or bool(now) else 1)
        elif now is not None:
            self.input.setText(self._editable(now))
        self.input.setPlaceholderText(self._hint())
        self.input.selectAll()
        self.input.textChanged.connect(self._input_changed)
        self.input.returnPressed.connect(self._on_next)
        editor = self.choice if config.type is DataType.BOOL else self.input
        self.input.setVisible(editor is self.input)
        self.choice.setVisible(editor is self.choice)

        form = QFormLayout()
        form.addRow(
            QCoreApplication.translate("Diagnostics", "Tag:"),
            QLabel(config.name, objectName="tagName"),
        )
        form.addRow(QCoreApplication.translate("Diagnostics", "Type:"), QLabel(config.type.value))
        form.addRow(
            QCoreApplication.translate("Diagnostics", "Current value:"),
            QLabel(self.old_text, objectName="oldValue"),
        )
        new_value = QHBoxLayout()
        new_value.addWidget(self.input)
        new_value.addWidget(self.choice, 1)
        form.addRow(QCoreApplication.translate("Diagnostics", "New value:"), new_value)

        self.confirm_label = QLabel(objectName="confirmText")
        self.confirm_label.setWordWrap(True)
        self.confirm_label.hide()
        self.status_label = QLabel(objectName="writeStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label.hide()

        self.next_button = QPushButton(
            QCoreApplication.translate("Diagnostics", "Write…"), objectName="nextButton"
        )
        self.confirm_button = QPushButton(
            QCoreApplication.translate("Diagnostics", "Confirm write"), objectName="confirmButton"
        )
        self.back_button = QPushButton(
            QCoreApplication.translate("Diagnostics", "Back"), objectName="backButton"
        )
        self.close_button = QPushButton(
            QCoreApplication.translate("Diagnostics", "Cancel"), objectName="closeButton"
        )
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self._on_next)
        self.confirm_button.clicked.connect(self._on_confirm)
        self.back_button.clicked.connect(self._on_back)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.back_button, self.next_button, self.confirm_button, self.close_button):
            buttons.addWidget(b)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.confirm_label)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)
        self.denied_label = QLabel(objectName="writeDenied")
        self.denied_label.setWordWrap(True)
        layout.insertWidget(1, self.denied_label)
        if hasattr(writer, "session_changed"):  # the station's context; plain writers lack it
            writer.session_changed.connect(self._permission_changed)
        self._show_step("enter")
        self._permission_changed()

    # -- steps -------------------------------------------------------------------------------

    def _on_next(self) -> None:
        if not self.next_button.isVisible() or not self.next_button.isEnabled():
            return
        self.confirm_label.setText(
            QCoreApplication.translate("Diagnostics", "Write {tag}: {old} → {new}?").format(
                tag=self._config.name, old=self.old_text, new=self.new_text()
            )
        )
        self._show_step("confirm")

    def _on_back(self) -> None:
        self._show_step("enter")

    def _on_confirm(self) -> None:
        self.status_label.setText(QCoreApplication.translate("Diagnostics", "Writing…"))
        set_state_property(self.status_label, "outcome", "pending")
        self.status_label.show()
        self._show_step("waiting")
        self._writer.write(self._config.name, self.new_value(), self._on_result)

    def _on_result(self, result: WriteResult) -> None:
        self.result_value = result
        if result.ok:
            units = f" {self._config.units}" if self._config.units else ""
            text = QCoreApplication.translate("Diagnostics", "Written: {value}").format(
                value=self._fmt(self._config, result.value) + units
            )
        else:
            text = QCoreApplication.translate("Diagnostics", "Not written: {error}").format(
                error=result.error
            )
        self.status_label.setText(text)
        set_state_property(self.status_label, "outcome", "ok" if result.ok else "error")
        self._show_step("done")

    def _show_step(self, step: str) -> None:
        """Which controls an operator can use in each step."""
        self.step = step
        self.input.setReadOnly(step != "enter")
        self.choice.setEnabled(step == "enter")
        self.next_button.setVisible(step == "enter")
        self.back_button.setVisible(step in ("confirm", "done"))
        self.confirm_button.setVisible(step in ("confirm", "waiting"))
        self.confirm_button.setEnabled(step == "confirm")
        self.confirm_label.setVisible(step in ("confirm", "waiting", "done"))
        self.close_button.setText(
            QCoreApplication.translate("Diagnostics", "Close")
            if step == "done"
            else QCoreApplication.translate("Diagnostics", "Cancel")
        )
        if step == "confirm":
            self.confirm_button.setFocus()
        elif step == "enter":
            self.status_label.hide()
            (self.choice if self.choice.isVisibleTo(self) else self.input).setFocus()

    def _input_changed(self, text: str) -> None:
        entered = self._config.type is DataType.BOOL or bool(text.strip())
        self.next_button.setEnabled(self.allowed() and entered)

    def allowed(self) -> bool:
        """Whether the person at the station may write this tag (advisory, to grey out)."""
        return getattr(self._writer, "can_write", lambda _tag: True)(self._config.name)

    def _permission_changed(self, *_: object) -> None:
        allowed = self.allowed()
        self.denied_label.setText(
            ""
            if allowed
            else QCoreApplication.translate(
                "Diagnostics", "The current user may not write this tag: log in as someone who may."
            )
        )
        self.denied_label.setVisible(not allowed)
        self.confirm_button.setEnabled(allowed and self.step == "confirm")
        self._input_changed(self.input.text())

    # -- helpers -----------------------------------------------------------------------------

    def new_value(self) -> str:
        """What is sent: the typed text, or "true"/"false" (the runtime converts it)."""
        if self._config.type is DataType.BOOL:
            return self.choice.currentData()
        return self.input.text().strip()

    def new_text(self) -> str:
        """The new value as the confirmation shows it (with units; a word for booleans)."""
        if self._config.type is DataType.BOOL:
            return self.choice.currentText()
        units = f" {self._config.units}" if self._config.units else ""
        return self.input.text().strip() + units

    def _editable(self, value: Any) -> str:
        """The current value as something the operator can edit and send back as is."""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, float) and self._config.type is not DataType.STRING:
            return f"{value:.6g}"
        return str(value)

    def _hint(self) -> str:
        if self._config.type is DataType.BOOL:
            return QCoreApplication.translate("Diagnostics", "true or false")
        if self._config.type is DataType.STRING:
            return QCoreApplication.translate("Diagnostics", "text")
        return QCoreApplication.translate("Diagnostics", "a number")
