"""UI language: Qt translators for the app, the widgets and every plugin.

All user-visible strings of the station go through `QCoreApplication.translate`;
the compiled catalogues are `<domain>_<lang>.qm` files. Texts from the plant
config are `Localized` objects and are picked with `.get(lang)` instead.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

from hmi.paths import RESOURCES

log = logging.getLogger(__name__)

TRANSLATIONS = RESOURCES / "translations"
LANGUAGES = ("en", "zh_TW")


def catalogues(lang: str, folders: Iterable[Path]) -> list[Path]:
    """Every `*_<lang>.qm` in `folders`, the app's own (`hmi_<lang>.qm`) first."""
    found: list[Path] = []
    for folder in folders:
        if folder.is_dir():
            found.extend(sorted(folder.glob(f"*_{lang}.qm")))
    found.sort(key=lambda p: p.name != f"hmi_{lang}.qm")
    return found


def install_translations(
    app: QCoreApplication, lang: str, plugin_dirs: Iterable[Path] = ()
) -> list[QTranslator]:
    """Install translators for `lang`; return them (they must stay referenced).

    English is the source language, so "en" installs nothing.
    """
    if lang not in LANGUAGES:
        log.warning("no UI language %r (known: %s); using English", lang, ", ".join(LANGUAGES))
        return []
    if lang == "en":
        return []
    installed: list[QTranslator] = []
    for qm in catalogues(lang, [TRANSLATIONS, *plugin_dirs]):
        translator = QTranslator(app)
        if translator.load(str(qm)):
            app.installTranslator(translator)
            installed.append(translator)
        else:
            log.warning("cannot load translation catalogue %s", qm)
    if not installed:
        log.warning("no %s translations found; the UI stays in English", lang)
    return installed
