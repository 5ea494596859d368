"""The comment panel: the comments of the review this party may see, filtered by round, party,
status and deliverable (the core's CommentFilter and triage rows), one comment's text, anchors
and answer, the disposition editor, and the outbox of comments written offline.

It only shows a ReviewData and emits requests; the review controller runs them on the DB worker.
Anchors are jumped to on request: a feature or area goes to the map, a clause to whoever shows
the deliverable's text (`clause_requested(section_id, position)`).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.editing.review_jobs import ReviewData
from app.review import model as M
from app.review.state import CommentState
from app.review.triage import CommentFilter, triage_rows
from app.views.disposition_editor import DispositionEditor
from app.views.i18n import tr
from app.views.review_texts import bilingual, deliverable_text, disposition_text, status_text
from app.views.signals import signals_blocked
from app.views.worker import show_progress

COLUMNS = ("round", "party_name", "deliverable", "status", "disposition", "section", "excerpt")


def column_titles() -> list[str]:
    return [tr("Round"), tr("Party"), tr("Deliverable"), tr("Status"), tr("Disposition"),
            tr("Section"), tr("Comment")]


class CommentTable(QAbstractTableModel):
    """Triage rows (plain dicts from the core) as a table."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict] = []

    def set_rows(self, rows: list[dict]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | None = None) -> int:
        return len(COLUMNS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row, key = self.rows[index.row()], COLUMNS[index.column()]
        value = row[key]
        texts = {"status": status_text, "disposition": disposition_text, "deliverable": deliverable_text}
        return texts[key](value) if key in texts else ("" if value is None else str(value))

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return column_titles()[section]
        return None


def anchor_text(anchor: dict) -> str:
    """One line naming an anchor."""
    if anchor["type"] == "clause":
        return tr("Clause {} at {}: “{}”").format(anchor["section"], anchor["position"], anchor["quote"])
    if anchor["type"] == "feature":
        return tr("Feature {} {}").format(anchor["layer"], anchor["uuid"][:8])
    return tr("Area on the map")


class ReviewPanel(QWidget):
    """Requests: sync, archive(path), local, new comment, dashboard, anchor, clause, decide."""

    sync_requested = Signal()
    archive_requested = Signal(str)
    local_requested = Signal()
    new_comment_requested = Signal()
    dashboard_requested = Signal()
    anchor_requested = Signal(dict)  # a feature or area anchor to show on the map
    clause_requested = Signal(str, int)  # section id, character position
    comment_chosen = Signal(object)  # CommentState | None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: ReviewData | None = None
        self.filter = CommentFilter()
        self.current: CommentState | None = None
        self.model = CommentTable()
        self._build_actions()
        self._build_filters()
        self._build_body()
        self.retranslate()

    # -- construction ----------------------------------------------------------------------

    def _build_actions(self) -> None:
        self.source_label = QLabel()
        self.source_label.setWordWrap(True)
        self.buttons = {name: QPushButton() for name in ("local", "archive", "sync", "new", "dashboard")}
        self.buttons["local"].clicked.connect(self.local_requested)
        self.buttons["archive"].clicked.connect(self.choose_archive)
        self.buttons["sync"].clicked.connect(self.sync_requested)
        self.buttons["new"].clicked.connect(self.new_comment_requested)
        self.buttons["dashboard"].clicked.connect(self.dashboard_requested)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status = QLabel()
        self.status.setWordWrap(True)

    def _build_filters(self) -> None:
        self.combos = {name: QComboBox() for name in ("round", "party", "status", "deliverable")}
        for combo in self.combos.values():
            combo.currentIndexChanged.connect(self._on_filter_edited)  # UI -> filter
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_filter_edited)
        self.count_label = QLabel()

    def _build_body(self) -> None:
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self._selecting = False  # True while the panel itself moves the selection
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.detail = QTextBrowser()
        self.anchors = QListWidget()
        self.anchors.itemClicked.connect(self._on_anchor)
        self.anchors.itemActivated.connect(self._on_anchor)
        self.anchor_label = QLabel()
        self.anchor_label.setWordWrap(True)
        self.editor = DispositionEditor()
        self.outbox = QListWidget()
        self.tabs = QTabWidget()
        self.tabs.addTab(self._comment_tab(), "")
        editor_scroll = QScrollArea()  # the form scrolls rather than squeezing the comment list
        editor_scroll.setWidgetResizable(True)
        editor_scroll.setWidget(self.editor)
        self.tabs.addTab(editor_scroll, "")
        self.tabs.addTab(self.outbox, "")
        self._lay_out()

    def _comment_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.detail, 3)
        layout.addWidget(self.anchors, 1)
        layout.addWidget(self.anchor_label)
        return tab

    def _lay_out(self) -> None:
        row = QGridLayout()
        for i, button in enumerate(self.buttons.values()):
            row.addWidget(button, i // 3, i % 3)
        filters = self._filter_grid()
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.tabs)
        split.setSizes([400, 260])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        for item in (self.source_label, row, self.progress, self.status, filters, self.search,
                     self.count_label, split):
            if isinstance(item, QWidget):
                layout.addWidget(item)
            else:
                layout.addLayout(item)
        layout.setStretchFactor(split, 1)

    def _filter_grid(self) -> QGridLayout:
        """Two rows of two filters: the dock stays narrow."""
        grid = QGridLayout()
        self.filter_labels = {name: QLabel() for name in self.combos}
        for i, (name, combo) in enumerate(self.combos.items()):
            grid.addWidget(self.filter_labels[name], i // 2, (i % 2) * 2)
            grid.addWidget(combo, i // 2, (i % 2) * 2 + 1)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
            grid.setColumnStretch((i % 2) * 2 + 1, 1)
        return grid

    def retranslate(self) -> None:
        names = {"local": tr("Local copy"), "archive": tr("Open archive…"), "sync": tr("Review sync"),
                 "new": tr("New comment…"), "dashboard": tr("Round dashboard")}
        for name, button in self.buttons.items():
            button.setText(names[name])
        for name, text in (("round", tr("Round")), ("party", tr("Party")), ("status", tr("Status")),
                           ("deliverable", tr("Deliverable"))):
            self.filter_labels[name].setText(text)
        self.search.setPlaceholderText(tr("Search the comments' text…"))
        for index, title in enumerate((tr("Comment"), tr("Disposition"), tr("Outbox"))):
            self.tabs.setTabText(index, title)
        self.editor.retranslate()
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        self.show_data(self.data)

    def choose_archive(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Open review archive…"), "",
                                              tr("Review archives (*.jsonl)"))
        if path:
            self.archive_requested.emit(path)

    # -- model -> UI -----------------------------------------------------------------------

    def show_data(self, data: ReviewData | None) -> None:
        """Show a review (keeps the filter where its values still exist)."""
        self.data = data
        self._fill_combos()
        self.set_filter(self.filter)
        self._show_source()
        self._show_outbox()

    def _show_source(self) -> None:
        data = self.data
        if data is None:
            self.source_label.setText(tr("No review loaded."))
        elif data.source == "local":
            self.source_label.setText(tr("Local copy (last review sync): {} comments").format(
                len(data.state.submitted())))
        else:
            self.source_label.setText(tr("Archive {}: {} comments").format(
                data.source, len(data.state.submitted())))
        self.editor.set_editable(bool(data and data.coordinator))

    def _fill_combos(self) -> None:
        data = self.data
        rounds = sorted(data.state.rounds.items()) if data else []
        parties = sorted(data.parties().items()) if data else []
        choices = {
            "round": [(tr("All rounds"), None)] + [(f"{n} {bilingual(r.title)}".strip(), n) for n, r in rounds],
            "party": [(tr("All parties"), None)] + [(f"{name} ({code})", code) for code, name in parties],
            "status": [(tr("All statuses"), None)] + [(status_text(s), s) for s in M.STATUSES],
            "deliverable": [(tr("All deliverables"), None)] + [(d, d) for d in M.DELIVERABLES]
            + [(tr("unassigned"), "-")]}
        for name, items in choices.items():
            combo = self.combos[name]
            with signals_blocked(combo):
                combo.clear()
                for text, value in items:
                    combo.addItem(text, value)

    def set_filter(self, flt: CommentFilter) -> None:
        """Model -> UI: show `flt` in the filter widgets and list what passes it."""
        values = {"round": flt.round, "party": _one(flt.parties), "status": _one(flt.statuses),
                  "deliverable": _one(flt.deliverables)}
        for name, value in values.items():
            combo = self.combos[name]
            with signals_blocked(combo):
                combo.setCurrentIndex(max(0, combo.findData(value)))
        with signals_blocked(self.search):
            self.search.setText(flt.text)
        self.filter = self._read_filter()  # values the combos do not offer fall back to "all"
        self._refresh_rows()

    def _read_filter(self) -> CommentFilter:
        def chosen(name: str) -> frozenset:
            value = self.combos[name].currentData()
            return frozenset() if value is None else frozenset([value])
        return CommentFilter(round=self.combos["round"].currentData(), parties=chosen("party"),
                             statuses=chosen("status"), deliverables=chosen("deliverable"),
                             text=self.search.text().strip())

    def _refresh_rows(self) -> None:
        data = self.data
        rows = triage_rows(data.actor, data.state, self.filter) if data else []
        keep = self.current.id if self.current else None
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        total = len(data.state.submitted()) if data else 0
        self.count_label.setText(tr("{} of {} comments").format(len(rows), total))
        ids = [r["id"] for r in rows]
        self.select_comment(keep if keep in ids else (ids[0] if ids else None))

    def _show_outbox(self) -> None:
        self.outbox.clear()
        states = {"draft": tr("draft"), "queued": tr("to send"), "refused": tr("refused")}
        for item in self.data.outbox if self.data else ():
            text = bilingual(item["body"].get("body")) if item["kind"] == "comment" else item["kind"]
            line = f"[{states.get(item['state'], item['state'])}] {tr('Round')} {item['round']}: {text[:60]}"
            if item["state"] == "refused" and item.get("answer"):
                line += f" — {item['answer'].get('error', '')}"
            QListWidgetItem(line, self.outbox)
        self.tabs.setTabText(2, tr("Outbox ({})").format(self.outbox.count()))

    def select_comment(self, comment_id: str | None) -> None:
        """Select a listed comment (None: none) and show it."""
        ids = [r["id"] for r in self.model.rows]
        row = ids.index(comment_id) if comment_id in ids else -1
        # Not signals_blocked: the table repaints its selection from the model's signals.
        self._selecting = True
        if row >= 0:
            self.table.selectRow(row)
        else:
            self.table.clearSelection()
        self._selecting = False
        self._on_row(row)

    def set_running(self, running: bool) -> None:
        self.buttons["sync"].setEnabled(not running)
        self.progress.setVisible(running)
        self.progress.setRange(0, 0)

    def set_progress(self, done: int, total: int, message: str = "") -> None:
        show_progress(self.progress, self.status, done, total, message)

    def show_message(self, text: str) -> None:
        self.status.setText(text)

    # -- UI -> model -----------------------------------------------------------------------

    def _on_filter_edited(self, *_) -> None:
        self.filter = self._read_filter()
        self._refresh_rows()

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._selecting:
            self._on_row(current.row())

    def _on_row(self, row: int) -> None:
        rows = self.model.rows
        self.current = self.data.state.comments[rows[row]["id"]] if 0 <= row < len(rows) else None
        self._show_comment(self.current)
        self.editor.show_comment(self.current)
        self.comment_chosen.emit(self.current)

    def _show_comment(self, c: CommentState | None) -> None:
        self.anchors.clear()
        self.anchor_label.clear()
        if c is None:
            self.detail.clear()
            return
        self.detail.setHtml(comment_html(c, self.data.coordinator if self.data else False))
        for anchor in c.anchors():
            item = QListWidgetItem(anchor_text(anchor), self.anchors)
            item.setData(Qt.ItemDataRole.UserRole, anchor)

    def _on_anchor(self, item: QListWidgetItem) -> None:
        anchor = item.data(Qt.ItemDataRole.UserRole)
        if anchor["type"] == "clause":
            self.anchor_label.setText(tr("Section {}, position {}: “{}”").format(
                anchor["section"], anchor["position"], anchor["quote"]))
            self.clause_requested.emit(anchor["section"], int(anchor["position"]))
        else:
            self.anchor_requested.emit(anchor)


def _one(values: frozenset):
    return next(iter(values)) if len(values) == 1 else None


def comment_html(c: CommentState, coordinator: bool) -> str:
    """The comment, its status and its (published) answer as a small HTML page."""
    e = html.escape
    party = c.event.data.get("party_name", c.party)
    head = (f"<b>{e(party)}</b> ({e(c.party)}) · {tr('Round')} {c.round} · "
            f"{e(c.comment.get('written', '')[:10])} · {e(status_text(c.status))}")
    parts = [head, f"<p>{e(bilingual(c.comment.get('body')))}</p>"]
    answers = [(tr("Published answer"), c.published)]
    if coordinator:
        answers += [(tr("Decision"), c.decision), (tr("Recommendation"), c.recommendation)]
    for title, answer in answers:
        if answer is not None:
            parts.append(f"<p><b>{e(title)}: {e(disposition_text(answer.disposition))}</b><br>"
                         f"{e(bilingual(answer.answer))}</p>")
    return "".join(parts)
