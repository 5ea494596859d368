"""The sync panel: server and login, push / pull / sync with progress and cancel, the counts of
what waits, and the open conflicts with a side-by-side view. It only emits requests; the window
runs them on the DB worker and feeds the results back."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.editing.jobs import HistorySnapshot
from app.views.conflict_view import ConflictView, conflict_summary
from app.views.i18n import tr
from app.views.worker import show_progress

ACTIONS = ("push", "pull", "sync")
FAILED_STYLE = "color: #C92A2A;"


class SyncPanel(QWidget):
    """Requests: login(url, project, user, password), run(kind), cancel, conflicts, resolve(id, side)."""

    login_requested = Signal(str, str, str, str)
    run_requested = Signal(str)
    cancel_requested = Signal()
    conflicts_requested = Signal()
    resolve_requested = Signal(int, str)
    drop_requested = Signal(str)  # a change-set id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.conflicts: list[dict] = []
        self._build_server_box()
        self._build_run_box()
        self.conflict_list = QListWidget()
        self.conflict_list.currentRowChanged.connect(self._on_conflict_chosen)
        # The dock is narrow: a double click compares the versions in a window of their own.
        self.conflict_list.itemDoubleClicked.connect(lambda _item: self.conflict_view.open_window())
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.conflicts_requested)
        self.conflict_view = ConflictView()
        self.conflict_view.resolve_requested.connect(self.resolve_requested)
        self.conflicts_label = QLabel()
        split = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(self.conflicts_label, 1)
        head.addWidget(self.refresh_button)
        top_layout.addLayout(head)
        top_layout.addWidget(self.conflict_list)
        split.addWidget(top)
        split.addWidget(self.conflict_view)
        split.setSizes([120, 380])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.server_box)
        layout.addWidget(self.run_box)
        layout.addWidget(self._build_waiting_box())
        layout.addWidget(split, 1)
        self.set_running(False)
        self.retranslate()

    def _build_server_box(self) -> None:
        self.server_box = QGroupBox()
        form = QFormLayout(self.server_box)
        self.url, self.project_id, self.user, self.password = (QLineEdit() for _ in range(4))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.login_button = QPushButton()
        self.login_button.clicked.connect(self._on_login)
        self.login_state = QLabel()
        self._form_labels = [QLabel() for _ in range(4)]
        for label, editor in zip(self._form_labels, (self.url, self.project_id, self.user, self.password),
                                 strict=True):
            form.addRow(label, editor)
        form.addRow(self.login_state, self.login_button)

    def _build_waiting_box(self) -> QGroupBox:
        """Our change sets the server has not echoed yet; one it refused can be dropped."""
        self.waiting_box = QGroupBox()
        layout = QVBoxLayout(self.waiting_box)
        self.waiting_list = QListWidget()
        self.waiting_list.setMaximumHeight(90)
        self.waiting_list.currentRowChanged.connect(self._on_waiting_chosen)
        self.drop_button = QPushButton()
        self.drop_button.setEnabled(False)
        self.drop_button.clicked.connect(self._on_drop)
        layout.addWidget(self.waiting_list)
        layout.addWidget(self.drop_button, 0, Qt.AlignmentFlag.AlignRight)
        self.waiting: tuple = ()
        return self.waiting_box

    def _on_waiting_chosen(self, row: int) -> None:
        entry = self.waiting[row] if 0 <= row < len(self.waiting) else None
        self.drop_button.setEnabled(bool(entry and entry.state == "local" and entry.refusal))

    def _on_drop(self) -> None:
        row = self.waiting_list.currentRow()
        if 0 <= row < len(self.waiting):
            self.drop_requested.emit(self.waiting[row].id)

    def _build_run_box(self) -> None:
        self.run_box = QGroupBox()
        layout = QVBoxLayout(self.run_box)
        row = QHBoxLayout()
        self.run_buttons = {kind: QPushButton() for kind in ACTIONS}
        for kind, button in self.run_buttons.items():
            button.clicked.connect(lambda _=False, k=kind: self.run_requested.emit(k))
            row.addWidget(button)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel_requested)
        row.addWidget(self.cancel_button)
        self.progress = QProgressBar()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.counts = QLabel()
        for item in (row, self.progress, self.counts, self.status):
            layout.addLayout(item) if isinstance(item, QHBoxLayout) else layout.addWidget(item)

    def retranslate(self) -> None:
        self.server_box.setTitle(tr("Server"))
        self.run_box.setTitle(tr("Synchronise"))
        for label, text in zip(self._form_labels, (tr("URL"), tr("Project"), tr("User"), tr("Password")),
                               strict=True):
            label.setText(text)
        self.login_button.setText(tr("Log in"))
        names = {"push": tr("Push"), "pull": tr("Pull"), "sync": tr("Sync")}
        for kind, button in self.run_buttons.items():
            button.setText(names[kind])
        self.cancel_button.setText(tr("Cancel"))
        self.refresh_button.setText(tr("Refresh"))
        self.waiting_box.setTitle(tr("Waiting to be echoed by the server"))
        self.drop_button.setText(tr("Drop refused change set"))
        self.set_conflicts(self.conflicts)
        self.conflict_view.retranslate()

    def _on_login(self) -> None:
        self.login_requested.emit(self.url.text().strip(), self.project_id.text().strip(),
                                  self.user.text().strip(), self.password.text())

    # -- model -> UI -----------------------------------------------------------------------

    def show_snapshot(self, snapshot: HistorySnapshot) -> None:
        if snapshot.remote and not self.url.text():
            self.url.setText(snapshot.remote[0])
            self.project_id.setText(snapshot.remote[1])
        self.counts.setText(tr("Uncommitted: {}   To push: {}   Server version: {}").format(
            len(snapshot.pending), snapshot.outbox, snapshot.base_version))
        self.waiting = tuple(snapshot.waiting)
        self.waiting_list.clear()
        for entry in self.waiting:
            state = (tr("refused: {}").format(entry.refusal) if entry.refusal
                     else tr("sent, not pulled back") if entry.state == "pushed" else tr("not sent"))
            item = QListWidgetItem(f"{entry.message} ({entry.changes}) — {state}", self.waiting_list)
            item.setToolTip(f"{entry.id}\n{state}")
        self._on_waiting_chosen(self.waiting_list.currentRow())

    def set_logged_in(self, user: str) -> None:
        self.login_state.setText(tr("Logged in as {}").format(user))
        self.password.clear()

    def set_running(self, running: bool) -> None:
        for button in self.run_buttons.values():
            button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        if running:
            self.progress.setRange(0, 0)  # busy until the first step says how far

    def set_progress(self, done: int, total: int, message: str = "") -> None:
        show_progress(self.progress, self.status, done, total, message)

    def finished(self, text: str) -> None:
        self.set_running(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.status.setStyleSheet("")
        self.status.setText(text)

    def failed(self, text: str) -> None:
        """A job failed: the bar goes back to empty (not 100 %) and the reason shows in red."""
        self.set_running(False)
        self.progress.setRange(0, 1)
        self.progress.reset()
        self.status.setStyleSheet(FAILED_STYLE)
        self.status.setText(text)

    def set_conflicts(self, conflicts: list[dict]) -> None:
        """The open conflicts; keeps the chosen one if it is still open."""
        current = self.conflict_view.conflict["id"] if self.conflict_view.conflict else None
        self.conflicts = list(conflicts)
        self.conflicts_label.setText(tr("Open conflicts: {}").format(len(self.conflicts)))
        self.conflict_list.blockSignals(True)
        self.conflict_list.clear()
        for c in self.conflicts:
            moved = "  " + tr("(changed since: look again)") if c.get("stale") else ""
            QListWidgetItem(conflict_summary(c) + moved, self.conflict_list)
        ids = [c["id"] for c in self.conflicts]
        row = ids.index(current) if current in ids else (0 if ids else -1)
        self.conflict_list.setCurrentRow(row)
        self.conflict_list.blockSignals(False)
        self.conflict_view.show_conflict(self.conflicts[row] if row >= 0 else None)

    def _on_conflict_chosen(self, row: int) -> None:
        self.conflict_view.show_conflict(self.conflicts[row] if 0 <= row < len(self.conflicts) else None)
