"""The map's furniture on opaque panels where they cover least: legend, scale bar with north
arrow, and the locator inset, each in the map corner with the least drawn content.

"Least drawn content" is measured, not guessed: the map is drawn once without its panels and
each free corner is scored by the ink under a panel of that size (darkness of the pixels, so
pale fills and the sea weigh little and lines, symbols and fills of features weigh most).
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Polygon, Rectangle
from matplotlib.transforms import Affine2D, Bbox

CORNERS = ("lower right", "lower left", "upper right", "upper left")  # ties go to the first
PLACES = (*CORNERS, "lower center", "upper center")  # edge middles when every corner is busy
NICE_KM = (1, 2, 5, 10, 20, 25, 50, 100, 200)
EDGE = "#90A4AE"


INK_DPI = 40  # the ink measure needs no detail: a coarse draw costs a fraction of a full one


def ink(canvas) -> np.ndarray:
    """Darkness (0 white … 1 black) of the drawn figure at INK_DPI, row 0 at the top."""
    fig = canvas.figure
    dpi = fig.dpi
    fig.set_dpi(INK_DPI)
    canvas.draw()
    rgba = np.asarray(canvas.buffer_rgba())[..., :3].astype(np.float32) / 255.0
    fig.set_dpi(dpi)
    return 1.0 - rgba.mean(axis=2)


ANCHOR_INK = 400.0  # a label still to come outweighs pale fills: its symbol and name matter


def with_anchors(darkness: np.ndarray, points, dpi: float) -> np.ndarray:
    """`darkness` with the weight of the labels still to come at their anchors (display
    pixels at `dpi`): a panel should not hide a small symbol and its name."""
    out = darkness.copy()
    rows, cols = out.shape
    k = INK_DPI / dpi
    for x, y in points:
        r, c = int(rows - y * k), int(x * k)
        if 0 <= r < rows and 0 <= c < cols:
            out[r, c] += ANCHOR_INK
    return out


def corner_box(axes: Bbox, corner: str, w: float, h: float, inset: float) -> Bbox:
    """A w × h box (pixels) in `corner` of the axes, `inset` pixels from its edges."""
    x0 = axes.x1 - inset - w if "right" in corner else axes.x0 + inset if "left" in corner \
        else axes.x0 + (axes.width - w) / 2
    y0 = axes.y1 - inset - h if "upper" in corner else axes.y0 + inset
    return Bbox.from_bounds(x0, y0, w, h)


def best_corner(darkness: np.ndarray, axes: Bbox, w: float, h: float, inset: float,
                free: list[str], dpi: float, taken: tuple[Bbox, ...] = ()) -> str:
    """The free place whose w × h box (pixels at `dpi`) covers the least ink and no panel
    placed before it."""
    rows = darkness.shape[0]
    k = INK_DPI / dpi

    def score(corner: str) -> float:
        b = corner_box(axes, corner, w, h, inset).transformed(Affine2D().scale(k))
        window = darkness[max(int(rows - b.y1), 0):int(rows - b.y0), max(int(b.x0), 0):int(b.x1)]
        return float(window.sum())
    def clear(corner: str) -> bool:
        b = corner_box(axes, corner, w, h, inset)
        return not any(b.x0 < t.x1 and t.x0 < b.x1 and b.y0 < t.y1 and t.y0 < b.y1 for t in taken)
    options = [c for c in free if clear(c)] or free[:1]
    return min(options, key=lambda c: (round(score(c), 1), PLACES.index(c)))


def nice_km(span_m: float) -> int:
    """A round scale-bar length, about a fifth of the map's width."""
    target = span_m / 5000.0
    return min(NICE_KM, key=lambda km: abs(km - target))


def scale_north(ax, box: Bbox, km: int, px_per_m: float, size: float, family: str,
                north: str) -> None:
    """Scale bar (alternating quarters) and north arrow on one opaque panel in `box` (pixels)."""
    to_data = ax.transData.inverted()
    (x0, y0), (x1, y1) = to_data.transform((box.x0, box.y0)), to_data.transform((box.x1, box.y1))
    h_m = (y1 - y0)
    ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor="white", edgecolor=EDGE,
                           linewidth=0.5, zorder=205))
    pad = 0.18 * h_m
    left, base, bar_h = x0 + pad, y0 + pad, 0.12 * h_m
    quarter = km * 250
    for i in range(4):  # alternating quarters, the cartographic convention
        ax.add_patch(Rectangle((left + i * quarter, base), quarter, bar_h, zorder=210,
                               facecolor="black" if i % 2 == 0 else "white", edgecolor="black",
                               linewidth=0.4))
    for x, text in ((left, "0"), (left + km * 500, f"{km // 2}" if km % 2 == 0 else ""),
                    (left + km * 1000, f"{km} km")):
        if text:
            ax.text(x, base + bar_h * 1.6, text, fontsize=size, ha="center", va="bottom",
                    fontfamily=family, zorder=210)
    cx, top = x1 - pad * 1.6, y1 - pad * 0.5
    arrow = 0.5 * h_m
    for side, face in ((-1, "black"), (1, "white")):
        ax.add_patch(Polygon([(cx, top - 0.25 * arrow), (cx + side * arrow * 0.3, top - 1.25 * arrow),
                              (cx, top - arrow)], closed=True, facecolor=face,
                             edgecolor="black", linewidth=0.5, zorder=210))
    ax.text(cx, top - 1.3 * arrow, north, fontsize=size, ha="center", va="top",
            fontfamily=family, zorder=210)


def scale_panel_size(km: int, px_per_m: float, size_px: float) -> tuple[float, float]:
    """Pixel size of the scale-and-north panel for a bar of `km` (text `size_px` high)."""
    bar = km * 1000 * px_per_m
    h = 6.2 * size_px
    return bar + 0.18 * h * 2 + 2.6 * size_px + 0.3 * h, h


def locator(fig, box: Bbox, outlines, frame: tuple[float, float, float, float],
            extent: tuple[float, float, float, float]) -> Bbox:
    """The locator inset in `box`: the plan area's outlines with this map's frame in red."""
    fw, fh = fig.bbox.width, fig.bbox.height
    inset = fig.add_axes((box.x0 / fw, box.y0 / fh, box.width / fw, box.height / fh), zorder=220)
    inset.set_xticks([])
    inset.set_yticks([])
    inset.set_facecolor("white")
    for spine in inset.spines.values():
        spine.set_edgecolor(EDGE)
        spine.set_linewidth(0.5)
    from matplotlib.collections import PathCollection
    inset.add_collection(PathCollection(outlines, facecolors=["#ECEFF1"], edgecolors=["#78909C"],
                                        linewidths=0.3))
    x0, y0, x1, y1 = frame
    inset.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor="#C62828",
                              linewidth=0.9))
    ex0, ey0, ex1, ey1 = extent
    half = 0.54 * max(ex1 - ex0, (ey1 - ey0) * box.width / box.height)
    cx, cy = (ex0 + ex1) / 2, (ey0 + ey1) / 2
    inset.set_xlim(cx - half, cx + half)  # the inset box has the extent's aspect already
    half_y = half * box.height / box.width
    inset.set_ylim(cy - half_y, cy + half_y)
    return box
