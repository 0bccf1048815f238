"""The Trend screen's toolbar: Live / History mode buttons and each mode's controls.

Live: the window (1 min … 8 h) and Pause. History: a From/To range, presets ("Last
hour" …) and "Back to live". The toolbar only asks: its signals say what the operator
picked, the screen decides, then shows the outcome with `show_mode`, `show_window`,
`show_paused` and `show_range` (so a view or a pan changes the controls the same way).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDateTime, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QWidget,
)

LIVE_WINDOWS = (
    (QT_TRANSLATE_NOOP("Trends", "1 min"), 60),
    (QT_TRANSLATE_NOOP("Trends", "5 min"), 300),
    (QT_TRANSLATE_NOOP("Trends", "15 min"), 900),
    (QT_TRANSLATE_NOOP("Trends", "1 h"), 3600),
    (QT_TRANSLATE_NOOP("Trends", "8 h"), 8 * 3600),
)
HISTORY_PRESETS = (
    (QT_TRANSLATE_NOOP("Trends", "Last hour"), 3600),
    (QT_TRANSLATE_NOOP("Trends", "Last 8 hours"), 8 * 3600),
    (QT_TRANSLATE_NOOP("Trends", "Last 24 hours"), 24 * 3600),
    (QT_TRANSLATE_NOOP("Trends", "Last 7 days"), 7 * 86400),
    (QT_TRANSLATE_NOOP("Trends", "Last 30 days"), 30 * 86400),
)


class TrendToolbar(QWidget):
    """Mode buttons, then the live or the history controls (one shown at a time)."""

    live_requested = Signal()
    """Live, or "Back to live"."""
    window_chosen = Signal(object)
    """A live window in seconds."""
    pause_toggled = Signal(bool)
    preset_chosen = Signal(object)
    """History of the last N seconds (History itself asks for the first preset)."""
    range_chosen = Signal(float, float)
    """History of [t0, t1] from the From/To edits."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        bar = QHBoxLayout(self)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(6)
        self.live_button = QPushButton(
            QCoreApplication.translate("Trends", "Live"), self, objectName="liveMode"
        )
        self.history_button = QPushButton(
            QCoreApplication.translate("Trends", "History"), self, objectName="historyMode"
        )
        modes = QButtonGroup(self)
        modes.setExclusive(True)
        for b in (self.live_button, self.history_button):
            b.setCheckable(True)
            modes.addButton(b)
            bar.addWidget(b)
        self.live_button.clicked.connect(self.live_requested)
        self.history_button.clicked.connect(lambda: self.preset_chosen.emit(HISTORY_PRESETS[0][1]))
        bar.addSpacing(6)
        self.controls = QStackedWidget(self)
        self.controls.addWidget(self._live_controls())
        self.controls.addWidget(self._history_controls())
        bar.addWidget(self.controls, 1)

    def _live_controls(self) -> QWidget:
        box = QWidget(self)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(QCoreApplication.translate("Trends", "Window"), box))
        self.window_box = QComboBox(box, objectName="liveWindow")
        for text, seconds in LIVE_WINDOWS:
            self.window_box.addItem(QCoreApplication.translate("Trends", text), seconds)
        self.window_box.setCurrentIndex(1)
        self.window_box.currentIndexChanged.connect(
            lambda _i: self.window_chosen.emit(self.window_box.currentData())
        )
        row.addWidget(self.window_box)
        self.pause_button = QPushButton(
            QCoreApplication.translate("Trends", "Pause"), box, objectName="pauseButton"
        )
        self.pause_button.setCheckable(True)
        self.pause_button.toggled.connect(self.pause_toggled)
        row.addWidget(self.pause_button)
        row.addStretch(1)
        return box

    def _history_controls(self) -> QWidget:
        box = QWidget(self)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        fmt = "yyyy-MM-dd HH:mm"  # seconds: zoom in
        self.from_edit = QDateTimeEdit(box, objectName="fromTime", calendarPopup=True)
        self.to_edit = QDateTimeEdit(box, objectName="toTime", calendarPopup=True)
        for label, edit in (
            (QCoreApplication.translate("Trends", "From"), self.from_edit),
            (QCoreApplication.translate("Trends", "To"), self.to_edit),
        ):
            edit.setDisplayFormat(fmt)
            row.addWidget(QLabel(label, box))
            row.addWidget(edit)
        self.apply_button = QPushButton(
            QCoreApplication.translate("Trends", "Show"), box, objectName="applyRange"
        )
        self.apply_button.clicked.connect(self._apply_edits)
        row.addWidget(self.apply_button)
        self.preset_box = QComboBox(box, objectName="historyPreset")
        self.preset_box.addItem(QCoreApplication.translate("Trends", "Presets…"), 0)
        for text, seconds in HISTORY_PRESETS:
            self.preset_box.addItem(QCoreApplication.translate("Trends", text), seconds)
        self.preset_box.activated.connect(self._on_preset)
        row.addWidget(self.preset_box)
        self.live_again = QPushButton(
            QCoreApplication.translate("Trends", "Back to live"), box, objectName="backToLive"
        )
        self.live_again.clicked.connect(self.live_requested)
        row.addWidget(self.live_again)
        row.addStretch(1)
        return box

    def _on_preset(self, index: int) -> None:
        seconds = self.preset_box.itemData(index)
        if seconds:
            self.preset_chosen.emit(seconds)
        self.preset_box.setCurrentIndex(0)

    def _apply_edits(self) -> None:
        t0 = self.from_edit.dateTime().toSecsSinceEpoch()
        t1 = self.to_edit.dateTime().toSecsSinceEpoch()
        self.range_chosen.emit(float(t0), float(t1))

    # -- what the screen shows -------------------------------------------------------------

    def show_mode(self, live: bool) -> None:
        self.live_button.setChecked(live)
        self.history_button.setChecked(not live)
        self.controls.setCurrentIndex(0 if live else 1)

    def show_window(self, seconds: float) -> None:
        """Select the window's entry, if it is one of the list's."""
        index = self.window_box.findData(seconds)
        if index >= 0 and index != self.window_box.currentIndex():
            self.window_box.setCurrentIndex(index)

    def show_paused(self, paused: bool) -> None:
        self.pause_button.setText(
            QCoreApplication.translate("Trends", "Resume")
            if paused
            else QCoreApplication.translate("Trends", "Pause")
        )
        if self.pause_button.isChecked() != paused:
            self.pause_button.setChecked(paused)

    def show_range(self, t0: float, t1: float) -> None:
        """Put [t0, t1] in the From/To edits (without asking for it again)."""
        for edit, t in ((self.from_edit, t0), (self.to_edit, t1)):
            edit.blockSignals(True)
            edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(t)))
            edit.blockSignals(False)
