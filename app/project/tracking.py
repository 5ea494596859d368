"""Change capture: triggers mark touched features; commits turn them into column-level changes.

Each layer has two companions: `coplan_dirty_<L>` (fids touched since the last commit, written
by triggers: one small insert per edit) and `coplan_base_<L>` (each feature as of the last
commit or sync). Pending changes are the dirty rows compared with their base rows, so building
a change set costs in proportion to the edits, never to the table; the triggers stay cheap
because they copy no values. An audit compares a whole layer with its base to catch writes
made with the triggers bypassed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache

import sqlite_utils

from app.model.catalogue import GEOMETRY_COLUMN, SYSTEM_COLUMNS, Layer
from app.model.changes import Change
from app.project.sql import ident, idents

TRACKED_SYSTEM = ("owner", "created_by", "created_at")  # modified_* follow from the change set


def base_table(layer: Layer) -> str:
    return f"coplan_base_{layer.code}"


def dirty_table(layer: Layer) -> str:
    return f"coplan_dirty_{layer.code}"


def _geometry(layer: Layer) -> list[str]:
    return [GEOMETRY_COLUMN] if layer.spatial else []


def stored_columns(layer: Layer) -> list[str]:
    """Every column of the layer table, geometry last."""
    return [*SYSTEM_COLUMNS, *layer.field_names, *_geometry(layer)]


def tracked_columns(layer: Layer) -> list[str]:
    """The columns a change carries (geometry last)."""
    return [*TRACKED_SYSTEM, *layer.field_names, *_geometry(layer)]


def install(db: sqlite_utils.Database, layer: Layer) -> None:
    """Create the base and dirty tables and the capture triggers of `layer`."""
    from app.project.layers import column_definitions

    dirty = ident(dirty_table(layer))
    geometry = ", geom BLOB" if layer.spatial else ""
    db.execute(f"CREATE TABLE {ident(base_table(layer))} "
               f"({', '.join(column_definitions(layer))}{geometry})")
    db.execute(f"CREATE TABLE {dirty} (fid INTEGER PRIMARY KEY)")
    install_capture(db, layer)


def capture_triggers(layer: Layer) -> list[str]:
    """The names of the capture triggers of `layer`."""
    return [f"coplan_capture_{layer.code}_{kind}" for kind in ("insert", "update", "delete", "refid")]


def install_capture(db: sqlite_utils.Database, layer: Layer) -> None:
    """(Re)create the capture triggers of `layer` (its dirty table must exist)."""
    table, dirty = ident(layer.table_name), ident(dirty_table(layer))
    for name in capture_triggers(layer):
        db.execute(f"DROP TRIGGER IF EXISTS {ident(name)}")
    when = "WHEN (SELECT capture FROM coplan_state WHERE id = 1)"
    for event, key in (("INSERT", "NEW.fid"), ("UPDATE", "OLD.fid"), ("DELETE", "OLD.fid")):
        name = ident(f"coplan_capture_{layer.code}_{event.lower()}")
        db.execute(f"CREATE TRIGGER {name} AFTER {event} ON {table} {when} "
                   f"BEGIN INSERT OR IGNORE INTO {dirty} (fid) VALUES ({key}); END")
    # A changed fid (rare) leaves the new key dirty too.
    name = ident(f"coplan_capture_{layer.code}_refid")
    db.execute(f"CREATE TRIGGER {name} AFTER UPDATE OF fid ON {table} {when} "
               f"BEGIN INSERT OR IGNORE INTO {dirty} (fid) VALUES (NEW.fid); END")


@contextmanager
def capture_suppressed(db: sqlite_utils.Database) -> Iterator[None]:
    """Within a transaction: writes are not captured (remote changes being applied)."""
    if not db.conn.in_transaction:
        raise RuntimeError("capture can only be suppressed inside a transaction")
    db.execute("UPDATE coplan_state SET capture = 0 WHERE id = 1")
    try:
        yield
    finally:
        db.execute("UPDATE coplan_state SET capture = 1 WHERE id = 1")


def select_columns(layer: Layer, alias: str) -> str:
    """SQL selecting uuid and the tracked columns (geometry as hex WKB) of table alias `alias`."""
    return _select(layer, alias)


def _select(layer: Layer, alias: str) -> str:
    cols = [f"{alias}.{ident(c)}" for c in ("uuid", *TRACKED_SYSTEM, *layer.field_names)]
    if layer.spatial:
        cols.append(f"hex(AsBinary({alias}.geom))")
    return ", ".join(cols)


@cache
def _pending_sql(layer: Layer) -> str:
    return (f"SELECT {_select(layer, 'l')}, {_select(layer, 'b')} "
            f"FROM {ident(dirty_table(layer))} d "
            f"LEFT JOIN {ident(layer.table_name)} l ON l.fid = d.fid "
            f"LEFT JOIN {ident(base_table(layer))} b ON b.fid = d.fid ORDER BY d.fid")


def dirty_layers(db: sqlite_utils.Database, layers: list[Layer]) -> list[Layer]:
    """The layers that have touched features, found in one query."""
    if not layers:
        return []
    sql = " UNION ALL ".join(f"SELECT {i} WHERE EXISTS (SELECT 1 FROM {ident(dirty_table(lay))})"
                             for i, lay in enumerate(layers))
    return [layers[row[0]] for row in db.execute(sql)]


def pending_changes(db: sqlite_utils.Database, layer: Layer) -> list[Change]:
    """Net column-level changes of `layer` since its last commit."""
    return list(iter_pending_changes(db, layer))


def iter_pending_changes(db: sqlite_utils.Database, layer: Layer) -> Iterator[Change]:
    """The same, one at a time (a commit of a whole layer does not hold them all)."""
    width = 1 + len(tracked_columns(layer))
    for row in db.execute(_pending_sql(layer)):
        yield from _row_changes(layer, row[:width], row[width:])


def rekeyed_uuids(db: sqlite_utils.Database, layer: Layer) -> set[str]:
    """Uuids of touched features that sit under another key than in the base (deleted and put
    back): their delete and insert make one change."""
    return {u for (u,) in db.execute(
        f"SELECT l.uuid FROM {ident(dirty_table(layer))} d JOIN {ident(layer.table_name)} l "
        f"ON l.fid = d.fid JOIN {ident(base_table(layer))} b ON b.uuid = l.uuid AND b.fid != l.fid")}


def _row_changes(layer: Layer, now: tuple, before: tuple) -> list[Change]:
    cols = tracked_columns(layer)
    now_uuid, before_uuid = now[0], before[0]
    new = dict(zip(cols, now[1:], strict=True))
    old = dict(zip(cols, before[1:], strict=True))
    if now_uuid == before_uuid:
        if now_uuid is None:
            return []
        diff = {c: (old[c], new[c]) for c in cols if old[c] != new[c]}
        return [Change(layer.code, now_uuid, "update", diff)] if diff else []
    out = []
    if before_uuid is not None:
        out.append(Change(layer.code, before_uuid, "delete", {c: (old[c], None) for c in cols}))
    if now_uuid is not None:
        out.append(Change(layer.code, now_uuid, "insert", {c: (None, new[c]) for c in cols}))
    return out


def advance_base(db: sqlite_utils.Database, layer: Layer) -> None:
    """Make the base of every dirty feature equal to its current state and clear the dirty marks."""
    dirty, base = ident(dirty_table(layer)), ident(base_table(layer))
    cols = idents(stored_columns(layer))
    db.execute(f"DELETE FROM {base} WHERE fid IN (SELECT fid FROM {dirty})")
    db.execute(f"INSERT INTO {base} ({cols}) SELECT {cols} FROM {ident(layer.table_name)} "
               f"WHERE fid IN (SELECT fid FROM {dirty})")
    db.execute(f"DELETE FROM {dirty}")


def load_keys(db: sqlite_utils.Database, table: str, uuids: Iterable[str]) -> None:
    """Fill the temporary table `table` (created if needed) with `uuids`, for joins."""
    db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} (uuid TEXT PRIMARY KEY)")
    db.execute(f"DELETE FROM {table}")
    db.conn.executemany(f"INSERT OR IGNORE INTO {table} VALUES (?)", ((u,) for u in uuids))


def copy_to_base(db: sqlite_utils.Database, layer: Layer, uuids: Iterable[str]) -> None:
    """The base of these features becomes their current state in the layer table."""
    base, cols = ident(base_table(layer)), idents(stored_columns(layer))
    load_keys(db, "coplan_touched", uuids)
    db.execute(f"DELETE FROM {base} WHERE uuid IN (SELECT uuid FROM coplan_touched)")
    db.execute(f"INSERT INTO {base} ({cols}) SELECT {cols} FROM {ident(layer.table_name)} "
               "WHERE uuid IN (SELECT uuid FROM coplan_touched)")


def restore_base(db: sqlite_utils.Database, layer: Layer) -> None:
    """Put every dirty feature back as it was at the last commit (inside a transaction)."""
    dirty, base = ident(dirty_table(layer)), ident(base_table(layer))
    cols = idents(stored_columns(layer))
    with capture_suppressed(db):
        db.execute(f"DELETE FROM {ident(layer.table_name)} WHERE fid IN (SELECT fid FROM {dirty})")
        db.execute(f"INSERT INTO {ident(layer.table_name)} ({cols}) SELECT {cols} FROM {base} "
                   f"WHERE fid IN (SELECT fid FROM {dirty})")
    db.execute(f"DELETE FROM {dirty}")


def dirty_count(db: sqlite_utils.Database, layer: Layer) -> int:
    return db.execute(f"SELECT count(*) FROM {ident(dirty_table(layer))}").fetchone()[0]


@cache
def _audit_sql(layer: Layer) -> tuple[str, str]:
    table, base, dirty = ident(layer.table_name), ident(base_table(layer)), ident(dirty_table(layer))
    differs = " OR ".join(f"l.{ident(c)} IS NOT b.{ident(c)}" for c in stored_columns(layer))
    changed = (f"INSERT OR IGNORE INTO {dirty} (fid) "
               f"SELECT l.fid FROM {table} l LEFT JOIN {base} b ON b.fid = l.fid "
               f"WHERE b.fid IS NULL OR {differs}")
    removed = (f"INSERT OR IGNORE INTO {dirty} (fid) "
               f"SELECT b.fid FROM {base} b LEFT JOIN {table} l ON l.fid = b.fid WHERE l.fid IS NULL")
    return changed, removed


def audit(db: sqlite_utils.Database, layer: Layer) -> int:
    """Mark features that differ from their base without being marked; returns how many."""
    return sum(max(db.execute(sql).rowcount, 0) for sql in _audit_sql(layer))


def store_changes(db: sqlite_utils.Database, changeset_id: str, changes: Iterable[Change]) -> None:
    """Write the changes of a change set to the local log."""
    rows = ((changeset_id, i, c.layer, c.uuid, c.op,
             json.dumps({k: [o, n] for k, (o, n) in c.cols.items()}, ensure_ascii=False))
            for i, c in enumerate(changes))
    db.conn.executemany("INSERT INTO coplan_changes (changeset, idx, layer, uuid, op, cols) "
                        "VALUES (?, ?, ?, ?, ?, ?)", rows)


def load_changes(db: sqlite_utils.Database, changeset_id: str) -> tuple[Change, ...]:
    """The changes of a stored change set, in order."""
    rows = db.execute("SELECT layer, uuid, op, cols FROM coplan_changes WHERE changeset = ? "
                      "ORDER BY idx", (changeset_id,))
    return tuple(Change(layer, uuid, op, {k: (v[0], v[1]) for k, v in json.loads(cols).items()})
                 for layer, uuid, op, cols in rows)
