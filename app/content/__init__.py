"""The plan's text as sections (Qt-free): the 1+8+5 deliverables' structure from a template,
stable section ids, owner, bilingual text, status and links to projects and map layers.

The lookups comment rounds need, by stable section id:

    from app.content import load_content, section_text, locate
    text = section_text(project.db, "Z3.strategy.2", lang="zh")   # body; part="title" too
    where = locate(text, quote, position)                           # None: the quote is gone
    draft = section_texts(project.db, lang="zh")                    # {section id: body}
"""

from app.content.anchors import Anchor, is_valid, locate, resolve, section_text, section_texts
from app.content.model import Content, Links, Section

__all__ = ["Anchor", "Content", "Links", "Section", "get_section", "is_valid", "load_content",
           "locate", "resolve", "section_text", "section_texts"]


def __getattr__(name: str):
    # Project-file readers load lazily: importing the model must not pull in the project layer.
    if name in ("get_section", "load_content"):
        from app.content import store

        return getattr(store, name)
    raise AttributeError(name)
