"""The plugin SDK: the one module plant-screen authors import from (plus `widgets`).

A plugin is an object exposed under the entry-point group ``hmi.plugins``::

    [project.entry-points."hmi.plugins"]
    my_plant = "my_plant:plugin"

    # my_plant/__init__.py
    from hmi.plugin import API_VERSION, PlantPlugin, ScreenSpec
    plugin = PlantPlugin(name="my_plant", version="1.0", api_version=API_VERSION,
                         screens=[ScreenSpec("overview", {"en": "Overview", "zh_TW": "總覽"},
                                             build_overview)])

A screen factory receives a `ScreenContext` and returns a QWidget. It binds
widgets to tags by name (`ctx.bind(widget, "Line.Motor.Speed")`) and sends
commands through `ctx.write(...)`; it never talks to a driver. Screens are
built when first shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from hmi.config import PlantConfig, TagConfig
    from hmi.drivers.base import WriteResult
    from hmi.tagvalue import TagValue

API_VERSION = 1
"""The SDK version this station provides. A plugin declares the one it targets."""


@runtime_checkable
class TagWidget(Protocol):
    """A widget that shows one tag. The binder calls `set_tag_value` once per display
    frame in which the tag changed, on the GUI thread, and only while it is visible."""

    def set_tag_value(self, value: TagValue) -> None: ...


class ScreenContext(Protocol):
    """What a screen may do: the narrow API between plant screens and the station."""

    @property
    def config(self) -> PlantConfig: ...

    @property
    def lang(self) -> str:
        """The UI language, "en" or "zh_TW" (for texts from the plant config)."""
        ...

    def tag_config(self, name: str) -> TagConfig:
        """The config of a tag (units, description, format); KeyError if unknown."""
        ...

    def bind(self, widget: TagWidget, tag: str) -> None:
        """Feed `widget` the live value of `tag`; unknown tags raise KeyError at once."""
        ...

    def write(
        self,
        tag: str,
        value: Any,
        on_done: Callable[[WriteResult], None] | None = None,
    ) -> None:
        """Ask the runtime to write `value`; `on_done` is called on the GUI thread."""
        ...


ScreenFactory = Callable[[ScreenContext], "QWidget"]


@dataclass(frozen=True)
class ScreenSpec:
    """A screen a plugin contributes. `title` maps language ("en", "zh_TW") to text.
    `level` is the ISA-101 display level: 1 plant overview, 2 line, 3 unit, 4 detail."""

    name: str
    title: dict[str, str]
    factory: ScreenFactory
    level: int = 1

    def title_for(self, lang: str) -> str:
        return self.title.get(lang) or self.title.get("en") or self.name


@dataclass(frozen=True)
class PlantPlugin:
    """A plugin's declaration, read without building any of its screens."""

    name: str
    version: str
    api_version: int
    screens: list[ScreenSpec] = field(default_factory=list)
    translations_dir: str | None = None  # folder with <name>_<lang>.qm files
