"""Building blocks every output is assembled from: cover, contents, numbered headings,
section text (Chinese, English, or paired), maps with captions, and tables."""

from __future__ import annotations

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
from reportlab.platypus.flowables import PageBreakIfNotEmpty

from app.content.model import Section
from app.reports.cjk import CJKParagraph
from app.reports.contents import Contents, Heading
from app.reports.document import MapImage
from app.reports.edition import STATUS_NAMES, Edition, Inputs
from app.reports.fonts import reportlab_font
from app.reports.maps import MapSpec, linked_projects
from app.reports.styles import ACCENT, styles, table_style

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
        self._figures = 0

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
        text = title
        if number:
            self._counters[level] += 1
            for deeper in range(level + 1, len(self._counters)):
                self._counters[deeper] = 0
            text = numbered(level, self._counters[level], title)
        return Heading(text, level, key, self.scale, toc, label=text + suffix)

    def section_heading(self, section: Section, level: int, lang: str = "zh") -> list[Flowable]:
        """The section's heading; with lang 'both' its English title under it."""
        suffix = f" {section.title_en}" if lang == "both" else ""
        out: list[Flowable] = [self.heading(section.title_zh, level, f"sec-{section.id}",
                                            suffix=suffix)]
        if lang == "both":
            style = self.s.headings[min(level, 4)]
            out.append(Paragraph(escape(section.title_en), styles(self.scale).body_en.clone(
                "h_en", fontSize=style.fontSize * 0.8, leading=style.fontSize * 1.1,
                textColor=style.textColor, keepWithNext=1, spaceAfter=4)))
        return out

    def meta(self, section: Section, with_id: bool = True) -> Paragraph | None:
        """Lead, participants, status (and the section id comments cite) under a heading."""
        t = self.inputs.template
        parts = [f"〔{section.id}〕"] if with_id else []
        if t.kinds.get(section.kind) and t.kind(section.kind).lead:
            parts.append(f"牵头：{t.party(section.owner).name_zh}")
            if section.participants:
                names = "、".join(t.party(p).name_zh for p in section.participants)
                parts.append(f"参与：{names}")
        if with_id:
            parts.append(f"状态：{STATUS_NAMES[section.status][0]}")
        return CJKParagraph(escape(" · ".join(parts)), self.s.meta) if parts else None

    # --- maps ---------------------------------------------------------------------------

    def map_block(self, key: str, lang: str = "zh") -> list[Flowable]:
        """The map `key` with a numbered caption naming its linked projects."""
        spec, png = self.specs.get(key), self.maps.get(key)
        if spec is None or png is None:
            return []
        self._figures += 1
        image = MapImage(png, spec.width_mm * mm, spec.height_mm * mm, key)
        # Kept together (and with a heading right before it, by the heading's keepWithNext).
        return [KeepTogether([image, *self.caption(spec, lang)])]

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
              lang: str = "zh") -> Table:
        """A grid table of text cells (header repeated on every page)."""
        cell = self.s.cell if lang == "zh" else self.s.cell_en
        head = [CJKParagraph(escape(h), self.s.head_cell) for h in header]
        body = [[CJKParagraph(escape(str(v)), cell) if lang == "zh" else
                 Paragraph(escape(str(v)), cell) for v in row] for row in rows]
        scaled = [w * self.width / sum(widths) for w in widths]
        return Table([head, *body], colWidths=scaled, repeatRows=1, splitInRow=1,
                     style=table_style())

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
        return [*out, NextPageTemplate("body"), PageBreak()]

    def edition_table(self) -> Table:
        """Version, date, publisher, status and the hashes of this edition."""
        e = self.edition
        rows = [["版本 Version", f"第 {e.version} 版 (v{e.version})"],
                ["日期 Date", e.date],
                ["发布方 Publisher", f"{e.publisher_name} ({e.publisher})"],
                ["内容状态 Status", " / ".join(STATUS_NAMES[e.status])],
                ["章节 Sections", str(e.sections)],
                ["内容哈希 Content hash", e.content_hash[:32]],
                ["数据版本 Data version", f"v{e.base_version} · {e.layers_hash[:32]}"],
                ["模板 Template", e.template]]
        cells = [[CJKParagraph(escape(a), self.s.meta), CJKParagraph(escape(b), self.s.cell)]
                 for a, b in rows]
        return Table(cells, colWidths=(45 * mm * self.scale, self.width - 45 * mm * self.scale),
                     style=table_style(header_rows=0))

    def contents(self) -> list[Flowable]:
        """The table of contents with its heading, on pages of its own."""
        return [self.heading("目录 Contents", 0, "contents", number=False, toc=False),
                Contents(self.scale), PageBreakIfNotEmpty()]
