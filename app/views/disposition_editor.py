"""The disposition editor: the recommendation, decision and published answer of one comment,
and — for coordinators only — the form of a decision. The core's rules are checked as the form
is filled: "not adopted" needs a reason code; adopted and partially adopted need change
references, picked from the project's change log (change sets the server knows) or typed as a
text revision of a section. Others see the same form read-only."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.editing.review_jobs import disposition_problems
from app.review import model as M
from app.review.state import Answer, CommentState
from app.review.wire import client_refs
from app.views.i18n import lang, tr
from app.views.review_texts import bilingual, disposition_text, reason_text
from app.views.signals import signals_blocked


def problem_text(code: str) -> str:
    return {"reason": tr("\"Not adopted\" needs a reason code."),
            "changes": tr("An adoption needs change references (change sets or text revisions)."),
            "answer": tr("Write the answer to the party.")}[code]


def answer_line(title: str, answer: Answer | None) -> str:
    if answer is None:
        return f"{title}: —"
    reason = f" ({reason_text(answer.reason)})" if answer.reason else ""
    return f"{title}: {disposition_text(answer.disposition)}{reason} — {bilingual(answer.answer)}"


class DispositionEditor(QWidget):
    """`decide_requested(comment ids, disposition, fields)` with fields reason/answer/changes/memo."""

    decide_requested = Signal(list, str, dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.comment: CommentState | None = None
        self.editable = False
        self.choices: list[dict] = []  # the project's change sets: {id, message, created, on_server}
        self.draft = {"disposition": "adopted", "reason": None, "answer": "", "changes": [], "memo": ""}
        self._build()
        self.retranslate()
        self._show_state()

    def _build(self) -> None:
        self.current = QLabel()
        self.current.setWordWrap(True)
        self.disposition, self.reason = QComboBox(), QComboBox()
        self.answer, self.memo = QPlainTextEdit(), QLineEdit()
        self.answer.setMaximumHeight(90)
        self.changes = QListWidget()
        self.changes.setMaximumHeight(110)
        self.section, self.revision = QLineEdit(), QLineEdit()
        self.add_text_button, self.decide_button = QPushButton(), QPushButton()
        self.problems, self.note = QLabel(), QLabel()
        for label in (self.problems, self.note):
            label.setWordWrap(True)
        self.problems.setStyleSheet("color: #B02A2A")
        self.disposition.currentIndexChanged.connect(self._on_edited)  # UI -> draft
        self.reason.currentIndexChanged.connect(self._on_edited)
        self.answer.textChanged.connect(self._on_edited)
        self.memo.textChanged.connect(self._on_edited)
        self.changes.itemChanged.connect(self._on_edited)
        self.add_text_button.clicked.connect(self._add_text_ref)
        self.decide_button.clicked.connect(self._on_decide)
        self._lay_out()

    def _lay_out(self) -> None:
        self.form = QFormLayout()
        self.labels = [QLabel() for _ in range(5)]
        text_row = QHBoxLayout()
        for widget in (self.section, self.revision, self.add_text_button):
            text_row.addWidget(widget)
        for label, field in zip(self.labels, (self.disposition, self.reason, self.answer, self.changes,
                                              self.memo), strict=True):
            self.form.addRow(label, field)
        self.form.addRow("", text_row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.current)
        layout.addLayout(self.form)
        layout.addWidget(self.problems)
        row = QHBoxLayout()
        row.addWidget(self.note, 1)
        row.addWidget(self.decide_button)
        layout.addLayout(row)
        layout.addStretch(1)

    def retranslate(self) -> None:
        for label, text in zip(self.labels, (tr("Disposition"), tr("Reason"), tr("Answer"),
                                             tr("Change references"), tr("Meeting memo")), strict=True):
            label.setText(text)
        with signals_blocked(self.disposition), signals_blocked(self.reason):
            self.disposition.clear()
            for code in M.DISPOSITIONS:
                self.disposition.addItem(disposition_text(code), code)
            self.reason.clear()
            self.reason.addItem(tr("(no reason)"), None)
            for code in M.REASONS:
                self.reason.addItem(reason_text(code), code)
        self.section.setPlaceholderText(tr("Section id, e.g. S3.2"))
        self.revision.setPlaceholderText(tr("Revision"))
        self.add_text_button.setText(tr("Add text revision"))
        self.decide_button.setText(tr("Decide"))
        self._show_draft()
        self._show_state()

    # -- model -> UI -----------------------------------------------------------------------

    def show_comment(self, c: CommentState | None) -> None:
        """Show a comment's answers; the form starts from its decision or recommendation."""
        self.comment = c
        start = (c.decision or c.recommendation) if c else None
        self.draft = {"disposition": start.disposition if start else "adopted",
                      "reason": start.reason if start else None,
                      "answer": bilingual(start.answer) if start else "",
                      "changes": [dict(r) for r in start.changes] if start else [],
                      "memo": (start.memo or "") if start else ""}
        self._show_draft()
        self._show_state()

    def set_changesets(self, choices: list[dict]) -> None:
        """The project's committed change sets; those not on the server cannot be cited."""
        self.choices = choices
        self._show_draft()

    def set_editable(self, editable: bool) -> None:
        self.editable = editable
        self._show_state()

    def _show_draft(self) -> None:
        d = self.draft
        with signals_blocked(self.disposition), signals_blocked(self.reason), \
                signals_blocked(self.answer), signals_blocked(self.memo), signals_blocked(self.changes):
            self.disposition.setCurrentIndex(max(0, self.disposition.findData(d["disposition"])))
            self.reason.setCurrentIndex(max(0, self.reason.findData(d["reason"])))
            if self.answer.toPlainText() != d["answer"]:
                self.answer.setPlainText(d["answer"])
            self.memo.setText(d["memo"])
            self._fill_changes()

    def _fill_changes(self) -> None:
        self.changes.clear()
        # A stored answer holds references as the server resolved them (version, party, text
        # before/after); a new decision sends them back in the form a client writes.
        cited = self.draft["changes"] = client_refs(self.draft["changes"])
        offered = [{"kind": "changeset", "id": c["id"]} for c in self.choices]
        for ref in offered + [r for r in cited if r not in offered]:
            item = QListWidgetItem(self._ref_text(ref), self.changes)
            item.setData(Qt.ItemDataRole.UserRole, ref)
            item.setCheckState(Qt.CheckState.Checked if ref in cited else Qt.CheckState.Unchecked)
            if not self._citable(ref):
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)

    def _ref_text(self, ref: dict) -> str:
        if ref["kind"] == "text":
            return tr("Text {} revision {}").format(ref["section"], ref["revision"])
        found = next((c for c in self.choices if c["id"] == ref["id"]), None)
        if found is None:
            return tr("Change set {}").format(ref["id"][:8])
        pushed = "" if found["on_server"] else " " + tr("(not pushed)")
        return f"{found['created'][:10]} {found['message']} ({ref['id'][:8]}){pushed}"

    def _citable(self, ref: dict) -> bool:
        found = next((c for c in self.choices if c.get("id") == ref.get("id")), None)
        return ref["kind"] == "text" or found is None or found["on_server"]

    def _show_state(self) -> None:
        c = self.comment
        lines = [answer_line(tr("Published answer"), c.published if c else None)]
        if self.editable:
            lines += [answer_line(tr("Decision"), c.decision if c else None),
                      answer_line(tr("Recommendation"), c.recommendation if c else None)]
        self.current.setText("\n".join(lines))
        for widget in (self.disposition, self.reason, self.answer, self.changes, self.memo,
                       self.section, self.revision, self.add_text_button):
            widget.setEnabled(self.editable and c is not None)
        self.note.setText("" if self.editable else tr("Only coordinators decide dispositions; "
                                                      "shown read-only."))
        problems = self.problem_codes() if self.editable and c is not None else []
        self.problems.setText("\n".join(problem_text(p) for p in problems))
        self.decide_button.setEnabled(self.editable and c is not None and not problems)

    def problem_codes(self) -> list[str]:
        d = self.draft
        return disposition_problems(d["disposition"], d["reason"], self._answer(), d["changes"])

    # -- UI -> model -----------------------------------------------------------------------

    def _on_edited(self, *_) -> None:
        checked = [self.changes.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.changes.count())
                   if self.changes.item(i).checkState() == Qt.CheckState.Checked]
        self.draft = {"disposition": self.disposition.currentData(), "reason": self.reason.currentData(),
                      "answer": self.answer.toPlainText(), "changes": checked,
                      "memo": self.memo.text()}
        self._show_state()

    def _add_text_ref(self) -> None:
        section, revision = self.section.text().strip(), self.revision.text().strip()
        if not M.SECTION_ID.match(section) or not revision:
            self.problems.setText(tr("A text revision needs a section id and a revision."))
            return
        self.draft["changes"].append({"kind": "text", "section": section, "revision": revision})
        self.section.clear()
        self.revision.clear()
        self._show_draft()
        self._show_state()

    def _answer(self) -> dict:
        text = self.draft["answer"].strip()
        return {lang(): text} if text else {}

    def _on_decide(self) -> None:
        if self.comment is None or self.problem_codes():
            return
        d = self.draft
        fields = {"reason": d["reason"], "answer": self._answer(), "changes": d["changes"],
                  "memo": d["memo"].strip() or None}
        self.decide_requested.emit([self.comment.id], d["disposition"], fields)
