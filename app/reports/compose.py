"""Building blocks every output is assembled from: cover, contents, numbered headings,
section text (Chinese, English, or paired), maps with captions, and tables."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
)

from app.content.model import Section
from app.reports.cjk import CJKParagraph
from app.reports.contents import Contents, Heading, ListAnchor
from app.reports.document import MapImage
from app.reports.edition import STATUS_NAMES, Edition, Inputs
from app.reports.fonts import reportlab_font
from app.reports.maps import MapSpec, linked_projects
from app.reports.pagination import RectoBreak
from app.reports.styles import ACCENT, styles, table_style, titled_table_style

DIGITS = "零一二三四五六七八九"


def zh_number(n: int) -> str:
    """1 → 一, 12 → 十二, 40 → 四十 (1–99)."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return DIGITS[ones]
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def numbered(level: int, n: int, title: str) -> str:
    """A heading title with Chinese document numbering for its level."""
    prefix = (f"第{zh_number(n)}篇 ", f"{zh_number(n)}、", f"（{zh_number(n)}）", f"{n}. ",
              f"（{n}）")[min(level, 4)]
    return prefix + title


class Composer:
    """Turns sections into flowables for one output, numbering headings and figures."""

    def __init__(self, inputs: Inputs, edition: Edition, maps: dict[str, bytes],
                 specs: dict[str, MapSpec], width: float, scale: float = 1.0):
        self.inputs, self.edition, self.maps, self.specs = inputs, edition, maps, specs
        self.width, self.scale, self.s = width, scale, styles(scale)
        self._counters = [0] * 6
        self._figures = self._tables = 0
        self._titles = [""] * 6  # the latest heading's title at each level: a table's title
        self._level = 0  # of the latest heading

    # --- text ---------------------------------------------------------------------------

    def para(self, text: str, lang: str = "zh", style=None) -> Paragraph:
        """One paragraph of plain text (escaped), Chinese or English line breaking."""
        if lang == "zh":
            return CJKParagraph(escape(text), style or self.s.body)
        return Paragraph(escape(text), style or self.s.body_en)

    def body(self, section: Section, lang: str = "zh") -> list[Flowable]:
        """The section's paragraphs in `lang`."""
        return [self.para(p, lang) for p in section.paragraphs(lang)]

    def bilingual(self, section: Section) -> list[Flowable]:
        """Each Chinese paragraph side by side with its English one."""
        zh, en = section.paragraphs("zh"), section.paragraphs("en")
        rows = [[self.para(zh[i] if i < len(zh) else "", "zh"),
                 self.para(en[i] if i < len(en) else "", "en")]
                for i in range(max(len(zh), len(en)))]
        if not rows:
            return []
        half = self.width / 2
        # splitInRow: a long paragraph pair may continue on the next page.
        table = Table(rows, colWidths=(half, half), splitInRow=1, style=[
            ("FONTNAME", (0, 0), (-1, -1), reportlab_font()), ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (0, -1), 5 * mm),
            ("LEFTPADDING", (1, 0), (1, -1), 5 * mm), ("LINEBEFORE", (1, 0), (1, -1), 0.4, ACCENT)])
        return [table, Spacer(1, 3 * mm)]

    # --- headings -----------------------------------------------------------------------

    def heading(self, title: str, level: int, key: str, *, number: bool = True,
                toc: bool = True, suffix: str = "") -> Heading:
        """A numbered heading (counters per level; deeper ones restart)."""
        text, self._titles[level], self._level = title, title, level
        if number:
            self._counters[level] += 1
            for deeper in range(level + 1, len(self._counters)):
                self._counters[deeper] = 0
            text = numbered(level, self._counters[level], title)
        return Heading(text, level, key, self.scale, toc, label=text + suffix)

    def section_heading(self, section: Section, level: int, lang: str = "zh") -> list[Flowable]:
        """The section's heading; with lang 'both' its English title under it."""
        suffix = f" {section.title_en}" if lang == "both" else ""
        # A part (篇) opens on a right-hand page.
        out: list[Flowable] = [RectoBreak()] if level == 0 else []
        out.append(self.heading(section.title_zh, level, f"sec-{section.id}", suffix=suffix))
        if lang == "both":
            style = self.s.headings[min(level, 4)]
            out.append(Paragraph(escape(section.title_en), styles(self.scale).body_en.clone(
                "h_en", fontName=style.fontName, fontSize=style.fontSize * 0.8, leading=style.fontSize * 1.1,
                textColor=style.textColor, keepWithNext=1, spaceAfter=4)))
        return out

    def meta(self, section: Section) -> Paragraph | None:
        """Lead and participants under the heading of a system or zone action. Section ids and
        per-section statuses are production metadata (app/reports/metadata.py), not text."""
        t = self.inputs.template
        if not (t.kinds.get(section.kind) and t.kind(section.kind).lead):
            return None
        parts = [f"牵头：{t.party(section.owner).name_zh}"]
        if section.participants:
            parts.append(f"参与：{'、'.join(t.party(p).name_zh for p in section.participants)}")
        return CJKParagraph(escape(" · ".join(parts)), self.s.meta)

    # --- maps ---------------------------------------------------------------------------

    def map_block(self, key: str, lang: str = "zh") -> list[Flowable]:
        """The map `key` with a numbered caption naming its linked projects."""
        spec, png = self.specs.get(key), self.maps.get(key)
        if spec is None or png is None:
            return []
        self._figures += 1
        image = MapImage(png, spec.width_mm * mm, spec.height_mm * mm, key)
        anchor = ListAnchor("figure", f"图 {self._figures}  {spec.title_zh}", f"fig-{self._figures}")
        # Kept together (and with a heading right before it, by the heading's keepWithNext).
        return [KeepTogether([anchor, image, *self.caption(spec, lang)])]

    def caption(self, spec: MapSpec, lang: str) -> list[Paragraph]:
        title = f"图 {self._figures}  {spec.title_zh}（示意）"
        if lang == "both":
            title += f"  Figure {self._figures}  {spec.title_en} (schematic)"
        out = [CJKParagraph(escape(title), self.s.caption)]
        names = [d.label(row) or "" for d, row in linked_projects(spec, self.inputs.data)]
        if names:
            listed = "；".join(f"{n} {name}" for n, name in enumerate(names, 1))
            out.append(CJKParagraph(escape(f"图中编号 Numbered: {listed}"), self.s.caption))
        return out

    # --- tables -------------------------------------------------------------------------

    def table(self, header: list[str], rows: list[list[str]], widths: list[float],
              lang: str = "zh", *, title: str | None = None, source: str | None = None) -> Table:
        """A numbered grid table: 「表 N  title」 above, 资料来源 below, title and column titles
        repeated on every page. `title` defaults to the latest heading's, `source` to the
        publisher's compilation of the parties' submissions."""
        self._tables += 1
        label = f"表 {self._tables}　{title or self._default_title()}"
        source = source or f"{self.edition.publisher_name}根据各方报送资料整理"
        cell = self.s.cell if lang == "zh" else self.s.cell_en
        head = [CJKParagraph(escape(h), self.s.head_cell) for h in header]
        body = [[CJKParagraph(escape(str(v)), cell) if lang == "zh" else
                 Paragraph(escape(str(v)), cell) for v in row] for row in rows]
        blank = [""] * (len(header) - 1)
        scaled = [w * self.width / sum(widths) for w in widths]
        table = TitledTable([[CJKParagraph(escape(label), self.s.table_title), *blank], head, *body,
                             [CJKParagraph(escape(f"资料来源：{source}"), self.s.source), *blank]],
                            colWidths=scaled, repeatRows=2, splitInRow=1,
                            style=titled_table_style())
        table.anchor = ListAnchor("table", label, f"table-{self._tables}")
        return table

    def _default_title(self) -> str:
        """The latest heading's title; a generic short one (「项目库」) after its chapter's."""
        own = _short(self._titles[self._level])
        chapter = _short(self._titles[1]) if self._level >= 2 and len(own) <= 4 else ""
        return f"{chapter} {own}" if chapter else own

    # --- front matter -------------------------------------------------------------------

    def cover(self, lines: list[str]) -> list[Flowable]:
        """Cover page flowables (the band behind them is painted by `cover_band`)."""
        t, s = self.inputs.template, self.s
        out: list[Flowable] = [Spacer(1, 30 * mm * self.scale),
                               CJKParagraph(escape(t.title_zh), s.title),
                               Paragraph(escape(t.title_en), s.subtitle.clone("sub_en", wordWrap=None)),
                               Spacer(1, 6 * mm * self.scale)]
        out += [CJKParagraph(escape(line), s.subtitle) for line in lines]
        out += [Spacer(1, 45 * mm * self.scale), self.edition_table(), Spacer(1, 8 * mm)]
        for notice in (t.notice_zh, t.notice_en):
            if notice:
                out.append(self.para(notice, "zh" if notice is t.notice_zh else "en", s.notice))
        return [*out, NextPageTemplate("front"), PageBreak()]

    def edition_table(self) -> Table:
        """Version, date, publisher and the one status of this edition; its hashes, template
        and sections are in the PDF's metadata and the production sheet."""
        e = self.edition
        rows = [["版本 Version", f"第 {e.version} 版"],
                ["日期 Date", e.date],
                ["发布方 Publisher", e.publisher_name],
                ["文本状态 Status", " ".join(STATUS_NAMES[e.status])]]
        cells = [[CJKParagraph(escape(a), self.s.meta), CJKParagraph(escape(b), self.s.cell)]
                 for a, b in rows]
        return Table(cells, colWidths=(45 * mm * self.scale, self.width - 45 * mm * self.scale),
                     style=table_style(header_rows=0))

    def contents(self) -> list[Flowable]:
        """The table of contents with its heading, on pages of its own."""
        # The body (folio 1) starts on a right-hand page after the front matter.
        return [self.heading("目录 Contents", 0, "contents", number=False, toc=False),
                Contents(self.scale), RectoBreak("body")]


class TitledTable(Table):
    """A table carrying its list-of-tables entry (`anchor`) into the parts it splits into."""

    anchor: ListAnchor | None = None

    def split(self, avail_width, avail_height):
        parts = super().split(avail_width, avail_height)
        for part in parts:
            part.anchor = self.anchor
        return parts


def _short(title: str) -> str:
    """A heading's title without an annex number or an English tail: a table's title."""
    title = re.sub(r"^附录[一二三四五六七八九十]+\s*", "", title)
    return re.split(r"\s+(?=[A-Za-z])", title, maxsplit=1)[0]
