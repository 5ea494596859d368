"""Page flow of the A4 outputs, as a mixin of the doc template (document.py):

- front matter (cover, contents, lists) numbered apart: roman folios, the cover none; the body
  starts at 1 on a right-hand page;
- part openers (`RectoBreak`) on a new right-hand (odd) page, a blank verso before them if
  needed; a part opener's first chapter follows it on its page instead of leaving it near-empty;
- a back cover (`VersoBreak`) on the last left-hand (even) page, a blank recto before it if needed;
- headings kept with their text: a heading (with what stays with it: its English title, the
  line under it) moves to the next page unless three lines of what follows fit under it;
- running heads: the book's title on versos, the current 篇 and 章 on rectos, drawn at the
  page's end so that a chapter starting on a page names it;
- checks recorded for tests and the build's warnings: headings left at a page's foot
  (`stranded`) and 孤字 last lines (into `bad_lines`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Table
from reportlab.platypus.doctemplate import ActionFlowable, PageBegin
from reportlab.platypus.flowables import PageBreakIfNotEmpty, _listWrapOn

from app.reports.cjk import CJKParagraph, bad_line_starts, lonely_line
from app.reports.contents import Bookmark, Heading, ListAnchor

MIN_AFTER = 52.0  # points of text that must fit under a heading: three body lines
ROMAN = (("m", 1000), ("cm", 900), ("d", 500), ("cd", 400), ("c", 100), ("xc", 90), ("l", 50),
         ("xl", 40), ("x", 10), ("ix", 9), ("v", 5), ("iv", 4), ("i", 1))


def roman(n: int) -> str:
    """4 → iv."""
    out = ""
    for letters, value in ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


class RectoBreak(ActionFlowable):
    """Start a new right-hand page (a blank verso before it when needed), in page template
    `template` if given (then whatever comes before, however long, keeps its own)."""

    locChanger = 1  # reportlab's keepWithNext does not reach across it

    side = 1  # the page number's remainder by 2 wanted: odd

    def __init__(self, template: str | None = None):
        super().__init__(("rectoBreak", template, self.side))


class VersoBreak(RectoBreak):
    """Start a new left-hand (even) page: a back cover closes a book on its last verso."""

    side = 0


def _keeps(f) -> bool:
    return bool(getattr(f, "getKeepWithNext", lambda: 0)())


if TYPE_CHECKING:  # a mixin: its methods use the doc template's attributes
    from reportlab.platypus.doctemplate import BaseDocTemplate as _DocTemplate
else:
    _DocTemplate = object


class Pagination(_DocTemplate):
    """Mixin state and hooks; the doc template calls `_init_pagination` and `_track`."""

    def _init_pagination(self) -> None:
        self.body_first: int | None = None  # physical page of folio 1
        self.stranded: list[str] = []  # headings left on a page's last lines (expected none)
        self.openers: list[tuple[int, str]] = []  # (page, title) of each part opener (篇)
        self._part = self._chapter = ""
        self._start = ("", "")
        self._heads: dict[int, str] = {}  # level → first heading of that level on this page
        self._tail: Heading | None = None  # a heading with no text after it yet on this page
        self._opener: int | None = None  # page of a part opener not yet followed by a heading
        self._blank = False
        self._defined: set[str] = set()

    # --- folios ---------------------------------------------------------------------------

    def folio(self, page: int | None = None) -> str:
        """The printed page number: roman in the front matter, arabic from the body's first."""
        page = self.page if page is None else page
        if self.body_first is None or page < self.body_first:
            return roman(page)
        return str(page - self.body_first + 1)

    def beforePage(self) -> None:  # noqa: N802 (reportlab's name)
        if self.body_first is None and self.pageTemplate.id == "body":
            self.body_first = self.page
        self._start, self._heads, self._tail, self._blank = (self._part, self._chapter), {}, None, False

    def running_head(self) -> str:
        """What the recto's head says: the 篇 and 章 current on this page ('' on an opener)."""
        if 0 in self._heads:
            return ""
        chapter = self._heads.get(1) or self._start[1]
        return "　".join(t for t in (self._start[0], chapter) if t)

    # --- flow -----------------------------------------------------------------------------

    def handle_flowable(self, flowables) -> None:
        f = flowables[0] if flowables else None
        if isinstance(f, PageBreakIfNotEmpty) and (self._opener == self.page or (
                self.frame._atTop and not self._curPageFlowableCount)):
            del flowables[0]  # on an empty page, or the first chapter under its part opener
            return
        if isinstance(f, Heading) and f.level == 0 and self.pageTemplate.id == "body" and (
                not self.frame._atTop or self.page % 2 == 0):
            flowables.insert(0, RectoBreak())  # every part (篇, annexes, closing) opens on a recto
        elif isinstance(f, Heading) and self._no_room_under(flowables):
            flowables.insert(0, PageBreak())
        super().handle_flowable(flowables)

    def handle_keepWithNext(self, flowables) -> None:  # noqa: N802 (reportlab's name)
        """reportlab moves a heading and all of what follows it to the next page when that
        fits there, leaving a gap; a heading is kept with its text by `_no_room_under`
        instead, and the text then fills the page."""
        if isinstance(flowables[0], Heading) or (
                isinstance(flowables[0], Paragraph) and _keeps(flowables[0])):
            return
        super().handle_keepWithNext(flowables)

    def _no_room_under(self, flowables) -> bool:
        """True when the heading at flowables[0] would end the page: what keeps with it and
        MIN_AFTER of what follows do not fit in the frame's remaining height."""
        frame = self.frame
        if frame._atTop:
            return False
        width, avail = frame._getAvailableWidth(), frame._y - frame._y1p
        need = 0.0
        for g in flowables[:8]:
            if isinstance(g, (ActionFlowable, PageBreak)):
                return False  # a break or template change follows: nothing to keep with
            if isinstance(g, KeepTogether):  # its wrap answers "too tall" to force a split
                height = _listWrapOn(g._content, width, self.canv)[1]
            else:
                height = g.wrap(width, frame._aH)[1] + g.getSpaceBefore()
            if _keeps(g):
                need += height + g.getSpaceAfter()
                continue
            if isinstance(g, Table):  # its first row, with the rows repeated above it
                height = min(height, sum(g._rowHeights[:g.repeatRows + 1]))
            splits = isinstance(g, Paragraph) or (isinstance(g, KeepTogether) and height > frame._aH)
            need += min(height, MIN_AFTER) if splits else height
            break
        return need > avail + 1e-6

    def handle_rectoBreak(self, template: str | None = None, side: int = 1) -> None:  # noqa: N802
        if template:
            self.handle_nextPageTemplate(template)
        pending = bool(self._hanging) and self._hanging[-1] is PageBegin  # a break just ended one
        if not pending and (not self.frame._atTop or self._curPageFlowableCount):
            self.handle_pageBreak()
            pending = True
        if (self.page + 1 if pending else self.page) % 2 != side:
            if pending:
                self.clean_hanging()  # begin the verso now, to leave it blank
            self._blank = True  # no running head or folio on the blank verso
            if self.body_first is not None and self.body_first == self.page:
                self.body_first += 1
            self.handle_pageBreak()

    # --- tracking (from afterFlowable) ------------------------------------------------------

    def _track(self, flowable) -> None:
        """Running heads, the stranded-heading and 孤字 checks, list entries' page numbers."""
        if isinstance(flowable, CJKParagraph) and not isinstance(flowable, Heading):
            line = lonely_line(flowable)
            if line is not None:
                self.bad_lines.append(line)
        if isinstance(flowable, Table):  # the cells' Chinese text (the reader's is all there)
            self.bad_lines += _cell_problems(flowable)
        if isinstance(flowable, Heading):
            self._tail = flowable
            if flowable.level <= 1:
                label = flowable.plain
                self._heads.setdefault(flowable.level, label)
                if flowable.level == 0:
                    self._part, self._chapter = label, ""
                    self._opener = self.page if self.pageTemplate.id == "body" else None
                    if self._opener:
                        self.openers.append((self.page, label))
                else:
                    self._chapter, self._opener = label, None
        elif _keeps(flowable) or isinstance(flowable, (Bookmark, ListAnchor)) or \
                getattr(flowable, "height", 1) == 0:
            pass  # zero-size or kept with what follows: the heading still waits for its text
        else:
            self._tail = None
        anchor = flowable if isinstance(flowable, ListAnchor) else getattr(flowable, "anchor", None)
        if anchor is not None and anchor.key not in self._defined:
            self._defined.add(anchor.key)
            self._define(anchor.key)

    def _define(self, key: str) -> None:
        from app.reports.contents import define_number

        self.canv.bookmarkPage(key)
        define_number(self.canv, key, self.folio())

    def _end_page(self) -> None:
        """At a page's end (from afterPage): a heading with no text after it is stranded."""
        if self._tail is not None:
            self.stranded.append(self._tail.plain)


def _cell_problems(table: Table) -> list[str]:
    """Bad line starts and 孤字 last lines in the Chinese paragraphs of a table's cells."""
    out: list[str] = []
    for row in table._cellvalues:
        for cell in row:
            for p in cell if isinstance(cell, (list, tuple)) else [cell]:
                if isinstance(p, CJKParagraph):
                    out += bad_line_starts(p)
                    lonely = lonely_line(p)
                    out += [lonely] if lonely is not None else []
    return out


def fit(text: str, font: str, size: float, width: float) -> str:
    """`text`, cut with an ellipsis to fit `width`."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"
