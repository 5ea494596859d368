"""The map's frame: a graticule with degree ticks on the neat line, and the notes strip under
the map (schematic notice, sources, CRS and the 审图号 field the publisher fills in).

The projection is Gauss-Krüger, so meridians and parallels are nearly straight but not the
frame's axes: they are drawn as projected lines and the ticks sit where they cross the
frame's bottom and left edges.
"""

from __future__ import annotations

import numpy as np
import pyproj

from app.reports.mapdata import DRAW_EPSG

STEPS = (0.1, 0.2, 0.25, 0.5, 1.0, 2.0)  # degrees between graticule lines
SOURCE_ZH = "资料来源：海岸线与湖泊据 Natural Earth（公有领域）；淀山湖轮廓与河道走向为示意；规划图层由各方编制"
SOURCE_EN = "Sources: coastline and lakes from Natural Earth (public domain); Dianshan Lake and river courses schematic; plan layers by the parties"
CRS_NOTE = "CGCS2000 · 3°带高斯-克吕格投影 CM 120°E (EPSG:4549)"
CRS_NOTE_EN = "CGCS2000 · 3° Gauss-Krüger CM 120°E (EPSG:4549)"


def _transformers():
    return (pyproj.Transformer.from_crs(DRAW_EPSG, 4490, always_xy=True),
            pyproj.Transformer.from_crs(4490, DRAW_EPSG, always_xy=True))


def _step(span_deg: float) -> float:
    return next((s for s in STEPS if span_deg / s <= 5), STEPS[-1])


def _dms(value: float, hemi: str) -> str:
    deg = int(np.floor(value + 1e-9))
    minutes = round((value - deg) * 60)
    return f"{deg}°{minutes:02d}′{hemi}" if minutes else f"{deg}°{hemi}"


def graticule(ax, bounds, size: float, family: str) -> None:
    """Meridians and parallels as thin lines, labelled by ticks on the bottom and left edges."""
    to_ll, to_xy = _transformers()
    x0, y0, x1, y1 = bounds
    lons, lats = to_ll.transform([x0, x1, x0, x1], [y0, y0, y1, y1])
    step = _step(max(max(lons) - min(lons), max(lats) - min(lats)))
    ticks_x, ticks_y = [], []
    for lon in np.arange(np.ceil(min(lons) / step) * step, max(lons), step):
        ys = np.linspace(min(lats) - 1, max(lats) + 1, 60)
        xs, yy = to_xy.transform(np.full_like(ys, lon), ys)
        ax.plot(xs, yy, color="#B0BEC5", linewidth=0.3, zorder=60)
        at = np.interp(y0, yy, xs)
        if x0 < at < x1:
            ticks_x.append((at, _dms(lon, "E")))
    for lat in np.arange(np.ceil(min(lats) / step) * step, max(lats), step):
        xs_ll = np.linspace(min(lons) - 1, max(lons) + 1, 60)
        xs, ys = to_xy.transform(xs_ll, np.full_like(xs_ll, lat))
        ax.plot(xs, ys, color="#B0BEC5", linewidth=0.3, zorder=60)
        at = np.interp(x0, xs, ys)
        if y0 < at < y1:
            ticks_y.append((at, _dms(lat, "N")))
    ax.set_xticks([t for t, _ in ticks_x], [s for _, s in ticks_x])
    ax.set_yticks([t for t, _ in ticks_y], [s for _, s in ticks_y])
    ax.tick_params(direction="in", length=3, width=0.5, labelsize=size, pad=1.5,
                   top=True, right=True)
    for label in [*ax.get_xticklabels(), *ax.get_yticklabels()]:
        label.set_fontfamily(family)
    for spine in ax.spines.values():
        spine.set_linewidth(0.8)
        spine.set_edgecolor("#37474F")


def notes(fig, strip: float, schematic: bool, lang: str, review_no: str, size: float,
          family: str) -> None:
    """The strip under the map: notice, sources and CRS on the left, 审图号 on the right."""
    from app.reports.maps import SCHEMATIC_EN, SCHEMATIC_ZH

    lines = []
    if schematic:
        lines.append(SCHEMATIC_EN if lang == "en" else SCHEMATIC_ZH)
    lines.append(SOURCE_EN if lang == "en" else SOURCE_ZH)
    lines.append(CRS_NOTE_EN if lang == "en" else CRS_NOTE)
    y = strip - 0.004
    for n, line in enumerate(lines):
        fig.text(0.012, y, line, fontsize=size, va="top", ha="left", fontfamily=family,
                 color="#B42318" if schematic and n == 0 else "#52606D")
        y -= strip / (len(lines) + 0.4)
    number = review_no or "＿＿＿＿＿＿"
    fig.text(0.988, strip - 0.004, f"Review No. {number}" if lang == "en" else f"审图号：{number}",
             fontsize=size, va="top", ha="right", fontfamily=family, color="#37474F")
