"""Reading the files planners get into decoded columns: formats, layers, text encodings, CRS.

Files are read through pyogrio (GDAL inside its wheel). Text is decoded strictly, so a wrong
encoding is an error rather than garbled attributes. Nothing here touches a project.
"""

from __future__ import annotations

import codecs
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyproj
from pyogrio import list_layers, raw, read_info
from pyogrio.errors import DataLayerError, DataSourceError

from app.errors import InvalidInput, NotFound
from app.model.crs import crs_label, parse_crs

SHP, CSV = "ESRI Shapefile", "CSV"
DRIVERS = {".geojson": "GeoJSON", ".json": "GeoJSON", ".gpkg": "GPKG", ".shp": SHP, ".csv": CSV}
FORMATS = "GeoJSON, GeoPackage, Shapefile or CSV"
# GDAL's CSV driver takes the geometry from these columns (names compared case-insensitively).
CSV_OPTIONS = {"X_POSSIBLE_NAMES": "lon,lng,long,longitude,x,经度",
               "Y_POSSIBLE_NAMES": "lat,latitude,y,纬度",
               "GEOM_POSSIBLE_NAMES": "WKT,geometry,geom", "KEEP_GEOM_COLUMNS": "NO"}
SINGLE_LAYER = {".geojson": "GeoJSON", ".json": "GeoJSON", ".shp": SHP, ".csv": CSV}
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")


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



def read_source(path: Path, encoding: str | None, notes: list[str]) -> Source:
    if not path.is_file():
        raise NotFound(f"no such file: {path}")
    driver, layer = _driver_and_layer(path)
    codec, origin = _codec(path, driver, encoding)
    if driver != CSV or codec == "utf-8":
        return _read(path, path, driver, layer, codec, origin, notes)
    # GDAL matches CSV headers (经度, 纬度) as UTF-8 bytes: transcode the whole file first.
    with tempfile.TemporaryDirectory() as tmp:
        utf8 = Path(tmp) / path.name
        utf8.write_text(_decode_bytes(path, path.read_bytes(), codec, origin), encoding="utf-8")
        return _read(utf8, path, driver, layer, "utf-8", origin, notes)


def _driver_and_layer(path: Path) -> tuple[str, str | None]:
    """The GDAL driver and the one layer of a file; refuses other formats and several layers."""
    single = SINGLE_LAYER.get(path.suffix.lower())
    if single:
        # These formats hold one layer; GDAL parses a GeoJSON whole on every open, so open once.
        return single, None
    try:
        layers = list_layers(path)
        # latin1 reads any field name: only the driver is wanted here
        info = read_info(path, layer=layers[0][0], encoding="latin1") if len(layers) else {}
    except (DataSourceError, DataLayerError) as exc:
        raise _unreadable(path, exc) from exc
    if info.get("driver") not in DRIVERS.values():
        raise InvalidInput(f"{path.name} is not a {FORMATS} file ({info.get('driver', 'no layer')})")
    if len(layers) > 1:
        raise InvalidInput(f"{path.name} has {len(layers)} layers ({', '.join(layers[:, 0])}); "
                           "import a file with a single layer (export the one you want first)")
    return info["driver"], layers[0][0]


def _unreadable(path: Path, exc: Exception) -> InvalidInput:
    detail = " ".join(str(exc).split())[:200]
    return InvalidInput(f"cannot read {path.name}: it is truncated, damaged or not a {FORMATS} "
                        f"file (GDAL: {detail})")


def _codec(path: Path, driver: str, encoding: str | None) -> tuple[str, str]:
    """The Python codec of the file's text, and where that came from (for messages)."""
    if encoding:
        return lookup_codec(encoding, f"--encoding {encoding}"), f"--encoding {encoding} was given"
    cpg = next((p for p in (path.with_suffix(".cpg"), path.with_suffix(".CPG")) if p.is_file()), None)
    if driver != SHP or cpg is None:
        return "utf-8", "no encoding was given"
    declared = cpg.read_text(encoding="ascii", errors="replace").strip()
    name = declared.removeprefix("ANSI ").strip()  # "936" and "ANSI 936" are code pages
    return lookup_codec(f"cp{name}" if name.isdigit() else name, cpg.name), f"{cpg.name} says {declared}"


def lookup_codec(name: str, origin: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise InvalidInput(f"unknown text encoding {name!r} ({origin}); "
                           "try --encoding GBK, GB18030 or UTF-8") from None


def _read(read_path: Path, path: Path, driver: str, layer: str | None, codec: str, origin: str,
          notes: list[str]) -> Source:
    # Non-UTF-8 text is read as latin1 (byte-preserving) and decoded strictly here: GDAL's own
    # recoding (from a .cpg) drops undecodable bytes with a warning it gives once per process.
    utf8 = codec == "utf-8"
    try:
        meta, fids, wkb, columns = _raw_read(read_path, path, driver, layer, notes, (
            "UTF-8" if driver == SHP else None) if utf8 else "latin1")
    except UnicodeDecodeError:  # pyogrio decodes strictly but names neither field nor row
        meta, fids, wkb, columns = _raw_read(read_path, path, driver, layer, [], "latin1")
        utf8 = False
    names, columns = [str(n) for n in meta["fields"]], list(columns)
    if not utf8:
        names, columns = _decode(path, names, columns, codec, origin)
    if wkb is None:
        raise InvalidInput(f"{path.name} has no geometry (a CSV needs a WKT column or lon/lat, "
                           "x/y or 经度/纬度 columns)")
    if len(wkb) == 0:
        raise InvalidInput(f"{path.name} has no features")
    return Source(path, driver, meta["crs"], names, columns, wkb, fids)


def _raw_read(read_path: Path, path: Path, driver: str, layer: str | None, notes: list[str],
              encoding: str | None):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = raw.read(read_path, layer=layer, encoding=encoding, force_2d=True,
                              return_fids=True, datetime_as_string=True,
                              **(CSV_OPTIONS if driver == CSV else {}))
        except (DataSourceError, DataLayerError) as exc:
            raise _unreadable(path, exc) from exc
    notes += [" ".join(str(w.message).split()) for w in caught]
    return result


def _decode(path: Path, names: list[str], columns: list[np.ndarray], codec: str, origin: str):
    """Field names and text columns read as latin1, decoded strictly with `codec`."""
    decoded, data = [], []
    for i, values in enumerate([np.array(names, dtype=object), *columns]):
        if values.dtype != object:
            decoded.append(values)
            continue
        # One C-level decode per column (values joined by NUL, which no encoding here uses).
        present = np.flatnonzero(~np.equal(values, None))
        data.append("\x00".join(values[present].tolist()).encode("latin1"))
        where = f"field {names[i - 1]!r}, row {{}}" if i else "field name {}"
        text = _decode_bytes(path, data[-1], codec, origin, where, present)
        decoded.append(values.copy())
        decoded[-1][present] = text.split("\x00") if len(present) else []
    return list(decoded[0]), decoded[1:]


def _decode_bytes(path: Path, data: bytes, codec: str, origin: str, where: str = "line {}",
                  rows: np.ndarray | None = None) -> str:
    """`data` decoded strictly; the error names the line (or row) of the first bad byte."""
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        sep = b"\x00" if rows is not None else b"\n"
        index = data.count(sep, 0, exc.start)
        spot = where.replace("{}", str(int(rows[index]) + 1 if rows is not None else index + 1))
        hint = ("give the file's encoding, e.g. --encoding GBK" if codec == "utf-8"
                else "check the encoding: GB18030 covers all Chinese text; or UTF-8?")
        raise InvalidInput(f"{path.name}, {spot}: not valid {codec} text ({origin}); {hint}") from None
    # Chinese UTF-8 read as GBK decodes without error into nonsense (上海 → 涓婃捣): refuse.
    # (A lossless round trip through a lenient UTF-8 decode means the bytes are valid UTF-8.)
    if codec != "utf-8" and not data.isascii() and data.decode("utf-8", "replace").encode() == data:
        raise InvalidInput(f"{path.name}: the text is UTF-8 but {origin}; reading it as {codec} "
                           "would garble it: give --encoding UTF-8")
    return text


def source_crs(source: Source, crs: str | None, notes: list[str]) -> pyproj.CRS:
    """The file's CRS; `crs` only when the file has none (or GeoJSON's RFC 7946 default)."""
    declared = parse_crs(source.crs) if source.crs else None
    given = parse_crs(crs) if crs else None
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
    return chosen
