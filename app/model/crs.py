"""Coordinate reference systems: parse user CRS strings, reproject to the storage CRS, bounds."""

from __future__ import annotations

from functools import cache

import numpy as np
import pyproj
import shapely
from pyproj.transformer import TransformerGroup

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
    """'EPSG:4549' when the CRS has an EPSG code, else its name; a bound CRS with its +towgs84."""
    if crs.type_name == "Bound CRS":
        operation, source = crs.coordinate_operation, crs.source_crs
        assert operation is not None and source is not None  # a bound CRS has both
        values = [p.value for p in operation.params]
        return f"{crs_label(source)} +towgs84={','.join(f'{v:g}' for v in values)}"
    code = crs.to_epsg(min_confidence=70)
    return f"EPSG:{code}" if code else crs.name


def is_undefined(crs: pyproj.CRS) -> bool:
    """True for a CRS that says nothing about the Earth: GeoPackage srs_id 0 ('Undefined
    geographic SRS', what ogr2ogr writes for a .prj-less shapefile), srs_id -1 ('Undefined
    Cartesian SRS') and other local engineering systems (CAD drawings)."""
    return crs.type_name == "Engineering CRS" or crs.name.lower().startswith("undefined")


def with_datum_shift(crs: pyproj.CRS, transform: str | None, notes: list[str]) -> pyproj.CRS:
    """`crs` bound to the datum transformation the user gave ('+towgs84=…' or 'ballpark').

    Without one, a source whose only path to CGCS2000 is PROJ's ballpark (no datum shift) on
    another ellipsoid — Xian 1980, Beijing 1954 — is refused: tens of metres off, silently."""
    if transform is None or transform.strip().lower() == "ballpark":
        step = ballpark_step(crs)
        if step and transform is None:
            raise InvalidInput(
                f"{crs_label(crs)} ({crs.name}) has no datum transformation to CGCS2000 that PROJ "
                "knows: a plain conversion is tens of metres off (up to ~60 m); give the 7 "
                "parameters of your survey office with --towgs84 DX,DY,DZ,RX,RY,RZ,DS, or "
                "--transform ballpark to accept the error")
        if step:
            notes.append(f"{crs_label(crs)} converted to CGCS2000 WITHOUT a datum shift "
                         "(--transform ballpark): positions may be tens of metres off")
        return crs
    if is_storage_crs(crs):
        raise InvalidInput(f"the source is already {crs_label(crs)} (CGCS2000): "
                           "drop --towgs84 / --transform")
    return pyproj.crs.BoundCRS(crs, pyproj.CRS(4326), pyproj.crs.coordinate_operation.
                               ToWGS84Transformation(crs.geodetic_crs, *towgs84(transform)))


def towgs84(text: str) -> list[float]:
    """The 7 Bursa-Wolf parameters of '+towgs84=dx,dy,dz[,rx,ry,rz,ds]' (3 given: no rotation)."""
    value = text.strip().removeprefix("+towgs84=").replace("，", ",")
    try:
        numbers = [float(v) for v in value.split(",")]
    except ValueError:
        numbers = []
    if len(numbers) not in (3, 7) or not all(np.isfinite(numbers)):
        raise InvalidInput(f"datum transformation {text!r}: give 3 or 7 numbers "
                           "(dx,dy,dz in m[,rx,ry,rz in arc-seconds,ds in ppm]) or 'ballpark'")
    return numbers + [0.0] * (7 - len(numbers))


def ballpark_step(crs: pyproj.CRS) -> str | None:
    """The step of PROJ's best path to CGCS2000 that ignores a datum shift on another ellipsoid
    (e.g. 'Ballpark geographic offset from Xian 1980 to …'), or None when there is none.
    WGS 84, ITRF and other GRS 80-like frames are within decimetres of CGCS2000: not flagged."""
    if crs.type_name == "Bound CRS" or crs.geodetic_crs is None or _grs80_like(crs.ellipsoid):
        return None
    best = _best_operation(crs.to_wkt())
    return next((s for s in best.split(" + ") if s.startswith("Ballpark")), None)


@cache
def _best_operation(src_wkt: str) -> str:
    group = TransformerGroup(pyproj.CRS.from_wkt(src_wkt), STORAGE_EPSG, always_xy=True)
    return group.transformers[0].description if group.transformers else ""


def _grs80_like(ellipsoid) -> bool:
    return (ellipsoid is not None and abs(ellipsoid.semi_major_metre - 6378137.0) < 0.5
            and abs(ellipsoid.inverse_flattening - 298.2572) < 1e-3)


def is_storage_crs(crs: pyproj.CRS) -> bool:
    """True when no transformation to EPSG:4490 is needed."""
    return crs.to_epsg(min_confidence=70) == STORAGE_EPSG


@cache
def _transformer(src_wkt: str) -> pyproj.Transformer:
    src = pyproj.CRS.from_wkt(src_wkt)
    # PROJ applies a bound CRS's +towgs84 only on the way to WGS 84 (to CGCS2000 it takes the
    # ballpark); WGS 84 to CGCS2000 is then a null transformation at this precision.
    target = 4326 if src.type_name == "Bound CRS" else STORAGE_EPSG
    return pyproj.Transformer.from_crs(src, target, always_xy=True)


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
