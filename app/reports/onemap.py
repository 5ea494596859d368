"""The one map (一张图): a single A1 page — title band, the metro map, and three columns with
the vision and goals, the spatial sections, and the system actions with their projects.

Being one page, its cover is the title band, its contents a panel list beside it, its
bookmarks point at the panels, and its footer carries the edition and "page 1 of 1". Text
sizes shrink step by step until everything fits the page.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A1
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, FrameBreak, Paragraph, Spacer
from reportlab.platypus.doctemplate import PageTemplate
from reportlab.platypus.frames import Frame

from app.content.model import Section
from app.reports.cjk import CJKParagraph
from app.reports.compose import Composer
from app.reports.contents import Bookmark, Contents, Heading
from app.reports.document import EditionDoc, MapImage
from app.reports.fonts import reportlab_font
from app.reports.maps import MapSpec, linked_projects
from app.reports.styles import ACCENT, MUTED, WARN

PAGE = A1  # 594 × 841 mm, portrait
MARGIN = 18 * mm
TITLE_H, MAP_H, COLUMNS_H = 100 * mm, 430 * mm, 255 * mm
GAP = 8 * mm
SCALES = (2.0, 1.8, 1.6, 1.45, 1.3, 1.15, 1.0, 0.9)  # text sizes tried until the page holds it all


def map_spec(section: Section, focus) -> MapSpec:
    """The poster's map: the vision's layers and projects, across the page."""
    width = (PAGE[0] - 2 * MARGIN) / mm
    return MapSpec(section.id, section.title_zh, section.title_en, section.links.layers,
                   focus, section.links.projects, width, MAP_H / mm)


def frames() -> list[Frame]:
    """Title, contents, map and three columns, top to bottom."""
    width, height = PAGE
    inner = width - 2 * MARGIN
    top = height - MARGIN - TITLE_H
    map_y = top - GAP - MAP_H
    col_w = (inner - 2 * GAP) / 3
    col_y = map_y - GAP - COLUMNS_H
    return [Frame(MARGIN, top, inner * 0.68, TITLE_H, id="title", showBoundary=0),
            Frame(MARGIN + inner * 0.7, top, inner * 0.3, TITLE_H, id="contents"),
            Frame(MARGIN, map_y, inner, MAP_H, id="map", leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0),
            *[Frame(MARGIN + i * (col_w + GAP), col_y, col_w, COLUMNS_H, id=f"col{i}")
              for i in range(3)]]


def poster_page(doc: EditionDoc) -> PageTemplate:
    """The single page template: title band behind the top frames, footer at the bottom."""
    def paint(canvas, _doc) -> None:
        width, height = PAGE
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        # The band sits behind the title only: the contents beside it stay dark on white.
        canvas.rect(0, height - MARGIN - TITLE_H - 4 * mm, MARGIN + (width - 2 * MARGIN) * 0.69,
                    MARGIN + TITLE_H + 4 * mm, stroke=0, fill=1)
        canvas.setFont(reportlab_font(), 16)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, MARGIN * 0.5, doc.info.footer)
        canvas.drawRightString(width - MARGIN, MARGIN * 0.5, f"第 {_doc.page} 页 / 共 1 页")
        if doc.info.notice:
            canvas.setFillColor(WARN)
            canvas.drawCentredString(width / 2, MARGIN * 0.5 + 22, doc.info.notice)
        canvas.restoreState()
    return PageTemplate("poster", frames(), onPage=paint)


def story(c: Composer, spec: MapSpec) -> list[Flowable]:
    """Every panel of the poster, frame by frame."""
    s, t, e = c.s, c.inputs.template, c.edition
    white = s.subtitle.clone("poster_sub")
    title = [Heading(t.title_zh, 0, "poster-title", c.scale, toc=False, style=s.title),
             Paragraph(escape(t.title_en), white.clone("poster_en", wordWrap=None)),
             CJKParagraph(escape(f"一张图 One map · 第 {e.version} 版 · {e.date}"), white)]
    if t.notice_zh:
        title.append(CJKParagraph(escape(t.notice_zh), white.clone("poster_notice",
                                                                   fontSize=s.meta.fontSize)))
    flows = [*title, FrameBreak(), CJKParagraph("目录 Contents", s.headings[3]),
             Contents(c.scale), FrameBreak()]
    flows += [Bookmark("总图 Metro map", 0, "panel-map"),
              MapImage(c.maps[spec.key], spec.width_mm * mm, spec.height_mm * mm), FrameBreak()]
    flows += _vision_panel(c) + [FrameBreak()] + _zones_panel(c) + [FrameBreak()]
    return flows + _systems_panel(c, spec)


def _item(c: Composer):
    """List items of the poster: running-text size, no indent."""
    return c.s.body.clone("poster_item", firstLineIndent=0, spaceAfter=c.s.body.fontSize * 0.2)


def _panel(c: Composer, title: str, key: str) -> Heading:
    return Heading(title, 0, key, c.scale, style=c.s.headings[1])


def _vision_panel(c: Composer) -> list[Flowable]:
    content = c.inputs.content
    vision = content.get("vision") if "vision" in content else None
    out: list[Flowable] = [_panel(c, "愿景与目标 Vision and goals", "panel-vision")]
    if vision is not None:
        out += [c.para(p) for p in vision.paragraphs("zh")[:1]]
        for dim in _included(c, vision.id):
            out.append(CJKParagraph(escape(dim.title_zh), c.s.headings[3]))
            out += [CJKParagraph(escape(f"• {g.title_zh}"), _item(c)) for g in _included(c, dim.id)]
    return out


def _zones_panel(c: Composer) -> list[Flowable]:
    t = c.inputs.template
    out: list[Flowable] = [_panel(c, "空间板块行动 Spatial sections", "panel-zones")]
    for zone in (s for s in c.inputs.content if s.kind == "zone" and _includes(c, s.id)):
        lead = t.party(zone.owner).name_zh
        parts = "、".join(t.party(p).name_zh for p in zone.participants)
        out.append(CJKParagraph(escape(zone.title_zh), c.s.headings[3]))
        out.append(CJKParagraph(escape(f"牵头 {lead}；参与 {parts or '—'}"), c.s.meta))
        out += [CJKParagraph(escape(f"目标：{g.title_zh}"), _item(c)) for g in _included(c, zone.id)]
    return out


def _systems_panel(c: Composer, spec: MapSpec) -> list[Flowable]:
    t = c.inputs.template
    numbers = {d.uuids[row]: n for n, (d, row) in enumerate(linked_projects(spec, c.inputs.data), 1)}
    out: list[Flowable] = [_panel(c, "系统行动与项目 Systems and projects", "panel-systems")]
    for system in (s for s in c.inputs.content if s.kind == "system" and _includes(c, s.id)):
        out.append(CJKParagraph(escape(f"{system.id} {system.title_zh}"), c.s.headings[4]))
        out.append(CJKParagraph(escape(f"牵头 {t.party(system.owner).name_zh}"), c.s.meta))
        for child in _included(c, system.id):
            out += [CJKParagraph(escape(_project_line(c, u, numbers)), _item(c))
                    for u in child.links.projects]
    return out + [Spacer(1, 2 * mm)]


def _project_line(c: Composer, uuid: str, numbers: dict[str, int]) -> str:
    found = c.inputs.data.find(uuid, ("XMK_POINT", "XMK_LINE", "XMK_POLYGON"))
    name = found[0].label(found[1]) if found else uuid[:8]
    return f"{numbers[uuid]} {name}" if uuid in numbers else f"• {name}"


def _includes(c: Composer, section_id: str) -> bool:
    return c.inputs.template.output("onemap").includes(section_id)


def _included(c: Composer, parent: str) -> list[Section]:
    return [s for s in c.inputs.content.children(parent) if _includes(c, s.id)]
