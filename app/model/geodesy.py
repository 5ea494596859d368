"""Official measures: geodesic areas and lengths on the CGCS2000 ellipsoid."""

from __future__ import annotations

import numpy as np
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

# CGCS2000 ellipsoid (a, 1/f as in EPSG:1024).
GEOD = pyproj.Geod(a=6378137.0, f=1 / 298.257222101)


# The same C routine without re-buffering each slice (contiguous float64 slices are passed as
# they are); tests check it equals the public method.
_RING_AREA = getattr(GEOD, "_polygon_area_perimeter", GEOD.polygon_area_perimeter)


def area_m2(geom: BaseGeometry) -> float:
    """Geodesic area in m² of a (multi)polygon in lon/lat; 0 for points and lines."""
    if geom is None or geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
        return 0.0
    # pyproj sums signed ring areas: exteriors counter-clockwise, holes clockwise.
    oriented = shapely.orient_polygons(geom, exterior_cw=False)
    return abs(GEOD.geometry_area_perimeter(oriented)[0])


def length_m(geom: BaseGeometry) -> float:
    """Geodesic length in m of a (multi)line in lon/lat (perimeter for polygons)."""
    if geom is None or geom.is_empty:
        return 0.0
    return float(GEOD.geometry_length(geom))


def areas_m2(geoms: np.ndarray) -> np.ndarray:
    """Geodesic areas of an array of geometries (0 for points and lines), ring by ring."""
    geoms = np.asarray(geoms, dtype=object)
    out = np.zeros(len(geoms))
    polygonal = np.flatnonzero(np.isin(shapely.get_type_id(geoms), (3, 6)))
    if len(polygonal) == 0:
        return out
    parts, owner = shapely.get_parts(geoms[polygonal], return_index=True)
    rings, part = shapely.get_rings(parts, return_index=True)
    xy, ring = shapely.get_coordinates(rings, return_index=True)
    x, y = np.ascontiguousarray(xy[:, 0]), np.ascontiguousarray(xy[:, 1])
    ends = np.cumsum(np.bincount(ring, minlength=len(rings)))
    starts = np.r_[0, ends[:-1]]
    area = np.fromiter((abs(_RING_AREA(x[a:b], y[a:b])[0]) for a, b in zip(starts, ends, strict=True)),
                       dtype=float, count=len(rings))
    exterior = np.r_[True, part[1:] != part[:-1]]  # a part's first ring is its shell
    np.add.at(out, polygonal[owner[part]], np.where(exterior, area, -area))
    return out


def lengths_m(geoms: np.ndarray) -> np.ndarray:
    """Geodesic lengths of an array of geometries."""
    return np.fromiter((length_m(g) for g in geoms), dtype=float, count=len(geoms))


def path_length_m(coords: list[tuple[float, float]]) -> float:
    """Geodesic length in m of the polyline through lon/lat `coords` (0 below two points)."""
    if len(coords) < 2:
        return 0.0
    lons, lats = zip(*coords, strict=True)
    return float(GEOD.line_length(lons, lats))


def ring_area_perimeter(coords: list[tuple[float, float]]) -> tuple[float, float]:
    """(area m², perimeter m) of the ring through lon/lat `coords`, closed implicitly; either
    orientation. Fewer than three points enclose nothing: (0, length there and back)."""
    if len(coords) < 3:
        return 0.0, 2 * path_length_m(coords)
    lons, lats = zip(*coords, strict=True)
    area, perimeter = GEOD.polygon_area_perimeter(lons, lats)
    return abs(float(area)), float(perimeter)
