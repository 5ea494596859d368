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
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import shapely

from app.errors import InvalidInput
from app.model.wkbscan import hex_bytes, scan_wkb

FUZZY_MIN = 0.75  # below this similarity a changed clause no longer counts as the same text
Sections = Mapping[str, str]
Features = Mapping[tuple[str, str], str | None]  # (layer, uuid) -> hex WKB now, None if deleted


def _hits(text: str, quote: str) -> list[int]:
    found, start = [], text.find(quote)
    while start >= 0 and len(found) < 1000:
        found.append(start)
        start = text.find(quote, start + 1)
    return found


def _result(status: str, anchor: dict, score: float = 1.0) -> dict:
    return {"status": status, "anchor": anchor, "score": round(score, 3)}


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
    now = features[key]
    if now is None:
        return _result("orphaned", anchor, 0.0)
    if shapely.equals_exact(_geometry(now), _geometry(anchor["geometry"]), 1e-9):
        return _result("confirmed", anchor)
    return _result("moved", {**anchor, "geometry": now})


def migrate_anchors(comments: Iterable[tuple[str, list[dict]]], new: Sections,
                    features: Features | None = None) -> dict[str, list[dict]]:
    """Migration results per comment id: [{index, status, anchor, score}] (areas stay put)."""
    out: dict[str, list[dict]] = {}
    for comment_id, anchors in comments:
        results = []
        for index, anchor in enumerate(anchors):
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
