"""Write progress report (#16): the open project's party reports on the items it leads or joins
for a period — % complete (self-assessed), status, a narrative in Chinese and English, an issue
raised, evidence files. The report is saved into the implementation outbox on the DB worker
(offline) and sent by the implementation sync ("Send now", with progress).

An editor sees only their party's items: the form is built from `items_of(party)`, and the
server refuses a line on an item the party neither leads nor joins anyway.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.editing import implement_jobs as jobs
from app.implement import model as M
from app.views.i18n import lang, tr
from app.views.implement_dashboard import party_text, status_text
from app.views.signals import signals_blocked
from app.views.worker import Cancelled, message_of, show_progress

COLUMNS = 6  # report?, item, role, last reported, %, status
INCLUDE, ITEM_COLUMN, ROLE, LAST, PERCENT, STATUS = range(COLUMNS)
ERROR_STYLE = "color: #C92A2A;"


class ProgressDialog(QDialog):
    """`load()` asks the worker for the party's form; `save(send=…)` writes the report."""

    def __init__(self, window, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.main = window
        self.form: jobs.ReportForm | None = None
        self.extra: dict[str, dict] = {}  # item id -> narrative, issue, files typed so far
        self.current: str | None = None  # the item whose details are shown
        self.saved_id: str | None = None
        self.sync_job = None
        self._build()
        self.retranslate()

    # -- construction ----------------------------------------------------------------------

    def _build(self) -> None:
        self.head, self.message = QLabel(), QLabel()
        self.message.setWordWrap(True)
        self.period_label = QLabel()
        self.periods = QComboBox()
        self.table = QTableWidget(0, COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ITEM_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.currentCellChanged.connect(lambda row, *_: self._show_details(row))
        self.details = QGroupBox()
        self.narrative_zh, self.narrative_en = QPlainTextEdit(), QPlainTextEdit()
        for edit in (self.narrative_zh, self.narrative_en):
            edit.setFixedHeight(70)
        self.issue_zh, self.issue_en = QLineEdit(), QLineEdit()
        self.files = QListWidget()
        self.files.setFixedHeight(56)
        self.milestones = QListWidget()  # the item's milestones not done yet, to tick
        self.milestones.setFixedHeight(64)
        self.add_file, self.remove_file = QPushButton(), QPushButton()
        self.add_file.clicked.connect(self._on_add_file)
        self.remove_file.clicked.connect(self._on_remove_file)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.hide()  # shown while sending
        self.save_button, self.send_button, self.close_button = QPushButton(), QPushButton(), QPushButton()
        self.save_button.clicked.connect(lambda: self.save(send=False))
        self.send_button.clicked.connect(lambda: self.save(send=True))
        self.close_button.clicked.connect(self.close)
        self._lay_out()

    def _lay_out(self) -> None:
        head = QHBoxLayout()
        head.addWidget(self.head, 1)
        head.addWidget(self.period_label)
        head.addWidget(self.periods)
        self.labels = {name: QLabel() for name in ("zh", "en", "issue_zh", "issue_en", "files",
                                                   "milestones")}
        form = QFormLayout(self.details)
        form.addRow(self.labels["zh"], self.narrative_zh)
        form.addRow(self.labels["en"], self.narrative_en)
        form.addRow(self.labels["issue_zh"], self.issue_zh)
        form.addRow(self.labels["issue_en"], self.issue_en)
        form.addRow(self.labels["milestones"], self.milestones)
        files = QHBoxLayout()
        files.addWidget(self.files, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_file)
        buttons.addWidget(self.remove_file)
        files.addLayout(buttons)
        form.addRow(self.labels["files"], files)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.details)
        split.setSizes([380, 300])
        foot = QHBoxLayout()
        foot.addWidget(self.progress)
        foot.addStretch(1)
        for button in (self.save_button, self.send_button, self.close_button):
            foot.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        layout.addLayout(foot)
        self.resize(1080, 760)

    def retranslate(self) -> None:
        self.setWindowTitle(tr("Write progress report"))
        self.period_label.setText(tr("Period"))
        self.table.setHorizontalHeaderLabels([tr("Report"), tr("Item"), tr("Role"), tr("Last reported"),
                                              tr("Complete %"), tr("Status")])
        self.details.setTitle(tr("Details of the selected item"))
        self.labels["zh"].setText(tr("Progress (Chinese)"))
        self.labels["en"].setText(tr("Progress (English)"))
        self.labels["issue_zh"].setText(tr("Issue raised (Chinese)"))
        self.labels["issue_en"].setText(tr("Issue raised (English)"))
        self.labels["files"].setText(tr("Evidence files"))
        self.labels["milestones"].setText(tr("Milestones done"))
        self.issue_zh.setPlaceholderText(tr("Leave empty when there is no issue"))
        self.add_file.setText(tr("Add…"))
        self.remove_file.setText(tr("Remove"))
        self.save_button.setText(tr("Save to outbox"))
        self.send_button.setText(tr("Send now"))
        self.close_button.setText(tr("Close"))
        if self.form is not None:
            self._show_head()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- worker jobs ---------------------------------------------------------------------------

    def load(self) -> None:
        """The party's items and their last values, from the local mirror."""
        self.main.worker.call(jobs.load_report_form, done=self.show_form, error=self.show_error,
                              name="progress-form")

    def save(self, send: bool = False) -> None:
        """Write the report into the outbox (and then send it, when `send`)."""
        self._keep_details()
        lines = self.lines()
        if not lines:
            self.show_error(tr("Tick at least one item to report on."))
            return
        period = self.periods.currentData()
        self._busy(True)
        self.main.worker.call(jobs.write_report, period, lines, self._files_of(lines),
                              done=lambda outbox_id: self._saved(outbox_id, send),
                              error=self.show_error, name="progress-write")

    def _saved(self, outbox_id: str, send: bool) -> None:
        self.saved_id = outbox_id
        self._say(tr("Saved in the outbox: it is sent with the next implementation sync."))
        if send:
            self.send()
        else:
            self._busy(False)

    def send(self) -> None:
        """Run the implementation sync: send the outbox, then pull the log."""
        self._busy(True)
        self.progress.show()
        self.progress.setRange(0, 0)
        self.sync_job = run_implement_sync(self.main, progress=self._on_progress, done=self._sent,
                                           error=self.show_error)

    def _on_progress(self, step) -> None:
        show_progress(self.progress, self.message, step.done, step.total, step.message)

    def _sent(self, result) -> None:
        self.sync_job = None
        sent, pulled = result if isinstance(result, tuple) else (result, 0)
        self._busy(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self._say(tr("Sent {} item(s); {} new event(s) pulled.").format(sent, pulled))
        self.load()  # the last reported values and the outbox count, as they are now

    # -- model -> UI -----------------------------------------------------------------------

    def show_form(self, form: jobs.ReportForm) -> None:
        self.form = form
        chosen = self.periods.currentData()
        with signals_blocked(self.periods):
            self.periods.clear()
            for period in form.periods:
                self.periods.addItem(period, period)
            self.periods.setCurrentIndex(max(0, self.periods.findData(chosen)))
        self._show_head()
        self.table.blockSignals(True)
        self.table.setRowCount(len(form.items))
        for row, item in enumerate(form.items):
            self._fill_row(row, item)
        self.table.blockSignals(False)
        if form.items:
            self.table.selectRow(0)
            self._show_details(0)
        else:
            self._say(tr("Your party leads or joins no item in this copy: run the implementation sync."))

    def _show_head(self) -> None:
        form = self.form
        self.head.setText(tr("Report of {} on {} item(s); {} waiting in the outbox.").format(
            party_text(form.names, form.party), len(form.items), form.queued))

    def _fill_row(self, row: int, item: M.Item) -> None:
        last = self.form.last.get(item.id)
        include = QCheckBox()
        include.setChecked(True)
        self.table.setCellWidget(row, INCLUDE, _centred(include))
        cell = QTableWidgetItem(f"{jobs.item_code(item)} {jobs.title(item, lang())}".strip())
        cell.setData(Qt.ItemDataRole.UserRole, item.id)
        cell.setToolTip(jobs.title(item, lang()))
        self.table.setItem(row, ITEM_COLUMN, cell)
        role = tr("lead") if item.lead == self.form.party else tr("joins")
        self.table.setItem(row, ROLE, QTableWidgetItem(role))
        shown = f"{last.percent:.0f}% · {status_text(last.status)}" if last else "—"
        self.table.setItem(row, LAST, QTableWidgetItem(shown))
        spin = QSpinBox()
        spin.setRange(0, 100)
        spin.setSuffix(" %")
        # Nothing reported by this party yet: start from the item's current value.
        percent, current = self.form.current.get(item.id, (0.0, "on_track"))
        spin.setValue(round(last.percent if last else percent))
        self.table.setCellWidget(row, PERCENT, spin)
        status = QComboBox()
        for key in M.STATUSES:
            status.addItem(status_text(key), key)
        status.setCurrentIndex(status.findData(last.status if last else current))
        self.table.setCellWidget(row, STATUS, status)
        for editor in (spin.valueChanged, status.currentIndexChanged):
            editor.connect(lambda *_, box=include: box.setChecked(True))
        self.extra[item.id] = {"narrative_zh": last.narrative_zh if last else "",
                               "narrative_en": last.narrative_en if last else "",
                               "issue_zh": "", "issue_en": "", "files": [], "milestones": []}

    def _show_details(self, row: int) -> None:
        self._keep_details()
        cell = self.table.item(row, ITEM_COLUMN) if row >= 0 else None
        self.current = cell.data(Qt.ItemDataRole.UserRole) if cell else None
        extra = self.extra.get(self.current or "", {})
        self.details.setEnabled(self.current is not None)
        self.details.setTitle(tr("Details: {}").format(cell.text()) if cell else tr("Details of the selected item"))
        self.narrative_zh.setPlainText(extra.get("narrative_zh", ""))
        self.narrative_en.setPlainText(extra.get("narrative_en", ""))
        self.issue_zh.setText(extra.get("issue_zh", ""))
        self.issue_en.setText(extra.get("issue_en", ""))
        self.files.clear()
        self.files.addItems(extra.get("files", []))
        self._show_milestones(extra.get("milestones", []))

    def _show_milestones(self, ticked: list[str]) -> None:
        """The shown item's milestones not done yet, ticked as chosen so far."""
        self.milestones.clear()
        item = next((i for i in (self.form.items if self.form else ()) if i.id == self.current),
                    None)
        waiting = sorted((m for m in (item.milestones if item else ()) if not m.done),
                         key=lambda m: (m.due, m.id))
        for m in waiting:
            name = m.name_en if lang() == "en" and m.name_en else m.name_zh
            row = QListWidgetItem(tr("{} (due {})").format(name, m.due))
            row.setData(Qt.ItemDataRole.UserRole, m.id)
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            row.setCheckState(Qt.CheckState.Checked if m.id in ticked else Qt.CheckState.Unchecked)
            self.milestones.addItem(row)
        self.milestones.setEnabled(bool(waiting))
        self.labels["milestones"].setEnabled(bool(waiting))

    def ticked_milestones(self) -> list[str]:
        """The milestone ids ticked in the list shown."""
        rows = (self.milestones.item(i) for i in range(self.milestones.count()))
        return [r.data(Qt.ItemDataRole.UserRole) for r in rows
                if r.checkState() == Qt.CheckState.Checked]

    def _keep_details(self) -> None:
        """What was typed for the shown item, kept when another item is chosen."""
        if self.current in self.extra:
            self.extra[self.current].update(
                narrative_zh=self.narrative_zh.toPlainText().strip(),
                narrative_en=self.narrative_en.toPlainText().strip(),
                issue_zh=self.issue_zh.text().strip(), issue_en=self.issue_en.text().strip(),
                files=[self.files.item(i).text() for i in range(self.files.count())],
                milestones=self.ticked_milestones())

    def show_error(self, exc: Exception | str) -> None:
        self.sync_job = None
        self._busy(False)
        self.progress.setRange(0, 1)
        if isinstance(exc, Cancelled):
            return self._say(tr("Cancelled."))
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(exc if isinstance(exc, str) else message_of(exc))

    def _say(self, text: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(text)

    def _busy(self, busy: bool) -> None:
        for button in (self.save_button, self.send_button):
            button.setEnabled(not busy)

    # -- UI -> model -----------------------------------------------------------------------

    def row_of(self, item_id: str) -> int:
        """The table row of an item (-1 when the party does not report on it)."""
        for row in range(self.table.rowCount()):
            if self.table.item(row, ITEM_COLUMN).data(Qt.ItemDataRole.UserRole) == item_id:
                return row
        return -1

    def editors(self, row: int) -> tuple[QCheckBox, QSpinBox, QComboBox]:
        """(report?, %, status) editors of a row."""
        include = self.table.cellWidget(row, INCLUDE).findChild(QCheckBox)
        return include, self.table.cellWidget(row, PERCENT), self.table.cellWidget(row, STATUS)

    def lines(self) -> list[dict]:
        """The report's lines: every ticked item, in table order."""
        out = []
        for row in range(self.table.rowCount()):
            include, spin, status = self.editors(row)
            if not include.isChecked():
                continue
            item_id = self.table.item(row, ITEM_COLUMN).data(Qt.ItemDataRole.UserRole)
            extra = self.extra[item_id]
            issue = {"title_zh": extra["issue_zh"], "title_en": extra["issue_en"]}
            out.append({"item": item_id, "percent": float(spin.value()), "status": status.currentData(),
                        "narrative_zh": extra["narrative_zh"], "narrative_en": extra["narrative_en"],
                        "issues": [issue] if any(issue.values()) else [],
                        "milestones_done": list(extra.get("milestones", []))})
        return out

    def _files_of(self, lines: list[dict]) -> dict[str, list[str]]:
        """Evidence files by item, for the ticked items only."""
        return {line["item"]: list(self.extra[line["item"]]["files"]) for line in lines
                if self.extra[line["item"]]["files"]}

    def _on_add_file(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, tr("Evidence files"), "",
                                                tr("PDF and images (*.pdf *.png *.jpg *.jpeg)"))
        self.files.addItems([p for p in paths if p])
        self._keep_details()

    def _on_remove_file(self) -> None:
        for item in self.files.selectedItems():
            self.files.takeItem(self.files.row(item))
        self._keep_details()


def _centred(widget: QWidget) -> QWidget:
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignCenter)
    return holder


def run_implement_sync(window, progress=None, done=None, error=None):
    """Send the implementation outbox and pull the log on the worker; the dashboard, when open,
    is refreshed afterwards. Progress goes to `progress`, else to the status bar."""
    def shown(step) -> None:
        (progress or (lambda s: window.show_message(s.message or tr("Implementation sync…"))))(step)

    def finished(result) -> None:
        dashboard = getattr(window, "implement_dashboard", None)
        if dashboard is not None and dashboard.isVisible():
            dashboard.refresh()
        if done is not None:
            done(result)
        else:
            sent, pulled = result if isinstance(result, tuple) else (result, 0)
            window.show_message(tr("Sent {} item(s); {} new event(s) pulled.").format(sent, pulled))

    def failed(exc: Exception) -> None:
        (error or (lambda e: window._on_failed(e)))(exc)

    if window.worker is None:
        return None
    return window.worker.call(jobs.sync_steps, progress=shown, done=finished, error=failed,
                              name="implement-sync")


def open_progress_dialog(window) -> ProgressDialog:
    """Show the window's report dialog (one per window), loaded for the open project."""
    dialog = getattr(window, "progress_dialog", None)
    if dialog is None:
        dialog = window.progress_dialog = ProgressDialog(window, window)
    dialog.show()
    dialog.raise_()
    dialog.load()
    return dialog
