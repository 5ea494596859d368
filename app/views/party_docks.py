"""The party controller: ties the Answers view, the reply dialog and the frozen-text dialog to
the DB worker. A party answers "no comment", replies to published answers (both through the
outbox, then a quiet review sync that leaves them queued when offline), reads each comment's
history, and comments on words of the plan text checked against the round's frozen draft."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QInputDialog

from app.editing import party_jobs as jobs
from app.editing.review_jobs import clause_anchor
from app.views import dialogs
from app.views.answers_panel import AnswersPanel, round_name
from app.views.confirm_dialog import ConfirmDialog
from app.views.frozen_text import FrozenTextDialog
from app.views.i18n import tr
from app.views.worker import PanelController, message_of

if TYPE_CHECKING:
    from app.views.main_window import MainWindow
    from app.views.review_docks import ReviewController

log = logging.getLogger(__name__)


class PartyController(PanelController):
    """Owns the Answers view (`panel`); the window docks it beside the comments."""

    party_shown = Signal(object)  # PartyData
    history_shown = Signal(object)  # History, or the exception
    written = Signal(object)  # outbox item id, or the exception
    sent = Signal(object)  # SyncReport, None (offline: kept in the outbox), or the exception
    clause_checked = Signal(object)  # ClauseCheck, or the exception
    invitations_refreshed = Signal(object)  # how many were fetched, or the exception

    def __init__(self, window: MainWindow, review: ReviewController) -> None:
        super().__init__(window)
        self.window, self.review = window, review
        self.panel = AnswersPanel()
        self.confirm_dialog: ConfirmDialog | None = None
        self.frozen_dialog: FrozenTextDialog | None = None
        self._last: tuple[str, int] = ("", 0)
        self.panel.no_comment_requested.connect(self.no_comment)
        self.panel.confirm_requested.connect(self.open_confirm)
        self.panel.history_requested.connect(self.load_history)
        self.panel.sync_requested.connect(review.sync)
        review.data_shown.connect(lambda _data: self.reload())  # after every load of the review
        review.synced.connect(self._on_synced)

    def retranslate(self) -> None:
        for widget in (self.panel, self.confirm_dialog, self.frozen_dialog):
            if widget is not None:
                widget.retranslate()

    def reload(self) -> None:
        self._call(jobs.party_view, done=self._show, name="answers")

    def _show(self, data: jobs.PartyData | None) -> None:
        if data is None:  # no project open at that moment: the next load shows it
            return
        self.panel.show_data(data)
        self.party_shown.emit(data)

    def _on_synced(self, report) -> None:
        """After a review sync: this party's invitations in detail (due dates, reminders)."""
        if isinstance(report, Exception):
            return

        def done(count: int) -> None:
            self._call(jobs.party_view, name="answers",
                       done=lambda data: (self._show(data), self.invitations_refreshed.emit(count)))

        def error(exc: Exception) -> None:  # the invitations stay as the rounds list shows them
            log.info("invitations not refreshed: %s", exc)
            self.invitations_refreshed.emit(exc)
        self._call(jobs.refresh_invitations, done=done, error=error, name="invitations")

    def show_panel(self) -> None:
        self.window.show_dock("answers")

    def load_history(self, comment_id: str) -> None:
        def error(exc: Exception) -> None:
            self.panel.show_history_error(message_of(exc))
            self.history_shown.emit(exc)

        def done(history: jobs.History) -> None:
            self.panel.show_history(history)
            self.history_shown.emit(history)
        self._call(jobs.history, comment_id, done=done, error=error, name="history")

    # -- "no comment" ----------------------------------------------------------------------

    def no_comment(self, number: int | None = None) -> None:
        """Answer an open invitation with "no comment" (asks which round when several wait)."""
        invitations = self.panel.data.invitations if self.panel.data else ()
        if number is None:
            number = self._choose_round(invitations)
            if number is None:
                return
        name = next((round_name(i) for i in invitations if i.number == number), str(number))
        if not dialogs.confirm(self.window, tr("Answer {} with “no comment”? Your party then "
                                               "sends no comments in this round.").format(name)):
            return
        self._write(jobs.write_no_comment, number, name="no comment")

    def _choose_round(self, invitations) -> int | None:
        if not invitations:
            dialogs.error(self.window, tr("No round is waiting for your party's comments "
                                          "(review sync brings new invitations)."))
            return None
        if len(invitations) == 1:
            return invitations[0].number
        names = [round_name(i) for i in invitations]
        chosen, ok = QInputDialog.getItem(self.window, tr("No comment"), tr("Round"), names, 0, False)
        return invitations[names.index(chosen)].number if ok else None

    # -- replies to answers ----------------------------------------------------------------

    def open_confirm(self, comment_id: str) -> ConfirmDialog | None:
        item = next((i for i in self.panel.data.items if i.id == comment_id), None) if self.panel.data else None
        if item is None or not item.can_confirm:
            return None
        if self.confirm_dialog is not None:
            self.confirm_dialog.close()
        dialog = self.confirm_dialog = ConfirmDialog(item, self.window)
        dialog.confirmed.connect(lambda cid, ok, note: self._write(
            jobs.write_confirmation, cid, ok, note, name="confirm", dialog=dialog))
        dialog.show()
        return dialog

    def _write(self, fn, *args, name: str, dialog: ConfirmDialog | None = None) -> None:
        """Write to the outbox, then try to send at once."""
        def done(item_id: str) -> None:
            if dialog is not None:
                dialog.accept()
            self.panel.show_message(tr("Saved to the outbox; sending…"))
            self.written.emit(item_id)
            self._send()

        def error(exc: Exception) -> None:
            if dialog is not None:
                dialog.show_error(message_of(exc))
            else:
                self._failed(exc)
            self.written.emit(exc)
        self._call(fn, *args, done=done, error=error, name=name)

    def _send(self) -> None:
        def done(report) -> None:
            self.panel.show_message(
                tr("Not sent: the server cannot be reached. The outbox keeps it for the next "
                   "review sync.") if report is None else
                tr("Review sync: {} sent, {} refused, {} comments visible.").format(
                    report.sent, len(report.refused), report.pulled))
            self.review.load_local()  # the comments panel and this view show the new state
            self.sent.emit(report)

        def error(exc: Exception) -> None:
            self.panel.show_message(tr("Kept in the outbox, not sent: {}").format(message_of(exc)))
            self.review.load_local()
            self.sent.emit(exc)
        self._call(jobs.send_quietly, done=done, error=error, name="review-sync")

    # -- clause anchors --------------------------------------------------------------------

    def checks_clauses(self) -> bool:
        """Whether rounds are known (a review sync ran): then clauses are checked on the frozen draft."""
        data = self.review.panel.data
        return bool(data and data.state.rounds)

    def comment_on_clause(self, section: str, quote: str, position: int) -> None:
        """Words chosen in the plan text: a comment dialog once they are found in the round's
        frozen draft; the frozen text to choose them in when the project's text differs."""
        number = self.review.default_round()
        self._last = (quote, position)  # anchored unchecked when no frozen draft is known
        self._call(jobs.check_clause, number, section, self._shown_text(section), quote, position,
                   done=self._on_clause_checked, error=self._on_clause_failed, name="clause")

    def _shown_text(self, section: str) -> str:
        panel = self.window.content.panel
        if panel.draft is not None and panel.draft.section.id == section:
            return panel.draft.values["body_zh"]
        return panel.data.content.get(section).body_zh if panel.data and section in panel.data.content else ""

    def _on_clause_checked(self, check: jobs.ClauseCheck) -> None:
        if check.anchor is not None:
            self.review.new_comment([check.anchor])
        elif check.problem == "no_draft":
            self.window.show_message(tr("Round {} has no frozen draft in the local copy: the "
                                        "server checks the clause when the comment is sent.").format(check.number))
            self.review.new_comment([clause_anchor(check.section, *self._last)])
        elif check.problem == "no_section":
            dialogs.error(self.window, tr("Section {} is not in the draft round {} froze: it cannot "
                                          "be commented on in this round.").format(check.section, check.number))
        else:
            self._show_frozen(check)
        self.clause_checked.emit(check)

    def _on_clause_failed(self, exc: Exception) -> None:
        self._failed(exc)
        self.clause_checked.emit(exc)

    def _show_frozen(self, check: jobs.ClauseCheck) -> FrozenTextDialog:
        if self.frozen_dialog is not None:
            self.frozen_dialog.close()
        dialog = self.frozen_dialog = FrozenTextDialog(check.number, check.section, check.frozen, self.window)
        dialog.clause_chosen.connect(self._on_frozen_clause)
        dialog.show()
        return dialog

    def _on_frozen_clause(self, section: str, quote: str, position: int) -> None:
        self.frozen_dialog.close()
        self.review.new_comment([clause_anchor(section, quote, position)])
