"""UI language for the whole application: translators, layout direction and the Vazirmatn font.

Persian is the source language of every UI string (`self.tr("...")`); English comes from
resources/i18n/posapp_en.qm. The layout direction is set here, once, on the application, from
the language; no widget sets its own. Qt's own strings (dialog buttons, context menus) come from
Qt's bundled qtbase_<lang>.qm.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

from posapp.paths import fonts_dir, resources_dir
from posapp.settings.ui import language_or_default

log = logging.getLogger(__name__)

APP_FONT_FAMILY = "Vazirmatn"
APP_FONT_POINT_SIZE = 10

_installed: list[QTranslator] = []


def i18n_dir() -> Path:
    return resources_dir() / "i18n"


def apply_language(app: QGuiApplication, language: str) -> str:
    """Install the translators for `language` (replacing earlier ones) and set the layout
    direction; returns the language actually applied."""
    language = language_or_default(language)
    for translator in _installed:
        QCoreApplication.removeTranslator(translator)
    _installed.clear()
    qt_translations = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_base = QTranslator(app)
    if qt_base.load(f"qtbase_{language}", qt_translations):
        _installed.append(qt_base)
    if language != "fa":
        ours = QTranslator(app)
        if ours.load(f"posapp_{language}", str(i18n_dir())):
            _installed.append(ours)
        else:
            log.warning("no translation file posapp_%s.qm in %s", language, i18n_dir())
    for translator in _installed:
        QCoreApplication.installTranslator(translator)
    locale = QLocale(QLocale.Language.Persian, QLocale.Country.Iran) if language == "fa" \
        else QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    QLocale.setDefault(locale)
    app.setLayoutDirection(
        Qt.LayoutDirection.RightToLeft if language == "fa" else Qt.LayoutDirection.LeftToRight
    )
    return language


def current_language() -> str:
    """The UI language `apply_language` last set ("fa" or "en"), read from the application's
    layout direction, for widgets that are given no Display."""
    return "fa" if QGuiApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft else "en"


def load_application_font(app: QGuiApplication) -> str | None:
    """Register every bundled Vazirmatn TTF and make it the application font.

    Returns the family name, or None (with a warning) when the fonts are missing, in which case
    Qt's fallback fonts are used."""
    families: set[str] = set()
    for path in sorted(fonts_dir().glob("Vazirmatn*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("could not load font %s", path)
            continue
        families.update(QFontDatabase.applicationFontFamilies(font_id))
    if APP_FONT_FAMILY not in families:
        log.warning("Vazirmatn was not found in %s; using the system font", fonts_dir())
        return None
    font = QFont(APP_FONT_FAMILY, APP_FONT_POINT_SIZE)
    app.setFont(font)
    return APP_FONT_FAMILY
