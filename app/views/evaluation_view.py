"""The five-year evaluation (五年一评估) window: pick the year and the base year, run the
evaluation on the DB worker with progress, and read each indicator per city and metro-wide —
base value, this year's value, 2035 target, progress against the timing, the assessment in its
colour and the trend to 2035 — as a table filtered by region and as the core's chart; save the
table as XLSX (app/analysis/evaluation.py)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
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

from app.analysis.charts import ASSESSMENT_COLOURS
from app.analysis.checkup import fmt
from app.analysis.evaluation import (
    AHEAD,
    ALLOWANCE,
    BEHIND,
    BREACHED,
    DEFAULT_BASE_YEAR,
    GOAL,
    HOLD,
    KIND_ZH,
    NO_BASE,
    NO_TARGET,
    NO_VALUE,
    ON_TRACK,
    TARGET_YEAR,
    EvaluationRow,
)
from app.analysis.indicators import METRO
from app.editing import analysis_jobs as jobs
from app.editing.analysis_jobs import EvaluationSnapshot
from app.views import dialogs
from app.views.chart_view import ChartView
from app.views.i18n import lang, tr
from app.views.indicator_dashboard import status_label
from app.views.signals import signals_blocked
from app.views.worker import message_of, show_progress

ALL = "*"
ASSESSMENT_COLUMN = 9
UNASSESSED = (NO_VALUE, NO_BASE, NO_TARGET)
# The core's assessment and kind words are Chinese data (they go into the published table).
ENGLISH = {AHEAD: "ahead", ON_TRACK: "on track", BEHIND: "behind", BREACHED: "limit breached",
           NO_VALUE: "no value this year", NO_BASE: "no base value", NO_TARGET: "no 2035 target",
           GOAL: "goal", ALLOWANCE: "allowance", HOLD: "hold"}


def word(zh: str) -> str:
    """An assessment or kind word in the interface language."""
    return zh if lang() == "zh" else ENGLISH.get(zh, zh)


def share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


# File chooser: module level so that tests can answer it.
def choose_save_path(parent: QWidget, title: str, name: str, pattern: str) -> str:
    return QFileDialog.getSaveFileName(parent, title, name, pattern)[0]


class EvaluationView(QWidget):
    """Requests: run(year, base year), save(path). The region filters the table (view state)."""

    run_requested = Signal(int, int)
    save_requested = Signal(str)

    def __init__(self, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.snapshot: EvaluationSnapshot | None = None
        self.region = ALL
        self.year, self.base_year = QSpinBox(), QSpinBox()
        self.year.setRange(1950, TARGET_YEAR)
        self.base_year.setRange(1950, TARGET_YEAR - 1)
        self.year.setValue(year)
        self.base_year.setValue(DEFAULT_BASE_YEAR)
        self.run_button, self.save_button = QPushButton(), QPushButton()
        self.run_button.clicked.connect(
            lambda: self.run_requested.emit(self.year.value(), self.base_year.value()))
        self.save_button.clicked.connect(self._on_save)
        self.regions = QComboBox()
        self.regions.currentIndexChanged.connect(self._on_region)
        self.assessed_only = QCheckBox()
        self.assessed_only.toggled.connect(lambda _: self._fill_table())
        self.progress, self.summary, self.note = QProgressBar(), QLabel(), QLabel()
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.note.setWordWrap(True)
        self.table = QTableWidget(0, 12)
        self.table.verticalHeader().setVisible(False)
        self.chart = ChartView()
        self.labels = [QLabel() for _ in range(3)]  # year, base year, region
        self._lay_out()
        self.resize(1500, 850)
        self.retranslate()

    def _lay_out(self) -> None:
        head = QHBoxLayout()
        year_label, base_label, region_label = self.labels
        for widget in (year_label, self.year, base_label, self.base_year, self.run_button,
                       region_label, self.regions, self.assessed_only, self.save_button, self.progress):
            head.addWidget(widget)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(self.chart)
        split.setSizes([850, 650])
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        layout.addWidget(self.note)

    def retranslate(self) -> None:
        self.setWindowTitle(tr("Five-year evaluation"))
        for label, text in zip(self.labels, (tr("Year"), tr("Base year"), tr("Region")), strict=True):
            label.setText(text)
        self.run_button.setText(tr("Run evaluation"))
        self.save_button.setText(tr("Save XLSX…"))
        self.assessed_only.setText(tr("Assessed only"))
        self.assessed_only.setToolTip(tr("Hide indicators without this year's value, a base value or "
                                         "a 2035 target"))
        self.table.setHorizontalHeaderLabels([
            tr("Indicator"), tr("Unit"), tr("Region"), tr("Type"), tr("Base value"), tr("Value"),
            tr("2035 target"), tr("Progress"), tr("Timing"), tr("Assessment"), tr("Trend per year"),
            tr("2035 by trend")])
        self.show_snapshot(self.snapshot)

    # -- model -> UI -----------------------------------------------------------------------

    def set_running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.save_button.setEnabled(not running and self.snapshot is not None)
        self.progress.setRange(0, 0 if running else 1)
        self.progress.setValue(0 if running else 1)

    def set_progress(self, done: int, total: int, message: str = "") -> None:
        show_progress(self.progress, self.note, done, total, message)

    def show_snapshot(self, snapshot: EvaluationSnapshot | None) -> None:
        self.snapshot = snapshot
        self.save_button.setEnabled(snapshot is not None)
        self._fill_regions()
        self._fill_table()
        if snapshot is None:
            self.summary.setText(tr("Run the evaluation to see progress towards the 2035 targets."))
            self.note.clear()
            return
        self.note.setText(snapshot.report.note)
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

    def rows(self) -> list[EvaluationRow]:
        """The rows the table shows: the evaluation's, in the chosen region (and assessed ones only
        when asked)."""
        if self.snapshot is None:
            return []
        hide = UNASSESSED if self.assessed_only.isChecked() else ()
        return [r for r in self.snapshot.report.rows
                if self.region in (ALL, r.region) and r.assessment not in hide]

    def _fill_table(self) -> None:
        rows = self.rows()
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            for column, text in enumerate(self._cells(r)):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                item.setToolTip(r.indicator)
                if column == ASSESSMENT_COLUMN:
                    colour = ASSESSMENT_COLOURS.get(r.assessment)
                    item.setBackground(QColor(colour or "#DDDDDD"))
                    item.setForeground(QColor("white" if colour else "black"))
                self.table.setItem(i, column, item)
        self.table.resizeColumnsToContents()
        self.summary.setText(self._summary_html(rows) if self.snapshot else "")

    def _cells(self, r: EvaluationRow) -> tuple[str, ...]:
        report = self.snapshot.report
        name, unit = self.snapshot.indicators.get(r.indicator, (r.indicator, ""))
        kind = KIND_ZH.get(r.kind, "—") if lang() == "zh" else ENGLISH.get(r.kind, "—")
        base = "—" if r.base_value is None else f"{fmt(r.base_value)} ({report.base_year})"
        slope = "—" if r.slope is None else fmt(r.slope, signed=True)
        projected = ("—" if r.projected is None else
                     f"{fmt(r.projected)} ({status_label(r.projected_status)})" if r.projected_status
                     else fmt(r.projected))
        return (name, unit, report.region_names.get(r.region, r.region), kind, base, fmt(r.value),
                fmt(r.target), share(r.progress), share(r.timing), word(r.assessment), slope, projected)

    def _summary_html(self, rows: list[EvaluationRow]) -> str:
        counts: dict[str, int] = {}
        for r in rows:
            counts[r.assessment] = counts.get(r.assessment, 0) + 1
        chips = " ".join(f"<span style='background:{ASSESSMENT_COLOURS.get(a, '#DDDDDD')};"
                         f"color:{'white' if a in ASSESSMENT_COLOURS else 'black'}'>"
                         f"&nbsp;{word(a)} {n}&nbsp;</span>" for a, n in counts.items())
        report = self.snapshot.report
        return tr("<b>Evaluation {}</b> (base year {}, {} of the plan period gone): {}").format(
            report.year, report.base_year, share(report.timing), chips)

    # -- UI -> model -----------------------------------------------------------------------

    def _on_region(self, _index: int) -> None:
        self.region = self.regions.currentData() or ALL
        self._fill_table()

    def _on_save(self) -> None:
        if self.snapshot is None:
            return
        report = self.snapshot.report
        path = choose_save_path(self, tr("Save the evaluation"), f"evaluation-{report.year}.xlsx",
                                tr("Excel workbooks (*.xlsx)"))
        if path:
            self.save_requested.emit(path)


class EvaluationController(QObject):
    """Opens the evaluation window and runs its jobs on the DB worker."""

    evaluated = Signal(object)  # EvaluationSnapshot, or the exception
    saved = Signal(str)

    def __init__(self, parent: QWidget, call) -> None:
        super().__init__(parent)
        self.parent_widget, self.call = parent, call  # call(fn, *args, done=, ...): the worker
        self.view: EvaluationView | None = None
        self.loaded = False  # a project is open: the evaluation has something to read

    def show(self, year: int) -> EvaluationView:
        """The evaluation window, created on first use (its year starts at `year`)."""
        if self.view is None:
            self.view = EvaluationView(year, self.parent_widget)
            self.view.run_requested.connect(self.run)
            self.view.save_requested.connect(self.save)
        self.view.show()
        self.view.raise_()
        return self.view

    def retranslate(self) -> None:
        if self.view is not None:
            self.view.retranslate()

    def clear(self) -> None:
        """Another project was opened: its evaluation is not this one."""
        self.loaded = True
        if self.view is not None:
            self.view.show_snapshot(None)

    def run(self, year: int, base_year: int) -> None:
        if not self.loaded:
            self.view.note.setText(tr("Open a project first."))
            return
        self.view.set_running(True)
        self.call(jobs.evaluation_steps, year, base_year, name="evaluation",
                  progress=lambda p: self.view.set_progress(p.done, p.total, p.message),
                  done=self._on_done, error=self._on_failed)

    def _on_done(self, snapshot: EvaluationSnapshot) -> None:
        self.view.show_snapshot(snapshot)
        self.view.set_running(False)
        self.evaluated.emit(snapshot)

    def _on_failed(self, exc: Exception) -> None:
        self.view.set_running(False)
        self.view.note.setText(message_of(exc))
        self.evaluated.emit(exc)

    def save(self, path: str) -> None:
        def done(written) -> None:
            self.view.note.setText(tr("Saved the evaluation to {}.").format(written))
            self.saved.emit(str(written))

        def failed(exc: Exception) -> None:
            self.view.note.setText(message_of(exc))
            dialogs.error(self.view, message_of(exc))

        self.call(jobs.save_evaluation, self.view.snapshot.report, path, done=done, error=failed,
                  name="save evaluation")
