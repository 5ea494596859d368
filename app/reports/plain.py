"""Plain A4 working documents (handling reports, QC reports): the story on A4 with the title and
the page number in the footer. Official outputs use document.py's EditionDoc instead."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, SimpleDocTemplate

from app.reports.fonts import reportlab_font


def build_a4(path: str | Path, title: str, page_label: str, story: list[Flowable]) -> Path:
    """Write `story` to `path`; `page_label` is the footer's page text with {n} for the page."""
    font = reportlab_font()

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(font, 7.5)
        canvas.setFillColor(colors.grey)
        canvas.drawString(18 * mm, 10 * mm, title)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, page_label.format(n=doc.page))
        canvas.restoreState()
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                            topMargin=16 * mm, bottomMargin=18 * mm, title=title,
                            author="CoPlan", invariant=1, initialFontName=font)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return Path(path)
