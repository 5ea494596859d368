"""The QC report's small map: where overlaps, gaps and features outside the party's area lie,
over the reference cities' outlines for bearings (schematic, not an official map)."""

from __future__ import annotations

import io
import math

import shapely
from matplotlib.figure import Figure

from app.qc.areas import reference_cities
from app.qc.findings import Finding
from app.reports.fonts import matplotlib_family

DRAWN = {  # check -> (colour, marker, zh, en)
    "overlap": ("#C0392B", "o", "重叠", "overlap"),
    "gap": ("#1F77B4", "s", "缝隙", "gap"),
    "outside_party": ("#E67E22", "^", "超出辖区", "outside the area"),
}
MIN_SPAN = 0.05  # degrees: a map of one finding still shows its surroundings


def findings_map(findings: list[Finding], lang: str = "zh") -> tuple[io.BytesIO | None, int]:
    """(PNG of the map or None when nothing has a place on it, findings outside China left
    off it: they would stretch it over half of Asia)."""
    abroad = sum(f.check == "outside_china" for f in findings)
    shown = [f for f in findings if f.check in DRAWN and f.where]
    if not shown:
        return None, abroad
    xs, ys = [f.where[0] for f in shown if f.where], [f.where[1] for f in shown if f.where]
    x0, x1, y0, y1 = _extent(xs, ys)
    family = [matplotlib_family(), "DejaVu Sans"]
    fig = Figure(figsize=(7.5, 5.25), layout="constrained")
    ax = fig.add_subplot()
    view = shapely.box(x0, y0, x1, y1)
    for city in reference_cities().values():
        part = shapely.intersection(city.geometry, view)
        for poly in shapely.get_parts(part):
            if poly.geom_type == "Polygon":
                ax.fill(*poly.exterior.xy, facecolor="#F3F4F6", edgecolor="#9CA3AF", linewidth=0.6)
        if not part.is_empty:
            p = part.representative_point()
            ax.annotate(city.name, (p.x, p.y), fontsize=8, color="#6B7280", family=family,
                        ha="center")
    for check, (colour, marker, zh, en) in DRAWN.items():
        pts = [f.where for f in shown if f.check == check and f.where]
        if pts:
            ax.scatter([p[0] for p in pts], [p[1] for p in pts], s=22, c=colour, marker=marker,
                       edgecolors="white", linewidths=0.5, label=f"{zh if lang == 'zh' else en} ({len(pts)})",
                       zorder=3)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1 / math.cos(math.radians((y0 + y1) / 2)))  # degrees of equal length
    ax.tick_params(labelsize=7)
    ax.legend(loc="upper right", fontsize=8, prop={"family": family, "size": 8})
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150, metadata={"Software": None})
    buf.seek(0)
    return buf, abroad


def _extent(xs: list[float], ys: list[float]) -> tuple[float, float, float, float]:
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys), MIN_SPAN) * 0.6
    return cx - half * 1.4, cx + half * 1.4, cy - half, cy + half
