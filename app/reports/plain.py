"""Plain A4 working documents (handling reports, QC reports, progress reports and memos): the
story on A4 with the title and the page number in the footer, and the paragraph styles, story
and table they share. Official outputs use document.py's EditionDoc instead.

English text is set in the sans face: the serif face's Latin letters are monospaced
(app.reports.fonts)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, SimpleDocTemplate, Table, TableStyle

from app.reports.cjk import CJKParagraph
from app.reports.fonts import heading_font, reportlab_font
from app.reports.styles import ACCENT, SHADE, WARN

GRID = colors.HexColor("#9AA5B1")


def body_font(lang: str) -> str:
    """The face of running text in `lang`."""
    return reportlab_font() if lang == "zh" else heading_font()


def build_a4(path: str | Path, title: str, page_label: str, story: list[Flowable],
             lang: str = "zh") -> Path:
    """Write `story` to `path`; `page_label` is the footer's page text with {n} for the page."""
    font = body_font(lang)

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(font, 7.5)
        canvas.setFillColor(colors.grey)
        canvas.drawString(18 * mm, 10 * mm, title)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, page_label.format(n=doc.page))
        canvas.restoreState()
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                            topMargin=16 * mm, bottomMargin=18 * mm, title=title,
                            author="CoPlan", invariant=1, initialFontName=reportlab_font())
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return Path(path)


def a4_styles(lang: str, *, title_size: float = 22,
              subtitle_after: float = 6 * mm) -> dict[str, ParagraphStyle]:
    """The paragraph styles of a working document in `lang`: base, small, head (a table's
    header cell, white), title, subtitle, h2, note, warn (a red notice) and big (a figure)."""
    hei = heading_font()
    base = ParagraphStyle("base", fontName=body_font(lang), fontSize=9, leading=13,
                          wordWrap="CJK" if lang == "zh" else None)
    return {"base": base,
            "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=10),
            "head": ParagraphStyle("head", parent=base, fontName=hei, fontSize=7.5, leading=10,
                                   textColor=colors.white),
            "title": ParagraphStyle("title", parent=base, fontName=hei, fontSize=title_size,
                                    leading=title_size + 8, alignment=1, spaceAfter=2 * mm),
            "subtitle": ParagraphStyle("subtitle", parent=base, fontName=hei, fontSize=11,
                                       leading=16, alignment=1, textColor=colors.grey,
                                       spaceAfter=subtitle_after),
            "h2": ParagraphStyle("h2", parent=base, fontName=hei, fontSize=12, leading=17,
                                 textColor=ACCENT, spaceBefore=5 * mm, spaceAfter=2 * mm),
            "note": ParagraphStyle("note", parent=base, fontSize=7.5, leading=10,
                                   textColor=colors.HexColor("#555555"), spaceBefore=1 * mm),
            "warn": ParagraphStyle("warn", parent=base, fontName=hei, fontSize=9, leading=13,
                                   alignment=1, textColor=WARN, spaceBefore=1 * mm),
            "big": ParagraphStyle("big", parent=base, fontName=hei, fontSize=14, leading=18,
                                  alignment=1, textColor=ACCENT)}


class A4Story:
    """Paragraph factory of one working document in one language (`texts`: its labels)."""

    def __init__(self, lang: str, texts: dict[str, Any], **style_options):
        self.lang, self.t, self.st = lang, texts, a4_styles(lang, **style_options)

    def p(self, text: object, style: str = "base") -> CJKParagraph:
        return CJKParagraph(escape(str(text)), self.st[style])

    def head(self, keys: list[str]) -> list:
        """Header cells of a table, from label keys."""
        return [self.p(self.t[k], "head") for k in keys]


def a4_table(rows: list[list], widths: list[float], lang: str = "zh", header_rows: int = 1,
             font_size: float = 7.5) -> Table:
    """A table with a dark header row repeated on every page and banded rows; plain cells in
    the body face of `lang`."""
    out = Table(rows, colWidths=widths, repeatRows=header_rows, splitByRow=1)
    out.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), body_font(lang)), ("FONTSIZE", (0, 0), (-1, -1), font_size),
        ("GRID", (0, 0), (-1, -1), 0.3, GRID),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), ACCENT),
        ("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [colors.white, SHADE]),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]))
    return out
