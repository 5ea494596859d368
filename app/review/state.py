"""The state of a review as a pure function of its events: `fold(events)`.

Events are applied in (version, id) order after dropping repeated ids, so the same set of events
always folds to the same state, however it was delivered. Every handler tolerates references to
events it has not seen (a partial set folds without error); the command layer, not the fold,
decides what may happen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from app.review.events import Event
from app.review.times import is_late


@dataclass
class Invitation:
    """A party asked to comment on a round."""

    party: str
    name: str
    type: str  # party type: city, department, ministry, province, expert, public, office
    due: str | None  # ISO date the answer is due


@dataclass
class Round:
    """One round of written comment solicitation (书面意见征询)."""

    number: int
    title: dict = field(default_factory=dict)  # {"zh": ..., "en": ...}
    visibility: str = "sealed"
    stage: str = "draft"
    teams: dict = field(default_factory=dict)  # deliverable -> party codes of its drafting team
    due: str | None = None
    draft_hash: str | None = None  # SHA-256 of the frozen draft's sections
    invitations: dict[str, Invitation] = field(default_factory=dict)
    no_comment: set[str] = field(default_factory=set)  # parties that answered "no comment"
    no_comment_at: dict[str, str] = field(default_factory=dict)  # party -> when it answered so
    stages: list[tuple[str, str]] = field(default_factory=list)  # (stage, at), in order
    reminders: dict[str, list[str]] = field(default_factory=dict)  # party -> times reminded


@dataclass(frozen=True)
class Answer:
    """A disposition: the drafting team's recommendation, the coordinator's decision or the
    published answer (a snapshot of a decision)."""

    id: str  # the recommend/decide event's id
    disposition: str
    reason: str | None
    answer: dict  # {"zh": ..., "en": ...}
    changes: tuple  # change references: ({"kind": "changeset"|"text", ...}, ...)
    memo: str | None  # meeting memo the decision cites
    party: str
    user: str
    at: str

    @classmethod
    def of(cls, event: Event, data: dict) -> Answer:
        return cls(data.get("decision", event.id), data["disposition"], data.get("reason"),
                   dict(data.get("answer") or {}), tuple(data.get("changes") or ()),
                   data.get("memo"), data.get("by_party", event.party),
                   data.get("by_user", event.user), data.get("decided_at", event.at))

    def to_json(self) -> dict:
        return {"decision": self.id, "disposition": self.disposition, "reason": self.reason,
                "answer": self.answer, "changes": list(self.changes), "memo": self.memo,
                "by_party": self.party, "by_user": self.user, "decided_at": self.at}


@dataclass
class CommentState:
    """A comment with everything that happened to it."""

    id: str
    event: Event | None = None  # the submission; None while only later events are known
    withdrawn: bool = False
    deliverable: str | None = None  # the drafting team it is assigned to
    group: str | None = None
    recommendation: Answer | None = None
    decision: Answer | None = None
    published: Answer | None = None
    publication: str | None = None  # the publish event that carried `published`
    confirmation: dict | None = None  # the party's reply to `publication`
    anchor_states: dict = field(default_factory=dict)  # anchor index -> migration result
    history: list[Event] = field(default_factory=list)
    late: bool = False  # received after its invitation's (else the round's) due date
    own_party: bool = False  # its recommendation came from a team of its own party (flagged)

    @property
    def received(self) -> str:
        """When the server accepted the comment (UTC ISO): the official time."""
        return self.event.at if self.event else ""

    @property
    def written(self) -> str:
        """When the party says it wrote the comment (the client's clock)."""
        return self.comment.get("written", "")

    @property
    def author(self) -> str:
        """The logged-in user who sent it (the server's record, not the client's claim)."""
        if self.event is None:
            return ""
        return self.event.data.get("author") or self.event.user

    @property
    def comment(self) -> dict:
        return self.event.data["comment"] if self.event else {}

    @property
    def round(self) -> int:
        return self.event.round if self.event else 0

    @property
    def party(self) -> str:
        return self.comment.get("party", "")

    @property
    def party_type(self) -> str:
        return self.event.data.get("party_type", "") if self.event else ""

    @property
    def status(self) -> str:
        """open, decided, answered, satisfied, reopened or withdrawn."""
        if self.withdrawn:
            return "withdrawn"
        if self.decision and (self.published is None or self.decision.id != self.published.id):
            return "decided"
        if self.published is None:
            return "open"
        if self.confirmation is None:
            return "answered"
        return "satisfied" if self.confirmation["satisfied"] else "reopened"

    def anchors(self) -> list[dict]:
        """The anchors as they stand on the latest draft (migrated where a migration ran)."""
        out = []
        for index, anchor in enumerate(self.comment.get("anchors", [])):
            moved = self.anchor_states.get(index)
            out.append(moved["anchor"] if moved and moved.get("anchor") else anchor)
        return out


@dataclass
class Group:
    """Duplicates or one concern shared by several comments, answered once."""

    id: str
    kind: str  # duplicate | concern
    title: dict
    members: list[str]


@dataclass
class ReviewState:
    """Rounds, comments and groups of one project's review."""

    rounds: dict[int, Round] = field(default_factory=dict)
    comments: dict[str, CommentState] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    publications: dict[str, Event] = field(default_factory=dict)
    version: int = 0  # highest event version applied
    count: int = 0  # events applied

    def apply(self, event: Event) -> None:
        """Apply one event; events must come in (version, id) order."""
        _HANDLERS[event.kind](self, event)
        self.version = max(self.version, event.version)
        self.count += 1

    def round(self, number: int) -> Round:
        if number not in self.rounds:
            self.rounds[number] = Round(number)
        return self.rounds[number]

    def comment(self, comment_id: str) -> CommentState:
        if comment_id not in self.comments:
            self.comments[comment_id] = CommentState(comment_id)
        return self.comments[comment_id]

    def submitted(self) -> list[CommentState]:
        """Comments whose submission is known, in submission order."""
        found = [c for c in self.comments.values() if c.event is not None]
        return sorted(found, key=lambda c: c.event.key)  # type: ignore[union-attr]  # a submitted comment has its event


def of_round(state: ReviewState, number: int) -> ReviewState:
    """The part of `state` about round `number`: its invitations and the comments made in it,
    with all that happened to them since (later rounds' answers and anchor migrations too)."""
    comments = {cid: c for cid, c in state.comments.items() if c.round == number}
    groups = {}
    for gid, g in state.groups.items():
        members = [m for m in g.members if m in comments]
        if members:
            groups[gid] = Group(g.id, g.kind, g.title, members)
    rounds = {number: state.rounds[number]} if number in state.rounds else {}
    return ReviewState(rounds, comments, groups, dict(state.publications), state.version,
                       state.count)


def fold(events: Iterable[Event]) -> ReviewState:
    """The review state of a set of events (repeats and delivery order do not matter)."""
    unique: dict[str, Event] = {}
    for event in sorted(events, key=lambda e: (e.version, e.id, e.body_hash())):
        unique.setdefault(event.id, event)
    state = ReviewState()
    for event in sorted(unique.values(), key=lambda e: e.key):
        state.apply(event)
    return state


# --- handlers: one per event kind ----------------------------------------------------------

def _round_open(state: ReviewState, e: Event) -> None:
    r = state.round(e.round)
    r.title, r.visibility = dict(e.data.get("title") or {}), e.data.get("visibility", "sealed")
    r.teams, r.due = dict(e.data.get("teams") or {}), e.data.get("due")
    r.stages.append(("draft", e.at))


def _round_freeze(state: ReviewState, e: Event) -> None:
    r = state.round(e.round)
    r.draft_hash, r.stage = e.data["draft_hash"], "frozen"
    r.stages.append(("frozen", e.at))


def _round_advance(state: ReviewState, e: Event) -> None:
    r = state.round(e.round)
    r.stage = e.data["to"]
    r.stages.append((r.stage, e.at))


def _invite(state: ReviewState, e: Event) -> None:
    d = e.data
    state.round(e.round).invitations[d["party"]] = Invitation(d["party"], d.get("name", d["party"]),
                                                              d.get("type", ""), d.get("due"))


def _respond(state: ReviewState, e: Event) -> None:
    r = state.round(e.round)
    r.no_comment.add(e.party)
    r.no_comment_at.setdefault(e.party, e.at)


def _comment(state: ReviewState, e: Event) -> None:
    c = state.comment(e.id)
    c.event = e
    c.history.insert(0, e)  # in a partial set, later events may have come first
    r = state.round(e.round)
    invitation = r.invitations.get(c.party)
    c.late = is_late(e.at, invitation.due if invitation and invitation.due else r.due)
    if c.deliverable is None:  # the suggestion from the anchors until triage assigns a team
        c.deliverable = e.data.get("deliverable")


def _withdraw(state: ReviewState, e: Event) -> None:
    c = state.comment(e.data["comment"])
    c.withdrawn = True
    c.history.append(e)


def _group(state: ReviewState, e: Event) -> None:
    gid, members = e.data["group"], list(e.data.get("members", []))
    old = state.groups.get(gid)
    for cid in old.members if old else ():
        if state.comment(cid).group == gid:
            state.comment(cid).group = None
    for cid in members:
        c = state.comment(cid)
        if c.group and c.group != gid and c.group in state.groups:
            state.groups[c.group].members.remove(cid)
        c.group = gid
        c.history.append(e)
    state.groups[gid] = Group(gid, e.data.get("kind", "concern"), dict(e.data.get("title") or {}),
                              members)


def _assign(state: ReviewState, e: Event) -> None:
    for cid in e.data["comments"]:
        c = state.comment(cid)
        c.deliverable = e.data["deliverable"]
        c.history.append(e)


def _recommend(state: ReviewState, e: Event) -> None:
    answer = Answer.of(e, e.data)
    for cid in e.data["comments"]:
        c = state.comment(cid)
        c.recommendation = answer
        c.own_party = cid in e.data.get("own_party", ())
        c.history.append(e)


def _decide(state: ReviewState, e: Event) -> None:
    answer = Answer.of(e, e.data)
    for cid in e.data["comments"]:
        c = state.comment(cid)
        c.decision = answer
        c.history.append(e)


def _publish(state: ReviewState, e: Event) -> None:
    state.publications[e.id] = e
    for cid, snapshot in e.data["answers"].items():
        c = state.comment(cid)
        c.published, c.publication, c.confirmation = Answer.of(e, snapshot), e.id, None
        c.history.append(e)


def _confirm(state: ReviewState, e: Event) -> None:
    c = state.comment(e.data["comment"])
    c.history.append(e)
    if e.data["publication"] == c.publication:  # a reply to an answer since replaced is history
        c.confirmation = {"satisfied": bool(e.data["satisfied"]), "note": e.data.get("note", ""),
                          "at": e.at, "user": e.user, "event": e.id}


def _anchor_migrate(state: ReviewState, e: Event) -> None:
    for cid, results in e.data["results"].items():
        c = state.comment(cid)
        for result in results:
            c.anchor_states[int(result["index"])] = {**result, "round": e.round, "reviewed": False}
        c.history.append(e)


def _anchor_review(state: ReviewState, e: Event) -> None:
    c = state.comment(e.data["comment"])
    index = int(e.data["index"])
    previous = c.anchor_states.get(index, {})
    c.anchor_states[index] = {**previous, "index": index, "anchor": e.data.get("anchor"),
                              "status": e.data.get("status", previous.get("status", "confirmed")),
                              "reviewed": True, "reviewed_by": e.user}
    c.history.append(e)


def _elsewhere(state: ReviewState, e: Event) -> None:
    """Events folded elsewhere (the joint signature: app.review.cosign)."""


def _remind(state: ReviewState, e: Event) -> None:
    r = state.round(e.round)
    for party in e.data.get("parties", []):
        r.reminders.setdefault(party, []).append(e.at)


_HANDLERS: dict[str, Callable[[ReviewState, Event], None]] = {
    "round.open": _round_open, "round.freeze": _round_freeze, "round.advance": _round_advance,
    "invite": _invite, "respond": _respond, "comment": _comment, "withdraw": _withdraw,
    "group": _group, "assign": _assign, "recommend": _recommend, "decide": _decide,
    "publish": _publish, "confirm": _confirm, "anchor.migrate": _anchor_migrate,
    "anchor.review": _anchor_review, "remind": _remind,
    **{kind: _elsewhere for kind in ("key.register", "key.revoke", "release.register",
                                     "signature")},
}
