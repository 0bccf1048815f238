"""The audible alarm horn: a short sound from resources/, repeated while the horn is on.

QtMultimedia is not part of PySide6-Essentials, so the sound is played by the
system's own player (`aplay -q` from ALSA, or PulseAudio's `paplay`) in a
`QProcess`: started and watched by Qt's event loop, never waited on. Where there
is no player, or it fails (no sound device), the horn is silent: the banner's
visible HORN marker is then the only indicator, and one log line says why.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QTimer, Signal, Slot

from hmi.paths import RESOURCES

log = logging.getLogger(__name__)

HORN_SOUND = RESOURCES / "sounds" / "horn.wav"
PLAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (("aplay", ("-q",)), ("paplay", ()))
"""Players tried in order, with the arguments that go before the file."""
GAP_MS = 400  # silence between two plays of the sound

PlayerLookup = Callable[[str], str | None]


def find_player(lookup: PlayerLookup | None = None) -> tuple[str, list[str]] | None:
    """(program, arguments before the file) of the first player on PATH, or None."""
    lookup = lookup or shutil.which  # looked up at call time: PATH as it is now
    for name, args in PLAYERS:
        path = lookup(name)
        if path:
            return path, list(args)
    return None


class Horn(QObject):
    """Plays `sound` over and over while `set_active(True)`; stops at once on False.

    `active_changed(bool)` follows `set_active`; `audible` says whether a sound can be
    heard at all (False: show the visible indicator only).
    """

    active_changed = Signal(bool)

    def __init__(
        self,
        sound: Path = HORN_SOUND,
        lookup: PlayerLookup | None = None,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._sound = sound
        self._player = find_player(lookup)
        self.active = False
        self._reported = False
        self._process: QProcess | None = None
        self._again = QTimer(self, singleShot=True, interval=GAP_MS)
        self._again.timeout.connect(self._play)
        if self._player is None:
            self._give_up("no audio player (aplay or paplay) on PATH")
        elif not sound.is_file():
            self._give_up(f"horn sound {sound} is missing")

    @property
    def audible(self) -> bool:
        return self._player is not None

    def set_active(self, on: bool) -> None:
        if on == self.active:
            return
        self.active = on
        if on:
            self._play()
        else:
            self._again.stop()
            self._stop_process()
        self.active_changed.emit(on)

    def close(self) -> None:
        self.set_active(False)

    # -- playing ---------------------------------------------------------------------------

    @Slot()
    def _play(self) -> None:
        if not self.active or self._player is None or self._process is not None:
            return
        program, args = self._player
        proc = QProcess(self)
        proc.setProgram(program)
        proc.setArguments([*args, str(self._sound)])
        proc.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
        proc.finished.connect(self._finished)
        proc.errorOccurred.connect(self._error)
        self._process = proc
        proc.start()

    @Slot(int, QProcess.ExitStatus)
    def _finished(self, code: int, status: QProcess.ExitStatus) -> None:
        proc, self._process = self._process, None
        if proc is None:
            return
        output = bytes(proc.readAll().data()).decode(errors="replace").strip()
        proc.deleteLater()
        if status is QProcess.ExitStatus.NormalExit and code != 0:
            self._give_up(f"{proc.program()} failed ({code}): {output or 'no output'}")
            return
        if self.active:
            self._again.start()

    @Slot(QProcess.ProcessError)
    def _error(self, error: QProcess.ProcessError) -> None:
        if error is QProcess.ProcessError.FailedToStart:
            proc, self._process = self._process, None
            if proc is not None:
                proc.deleteLater()
            self._give_up(f"cannot start {self._player[0] if self._player else 'player'}")

    def _stop_process(self) -> None:
        proc, self._process = self._process, None
        if proc is None:
            return
        proc.finished.disconnect(self._finished)
        proc.errorOccurred.disconnect(self._error)
        proc.finished.connect(proc.deleteLater)  # reaped by the event loop, never waited on
        proc.kill()

    def _give_up(self, why: str) -> None:
        """No sound from now on; say so once (the banner still shows HORN)."""
        self._player = None
        if not self._reported:
            self._reported = True
            log.warning("alarm horn is visible only: %s", why)
