"""The header bar: plant title, live clock, logged-in user, one light per connection."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QDateTime, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QSizePolicy, QToolButton, QWidget

from hmi.app.theme import set_state_property


def state_text(state: str) -> str:
    """The operator's words for a connection state (translated)."""
    texts = {
        "connected": QCoreApplication.translate("ConnectionLight", "Connected"),
        "connecting": QCoreApplication.translate("ConnectionLight", "Connecting…"),
        "disconnected": QCoreApplication.translate("ConnectionLight", "Disconnected"),
        "stopped": QCoreApplication.translate("ConnectionLight", "Stopped"),
    }
    return texts.get(state, state)


class ConnectionLight(QLabel):
    """A connection's name; grey when connected, coloured with its state when not.

    The state word is shown only when abnormal (ISA-101: quiet when all is well).
    """

    def __init__(self, connection: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("connLight")
        self.connection = connection
        self.state = ""
        self.set_state("disconnected", "")

    def set_state(self, state: str, detail: str) -> None:
        self.state = state
        if state == "connected":
            self.setText(f"● {self.connection}")
        else:
            self.setText(f"▲ {self.connection}: {state_text(state)}")
        tip = f"{self.connection}: {state_text(state)}"
        self.setToolTip(f"{tip}\n{detail}" if detail else tip)
        set_state_property(self, "connState", state)


class Header(QWidget):
    """The top bar of the main window.

    The user part only shows and asks: `hmi.app.login.SessionControls` answers the
    button signals and calls `set_session`; the buttons stay hidden until it does.
    """

    login_requested = Signal()
    logout_requested = Signal()
    switch_requested = Signal()

    def __init__(self, title: str, connections: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("header")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        layout.setSpacing(16)

        self.title = QLabel(title, objectName="plantTitle")
        layout.addWidget(self.title)
        layout.addStretch(1)

        self.lights: dict[str, ConnectionLight] = {}
        for name in connections:
            light = ConnectionLight(name, self)
            self.lights[name] = light
            layout.addWidget(light)

        user = QCoreApplication.translate("Header", "Viewer")
        # Who acts, as a narrow two-line button whose menu logs in and out.
        self.user = QToolButton(objectName="userLabel")
        self.user.setText(QCoreApplication.translate("Header", "User: {user}").format(user=user))
        self.user.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.user)
        self.login_action = menu.addAction(QCoreApplication.translate("Header", "Log in…"))
        self.switch_action = menu.addAction(QCoreApplication.translate("Header", "Switch user…"))
        self.logout_action = menu.addAction(QCoreApplication.translate("Header", "Log out"))
        self.login_action.triggered.connect(self.login_requested)
        self.switch_action.triggered.connect(self.switch_requested)
        self.logout_action.triggered.connect(self.logout_requested)
        self.user.setMenu(menu)
        layout.addWidget(self.user)
        self.set_session(user, False, buttons=False)

        self.clock = QLabel(objectName="clock")
        layout.addWidget(self.clock)
        self._tick()
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(1000)
        self._clock_timer.timeout.connect(self._tick)
        self._clock_timer.start()

    def set_connection_state(self, connection: str, state: str, detail: str = "") -> None:
        light = self.lights.get(connection)
        if light is not None:
            light.set_state(state, detail)

    def set_session(self, user: str, logged_in: bool, buttons: bool = True, role: str = "") -> None:
        """Show who acts (`user`, `role`: already translated); offer log in / switch / out."""
        self.user.setText(f"{user}\n{role}" if role else user)
        tip = QCoreApplication.translate("Header", "User: {user}").format(user=user)
        self.user.setToolTip(f"{tip} ({role})" if role else tip)
        self.login_action.setVisible(not logged_in)
        self.switch_action.setVisible(logged_in)
        self.logout_action.setVisible(logged_in)
        self.user.setEnabled(buttons)

    def _tick(self) -> None:
        self.clock.setText(QDateTime.currentDateTime().toString("yyyy-MM-dd  HH:mm:ss"))
