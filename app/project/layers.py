"""Layer tables made from the catalogue: system columns, fields, a SpatiaLite geometry column."""

from __future__ import annotations

import sqlite_utils

from app.model.catalogue import GEOMETRY_COLUMN, Layer
from app.project import tracking
from app.project.sql import ident

SQL_TYPES = {"text": "TEXT", "integer": "INTEGER", "real": "REAL", "date": "TEXT"}
SPATIALITE_TYPES = {"Point": "POINT", "MultiPoint": "MULTIPOINT",
                    "MultiLineString": "MULTILINESTRING", "MultiPolygon": "MULTIPOLYGON"}
STORAGE_SRID = 4490


def column_definitions(layer: Layer) -> list[str]:
    """SQL column definitions of a layer table, geometry excluded."""
    system = ["fid INTEGER PRIMARY KEY", "uuid TEXT NOT NULL UNIQUE", "owner TEXT NOT NULL",
              "created_by TEXT", "created_at TEXT", "modified_by TEXT", "modified_at TEXT"]
    return system + [f"{ident(f.name)} {SQL_TYPES[f.type]}" for f in layer.fields]


def create_layer(db: sqlite_utils.Database, layer: Layer) -> None:
    """Create the table, its geometry column, spatial index and change tracking (in a transaction)."""
    db.execute(f"CREATE TABLE {ident(layer.code)} ({', '.join(column_definitions(layer))})")
    db.execute("SELECT AddGeometryColumn(?, ?, ?, ?, 'XY', 1)",
               (layer.code, GEOMETRY_COLUMN, STORAGE_SRID, SPATIALITE_TYPES[layer.geometry]))
    db.execute("SELECT CreateSpatialIndex(?, ?)", (layer.code, GEOMETRY_COLUMN))
    db.execute(f"CREATE INDEX {ident('coplan_owner_' + layer.code)} ON {ident(layer.code)} (owner)")
    tracking.install(db, layer)


def geometry_param(layer: Layer) -> str:
    """SQL expression turning a WKB parameter into the layer's stored geometry."""
    if layer.geometry == "Point":
        return f"GeomFromWKB(?, {STORAGE_SRID})"
    return f"CastToMulti(GeomFromWKB(?, {STORAGE_SRID}))"
