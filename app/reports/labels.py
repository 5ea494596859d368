"""Map labels placed without collisions.

Labels are placed in priority order — cities, zones, places (water, town circles), then the
linked projects' numbers — each at the first candidate position whose box (in display pixels,
halo included) is inside the map, clear of the panels (legend, scale, north arrow, inset) and
clear of every label placed before it; a label that fits nowhere is dropped. Candidates start
at the feature's pole of inaccessibility and spiral outwards; a polygon's label stays on or
next to its polygon, a displaced project number gets a leader line to its feature.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import shapely
from matplotlib import patheffects
from matplotlib.lines import Line2D
from matplotlib.transforms import Bbox
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

log = logging.getLogger(__name__)

CITY, ZONE, PLACE, PROJECT = 0, 1, 2, 3
LAYER_PRIORITY = {"XZQ": CITY, "DSQ_ZLXTQ": ZONE, "HZSFQ": ZONE}
DIRECTIONS = ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1))
MARGIN_PX = 1.0  # clearance kept around every label box


@dataclass
class Label:
    """One label to place: its text, style and where it may go."""

    text: str
    priority: int  # CITY … PROJECT: lower is placed first
    anchor: tuple[float, float]  # data coordinates of the best position
    area: BaseGeometry | None = None  # the label's centre stays on or near this
    size: float = 6.5  # points
    color: str = "#37474F"
    style: str = "normal"  # normal | italic (water)
    weight: str = "normal"
    marker: dict | None = None  # bbox style of a number marker (projects)
    rings: int = 3  # how far out displacement may go
    beside: bool = False  # a point symbol's name: beside the symbol, never on it


@dataclass(frozen=True)
class Placed:
    """A label as drawn: its text and its box in display pixels."""

    text: str
    box: tuple[float, float, float, float]  # x0, y0, x1, y1
    priority: int
    size: float = 0.0  # points


def anchor_of(geom: BaseGeometry, frame: BaseGeometry) -> tuple[tuple[float, float], BaseGeometry] | None:
    """The best label point of the visible part of `geom` and that part (None if not visible)."""
    part = geom if geom.within(frame) else geom.intersection(frame)
    if part.is_empty:
        return None
    if part.geom_type.endswith("Polygon"):
        biggest = max(shapely.get_parts(part), key=lambda p: p.area)
        width = biggest.bounds[2] - biggest.bounds[0]
        point = polylabel(biggest, tolerance=max(width / 50, 1.0))
        return (point.x, point.y), part
    point = part.representative_point() if part.geom_type.endswith("Point") else \
        part.interpolate(0.5, normalized=True)
    return (point.x, point.y), part


def _candidates(w: float, h: float, rings: int, beside: bool = False):
    gap = 0.45 * h if beside else 0.0  # clear of the symbol under the anchor
    if not beside:
        yield 0.0, 0.0
    for k in range(1, rings + 1):
        for ux, uy in DIRECTIONS:
            yield ux * (k * (w * 0.5 + 2) + gap), uy * (k * (h * 0.6 + 1) + gap)


def _overlaps(a: Bbox, b: Bbox) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def place(ax, renderer, labels: list[Label], obstacles: list[Bbox], family: str,
          halo: float) -> list[Placed]:
    """Draw the labels that fit, best first; returns what was drawn."""
    axes_box = ax.get_window_extent(renderer)
    taken, out = list(obstacles), []
    px_per_m = abs(ax.transData.transform((1, 0))[0] - ax.transData.transform((0, 0))[0])
    for label in sorted(labels, key=lambda lab: lab.priority):
        text = ax.text(0, 0, label.text, fontsize=label.size, fontfamily=family, color=label.color,
                       style=label.style, weight=label.weight, ha="center", va="center",
                       multialignment="center", zorder=150 if label.marker else 145,
                       bbox=label.marker, linespacing=1.1,
                       path_effects=None if label.marker else
                       [patheffects.withStroke(linewidth=halo, foreground="white")])
        spot = _find(ax, renderer, text, label, axes_box, taken, px_per_m, halo)
        if spot is None:
            log.debug("label %r does not fit: dropped", label.text)
            text.remove()
            continue
        (x, y), box = spot
        text.set_position((x, y))
        taken.append(box)
        out.append(Placed(label.text, tuple(box.extents), label.priority, label.size))
        if label.marker and (x, y) != label.anchor:
            ax.add_line(Line2D([label.anchor[0], x], [label.anchor[1], y], color=label.marker.get(
                "facecolor", "black"), linewidth=0.6, zorder=149))
    return out


def _find(ax, renderer, text, label: Label, axes_box: Bbox, taken: list[Bbox], px_per_m: float,
          halo: float):
    extent = text.get_window_extent(renderer)
    pad = halo / 2 * renderer.points_to_pixels(1) + MARGIN_PX
    if label.marker:  # the circle round a number is about 1.5 text heights across
        side = max(extent.width, extent.height) * 1.6
        w = h = side
    else:
        w, h = extent.width + 2 * pad, extent.height + 2 * pad
    ax0, ay0 = ax.transData.transform(label.anchor)
    to_data = ax.transData.inverted()
    near = max(w, h) / px_per_m  # "next to its polygon": within one label size
    for dx, dy in _candidates(w, h, label.rings, label.beside):
        cx, cy = ax0 + dx, ay0 + dy
        box = Bbox.from_extents(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
        if not (axes_box.x0 <= box.x0 and box.x1 <= axes_box.x1 and axes_box.y0 <= box.y0
                and box.y1 <= axes_box.y1):
            continue
        if any(_overlaps(box, t) for t in taken):
            continue
        x, y = to_data.transform((cx, cy))
        if label.area is not None and (dx or dy) and label.area.distance(shapely.Point(x, y)) > near:
            continue
        return ((x, y) if (dx or dy) else label.anchor), box
    return None


def wrap(text: str, limit: int = 12) -> str:
    """Long Chinese names on two lines, split at a bracket or the middle."""
    if len(text) <= limit or "\n" in text:
        return text
    for mark in ("（", "("):
        if mark in text[2:]:
            at = text.index(mark, 2)
            return f"{text[:at]}\n{text[at:]}"
    return f"{text[:len(text) // 2]}\n{text[len(text) // 2:]}"
