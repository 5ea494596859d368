"""Drawing and reshaping geometries as plain data: the sketch being drawn, vertex moves,
inserts and deletes, and snapping to nearby vertices. Coordinates are lon/lat (EPSG:4490).

A vertex is addressed by (part, ring, index): ring 0 is a polygon's exterior (or the line),
rings 1.. its holes. Closed rings are edited without their repeated last point.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

Coord = tuple[float, float]
VertexRef = tuple[int, int, int]  # part, ring, index


@dataclass
class Sketch:
    """A geometry being drawn: rings of clicked points; polygons take holes after the first ring."""

    dimension: int  # 0 point, 1 line, 2 polygon
    rings: list[list[Coord]] = field(default_factory=lambda: [[]])

    @property
    def current(self) -> list[Coord]:
        return self.rings[-1]

    def add(self, point: Coord) -> bool:
        """Add a vertex; True when that completes the geometry (a point)."""
        self.current.append((float(point[0]), float(point[1])))
        return self.dimension == 0

    def undo_last(self) -> None:
        if self.current:
            self.current.pop()
        elif len(self.rings) > 1:
            self.rings.pop()

    def start_hole(self) -> bool:
        """Close the current ring and start a hole; False when not possible yet."""
        if self.dimension != 2 or len(self.current) < 3:
            return False
        self.rings.append([])
        return True

    def can_finish(self) -> bool:
        need = {0: 1, 1: 2, 2: 3}[self.dimension]
        return len(self.rings[0]) >= need

    def geometry(self) -> BaseGeometry:
        """The drawn shape, multi-part as the layer stores it; holes too small are dropped."""
        if self.dimension == 0:
            return shapely.Point(self.rings[0][0])
        if self.dimension == 1:
            return shapely.MultiLineString([self.rings[0]])
        holes = [ring for ring in self.rings[1:] if len(ring) >= 3]
        return shapely.MultiPolygon([shapely.Polygon(self.rings[0], holes)])


def _parts(geom: BaseGeometry) -> list[BaseGeometry]:
    return list(shapely.get_parts(geom))


def _rings(part: BaseGeometry) -> list[list[Coord]]:
    """Editable coordinate lists of a part (closed rings without the closing point)."""
    if part.geom_type == "Polygon":
        return [list(r.coords)[:-1] for r in (part.exterior, *part.interiors)]
    if part.geom_type == "LineString":
        return [list(part.coords)]
    return [[(part.x, part.y)]]


def _rebuild(kind: str, parts: list[list[list[Coord]]]) -> BaseGeometry:
    if kind in ("Polygon", "MultiPolygon"):
        return shapely.MultiPolygon([shapely.Polygon(r[0], r[1:]) for r in parts])
    if kind in ("LineString", "MultiLineString"):
        return shapely.MultiLineString([r[0] for r in parts])
    points = [r[0][0] for r in parts]
    return shapely.Point(points[0]) if kind == "Point" else shapely.MultiPoint(points)


def vertices(geom: BaseGeometry) -> list[tuple[VertexRef, Coord]]:
    """Every editable vertex with its address."""
    return [((p, r, i), xy) for p, part in enumerate(_parts(geom))
            for r, ring in enumerate(_rings(part)) for i, xy in enumerate(ring)]


def _edited(geom: BaseGeometry, ref: VertexRef, edit) -> BaseGeometry:
    parts = [_rings(part) for part in _parts(geom)]
    p, r, i = ref
    edit(parts[p][r], i)
    return _rebuild(geom.geom_type, parts)


def move_vertex(geom: BaseGeometry, ref: VertexRef, to: Coord) -> BaseGeometry:
    """`geom` with vertex `ref` moved to `to`."""
    return _edited(geom, ref, lambda ring, i: ring.__setitem__(i, tuple(to)))


def insert_vertex(geom: BaseGeometry, ref: VertexRef, at: Coord) -> BaseGeometry:
    """`geom` with a new vertex `at` inserted before index ref[2]."""
    return _edited(geom, ref, lambda ring, i: ring.insert(i, tuple(at)))


def delete_vertex(geom: BaseGeometry, ref: VertexRef) -> BaseGeometry | None:
    """`geom` without vertex `ref`; None when the ring would become degenerate."""
    part = _rings(_parts(geom)[ref[0]])[ref[1]]
    minimum = 3 if geom.geom_type.endswith("Polygon") else 2
    if len(part) <= minimum:
        return None
    return _edited(geom, ref, lambda ring, i: ring.pop(i))


def nearest_vertex(geom: BaseGeometry, at: Coord, tolerance: float) -> VertexRef | None:
    """The vertex within `tolerance` of `at`, nearest first."""
    best = min(vertices(geom), key=lambda v: _dist2(v[1], at), default=None)
    if best is None or _dist2(best[1], at) > tolerance ** 2:
        return None
    return best[0]


def nearest_segment(geom: BaseGeometry, at: Coord, tolerance: float) -> tuple[VertexRef, Coord] | None:
    """Where to insert a vertex on the segment nearest `at`: (ref to insert before, point)."""
    best = None
    for p, part in enumerate(_parts(geom)):
        for r, ring in enumerate(_rings(part)):
            closed = part.geom_type == "Polygon"
            for i in range(len(ring) - (0 if closed else 1)):
                a, b = ring[i], ring[(i + 1) % len(ring)]
                point = _project(a, b, at)
                d = _dist2(point, at)
                if d <= tolerance ** 2 and (best is None or d < best[0]):
                    best = (d, (p, r, i + 1), point)
    return None if best is None else (best[1], best[2])


SNAP_MODES = ("off", "vertex", "segment")  # segment: vertices first, else the nearest edge point


@dataclass(frozen=True)
class SnapOptions:
    """How drawing snaps: to nothing, to vertices, or to vertices and edges, within `pixels`."""

    mode: str = "vertex"  # one of SNAP_MODES
    pixels: int = 8  # tolerance in screen pixels


def snap(at: Coord, candidates: Iterable[BaseGeometry], tolerance: float,
         segments: bool = False) -> Coord | None:
    """The vertex of `candidates` nearest `at` within `tolerance`; with `segments`, when no
    vertex is that near, the nearest point on an edge."""
    candidates = list(candidates)
    best, best_d = None, tolerance ** 2
    for geom in candidates:
        for _, xy in vertices(geom):
            d = _dist2(xy, at)
            if d <= best_d:
                best, best_d = xy, d
    if best is None and segments:
        for geom in candidates:
            hit = nearest_segment(geom, at, tolerance) if geom.geom_type not in ("Point", "MultiPoint") else None
            if hit is not None and _dist2(hit[1], at) <= best_d:
                best, best_d = hit[1], _dist2(hit[1], at)
    return best


GK_ZONES = (4549, 4550)  # CGCS2000 3° Gauss–Krüger, CM 120°E and 123°E (Zhoushan)


@cache
def _from_gk(epsg: int) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(epsg, 4490, always_xy=True)


def gk_to_lonlat(x_north: float, y_east: float, epsg: int) -> Coord:
    """Lon/lat of a Gauss–Krüger point given as surveyors write it: X northing, Y easting (m)."""
    lon, lat = _from_gk(epsg).transform(y_east, x_north)
    return float(lon), float(lat)


def _dist2(a: Coord, b: Coord) -> float:
    return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2


def _project(a: Coord, b: Coord, p: Coord) -> Coord:
    """The point of segment ab nearest p."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
    return a[0] + t * dx, a[1] + t * dy
