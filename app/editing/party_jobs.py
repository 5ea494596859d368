"""A party's side of a comment round in the desktop, as jobs for the DB worker (Qt-free): its
open invitations and "no comment", its comments with their published answers, its reply to an
answer (satisfied, or not with a note), the history of one comment, and clause anchors checked
against the round's frozen draft.

Replies go through the outbox (`app.review.outbox`), so they can be written offline and are
sent by the next review sync; `send_quietly` tries at once and leaves them queued when the
server cannot be reached.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Generator
from dataclasses import dataclass, field

from app.editing import review_jobs
from app.errors import ConflictError, InvalidInput, NotFound, PermissionDenied, SyncError
from app.model.jobs import Progress
from app.project.project import Project
from app.review import model as M
from app.review import outbox

log = logging.getLogger(__name__)

DRAFT_META = "review_draft."  # + hash: a frozen draft's sections as JSON, kept for offline use
HISTORY_META = "review_history."  # + comment id: the history last fetched
INVITATION_META = "review_invitation."  # + round: this party's invitation as last fetched
LIVE = ("draft", "queued", "sent")  # outbox states of an item that was not refused


@dataclass(frozen=True)
class Invitation:
    """A round that invites this party and is still waiting for its answer."""

    number: int
    title: dict  # {"zh": ..., "en": ...}
    due: str | None  # ISO date: the invitation's own, else the round's
    overdue: bool = False  # the due date has passed with nothing received (as last fetched)
    reminded: int = 0  # reminders the office sent this party


@dataclass(frozen=True)
class AnswerItem:
    """One comment of this party as the Answers view lists it."""

    id: str
    round: int
    body: dict  # {"zh"|"en": text}
    status: str  # open, answered, satisfied, reopened, withdrawn
    written: str  # the client's "written at" (UTC ISO)
    received: str  # the server's receipt time (UTC ISO), '' when the view does not carry it
    late: bool
    answer: dict | None  # the published answer (Answer.to_json form)
    publication: str | None  # the publish event that carried `answer`
    confirmation: dict | None  # {satisfied, note, at, user} for `publication`
    reply: dict | None = None  # a reply waiting in the outbox {satisfied, note, state}
    anchors: tuple[dict, ...] = ()  # as the party wrote them (clauses, features, areas)

    @property
    def can_confirm(self) -> bool:
        """An answer is published and not replied to (here or on the server) yet."""
        return bool(self.publication) and self.confirmation is None and self.reply is None \
            and self.status == "answered"


@dataclass(frozen=True)
class PartyData:
    """What the Answers view shows."""

    party: str
    items: tuple[AnswerItem, ...]
    invitations: tuple[Invitation, ...]
    no_comment: tuple[int, ...] = ()  # rounds answered "no comment" from here (sent or queued)


@dataclass(frozen=True)
class HistoryEntry:
    """One event of a comment's history as the party may see it."""

    kind: str  # comment | withdraw | publish | confirm | anchor.migrate | anchor.review
    at: str  # the server's receipt time (UTC ISO)
    user: str
    answer: dict | None = None  # publish: the answer published for this comment
    publication: str = ""  # publish: its event id; confirm: the answer replied to
    satisfied: bool | None = None  # confirm
    note: str = ""  # confirm
    current: bool = False  # publish or confirm of the answer that stands now


@dataclass(frozen=True)
class History:
    """A comment's history; `offline` when it is the copy kept from the last fetch."""

    comment: str
    entries: tuple[HistoryEntry, ...] = field(default_factory=tuple)
    offline: bool = False


# --- reading the local copy -----------------------------------------------------------------

def _rounds(project: Project) -> list[dict]:
    return json.loads(project.meta(review_jobs.ROUNDS_META) or "[]")


def _outbox(project: Project, kind: str) -> list[dict]:
    return [{**item, "state": state} for state in LIVE for item in outbox.pending(project, state)
            if item["kind"] == kind]


def party_view(project: Project | None) -> PartyData | None:
    """The panel's job: load_party, or None when no project is open at that moment (a reload
    queued just as opening another file failed, before the window reopens its project)."""
    return None if project is None else load_party(project)


def load_party(project: Project) -> PartyData:
    """This party's comments with their answers, and the invitations it has not answered."""
    views = [v for v in outbox.local_comments(project) if v["comment"]["party"] == project.party]
    replies = {i["body"]["comment"]: {**i["body"], "state": i["state"]}
               for i in _outbox(project, "confirm") if i["state"] != "sent"}
    items = tuple(_item(v, replies.get(v["comment"]["id"])) for v in views)
    said_none = tuple(sorted({int(i["round"]) for i in _outbox(project, "no_comment")}))
    return PartyData(project.party, items, open_invitations(project, views, said_none), said_none)


def _item(view: dict, reply: dict | None) -> AnswerItem:
    c = view["comment"]
    return AnswerItem(c["id"], int(c["round"]), dict(c.get("body") or {}), view.get("status", "open"),
                      c.get("written", ""), view.get("received", ""), bool(view.get("late")),
                      view.get("answer"), view.get("publication"), view.get("confirmation"), reply,
                      tuple(c.get("anchors") or ()))


def open_invitations(project: Project, views: list[dict], said_none=()) -> tuple[Invitation, ...]:
    """Rounds taking comments that invite this party, with no comment and no "no comment" yet."""
    commented = {int(v["comment"]["round"]) for v in views}
    commented |= {int(i["round"]) for i in _outbox(project, "comment")}
    out = []
    for r in _waiting_rounds(project):
        number = int(r["number"])
        record = json.loads(project.meta(INVITATION_META + str(number)) or "{}")
        if number in commented or number in said_none or record.get("response", "none") != "none":
            continue  # answered: here, or from another machine of the party
        out.append(Invitation(number, dict(r.get("title") or {}), record.get("due") or r.get("due"),
                              bool(record.get("overdue")), len(record.get("reminded") or ())))
    return tuple(out)


def _waiting_rounds(project: Project) -> list[dict]:
    """Rounds taking comments that invite this party."""
    return [r for r in _rounds(project)
            if project.party in (r.get("invited") or ()) and r.get("stage") in M.COMMENT_STAGES]


def refresh_invitations(project: Project) -> int:
    """Fetch this party's invitation records (due date, response, overdue, reminders) of the
    rounds taking comments and keep them for offline reading; how many (after a review sync)."""
    api, count = review_jobs.review_api(project), 0
    for r in _waiting_rounds(project):
        detail = api.round(int(r["number"]))
        mine = [i for i in detail.get("invitations") or () if i.get("party") == project.party]
        if mine:
            project.set_meta(INVITATION_META + str(r["number"]), json.dumps(mine[0], ensure_ascii=False))
            count += 1
    return count


# --- writing replies ------------------------------------------------------------------------

def write_no_comment(project: Project, number: int) -> str:
    """Answer round `number`'s invitation with "no comment" in the outbox; its id."""
    if number not in [i.number for i in load_party(project).invitations]:
        raise ConflictError(f"round {number} has no open invitation for party {project.party}")
    return outbox.write_no_comment(project, number)


def write_confirmation(project: Project, comment_id: str, satisfied: bool, note: str = "") -> str:
    """Reply to the published answer of an own comment in the outbox; its id."""
    views = [v for v in outbox.local_comments(project) if v["comment"]["id"] == comment_id]
    if not views:
        raise NotFound(f"no comment {comment_id}")
    view = views[0]
    if view["comment"]["party"] != project.party:
        raise PermissionDenied(f"party {project.party} cannot confirm for party {view['comment']['party']}")
    if not view.get("publication"):
        raise ConflictError(f"comment {comment_id} has no published answer")
    if not satisfied and not note.strip():
        raise InvalidInput("say why the answer is not satisfactory")
    return outbox.write_confirmation(project, comment_id, view["publication"], satisfied, note.strip())


def send_quietly(project: Project) -> Generator[Progress, None, review_jobs.SyncReport | None]:
    """A review sync now; None (the outbox kept) when the server cannot be reached."""
    try:
        return (yield from review_jobs.review_sync(project))
    except SyncError as exc:
        if not exc.retryable:
            raise
        log.info("review sync postponed: %s", exc.message)
        return None


# --- history ----------------------------------------------------------------------------------

def history(project: Project, comment_id: str) -> History:
    """The comment's history from the server (kept for offline reading), else the kept copy."""
    try:
        api = review_jobs.review_api(project)
        api.remote.retries = 0  # offline, the kept copy at once: the one DB worker must not wait
        view = api.comment(comment_id)
    except SyncError as exc:
        kept = project.meta(HISTORY_META + comment_id)
        if not exc.retryable or kept is None:
            raise
        return History(comment_id, history_entries(json.loads(kept), comment_id), offline=True)
    copy = {"history": view.get("history") or [], "publication": view.get("publication")}
    project.set_meta(HISTORY_META + comment_id, json.dumps(copy, ensure_ascii=False))
    return History(comment_id, history_entries(copy, comment_id))


def history_entries(view: dict, comment_id: str) -> tuple[HistoryEntry, ...]:
    """The entries of `view["history"]` (the server's records, or raw events), oldest first;
    `view["publication"]` is the answer that stands now."""
    current = view.get("publication")
    out = []
    for e in view.get("history") or []:
        data, kind = e.get("data") or {}, e["kind"]
        if kind == "publish":
            publication = e.get("publication") or e.get("id", "")
            answer = e.get("answer") or (data.get("answers") or {}).get(comment_id)
            out.append(HistoryEntry(kind, e["at"], e.get("user", ""), answer, publication,
                                    current=publication == current))
        elif kind == "confirm":
            publication = e.get("publication") or data.get("publication", "")
            satisfied = e["satisfied"] if "satisfied" in e else data.get("satisfied")
            out.append(HistoryEntry(kind, e["at"], e.get("user", ""), publication=publication,
                                    satisfied=bool(satisfied), note=e.get("note", data.get("note", "")),
                                    current=publication == current))
        elif kind in ("comment", "withdraw", "anchor.migrate", "anchor.review"):
            out.append(HistoryEntry(kind, e["at"], e.get("user", "")))
    return tuple(sorted(out, key=lambda h: h.at))


# --- clause anchors on the frozen draft -------------------------------------------------------

@dataclass(frozen=True)
class ClauseCheck:
    """Words chosen in a section, checked against the round's frozen draft."""

    number: int
    section: str
    anchor: dict | None  # the clause anchor when the text shown is the frozen text
    frozen: str | None = None  # the section's frozen text (None: not in the draft, or no draft)
    problem: str = ""  # "" | no_draft | no_section | differs


def round_draft_hash(project: Project, number: int) -> str | None:
    """The frozen draft's hash of round `number`, as the last review sync saw it."""
    return next((r.get("draft_hash") for r in _rounds(project) if int(r["number"]) == number), None)


def frozen_draft(project: Project, draft_hash: str) -> dict[str, str]:
    """A frozen draft's sections: kept from the first fetch (it never changes), else fetched."""
    kept = project.meta(DRAFT_META + draft_hash)
    if kept is not None:
        return json.loads(kept)
    sections = review_jobs.review_api(project).draft(draft_hash)
    project.set_meta(DRAFT_META + draft_hash, json.dumps(sections, ensure_ascii=False))
    return sections


def check_clause(project: Project, number: int, section: str, shown: str, quote: str,
                 position: int) -> ClauseCheck:
    """A clause anchor on `shown` (the section's text the words were chosen in) when that is the
    round's frozen text; otherwise the frozen text, so the words can be chosen there."""
    draft_hash = round_draft_hash(project, number)
    if not draft_hash:
        return ClauseCheck(number, section, None, problem="no_draft")
    text = frozen_draft(project, draft_hash).get(section)
    if text is None:
        return ClauseCheck(number, section, None, problem="no_section")
    if text != shown:
        return ClauseCheck(number, section, None, text, "differs")
    return ClauseCheck(number, section, clause_at(section, text, quote, position), text)


def clause_at(section: str, text: str, quote: str, position: int) -> dict:
    """The clause anchor of `quote` at `position` of `text`; InvalidInput when it is not there."""
    if not quote.strip() or position < 0 or text[position:position + len(quote)] != quote:
        raise InvalidInput(f"the quoted words are not at position {position} of section {section}")
    return review_jobs.clause_anchor(section, quote, position)
