"""The coordinator's round work, as jobs the desktop sends to its DB worker: the rounds with
their invitations and comments as the server has them, and every step of a round (open, freeze
the plan text, invite, remind, advance, group, assign, recommend, decide, publish), the event
log exported to a file and the handling reports written from it.

Each job takes the open project first (it knows its server and token) and talks to the server
through `ReviewRemote`; none of them touches Qt. The coordinator may read every event, so the
review is folded here from `GET /events`: the triage table and the drafting team's own-party
flags come from it; invitations and suggested groups are the server's (`GET /rounds/{n}`,
`GET /rounds/{n}/suggestions`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from app.content.anchors import section_texts
from app.editing.review_jobs import review_api
from app.errors import InvalidInput
from app.project.project import Project
from app.review.client import ReviewRemote
from app.review.events import Event, read_jsonl, write_jsonl
from app.review.report import write_reports
from app.review.state import ReviewState, fold
from app.review.times import parse_due

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RoundsView:
    """What the round manager shows: the rounds, the parties, one round in detail."""

    plan: str  # the server project's name (printed on the handling reports)
    rounds: tuple[dict, ...]  # GET /rounds: number, title, stage, visibility, due, invited
    parties: tuple[dict, ...]  # every party of the project: code, name, type
    state: ReviewState  # the whole review, folded from the events
    number: int | None = None  # the round shown in detail
    detail: dict = field(default_factory=dict)  # GET /rounds/{n}
    comments: tuple[dict, ...] = ()  # the round's comments as triage rows
    suggestions: tuple[tuple[str, ...], ...] = ()  # suggested duplicate groups (comment ids)

    def round(self, number: int | None) -> dict | None:
        return next((r for r in self.rounds if r["number"] == number), None)

    def next_number(self) -> int:
        """The number a new round gets: one after the highest."""
        return max((r["number"] for r in self.rounds), default=0) + 1


# --- reading --------------------------------------------------------------------------------

def load(project: Project, number: int | None = None) -> RoundsView:
    """The rounds, the project's parties and round `number` (default: the latest) in detail."""
    api = review_api(project)
    rounds = tuple(api.rounds())
    info = api.remote.project(api.project)
    state = fold(_events(api))
    numbers = [r["number"] for r in rounds]
    number = number if number in numbers else (numbers[-1] if numbers else None)
    view = RoundsView(info.get("name", api.project), rounds, tuple(info.get("parties", ())), state)
    if number is None:
        return view
    return RoundsView(view.plan, rounds, view.parties, state, number, api.round(number),
                      tuple(comment_rows(state, number)), tuple(map(tuple, api.suggestions(number))))


# The events already read, per server, project and token: a refresh asks only for newer ones
# (the server's versions only grow). The worker thread alone reads and writes it.
_seen: dict[tuple[str, str, str | None], tuple[Event, ...]] = {}


def _events(api: ReviewRemote) -> tuple[Event, ...]:
    """Every review event: those read before and the server's newer ones."""
    key = (api.remote.url, api.project, api.remote.token)
    known = _seen.get(key, ())
    known += tuple(api.events(since=known[-1].version if known else 0))
    _seen[key] = known
    return known


def comment_rows(state: ReviewState, number: int) -> list[dict]:
    """The round's comments (withdrawn ones left out) as rows of the triage table."""
    rows = []
    for c in state.submitted():
        if c.round != number or c.withdrawn:
            continue
        body = c.comment.get("body") or {}
        rows.append({"id": c.id, "party": c.party, "party_name": c.event.data.get("party_name", c.party),  # type: ignore[union-attr]  # a submitted comment has its event
                     "text": body.get("zh") or body.get("en") or "", "body": body,
                     "received": c.received, "written": c.written, "late": c.late,
                     "deliverable": c.deliverable, "group": c.group, "status": c.status,
                     "recommendation": c.recommendation.disposition if c.recommendation else None,
                     "own_party": c.own_party,
                     "decision": c.decision.disposition if c.decision else None})
    return rows


def draft_sections(project: Project) -> dict[str, str]:
    """The plan text to freeze: every section's Chinese body by section id."""
    return section_texts(project.db, "zh")


# --- writing (each returns the server's answer) --------------------------------------------

def open_round(project: Project, number: int, title: dict, visibility: str, teams: dict,
               due: str | None) -> dict:
    """Open round `number`; the due date must be an ISO date."""
    if not any(v.strip() for v in title.values()):
        raise InvalidInput("a round needs a title")
    return review_api(project).open_round(number, title, visibility, teams, parse_due(due))


def freeze(project: Project, number: int, sections: dict[str, str]) -> dict:
    if not sections:
        raise InvalidInput("the project has no plan text to freeze")
    return review_api(project).freeze(number, sections)


def invite(project: Project, number: int, parties: list[str], due: str | None) -> int:
    """Invite each party with one due date; the number invited."""
    if not parties:
        raise InvalidInput("choose at least one party to invite")
    due = parse_due(due)  # checked before the first invitation is sent
    api = review_api(project)
    for party in parties:
        api.invite(number, party, due)
    return len(parties)


def advance(project: Project, number: int, to: str) -> dict:
    return review_api(project).advance(number, to)


def remind(project: Project, number: int, parties: list[str] | None, note: str = "") -> dict:
    return review_api(project).remind(number, parties or None, note)


def group(project: Project, members: list[str], kind: str = "duplicate") -> dict:
    if len(members) < 2:
        raise InvalidInput("a group needs at least two comments")
    return review_api(project).group(members, kind)


def assign(project: Project, comments: list[str], deliverable: str) -> dict:
    if not comments:
        raise InvalidInput("choose the comments to assign")
    return review_api(project).assign(comments, deliverable)


def recommend(project: Project, comments: list[str], disposition: str, fields: dict) -> dict:
    """The drafting team's recommendation (kept apart from the decision)."""
    return review_api(project).recommend(comments, disposition, **fields)


def decide(project: Project, comments: list[str], disposition: str, fields: dict) -> dict:
    """The coordinator's decision."""
    return review_api(project).decide(comments, disposition, **fields)


def publish(project: Project, number: int) -> dict:
    """Publish every decided, unpublished answer of the round."""
    return review_api(project).publish(number, None)


def export_log(project: Project, path: str) -> int:
    """Every review event into an events.jsonl file; the number written."""
    return write_jsonl(review_api(project).events(), path)


def handling_reports(project: Project | None, log_path: str, folder: str, plan: str,
                     lang: str = "zh") -> list[str]:
    """The summary and per-party handling reports of an exported event log, into `folder`."""
    state = fold(read_jsonl(log_path))
    return [str(p) for p in write_reports(state, Path(folder), plan=plan, lang=lang)]
