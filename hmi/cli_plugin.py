"""`hmi plugin new NAME` scaffolds a plugin package; `hmi plugin list` shows what loads.

The scaffold is a complete, installable project: a pyproject with the ``hmi.plugins``
entry point, a package with one Python screen and one Qt Designer screen bound to the
demo plant's tags, a test that builds them offscreen, and a README. It runs at once
against the simulator with ``hmi demo --plugin-path <project> --dev``.

No Qt is imported here: `list` imports plugins only to read their declarations.
"""

from __future__ import annotations

import argparse
import keyword
import sys
from pathlib import Path
from string import Template
from typing import Any

TEMPLATES = Path(__file__).resolve().parent / "app" / "plugin_templates"


def add_plugin_commands(subparsers: Any) -> argparse.ArgumentParser:
    """Register `hmi plugin new|list` on the `hmi` command's sub-parsers."""
    p = subparsers.add_parser("plugin", help="scaffold and inspect plant-screen plugins")
    sub = p.add_subparsers(dest="plugin_command", required=True, metavar="ACTION")
    new = sub.add_parser("new", help="create a plugin package to start from")
    new.add_argument("name", help="the plugin's package name (a Python identifier)")
    new.add_argument("--dir", type=Path, default=Path.cwd(), help="where to create it")
    new.add_argument("--title", help="the screens' title (default: from the name)")
    ls = sub.add_parser("list", help="the plugins this station finds, and why any is refused")
    ls.add_argument("--plugin-path", action="append", type=Path, default=[], metavar="DIR",
                    help="a folder of plugin packages (repeatable)")  # fmt: skip
    ls.add_argument("--config", type=Path, help="also the plant config's plant.plugin_paths")
    return p


def run_plugin(args: argparse.Namespace) -> int:
    if args.plugin_command == "new":
        try:
            project = scaffold(args.name, args.dir, title=args.title)
        except ScaffoldError as exc:
            print(f"hmi plugin new: {exc}", file=sys.stderr)
            return 2
        print(f"created plugin '{args.name}' in {project}")
        print(f"  try it:  hmi demo --plugin-path {project} --dev")
        print(f"  test it: cd {project} && PYTHONPATH=. pytest -q")
        return 0
    return list_plugins(args.plugin_path, args.config)


# -- new --------------------------------------------------------------------------------------


class ScaffoldError(Exception):
    """A name or folder `hmi plugin new` cannot use; the message says which and why."""


def check_name(name: str) -> None:
    if not name.isidentifier() or keyword.iskeyword(name) or not name.isascii():
        raise ScaffoldError(
            f"'{name}' is not a valid package name: use letters, digits and _ "
            f"(not starting with a digit), e.g. 'my_plant'"
        )
    if name != name.lower():
        raise ScaffoldError(f"'{name}': package names are lower case, e.g. '{name.lower()}'")
    if name in sys.builtin_module_names or name in {"hmi", "widgets", "screens", "plugins"}:
        raise ScaffoldError(f"'{name}' would shadow an existing module: choose another name")


def scaffold(name: str, where: Path, *, title: str | None = None) -> Path:
    """Write the project ``where/name``; returns its folder. Refuses to overwrite."""
    from hmi.plugin import API_VERSION

    check_name(name)
    project = Path(where) / name
    if project.exists() and any(project.iterdir()):
        raise ScaffoldError(f"{project} exists and is not empty: choose another --dir or name")
    values = {
        "name": name,
        "dist_name": name.replace("_", "-"),
        "title": title or name.replace("_", " ").title(),
        "api_version": str(API_VERSION),
    }
    for template in sorted(TEMPLATES.rglob("*.tmpl")):
        relative = template.relative_to(TEMPLATES).with_suffix("")  # drop .tmpl
        parts = [name if p == "package" else p for p in relative.parts]
        parts[-1] = parts[-1].replace("package", name)
        target = project.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = Template(template.read_text(encoding="utf-8")).substitute(values)
        target.write_text(text, encoding="utf-8")
    return project


# -- list -------------------------------------------------------------------------------------


def list_plugins(paths: list[Path], config_path: Path | None = None) -> int:
    """Print every plugin found; 1 if any was refused (so CI can gate on it)."""
    from hmi.app.plugins import load_plugins
    from hmi.plugin import API_VERSION

    folders = list(paths)
    if config_path is not None:
        from hmi.app.launch import all_plugin_paths
        from hmi.config import ConfigError, load_config

        try:
            folders = all_plugin_paths(load_config(config_path), folders)
        except ConfigError as exc:
            print(exc, file=sys.stderr)
            return 2
    plugins = load_plugins(paths=folders)
    print(f"station plugin API version {API_VERSION}")
    if not plugins:
        print("no plugins found (install one, or pass --plugin-path DIR)")
        return 0
    for loaded in plugins:
        source = loaded.entry_point.value if loaded.entry_point else "?"
        folder = getattr(loaded.entry_point, "folder", None)
        where = f"folder {folder}" if folder else f"entry point {source}"
        if loaded.plugin is not None:
            p = loaded.plugin
            print(
                f"{loaded.name} {p.version}  API {p.api_version} (compatible)  "
                f"{len(p.screens)} screen(s), {len(p.faceplates)} faceplate(s)  [{where}]"
            )
        else:
            print(f"{loaded.name}  REFUSED  [{where}]\n    {loaded.error}")
    return 0 if all(p.ok for p in plugins) else 1
