"""CommandButton: a push button that writes one value to a tag, after confirmation.

For commands such as Start, Stop, Reset. Bound to its tag (or a feedback tag), it
shows that tag's quality, and it is disabled without permission or without a
connection, so an operator never presses a button that cannot work. The write goes
through the screen context (the runtime's command API); a failure is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QWidget

from hmi.config import TagConfig
from hmi.drivers.base import WriteResult
from hmi.tagvalue import Quality, TagValue
from widgets import _dialogs
from widgets._quality import quality_marker
from widgets._tagcore import TagCore
from widgets.context_menu import TagActions
from widgets.setpoint import Writer


class CommandButton(QFrame):
    """``CommandButton("Start", tag="Line1.RunCmd", value=True, write=ctx.write)``."""

    def __init__(
        self,
        text: str,
        *,
        tag: str,
        value: Any,
        write: Writer,
        config: TagConfig | None = None,
        question: str | None = None,
        can_write: Callable[[str], bool] | None = None,
        writable: bool = True,
        lang: str = "en",
        actions: TagActions | None = None,
        instance: str = "",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.value = value
        self._write = write
        self._can_write = can_write
        self._writable = writable
        self._question = question
        self.button = QPushButton(text, self)
        self.button.setObjectName("command")
        self.button.clicked.connect(self.press)
        self.marker_label = QLabel("", self)
        self.marker_label.setObjectName("qualityMarker")
        self.marker_label.hide()
        self.status_label = QLabel("", self)
        self.status_label.setObjectName("status")
        self.status_label.setWordWrap(True)
        self.status_label.hide()

        grid = QGridLayout(self)
        grid.setContentsMargins(4, 3, 4, 3)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        # The quality word goes under the button (not beside it, where it would cost width)
        # and keeps its row when hidden, so the button does not jump.
        grid.addWidget(self.button, 0, 0)
        grid.addWidget(self.marker_label, 1, 0, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(self.status_label, 2, 0)
        policy = self.marker_label.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.marker_label.setSizePolicy(policy)

        self.core = TagCore(
            self,
            tag,
            config,
            parts=(self.button, self.marker_label, self.status_label),
            lang=lang,
            actions=actions,
            instance=instance,
        )
        # Commands are often written blind (no feedback tag bound): start usable, and let a
        # bound tag's quality disable the button when its connection is down.
        self.core.show_quality(Quality.GOOD)
        self.refresh_permission()

    # -- the TagWidget / AlarmAware protocols -------------------------------------------------

    def set_tag_value(self, value: TagValue) -> None:
        quality = self.core.accept(value)
        if self.core.show_quality(quality):
            marker = quality_marker(quality)
            self.marker_label.setText(marker)
            self.marker_label.setVisible(bool(marker))
            self.refresh_permission()

    def set_alarm_priority(self, priority: int | None) -> None:
        self.core.set_alarm_priority(priority)

    # -- permission -----------------------------------------------------------------------------

    @property
    def writable(self) -> bool:
        return self._writable

    @writable.setter
    def writable(self, allowed: bool) -> None:
        self._writable = bool(allowed)
        self.refresh_permission()

    @property
    def permitted(self) -> bool:
        cfg = self.core.config
        if not self._writable or (cfg is not None and not cfg.writable):
            return False
        if self._can_write is not None:
            try:
                return bool(self._can_write(self.core.tag))
            except Exception:  # a broken permission check denies, it does not crash
                return False
        return True

    def refresh_permission(self) -> None:
        permitted = self.permitted
        connected = self.core.quality is not Quality.DISCONNECTED
        self.button.setEnabled(permitted and connected)
        if not permitted:
            self.button.setToolTip(
                QCoreApplication.translate(
                    "CommandButton", "You have no permission for this command"
                )
            )
        elif not connected:
            self.button.setToolTip(
                QCoreApplication.translate(
                    "CommandButton", "No connection: the command cannot be sent"
                )
            )
        else:
            self.button.setToolTip("")

    # -- the command ----------------------------------------------------------------------------

    def press(self) -> bool:
        """Confirm, then write `value`. True when the write was sent."""
        if not self.permitted:
            self.refresh_permission()
            return False
        text = self.button.text()
        question = self._question or QCoreApplication.translate(
            "CommandButton", "{command}: send the command to {tag}?"
        ).format(command=text, tag=self.core.tag)
        if not _dialogs.confirm(self, text, question):
            return False
        self._show_status(QCoreApplication.translate("CommandButton", "Sending…"))
        self._write(self.core.tag, self.value, self._done)
        return True

    def _done(self, result: WriteResult) -> None:
        if result.ok:
            self._show_status("")
        else:
            self._show_status(
                QCoreApplication.translate("CommandButton", "Command failed: {error}").format(
                    error=result.error
                )
            )

    def _show_status(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))

    @property
    def status_text(self) -> str:
        return self.status_label.text()

    @property
    def quality(self) -> Quality:
        return self.core.quality

    @property
    def alarm_priority(self) -> int | None:
        return self.core.alarm_priority

    def tooltip_text(self) -> str:
        return self.core.tooltip_text()
