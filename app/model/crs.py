"""Coordinate reference systems: parse user CRS strings, reproject to the storage CRS, bounds."""

from __future__ import annotations

from functools import cache

import numpy as np
import pyproj
import shapely

from app.errors import InvalidInput

STORAGE_EPSG = 4490  # CGCS2000 geographic, lon/lat
# Plausible CGCS2000 extent of China's territory incl. islands (lon_min, lat_min, lon_max, lat_max).
CHINA_BOUNDS = (73.0, 3.0, 136.0, 54.0)


def parse_crs(text: str | int) -> pyproj.CRS:
    """A CRS from 'EPSG:4549', '4549' or WKT; InvalidInput if unknown."""
    value = str(text).strip()
    if value.isdigit():
        value = f"EPSG:{value}"
    try:
        return pyproj.CRS.from_user_input(value)
    except pyproj.exceptions.CRSError as exc:
        raise InvalidInput(f"unknown coordinate reference system {text!r}") from exc


def crs_label(crs: pyproj.CRS) -> str:
    """'EPSG:4549' when the CRS has an EPSG code, else its name."""
    code = crs.to_epsg(min_confidence=70)
    return f"EPSG:{code}" if code else crs.name


def is_storage_crs(crs: pyproj.CRS) -> bool:
    """True when no transformation to EPSG:4490 is needed."""
    return crs.to_epsg(min_confidence=70) == STORAGE_EPSG


@cache
def _transformer(src_wkt: str) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(pyproj.CRS.from_wkt(src_wkt), STORAGE_EPSG, always_xy=True)


def to_storage(geoms: np.ndarray, src: pyproj.CRS) -> np.ndarray:
    """Reproject an array of shapely geometries from `src` to EPSG:4490 (lon/lat)."""
    if is_storage_crs(src):
        return geoms
    transformer = _transformer(src.to_wkt())

    def project(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geoms, project)


def from_storage(geoms: np.ndarray, dst: pyproj.CRS) -> np.ndarray:
    """Reproject an array of EPSG:4490 geometries to `dst`."""
    if is_storage_crs(dst):
        return geoms
    transformer = pyproj.Transformer.from_crs(STORAGE_EPSG, dst, always_xy=True)
    return shapely.transform(geoms, lambda c: np.column_stack(transformer.transform(c[:, 0], c[:, 1])))


def looks_projected(bounds: tuple[float, float, float, float]) -> bool:
    """True when coordinates are far outside degrees (metres of a projected CRS)."""
    return max(abs(v) for v in bounds) > 1000
