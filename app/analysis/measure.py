"""Geodesic measures of geometry arrays on CGCS2000, and a metric CRS for distance tests.

Same results as `app.model.geodesy` (tested), but per ring and per line part on flat
coordinate arrays: the analysis measures every intersecting pair, so the per-geometry Python
overhead of `Geod.geometry_area_perimeter` is worth avoiding.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyproj
import shapely

from app.model.crs import from_storage, to_storage
from app.model.geodesy import GEOD

MULTI = (shapely.GeometryType.MULTIPOINT, shapely.GeometryType.MULTILINESTRING,
         shapely.GeometryType.MULTIPOLYGON, shapely.GeometryType.GEOMETRYCOLLECTION)


# pyproj's public polygon_area_perimeter spends most of its ~6.5 µs copying both arrays; the
# inner method (~2.8 µs) reads the arrays without changing them (pinned pyproj; tested against
# the public one). Kept behind getattr so a release without it falls back to the public call.
_ring_area: Any = getattr(GEOD, "_polygon_area_perimeter", None)
if _ring_area is None:  # pragma: no cover
    _ring_area = GEOD.polygon_area_perimeter


def _per_part(parts: np.ndarray, owner: np.ndarray, n: int, fn) -> np.ndarray:
    """Sum fn(lons, lats) over the coordinate runs of `parts`, per owning geometry."""
    coords, index = shapely.get_coordinates(parts, return_index=True)
    bounds = np.searchsorted(index, np.arange(len(parts) + 1))
    values = np.empty(len(parts))
    x, y = np.ascontiguousarray(coords[:, 0]), np.ascontiguousarray(coords[:, 1])
    for i in range(len(parts)):
        values[i] = fn(x[bounds[i]:bounds[i + 1]], y[bounds[i]:bounds[i + 1]])
    return np.bincount(owner, weights=values, minlength=n)


def _simple_parts(geoms: np.ndarray, kinds: tuple) -> tuple[np.ndarray, np.ndarray]:
    """The single polygons (or lines) inside `geoms`, collections included, and their owner."""
    parts, owner = shapely.get_parts(geoms, return_index=True)
    while True:  # a collection may hold multi-parts: explode until nothing is left to open
        nested = np.isin(shapely.get_type_id(parts), MULTI)
        if not nested.any():
            break
        inner, index = shapely.get_parts(parts[nested], return_index=True)
        parts = np.concatenate([parts[~nested], inner])
        owner = np.concatenate([owner[~nested], owner[nested][index]])
    keep = np.isin(shapely.get_type_id(parts), kinds)
    return parts[keep], owner[keep]


def areas_m2(geoms: np.ndarray) -> np.ndarray:
    """Geodesic area in m² of the polygonal parts of each geometry (0 when it has none)."""
    geoms = np.asarray(geoms, dtype=object)
    polygons, owner = _simple_parts(geoms, (shapely.GeometryType.POLYGON,))
    # Exteriors counter-clockwise, holes clockwise: signed ring areas then sum to the area.
    oriented = shapely.orient_polygons(polygons, exterior_cw=False)
    rings, polygon = shapely.get_rings(oriented, return_index=True)
    signed = _per_part(rings, owner[polygon], len(geoms), lambda x, y: _ring_area(x, y)[0])
    return np.abs(signed)


def lengths_m(geoms: np.ndarray) -> np.ndarray:
    """Geodesic length in m of the linear parts of each geometry (0 when it has none)."""
    geoms = np.asarray(geoms, dtype=object)
    lines, owner = _simple_parts(geoms, (shapely.GeometryType.LINESTRING,))
    return _per_part(lines, owner, len(geoms), GEOD.line_length)


def measures(geoms: np.ndarray, dimension: int) -> np.ndarray:
    """Areas (m²) for dimension 2, lengths (m) for 1, ones (a count) for points."""
    if dimension == 2:
        return areas_m2(geoms)
    if dimension == 1:
        return lengths_m(geoms)
    return np.ones(len(geoms))


def distance_m(a: shapely.Point, b: shapely.Point) -> float:
    """Geodesic distance in m between two lon/lat points."""
    return float(GEOD.inv(a.x, a.y, b.x, b.y)[2])


def metric_crs(geoms: np.ndarray) -> pyproj.CRS:
    """The CGCS2000 3° Gauss-Krüger zone (EPSG:4534–4554) of the data's centre longitude."""
    x0, _, x1, _ = shapely.total_bounds(geoms)
    centre = (x0 + x1) / 2 if np.isfinite(x0) else 120.0
    meridian = min(max(round(centre / 3) * 3, 75), 135)
    return pyproj.CRS.from_epsg(4534 + (meridian - 75) // 3)


def to_metric(geoms: np.ndarray, crs: pyproj.CRS) -> np.ndarray:
    """EPSG:4490 geometries in the metric `crs`."""
    return from_storage(np.asarray(geoms, dtype=object), crs)


def to_lonlat(geoms: np.ndarray, crs: pyproj.CRS) -> np.ndarray:
    """Geometries in the metric `crs` back to EPSG:4490."""
    return to_storage(np.asarray(geoms, dtype=object), crs)


def union_measure(geoms: np.ndarray | list, dimension: int,
                  within: dict[str, shapely.Geometry] | None = None) -> tuple[float, dict[str, float]]:
    """Geodesic size of the union of `geoms` (m² or m), and of its part inside each of `within`.

    Totals of a rule are measured on the union, not summed by pair: two copies of one red-line
    polygon make two pairs over the same ground, which a sum would count twice.
    """
    # A feature wholly inside several others is the same object in each pair: union it once.
    unique = {id(g): g for g in geoms if g is not None and not g.is_empty}
    geoms = np.empty(len(unique), dtype=object)
    geoms[:] = list(unique.values())
    if not len(geoms) or dimension == 0:
        return float(len(geoms)) if dimension == 0 else 0.0, {}
    union = _union(geoms)
    total = float(measures(np.array([union], dtype=object), dimension)[0])
    if not within:
        return total, {}
    codes = sorted(within)
    shapes = np.array([within[c] for c in codes], dtype=object)
    parts = measures(shapely.intersection(union, shapes), dimension)
    return total, {c: float(m) for c, m in zip(codes, parts, strict=True) if m > 0}


def _union(geoms: np.ndarray) -> shapely.Geometry:
    """union_all, repairing invalid parts (digitised input may self-intersect) if GEOS refuses."""
    try:
        return shapely.union_all(geoms)
    except shapely.errors.GEOSException:
        return shapely.union_all(shapely.make_valid(geoms))
