"""Triage for people and panels: filtered comment lists, a dashboard object, and suggested
groups of near-duplicate comments. Qt-free: a desktop panel calls these and shows the result."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from app.review.access import Actor, comment_view, public_status, visible_comments
from app.review.ledger import compute
from app.review.state import CommentState, ReviewState


@dataclass(frozen=True)
class CommentFilter:
    """What a triage list shows; empty sets mean 'any'."""

    round: int | None = None
    parties: frozenset = frozenset()
    party_types: frozenset = frozenset()
    deliverables: frozenset = frozenset()  # "-" selects unassigned comments
    statuses: frozenset = frozenset()
    dispositions: frozenset = frozenset()  # of the published answer (coordinators: decision)
    group: str | None = None
    section: str = ""  # prefix of an anchored section id, e.g. "S1" or "Z3.strategy"
    text: str = ""  # case-insensitive substring of the comment's text

    def matches(self, c: CommentState, status: str, disposition: str | None) -> bool:
        """Whether comment `c` passes this filter."""
        checks = ((self.round is None or c.round == self.round),
                  (not self.parties or c.party in self.parties),
                  (not self.party_types or c.party_type in self.party_types),
                  (not self.deliverables or (c.deliverable or "-") in self.deliverables),
                  (not self.statuses or status in self.statuses),
                  (not self.dispositions or disposition in self.dispositions),
                  (self.group is None or c.group == self.group))
        return all(checks) and self._anchored(c) and self._says(c)

    def _anchored(self, c: CommentState) -> bool:
        if not self.section:
            return True
        return any(a.get("type") == "clause" and a["section"].startswith(self.section)
                   for a in c.anchors())

    def _says(self, c: CommentState) -> bool:
        if not self.text:
            return True
        needle = self.text.casefold()
        return any(needle in t.casefold() for t in c.comment.get("body", {}).values())


def filter_comments(actor: Actor, state: ReviewState, flt: CommentFilter) -> list[CommentState]:
    """The comments `actor` may see that pass `flt`, in submission order."""
    out = []
    for c in visible_comments(actor, state):
        if actor.coordinator:
            status, answer = c.status, c.decision or c.published
        else:
            status, answer = public_status(c), c.published
        if flt.matches(c, status, answer.disposition if answer else None):
            out.append(c)
    return out


def triage_rows(actor: Actor, state: ReviewState, flt: CommentFilter) -> list[dict]:
    """Filtered comments as flat rows for a table: one dict per comment."""
    rows = []
    for c in filter_comments(actor, state, flt):
        view = comment_view(actor, state, c)
        answer = view.get("decision") or view["answer"] or {}
        body = c.comment["body"]
        anchor = next((a for a in c.anchors() if a["type"] == "clause"), None)
        rows.append({"id": c.id, "round": c.round, "party": c.party,
                     "party_name": view["party_name"], "party_type": c.party_type,
                     "deliverable": c.deliverable, "group": c.group, "status": view["status"],
                     "disposition": answer.get("disposition"),
                     "section": anchor["section"] if anchor else None,
                     "excerpt": (body.get("zh") or body.get("en", ""))[:80]})
    return rows


@dataclass(frozen=True)
class Dashboard:
    """The numbers a coordinator's (or a party's) review panel shows."""

    rounds: list[dict]  # {number, title, stage, visibility, comments, due}
    statuses: dict[str, int]
    adoption_rate: float | None  # over published substantive answers
    open_items: int
    awaiting_confirmation: int
    non_responses: list[dict]  # invitations answered neither with comments nor "no comment"
    overdue: list[dict] = field(default_factory=list)  # non-responses past their due date


def dashboard(actor: Actor, state: ReviewState, today: dt.date | None = None) -> Dashboard:
    """The dashboard over what `actor` may see."""
    today = today or dt.date.today()
    seen = visible_comments(actor, state)
    statuses = Counter(c.status if actor.coordinator else public_status(c) for c in seen)
    ledger = compute(state)
    non = [r for r in ledger.non_responses if actor.coordinator or r["party"] == actor.party]
    per_round = Counter(c.round for c in seen)
    rounds = [{"number": n, "title": r.title, "stage": r.stage, "visibility": r.visibility,
               "comments": per_round[n], "due": r.due} for n, r in sorted(state.rounds.items())]
    return Dashboard(rounds, dict(statuses), ledger.total.rate if actor.coordinator else None,
                     sum(statuses[s] for s in ("open", "decided", "reopened")),
                     statuses["answered"], non,
                     [r for r in non if r["due"] and r["due"][:10] < today.isoformat()])


# --- suggested groups ----------------------------------------------------------------------

def _grams(text: str) -> set[str]:
    text = "".join(ch for ch in text.casefold() if ch.isalnum())
    return {text[i:i + 2] for i in range(max(1, len(text) - 1))}


def _buckets(comments: list[CommentState]) -> dict[str, list[CommentState]]:
    """Comments by what they point at: only comments on the same thing are compared."""
    buckets: dict[str, list[CommentState]] = {}
    for c in comments:
        keys = {a["section"] if a["type"] == "clause" else a.get("uuid", "")
                for a in c.anchors() if a["type"] != "area"} or {"-"}
        for key in keys:
            buckets.setdefault(key, []).append(c)
    return buckets


def suggest_groups(state: ReviewState, round_: int | None = None,
                   threshold: float = 0.5) -> list[list[str]]:
    """Sets of comments that look like duplicates (bigram Jaccard ≥ threshold on one anchor)."""
    pool = [c for c in state.submitted() if not c.withdrawn and c.group is None
            and (round_ is None or c.round == round_)]
    parent = {c.id: c.id for c in pool}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for bucket in _buckets(pool).values():
        grams = [(c.id, _grams(" ".join(c.comment["body"].values()))) for c in bucket]
        for i, (a, ga) in enumerate(grams):
            for b, gb in grams[i + 1:]:
                if ga and gb and len(ga & gb) / len(ga | gb) >= threshold:
                    parent[root(a)] = root(b)
    sets: dict[str, list[str]] = {}
    for cid in parent:
        sets.setdefault(root(cid), []).append(cid)
    return sorted((sorted(s) for s in sets.values() if len(s) > 1), key=lambda s: s[0])
