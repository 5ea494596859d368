"""Layer tables made from the catalogue: system columns, fields, a SpatiaLite geometry column."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlite_utils

from app.errors import InvalidInput
from app.model.catalogue import GEOMETRY_COLUMN, Layer
from app.project import integrity, tracking
from app.project.sql import ident

SQL_TYPES = {"text": "TEXT", "integer": "INTEGER", "real": "REAL", "date": "TEXT"}
SPATIALITE_TYPES = {"Point": "POINT", "MultiPoint": "MULTIPOINT",
                    "MultiLineString": "MULTILINESTRING", "MultiPolygon": "MULTIPOLYGON"}
STORAGE_SRID = 4490


def column_definitions(layer: Layer, party: str | None = None) -> list[str]:
    """SQL column definitions of a layer table, geometry excluded. With `party`, uuid and owner
    get defaults so that other tools can insert features (see app/project/integrity.py)."""
    return (integrity.system_definitions(party)
            + [f"{ident(f.name)} {SQL_TYPES[f.type]}" for f in layer.fields])


def create_layer(db: sqlite_utils.Database, layer: Layer) -> None:
    """Create the table, its geometry column, spatial index and change tracking (in a transaction)."""
    create_table(db, layer)
    integrity.install(db, layer)  # before capture: see integrity.install_all
    tracking.install(db, layer)


def create_table(db: sqlite_utils.Database, layer: Layer) -> None:
    """The layer table alone: columns with defaults, geometry column, spatial index."""
    party = integrity.party_of(db)
    db.execute(f"CREATE TABLE {ident(layer.code)} ({', '.join(column_definitions(layer, party))})")
    db.execute("SELECT AddGeometryColumn(?, ?, ?, ?, 'XY', 1)",
               (layer.code, GEOMETRY_COLUMN, STORAGE_SRID, SPATIALITE_TYPES[layer.geometry]))
    db.execute("SELECT CreateSpatialIndex(?, ?)", (layer.code, GEOMETRY_COLUMN))
    # SpatiaLite's tm*_ triggers only stamp geometry_columns_time, with one UPDATE per written
    # row (a quarter of a bulk import's cost); the constraint and spatial-index triggers stay.
    for kind in ("tmi", "tmu", "tmd"):
        db.execute(f"DROP TRIGGER IF EXISTS {ident(f'{kind}_{layer.code}_{GEOMETRY_COLUMN}')}")
    db.execute(f"CREATE INDEX {ident('coplan_owner_' + layer.code)} ON {ident(layer.code)} (owner)")


@contextmanager
def bulk_insert(db: sqlite_utils.Database, layer: Layer) -> Iterator[None]:
    """Inside a transaction: rows inserted meanwhile are checked, indexed and marked in one
    statement each at the end instead of by per-row triggers.

    SpatiaLite's geometry-constraint and R-tree triggers and the capture trigger cost most of a
    bulk import; they are dropped for the duration and put back exactly (their SQL is kept),
    so editing afterwards is unchanged."""
    if not db.conn.in_transaction:
        raise RuntimeError("a bulk insert needs a transaction")
    names = [f"{kind}_{layer.code}_{GEOMETRY_COLUMN}" for kind in ("ggi", "gii", "giu", "gid")]
    names += [f"coplan_capture_{layer.code}_insert", *integrity.insert_triggers(layer)]
    saved = [sql for (sql,) in db.execute(
        f"SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({', '.join('?' * len(names))}) "
        "ORDER BY rowid", names)]  # recreated in the same order: it is the order they fire in
    first = db.execute(f"SELECT coalesce(max(fid), 0) FROM {ident(layer.code)}").fetchone()[0]
    for name in names:
        db.execute(f"DROP TRIGGER IF EXISTS {ident(name)}")
    yield
    # New rows got keys above the old maximum (INTEGER PRIMARY KEY without AUTOINCREMENT).
    _check_constraints(db, layer, first)
    db.execute(f"INSERT INTO {ident(f'idx_{layer.code}_{GEOMETRY_COLUMN}')} "
               "(pkid, xmin, xmax, ymin, ymax) SELECT fid, MbrMinX(geom), MbrMaxX(geom), "
               f"MbrMinY(geom), MbrMaxY(geom) FROM {ident(layer.code)} WHERE fid > ?", (first,))
    db.execute(f"INSERT OR IGNORE INTO {ident(tracking.dirty_table(layer))} (fid) SELECT fid "
               f"FROM {ident(layer.code)} WHERE fid > ? AND "
               "(SELECT capture FROM coplan_state WHERE id = 1)", (first,))
    # Rows that came without derived values or stamps get them as the triggers would give them.
    integrity.fill_batch(db, layer, first)
    for sql in saved:
        db.execute(sql)


def _check_constraints(db: sqlite_utils.Database, layer: Layer, first: int) -> None:
    """What the per-row ggi_ trigger checks, for every new row at once."""
    kind, srid = db.execute("SELECT geometry_type, srid FROM geometry_columns WHERE "
                            "lower(f_table_name) = lower(?)", (layer.code,)).fetchone()
    bad = db.execute(f"SELECT count(*) FROM {ident(layer.code)} WHERE fid > ? AND "
                     "GeometryConstraints(geom, ?, ?) IS NOT 1", (first, kind, srid)).fetchone()[0]
    if bad:
        raise InvalidInput(f"{bad} geometries do not fit layer {layer.code} "
                           f"({SPATIALITE_TYPES[layer.geometry]}, EPSG:{srid})")


def geometry_param(layer: Layer) -> str:
    """SQL expression turning a WKB parameter into the layer's stored geometry."""
    if layer.geometry == "Point":
        return f"GeomFromWKB(?, {STORAGE_SRID})"
    return f"CastToMulti(GeomFromWKB(?, {STORAGE_SRID}))"
