"""The analysis controller: runs the conflict check and the check-up on the DB worker (progress,
cancel), ties the conflict list to the map, and hands a conflict to the review controller as a
new comment (area anchor + generated text) for the round or for one party."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.analysis.checkup import current_year
from app.analysis.engine import Conflict
from app.editing import analysis_jobs as jobs
from app.views.check_panel import CheckDecisions, CheckPanel
from app.views.comment_dialog import CommentDialog
from app.views.evaluation_view import EvaluationController
from app.views.i18n import tr
from app.views.indicator_dashboard import IndicatorDashboard
from app.views.worker import message_of

if TYPE_CHECKING:
    from app.views.main_window import MainWindow
    from app.views.review_docks import ReviewController

log = logging.getLogger(__name__)


class AnalysisController(QObject):
    """Owns the check panel and the indicator dashboard; the window docks both."""

    check_finished = Signal(object)  # CheckOutcome, or the exception
    checkup_shown = Signal(object)  # IndicatorSnapshot, or the exception
    recorded = Signal(int)

    def __init__(self, window: MainWindow, review: ReviewController) -> None:
        super().__init__(window)
        self.window, self.review = window, review
        self.check_panel, self.indicators = CheckPanel(), IndicatorDashboard(current_year())
        self.check_job = None
        self.check_panel.run_requested.connect(self.run_check)
        self.check_panel.cancel_requested.connect(self.cancel_check)
        self.check_panel.conflict_chosen.connect(self.show_conflict)
        self.check_panel.send_requested.connect(self.send_conflict)
        self.indicators.run_requested.connect(self.run_checkup)
        self.indicators.record_requested.connect(self.record_checkup)
        # A coordinator's decisions on conflicts, and the five-year evaluation window (#16).
        self.decisions = CheckDecisions(self.check_panel, self._call)
        self.evaluation = EvaluationController(window, self._call)
        self.indicators.evaluation_requested.connect(self.evaluation.show)
        self.path = None  # the project the results belong to
        window.loaded.connect(self._on_loaded)

    def _on_loaded(self, data) -> None:
        """A reload (after a pull) keeps the results; another project clears them."""
        self.check_panel.set_project(data.role == "coordinator")
        if data.path != self.path:
            self.path = data.path
            self.check_panel.set_outcome(None)
            self.indicators.show_snapshot(None)
            self.evaluation.clear()

    def retranslate(self) -> None:
        self.check_panel.retranslate()
        self.indicators.retranslate()
        self.evaluation.retranslate()

    def _call(self, fn, *args, **kwargs):
        if self.window.worker is None:  # shutting down
            return None
        return self.window.worker.call(fn, *args, **kwargs)

    # -- the conflict check ----------------------------------------------------------------

    def run_check(self, paths: list[str]) -> None:
        """Check the open project ([]) or the merged state of `paths`, with progress."""
        self.check_panel.set_running(True)
        self.check_job = self._call(
            jobs.check_steps, list(paths),
            progress=lambda p: self.check_panel.set_progress(p.done, p.total, p.message),
            done=self._on_checked, error=self._on_check_failed, name="check")

    def check_files(self) -> None:
        """The coordinator chooses project files; the merged check runs on them."""
        self.window.show_dock("check")
        if not self.check_panel.files_mode.isEnabled():
            self.window.show_message(tr("Only coordinators check several projects together."))
        elif self.check_panel.choose_files():
            self.run_check(self.check_panel.paths)

    def cancel_check(self) -> None:
        if self.check_job is not None:
            self.check_job.cancel.set()  # the worker stops between two steps

    def _on_checked(self, outcome: jobs.CheckOutcome) -> None:
        self.check_job = None
        result = outcome.result
        self.check_panel.finished(tr("Check finished: {} conflicts.").format(len(result.conflicts)))
        self.check_panel.set_outcome(outcome)
        self.check_panel.set_statuses(outcome.statuses)
        self.check_finished.emit(outcome)

    def _on_check_failed(self, exc: Exception) -> None:
        self.check_job = None
        self.check_panel.finished(message_of(exc))
        self.window.marks.clear()
        self.check_finished.emit(exc)

    def show_conflict(self, conflict: Conflict | None) -> None:
        """Mark the conflict's geometry on the map and zoom to it."""
        if conflict is None:
            self.window.marks.clear()
        else:
            self.window.marks.show([conflict.geometry])

    def send_conflict(self, conflict: Conflict, party: str = "") -> CommentDialog:
        """A new comment on the conflict (for the round, or addressed to `party`)."""
        body = jobs.conflict_body(conflict, self.check_panel.outcome, party or None)
        return self.review.new_comment([jobs.area_anchor(conflict)], body)

    # -- the check-up ----------------------------------------------------------------------

    def run_checkup(self, year: int) -> None:
        self.indicators.set_running(True)
        self.indicators.set_year(year)
        self._call(jobs.checkup_steps, year,
                   progress=lambda p: self.indicators.set_progress(p.done, p.total, p.message),
                   done=self._on_checkup, error=self._on_checkup_failed, name="checkup")

    def _on_checkup(self, snapshot: jobs.IndicatorSnapshot) -> None:
        self.indicators.show_snapshot(snapshot)
        self.indicators.set_running(False)
        self.checkup_shown.emit(snapshot)

    def _on_checkup_failed(self, exc: Exception) -> None:
        self.indicators.set_running(False)
        self.indicators.note.setText(message_of(exc))
        self.checkup_shown.emit(exc)

    def record_checkup(self) -> None:
        snapshot = self.indicators.snapshot
        if snapshot is None:
            return

        def done(rows: int) -> None:
            self.indicators.note.setText(tr("Recorded the {} check-up ({} rows).").format(
                snapshot.report.year, rows))
            self.recorded.emit(rows)
        self._call(jobs.record_checkup, snapshot.report, done=done, error=self._on_checkup_failed,
                   name="record checkup")
