"""SetpointEntry: the current value of a writable tag and an editor to change it.

An operator's write must be deliberate and within what the process allows: the entry
refuses a value outside its limits (from the arguments, else the tag's engineering
range) with a message saying the limits, then asks "from OLD to NEW?" before anything
is written, and writes only through the screen context (the runtime's command API:
permission-checked and audited there too). Without permission it is disabled and says
why in its tooltip. A refused or failed write is shown, never lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QLineEdit, QPushButton, QWidget

from hmi.config import TagConfig
from hmi.drivers.base import WriteResult
from hmi.tagvalue import Quality, TagValue
from widgets import _dialogs
from widgets._quality import show_marker
from widgets._tagcore import CoreDelegate, TagCore, finite_number
from widgets._write_access import WriteAccess, WriteGuarded
from widgets.context_menu import TagActions
from widgets.formatting import NO_VALUE, format_value
from widgets.value_display import tabular_digits

Writer = Callable[[str, Any, Callable[[WriteResult], None] | None], None]
"""`ScreenContext.write`: (tag, value, on_done)."""


class SetpointEntry(CoreDelegate, WriteGuarded, QFrame):
    """Shows ``Speed  42.0 m/min  [ 45 ] [Set]``; writes after checks and confirmation."""

    def __init__(
        self,
        config: TagConfig | None = None,
        caption: str = "",
        *,
        write: Writer,
        tag: str = "",
        minimum: float | None = None,
        maximum: float | None = None,
        can_write: Callable[[str], bool] | None = None,
        writable: bool = True,
        lang: str = "en",
        actions: TagActions | None = None,
        instance: str = "",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._write = write
        scale = config.scale if config else None
        self.minimum = minimum if minimum is not None else (scale.eng_min if scale else None)
        self.maximum = maximum if maximum is not None else (scale.eng_max if scale else None)
        self._integer = bool(config and config.type.is_integer)
        self._text: str | None = None

        self.caption_label = QLabel(caption, self)
        self.caption_label.setObjectName("caption")
        self.caption_label.setVisible(bool(caption))
        self.caption_label.setMinimumWidth(40)  # may shrink beside the quality word
        self.marker_label = QLabel("", self)
        self.marker_label.setObjectName("qualityMarker")
        self.value_label = QLabel(NO_VALUE, self)
        self.value_label.setObjectName("value")
        self.value_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.value_label.setMinimumWidth(64)
        tabular_digits(self.value_label)
        self.units_label = QLabel(config.units if config else "", self)
        self.units_label.setObjectName("units")
        self.editor = QLineEdit(self)
        self.editor.setObjectName("editor")
        self.editor.setMinimumWidth(70)
        self.editor.setPlaceholderText(self._limits_text())
        self.editor.returnPressed.connect(self.apply)
        self.apply_button = QPushButton(QCoreApplication.translate("SetpointEntry", "Set"), self)
        self.apply_button.setObjectName("apply")
        self.apply_button.clicked.connect(self.apply)
        self.status_label = QLabel("", self)
        self.status_label.setObjectName("status")
        self.status_label.setWordWrap(True)
        self.status_label.hide()

        # Three short rows rather than one long one: a setpoint sits in a column of values.
        grid = QGridLayout(self)
        grid.setContentsMargins(6, 3, 6, 3)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        grid.addWidget(self.caption_label, 0, 0, 1, 2)
        grid.addWidget(self.marker_label, 0, 2, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.value_label, 1, 0, 1, 2)
        grid.addWidget(self.units_label, 1, 2)
        grid.addWidget(self.editor, 2, 0, 1, 2)
        grid.addWidget(self.apply_button, 2, 2)
        grid.addWidget(self.status_label, 3, 0, 1, 3)
        grid.setColumnStretch(0, 1)

        labels = (
            self.caption_label,
            self.marker_label,
            self.value_label,
            self.units_label,
            self.status_label,
        )
        self.core = TagCore(
            self, tag, config, parts=labels, lang=lang, actions=actions, instance=instance
        )
        self.access = WriteAccess(
            self.core,
            (self.editor, self.apply_button),
            can_write=can_write,
            writable=writable,
            denied=self._denied_text,
            offline=lambda: QCoreApplication.translate(
                "SetpointEntry", "No connection: the setpoint cannot be written"
            ),
        )
        self.core.style.set(entryState="")
        show_marker(self.marker_label, Quality.DISCONNECTED)
        self.refresh_permission()

    # -- the TagWidget / AlarmAware protocols -------------------------------------------------

    def set_tag_value(self, value: TagValue) -> None:
        quality = self.core.accept(value)
        tv = value if isinstance(value, TagValue) else None
        text = self._value_text(tv, quality)
        if text != self._text:
            self._text = text
            self.value_label.setText(text)
        if self.core.show_quality(quality):
            show_marker(self.marker_label, quality)
            self.refresh_permission()

    # -- writing --------------------------------------------------------------------------------

    def apply(self) -> bool:
        """Check the entered value, confirm old → new, write. True when a write was sent."""
        if not self.permitted:
            self.refresh_permission()
            return self._fail(self._denied_text())
        raw = self.editor.text().strip()
        number = finite_number(raw.replace(",", ".")) if raw else None
        if number is None:
            return self._fail(QCoreApplication.translate("SetpointEntry", "Enter a number"))
        if self._integer and not number.is_integer():
            return self._fail(QCoreApplication.translate("SetpointEntry", "Enter a whole number"))
        if not self.in_limits(number):
            return self._fail(
                QCoreApplication.translate(
                    "SetpointEntry", "Out of limits: allowed {limits}"
                ).format(limits=self._limits_text())
            )
        new: Any = int(number) if self._integer else number
        units = f" {self.units_label.text()}" if self.units_label.text() else ""
        question = QCoreApplication.translate(
            "SetpointEntry", "Change {tag} from {old} to {new}?"
        ).format(
            tag=self.caption_label.text() or self.core.tag,
            old=self._old_text() + units,
            new=format_value(new, self.core.config) + units,
        )
        if not _dialogs.confirm(
            self, QCoreApplication.translate("SetpointEntry", "Change setpoint"), question
        ):
            self._status("", "")
            return False
        self._status(QCoreApplication.translate("SetpointEntry", "Writing…"), "pending")
        self._write(self.core.tag, new, self._write_done)
        return True

    def in_limits(self, number: float) -> bool:
        if self.minimum is not None and number < self.minimum:
            return False
        return not (self.maximum is not None and number > self.maximum)

    def _write_done(self, result: WriteResult) -> None:
        if result.ok:
            self.editor.clear()
            self._status("", "")
        else:
            self._status(
                QCoreApplication.translate("SetpointEntry", "Write failed: {error}").format(
                    error=result.error
                ),
                "error",
            )

    # -- what the operator reads ----------------------------------------------------------------

    @property
    def text(self) -> str:
        return self.value_label.text()

    @property
    def status_text(self) -> str:
        return self.status_label.text()

    # -- internals ------------------------------------------------------------------------------

    def _value_text(self, tv: TagValue | None, quality: Quality) -> str:
        if tv is None or tv.value is None or quality is Quality.DISCONNECTED:
            return NO_VALUE
        text = format_value(tv.value, self.core.config)
        return text + "?" if quality in (Quality.UNCERTAIN, Quality.STALE) else text

    def _old_text(self) -> str:
        last = self.core.last
        if last is None or last.value is None:
            return NO_VALUE
        return format_value(last.value, self.core.config)

    def _limits_text(self) -> str:
        lo = NO_VALUE if self.minimum is None else f"{self.minimum:g}"
        hi = NO_VALUE if self.maximum is None else f"{self.maximum:g}"
        if self.minimum is None and self.maximum is None:
            return ""
        return f"{lo} … {hi}"

    @staticmethod
    def _denied_text() -> str:
        return QCoreApplication.translate(
            "SetpointEntry", "You have no permission to change this setpoint"
        )

    def _fail(self, message: str) -> bool:
        self._status(message, "error")
        return False

    def _status(self, message: str, state: str) -> None:
        self.status_label.setText(message)
        self.status_label.setVisible(bool(message))
        self.core.style.set(entryState=state)
