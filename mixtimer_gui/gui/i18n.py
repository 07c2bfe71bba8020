"""Translations: our zh_CN catalogue plus Qt's own.

Source strings are English; zh_CN is the default language. Qt's ``qtbase_zh_CN.qm`` is loaded
too, so the standard buttons of message boxes and dialogs read 取消 / 确定. Qt's own file
dialog (used where the desktop offers none) labels two fields with source texts that
``qtbase_zh_CN`` does not have ("&Look in:", "Files of &type:"): our catalogue, installed
after it and so asked first, translates them in the ``QFileDialog`` context. Domain values that
the wire defines in Chinese are labelled by ``gui.humanize`` through the same catalogue.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from mixtimer_gui.gui.settings import DEFAULT_LANGUAGE, LANGUAGES

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "resources" / "translations"
CATALOGUE = "mixtimer"

_installed: list[QTranslator] = []
_current = "en"


def current_language() -> str:
    return _current


def install_language(language: str | None) -> str:
    """Install the translators for ``language`` (replacing any installed); returns it.

    Installing or removing a translator sends every widget a ``LanguageChange`` event, which
    the widgets of this app answer by re-reading their labels.
    """
    global _current
    app = QCoreApplication.instance()
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    for translator in _installed:
        if app is not None:
            app.removeTranslator(translator)
    _installed.clear()
    _current = language
    if language == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        # The source strings are English; this catalogue only gives "%n day(s)" its
        # singular and plural forms.
        _install(app, f"{CATALOGUE}_en", str(TRANSLATIONS_DIR))
        return language
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in ((f"qtbase_{language}", qt_dir),
                         (f"{CATALOGUE}_{language}", str(TRANSLATIONS_DIR))):
        _install(app, name, folder)
    return language


def _install(app: QCoreApplication | None, name: str, folder: str) -> None:
    translator = QTranslator()
    if translator.load(name, folder) and app is not None:
        app.installTranslator(translator)
        _installed.append(translator)
