"""Dialogs of the alarm summary: shelve (duration + reason) and out of service (reason).

Both are opened with `open()` (window-modal, non-blocking) and report through
`accepted`; the reason is required: OK stays disabled until one is typed, because
ISA-18.2 wants every shelved or removed alarm to say why.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

SHELVE_PRESETS_S = (15 * 60, 3600, 8 * 3600)
CUSTOM = -1
MAX_SHELVE_MIN = 24 * 60


class ReasonDialog(QDialog):
    """Asks for a reason (required) about one alarm; optionally a shelve duration."""

    def __init__(
        self, title: str, alarm_text: str, with_duration: bool, parent: QWidget | None = None
    ):
        super().__init__(parent, objectName="alarmReasonDialog")
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        about = QLabel(alarm_text, self, objectName="dialogAlarm")
        about.setWordWrap(True)
        form = QFormLayout()
        self.duration: QComboBox | None = None
        self.custom_minutes: QSpinBox | None = None
        if with_duration:
            self.duration = QComboBox(self, objectName="shelveDuration")
            for text, seconds in (
                (QCoreApplication.translate("AlarmDialogs", "15 minutes"), SHELVE_PRESETS_S[0]),
                (QCoreApplication.translate("AlarmDialogs", "1 hour"), SHELVE_PRESETS_S[1]),
                (QCoreApplication.translate("AlarmDialogs", "8 hours"), SHELVE_PRESETS_S[2]),
                (QCoreApplication.translate("AlarmDialogs", "Custom…"), CUSTOM),
            ):
                self.duration.addItem(text, seconds)
            self.custom_minutes = QSpinBox(self, objectName="customMinutes")
            self.custom_minutes.setRange(1, MAX_SHELVE_MIN)
            self.custom_minutes.setValue(30)
            self.custom_minutes.setSuffix(QCoreApplication.translate("AlarmDialogs", " min"))
            self.custom_minutes.setEnabled(False)
            self.duration.currentIndexChanged.connect(
                lambda _i: self.custom_minutes.setEnabled(self.duration.currentData() == CUSTOM)
            )
            form.addRow(QCoreApplication.translate("AlarmDialogs", "Shelve for"), self.duration)
            form.addRow(
                QCoreApplication.translate("AlarmDialogs", "Custom duration"), self.custom_minutes
            )
        self.reason = QLineEdit(self, objectName="reason")
        self.reason.setPlaceholderText(
            QCoreApplication.translate(
                "AlarmDialogs", "Required: why (e.g. instrument being repaired)"
            )
        )
        self.reason.setMaxLength(500)
        form.addRow(QCoreApplication.translate("AlarmDialogs", "Reason"), self.reason)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            QCoreApplication.translate("AlarmDialogs", "Cancel")
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(QCoreApplication.translate("AlarmDialogs", "OK"))
        self.ok_button.setEnabled(False)
        self.reason.textChanged.connect(lambda t: self.ok_button.setEnabled(bool(t.strip())))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def accept(self) -> None:
        if not self.reason_text():
            return  # a reason is required (the button is disabled; Enter must not bypass it)
        super().accept()

    def reason_text(self) -> str:
        return self.reason.text().strip()

    def duration_s(self) -> float:
        if self.duration is None:
            return 0.0
        seconds = self.duration.currentData()
        if seconds == CUSTOM:
            assert self.custom_minutes is not None
            return float(self.custom_minutes.value() * 60)
        return float(seconds)
