"""Regression guard: PySide6 6.12.0 on Python 3.11 aborts (`Fatal Python error:
bool_dealloc` / `none_dealloc`) after a few thousand ordinary calls.

The work runs in a SUBPROCESS so that an abort fails this test instead of killing
pytest. If an upgrade brings the bug back, this test says so before an operator does.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

CALLS = 50_000

SCRIPT = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

    class Source(QObject):
        changed = Signal(object)

    app = QApplication([])
    window = QWidget()
    labels = [QLabel() for _ in range(10)]
    layout = QVBoxLayout(window)
    for label in labels:
        layout.addWidget(label)
    window.resize(400, 300)
    window.show()

    received = []
    source = Source()
    source.changed.connect(lambda payload: received.append(payload["n"]))

    calls = int(sys.argv[1])
    for n in range(calls):
        labels[n % 10].setText(f"{n} {n * 0.5:.1f}")
        source.changed.emit({"n": n, "ok": n % 2 == 0, "none": None})
        labels[n % 10].setProperty("quality", "good" if n % 3 else "bad")
        if n % 500 == 0:
            window.repaint()
            window.grab()
            app.processEvents()
    app.processEvents()
    assert len(received) == calls and received[-1] == calls - 1, len(received)
    print("final", labels[(calls - 1) % 10].text(), len(received))
    """
)


def test_many_ordinary_qt_calls_do_not_abort_the_interpreter(tmp_path):
    script = tmp_path / "stress.py"
    script.write_text(SCRIPT, encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, str(script), str(CALLS)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stderr[-2000:]}"
    last = CALLS - 1
    assert f"final {last} {last * 0.5:.1f} {CALLS}" in proc.stdout
