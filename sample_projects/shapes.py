"""Geometry helpers for the sample build: metric buffers, irregular blobs, clean clipping.

Shapes are made in metres on EPSG:4549 (CGCS2000 3° Gauss-Krüger, CM 120°E; its scale error
at Zhoushan is ~0.2 %, irrelevant for sample data) and stored in EPSG:4490 lon/lat.
"""

from __future__ import annotations

import math
import random

import numpy as np
import pyproj
import shapely
from shapely import affinity
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

_TO_METRIC = pyproj.Transformer.from_crs(4490, 4549, always_xy=True)
_TO_LONLAT = pyproj.Transformer.from_crs(4549, 4490, always_xy=True)
GRID = 1e-6  # degrees (~0.1 m): stored coordinates are snapped to it so builds compare exactly
MIN_AREA_KM2 = 0.05  # parts smaller than this are slivers left by clipping


def _apply(transformer: pyproj.Transformer, geom: BaseGeometry) -> BaseGeometry:
    def fn(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
    return shapely.transform(geom, fn)


def to_metric(geom: BaseGeometry) -> BaseGeometry:
    """EPSG:4490 lon/lat -> EPSG:4549 metres."""
    return _apply(_TO_METRIC, geom)


def to_lonlat(geom: BaseGeometry) -> BaseGeometry:
    """EPSG:4549 metres -> EPSG:4490 lon/lat."""
    return _apply(_TO_LONLAT, geom)


def buffer_km(geom: BaseGeometry, km: float) -> BaseGeometry:
    """`geom` grown by `km` kilometres (negative shrinks)."""
    return to_lonlat(to_metric(geom).buffer(km * 1000, quad_segs=12))


def area_km2(geom: BaseGeometry) -> float:
    """Planar area on EPSG:4549, good enough to drop slivers and size sample shapes."""
    return to_metric(geom).area / 1e6


def blob(rng: random.Random, lon: float, lat: float, radius_km: float,
         roughness: float = 0.25, stretch: float = 1.0) -> Polygon:
    """An irregular, smooth, star-shaped polygon around (lon, lat): a plausible planning patch."""
    # A few low harmonics with random phases give lobes without self-intersections
    # (the radius stays positive because the amplitudes sum to less than 1).
    harmonics = [(k, rng.uniform(0.3, 1.0) * roughness / k, rng.uniform(0, 2 * math.pi))
                 for k in (2, 3, 5)]
    angle = rng.uniform(0, math.pi)
    centre = to_metric(Point(lon, lat))
    points = []
    for i in range(48):
        t = 2 * math.pi * i / 48
        r = radius_km * 1000 * (1 + sum(a * math.sin(k * t + p) for k, a, p in harmonics))
        x, y = r * math.cos(t) * stretch, r * math.sin(t)
        points.append((centre.x + x * math.cos(angle) - y * math.sin(angle),
                       centre.y + x * math.sin(angle) + y * math.cos(angle)))
    return to_lonlat(Polygon(points))


def rectangle(cx: float, cy: float, w: float, h: float, angle: float) -> Polygon:
    """A w × h rectangle (metres) centred on (cx, cy) metric, turned by `angle` radians."""
    box = shapely.box(-w / 2, -h / 2, w / 2, h / 2)
    turned = affinity.rotate(box, angle, origin=(0, 0), use_radians=True)
    return affinity.translate(turned, cx, cy)


def polygonal(geom: BaseGeometry | None) -> MultiPolygon | None:
    """The valid, snapped polygonal part of `geom` without slivers; None when nothing is left."""
    if geom is None or geom.is_empty:
        return None
    geom = shapely.set_precision(shapely.make_valid(geom), GRID)
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    parts = [q for p in parts for q in shapely.get_parts(p) if area_km2(q) >= MIN_AREA_KM2]
    if not parts:
        return None
    return shapely.normalize(MultiPolygon(parts))


def clip(geom: BaseGeometry, region: BaseGeometry) -> MultiPolygon | None:
    """`geom` cut to `region`, cleaned by `polygonal`."""
    return polygonal(shapely.intersection(geom, region))


def snapped(geom: BaseGeometry) -> BaseGeometry:
    """`geom` on the storage grid (points and lines; polygons go through `polygonal`)."""
    return shapely.set_precision(geom, GRID)
