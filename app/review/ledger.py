"""The adoption ledger (意见采纳台账): every comment with its published answer, tallied by party
type, party, round and deliverable, plus invitations nobody answered and open items.

A pure function of the review state, itself a pure function of the event set. The official
ledger counts published answers only: a decision still under embargo is an open item.

How duplicate groups count (stated in the summary report and on the XLSX summary sheet):
comments of one duplicate group that share one published answer count ONCE in the
dispositions, the adopted count and the adoption rate (`Tally.counted` items); `comments`
still counts every comment received. A member answered on its own (e.g. re-decided after
its party was not satisfied) counts on its own. In a breakdown, a group counts once in each
cell that holds any of its members, so cells may add up to more than the total.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from app.review.access import public_status
from app.review.events import digest
from app.review.model import (
    ADOPTING,
    DELIVERABLES,
    DISPOSITIONS,
    OPEN_STATUSES,
    PARTY_TYPES,
    SUBSTANTIVE,
)
from app.review.state import CommentState, ReviewState

LEDGER_FORMAT = "coplan.ledger/v1"
COUNT_RULE = "duplicate-group-counts-once"  # see the module docstring


@dataclass(frozen=True)
class Tally:
    """Counts of comments and of their published dispositions."""

    comments: int = 0  # submitted and not withdrawn
    counted: int = 0  # items in the adoption tallies: a duplicate group sharing an answer is one
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
        return {"comments": self.comments, "counted": self.counted, "answered": self.answered,
                "open": self.open, "satisfied": self.satisfied, "reopened": self.reopened,
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
    written: str  # the client's claim (UTC ISO): "written at"
    status: str
    disposition: str | None  # of the published answer
    reason: str | None
    changes: int  # change references of the published answer
    memo: str | None
    body: str  # the comment's text (Chinese when given)
    answer: str
    received: str = ""  # server receipt (UTC ISO): the official time
    author: str = ""  # the logged-in user who sent it
    due: str | None = None  # ISO date of its invitation (else of its round)
    late: bool = False  # received after `due` (Beijing day)
    group: str | None = None  # its duplicate group, when the group has 2+ members
    answer_id: str | None = None  # the published decision: members sharing it count once

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
    responses: tuple[dict, ...]  # {round, party, name, type, due, response, received, late,
    #                               reminded}
    open_items: tuple[str, ...]  # comment ids

    @property
    def non_responses(self) -> list[dict]:
        return [r for r in self.responses if r["response"] == "none"]

    def breakdown(self, key: str) -> list[tuple[str, Tally]]:
        """A breakdown (by_party_type, by_party, by_round, by_deliverable) in reading order:
        party types and deliverables as the model lists them, parties by type then code,
        rounds by number."""
        types = {r.party: r.party_type for r in self.rows}

        def rank(code: str) -> tuple:
            if key == "by_party_type":
                return (_index(PARTY_TYPES, code), code)
            if key == "by_party":
                return (_index(PARTY_TYPES, types.get(code, "")), code)
            if key == "by_deliverable":
                return (_index(DELIVERABLES, code), code)
            return (int(code) if code.isdigit() else 0, code)
        return sorted(getattr(self, key).items(), key=lambda kv: rank(kv[0]))

    @property
    def duplicate_groups(self) -> tuple[int, int]:
        """(groups, comments) of duplicate groups whose live members share one answer."""
        units = Counter(_unit(r) for r in self.rows if r.group and r.status != "withdrawn")
        shared = [n for n in units.values() if n > 1]
        return len(shared), sum(shared)

    def to_json(self) -> dict:
        """The ledger as JSON; canonical bytes of it are what a release signs."""
        def tallies(d: dict) -> dict:
            return {k: v.to_json() for k, v in sorted(d.items())}
        return {"format": LEDGER_FORMAT, "count_rule": COUNT_RULE, "total": self.total.to_json(),
                "by_party_type": tallies(self.by_party_type), "by_party": tallies(self.by_party),
                "by_round": tallies(self.by_round),
                "by_deliverable": tallies(self.by_deliverable),
                "responses": list(self.responses), "open_items": list(self.open_items),
                "rows": [r.to_json() for r in self.rows]}

    def hash(self) -> str:
        return digest(self.to_json())


def _index(order: tuple[str, ...], code: str) -> int:
    return order.index(code) if code in order else len(order)


def row_of(c: CommentState, state: ReviewState | None = None) -> Row:
    """The ledger row of a submitted comment (`state` gives its due date and group)."""
    p = c.published
    body = c.comment.get("body", {})
    return Row(c.id, c.round, c.party, c.event.data.get("party_name", c.party), c.party_type,  # type: ignore[union-attr]  # a submitted comment has its event
               c.deliverable, c.comment.get("channel", ""), c.written,
               _official_status(c), p.disposition if p else None, p.reason if p else None,
               len(p.changes) if p else 0, p.memo if p else None,
               body.get("zh") or body.get("en", ""),
               (p.answer.get("zh") or p.answer.get("en", "")) if p else "",
               received=c.received, author=c.author, due=_due(state, c), late=c.late,
               group=_duplicate_group(state, c), answer_id=p.id if p else None)


def _due(state: ReviewState | None, c: CommentState) -> str | None:
    r = state.rounds.get(c.round) if state else None
    if r is None:
        return None
    invitation = r.invitations.get(c.party)
    return invitation.due if invitation and invitation.due else r.due


def _duplicate_group(state: ReviewState | None, c: CommentState) -> str | None:
    group = state.groups.get(c.group) if state and c.group else None
    if group is None or group.kind != "duplicate" or len(group.members) < 2:
        return None
    return group.id


def _unit(row: Row) -> str:
    """What one item of the adoption tallies is: a comment, or its group's shared answer."""
    return f"{row.group}/{row.answer_id}" if row.group else row.comment


def _official_status(c: CommentState) -> str:
    """Status as the ledger shows it: an embargoed decision is still open."""
    return public_status(c)


def tally(rows: list[Row]) -> Tally:
    """The counts of some ledger rows (withdrawn comments are left out)."""
    live = [r for r in rows if r.status != "withdrawn"]
    statuses = Counter(r.status for r in live)
    units: dict[str, Row] = {}
    for r in live:
        units.setdefault(_unit(r), r)
    return Tally(comments=len(live), counted=len(units),
                 answered=sum(1 for r in live if r.disposition),
                 open=sum(statuses[s] for s in OPEN_STATUSES), satisfied=statuses["satisfied"],
                 reopened=statuses["reopened"],
                 dispositions=dict(Counter(r.disposition for r in units.values() if r.disposition)))


def _by(rows: list[Row], key) -> dict[str, Tally]:
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(str(key(row)), []).append(row)
    return {k: tally(v) for k, v in groups.items()}


def responses(state: ReviewState) -> list[dict]:
    """Each invitation with its response (submitted, no_comment or none), when its first
    comment was received, whether any was late, and how often the party was reminded."""
    sent: dict[tuple[int, str], list[CommentState]] = {}
    for c in state.submitted():
        if not c.withdrawn:
            sent.setdefault((c.round, c.party), []).append(c)
    out = []
    for number in sorted(state.rounds):
        r = state.rounds[number]
        for party in sorted(r.invitations):
            inv = r.invitations[party]
            response = ("submitted" if (number, party) in sent else
                        "no_comment" if party in r.no_comment else "none")
            mine = sent.get((number, party), [])
            out.append({"round": number, "party": party, "name": inv.name, "type": inv.type,
                        "due": inv.due or r.due, "response": response,
                        "received": min((c.received for c in mine), default=None),
                        "late": any(c.late for c in mine),
                        "reminded": len(r.reminders.get(party, []))})
    return out


def compute(state: ReviewState) -> Ledger:
    """The ledger of a review state."""
    rows = [row_of(c, state) for c in state.submitted()]
    return Ledger(tuple(rows), tally(rows), _by(rows, lambda r: r.party_type),
                  _by(rows, lambda r: r.party), _by(rows, lambda r: r.round),
                  _by(rows, lambda r: r.deliverable or "-"), tuple(responses(state)),
                  tuple(r.comment for r in rows if r.status in OPEN_STATUSES))


def party_names(state: ReviewState) -> dict[str, str]:
    """Party code -> name, from the invitations and the comments' submissions."""
    names = {p: inv.name for r in state.rounds.values() for p, inv in r.invitations.items()}
    for c in state.submitted():
        names.setdefault(c.party, c.event.data.get("party_name", c.party))  # type: ignore[union-attr]  # a submitted comment has its event
    return names
