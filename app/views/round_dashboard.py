"""The round dashboard: rounds with their stage and number of comments, status counts, the
adoption rate, open items, invitations nobody answered, and the adoption charts of the ledger
(a core Figure rendered to PNG on the DB worker). Choosing a round asks the comment panel to
filter by it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.editing.review_jobs import RoundSummary
from app.review import model as M
from app.views.chart_view import ChartView
from app.views.i18n import tr
from app.views.review_texts import bilingual, percent, stage_text, status_text, visibility_text


def _item(text: object, data: object = None) -> QTableWidgetItem:
    item = QTableWidgetItem("" if text is None else str(text))
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


class RoundDashboard(QWidget):
    """`refresh_requested`; `round_chosen(number)` when a round is double-clicked."""

    refresh_requested = Signal()
    round_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary: RoundSummary | None = None
        self.numbers = QLabel()
        self.numbers.setWordWrap(True)
        self.numbers.setTextFormat(Qt.TextFormat.RichText)
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.refresh_requested)
        self.rounds = QTableWidget(0, 6)
        self.rounds.verticalHeader().setVisible(False)
        self.rounds.cellDoubleClicked.connect(self._on_round)
        self.statuses = QTableWidget(0, 2)
        self.statuses.verticalHeader().setVisible(False)
        self.waiting = QLabel()
        self.waiting.setWordWrap(True)
        self.chart = ChartView()
        self._lay_out()
        self.retranslate()

    def _lay_out(self) -> None:
        head = QHBoxLayout()
        head.addWidget(self.numbers, 1)
        head.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)
        tables = QHBoxLayout()
        tables.addWidget(self.rounds, 3)
        tables.addWidget(self.statuses, 1)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(head)
        top_layout.addLayout(tables)
        top_layout.addWidget(self.waiting)
        # Side by side: the dashboard docks below the map, wide and low.
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(top)
        split.addWidget(self.chart)
        split.setSizes([560, 760])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(split)

    def retranslate(self) -> None:
        self.refresh_button.setText(tr("Refresh"))
        self.rounds.setHorizontalHeaderLabels([tr("Round"), tr("Title"), tr("Stage"), tr("Visibility"),
                                               tr("Comments"), tr("Due")])
        self.statuses.setHorizontalHeaderLabels([tr("Status"), tr("Comments")])
        self.show_summary(self.summary)

    # -- model -> UI -----------------------------------------------------------------------

    def show_summary(self, summary: RoundSummary | None) -> None:
        self.summary = summary
        if summary is None:
            self.numbers.setText(tr("No review loaded."))
            self.rounds.setRowCount(0)
            self.statuses.setRowCount(0)
            self.waiting.clear()
            return
        self._show_numbers(summary)
        self._show_rounds(summary)
        self._show_statuses(summary)
        self.chart.set_png(summary.chart)

    def _show_numbers(self, summary: RoundSummary) -> None:
        d, total = summary.dashboard, summary.ledger.total
        self.numbers.setText(tr("<b>{}</b> comments · adoption rate <b>{}</b> · {} adopted · "
                                "{} open · {} awaiting confirmation · {} invitations unanswered "
                                "({} overdue)").format(total.comments, percent(d.adoption_rate),
                                                       total.adopted, d.open_items, d.awaiting_confirmation,
                                                       len(d.non_responses), len(d.overdue)))
        names = ", ".join(f"{r['name']} ({tr('Round')} {r['round']})" for r in d.non_responses[:8])
        self.waiting.setText(tr("Not answered: {}").format(names) if names else "")

    def _show_rounds(self, summary: RoundSummary) -> None:
        rounds = summary.dashboard.rounds
        self.rounds.setRowCount(len(rounds))
        for row, r in enumerate(rounds):
            cells = (r["number"], bilingual(r["title"]), stage_text(r["stage"]), visibility_text(r["visibility"]),
                     r["comments"], (r["due"] or "")[:10])
            for column, text in enumerate(cells):
                self.rounds.setItem(row, column, _item(text, r["number"]))
        self.rounds.resizeColumnsToContents()

    def _show_statuses(self, summary: RoundSummary) -> None:
        counts = [(s, summary.dashboard.statuses.get(s, 0)) for s in M.STATUSES]
        self.statuses.setRowCount(len(counts))
        for row, (status, count) in enumerate(counts):
            self.statuses.setItem(row, 0, _item(status_text(status), status))
            self.statuses.setItem(row, 1, _item(count))
        self.statuses.resizeColumnsToContents()

    # -- UI -> model -----------------------------------------------------------------------

    def _on_round(self, row: int, _column: int) -> None:
        item = self.rounds.item(row, 0)
        if item is not None:
            self.round_chosen.emit(int(item.data(Qt.ItemDataRole.UserRole)))
