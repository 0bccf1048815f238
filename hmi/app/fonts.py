"""Fonts that can show Traditional Chinese.

Without a CJK font Qt draws Chinese as empty boxes, silently. This module finds an
installed family that covers Traditional Chinese, puts it in the app font's
fallback list, and says ONCE, clearly, what to install when there is none.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

PREFERRED_CJK = (
    "Noto Sans CJK TC",
    "Noto Sans TC",
    "Source Han Sans TC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft JhengHei",
    "PingFang TC",
)
PREFERRED_LATIN = ("DejaVu Sans", "Noto Sans", "Liberation Sans", "Arial")
BASE_PIXEL_SIZE = 16  # large enough to read at arm's length on a 1080p station screen
MISSING_MESSAGE = (
    "no installed font covers Chinese: zh_TW text will show as boxes. "
    "Install one, e.g. `apt-get install fonts-wqy-microhei` (Debian/Ubuntu)."
)


def cjk_family() -> str | None:
    """An installed family that covers Traditional Chinese, preferred ones first."""
    families = QFontDatabase.families(QFontDatabase.WritingSystem.TraditionalChinese)
    if not families:
        return None
    for name in PREFERRED_CJK:
        if name in families:
            return name
    return families[0]


def setup_fonts(app: QApplication, lang: str) -> str | None:
    """Set the app font (Latin family + CJK fallback); return the CJK family or None."""
    cjk = cjk_family()
    if cjk is None and lang.startswith("zh"):
        log.warning("%s", MISSING_MESSAGE)
    installed = set(QFontDatabase.families())
    chain = [f for f in PREFERRED_LATIN if f in installed][:1]
    if cjk:
        chain.append(cjk)
    font = QFont(app.font())
    if chain:
        font.setFamilies(chain)
    font.setPixelSize(BASE_PIXEL_SIZE)
    if font != app.font():  # setFont re-polishes every live widget: only when it changes
        app.setFont(font)
    return cjk
