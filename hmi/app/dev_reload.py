"""`hmi run --dev`: an edited plugin screen shows in seconds, the plant keeps running.

The folder of every plugin's package is polled (modification times of its ``.py`` and
``.ui`` files, every 0.5 s: robust against editors that save by rename, which
`QFileSystemWatcher` loses track of). When a plugin's files change, its modules are
reloaded (`importlib.reload`), its entry point is loaded again, and the main window
rebuilds that plugin's built screens and open faceplates in place. The runtime, its
drivers and the alarm engine are not touched: nothing the operator relies on restarts.
A reload that fails (a syntax error) shows the error panel in place of the plugin's
screens until the next save fixes it.
"""

from __future__ import annotations

import importlib
import logging
import sys
import traceback
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from types import ModuleType

from PySide6.QtCore import QObject, QTimer, Signal

from hmi.app.plugins import LoadedPlugin, load_plugin

log = logging.getLogger(__name__)

POLL_MS = 500
WATCHED_SUFFIXES = (".py", ".ui", ".qm")

Snapshot = dict[Path, int]


def folder_state(folder: Path) -> Snapshot:
    """``{file: mtime_ns}`` of the watched files under `folder` (caches skipped)."""
    state: Snapshot = {}
    for path in folder.rglob("*"):
        if path.suffix in WATCHED_SUFFIXES and "__pycache__" not in path.parts:
            try:
                state[path] = path.stat().st_mtime_ns
            except OSError:
                continue  # deleted between listing and stat
    return state


def modules_under(folder: Path) -> list[ModuleType]:
    """The imported modules whose file lies in `folder`, deepest first (a package's
    ``__init__`` is reloaded after the modules it imports from)."""
    folder = folder.resolve()
    found = []
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if not path:
            continue
        try:
            Path(path).resolve().relative_to(folder)
        except ValueError:
            continue
        found.append(module)
    return sorted(found, key=lambda m: (-m.__name__.count("."), m.__name__))


def reload_modules(modules: Iterable[ModuleType]) -> None:
    """Reload `modules` in order; importlib.invalidate_caches first so new files count."""
    importlib.invalidate_caches()
    for module in modules:
        importlib.reload(module)


class DevReloader(QObject):
    """Polls the plugin folders and hands reloaded plugins to `apply` (the main window's
    ``reload_plugin``). `reloaded` carries the plugin's name after each reload."""

    reloaded = Signal(str)

    def __init__(
        self,
        plugins: Iterable[LoadedPlugin],
        apply: Callable[[LoadedPlugin], object],
        interval_ms: int = POLL_MS,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._apply = apply
        self._watched: dict[str, tuple[LoadedPlugin, Path, Snapshot]] = {}
        for loaded in plugins:
            self.watch(loaded)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.poll)

    def watch(self, loaded: LoadedPlugin) -> None:
        """Follow `loaded`'s package folder (plugins never imported cannot be followed)."""
        folder = loaded.package_dir or _folder_of_failed(loaded)
        if folder is None or loaded.entry_point is None:
            log.info("dev: cannot watch plugin %s (no package folder)", loaded.name)
            return
        self._watched[loaded.name] = (loaded, folder, folder_state(folder))
        log.info("dev: watching %s for plugin %s", folder, loaded.name)

    @property
    def folders(self) -> dict[str, Path]:
        return {name: folder for name, (_l, folder, _s) in self._watched.items()}

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def poll(self) -> list[str]:
        """Reload every plugin whose files changed since the last poll; their names."""
        changed = []
        for name, (loaded, folder, before) in list(self._watched.items()):
            now = folder_state(folder)
            if now != before:
                self._watched[name] = (loaded, folder, now)
                changed.append(name)
                self.reload(name)
        return changed

    def reload(self, name: str) -> LoadedPlugin:
        """Reload plugin `name` now and apply it (what a change on disk triggers)."""
        loaded, folder, state = self._watched[name]
        try:
            reload_modules(modules_under(folder))
        except Exception as exc:
            log.exception("dev: reloading plugin %s failed", name)
            fresh = replace(
                loaded,
                plugin=None,
                error=f"plugin '{name}' failed to reload: {type(exc).__name__}: {exc}",
                details=traceback.format_exc(),
            )
        else:
            assert loaded.entry_point is not None
            fresh = load_plugin(loaded.entry_point)
        self._watched[name] = (fresh, folder, state)
        self._apply(fresh)
        log.info("dev: plugin %s reloaded (%s)", name, "ok" if fresh.ok else fresh.error)
        self.reloaded.emit(name)
        return fresh


def _folder_of_failed(loaded: LoadedPlugin) -> Path | None:
    """A folder plugin that failed on import still has a folder to watch for the fix."""
    folder = getattr(loaded.entry_point, "folder", None)
    if folder is None:
        return None
    path = Path(folder) / loaded.name
    return path if path.is_dir() else None
