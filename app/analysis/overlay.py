"""Overlay of two feature arrays: every intersecting pair, its shared part and its size.

The hot path is vectorised: one bulk STRtree query, `shapely.intersection` on the pair
arrays, and geodesic measures only for the pairs that intersect.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from app.analysis.measure import measures

# Parts of an intersection kept for a result of each dimension.
KEEP_TYPES = {
    0: (shapely.GeometryType.POINT, shapely.GeometryType.MULTIPOINT),
    1: (shapely.GeometryType.LINESTRING, shapely.GeometryType.MULTILINESTRING),
    2: (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON),
}


@dataclass(frozen=True)
class Pairs:
    """Intersecting pairs (ia[k], ib[k]) with their shared part and its geodesic size."""

    ia: np.ndarray  # positions in a
    ib: np.ndarray  # positions in b
    geoms: np.ndarray  # the shared parts, EPSG:4490
    sizes: np.ndarray  # m² (polygons), m (lines) or 1 (points)

    def __len__(self) -> int:
        return len(self.ia)

    def take(self, keep: np.ndarray) -> Pairs:
        """The pairs selected by `keep`."""
        return Pairs(self.ia[keep], self.ib[keep], self.geoms[keep], self.sizes[keep])

    def shifted(self, start: int) -> Pairs:
        """Positions in a chunk of `a` starting at `start` made positions in the whole of `a`."""
        return Pairs(self.ia + start, self.ib, self.geoms, self.sizes)


def overlay(a: np.ndarray, b: np.ndarray, dimension: int, *, minimum: float = 0.0,
            within: int | None = None) -> Pairs:
    """Pairs of `a` × `b` sharing a part of `dimension` of at least `minimum` (m² or m).

    `within=k` says `a` is `b[k:k + len(a)]` (a layer against itself): each unordered pair is
    kept once and no feature meets itself. Positions in the result are positions in a and b.
    """
    # b is prepared once and queried against a tree of a: the few large protected polygons
    # are then tested fast against the many small parcels.
    shapely.prepare(b)
    ib, ia = shapely.STRtree(a).query(b, predicate="intersects")
    order = np.lexsort((ib, ia))
    ia, ib = ia[order], ib[order]
    if within is not None:
        keep = ia + within < ib
        ia, ib = ia[keep], ib[keep]
    geoms, sizes = _shared_parts(a, b, ia, ib, dimension)
    # Pairs that only touch leave an empty or lower-dimensional part: size 0, dropped here.
    keep = (sizes > 0) & (sizes >= minimum) if dimension else ~shapely.is_empty(geoms)
    return Pairs(ia, ib, geoms, sizes).take(keep)


def _shared_parts(a: np.ndarray, b: np.ndarray, ia: np.ndarray, ib: np.ndarray,
                  dimension: int) -> tuple[np.ndarray, np.ndarray]:
    """The part each pair shares and its size; a feature wholly inside the other is its own part."""
    geoms = a[ia]
    sizes = np.empty(len(ia))
    # Most small features lie wholly inside a protected polygon: no intersection to compute,
    # and each such feature is measured once however many polygons hold it.
    inside = shapely.contains(b[ib], geoms)
    held, back = np.unique(ia[inside], return_inverse=True)
    sizes[inside] = measures(a[held], dimension)[back]
    cut = ~inside
    geoms[cut] = _of_dimension(shapely.intersection(geoms[cut], b[ib[cut]]), dimension)
    sizes[cut] = measures(geoms[cut], dimension)
    return geoms, sizes


def _of_dimension(geoms: np.ndarray, dimension: int) -> np.ndarray:
    """`geoms` with mixed results (collections) reduced to their parts of `dimension`."""
    types = shapely.get_type_id(geoms)
    odd = ~np.isin(types, KEEP_TYPES[dimension]) & (types >= 0)
    for k in np.flatnonzero(odd):
        parts = [p for p in shapely.get_parts(geoms[k])
                 if shapely.get_type_id(p) in KEEP_TYPES[dimension]]
        geoms[k] = _collect(parts, dimension)
    return geoms


def _collect(parts: list, dimension: int) -> shapely.Geometry:
    flat = [q for p in parts for q in shapely.get_parts(p)]
    if dimension == 2:
        return shapely.MultiPolygon(flat) if flat else shapely.Polygon()
    if dimension == 1:
        return shapely.MultiLineString(flat) if flat else shapely.LineString()
    return shapely.MultiPoint(flat) if flat else shapely.Point()
