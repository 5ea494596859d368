"""The project file stays right whatever writes to it: CoPlan, QGIS, ogr2ogr or plain SQL.

Derived fields. Areas and lengths (catalogue fields with `derived`) follow the geometry. CoPlan
writes exact geodesic values itself (app/model/geodesy.py, pyproj's Karney algorithm) with the
triggers quiet (`exact_derived`). Any other writer that has SpatiaLite loaded fires the layer's
derive triggers: they compute the values with SpatiaLite (ST_Area(geom, 1), rttopo's ellipsoidal
area; GeodesicLength, the same geodesics as pyproj) and queue the feature in coplan_rederive.
SpatiaLite 5.0's area differs from the geodesic one by ~2e-7 of the area (0.64 m² on 3.5 km²,
1.4 km² on a 126,000 km² polygon): close, never stale, but not the official value, so CoPlan
replaces queued values with exact ones when it next opens, audits or commits the file. A writer
without SpatiaLite cannot write geometry at all (SpatiaLite's own constraint triggers call its
functions) nor type into a derived field; its other edits are captured as usual.

Defaults. uuid and owner are NOT NULL ON CONFLICT REPLACE with a DEFAULT (a random UUID; the
project's party), and a stamp trigger fills created_*/modified_*, so a tool that knows nothing
of CoPlan can insert features (an omitted or NULL value takes the default).

Repair. A tool may drop a layer's triggers or recreate its table (ogr2ogr -overwrite, QGIS
"overwrite layer"): `repair` rebuilds the table in CoPlan's layout from what the tool wrote,
reinstalls the triggers and marks the difference against the base as pending changes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import shapely
import sqlite_utils

from app.model import geodesy
from app.model.catalogue import GEOMETRY_COLUMN, Catalogue, Field, Layer
from app.model.validation import Problem
from app.project import tracking
from app.project.db import DatabaseError
from app.project.sql import ident

if TYPE_CHECKING:
    from app.project.project import Project

log = logging.getLogger(__name__)

OUTSIDE_AUTHOR = "external"  # created_by / modified_by of features another tool inserted
NOW_SQL = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"  # as app.model.feature.utc_now writes it
UUID_SQL = ("lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || "
            "substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || "
            "substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))")  # a UUID v4
UUID_GLOB = "-".join("[0-9a-f]" * n for n in (8, 4, 4, 4, 12))
MEASURE_SQL = {"area_m2": "round(ST_Area({g}, 1), 2)", "length_m": "round(GeodesicLength({g}), 2)"}
MEASURES = {"area_m2": geodesy.areas_m2, "length_m": geodesy.lengths_m}
UNITS = {"area_m2": "m²", "length_m": "m"}
SPATIALITE_TRIGGERS = ("ggi", "ggu", "gii", "giu", "gid")
CHUNK = 20_000  # features measured at once when re-deriving a whole layer
_OLD_SYSTEM = "uuid TEXT NOT NULL UNIQUE, owner TEXT NOT NULL,"  # files made before 0006


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def system_definitions(party: str | None) -> list[str]:
    """The system columns of a layer table; with `party`, uuid and owner have defaults."""
    if party is None:
        return ["fid INTEGER PRIMARY KEY", *_OLD_SYSTEM.rstrip(",").split(", "), "created_by TEXT",
                "created_at TEXT", "modified_by TEXT", "modified_at TEXT"]
    return ["fid INTEGER PRIMARY KEY", *_system_defaults(party).rstrip(",").split(", ", 1),
            "created_by TEXT", "created_at TEXT", "modified_by TEXT", "modified_at TEXT"]


def _system_defaults(party: str) -> str:
    return (f"uuid TEXT NOT NULL ON CONFLICT REPLACE DEFAULT ({UUID_SQL}) UNIQUE, "
            f"owner TEXT NOT NULL ON CONFLICT REPLACE DEFAULT {_literal(party)},")


def party_of(db: sqlite_utils.Database) -> str | None:
    """The project's party, or None in a database that is not (yet) a project."""
    if "coplan_meta" not in db.table_names():
        return None
    row = db.execute("SELECT value FROM coplan_meta WHERE key = 'party'").fetchone()
    return row[0] if row else None


# --- triggers -------------------------------------------------------------------------------

def derived_fields(layer: Layer) -> list[Field]:
    return [f for f in layer.fields if f.derived]


def insert_triggers(layer: Layer) -> list[str]:
    """This module's triggers that fire on insert (a bulk insert does their work at once)."""
    names = [f"coplan_stamp_{layer.code}", f"coplan_unchecked_{layer.code}_insert"]
    return names + ([f"coplan_derive_{layer.code}_insert"] if derived_fields(layer) else [])


def trigger_names(layer: Layer) -> list[str]:
    """Every trigger this module installs on `layer`."""
    extra = [f"coplan_derive_{layer.code}_update"] if derived_fields(layer) else []
    return [*insert_triggers(layer), f"coplan_unchecked_{layer.code}_update",
            f"coplan_unchecked_{layer.code}_delete", *extra]


def install_all(db: sqlite_utils.Database, layer: Layer) -> None:
    """(Re)create this module's triggers, then the capture triggers.

    SQLite fires the triggers of one event newest first, and the capture triggers must see a
    feature before the updates these triggers make to it (capture keeps the committed state on
    the first touch): so capture is always installed last."""
    install(db, layer)
    tracking.install_capture(db, layer)


def install(db: sqlite_utils.Database, layer: Layer) -> None:
    """(Re)create the stamp and derive triggers of `layer` (then reinstall capture after them)."""
    for name in trigger_names(layer):
        db.execute(f"DROP TRIGGER IF EXISTS {ident(name)}")
    for sql in _trigger_sql(layer):
        db.execute(sql)


def _trigger_sql(layer: Layer) -> list[str]:
    table, code = ident(layer.table_name), layer.code
    capture = "(SELECT capture FROM coplan_state WHERE id = 1)"
    stamp = (f"CREATE TRIGGER {ident(f'coplan_stamp_{code}')} AFTER INSERT ON {table} "
             f"WHEN {capture} AND (NEW.created_by IS NULL OR NEW.created_at IS NULL "
             "OR NEW.modified_by IS NULL OR NEW.modified_at IS NULL) "
             f"BEGIN UPDATE {table} SET created_by = coalesce(created_by, '{OUTSIDE_AUTHOR}'), "
             f"created_at = coalesce(created_at, {NOW_SQL}), "
             f"modified_by = coalesce(modified_by, created_by, '{OUTSIDE_AUTHOR}'), "
             f"modified_at = coalesce(modified_at, created_at, {NOW_SQL}) WHERE fid = NEW.fid; END")
    when = "(SELECT capture AND derive FROM coplan_state WHERE id = 1)"
    # What CoPlan did not write itself (derive stays 1 for every other writer) is checked again
    # by the next commit.
    unchecked = [f"CREATE TRIGGER {ident(f'coplan_unchecked_{code}_{event.lower()}')} AFTER "
                 f"{event} ON {table} WHEN {when} BEGIN INSERT OR IGNORE INTO coplan_unchecked "
                 f"(layer, fid) VALUES ({_literal(code)}, {key}.fid); END"
                 for event, key in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD"))]
    fields = derived_fields(layer)
    if not fields:
        return [stamp, *unchecked]
    sets = ", ".join(f"{ident(f.name)} = {MEASURE_SQL[f.derived].format(g=GEOMETRY_COLUMN)}"  # type: ignore[index]  # derived_fields: derived is set
                     for f in fields)
    body = (f"BEGIN INSERT OR IGNORE INTO coplan_rederive (layer, fid) VALUES ({_literal(code)}, "
            f"NEW.fid); UPDATE {table} SET {sets} WHERE fid = NEW.fid; END")
    watched = ", ".join(ident(c) for c in (GEOMETRY_COLUMN, *(f.name for f in fields)))
    # A derived value typed in is put back; the trigger's own update of a queued row is not
    # seen again (its geometry is unchanged).
    queued = (f"EXISTS (SELECT 1 FROM coplan_rederive WHERE layer = {_literal(code)} "
              "AND fid = NEW.fid)")
    return [stamp, *unchecked,
            f"CREATE TRIGGER {ident(f'coplan_derive_{code}_insert')} AFTER INSERT ON {table} "
            f"WHEN {when} {body}",
            f"CREATE TRIGGER {ident(f'coplan_derive_{code}_update')} AFTER UPDATE OF {watched} "
            f"ON {table} WHEN {when} AND (NEW.geom IS NOT OLD.geom OR NOT {queued}) {body}"]


@contextmanager
def exact_derived(db: sqlite_utils.Database) -> Iterator[None]:
    """Within a transaction: CoPlan writes exact derived values itself; the triggers stay quiet."""
    if not db.conn.in_transaction:
        raise RuntimeError("derived fields can only be written inside a transaction")
    db.execute("UPDATE coplan_state SET derive = 0 WHERE id = 1")
    try:
        yield
    finally:
        db.execute("UPDATE coplan_state SET derive = 1 WHERE id = 1")


def fill_batch(db: sqlite_utils.Database, layer: Layer, first: int) -> None:
    """What the insert triggers do, for every row above key `first` at once (a bulk insert)."""
    table = ident(layer.table_name)
    capture = "(SELECT capture FROM coplan_state WHERE id = 1)"
    db.execute(f"UPDATE {table} SET created_by = coalesce(created_by, '{OUTSIDE_AUTHOR}'), "
               f"created_at = coalesce(created_at, {NOW_SQL}), "
               f"modified_by = coalesce(modified_by, created_by, '{OUTSIDE_AUTHOR}'), "
               f"modified_at = coalesce(modified_at, created_at, {NOW_SQL}) WHERE fid > ? AND "
               f"{capture} AND (created_by IS NULL OR created_at IS NULL OR modified_by IS NULL "
               "OR modified_at IS NULL)", (first,))
    fields = derived_fields(layer)
    if not fields:
        return
    # Remote rows (capture off) keep the values they came with, even NULL.
    missing = f"fid > ? AND {capture} AND ({' OR '.join(f'{ident(f.name)} IS NULL' for f in fields)})"
    db.execute(f"INSERT OR IGNORE INTO coplan_rederive (layer, fid) SELECT ?, fid FROM {table} "
               f"WHERE {missing}", (layer.code, first))
    sets = ", ".join(f"{ident(f.name)} = {MEASURE_SQL[f.derived].format(g=GEOMETRY_COLUMN)}"  # type: ignore[index]  # derived_fields: derived is set
                     for f in fields)
    db.execute(f"UPDATE {table} SET {sets} WHERE {missing}", (first,))


# --- exact values ---------------------------------------------------------------------------

def measure(layer: Layer, geoms: np.ndarray) -> dict[str, list[float | None]]:
    """Derived field -> exact value of each geometry (None where there is no geometry), rounded
    as `features.derive` rounds them."""
    geoms = np.asarray(geoms, dtype=object)
    present = np.array([g is not None for g in geoms], dtype=bool)
    out = {}
    for f in derived_fields(layer):
        values = MEASURES[f.derived](np.where(present, geoms, shapely.Point()))  # type: ignore[index]  # derived_fields: derived is set
        out[f.name] = [round(v, 2) if ok else None for v, ok in zip(values.tolist(), present, strict=True)]
    return out


def _differs(stored: object, computed: float | None, tolerance: float = 1e-6) -> bool:
    if computed is None:
        return False
    return not isinstance(stored, (int, float)) or abs(stored - computed) > tolerance


def rederive(db: sqlite_utils.Database, layer: Layer, where: str = "1", params: tuple = ()) -> int:
    """Give the features `where` selects their exact derived values (inside a transaction);
    returns how many changed. Whole layers are read in chunks of CHUNK features."""
    fields = derived_fields(layer)
    if not fields or not layer.spatial:
        return 0
    table, names = ident(layer.table_name), [f.name for f in fields]
    sql = (f"SELECT fid, {', '.join(ident(n) for n in names)}, AsBinary(geom) FROM {table} "
           f"WHERE ({where}) AND fid > ? ORDER BY fid LIMIT {CHUNK}")
    update = (f"UPDATE {table} SET {', '.join(f'{ident(n)} = ?' for n in names)} WHERE fid = ?")
    changed, last = 0, -(2**63)
    with exact_derived(db):
        while rows := db.execute(sql, (*params, last)).fetchall():
            last = rows[-1][0]
            exact = measure(layer, shapely.from_wkb([r[-1] for r in rows]))
            fixes = [(*(exact[n][i] for n in names), row[0]) for i, row in enumerate(rows)
                     if any(_differs(row[1 + j], exact[n][i]) for j, n in enumerate(names))]
            db.conn.executemany(update, fixes)
            changed += len(fixes)
    return changed


def process_queue(db: sqlite_utils.Database, layers: list[Layer]) -> int:
    """Exact values for the features the triggers measured with SpatiaLite; returns how many
    changed (inside a transaction)."""
    queued = {code for (code,) in db.execute("SELECT DISTINCT layer FROM coplan_rederive")}
    if not queued:
        return 0
    changed = sum(rederive(db, layer, "fid IN (SELECT fid FROM coplan_rederive WHERE layer = ?)",
                           (layer.code,)) for layer in layers if layer.code in queued)
    db.execute("DELETE FROM coplan_rederive")
    return changed


def stale_derived(layer: Layer, values: dict[str, list], geoms: np.ndarray) -> dict[int, list[Problem]]:
    """Row -> a problem for each derived value that is not what its geometry measures."""
    exact = measure(layer, geoms)
    found: dict[int, list[Problem]] = {}
    for f in derived_fields(layer):
        for row, (stored, computed) in enumerate(zip(values[f.name], exact[f.name], strict=True)):
            # One unit of the rounding apart is the same value: two exact sums may round a
            # half apart.
            if computed is not None and _differs(stored, computed, 0.011):
                found.setdefault(row, []).append(_stale(f, stored, computed))
    return found


def _stale(f: Field, stored: object, computed: float) -> Problem:
    unit, shown = UNITS[f.derived], "empty" if stored is None else f"{stored:,.2f}"  # type: ignore[index]  # derived_fields: derived is set
    kind, kind_zh = ("area", "面积") if f.derived == "area_m2" else ("length", "长度")
    return Problem("derived-stale",
                   f"{f.name} is {shown} but the geometry's geodesic {kind} is {computed:,.2f} "
                   f"{unit} (coplan audit recomputes it)",
                   f"{f.name} 为 {'空' if stored is None else f'{stored:,.2f}'}，但几何的椭球{kind_zh}"
                   f"为 {computed:,.2f} {unit}（coplan audit 可重新计算）", f.name, fixable=True)


# --- health and repair ----------------------------------------------------------------------

@dataclass
class AuditReport:
    """What `repair` found and did; `marked` features became pending changes."""

    found: list[str] = field(default_factory=list)  # one line per problem, English
    done: list[str] = field(default_factory=list)
    marked: int = 0  # features that differed from their base unmarked
    rederived: int = 0  # features whose derived values were corrected
    rebuilt: list[str] = field(default_factory=list)  # layer codes whose table was rebuilt


def _triggers(db: sqlite_utils.Database) -> set[str]:
    return {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}


@dataclass(frozen=True)
class Schema:
    """What the file's schema says of its tables, read in three queries (not three a layer)."""

    columns: dict[str, dict[str, str]]  # table (lower case, as SQLite compares names) -> column -> type
    sql: dict[str, str]  # table (lower case) -> its CREATE statement
    geometry: set[str]  # tables (lower case) with a registered EPSG:4490 geometry column


def schema(db: sqlite_utils.Database) -> Schema:
    columns: dict[str, dict[str, str]] = {}
    for table, name, kind in db.execute(
            "SELECT m.name, p.name, p.type FROM sqlite_master m, pragma_table_info(m.name) p "
            "WHERE m.type = 'table'"):
        columns.setdefault(table.lower(), {})[name] = (kind or "").upper()
    sql = {name.lower(): text or "" for name, text in db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table'")}
    geometry = {name.lower() for (name,) in db.execute(
        "SELECT f_table_name FROM geometry_columns WHERE f_geometry_column = ? AND srid = 4490",
        (GEOMETRY_COLUMN,))}
    return Schema(columns, sql, geometry)


def table_state(db: sqlite_utils.Database, layer: Layer, triggers: set[str],
                found: Schema | None = None) -> str:
    """ok | old (made before defaults existed) | foreign (not CoPlan's layout) | missing."""
    from app.project.layers import SPATIALITE_TYPES, SQL_TYPES
    found = found or schema(db)
    have = found.columns.get(layer.table_name.lower())
    if not have:
        return "missing"
    want = {"fid": "INTEGER", "uuid": "TEXT", "owner": "TEXT", "created_by": "TEXT",
            "created_at": "TEXT", "modified_by": "TEXT", "modified_at": "TEXT",
            **{f.name: SQL_TYPES[f.type] for f in layer.fields}}
    if layer.spatial:
        want[GEOMETRY_COLUMN] = SPATIALITE_TYPES[layer.geometry]
    registered = not layer.spatial or layer.table_name.lower() in found.geometry
    spatial = not layer.spatial or all(
        f"{k}_{layer.table_name}_{GEOMETRY_COLUMN}" in triggers for k in SPATIALITE_TRIGGERS)
    # Fields a newer catalogue added are missing from an older file: upgrade.py adds them.
    fields = {n: t for n, t in want.items() if n in have or n.upper() != n}
    if have != fields or not registered or not spatial:
        return "foreign"
    sql = found.sql.get(layer.table_name.lower())
    return "old" if sql is None or "ON CONFLICT REPLACE" not in sql else "ok"


def add_defaults(db: sqlite_utils.Database, layer: Layer, party: str) -> bool:
    """Give uuid and owner of a table made before 0006 their defaults, in place.

    Defaults and conflict clauses do not change how rows are stored, so SQLite allows editing
    the CREATE statement (https://sqlite.org/lang_altertable.html, "writable_schema"): no
    rebuild of a big table, SpatiaLite's metadata and index untouched. False if the statement
    is not the expected one."""
    sql = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                     (layer.table_name,)).fetchone()[0]
    if _OLD_SYSTEM not in sql:
        return False
    version = db.execute("PRAGMA schema_version").fetchone()[0]
    db.execute("PRAGMA writable_schema = ON")
    try:
        db.execute("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
                   (sql.replace(_OLD_SYSTEM, _system_defaults(party), 1), layer.table_name))
        db.execute(f"PRAGMA schema_version = {version + 1}")
    finally:
        db.execute("PRAGMA writable_schema = OFF")
    return True


def rebuild_overwritten(db: sqlite_utils.Database, catalogue: Catalogue,
                        read_only: str | None = None) -> AuditReport:
    """At open, before the catalogue upgrade: rebuild the layer tables other tools recreated
    or dropped (their capture is installed by `repair`, which then marks their changes)."""
    from app.project import rebuild

    report, party = AuditReport(), party_of(db)
    if schema_unchanged(db):
        return report
    present = {code for (code,) in db.execute("SELECT code FROM coplan_layers")}
    triggers, found = _triggers(db), schema(db)
    for layer in (lay for lay in catalogue.layers if lay.code in present):
        state = table_state(db, layer, triggers, found)
        if state not in ("missing", "foreign"):
            continue
        what = "is missing" if state == "missing" else "is not in CoPlan's layout (rewritten by another tool)"
        report.found.append(f"{layer.code}: the table {what}")
        if read_only:
            report.done.append(f"{layer.code}: not repaired, the project is read-only")
            continue
        try:
            with db.atomic():
                report.done.append(f"{layer.code}: {rebuild.rebuild(db, layer, party)}")  # type: ignore[arg-type]  # a project has its party
                report.rebuilt.append(layer.code)
        except DatabaseError as exc:
            report.done.append(f"{layer.code}: could not be rebuilt ({exc})")
    for line in report.found:
        log.warning("%s", line)
    return report


def repair(project: Project, report: AuditReport | None = None) -> AuditReport:
    """Put back what outside tools removed (tables, columns, triggers, defaults), mark what they
    changed as pending, and give queued features exact derived values. A layer it cannot fix
    is reported, never raised."""
    db, report = project.db, report or AuditReport()
    with db.atomic():
        # Tables and triggers only change with the schema: checked again only when another
        # program (or this one) changed it since the last repair on this connection.
        unchanged = _schema_version(db) == project._repaired_schema or schema_unchanged(db)
        triggers, whole = _triggers(db) if not unchanged else set(), True
        found = None if unchanged else schema(db)  # each layer's repair changes only its table
        for layer in () if unchanged else project.layers():
            try:
                with db.atomic():
                    _repair_layer(project, layer, triggers, report, found)
            except DatabaseError as exc:
                whole = False
                report.found.append(f"{layer.code}: could not be repaired ({exc})")
                log.warning("layer %s could not be repaired: %s", layer.code, exc)
        report.rederived += process_queue(db, project.layers())
        project._repaired_schema = _schema_version(db) if whole else None
        if whole and not unchanged:
            stamp_schema(db)
    return report


def stamp_schema(db: sqlite_utils.Database) -> int:
    """Record the file's schema as checked (CoPlan has just made or repaired it); returns it."""
    version = _schema_version(db)
    db.execute("INSERT OR REPLACE INTO coplan_meta (key, value) VALUES (?, ?)",
               (SCHEMA_CHECKED, str(version)))
    return version


def schema_unchanged(db: sqlite_utils.Database) -> bool:
    """True when no program changed the file's tables or triggers since the last full repair
    (SQLite counts every schema change in the file header)."""
    row = db.execute("SELECT value FROM coplan_meta WHERE key = ?", (SCHEMA_CHECKED,)).fetchone()
    return row is not None and row[0] == str(_schema_version(db))


SCHEMA_CHECKED = "schema_checked"  # coplan_meta: the schema version the last full repair left


def _data_version(db: sqlite_utils.Database) -> int:
    """Changes committed to the file by other connections, as this connection counts them."""
    return db.execute("PRAGMA data_version").fetchone()[0]


def _schema_version(db: sqlite_utils.Database) -> int:
    """SQLite's count of schema changes to the file (by any connection)."""
    return db.execute("PRAGMA schema_version").fetchone()[0]


def _repair_layer(project: Project, layer: Layer, triggers: set[str], report: AuditReport,
                  found: Schema | None = None) -> None:
    from app.project import rebuild

    db, code = project.db, layer.code
    marked = code in report.rebuilt
    state = table_state(db, layer, triggers, found)
    if state in ("missing", "foreign"):
        what = "is missing" if state == "missing" else "is not in CoPlan's layout (rewritten by another tool)"
        report.found.append(f"{code}: the table {what}")
        report.done.append(f"{code}: {rebuild.rebuild(db, layer, project.party)}")
        triggers, marked = _triggers(db), True
    elif state == "old" and add_defaults(db, layer, project.party):
        log.info("layer %s: uuid and owner now have defaults", code)
    if not set(tracking.capture_triggers(layer)) <= triggers:
        if not marked:
            report.found.append(f"{code}: change capture was switched off (triggers missing)")
            report.done.append(f"{code}: change capture reinstalled")
        marked = True
    if marked or not set(trigger_names(layer)) <= triggers:
        install_all(db, layer)
    if marked:
        report.marked += _mark(project.db, layer)


def _mark(db: sqlite_utils.Database, layer: Layer) -> int:
    """Mark the features that differ from their base; those get exact derived values and are
    checked by the next commit."""
    n = tracking.audit(db, layer)
    if n:
        dirty = f"SELECT fid FROM {ident(tracking.dirty_table(layer))}"
        rederive(db, layer, f"fid IN ({dirty})")
        mark_unchecked(db, layer, dirty)
    return n


def mark_unchecked(db: sqlite_utils.Database, layer: Layer, fids_sql: str) -> None:
    """The next commit checks the features `fids_sql` selects again."""
    db.execute(f"INSERT OR IGNORE INTO coplan_unchecked (layer, fid) SELECT ?, fid FROM ({fids_sql})",
               (layer.code,))


def audit(project: Project, *, recompute_all: bool = False) -> AuditReport:
    """Repair, then catch writes made with capture bypassed in every tracked table (they become
    pending changes). `recompute_all` also corrects every stale derived value in the file."""
    report = repair(project)
    opened = project.repairs or AuditReport()  # what opening the file already repaired
    report.found[:0], report.done[:0] = opened.found, opened.done
    report.marked += opened.marked
    project.repairs = None
    # Writes that bypass capture come from other programs (which bump the file's data version
    # for this connection) or from dropped triggers (a schema change): with neither since the
    # last audit on this connection, the whole-table comparison would find nothing.
    seen = (_schema_version(project.db), _data_version(project.db))
    quiet = seen == project._audited and not recompute_all
    with project.db.atomic():
        for layer in () if quiet else project.tracked_layers():
            n = _mark(project.db, layer) if layer.spatial else tracking.audit(project.db, layer)
            report.marked += n
            if n:
                report.found.append(f"{layer.code}: {n} feature(s) written with capture bypassed")
                report.done.append(f"{layer.code}: {n} feature(s) now pending")
        fixed = sum(rederive(project.db, layer) for layer in project.layers()) if recompute_all else 0
    project._audited = (_schema_version(project.db), _data_version(project.db))
    if fixed:
        report.found.append(f"{fixed} feature(s) had stale areas or lengths")
        report.done.append(f"recomputed the areas/lengths of {fixed} feature(s); now pending")
    report.rederived += fixed
    return report


def on_open(project: Project, rebuilt: AuditReport | None = None) -> AuditReport | None:
    """At open, after `rebuild_overwritten`: repair (a warning for each thing found) so no edit
    goes uncaptured; a read-only file is only checked. The report is kept as project.repairs."""
    if project.read_only:
        triggers, found = _triggers(project.db), schema(project.db)
        for layer in project.layers():
            if table_state(project.db, layer, triggers, found) in ("missing", "foreign") or not (
                    set(tracking.capture_triggers(layer)) <= triggers):
                log.warning("layer %s was changed by another tool; open the project writable "
                            "to repair it", layer.code)
        return None
    already = len(rebuilt.found) if rebuilt else 0
    report = repair(project, rebuilt)
    for line in report.found[already:]:
        log.warning("%s (repaired: see coplan audit)", line)
    project.repairs = report
    return report
