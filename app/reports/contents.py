"""Headings, bookmarks and the table of contents, in one layout pass.

Every heading is in the story before layout starts, so the contents' lines (and so the
pages they fill) are known up front. Only the page numbers are not: each line draws its number
as a PDF form XObject named after the heading, and the document defines that form when the
heading is placed. PDF allows the forward reference, so no second pass is needed.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from app.reports.cjk import CJKParagraph, line_texts
from app.reports.fonts import reportlab_font
from app.reports.styles import INK, MUTED, styles

TOC_LEVELS = 3  # headings of levels 0–2 are listed
FORM_SIZE = 10.0  # font size inside the number forms; each line scales them to its own


def form_name(key: str) -> str:
    """The name of the form holding the page number of heading `key`."""
    return f"toc.{key}"


def define_number(canvas, key: str, page: int) -> None:
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


def expand_contents(story: list) -> list:
    """The story with each `Contents` replaced by the lines of its headings."""
    lines = None
    out = []
    for f in story:
        if isinstance(f, Contents):
            lines = lines or entries(story)
            out += [ContentsLine(level, text, key, f.scale) for level, text, key in lines]
        else:
            out.append(f)
    return out
