"""The invitations tab of the round manager: pick parties of the project and a due date to
invite them; each invitation's response, the server's receipt time (Beijing time), late and
overdue flags and the reminders sent; remind the parties that have not answered."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.editing.round_jobs import RoundsView
from app.review.times import beijing
from app.views import boxes
from app.views.i18n import lang, tr
from app.views.review_texts import party_type_text
from app.views.round_new import due_edit, iso

WARN = QColor("#B02A2A")


def response_text(code: str | None) -> str:
    return {"submitted": tr("comments received"), "no_comment": tr("no comment"),
            "none": tr("no answer yet")}.get(code or "none", code or "")


def _cell(text: object, data: object = None) -> QTableWidgetItem:
    item = QTableWidgetItem("" if text is None else str(text))
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


class InvitationsTab(QWidget):
    """`invite_requested(parties, due)`; `remind_requested(parties, note)` (no parties: every
    party that has not answered)."""

    invite_requested = Signal(list, str)
    remind_requested = Signal(list, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view: RoundsView | None = None
        self.parties = QListWidget()
        self.parties.setMaximumWidth(260)
        self.due = due_edit()
        self.invite_button, self.remind_button = QPushButton(), QPushButton()
        self.remind_selected_button = QPushButton()
        self.note = QLineEdit()
        self.table = QTableWidget(0, 8)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.due_label, self.pick_label = QLabel(), QLabel()
        self.invite_button.clicked.connect(self._invite)
        self.remind_button.clicked.connect(lambda: self.remind_requested.emit([], self.note.text().strip()))
        self.remind_selected_button.clicked.connect(self._remind_selected)
        self._lay_out()
        self.retranslate()

    def _lay_out(self) -> None:
        left = boxes.column(self.pick_label, (self.parties, 1), boxes.row(self.due_label, (self.due, 1)),
                      self.invite_button)
        right = boxes.column((self.table, 1),
                       boxes.row((self.note, 1), self.remind_selected_button, self.remind_button))
        boxes.row(left, (right, 1), parent=self)

    def retranslate(self) -> None:
        self.pick_label.setText(tr("Invite parties:"))
        self.due_label.setText(tr("Due"))
        self.invite_button.setText(tr("Invite"))
        self.remind_button.setText(tr("Remind all unanswered"))
        self.remind_selected_button.setText(tr("Remind selected"))
        self.note.setPlaceholderText(tr("Note with the reminder (optional)"))
        self.table.setHorizontalHeaderLabels([
            tr("Party"), tr("Type"), tr("Due"), tr("Response"), tr("Received"), tr("Late"),
            tr("Overdue"), tr("Reminders")])
        if self.view is not None:
            self.show_view(self.view)

    # -- model -> UI -----------------------------------------------------------------------

    def show_view(self, view: RoundsView) -> None:
        self.view = view
        invitations = view.detail.get("invitations", [])
        invited = {i["party"] for i in invitations}
        self._fill_parties(view.parties, invited)
        self.table.setRowCount(len(invitations))
        for row, inv in enumerate(invitations):
            self._fill_row(row, inv)
        self.remind_button.setEnabled(any(i["response"] == "none" for i in invitations))

    def _fill_parties(self, parties, invited: set[str]) -> None:
        self.parties.clear()
        for p in parties:
            if p["code"] in invited:
                continue  # invited already: shown in the table
            item = QListWidgetItem(f"{p['name']} ({p['code']})", self.parties)
            item.setData(Qt.ItemDataRole.UserRole, p["code"])
            item.setCheckState(Qt.CheckState.Unchecked)

    def _fill_row(self, row: int, inv: dict) -> None:
        language = lang()
        reminded = inv.get("reminded") or []
        reminders = f"{len(reminded)} ({beijing(reminded[-1], language)})" if reminded else ""
        cells = [f"{inv.get('name') or inv['party']} ({inv['party']})", party_type_text(inv.get("type")),
                 inv.get("due") or "", response_text(inv.get("response")),
                 beijing(inv.get("received"), language),
                 tr("late") if inv.get("late") else "", tr("overdue") if inv.get("overdue") else "",
                 reminders]
        for column, text in enumerate(cells):
            item = _cell(text, inv["party"])
            if column == 7:
                item.setToolTip("\n".join(beijing(at, language) for at in reminded))
            if column in (5, 6) and text:
                item.setForeground(WARN)
            self.table.setItem(row, column, item)

    # -- UI -> model -----------------------------------------------------------------------

    def checked_parties(self) -> list[str]:
        return [self.parties.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.parties.count())
                if self.parties.item(i).checkState() == Qt.CheckState.Checked]

    def check_parties(self, codes: list[str]) -> None:
        for i in range(self.parties.count()):
            item = self.parties.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in codes
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def _invite(self) -> None:
        self.invite_requested.emit(self.checked_parties(), iso(self.due))

    def _remind_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        parties = [self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in rows]
        if parties:
            self.remind_requested.emit(parties, self.note.text().strip())
