"""Plugin discovery and loading through `importlib.metadata` entry points.

A plugin is imported once at start-up to read its declaration (`PlantPlugin`), but
its screens are built only when first shown. A plugin that fails to import, that
targets another SDK version, or whose object is not a `PlantPlugin` is refused with
a clear message; the station shows that message in place of its screens and runs on.

Two sources: installed packages (the entry-point group ``hmi.plugins``) and, for
development, folders of plugin packages (``--plugin-path DIR`` or the config key
``plant.plugin_paths``): each sub-folder of such a folder that is a Python package
with a ``plugin`` object in its ``__init__`` is a plugin. A folder plugin of the same
name as an installed one replaces it (the integrator's working copy wins).
"""

from __future__ import annotations

import importlib
import logging
import sys
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Protocol

from hmi.plugin import API_VERSION, PlantPlugin

log = logging.getLogger(__name__)

GROUP = "hmi.plugins"


class EntryPointLike(Protocol):
    """What loading needs from an entry point (`importlib.metadata.EntryPoint` fits)."""

    name: str
    value: str

    def load(self) -> object: ...


@dataclass(frozen=True)
class LoadedPlugin:
    """The outcome of loading one entry point: a plugin, or why there is none."""

    name: str
    plugin: PlantPlugin | None = None
    error: str = ""
    details: str = ""  # traceback text, for the error panel
    translations_dir: Path | None = None
    entry_point: EntryPointLike | None = field(default=None, compare=False, repr=False)
    """Where it came from: `hmi run --dev` loads it again from here after an edit."""

    @property
    def package_dir(self) -> Path | None:
        """The folder of the plugin's package (what `--dev` watches), once imported."""
        if self.entry_point is None:
            return None
        module = sys.modules.get(self.entry_point.value.split(":", 1)[0].strip())
        path = getattr(module, "__file__", None)
        return Path(path).resolve().parent if path else None

    @property
    def ok(self) -> bool:
        return self.plugin is not None


def discover(group: str = GROUP) -> list[EntryPointLike]:
    """The installed plugin entry points, sorted by name (a stable navigation order)."""
    return sorted(entry_points(group=group), key=lambda ep: ep.name)


@dataclass(frozen=True)
class FolderEntryPoint:
    """A plugin package found in a development folder, loaded like an entry point:
    the folder goes on `sys.path` and ``<package>:plugin`` is imported from it."""

    name: str
    folder: Path

    @property
    def value(self) -> str:
        return f"{self.name}:plugin"

    def load(self) -> object:
        folder = str(self.folder)
        if folder not in sys.path:
            sys.path.insert(0, folder)
        module = importlib.import_module(self.name)
        if not hasattr(module, "plugin"):
            raise AttributeError(f"package '{self.name}' in {folder} defines no `plugin` object")
        return module.plugin


def discover_folder(folder: Path) -> list[FolderEntryPoint]:
    """The plugin packages in `folder` (sub-folders with an ``__init__.py``), by name.
    A missing folder gives none (and a warning): a stale config key must not stop a
    station."""
    folder = Path(folder).resolve()
    if not folder.is_dir():
        log.warning("plugin folder %s does not exist", folder)
        return []
    return [
        FolderEntryPoint(sub.name, folder)
        for sub in sorted(folder.iterdir())
        if sub.is_dir() and sub.name.isidentifier() and (sub / "__init__.py").is_file()
    ]


def plugin_sources(
    paths: Sequence[Path] = (), eps: Iterable[EntryPointLike] | None = None
) -> list[EntryPointLike]:
    """Installed entry points (or `eps`) followed by the folder plugins of `paths`; a
    folder plugin replaces an installed one of the same name."""
    folder_eps = [ep for path in paths for ep in discover_folder(path)]
    names = {ep.name for ep in folder_eps}
    installed = [ep for ep in (discover() if eps is None else eps) if ep.name not in names]
    return [*installed, *folder_eps]


def load_plugin(ep: EntryPointLike) -> LoadedPlugin:
    """Import one entry point and check it; never raises."""
    try:
        obj = ep.load()
    except Exception as exc:
        log.exception("plugin %s (%s) failed to load", ep.name, ep.value)
        return LoadedPlugin(
            ep.name,
            error=f"plugin '{ep.name}' ({ep.value}) failed to load: {type(exc).__name__}: {exc}",
            details=traceback.format_exc(),
            entry_point=ep,
        )
    if not isinstance(obj, PlantPlugin):
        msg = f"plugin '{ep.name}' ({ep.value}) is a {type(obj).__name__}, not a PlantPlugin"
        log.error("%s", msg)
        return LoadedPlugin(ep.name, error=msg, entry_point=ep)
    if obj.api_version != API_VERSION:
        msg = (
            f"plugin '{ep.name}' targets plugin API version {obj.api_version}, but this "
            f"station provides version {API_VERSION}: refused (update the plugin)"
        )
        log.error("%s", msg)
        return LoadedPlugin(ep.name, error=msg, entry_point=ep)
    return LoadedPlugin(
        ep.name, plugin=obj, translations_dir=_translations_dir(ep, obj), entry_point=ep
    )


def load_plugins(
    eps: Iterable[EntryPointLike] | None = None, paths: Sequence[Path] = ()
) -> list[LoadedPlugin]:
    """Load every plugin (the installed ones unless `eps` is given, then those in the
    folders `paths`), in order."""
    return [load_plugin(ep) for ep in plugin_sources(paths, eps)]


def _translations_dir(ep: EntryPointLike, plugin: PlantPlugin) -> Path | None:
    """The plugin's .qm folder; a relative path is taken from the plugin's package."""
    if not plugin.translations_dir:
        return None
    path = Path(plugin.translations_dir)
    if path.is_absolute():
        return path
    module = sys.modules.get(ep.value.split(":", 1)[0].strip())
    base = Path(module.__file__).parent if module and module.__file__ else Path.cwd()
    return base / path
