"""The one map (一张图): a single A1 page — title band, the metro map, and three columns: the
vision and goals; the 1+8+5 structure with the five zones; the eight systems with their
projects.

The map (onemap_map.py) numbers and colours the five zones and numbers every system's
projects; the lists beside it carry the same numbers and the map's own symbols
(onemap_draw.py), so the page reads as one image. A single sheet: no contents, no page
number; its outline still points at the panels. Text sizes shrink step by step until
everything fits the page.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A1
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, FrameBreak, Paragraph, Spacer
from reportlab.platypus.doctemplate import PageTemplate
from reportlab.platypus.frames import Frame

from app.content.model import Section
from app.reports import onemap_map as pm
from app.reports.cjk import CJKParagraph
from app.reports.compose import Composer, zh_number
from app.reports.contents import Bookmark, Heading
from app.reports.document import EditionDoc
from app.reports.fonts import reportlab_font
from app.reports.maps import WATER_LAYERS, MapSpec
from app.reports.onemap_draw import (
    Diagram,
    Mark,
    PosterImage,
    SymbolRow,
    draw_number,
    draw_swatch,
    structure,
)
from app.reports.styles import ACCENT, MUTED, WARN, styles

PAGE = A1  # 594 × 841 mm, portrait
MARGIN = 18 * mm
TITLE_H, MAP_H = 88 * mm, 430 * mm
GAP = 8 * mm
COLUMNS_H = PAGE[1] - 2 * MARGIN - TITLE_H - MAP_H - 2 * GAP
TITLE_SCALE = 2.0
# Text sizes tried until one page holds it all: 5 % steps fill the last column (a pass costs
# little: the map's image is made once per build, see onemap_draw.PosterImage).
SCALES = tuple(round(2.2 * 0.95 ** i, 3) for i in range(21))  # 2.2 … 0.79


def map_spec(section: Section, focus) -> MapSpec:
    """The poster's map: the vision's layers and projects, across the page."""
    width = (PAGE[0] - 2 * MARGIN) / mm
    return MapSpec(section.id, section.title_zh, section.title_en, section.links.layers,
                   focus, section.links.projects, width, MAP_H / mm)


def column_width() -> float:
    return (PAGE[0] - 2 * MARGIN - 2 * GAP) / 3


def frames() -> list[Frame]:
    """Title, map and three columns, top to bottom."""
    width, height = PAGE
    inner = width - 2 * MARGIN
    top = height - MARGIN - TITLE_H
    map_y = top - GAP - MAP_H
    col_w = column_width()
    col_y = map_y - GAP - COLUMNS_H
    return [Frame(MARGIN, top, inner, TITLE_H, id="title"),
            Frame(MARGIN, map_y, inner, MAP_H, id="map", leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0),
            *[Frame(MARGIN + i * (col_w + GAP), col_y, col_w, COLUMNS_H, id=f"col{i}")
              for i in range(3)]]


def poster_page(doc: EditionDoc) -> PageTemplate:
    """The single page template: title band behind the title, the plan's name at the foot."""
    def paint(canvas, _doc) -> None:
        width, height = PAGE
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        canvas.rect(0, height - MARGIN - TITLE_H - 2 * mm, width, MARGIN + TITLE_H + 2 * mm,
                    stroke=0, fill=1)
        canvas.setFont(reportlab_font(), 16)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, MARGIN * 0.5, doc.info.header)
        if doc.info.notice:
            canvas.setFillColor(WARN)
            canvas.drawRightString(width - MARGIN, MARGIN * 0.5, doc.info.notice)
        canvas.restoreState()
    return PageTemplate("poster", frames(), onPage=paint)


def story(c: Composer, spec: MapSpec, build_dpi: int) -> list[Flowable]:
    """Every panel of the poster, frame by frame; the map at twice the build's resolution."""
    t, e = c.inputs.template, c.edition
    s = styles(TITLE_SCALE)  # the title band keeps its size whatever the columns' text size
    white = s.subtitle.clone("poster_sub")
    big = s.title.clone("poster_title", fontSize=s.title.fontSize * 1.5,
                        leading=s.title.leading * 1.4)  # read from across the room
    title = [Heading(t.title_zh, 0, "poster-title", TITLE_SCALE, toc=False, style=big),
             Paragraph(escape(t.title_en), white.clone("poster_en", wordWrap=None)),
             CJKParagraph(escape(f"一张图 · 第 {e.version} 版 · {e.date}"), white)]
    if t.notice_zh:
        title.append(CJKParagraph(escape(t.notice_zh), white.clone("poster_notice",
                                                                   fontSize=s.meta.fontSize,
                                                                   leading=s.meta.fontSize * 1.5)))
    poster = Poster(c, spec, build_dpi)
    flows = [*title, FrameBreak(), Bookmark("总图 Metro map", 0, "panel-map"),
             PosterImage(poster.png, spec.width_mm * mm, spec.height_mm * mm), FrameBreak()]
    # One flow through the three columns: the largest text size that fits fills them all.
    return flows + _structure_panel(c, poster) + _vision_panel(c) + _zones_panel(c, poster) \
        + _systems_panel(c, poster)


class Poster:
    """What the map shows and the lists refer to: the zones, the systems, project numbers."""

    def __init__(self, c: Composer, spec: MapSpec, build_dpi: int):
        content = c.inputs.content
        self.systems = [s for s in content if s.kind == "system" and _includes(c, s.id)]
        self.zones, zone_layers = pm.zones(c.inputs, [s for s in content if s.kind == "zone"
                                                      and _includes(c, s.id)])
        projects = tuple(dict.fromkeys(u for s in self.systems for ch in _included(c, s.id)
                                       for u in ch.links.projects))
        layers = pm.system_layers(c.inputs, spec, self.systems)
        self.spec = pm.poster_spec(spec, layers, zone_layers, projects or spec.projects)
        self.data = pm.PosterData(c.inputs.data, zone_layers)
        self.numbers = pm.numbers(self.spec, self.data)
        # Twice the build's resolution: 300 ppi at A1 for a print build.
        rendered = pm.render_poster(self.spec, self.data, pm.poster_dpi(build_dpi))
        self.png = rendered.png
        # A number the map's label placement had to drop is not printed in the list either.
        placed = {label.text for label in rendered.labels}
        self.numbers = {u: n for u, n in self.numbers.items() if str(n) in placed}

    def symbols(self, system: Section) -> list:
        """The layers `system` draws with that the map shows (beside the base map)."""
        shown = set(self.spec.layers) - {"XZQ"}
        found = (self.data.layer(code) for code in system.links.layers if code in shown)
        return [d.layer for d in found if d is not None and d.layer.code not in pm.PROJECT_CODES]


def _item(c: Composer, indent: float = 0):
    """List items of the poster: running-text size, no first-line indent."""
    return c.s.body.clone("poster_item", firstLineIndent=0, leftIndent=indent,
                          spaceAfter=c.s.body.fontSize * 0.2, spaceBefore=0)


def _panel(c: Composer, title: str, key: str) -> list[Flowable]:
    """A panel's title, in the outline. Not a `Heading`: the A4 page flow would break the page
    under a heading at a column's foot, where the poster only needs the next column."""
    mark = Bookmark(title, 0, key)
    mark.keepWithNext = 1  # the outline points at the title, wherever the column breaks
    return [mark, CJKParagraph(escape(title), c.s.headings[1])]


def _structure_panel(c: Composer, poster: Poster) -> list[Flowable]:
    """The plan's 1+8+5 structure: the report, the eight systems, the five zones."""
    if not poster.systems and not poster.zones:
        return []  # nothing to show the structure of
    vision = c.inputs.content.get("vision") if "vision" in c.inputs.content else None
    report = vision.title_zh if vision else c.inputs.template.title_zh
    diagram = structure(column_width() - 12, c.s.body.fontSize * 0.9, report,
                        [_short(s.title_zh, "行动") for s in poster.systems],
                        [(f"{z.mark}{_short(z.section.title_zh, '战略协同区')}", z.colour)
                         for z in poster.zones])
    return [*_panel(c, "“1+8+5”规划体系 The 1+8+5 plan", "panel-structure"), Diagram(diagram),
            Spacer(1, c.s.body.fontSize)]


def _vision_panel(c: Composer) -> list[Flowable]:
    content = c.inputs.content
    vision = content.get("vision") if "vision" in content else None
    out: list[Flowable] = _panel(c, "愿景与目标 Vision and goals", "panel-vision")
    if vision is not None:
        out += [c.para(p) for p in vision.paragraphs("zh")[:1]]
        for dim in _included(c, vision.id):
            out.append(CJKParagraph(escape(dim.title_zh), c.s.headings[3]))
            out += [CJKParagraph(escape(f"• {g.title_zh}"), _item(c)) for g in _included(c, dim.id)]
    return out


def _zones_panel(c: Composer, poster: Poster) -> list[Flowable]:
    t, size = c.inputs.template, c.s.body.fontSize
    out: list[Flowable] = _panel(c, "空间板块行动 Spatial sections", "panel-zones")
    style = _item(c, indent=size * 2.6)
    for zone in poster.zones:
        lead = t.party(zone.section.owner).name_zh
        parts = "、".join(t.party(p).name_zh for p in zone.section.participants)
        out.append(Mark(_swatch(zone.layer, size), style.leading))
        out.append(CJKParagraph(escape(f"{zone.mark}{zone.section.title_zh}"),
                                c.s.headings[3].clone("poster_zone", leftIndent=size * 2.6)))
        out.append(CJKParagraph(escape(f"牵头 {lead}；参与 {parts or '—'}"),
                                c.s.meta.clone("poster_zone_meta", leftIndent=size * 2.6)))
        out += [CJKParagraph(escape(f"目标：{g.title_zh}"), style)
                for g in _included(c, zone.section.id)]
    return out


def _systems_panel(c: Composer, poster: Poster) -> list[Flowable]:
    t, size = c.inputs.template, c.s.body.fontSize
    out: list[Flowable] = _panel(c, "系统行动与项目 Systems and projects", "panel-systems")
    style = _item(c, indent=size * 1.8)
    for n, system in enumerate(poster.systems, 1):
        out.append(CJKParagraph(escape(f"{zh_number(n)}、{system.title_zh}"), c.s.headings[4]))
        out.append(CJKParagraph(escape(f"牵头 {t.party(system.owner).name_zh}"), c.s.meta))
        symbols = poster.symbols(system)
        if symbols:
            out += [SymbolRow([(lay, _symbol_name(lay)) for lay in symbols], c.s.meta.fontSize),
                    Spacer(1, c.s.meta.fontSize * 0.4)]
        for child in _included(c, system.id):
            for uuid in child.links.projects:
                if not (name := _project_name(c, uuid)):
                    continue  # a project the data lacks: nothing to point at
                number = poster.numbers.get(uuid)
                if number is not None:
                    out.append(Mark(_project_mark(number, size), style.leading))
                out.append(CJKParagraph(escape(name), style))
    return out + [Spacer(1, 2 * mm)]


def _symbol_name(layer) -> str:
    """A layer's name as the map's legend gives it (the map shows its water as 海域、湖泊)."""
    return "海域、湖泊" if layer.code in WATER_LAYERS else layer.name_zh


def _swatch(layer, size: float):
    def paint(canv, leading: float) -> None:
        draw_swatch(canv, layer, 0, -leading * 0.8 - size * 0.4, size * 2.0, size * 1.1)
    return paint


def _project_mark(number: int, size: float):
    def paint(canv, leading: float) -> None:
        draw_number(canv, number, size * 0.75, -leading * 0.62 + size * 0.3, size)
    return paint


def _short(title: str, suffix: str) -> str:
    """A title without the suffix every title of its kind shares (e.g. 行动)."""
    return title[: -len(suffix)] if title.endswith(suffix) and len(title) > len(suffix) else title


def _project_name(c: Composer, uuid: str) -> str:
    found = c.inputs.data.find(uuid, pm.PROJECT_CODES)
    return found[0].label(found[1]) or "" if found else ""


def _includes(c: Composer, section_id: str) -> bool:
    return c.inputs.template.output("onemap").includes(section_id)


def _included(c: Composer, parent: str) -> list[Section]:
    return [s for s in c.inputs.content.children(parent) if _includes(c, s.id)]
