"""The reason dialog of the OEE line detail: category → reason, or a split.

One row takes the whole stop. "Split" adds rows, each with its minutes; they must
add up to the stop's duration (the rounding of minutes goes to the last part, so
the store's ±1 s check holds). What OK confirmed is `chosen()`; the screen sends it
through the command API.
"""

from __future__ import annotations

import contextlib
from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hmi.cli_oee import duration
from hmi.config import PlantConfig
from hmi.runtime.oee_calc import DowntimeEvent
from screens.oee_data import zone_of
from widgets.state_timeline import state_text


class _PartRow(QWidget):
    """One reason of an assignment: category → reason, and (in a split) its minutes."""

    def __init__(self, config: PlantConfig, lang: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._config = config
        self._lang = lang
        self.category = QComboBox(self)
        for c in config.downtime_reasons:
            self.category.addItem(c.name.get(lang), c.id)
        self.reason = QComboBox(self)
        self.minutes = QDoubleSpinBox(self)
        self.minutes.setDecimals(1)
        self.minutes.setRange(0.0, 24 * 60.0)
        self.minutes.setSuffix(QCoreApplication.translate("OeeScreens", " min"))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.category, 1)
        row.addWidget(self.reason, 2)
        row.addWidget(self.minutes)
        self.category.currentIndexChanged.connect(self._fill_reasons)
        self._fill_reasons()

    def _fill_reasons(self) -> None:
        cid = self.category.currentData()
        self.reason.clear()
        for c in self._config.downtime_reasons:
            if c.id == cid:
                for r in c.reasons:
                    self.reason.addItem(f"{r.name.get(self._lang)}  ({r.code})", r.code)

    def set_reason(self, code: int) -> None:
        for i, c in enumerate(self._config.downtime_reasons):
            if any(r.code == code for r in c.reasons):
                self.category.setCurrentIndex(i)
                self.reason.setCurrentIndex(self.reason.findData(code))
                return
        raise KeyError(f"no reason code {code}")

    @property
    def code(self) -> int | None:
        return self.reason.currentData()


class ReasonDialog(QDialog):
    """Pick a stop's reason, or split it into several with durations."""

    def __init__(
        self,
        config: PlantConfig,
        lang: str,
        event: DowntimeEvent,
        title: str,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("OeeScreens", "Downtime reason"))
        self.event = event
        self._config = config
        self._lang = lang
        zone = zone_of(config)
        start = datetime.fromtimestamp(event.start, zone)
        head = QLabel(
            f"{title}  ·  {state_text(event.state)}  ·  {start:%H:%M:%S}  ·  "
            f"{duration(event.duration)}",
            self,
        )
        head.setObjectName("oeeSection")
        self.rows: list[_PartRow] = []
        self._parts: list[tuple[int, float | None]] = []
        self._rows_box = QVBoxLayout()
        self.split_button = QPushButton(
            QCoreApplication.translate("OeeScreens", "Split into another reason"), self
        )
        self.split_button.clicked.connect(self.add_row)
        self.remaining = QLabel("", self)
        self.error = QLabel("", self)
        self.error.setObjectName("oeeMessage")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._check_and_accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(head)
        lay.addLayout(self._rows_box)
        lay.addWidget(self.split_button, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addWidget(self.remaining)
        lay.addWidget(self.error)
        lay.addWidget(buttons)
        self.add_row()
        if event.parts:
            for k, part in enumerate(event.parts):
                if k:
                    self.add_row()
                self.rows[k].set_reason(part.reason)
                self.rows[k].minutes.setValue(part.seconds / 60)
        elif event.auto_reason:
            with contextlib.suppress(KeyError):  # a PLC code outside the tree: pick by hand
                self.rows[0].set_reason(event.auto_reason)
        self._update()
        self.setMinimumWidth(560)

    def add_row(self) -> _PartRow:
        row = _PartRow(self._config, self._lang, self)
        row.minutes.valueChanged.connect(self._update)
        self.rows.append(row)
        self._rows_box.addWidget(row)
        if len(self.rows) == 2:
            first = self.rows[0].minutes
            if first.value() == 0 or first.value() * 60 > self.event.duration:
                first.setValue(self.event.duration / 60)
        self._update()
        return row

    def _update(self) -> None:
        split = len(self.rows) > 1
        for row in self.rows:
            row.minutes.setVisible(split)
        if split:
            left = self.event.duration - sum(r.minutes.value() * 60 for r in self.rows)
            self.remaining.setText(
                QCoreApplication.translate("OeeScreens", "Still to assign: %1").replace(
                    "%1", duration(left)
                )
            )
        self.remaining.setVisible(split)

    def parts(self) -> list[tuple[int, float | None]]:
        """[(code, seconds)]: one row takes the whole stop (seconds None)."""
        if len(self.rows) == 1:
            return [(self.rows[0].code, None)]
        return [(r.code, r.minutes.value() * 60) for r in self.rows if r.minutes.value() > 0]

    def _check_and_accept(self) -> None:
        if any(r.code is None for r in self.rows):
            self.error.setText(QCoreApplication.translate("OeeScreens", "Choose a reason."))
            return
        if len(self.rows) > 1:
            total = sum(s or 0 for _, s in self.parts())
            if abs(total - self.event.duration) > 60:  # the store checks to ±1 s
                self.error.setText(
                    QCoreApplication.translate(
                        "OeeScreens", "The parts must add up to the stop's duration."
                    )
                )
                return
            parts = self.parts()
            # Minutes are rounded: give the rounding to the last part, so they add up.
            fix = self.event.duration - sum(s or 0 for _, s in parts[:-1])
            self._parts = [*parts[:-1], (parts[-1][0], fix)]
        else:
            self._parts = self.parts()
        self.accept()

    def chosen(self) -> list[tuple[int, float | None]]:
        """What OK confirmed (a split's last part takes the minutes' rounding)."""
        return self._parts or self.parts()
