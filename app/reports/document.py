"""The page machinery every output shares: cover and body pages, header and footer with the
edition, bookmarks and outline, the contents' page numbers, and a check of Chinese line breaks.

Builds are deterministic: reportlab's invariant mode (fixed document id), the edition's date
as the PDF's creation date, and no other source of variation. One layout pass: the contents
need no second one (see app/reports/contents.py).
"""

from __future__ import annotations

import io
import logging
import queue
import threading
from collections.abc import Callable, Generator
from dataclasses import dataclass

from reportlab.lib.colors import white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from app.model.jobs import Progress
from app.reports.cjk import CJKParagraph, bad_line_starts
from app.reports.contents import TOC_LEVELS, Bookmark, Heading, define_number, expand_contents
from app.reports.fonts import heading_font, reportlab_font
from app.reports.maptext import draw_labels
from app.reports.metadata import Production, mark_archival
from app.reports.pagination import Pagination, fit
from app.reports.styles import ACCENT, MUTED, WARN

log = logging.getLogger(__name__)

MARGINS = (20 * mm, 22 * mm, 24 * mm, 20 * mm)  # left, right, top, bottom


@dataclass(frozen=True)
class PageInfo:
    """What the running header and footer of an output say."""

    header: str  # e.g. the plan's title and the output's name
    footer: str  # the edition: output, version, date
    notice: str = ""  # e.g. that the content is sample text; printed in the header in red
    mark: str = ""  # e.g. 部分草稿: stamped on every page, cover and poster too (draw_mark)


@dataclass(frozen=True)
class PdfMeta:
    """The PDF's document information."""

    title: str
    author: str
    subject: str
    keywords: str
    date: str  # YYYY-MM-DD: creation date written into the PDF (the edition's, not the clock's)


class MapImage(Flowable):
    """A rendered map (PNG) at a fixed size."""

    def __init__(self, png: bytes, width: float, height: float, key: str = ""):
        super().__init__()
        self.png, self.width, self.height, self.key = png, width, height, key

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def draw(self) -> None:
        self.canv.drawImage(ImageReader(io.BytesIO(self.png)), 0, 0, self.width, self.height)
        draw_labels(self.canv, self.png, self.width, self.height)  # searchable map labels


class EditionDoc(Pagination, BaseDocTemplate):
    """A document with cover, front-matter and body page templates (page flow: Pagination)."""

    def __init__(self, page: PageInfo, meta: PdfMeta, pagesize=A4, cover: Callable | None = None,
                 production: Production | None = None):
        super().__init__(io.BytesIO(), pagesize=pagesize, invariant=1, initialFontName=reportlab_font(),
                         title=meta.title, author=meta.author, subject=meta.subject,
                         keywords=meta.keywords, creator="CoPlan", producer="CoPlan (reportlab)",
                         leftMargin=MARGINS[0], rightMargin=MARGINS[1], topMargin=MARGINS[2],
                         bottomMargin=MARGINS[3])
        # `page` is reportlab's page counter: the running texts live in `info`.
        self.info, self.pages = page, 0
        self.bad_lines: list[str] = []
        self.stamp = "D:" + meta.date.replace("-", "") + "000000+00'00'"
        # PDF/A-2b; `production` (ids, hashes, statuses) goes into the XMP, never on a page.
        self.date, self.production = meta.date, production
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self._init_pagination()
        # Heads and folios are drawn at the page's end, when its headings are known.
        self.addPageTemplates([
            PageTemplate("cover", [frame], onPage=cover or (lambda c, d: None)),
            PageTemplate("front", [frame], onPageEnd=self._decorate_front),
            PageTemplate("body", [frame], onPageEnd=self._decorate)])

    def _decorate(self, canvas, doc) -> None:
        """Running head and folio of a body page, at the outer edge: on a verso (even) the
        book's title, on a recto the current 篇 and 章; the edition and notice inside."""
        if self._blank:
            return
        font, width, height = heading_font(), self.pagesize[0], self.pagesize[1]
        left, right = MARGINS[0], width - MARGINS[1]
        top, bottom = height - MARGINS[2] + 8 * mm, MARGINS[3] - 10 * mm
        recto = self.page % 2 == 1
        head = self.running_head() if recto else self.info.header
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColor(MUTED)
        if head:
            head = fit(head, font, 8, (right - left) * 0.7)
            (canvas.drawRightString if recto else canvas.drawString)(right if recto else left,
                                                                     top, head)
        if self.info.notice:
            canvas.setFillColor(WARN)
            (canvas.drawString if recto else canvas.drawRightString)(left if recto else right,
                                                                     top, self.info.notice)
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(0.6)
        canvas.line(left, top - 2.5 * mm, right, top - 2.5 * mm)
        canvas.setFillColor(MUTED)
        (canvas.drawString if recto else canvas.drawRightString)(left if recto else right, bottom,
                                                                 self.info.footer)
        canvas.setFont(font, 9)
        (canvas.drawRightString if recto else canvas.drawString)(right if recto else left, bottom,
                                                                 f"— {self.folio()} —")
        canvas.restoreState()

    def _decorate_front(self, canvas, doc) -> None:
        """The front matter's roman folio, centred at the foot."""
        canvas.saveState()
        canvas.setFont(reportlab_font(), 9)
        canvas.setFillColor(MUTED)
        canvas.drawCentredString(self.pagesize[0] / 2, MARGINS[3] - 10 * mm, self.folio())
        canvas.restoreState()

    def beforeDocument(self) -> None:  # noqa: N802 (reportlab's name)
        self.pages = 0
        # Invariant mode would write 2000-01-01; the edition's date is as fixed and truthful.
        self.canv.setDateFormatter(lambda *_: self.stamp)
        mark_archival(self.canv, self.date, self.production)

    def afterPage(self) -> None:  # noqa: N802
        self._end_page()
        self.pages += 1
        if self.info.mark:  # after the page's own drawing, so nothing covers it
            draw_mark(self.canv, self.pagesize, self.info.mark)

    def afterFlowable(self, flowable) -> None:  # noqa: N802 (reportlab's name)
        self._track(flowable)
        if isinstance(flowable, CJKParagraph):  # Chinese rules; English wraps by words
            self.bad_lines += bad_line_starts(flowable)
        if not isinstance(flowable, (Heading, Bookmark)):
            return
        self.canv.bookmarkPage(flowable.key)
        self.canv.addOutlineEntry(flowable.plain, flowable.key, level=flowable.level,
                                  closed=flowable.level >= 1)
        if flowable.toc and flowable.level < TOC_LEVELS:
            define_number(self.canv, flowable.key, self.folio())


def cover_band(fraction: float = 0.45) -> Callable:
    """An onPage callback painting the cover's coloured band over the top `fraction`."""
    def paint(canvas, doc) -> None:
        width, height = doc.pagesize
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        canvas.rect(0, height * (1 - fraction), width, height * fraction, stroke=0, fill=1)
        canvas.restoreState()  # no product name on an official cover
    return paint


def draw_mark(canvas, pagesize: tuple[float, float], text: str) -> None:
    """Stamp `text` on the current page: a boxed line at the top edge and a faint diagonal
    watermark of its first words, so no page of a partial build passes for the whole plan."""
    width, height = pagesize
    font, size = reportlab_font(), max(10.0, width / 60)  # A4 ~10 pt, the A1 poster ~28 pt
    text_width = canvas.stringWidth(text, font, size)
    x, y = (width - text_width) / 2, height - 1.9 * size
    canvas.saveState()
    canvas.setFillColor(white)
    canvas.setStrokeColor(WARN)
    canvas.rect(x - size / 2, y - 0.45 * size, text_width + size, 1.6 * size, stroke=1, fill=1)
    canvas.setFillColor(WARN)
    canvas.setFont(font, size)
    canvas.drawString(x, y, text)
    canvas.setFillAlpha(0.09)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(35)
    canvas.setFont(font, width / 9)
    canvas.drawCentredString(0, -width / 27, text.split("（")[0].split(" ")[0])
    canvas.restoreState()


def iter_layout(doc: EditionDoc, story: list) -> Generator[Progress, None, bytes]:
    """Lay out `story` (its contents expanded), yielding progress; returns the PDF.

    reportlab's build cannot yield, so it runs on a helper thread that reports each placed
    flowable; closing this generator cancels the build at the next flowable."""
    return (yield from _build_on_thread(doc, expand_contents(story)))


class _Cancelled(Exception):
    pass


def _build_on_thread(doc: EditionDoc, story: list) -> Generator[Progress, None, bytes]:
    """One reportlab build of `story` on a helper thread, yielding progress; the PDF."""
    events: queue.Queue = queue.Queue()
    cancel = threading.Event()
    out, total = io.BytesIO(), len(story)

    def progress(kind: str, value: int) -> None:
        if cancel.is_set():
            raise _Cancelled()
        if kind == "PROGRESS" and value % 50 == 0:
            events.put(value)

    def run() -> None:
        try:
            doc.setProgressCallBack(progress)
            doc.build(story, filename=out)
            events.put(None)
        except BaseException as exc:  # handed over to the generator's thread
            events.put(exc)

    worker = threading.Thread(target=run, name="coplan-layout", daemon=True)
    worker.start()
    try:
        while (event := events.get()) is not None:
            if isinstance(event, BaseException):
                raise event
            yield Progress("layout", event, total, "layout")
    finally:
        cancel.set()
        worker.join()
    return out.getvalue()
