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
from widgets._quality import show_marker
from widgets._tagcore import CoreDelegate, TagCore
from widgets._write_access import WriteAccess, WriteGuarded
from widgets.context_menu import TagActions
from widgets.setpoint import Writer


class CommandButton(CoreDelegate, WriteGuarded, QFrame):
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
        self.access = WriteAccess(
            self.core,
            (self.button,),
            can_write=can_write,
            writable=writable,
            denied=lambda: QCoreApplication.translate(
                "CommandButton", "You have no permission for this command"
            ),
            offline=lambda: QCoreApplication.translate(
                "CommandButton", "No connection: the command cannot be sent"
            ),
        )
        # Commands are often written blind (no feedback tag bound): start usable, and let a
        # bound tag's quality disable the button when its connection is down.
        self.core.show_quality(Quality.GOOD)
        self.refresh_permission()

    # -- the TagWidget / AlarmAware protocols -------------------------------------------------

    def set_tag_value(self, value: TagValue) -> None:
        quality = self.core.accept(value)
        if self.core.show_quality(quality):
            show_marker(self.marker_label, quality)
            self.refresh_permission()

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
