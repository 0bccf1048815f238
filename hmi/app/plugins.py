"""Plugin discovery and loading through `importlib.metadata` entry points.

A plugin is imported once at start-up to read its declaration (`PlantPlugin`), but
its screens are built only when first shown. A plugin that fails to import, that
targets another SDK version, or whose object is not a `PlantPlugin` is refused with
a clear message; the station shows that message in place of its screens and runs on.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
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

    @property
    def ok(self) -> bool:
        return self.plugin is not None


def discover(group: str = GROUP) -> list[EntryPointLike]:
    """The installed plugin entry points, sorted by name (a stable navigation order)."""
    return sorted(entry_points(group=group), key=lambda ep: ep.name)


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
        )
    if not isinstance(obj, PlantPlugin):
        msg = f"plugin '{ep.name}' ({ep.value}) is a {type(obj).__name__}, not a PlantPlugin"
        log.error("%s", msg)
        return LoadedPlugin(ep.name, error=msg)
    if obj.api_version != API_VERSION:
        msg = (
            f"plugin '{ep.name}' targets plugin API version {obj.api_version}, but this "
            f"station provides version {API_VERSION}: refused (update the plugin)"
        )
        log.error("%s", msg)
        return LoadedPlugin(ep.name, error=msg)
    return LoadedPlugin(ep.name, plugin=obj, translations_dir=_translations_dir(ep, obj))


def load_plugins(eps: Iterable[EntryPointLike] | None = None) -> list[LoadedPlugin]:
    """Load every plugin (the installed ones unless `eps` is given), in order."""
    return [load_plugin(ep) for ep in (discover() if eps is None else eps)]


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
