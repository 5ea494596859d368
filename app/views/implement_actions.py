"""A coordinator's side of the implementation dashboard (#16): the Reports tab (reports awaiting
review, accept or return with a note), escalating overdue issues or one issue, and the buttons
that open the meeting dialogs (app/views/implement_meetings.py).

Every command runs on the DB worker, goes straight to the server and is followed by a pull
(app/editing/implement_actions_jobs.py); the dashboard reloads afterwards. Other roles see the
reports but not the buttons: a note in their place says why.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.editing import implement_actions_jobs as ajobs
from app.editing import implement_jobs as jobs
from app.implement import model as M
from app.model.ids import uuid7
from app.review.times import beijing
from app.views.i18n import lang, tr
from app.views.implement_dashboard import ITEM, _cell, _table, level_text, party_text, status_text
from app.views.worker import message_of, show_progress

ERROR_STYLE = "color: #C92A2A;"
NOTE_STYLE = "color: #666666;"


def is_coordinator(data) -> bool:
    return data is not None and data.role == "coordinator"


def role_reason() -> str:
    return tr("Only a coordinator can review reports, escalate issues, plan meetings and record "
              "memos; this copy is not a coordinator's.")


def issue_title(issue: M.Issue) -> str:
    return issue.title_zh if lang() == "zh" else issue.title_en or issue.title_zh


def days_late(report: M.Report) -> int:
    """Days after its due date (Beijing) the server received the report (0: on time)."""
    from app.implement.periods import beijing_date, due_date
    if not report.submitted_at:
        return 0
    return max(0, (beijing_date(report.submitted_at) - due_date(report.period)).days)


def step_text(step) -> str:
    """What a command job is doing now, for its progress label."""
    if step.stage == "pull":
        return tr("Pulling the implementation log…")
    return tr("Sending {} of {} to the server…").format(step.done + 1, max(step.total - 1, 1))


class Runner:
    """Runs a command job on the worker with a progress bar and a message label; `done(result)`
    after the dashboard was asked to reload, the error shown in the label."""

    def __init__(self, dashboard, bar: QProgressBar, label: QLabel, buttons) -> None:
        self.dashboard, self.bar, self.label, self.buttons = dashboard, bar, label, buttons
        bar.hide()

    def run(self, fn, *args, done=None) -> None:
        worker = self.dashboard.main.worker
        if worker is None:
            return
        self._busy(True)
        self.say(tr("Connecting to the server…"))
        worker.call(fn, *args, progress=self._progress, done=lambda r: self._done(r, done),
                    error=self._failed, name="implement-command")

    def _progress(self, step) -> None:
        show_progress(self.bar, self.label, step.done, step.total)
        self.label.setText(step_text(step))

    def _done(self, result, done) -> None:
        self.label.setText(tr("Reloading the dashboard…"))
        self.dashboard.refresh(then=lambda: self._shown(result, done))

    def _shown(self, result, done) -> None:
        self._busy(False)
        if done is not None:
            done(result)

    def _failed(self, exc: Exception) -> None:
        self._busy(False)
        self.label.setStyleSheet(ERROR_STYLE)
        self.label.setText(message_of(exc))
        self.dashboard.refresh()  # a batch may have gone through in part: show what the copy holds

    def say(self, text: str) -> None:
        self.label.setStyleSheet("")
        self.label.setText(text)

    def _busy(self, busy: bool) -> None:
        self.bar.setVisible(busy)
        self.bar.setRange(0, 0)
        for button in self.buttons():
            button.setEnabled(not busy)


class ActionDialog(QDialog):
    """A coordinator's dialog: its body, a message line, a progress bar, OK / Cancel. OK sends
    `commands()` (None: the form is not complete, the message says why); it closes once the
    server has them and the copy has pulled."""

    def __init__(self, dashboard) -> None:
        super().__init__(dashboard)
        self.dashboard = dashboard
        self.data = dashboard.data
        self.sent: int | None = None
        self.body = QVBoxLayout()
        self.message, self.progress = QLabel(), QProgressBar()
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.runner = Runner(dashboard, self.progress, self.message,
                             lambda: [self.buttons.button(QDialogButtonBox.StandardButton.Ok)])
        layout = QVBoxLayout(self)
        layout.addLayout(self.body, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def commands(self) -> list | None:
        raise NotImplementedError

    def job(self, commands: list) -> tuple:
        """(job function, its arguments) that sends `commands`."""
        return ajobs.command_steps, (commands,)

    def submit(self) -> None:
        commands = self.commands()
        if commands is None:
            return
        fn, args = self.job(commands)
        self.runner.run(fn, *args, done=self._sent)

    def _sent(self, count: int) -> None:
        self.sent = count
        self.dashboard.actions.say(self.done_text(count))
        self.accept()

    def done_text(self, count: int) -> str:
        return tr("Done: {} command(s) sent; the dashboard shows the server's log.").format(count)

    def refuse(self, text: str) -> None:
        """The form is not complete: say why, send nothing."""
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)


class EscalateOverdueDialog(ActionDialog):
    """Lists the overdue open issues below level 3 (issues.due_escalations as of today) and
    escalates them once the coordinator confirms."""

    def __init__(self, dashboard) -> None:
        super().__init__(dashboard)
        from app.implement.issues import due_escalations
        self.today = date.fromisoformat(self.data.today)
        self.due = due_escalations(self.data.state, self.today)
        self.request_ids = {issue: uuid7() for issue, _ in self.due}
        self.setWindowTitle(tr("Escalate overdue issues"))
        head = QLabel(tr("{} open issue(s) are past their due date as of {} and not yet escalated "
                         "for it: each goes up one level.").format(len(self.due), self.data.today))
        head.setWordWrap(True)
        self.table = _table(6, 1)
        self.table.setHorizontalHeaderLabels([tr("Level"), tr("Issue"), tr("Owner"), tr("Due"),
                                              tr("Overdue (days)"), tr("To level")])
        self.table.setRowCount(len(self.due))
        for row, (issue_id, _reason) in enumerate(self.due):
            issue = self.data.state.issues[issue_id]
            late = (self.today - date.fromisoformat(issue.due)).days
            cells = (level_text(issue.level), issue_title(issue), party_text(self.data.names, issue.owner),
                     issue.due, late, level_text(issue.level + 1))
            for column, text in enumerate(cells):
                self.table.setItem(row, column, _cell(text, issue_id))
        self.body.addWidget(head)
        self.body.addWidget(self.table)
        self.ok_button.setText(tr("Escalate {} issue(s)").format(len(self.due)))
        self.ok_button.setEnabled(bool(self.due))
        self.resize(860, 420)

    def commands(self) -> list | None:
        return list(self.request_ids.items())

    def job(self, commands: list) -> tuple:
        return ajobs.escalate_overdue_steps, (dict(commands), self.today)

    def done_text(self, count: int) -> str:
        return tr("{} issue(s) escalated.").format(count)


REASONS = ("unresolved", "overdue")


class EscalateDialog(ActionDialog):
    """Escalates one open issue below level 3, with a reason (unresolved, overdue or typed)."""

    def __init__(self, dashboard, issue: M.Issue) -> None:
        super().__init__(dashboard)
        self.issue, self.request_id = issue, uuid7()
        self.setWindowTitle(tr("Escalate issue"))
        head = QLabel(tr("<b>{}</b><br>{} · owner {} · due {} → {}").format(
            issue_title(issue), level_text(issue.level), party_text(self.data.names, issue.owner),
            issue.due, level_text(issue.level + 1)))
        head.setWordWrap(True)
        self.reason = QComboBox()
        self.reason.setEditable(True)
        self.reason.addItem(tr("unresolved"), "unresolved")
        self.reason.addItem(tr("overdue"), "overdue")
        self.reason.lineEdit().setPlaceholderText(tr("Why it goes up a level"))
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Reason")))
        row.addWidget(self.reason, 1)
        self.body.addWidget(head)
        self.body.addLayout(row)
        self.ok_button.setText(tr("Escalate"))
        self.resize(560, 200)

    def reason_value(self) -> str:
        """A preset's key ("unresolved", "overdue": shown translated in every copy), else the
        typed text."""
        text = self.reason.currentText().strip()
        index = self.reason.findText(text)
        return self.reason.itemData(index) if index >= 0 else text

    def commands(self) -> list | None:
        reason = self.reason_value()
        if not reason:
            return self.refuse(tr("Give a reason for escalating."))
        return [("escalate", {"issue": self.issue.id, "reason": reason}, self.request_id)]

    def done_text(self, count: int) -> str:
        return tr("Escalated to {}.").format(level_text(self.issue.level + 1))


class CoordinatorActions:
    """The coordinator's widgets the dashboard lays out: `reports_tab`, `issue_bar` and
    `meeting_bar`; `show(data)` after each load."""

    def __init__(self, dashboard) -> None:
        self.dashboard = dashboard
        self.data = None
        self.dialog: QDialog | None = None
        self._build_reports()
        self._build_bars()
        for table in (dashboard.issues, dashboard.meetings):
            table.currentCellChanged.connect(lambda *_: self._enable())
        dashboard.meetings.cellDoubleClicked.connect(lambda row, _c: self._on_meeting(row))

    def _build_reports(self) -> None:
        self.reports_tab = QWidget()
        self.reports = _table(6)
        self.reports.currentCellChanged.connect(lambda row, *_: self._show_lines(row))
        self.lines = _table(4, 0)
        self.note = QLineEdit()
        self.note.textChanged.connect(lambda _: self._enable())
        self.accept_button, self.return_button = QPushButton(), QPushButton()
        self.accept_button.clicked.connect(lambda: self.review("accept"))
        self.return_button.clicked.connect(lambda: self.review("return"))
        self.review_note, self.review_message, self.review_bar = QLabel(), QLabel(), QProgressBar()
        self.review_message.setWordWrap(True)
        self.review_runner = Runner(self.dashboard, self.review_bar, self.review_message,
                                    lambda: [self.accept_button, self.return_button])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.reports)
        split.addWidget(self.lines)
        self.review_row = QWidget()
        row = QHBoxLayout(self.review_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.note_label = QLabel()
        for widget in (self.note_label, self.note, self.accept_button, self.return_button):
            row.addWidget(widget, 1 if widget is self.note else 0)
        layout = QVBoxLayout(self.reports_tab)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (split, self.review_row, self.review_note, self.review_message, self.review_bar):
            layout.addWidget(widget, 1 if widget is split else 0)

    def _build_bars(self) -> None:
        self.escalate_overdue_button, self.escalate_button = QPushButton(), QPushButton()
        self.plan_button, self.memo_button = QPushButton(), QPushButton()
        self.escalate_overdue_button.clicked.connect(self.open_escalate_overdue)
        self.escalate_button.clicked.connect(self.open_escalate)
        self.plan_button.clicked.connect(self.open_plan)
        self.memo_button.clicked.connect(self.open_memo)
        self.issue_bar, self.meeting_bar = QWidget(), QWidget()
        self.issue_note, self.meeting_note = QLabel(), QLabel()
        for bar, buttons, note in ((self.issue_bar, self.issue_buttons(), self.issue_note),
                                   (self.meeting_bar, self.meeting_buttons(), self.meeting_note)):
            row = QHBoxLayout(bar)
            row.setContentsMargins(0, 0, 0, 0)
            for button in buttons:
                row.addWidget(button)
            row.addWidget(note)
            row.addStretch(1)

    def issue_buttons(self) -> list[QPushButton]:
        return [self.escalate_overdue_button, self.escalate_button]

    def meeting_buttons(self) -> list[QPushButton]:
        return [self.plan_button, self.memo_button]

    def retranslate(self) -> None:
        self.reports.setHorizontalHeaderLabels([tr("Period"), tr("Party"), tr("Items"), tr("Submitted at"),
                                                tr("Reporting"), tr("Written by")])
        self.lines.setHorizontalHeaderLabels([tr("Item"), tr("Complete"), tr("Status"), tr("Narrative")])
        self.note_label.setText(tr("Note"))
        self.note.setPlaceholderText(tr("Why (required to return a report)"))
        self.accept_button.setText(tr("Accept"))
        self.return_button.setText(tr("Return"))
        self.escalate_overdue_button.setText(tr("Escalate overdue…"))
        self.escalate_button.setText(tr("Escalate…"))
        self.plan_button.setText(tr("Plan meeting…"))
        self.memo_button.setText(tr("Record memo…"))
        for note in (self.review_note, self.issue_note, self.meeting_note):
            note.setText(role_reason())
            note.setToolTip(role_reason())
            note.setStyleSheet(NOTE_STYLE)
            note.setWordWrap(True)
        self.show(self.data)

    # -- model -> UI -----------------------------------------------------------------------

    def show(self, data) -> None:
        self.data = data
        allowed = is_coordinator(data)
        for widget in (self.review_row, *self.issue_buttons(), *self.meeting_buttons()):
            widget.setVisible(allowed)
        for note in (self.review_note, self.issue_note, self.meeting_note):
            note.setVisible(data is not None and not allowed)
        self._fill_reports()
        self._enable()
        self.dashboard.tabs.setTabText(3, tr("Reports to review ({})").format(len(self.awaiting())))

    def awaiting(self) -> list[M.Report]:
        """Submitted reports, newest period first, then by party."""
        if self.data is None:
            return []
        found = [r for r in self.data.state.reports.values() if r.state == "submitted"]
        return sorted(found, key=lambda r: (r.period, r.party, r.id), reverse=True)

    def _fill_reports(self) -> None:
        current = self.selected_report()
        reports = self.awaiting()
        self.reports.setRowCount(len(reports))
        for row, r in enumerate(reports):
            late = days_late(r)
            cells = (r.period, party_text(self.data.names, r.party), len(r.lines),
                     beijing(r.submitted_at, lang()) if r.submitted_at else "—",
                     tr("late by {} day(s)").format(late) if late > 0 else tr("on time"), r.author)
            for column, text in enumerate(cells):
                self.reports.setItem(row, column, _cell(text, r.id, "#FFE3B3" if late > 0 else None))
        ids = [r.id for r in reports]
        self.reports.setCurrentCell(ids.index(current) if current in ids else (0 if ids else -1), 0)
        self._show_lines(self.reports.currentRow())

    def _show_lines(self, row: int) -> None:
        report = self.data.state.reports.get(self.selected_report() or "") if self.data else None
        lines = report.lines if report else ()
        self.lines.setRowCount(len(lines))
        for i, line in enumerate(lines):
            item = self.data.state.items.get(line.item)
            label = f"{jobs.item_code(item)} {jobs.title(item, lang())}".strip() if item else line.item
            narrative = line.narrative_zh if lang() == "zh" else line.narrative_en or line.narrative_zh
            cells = (label, f"{line.percent:.0f}%", status_text(line.status), narrative)
            for column, text in enumerate(cells):
                self.lines.setItem(i, column, _cell(text, line.item))
        self._enable()

    def selected_report(self) -> str | None:
        cell = self.reports.item(self.reports.currentRow(), 0) if self.reports.currentRow() >= 0 else None
        return cell.data(ITEM) if cell else None

    def _enable(self) -> None:
        chosen = self.selected_report() is not None
        self.accept_button.setEnabled(chosen)
        self.return_button.setEnabled(chosen and bool(self.note.text().strip()))
        self.return_button.setToolTip("" if self.return_button.isEnabled() else
                                      tr("Select a report and write a note saying why it goes back."))
        issue = self.selected_issue()
        self.escalate_button.setEnabled(issue is not None and issue.level < 3)
        self.escalate_button.setToolTip("" if self.escalate_button.isEnabled() else
                                        tr("Select an open issue below level 3 first."))
        self.memo_button.setEnabled(bool(self.unrecorded()))
        self.memo_button.setToolTip("" if self.memo_button.isEnabled() else
                                    tr("Every meeting has its memo already."))

    # -- UI -> model -----------------------------------------------------------------------

    def review(self, decision: str) -> None:
        """Accept or return the selected report (a note is required to return it)."""
        report, note = self.selected_report(), self.note.text().strip()
        if report is None or not is_coordinator(self.data):
            return
        if decision == "return" and not note:
            self.review_runner.label.setStyleSheet(ERROR_STYLE)
            self.review_runner.label.setText(tr("Write a note saying why the report goes back."))
            return
        command = ("review", {"report": report, "decision": decision, "note": note}, uuid7())
        self.review_runner.run(ajobs.command_steps, [command], done=lambda _n: self._reviewed(decision))

    def _reviewed(self, decision: str) -> None:
        self.note.clear()
        self.review_runner.say(tr("Report accepted.") if decision == "accept" else tr("Report returned."))

    def say(self, text: str) -> None:
        self.dashboard.message.setStyleSheet("")
        self.dashboard.message.setText(text)

    def selected_issue(self) -> M.Issue | None:
        table = self.dashboard.issues
        cell = table.item(table.currentRow(), 0) if table.currentRow() >= 0 else None
        return self.data.state.issues.get(cell.data(ITEM)) if cell and self.data else None

    def unrecorded(self) -> list[M.Meeting]:
        """Meetings without a memo, newest first."""
        return [m for m in jobs.meetings(self.data.state) if m.memo is None] if self.data else []

    def _open(self, dialog: QDialog) -> QDialog:
        self.dialog = dialog
        dialog.show()
        return dialog

    def _on_meeting(self, row: int) -> None:
        """Double-clicking a meeting without a memo records it (a coordinator's copy)."""
        meeting_id = self.dashboard.meetings.item(row, 0).data(ITEM)
        if is_coordinator(self.data) and meeting_id in [m.id for m in self.unrecorded()]:
            self.open_memo(meeting_id)

    def open_escalate_overdue(self) -> QDialog:
        return self._open(EscalateOverdueDialog(self.dashboard))

    def open_escalate(self) -> QDialog | None:
        issue = self.selected_issue()
        if issue is None or issue.state != "open" or issue.level >= 3:
            return None  # the button is disabled then: level 3 is the top
        return self._open(EscalateDialog(self.dashboard, issue))

    def open_plan(self) -> QDialog:
        from app.views.implement_meetings import PlanMeetingDialog
        return self._open(PlanMeetingDialog(self.dashboard))

    def open_memo(self, meeting_id: str | None = None) -> QDialog | None:
        from app.views.implement_meetings import MemoDialog
        table = self.dashboard.meetings
        if meeting_id is None and table.currentRow() >= 0:
            meeting_id = table.item(table.currentRow(), 0).data(ITEM)
        choices = self.unrecorded()
        if not choices:
            return None
        ids = [m.id for m in choices]
        return self._open(MemoDialog(self.dashboard, meeting_id if meeting_id in ids else ids[0]))
