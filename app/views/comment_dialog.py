"""Writing a comment: round, text, and its anchors — features of the map selection (with a
snapshot of their geometry), a clause (section id + quoted text + position, typed or passed
in by a text view), or an area such as a conflict's geometry. Saving only emits
`submitted(round, body, anchors)`: the controller writes it to the outbox on the DB worker,
and review-sync sends it when the server is reachable."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.editing.review_jobs import clause_anchor
from app.views.i18n import lang, tr
from app.views.review_panel import anchor_text


class CommentDialog(QDialog):
    """A new comment; `anchors` start from the map selection or a conflict, clauses can be added."""

    submitted = Signal(int, dict, list)  # round, body {"zh"|"en": text}, anchors

    def __init__(self, number: int = 1, anchors: list[dict] = (), body: dict | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.anchors: list[dict] = list(anchors)
        self.initial = dict(body or {})  # a generated body keeps both languages while unedited
        self._build()
        self.round.setValue(max(1, number))
        self.language.setCurrentIndex(max(0, self.language.findData(lang())))
        self.text.setPlainText(self.initial.get(self.language.currentData(), ""))
        self.retranslate()
        self._show_anchors()
        self._check()

    def _build(self) -> None:
        self.round = QSpinBox()
        self.round.setRange(1, 1000)
        self.language = QComboBox()
        self.language.addItem("中文", "zh")
        self.language.addItem("English", "en")
        self.text = QPlainTextEdit()
        self.text.textChanged.connect(self._check)
        self.anchor_list = QListWidget()
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self._remove_anchor)
        self.clause_box = self._clause_box()
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #B02A2A")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()

    def _clause_box(self) -> QGroupBox:
        box = QGroupBox()
        self.section, self.quote = QLineEdit(), QLineEdit()
        self.position = QSpinBox()
        self.position.setRange(0, 10_000_000)
        self.add_clause_button = QPushButton()
        self.add_clause_button.clicked.connect(self._on_add_clause)
        row = QHBoxLayout(box)
        for widget, stretch in ((self.section, 1), (self.quote, 3), (self.position, 0),
                                (self.add_clause_button, 0)):
            row.addWidget(widget, stretch)
        return box

    def _lay_out(self) -> None:
        self.form = QFormLayout()
        self.labels = [QLabel() for _ in range(3)]
        for label, field in zip(self.labels, (self.round, self.language, self.text), strict=True):
            self.form.addRow(label, field)
        anchors_row = QHBoxLayout()
        anchors_row.addWidget(self.anchor_list, 1)
        anchors_row.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        self.anchors_label = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.anchors_label)
        layout.addLayout(anchors_row)
        layout.addWidget(self.clause_box)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(640, 520)

    def retranslate(self) -> None:
        self.setWindowTitle(tr("New comment"))
        for label, text in zip(self.labels, (tr("Round"), tr("Language"), tr("Comment")), strict=True):
            label.setText(text)
        self.anchors_label.setText(tr("Anchors (map features, areas, clauses)"))
        self.remove_button.setText(tr("Remove"))
        self.clause_box.setTitle(tr("Anchor to a clause"))
        self.section.setPlaceholderText(tr("Section id, e.g. S3.2"))
        self.quote.setPlaceholderText(tr("Quoted text"))
        self.add_clause_button.setText(tr("Add clause"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("Save to outbox"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))

    # -- model -> UI -----------------------------------------------------------------------

    def add_clause(self, section: str, quote: str, position: int) -> bool:
        """Add a clause anchor (from the typed fields or from a text view); False if invalid."""
        try:
            anchor = clause_anchor(section.strip(), quote, position)
        except ValueError:
            self.problem.setText(tr("A clause anchor needs a section id (letters, digits, . _ -) "
                                    "and the quoted text."))
            return False
        self.anchors.append(anchor)
        self._show_anchors()
        self._check()
        return True

    def _show_anchors(self) -> None:
        self.anchor_list.clear()
        for anchor in self.anchors:
            QListWidgetItem(anchor_text(anchor), self.anchor_list)
        self.remove_button.setEnabled(bool(self.anchors))

    def show_error(self, text: str) -> None:
        """The outbox refused the comment (e.g. an invalid geometry): say why, stay open."""
        self.problem.setText(text)
        self.buttons.setEnabled(True)

    # -- UI -> model -----------------------------------------------------------------------

    def _on_add_clause(self) -> None:
        if self.add_clause(self.section.text(), self.quote.text(), self.position.value()):
            self.section.clear()
            self.quote.clear()
            self.position.setValue(0)

    def _remove_anchor(self) -> None:
        row = self.anchor_list.currentRow()
        if 0 <= row < len(self.anchors):
            del self.anchors[row]
            self._show_anchors()

    def _check(self) -> None:
        empty = not self.text.toPlainText().strip()
        self.problem.setText(tr("Write the comment.") if empty else "")
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not empty)

    def body(self) -> dict:
        """The text in its language; an unedited generated body keeps both languages."""
        code, text = self.language.currentData(), self.text.toPlainText().strip()
        if self.initial and self.initial.get(code, "").strip() == text:
            return dict(self.initial)
        return {code: text}

    def _on_save(self) -> None:
        if not self.text.toPlainText().strip():
            return
        self.buttons.setEnabled(False)  # until the outbox answers
        self.submitted.emit(self.round.value(), self.body(), list(self.anchors))
