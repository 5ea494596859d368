"""Anchors and their migration to a new draft.

A clause anchor is (section id, quoted text, character position in the section). When a new
draft is frozen, each anchor is looked for again and marked:
- confirmed: the quote is still at its position in the same section;
- moved: found elsewhere (same section, another section, or a close fuzzy match), with the
  new place in `anchor` and a `score` for fuzzy matches — a person reviews these;
- orphaned: not found; the comment keeps its original anchor for the record.

Migration works on plain mappings `section_id -> text` of the old and new draft, so it does not
depend on how the deliverable text is stored. On a large draft the matching takes long, so the
server plans it (`plan_migration`) before taking its write lock and, inside the lock,
`finish_migration` reuses the plan for every comment whose anchors did not change meanwhile.

Anchors are checked when they are made (`check_anchors`, on submit and on a correction): a clause
anchor must quote its section of the round's frozen draft exactly at its position, and an area
must touch the plan area. Positions count Python characters (code points) of the section text.
A migration result keeps both places: `result["anchor"]` is where the anchor stands now, while
the comment's own `anchors[i]` stays as the party wrote it (reports show both).
"""

from __future__ import annotations

import difflib
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from threading import Lock
from typing import TYPE_CHECKING, Protocol

import shapely

from app.errors import InvalidInput
from app.model.wkbscan import hex_bytes, scan_wkb
from app.review.model import STAGES

if TYPE_CHECKING:
    from app.review.access import Actor
    from app.review.state import ReviewState, Round

FUZZY_MIN = 0.75  # below this similarity a changed clause no longer counts as the same text
Sections = Mapping[str, str]
SHOWN_POSITIONS = 10  # positions named in a message before "…"


@dataclass(frozen=True)
class FeatureNow:
    """A feature as the server holds it at a freeze."""

    geometry: str | None  # hex WKB; None when the feature was deleted
    version: int | None = None  # the data version that last changed it, when known


# (layer, uuid) -> the feature now: hex WKB (or a FeatureNow), None if deleted. Features not in
# the mapping were not looked up and get no result.
Features = Mapping[tuple[str, str], "str | FeatureNow | None"]


def _hits(text: str, quote: str) -> list[int]:
    found: list[int] = []
    start = text.find(quote)
    while start >= 0 and len(found) < 1000:
        found.append(start)
        start = text.find(quote, start + 1)
    return found


def _result(status: str, anchor: dict, score: float = 1.0) -> dict:
    return {"status": status, "anchor": dict(anchor), "score": round(score, 3)}


def migrate_clause(anchor: dict, new: Sections) -> dict:
    """Where a clause anchor stands in the new draft: confirmed, moved or orphaned."""
    section, quote, position = anchor["section"], anchor["quote"], int(anchor["position"])
    text = new.get(section)
    if text is not None:
        if text[position:position + len(quote)] == quote:
            return _result("confirmed", anchor)
        hits = _hits(text, quote)
        if hits:
            best = min(hits, key=lambda h: (abs(h - position), h))
            return _result("moved", {**anchor, "position": best})
    for other in sorted(new):  # sorted: the same drafts always give the same answer
        hits = _hits(new[other], quote) if other != section else []
        if hits:
            return _result("moved", {**anchor, "section": other, "position": hits[0]})
    return _fuzzy(anchor, text) if text else _result("orphaned", anchor, 0.0)


def _fuzzy(anchor: dict, text: str) -> dict:
    """The closest window of `text` to the quote, if similar enough to be the same clause."""
    quote = anchor["quote"]
    matcher = difflib.SequenceMatcher(None, text, quote, autojunk=False)
    block = matcher.find_longest_match(0, len(text), 0, len(quote))
    if block.size == 0:
        return _result("orphaned", anchor, 0.0)
    start = max(0, block.a - block.b)
    best, best_score, best_len = start, 0.0, len(quote)
    for length in {len(quote), max(1, int(len(quote) * 0.85)), int(len(quote) * 1.15) + 1}:
        window = text[start:start + length]
        score = difflib.SequenceMatcher(None, window, quote, autojunk=False).ratio()
        if score > best_score:
            best, best_score, best_len = start, score, length
    if best_score < FUZZY_MIN:
        return _result("orphaned", anchor, best_score)
    moved = {**anchor, "quote": text[best:best + best_len], "position": best}
    return _result("moved", moved, best_score)


def migrate_feature(anchor: dict, features: Features) -> dict | None:
    """A feature anchor against the current map data; None when the feature was not looked up."""
    key = (anchor["layer"], anchor["uuid"])
    if key not in features:
        return None
    found = features[key]
    now = found if isinstance(found, FeatureNow) else FeatureNow(found)
    changed = {"changed_in": now.version} if now.version is not None else {}
    if now.geometry is None:
        return {**_result("orphaned", anchor, 0.0), **changed}
    if _same_geometry(now.geometry, anchor["geometry"]):
        return _result("confirmed", anchor)
    moved = {**anchor, "geometry": now.geometry}
    if now.version is not None:
        moved["data_version"] = now.version
    return {**_result("moved", moved), **changed}


def _same_geometry(a: str, b: str) -> bool:
    """Equal shapes, whatever the spelling (case of the hex, single or multi type, ring start)."""
    if a.upper() == b.upper():
        return True
    ga, gb = _geometry(a), _geometry(b)
    try:
        return bool(shapely.equals(ga, gb))
    except shapely.errors.GEOSException:  # an invalid ring: compare vertex by vertex
        return bool(shapely.equals_exact(ga, gb, 1e-9))


def migrate_anchors(comments: Iterable[tuple[str, list[dict]]], new: Sections,
                    features: Features | None = None) -> dict[str, list[dict]]:
    """Migration results per comment id: [{index, status, anchor, score}] (areas stay put)."""
    out: dict[str, list[dict]] = {}
    for comment_id, anchors in comments:
        results = []
        for index, anchor in enumerate(anchors):
            result: dict | None
            if anchor["type"] == "clause":
                result = migrate_clause(anchor, new)
            elif anchor["type"] == "feature":
                result = migrate_feature(anchor, features or {})
            else:
                result = None
            if result is not None:
                results.append({"index": index, **result})
        if results:
            out[comment_id] = results
    return out


@dataclass(frozen=True)
class Migration:
    """Anchor migration matched ahead of the write, with the anchors it was matched from.

    A plan belongs to the draft sections (and feature map) it was matched against."""

    inputs: dict[str, list[dict]]  # comment id -> its anchors when they were matched
    results: dict[str, list[dict]]  # as `migrate_anchors` returns for those inputs


def plan_migration(comments: Iterable[tuple[str, list[dict]]], new: Sections,
                   features: Features | None = None) -> Migration:
    """Match the anchors of `comments` against the new draft, keeping what was matched."""
    inputs = dict(comments)
    return Migration(inputs, migrate_anchors(inputs.items(), new, features))


def finish_migration(plan: Migration | None, comments: Iterable[tuple[str, list[dict]]],
                     new: Sections, features: Features | None = None) -> dict[str, list[dict]]:
    """`migrate_anchors(comments, ...)`, reusing `plan` for comments whose anchors it matched."""
    plan = plan or Migration({}, {})
    current = list(comments)
    # Each comment's result depends only on its own anchors: only new or changed ones are redone.
    changed = [(cid, anchors) for cid, anchors in current if plan.inputs.get(cid) != anchors]
    fresh = migrate_anchors(changed, new, features)
    redone = {cid for cid, _ in changed}
    out: dict[str, list[dict]] = {}
    for cid, _ in current:
        found = fresh.get(cid) if cid in redone else plan.results.get(cid)
        if found:
            out[cid] = found
    return out


def _geometry(hex_wkb: str):
    raw = hex_bytes(hex_wkb)
    scan_wkb(raw)  # GEOS must never see unbounded nesting or counts: it can crash the server
    try:
        return shapely.from_wkb(raw)
    except (ValueError, shapely.errors.GEOSException) as exc:
        raise InvalidInput(f"geometry is not valid WKB: {exc}") from exc


def check_geometry(hex_wkb: str, polygon: bool = False) -> None:
    """InvalidInput unless `hex_wkb` is a finite geometry in EPSG:4490 longitude/latitude."""
    geom = _geometry(hex_wkb)
    if geom.is_empty:
        raise InvalidInput("geometry is empty")
    if polygon and geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise InvalidInput(f"an area anchor must be a polygon, not a {geom.geom_type}")
    x0, y0, x1, y1 = geom.bounds
    if not (-180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90):
        raise InvalidInput("geometry is outside longitude/latitude bounds (EPSG:4490 expected)")


# --- checks when an anchor is made --------------------------------------------------------

class QuoteNotFound(InvalidInput):
    """The quoted words are not where the anchor says (or nowhere in the section)."""

    def __init__(self, message: str, positions: list[int]) -> None:
        super().__init__(message)
        self.positions = positions  # where the quote does occur in the section (may be empty)


class AmbiguousQuote(InvalidInput):
    """The quoted words occur more than once: an occurrence must be chosen."""

    def __init__(self, message: str, positions: list[int]) -> None:
        super().__init__(message)
        self.positions = positions


def _positions(hits: list[int]) -> str:
    shown = ", ".join(str(h) for h in hits[:SHOWN_POSITIONS])
    return shown + (", …" if len(hits) > SHOWN_POSITIONS else "")


def find_quote(text: str, quote: str, occurrence: int | None = None, *,
               section: str = "") -> int:
    """The position of `quote` in `text`: its only occurrence, or occurrence number
    `occurrence` (1-based) when it occurs several times; `section` names the text in messages."""
    if not quote:
        raise InvalidInput("the quote is empty")
    hits = _hits(text, quote)
    if not hits:
        raise QuoteNotFound(f"the quote does not occur in section {section}", [])
    if occurrence is None:
        if len(hits) > 1:
            raise AmbiguousQuote(
                f"the quote occurs {len(hits)} times in section {section} (at positions "
                f"{_positions(hits)}): choose an occurrence 1–{len(hits)}", hits)
        return hits[0]
    if not 1 <= occurrence <= len(hits):
        raise QuoteNotFound(f"section {section} has {len(hits)} occurrence(s) of the quote, "
                            f"not {occurrence}", hits)
    return hits[occurrence - 1]


def check_clause(anchor: dict, sections: Sections, number: int) -> None:
    """InvalidInput unless the anchor's quote stands at its position in its section of round
    `number`'s frozen draft; the message says where the quote actually is."""
    section, quote, position = anchor["section"], anchor["quote"], int(anchor["position"])
    text = sections.get(section)
    if text is None:
        raise InvalidInput(f"section {section} is not in the frozen draft of round {number}")
    if text[position:position + len(quote)] == quote:
        return
    hits = _hits(text, quote)
    if hits:
        raise QuoteNotFound(f"the quote is not at position {position} of section {section}: "
                            f"it is at position(s) {_positions(hits)}", hits)
    raise QuoteNotFound(f"the quote does not occur in section {section} of the frozen draft "
                        f"of round {number}", [])


def check_area(hex_wkb: str, area: object | None) -> None:
    """InvalidInput when a drawn area does not touch the plan area (None: nothing to check)."""
    if area is not None and not shapely.intersects(_geometry(hex_wkb), area):
        raise InvalidInput("the area lies outside the plan area")


class AnchorContext(Protocol):
    """What checking anchors reads (the review's Directory)."""

    def draft(self, draft_hash: str) -> Sections | None: ...
    def plan_area(self) -> object | None: ...  # a shapely geometry, None: no check


def check_anchors(anchors: list[dict], number: int, draft_hash: str | None,
                  context: AnchorContext) -> None:
    """Check clause anchors against round `number`'s frozen draft and areas against the plan
    area (InvalidInput naming what is wrong)."""
    if any(a["type"] == "clause" for a in anchors):
        sections = frozen_draft(context, draft_hash)
        if sections is None:
            raise InvalidInput(f"round {number} has no frozen draft to quote")
        for anchor in anchors:
            if anchor["type"] == "clause":
                check_clause(anchor, sections, number)
    if any(a["type"] == "area" for a in anchors):
        area = context.plan_area()
        for anchor in anchors:
            if anchor["type"] == "area":
                check_area(anchor["geometry"], area)


_DRAFTS: OrderedDict[str, Sections] = OrderedDict()  # draft hash -> sections, latest last
_DRAFTS_LOCK = Lock()
DRAFTS_KEPT = 4  # a draft may be tens of MB: keep the few that comments are being made on


def frozen_draft(context: AnchorContext, draft_hash: str | None) -> Sections | None:
    """The sections of a frozen draft, kept in memory by hash (a hash names one content, so the
    cache holds across projects and stores; it spares reading the draft on every comment)."""
    if not draft_hash:
        return None
    with _DRAFTS_LOCK:
        if draft_hash in _DRAFTS:
            _DRAFTS.move_to_end(draft_hash)
            return _DRAFTS[draft_hash]
    sections = context.draft(draft_hash)
    if sections is not None:
        with _DRAFTS_LOCK:
            _DRAFTS[draft_hash] = sections
            while len(_DRAFTS) > DRAFTS_KEPT:
                _DRAFTS.popitem(last=False)
    return sections


# --- who may read a frozen draft -----------------------------------------------------------

def can_read_draft(actor: Actor, state: ReviewState, draft_hash: str) -> bool:
    """Whether `actor` may read the frozen draft `draft_hash`: coordinators; invitees of a round
    frozen on it; for a `parties` round every party's member, for a `public` round everyone,
    once the round is issued. Others must not learn that a sealed draft exists."""
    if actor.coordinator:
        return True
    return any(r.draft_hash == draft_hash and _reads_round(actor, r)
               for r in state.rounds.values())


def _reads_round(actor: Actor, r: Round) -> bool:
    if actor.party in r.invitations and actor.role != "observer":
        return True
    issued = r.stage in STAGES and STAGES.index(r.stage) >= STAGES.index("issued")
    if r.visibility == "public":
        return issued
    return r.visibility == "parties" and issued and not actor.public
