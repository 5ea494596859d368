"""The check-in dialog (质检入库): submit this copy's synced data version, follow the party's
submissions and their QC findings, save or open the QC report; coordinators accept or return.

Every server call is a DB-worker job (app/checkin/jobs.py); the dialog shows what comes back."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.checkin import jobs
from app.messages import localize
from app.review.times import beijing
from app.views.i18n import lang, tr
from app.views.worker import message_of

STATUS_COLOURS = {"pending": "#FFF4CC", "accepted": "#D3F0D0", "returned": "#F6D5D2",
                  "superseded": "#EEEEEE"}
ERROR_STYLE = "color: #C92A2A;"


def status_text(status: str) -> str:
    return {"pending": tr("Awaiting QC"), "accepted": tr("Checked in"),
            "returned": tr("Returned"), "superseded": tr("Replaced")}.get(status, status)


def check_name(check: str) -> str:
    """A QC check's name in the UI language (its code when QC does not name it)."""
    from app.qc.checks import CHECKS
    found = CHECKS.get(check)
    if found is None:
        return check
    return found.name_zh if lang() == "zh" else found.name_en


class CheckinDialog(QDialog):
    """Submissions of the open project's party (every party's for a coordinator)."""

    def __init__(self, worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.state: jobs.CheckinState | None = None
        self.current: dict | None = None  # the selected submission with its findings
        self._build()
        self.retranslate()
        self.refresh()

    # -- construction ----------------------------------------------------------------------

    def _build(self) -> None:
        self.submit_box = QGroupBox()
        self.version_label, self.message = QLabel(), QLabel()
        for label in (self.version_label, self.message):
            label.setWordWrap(True)
        self.note, self.submit_button, self.refresh_button = QLineEdit(), QPushButton(), QPushButton()
        self.submit_button.clicked.connect(self._on_submit)
        self.refresh_button.clicked.connect(self.refresh)
        self.table = _table(9)
        self.table.itemSelectionChanged.connect(self._on_select)
        self.findings = _table(5)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.save_button, self.open_button = QPushButton(), QPushButton()
        self.save_button.clicked.connect(self._on_save)
        self.open_button.clicked.connect(self._on_open)
        self.decide_box = QGroupBox()
        self.decision, self.force = QLineEdit(), QCheckBox()
        self.accept_button, self.return_button = QPushButton(), QPushButton()
        self.accept_button.clicked.connect(lambda: self._on_decide("accept"))
        self.return_button.clicked.connect(lambda: self._on_decide("return"))
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.close)
        self._lay_out()

    def _lay_out(self) -> None:
        submit = QHBoxLayout()
        submit.addWidget(self.note, 1)
        submit.addWidget(self.submit_button)
        submit.addWidget(self.refresh_button)
        top = QVBoxLayout(self.submit_box)
        top.addWidget(self.version_label)
        top.addLayout(submit)
        decide = QHBoxLayout(self.decide_box)
        for widget in (self.decision, self.force, self.accept_button, self.return_button):
            decide.addWidget(widget, 1 if widget is self.decision else 0)
        lower = QWidget()
        below = QVBoxLayout(lower)
        below.setContentsMargins(0, 0, 0, 0)
        below.addWidget(self.detail)
        below.addWidget(self.findings, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(lower)
        actions = QHBoxLayout()
        actions.addWidget(self.save_button)
        actions.addWidget(self.open_button)
        actions.addStretch(1)
        actions.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.submit_box)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)
        layout.addWidget(self.decide_box)
        layout.addLayout(actions)
        self.resize(980, 640)

    def retranslate(self) -> None:
        self.setWindowTitle(tr("Data check-in"))
        self.submit_box.setTitle(tr("Submit for check-in"))
        self.note.setPlaceholderText(tr("Note to the office (optional)"))
        self.submit_button.setText(tr("Submit"))
        self.refresh_button.setText(tr("Refresh"))
        self.table.setHorizontalHeaderLabels([
            tr("Submission no."), tr("Party"), tr("Version"), tr("Status"), tr("Errors"), tr("Warnings"),
            tr("Submitted by"), tr("Submitted at"), tr("Note")])
        self.findings.setHorizontalHeaderLabels([
            tr("Severity"), tr("QC check"), tr("Layer"), tr("BSM"), tr("Problem")])
        self.save_button.setText(tr("Save report…"))
        self.open_button.setText(tr("Open report"))
        self.decide_box.setTitle(tr("Coordinator's decision"))
        self.decision.setPlaceholderText(tr("Note to the party (required to return)"))
        self.force.setText(tr("Accept despite QC errors"))
        self.accept_button.setText(tr("Accept (check in)"))
        self.return_button.setText(tr("Return"))
        self.close_button.setText(tr("Close"))

    # -- worker jobs ---------------------------------------------------------------------------

    def refresh(self) -> None:
        self._busy(True)
        self.worker.call(jobs.load, done=self.show_state, error=self.show_error,
                         name="checkin-load")

    def _on_submit(self) -> None:
        self._busy(True)
        self.worker.call(jobs.submit, self.note.text().strip(), done=self._submitted,
                         error=self.show_error, name="checkin-submit")

    def _submitted(self, sub: dict) -> None:
        self.note.clear()
        self.message.setStyleSheet("")
        self.message.setText(tr("Submitted version {} as submission {}: {} QC error(s), {} "
                                "warning(s)").format(sub["version"], sub["number"], sub["errors"],
                                                     sub["warnings"]))
        self.refresh()

    def _on_select(self) -> None:
        number = self.selected_number()
        if number is not None:
            self.worker.call(jobs.submission, number, done=self.show_submission,
                             error=self.show_error, name="checkin-show")

    def _on_decide(self, action: str) -> None:
        number = self.selected_number()
        if number is None:
            return
        self._busy(True)
        self.worker.call(jobs.decide, number, action, self.decision.text().strip(),
                         self.force.isChecked(), done=lambda _: self._decided(),
                         error=self.show_error, name="checkin-decide")

    def _decided(self) -> None:
        self.decision.clear()
        self.force.setChecked(False)
        self.refresh()

    def _on_save(self) -> None:
        number = self.selected_number()
        if number is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, tr("Save QC report"), f"checkin-{number}.pdf",
            tr("PDF (*.pdf);;Excel (*.xlsx);;JSON (*.json)"))
        if path:
            self.save_report(number, path)

    def save_report(self, number: int, path: str, open_after: bool = False) -> None:
        done = self._opened if open_after else self._saved
        self.worker.call(jobs.save_report, number, path, done=done, error=self.show_error,
                         name="checkin-report")

    def _on_open(self) -> None:
        number = self.selected_number()
        if number is not None:
            folder = Path(tempfile.mkdtemp(prefix="coplan-checkin-"))
            self.save_report(number, str(folder / f"checkin-{number}.pdf"), open_after=True)

    def _saved(self, path: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(tr("Saved {}").format(path))

    def _opened(self, path: str) -> None:
        self._saved(path)
        QDesktopServices.openUrl(QUrl.fromLocalFile(path))

    # -- showing -------------------------------------------------------------------------------

    def show_state(self, state: jobs.CheckinState) -> None:
        self.state = state
        self._busy(False)
        if state.version is not None:
            self.version_label.setText(tr("This copy is at server version {}: that version of "
                                          "party {}'s data is submitted.").format(
                                              state.version, state.party))
        else:
            self.version_label.setText(localize(state.problem, lang()))
        self.submit_button.setEnabled(state.version is not None and state.role in
                                      ("editor", "coordinator"))
        self.decide_box.setVisible(state.role == "coordinator")
        self._fill(state.submissions)

    def _fill(self, subs: list[dict]) -> None:
        keep = self.selected_number()
        self.table.blockSignals(True)
        self.table.setRowCount(len(subs))
        for row, sub in enumerate(subs):
            status = status_text(sub["status"]) + (f" · {sub['tag']}" if sub.get("tag") else "")
            values = [sub["number"], sub["party"], sub["version"], status, sub["errors"],
                      sub["warnings"], sub["username"], beijing(sub["submitted"], lang()),
                      sub["note"]]
            for col, value in enumerate(values):
                item = QTableWidgetItem(str(value))
                item.setBackground(QColor(STATUS_COLOURS.get(sub["status"], "#FFFFFF")))
                self.table.setItem(row, col, item)
        numbers = [s["number"] for s in subs]
        if numbers:
            self.table.selectRow(numbers.index(keep) if keep in numbers else 0)
        self.table.blockSignals(False)
        self._on_select()  # the selected submission may have changed on the server

    def show_submission(self, sub: dict) -> None:
        self.current = sub
        decided = ""
        if sub["decided_at"]:
            forced = tr(" (accepted despite QC errors)") if sub["forced"] else ""
            decided = tr("{} by {} at {}{}: {}").format(
                status_text(sub["status"]), sub["decided_by"], beijing(sub["decided_at"], lang()),
                forced, sub["decision_note"] or "")
        checked = tr("QC of submission {} (version {}, {} features): {} error(s), {} "
                     "warning(s).").format(sub["number"], sub["version"], sub["features"],
                                           sub["errors"], sub["warnings"])
        self.detail.setText(" ".join(t for t in (checked, decided) if t))
        findings = sub["findings"]
        self.findings.setRowCount(len(findings))
        for row, f in enumerate(findings):
            text = f["message_zh"] if lang() == "zh" else f["message"]
            severity = tr("error") if f["severity"] == "error" else tr("warning")
            values = (severity, check_name(f["check"]), f["layer"], f["bsm"] or "", text)
            for col, value in enumerate(values):
                self.findings.setItem(row, col, QTableWidgetItem(value))
        pending = sub["status"] == "pending"
        for button in (self.accept_button, self.return_button):
            button.setEnabled(pending)

    def show_error(self, exc: Exception) -> None:
        self._busy(False)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(message_of(exc))

    def selected_number(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return int(item.text()) if item else None

    def _busy(self, busy: bool) -> None:
        for button in (self.submit_button, self.refresh_button):
            button.setEnabled(not busy)


def _table(columns: int) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(columns - 1, QHeaderView.ResizeMode.Stretch)
    return table


def open_checkin(window) -> CheckinDialog:
    """Show the window's check-in dialog (one per window), for the project open in it."""
    dialog = getattr(window, "checkin_dialog", None)
    if dialog is None:
        dialog = window.checkin_dialog = CheckinDialog(window.worker, window)
    else:
        dialog.refresh()
    dialog.show()
    dialog.raise_()
    return dialog
