"""The conflict-check panel: run the check on the open project or on several project files (the
coordinator's merged metro view) with progress and cancel, browse the conflicts in a list tied
to the map, and send one to the comment round or to a party as a coordination item.

Requests only: the analysis controller runs the check on the DB worker and marks the map."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.analysis.engine import Conflict
from app.editing.analysis_jobs import CheckOutcome, size_text
from app.views.i18n import lang, tr
from app.views.signals import signals_blocked
from app.views.worker import show_progress

SEVERITY_COLOURS = {"error": "#F6D5D2", "warning": "#FCEBC8"}


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

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.outcome: CheckOutcome | None = None
        self.statuses: dict = {}  # conflict id -> lifecycle.Tracked, when the statuses are known
        self.status_counts: dict[str, int] | None = None
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
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.currentCellChanged.connect(lambda row, *_: self._on_row(row))
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        for item in (modes, self.files, run, self.status, self.summary, self.table, send):
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
        self.table.setHorizontalHeaderLabels([tr("Rule"), tr("Kind"), tr("Severity"), tr("Parties"),
                                              tr("Size"), tr("Conflict"), tr("Status")])
        self.set_outcome(self.outcome)

    def set_project(self, coordinator: bool) -> None:
        """Several projects are the coordinator's merged view; others check their own."""
        self.files_mode.setEnabled(coordinator)
        self.choose_button.setEnabled(coordinator)
        if not coordinator:
            self.open_mode.setChecked(True)

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
            self.statuses, self.status_counts = {}, None
        self.outcome = outcome
        conflicts = self.conflicts()
        with signals_blocked(self.table):
            self.table.setRowCount(len(conflicts))
            for row, conflict in enumerate(conflicts):
                self._fill_row(row, conflict)
        self.table.resizeColumnsToContents()
        self.summary.setText(self._summary_text())
        self.select_conflict(conflicts[0].id if conflicts else None)

    def set_statuses(self, report) -> None:
        """Show each conflict's status (a lifecycle.StatusReport of the shown result; None: none)."""
        self.statuses = {t.id: t for t in report.items} if report is not None else {}
        self.status_counts = report.counts() if report is not None else None
        current = self.current.id if self.current else None
        self.set_outcome(self.outcome)
        self.select_conflict(current)

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
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            item.setBackground(QColor(SEVERITY_COLOURS.get(c.severity, "#FFFFFF")))
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            self.table.setItem(row, column, item)

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
            self.table.setCurrentCell(row, 0)
        self._on_row(row)

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
