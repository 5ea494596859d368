"""The change log: pending (uncommitted) changes, the commit box, the committed history with each
change set's sync state, and the diff of what is chosen; revert of a committed change set.

Pending changes come grouped by layer and kind from the worker; a lazy model shows each group's
count and fetches its rows page by page as they are scrolled to, so 100,000 pending changes cost
the GUI thread a handful of rows, not 100,000."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTreeView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.editing import jobs
from app.editing.jobs import HistorySnapshot, group_pending
from app.model.catalogue import Catalogue
from app.views import dialogs
from app.views.diff_view import DiffView, column_label, feature_text, layer_name, layer_of, op_text
from app.views.i18n import tr
from app.views.worker import message_of

PAGE = 500  # pending rows fetched at a time as a group is scrolled
HIDDEN_COLUMNS = ("modified_at", "modified_by")
ROW_ROLE = Qt.ItemDataRole.UserRole
ROOT = QModelIndex()


def state_text(state: str) -> str:
    return {"local": tr("not pushed"), "pushed": tr("pushed"), "remote": tr("from others")}.get(state, state)


class PendingModel(QAbstractItemModel):
    """Groups (layer · kind · count) on top, their changes below, fetched a page at a time.
    A group's index has internal id 0; a change's, its group's row + 1."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.groups: tuple = ()
        self.loaded: list[int] = []
        self.catalogue: Catalogue | None = None

    def set_groups(self, groups: tuple, catalogue: Catalogue | None) -> None:
        self.beginResetModel()
        self.groups, self.catalogue = tuple(groups), catalogue
        self.loaded = [0] * len(self.groups)
        self.endResetModel()

    def index(self, row: int, column: int, parent=ROOT) -> QModelIndex:
        if not parent.isValid():
            return self.createIndex(row, column, 0) if 0 <= row < len(self.groups) else QModelIndex()
        group = parent.row()
        return self.createIndex(row, column, group + 1) if 0 <= row < self.loaded[group] else QModelIndex()

    def parent(self, index) -> QModelIndex:
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def _is_group(self, index: QModelIndex) -> bool:
        return index.isValid() and index.internalId() == 0

    def rowCount(self, parent=ROOT) -> int:
        if not parent.isValid():
            return len(self.groups)
        return self.loaded[parent.row()] if self._is_group(parent) and parent.column() == 0 else 0

    def columnCount(self, parent=ROOT) -> int:
        return 3

    def hasChildren(self, parent=ROOT) -> bool:
        return not parent.isValid() or (self._is_group(parent) and bool(self.groups[parent.row()].rows))

    def canFetchMore(self, parent: QModelIndex) -> bool:
        return self._is_group(parent) and self.loaded[parent.row()] < len(self.groups[parent.row()].rows)

    def fetchMore(self, parent: QModelIndex) -> None:
        if not self.canFetchMore(parent):
            return
        group = parent.row()
        first = self.loaded[group]
        last = min(first + PAGE, len(self.groups[group].rows)) - 1
        self.beginInsertRows(parent, first, last)
        self.loaded[group] = last + 1
        self.endInsertRows()

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (tr("Feature"), tr("Change"), tr("Columns"))[section]
        return None

    def row_at(self, index: QModelIndex):
        """The pending row at `index`, None for a group."""
        if not index.isValid() or index.internalId() == 0:
            return None
        return self.groups[index.internalId() - 1].rows[index.row()]

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if self._is_group(index):
            group = self.groups[index.row()]
            return (layer_name(self.catalogue, group.layer), op_text(group.op),
                    tr("{:,} feature(s)").format(len(group.rows)))[index.column()]
        row = self.row_at(index)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.uuid
        if index.column() == 0:
            return feature_text(getattr(row, "label", ""), row.uuid)
        if index.column() == 1:
            return op_text(row.op)
        return self._columns_text(row)

    def _columns_text(self, row) -> str:
        if row.op != "update":
            return tr("all")
        layer = layer_of(self.catalogue, row.layer)
        names = [column_label(layer, c) for c in row.cols if c not in HIDDEN_COLUMNS]
        return "、".join(names[:6]) + ("…" if len(names) > 6 else "")


class PendingTree(QTreeView):
    """The pending changes' view; counts its groups like a QTreeWidget would its top items."""

    def topLevelItemCount(self) -> int:
        return self.model().rowCount()


class ChangeLog(QWidget):
    """Pending changes and history on the left, the chosen diff on the right. Requests:
    `commit_requested(message)`, `discard_requested` (asked first), `pending_chosen(layer,
    uuid)`, `changeset_chosen(id)`, `revert_requested(id)` (asked first)."""

    commit_requested = Signal(str)
    discard_requested = Signal()
    pending_chosen = Signal(str, str)
    changeset_chosen = Signal(str)
    revert_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.snapshot: HistorySnapshot | None = None
        self.pending_label, self.history_label, self.status = QLabel(), QLabel(), QLabel()
        self.status.setWordWrap(True)
        self.model = PendingModel(self)
        self.pending = PendingTree()
        self.pending.setModel(self.model)
        self.pending.setUniformRowHeights(True)  # lets a long group scroll without measuring rows
        self.pending.selectionModel().currentChanged.connect(self._on_pending_chosen)
        self.pending.expanded.connect(lambda _index: self.pending.resizeColumnToContents(0))
        self.message = QLineEdit()
        self.commit_button, self.discard_button, self.revert_button = QPushButton(), QPushButton(), QPushButton()
        self.commit_button.clicked.connect(self._on_commit)
        self.message.returnPressed.connect(self._on_commit)
        self.discard_button.clicked.connect(self._on_discard)
        self.revert_button.clicked.connect(self._on_revert)
        self.history = QTreeWidget()
        self.history.setRootIsDecorated(False)
        self.history.currentItemChanged.connect(self._on_history_chosen)
        self.diff = DiffView()
        self._build_layout()
        self.retranslate()

    def _build_layout(self) -> None:
        # Side by side, not stacked: the dock is wide and low under the map.
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(self.commit_button)
        row.addWidget(self.discard_button)
        pending = _column(self.pending_label, self.pending)
        pending.layout().addLayout(row)
        head = QHBoxLayout()
        head.addWidget(self.history_label, 1)
        head.addWidget(self.revert_button)
        history = _column(self.history, self.status)
        history.layout().insertLayout(0, head)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        for pane in (pending, history, self.diff):
            self.split.addWidget(pane)
        self.split.setSizes([420, 420, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.split)

    def retranslate(self) -> None:
        self.history.setHeaderLabels([tr("State"), tr("Message"), tr("Party"), tr("Time"), tr("Changes")])
        self.message.setPlaceholderText(tr("Describe the changes to commit…"))
        self.commit_button.setText(tr("Commit"))
        self.discard_button.setText(tr("Discard"))
        self.revert_button.setText(tr("Revert…"))
        self.revert_button.setToolTip(tr("Commit the inverse of the chosen change set"))
        self.history_label.setText(tr("History"))
        self.diff.retranslate()
        if self.snapshot is not None:
            self.show_snapshot(self.snapshot)
        else:
            self.pending_label.setText(tr("Pending changes: {}").format(0))
            self._enable()

    def show_snapshot(self, snapshot: HistorySnapshot) -> None:
        """Model -> UI."""
        self.snapshot = snapshot
        self.pending_label.setText(tr("Pending changes: {}").format(f"{len(snapshot.pending):,}"))
        groups = snapshot.groups or group_pending(snapshot.pending)  # a snapshot made by hand
        self.model.set_groups(groups, snapshot.catalogue)
        if self.diff.diff is not None and self.diff.diff.changeset is None:
            self.diff.show_diff(None)  # the pending change shown may be gone or committed now
        shown = 0
        for row, group in enumerate(groups):  # open groups while they are few rows in all
            shown += len(group.rows)
            if shown > 2 * PAGE:
                break
            self.pending.expand(self.model.index(row, 0))
        self.pending.resizeColumnToContents(0)
        chosen = self.chosen_changeset()
        self.history.blockSignals(True)
        self.history.clear()
        for entry in snapshot.log:
            cs = entry.changeset
            counts = " ".join(f"{op_text(op)} {n}" for op, n in sorted(entry.counts.items()))
            item = QTreeWidgetItem(self.history, [state_text(entry.state), cs.message, cs.party,
                                                  cs.created[:19].replace("T", " "), counts])
            item.setData(0, ROW_ROLE, cs.id)
            if cs.id == chosen:
                self.history.setCurrentItem(item)
        self.history.blockSignals(False)
        for column in (0, 2, 3):
            self.history.resizeColumnToContents(column)
        self._enable()

    def _enable(self) -> None:
        has_pending = bool(self.snapshot and self.snapshot.pending)
        self.commit_button.setEnabled(has_pending)
        self.discard_button.setEnabled(has_pending)
        self.revert_button.setEnabled(self.chosen_changeset() is not None and not has_pending)

    def chosen_changeset(self) -> str | None:
        item = self.history.currentItem()
        return item.data(0, ROW_ROLE) if item is not None else None

    def show_diff(self, diff: jobs.ChangeDiff | None) -> None:
        self.diff.show_diff(diff)

    def show_status(self, text: str) -> None:
        self.status.setText(text)

    # -- UI -> requests ----------------------------------------------------------------------

    def _on_pending_chosen(self, current: QModelIndex, _previous=None) -> None:
        row = self.model.row_at(current)
        if row is not None:
            self.pending_chosen.emit(row.layer, row.uuid)

    def _on_history_chosen(self, item, _previous=None) -> None:
        self._enable()
        if item is not None:
            self.changeset_chosen.emit(item.data(0, ROW_ROLE))

    def _on_commit(self) -> None:
        text = self.message.text().strip()
        if text and self.snapshot and self.snapshot.pending:
            self.commit_requested.emit(text)

    def _on_discard(self) -> None:
        count = len(self.snapshot.pending) if self.snapshot else 0
        text = tr("Discard {} uncommitted change(s)? They cannot be restored.").format(f"{count:,}")
        if count and dialogs.confirm(self, text):  # tests answer through dialogs.answer
            self.discard_requested.emit()

    def _on_revert(self) -> None:
        item = self.history.currentItem()
        if item is None:
            return
        text = tr("Revert “{}”? A new change set that undoes it will be committed, "
                  "and pushed like any other.").format(item.text(1))
        if dialogs.confirm(self, text):
            self.revert_requested.emit(item.data(0, ROW_ROLE))

    def committed(self) -> None:
        self.message.clear()


def _column(*widgets: QWidget) -> QWidget:
    pane = QWidget()
    layout = QVBoxLayout(pane)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    return pane


class ChangeLogJobs:
    """Runs the change log's requests on the window's DB worker: diffs and revert. After a
    revert the project is reloaded (features changed)."""

    def __init__(self, window) -> None:
        self.window, log = window, window.change_log
        log.pending_chosen.connect(self.pending_diff)
        log.changeset_chosen.connect(self.changeset_diff)
        log.revert_requested.connect(self.revert)

    def _call(self, fn, *args, done) -> None:
        if self.window.worker is not None:
            self.window.worker.call(fn, *args, done=done, error=self._failed, name=fn.__name__)

    def pending_diff(self, layer: str, uuid: str) -> None:
        self._call(jobs.pending_diff, layer, uuid, done=self.window.change_log.show_diff)

    def changeset_diff(self, changeset: str) -> None:
        self._call(jobs.changeset_diff, changeset, done=self.window.change_log.show_diff)

    def revert(self, changeset: str) -> None:
        def done(snapshot) -> None:
            self.window.change_log.show_status(tr("Reverted; the inverse change set waits to be pushed."))
            self.window.reload()  # the features changed; also refreshes the history
        self._call(jobs.revert, changeset, done=done)

    def _failed(self, exc: Exception) -> None:
        self.window.change_log.show_status(message_of(exc))
        dialogs.error(self.window, message_of(exc))
