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

A screen may also be a Qt Designer ``.ui`` file (`ScreenSpec.from_ui`): every widget
in it with a dynamic property ``tag`` is bound by name when it is loaded. A faceplate
is a screen that takes parameters (``ctx.params["instance"]``, e.g.
``"Assembly.Conveyor1"``) and is opened as a popup by ``ctx.open_faceplate(...)``.
See docs/plugins.md for the tutorial and the reference.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QWidget

    from hmi.config import PlantConfig, TagConfig
    from hmi.drivers.base import WriteResult
    from hmi.runtime.alarm_model import AlarmRecord
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

    def can_write(self, tag: str) -> bool:
        """Whether the person now at the station may write `tag`: grey out a control
        when not. Advisory only, the runtime checks every write again; a critical tag
        is writable here and the station then asks for a second signature."""
        ...

    @property
    def session_changed(self) -> SignalInstance:
        """Emitted (on the GUI thread) when someone logs in or out: re-ask `can_write`."""
        ...

    @property
    def params(self) -> Mapping[str, Any]:
        """The parameters this screen was opened with (e.g. ``{"instance": "A.Motor1"}``);
        empty for a screen reached through the navigation."""
        ...

    def members(self, instance: str) -> dict[str, TagConfig]:
        """The tags under a template instance, by member name: ``members("A.Motor1")``
        gives ``{"Speed": <A.Motor1.Speed>, ...}``. Empty when there are none."""
        ...

    def open_screen(self, name: str, **params: Any) -> None:
        """Show screen `name`; with `params`, a separate instance of it built with them."""
        ...

    def open_faceplate(self, name: str, **params: Any) -> None:
        """Open faceplate `name` as a popup window (``instance=`` names the instance).
        Several may be open; one already open for the same parameters is raised."""
        ...

    def load_ui(self, path: str | Path) -> QWidget:
        """Load a Qt Designer file and bind its ``tag`` properties (``{instance}`` and
        other ``{param}`` placeholders are filled from `params`)."""
        ...

    @property
    def actions(self) -> Any:
        """What widgets' context menus and symbol clicks call: a ``widgets.TagActions``
        (trend, alarm history, faceplate) that opens the station's screens."""
        ...

    def alarm_view(
        self, area: str | None = None, prefix: str | None = None, parent: Any = None
    ) -> AlarmView:
        """The active alarms of one area (e.g. a line, "Welding") and/or under a tag prefix
        (e.g. "Welding.Conveyor."), as an `AlarmView`. Pass `parent` (a QObject, typically
        your widget) or keep a reference: the view lives as long as it. A station without
        alarms gives an empty view."""
        ...


class AlarmView(Protocol):
    """A plant screen's read-only look at some of the alarms, plus acknowledge.

    `records()` are the annunciated alarms (unacknowledged, acknowledged or returned
    unacknowledged; not shelved, suppressed or out of service) that match, most urgent
    first. Each is an immutable ``hmi.runtime.alarm_model.AlarmRecord``: ``alarm_id``, ``tag``,
    ``area``, ``priority`` (1 critical … 4 low), ``state`` (an ``AlarmState``),
    ``unacked``, ``message(lang)``, ``value``, ``limit``, ``activated_at`` (epoch s)."""

    @property
    def changed(self) -> SignalInstance:
        """Emitted (GUI thread, at most once per display frame) when `records()` differ."""
        ...

    def records(self) -> list[AlarmRecord]: ...

    def ack(
        self,
        ids: Iterable[str],
        comment: str | None = None,
        on_done: Callable[[Any], None] | None = None,
    ) -> None:
        """Acknowledge alarms through the runtime's command API (permission-checked,
        journaled); never blocks. `on_done(result)` runs later on the GUI thread with
        ``result.ok``, ``result.status`` ("ok" | "denied" | "error") and
        ``result.message`` (the reason to show when not ok)."""
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
    template: str = ""
    """For a faceplate: the tag template (UDT) whose instances it shows, e.g. "ConveyorMotor"."""

    def title_for(self, lang: str) -> str:
        return self.title.get(lang) or self.title.get("en") or self.name

    @classmethod
    def from_ui(
        cls,
        name: str,
        title: dict[str, str],
        path: str | Path,
        *,
        level: int = 1,
        template: str = "",
    ) -> ScreenSpec:
        """A screen drawn in Qt Designer. The file is read when the screen is built (so an
        edit shows on the next build, e.g. `hmi run --dev`); pass an absolute path, such
        as ``Path(__file__).with_name("line.ui")``."""
        ui_path = Path(path)

        def build(ctx: ScreenContext) -> QWidget:
            return ctx.load_ui(ui_path)

        build.__qualname__ = f"from_ui({ui_path.name})"
        return cls(name, title, build, level=level, template=template)


@dataclass(frozen=True)
class PlantPlugin:
    """A plugin's declaration, read without building any of its screens."""

    name: str
    version: str
    api_version: int
    screens: list[ScreenSpec] = field(default_factory=list)
    translations_dir: str | None = None  # folder with <name>_<lang>.qm files
    faceplates: list[ScreenSpec] = field(default_factory=list)
    """Popup screens opened by ``ctx.open_faceplate(name, instance=...)``; not in the
    navigation."""
