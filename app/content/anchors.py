"""Anchoring comments to text: a section id, the quoted words and where they were.

Comment rounds keep (section id, quote, position); after edits the quote is looked for again,
nearest to where it was, so a comment follows its words or is reported as orphaned.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from app.content.model import Content
from app.errors import InvalidInput


@dataclass(frozen=True)
class Anchor:
    """A span of a section's text that a comment refers to."""

    section_id: str
    quote: str
    position: int  # character offset of the quote in the text when the comment was made
    lang: str = "zh"
    part: str = "body"  # body | title


def section_text(db: sqlite_utils.Database, section_id: str, lang: str = "zh",
                 part: str = "body") -> str:
    """The current body (or title) of a section in `lang`, read from a project database."""
    from app.content.store import get_section  # the project layer only when a file is read

    return get_section(db, section_id).text(lang, part)


def section_texts(db: sqlite_utils.Database, lang: str = "zh",
                  part: str = "body") -> dict[str, str]:
    """Every section's body (or title) in `lang` by section id: a draft as comment-anchor
    migration sees it."""
    from app.content.store import load_content

    return {s.id: s.text(lang, part) for s in load_content(db)}


def locate(text: str, quote: str, position: int = 0) -> int | None:
    """Offset of the occurrence of `quote` in `text` nearest to `position`; None if absent."""
    if not quote:
        raise InvalidInput("a comment anchor needs a non-empty quote")
    found, start = [], text.find(quote)
    while start != -1:
        found.append(start)
        start = text.find(quote, start + 1)
    return min(found, key=lambda at: (abs(at - position), at)) if found else None


def resolve(content: Content, anchor: Anchor) -> int | None:
    """Where the anchor's quote is now in its section; None if the section or quote is gone."""
    if anchor.section_id not in content:
        return None
    return locate(content.text(anchor.section_id, anchor.lang, anchor.part), anchor.quote,
                  anchor.position)


def is_valid(content: Content, anchor: Anchor) -> bool:
    """True when the quote stands exactly at the anchor's position."""
    if anchor.section_id not in content or not anchor.quote:
        return False
    text = content.text(anchor.section_id, anchor.lang, anchor.part)
    return text[anchor.position:anchor.position + len(anchor.quote)] == anchor.quote
