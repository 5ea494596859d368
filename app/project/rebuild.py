"""Rebuild a layer table another tool recreated (ogr2ogr -overwrite, QGIS "overwrite layer").

Such a table has the tool's column names and types (often lower-cased), no defaults, no change
capture, maybe another geometry column name or CRS, and maybe no uuid/owner at all. It is
renamed aside, a table in CoPlan's layout takes its place and the rows are copied across:
features keep their uuid and key where the base knows the uuid, stamps come from the tool's
columns or else the base, new features get a fresh uuid and the party as owner. Rows whose
geometry cannot be stored in the layer are left out and their table kept for inspection.
The caller marks the difference against the base as pending changes.
"""

from __future__ import annotations

import sqlite_utils

from app.model.catalogue import GEOMETRY_COLUMN, Layer
from app.project import tracking
from app.project.integrity import UUID_GLOB, UUID_SQL, fill_batch, mark_unchecked
from app.project.sql import ident

MAP = "coplan_rebuild_map"


def _aside(layer: Layer) -> str:
    return f"coplan_outside_{layer.code}"


def rebuild(db: sqlite_utils.Database, layer: Layer, party: str) -> str:
    """Put `layer`'s table back in CoPlan's layout (inside a transaction); says what it did."""
    from app.project.layers import create_table

    if not _exists(db, layer.table_name):
        # What a bare DROP TABLE leaves behind would stop the table being registered again.
        db.execute(f"DROP TABLE IF EXISTS {ident(f'idx_{layer.table_name}_{GEOMETRY_COLUMN}')}")
        db.execute("DELETE FROM geometry_columns WHERE lower(f_table_name) = lower(?)",
                   (layer.table_name,))
        create_table(db, layer)
        return "an empty table was recreated; the features of the last commit are pending deletes"
    aside = _aside(layer)
    db.execute(f"DROP TABLE IF EXISTS {ident(aside)}")  # kept from an earlier repair
    geometry = _set_aside(db, layer, aside)
    create_table(db, layer)
    copied, left = _copy(db, layer, aside, geometry, party)
    if left:
        return (f"rebuilt with {copied} feature(s); {left} row(s) without a usable geometry were "
                f"left out (kept in table {aside})")
    db.execute(f"DROP TABLE {ident(aside)}")
    return f"rebuilt in CoPlan's layout with {copied} feature(s)"


def _exists(db: sqlite_utils.Database, table: str) -> bool:
    return bool(db.execute(f"PRAGMA table_info({ident(table)})").fetchall())


def _set_aside(db: sqlite_utils.Database, layer: Layer, aside: str) -> tuple[str, int] | None:
    """Unregister the tool's table from SpatiaLite and rename it; its (geometry column, SRID)."""
    name = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND lower(name) = "
                      "lower(?)", (layer.table_name,)).fetchone()[0]
    found = db.execute("SELECT f_geometry_column, srid FROM geometry_columns WHERE "
                       "lower(f_table_name) = lower(?)", (name,)).fetchone()
    if found:
        db.execute("SELECT DisableSpatialIndex(?, ?)", (name, found[0]))
        db.execute(f"DROP TABLE IF EXISTS {ident(f'idx_{name}_{found[0]}')}")
        db.execute("SELECT DiscardGeometryColumn(?, ?)", (name, found[0]))
        db.execute("DELETE FROM geometry_columns WHERE lower(f_table_name) = lower(?)", (name,))
    for (trigger,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND "
                                 "lower(tbl_name) = lower(?)", (name,)).fetchall():
        db.execute(f"DROP TRIGGER {ident(trigger)}")
    for (index,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND "
                               "lower(tbl_name) = lower(?) AND sql IS NOT NULL", (name,)).fetchall():
        db.execute(f"DROP INDEX {ident(index)}")
    db.execute(f"ALTER TABLE {ident(name)} RENAME TO {ident(aside)}")
    return (found[0], found[1]) if found else None


def _geometry_sql(layer: Layer, column: str, srid: int) -> str:
    g = f"o.{ident(column)}"
    # An undefined CRS is taken to be the project's; any other is transformed.
    g = (f"SetSRID({g}, 4490)" if srid in (4490, 0, -1)
         else f"Transform({g}, 4490)")
    g = f"CastToXY({g})"
    return g if layer.geometry == "Point" else f"CastToMulti({g})"


def _copy(db: sqlite_utils.Database, layer: Layer, aside: str,
          geometry: tuple[str, int] | None, party: str) -> tuple[int, int]:
    """Copy the rows across; returns (copied, left out)."""
    from app.project.layers import SPATIALITE_TYPES

    have = {row[1].lower(): row[1] for row in db.execute(f"PRAGMA table_info({ident(aside)})")}

    def pick(name: str) -> str:
        return f"o.{ident(have[name.lower()])}" if name.lower() in have else "NULL"

    total = db.execute(f"SELECT count(*) FROM {ident(aside)}").fetchone()[0]
    geom = _geometry_sql(layer, *geometry) if geometry else "NULL"
    uuid = pick("uuid")
    db.execute(f"DROP TABLE IF EXISTS temp.{MAP}")
    db.execute(f"CREATE TEMP TABLE {MAP} (src INTEGER PRIMARY KEY, uuid TEXT, fid INTEGER, geom BLOB)")
    db.execute(f"INSERT INTO {MAP} (src, uuid, geom) SELECT o.rowid, CASE WHEN lower({uuid}) "
               f"GLOB '{UUID_GLOB}' THEN lower({uuid}) END, {geom} FROM {ident(aside)} o")
    db.execute(f"DELETE FROM {MAP} WHERE geom IS NULL OR GeometryConstraints(geom, ?, 4490) IS NOT 1",
               (SPATIALITE_TYPES[layer.geometry],))
    # A uuid written twice (a feature pasted twice) stays with its first row only.
    db.execute(f"UPDATE {MAP} SET uuid = NULL WHERE uuid IS NOT NULL AND src NOT IN "
               f"(SELECT min(src) FROM {MAP} WHERE uuid IS NOT NULL GROUP BY uuid)")
    db.execute(f"UPDATE {MAP} SET uuid = {UUID_SQL} WHERE uuid IS NULL")
    base = ident(tracking.base_table(layer))
    # A committed feature keeps its key: from its old copy, or else its checksum row (the
    # compact layout keeps no copy of untouched features).
    keys = [f"(SELECT b.fid FROM {base} b WHERE b.uuid = {MAP}.uuid)"]
    sums = f"coplan_sum_{layer.code}"
    if _exists(db, sums):
        keys.append(f"(SELECT s.fid FROM {ident(sums)} s WHERE s.uuid = {MAP}.uuid)")
    db.execute(f"UPDATE {MAP} SET fid = coalesce({', '.join(keys)}, NULL)")
    names = ["fid", "uuid", "owner", "created_by", "created_at", "modified_by", "modified_at",
             *layer.field_names, GEOMETRY_COLUMN]
    values = ["m.fid", "m.uuid", f"coalesce({pick('owner')}, b.owner, '{party}')",
              *(f"coalesce({pick(c)}, b.{c})" for c in ("created_by", "created_at", "modified_by",
                                                       "modified_at")),
              *(pick(f) for f in layer.field_names), "m.geom"]
    # Keys the base knows first, so the new rows' keys cannot take them.
    db.execute(f"INSERT INTO {ident(layer.table_name)} ({', '.join(ident(n) for n in names)}) "
               f"SELECT {', '.join(values)} FROM {MAP} m JOIN {ident(aside)} o ON o.rowid = m.src "
               f"LEFT JOIN {base} b ON b.uuid = m.uuid ORDER BY m.fid IS NULL, m.fid, m.src")
    copied = db.execute(f"SELECT count(*) FROM {MAP}").fetchone()[0]
    db.execute(f"DROP TABLE temp.{MAP}")
    fill_batch(db, layer, -(2**63))  # stamps and derived values the tool left empty
    mark_unchecked(db, layer, f"SELECT fid FROM {ident(layer.table_name)}")  # nothing was checked
    return copied, total - copied
