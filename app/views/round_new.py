"""The "New round" form of the round manager: number, titles in Chinese and English, who sees
the comments while they are collected, the due date (a calendar, sent as an ISO date) and the
drafting team of each deliverable (party codes)."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.review import model as M
from app.views.i18n import tr
from app.views.review_texts import visibility_text

DEFAULT_DAYS = 14  # the due date proposed for a new round


def iso(date_edit: QDateEdit) -> str:
    """The chosen date as YYYY-MM-DD."""
    return date_edit.date().toString(Qt.DateFormat.ISODate)


def due_edit(days: int = DEFAULT_DAYS) -> QDateEdit:
    edit = QDateEdit(QDate.currentDate().addDays(days))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


class NewRoundDialog(QDialog):
    """`submitted(number, title, visibility, teams, due)`; closed by the manager once stored."""

    submitted = Signal(int, dict, str, dict, str)

    def __init__(self, number: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("new-round")
        self.number = QSpinBox()
        self.number.setRange(1, 1000)
        self.number.setValue(number)
        self.title_zh, self.title_en = QLineEdit(), QLineEdit()
        self.visibility = QComboBox()
        for code in M.VISIBILITY:
            self.visibility.addItem(visibility_text(code), code)
        self.due = due_edit()
        self.teams = QTableWidget(len(M.DELIVERABLES), 2)
        self.teams.verticalHeader().setVisible(False)
        self.teams.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for row, code in enumerate(M.DELIVERABLES):
            item = QTableWidgetItem(code)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.teams.setItem(row, 0, item)
            self.teams.setItem(row, 1, QTableWidgetItem(""))
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #B02A2A")
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()
        self.retranslate()

    def _lay_out(self) -> None:
        self.form = QFormLayout()
        self.labels = [QLabel() for _ in range(6)]
        for label, field in zip(self.labels, (self.number, self.title_zh, self.title_en, self.visibility,
                                              self.due, self.teams), strict=True):
            self.form.addRow(label, field)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(520, 620)

    def retranslate(self) -> None:
        self.setWindowTitle(tr("New round"))
        for label, text in zip(self.labels, (tr("Number"), tr("Title (Chinese)"), tr("Title (English)"),
                                             tr("Comments visible"), tr("Due date"),
                                             tr("Drafting teams")), strict=True):
            label.setText(text)
        self.teams.setHorizontalHeaderLabels([tr("Deliverable"), tr("Party codes, comma-separated")])
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Open round"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))

    def team_codes(self) -> dict[str, list[str]]:
        """Deliverable -> party codes, for the deliverables that were given a team."""
        teams = {}
        for row, code in enumerate(M.DELIVERABLES):
            text = self.teams.item(row, 1).text().replace("，", ",")
            parties = [p.strip() for p in text.split(",") if p.strip()]
            if parties:
                teams[code] = parties
        return teams

    def _submit(self) -> None:
        title = {"zh": self.title_zh.text().strip(), "en": self.title_en.text().strip()}
        if not any(title.values()):
            self.show_error(tr("Give the round a title."))
            return
        self.problem.clear()
        self.submitted.emit(self.number.value(), title, self.visibility.currentData(),
                            self.team_codes(), iso(self.due))

    def show_error(self, text: str) -> None:
        self.problem.setText(text)
