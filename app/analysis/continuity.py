"""Cross-border continuity of line networks (greenways, blue ways, corridors).

An end of a line that comes within `reach_m` of a neighbouring city reaches the border, so a
line on the other side must meet it within `snap_m`. When the nearest such line is farther
(but within `search_m`) the break is a gap or an offset: the connector between the two ends
is split into the distance the ends stand off the border (gap) and the distance between the
points where they meet it (offset), and the larger names the break. With no line within
`search_m` the end is a dead end (断头). Distances are tested in a Gauss-Krüger plane and
reported geodesic on CGCS2000.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyproj
import shapely
from shapely.ops import nearest_points

from app.analysis.cities import Cities
from app.analysis.dataset import LayerData
from app.analysis.measure import distance_m, metric_crs, to_lonlat, to_metric
from app.analysis.rules import ContinuityRule

DENSIFY_DEG = 0.01


@dataclass(frozen=True)
class Break:
    """A line end at a city border without a continuation on the other side."""

    kind: str  # gap | offset | dead_end
    feature: int  # position of the line in the layer
    part: int  # part of a multi-line, counted from 0 within the feature
    end: int  # 0 start, 1 end of that part
    other: int | None  # position of the nearest line on the other side (None: dead end)
    other_part: int | None  # its part number
    home: str  # city the end lies in
    across: str  # the neighbouring city
    geom: shapely.Geometry  # connector line, or the end point of a dead end; EPSG:4490
    length_m: float | None  # geodesic length of the connector
    gap_m: float | None  # how far the two ends stand off the border, together
    offset_m: float | None  # how far apart along the border the two lines meet it


@dataclass(frozen=True)
class _Network:
    """The lines and the cities in one metric plane, with spatial indexes."""

    crs: pyproj.CRS
    parts: np.ndarray  # metric line parts
    owner: np.ndarray  # feature position of each part
    part_no: np.ndarray  # part number within its feature
    cities: np.ndarray  # metric city polygons, parallel to codes
    codes: tuple[str, ...]
    part_tree: shapely.STRtree
    city_tree: shapely.STRtree


def _network(lines: LayerData, cities: Cities) -> _Network:
    crs = metric_crs(cities.geoms)
    parts, owner = shapely.get_parts(lines.geoms, return_index=True)
    first = np.searchsorted(owner, owner)  # owner is sorted: index of each feature's first part
    # Edges straight in lon/lat bend in the plane: densify (~1 km) so distances stay exact.
    parts_m = to_metric(shapely.segmentize(parts, DENSIFY_DEG), crs)
    cities_m = to_metric(shapely.segmentize(cities.geoms, DENSIFY_DEG), crs)
    return _Network(crs, parts_m, owner, np.arange(len(owner)) - first, cities_m, cities.codes,
                    shapely.STRtree(parts_m), shapely.STRtree(cities_m))


def breaks(rule: ContinuityRule, lines: LayerData, cities: Cities) -> list[Break]:
    """Every border end of `lines` that has no continuation, each gap reported once."""
    if not len(lines) or len(cities) < 2:
        return []
    net = _network(lines, cities)
    found: dict[tuple, Break] = {}
    for k, part in enumerate(net.parts):
        if part.is_empty or part.is_closed:  # a loop has no ends
            continue
        for end, point in enumerate((shapely.get_point(part, 0), shapely.get_point(part, -1))):
            for home, across in _borders(net, part, end, point, rule.reach_m):
                found_break = _follow(rule, net, k, end, point, home, across)
                if found_break is not None:
                    _keep(found, found_break)
    return sorted(found.values(), key=lambda b: (lines.uuids[b.feature], b.part, b.end, b.across))


def _borders(net: _Network, part: shapely.LineString, end: int, point: shapely.Point,
             reach: float) -> list[tuple[int, int]]:
    """(home city, neighbouring city) for each city border within `reach` of the end `point`."""
    near = net.city_tree.query(point, predicate="dwithin", distance=reach)
    if not len(near):
        return []
    # Home is where the line comes from: probe 1 m inside it, since an end exactly on the
    # border is as close to both cities.
    step = min(1.0, part.length / 2)
    probe = part.interpolate(step if end == 0 else part.length - step)
    home = int(near[np.argmin(shapely.distance(net.cities[near], probe))])
    return [(home, int(c)) for c in sorted(near) if c != home]


def _follow(rule: ContinuityRule, net: _Network, k: int, end: int, point: shapely.Point,
            home: int, across: int) -> Break | None:
    """The break at this end towards city `across`, or None when the line continues."""
    other_side = net.cities[across]
    if shapely.length(shapely.intersection(net.parts[k], other_side)) > rule.snap_m:
        return None  # the line itself crosses the border: this end is not at the border
    near = [j for j in net.part_tree.query(point, predicate="dwithin", distance=rule.search_m)
            if j != k and shapely.distance(net.parts[j], other_side) <= rule.snap_m]
    if not near:
        return _dead_end(net, k, end, point, home, across)
    j = min(near, key=lambda j: (shapely.distance(net.parts[j], point), j))
    if shapely.distance(net.parts[j], point) <= rule.snap_m:
        return None
    q = nearest_points(point, net.parts[j])[1]
    return _gap(net, k, end, j, point, q, home, across)


def _dead_end(net: _Network, k: int, end: int, point: shapely.Point, home: int,
              across: int) -> Break:
    (lonlat,) = to_lonlat(np.array([point], dtype=object), net.crs)
    return Break("dead_end", int(net.owner[k]), int(net.part_no[k]), end, None, None,
                 net.codes[home], net.codes[across], lonlat, None, None, None)


def _gap(net: _Network, k: int, end: int, j: int, p: shapely.Point, q: shapely.Point,
         home: int, across: int) -> Break:
    """Split the connector p→q into stand-off (gap) and along-the-border (offset) distances."""
    bp = nearest_points(p, net.cities[across].boundary)[1]  # where p's line would meet the border
    bq = nearest_points(q, net.cities[home].boundary)[1]  # and where q's line would
    p_, q_, bp_, bq_ = to_lonlat(np.array([p, q, bp, bq], dtype=object), net.crs)
    gap, offset = distance_m(p_, bp_) + distance_m(q_, bq_), distance_m(bp_, bq_)
    return Break("offset" if offset > gap else "gap", int(net.owner[k]), int(net.part_no[k]), end,
                 int(net.owner[j]), int(net.part_no[j]), net.codes[home], net.codes[across],
                 shapely.LineString([p_, q_]), distance_m(p_, q_), gap, offset)


def _keep(found: dict[tuple, Break], new: Break) -> None:
    """Two facing ends see the same gap: keep one per pair of lines and border, the shorter."""
    key: tuple
    if new.other is None:
        key = ("dead_end", new.feature, new.part, new.end, new.across)
    else:
        sides = sorted([(new.feature, new.part, new.home), (new.other, new.other_part, new.across)])
        key = ("gap", *sides)
    current = found.get(key)
    if current is None or (new.length_m, new.feature, new.end) < (current.length_m, current.feature, current.end):
        found[key] = new
