"""Official measures: geodesic areas and lengths on the CGCS2000 ellipsoid."""

from __future__ import annotations

import numpy as np
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

# CGCS2000 ellipsoid (a, 1/f as in EPSG:1024).
GEOD = pyproj.Geod(a=6378137.0, f=1 / 298.257222101)


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
    """Geodesic areas of an array of geometries."""
    return np.fromiter((area_m2(g) for g in geoms), dtype=float, count=len(geoms))


def lengths_m(geoms: np.ndarray) -> np.ndarray:
    """Geodesic lengths of an array of geometries."""
    return np.fromiter((length_m(g) for g in geoms), dtype=float, count=len(geoms))
