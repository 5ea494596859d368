"""Paragraph and table styles of every output: running text in the serif (宋体-style) face,
headings, table heads and captions' labels in the sans (黑体-style) one, both embedded."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import TableStyle

from app.reports.fonts import heading_font, reportlab_font

INK = colors.HexColor("#1F2933")
ACCENT = colors.HexColor("#1F4E79")  # headings, rules, the cover band
MUTED = colors.HexColor("#6B7280")
RULE = colors.HexColor("#C9D3DD")
SHADE = colors.HexColor("#EEF2F6")
WARN = colors.HexColor("#B42318")  # sample / schematic notices


@dataclass(frozen=True)
class Styles:
    """The named styles of one output at one size."""

    body: ParagraphStyle  # Chinese running text (CJK line breaking)
    body_en: ParagraphStyle  # English running text (word wrapping)
    headings: tuple[ParagraphStyle, ...]  # by heading level, 0 = part
    meta: ParagraphStyle  # lead / participants / status line under a heading
    caption: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_en: ParagraphStyle
    head_cell: ParagraphStyle
    title: ParagraphStyle  # cover title
    subtitle: ParagraphStyle
    notice: ParagraphStyle
    toc: tuple[ParagraphStyle, ...]
    table_title: ParagraphStyle  # 表 N and the table's title, above it
    source: ParagraphStyle  # 资料来源 under a table


def _style(name: str, size: float, *, leading: float | None = None, cjk: bool = True,
           **kw) -> ParagraphStyle:
    # English text in the sans face too: proportional Latin letters (see fonts.py).
    font = heading_font() if kw.pop("hei", False) or not cjk else reportlab_font()
    return ParagraphStyle(name, fontName=font, fontSize=size,
                          leading=leading or size * 1.55, textColor=kw.pop("textColor", INK),
                          wordWrap="CJK" if cjk else None, **kw)


@cache
def styles(scale: float = 1.0) -> Styles:
    """The styles, with every size multiplied by `scale` (the A1 poster uses a larger one)."""
    s = scale
    headings = (
        _style("h0", 20 * s, leading=28 * s, textColor=ACCENT, spaceBefore=6 * s, spaceAfter=10 * s,
               hei=True),
        _style("h1", 15 * s, leading=22 * s, textColor=ACCENT, spaceBefore=12 * s, spaceAfter=6 * s,
               hei=True),
        _style("h2", 12.5 * s, leading=18 * s, spaceBefore=10 * s, spaceAfter=4 * s, hei=True),
        _style("h3", 11 * s, leading=16 * s, spaceBefore=8 * s, spaceAfter=3 * s, hei=True),
        _style("h4", 10.5 * s, leading=15 * s, textColor=ACCENT, spaceBefore=6 * s, spaceAfter=2 * s,
               hei=True),
    )
    for h in headings:
        h.keepWithNext = 1
    # Widow and orphan control: no paragraph leaves one line alone at a page's foot or head.
    text: dict[str, Any] = {"allowWidows": 0, "allowOrphans": 0}
    return Styles(
        body=_style("body", 10.5 * s, leading=17 * s, spaceAfter=5 * s, firstLineIndent=21 * s,
                    **text),
        body_en=_style("body_en", 9.5 * s, leading=13.5 * s, spaceAfter=5 * s, cjk=False, **text),
        headings=headings,
        # Under a heading: kept with the text that follows, as the heading is.
        meta=_style("meta", 8.5 * s, leading=12 * s, textColor=MUTED, spaceAfter=4 * s,
                    keepWithNext=1),
        caption=_style("caption", 8.5 * s, leading=12 * s, textColor=MUTED, alignment=TA_CENTER,
                       spaceBefore=2 * s, spaceAfter=8 * s),
        small=_style("small", 8 * s, leading=11 * s, textColor=MUTED),
        cell=_style("cell", 8 * s, leading=11 * s),
        cell_en=_style("cell_en", 8 * s, leading=10.5 * s, cjk=False),
        head_cell=_style("head_cell", 8 * s, leading=11 * s, textColor=colors.white, hei=True),
        title=_style("title", 28 * s, leading=38 * s, textColor=colors.white, alignment=TA_LEFT,
                     hei=True),
        subtitle=_style("subtitle", 14 * s, leading=21 * s, textColor=colors.white, hei=True),
        notice=_style("notice", 9.5 * s, leading=14 * s, textColor=WARN),
        toc=tuple(_style(f"toc{n}", size * s, leading=size * 1.5 * s, leftIndent=indent * s,
                         firstLineIndent=0, textColor=INK, hei=n == 0)
                  for n, (size, indent) in enumerate(((11, 0), (10, 14), (9, 28)))),
        table_title=_style("table_title", 9 * s, leading=13 * s, alignment=TA_CENTER,
                           spaceBefore=4 * s, spaceAfter=3 * s, keepWithNext=1, hei=True),
        source=_style("source", 8 * s, leading=11 * s, textColor=MUTED, spaceBefore=2 * s,
                      spaceAfter=8 * s),
    )


def right(style: ParagraphStyle) -> ParagraphStyle:
    """`style` aligned right."""
    return ParagraphStyle(style.name + "_r", parent=style, alignment=TA_RIGHT)


def titled_table_style() -> TableStyle:
    """A numbered table: its title in the first row and its source in the last, both spanning
    the columns and unruled; the column titles in a dark row; zebra rows between."""
    return TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), reportlab_font()),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("SPAN", (0, 0), (-1, 0)),
        ("SPAN", (0, -1), (-1, -1)),
        ("BACKGROUND", (0, 1), (-1, 1), ACCENT),
        ("ROWBACKGROUNDS", (0, 2), (-1, -2), [colors.white, SHADE]),
        ("LINEBELOW", (0, 1), (-1, -2), 0.25, RULE),
        ("LINEBELOW", (0, -2), (-1, -2), 0.6, ACCENT),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ])


def table_style(header_rows: int = 1) -> TableStyle:
    """Grid tables: a dark header row, light rules, zebra rows."""
    return TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), reportlab_font()),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), ACCENT),
        ("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [colors.white, SHADE]),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ])
