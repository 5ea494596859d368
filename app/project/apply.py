"""Write a column-level change into a layer table (used by revert and by sync)."""

from __future__ import annotations

import sqlite_utils

from app.errors import InvalidInput, NotFound
from app.model.catalogue import GEOMETRY_COLUMN, Layer
from app.model.changes import Change
from app.project.layers import geometry_param
from app.project.sql import ident
from app.project.tracking import base_table, tracked_columns


def _check_columns(layer: Layer, change: Change) -> None:
    unknown = set(change.cols) - set(tracked_columns(layer))
    if unknown:
        raise InvalidInput(f"change of {change.uuid} names unknown columns of {layer.code}: "
                           f"{', '.join(sorted(unknown))}")


def _value(column: str, value):
    if column == GEOMETRY_COLUMN and value is not None:
        return bytes.fromhex(value)
    return value


def apply_change(db: sqlite_utils.Database, layer: Layer, change: Change, author: str,
                 when: str, *, fresh_key: bool = False) -> None:
    """Apply `change` to `layer`; NotFound when an update or delete finds no feature.

    `fresh_key`: an insert takes a key no row of the layer or its base holds (a feature
    deleted but not committed still holds its key in the base)."""
    _check_columns(layer, change)
    if change.op == "insert":
        _insert(db, layer, change, author, when, fresh_key)
    elif change.op == "update":
        _update(db, layer, change, author, when)
    else:
        cursor = db.execute(f"DELETE FROM {ident(layer.table_name)} WHERE uuid = ?", (change.uuid,))
        if cursor.rowcount != 1:
            raise NotFound(f"feature {change.uuid} of {layer.code} does not exist")


def _insert(db, layer: Layer, change: Change, author: str, when: str, fresh_key: bool) -> None:
    names = [c for c in change.cols if c != GEOMETRY_COLUMN]
    values = [change.uuid] + [change.cols[c][1] for c in names] + [author, when]
    names = ["uuid", *names, "modified_by", "modified_at"]
    if fresh_key:
        names.append("fid")
        values.append(next_key(db, layer))
    placeholders = ["?"] * len(values)
    if GEOMETRY_COLUMN in change.cols:
        names.append(GEOMETRY_COLUMN)
        placeholders.append(geometry_param(layer))
        values.append(_value(GEOMETRY_COLUMN, change.cols[GEOMETRY_COLUMN][1]))
    db.execute(f"INSERT INTO {ident(layer.table_name)} ({', '.join(ident(n) for n in names)}) "
               f"VALUES ({', '.join(placeholders)})", values)


def next_key(db: sqlite_utils.Database, layer: Layer) -> int:
    """A key above every key of the layer table and of its base."""
    return 1 + db.execute(f"SELECT max(coalesce((SELECT max(fid) FROM {ident(layer.table_name)}), 0), "
                          f"coalesce((SELECT max(fid) FROM {ident(base_table(layer))}), 0))").fetchone()[0]


def _update(db, layer: Layer, change: Change, author: str, when: str) -> None:
    sets, values = ["modified_by = ?", "modified_at = ?"], [author, when]
    for column, (_, new) in change.cols.items():
        param = geometry_param(layer) if column == GEOMETRY_COLUMN else "?"
        sets.append(f"{ident(column)} = {param}")
        values.append(_value(column, new))
    cursor = db.execute(f"UPDATE {ident(layer.table_name)} SET {', '.join(sets)} WHERE uuid = ?",
                        [*values, change.uuid])
    if cursor.rowcount != 1:
        raise NotFound(f"feature {change.uuid} of {layer.code} does not exist")


def apply_updates(db: sqlite_utils.Database, layer: Layer, changes: list[Change], author: str,
                  when: str) -> None:
    """Apply updates that change the same columns with one statement; features that are not
    there are left alone (used for remote versions, whose missing features our own corrections
    put back)."""
    columns = list(changes[0].cols)
    for change in changes:
        _check_columns(layer, change)
    sets = [f"{ident(c)} = {geometry_param(layer) if c == GEOMETRY_COLUMN else '?'}"
            for c in columns]
    sql = (f"UPDATE {ident(layer.table_name)} SET {', '.join(sets)}, modified_by = ?, "
           "modified_at = ? WHERE uuid = ?")
    db.conn.executemany(sql, ([*(_value(c, ch.cols[c][1]) for c in columns), author, when, ch.uuid]
                              for ch in changes))
