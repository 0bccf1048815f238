"""`hmi run` / `hmi demo` refuse clearly instead of crashing: no display, bad config."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from hmi.app.station import NO_DISPLAY_MESSAGE


def _hmi(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hmi", *args], capture_output=True, text=True, timeout=60, env=env
    )


def test_without_a_display_the_gui_says_what_to_do(tmp_path: Path):
    env = {k: v for k, v in os.environ.items()}
    for key in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(key, None)
    proc = _hmi("demo", env=env)
    assert proc.returncode == 1
    assert NO_DISPLAY_MESSAGE in proc.stderr
    assert "xvfb-run -a hmi demo" in proc.stderr


def test_a_bad_config_is_reported_with_file_and_line(tmp_path: Path):
    bad = tmp_path / "plant.toml"
    bad.write_text('[plant]\nname = "x"\ntitle = "X"\nsurprise = 1\n', encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = _hmi("run", "--config", str(bad), env=env)
    assert proc.returncode == 2
    assert "plant.toml:4: plant.surprise: unknown key" in proc.stderr
