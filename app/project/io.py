"""Import of the formats planners use into a layer.

An import reads the whole file (`sources.read_source`), checks it column-wise
(`check_geometries`, `prepare_columns`) and writes it in one transaction: a refused file leaves
the project unchanged.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyproj
import shapely

from app.errors import ImportRefused, InvalidInput, PermissionDenied
from app.model import geodesy
from app.model.catalogue import Layer
from app.model.crs import crs_label, to_storage
from app.model.feature import utc_now
from app.model.ids import uuid7_many
from app.model.jobs import Progress, drive
from app.model.validation import Problem, check_geometries, prepare_columns
from app.project.features import repair
from app.project.layers import bulk_insert, geometry_param
from app.project.project import Project
from app.project.sources import Source, read_source, source_crs
from app.project.sql import ident, idents

log = logging.getLogger(__name__)

ID_COLUMNS = ("id", "fid", "uuid")  # a source's own feature id, shown with bad rows
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
    source = read_source(Path(path), encoding, report.warnings)
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


def _checked(project: Project, layer: Layer, source: Source, report: ImportReport,
             crs: str | None, field_map: dict[str, str], make_valid: bool, skip_invalid: bool):
    """The good rows' columns (derived fields computed) and WKB; the report says the rest."""
    src_crs = source_crs(source, crs, report.warnings)
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


def _check(project: Project, layer: Layer, source: Source, mapping: dict[str, int],
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


def _row_problems(source: Source, problems) -> list[RowProblem]:
    ids = next((v for n, v in zip(source.names, source.columns, strict=True)
                if n.lower() in ID_COLUMNS), None)
    fids = source.fids  # GDAL numbers features itself unless a GeoPackage or GeoJSON has ids
    if ids is None and fids is not None and (source.driver == "GPKG" or (
            source.driver == "GeoJSON" and not np.array_equal(fids, np.arange(len(fids))))):
        ids = fids
    return [RowProblem(row + 1, None if ids is None or ids[row] is None else str(ids[row]),
                       tuple(found)) for row, found in sorted(problems.items()) if found]


def _refusal(source: Source, bad: list[RowProblem], n: int) -> ImportRefused:
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
