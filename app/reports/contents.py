"""Headings, bookmarks, the table of contents and the lists of figures and tables, in one
layout pass.

Every heading is in the story before layout starts, so the contents' lines (and so the
pages they fill) are known up front. Only the page numbers are not: each line draws its number
as a PDF form XObject named after the heading, and the document defines that form when the
heading is placed. PDF allows the forward reference, so no second pass is needed.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether
from reportlab.platypus.flowables import PageBreakIfNotEmpty

from app.reports.cjk import CJKParagraph, line_texts
from app.reports.fonts import reportlab_font
from app.reports.styles import INK, MUTED, styles

TOC_LEVELS = 3  # headings of levels 0–2 are listed
FORM_SIZE = 10.0  # font size inside the number forms; each line scales them to its own


def form_name(key: str) -> str:
    """The name of the form holding the page number of heading `key`."""
    return f"toc.{key}"


def define_number(canvas, key: str, page: int | str) -> None:
    """Define the page-number form of heading `key` (called where the heading is placed)."""
    canvas.beginForm(form_name(key), lowerx=-200, lowery=-5, upperx=5, uppery=20)
    canvas.setFont(reportlab_font(), FORM_SIZE)
    canvas.setFillColor(INK)
    canvas.drawRightString(0, 0, str(page))
    canvas.endForm()


class Heading(CJKParagraph):
    """A heading: bookmarked, in the outline, and (levels < TOC_LEVELS) in the contents."""

    def __init__(self, text: str, level: int, key: str, scale: float = 1.0, toc: bool = True,
                 label: str | None = None, style=None):
        super().__init__(escape(text), style or styles(scale).headings[min(level, 4)])
        self.level, self.key, self.toc = level, key, toc
        self.plain = label or text  # what the outline and the contents say


class Bookmark(Flowable):
    """An invisible outline and contents entry (for panels that carry no heading)."""

    def __init__(self, label: str, level: int, key: str, toc: bool = True):
        super().__init__()
        self.plain, self.level, self.key, self.toc = label, level, key, toc

    def wrap(self, avail_width, avail_height):
        return 0, 0

    def draw(self) -> None:
        pass


class ListAnchor(Flowable):
    """An invisible entry of the list of figures or of tables, where the item begins.

    A table carries one as its `anchor` attribute (the doc template defines the page number
    when the table's first part is placed)."""

    def __init__(self, kind: str, label: str, key: str):
        super().__init__()
        self.kind, self.plain, self.key = kind, label, key  # kind: figure | table

    def wrap(self, avail_width, avail_height):
        return 0, 0

    def draw(self) -> None:
        pass


LISTS = (("figure", "插图目录 List of figures", "list-figures"),
         ("table", "表格目录 List of tables", "list-tables"))


class Contents(Flowable):
    """Where the contents go; replaced by its lines once the story is complete."""

    def __init__(self, scale: float = 1.0):
        super().__init__()
        self.scale = scale

    def wrap(self, avail_width, avail_height):
        return 0, 0

    def draw(self) -> None:
        pass


class ContentsLine(Flowable):
    """One entry: the heading's title, a dotted leader, its page number, a link to it."""

    def __init__(self, level: int, text: str, key: str, scale: float = 1.0):
        super().__init__()
        self.level, self.key, self.scale = level, key, scale
        self.style = styles(scale).toc[min(level, len(styles(scale).toc) - 1)]
        self.number_width = 36 * scale
        self.para = CJKParagraph(escape(text), self.style)

    def wrap(self, avail_width, avail_height):
        _, height = self.para.wrap(avail_width - self.number_width, avail_height)
        self.width, self.height = avail_width, height + self.style.spaceAfter
        return self.width, self.height

    def draw(self) -> None:
        c, s = self.canv, self.style
        self.para.drawOn(c, 0, s.spaceAfter)
        baseline = s.spaceAfter + s.leading - s.fontSize  # of the title's last line
        end = s.leftIndent + stringWidth(line_texts(self.para)[-1], s.fontName, s.fontSize)
        if self.level >= 1:
            c.saveState()
            c.setStrokeColor(MUTED)
            c.setLineWidth(0.5 * self.scale)
            c.setDash(0.5 * self.scale, 2.5 * self.scale)
            c.line(end + 4 * self.scale, baseline + 1, self.width - self.number_width + 6 * self.scale,
                   baseline + 1)
            c.restoreState()
        c.saveState()
        c.translate(self.width, baseline)
        c.scale(s.fontSize / FORM_SIZE, s.fontSize / FORM_SIZE)
        c.doForm(form_name(self.key))
        c.restoreState()
        c.linkRect("", self.key, (0, 0, self.width, self.height), relative=1)


def entries(story: list) -> list[tuple[int, str, str]]:
    """(level, label, key) of every heading the contents list, in story order."""
    return [(f.level, f.plain, f.key) for f in story
            if isinstance(f, (Heading, Bookmark)) and f.toc and f.level < TOC_LEVELS]


def anchors(story: list, kind: str) -> list[ListAnchor]:
    """The list entries of `kind` in story order (in kept-together blocks and on tables too)."""
    out: list[ListAnchor] = []
    for f in story:
        if isinstance(f, KeepTogether):
            out += anchors(f._content, kind)
        found = f if isinstance(f, ListAnchor) else getattr(f, "anchor", None)
        if isinstance(found, ListAnchor) and found.kind == kind:
            out.append(found)
    return out


def lists(story: list, scale: float) -> list[Flowable]:
    """The lists of figures and of tables (those that have entries), each on a new page."""
    out: list[Flowable] = []
    for kind, title, key in LISTS:
        items = anchors(story, kind)
        if items:
            out += [PageBreakIfNotEmpty(), Heading(title, 0, key, scale, toc=False)]
            out += [ContentsLine(1, a.plain, a.key, scale) for a in items]
    return out


def expand_contents(story: list) -> list:
    """The story with each `Contents` replaced by the lines of its headings, then the lists
    of figures and tables."""
    lines = None
    out = []
    for f in story:
        if isinstance(f, Contents):
            lines = lines or entries(story)
            out += [ContentsLine(level, text, key, f.scale) for level, text, key in lines]
            out += lists(story, f.scale)
        else:
            out.append(f)
    return out
