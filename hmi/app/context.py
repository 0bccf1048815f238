"""The station's implementation of `hmi.plugin.ScreenContext`, one per screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hmi.config import PlantConfig, TagConfig
from hmi.plugin import TagWidget

if TYPE_CHECKING:
    from hmi.app.binder import Binder, ScreenBinding
    from hmi.app.bridge import RuntimeBridge, WriteCallback


class StationScreenContext:
    """What one screen may do: look up tags, bind widgets, write through the runtime.

    Bindings land in the screen's own group, so they follow that screen's visibility.
    """

    def __init__(
        self,
        config: PlantConfig,
        lang: str,
        binder: Binder,
        group: ScreenBinding,
        bridge: RuntimeBridge,
    ):
        self._config = config
        self._lang = lang
        self._binder = binder
        self._group = group
        self._bridge = bridge

    @property
    def config(self) -> PlantConfig:
        return self._config

    @property
    def lang(self) -> str:
        return self._lang

    def tag_config(self, name: str) -> TagConfig:
        return self._config.tag(name)

    def bind(self, widget: TagWidget, tag: str) -> None:
        self._binder.bind(self._group, widget, tag)

    def write(self, tag: str, value: Any, on_done: WriteCallback | None = None) -> None:
        self._bridge.write(tag, value, on_done)
