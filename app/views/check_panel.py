"""The conflict-check panel: run the check on the open project or on several project files (the
coordinator's merged metro view) with progress and cancel, browse the conflicts in a list tied
to the map, and send one to the comment round or to a party as a coordination item.

A coordinator also decides on the selected conflicts (app/analysis/lifecycle.py): accept them as
an exception citing the approving memo (纪要), reopen them, or mark them resolved by a change set.
Editors see each conflict's status but decide nothing.

Requests only: the analysis controller runs the check on the DB worker and marks the map;
`CheckDecisions` runs the decisions there and shows them at once."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QDate, QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.analysis.engine import Conflict
from app.editing import analysis_jobs as jobs
from app.editing.analysis_jobs import CheckOutcome, size_text
from app.views import dialogs
from app.views.i18n import lang, tr
from app.views.signals import signals_blocked
from app.views.worker import message_of, show_progress

SEVERITY_COLOURS = {"error": "#F6D5D2", "warning": "#FCEBC8"}
STATUS_COLUMN = 6
MAX_COLUMN_WIDTH = 240  # px
STATUS_COLOURS = {"new": "#B3261E", "accepted": "#2E7D32", "resolved": "#666666"}  # text colours
# Which conflicts a decision applies to: accept what is not accepted yet, and so on.
DECIDABLE = {"accept": ("open", "resolved"), "reopen": ("accepted", "resolved"),
             "resolve": ("open", "accepted")}


def kind_text(kind: str) -> str:
    return {"overlay": tr("overlap"), "gap": tr("gap at the border"), "offset": tr("offset at the border"),
            "dead_end": tr("dead end at the border")}.get(kind, kind)


def severity_text(severity: str) -> str:
    return {"error": tr("error"), "warning": tr("warning")}.get(severity, severity)


def status_text(tracked) -> str:
    """A conflict's status (app/analysis/lifecycle.py Tracked); "" when none is known."""
    if tracked is None:
        return ""
    if tracked.new:
        return tr("new")
    return {"open": tr("open"), "accepted": tr("accepted exception"),
            "resolved": tr("resolved")}.get(tracked.status, tracked.status)


class CheckPanel(QWidget):
    """Requests: run(paths; [] = the open project), cancel, conflict chosen, send(conflict, party)."""

    run_requested = Signal(list)
    cancel_requested = Signal()
    conflict_chosen = Signal(object)  # Conflict | None
    send_requested = Signal(object, str)  # conflict, party ("" = to the comment round)
    decision_requested = Signal(str, list)  # accept | reopen | resolve, conflict ids

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.outcome: CheckOutcome | None = None
        self.statuses: dict = {}  # conflict id -> lifecycle.Tracked, when the statuses are known
        self.status_counts: dict[str, int] | None = None
        self.report = None  # lifecycle.StatusReport of the shown result
        self.coordinator = False
        self.paths: list[str] = []
        self.current: Conflict | None = None
        self._build()
        self._lay_out()
        self.set_project(False)
        self.retranslate()

    def _build(self) -> None:
        self.open_mode, self.files_mode = QRadioButton(), QRadioButton()
        self.open_mode.setChecked(True)
        self.files_mode.toggled.connect(lambda on: self.files.setVisible(on))
        self.files = QListWidget()
        self.files.setVisible(False)
        self.files.setMaximumHeight(80)
        self.choose_button, self.run_button, self.cancel_button = QPushButton(), QPushButton(), QPushButton()
        self.choose_button.clicked.connect(self.choose_files)
        self.run_button.clicked.connect(self._on_run)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.progress, self.status, self.summary = QProgressBar(), QLabel(), QLabel()
        for label in (self.status, self.summary):
            label.setWordWrap(True)
        self.table = QTableWidget(0, 7)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.ExtendedSelection)
        self.table.currentCellChanged.connect(lambda row, *_: self._on_row(row))
        self.table.itemSelectionChanged.connect(self._update_decisions)
        self.table.horizontalHeader().moveSection(STATUS_COLUMN, 0)  # shown first: the dock is narrow
        self.decision_buttons = {action: QPushButton() for action in DECIDABLE}
        for action, button in self.decision_buttons.items():
            button.clicked.connect(lambda _=False, a=action: self._on_decide(a))
        self.round_button, self.party_button = QPushButton(), QPushButton()
        self.party = QComboBox()
        self.round_button.clicked.connect(lambda: self._on_send(""))
        self.party_button.clicked.connect(lambda: self._on_send(self.party.currentData() or ""))

    def _lay_out(self) -> None:
        modes = QHBoxLayout()
        for widget in (self.open_mode, self.files_mode, self.choose_button):
            modes.addWidget(widget)
        run = QHBoxLayout()
        for widget in (self.run_button, self.cancel_button, self.progress):
            run.addWidget(widget)
        send = QHBoxLayout()
        send.addWidget(self.round_button)
        send.addWidget(self.party, 1)
        send.addWidget(self.party_button)
        decide = QHBoxLayout()
        for button in self.decision_buttons.values():
            decide.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        for item in (modes, self.files, run, self.status, self.summary, self.table, decide, send):
            layout.addLayout(item) if isinstance(item, QHBoxLayout) else layout.addWidget(item)
        layout.setStretchFactor(self.table, 1)

    def retranslate(self) -> None:
        self.open_mode.setText(tr("Open project"))
        self.files_mode.setText(tr("Several project files"))
        self.choose_button.setText(tr("Choose files…"))
        self.run_button.setText(tr("Run check"))
        self.cancel_button.setText(tr("Cancel"))
        self.round_button.setText(tr("Send to comment round…"))
        self.party_button.setText(tr("Send to party…"))
        for action, text in (("accept", tr("Accept as exception…")), ("reopen", tr("Reopen")),
                             ("resolve", tr("Mark resolved…"))):
            self.decision_buttons[action].setText(text)
        self.table.setHorizontalHeaderLabels([tr("Rule"), tr("Kind"), tr("Severity"), tr("Parties"),
                                              tr("Size"), tr("Conflict"), tr("Status")])
        self.table.horizontalHeaderItem(STATUS_COLUMN).setToolTip(self._status_tip())
        self.set_outcome(self.outcome)

    def set_project(self, coordinator: bool) -> None:
        """Several projects are the coordinator's merged view; others check their own. Only a
        coordinator decides on conflicts: editors do not see the buttons."""
        self.coordinator = coordinator
        self.files_mode.setEnabled(coordinator)
        self.choose_button.setEnabled(coordinator)
        for button in self.decision_buttons.values():
            button.setVisible(coordinator)
        if not coordinator:
            self.open_mode.setChecked(True)
        self.retranslate()

    def _status_tip(self) -> str:
        if self.coordinator:
            return tr("Select conflicts and accept them as an exception, reopen them or mark them "
                      "resolved.")
        return tr("Only a coordinator accepts a conflict as an exception or marks it resolved.")

    def choose_files(self) -> bool:
        """Ask for the project files of a merged check; False when none were chosen."""
        paths, _ = QFileDialog.getOpenFileNames(self, tr("Choose project files"), "",
                                                tr("CoPlan projects (*.sqlite)"))
        if paths:
            self.set_paths(paths)
        return bool(paths)

    def set_paths(self, paths: list[str]) -> None:
        """The project files of the merged check (and switch to that mode)."""
        self.paths = list(paths)
        self.files.clear()
        self.files.addItems(self.paths)
        self.files_mode.setChecked(bool(self.paths))

    def _on_run(self) -> None:
        self.run_requested.emit(list(self.paths) if self.files_mode.isChecked() else [])

    # -- model -> UI -----------------------------------------------------------------------

    def set_running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        if running:
            self.progress.setRange(0, 0)

    def set_progress(self, done: int, total: int, message: str = "") -> None:
        show_progress(self.progress, self.status, done, total, message)

    def finished(self, text: str) -> None:
        self.set_running(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.status.setText(text)

    def set_outcome(self, outcome: CheckOutcome | None) -> None:
        """Show a check's conflicts (sorted errors first, then by size)."""
        if outcome is not self.outcome:  # statuses belong to one run: set_statuses follows
            self.statuses, self.status_counts, self.report = {}, None, None
        self.outcome = outcome
        conflicts = self.conflicts()
        with signals_blocked(self.table):
            self.table.setRowCount(len(conflicts))
            for row, conflict in enumerate(conflicts):
                self._fill_row(row, conflict)
        self.table.resizeColumnsToContents()
        for column in range(self.table.columnCount()):  # long rule names elide: the status stays in view
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), MAX_COLUMN_WIDTH))
        self.summary.setText(self._summary_text())
        self.select_conflict(conflicts[0].id if conflicts else None)

    def set_statuses(self, report) -> None:
        """Show each conflict's status (a lifecycle.StatusReport of the shown result; None: none)."""
        self.report = report
        self.statuses = {t.id: t for t in report.items} if report is not None else {}
        self.status_counts = report.counts() if report is not None else None
        current, selected = (self.current.id if self.current else None), self.selected_ids()
        self.set_outcome(self.outcome)
        self.select_conflict(current)
        self.select_ids(selected)

    def apply_decisions(self, rows) -> None:
        """Show the coordinator's decisions (lifecycle.Status rows) at once, without a re-run: a
        decided conflict is no longer new."""
        if self.report is None:
            return
        report = self.report
        for row in rows:
            report = report.updated(row)
        decided = {row.conflict_id for row in rows}
        self.set_statuses(replace(report, items=tuple(replace(t, new=False) if t.id in decided else t
                                                      for t in report.items)))

    def conflicts(self) -> list[Conflict]:
        if self.outcome is None:
            return []
        found = self.outcome.result.conflicts
        return sorted(found, key=lambda c: (c.severity != "error", -(c.area_m2 or c.length_m or 0)))

    def _fill_row(self, row: int, c: Conflict) -> None:
        names = self.outcome.names
        rule = self.outcome.rules.get(c.rule, (c.rule, c.rule))[0 if lang() == "zh" else 1]
        cells = (rule, kind_text(c.kind), severity_text(c.severity),
                 "、".join(names.get(p, p) for p in c.parties), size_text(c, lang()), c.id[:8],
                 status_text(self.statuses.get(c.id)))
        tip = self._memo_tip(self.statuses.get(c.id))
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if tip:
                item.setToolTip(tip)
            elif column == STATUS_COLUMN and not self.coordinator and c.id in self.statuses:
                item.setToolTip(self._status_tip())
            if column == STATUS_COLUMN:
                self._style_status(item, self.statuses.get(c.id))
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            item.setBackground(QColor(SEVERITY_COLOURS.get(c.severity, "#FFFFFF")))
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            self.table.setItem(row, column, item)

    @staticmethod
    def _style_status(item: QTableWidgetItem, tracked) -> None:
        """New in bold, an accepted exception in green, a resolved one in grey."""
        if tracked is None:
            return
        font = item.font()
        font.setBold(tracked.new)
        item.setFont(font)
        colour = STATUS_COLOURS.get("new" if tracked.new else tracked.status)
        if colour:
            item.setForeground(QColor(colour))

    @staticmethod
    def _memo_tip(tracked) -> str:
        record = tracked.record if tracked is not None else None
        if record is None or not record.memo:
            return ""
        return tr("Accepted by memo {} ({}), {}").format(record.memo, record.memo_date or "",
                                                         record.decided_by or "")

    def _summary_text(self) -> str:
        if self.outcome is None:
            return tr("No check run yet.")
        result = self.outcome.result
        errors = sum(1 for c in result.conflicts if c.severity == "error")
        names = self.outcome.names
        text = tr("{} conflicts ({} errors) in the projects of {}").format(
            len(result.conflicts), errors, "、".join(names.get(p, p) for p in result.parties))
        if self.status_counts is not None:
            c = self.status_counts
            text += "\n" + tr("{} new, {} still open, {} accepted, {} resolved").format(
                c["new"], c["open"], c["accepted"], c["resolved"])
        return text

    def select_conflict(self, conflict_id: str | None) -> None:
        """Select a listed conflict (None: none); the map follows."""
        ids = [c.id for c in self.conflicts()]
        row = ids.index(conflict_id) if conflict_id in ids else -1
        with signals_blocked(self.table):
            self.table.setCurrentCell(row, STATUS_COLUMN)  # shown first: no scrolling away from it
        self._on_row(row)
        self._update_decisions()

    def select_ids(self, conflict_ids: list[str]) -> None:
        """Add the listed conflicts of `conflict_ids` to the selection (the current one stays)."""
        model = self.table.selectionModel()
        rows = model.selection()
        for row, c in enumerate(self.conflicts()):
            if c.id in conflict_ids:
                rows.select(self.table.model().index(row, 0),
                            self.table.model().index(row, self.table.columnCount() - 1))
        with signals_blocked(self.table):
            model.select(rows, model.SelectionFlag.ClearAndSelect)
        self._update_decisions()

    def selected_ids(self) -> list[str]:
        """The ids of the selected conflicts, in table order."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.table.item(row, 0).data(Qt.ItemDataRole.UserRole) for row in rows
                if self.table.item(row, 0) is not None]

    def decidable(self, action: str) -> list[str]:
        """The selected conflicts `action` applies to (none unless the statuses are kept)."""
        if not (self.coordinator and self.report is not None and self.report.recorded):
            return []
        return [i for i in self.selected_ids()
                if i in self.statuses and self.statuses[i].status in DECIDABLE[action]]

    def _update_decisions(self) -> None:
        for action, button in self.decision_buttons.items():
            button.setEnabled(bool(self.decidable(action)))

    # -- UI -> model -----------------------------------------------------------------------

    def _on_row(self, row: int) -> None:
        conflicts = self.conflicts()
        self.current = conflicts[row] if 0 <= row < len(conflicts) else None
        self._fill_parties()
        for button in (self.round_button, self.party_button):
            button.setEnabled(self.current is not None)
        self.conflict_chosen.emit(self.current)

    def _fill_parties(self) -> None:
        self.party.clear()
        names = self.outcome.names if self.outcome else {}
        for code in self.current.parties if self.current else ():
            self.party.addItem(f"{names.get(code, code)} ({code})", code)

    def _on_send(self, party: str) -> None:
        if self.current is not None:
            self.send_requested.emit(self.current, party)

    def _on_decide(self, action: str) -> None:
        ids = self.decidable(action)
        if ids:
            self.decision_requested.emit(action, ids)

    def rerun(self) -> None:
        """Run the check again as it was last asked for (the open project or the chosen files)."""
        self._on_run()


# --- a coordinator's decisions ------------------------------------------------------------

class AcceptDialog(QDialog):
    """The approving memo of an accepted exception: its number (required), date and a note."""

    def __init__(self, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Accept as exception"))
        self.memo, self.note = QLineEdit(), QLineEdit()
        self.memo.setPlaceholderText(tr("e.g. 沪都协纪〔2025〕12号"))
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.memo.textChanged.connect(self._on_memo)
        form = QFormLayout(self)
        intro = QLabel(tr("{} conflict(s) will no longer be reported as open: cite the meeting memo "
                          "(纪要) that approved them.").format(count))
        intro.setWordWrap(True)
        form.addRow(intro)
        form.addRow(tr("Memo number (纪要编号)"), self.memo)
        form.addRow(tr("Memo date"), self.date)
        form.addRow(tr("Note"), self.note)
        form.addRow(self.buttons)
        self._on_memo("")

    def _on_memo(self, text: str) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(text.strip()))

    def values(self) -> tuple[str, str]:
        """(memo, memo date YYYY-MM-DD); the note follows the memo number (the status keeps one
        memo text)."""
        memo, note = self.memo.text().strip(), self.note.text().strip()
        return (f"{memo} — {note}" if note else memo), self.date.date().toString("yyyy-MM-dd")


class ResolveDialog(QDialog):
    """Which change set resolved the conflicts, or "no longer found" (then the check runs again
    and marks the vanished ones resolved itself)."""

    def __init__(self, change_sets, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Mark resolved"))
        self.list = QListWidget()
        gone = QListWidgetItem(tr("No longer found: check again"))
        gone.setData(Qt.ItemDataRole.UserRole, None)
        self.list.addItem(gone)
        for cs in change_sets:
            item = QListWidgetItem(f"{cs.id[:8]}  {cs.created[:10]}  {cs.author}  {cs.message}")
            item.setData(Qt.ItemDataRole.UserRole, cs.id)
            self.list.addItem(item)
        self.list.setCurrentRow(1 if change_sets else 0)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        intro = QLabel(tr("{} conflict(s): choose the change set that resolved them.").format(count))
        intro.setWordWrap(True)
        for widget in (intro, self.list, self.buttons):
            layout.addWidget(widget)
        self.resize(520, 320)

    def choice(self) -> str | None:
        """The chosen change set id; None for "no longer found"."""
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None


class CheckDecisions(QObject):
    """Runs the panel's decision requests: asks for the memo or the change set, decides on the
    DB worker through app/analysis/lifecycle.py and shows the new statuses at once."""

    decided = Signal(list)  # the new lifecycle.Status rows

    def __init__(self, panel: CheckPanel, call) -> None:
        super().__init__(panel)
        self.panel, self.call = panel, call  # call(fn, *args, done=, error=, name=): the worker
        self.dialog: QDialog | None = None  # the open dialog (tests answer it)
        panel.decision_requested.connect(self.request)

    def request(self, action: str, ids: list[str]) -> None:
        if action == "accept":
            self._ask(AcceptDialog(len(ids), self.panel),
                      lambda d: self._decide("accept", ids, *d.values()))
        elif action == "reopen":
            self._decide("reopen", ids)
        else:
            self.call(jobs.recent_change_sets, name="recent change sets", error=self._failed,
                      done=lambda sets: self._ask(ResolveDialog(sets, len(ids), self.panel),
                                                  lambda d: self._resolve(ids, d.choice())))

    def _ask(self, dialog: QDialog, then) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: then(dialog))
        dialog.finished.connect(lambda _: setattr(self, "dialog", None))
        dialog.open()  # window-modal; the event loop (and the worker) go on

    def _resolve(self, ids: list[str], change_set: str | None) -> None:
        if change_set is None:
            self.panel.status.setText(tr("Checking again: conflicts no longer found become resolved."))
            self.panel.rerun()
        else:
            self._decide("resolve", ids, None, None, change_set)

    def _decide(self, action: str, ids: list[str], memo=None, memo_date=None, change_set=None) -> None:
        self.call(jobs.decide_conflicts, action, list(ids), memo, memo_date, change_set,
                  done=self._done, error=self._failed, name=f"{action} conflicts")

    def _done(self, rows: list) -> None:
        self.panel.apply_decisions(rows)
        self.panel.status.setText(tr("Decision recorded for {} conflict(s).").format(len(rows)))
        self.decided.emit(rows)

    def _failed(self, exc: Exception) -> None:
        self.panel.status.setText(message_of(exc))
        dialogs.error(self.panel, message_of(exc))
