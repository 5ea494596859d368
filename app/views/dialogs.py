"""The window's message boxes: an error that says what to do, a yes/no confirmation and the
save / discard / cancel question before work would be lost.

Every box goes through the module-level `answer(kind, parent, text)`, so tests answer without
a human: `dialogs.answer = lambda kind, parent, text: "discard"`. `kind` is "error",
"confirm" or "save". The human version shows errors window-modal without blocking (the event
loop and the DB worker go on) and asks the questions modally.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from app.views.i18n import tr

log = logging.getLogger(__name__)

Buttons = QMessageBox.StandardButton


def _error_box(parent: QWidget | None, text: str) -> str:
    box = QMessageBox(QMessageBox.Icon.Warning, tr("CoPlan"), text, Buttons.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setObjectName("coplan-error")
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if parent is not None:
        box.open()  # window-modal, returns at once
    else:
        box.exec()  # no window to hang it on (the command line's first project)
    return "ok"


def _confirm_box(parent: QWidget | None, text: str) -> str:
    box = QMessageBox(QMessageBox.Icon.Question, tr("CoPlan"), text, Buttons.Yes | Buttons.No, parent)
    box.button(Buttons.Yes).setText(tr("Yes"))
    box.button(Buttons.No).setText(tr("No"))
    box.setDefaultButton(Buttons.No)
    return "yes" if box.exec() == Buttons.Yes else "no"


def _save_box(parent: QWidget | None, text: str) -> str:
    box = QMessageBox(QMessageBox.Icon.Warning, tr("CoPlan"), text,
                      Buttons.Save | Buttons.Discard | Buttons.Cancel, parent)
    box.button(Buttons.Save).setText(tr("Save"))
    box.button(Buttons.Discard).setText(tr("Don't save"))
    box.button(Buttons.Cancel).setText(tr("Cancel"))
    box.setDefaultButton(Buttons.Save)
    box.setEscapeButton(Buttons.Cancel)
    chosen = box.exec()
    return {Buttons.Save: "save", Buttons.Discard: "discard"}.get(Buttons(chosen), "cancel")


HUMAN: dict[str, Callable[[QWidget | None, str], str]] = {
    "error": _error_box, "confirm": _confirm_box, "save": _save_box}


# Where no one can see a box (offscreen, as in tests and screenshots), a modal question would
# wait forever: it is logged and answered as closing always was, without asking.
UNSEEN = {"error": "ok", "confirm": "no", "save": "discard"}


def ask_human(kind: str, parent: QWidget | None, text: str) -> str:
    """Show the box of `kind` and return the button chosen."""
    if QGuiApplication.platformName() in ("offscreen", "minimal"):
        log.info("no screen to ask on (%s): %s", kind, text)
        return UNSEEN[kind]
    return HUMAN[kind](parent, text)


answer: Callable[[str, QWidget | None, str], str] = ask_human  # tests replace this


def error(parent: QWidget | None, text: str) -> None:
    """Tell the user what went wrong and what to do; the window stays usable."""
    log.info("error shown: %s", text)
    answer("error", parent, text)


def confirm(parent: QWidget | None, text: str) -> bool:
    """True when the user says yes."""
    return answer("confirm", parent, text) == "yes"


def ask_save_discard_cancel(parent: QWidget | None, text: str) -> str:
    """'save', 'discard' or 'cancel' for work that would be lost."""
    result = answer("save", parent, text)
    return result if result in ("save", "discard") else "cancel"
