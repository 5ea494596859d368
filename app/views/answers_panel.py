"""The Answers view of a party: its comments with the published answers (disposition, answer,
evidence), receipt times in Beijing time, its replies, and each comment's history (the first
answer and a "not satisfied" note stay visible after an answer is replaced). Above the list,
the rounds that still wait for the party's answer, with "No comment on round N…".

It only shows a PartyData and a History and emits requests; the party controller runs them.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.editing.party_jobs import AnswerItem, History, HistoryEntry, Invitation, PartyData
from app.review.times import beijing
from app.views.i18n import lang, tr
from app.views.review_panel import anchor_text
from app.views.review_texts import bilingual, disposition_text, reason_text, status_text

ID_ROLE = Qt.ItemDataRole.UserRole
STATUS_COLOURS = {"answered": "#1971C2", "satisfied": "#2F9E44", "reopened": "#C92A2A"}


def when(at: str | None) -> str:
    """A UTC time in Beijing time, in the interface language."""
    return beijing(at, lang()) if at else "—"


def round_name(invitation: Invitation) -> str:
    """The round's title, else "Round N"."""
    return bilingual(invitation.title) or tr("Round {}").format(invitation.number)


def invitation_text(i: Invitation) -> str:
    """One invitation: due date, overdue, reminders ("Round 2 invites your party (due …).")."""
    text = (tr("{} invites your party (due {}).").format(round_name(i), i.due) if i.due
            else tr("{} invites your party.").format(round_name(i)))
    if i.overdue:
        text += " " + tr("Overdue.")
    if i.reminded:
        text += " " + tr("Reminded {} time(s).").format(i.reminded)
    return text


def evidence_text(change: dict) -> str:
    """One change reference of an answer: a change set or a revision of a section's text."""
    if change.get("kind") == "changeset":
        return tr("Change set {} (data version {}, {})").format(
            str(change.get("id", ""))[:8], change.get("version", "?"), change.get("party", ""))
    if change.get("kind") == "text":
        return tr("Text of section {} (revision {})").format(
            change.get("section", ""), str(change.get("revision", ""))[:8])
    return str(change.get("id") or change)


def answer_html(answer: dict, title: str) -> str:
    """A published answer: disposition, reason, text and the evidence it cites."""
    e = html.escape
    parts = [f"<p><b>{e(title)}: {e(disposition_text(answer.get('disposition')))}</b>"]
    if answer.get("reason"):
        parts.append(f" · {e(reason_text(answer['reason']))}")
    parts.append(f"<br>{e(bilingual(answer.get('answer')))}</p>")
    changes = answer.get("changes") or []
    if changes:
        items = "".join(f"<li>{e(evidence_text(c))}</li>" for c in changes)
        parts.append(f"<p>{e(tr('Evidence'))}:</p><ul>{items}</ul>")
    return "".join(parts)


def item_html(item: AnswerItem, received: str = "") -> str:
    """One comment: text, times, status, its answer and the party's reply; `received` is the
    receipt time from the history when the comment's view does not carry it."""
    e = html.escape
    received = item.received or received
    received = when(received) if received else tr("not yet received by the server")
    late = f" <span style='color:#C92A2A'>{e(tr('late'))}</span>" if item.late else ""
    parts = [f"<p><b>{e(tr('Round'))} {item.round}</b> · {e(status_text(item.status))}</p>",
             f"<p>{e(bilingual(item.body))}</p>",
             *(f"<p style='color:#495057'>{e(anchor_text(a))}</p>" for a in item.anchors),
             f"<p style='color:#495057'>{e(tr('Received'))}: {e(received)}{late}<br>"
             f"{e(tr('Written at'))}: {e(when(item.written))}</p>"]
    if item.answer:
        parts.append(answer_html(item.answer, tr("Published answer")))
    else:
        parts.append(f"<p><i>{e(tr('No answer published yet.'))}</i></p>")
    if item.confirmation:
        parts.append(reply_html(item.confirmation["satisfied"], item.confirmation.get("note", ""),
                                when(item.confirmation.get("at"))))
    elif item.reply:
        parts.append(reply_html(item.reply["satisfied"], item.reply.get("note", ""),
                                tr("in the outbox, sent by the next review sync")))
    return "".join(parts)


def reply_html(satisfied: bool, note: str, at: str) -> str:
    e = html.escape
    said = tr("Satisfied") if satisfied else tr("Not satisfied")
    text = f"<p><b>{e(tr('Your reply'))}: {e(said)}</b> ({e(at)})"
    return text + (f"<br>{e(note)}</p>" if note else "</p>")


def history_html(history: History) -> str:
    """The history, oldest first; replaced answers and replies to them are marked."""
    e = html.escape
    rows = [f"<li>{e(when(h.at))} — {entry_text(h)}</li>" for h in history.entries]
    head = f"<p><i>{e(tr('Kept copy (the server could not be reached).'))}</i></p>" if history.offline else ""
    return head + (f"<ul>{''.join(rows)}</ul>" if rows else f"<p>{e(tr('No history.'))}</p>")


def entry_text(h: HistoryEntry) -> str:
    """One history line as HTML."""
    e = html.escape
    if h.kind == "publish":
        mark = "" if h.current else f" <i>({e(tr('replaced'))})</i>"
        answer = h.answer or {}
        return (f"<b>{e(tr('Answer published'))}</b>{mark}: {e(disposition_text(answer.get('disposition')))}"
                f" — {e(bilingual(answer.get('answer')))}")
    if h.kind == "confirm":
        said = tr("Satisfied") if h.satisfied else tr("Not satisfied")
        mark = "" if h.current else f" <i>({e(tr('on a replaced answer'))})</i>"
        note = f": {e(h.note)}" if h.note else ""
        return f"<b>{e(tr('Your reply'))}: {e(said)}</b>{mark}{note}"
    names = {"comment": tr("Comment received"), "withdraw": tr("Comment withdrawn"),
             "anchor.migrate": tr("Anchors checked against a new draft"),
             "anchor.review": tr("Anchor reviewed")}
    return e(names.get(h.kind, h.kind))


class AnswersPanel(QWidget):
    """Requests: no comment on a round, confirm a comment's answer, its history, review sync."""

    no_comment_requested = Signal(int)  # round number
    confirm_requested = Signal(str)  # comment id
    history_requested = Signal(str)  # comment id
    sync_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: PartyData | None = None
        self.history: History | None = None
        self._build()
        self.retranslate()

    def _build(self) -> None:
        self.invitation_label = QLabel()
        self.invitation_label.setWordWrap(True)
        self.no_comment_button = QPushButton()
        self.no_comment_button.clicked.connect(self._on_no_comment)
        self.sync_button = QPushButton()
        self.sync_button.clicked.connect(self.sync_requested)
        self.confirm_button = QPushButton()
        self.confirm_button.clicked.connect(lambda: self.current and self.confirm_requested.emit(self.current.id))
        self.list = QTreeWidget()
        self.list.setRootIsDecorated(False)
        self.list.setColumnCount(4)
        self.list.currentItemChanged.connect(self._on_current)
        self.detail = QTextBrowser()  # the comment, its answer, then its history
        self.status = QLabel()
        self.status.setWordWrap(True)
        self._lay_out()

    def _lay_out(self) -> None:
        buttons = QHBoxLayout()  # the dock is narrow: "No comment on round N…" has a row
        for button in (self.sync_button, self.confirm_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.list)
        split.addWidget(self.detail)
        split.setSizes([120, 480])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.invitation_label)
        layout.addWidget(self.no_comment_button)
        layout.addLayout(buttons)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)

    def retranslate(self) -> None:
        self.list.setHeaderLabels([tr("Round"), tr("Status"), tr("Disposition"), tr("Comment")])
        self.sync_button.setText(tr("Review sync"))
        self.confirm_button.setText(tr("Confirm…"))
        history = self.history
        self.show_data(self.data)
        if history is not None:
            self.show_history(history)

    # -- model -> UI -----------------------------------------------------------------------

    @property
    def current(self) -> AnswerItem | None:
        item = self.list.currentItem()
        if item is None or self.data is None:
            return None
        return next((i for i in self.data.items if i.id == item.data(0, ID_ROLE)), None)

    def show_data(self, data: PartyData | None) -> None:
        """Show the party's comments (the chosen one stays chosen) and its open invitations."""
        keep = self.current.id if self.current else None
        self.data = data
        self._show_invitations(data.invitations if data else ())
        self.list.blockSignals(True)
        self.list.clear()
        for answer in data.items if data else ():
            row = QTreeWidgetItem(self.list, [str(answer.round), status_text(answer.status),
                                              disposition_text((answer.answer or {}).get("disposition")),
                                              bilingual(answer.body)[:80]])
            row.setData(0, ID_ROLE, answer.id)
            row.setForeground(1, QBrush(QColor(STATUS_COLOURS.get(answer.status, "#212529"))))
        self.list.blockSignals(False)
        ids = [i.id for i in data.items] if data else []
        chosen = keep if keep in ids else (ids[0] if ids else None)
        self.select(chosen)

    def _show_invitations(self, invitations: tuple[Invitation, ...]) -> None:
        first = invitations[0] if invitations else None
        self.no_comment_button.setVisible(first is not None)
        if first is None:
            self.invitation_label.setText(tr("No round is waiting for your party's comments."))
            return
        self.no_comment_button.setText(tr("No comment on round {}…").format(first.number))
        self.invitation_label.setText("\n".join(invitation_text(i) for i in invitations))

    def select(self, comment_id: str | None) -> None:
        """Choose a listed comment (None: none); choosing the chosen one shows it afresh."""
        items = (self.list.topLevelItem(i) for i in range(self.list.topLevelItemCount()))
        target = next((item for item in items if item.data(0, ID_ROLE) == comment_id), None)
        if target is self.list.currentItem():
            self._on_current(target, None)
        else:
            self.list.setCurrentItem(target)

    def show_history(self, history: History) -> None:
        if self.current is None or history.comment != self.current.id:
            return  # an answer for a comment no longer chosen
        self.history = history
        received = next((h.at for h in history.entries if h.kind == "comment"), "")
        self.detail.setHtml(item_html(self.current, received) + self._history_head()
                            + history_html(history))

    def show_history_error(self, text: str) -> None:
        if self.current is not None:
            self.detail.setHtml(item_html(self.current) + self._history_head() + "<p>"
                                + html.escape(tr("History not available: {}").format(text)) + "</p>")

    def _history_head(self) -> str:
        return f"<hr><p><b>{html.escape(tr('History'))}</b></p>"

    def show_message(self, text: str) -> None:
        self.status.setText(text)

    # -- UI -> model -----------------------------------------------------------------------

    def _on_no_comment(self) -> None:
        if self.data and self.data.invitations:
            self.no_comment_requested.emit(self.data.invitations[0].number)

    def _on_current(self, _current, _previous) -> None:
        item = self.current
        self.confirm_button.setEnabled(bool(item and item.can_confirm))
        self.history = None
        if item is None:
            self.detail.setHtml(f"<p>{html.escape(tr('Your party has no comments here yet.'))}</p>")
            return
        self.detail.setHtml(item_html(item))
        self.history_requested.emit(item.id)

