"""Sections of a plan's text: stable ids, owner, bilingual title and body, status, links.

A `Section` is one row of the project's `coplan_sections` table; `Content` is the ordered tree
of them. Pure data: no I/O, no Qt. Ids are stable strings that comments anchor to
(`vision`, `vision.innovation`, `S1.goals`, `Z3.strategy.2`); a section added under another
gets `PARENT.KIND.N`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from app.errors import InvalidInput, NotFound

STATUSES = ("draft", "review", "final")  # in order of maturity
LANGS = ("zh", "en")
FIELDS = ("title", "body")
SECTION_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,31}(\.[A-Za-z0-9_-]{1,32}){0,11}$")
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Focus:
    """The feature a section's map is framed on: the one whose `field` equals `value`."""

    layer: str
    field: str
    value: str


@dataclass(frozen=True)
class Links:
    """What a section points at: project-library features, map layers, the map's focus."""

    projects: tuple[str, ...] = ()  # feature UUIDs of the XMK_* layers
    layers: tuple[str, ...] = ()  # layer codes drawn on the section's map
    focus: Focus | None = None

    def to_json(self) -> dict:
        """The JSON form stored in the `links` column."""
        focus = None if self.focus is None else {"layer": self.focus.layer,
                                                 "field": self.focus.field, "value": self.focus.value}
        return {"projects": list(self.projects), "layers": list(self.layers), "focus": focus}

    @classmethod
    def from_json(cls, data: dict | None) -> Links:
        """Links from their JSON form (missing keys are empty)."""
        data = data or {}
        focus = data.get("focus")
        return cls(tuple(data.get("projects") or ()), tuple(data.get("layers") or ()),
                   Focus(focus["layer"], focus["field"], str(focus["value"])) if focus else None)


@dataclass(frozen=True)
class Section:
    """One section of a deliverable: identity, place in the tree, owner, text and links."""

    uuid: str  # identity for sync; never changes
    id: str  # stable section id, e.g. "Z3.strategy.2"
    parent: str | None  # the parent's section id; None for a root
    ord: int  # order among its siblings
    kind: str  # a kind of the content template: report, dimension, goal, system, zone, ...
    owner: str  # party code of the party that drafts it (the lead)
    title_zh: str
    title_en: str
    body_zh: str = ""  # plain text; paragraphs separated by a blank line
    body_en: str = ""
    status: str = "draft"  # draft | review | final
    participants: tuple[str, ...] = ()  # party codes taking part besides the owner
    links: Links = field(default_factory=Links)
    modified_at: str = ""  # ISO-8601 UTC of the last edit
    modified_by: str = ""

    def title(self, lang: str = "zh") -> str:
        return self.title_zh if lang == "zh" else self.title_en

    def body(self, lang: str = "zh") -> str:
        return self.body_zh if lang == "zh" else self.body_en

    def text(self, lang: str = "zh", part: str = "body") -> str:
        """The title or body in `lang`; InvalidInput for an unknown language or part."""
        if lang not in LANGS or part not in FIELDS:
            raise InvalidInput(f"text is {'/'.join(FIELDS)} in {'/'.join(LANGS)}, not {part}/{lang}")
        return self.title(lang) if part == "title" else self.body(lang)

    def paragraphs(self, lang: str = "zh") -> list[str]:
        """The body's paragraphs in `lang`."""
        return paragraphs(self.body(lang))

    def digest(self) -> str:
        """SHA-256 of everything an output prints of the section (not who edited it when)."""
        data = [self.id, self.parent, self.ord, self.kind, self.owner, list(self.participants),
                self.status, self.title_zh, self.title_en, self.body_zh, self.body_en,
                self.links.to_json()]
        return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()

    def edited(self, **changes) -> Section:
        """A copy with `changes` applied."""
        return replace(self, **changes)


def paragraphs(text: str) -> list[str]:
    """Paragraphs of a plain-text body: split at blank lines, inner line breaks joined."""
    parts = (" ".join(line.strip() for line in p.splitlines()) for p in PARAGRAPH_BREAK.split(text))
    return [p.strip() for p in parts if p.strip()]


class Content:
    """All sections of a project as a tree in reading order (parents before children)."""

    def __init__(self, sections: list[Section]):
        self._by_id = {s.id: s for s in sections}
        self._children: dict[str | None, list[Section]] = {}
        for s in sorted(sections, key=lambda s: (s.ord, s.id)):
            parent = s.parent if s.parent in self._by_id else None
            self._children.setdefault(parent, []).append(s)
        self._order = list(self._walk(None))

    def _walk(self, parent: str | None) -> Iterator[Section]:
        for child in self._children.get(parent, []):
            yield child
            yield from self._walk(child.id)

    def __len__(self) -> int:
        return len(self._order)

    def __iter__(self) -> Iterator[Section]:
        return iter(self._order)

    def __contains__(self, section_id: str) -> bool:
        return section_id in self._by_id

    def get(self, section_id: str) -> Section:
        """The section `section_id`; NotFound otherwise."""
        try:
            return self._by_id[section_id]
        except KeyError:
            raise NotFound(f"no section {section_id!r}") from None

    def children(self, section_id: str | None) -> list[Section]:
        """Direct children in order (`None`: the roots)."""
        return list(self._children.get(section_id, []))

    def ancestors(self, section_id: str) -> list[Section]:
        """Parent, grandparent, ... of a section."""
        out, current = [], self.get(section_id)
        while current.parent in self._by_id:
            current = self._by_id[current.parent]
            out.append(current)
        return out

    def depth(self, section_id: str) -> int:
        """0 for a root, 1 for its children, and so on."""
        return len(self.ancestors(section_id))

    def text(self, section_id: str, lang: str = "zh", part: str = "body") -> str:
        """The body (or title) of a section in `lang`."""
        return self.get(section_id).text(lang, part)

    def digest(self, section_ids: list[str] | None = None) -> str:
        """SHA-256 over the digests of the given sections (default: all), in reading order."""
        wanted = None if section_ids is None else set(section_ids)
        digest = hashlib.sha256()
        for s in self._order:
            if wanted is None or s.id in wanted:
                digest.update(s.digest().encode())
        return digest.hexdigest()


def check_section_id(section_id: str) -> str:
    """`section_id` if well formed; InvalidInput otherwise."""
    if not isinstance(section_id, str) or not SECTION_ID.match(section_id):
        raise InvalidInput(f"section id {section_id!r} must be dot-separated letters, digits, "
                           "'_' or '-' starting with a letter (e.g. Z3.strategy.2)")
    return section_id


def check_status(status: str) -> str:
    """`status` if known; InvalidInput otherwise."""
    if status not in STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    return status
