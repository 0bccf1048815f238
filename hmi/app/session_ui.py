"""The current session, mirrored into the GUI thread.

The runtime's `Sessions` is the truth about who is at the station; this object
only reflects it for widgets: `identity` and the `changed` signal (queued to the
GUI thread whatever thread logged someone in or out), `allows`/`can_write` to
grey out what the person may not do (the command API still checks everything),
and the two things only the GUI can know about: user input (an application-wide
event filter touches the session, at most once a second, through the runtime
thread) and the passing of time without input (a timer asks the runtime to log
out an idle session, since the audit record that costs is a blocking commit).

Log-in and log-out go through `CommandAPI` in the runtime loop; results come back
by a queued signal, so a 0.4 s password hash never freezes the screen.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import time
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal, Slot

from hmi.config_security import open_security
from hmi.runtime.security import Identity, Permission, Role, Security, SecurityError

if TYPE_CHECKING:
    from hmi.runtime.commands import CommandAPI
    from hmi.runtime.host import RuntimeThread
    from hmi.store.audit import AuditTrail

log = logging.getLogger(__name__)

Done = Callable[[Any, BaseException | None], None]
"""A callback for a background call: ``(result, None)`` or ``(None, exception)``."""

ACTIVITY_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)
"""Input that counts as a person at the station (not mere mouse movement)."""


def role_text(role: Role) -> str:
    """The operator's word for a role (translated)."""
    texts = {
        Role.VIEWER: QCoreApplication.translate("Session", "Viewer"),
        Role.OPERATOR: QCoreApplication.translate("Session", "Operator"),
        Role.SUPERVISOR: QCoreApplication.translate("Session", "Supervisor"),
        Role.ENGINEER: QCoreApplication.translate("Session", "Engineer"),
        Role.ADMIN: QCoreApplication.translate("Session", "Administrator"),
    }
    return texts.get(role, role.value)


def identity_text(who: Identity) -> str:
    """``name (Role)`` as the header shows it."""
    return f"{who.user} ({role_text(who.role)})"


class SessionUi(QObject):
    """The GUI's view of the station's session (see the module docstring).

    `host` None (a window without a runtime, tests of single screens): calls run
    in a plain worker thread and nothing watches input or idle time.
    """

    changed = Signal(object)  # Identity, on the GUI thread, after every change of user
    _from_any_thread = Signal(object)
    _call_done = Signal(object, object, object)  # (done, result, exception)

    def __init__(
        self,
        commands: CommandAPI | None,
        host: RuntimeThread | None,
        parent: QObject | None = None,
        *,
        security: Security | None = None,
        touch_interval_s: float = 1.0,
        idle_check_ms: int = 1000,
        watch: bool = True,
    ):
        super().__init__(parent)
        self._commands = commands
        self._security = security
        self._host = host
        self._touch_interval = touch_interval_s
        self._last_touch = 0.0
        self._expiring = False
        self._closed = False
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None
        self._identity = self.sessions.current
        self._from_any_thread.connect(self._apply, Qt.ConnectionType.QueuedConnection)
        self._call_done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self.sessions.add_listener(self._on_session)
        self._idle_timer = QTimer(self)
        self._idle_timer.setInterval(idle_check_ms)
        self._idle_timer.timeout.connect(self.check_idle)
        self._watching = False
        if watch and self.enabled:
            self.start()

    @classmethod
    def unsecured(cls, parent: QObject | None = None) -> SessionUi:
        """The session of a window without security wiring: open, never changes."""
        return cls(None, None, parent, security=Security(open_security()), watch=False)

    # -- what the GUI reads ---------------------------------------------------------------

    @property
    def security(self) -> Security:
        if self._commands is not None:
            return self._commands.security  # the store-backed one PlantServices installed
        assert self._security is not None
        return self._security

    @property
    def sessions(self):  # -> hmi.runtime.security.Sessions
        return self.security.sessions

    @property
    def enabled(self) -> bool:
        """Whether the plant has security at all (no `[security]`: everything is open)."""
        return self.security.config.enabled

    @property
    def identity(self) -> Identity:
        """Who acts now, as last reported to the GUI thread."""
        return self._identity

    @property
    def audit_trail(self) -> AuditTrail | None:
        """The station's audit trail in the store (None: a runtime without a database)."""
        from hmi.store.audit import AuditTrail

        trail = self.security.audit
        return trail if isinstance(trail, AuditTrail) else None

    def allows(
        self, permission: Permission, tag: str | None = None, area: str | None = None
    ) -> bool:
        """Whether the current person may use `permission` on the target (to grey out)."""
        return self.security.policy.denial(self._identity, permission, tag=tag, area=area) is None

    def can_write(self, tag: str) -> bool:
        """Whether the current person may write `tag` (a critical tag still needs a
        second signature, asked for when the write is sent)."""
        policy = self.security.policy
        return policy.denial(self._identity, policy.write_permission(tag), tag=tag) is None

    # -- log in / out (answers arrive on the GUI thread) ----------------------------------

    def login(self, user: str, password: str, done: Done) -> None:
        """Log `user` in (or switch to them); `done(identity, None)` or `done(None, exc)`."""
        assert self._commands is not None, "no runtime to log in to"
        self._call(self._commands.login(user, password), done)

    def logout(self, done: Done | None = None) -> None:
        assert self._commands is not None, "no runtime to log out of"
        self._call(self._commands.logout(), done)

    def needs_first_admin(self, done: Done) -> None:
        """Ask (off the GUI thread: it counts users) whether the first admin is missing."""
        self._call(asyncio.to_thread(self.sessions.needs_first_admin), done)

    def create_first_admin(self, user: str, password: str, done: Done) -> None:
        """Create the first admin (refused once any user exists); does not log in."""
        self._call(asyncio.to_thread(self.sessions.create_first_admin, user, password), done)

    def _call(self, coro: Coroutine[Any, Any, Any], done: Done | None) -> None:
        if self._host is not None:
            future = self._host.submit(coro)
        else:  # no runtime thread: a short-lived loop in a worker thread
            if self._pool is None:
                self._pool = concurrent.futures.ThreadPoolExecutor(1, "hmi-session")
            future = self._pool.submit(asyncio.run, coro)

        def finished(fut: concurrent.futures.Future) -> None:
            try:
                result, error = fut.result(), None
            except BaseException as exc:  # handed to the GUI thread, shown there
                result, error = None, exc
                if not isinstance(exc, SecurityError):
                    log.error("session call failed: %s", exc, exc_info=exc)
            if not self._closed:
                self._call_done.emit(done, result, error)

        future.add_done_callback(finished)

    @Slot(object, object, object)
    def _deliver(self, done: Done | None, result: Any, error: BaseException | None) -> None:
        if done is None:
            return
        try:
            done(result, error)
        except Exception:
            log.exception("session callback failed")

    # -- changes of user ------------------------------------------------------------------

    def _on_session(self, who: Identity) -> None:  # any thread: only a queued signal here
        if not self._closed:
            with contextlib.suppress(RuntimeError):  # the QObject is already gone (shutdown)
                self._from_any_thread.emit(who)

    @Slot(object)
    def _apply(self, who: Identity) -> None:
        self._identity = who
        self._last_touch = 0.0  # the new person's first input counts at once
        self.changed.emit(who)

    # -- activity and idle log-out --------------------------------------------------------

    def start(self) -> None:
        """Watch user input and idle time (an open plant has nobody to log out)."""
        app = QCoreApplication.instance()
        if app is not None and not self._watching:
            app.installEventFilter(self)
            self._watching = True
        self._idle_timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY_EVENTS:
            now = time.monotonic()
            if now - self._last_touch >= self._touch_interval:
                self._last_touch = now
                self._touch()
        return False  # observe only

    def _touch(self) -> None:
        if self._host is not None:
            self._host.call(self.sessions.touch)  # never wait on the session's lock here
        else:
            self.sessions.touch()

    @Slot()
    def check_idle(self) -> None:
        """Ask the runtime to end the session once it has been idle too long."""
        if self._expiring or not self._identity.authenticated or self._host is None:
            return
        if self.sessions.idle_for() < self.security.config.idle_logout_s:
            return
        self._expiring = True  # one request at a time: expiring audits (a DB commit)

        def done(_result: Any, _error: BaseException | None) -> None:
            self._expiring = False

        self._call(asyncio.to_thread(self.sessions.expire_idle), done)

    def close(self) -> None:
        """Stop watching; later session changes are no longer mirrored."""
        self._closed = True
        self._idle_timer.stop()
        app = QCoreApplication.instance()
        if app is not None and self._watching:
            app.removeEventFilter(self)
            self._watching = False
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
