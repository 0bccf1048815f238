"""Session-wide test settings: Qt renders offscreen, nothing needs a display."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
