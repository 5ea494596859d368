"""The server's state of features that carry local edits the server has not echoed yet.

A replica's layer table holds the server's state with the party's own unechoed change sets laid
over it (and uncommitted edits over that). To replay the server's versions exactly, or to drop a
change set the server refused, the replica must know what lies under the overlay: this table
keeps it, one JSON row per overlaid feature (tracked columns, geometry as hex WKB; NULL when the
server has no such feature). Features without an overlay are not in it: there the base table is
the server's state. It stays small: it grows with unpushed work, never with the layer.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import sqlite_utils

from app.model.catalogue import Layer
from app.project import tracking
from app.project.sql import ident

Row = dict[str, object]  # tracked columns of a feature; geometry as upper-case hex WKB


def _json_sql(layer: Layer, alias: str) -> str:
    """A SQL expression building a feature's tracked columns as a JSON object."""
    parts = []
    for column in tracking.tracked_columns(layer):
        value = f"hex(AsBinary({alias}.geom))" if column == "geom" else f"{alias}.{ident(column)}"
        parts.append(f"'{column}', {value}")
    return f"json_object({', '.join(parts)})"


def record(db: sqlite_utils.Database, layer: Layer, uuids: Iterable[str]) -> None:
    """Before a commit advances the base: keep the base rows of `uuids` (the server's state, as
    they carry no overlay yet) unless the feature is already shadowed."""
    tracking.load_keys(db, "coplan_shadow_keys", uuids)
    base = ident(tracking.base_table(layer))
    db.execute(f"INSERT OR IGNORE INTO coplan_shadow (layer, uuid, row) "
               f"SELECT ?, k.uuid, CASE WHEN b.uuid IS NULL THEN NULL ELSE {_json_sql(layer, 'b')} END "
               f"FROM coplan_shadow_keys k LEFT JOIN {base} b ON b.uuid = k.uuid", (layer.code,))


def shadowed(db: sqlite_utils.Database, layer: str, uuids: Iterable[str]) -> dict[str, Row | None]:
    """The shadow rows of those of `uuids` that have one."""
    tracking.load_keys(db, "coplan_shadow_keys", uuids)
    rows = db.execute("SELECT s.uuid, s.row FROM coplan_shadow s JOIN coplan_shadow_keys k "
                      "ON k.uuid = s.uuid WHERE s.layer = ?", (layer,))
    return {uuid: None if row is None else json.loads(row) for uuid, row in rows}


def put(db: sqlite_utils.Database, layer: str, uuid: str, row: Row | None) -> None:
    db.execute("INSERT INTO coplan_shadow (layer, uuid, row) VALUES (?, ?, ?) ON CONFLICT "
               "(layer, uuid) DO UPDATE SET row = excluded.row",
               (layer, uuid, None if row is None else json.dumps(row, ensure_ascii=False)))


def remove(db: sqlite_utils.Database, layer: str, uuid: str) -> None:
    db.execute("DELETE FROM coplan_shadow WHERE layer = ? AND uuid = ?", (layer, uuid))
