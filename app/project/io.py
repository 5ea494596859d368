"""Import of the formats planners use into a layer.

An import reads the whole file (`sources.read_source`), maps its columns onto the layer's fields
(by name, by the catalogue's Chinese or English label, `--map`, `--set` constants), checks it
column-wise (`check_geometries`, `prepare_columns`) and writes it in one transaction: a refused
file leaves the project unchanged. With `update_by` rows matched to existing features update
them instead (see import_update). What happened goes into an ImportReport (import_report).
"""

from __future__ import annotations

import csv
import io as textio
import logging
import re
import warnings
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyproj
import shapely

from app.errors import ImportRefused, InvalidInput, PermissionDenied
from app.model import geodesy
from app.model.catalogue import Field, Layer
from app.model.crs import crs_label, to_storage
from app.model.feature import utc_now
from app.model.ids import uuid7_many
from app.model.jobs import Progress, drive
from app.model.validation import (
    IMPOSSIBLE,
    Problem,
    check_geometries,
    coordinate_text_problem,
    geometry_text_problem,
    prepare_columns,
    wkb_problem,
)
from app.project import import_update
from app.project.features import repair
from app.project.import_report import (
    SHOWN,
    ImportReport,
    RowProblem,
    check_report_path,
    say,
    write_report,
)
from app.project.layers import bulk_insert, geometry_param
from app.project.project import Project
from app.project.source_csv import GUESSED
from app.project.sources import CSV, ReadOptions, Source, read_source, source_crs
from app.project.sql import ident, idents

log = logging.getLogger(__name__)

BATCH = 10_000  # rows per executemany call and per progress report


@dataclass
class _Plan:
    """The good rows, checked and ready to write."""

    columns: dict[str, list]  # field -> values (derived fields included)
    geoms: np.ndarray  # EPSG:4490
    targets: list[str | None] | None  # with update_by: the uuid each row updates, or None
    present: list[str]  # fields the file (or --set) gives: the only ones an update changes


# ---------------------------------------------------------------- import

def import_steps(project: Project, layer_code: str, path: str | Path, *, crs: str | None = None,
                 encoding: str | None = None, skip_invalid: bool = False, make_valid: bool = False,
                 field_map: dict[str, str] | None = None, owner: str | None = None,
                 constants: dict[str, str] | None = None, update_by: str | None = None,
                 report_path: str | Path | None = None,
                 reading: ReadOptions | None = None) -> Generator[Progress, None, ImportReport]:
    """Import a file into a layer, yielding progress; all rows or none unless `skip_invalid`.

    `constants` sets fields on every row (checked like any value); `update_by` (uuid or BSM)
    updates the features rows match; `report_path` (.json or .csv) receives the full report,
    refused or not; `reading` says which part of the file to read and how (sources)."""
    layer, owner = project.layer(layer_code), owner or project.party
    if owner != project.party and project.role != "coordinator":
        raise PermissionDenied(f"party {project.party} cannot import features owned by {owner}")
    key = import_update.key_column(layer, update_by) if update_by else None
    report = ImportReport(layer.code, Path(path).name, "", 0, update_by=key,
                          report_path=str(check_report_path(report_path)) if report_path else None)
    source = read_source(Path(path), encoding, report.warnings, reading, layer.geometry)
    report.warnings[:] = _useful(report.warnings)
    n = report.read = len(source.wkb)
    report.driver = source.driver
    yield Progress("read", n, n)
    yield Progress("check", 0, n)
    try:
        plan = _checked(project, layer, source, report, _Asked(
            crs, field_map or {}, constants or {}, make_valid, skip_invalid, key, owner))
    except ImportRefused as exc:
        report.refused = True
        if report_path:
            write_report(report, report_path)
        exc.report = report  # type: ignore[attr-defined]  # the desktop shows the full list from it
        raise
    yield Progress("check", n, n)
    yield from _write(project, layer, owner, plan, report)
    if report_path:
        write_report(report, report_path)
    log.info("imported %d of %d rows of %s into %s", report.imported, n, source.path, layer.code)
    return report


# GDAL's per-row geometry warnings (with the whole WKT): each bad row says what it is instead.
ROW_NOISE = ("Ignoring invalid WKT", "Non closed ring detected")


def _useful(notes: list[str]) -> list[str]:
    return [n if len(n) <= 300 else f"{n[:297]}…" for n in notes if not n.startswith(ROW_NOISE)]


def import_file(project: Project, layer_code: str, path: str | Path, **kwargs) -> ImportReport:
    """Import a file into a layer (see `import_steps`) and return the report."""
    return drive(import_steps(project, layer_code, path, **kwargs))


@dataclass(frozen=True)
class _Asked:
    """What the user asked of an import beyond the file and the layer."""

    crs: str | None
    field_map: dict[str, str]  # source column -> layer field
    constants: dict[str, str]  # layer field -> value for every row
    make_valid: bool
    skip_invalid: bool
    key: str | None  # uuid or BSM: update the features rows match
    owner: str


def _checked(project: Project, layer: Layer, source: Source, report: ImportReport,
             asked: _Asked) -> _Plan:
    """The good rows, ready to write; the report says what happened to the rest."""
    src_crs = source_crs(source, asked.crs, report.warnings)
    report.crs = crs_label(src_crs)
    mapping, report.unmapped, report.matched = _mapping(layer, source.names, asked.field_map)
    report.constants = _constants(layer, asked.constants, mapping, report.warnings)
    columns, geoms, problems = _check(project, layer, source, mapping, report.constants, src_crs,
                                      report.warnings)
    fids = _fids(source)
    repaired = _repair(layer, geoms, problems) if asked.make_valid else []
    report.repaired = [_plain(fids[row]) for row in repaired]
    targets, key = None, asked.key
    if key:
        keys = _keys(layer, source, columns, key)
        targets, found = import_update.match_rows(project, layer, key, keys, fids, asked.owner)
        for row, more in found.items():
            problems[row].extend(more)
        report.unmapped = [n for n in report.unmapped if n.strip().lower() != key.lower()]
    else:
        report.warnings += _known_uuids(project, layer, source)
    report.skipped = _row_problems(fids, _bsm(source, mapping, columns), problems)
    good = np.setdiff1d(np.arange(len(geoms)), [r.index for r in report.skipped])
    if report.skipped and (not asked.skip_invalid or len(good) == 0):
        raise _refusal(report, len(geoms), asked.skip_invalid)
    columns = {name: np.asarray(values, dtype=object)[good] for name, values in columns.items()}
    present = [f.name for f in layer.fields
               if (f.name in mapping or f.name in report.constants) and not f.derived]
    return _Plan({**columns, **_derived(layer, geoms[good])}, geoms[good],
                 None if targets is None else [targets[i] for i in good], present)


# ---------------------------------------------------------------- fields

def _mapping(layer: Layer, names: list[str], field_map: dict[str, str]
             ) -> tuple[dict[str, int], list[str], list[tuple[str, str, str]]]:
    """Layer field -> source column (field_map first, then names, then the catalogue's labels),
    the source columns mapped nowhere, and the matches a user would not expect (column, field,
    how)."""
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
        mapping[target] = found[0]
    matched = []
    # Names first, so a file with both BSM and 标识码 columns takes BSM.
    for how in ("name", "Chinese label", "English label"):
        for i, name in enumerate(names):
            target = next((f.name for f in layer.fields if _matches(f, name, how)), None)
            if target and target not in mapping and i not in mapping.values():
                mapping[target] = i
                if name != target:
                    matched.append((name, target, "name ignoring case" if how == "name" else how))
    return mapping, [name for i, name in enumerate(names) if i not in mapping.values()], matched


_SPACES = re.compile(r"[\s_]+")


def _label_key(text: str) -> str:
    """A label compared loosely: no spaces or underscores, full-width brackets as ASCII, any case."""
    return _SPACES.sub("", text).replace("（", "(").replace("）", ")").casefold()


def _matches(field: Field, name: str, how: str) -> bool:
    if how == "name":
        return field.name.upper() == name.strip().upper()
    label = field.label_zh if how == "Chinese label" else field.label_en
    return bool(label) and _label_key(label) == _label_key(name)


def _constants(layer: Layer, constants: dict[str, str], mapping: dict[str, int],
               notes: list[str]) -> dict[str, str]:
    """`--set` fields by their catalogue names; a mapped column they replace is noted."""
    out = {}
    for name, value in constants.items():
        field = next((f for f in layer.fields if f.name.upper() == name.strip().upper()), None)
        if field is None:
            raise InvalidInput(f"--set {name}={value}: layer {layer.code} has no field {name!r} "
                               f"(its fields: {', '.join(layer.field_names)})")
        if field.derived:
            raise InvalidInput(f"--set {name}={value}: {field.name} is computed from the geometry")
        if field.name in mapping:
            notes.append(f"--set {field.name}={value} replaces the file's column for {field.name}")
            del mapping[field.name]
        out[field.name] = value
    return out


# ---------------------------------------------------------------- checks

def _check(project: Project, layer: Layer, source: Source, mapping: dict[str, int],
           constants: dict[str, str], src_crs: pyproj.CRS, notes: list[str]):
    """Coerced attribute columns, geometries in EPSG:4490 and every row's problems."""
    derived = [f.name for f in layer.fields if f.derived and f.name in mapping]
    if derived:
        notes.append(f"{', '.join(derived)} computed from the geometry (geodesic); "
                     "the file's values were not used")
    n = len(source.wkb)
    columns = {name: source.columns[i].tolist() for name, i in mapping.items() if name not in derived}
    columns.update({name: [value] * n for name, value in constants.items()})
    columns, problems = prepare_columns(layer, project.catalogue, columns, n)
    # NaN coordinates are data to report (validation: "not-finite"), not numpy warnings.
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        read = shapely.from_wkb(source.wkb, on_invalid="ignore")
        geoms = to_storage(read, src_crs)
        # A 1e308 placeholder reprojects to infinity: check it as the file has it.
        impossible = np.abs(shapely.bounds(read)).max(axis=1) >= IMPOSSIBLE
        geoms[impossible] = read[impossible]
    for row, found in check_geometries(layer, geoms, _unreadable(source, read)).items():
        problems[row].extend(found)
    return columns, geoms, problems


def _unreadable(source: Source, read: np.ndarray) -> dict[int, Problem]:
    """Why rows without a geometry have none: WKB GEOS refuses, or a CSV's geometry text."""
    missing = shapely.is_missing(read)
    has_wkb = ~np.equal(source.wkb, None)  # type: ignore[call-overload]  # numpy compares with None elementwise
    out = {int(r): wkb_problem(source.wkb[r]) for r in np.flatnonzero(missing & has_wkb)}
    no_wkb = np.flatnonzero(missing & ~has_wkb)
    if source.driver == CSV and len(no_wkb) and not source.options.x:  # --x/--y: read there
        out.update(_csv_geometry_problems(source, no_wkb))
    return out


def _csv_geometry_problems(source: Source, rows: np.ndarray) -> dict[int, Problem]:
    """The geometry cells of CSV rows GDAL gave no geometry, read again as text."""
    data = source.path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030", errors="replace")  # only ASCII cells are looked at
    records = list(csv.reader(textio.StringIO(text, newline="")))
    if not records:
        return {}
    header = [h.strip().casefold() for h in records[0]]

    def columns(option: str) -> list[int]:
        wanted = GUESSED[option].casefold().split(",")
        return [header.index(w) for w in wanted if w in header][:1]
    wkt, x, y = columns("GEOM_POSSIBLE_NAMES"), columns("X_POSSIBLE_NAMES"), columns("Y_POSSIBLE_NAMES")
    fids = source.fids if source.fids is not None else np.arange(1, len(source.wkb) + 1)
    out = {}
    for row in rows:
        record = records[int(fids[row])] if int(fids[row]) < len(records) else []
        record = record + [""] * (len(header) - len(record))
        if wkt:
            out[int(row)] = geometry_text_problem(record[wkt[0]], records[0][wkt[0]])
        elif x and y:
            out[int(row)] = coordinate_text_problem({records[0][x[0]]: record[x[0]],
                                                     records[0][y[0]]: record[y[0]]})
    return out


def _repair(layer: Layer, geoms: np.ndarray, problems) -> list[int]:
    """Repair rows whose only geometry problem is fixable; returns their indexes."""
    rows = [r for r, found in problems.items() if any(p.fixable for p in found)
            and all(p.fixable for p in found if p.field is None)]
    for row in rows:
        geoms[row] = repair(layer, geoms[row])
    rechecked = check_geometries(layer, geoms[rows]) if rows else {}
    for i, row in enumerate(rows):
        problems[row] = [p for p in problems[row] if p.field is not None] + rechecked.get(i, [])
    return [row for i, row in enumerate(rows) if i not in rechecked]


# ---------------------------------------------------------------- rows as QGIS shows them

def _fids(source: Source) -> np.ndarray:
    """Each row's FID as QGIS shows it: GDAL's (a GeoPackage's fid; Shapefile from 0), but from
    0 for CSV, where GDAL counts data lines from 1."""
    if source.fids is None:
        return np.arange(len(source.wkb))
    return source.fids - 1 if source.driver == CSV else source.fids


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


def _bsm(source: Source, mapping: dict[str, int], columns: dict[str, list]) -> list | None:
    """Each row's BSM as text when the file has one (the coerced value, else the raw one)."""
    if "BSM" not in mapping:
        return None
    raw = source.columns[mapping["BSM"]].tolist()
    return [c if c is not None else (None if r is None or r == "" else str(r))
            for c, r in zip(columns["BSM"], raw, strict=True)]


def _keys(layer: Layer, source: Source, columns: dict[str, list], key: str) -> list:
    """The update key of each row: the coerced BSM, or the file's uuid column."""
    if key == "BSM":
        return list(columns["BSM"])
    found = next((i for i, n in enumerate(source.names) if n.strip().lower() == "uuid"), None)
    if found is None:
        raise InvalidInput(f"--update-by uuid: {source.path.name} has no uuid column (files "
                           "exported from CoPlan have one); use --update-by BSM")
    return [None if v is None or str(v).strip() == "" else str(v).strip()
            for v in source.columns[found].tolist()]


def _known_uuids(project: Project, layer: Layer, source: Source) -> list[str]:
    """A warning when rows carry the uuids of features already in the layer (a re-imported
    export): a plain import adds copies of them."""
    found = next((i for i, n in enumerate(source.names) if n.strip().lower() == "uuid"), None)
    if found is None:
        return []
    given = {str(v).strip() for v in source.columns[found].tolist() if v is not None}
    known = sum(1 for (uuid,) in project.db.execute(f"SELECT uuid FROM {ident(layer.code)}")
                if uuid in given)
    if not known:
        return []
    return [f"{known} row(s) carry the uuid of a feature already in {layer.code}: they were "
            "added as copies; --update-by uuid updates the features instead"]


def _row_problems(fids: np.ndarray, bsm: list | None, problems) -> list[RowProblem]:
    return [RowProblem(row, _plain(fids[row]), None if bsm is None else bsm[row], tuple(found))
            for row, found in sorted(problems.items()) if found]


def refusal_text(report: ImportReport, n: int, skip_invalid: bool, lang: str = "en") -> str:
    """The one-line refusal: counts, the first rows, and where every row is listed."""
    bad = report.skipped
    join = "；" if lang == "zh" else "; "
    parts = [say(lang, "{}: {} of {} row(s) are bad, nothing was imported", report.source,
                 len(bad), n) + ("：" if lang == "zh" else ": ") + join.join(r.text(lang) for r in bad[:SHOWN])]
    if len(bad) > SHOWN:
        parts.append(say(lang, "... and {} more", len(bad) - SHOWN))
    fixable = sum(any(p.fixable for p in r.problems) for r in bad)
    if fixable:
        parts.append(say(lang, "--make-valid can repair the {} invalid geometry(ies)", fixable))
    if not skip_invalid:
        parts.append(say(lang, "--skip-invalid imports the good rows"))
    parts.append(say(lang, "every bad row is listed in {}", report.report_path) if report.report_path
                 else say(lang, "--report FILE.csv lists every bad row"))
    return join.join(parts)


def _refusal(report: ImportReport, n: int, skip_invalid: bool) -> ImportRefused:
    return ImportRefused(refusal_text(report, n, skip_invalid), problems=report.skipped)


# ---------------------------------------------------------------- writing

def _derived(layer: Layer, geoms: np.ndarray) -> dict[str, list[float]]:
    """Derived fields from the geometry, rounded as `features.derive` rounds them."""
    measures = {"area_m2": geodesy.areas_m2, "length_m": geodesy.lengths_m}
    return {f.name: [round(v, 2) for v in measures[f.derived](geoms).tolist()]
            for f in layer.fields if f.derived}


def _write(project: Project, layer: Layer, owner: str, plan: _Plan,
           report: ImportReport) -> Iterator[Progress]:
    """Insert new rows and update matched features, all in one transaction."""
    rows = range(len(plan.geoms))
    if plan.targets is None:  # a plain import: every row is new
        yield from _insert(project, layer, owner, plan.columns, shapely.to_wkb(plan.geoms))
        report.inserted = report.imported = len(plan.geoms)
        return
    new = [i for i in rows if plan.targets[i] is None]
    old = [i for i in rows if plan.targets[i] is not None]
    with project.db.atomic():
        yield from _insert(project, layer, owner, _take(plan.columns, new),
                           shapely.to_wkb(plan.geoms[new]))
        report.inserted = len(new)
        derived = {f.name: [plan.columns[f.name][i] for i in old] for f in layer.fields if f.derived}
        steps = import_update.write_updates(
            project, layer, [plan.targets[i] for i in old], _take(  # type: ignore[misc]  # old: rows with a target
                {k: plan.columns[k] for k in plan.present}, old), plan.geoms[old], derived)
        for step in steps:
            if isinstance(step, Progress):
                yield step
            else:
                report.updated, report.unchanged = step
    report.imported = report.inserted + report.updated
    report.left_alone = project.count(layer.code) - report.inserted - len(old)


def _take(columns: dict[str, list], rows: list[int]) -> dict[str, np.ndarray]:
    return {name: np.asarray(values, dtype=object)[rows] for name, values in columns.items()}


def _insert(project: Project, layer: Layer, owner: str, columns: dict[str, Any],
            wkb: np.ndarray) -> Iterator[Progress]:
    """Insert the rows in one transaction, reporting progress every BATCH rows."""
    names = ["uuid", "owner", "created_by", "created_at", "modified_by", "modified_at", *columns]
    sql = (f"INSERT INTO {ident(layer.code)} ({idents(names)}, geom) "
           f"VALUES ({', '.join('?' * len(names))}, {geometry_param(layer)})")
    author, now, total = project.author, utc_now(), len(wkb)
    if not total:
        return
    with project.db.atomic(), bulk_insert(project.db, layer):
        # A caller abandoning the generator rolls the whole import back, triggers included.
        for start in range(0, total, BATCH):
            chunk = [values[start:start + BATCH] for values in (*columns.values(), wkb)]
            ids = uuid7_many(len(chunk[-1]))
            project.db.conn.executemany(sql, ((uid, owner, author, now, author, now, *row)
                                              for uid, *row in zip(ids, *chunk, strict=True)))
            yield Progress("write", min(start + BATCH, total), total)
