"""The triage tab of the round manager: the round's comments, suggested duplicate groups to
accept (or to edit: the suggestion is selected in the table, the coordinator changes the
selection and groups it), assignment of selected comments to a deliverable's drafting team, and
the disposition form for the drafting team's recommendation and the coordinator's decision. A
recommendation a team made on its own party's comment is marked."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.editing.round_jobs import RoundsView
from app.review import model as M
from app.review.times import beijing
from app.views import boxes
from app.views.disposition_editor import DispositionEditor
from app.views.i18n import lang, tr
from app.views.review_texts import deliverable_text, disposition_text, status_text

WARN = QColor("#B02A2A")
SHORT = 40  # characters of a comment shown in a suggestion
RECOMMENDATION, GROUP, RECEIVED = 3, 6, 7  # columns of the table
COMMENT_WIDTH = 240  # px of the comment column (the full text is its tooltip)


def _cell(text: object, data: object = None) -> QTableWidgetItem:
    item = QTableWidgetItem("" if text is None else str(text))
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


def recommendation_text(row: dict) -> str:
    text = disposition_text(row["recommendation"]) if row["recommendation"] else ""
    return f"{text} ⚠ {tr('own party')}" if row["own_party"] else text


class TriageTab(QWidget):
    """Signals carry comment ids: `group_requested(ids)`, `assign_requested(ids, deliverable)`,
    `recommend_requested` / `decide_requested(ids, disposition, fields)`."""

    group_requested = Signal(list)
    assign_requested = Signal(list, str)
    recommend_requested = Signal(list, str, dict)
    decide_requested = Signal(list, str, dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view: RoundsView | None = None
        self.rows: list[dict] = []
        self.group_labels: dict[str, str] = {}
        self.suggestions = QListWidget()
        self.suggestions.setMaximumHeight(64)
        self.accept_button, self.edit_button = QPushButton(), QPushButton()
        self.group_button, self.assign_button = QPushButton(), QPushButton()
        self.recommend_button = QPushButton()
        self.deliverable = QComboBox()
        for code in M.DELIVERABLES:
            self.deliverable.addItem(code, code)
        self.table = QTableWidget(0, 8)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)  # the text: wide, never all
        header.setStretchLastSection(True)
        self.editor = DispositionEditor()
        self.editor.set_editable(True)
        self.suggest_label = QLabel()
        self.accept_button.clicked.connect(self._accept)
        self.edit_button.clicked.connect(self._edit)
        self.group_button.clicked.connect(lambda: self._emit_ids(self.group_requested))
        self.assign_button.clicked.connect(
            lambda: self.assign_requested.emit(self.selected_ids(), self.deliverable.currentData()))
        self.recommend_button.clicked.connect(self._recommend)
        self.editor.decide_requested.connect(lambda _ids, d, f: self.decide_requested.emit(self.selected_ids(), d, f))
        self.table.itemSelectionChanged.connect(self._on_selected)
        self._lay_out()
        self.retranslate()

    def _lay_out(self) -> None:
        top = boxes.row(self.suggest_label, (self.suggestions, 1),
                  boxes.column(self.accept_button, self.edit_button))
        actions = boxes.row(self.group_button, 1, self.deliverable, self.assign_button)
        left = boxes.pane(top, (self.table, 1), actions)
        right = boxes.pane((self.editor, 1), self.recommend_button)
        boxes.column(boxes.splitter(left, right, stretch=(3, 2), sizes=(640, 360)), parent=self)

    def retranslate(self) -> None:
        self.suggest_label.setText(tr("Suggested duplicates:"))
        self.accept_button.setText(tr("Accept group"))
        self.edit_button.setText(tr("Edit members"))
        self.group_button.setText(tr("Group selected"))
        self.assign_button.setText(tr("Assign selected to"))
        self.recommend_button.setText(tr("Recommend (drafting team)"))
        self.table.setHorizontalHeaderLabels([
            tr("Party"), tr("Comment"), tr("Status"), tr("Recommendation"), tr("Decision"),
            tr("Deliverable"), tr("Group"), tr("Received")])
        self.editor.retranslate()
        if self.view is not None:
            self.show_view(self.view)

    # -- model -> UI -----------------------------------------------------------------------

    def show_view(self, view: RoundsView) -> None:
        selected = set(self.selected_ids())
        self.view, self.rows = view, list(view.comments)
        self._fill_suggestions(view)
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.rows))
        groups = list(dict.fromkeys(c["group"] for c in self.rows if c["group"]))
        self.group_labels = {g: f"G{i}" for i, g in enumerate(groups, 1)}  # a uuid means nothing to people
        for row, c in enumerate(self.rows):
            self._fill_row(row, c)
        self.table.setColumnWidth(1, COMMENT_WIDTH)
        self.table.blockSignals(False)
        self.select_ids([i for i in selected if any(r["id"] == i for r in self.rows)])
        self._on_selected()

    def _fill_suggestions(self, view: RoundsView) -> None:
        texts = {r["id"]: r for r in view.comments}
        self.suggestions.clear()
        for members in view.suggestions:
            names = "、".join(texts[m]["party_name"] for m in members if m in texts)
            first = texts.get(members[0], {}).get("text", "")[:SHORT]
            item = QListWidgetItem(tr("{} comments ({}): {}").format(len(members), names, first),
                                   self.suggestions)
            item.setData(Qt.ItemDataRole.UserRole, list(members))
        if self.suggestions.count():
            self.suggestions.setCurrentRow(0)
        for button in (self.accept_button, self.edit_button):
            button.setEnabled(self.suggestions.count() > 0)

    def _fill_row(self, row: int, c: dict) -> None:
        received = beijing(c["received"], lang())
        # What triage decides on first; the receipt time (long, with its zone) last.
        cells = [c["party_name"], c["text"], status_text(c["status"]), recommendation_text(c),
                 disposition_text(c["decision"]) if c["decision"] else "",
                 deliverable_text(c["deliverable"]), self.group_labels.get(c["group"], ""),
                 f"{received} {tr('late')}" if c["late"] else received]
        for column, text in enumerate(cells):
            item = _cell(text, c["id"])
            if column == 1:
                item.setToolTip(text)
            if (column == RECEIVED and c["late"]) or (column == RECOMMENDATION and c["own_party"]):
                item.setForeground(WARN)
            self.table.setItem(row, column, item)

    def _on_selected(self) -> None:
        ids = self.selected_ids()
        state = self.view.state if self.view else None
        comment = state.comments.get(ids[0]) if state and ids else None
        self.editor.show_comment(comment)
        for button in (self.group_button,):
            button.setEnabled(len(ids) > 1)
        self.assign_button.setEnabled(bool(ids))
        self.recommend_button.setEnabled(bool(ids))

    # -- UI -> model -----------------------------------------------------------------------

    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        return [self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in rows if self.table.item(r, 0)]

    def select_ids(self, ids: list[str]) -> None:
        model, selection = self.table.model(), QItemSelection()
        for row, c in enumerate(self.rows):
            if c["id"] in ids:
                selection.select(model.index(row, 0), model.index(row, self.table.columnCount() - 1))
        self.table.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _current_suggestion(self) -> list[str]:
        item = self.suggestions.currentItem()
        return list(item.data(Qt.ItemDataRole.UserRole)) if item else []

    def _accept(self) -> None:
        members = self._current_suggestion()
        if members:
            self.group_requested.emit(members)

    def _edit(self) -> None:
        """Select the suggestion's comments: the coordinator changes the selection, then groups."""
        self.select_ids(self._current_suggestion())
        self.table.setFocus()

    def _emit_ids(self, signal) -> None:
        ids = self.selected_ids()
        if ids:
            signal.emit(ids)

    def _recommend(self) -> None:
        ids, editor = self.selected_ids(), self.editor
        if not ids or editor.problem_codes():
            editor.problems.setText("\n".join(editor.problems.text().splitlines()) or tr("Choose a comment."))
            return
        d = editor.draft
        text = d["answer"].strip()
        # A recommendation cites no meeting memo: that is the decision's basis.
        fields = {"reason": d["reason"], "answer": {lang(): text} if text else {},
                  "changes": d["changes"]}
        self.recommend_requested.emit(ids, d["disposition"], fields)
