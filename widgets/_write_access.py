"""Who may write a widget's tag, and how a writing widget shows that it may not.

Why one piece: a command button and a setpoint entry must deny a write by the same
rules — the user's right (`writable`, set by the screen context at each login), the
tag's own ``writable`` flag, and an optional ``can_write(tag)`` check that denies when
it fails rather than crashing — and must be disabled, with the reason in the tooltip,
while denied or without a connection. Each widget brings its own words for the reasons.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QWidget

from hmi.tagvalue import Quality
from widgets._tagcore import TagCore


class WriteAccess:
    """The write permission of one tag widget; enables `parts` and sets their tooltip.

    `denied()` and `offline()` return the (translated) reasons; they are called at each
    refresh so that the words follow the current language.
    """

    def __init__(
        self,
        core: TagCore,
        parts: Sequence[QWidget],
        *,
        can_write: Callable[[str], bool] | None,
        writable: bool,
        denied: Callable[[], str],
        offline: Callable[[], str],
    ):
        self._core = core
        self._parts = tuple(parts)
        self._can_write = can_write
        self.writable = writable
        """The user's right; the screen context sets it at each login."""
        self._denied = denied
        self._offline = offline

    @property
    def permitted(self) -> bool:
        """Whether this operator may write this tag now."""
        cfg = self._core.config
        if not self.writable or (cfg is not None and not cfg.writable):
            return False
        if self._can_write is not None:
            try:
                return bool(self._can_write(self._core.tag))
            except Exception:  # a broken permission check denies, it does not crash
                return False
        return True

    def refresh(self) -> None:
        """Enable or disable the parts (after a login change, or a connection change)."""
        permitted = self.permitted
        connected = self._core.quality is not Quality.DISCONNECTED
        enabled = permitted and connected
        why = self._denied() if not permitted else self._offline() if not connected else ""
        for part in self._parts:
            if part.isEnabled() != enabled:
                part.setEnabled(enabled)
            part.setToolTip(why)


class WriteGuarded:
    """Mixin giving a writing widget its public permission API, backed by `access`."""

    access: WriteAccess

    @property
    def writable(self) -> bool:
        """Set by the screen context from the logged-in user's rights."""
        return self.access.writable

    @writable.setter
    def writable(self, allowed: bool) -> None:
        self.access.writable = bool(allowed)
        self.refresh_permission()

    @property
    def permitted(self) -> bool:
        """Whether this operator may write this tag now."""
        return self.access.permitted

    def refresh_permission(self) -> None:
        """Enable or disable the widget's controls (login or connection change)."""
        self.access.refresh()
