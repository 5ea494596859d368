"""The review controller: ties the comment panel, comment dialog, disposition editor, round
dashboard and sign-off dialog to the DB worker and the map. Every read and write of the project,
the archive, the release folder or the server is a worker job; results come back to the panels
(and to signals tests wait on)."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal

from app.editing import review_jobs as jobs
from app.editing.review_jobs import ReviewData, choices_from_log, feature_anchor
from app.review import model as M
from app.views.comment_dialog import CommentDialog
from app.views.i18n import lang, tr
from app.views.review_panel import ReviewPanel
from app.views.round_dashboard import RoundDashboard
from app.views.signoff_dialog import SignoffDialog
from app.views.worker import PanelController, message_of

if TYPE_CHECKING:
    from app.views.main_window import MainWindow

log = logging.getLogger(__name__)


class ReviewController(PanelController):
    """Owns the review panels; the window docks `panel` and `dashboard`."""

    data_shown = Signal(object)  # ReviewData
    comment_saved = Signal(str)  # comment id
    synced = Signal(object)  # SyncReport, or the exception
    decided = Signal(object)  # pulled count, or the exception
    summary_shown = Signal(object)  # RoundSummary
    release_shown = Signal(object)  # ReleaseStatus, or the exception

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.panel, self.dashboard = ReviewPanel(), RoundDashboard()
        self.signoff: SignoffDialog | None = None
        self.round_manager = None  # the coordinator's round manager (RoundController), made when first opened
        self.dialog: CommentDialog | None = None
        self.archive: str | None = None  # None: the local copy
        self.sync_job = None
        p = self.panel
        p.sync_requested.connect(self.sync)
        p.archive_requested.connect(self.load_archive)
        p.local_requested.connect(self.load_local)
        p.new_comment_requested.connect(self.comment_on_selection)
        p.dashboard_requested.connect(self.show_dashboard)
        p.anchor_requested.connect(self.show_anchor)
        p.editor.decide_requested.connect(self.decide)
        self.dashboard.refresh_requested.connect(self.refresh_summary)
        self.dashboard.round_chosen.connect(self.filter_round)
        window.loaded.connect(self._on_loaded)
        window.history_shown.connect(lambda s: p.editor.set_changesets(choices_from_log(s.log)))

    def retranslate(self) -> None:
        for widget in (self.panel, self.dashboard, self.signoff, self.dialog):
            if widget is not None:
                widget.retranslate()

    # -- loading ---------------------------------------------------------------------------

    def _on_loaded(self, _data) -> None:
        self.window.marks.clear()
        self.reload()  # the same source, seen with the (new) project's party and role

    def reload(self) -> None:
        if self.archive:
            self.load_archive(self.archive)
        else:
            self.load_local()

    def load_local(self) -> None:
        """The comments pulled by the last review-sync, and the outbox."""
        self.archive = None
        self._call(jobs.load_local, done=self._show, name="review")

    def load_archive(self, path: str) -> None:
        """A review archive (events.jsonl), seen with this project's party and role."""
        self.archive = str(path)
        self._call(jobs.load_archive, self.archive, done=self._show, name="review archive")

    def _show(self, data: ReviewData) -> None:
        self.panel.show_data(data)
        self.data_shown.emit(data)
        if self.dashboard.isVisible():
            self.refresh_summary()

    # -- anchors ---------------------------------------------------------------------------

    def show_anchor(self, anchor: dict) -> None:
        """Select and zoom to an anchored feature; mark its snapshot or an area otherwise."""
        w = self.window
        if anchor["type"] == "feature":
            feature = w.store.get(anchor["layer"], anchor["uuid"])
            if feature is not None:
                w.marks.clear()
                w.selection.set(feature.layer, (feature.uuid,))
                w.map.zoom_to_bounds(w.store.bounds_of([feature]))
                return
            w.show_message(tr("The anchored feature is not in this project: showing its snapshot."))
        w.marks.show([jobs.anchor_geometry(anchor)])

    # -- writing comments ------------------------------------------------------------------

    def default_round(self) -> int:
        """The latest round taking comments, else the latest round, else 1."""
        data = self.panel.data
        rounds = sorted(data.state.rounds.items()) if data else []
        taking = [n for n, r in rounds if r.stage in M.COMMENT_STAGES]
        return (taking or [n for n, _ in rounds] or [1])[-1]

    def comment_on_selection(self) -> CommentDialog:
        """A new comment anchored to the selected map features (with geometry snapshots)."""
        w = self.window
        features = [w.store.get(w.selection.layer, u) for u in w.selection.uuids] if w.selection.layer else []
        return self.new_comment([feature_anchor(f) for f in features if f is not None])

    def comment_on_clause(self, section: str, quote: str, position: int) -> CommentDialog | None:
        """A new comment on a clause (for the deliverable's text view). Once rounds are known the
        party controller first checks the words against the round's frozen draft (None here)."""
        party = getattr(self.window, "party", None)
        if party is not None and party.checks_clauses():
            party.comment_on_clause(section, quote, position)
            return None
        dialog = self.new_comment()
        dialog.add_clause(section, quote, position)
        return dialog

    def new_comment(self, anchors: list[dict] = (), body: dict | None = None) -> CommentDialog:
        if self.dialog is not None:
            self.dialog.close()
        dialog = self.dialog = CommentDialog(self.default_round(), list(anchors), body, self.window)
        dialog.submitted.connect(lambda n, b, a: self.write(n, b, a, dialog))
        dialog.show()
        return dialog

    def write(self, number: int, body: dict, anchors: list[dict], dialog: CommentDialog | None = None) -> None:
        """Write the comment to the outbox on the worker; the dialog closes when it is stored."""
        def done(comment_id: str) -> None:
            if dialog is not None:
                dialog.accept()
            self.panel.show_message(tr("Comment saved to the outbox; review sync sends it."))
            self.comment_saved.emit(comment_id)
            self.reload()

        def error(exc: Exception) -> None:
            if dialog is not None:
                dialog.show_error(message_of(exc))
            else:
                self._failed(exc)
        self._call(jobs.write_comment, number, body, anchors, done=done, error=error, name="comment")

    # -- review-sync and decisions ---------------------------------------------------------

    def sync(self) -> None:
        """Send the outbox and pull the comments and answers this party may see."""
        self.panel.set_running(True)
        self.sync_job = self._call(
            jobs.review_sync, progress=lambda p: self.panel.set_progress(p.done, p.total, p.message),
            done=self._on_synced, error=self._on_sync_failed, name="review-sync")

    def _on_synced(self, report: jobs.SyncReport) -> None:
        self.panel.set_running(False)
        self.panel.show_message(tr("Review sync: {} sent, {} refused, {} comments visible.").format(
            report.sent, len(report.refused), report.pulled))
        self.load_local()
        self.synced.emit(report)

    def _on_sync_failed(self, exc: Exception) -> None:
        self.panel.set_running(False)
        self._failed(exc)
        self.synced.emit(exc)

    def decide(self, comments: list, disposition: str, fields: dict) -> None:
        """The coordinator's decision (online), then the local copy is pulled again."""
        def done(pulled: int) -> None:
            self.panel.show_message(tr("Decision recorded."))
            self.load_local()
            self.decided.emit(pulled)

        def error(exc: Exception) -> None:
            self._failed(exc)
            self.decided.emit(exc)
        self._call(jobs.decide, list(comments), disposition, fields, done=done, error=error, name="decide")

    # -- the round dashboard ---------------------------------------------------------------

    def show_dashboard(self) -> None:
        dock = self.window.docks["rounds"]
        dock.show()
        dock.raise_()
        self.refresh_summary()

    def refresh_summary(self) -> None:
        """Dashboard numbers and the adoption charts (matplotlib on the worker)."""
        data = self.panel.data
        if data is not None:
            self._call(jobs.round_summary, data, lang(), done=self._on_summary, name="round summary")

    def _on_summary(self, summary: jobs.RoundSummary) -> None:
        self.dashboard.show_summary(summary)
        self.summary_shown.emit(summary)

    def filter_round(self, number: int) -> None:
        """The comment panel lists round `number` only."""
        self.panel.set_filter(replace(self.panel.filter, round=number))
        self.window.docks["review"].raise_()

    # -- the coordinator's round manager -----------------------------------------------------

    def open_round_manager(self):
        """The round manager (coordinators only); None with a message for others."""
        from app.views.round_manager import RoundController
        if self.round_manager is None:
            self.round_manager = RoundController(self.window)
        return self.round_manager.open()

    # -- sign-off --------------------------------------------------------------------------

    def open_signoff(self, folder: str = "") -> SignoffDialog:
        if self.signoff is None:
            self.signoff = SignoffDialog(self.window)
            self.signoff.load_requested.connect(self.load_release)
            self.signoff.sign_requested.connect(self.sign_release)
        if folder:
            self.signoff.folder.setText(folder)
        self.signoff.show()
        self.signoff.raise_()
        return self.signoff

    def load_release(self, folder: str, keys: str = "") -> None:
        self._call(jobs.release_status, folder, keys or None, done=self._on_release,
                   error=self._on_release_failed, name="release")

    def sign_release(self, folder: str, key_file: str, action: str, keys: str = "") -> None:
        self._call(jobs.sign_release, folder, key_file, action, "", keys or None,
                   done=self._on_release, error=self._on_release_failed, name="sign")

    def _on_release(self, status: jobs.ReleaseStatus) -> None:
        self.signoff.show_status(status)
        self.release_shown.emit(status)

    def _on_release_failed(self, exc: Exception) -> None:
        self.signoff.show_error(message_of(exc))
        self.release_shown.emit(exc)
