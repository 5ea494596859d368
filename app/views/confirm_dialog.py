"""A party's reply to a published answer: satisfied, or not satisfied with a note saying why
(required: the note reopens the comment and the office must know what is missing). Saving
only emits `confirmed(comment id, satisfied, note)`; the party controller writes it to the
outbox on the DB worker."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.editing.party_jobs import AnswerItem
from app.views.answers_panel import answer_html
from app.views.i18n import tr


class ConfirmDialog(QDialog):
    """Satisfied / Not satisfied (+ a required note) for one comment's published answer."""

    confirmed = Signal(str, bool, str)  # comment id, satisfied, note

    def __init__(self, item: AnswerItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.answer = QTextBrowser()
        self.satisfied, self.not_satisfied = QRadioButton(), QRadioButton()
        group = QButtonGroup(self)
        for button in (self.satisfied, self.not_satisfied):
            group.addButton(button)
            button.toggled.connect(self._check)
        self.note_label, self.problem = QLabel(), QLabel()
        self.problem.setStyleSheet("color: #B02A2A")
        self.note = QPlainTextEdit()
        self.note.textChanged.connect(self._check)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_ok)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.answer, self.satisfied, self.not_satisfied, self.note_label, self.note,
                       self.problem, self.buttons):
            layout.addWidget(widget)
        self.resize(560, 460)
        self.retranslate()
        self._check()

    def retranslate(self) -> None:
        self.setWindowTitle(tr("Reply to the answer"))
        self.answer.setHtml(answer_html(self.item.answer or {}, tr("Published answer")))
        self.satisfied.setText(tr("Satisfied"))
        self.not_satisfied.setText(tr("Not satisfied (the comment is reopened)"))
        self.note_label.setText(tr("Note (required when not satisfied)"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Save to outbox"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self._check()

    def _problem(self) -> str:
        if not (self.satisfied.isChecked() or self.not_satisfied.isChecked()):
            return tr("Choose satisfied or not satisfied.")
        if self.not_satisfied.isChecked() and not self.note.toPlainText().strip():
            return tr("Say why the answer is not satisfactory.")
        return ""

    def _check(self) -> None:
        problem = self._problem()
        self.problem.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)

    def show_error(self, text: str) -> None:
        """The outbox refused the reply: say why, stay open."""
        self.problem.setText(text)
        self.buttons.setEnabled(True)

    def _on_ok(self) -> None:
        if self._problem():
            return
        self.buttons.setEnabled(False)  # until the outbox answers
        self.confirmed.emit(self.item.id, self.satisfied.isChecked(), self.note.toPlainText().strip())
