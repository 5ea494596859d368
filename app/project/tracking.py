"""Change capture: triggers mark touched features; commits turn them into column-level changes.

Each layer has three companions: `coplan_dirty_<L>` (fids touched since the last commit, written
by triggers: one small insert per edit), `coplan_base_<L>` (the committed state of the touched
features only, copied by the triggers on the first touch: copy on write) and `coplan_sum_<L>`
(a checksum of each committed feature, app/project/storage.py). The committed state of an
untouched feature is its row in the layer table. Pending changes are the dirty rows compared
with their base rows, so building a change set costs in proportion to the edits, never to the
table. An audit compares a whole layer with its checksums to catch writes made with the
triggers bypassed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache

import sqlite_utils

from app.model.catalogue import GEOMETRY_COLUMN, SYSTEM_COLUMNS, Layer
from app.model.changes import Change
from app.project import storage
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
    storage.create_sum_table(db, layer)
    install_capture(db, layer)


def capture_triggers(layer: Layer) -> list[str]:
    """The names of the capture triggers of `layer`."""
    return [*(f"coplan_capture_{layer.code}_{kind}" for kind in ("insert", "update", "delete", "refid")),
            *(f"coplan_keep_{layer.code}_{kind}" for kind in ("update", "delete"))]


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
    # The first touch of a committed feature keeps its old row (copy on write). BEFORE: it
    # runs ahead of every AFTER trigger, whatever their order, so an AFTER trigger that
    # updates the row (derived areas) cannot be copied in its place.
    cols = stored_columns(layer)
    keep = (f"BEGIN INSERT OR IGNORE INTO {ident(base_table(layer))} ({idents(cols)}) "
            f"SELECT {', '.join('OLD.' + ident(c) for c in cols)} "
            f"WHERE NOT EXISTS (SELECT 1 FROM {dirty} WHERE fid = OLD.fid); END")
    for event in ("UPDATE", "DELETE"):
        name = ident(f"coplan_keep_{layer.code}_{event.lower()}")
        db.execute(f"CREATE TRIGGER {name} BEFORE {event} ON {table} {when} {keep}")
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
    """Make the committed state of every dirty feature its current state (its checksum; the old
    copy goes) and clear the dirty marks."""
    dirty, base = ident(dirty_table(layer)), ident(base_table(layer))
    sums = ident(storage.sum_table(layer))
    db.execute(f"DELETE FROM {sums} WHERE uuid IN (SELECT uuid FROM {base} WHERE fid IN "
               f"(SELECT fid FROM {dirty}))")
    storage.record_sums(db, layer, f"l.fid IN (SELECT fid FROM {dirty})")
    db.execute(f"DELETE FROM {base} WHERE fid IN (SELECT fid FROM {dirty})")
    db.execute(f"DELETE FROM {dirty}")


def committed_row(db: sqlite_utils.Database, layer: Layer, uuid: str) -> tuple | None:
    """A feature's committed state as `select_columns` gives it (None: it had none): its old
    copy when touched since, else its row in the layer table."""
    base, table, dirty = ident(base_table(layer)), ident(layer.table_name), ident(dirty_table(layer))
    row = db.execute(f"SELECT {_select(layer, 't')} FROM {base} t WHERE t.uuid = ?", (uuid,)).fetchone()
    if row is not None:
        return row
    return db.execute(f"SELECT {_select(layer, 't')} FROM {table} t WHERE t.uuid = ? AND NOT EXISTS "
                      f"(SELECT 1 FROM {dirty} d WHERE d.fid = t.fid)", (uuid,)).fetchone()


def load_keys(db: sqlite_utils.Database, table: str, uuids: Iterable[str]) -> None:
    """Fill the temporary table `table` (created if needed) with `uuids`, for joins."""
    db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} (uuid TEXT PRIMARY KEY)")
    db.execute(f"DELETE FROM {table}")
    db.conn.executemany(f"INSERT OR IGNORE INTO {table} VALUES (?)", ((u,) for u in uuids))


def copy_to_base(db: sqlite_utils.Database, layer: Layer, uuids: Iterable[str]) -> None:
    """The committed state of these features becomes their current state in the layer table
    (touched ones keep it as their old copy: their uncommitted edits are laid over it next)."""
    base, cols = ident(base_table(layer)), idents(stored_columns(layer))
    load_keys(db, "coplan_touched", uuids)
    db.execute(f"DELETE FROM {base} WHERE uuid IN (SELECT uuid FROM coplan_touched)")
    db.execute(f"INSERT INTO {base} ({cols}) SELECT {cols} FROM {ident(layer.table_name)} "
               f"WHERE uuid IN (SELECT uuid FROM coplan_touched) AND fid IN "
               f"(SELECT fid FROM {ident(dirty_table(layer))})")
    db.execute(f"DELETE FROM {ident(storage.sum_table(layer))} WHERE uuid IN "
               "(SELECT uuid FROM coplan_touched)")
    storage.record_sums(db, layer, "l.uuid IN (SELECT uuid FROM coplan_touched)")


def restore_base(db: sqlite_utils.Database, layer: Layer) -> None:
    """Put every dirty feature back as it was at the last commit (inside a transaction)."""
    dirty, base = ident(dirty_table(layer)), ident(base_table(layer))
    cols = idents(stored_columns(layer))
    with capture_suppressed(db):
        db.execute(f"DELETE FROM {ident(layer.table_name)} WHERE fid IN (SELECT fid FROM {dirty})")
        db.execute(f"INSERT INTO {ident(layer.table_name)} ({cols}) SELECT {cols} FROM {base} "
                   f"WHERE fid IN (SELECT fid FROM {dirty})")
    db.execute(f"DELETE FROM {base} WHERE fid IN (SELECT fid FROM {dirty})")
    db.execute(f"DELETE FROM {dirty}")


def dirty_count(db: sqlite_utils.Database, layer: Layer) -> int:
    return db.execute(f"SELECT count(*) FROM {ident(dirty_table(layer))}").fetchone()[0]


@cache
def _audit_sql(layer: Layer) -> str:
    """Untouched features whose row is not their committed one, and committed features that
    are gone without a trace: (uuid, committed fid or NULL, committed checksum or NULL when the
    row is unchanged but under another key, current fid)."""
    table, base, dirty = ident(layer.table_name), ident(base_table(layer)), ident(dirty_table(layer))
    sums = ident(storage.sum_table(layer))
    return (f"SELECT l.uuid, s.fid, CASE WHEN s.sum = {storage.checksum_sql(layer, 'l')} THEN NULL "
            f"ELSE s.sum END, l.fid FROM {table} l LEFT JOIN {sums} s ON s.uuid = l.uuid "
            f"WHERE l.fid NOT IN (SELECT fid FROM {dirty}) AND (s.uuid IS NULL OR s.fid != l.fid "
            f"OR s.sum IS NOT {storage.checksum_sql(layer, 'l')}) UNION ALL "
            f"SELECT s.uuid, s.fid, s.sum, NULL FROM {sums} s WHERE NOT EXISTS (SELECT 1 FROM "
            f"{table} l WHERE l.uuid = s.uuid) AND NOT EXISTS (SELECT 1 FROM {base} b WHERE "
            f"b.uuid = s.uuid)")


def audit(db: sqlite_utils.Database, layer: Layer) -> int:
    """Mark features changed with capture bypassed, giving each the old copy of its committed
    state (from the log, checked by its checksum); returns how many were found."""
    found = db.execute(_audit_sql(layer)).fetchall()
    storage.put_old_copies(db, layer, [(u, fid, s) for u, fid, s, _ in found if fid is not None])
    marks = {fid for _, fid, _, _ in found if fid is not None} | {now for *_, now in found if now is not None}
    db.conn.executemany(f"INSERT OR IGNORE INTO {ident(dirty_table(layer))} (fid) VALUES (?)",
                        ((f,) for f in marks))
    return len(found)


def store_changes(db: sqlite_utils.Database, changeset_id: str, changes: Iterable[Change]) -> None:
    """Write the changes of a change set to the local log: one row per change for lookups by
    feature, the values of all of them in one compressed blob."""
    changes = list(changes)
    rows = ((changeset_id, i, c.layer, c.uuid, c.op, storage.PACKED) for i, c in enumerate(changes))
    db.conn.executemany("INSERT INTO coplan_changes (changeset, idx, layer, uuid, op, cols) "
                        "VALUES (?, ?, ?, ?, ?, ?)", rows)
    db.execute("INSERT INTO coplan_change_data (changeset, data) VALUES (?, ?)",
               (changeset_id, storage.pack(changes)))


def load_changes(db: sqlite_utils.Database, changeset_id: str) -> tuple[Change, ...]:
    """The changes of a stored change set, in order."""
    rows = db.execute("SELECT idx, layer, uuid, op, cols FROM coplan_changes WHERE changeset = ? "
                      "ORDER BY idx", (changeset_id,))
    return tuple(Change(layer, uuid, op, storage.decode_cols(db, changeset_id, idx, cols))
                 for idx, layer, uuid, op, cols in rows)
