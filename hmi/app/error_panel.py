"""What stands in for a screen that could not be built: the message and the traceback."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget


class ErrorPanel(QWidget):
    """Shown in place of a broken screen so the integrator sees why and the app runs on."""

    def __init__(self, title: str, message: str, details: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("errorPanel")
        self.message = message
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(12)
        heading = QLabel(title, objectName="errorTitle")
        layout.addWidget(heading)
        text = QLabel(message, objectName="errorMessage")
        text.setWordWrap(True)
        layout.addWidget(text)
        self.details = QPlainTextEdit(objectName="errorDetails")
        self.details.setReadOnly(True)
        self.details.setPlainText(details)
        self.details.setVisible(bool(details))
        layout.addWidget(self.details, 1)
        if not details:
            layout.addStretch(1)
