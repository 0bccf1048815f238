"""The context menu every tag widget shares: trend, alarm history, faceplate.

A widget does not know how to open a trend or a faceplate; the station does. So the
menu only REQUESTS, through a `TagActions` object the screen context provides. Until
one is given, the entries are shown disabled (the operator sees they exist, and
nothing pretends to work).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtWidgets import QMenu, QWidget


@runtime_checkable
class TagActions(Protocol):
    """What the station does for the context menu; called on the GUI thread."""

    def trend(self, tag: str) -> None:
        """Open a trend of `tag`."""
        ...

    def alarm_history(self, tag: str) -> None:
        """Open the alarm history filtered to `tag`."""
        ...

    def faceplate(self, instance: str) -> None:
        """Open the faceplate of a template instance (e.g. ``Assembly.Conveyor1``)."""
        ...


def build_tag_menu(parent: QWidget, tag: str, instance: str, actions: TagActions | None) -> QMenu:
    """The menu for `tag` (and `instance`, "" when the widget has no faceplate)."""
    menu = QMenu(parent)
    menu.setObjectName("tagMenu")
    trend = menu.addAction(QCoreApplication.translate("TagMenu", "Trend this tag"))
    history = menu.addAction(QCoreApplication.translate("TagMenu", "Alarm history of this tag"))
    faceplate = menu.addAction(QCoreApplication.translate("TagMenu", "Faceplate"))
    trend.setObjectName("trend")
    history.setObjectName("alarmHistory")
    faceplate.setObjectName("faceplate")
    if actions is None or not tag:
        trend.setEnabled(False)
        history.setEnabled(False)
    else:
        trend.triggered.connect(lambda: actions.trend(tag))
        history.triggered.connect(lambda: actions.alarm_history(tag))
    if actions is None or not instance:
        faceplate.setEnabled(False)
    else:
        faceplate.triggered.connect(lambda: actions.faceplate(instance))
    return menu


def show_tag_menu(
    parent: QWidget, pos: QPoint, tag: str, instance: str, actions: TagActions | None
) -> QMenu:
    """Pop the menu up at `pos` (widget coordinates); returns it (tests inspect it)."""
    menu = build_tag_menu(parent, tag, instance, actions)
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    menu.popup(parent.mapToGlobal(pos))
    return menu
