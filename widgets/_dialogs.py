"""The one confirmation question before an operator's write (setpoints, commands).

Kept in one function so every write asks the same way, and so tests replace it
(``monkeypatch.setattr(widgets._dialogs, "confirm", ...)``) instead of clicking a
modal box.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def confirm(parent: QWidget, title: str, question: str) -> bool:
    """Ask Yes/No with No as the default (an Enter pressed by habit writes nothing)."""
    answer = QMessageBox.question(
        parent,
        title,
        question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
