"""Reading the files planners get into decoded columns: formats, layers, text encodings, CRS.

Files are read through pyogrio (GDAL inside its wheel). Text is decoded strictly, so a wrong
encoding is an error rather than garbled attributes (`source_text`). Nothing here touches a
project. DXF drawings and CSV coordinate columns have their own modules (`source_cad`,
`source_csv`).
"""

from __future__ import annotations

import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyproj
from pyogrio import list_layers, raw, read_info
from pyogrio.errors import DataLayerError, DataSourceError

from app.errors import InvalidInput, NotFound
from app.model.crs import crs_label, is_undefined, parse_crs, with_datum_shift
from app.project import source_cad, source_csv
from app.project.source_text import SHP, codec_of, decode_bytes, decode_columns, lookup_codec

__all__ = ["CSV", "DRIVERS", "SHAPEFILE_PARTS", "SHP", "ReadOptions", "Source", "lookup_codec",
           "read_source", "source_crs", "source_layers"]

CSV, DXF = "CSV", "DXF"
# Formats CoPlan writes as well as reads (export picks its driver here).
DRIVERS = {".geojson": "GeoJSON", ".json": "GeoJSON", ".gpkg": "GPKG", ".shp": SHP, ".csv": CSV}
READ_ONLY = {".dxf": DXF, ".gdb": "OpenFileGDB", ".kml": "KML", ".kmz": "LIBKML"}
FORMATS = "GeoJSON, GeoPackage, Shapefile, CSV, DXF, FileGDB or KML"
SINGLE_LAYER = {".geojson": "GeoJSON", ".json": "GeoJSON", ".shp": SHP, ".csv": CSV}
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
# Formats that declare their own encoding (or GDAL recodes them): --encoding does not apply.
SELF_DECODING = {DXF, "OpenFileGDB", "KML", "LIBKML"}


@dataclass(frozen=True)
class ReadOptions:
    """Which part of a file to read and how: what a technician says beside the file."""

    layer: str | None = None  # a layer of a GeoPackage/FileGDB/KML, or a DXF drawing's CAD layer
    where: str | None = None  # GDAL attribute filter (OGR SQL WHERE clause)
    x: str | None = None  # CSV column of x / longitude (decimal or DMS)
    y: str | None = None  # CSV column of y / latitude
    transform: str | None = None  # datum shift: '+towgs84=…' or 'ballpark'


@dataclass
class Source:
    """A file read into decoded columns, before any checking."""

    path: Path
    driver: str
    crs: str | None  # as pyogrio reports it (EPSG:x or WKT)
    names: list[str]
    columns: list[np.ndarray]
    wkb: np.ndarray
    fids: np.ndarray | None
    options: ReadOptions = field(default_factory=ReadOptions)


def read_source(path: Path, encoding: str | None, notes: list[str],
                options: ReadOptions | None = None, geometry: str | None = None) -> Source:
    """The file's features as decoded columns; `geometry` is the target layer's type (a DXF
    drawing keeps only the entities of that type)."""
    options = options or ReadOptions()
    if not (path.is_file() or (path.is_dir() and path.suffix.lower() == ".gdb")):
        raise NotFound(f"no such file: {path}")
    driver, layer = _driver_and_layer(path, options)
    if encoding and driver in SELF_DECODING:
        raise InvalidInput(f"{path.name}: a {driver} file declares its own text encoding; "
                           "drop --encoding")
    if (options.x or options.y) and driver != CSV:
        raise InvalidInput("--x and --y name the coordinate columns of a CSV file")
    codec, origin = codec_of(path, driver, encoding)
    if driver != CSV or codec == "utf-8":
        return _read(path, path, driver, layer, codec, origin, notes, options, geometry)
    # GDAL matches CSV headers (经度, 纬度) as UTF-8 bytes: transcode the whole file first.
    with tempfile.TemporaryDirectory() as tmp:
        utf8 = Path(tmp) / path.name
        utf8.write_text(decode_bytes(path, path.read_bytes(), codec, origin), encoding="utf-8")
        return _read(utf8, path, driver, layer, "utf-8", origin, notes, options, geometry)


def source_layers(path: Path) -> list[tuple[str, int]]:
    """The layers of a file and their feature counts (for a layer picker or a message)."""
    try:
        return [(str(name), _count(path, str(name))) for name, _ in list_layers(path)]
    except (DataSourceError, DataLayerError) as exc:
        raise _unreadable(path, exc) from exc


def _count(path: Path, layer: str) -> int:
    # latin1 reads any field name: only the count is wanted
    return int(read_info(path, layer=layer, encoding="latin1", force_feature_count=True)["features"])


def _driver_and_layer(path: Path, options: ReadOptions) -> tuple[str, str | None]:
    """The GDAL driver and the layer to read; refuses other formats and unnamed layers."""
    single = SINGLE_LAYER.get(path.suffix.lower())
    if single:
        # These formats hold one layer; GDAL parses a GeoJSON whole on every open, so open once.
        if options.layer and options.layer != path.stem:
            raise InvalidInput(f"{path.name} holds a single layer: drop --layer")
        return single, None
    try:
        layers = [str(name) for name, _ in list_layers(path)]
        info = read_info(path, layer=layers[0], encoding="latin1") if layers else {}
    except (DataSourceError, DataLayerError) as exc:
        raise _unreadable(path, exc) from exc
    driver = info.get("driver")
    if driver not in {*DRIVERS.values(), *READ_ONLY.values()}:
        raise InvalidInput(f"{path.name} is not a {FORMATS} file ({driver or 'no layer'})")
    if driver == DXF:
        return driver, "entities"  # its CAD layers are a field: see source_cad
    return driver, _chosen_layer(path, layers, options.layer)


def _chosen_layer(path: Path, layers: list[str], wanted: str | None) -> str:
    if wanted is None and len(layers) == 1:
        return layers[0]
    if wanted in layers:
        return wanted
    listed = ", ".join(f"{name} ({n} feature(s))" for name, n in source_layers(path))
    if wanted is None:
        raise InvalidInput(f"{path.name} has {len(layers)} layers ({', '.join(layers)}); "
                           f"choose one with --layer NAME: {listed}")
    raise InvalidInput(f"{path.name} has no layer {wanted!r}; its layers: {listed}")


def _unreadable(path: Path, exc: Exception) -> InvalidInput:
    detail = " ".join(str(exc).split())[:200]
    return InvalidInput(f"cannot read {path.name}: it is truncated, damaged or not a {FORMATS} "
                        f"file (GDAL: {detail})")


def _read(read_path: Path, path: Path, driver: str, layer: str | None, codec: str, origin: str,
          notes: list[str], options: ReadOptions, geometry: str | None) -> Source:
    # Non-UTF-8 text is read as latin1 (byte-preserving) and decoded strictly here: GDAL's own
    # recoding (from a .cpg) drops undecodable bytes with a warning it gives once per process.
    utf8 = codec == "utf-8"
    read = _Reader(read_path, path, driver, layer, options, geometry, codec)
    try:
        meta, fids, wkb, columns = read(notes, ("UTF-8" if driver == SHP else None) if utf8
                                        else "latin1")
    except UnicodeDecodeError:  # pyogrio decodes strictly but names neither field nor row
        meta, fids, wkb, columns = read([], "latin1")
        utf8 = False
    names, columns = [str(n) for n in meta["fields"]], list(columns)
    if not utf8:
        names, columns = decode_columns(path, names, columns, codec, origin)
    if driver == CSV and (options.x or options.y):
        wkb, names, columns = source_csv.points(path, names, columns, fids, options.x, options.y)
    if driver == DXF:
        wkb, names, columns, fids = source_cad.entities(path, wkb, names, columns, fids,
                                                        options.layer, geometry, notes)
    if wkb is None:
        raise InvalidInput(f"{path.name} has no geometry (a CSV needs a WKT column or lon/lat, "
                           "x/y or 经度/纬度 columns, or --x and --y)")
    if len(wkb) == 0:
        raise InvalidInput(f"{path.name} has no features"
                           + (f" matching --where {options.where}" if options.where else ""))
    return Source(path, driver, meta["crs"], names, columns, wkb, fids, options)


@dataclass
class _Reader:
    """One pyogrio read of the chosen layer with the driver's options and the row filter."""

    read_path: Path
    path: Path
    driver: str
    layer: str | None
    options: ReadOptions
    geometry: str | None
    codec: str

    def __call__(self, notes: list[str], encoding: str | None):
        kwargs = {"layer": self.layer, "encoding": encoding, "force_2d": True,
                  "return_fids": True, "datetime_as_string": True}
        if self.driver == CSV:
            kwargs |= source_csv.open_options(self.options.x or self.options.y)
        if self.driver == DXF:
            kwargs |= source_cad.open_options(self.geometry)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = self._filtered(kwargs, encoding)
            except (DataSourceError, DataLayerError) as exc:
                raise _unreadable(self.path, exc) from exc
        notes += [" ".join(str(w.message).split()) for w in caught]
        return result

    def _filtered(self, kwargs: dict, encoding: str | None):
        where = self.options.where
        if not where:
            return raw.read(self.read_path, **kwargs)
        if encoding == "latin1":
            # The text is read as bytes, and pyogrio encodes the filter like the text: give it
            # the bytes the file holds ('苏州市' in GBK), or it compares UTF-8 with GBK.
            try:
                where = where.encode(self.codec).decode("latin1")
            except UnicodeEncodeError:
                raise InvalidInput(f"--where {where!r}: its text cannot be written in "
                                   f"{self.codec}, the file's encoding") from None
        try:
            return raw.read(self.read_path, where=where, **kwargs)
        except (ValueError, DataSourceError, DataLayerError) as exc:
            # A GeoPackage's SQLite refuses the filter only when the rows are read.
            if not isinstance(exc, ValueError) and "SQL" not in str(exc):
                raise
            where = self.options.where or ""  # set: checked above
            fields = read_info(self.read_path, layer=self.layer, encoding=self.codec)["fields"]
            # GDAL quotes the whole query before its reason: keep what follows the filter.
            reason = " ".join(str(exc).split()).rpartition(where)[2].strip(" :'") or "cannot parse it"
            raise InvalidInput(f"--where {where!r} is not a valid filter for {self.path.name} "
                               f"(GDAL: {reason[:120]}); write it like "
                               f"XZQDM = '320505' with the file's fields: "
                               f"{', '.join(map(str, fields))}") from None


def source_crs(source: Source, crs: str | None, notes: list[str]) -> pyproj.CRS:
    """The file's CRS; `crs` only when the file has none, an undefined one (GeoPackage srs_id 0
    or -1, a CAD drawing) or GeoJSON's RFC 7946 default. Bound to the datum transformation the
    user gave when PROJ knows none."""
    declared = parse_crs(source.crs) if source.crs else None
    given = parse_crs(crs) if crs else None
    if declared is not None and is_undefined(declared):
        if given is None:
            raise InvalidInput(f"{source.path.name}: its coordinate reference system is undefined "
                               f"({declared.name!r}); give the real one with --crs "
                               "(e.g. EPSG:4490 lon/lat, EPSG:4549 metres)")
        notes.append(f"the file's CRS is undefined ({declared.name}); using --crs "
                     f"{crs_label(given)} as given")
        declared = None
    if declared is not None and given is not None and not (crs_label(declared) == crs_label(given)
                                   or declared.equals(given, ignore_axis_order=True)):
        if source.driver != "GeoJSON" or crs_label(declared) != "EPSG:4326":
            raise InvalidInput(f"{source.path.name}: the file says {crs_label(declared)}, "
                               f"--crs says {crs_label(given)}; drop --crs or fix the file")
        notes.append(f"GeoJSON is lon/lat by RFC 7946; using --crs {crs_label(given)} as given")
        declared = None
    chosen = declared if declared is not None else given
    if chosen is None:
        raise InvalidInput(f"{source.path.name} does not say which coordinate reference system it "
                           "uses; give it with --crs (e.g. EPSG:4490 lon/lat, EPSG:4549 metres)")
    if crs_label(chosen) == "EPSG:4326":
        notes.append("EPSG:4326 (WGS 84) taken as EPSG:4490 (CGCS2000): a null transformation "
                     "at this precision (the datums differ by centimetres)")
    return with_datum_shift(chosen, source.options.transform, notes)
