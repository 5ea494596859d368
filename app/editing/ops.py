"""Split, merge and reshape as pure functions over shapely geometries (lon/lat, EPSG:4490).

Every result is of the layer's stored type (MultiPolygon, MultiLineString) and valid, or an
EditRefused says why in words a planner understands. The commands in app.editing.commands
turn these results into undoable edits.
"""

from __future__ import annotations

import shapely
from shapely import ops as shops
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from app.errors import InvalidInput

SLIVER = 1e-12  # degrees²: pieces smaller than this are numerical dust from the cut
REACH = 1e-9  # degrees (~0.1 mm): a drawn line's ends are pushed this far on, so an end snapped
# onto an edge (rounded to just inside it) still crosses the outline


class EditRefused(InvalidInput):
    """A split, merge or reshape that cannot be done (the line misses, mixed owners, ...)."""


def _as_layer_type(parts: list[BaseGeometry], dimension: int) -> BaseGeometry:
    return MultiPolygon(parts) if dimension == 2 else MultiLineString(parts)


def _simple_parts(geom: BaseGeometry) -> list[BaseGeometry]:
    return [p for p in shapely.get_parts(geom) if not p.is_empty]


def _line(cutter: BaseGeometry) -> LineString:
    lines = _simple_parts(cutter)
    if len(lines) != 1 or lines[0].geom_type != "LineString":
        raise EditRefused("Draw a single line")
    return lines[0]


def _reaching(line: LineString) -> LineString:
    """`line` with both ends moved REACH further along their segments."""
    coords = [tuple(c) for c in line.coords]
    for end, inner in ((0, 1), (-1, -2)):
        (x, y), (ix, iy) = coords[end], coords[inner]
        length = ((x - ix) ** 2 + (y - iy) ** 2) ** 0.5
        if length > 0:
            coords[end] = (x + (x - ix) / length * REACH, y + (y - iy) / length * REACH)
    return LineString(coords)


def split(geom: BaseGeometry, cutter: BaseGeometry) -> list[BaseGeometry]:
    """`geom` (polygons or lines) cut by the line `cutter`: the pieces, largest first.

    Parts the line does not cut stay with the largest piece, so the first piece is the
    feature that keeps its identity and the others become new features."""
    line, dimension = _reaching(_line(cutter)), shapely.get_dimensions(geom)
    if dimension not in (1, 2):
        raise EditRefused("Only lines and polygons can be split")
    kept: list = []
    pieces: list = []
    for part in _simple_parts(geom):
        cut = [p for p in _simple_parts(shops.split(part, line)) if _size(p) > SLIVER]
        (pieces if len(cut) > 1 else kept).extend(cut if len(cut) > 1 else [part])
    if not pieces:
        raise EditRefused("The line does not cut the feature: draw it across the whole shape")
    pieces.sort(key=_size, reverse=True)
    first = _as_layer_type([pieces[0], *kept], dimension)
    return [first, *(_as_layer_type([p], dimension) for p in pieces[1:])]


def _size(geom: BaseGeometry) -> float:
    return geom.area if shapely.get_dimensions(geom) == 2 else geom.length


def merge(geoms: list[BaseGeometry]) -> BaseGeometry:
    """One geometry covering all of `geoms` (same dimension): touching parts dissolve."""
    dims = {shapely.get_dimensions(g) for g in geoms}
    if len(geoms) < 2:
        raise EditRefused("Select at least two features to merge")
    if dims not in ({1}, {2}):
        raise EditRefused("Only lines or polygons of one layer can be merged")
    dimension = dims.pop()
    union = shapely.union_all(geoms)
    if dimension == 1:
        union = shops.linemerge(union) if union.geom_type == "MultiLineString" else union
    parts = [p for p in _simple_parts(union) if shapely.get_dimensions(p) == dimension]
    return _as_layer_type(parts, dimension)


def reshape(geom: BaseGeometry, drawn: BaseGeometry) -> BaseGeometry:
    """`geom` with the stretch of its boundary between the drawn line's ends replaced by it.

    Polygons: the line must cross (or touch) the outline at least twice; of the two shapes the
    new stretch closes, the larger is kept (as in QGIS). Lines: the drawn line replaces the
    part between the points nearest its two ends."""
    line, dimension = _line(drawn), shapely.get_dimensions(geom)
    parts = _simple_parts(geom)
    for i, part in enumerate(parts):
        new = _reshape_polygon(part, _reaching(line)) if dimension == 2 else _reshape_line(part, line)
        if new is not None:
            parts[i] = new
            result = _as_layer_type(parts, dimension)
            if not result.is_valid:
                raise EditRefused("The reshaped outline crosses itself: draw the line again")
            return result
    raise EditRefused("The line must start and end on the feature's outline")


def _crossings(ring: LineString, line: LineString) -> tuple[float, float] | None:
    """Positions along `line` of its first and last meeting with `ring`."""
    met = ring.intersection(line)
    points = [p for g in _simple_parts(met) for p in (shapely.points(shapely.get_coordinates(g)))]
    if len(points) < 2:
        return None
    along = sorted(line.project(p) for p in points)
    return (along[0], along[-1]) if along[-1] - along[0] > 0 else None


def _reshape_polygon(polygon: Polygon, line: LineString) -> Polygon | None:
    ring = LineString(polygon.exterior.coords)
    span = _crossings(ring, line)
    if span is None:
        return None
    middle = shops.substring(line, *span)
    start, end = shapely.Point(middle.coords[0]), shapely.Point(middle.coords[-1])
    s0, s1 = ring.project(start), ring.project(end)
    # The outline split at the two meeting points gives two arcs; each closes one candidate.
    forward = _arc(ring, s0, s1)
    backward = _arc(ring, s1, s0)
    # The arcs' end points are the line's own end points up to rounding: use the line's.
    candidates = [_polygon([*middle.coords, *list(reversed(forward.coords))[1:-1]]),
                  _polygon([*middle.coords, *list(backward.coords)[1:-1]])]
    valid = [c for c in candidates if not c.is_empty and c.is_valid and c.area > SLIVER]
    if not valid:
        return None
    shell = max(valid, key=lambda c: c.area)
    holes = [h for h in polygon.interiors if shell.contains(Polygon(h))]
    return Polygon(shell.exterior.coords, holes)


def _polygon(coords: list) -> Polygon:
    """A polygon from a ring, consecutive duplicate points dropped."""
    ring = [c for i, c in enumerate(coords) if i == 0 or c != coords[i - 1]]
    return Polygon(ring) if len(ring) >= 3 else Polygon()


def _arc(ring: LineString, a: float, b: float) -> LineString:
    """The stretch of the closed `ring` from position a to b, going forward (wrapping)."""
    if a <= b:
        return _substring(ring, a, b)
    first, second = _substring(ring, a, ring.length), _substring(ring, 0, b)
    return LineString([*first.coords, *second.coords[1:]])


def _substring(line: LineString, a: float, b: float) -> LineString:
    piece = shops.substring(line, a, b)
    coords = list(piece.coords) if not piece.is_empty else []
    return LineString(coords if len(coords) > 1 else coords * 2 or [(0, 0), (0, 0)])


def _reshape_line(target: LineString, line: LineString) -> LineString | None:
    a, b = target.project(shapely.Point(line.coords[0])), target.project(shapely.Point(line.coords[-1]))
    if a > b:
        line, a, b = LineString(line.coords[::-1]), b, a
    head = list(shops.substring(target, 0, a).coords) if a > 0 else []
    tail = list(shops.substring(target, b, target.length).coords) if b < target.length else []
    joined = [*head[:-1], *line.coords, *tail[1:]]
    coords = [c for i, c in enumerate(joined) if i == 0 or c != joined[i - 1]]
    return LineString(coords) if len(coords) >= 2 else None
