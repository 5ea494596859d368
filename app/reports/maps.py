"""Thematic maps as PNG bytes from a matplotlib `Figure` (never pyplot).

Layer styles come from the catalogue; water (sea, lakes) is drawn under every map; each figure
emphasises the layers of its own subject (read from its title), so two sections with the same
layers still get different maps. Labels are placed without collisions (labels.py); legend,
scale bar with north arrow and, for zone and city maps, a locator inset sit on opaque panels
in the corners with the least content (panels.py); a graticule frames the map and a strip
under it carries the 示意 notice, sources, CRS and the 审图号 field (mapframe.py).
Rendering is deterministic: the same data and spec give the same bytes (Agg, no timestamps).
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

import numpy as np
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from app.content.model import Focus
from app.model.catalogue import Layer
from app.reports import heritage, maptext, panels
from app.reports import labels as lab
from app.reports.fonts import matplotlib_family
from app.reports.mapdata import LayerData, MapData, to_path
from app.reports.mapframe import graticule, notes
from app.reports.mapnames import label_text
from app.reports.water import water

log = logging.getLogger(__name__)

PROJECT_LAYERS = ("XMK_POINT", "XMK_LINE", "XMK_POLYGON")
BASE_LAYERS = ("XZQ",)
PX_TO_PT = 0.75  # catalogue widths are CSS pixels (96 per inch); matplotlib wants points
HIGHLIGHT = "#B71C1C"
WATER_FILL, WATER_EDGE, WATER_TEXT = "#CFE4F2", "#7FAFD3", "#2F6C9E"
SCHEMATIC_ZH = "示意图：边界与范围为示意，不作为权属界线和量算依据"
SCHEMATIC_EN = "Schematic: boundaries and extents are indicative, not for measurement"
LABEL_MAX = 12  # layers with more features than this are not labelled (clutter)
MIN_TEXT_PT = 6.5  # legend, notes and labels at print size never smaller than this
MM = 1 / 25.4
LABELS_KEY = maptext.LABELS_KEY
# Subjects read from a section's title → the layers its map emphasises (and adds if missing).
# Order matters: the first theme whose word is in the title wins.
THEMES = (
    (("人文", "文化", "魅力", "旅游", "活力", "水乡"), ("LSWHBHX", "LSWHJQ", "HZSFQ", "KJCZQ")),
    (("绿", "生态", "保护", "天蓝", "公园", "共保"), ("STBHHX", "STLD", "LD")),
    (("交通", "通道", "枢纽", "走廊", "慢行", "铁路"), ("QYFZLD", "XMK_LINE")),
    (("创新", "科创", "科研", "产业", "质量"), ("GHYDYH", "CZKFBJ", "XMK_POINT")),
    (("蓝道", "水网", "水源", "水"), ("SY", "LW", "HD")),
)
BAND = ("QYFZLD",)
WATER_LAYERS = ("SY",)  # drawn and listed as the water context  # corridors: a broad translucent band, unlike the red project lines


@dataclass(frozen=True)
class MapSpec:
    """One map: which layers, framed on what, which projects to highlight, at what size."""

    key: str  # section id (or e.g. city.310000): the map's identity in an output
    title_zh: str
    title_en: str
    layers: tuple[str, ...]
    focus: Focus | None = None
    projects: tuple[str, ...] = ()
    width_mm: float = 170.0
    height_mm: float = 125.0
    lang: str = "zh"  # zh | en | both (labels, legend and notes)


@dataclass(frozen=True)
class Rendered:
    """A rendered map and what its layout placed (display pixels, origin bottom left)."""

    png: bytes
    labels: tuple[lab.Placed, ...]
    panels: tuple[tuple[float, float, float, float], ...]  # legend, scale/north, inset


def render(spec: MapSpec, data: MapData, dpi: int = 150, *, review_no: str = "") -> bytes:
    """The map as PNG bytes."""
    return render_layout(spec, data, dpi, review_no=review_no).png


def emphasis(spec: MapSpec) -> tuple[str, ...]:
    """The layers the map's subject is about, from the words of its title."""
    for words, layers in THEMES:
        if any(w in spec.title_zh for w in words):
            return layers
    return ()


def subject(spec: MapSpec) -> tuple:
    """What a map shows, whatever its key and caption: equal subjects give equal images."""
    return (frozenset((*BASE_LAYERS, *spec.layers, *emphasis(spec))), emphasis(spec), spec.focus,
            spec.projects, spec.width_mm, spec.height_mm, spec.lang)


def render_layout(spec: MapSpec, data: MapData, dpi: int = 150, *,
                  review_no: str = "") -> Rendered:
    """The map and the boxes of its labels and panels (for layout checks)."""
    fig = Figure(figsize=(spec.width_mm * MM, spec.height_mm * MM), dpi=dpi, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    scale = max(1.0, min(4.0, spec.width_mm / 170.0))
    text_pt = MIN_TEXT_PT * scale
    strip = (text_pt * 3.6 / 72 + 0.03) / (spec.height_mm * MM)  # notes strip, figure fraction
    rect = _axes_rect(spec, text_pt, strip)
    ax = fig.add_axes(rect)
    ax.set_facecolor("white")
    aspect = (rect[2] * spec.width_mm) / (rect[3] * spec.height_mm)
    focus = data.focus(spec.focus)
    area = focus.bounds if focus is not None else _subject_bounds(spec, data)
    bounds = _frame(area or data.extent(), aspect, 0.12 if area else 0.03)
    family = matplotlib_family()
    ax.set_xlim(bounds[0], bounds[2])
    ax.set_ylim(bounds[1], bounds[3])
    ax.set_aspect("equal", adjustable="box")
    _draw_water(ax, data, "SY" in emphasis(spec))
    closing = max(1000.0, 0.012 * (bounds[2] - bounds[0]))  # m: slivers narrower go
    drawn = _draw_layers(ax, spec, data, scale, closing)
    if focus is not None:
        ax.add_collection(PathCollection([to_path(_clean(focus, closing))], facecolors=["none"],
                                         edgecolors=["#1A237E"], linewidths=2.0 * scale, zorder=85))
    projects = _draw_projects(ax, spec, data, scale)
    towns = _draw_towns(ax, scale) if "LSWHBHX" in emphasis(spec) else ()
    graticule(ax, bounds, max(6.0, text_pt * 0.92), family)
    notes(fig, strip, any(d.schematic for d in drawn), spec.lang, review_no, max(6.0, text_pt * 0.92), family)
    wanted = _label_requests(ax, spec, data, drawn, projects, bounds, text_pt, scale)
    wanted += [lab.Label(label_text(zh, spec.lang, en), lab.PLACE, (x, y), shapely.Point(x, y),
                         size=max(6.0, text_pt * 0.93), color=heritage.COLOUR, rings=2, beside=True)
               for zh, en, x, y in towns]
    boxes = _panels(fig, canvas, ax, spec, data, drawn, bool(projects), bounds, text_pt, family,
                    area is not None, bool(towns), [w.anchor for w in wanted])
    placed = lab.place(ax, canvas.get_renderer(), wanted, boxes, family, 2.2 * scale)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=dpi,
                metadata={"Software": None, LABELS_KEY: maptext.encode(placed, dpi)})
    return Rendered(out.getvalue(), tuple(placed), tuple(tuple(b.extents) for b in boxes))


def _subject_bounds(spec: MapSpec, data: MapData) -> tuple | None:
    """Without a focus, a culture map is framed on its towns and cooperation areas (the other
    subjects span the plan area, so their maps show all of it); None: the whole plan area."""
    if "LSWHBHX" not in emphasis(spec):
        return None
    pts = [shapely.Point(x, y) for _, _, x, y in heritage.towns()]
    extra = [g for c in ("HZSFQ", "LSWHBHX", "LSWHJQ") if (d := data.layer(c)) is not None
             for g in d.geoms]
    return tuple(shapely.total_bounds(np.array([*pts, *extra], dtype=object)))


def _axes_rect(spec: MapSpec, text_pt: float, strip: float) -> tuple[float, float, float, float]:
    """Room for the tick labels left and below, the notes strip under the map."""
    left = (text_pt * 4.6 / 72 + 0.04) / (spec.width_mm * MM)
    right = 0.04 / (spec.width_mm * MM)
    bottom = strip + (text_pt * 1.5 / 72) / (spec.height_mm * MM)
    top = 0.04 / (spec.height_mm * MM)
    return (left, bottom, 1 - left - right, 1 - bottom - top)


def _frame(bounds, aspect: float, pad: float) -> tuple[float, float, float, float]:
    """`bounds` padded and widened to the figure's aspect ratio."""
    x0, y0, x1, y1 = bounds
    w, h = max(x1 - x0, 1.0) * (1 + 2 * pad), max(y1 - y0, 1.0) * (1 + 2 * pad)
    w, h = max(w, h * aspect), max(h, w / aspect)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def _nice_km(span_m: float) -> int:
    return panels.nice_km(span_m)


def _draw_water(ax, data: MapData, strong: bool) -> None:
    w = water()
    base = data.layer("XZQ")
    z = (base.layer.style.z if base is not None else 0) + 0.5  # lakes over the land fill
    geoms = [w.sea, *(g for g, _, _ in w.lakes)]
    ax.add_collection(PathCollection([to_path(g) for g in geoms if not g.is_empty],
                                     facecolors=[WATER_FILL], edgecolors=[WATER_EDGE],
                                     linewidths=0.35, zorder=z))
    for line, _, _ in w.rivers:  # over the land fill, under every plan layer
        ax.add_collection(PathCollection([to_path(line)], facecolors=["none"],
                                         edgecolors=[WATER_EDGE], linewidths=1.6 if strong else 0.8,
                                         zorder=z, capstyle="round"))


def _draw_layers(ax, spec: MapSpec, data: MapData, scale: float,
                 closing: float) -> list[LayerData]:
    focus_layers = emphasis(spec)
    codes = list(dict.fromkeys([*BASE_LAYERS, *spec.layers, *focus_layers]))
    layers = [d for d in (data.layer(c) for c in codes) if d is not None]
    for d in sorted(layers, key=lambda d: d.layer.style.z):
        strong = d.layer.code in focus_layers
        _draw_layer(ax, d, scale * (1.5 if strong else 1.0), 1.0 if strong or not focus_layers
                    or d.layer.code in BASE_LAYERS else 0.55, closing)
    return layers


def _colour(hex_colour: str | None, alpha: float) -> tuple | str:
    if not hex_colour or alpha <= 0:
        return "none"
    h = hex_colour.lstrip("#")
    return (int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255, alpha)


def _clean(geom, scale_m: float):
    """A polygon without the clip slivers and pin holes that draw as stray dashes."""
    closed = geom.buffer(scale_m).buffer(-scale_m)
    parts = [p for p in shapely.get_parts(closed) if p.area > 0.002 * closed.area]
    return shapely.union_all(parts) if parts else geom


def _draw_layer(ax, d: LayerData, scale: float, alpha: float, closing: float = 0.0) -> None:
    s = d.layer.style
    width = s.stroke_width * PX_TO_PT * scale
    if d.layer.dimension == 0:
        xy = np.array([[g.x, g.y] for g in shapely.get_parts(d.geoms)]).reshape(-1, 2)
        ax.scatter(xy[:, 0], xy[:, 1], s=(s.marker_size * PX_TO_PT * scale) ** 2, c=s.stroke,
                   edgecolors="white", linewidths=0.5 * scale, zorder=s.z, alpha=alpha)
        return
    if d.layer.code in BAND:
        ax.add_collection(PathCollection(d.paths, facecolors=["none"], edgecolors=[s.stroke],
                                         linewidths=width * 2.2, alpha=0.28 * alpha, zorder=s.z,
                                         capstyle="round"))
        return
    if d.layer.code in WATER_LAYERS:  # the project's water looks like the context's water
        ax.add_collection(PathCollection(d.paths, facecolors=[WATER_FILL],
                                         edgecolors=[WATER_EDGE], linewidths=0.35, zorder=s.z))
        return
    face = _colour(s.fill, s.fill_opacity * alpha) if d.layer.dimension == 2 else "none"
    dash = (0, tuple(v / max(s.stroke_width, 0.1) for v in s.dash)) if s.dash else "solid"
    paths = d.paths
    if d.layer.dimension == 2 and s.dash and closing and len(d.geoms) <= LABEL_MAX:
        paths = [to_path(_clean(g, closing)) for g in d.geoms]  # dashed zones: no sliver dashes
    ax.add_collection(PathCollection(paths, facecolors=[face], edgecolors=[_colour(s.stroke, alpha)],
                                     linewidths=width, linestyles=[dash], zorder=s.z))


def linked_projects(spec: MapSpec, data: MapData) -> list[tuple[LayerData, int]]:
    """(layer, row) of the spec's projects that exist, in the spec's order: map number n is
    the n-th of these, so captions can name them."""
    found = (data.find(uuid, PROJECT_LAYERS) for uuid in spec.projects)
    return [f for f in found if f is not None]


def _draw_projects(ax, spec: MapSpec, data: MapData, scale: float) -> list:
    """Highlight the section's linked projects (their numbers are labels); returns them."""
    projects = linked_projects(spec, data)
    for d, row in projects:
        geom = d.geoms[row]
        if d.layer.dimension == 0:
            ax.scatter([geom.x], [geom.y], s=(8 * scale) ** 2, c=HIGHLIGHT, marker="*",
                       edgecolors="white", linewidths=0.6 * scale, zorder=140)
        else:  # a white casing keeps the project line apart from corridors and boundaries
            for colour, width in (("white", 3.4), (HIGHLIGHT, 1.8)):
                ax.add_collection(PathCollection([d.paths[row]], facecolors=["none"],
                                                 edgecolors=[colour], linewidths=width * scale,
                                                 zorder=130))
    return projects


def _legend_label(layer: Layer, schematic: bool, lang: str) -> str:
    name = {"zh": layer.name_zh, "en": layer.name_en}.get(lang, f"{layer.name_zh} {layer.name_en}")
    if not schematic:
        return name
    return name + ("（示意）" if lang == "zh" else " (schematic)")


def _legend_handle(layer: Layer):
    s = layer.style
    if layer.dimension == 0:
        return Line2D([], [], marker="o", linestyle="none", markerfacecolor=s.stroke,
                      markeredgecolor="white", markersize=5)
    if layer.code in BAND:
        return Line2D([], [], color=s.stroke, linewidth=s.stroke_width * PX_TO_PT * 2.2,
                      alpha=0.28, solid_capstyle="round")
    if layer.dimension == 1:
        return Line2D([], [], color=s.stroke, linewidth=max(s.stroke_width * PX_TO_PT, 0.8))
    return Patch(facecolor=_colour(s.fill, max(s.fill_opacity, 0.15)), edgecolor=s.stroke,
                 linestyle=(0, tuple(v / max(s.stroke_width, 0.1) for v in s.dash)) if s.dash
                 else "solid")


def _draw_towns(ax, scale: float) -> tuple:
    towns = heritage.towns()
    ax.scatter([t[2] for t in towns], [t[3] for t in towns], s=(4.5 * scale) ** 2, marker="s",
               c=heritage.COLOUR, edgecolors="white", linewidths=0.5 * scale, zorder=135)
    return towns


def _legend(ax, drawn: list[LayerData], projects: bool, lang: str, text_pt: float, family: str,
            towns: bool = False):
    handles: list[Patch | Line2D] = [Patch(facecolor=WATER_FILL, edgecolor=WATER_EDGE)]
    labels = [{"zh": "海域、湖泊", "en": "Sea and lakes"}.get(lang, "海域、湖泊 Sea and lakes")]
    for d in drawn:
        if d.layer.code in WATER_LAYERS or (d.layer.code in PROJECT_LAYERS and projects):
            continue  # shown as the linked projects below
        handles.append(_legend_handle(d.layer))
        labels.append(_legend_label(d.layer, d.schematic, lang))
    if towns:
        handles.append(Line2D([], [], linestyle="none", marker="s", markersize=4.5,
                              markerfacecolor=heritage.COLOUR, markeredgecolor="white"))
        labels.append({"zh": heritage.LEGEND_ZH, "en": heritage.LEGEND_EN}.get(
            lang, f"{heritage.LEGEND_ZH} {heritage.LEGEND_EN}"))
    if projects:
        handles.append(Line2D([], [], color=HIGHLIGHT, linewidth=1.8, marker="*", markersize=7,
                              path_effects=None))
        labels.append({"zh": "关联项目（编号见图注）", "en": "Linked projects (numbered)"}.get(
            lang, "关联项目 Linked projects"))
    title = {"zh": "图例", "en": "Legend"}.get(lang, "图例 Legend")
    legend = ax.legend(handles, labels, loc="lower right", frameon=True, framealpha=1.0,
                       facecolor="white", edgecolor=panels.EDGE, fancybox=False,
                       prop={"family": family, "size": text_pt}, title=title,
                       title_fontproperties={"family": family, "size": text_pt * 1.1},
                       borderaxespad=0.6, handlelength=2.2, labelspacing=0.35)
    legend.set_zorder(230)
    legend.get_frame().set_linewidth(0.5)
    return legend


def _panels(fig, canvas, ax, spec: MapSpec, data: MapData, drawn, projects: bool, bounds,
            text_pt: float, family: str, locator: bool, towns: bool, anchors) -> list:
    """Legend, scale/north and the locator inset in the emptiest corners; their boxes."""
    darkness = panels.with_anchors(panels.ink(canvas), ax.transData.transform(anchors)
                                   if anchors else [], fig.dpi)
    renderer = canvas.get_renderer()
    axes = ax.get_window_extent(renderer)
    inset = 0.6 * text_pt * fig.dpi / 72
    free = list(panels.PLACES)
    legend = _legend(ax, drawn, projects, spec.lang, text_pt, family, towns)
    lbox = legend.get_window_extent(renderer)
    corner = panels.best_corner(darkness, axes, lbox.width, lbox.height, inset, free, fig.dpi)
    legend.set_loc(corner)
    free.remove(corner)
    boxes = [legend.get_window_extent(renderer)]  # where matplotlib actually puts it
    px_per_m = axes.width / (bounds[2] - bounds[0])
    km = panels.nice_km(bounds[2] - bounds[0])
    size_px = text_pt * fig.dpi / 72
    w, h = panels.scale_panel_size(km, px_per_m, size_px)
    corner = panels.best_corner(darkness, axes, w, h, inset, free, fig.dpi, tuple(boxes))
    free.remove(corner)
    box = panels.corner_box(axes, corner, w, h, inset)
    panels.scale_north(ax, box, km, px_per_m, text_pt, family, "N" if spec.lang == "en" else "北")
    boxes.append(box)
    if locator and (base := data.layer("XZQ")) is not None:
        extent = data.extent()
        side = axes.width * 0.2
        ih = side * (extent[3] - extent[1]) / max(extent[2] - extent[0], 1.0)
        corner = panels.best_corner(darkness, axes, side, ih, inset, free, fig.dpi, tuple(boxes))
        boxes.append(panels.locator(fig, panels.corner_box(axes, corner, side, ih, inset),
                                    base.paths, bounds, extent))
    return boxes


def _label_requests(ax, spec: MapSpec, data: MapData, drawn, projects, bounds, text_pt: float,
                    scale: float) -> list[lab.Label]:
    """Every label the map would like, with its priority; placement decides which fit."""
    frame = shapely.box(*bounds)
    out: list[lab.Label] = []
    for d in drawn:
        if d.layer.dimension != 2 or d.layer.code in PROJECT_LAYERS or len(d.geoms) > LABEL_MAX:
            continue
        if d.layer.code == "SY":
            continue  # water is labelled from the water context below
        # The poster splits a layer into views ("DSQ_ZLXTQ#2": one zone): same priority.
        priority = lab.LAYER_PRIORITY.get(d.layer.code.split("#")[0], lab.PLACE)
        for row, geom in enumerate(d.geoms):
            name = d.label(row)
            at = lab.anchor_of(geom, frame) if name else None
            if at is not None:
                text = lab.wrap(label_text(name, spec.lang)) if spec.lang == "zh" else \
                    label_text(name, spec.lang)
                out.append(lab.Label(text, priority, at[0], at[1],
                                     size=text_pt * (1.15 if priority == lab.CITY else 1.0),
                                     color="#263238" if priority == lab.CITY else
                                     d.layer.style.stroke))
    out += _water_labels(spec, frame, text_pt)
    for n, (d, row) in enumerate(projects, 1):
        at = lab.anchor_of(d.geoms[row], frame.buffer(-0.03 * (bounds[2] - bounds[0])))
        if at is not None:
            out.append(lab.Label(str(n), lab.PROJECT, at[0], None, size=text_pt, color="white",
                                 rings=6, marker={"boxstyle": "circle,pad=0.25",
                                                  "facecolor": HIGHLIGHT, "edgecolor": "white",
                                                  "linewidth": 0.6 * scale}))
    return out


def _water_labels(spec: MapSpec, frame, text_pt: float) -> list[lab.Label]:
    w = water()
    out = []
    for geom, zh, en in w.lakes:
        at = lab.anchor_of(geom, frame) if zh else None
        if at is not None and geom.intersection(frame).area > 0.0005 * frame.area:
            out.append(lab.Label(label_text(zh, spec.lang, en), lab.PLACE, at[0], at[1],
                                 size=text_pt, color=WATER_TEXT, style="italic"))
    for line, zh, en in w.rivers:
        at = lab.anchor_of(line, frame)
        if at is not None and at[1].length > 0.15 * (frame.bounds[2] - frame.bounds[0]):
            out.append(lab.Label(label_text(zh, spec.lang, en), lab.PLACE, at[0], line,
                                 size=max(6.0, text_pt * 0.93), color=WATER_TEXT, style="italic"))
    for (x, y), zh, en in w.seas:
        if frame.contains(shapely.Point(x, y)):
            out.append(lab.Label(label_text(zh, spec.lang, en), lab.PLACE, (x, y), w.sea,
                                 size=text_pt * 1.1, color=WATER_TEXT, style="italic"))
    return out
