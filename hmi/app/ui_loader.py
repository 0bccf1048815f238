"""Qt Designer screens: load a ``.ui`` file and bind every widget that names a tag.

An integrator draws a screen in Designer and gives any widget a dynamic string
property ``tag`` (Designer: "+" in the property editor → String → ``tag``). On load:

* our widgets (``ValueDisplay``, ``AnalogBar``, ``Motor``, … promoted or placed as
  custom widgets, header ``widgets``) are constructed with the tag's config, the
  screen's language and the station's context-menu actions, then bound;
* plain Qt widgets are bound through a small adapter: ``QLabel``/``QLineEdit`` show the
  formatted value with units, ``QProgressBar`` the value, ``QLCDNumber`` the number,
  a checkable ``QAbstractButton`` (``QCheckBox``…) the state of a bool. They carry the
  ``quality`` property too, so the theme can style them like ours.

Optional string properties ``caption`` and ``instance`` feed our widgets' captions and
faceplate instance. Every string may use ``{param}`` placeholders filled from the
screen's parameters, so one ``.ui`` faceplate serves every instance
(``tag = {instance}.Speed``). A widget naming an unknown tag, or a widget that
cannot show a tag, fails the load with its name and the file in the message.

Layering: `hmi.app` sits below `widgets`, so the widget classes and the value
formatter are looked up when a file is loaded (like `station` reaches `screens`),
never at import.
"""

from __future__ import annotations

import inspect
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QDir, QFile, QIODevice, QObject
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import (
    QAbstractButton,
    QLabel,
    QLCDNumber,
    QLineEdit,
    QProgressBar,
    QWidget,
)

from hmi.tagvalue import Quality, TagValue

if TYPE_CHECKING:
    from hmi.config import TagConfig
    from hmi.plugin import ScreenContext

BOUND_PROPERTIES = ("tag", "caption", "instance")
"""The dynamic properties this loader reads from a .ui file."""


class UiLoadError(Exception):
    """A .ui file that cannot become a screen; the message names the file and widget."""


def library_widgets() -> dict[str, type[QWidget]]:
    """Our widgets that a .ui file can place (those constructible from a tag's config)."""
    import widgets

    found: dict[str, type[QWidget]] = {}
    for name in widgets.__all__:
        cls = getattr(widgets, name)
        if isinstance(cls, type) and issubclass(cls, QWidget) and _constructible(cls):
            found[name] = cls
    return found


_OFFERED = {"config", "caption", "tag", "lang", "actions", "instance", "write", "parent"}


def _constructible(cls: type) -> bool:
    try:
        params = inspect.signature(cls.__init__).parameters.values()
    except (TypeError, ValueError):
        return False
    required = {
        p.name
        for p in params
        if p.name != "self"
        and p.default is inspect.Parameter.empty
        and p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    }
    return required <= _OFFERED


def _form_properties(path: Path) -> dict[str, dict[str, str]]:
    """``{widget name: {property: text}}`` of the bound properties, read from the XML
    before Qt builds anything: our widgets need their tag when they are constructed."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise UiLoadError(f"{path}: not a valid .ui file: {exc}") from None
    found: dict[str, dict[str, str]] = {}
    for widget in root.iter("widget"):
        props: dict[str, str] = {}
        for prop in widget.findall("property"):
            name = prop.get("name")
            if name in BOUND_PROPERTIES:
                props[name] = "".join(prop.itertext()).strip()
        if props:
            found[widget.get("name", "")] = props
    return found


def _fill(text: str, params: Mapping[str, Any], path: Path, widget: str) -> str:
    try:
        return text.format_map(params)
    except (KeyError, IndexError, ValueError) as exc:
        raise UiLoadError(
            f"{path.name}: widget '{widget}': cannot fill '{text}' from the screen's "
            f"parameters {dict(params)}: {type(exc).__name__}: {exc}"
        ) from None


class _Loader(QUiLoader):
    """QUiLoader that constructs our widgets with their tag's config and the context."""

    def __init__(
        self,
        ctx: ScreenContext,
        path: Path,
        classes: Mapping[str, type[QWidget]],
        props: Mapping[str, Mapping[str, str]],
    ):
        super().__init__()
        self._ctx = ctx
        self._path = path
        self._classes = classes
        self._props = props
        self.error: Exception | None = None  # raised by load_ui: Qt swallows it here
        for cls in classes.values():
            self.registerCustomWidget(cls)
        self.setWorkingDirectory(QDir(str(path.parent)))

    def createWidget(self, class_name: str, parent: QWidget | None = None, name: str = ""):
        cls = self._classes.get(class_name)
        if cls is None:
            return super().createWidget(class_name, parent, name)
        try:
            widget = cls(**self._kwargs(cls, name, parent))
        except Exception as exc:
            if self.error is None:
                self.error = UiLoadError(
                    f"{self._path.name}: widget '{name}' ({class_name}) could not be "
                    f"created: {type(exc).__name__}: {exc}"
                )
            widget = QWidget(parent)  # a stand-in so Qt finishes the form; load_ui raises
        widget.setObjectName(name)
        return widget

    def _kwargs(self, cls: type, name: str, parent: QWidget | None) -> dict[str, Any]:
        ctx = self._ctx
        raw = self._props.get(name, {})
        props = {k: _fill(v, ctx.params, self._path, name) for k, v in raw.items()}
        tag = props.get("tag", "")
        offered: dict[str, Any] = {
            "config": ctx.tag_config(tag) if tag else None,
            "caption": props.get("caption", ""),
            "tag": tag,
            "lang": ctx.lang,
            "actions": ctx.actions,
            "instance": props.get("instance", ""),
            "write": ctx.write,
            "parent": parent,
        }
        params = inspect.signature(cls.__init__).parameters
        if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
            return {k: v for k, v in offered.items() if k != "write" or "write" in params}
        return {k: v for k, v in offered.items() if k in params}


def load_ui(
    path: str | Path,
    ctx: ScreenContext,
    classes: Mapping[str, type[QWidget]] | None = None,
) -> QWidget:
    """Build the form in `path` and bind its ``tag`` properties through `ctx`.

    `classes` are the custom widgets the file may use (default: the widget library).
    Raises `UiLoadError` (or the binder's KeyError for an unknown tag, re-raised with
    the widget's name): the caller — the main window — shows it as an error panel.
    """
    path = Path(path)
    if not path.is_file():
        raise UiLoadError(f"no .ui file at {path}")
    classes = library_widgets() if classes is None else classes
    loader = _Loader(ctx, path, classes, _form_properties(path))
    file = QFile(str(path))
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise UiLoadError(f"cannot open {path}: {file.errorString()}")
    try:
        root = loader.load(file)
    finally:
        file.close()
    if loader.error is not None:
        raise loader.error
    if root is None:
        raise UiLoadError(f"{path.name}: {loader.errorString() or 'Qt could not load it'}")
    try:
        bind_tag_properties(root, ctx, path.name)
    except Exception:
        root.deleteLater()
        raise
    return root


def bind_tag_properties(root: QWidget, ctx: ScreenContext, source: str = "form") -> int:
    """Bind every widget under (and including) `root` with a ``tag`` property; returns
    how many were bound."""
    count = 0
    for widget in [root, *root.findChildren(QWidget)]:
        raw = widget.property("tag")
        if not raw:
            continue
        tag = _fill(str(raw), ctx.params, Path(source), widget.objectName())
        target: Any = widget
        if not callable(getattr(widget, "set_tag_value", None)):
            target = plain_adapter(widget, _config(ctx, tag, source, widget))
            if target is None:
                raise UiLoadError(
                    f"{source}: widget '{widget.objectName()}' ({type(widget).__name__}) "
                    f"cannot show a tag; use a QLabel, QLineEdit, QProgressBar, QLCDNumber, "
                    f"a checkable button or one of our widgets"
                )
        try:
            ctx.bind(target, tag)
        except KeyError as exc:
            raise UiLoadError(f"{source}: widget '{widget.objectName()}': {exc.args[0]}") from None
        count += 1
    return count


def _config(ctx: ScreenContext, tag: str, source: str, widget: QWidget) -> TagConfig:
    try:
        return ctx.tag_config(tag)
    except KeyError:
        raise UiLoadError(
            f"{source}: widget '{widget.objectName()}': no tag named '{tag}' in the plant config"
        ) from None


# -- plain Qt widgets -------------------------------------------------------------------------


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def plain_adapter(widget: QWidget, config: TagConfig) -> PlainTagAdapter | None:
    """The adapter that lets a plain Qt widget show `config`'s tag, or None if it can't."""
    from widgets.formatting import format_value

    tr = QCoreApplication.translate

    def text(value: Any) -> str:
        shown = format_value(
            value, config, true_text=tr("TagWidget", "On"), false_text=tr("TagWidget", "Off")
        )
        return f"{shown} {config.units}".rstrip() if value is not None else shown

    show: Callable[[Any], None]
    if isinstance(widget, QLabel | QLineEdit):
        show = lambda v: widget.setText(text(v))  # noqa: E731
    elif isinstance(widget, QProgressBar):
        show = lambda v: widget.setValue(round(_number(v)))  # noqa: E731
    elif isinstance(widget, QLCDNumber):
        show = lambda v: widget.display(_number(v))  # noqa: E731
    elif isinstance(widget, QAbstractButton) and widget.isCheckable():

        def show(v: Any) -> None:
            blocked = widget.blockSignals(True)  # showing a state is not an operator's click
            widget.setChecked(bool(v))
            widget.blockSignals(blocked)

    else:
        return None
    return PlainTagAdapter(widget, show)


class PlainTagAdapter(QObject):
    """A `TagWidget` for a plain Qt widget: shows the value and sets ``quality``."""

    def __init__(self, widget: QWidget, show: Callable[[Any], None]):
        super().__init__(widget)  # lives and dies with its widget
        self.widget = widget
        self._show = show
        widget.setProperty("quality", Quality.DISCONNECTED.value)

    def set_tag_value(self, value: TagValue) -> None:
        widget = self.widget
        quality = value.quality.value
        if widget.property("quality") != quality:
            widget.setProperty("quality", quality)
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        self._show(None if value.quality is Quality.DISCONNECTED else value.value)
        widget.setToolTip(f"{value.name}: {value.value!r} ({quality})")
