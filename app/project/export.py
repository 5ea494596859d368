"""Export of layers to the formats planners use: GeoJSON, GeoPackage, Shapefile, CSV.

Files are written through pyogrio under a temporary name and renamed: never a half-written file,
never an existing file overwritten.
"""

from __future__ import annotations

import glob
import logging
import uuid
import warnings
from collections.abc import Callable, Generator
from pathlib import Path

import numpy as np
import pyproj
import shapely
from pyogrio import raw
from pyogrio.errors import DataLayerError, DataSourceError

from app.errors import InvalidInput
from app.model.catalogue import Layer
from app.model.crs import STORAGE_EPSG, crs_label, from_storage, parse_crs
from app.model.jobs import Progress, drive
from app.project.project import Project
from app.project.sources import CSV, DRIVERS, SHAPEFILE_PARTS, SHP, lookup_codec
from app.project.sql import ident, idents

log = logging.getLogger(__name__)

DBF_TEXT_BYTES = 254  # GDAL silently truncates longer Shapefile text (mid-character even)


def export_steps(project: Project, layer_code: str, path: str | Path, *, crs: str | None = None,
                 encoding: str | None = None,
                 driver: str | None = None) -> Generator[Progress, None, int]:
    """Write a layer to a new file (format from the extension), yielding progress; returns the count."""
    layer, path = project.layer(layer_code), Path(path)
    driver, codec = _export_target(path, driver, encoding)
    dst = parse_crs(crs or STORAGE_EPSG)
    names, columns, geoms = _stored(project, layer)
    yield Progress("read", len(geoms), len(geoms))
    if codec != "utf-8" or driver == SHP:
        _check_text(path, driver, names, columns, codec)
    encoding = None if codec == "utf-8" else encoding  # pyogrio's default: UTF-8 (+ .cpg)
    _write_renamed(path, lambda tmp: _write(tmp, path, driver, layer, names, columns,
                                            from_storage(geoms, dst), dst, encoding))
    yield Progress("write", len(geoms), len(geoms))
    log.info("exported %d features of %s to %s", len(geoms), layer.code, path)
    return len(geoms)


def export_layer(project: Project, layer_code: str, path: str | Path, *, crs: str | None = None,
                 encoding: str | None = None, driver: str | None = None) -> int:
    """Write a layer to a new file (see `export_steps`); returns the number of features."""
    return drive(export_steps(project, layer_code, path, crs=crs, encoding=encoding, driver=driver))


def _export_target(path: Path, driver: str | None, encoding: str | None) -> tuple[str, str]:
    """The driver and text codec of a new file; refuses to overwrite anything."""
    driver = driver or DRIVERS.get(path.suffix.lower())
    if driver is None:
        raise InvalidInput(f"cannot tell the format of {path.name}: use .geojson, .gpkg, .shp or .csv")
    codec = lookup_codec(encoding, f"--encoding {encoding}") if encoding else "utf-8"
    if codec != "utf-8" and driver not in (SHP, CSV):
        raise InvalidInput(f"{driver} text is always UTF-8; --encoding applies to Shapefile and CSV")
    if not path.parent.is_dir():
        raise InvalidInput(f"cannot write {path.name}: folder {path.parent} does not exist")
    parts = [path.with_suffix(s) for s in SHAPEFILE_PARTS] if driver == SHP else [path]
    if existing := [p.name for p in parts if p.exists()]:
        raise InvalidInput(f"{', '.join(existing)} already exists; choose another file name")
    return driver, codec


def _stored(project: Project, layer: Layer) -> tuple[list[str], list[np.ndarray], np.ndarray]:
    """A layer's uuid, owner and field columns (integers masked where null) and geometries."""
    names = ["uuid", "owner", *layer.field_names]
    rows = project.db.execute(f"SELECT {idents(names)}, AsBinary(geom) FROM {ident(layer.code)} "
                              "ORDER BY fid").fetchall()
    types = {f.name: f.type for f in layer.fields}
    columns = []
    for i, name in enumerate(names):
        values = np.array([r[i] for r in rows], dtype=object)
        if types.get(name) == "real":
            values = values.astype(float)  # None -> NaN, which pyogrio writes as null
        elif types.get(name) == "integer":
            values = np.ma.masked_equal(values, None)
        columns.append(values)
    return names, columns, shapely.from_wkb(np.array([r[-1] for r in rows], dtype=object))


def _check_text(path: Path, driver: str, names: list[str], columns: list[np.ndarray],
                codec: str) -> None:
    """Refuse text the target cannot hold (not encodable, or too long for a DBF field)."""
    for name, values in zip(names, columns, strict=True):
        text = [] if values.dtype != object or np.ma.isMaskedArray(values) else values.tolist()
        for row, value in enumerate(text):
            try:
                size = len(value.encode(codec)) if value is not None else 0
            except UnicodeEncodeError:
                size = None
            if size is None or (driver == SHP and size > DBF_TEXT_BYTES):
                what = (f"cannot be written in {codec}" if size is None else f"is {size} bytes "
                        f"in {codec}, a Shapefile field holds {DBF_TEXT_BYTES}")
                raise InvalidInput(f"{path.name}: {name} of feature {columns[0][row]} {what}; "
                                   "export to GeoPackage (UTF-8) instead")


def _write_renamed(path: Path, write: Callable[[Path], None]) -> None:
    """Write to a temporary name in the same folder, then rename: never a half-written file."""
    tmp = path.with_name(f".{path.stem}.{uuid.uuid4().hex[:8]}.part{path.suffix}")
    try:
        write(tmp)
        for part in _parts(tmp):
            part.replace(path.with_suffix(part.suffix))
    except BaseException:
        for part in _parts(tmp):
            part.unlink(missing_ok=True)
        raise


def _parts(tmp: Path) -> list[Path]:
    """The files written under a temporary name; a Shapefile's .shp last (readers open it first)."""
    return sorted(tmp.parent.glob(f"{glob.escape(tmp.stem)}.*"), key=lambda p: p.suffix == ".shp")


def _write(tmp: Path, path: Path, driver: str, layer: Layer, names: list[str], columns: list,
           geoms: np.ndarray, dst: pyproj.CRS, encoding: str | None) -> None:
    kind, wkb, label = layer.geometry, shapely.to_wkb(geoms), crs_label(dst)
    if driver == CSV and kind == "Point":  # coordinates as two number columns
        names = [*(("lon", "lat") if dst.is_geographic else ("x", "y")), *names]
        columns, kind, wkb = [shapely.get_x(geoms), shapely.get_y(geoms), *columns], None, None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            raw.write(tmp, wkb, [c.filled(0).astype(np.int64) if np.ma.isMaskedArray(c) else c
                                 for c in columns], names,
                      field_mask=[np.ma.getmaskarray(c) if np.ma.isMaskedArray(c) else None
                                  for c in columns],
                      driver=driver, layer=layer.code if driver not in (SHP, CSV) else None,
                      geometry_type=kind, encoding=encoding,
                      crs=(label if label.startswith("EPSG:") else dst.to_wkt()) if kind else None,
                      layer_options={"GEOMETRY": "AS_WKT"} if driver == CSV and kind else None)
        except (DataSourceError, DataLayerError, UnicodeEncodeError) as exc:
            raise InvalidInput(f"cannot write {path.name}: {exc}") from exc
    for w in caught:
        log.warning("export of %s to %s: %s", layer.code, path.name, w.message)
