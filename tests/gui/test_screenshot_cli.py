"""`hmi screenshot` end to end: the real CLI, the demo simulator process, a PNG on disk."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

HMI = [sys.executable, "-m", "hmi"]


def _run(*args: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([*HMI, *args], capture_output=True, text=True, timeout=timeout, env=env)


def test_screenshot_of_the_demo_writes_a_png_of_the_requested_size(qapp, tmp_path: Path):
    out = tmp_path / "shots" / "overview.png"
    proc = _run(
        "screenshot", "--demo", "--screen", "overview", "--out", str(out),
        "--size", "1280x800", "--after", "1.5", "--no-backfill",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip().endswith(str(out))
    image = QImage(str(out))
    assert not image.isNull()
    assert (image.width(), image.height()) == (1280, 800)
    # Not a blank canvas: the ISA-101 grey dominates and dark text is drawn on it.
    greys = {image.pixelColor(x, y).name() for x in range(0, 1280, 40) for y in range(0, 800, 40)}
    assert len(greys) > 3


def test_unknown_screen_exits_2_and_lists_the_screens(tmp_path: Path):
    proc = _run("screenshot", "--demo", "--screen", "nope", "--out", str(tmp_path / "x.png"))
    assert proc.returncode == 2
    assert "nope" in proc.stderr and "overview" in proc.stderr
    assert not (tmp_path / "x.png").exists()
