"""Export of layers to the formats planners use: GeoJSON, GeoPackage, Shapefile, CSV.

Files are written through pyogrio under a temporary name and renamed: never a half-written file,
never an existing file overwritten. Several layers go into one GeoPackage, one table each, named
by the layer code with the Chinese name as its identifier. Shapefile columns follow the
catalogue (`app.project.shapefile`). Every export carries each feature's uuid (and owner), so
an edited export can be imported back as updates.
"""

from __future__ import annotations

import glob
import logging
import uuid
import warnings
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyproj
import shapely
from pyogrio import raw
from pyogrio.errors import DataLayerError, DataSourceError

from app.errors import InvalidInput
from app.messages import say
from app.model.catalogue import Layer
from app.model.crs import STORAGE_EPSG, crs_label, from_storage, parse_crs
from app.model.jobs import Progress, drive
from app.project.project import Project
from app.project.shapefile import MODES, Columns, LongText, set_number_fields, shapefile_columns
from app.project.sources import CSV, DRIVERS, SHAPEFILE_PARTS, SHP, lookup_codec
from app.project.sql import ident, idents

log = logging.getLogger(__name__)

GPKG = "GPKG"


@dataclass
class ExportReport:
    """What an export wrote: features per layer, and every text value changed to fit."""

    path: Path
    driver: str
    counts: dict[str, int] = field(default_factory=dict)  # layer code -> features written
    changed: list[LongText] = field(default_factory=list)  # with long_text truncate / split
    bom: bool = False  # a UTF-8 byte-order mark starts the CSV

    @property
    def count(self) -> int:
        return sum(self.counts.values())

    def lines(self, lang: str = "en") -> list[str]:
        """A human summary in `lang`, one line each; every changed value listed."""
        if len(self.counts) == 1:
            out = [say(lang, "exported {} feature(s) to {}", self.count, self.path.name)]
        else:
            each = ", ".join(f"{code} {n}" for code, n in self.counts.items())
            out = [say(lang, "exported {} feature(s) of {} layers to {}: {}", self.count,
                       len(self.counts), self.path.name, each)]
        if self.changed:
            out.append(say(lang, "changed {} long text value(s) to fit Shapefile fields:",
                           len(self.changed)))
            out += [f"  {c.text(lang)}" for c in self.changed]
        return out


def export_steps(project: Project, layers: str | Sequence[str], path: str | Path, *,
                 crs: str | None = None, encoding: str | None = None, driver: str | None = None,
                 long_text: str = "refuse", bom: bool = False
                 ) -> Generator[Progress, None, ExportReport]:
    """Write layers to a new file (format from the extension; several layers: GeoPackage only),
    yielding progress. `long_text` (refuse | truncate | split) decides what happens to text a
    Shapefile field cannot hold; `bom` starts a UTF-8 CSV with a byte-order mark (Excel)."""
    path = Path(path)
    chosen = [project.layer(code) for code in ([layers] if isinstance(layers, str) else layers)]
    driver, codec = _export_target(path, driver, encoding, chosen, long_text)
    dst = parse_crs(crs or STORAGE_EPSG)
    report = ExportReport(path, driver, bom=bom and driver == CSV and codec == "utf-8")
    tables = []
    for layer in chosen:  # read and check everything before a byte is written
        table = _table(project, layer, driver, codec, long_text, dst)
        report.changed += table.columns.changed
        tables.append(table)
        yield Progress("read", len(table.geoms), len(table.geoms), layer.code)
    tmp = path.with_name(f".{path.stem}.{uuid.uuid4().hex[:8]}.part{path.suffix}")
    try:
        for table in tables:
            _write(tmp, path, driver, table, dst, None if codec == "utf-8" else encoding,
                   report.bom)
            report.counts[table.layer.code] = len(table.geoms)
            yield Progress("write", len(table.geoms), len(table.geoms), table.layer.code)
        _rename(tmp, path)
    except BaseException:  # also a caller abandoning the job: no half-written file is left
        for part in _parts(tmp):
            part.unlink(missing_ok=True)
        raise
    log.info("exported %d features of %s to %s", report.count, ", ".join(report.counts), path)
    return report


def export_layers(project: Project, layers: str | Sequence[str], path: str | Path,
                  **options) -> ExportReport:
    """Write layers to a new file (see `export_steps`) and return the report."""
    return drive(export_steps(project, layers, path, **options))


def export_layer(project: Project, layer_code: str, path: str | Path, *, crs: str | None = None,
                 encoding: str | None = None, driver: str | None = None) -> int:
    """Write a layer to a new file (see `export_steps`); returns the number of features."""
    return export_layers(project, layer_code, path, crs=crs, encoding=encoding,
                         driver=driver).count


def _export_target(path: Path, driver: str | None, encoding: str | None, layers: list[Layer],
                   long_text: str) -> tuple[str, str]:
    """The driver and text codec of a new file; refuses to overwrite anything."""
    driver = driver or DRIVERS.get(path.suffix.lower())
    if driver is None:
        raise InvalidInput(f"cannot tell the format of {path.name}: use .geojson, .gpkg, .shp or .csv")
    if not layers:
        raise InvalidInput("no layer to export: name one or more layers")
    if len(layers) > 1 and driver != GPKG:
        raise InvalidInput(f"{path.name}: several layers go into one GeoPackage (.gpkg); "
                           f"a {driver} file holds one layer")
    if long_text not in MODES:
        raise InvalidInput(f"long text: choose one of {', '.join(MODES)}, not {long_text!r}")
    codec = lookup_codec(encoding, f"--encoding {encoding}") if encoding else "utf-8"
    if codec != "utf-8" and driver not in (SHP, CSV):
        raise InvalidInput(f"{driver} text is always UTF-8; --encoding applies to Shapefile and CSV")
    if not path.parent.is_dir():
        raise InvalidInput(f"cannot write {path.name}: folder {path.parent} does not exist")
    parts = [path.with_suffix(s) for s in SHAPEFILE_PARTS] if driver == SHP else [path]
    if existing := [p.name for p in parts if p.exists()]:
        raise InvalidInput(f"{', '.join(existing)} already exists; choose another file name")
    return driver, codec


@dataclass
class _Table:
    """A layer read for export: its columns (laid out for a DBF if a Shapefile) and geometries."""

    layer: Layer
    columns: Columns
    geoms: np.ndarray  # in the target CRS


def _table(project: Project, layer: Layer, driver: str, codec: str, long_text: str,
           dst: pyproj.CRS) -> _Table:
    names, columns, geoms = _stored(project, layer)
    if codec != "utf-8":
        _check_encodable(layer, names, columns, codec)
    if driver == SHP:
        laid_out = shapefile_columns(layer, names, columns, codec, long_text)
    else:
        laid_out = Columns([], [], [])
        for name, values in zip(names, columns, strict=True):
            masked = np.ma.isMaskedArray(values)
            laid_out.names.append(name)
            laid_out.columns.append(np.ma.filled(values, 0).astype(np.int64) if masked else values)
            laid_out.masks.append(np.ma.getmaskarray(values) if masked else None)
    return _Table(layer, laid_out, from_storage(geoms, dst))


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
            values = np.ma.masked_equal(values, None)  # type: ignore[call-overload]  # numpy compares with None elementwise
        columns.append(values)
    return names, columns, shapely.from_wkb(np.array([r[-1] for r in rows], dtype=object))


def _check_encodable(layer: Layer, names: list[str], columns: list[np.ndarray],
                     codec: str) -> None:
    """Refuse text the chosen encoding cannot represent (GDAL would drop or garble it)."""
    for name, values in zip(names, columns, strict=True):
        if values.dtype != object or np.ma.isMaskedArray(values):
            continue
        texts = values.tolist()
        for value in dict.fromkeys(texts):  # each distinct value once
            try:
                value is None or value.isascii() or value.encode(codec)
            except UnicodeEncodeError:
                row = texts.index(value)
                raise InvalidInput(f"{layer.code}.{name} of feature {columns[0][row]} cannot be "
                                   f"written in {codec}; export in UTF-8 or GB18030") from None


def _rename(tmp: Path, path: Path) -> None:
    """Move the finished temporary file(s) onto the chosen name."""
    for part in _parts(tmp):
        part.replace(path.with_suffix(part.suffix))


def _parts(tmp: Path) -> list[Path]:
    """The files written under a temporary name; a Shapefile's .shp last (readers open it first)."""
    return sorted(tmp.parent.glob(f"{glob.escape(tmp.stem)}.*"), key=lambda p: p.suffix == ".shp")


def _write(tmp: Path, path: Path, driver: str, table: _Table, dst: pyproj.CRS,
           encoding: str | None, bom: bool) -> None:
    """Write one layer into `tmp` (a GeoPackage gets one table per layer)."""
    layer, cols, geoms = table.layer, table.columns, table.geoms
    kind: str | None
    kind, wkb, label = layer.geometry, shapely.to_wkb(geoms), crs_label(dst)
    names, columns, masks = cols.names, cols.columns, cols.masks
    options = {"WRITE_BOM": "YES"} if bom else {}
    if driver == CSV and kind == "Point":  # coordinates as two number columns
        names = [*(("lon", "lat") if dst.is_geographic else ("x", "y")), *names]
        columns, masks = [shapely.get_x(geoms), shapely.get_y(geoms), *columns], [None, None, *masks]
        kind, wkb = None, None
    elif driver == CSV:
        options["GEOMETRY"] = "AS_WKT"
    elif driver == GPKG:  # the layer's Chinese name where GIS programs show it
        options.update(IDENTIFIER=layer.name_zh, DESCRIPTION=f"{layer.name_zh} ({layer.name_en})")
    common = {"driver": driver, "layer": layer.code if driver not in (SHP, CSV) else None,
              "geometry_type": kind, "encoding": encoding,
              "crs": (label if label.startswith("EPSG:") else dst.to_wkt()) if kind else None}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if driver == SHP:  # the fields at the catalogue's widths first, then the data
                raw.write(tmp, np.array([], dtype=object), cols.schema(), names, **common)
            if driver != SHP or len(geoms):
                raw.write(tmp, wkb, columns, names, field_mask=masks, append=driver == SHP,
                          layer_options=options or None, **common)
        except (DataSourceError, DataLayerError, UnicodeEncodeError) as exc:
            raise InvalidInput(f"cannot write {path.name}: {exc}") from exc
    if driver == SHP:
        set_number_fields(tmp.with_suffix(".dbf"), cols.numbers)
    for w in caught:
        log.warning("export of %s to %s: %s", layer.code, path.name, w.message)
