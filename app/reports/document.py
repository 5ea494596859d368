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

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from app.model.jobs import Progress
from app.reports.cjk import bad_line_starts
from app.reports.contents import TOC_LEVELS, Bookmark, Heading, define_number, expand_contents
from app.reports.fonts import reportlab_font
from app.reports.styles import ACCENT, MUTED, WARN

log = logging.getLogger(__name__)

MARGINS = (20 * mm, 22 * mm, 24 * mm, 20 * mm)  # left, right, top, bottom


@dataclass(frozen=True)
class PageInfo:
    """What the running header and footer of an output say."""

    header: str  # e.g. the plan's title and the output's name
    footer: str  # the edition: output, version, date
    notice: str = ""  # e.g. that the content is sample text; printed in the header in red


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


class EditionDoc(BaseDocTemplate):
    """A document with a cover page template and a body page template."""

    def __init__(self, page: PageInfo, meta: PdfMeta, pagesize=A4, cover: Callable | None = None):
        super().__init__(io.BytesIO(), pagesize=pagesize, invariant=1, initialFontName=reportlab_font(),
                         title=meta.title, author=meta.author, subject=meta.subject,
                         keywords=meta.keywords, creator="CoPlan", producer="CoPlan (reportlab)",
                         leftMargin=MARGINS[0], rightMargin=MARGINS[1], topMargin=MARGINS[2],
                         bottomMargin=MARGINS[3])
        # `page` is reportlab's page counter: the running texts live in `info`.
        self.info, self.bad_lines, self.pages = page, [], 0
        self.stamp = "D:" + meta.date.replace("-", "") + "000000+00'00'"
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([
            PageTemplate("cover", [frame], onPage=cover or (lambda c, d: None)),
            PageTemplate("body", [frame], onPage=self._decorate)])

    def _decorate(self, canvas, doc) -> None:
        """Header (title, notice) and footer (edition, page number) of a body page."""
        font, width, height = reportlab_font(), self.pagesize[0], self.pagesize[1]
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColor(MUTED)
        top, bottom = height - MARGINS[2] + 8 * mm, MARGINS[3] - 10 * mm
        canvas.drawString(MARGINS[0], top, self.info.header)
        if self.info.notice:
            canvas.setFillColor(WARN)
            canvas.drawRightString(width - MARGINS[1], top, self.info.notice)
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(0.6)
        canvas.line(MARGINS[0], top - 2.5 * mm, width - MARGINS[1], top - 2.5 * mm)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGINS[0], bottom, self.info.footer)
        canvas.drawRightString(width - MARGINS[1], bottom, f"第 {doc.page} 页")
        canvas.restoreState()

    def beforeDocument(self) -> None:  # noqa: N802 (reportlab's name)
        self.pages = 0
        # Invariant mode would write 2000-01-01; the edition's date is as fixed and truthful.
        self.canv.setDateFormatter(lambda *_: self.stamp)

    def afterPage(self) -> None:  # noqa: N802
        self.pages += 1

    def afterFlowable(self, flowable) -> None:  # noqa: N802 (reportlab's name)
        if isinstance(flowable, Paragraph):
            self.bad_lines += bad_line_starts(flowable)
        if not isinstance(flowable, (Heading, Bookmark)):
            return
        self.canv.bookmarkPage(flowable.key)
        self.canv.addOutlineEntry(flowable.plain, flowable.key, level=flowable.level,
                                  closed=flowable.level >= 1)
        if flowable.toc and flowable.level < TOC_LEVELS:
            define_number(self.canv, flowable.key, self.page)


def cover_band(fraction: float = 0.45) -> Callable:
    """An onPage callback painting the cover's coloured band over the top `fraction`."""
    def paint(canvas, doc) -> None:
        width, height = doc.pagesize
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        canvas.rect(0, height * (1 - fraction), width, height * fraction, stroke=0, fill=1)
        canvas.setFont(reportlab_font(), 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGINS[0], MARGINS[3] - 10 * mm, "CoPlan · 都市圈协同规划")
        canvas.restoreState()
    return paint


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
