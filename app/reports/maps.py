"""Thematic maps as PNG bytes from a matplotlib `Figure` (never pyplot).

Layer styles come from the catalogue; every map has a legend, a scale bar, a north arrow,
Chinese labels in the embedded CJK font, the CRS, and a 示意 notice whenever a drawn layer is
schematic. Rendering is deterministic: the same data and spec give the same bytes (Agg, no
timestamps in the PNG).
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon, Rectangle

from app.content.model import Focus
from app.model.catalogue import Layer
from app.reports.fonts import matplotlib_family
from app.reports.mapdata import LayerData, MapData

log = logging.getLogger(__name__)

PROJECT_LAYERS = ("XMK_POINT", "XMK_LINE", "XMK_POLYGON")
BASE_LAYERS = ("XZQ",)
PX_TO_PT = 0.75  # catalogue widths are CSS pixels (96 per inch); matplotlib wants points
HIGHLIGHT = "#B71C1C"
NICE_KM = (1, 2, 5, 10, 20, 25, 50, 100, 200)
SCHEMATIC_ZH = "示意图：边界与范围为示意，不作为权属界线和量算依据"
SCHEMATIC_EN = "Schematic: boundaries and extents are indicative, not for measurement"
CRS_NOTE = "CGCS2000 · 3°带高斯-克吕格投影 CM 120°E (EPSG:4549)"
LABEL_MAX = 12  # layers with more features than this are not labelled (clutter)


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
    lang: str = "zh"  # zh | both (legend and notes in Chinese and English)


def render(spec: MapSpec, data: MapData, dpi: int = 150) -> bytes:
    """The map as PNG bytes."""
    fig = Figure(figsize=(spec.width_mm / 25.4, spec.height_mm / 25.4), dpi=dpi,
                 facecolor="white")
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    scale = max(0.6, min(4.0, spec.width_mm / 170.0))
    focus = data.focus(spec.focus)
    bounds = _frame(focus.bounds if focus is not None else data.extent(),
                    spec.width_mm / spec.height_mm, 0.12 if focus is not None else 0.04)
    drawn = _draw_layers(ax, spec, data, scale)
    if focus is not None:
        _draw_geom_outline(ax, focus, scale)
    n_projects = _draw_projects(ax, spec, data, scale, bounds)
    ax.set_xlim(bounds[0], bounds[2])
    ax.set_ylim(bounds[1], bounds[3])
    ax.set_aspect("equal", adjustable="box")
    _legend(ax, drawn, n_projects, spec.lang, scale)
    _scale_bar(ax, bounds, scale)
    _north_arrow(ax, bounds, scale)
    _notes(fig, any(d.schematic for d in drawn), spec.lang, scale)
    fig.add_artist(Rectangle((0, 0), 1, 1, transform=fig.transFigure, fill=False,
                             edgecolor="#9AA5B1", linewidth=0.8))
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=dpi, metadata={"Software": None})
    return out.getvalue()


def _frame(bounds, aspect: float, pad: float) -> tuple[float, float, float, float]:
    """`bounds` padded and widened to the figure's aspect ratio."""
    x0, y0, x1, y1 = bounds
    w, h = max(x1 - x0, 1.0) * (1 + 2 * pad), max(y1 - y0, 1.0) * (1 + 2 * pad)
    w, h = max(w, h * aspect), max(h, w / aspect)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def _draw_layers(ax, spec: MapSpec, data: MapData, scale: float) -> list[LayerData]:
    codes = list(dict.fromkeys([*BASE_LAYERS, *spec.layers]))
    layers = [d for d in (data.layer(c) for c in codes) if d is not None]
    for d in sorted(layers, key=lambda d: d.layer.style.z):
        _draw_layer(ax, d, scale)
        # Polygons only: projects get numbers (named in the caption), lines would clutter.
        if d.layer.dimension == 2 and d.layer.code not in PROJECT_LAYERS \
                and len(d.geoms) <= LABEL_MAX:
            _labels(ax, d, scale)
    return layers


def _colour(hex_colour: str | None, alpha: float) -> tuple | str:
    if not hex_colour or alpha <= 0:
        return "none"
    h = hex_colour.lstrip("#")
    return (int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255, alpha)


def _draw_layer(ax, d: LayerData, scale: float) -> None:
    s = d.layer.style
    width = s.stroke_width * PX_TO_PT * scale
    if d.layer.dimension == 0:
        xy = np.array([[g.x, g.y] for g in shapely.get_parts(d.geoms)]).reshape(-1, 2)
        ax.scatter(xy[:, 0], xy[:, 1], s=(s.marker_size * PX_TO_PT * scale) ** 2, c=s.stroke,
                   edgecolors="white", linewidths=0.5 * scale, zorder=s.z)
        return
    face = _colour(s.fill, s.fill_opacity) if d.layer.dimension == 2 else "none"
    dash = (0, tuple(v / max(s.stroke_width, 0.1) for v in s.dash)) if s.dash else "solid"
    ax.add_collection(PathCollection(d.paths, facecolors=[face], edgecolors=[s.stroke],
                                     linewidths=width, linestyles=[dash], zorder=s.z))


def _labels(ax, d: LayerData, scale: float) -> None:
    halo = [patheffects.withStroke(linewidth=2.2 * scale, foreground="white")]
    for row, geom in enumerate(d.geoms):
        text = d.label(row)
        if not text:
            continue
        at = geom.representative_point()
        ax.text(at.x, at.y, text, fontsize=6.5 * scale, fontfamily=matplotlib_family(),
                color="#37474F", ha="center", va="center", zorder=120, path_effects=halo,
                clip_on=True)


def _draw_geom_outline(ax, geom, scale: float) -> None:
    from app.reports.mapdata import to_path

    ax.add_collection(PathCollection([to_path(geom)], facecolors=["none"], edgecolors=["#1A237E"],
                                     linewidths=2.2 * scale, zorder=85))


def linked_projects(spec: MapSpec, data: MapData) -> list[tuple[LayerData, int]]:
    """(layer, row) of the spec's projects that exist, in the spec's order: map number n is
    the n-th of these, so captions can name them."""
    found = (data.find(uuid, PROJECT_LAYERS) for uuid in spec.projects)
    return [f for f in found if f is not None]


def _draw_projects(ax, spec: MapSpec, data: MapData, scale: float, bounds) -> int:
    """Highlight the section's linked projects with their numbers; returns how many."""
    projects = linked_projects(spec, data)
    for n, (d, row) in enumerate(projects, 1):
        geom = d.geoms[row]
        if d.layer.dimension == 0:
            ax.scatter([geom.x], [geom.y], s=(9 * scale) ** 2, c=HIGHLIGHT, marker="*",
                       edgecolors="white", linewidths=0.6 * scale, zorder=140)
        else:
            ax.add_collection(PathCollection([d.paths[row]], facecolors=["none"],
                                             edgecolors=[HIGHLIGHT], linewidths=2.6 * scale,
                                             zorder=130))
        at = _inside(geom, bounds)
        if at is not None:
            ax.text(at.x, at.y, str(n), fontsize=7 * scale, color="white", ha="center",
                    va="center", zorder=150, fontfamily=matplotlib_family(),
                    bbox={"boxstyle": "circle,pad=0.25", "facecolor": HIGHLIGHT,
                          "edgecolor": "white", "linewidth": 0.6 * scale})
    return len(projects)


def _inside(geom, bounds):
    """A point of `geom` inside the map frame (its middle if possible), else None."""
    frame = shapely.box(*bounds).buffer(-0.03 * (bounds[2] - bounds[0]))
    part = geom.intersection(frame) if not geom.within(frame) else geom
    if part.is_empty:
        return None
    return part.representative_point() if part.geom_type.endswith("Polygon") or \
        part.geom_type.endswith("Point") else part.interpolate(0.5, normalized=True)


def _legend_label(layer: Layer, schematic: bool, lang: str) -> str:
    name = layer.name_zh if lang == "zh" else f"{layer.name_zh} {layer.name_en}"
    return name + ("（示意）" if schematic and lang == "zh" else " (schematic)" if schematic else "")


def _legend_handle(layer: Layer):
    s = layer.style
    if layer.dimension == 0:
        return Line2D([], [], marker="o", linestyle="none", markerfacecolor=s.stroke,
                      markeredgecolor="white", markersize=5)
    if layer.dimension == 1:
        return Line2D([], [], color=s.stroke, linewidth=max(s.stroke_width * PX_TO_PT, 0.8))
    return Patch(facecolor=_colour(s.fill, max(s.fill_opacity, 0.15)), edgecolor=s.stroke)


def _legend(ax, drawn: list[LayerData], n_projects: int, lang: str, scale: float) -> None:
    handles = [_legend_handle(d.layer) for d in drawn]
    labels = [_legend_label(d.layer, d.schematic, lang) for d in drawn]
    if n_projects:
        handles.append(Line2D([], [], color=HIGHLIGHT, linewidth=2.4))
        labels.append("关联项目" if lang == "zh" else "关联项目 Linked projects")
    size = (6.0 if lang == "zh" else 4.8) * scale  # bilingual labels are twice as long
    legend = ax.legend(handles, labels, loc="lower right", frameon=True, framealpha=0.92,
                       edgecolor="#B0BEC5", prop={"family": matplotlib_family(), "size": size},
                       title="图例" if lang == "zh" else "图例 Legend",
                       title_fontproperties={"family": matplotlib_family(), "size": 6.5 * scale})
    legend.set_zorder(200)


def _nice_km(span_m: float) -> int:
    target = span_m / 5000.0  # about a fifth of the width, in km
    return min(NICE_KM, key=lambda km: abs(km - target))


def _scale_bar(ax, bounds, scale: float) -> None:
    x0, y0, x1, y1 = bounds
    km = _nice_km(x1 - x0)
    left, base, height = x0 + 0.04 * (x1 - x0), y0 + 0.05 * (y1 - y0), 0.008 * (y1 - y0)
    for i in range(4):  # alternating quarters, the cartographic convention
        ax.add_patch(Rectangle((left + i * km * 250, base), km * 250, height, zorder=210,
                               facecolor="black" if i % 2 == 0 else "white", edgecolor="black",
                               linewidth=0.5 * scale))
    for x, text in ((left, "0"), (left + km * 1000, f"{km} km")):
        ax.text(x, base + 1.8 * height, text, fontsize=6 * scale, ha="center", va="bottom",
                fontfamily=matplotlib_family(), zorder=210)


def _north_arrow(ax, bounds, scale: float) -> None:
    x0, y0, x1, y1 = bounds
    cx, top, size = x1 - 0.05 * (x1 - x0), y1 - 0.05 * (y1 - y0), 0.05 * (y1 - y0)
    ax.add_patch(Polygon([(cx, top), (cx - size * 0.35, top - size), (cx, top - size * 0.72)],
                         closed=True, facecolor="black", edgecolor="black", zorder=210))
    ax.add_patch(Polygon([(cx, top), (cx + size * 0.35, top - size), (cx, top - size * 0.72)],
                         closed=True, facecolor="white", edgecolor="black", linewidth=0.6,
                         zorder=210))
    ax.text(cx, top + 0.2 * size, "北 N", fontsize=7 * scale, ha="center", va="bottom",
            fontfamily=matplotlib_family(), zorder=210)


def _notes(fig: Figure, schematic: bool, lang: str, scale: float) -> None:
    lines = [CRS_NOTE]
    if schematic:
        lines.insert(0, SCHEMATIC_ZH if lang == "zh" else f"{SCHEMATIC_ZH}\n{SCHEMATIC_EN}")
    fig.text(0.01, 0.99, "\n".join(lines), fontsize=5.8 * scale, va="top", ha="left",
             color="#B42318" if schematic else "#52606D", fontfamily=matplotlib_family(),
             bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 2})
