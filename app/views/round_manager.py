"""The round manager: a coordinator runs comment rounds from the desktop. The rounds with their
stage and due date; a new round; freezing the project's plan text; invitations, reminders and
their status (round_invitations); the stages a round may move to next; triage, recommendation
and decision (round_triage); publishing the answers, exporting the event log and writing the
handling reports from it.

The manager is a non-modal window: the main window stays usable. Every server call and file
write is a job of `app.editing.round_jobs` on the window's DB worker; after each step the
rounds are read again from the server, so what is shown is what the server holds."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QWidget,
)

from app.editing import round_jobs as jobs
from app.editing.round_jobs import RoundsView
from app.review import model as M
from app.views import boxes, dialogs
from app.views.i18n import lang, tr
from app.views.review_texts import bilingual, stage_text, visibility_text
from app.views.round_invitations import InvitationsTab
from app.views.round_new import NewRoundDialog
from app.views.round_records import RecordsTab
from app.views.round_triage import TriageTab
from app.views.worker import PanelController, message_of

if TYPE_CHECKING:
    from app.views.main_window import MainWindow

log = logging.getLogger(__name__)


def _cell(text: object, data: object = None) -> QTableWidgetItem:
    item = QTableWidgetItem("" if text is None else str(text))
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


class RoundManager(QDialog):
    """The window; `RoundController` runs what its buttons ask for."""

    round_chosen = Signal(int)
    advance_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("round-manager")
        self.setModal(False)
        self.view: RoundsView | None = None
        self.rounds = QTableWidget(0, 5)
        self.rounds.verticalHeader().setVisible(False)
        self.rounds.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.rounds.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.rounds.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.rounds.horizontalHeader().setStretchLastSection(True)
        self.rounds.cellClicked.connect(self._on_round_clicked)
        self.new_button, self.refresh_button, self.freeze_button = QPushButton(), QPushButton(), QPushButton()
        self.header, self.message = QLabel(), QLabel()
        self.header.setWordWrap(True)
        self.message.setWordWrap(True)
        self.stage_row = QHBoxLayout()
        self.stage_buttons: dict[str, QPushButton] = {}
        self.invitations, self.triage, self.records = InvitationsTab(), TriageTab(), RecordsTab()
        self.tabs = QTabWidget()
        for tab in (self.invitations, self.triage, self.records):
            self.tabs.addTab(tab, "")
        self._lay_out()
        self.retranslate()

    def _lay_out(self) -> None:
        self.stage_row.addWidget(self.freeze_button)
        self.stage_row.addStretch(1)
        left = boxes.pane((self.rounds, 1), boxes.row(self.new_button, self.refresh_button))
        right = boxes.pane(self.header, self.stage_row, (self.tabs, 1))
        split = boxes.splitter(left, right, stretch=(0, 3), sizes=(250, 1050))
        boxes.column((split, 1), self.message, parent=self)
        self.resize(1300, 700)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(tr("Round manager"))
        self.rounds.setHorizontalHeaderLabels([tr("No."), tr("Title"), tr("Stage"), tr("Due"),
                                               tr("Comments visible")])
        self.new_button.setText(tr("New round…"))
        self.refresh_button.setText(tr("Refresh"))
        self.freeze_button.setText(tr("Freeze draft…"))
        for index, text in enumerate((tr("Invitations"), tr("Triage and answers"), tr("Publish and records"))):
            self.tabs.setTabText(index, text)
        for tab in (self.invitations, self.triage, self.records):
            tab.retranslate()
        if self.view is not None:
            self.show_view(self.view)

    # -- model -> UI -----------------------------------------------------------------------

    def show_view(self, view: RoundsView) -> None:
        self.view = view
        self.rounds.setRowCount(len(view.rounds))
        for row, r in enumerate(view.rounds):
            cells = [r["number"], bilingual(r.get("title")), stage_text(r["stage"]), r.get("due") or "",
                     visibility_text(r.get("visibility"))]
            for column, text in enumerate(cells):
                self.rounds.setItem(row, column, _cell(text, r["number"]))
            if r["number"] == view.number:
                self.rounds.selectRow(row)
        self._show_round(view)
        for tab in (self.invitations, self.triage, self.records):
            tab.show_view(view)

    def _show_round(self, view: RoundsView) -> None:
        r = view.round(view.number)
        stage = r["stage"] if r else None
        if r is None:
            self.header.setText(tr("No round yet: open one with \"New round…\"."))
        else:
            due = r.get("due") or "—"
            draft = (r.get("draft_hash") or "")[:12] or tr("not frozen")
            self.header.setText(tr("Round {}: {} — stage {}, due {}, draft {}").format(
                r["number"], bilingual(r.get("title")), stage_text(stage), due, draft))
        self.freeze_button.setVisible(stage == "draft")
        self._stage_buttons(M.NEXT_STAGES.get(stage, ()) if stage else ())
        self.tabs.setEnabled(r is not None)

    def _stage_buttons(self, stages: tuple[str, ...]) -> None:
        """One button per stage the round may move to next (and no other)."""
        for button in self.stage_buttons.values():
            self.stage_row.removeWidget(button)
            button.deleteLater()
        self.stage_buttons = {}
        for index, stage in enumerate(stages):
            button = QPushButton(tr("Move to: {}").format(stage_text(stage)))
            button.clicked.connect(lambda _=False, s=stage: self.advance_requested.emit(s))
            self.stage_row.insertWidget(1 + index, button)
            self.stage_buttons[stage] = button

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    def _on_round_clicked(self, row: int, _column: int) -> None:
        item = self.rounds.item(row, 0)
        if item is not None and self.view is not None and item.data(Qt.ItemDataRole.UserRole) != self.view.number:
            self.round_chosen.emit(item.data(Qt.ItemDataRole.UserRole))


# File choosers: module level so that tests can answer them.
def choose_save_path(parent: QWidget, title: str, name: str, pattern: str) -> str:
    return QFileDialog.getSaveFileName(parent, title, name, pattern)[0]


def choose_folder(parent: QWidget, title: str) -> str:
    return QFileDialog.getExistingDirectory(parent, title)


def choose_open_path(parent: QWidget, title: str, pattern: str) -> str:
    return QFileDialog.getOpenFileName(parent, title, "", pattern)[0]


class RoundController(PanelController):
    """Runs the manager's steps on the window's DB worker. `shown(RoundsView)` after every
    load; `finished(step, result or exception)` after every step."""

    shown = Signal(object)
    finished = Signal(str, object)

    def __init__(self, window: MainWindow, parent: QObject | None = None) -> None:
        super().__init__(parent or window)
        self.window = window
        self.panel = RoundManager(window)
        self.new_dialog: NewRoundDialog | None = None
        self.last_log: str | None = None  # the event log exported last
        p = self.panel
        p.new_button.clicked.connect(self.new_round)
        p.refresh_button.clicked.connect(lambda: self.refresh())
        p.round_chosen.connect(self.refresh)
        p.freeze_button.clicked.connect(self.freeze)
        p.advance_requested.connect(self.advance)
        p.invitations.invite_requested.connect(self.invite)
        p.invitations.remind_requested.connect(self.remind)
        t = p.triage
        t.group_requested.connect(lambda ids: self._step("group", jobs.group, ids, "duplicate"))
        t.assign_requested.connect(lambda ids, d: self._step("assign", jobs.assign, ids, d))
        t.recommend_requested.connect(lambda ids, d, f: self._step("recommend", jobs.recommend, ids, d, f))
        t.decide_requested.connect(lambda ids, d, f: self._step("decide", jobs.decide, ids, d, f))
        r = p.records
        r.publish_button.clicked.connect(self.publish)
        r.export_button.clicked.connect(self.choose_export)
        r.reports_button.clicked.connect(self.choose_reports)

    @property
    def number(self) -> int | None:
        return self.panel.view.number if self.panel.view else None

    def open(self) -> RoundManager | None:
        """Show the manager (coordinators only) and read the rounds from the server."""
        project = self.window.project
        if project is None or project.role != "coordinator":
            self.window.show_message(tr("Only coordinators run comment rounds."))
            return None
        self.panel.show()
        self.panel.raise_()
        self.refresh()
        return self.panel

    def refresh(self, number: int | None = None) -> None:
        number = self.number if number is None else number
        self._call(jobs.load, number, done=self._show, error=self._load_failed, name="rounds")

    def _show(self, view: RoundsView) -> None:
        self.panel.show_view(view)
        self.shown.emit(view)

    def _load_failed(self, exc: Exception) -> None:
        self._failed(exc)
        self.finished.emit("load", exc)

    def _step(self, name: str, fn, *args, then=None) -> None:
        """Run one step on the worker; read the rounds again when it is done."""
        def done(result) -> None:
            self.panel.show_message(tr("Done: {}.").format(step_text(name)))
            if then is not None:
                then(result)
            self.refresh()
            self.finished.emit(name, result)

        def error(exc: Exception) -> None:
            self._failed(exc)
            self.finished.emit(name, exc)
        self._call(fn, *args, done=done, error=error, name=name)

    # -- the steps -------------------------------------------------------------------------

    def new_round(self) -> NewRoundDialog:
        number = self.panel.view.next_number() if self.panel.view else 1
        dialog = self.new_dialog = NewRoundDialog(number, self.panel)
        dialog.submitted.connect(self._open_round)
        dialog.show()
        return dialog

    def _open_round(self, number: int, title: dict, visibility: str, teams: dict, due: str) -> None:
        dialog = self.new_dialog

        def done(result) -> None:
            dialog.accept()
            self.panel.show_message(tr("Done: {}.").format(step_text("open")))
            self.refresh(number)
            self.finished.emit("open", result)

        def error(exc: Exception) -> None:
            dialog.show_error(message_of(exc))
            self.finished.emit("open", exc)
        self._call(jobs.open_round, number, title, visibility, teams, due, done=done, error=error,
                   name="open round")

    def freeze(self) -> None:
        """Read the plan text, ask with its number of sections, then freeze it."""
        number = self.number

        def ask(sections: dict) -> None:
            question = tr("Freeze the plan text ({} sections) as the draft of round {}? "
                          "Comments will quote this text.").format(len(sections), number)
            if dialogs.confirm(self.panel, question):
                self._step("freeze", jobs.freeze, number, sections)
            else:
                self.finished.emit("freeze", None)

        def error(exc: Exception) -> None:
            self._failed(exc)
            self.finished.emit("freeze", exc)
        self._call(jobs.draft_sections, done=ask, error=error, name="plan text")

    def advance(self, to: str) -> None:
        """Move the round on, once asked: a stage is never moved back."""
        question = tr("Move round {} to the stage \"{}\"? A round never moves back.").format(
            self.number, stage_text(to))
        if dialogs.confirm(self.panel, question):
            self._step("advance", jobs.advance, self.number, to)

    def invite(self, parties: list, due: str) -> None:
        self._step("invite", jobs.invite, self.number, list(parties), due)

    def remind(self, parties: list, note: str = "") -> None:
        self._step("remind", jobs.remind, self.number, list(parties) or None, note)

    def publish(self) -> None:
        view = self.panel.view
        count = sum(1 for c in view.comments if c["status"] == "decided") if view else 0
        if dialogs.confirm(self.panel, tr("Publish {} decided answers of round {} to the parties?").format(
                count, self.number)):
            self._step("publish", jobs.publish, self.number)

    def choose_export(self) -> None:
        path = choose_save_path(self.panel, tr("Export event log…"), "events.jsonl", tr("Event logs (*.jsonl)"))
        if path:
            self.export_log(path)

    def export_log(self, path: str) -> None:
        def remember(count: int) -> None:
            self.last_log = path
            self.panel.records.show_written([path], tr("{} events exported.").format(count))
        self._step("export", jobs.export_log, path, then=remember)

    def choose_reports(self) -> None:
        source = self.last_log or choose_open_path(self.panel, tr("Event log of the review"),
                                                   tr("Event logs (*.jsonl)"))
        if not source:
            return
        folder = choose_folder(self.panel, tr("Folder for the handling reports"))
        if folder:
            self.write_reports(source, folder)

    def write_reports(self, source: str, folder: str) -> None:
        plan = self.panel.view.plan if self.panel.view else ""

        def written(paths: list[str]) -> None:
            self.panel.records.show_written(paths, tr("{} handling reports written.").format(len(paths)))
        self._step("reports", jobs.handling_reports, source, folder, plan, lang(), then=written)


def step_text(name: str) -> str:
    return {"open": tr("round opened"), "freeze": tr("draft frozen"), "advance": tr("stage changed"),
            "invite": tr("parties invited"), "remind": tr("reminders sent"), "group": tr("comments grouped"),
            "assign": tr("comments assigned"), "recommend": tr("recommendation recorded"),
            "decide": tr("decision recorded"), "publish": tr("answers published"),
            "export": tr("event log exported"), "reports": tr("handling reports written")}.get(name, name)
