"""The indicator dashboard: the annual check-up of the open project — each indicator per city
and metro-wide with target, status colour (达标 / 预警 / 未达标), and the change since the last
recorded check-up when one exists — as a table and as the core's small-multiples chart.
"Record" stores this year's check-up so that next year compares with it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.analysis.charts import STATUS_COLOURS
from app.analysis.checkup import NO_DATA, CheckupRow, fmt
from app.analysis.indicators import METRO
from app.editing.analysis_jobs import IndicatorSnapshot
from app.views.chart_view import ChartView
from app.views.i18n import lang, tr
from app.views.signals import signals_blocked
from app.views.worker import show_progress

ALL = "*"


# The core's status and trend words are Chinese data (they go into the published annex).
ENGLISH = {"达标": "met", "预警": "warning", "未达标": "not met", "无数据": "no data",
           "未设目标": "no target", "改善": "better", "恶化": "worse", "持平": "unchanged"}


def status_label(word: str) -> str:
    """A check-up status or trend word in the interface language."""
    return word if lang() == "zh" else ENGLISH.get(word, word)


class IndicatorDashboard(QWidget):
    """Requests: run(year), record. Region choice filters the table (view state only)."""

    run_requested = Signal(int)
    record_requested = Signal()
    evaluation_requested = Signal(int)  # open the five-year evaluation at this year

    def __init__(self, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.snapshot: IndicatorSnapshot | None = None
        self.region = ALL
        self.year = QSpinBox()
        self.year.setRange(1950, 2100)
        self.year.setValue(year)
        self.run_button, self.record_button = QPushButton(), QPushButton()
        self.run_button.clicked.connect(lambda: self.run_requested.emit(self.year.value()))
        self.record_button.clicked.connect(self.record_requested)
        self.evaluation_button = QPushButton()
        self.evaluation_button.clicked.connect(lambda: self.evaluation_requested.emit(self.year.value()))
        self.regions = QComboBox()
        self.regions.currentIndexChanged.connect(self._on_region)
        self.progress, self.summary, self.note = QProgressBar(), QLabel(), QLabel()
        for label in (self.summary, self.note):
            label.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.table = QTableWidget(0, 10)
        self.table.verticalHeader().setVisible(False)
        self.chart = ChartView()
        self.year_label, self.region_label = QLabel(), QLabel()
        self._lay_out()
        self.retranslate()

    def _lay_out(self) -> None:
        head = QHBoxLayout()
        for widget in (self.year_label, self.year, self.run_button, self.record_button,
                       self.region_label, self.regions, self.evaluation_button, self.progress):
            head.addWidget(widget)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.summary, self.table, self.note):
            top_layout.addWidget(widget)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(top)
        split.addWidget(self.chart)
        split.setSizes([560, 560])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(head)
        layout.addWidget(split, 1)

    def retranslate(self) -> None:
        self.year_label.setText(tr("Year"))
        self.region_label.setText(tr("Region"))
        self.run_button.setText(tr("Run check-up"))
        self.record_button.setText(tr("Record this year"))
        self.evaluation_button.setText(tr("Five-year evaluation…"))
        self.table.setHorizontalHeaderLabels([tr("ID"), tr("Indicator"), tr("Unit"), tr("Region"),
                                              tr("Previous"), tr("Value"), tr("Target"), tr("Change"),
                                              tr("Trend"), tr("Status")])
        self.show_snapshot(self.snapshot)

    # -- model -> UI -----------------------------------------------------------------------

    def set_year(self, year: int) -> None:
        with signals_blocked(self.year):
            self.year.setValue(year)

    def set_running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.record_button.setEnabled(not running and self.snapshot is not None)
        self.progress.setRange(0, 0 if running else 1)
        self.progress.setValue(0 if running else 1)

    def set_progress(self, done: int, total: int, message: str = "") -> None:
        show_progress(self.progress, self.note, done, total, message)

    def show_snapshot(self, snapshot: IndicatorSnapshot | None) -> None:
        self.snapshot = snapshot
        self.record_button.setEnabled(snapshot is not None)
        self._fill_regions()
        self._fill_table()
        if snapshot is None:
            self.summary.setText(tr("Run the check-up to see the indicators."))
            self.note.clear()
            return
        self.summary.setText(self._summary_html(snapshot))
        report = snapshot.report
        if report.previous_year:
            self.note.setText(tr("Compared with the {} check-up.").format(report.previous_year))
        else:
            self.note.setText(tr("No earlier check-up recorded: no year-over-year change."))
        self.chart.set_png(snapshot.chart)

    def _fill_regions(self) -> None:
        names = dict(self.snapshot.report.region_names) if self.snapshot else {}
        with signals_blocked(self.regions):
            self.regions.clear()
            self.regions.addItem(tr("All regions"), ALL)
            for code, name in names.items():
                self.regions.addItem(name if code == METRO else f"{name} ({code})", code)
            self.regions.setCurrentIndex(max(0, self.regions.findData(self.region)))
        self.region = self.regions.currentData()

    def rows(self) -> list[CheckupRow]:
        """The rows the table shows: those with a value or a target, in the chosen region."""
        if self.snapshot is None:
            return []
        return [r for r in self.snapshot.report.rows if (r.value is not None or r.target is not None)
                and self.region in (ALL, r.region)]

    def _fill_table(self) -> None:
        rows = self.rows()
        self.table.setRowCount(len(rows))
        names = self.snapshot.report.region_names if self.snapshot else {}
        for i, r in enumerate(rows):
            name, unit = self.snapshot.indicators.get(r.indicator, (r.indicator, ""))
            target = "—" if r.target is None else f"{fmt(r.target)} ({r.target_year})"
            cells = (r.indicator, name, unit, names.get(r.region, r.region), fmt(r.previous), fmt(r.value),
                     target, fmt(r.change, signed=True), status_label(r.trend) if r.trend else "—",
                     status_label(r.status))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if column == len(cells) - 1:
                    item.setBackground(QColor(STATUS_COLOURS.get(r.status, "#DDDDDD")))
                    item.setForeground(QColor("white" if r.status in STATUS_COLOURS else "black"))
                self.table.setItem(i, column, item)
        self.table.resizeColumnsToContents()

    def _summary_html(self, snapshot: IndicatorSnapshot) -> str:
        counts: dict[str, int] = {}
        for r in snapshot.report.rows:
            if r.status != NO_DATA:
                counts[r.status] = counts.get(r.status, 0) + 1
        chips = " ".join(f"<span style='background:{STATUS_COLOURS.get(s, '#DDDDDD')};color:white'>"
                         f"&nbsp;{status_label(s)} {n}&nbsp;</span>" for s, n in counts.items())
        return tr("<b>Check-up {}</b>: {} indicator values. {}").format(
            snapshot.report.year, sum(counts.values()), chips)

    # -- UI -> model -----------------------------------------------------------------------

    def _on_region(self, _index: int) -> None:
        self.region = self.regions.currentData() or ALL
        self._fill_table()
