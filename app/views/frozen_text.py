"""A section's text as the round froze it, for commenting when the project's own text has changed
since: words selected here become a clause anchor whose position is their exact offset in the
frozen text (what the server checks the anchor against)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from app.views.i18n import tr


def python_offset(text: str, utf16: int) -> int:
    """A Qt cursor position (UTF-16 code units) as an offset in the Python string."""
    return len(text.encode("utf-16-le")[:2 * utf16].decode("utf-16-le", errors="ignore"))


class FrozenTextDialog(QDialog):
    """The frozen text of one section; `clause_chosen(section, quote, position)`."""

    clause_chosen = Signal(str, str, int)

    def __init__(self, number: int, section: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number, self.section, self.frozen = number, section, text
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #C92A2A")
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setPlainText(text)
        self.text.selectionChanged.connect(self._on_selection)
        self.comment_button = QPushButton()
        self.comment_button.clicked.connect(self.comment_on_selection)
        layout = QVBoxLayout(self)
        for widget in (self.note, self.text, self.comment_button):
            layout.addWidget(widget)
        self.resize(620, 420)
        self.retranslate()
        self._on_selection()

    def retranslate(self) -> None:
        self.setWindowTitle(tr("Round {}: section {} as frozen").format(self.number, self.section))
        self.note.setText(tr("Your project's text of section {} differs from the draft round {} "
                             "froze. Comments are anchored to the frozen draft: select the words "
                             "here.").format(self.section, self.number))
        self.comment_button.setText(tr("Comment on selection…"))

    def selected_clause(self) -> tuple[str, int] | None:
        """(quote, offset in the frozen text) of the selection; None without one."""
        cursor = self.text.textCursor()
        if not cursor.hasSelection():
            return None
        start = python_offset(self.frozen, cursor.selectionStart())
        end = python_offset(self.frozen, cursor.selectionEnd())
        quote = self.frozen[start:end]
        return (quote, start) if quote.strip() else None

    def _on_selection(self) -> None:
        self.comment_button.setEnabled(self.selected_clause() is not None)

    def comment_on_selection(self) -> None:
        clause = self.selected_clause()
        if clause is not None:
            self.clause_chosen.emit(self.section, *clause)
