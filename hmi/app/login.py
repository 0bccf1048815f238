"""Log-in, switch-user, first-admin and second-signature dialogs, and their wiring.

Every dialog here only collects a name and password: checking them is the
runtime's (`CommandAPI.login`, `Sessions.create_first_admin`, the approver check
of `CommandAPI.write`), run off the GUI thread through `SessionUi`, with a busy
bar while scrypt works (~0.4 s). A refusal shows the core's own message (wrong
password, locked, disabled); the core has already audited it.

`SessionControls` connects the header's buttons to the dialogs and keeps the
header's user text current. Dialogs are opened with `open()` (window-modal, no
nested event loop), so the station keeps updating behind them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QDateTime, QObject, Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hmi.app.header import Header
from hmi.app.session_ui import SessionUi, identity_text, role_text
from hmi.runtime.security import Credential, Identity, SecurityError, check_password_rules

log = logging.getLogger(__name__)

ApprovalAnswer = Callable[[Credential | None], None]


def _until(minutes: str) -> str:
    return QDateTime.currentDateTime().addSecs(round(float(minutes) * 60)).toString("HH:mm")


def _refusals() -> list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]]:
    """The core's refusal messages (hmi.runtime.security, no Qt) in the UI language.
    The patterns follow `Authenticator.authenticate` and `check_password_rules`."""
    locked_now = QCoreApplication.translate(
        "Login", "Wrong user name or password. User '{user}' is now locked until {time}."
    )
    wrong = QCoreApplication.translate("Login", "Wrong user name or password.")
    locked = QCoreApplication.translate(
        "Login",
        "User '{user}' is locked until about {time} after too many failed logins; "
        "an admin can unlock it.",
    )
    disabled = QCoreApplication.translate("Login", "User '{user}' is disabled.")
    short = QCoreApplication.translate("Login", "A password needs at least 8 characters.")
    return [
        (
            re.compile(r"wrong user name or password; user '(.+)' is now locked for ([\d.]+) min"),
            lambda m: locked_now.format(user=m[1], time=_until(m[2])),
        ),
        (re.compile(r"wrong user name or password"), lambda m: wrong),
        (
            re.compile(r"user '(.+)' is locked after too many failed logins; try again in (\d+)"),
            lambda m: locked.format(user=m[1], time=_until(m[2])),
        ),
        (re.compile(r"user '(.+)' is disabled"), lambda m: disabled.format(user=m[1])),
        (re.compile(r"a password needs at least 8 characters"), lambda m: short),
    ]


def _message(error: BaseException) -> str:
    """The text to show for a refusal: the core's own words, translated where known."""
    if isinstance(error, SecurityError):
        text = str(error)
        for pattern, translated in _refusals():
            match = pattern.match(text)
            if match:
                return translated(match)
        return text
    return QCoreApplication.translate("Login", "Failed: {error}").format(
        error=f"{type(error).__name__}: {error}"
    )


class _CredentialDialog(QDialog):
    """A name + password form with a message line, a busy bar and OK / Cancel."""

    def __init__(self, title: str, intro: str, ok_text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.intro = QLabel(intro, objectName="loginIntro")
        self.intro.setWordWrap(True)
        self.intro.setVisible(bool(intro))
        self.user = QLineEdit(objectName="userName")
        self.password = QLineEdit(objectName="password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.form = QFormLayout()
        self.form.addRow(QCoreApplication.translate("Login", "User name:"), self.user)
        self.form.addRow(QCoreApplication.translate("Login", "Password:"), self.password)
        self.message = QLabel(objectName="loginMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        self.busy = QProgressBar(objectName="loginBusy")
        self.busy.setRange(0, 0)  # indeterminate: the check takes as long as it takes
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(8)
        self.busy.hide()
        self.buttons = QDialogButtonBox()
        self.ok_button: QPushButton = self.buttons.addButton(
            ok_text, QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok_button.setObjectName("okButton")
        self.ok_button.setDefault(True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel).setText(
            QCoreApplication.translate("Login", "Cancel")
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)

    def submit(self) -> None:  # overridden
        self.accept()

    def set_busy(self, busy: bool) -> None:
        for w in (self.user, self.password, self.ok_button):
            w.setEnabled(not busy)
        self.busy.setVisible(busy)
        if busy:
            self.message.hide()

    def show_message(self, text: str) -> None:
        self.set_busy(False)
        self.message.setText(text)
        self.message.show()


class LoginDialog(_CredentialDialog):
    """Log in, or switch to another user (the previous one is logged out on success)."""

    def __init__(self, session: SessionUi, switch: bool = False, parent: QWidget | None = None):
        if switch:
            title, ok = (
                QCoreApplication.translate("Login", "Switch user"),
                QCoreApplication.translate("Login", "Switch"),
            )
            intro = QCoreApplication.translate(
                "Login", "Logged in: {user}. Log in as another user:"
            ).format(user=identity_text(session.identity))
        else:
            title, ok, intro = (
                QCoreApplication.translate("Login", "Log in"),
                QCoreApplication.translate("Login", "Log in"),
                "",
            )
        super().__init__(title, intro, ok, parent)
        self.setObjectName("loginDialog")
        self._session = session
        self.result_identity: Identity | None = None

    def submit(self) -> None:
        name = self.user.text().strip()
        if not name:
            self.show_message(QCoreApplication.translate("Login", "Enter a user name."))
            self.user.setFocus()
            return
        self.set_busy(True)
        self._session.login(name, self.password.text(), self._done)

    def _done(self, who: Identity | None, error: BaseException | None) -> None:
        if error is not None:
            self.password.clear()
            self.show_message(_message(error))
            self.password.setFocus()
            return
        self.result_identity = who
        self.set_busy(False)
        self.accept()


class FirstAdminDialog(_CredentialDialog):
    """First start: the database has no users; create the administrator, then log in."""

    def __init__(self, session: SessionUi, parent: QWidget | None = None):
        super().__init__(
            QCoreApplication.translate("Login", "Create the administrator"),
            QCoreApplication.translate(
                "Login",
                "This station has no users yet. Create the administrator, who can then "
                "add the other users. The password needs at least 8 characters.",
            ),
            QCoreApplication.translate("Login", "Create"),
            parent,
        )
        self.setObjectName("firstAdminDialog")
        self._session = session
        self.user.setText("admin")
        self.repeat = QLineEdit(objectName="passwordRepeat")
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(QCoreApplication.translate("Login", "Repeat password:"), self.repeat)
        self.created = ""

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        if hasattr(self, "repeat"):
            self.repeat.setEnabled(not busy)

    def submit(self) -> None:
        name, password = self.user.text().strip(), self.password.text()
        if not name:
            self.show_message(QCoreApplication.translate("Login", "Enter a user name."))
            return
        if password != self.repeat.text():
            self.show_message(QCoreApplication.translate("Login", "The passwords differ."))
            return
        try:
            check_password_rules(password)  # the core's rules, before a slow round trip
        except SecurityError as exc:
            self.show_message(_message(exc))
            return
        self.set_busy(True)

        def created(_record: Any, error: BaseException | None) -> None:
            if error is not None:
                self.show_message(_message(error))
                return
            self.created = name
            self._session.login(name, password, self._logged_in)

        self._session.create_first_admin(name, password, created)

    def _logged_in(self, _who: Identity | None, error: BaseException | None) -> None:
        self.set_busy(False)
        if error is not None:  # created, but the log-in failed: say so, still done
            log.warning("first admin created but not logged in: %s", error)
        self.accept()


class ApproverDialog(_CredentialDialog):
    """A second person signs a critical write with their name and password."""

    def __init__(self, tag: str, value: Any, least_role: str, parent: QWidget | None = None):
        super().__init__(
            QCoreApplication.translate("Login", "Second signature"),
            QCoreApplication.translate(
                "Login",
                "Writing {tag} = {value} is a critical change: a second person "
                "({role} or above) must approve it with their name and password.",
            ).format(tag=tag, value=value, role=least_role),
            QCoreApplication.translate("Login", "Approve"),
            parent,
        )
        self.setObjectName("approverDialog")

    def submit(self) -> None:
        if not self.user.text().strip():
            self.show_message(
                QCoreApplication.translate("Login", "Enter the approver's user name.")
            )
            return
        self.accept()

    def credential(self) -> Credential:
        return Credential(self.user.text().strip(), self.password.text())


class SessionControls(QObject):
    """Wires the header's user text and buttons to the session and the dialogs.

    The open dialog of each kind is kept as an attribute (tests fill them in).
    """

    def __init__(self, session: SessionUi, header: Header, window: QWidget):
        super().__init__(window)
        self.session = session
        self.header = header
        self.window = window
        self.login_dialog: LoginDialog | None = None
        self.first_admin_dialog: FirstAdminDialog | None = None
        self.approver_dialog: ApproverDialog | None = None
        header.login_requested.connect(lambda: self.open_login(switch=False))
        header.switch_requested.connect(lambda: self.open_login(switch=True))
        header.logout_requested.connect(self.logout)
        session.changed.connect(self.show_identity)
        self.show_identity(session.identity)

    def show_identity(self, who: Identity) -> None:
        self.header.set_session(
            who.user, who.authenticated, self.session.enabled, role=role_text(who.role)
        )

    def open_login(self, switch: bool = False) -> LoginDialog:
        dialog = LoginDialog(self.session, switch, self.window)
        if self.login_dialog is not None:  # not deleted on close: a late answer may reach it
            self.login_dialog.deleteLater()
        self.login_dialog = dialog
        dialog.open()
        dialog.user.setFocus()
        return dialog

    def logout(self) -> None:
        self.session.logout()

    def offer_first_admin(self) -> None:
        """At a first start (security on, no users), open the create-the-admin dialog."""
        if not self.session.enabled:
            return

        def answer(needed: bool | None, error: BaseException | None) -> None:
            if error is None and needed:
                self.open_first_admin()

        self.session.needs_first_admin(answer)

    def open_first_admin(self) -> FirstAdminDialog:
        dialog = FirstAdminDialog(self.session, self.window)
        if self.first_admin_dialog is not None:
            self.first_admin_dialog.deleteLater()
        self.first_admin_dialog = dialog
        dialog.open()
        return dialog

    def ask_approver(self, tag: str, value: Any, answer: ApprovalAnswer) -> None:
        """The bridge's approval prompt: `answer(Credential)` or `answer(None)` (cancel)."""
        least = role_text(self.session.security.config.approver_role)
        parent = QApplication.activeWindow() or self.window
        dialog = ApproverDialog(tag, value, least, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: answer(dialog.credential()))
        dialog.rejected.connect(lambda: answer(None))
        self.approver_dialog = dialog
        dialog.open()
