"""Compact storage of what change capture needs: a checksum of each committed feature, change
payloads packed per change set, and the upgrade of project files made before.

The committed state of a feature untouched since the last commit is its row in the layer table;
the base table keeps an old copy only of touched features (copied by the capture triggers on
the first touch). What a write that bypassed the triggers changed is found by a checksum of the
committed state (`coplan_sum_<L>`, 8 bytes a feature); its old values come back from the change
log, checked against that checksum. A project of 300k features thus stores one copy of them,
not two, and its history stores each change set's values in one compressed blob.
"""

from __future__ import annotations

import json
import logging
import struct
import weakref
import zlib
from collections.abc import Iterable

import sqlite_utils
from pysqlite3 import dbapi2 as sqlite3

from app.model.catalogue import GEOMETRY_COLUMN, Layer
from app.model.changes import Change, compose
from app.project.sql import ident

log = logging.getLogger(__name__)

STORAGE = "cow1"  # coplan_meta 'storage' once a file has the compact layout
PACKED = b""  # coplan_changes.cols of a change whose values are in its change set's blob
_MAGIC = b"CPK1"
_LEVEL = 3  # zlib: level 3 is within a few % of 9 on these rows and several times faster


def sum_table(layer: Layer) -> str:
    return f"coplan_sum_{layer.code}"


def checksum_sql(layer: Layer, alias: str) -> str:
    """SQL giving the 8-byte checksum of a feature's uuid and tracked columns (geometry as WKB)."""
    from app.project.tracking import tracked_columns

    parts = [f"quote({alias}.uuid)"]
    for column in tracked_columns(layer):
        value = f"AsBinary({alias}.geom)" if column == GEOMETRY_COLUMN else f"{alias}.{ident(column)}"
        parts.append(f"quote({value})")
    return f"unhex(substr(MD5Checksum(CAST(concat_ws(',', {', '.join(parts)}) AS BLOB)), 1, 16))"


def create_sum_table(db: sqlite_utils.Database, layer: Layer) -> None:
    # Keyed by uuid: a delete applied from the server leaves no row to find a key by.
    db.execute(f"CREATE TABLE IF NOT EXISTS {ident(sum_table(layer))} "
               "(uuid TEXT PRIMARY KEY, fid INTEGER NOT NULL, sum BLOB NOT NULL) WITHOUT ROWID")


def record_sums(db: sqlite_utils.Database, layer: Layer, where: str, params: tuple = ()) -> None:
    """The checksums of the layer rows matching `where` (on alias l) become their committed ones."""
    db.execute(f"INSERT OR REPLACE INTO {ident(sum_table(layer))} (uuid, fid, sum) "
               f"SELECT l.uuid, l.fid, {checksum_sql(layer, 'l')} FROM {ident(layer.table_name)} l "
               f"WHERE {where}", params)


# --- change payloads, packed per change set -----------------------------------------------------

def pack(changes: list[Change]) -> bytes:
    """The column values of `changes` as one compressed blob: per change the index of its column
    names and the flat (old, new) pairs; geometry as raw WKB after the JSON (its length in it)."""
    names: list[list[str]] = []
    index: dict[tuple, int] = {}
    rows, blobs = [], []
    for change in changes:
        key = tuple(change.cols)
        if key not in index:
            index[key] = len(names)
            names.append(list(key))
        row: list[object] = [index[key]]
        for name, pair in change.cols.items():
            if name != GEOMETRY_COLUMN:
                row.extend(pair)
                continue
            for value in pair:
                raw = None if value is None else bytes.fromhex(value)  # type: ignore[arg-type]  # hex WKB
                row.append(None if raw is None else len(raw))
                if raw is not None:
                    blobs.append(raw)
        rows.append(row)
    body = json.dumps([names, rows], ensure_ascii=False, separators=(",", ":")).encode()
    return _MAGIC + zlib.compress(struct.pack("<I", len(body)) + body + b"".join(blobs), _LEVEL)


def unpack(data: bytes) -> list[dict[str, tuple]]:
    """The column values `pack` stored, in order."""
    if data[:4] != _MAGIC:
        raise ValueError("not a packed change set")
    raw = zlib.decompress(data[4:])
    (n,) = struct.unpack_from("<I", raw)
    names, rows = json.loads(raw[4:4 + n])
    at = 4 + n
    out = []
    for row in rows:
        cols, i = {}, 1
        for name in names[row[0]]:
            pair = row[i:i + 2]
            i += 2
            if name == GEOMETRY_COLUMN:
                for k, length in enumerate(pair):
                    if length is not None:
                        pair[k] = raw[at:at + length].hex().upper()
                        at += length
            cols[name] = tuple(pair)
        out.append(cols)
    return out


_parts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # db -> {changeset: values}


def part(db: sqlite_utils.Database, changeset: str) -> list[dict[str, tuple]]:
    """The unpacked values of a change set (a few are cached: a rebase reads one at a time)."""
    cache = _parts.setdefault(db, {})
    if changeset not in cache:
        row = db.execute("SELECT data FROM coplan_change_data WHERE changeset = ?",
                         (changeset,)).fetchone()
        if len(cache) >= 4:
            cache.pop(next(iter(cache)))
        cache[changeset] = unpack(row[0]) if row else []
    return cache[changeset]


def decode_cols(db: sqlite_utils.Database, changeset: str, idx: int, cols) -> dict[str, tuple]:
    """A stored change's values: packed (this layout) or a JSON object (files made before)."""
    if cols == PACKED:
        return dict(part(db, changeset)[idx])  # a copy: the cached values stay as stored
    return {k: (v[0], v[1]) for k, v in json.loads(cols).items()}


def forget(db: sqlite_utils.Database, changeset: str) -> None:
    _parts.get(db, {}).pop(changeset, None)


# --- old values of writes that bypassed capture -------------------------------------------------

def logged_row(db: sqlite_utils.Database, layer: Layer, uuid: str) -> dict | None:
    """A feature's committed row as its logged changes make it (None: the log cannot tell)."""
    rows = db.execute("SELECT c.changeset, c.idx, c.op, c.cols FROM coplan_changes c JOIN "
                      "coplan_changesets s ON s.id = c.changeset WHERE c.layer = ? AND c.uuid = ? "
                      "ORDER BY s.seq, c.idx", (layer.code, uuid)).fetchall()
    changes = [Change(layer.code, uuid, op, decode_cols(db, cs, idx, cols)) for cs, idx, op, cols in rows]
    try:
        net = compose(changes)
    except ValueError:
        return None
    if len(net) != 1 or net[0].op != "insert":
        return None
    return {c: n for c, (_, n) in net[0].cols.items()}


def row_checksum(db: sqlite_utils.Database, layer: Layer, uuid: str, row: dict) -> bytes:
    """The checksum of a row given as values (geometry as hex WKB), as `checksum_sql` makes it."""
    from app.project.tracking import tracked_columns

    cols = tracked_columns(layer)
    select = ", ".join(f"? AS {ident(c)}" for c in ["uuid", *cols])
    params = [uuid] + [bytes.fromhex(row[c]) if c == GEOMETRY_COLUMN and row.get(c) else row.get(c)
                       for c in cols]
    # AsBinary of a WKB blob: SpatiaLite reads it as no geometry, so compare the WKB itself.
    sql = checksum_sql(layer, "t").replace("AsBinary(t.geom)", "t.geom")
    return db.execute(f"SELECT {sql} FROM (SELECT {select}) t", params).fetchone()[0]


def put_old_copies(db: sqlite_utils.Database, layer: Layer,
                   lost: Iterable[tuple[str, int, bytes | None]]) -> int:
    """Give features changed with capture bypassed a base copy of their committed state: their
    row when only its key changed (checksum None), from the log when its checksum matches; else a copy with unknown (NULL) values, so that the push
    records every changed cell as a conflict for a decision rather than guessing. Returns how
    many had to be guessed."""
    from app.project.layers import geometry_param
    from app.project.tracking import base_table, tracked_columns

    unknown, cols = 0, tracked_columns(layer)
    names = ["fid", "uuid", *cols]
    params = ["?"] * len(names)
    if layer.spatial:
        params[-1] = geometry_param(layer)
    sql = (f"INSERT OR IGNORE INTO {ident(base_table(layer))} ({', '.join(ident(n) for n in names)}) "
           f"VALUES ({', '.join(params)})")
    same = (f"INSERT OR IGNORE INTO {ident(base_table(layer))} ({', '.join(ident(n) for n in names)}) "
            f"SELECT ?, {', '.join('l.' + ident(n) for n in names[1:])} FROM {ident(layer.table_name)} l "
            "WHERE l.uuid = ?")
    for uuid, fid, committed in lost:
        if committed is None:  # the row is as committed, only its key moved (a rebuilt table)
            db.execute(same, (fid, uuid))
            continue
        row = logged_row(db, layer, uuid)
        if row is None or row_checksum(db, layer, uuid, row) != committed:
            row, unknown = {"owner": ""}, unknown + 1
        values = [fid, uuid] + [bytes.fromhex(row[c]) if c == GEOMETRY_COLUMN and row.get(c)
                                else row.get(c) for c in cols]
        db.execute(sql, values)
    if unknown:
        log.warning("%d feature(s) of %s were changed outside CoPlan and their committed state is "
                    "not in the log; their changes will be pushed as conflicts", unknown, layer.code)
    return unknown


# --- files made before --------------------------------------------------------------------------

def upgrade(db: sqlite_utils.Database, layers: list[Layer]) -> bool:
    """Give a project file the compact layout (once): checksums from its full base copies, which
    then go except those of touched features, and capture triggers that copy on write. The
    file is vacuumed after, so it shrinks on disk. Returns whether anything was done."""
    from app.project.tracking import base_table, dirty_table, install_capture

    if _meta(db, "storage") == STORAGE:
        return False
    present, moved = set(db.table_names()), 0
    with db.atomic():
        for layer in layers:
            base = base_table(layer)
            if base not in present:
                continue
            create_sum_table(db, layer)
            db.execute(f"INSERT OR REPLACE INTO {ident(sum_table(layer))} (uuid, fid, sum) "
                       f"SELECT b.uuid, b.fid, {checksum_sql(layer, 'b')} FROM {ident(base)} b")
            moved += db.execute(f"DELETE FROM {ident(base)} WHERE fid NOT IN "
                                f"(SELECT fid FROM {ident(dirty_table(layer))})").rowcount
            install_capture(db, layer)
        moved += _repack(db)
        db.execute("INSERT INTO coplan_meta VALUES ('storage', ?) ON CONFLICT (key) DO UPDATE "
                   "SET value = excluded.value", (STORAGE,))
    # Emptied pages and half-empty ones (rows whose JSON was packed) go back to the disk.
    if moved:
        try:
            db.execute("VACUUM")
        except sqlite3.OperationalError as exc:  # another program has it open: pages get reused
            log.info("the file was not vacuumed after the storage upgrade: %s", exc)
    return True


def _repack(db: sqlite_utils.Database) -> int:
    """Change sets logged as JSON with hex WKB get their values packed, one at a time; returns
    how many."""
    from app.project.tracking import load_changes

    ids = [cs for (cs,) in db.execute(
        "SELECT DISTINCT changeset FROM coplan_changes WHERE typeof(cols) = 'text'")]
    for changeset in ids:
        changes = load_changes(db, changeset)
        db.execute("INSERT OR REPLACE INTO coplan_change_data (changeset, data) VALUES (?, ?)",
                   (changeset, pack(list(changes))))
        db.execute("UPDATE coplan_changes SET cols = ? WHERE changeset = ?", (PACKED, changeset))
        forget(db, changeset)
    return len(ids)


def _meta(db: sqlite_utils.Database, key: str) -> str | None:
    row = db.execute("SELECT value FROM coplan_meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None
