"""A coordinator's meeting dialogs (#16): plan a meeting (level, date, titles, attendees from the
parties, an agenda prefilled with the open issues of that level raised by that day —
issues.agenda_for —, each a check box), and record the memo (纪要) of a meeting without one: its
number, text and a decision per open agenda issue (close / keep, with a new due date / escalate).

Both are sent straight to the server by the coordinator's command job and pulled back
(app/views/implement_actions.py ActionDialog).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QWidget,
)

from app.implement import model as M
from app.model.ids import uuid7
from app.views.i18n import lang, tr
from app.views.implement_actions import ActionDialog, issue_title
from app.views.implement_dashboard import ITEM, _cell, _table, level_text, party_text

NO_DATE = QDate(2000, 1, 1)  # a QDateEdit at its minimum shows "—": no new due date
DECISION_COLUMN, DUE_COLUMN, NOTE_COLUMN = 3, 4, 5


def date_edit(day: str | None) -> QDateEdit:
    edit = QDateEdit(QDate.fromString(day, "yyyy-MM-dd") if day else NO_DATE)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def iso(edit: QDateEdit) -> str | None:
    """The chosen date as YYYY-MM-DD (None at the "—" minimum)."""
    day = edit.date()
    return None if day == edit.minimumDate() and edit.specialValueText() else day.toString("yyyy-MM-dd")


def issue_line(issue: M.Issue, names: dict) -> str:
    """An agenda line (the level is the meeting's): due date, owner, title."""
    return tr("due {} · {} · {}").format(issue.due, party_text(names, issue.owner), issue_title(issue))


def checked(widget: QListWidget) -> list[str]:
    return [widget.item(i).data(ITEM) for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked]


class PlanMeetingDialog(ActionDialog):
    """Plan a meeting; changing the level or the date prefills the agenda again."""

    def __init__(self, dashboard) -> None:
        super().__init__(dashboard)
        self.meeting_id, self.request_id = uuid7(), uuid7()
        self.prefilled = ("", "")
        self.setWindowTitle(tr("Plan meeting"))
        self.level = QComboBox()
        for level in M.LEVELS:
            self.level.addItem(level_text(level), level)
        self.day = date_edit(self.data.today)
        self.title_zh, self.title_en = QLineEdit(), QLineEdit()
        self.attendees, self.agenda = QListWidget(), QListWidget()
        form = QFormLayout()
        form.addRow(tr("Level"), self.level)
        form.addRow(tr("Date"), self.day)
        form.addRow(tr("Title (Chinese)"), self.title_zh)
        form.addRow(tr("Title (English)"), self.title_en)
        self.body.addLayout(form)
        split = QSplitter(Qt.Orientation.Horizontal)
        for label, widget in ((tr("Attendees"), self.attendees), (tr("Agenda: open issues of this level"),
                                                                  self.agenda)):
            box = QWidget()
            inner = QFormLayout(box)
            inner.setContentsMargins(0, 0, 0, 0)
            inner.addRow(QLabel(label))
            inner.addRow(widget)
            split.addWidget(box)
        split.setSizes([340, 520])
        self.body.addWidget(split, 1)
        self._fill_attendees()
        self.level.currentIndexChanged.connect(lambda _: self.prefill())
        self.day.dateChanged.connect(lambda _: self.prefill())
        self.prefill()
        self.ok_button.setText(tr("Plan meeting"))
        self.resize(900, 560)

    def _fill_attendees(self) -> None:
        for code in sorted(self.data.names, key=lambda c: (c != self.data.party, c)):
            row = QListWidgetItem(party_text(self.data.names, code))
            row.setToolTip(row.text())
            row.setData(ITEM, code)
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            row.setCheckState(Qt.CheckState.Unchecked)
            self.attendees.addItem(row)

    def prefill(self) -> None:
        """The agenda: the open issues at the chosen level, those issues.agenda_for gives for the
        day ticked; the attendees: this party and the owners of those issues; the titles: the
        level's meeting name (unless typed over)."""
        from app.implement.issues import agenda_for
        level, day = self.level.currentData(), date.fromisoformat(iso(self.day))
        state = self.data.state
        auto = agenda_for(state, level, day)
        others = sorted((i for i in state.issues.values() if i.state == "open" and i.level == level
                         and i.id not in auto), key=lambda i: (i.due, i.id))
        self.agenda.clear()
        for issue_id in [*auto, *(i.id for i in others)]:
            row = QListWidgetItem(issue_line(state.issues[issue_id], self.data.names))
            row.setData(ITEM, issue_id)
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            row.setCheckState(Qt.CheckState.Checked if issue_id in auto else Qt.CheckState.Unchecked)
            self.agenda.addItem(row)
        wanted = {self.data.party, *(state.issues[i].owner for i in auto)}
        for i in range(self.attendees.count()):
            row = self.attendees.item(i)
            row.setCheckState(Qt.CheckState.Checked if row.data(ITEM) in wanted else Qt.CheckState.Unchecked)
        zh, en = M.LEVELS[level]
        if (self.title_zh.text(), self.title_en.text()) in (("", ""), self.prefilled):
            self.title_zh.setText(zh)
            self.title_en.setText(en[:1].upper() + en[1:])
            self.prefilled = (self.title_zh.text(), self.title_en.text())

    def commands(self) -> list | None:
        title_zh, title_en = self.title_zh.text().strip(), self.title_en.text().strip()
        if not (title_zh or title_en):
            return self.refuse(tr("Give the meeting a title."))
        data = {"meeting": self.meeting_id, "level": self.level.currentData(), "date": iso(self.day),
                "title_zh": title_zh, "title_en": title_en, "attendees": checked(self.attendees),
                "agenda": checked(self.agenda)}
        return [("meeting", data, self.request_id)]

    def done_text(self, count: int) -> str:
        return tr("Meeting planned with {} issue(s) on the agenda.").format(len(checked(self.agenda)))


class MemoDialog(ActionDialog):
    """Record the memo of a meeting without one: a decision for each open agenda issue."""

    def __init__(self, dashboard, meeting_id: str) -> None:
        super().__init__(dashboard)
        self.request_id = uuid7()
        self.setWindowTitle(tr("Record memo"))
        self.meeting = QComboBox()
        from app.editing.implement_jobs import meetings
        for m in meetings(self.data.state):
            if m.memo is None:
                title = m.title_zh if lang() == "zh" else m.title_en or m.title_zh
                self.meeting.addItem(f"{m.date} · {level_text(m.level)} · {title}", m.id)
        self.number, self.text_zh, self.text_en = QLineEdit(), QPlainTextEdit(), QPlainTextEdit()
        self.number.setPlaceholderText(tr("e.g. 沪都协纪〔2026〕12号"))
        for edit in (self.text_zh, self.text_en):
            edit.setFixedHeight(64)
        self.decisions = _table(6, 0)
        self.decisions.setHorizontalHeaderLabels([tr("Issue"), tr("Level"), tr("Due"), tr("Decision"),
                                                  tr("New due date"), tr("Note")])
        form = QFormLayout()
        form.addRow(tr("Meeting"), self.meeting)
        form.addRow(tr("Memo no."), self.number)
        form.addRow(tr("Text (Chinese)"), self.text_zh)
        form.addRow(tr("Text (English)"), self.text_en)
        self.body.addLayout(form)
        self.body.addWidget(QLabel(tr("A decision for each issue on the agenda")))
        self.body.addWidget(self.decisions, 1)
        self.meeting.currentIndexChanged.connect(lambda _: self._fill())
        self.meeting.setCurrentIndex(max(0, self.meeting.findData(meeting_id)))
        self._fill()
        self.ok_button.setText(tr("Record memo"))
        self.resize(980, 620)

    def _fill(self) -> None:
        meeting = self.data.state.meetings.get(self.meeting.currentData())
        agenda = [self.data.state.issues[i] for i in (meeting.agenda if meeting else ())
                  if i in self.data.state.issues]
        self.decisions.setRowCount(len(agenda))
        for row, issue in enumerate(agenda):
            for column, text in enumerate((issue_title(issue), f"L{issue.level}", issue.due)):
                self.decisions.setItem(row, column, _cell(text, issue.id))
            self.decisions.item(row, 1).setToolTip(level_text(issue.level))
            if issue.state != "open":
                self.decisions.setItem(row, DECISION_COLUMN, _cell(tr("already closed")))
                continue
            action = QComboBox()
            for key, text in (("keep", tr("keep open")), ("close", tr("close")), ("escalate", tr("escalate"))):
                if key != "escalate" or issue.level < 3:
                    action.addItem(text, key)
            due = date_edit(None)
            due.setMinimumDate(NO_DATE)
            due.setSpecialValueText("—")
            action.currentIndexChanged.connect(lambda _i, a=action, d=due: d.setEnabled(a.currentData() != "close"))
            self.decisions.setCellWidget(row, DECISION_COLUMN, action)
            self.decisions.setCellWidget(row, DUE_COLUMN, due)
            self.decisions.setCellWidget(row, NOTE_COLUMN, QLineEdit())
        self.decisions.resizeColumnsToContents()
        self.decisions.setColumnWidth(0, 300)

    def row_of(self, issue_id: str) -> int:
        for row in range(self.decisions.rowCount()):
            if self.decisions.item(row, 0).data(ITEM) == issue_id:
                return row
        return -1

    def decide(self, issue_id: str, action: str, due: str | None = None, note: str = "") -> None:
        """Set the decision on an agenda issue (as choosing it in its row does)."""
        row = self.row_of(issue_id)
        combo = self.decisions.cellWidget(row, DECISION_COLUMN)
        combo.setCurrentIndex(combo.findData(action))
        if due:
            self.decisions.cellWidget(row, DUE_COLUMN).setDate(QDate.fromString(due, "yyyy-MM-dd"))
        self.decisions.cellWidget(row, NOTE_COLUMN).setText(note)

    def decision_rows(self) -> list[dict]:
        out = []
        for row in range(self.decisions.rowCount()):
            combo = self.decisions.cellWidget(row, DECISION_COLUMN)
            if combo is None:  # closed meanwhile: nothing to decide
                continue
            action = combo.currentData()
            due = iso(self.decisions.cellWidget(row, DUE_COLUMN)) if action != "close" else None
            out.append({"issue": self.decisions.item(row, 0).data(ITEM), "action": action,
                        "note": self.decisions.cellWidget(row, NOTE_COLUMN).text().strip(), "due": due})
        return out

    def commands(self) -> list | None:
        number = self.number.text().strip()
        if self.meeting.currentData() is None:
            return self.refuse(tr("Every meeting has its memo already."))
        if not number:
            return self.refuse(tr("Give the memo its number (纪要编号)."))
        data = {"meeting": self.meeting.currentData(), "number": number,
                "text_zh": self.text_zh.toPlainText().strip(), "text_en": self.text_en.toPlainText().strip(),
                "decisions": self.decision_rows()}
        return [("memo", data, self.request_id)]

    def done_text(self, count: int) -> str:
        return tr("Memo {} recorded.").format(self.number.text().strip())
