"""Named trend views (pens + range + mode): each user's own, saved as one JSON file,
and the plant's (``[[trends]]`` in the plant config, read-only) turned into the same shape.

An operator who watches the same three pens every shift, or a supervisor who keeps
"last night's oven excursion", should get them back by name. Views live in
``<user config dir>/trend-views/<user>.json`` (platformdirs), written atomically so a
crash mid-save never leaves half a file. The user is a parameter: "Viewer" until
logins exist.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from platformdirs import user_config_dir

from hmi.config_trends import TrendViewConfig

APP_NAME = "pro4-hmi"
FORMAT_VERSION = 1


class ViewStoreError(RuntimeError):
    """A views file that cannot be read or written; the message names the file."""


@dataclass(frozen=True)
class PenView:
    tag: str
    color: str | None  # None: the next free pen colour (plant views may leave it out)
    style: str = "solid"
    visible: bool = True


@dataclass(frozen=True)
class TrendView:
    """What a saved view restores. `t0`/`t1` matter in history mode, `window_s` in live."""

    name: str
    pens: list[PenView] = field(default_factory=list)
    mode: Literal["live", "history"] = "live"
    window_s: float = 300.0
    t0: float | None = None
    t1: float | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TrendView:
        pens = [PenView(**p) for p in data.get("pens", [])]
        mode = data.get("mode", "live")
        if mode not in ("live", "history"):
            raise ValueError(f"mode must be live or history, not {mode!r}")
        return cls(
            name=str(data["name"]),
            pens=pens,
            mode=mode,
            window_s=float(data.get("window_s", 300.0)),
            t0=None if data.get("t0") is None else float(data["t0"]),
            t1=None if data.get("t1") is None else float(data["t1"]),
        )


def plant_view(config: TrendViewConfig) -> TrendView:
    """A plant view (``[[trends]]`` in the plant config) as the view the screen opens:
    live, over its window, its left-axis pens first."""
    pens = [PenView(p.tag, p.color, p.style) for p in config.ordered_pens()]
    return TrendView(config.name, pens, "live", config.window_s)


def default_views_dir() -> Path:
    return Path(user_config_dir(APP_NAME, appauthor=False)) / "trend-views"


def _file_name(user: str) -> str:
    """A safe file name for a user name (no path separators, no dot files)."""
    safe = re.sub(r"[^\w.-]", "_", user.strip()).lstrip(".")
    return f"{safe or 'user'}.json"


class TrendViewStore:
    """The named views of one user."""

    def __init__(self, user: str = "Viewer", directory: Path | None = None):
        self.user = user
        self.path = (directory or default_views_dir()) / _file_name(user)

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise ViewStoreError(f"{self.path}: cannot read: {exc}") from exc
        try:
            data = json.loads(text)
            views = data["views"]
            if not isinstance(views, dict):
                raise TypeError("views is not a table")
        except (ValueError, KeyError, TypeError) as exc:
            raise ViewStoreError(f"{self.path}: not a trend views file: {exc}") from exc
        return views

    def names(self) -> list[str]:
        return sorted(self._read(), key=str.casefold)

    def load(self, name: str) -> TrendView:
        """The view called `name`; KeyError if there is none."""
        views = self._read()
        if name not in views:
            raise KeyError(f"no trend view named '{name}' for {self.user}")
        try:
            return TrendView.from_json(views[name])
        except (ValueError, KeyError, TypeError) as exc:
            raise ViewStoreError(f"{self.path}: view '{name}' is damaged: {exc}") from exc

    def save(self, view: TrendView) -> None:
        """Save (or replace) a view by its name."""
        views = self._read()
        views[view.name] = view.to_json()
        self._write(views)

    def delete(self, name: str) -> None:
        views = self._read()
        if views.pop(name, None) is not None:
            self._write(views)

    def _write(self, views: dict[str, dict[str, Any]]) -> None:
        data = {"version": FORMAT_VERSION, "user": self.user, "views": views}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".views-", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False, indent=1)
            os.replace(tmp, self.path)
        except OSError as exc:
            raise ViewStoreError(f"{self.path}: cannot write: {exc}") from exc
