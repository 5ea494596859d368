"""Start the desktop window for `python -m app`: the Qt side of the entry point."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

from app.messages import localize
from app.views import i18n, settings
from app.views.main_window import MainWindow

log = logging.getLogger(__name__)

SCREENSHOT_DELAY_MS = 300  # after `loaded`: lets the first paint and the label layout happen


# Qt's own warnings are mostly platform noise ("propagateSizeHints" on offscreen): they go to
# the log, shown with -v, so that stderr keeps to one line per real error.
QT_LEVELS = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.DEBUG,
             QtMsgType.QtWarningMsg: logging.INFO, QtMsgType.QtCriticalMsg: logging.ERROR,
             QtMsgType.QtFatalMsg: logging.CRITICAL}
qt_log = logging.getLogger("qt")


def _qt_message(kind: QtMsgType, context, message: str) -> None:
    qt_log.log(QT_LEVELS.get(kind, logging.INFO), "%s", message)


def application() -> QApplication:
    """The process's QApplication, made on first use, with Qt messages sent to the log."""
    qInstallMessageHandler(_qt_message)
    return QApplication.instance() or QApplication(sys.argv[:1])


def report_error(message: str, *, interactive: bool) -> int:
    """One line on stderr, plus a dialog in the UI language when someone is looking; returns
    exit code 1."""
    print(message, file=sys.stderr)
    if interactive:
        application()
        text = localize(message.removeprefix("coplan: "), settings.language(i18n.system_language()))
        QMessageBox.critical(None, "CoPlan", text)
    return 1


def run(path: Path, *, lang: str | None = None, screenshot: Path | None = None) -> int:
    """Show the window on `path` until it closes (or, with `screenshot`, until it is saved)."""
    app = application()
    window = MainWindow(lang=lang)
    failures: list[str] = []

    def on_failed(message: str) -> None:
        # With someone looking, the window has shown the error in a dialog and stays open
        # (empty if this was the first project): the user opens another one.
        print(f"coplan: {message}", file=sys.stderr)
        if screenshot is not None:
            failures.append(message)
            app.exit(1)

    window.failed.connect(on_failed)
    if screenshot is not None:
        window.loaded.connect(lambda _: QTimer.singleShot(
            SCREENSHOT_DELAY_MS, lambda: save_screenshot(app, window, screenshot)))
    window.show()
    window.open_project(path)
    code = app.exec()
    window.shutdown()
    return 1 if failures else code


def save_screenshot(app: QApplication, window: MainWindow, file: Path) -> None:
    """Grab the window into `file` and quit (exit code 1 if it cannot be written)."""
    app.processEvents()
    ok = window.grab().save(str(file))
    if ok:
        log.info("screenshot saved to %s", file)
    else:
        print(f"coplan: cannot write screenshot {file}", file=sys.stderr)
    app.exit(0 if ok else 1)
