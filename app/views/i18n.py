"""Interface languages: Qt translation files (source strings in English, zh_CN in i18n/).

`tr(text)` is found by pyside6-lupdate (empty context) and looked up at run time in the
installed translator; catalogue names and validation messages carry both languages as data
and are picked with `lang()` instead.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.paths import resource

log = logging.getLogger(__name__)

LANGUAGES = ("zh", "en")
_state: dict = {"lang": "zh", "translators": []}


def tr(text: str) -> str:
    """`text` in the current interface language."""
    return QCoreApplication.translate("", text)


def lang() -> str:
    """The current language code: zh or en."""
    return _state["lang"]


def system_language() -> str:
    """zh when the system locale is Chinese, else en."""
    return "zh" if QLocale.system().language() == QLocale.Language.Chinese else "en"


def qm_path(code: str):
    return resource("app", "views", "i18n", f"coplan_{code}.qm")


def install(code: str) -> None:
    """Switch the application to language `code`; widgets get a LanguageChange event."""
    app = QCoreApplication.instance()
    for old in _state["translators"]:
        app.removeTranslator(old)
    _state["translators"] = []
    _state["lang"] = code if code in LANGUAGES else "en"
    if _state["lang"] != "zh":
        return
    # Ours, and Qt's own (standard dialogs, the undo stack's "Undo %1").
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for path in (str(qm_path("zh_CN")), f"{qt_dir}/qtbase_zh_CN.qm"):
        translator = QTranslator(app)
        if translator.load(path):
            app.installTranslator(translator)
            _state["translators"].append(translator)
        else:
            log.warning("no Chinese translation at %s", path)
