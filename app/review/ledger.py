"""The adoption ledger (意见采纳台账): every comment with its published answer, tallied by party
type, party, round and deliverable, plus invitations nobody answered and open items.

A pure function of the review state, itself a pure function of the event set. The official
ledger counts published answers only: a decision still under embargo is an open item.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from app.review.access import public_status
from app.review.events import digest
from app.review.model import ADOPTING, DISPOSITIONS, OPEN_STATUSES, SUBSTANTIVE
from app.review.state import CommentState, ReviewState

LEDGER_FORMAT = "coplan.ledger/v1"


@dataclass(frozen=True)
class Tally:
    """Counts of comments and of their published dispositions."""

    comments: int = 0  # submitted and not withdrawn
    answered: int = 0  # with a published answer
    open: int = 0  # without a published answer, or reopened by the party
    satisfied: int = 0
    reopened: int = 0
    dispositions: dict = field(default_factory=dict)  # disposition -> count

    @property
    def adopted(self) -> int:
        """Adopted plus partially adopted."""
        return sum(self.dispositions.get(d, 0) for d in ADOPTING)

    @property
    def rate(self) -> float | None:
        """Adoption rate over substantive answers (adopted, partially, not adopted)."""
        base = sum(self.dispositions.get(d, 0) for d in SUBSTANTIVE)
        return self.adopted / base if base else None

    def to_json(self) -> dict:
        return {"comments": self.comments, "answered": self.answered, "open": self.open,
                "satisfied": self.satisfied, "reopened": self.reopened,
                "dispositions": {d: self.dispositions.get(d, 0) for d in DISPOSITIONS},
                "adopted": self.adopted,
                "rate": None if self.rate is None else round(self.rate, 6)}


@dataclass(frozen=True)
class Row:
    """One comment in the ledger."""

    comment: str
    round: int
    party: str
    party_name: str
    party_type: str
    deliverable: str | None
    channel: str
    written: str
    status: str
    disposition: str | None  # of the published answer
    reason: str | None
    changes: int  # change references of the published answer
    memo: str | None
    body: str  # the comment's text (Chinese when given)
    answer: str

    def to_json(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Ledger:
    """The ledger of a review: rows, tallies, responses and open items."""

    rows: tuple[Row, ...]
    total: Tally
    by_party_type: dict[str, Tally]
    by_party: dict[str, Tally]
    by_round: dict[str, Tally]
    by_deliverable: dict[str, Tally]
    responses: tuple[dict, ...]  # {round, party, name, type, due, response}
    open_items: tuple[str, ...]  # comment ids

    @property
    def non_responses(self) -> list[dict]:
        return [r for r in self.responses if r["response"] == "none"]

    def to_json(self) -> dict:
        """The ledger as JSON; canonical bytes of it are what a release signs."""
        def tallies(d: dict) -> dict:
            return {k: v.to_json() for k, v in sorted(d.items())}
        return {"format": LEDGER_FORMAT, "total": self.total.to_json(),
                "by_party_type": tallies(self.by_party_type), "by_party": tallies(self.by_party),
                "by_round": tallies(self.by_round),
                "by_deliverable": tallies(self.by_deliverable),
                "responses": list(self.responses), "open_items": list(self.open_items),
                "rows": [r.to_json() for r in self.rows]}

    def hash(self) -> str:
        return digest(self.to_json())


def row_of(c: CommentState) -> Row:
    """The ledger row of a submitted comment."""
    p = c.published
    body = c.comment.get("body", {})
    return Row(c.id, c.round, c.party, c.event.data.get("party_name", c.party), c.party_type,
               c.deliverable, c.comment.get("channel", ""), c.comment.get("written", ""),
               _official_status(c), p.disposition if p else None, p.reason if p else None,
               len(p.changes) if p else 0, p.memo if p else None,
               body.get("zh") or body.get("en", ""),
               (p.answer.get("zh") or p.answer.get("en", "")) if p else "")


def _official_status(c: CommentState) -> str:
    """Status as the ledger shows it: an embargoed decision is still open."""
    return public_status(c)


def tally(rows: list[Row]) -> Tally:
    """The counts of some ledger rows (withdrawn comments are left out)."""
    live = [r for r in rows if r.status != "withdrawn"]
    statuses = Counter(r.status for r in live)
    return Tally(comments=len(live), answered=sum(1 for r in live if r.disposition),
                 open=sum(statuses[s] for s in OPEN_STATUSES), satisfied=statuses["satisfied"],
                 reopened=statuses["reopened"],
                 dispositions=dict(Counter(r.disposition for r in live if r.disposition)))


def _by(rows: list[Row], key) -> dict[str, Tally]:
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(str(key(row)), []).append(row)
    return {k: tally(v) for k, v in groups.items()}


def responses(state: ReviewState) -> list[dict]:
    """Each invitation with its response: submitted, no_comment or none."""
    sent = {(c.round, c.party) for c in state.submitted() if not c.withdrawn}
    out = []
    for number in sorted(state.rounds):
        r = state.rounds[number]
        for party in sorted(r.invitations):
            inv = r.invitations[party]
            response = ("submitted" if (number, party) in sent else
                        "no_comment" if party in r.no_comment else "none")
            out.append({"round": number, "party": party, "name": inv.name, "type": inv.type,
                        "due": inv.due, "response": response})
    return out


def compute(state: ReviewState) -> Ledger:
    """The ledger of a review state."""
    rows = [row_of(c) for c in state.submitted()]
    return Ledger(tuple(rows), tally(rows), _by(rows, lambda r: r.party_type),
                  _by(rows, lambda r: r.party), _by(rows, lambda r: r.round),
                  _by(rows, lambda r: r.deliverable or "-"), tuple(responses(state)),
                  tuple(r.comment for r in rows if r.status in OPEN_STATUSES))
