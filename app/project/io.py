"""Import and export of the formats planners use: GeoJSON, GeoPackage, Shapefile, CSV.

Files are read and written through pyogrio (GDAL inside its wheel). An import reads the whole
file, checks it column-wise (`check_geometries`, `prepare_columns`) and writes it in one
transaction: a refused file leaves the project unchanged. Text is decoded strictly, so a wrong
encoding is an error rather than garbled attributes.
"""

from __future__ import annotations

import codecs
import glob
import logging
import tempfile
import uuid
import warnings
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyproj
import shapely
from pyogrio import list_layers, raw, read_info
from pyogrio.errors import DataLayerError, DataSourceError

from app.errors import ImportRefused, InvalidInput, NotFound, PermissionDenied
from app.model import geodesy
from app.model.catalogue import Layer
from app.model.crs import STORAGE_EPSG, crs_label, from_storage, parse_crs, to_storage
from app.model.feature import utc_now
from app.model.ids import uuid7_many
from app.model.jobs import Progress, drive
from app.model.validation import Problem, check_geometries, prepare_columns
from app.project.features import repair
from app.project.layers import bulk_insert, geometry_param
from app.project.project import Project
from app.project.sql import ident, idents

log = logging.getLogger(__name__)

SHP, CSV = "ESRI Shapefile", "CSV"
DRIVERS = {".geojson": "GeoJSON", ".json": "GeoJSON", ".gpkg": "GPKG", ".shp": SHP, ".csv": CSV}
FORMATS = "GeoJSON, GeoPackage, Shapefile or CSV"
# GDAL's CSV driver takes the geometry from these columns (names compared case-insensitively).
CSV_OPTIONS = {"X_POSSIBLE_NAMES": "lon,lng,long,longitude,x,经度",
               "Y_POSSIBLE_NAMES": "lat,latitude,y,纬度",
               "GEOM_POSSIBLE_NAMES": "WKT,geometry,geom", "KEEP_GEOM_COLUMNS": "NO"}
SINGLE_LAYER = {".geojson": "GeoJSON", ".json": "GeoJSON", ".shp": SHP, ".csv": CSV}
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
ID_COLUMNS = ("id", "fid", "uuid")  # a source's own feature id, shown with bad rows
DBF_TEXT_BYTES = 254  # GDAL silently truncates longer Shapefile text (mid-character even)
BATCH = 10_000  # rows per executemany call and per progress report
SHOWN, LISTED = 5, 20  # bad rows quoted in a refusal message / listed in a report


@dataclass(frozen=True)
class RowProblem:
    """A source row that cannot be imported, and why."""

    row: int  # 1-based row number in the source file (a CSV's header not counted)
    source_id: str | None  # the source's own id/fid if it has one
    problems: tuple[Problem, ...]

    def text(self) -> str:
        """'row N (id X): reason; reason'."""
        ref = f"row {self.row}" + (f" (id {self.source_id})" if self.source_id else "")
        return f"{ref}: " + "; ".join(p.message for p in self.problems)


@dataclass
class ImportReport:
    """What an import did: counts, skipped and repaired rows, unused columns, warnings."""

    layer: str
    source: str  # the file's name
    crs: str  # source CRS label, e.g. "EPSG:4549"
    read: int  # features in the file
    imported: int = 0
    skipped: list[RowProblem] = field(default_factory=list)  # with skip_invalid
    repaired: list[int] = field(default_factory=list)  # 1-based rows repaired with make_valid
    unmapped: list[str] = field(default_factory=list)  # source columns that went nowhere
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """A human summary, one line each."""
        out = [f"imported {self.imported} of {self.read} feature(s) from {self.source} "
               f"into {self.layer} (source CRS {self.crs})"]
        if self.skipped:
            out += [f"skipped {len(self.skipped)} bad row(s):"]
            out += [f"  {r.text()}" for r in self.skipped[:LISTED]]
            out += [f"  ... and {len(self.skipped) - LISTED} more"] * (len(self.skipped) > LISTED)
        if self.repaired:
            out += [f"repaired {len(self.repaired)} invalid geometry(ies) with make_valid: "
                    f"rows {', '.join(map(str, self.repaired))}"]
        if self.unmapped:
            out += [f"source column(s) not imported: {', '.join(self.unmapped)}"]
        return out + [f"warning: {w}" for w in self.warnings]


@dataclass
class _Source:
    """A file read into decoded columns, before any checking."""

    path: Path
    driver: str
    crs: str | None  # as pyogrio reports it (EPSG:x or WKT)
    names: list[str]
    columns: list[np.ndarray]
    wkb: np.ndarray
    fids: np.ndarray | None


# ---------------------------------------------------------------- import

def import_steps(project: Project, layer_code: str, path: str | Path, *, crs: str | None = None,
                 encoding: str | None = None, skip_invalid: bool = False, make_valid: bool = False,
                 field_map: dict[str, str] | None = None,
                 owner: str | None = None) -> Generator[Progress, None, ImportReport]:
    """Import a file into a layer, yielding progress; all rows or none unless `skip_invalid`."""
    layer, owner = project.layer(layer_code), owner or project.party
    if owner != project.party and project.role != "coordinator":
        raise PermissionDenied(f"party {project.party} cannot import features owned by {owner}")
    report = ImportReport(layer.code, Path(path).name, "", 0)
    source = _read_source(Path(path), encoding, report.warnings)
    report.read = n = len(source.wkb)
    yield Progress("read", n, n)
    yield Progress("check", 0, n)
    columns, wkb = _checked(project, layer, source, report, crs, field_map or {}, make_valid,
                            skip_invalid)
    yield Progress("check", n, n)
    yield from _insert(project, layer, owner, columns, wkb)
    report.imported = len(wkb)
    log.info("imported %d of %d rows of %s into %s", len(wkb), n, source.path, layer.code)
    return report


def _checked(project: Project, layer: Layer, source: _Source, report: ImportReport,
             crs: str | None, field_map: dict[str, str], make_valid: bool, skip_invalid: bool):
    """The good rows' columns (derived fields computed) and WKB; the report says the rest."""
    src_crs = _source_crs(source, crs, report.warnings)
    report.crs = crs_label(src_crs)
    mapping, report.unmapped = _mapping(layer, source.names, field_map)
    columns, geoms, problems = _check(project, layer, source, mapping, src_crs, report.warnings)
    report.repaired = _repair(layer, geoms, problems) if make_valid else []
    report.skipped = _row_problems(source, problems)
    if report.skipped and not skip_invalid:
        raise _refusal(source, report.skipped, len(geoms))
    good = np.setdiff1d(np.arange(len(geoms)), [r.row - 1 for r in report.skipped])
    columns = {name: np.asarray(values, dtype=object)[good] for name, values in columns.items()}
    return {**columns, **_derived(layer, geoms[good])}, shapely.to_wkb(geoms[good])


def import_file(project: Project, layer_code: str, path: str | Path, **kwargs) -> ImportReport:
    """Import a file into a layer (see `import_steps`) and return the report."""
    return drive(import_steps(project, layer_code, path, **kwargs))


def _read_source(path: Path, encoding: str | None, notes: list[str]) -> _Source:
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
        return _lookup(encoding, f"--encoding {encoding}"), f"--encoding {encoding} was given"
    cpg = next((p for p in (path.with_suffix(".cpg"), path.with_suffix(".CPG")) if p.is_file()), None)
    if driver != SHP or cpg is None:
        return "utf-8", "no encoding was given"
    declared = cpg.read_text(encoding="ascii", errors="replace").strip()
    name = declared.removeprefix("ANSI ").strip()  # "936" and "ANSI 936" are code pages
    return _lookup(f"cp{name}" if name.isdigit() else name, cpg.name), f"{cpg.name} says {declared}"


def _lookup(name: str, origin: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise InvalidInput(f"unknown text encoding {name!r} ({origin}); "
                           "try --encoding GBK, GB18030 or UTF-8") from None


def _read(read_path: Path, path: Path, driver: str, layer: str | None, codec: str, origin: str,
          notes: list[str]) -> _Source:
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
    return _Source(path, driver, meta["crs"], names, columns, wkb, fids)


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


def _source_crs(source: _Source, crs: str | None, notes: list[str]) -> pyproj.CRS:
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


def _mapping(layer: Layer, names: list[str],
             field_map: dict[str, str]) -> tuple[dict[str, int], list[str]]:
    """Layer field -> source column (field_map first, then equal names ignoring case), and
    the source columns mapped nowhere."""
    mapping: dict[str, int] = {}
    for src, dst in field_map.items():
        target = next((f.name for f in layer.fields if f.name.upper() == dst.upper()), None)
        found = ([i for i, n in enumerate(names) if n == src]
                 or [i for i, n in enumerate(names) if n.upper() == src.upper()])
        if target is None:
            raise InvalidInput(f"field map {src}={dst}: layer {layer.code} has no field {dst!r} "
                               f"(its fields: {', '.join(layer.field_names)})")
        if not found:
            raise InvalidInput(f"field map {src}={dst}: the file has no column {src!r} "
                               f"(its columns: {', '.join(names)})")
        if target in mapping:
            raise InvalidInput(f"field map {src}={dst}: another column is mapped onto {target}")
        column = found[0]
        mapping[target] = column
    for i, name in enumerate(names):
        target = next((f.name for f in layer.fields if f.name.upper() == name.upper()), None)
        if target and target not in mapping and i not in mapping.values():
            mapping[target] = i
    return mapping, [name for i, name in enumerate(names) if i not in mapping.values()]


def _check(project: Project, layer: Layer, source: _Source, mapping: dict[str, int],
           src_crs: pyproj.CRS, notes: list[str]):
    """Coerced attribute columns, geometries in EPSG:4490 and every row's problems."""
    derived = [f.name for f in layer.fields if f.derived and f.name in mapping]
    if derived:
        notes.append(f"{', '.join(derived)} computed from the geometry (geodesic); "
                     "the file's values were not used")
    columns = {name: source.columns[i].tolist() for name, i in mapping.items() if name not in derived}
    columns, problems = prepare_columns(layer, project.catalogue, columns, len(source.wkb))
    # NaN coordinates are data to report (validation: "not-finite"), not numpy warnings.
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        geoms = to_storage(shapely.from_wkb(source.wkb, on_invalid="ignore"), src_crs)
    for row, found in check_geometries(layer, geoms).items():
        problems[row].extend(found)
    return columns, geoms, problems


def _repair(layer: Layer, geoms: np.ndarray, problems) -> list[int]:
    """Repair rows whose only geometry problem is fixable; returns their 1-based numbers."""
    rows = [r for r, found in problems.items() if any(p.fixable for p in found)
            and all(p.fixable for p in found if p.field is None)]
    for row in rows:
        geoms[row] = repair(layer, geoms[row])
    rechecked = check_geometries(layer, geoms[rows]) if rows else {}
    for i, row in enumerate(rows):
        problems[row] = [p for p in problems[row] if p.field is not None] + rechecked.get(i, [])
    return [row + 1 for i, row in enumerate(rows) if i not in rechecked]


def _row_problems(source: _Source, problems) -> list[RowProblem]:
    ids = next((v for n, v in zip(source.names, source.columns, strict=True)
                if n.lower() in ID_COLUMNS), None)
    fids = source.fids  # GDAL numbers features itself unless a GeoPackage or GeoJSON has ids
    if ids is None and fids is not None and (source.driver == "GPKG" or (
            source.driver == "GeoJSON" and not np.array_equal(fids, np.arange(len(fids))))):
        ids = fids
    return [RowProblem(row + 1, None if ids is None or ids[row] is None else str(ids[row]),
                       tuple(found)) for row, found in sorted(problems.items()) if found]


def _refusal(source: _Source, bad: list[RowProblem], n: int) -> ImportRefused:
    shown = "; ".join(r.text() for r in bad[:SHOWN])
    more = f"; ... and {len(bad) - SHOWN} more" if len(bad) > SHOWN else ""
    fixable = sum(any(p.fixable for p in r.problems) for r in bad)
    hint = f"; --make-valid can repair the {fixable} invalid geometry(ies)" if fixable else ""
    return ImportRefused(f"{source.path.name}: {len(bad)} of {n} row(s) are bad, nothing was "
                         f"imported: {shown}{more}{hint}; --skip-invalid imports the good rows",
                         problems=bad)


def _derived(layer: Layer, geoms: np.ndarray) -> dict[str, list[float]]:
    """Derived fields from the geometry, rounded as `features.derive` rounds them."""
    measures = {"area_m2": geodesy.areas_m2, "length_m": geodesy.lengths_m}
    return {f.name: [round(v, 2) for v in measures[f.derived](geoms).tolist()]
            for f in layer.fields if f.derived}


def _insert(project: Project, layer: Layer, owner: str, columns: dict[str, np.ndarray],
            wkb: np.ndarray) -> Iterator[Progress]:
    """Insert the rows in one transaction, reporting progress every BATCH rows."""
    names = ["uuid", "owner", "created_by", "created_at", "modified_by", "modified_at", *columns]
    sql = (f"INSERT INTO {ident(layer.code)} ({idents(names)}, geom) "
           f"VALUES ({', '.join('?' * len(names))}, {geometry_param(layer)})")
    author, now, total = project.author, utc_now(), len(wkb)
    with project.db.atomic(), bulk_insert(project.db, layer):
        # A caller abandoning the generator rolls the whole import back, triggers included.
        for start in range(0, total, BATCH):
            chunk = [values[start:start + BATCH] for values in (*columns.values(), wkb)]
            ids = uuid7_many(len(chunk[-1]))
            project.db.conn.executemany(sql, ((uid, owner, author, now, author, now, *row)
                                              for uid, *row in zip(ids, *chunk, strict=True)))
            yield Progress("write", min(start + BATCH, total), total)


# ---------------------------------------------------------------- export

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
    codec = _lookup(encoding, f"--encoding {encoding}") if encoding else "utf-8"
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
