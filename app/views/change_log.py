"""The change log: pending (uncommitted) changes, the commit box, and the committed history with
each change set's sync state. Shows a HistorySnapshot; asks for commit/discard by signal."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.editing.jobs import HistorySnapshot
from app.views.i18n import tr


def op_text(op: str) -> str:
    return {"insert": tr("Added"), "update": tr("Changed"), "delete": tr("Deleted")}.get(op, op)


def state_text(state: str) -> str:
    return {"local": tr("not pushed"), "pushed": tr("pushed"), "remote": tr("from others")}.get(state, state)


class ChangeLog(QWidget):
    """Pending changes above, history below; `commit_requested(message)`, `discard_requested`."""

    commit_requested = Signal(str)
    discard_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.snapshot: HistorySnapshot | None = None
        self.pending_label, self.history_label = QLabel(), QLabel()
        self.pending = QTreeWidget()
        self.pending.setRootIsDecorated(False)
        self.message = QLineEdit()
        self.commit_button, self.discard_button = QPushButton(), QPushButton()
        self.commit_button.clicked.connect(self._on_commit)
        self.message.returnPressed.connect(self._on_commit)
        self.discard_button.clicked.connect(self.discard_requested)
        self.history = QTreeWidget()
        self.history.setRootIsDecorated(False)
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(self.commit_button)
        row.addWidget(self.discard_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        for widget in (self.pending_label, self.pending):
            layout.addWidget(widget)
        layout.addLayout(row)
        layout.addWidget(self.history_label)
        layout.addWidget(self.history)
        self.retranslate()

    def retranslate(self) -> None:
        self.pending.setHeaderLabels([tr("Change"), tr("Layer"), tr("Feature"), tr("Columns")])
        self.history.setHeaderLabels([tr("State"), tr("Message"), tr("Party"), tr("Time"), tr("Changes")])
        self.message.setPlaceholderText(tr("Describe the changes to commit…"))
        self.commit_button.setText(tr("Commit"))
        self.discard_button.setText(tr("Discard"))
        self.history_label.setText(tr("History"))
        if self.snapshot is not None:
            self.show_snapshot(self.snapshot)
        else:
            self.pending_label.setText(tr("Pending changes: {}").format(0))

    def show_snapshot(self, snapshot: HistorySnapshot) -> None:
        """Model -> UI."""
        self.snapshot = snapshot
        self.pending_label.setText(tr("Pending changes: {}").format(len(snapshot.pending)))
        self.pending.clear()
        for change in snapshot.pending:
            columns = ", ".join(c for c in change.cols if c not in ("modified_at", "modified_by"))
            QTreeWidgetItem(self.pending, [op_text(change.op), change.layer, change.uuid[:8], columns])
        self.history.clear()
        for entry in snapshot.log:
            cs = entry.changeset
            counts = " ".join(f"{op_text(op)} {n}" for op, n in sorted(entry.counts.items()))
            QTreeWidgetItem(self.history, [state_text(entry.state), cs.message, cs.party,
                                           cs.created[:19].replace("T", " "), counts])
        has_pending = bool(snapshot.pending)
        self.commit_button.setEnabled(has_pending)
        self.discard_button.setEnabled(has_pending)

    def _on_commit(self) -> None:
        text = self.message.text().strip()
        if text and self.snapshot and self.snapshot.pending:
            self.commit_requested.emit(text)

    def committed(self) -> None:
        self.message.clear()
