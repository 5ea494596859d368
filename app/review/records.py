"""The records of a round as people read them: each invitation with its response, the server's
receipt time, lateness, overdue answers and reminders (GET /rounds/{n}); and the history of a
comment as its own party may read it (GET /comments/{id}).

Times are the server's receipt times (UTC ISO); due dates are ISO dates judged on the Beijing
calendar day (app.review.times)."""

from __future__ import annotations

import datetime as dt

from app.errors import NotFound
from app.review.access import Actor
from app.review.events import Event
from app.review.state import CommentState, Invitation, ReviewState, Round
from app.review.times import is_late, overdue

# What a commenting party may read of its comment's events: never recommendations, decisions
# (embargoed until published), assignments or groups (the office's internal triage).
PARTY_HISTORY = ("comment", "withdraw", "publish", "confirm", "anchor.migrate", "anchor.review")


def first_comments(state: ReviewState, number: int) -> dict[str, CommentState]:
    """The first live (not withdrawn) comment of each party in round `number`."""
    found: dict[str, CommentState] = {}
    for c in state.submitted():
        if c.round == number and not c.withdrawn:
            found.setdefault(c.party, c)
    return found


def response(r: Round, party: str, first: CommentState | None) -> tuple[str, str | None]:
    """(response, received): `submitted` with the receipt time of the party's first live
    comment, `no_comment` with the time of that answer, else `none` (withdrawn comments do
    not count as an answer)."""
    if first is not None:
        return "submitted", first.received
    if party in r.no_comment:
        return "no_comment", r.no_comment_at.get(party)
    return "none", None


def waiting(state: ReviewState, number: int) -> list[str]:
    """Invited parties of round `number` that have not answered yet."""
    r = state.rounds[number]
    firsts = first_comments(state, number)
    return [p for p in sorted(r.invitations) if response(r, p, firsts.get(p))[0] == "none"]


def invitation_record(r: Round, inv: Invitation, first: CommentState | None,
                      today: dt.date | None = None) -> dict:
    """One invitation as GET /rounds/{n} shows it."""
    due = inv.due or r.due  # the invitation's own due date, else the round's
    answer, received = response(r, inv.party, first)
    return {"party": inv.party, "name": inv.name, "type": inv.type, "due": due,
            "response": answer, "received": received, "late": is_late(received, due),
            "overdue": answer == "none" and overdue(due, today),
            "reminded": list(r.reminders.get(inv.party, []))}


def round_detail(actor: Actor, state: ReviewState, number: int,
                 today: dt.date | None = None) -> dict:
    """A round in detail; a non-coordinator sees only its own party's invitation."""
    r = state.rounds.get(number)
    if r is None or not r.stages:
        raise NotFound(f"no round {number}")
    firsts = first_comments(state, number)
    shown = [inv for party, inv in sorted(r.invitations.items())
             if actor.coordinator or party == actor.party]
    return {"number": r.number, "title": r.title, "stage": r.stage, "visibility": r.visibility,
            "due": r.due, "draft_hash": r.draft_hash, "teams": r.teams,
            "stages": [{"stage": stage, "at": at} for stage, at in r.stages],
            "invitations": [invitation_record(r, inv, firsts.get(inv.party), today)
                            for inv in shown]}


def history(actor: Actor, c: CommentState) -> list[dict] | None:
    """The comment's events as `actor` may read them: everything for coordinators, the
    party-visible kinds for the commenting party, None for anyone else."""
    if actor.coordinator:
        return [_entry(e, c.id) for e in c.history]
    if c.party == actor.party:
        return [_entry(e, c.id) for e in c.history if e.kind in PARTY_HISTORY]
    return None


def _entry(e: Event, comment_id: str) -> dict:
    """{kind, at (server receipt), user, party} plus what this event says about the comment."""
    d = e.data
    entry: dict[str, object] = {"kind": e.kind, "at": e.at, "user": e.user, "party": e.party}
    if e.kind == "comment":
        entry.update(author=d.get("author") or e.user, written=d["comment"].get("written"),
                     channel=d["comment"].get("channel"))
    elif e.kind == "publish":
        entry.update(publication=e.id, answer=d["answers"].get(comment_id))
    elif e.kind == "confirm":
        entry.update(publication=d.get("publication"), satisfied=bool(d.get("satisfied")),
                     note=d.get("note", ""))
    elif e.kind == "anchor.migrate":
        entry.update(results=d["results"].get(comment_id, []))
    elif e.kind == "anchor.review":
        entry.update(index=d.get("index"), anchor=d.get("anchor"), status=d.get("status"))
    elif e.kind in ("recommend", "decide"):  # coordinators only
        entry.update(disposition=d.get("disposition"), reason=d.get("reason"),
                     answer=d.get("answer"), changes=d.get("changes", []), memo=d.get("memo"),
                     own_party=d.get("own_party", []))
    elif e.kind == "assign":
        entry.update(deliverable=d.get("deliverable"))
    elif e.kind == "group":
        entry.update(group=d.get("group"), group_kind=d.get("kind"))
    return entry
