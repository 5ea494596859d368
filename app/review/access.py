"""Who may see and do what in a review: the one place the rules of visibility live.

- A coordinator sees everything, including recommendations and unpublished decisions.
- In a sealed round a party sees only its own comments until collecting has closed; in a
  `parties` or `public` round it sees every party's comments. Answers are embargoed: others
  than coordinators see only published answers.
- The public (role observer, or a party of type public) sees only published answers of
  `public` rounds, plus its own comments.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import PermissionDenied
from app.review.model import SEALED_STAGES
from app.review.state import CommentState, ReviewState

COMMENT_ROLES = ("editor", "reviewer", "coordinator", "publisher")


@dataclass(frozen=True)
class Actor:
    """A user acting for a party with a role (the server's membership plus the party's type)."""

    user: str
    party: str
    role: str  # editor | coordinator | reviewer | publisher | observer
    party_type: str = ""

    @property
    def coordinator(self) -> bool:
        return self.role == "coordinator"

    @property
    def public(self) -> bool:
        return self.role == "observer" or self.party_type == "public"


def require_coordinator(actor: Actor, what: str) -> None:
    """PermissionDenied unless `actor` is a coordinator."""
    if not actor.coordinator:
        raise PermissionDenied(f"only coordinators {what}")


def require_party_role(actor: Actor, what: str) -> None:
    """PermissionDenied for observers, who only read."""
    if actor.role not in COMMENT_ROLES:
        raise PermissionDenied(f"role {actor.role} cannot {what}")


def can_see(actor: Actor, state: ReviewState, c: CommentState) -> bool:
    """Whether `actor` may see comment `c` at all."""
    if c.event is None:
        return False
    if actor.coordinator or c.party == actor.party:
        return True
    r = state.rounds.get(c.round)
    if r is None:
        return False
    if actor.public:
        return r.visibility == "public" and c.published is not None
    return not (r.visibility == "sealed" and r.stage in SEALED_STAGES)


def in_team(actor: Actor, state: ReviewState, c: CommentState) -> bool:
    """Whether `actor`'s party drafts the deliverable `c` is assigned to."""
    r = state.rounds.get(c.round)
    team = (r.teams.get(c.deliverable or "", []) if r else [])
    return actor.party in team and actor.role in ("editor", "coordinator")


def comment_view(actor: Actor, state: ReviewState, c: CommentState) -> dict:
    """What `actor` may read of a comment they can see: the comment, its triage, its answer."""
    comment = dict(c.comment)
    if actor.public and c.party != actor.party:
        comment.pop("author", None)  # the public reads what was said, not who wrote it
    view = {"comment": comment, "status": c.status, "party_type": c.party_type,
            "party_name": c.event.data.get("party_name", c.party), "version": c.event.version,  # type: ignore[union-attr]  # a submitted comment has its event
            "deliverable": c.deliverable, "group": c.group,
            "answer": c.published.to_json() if c.published else None,
            "publication": c.publication, "confirmation": c.confirmation,
            "anchor_states": {str(k): v for k, v in c.anchor_states.items()},
            # the server's record: receipt time (official), lateness, the logged-in sender
            "received": c.received, "late": c.late, "author": c.author}
    if actor.public and c.party != actor.party:
        view.pop("author")
    if actor.coordinator or in_team(actor, state, c):
        view["recommendation"] = c.recommendation.to_json() if c.recommendation else None
        if c.recommendation:  # a team answering its own party's comment: flagged
            view["recommendation"]["own_party"] = c.own_party
    if actor.coordinator:
        view["decision"] = c.decision.to_json() if c.decision else None
    else:
        view["status"] = public_status(c)
    return view


def public_status(c: CommentState) -> str:
    """The status with embargoed decisions hidden: only published answers count."""
    if c.status != "decided":
        return c.status
    if c.published is None:
        return "open"
    if c.confirmation is None:
        return "answered"
    return "satisfied" if c.confirmation["satisfied"] else "reopened"


def visible_comments(actor: Actor, state: ReviewState) -> list[CommentState]:
    """Every comment `actor` may see, in submission order."""
    return [c for c in state.submitted() if can_see(actor, state, c)]
