"""`hmi plugin new` makes a plugin that loads and passes its own test; `hmi plugin list`
reports what the station finds, including refusals."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

from hmi.cli import main
from hmi.cli_plugin import ScaffoldError, scaffold

ROOT = Path(__file__).resolve().parents[2]


def env_with(*paths: Path) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env["PYTHONPATH"] = os.pathsep.join([*(str(p) for p in paths), str(ROOT)])
    return env


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return scaffold("pump_house", tmp_path_factory.mktemp("scaffold"), title="Pump house")


def test_new_writes_an_installable_project(project: Path):
    names = sorted(str(p.relative_to(project)) for p in project.rglob("*") if p.is_file())
    assert names == [
        "README.md",
        "pump_house/__init__.py",
        "pump_house/line.ui",
        "pump_house/overview.py",
        "pyproject.toml",
        "tests/test_pump_house.py",
    ]
    meta = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["entry-points"]["hmi.plugins"] == {"pump_house": "pump_house:plugin"}
    assert "*.ui" in meta["tool"]["setuptools"]["package-data"]["pump_house"]
    assert "hmi demo --plugin-path . --dev" in (project / "README.md").read_text(encoding="utf-8")


def test_new_refuses_bad_names_and_existing_folders(tmp_path: Path, capsys):
    for bad in ("9lives", "my-plant", "class", "MyPlant", "widgets"):
        with pytest.raises(ScaffoldError):
            scaffold(bad, tmp_path)
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "file.txt").write_text("mine", encoding="utf-8")
    assert main(["plugin", "new", "taken", "--dir", str(tmp_path)]) == 2
    assert "exists and is not empty" in capsys.readouterr().err
    assert (tmp_path / "taken" / "file.txt").read_text(encoding="utf-8") == "mine"


def test_the_scaffold_loads_through_plugin_path_and_is_listed(project: Path, capsys):
    assert main(["plugin", "list", "--plugin-path", str(project)]) == 0
    out = capsys.readouterr().out
    assert "pump_house 0.1.0  API 1 (compatible)  2 screen(s)" in out
    assert f"folder {project}" in out


def test_the_scaffolds_own_test_passes(project: Path):
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(project / "tests")],
        cwd=project, env=env_with(project), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "3 passed" in proc.stdout


def test_pip_installing_the_scaffold_makes_it_an_entry_point_plugin(project: Path, tmp_path):
    """The integrator's path: `pip install` the new project, and the station discovers it
    by its entry point, with no --plugin-path. Installed into a folder of its own (not
    this environment, where it would leak into every other test), offline."""
    site = tmp_path / "site"
    pip = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation",
         "--no-index", "--target", str(site), str(project)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert pip.returncode == 0, pip.stdout[-2000:] + pip.stderr[-2000:]
    assert (site / "pump_house").is_dir() and list(site.glob("pump_house-0.1.0.dist-info"))
    proc = subprocess.run(
        [sys.executable, "-m", "hmi", "plugin", "list"],
        env=env_with(site), capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "pump_house 0.1.0  API 1 (compatible)" in proc.stdout
    assert "entry point pump_house:plugin" in proc.stdout


def test_list_reports_a_refused_plugin_and_fails(tmp_path: Path, capsys):
    package = tmp_path / "future_plant"
    package.mkdir()
    (package / "__init__.py").write_text(
        textwrap.dedent("""\
            from hmi.plugin import PlantPlugin
            plugin = PlantPlugin("future_plant", "9.0", api_version=99)
        """),
        encoding="utf-8",
    )
    assert main(["plugin", "list", "--plugin-path", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "future_plant  REFUSED" in out
    assert "targets plugin API version 99" in out
