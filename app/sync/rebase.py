"""Replaying one server version on a replica, with the replica's own edits rebased on top.

The server's version order is the truth. A replica replays every version in that order, its own
included, and what it shows is the server's state with two layers of local edits laid over it:
committed change sets the server has not echoed yet (the overlay, whose server state underneath
is kept in `coplan_shadow`) and uncommitted edits. Per feature a version touches:

- no overlay and no uncommitted edit (nearly all features): the version's changes are applied
  as they are, in bulk;
- otherwise the server's new state S' is computed from the shadow (or the base), the overlay of
  the change sets still unechoed is laid over S' to make the new base, and uncommitted edits
  are laid over that. When an uncommitted edit and the version touch the same cell, or either
  creates or deletes the feature, the pull is refused with a message: keeping both is
  impossible and silently choosing one would lose an edit.

An own version is replayed like any other, with its conflict records' server rows as S' of the
features that clashed, so the author's replica ends exactly where the server is.
"""

from __future__ import annotations

import logging

from app.errors import ConflictError, NotFound
from app.model.catalogue import GEOMETRY_COLUMN, Layer
from app.model.changes import DATA_SCHEMA_VERSION, Change, compose
from app.project import shadow, storage, tracking
from app.project.apply import apply_change, apply_updates
from app.project.layers import bulk_insert, geometry_param
from app.project.project import Project
from app.project.sql import ident

log = logging.getLogger(__name__)

Row = dict[str, object]
Key = tuple[str, str]  # (layer code, uuid)
_MISSING = object()


def apply_version(project: Project, version: dict) -> None:
    """Apply a server version and advance the cursor, in one transaction."""
    db = project.db
    with db.atomic(), tracking.capture_suppressed(db):
        own = _take_own(project, version)
        parsed = [_change(raw) for raw in version["changes"]]
        changes = {(c.layer, c.uuid): c for c in parsed}
        server_rows = {(c["layer"], c["uuid"]): c["server_row"] for c in version["clashes"]} if own else {}
        settled = _settled(project, own - set(server_rows)) if own else set()
        touched = (set(changes) | set(server_rows) | own) - settled
        special = _special(project, touched)
        _apply_plain(project, [c for k, c in changes.items() if k in touched and k not in special],
                     version)
        for key in sorted(special):
            _rebase_feature(project, key, changes.get(key), server_rows.get(key, _MISSING), version)
        if not own:
            _log_remote(project, version, parsed)
        project.set_meta("base_version", version["version"])


def _change(raw: dict) -> Change:
    return Change(raw["layer"], raw["uuid"], raw["op"], {k: (v[0], v[1]) for k, v in raw["cols"].items()})


def _take_own(project: Project, version: dict) -> set[Key]:
    """If the version is an unechoed change set of ours, mark it echoed and return its features
    (they all carry the overlay); else an empty set."""
    row = project.db.execute("SELECT echoed FROM coplan_changesets WHERE id = ? AND state != 'remote'",
                             (version["changeset"],)).fetchone()
    if row is None:
        return set()
    project.db.execute("UPDATE coplan_changesets SET state = 'pushed', server_version = ?, echoed = 1, "
                       "refusal = NULL WHERE id = ?", (version["version"], version["changeset"]))
    if row[0]:
        return set()  # echoed before (a replayed pull): nothing of ours left to take off
    return {(la, u) for la, u in project.db.execute(
        "SELECT layer, uuid FROM coplan_changes WHERE changeset = ?", (version["changeset"],))}


def _settled(project: Project, keys: set[Key]) -> set[Key]:
    """Our own features the server took as they were, with no later change set of ours on
    them: what the copy shows is already the server's state, so only their shadow goes.
    (Nearly every feature of an echo: replaying it costs one statement, not one per feature.)"""
    db = project.db
    db.execute("CREATE TEMP TABLE IF NOT EXISTS coplan_own (layer TEXT, uuid TEXT, PRIMARY KEY (layer, uuid))")
    db.execute("DELETE FROM coplan_own")
    db.conn.executemany("INSERT INTO coplan_own VALUES (?, ?)", keys)
    db.execute("DELETE FROM coplan_own WHERE EXISTS (SELECT 1 FROM coplan_changes c JOIN "
               "coplan_changesets s ON s.id = c.changeset WHERE s.echoed = 0 AND s.state != 'remote' "
               "AND c.layer = coplan_own.layer AND c.uuid = coplan_own.uuid)")
    db.execute("DELETE FROM coplan_shadow WHERE EXISTS (SELECT 1 FROM coplan_own o WHERE "
               "o.layer = coplan_shadow.layer AND o.uuid = coplan_shadow.uuid)")
    return {(la, u) for la, u in db.execute("SELECT layer, uuid FROM coplan_own")}


def _special(project: Project, touched: set[Key]) -> set[Key]:
    """The touched features that carry an overlay or an uncommitted edit."""
    by_layer: dict[str, list[str]] = {}
    for code, uuid in touched:
        by_layer.setdefault(code, []).append(uuid)
    special: set[tuple[str, str]] = set()
    for code, uuids in by_layer.items():
        special.update((code, u) for u in shadow.shadowed(project.db, code, uuids))
        dirty = _dirty_uuids(project, project.tracked_layer(code))
        special.update((code, u) for u in uuids if u in dirty)
    return special


def _dirty_uuids(project: Project, layer: Layer) -> set[str]:
    dirty, table, base = (ident(tracking.dirty_table(layer)), ident(layer.table_name),
                          ident(tracking.base_table(layer)))
    return {u for (u,) in project.db.execute(
        f"SELECT l.uuid FROM {dirty} d JOIN {table} l ON l.fid = d.fid UNION "
        f"SELECT b.uuid FROM {dirty} d JOIN {base} b ON b.fid = d.fid")}


# --- features with no local edit: the version as it is ----------------------------------------

def _apply_plain(project: Project, changes: list[Change], version: dict) -> None:
    """Apply changes of features without local edits; updates of the same columns together."""
    groups: dict[tuple, list[Change]] = {}
    for change in changes:
        if change.op == "update":
            groups.setdefault((change.layer, tuple(change.cols)), []).append(change)
        else:
            _apply_one(project, change, version)
    for (code, _), same in groups.items():
        apply_updates(project.db, project.tracked_layer(code), same, version["author"],
                      version["created"])
    by_layer: dict[str, list[str]] = {}
    for change in changes:
        by_layer.setdefault(change.layer, []).append(change.uuid)
    for code, uuids in by_layer.items():
        tracking.copy_to_base(project.db, project.tracked_layer(code), uuids)


def _apply_one(project: Project, change: Change, version: dict) -> None:
    layer = project.tracked_layer(change.layer)
    if change.op == "insert":
        project.db.execute(f"DELETE FROM {ident(layer.table_name)} WHERE uuid = ?", (change.uuid,))
    try:
        apply_change(project.db, layer, change, version["author"], version["created"],
                     fresh_key=True)
    except NotFound:
        # A clone that started from a snapshot taken while versions landed replays versions
        # the snapshot already holds: a delete of a feature already gone is such a case.
        log.debug("%s of missing %s/%s skipped", change.op, change.layer, change.uuid)


# --- features with local edits: rebase ----------------------------------------------------------

def _rebase_feature(project: Project, key: Key, change: Change | None, server_row, version: dict) -> None:
    code, uuid = key
    layer, db = project.tracked_layer(code), project.db
    base_old, live_old = read_row(project, layer, uuid, base=True), read_row(project, layer, uuid)
    shadowed = shadow.shadowed(db, code, [uuid])
    server = shadowed[uuid] if uuid in shadowed else base_old
    server = after(server, change) if server_row is _MISSING else server_row
    net = overlay(project, code, uuid)
    base_new = laid_over(server, net)
    if net is None:
        shadow.remove(db, code, uuid)
    else:
        shadow.put(db, code, uuid, server)
    if base_new == base_old:
        return
    uncommitted = _row_change(code, uuid, base_old, live_old)
    if uncommitted is not None:
        incoming = _row_change(code, uuid, base_old, base_new)
        _require_disjoint(layer, uuid, uncommitted, incoming)
    write_row(project, layer, uuid, base_new, version["author"], version["created"])
    tracking.copy_to_base(db, layer, [uuid])
    if uncommitted is not None:
        # The same uncommitted cells, now over the new base: still pending, still the user's.
        assert base_new is not None  # _require_disjoint refused a deletion
        cells = {c: (base_new.get(c), n) for c, (_, n) in uncommitted.cols.items()}
        apply_change(db, layer, Change(code, uuid, "update", cells), project.author,
                     version["created"])


def after(row: Row | None, change: Change | None) -> Row | None:
    """A feature's row after `change`."""
    if change is None:
        return row
    if change.op == "delete":
        return None
    new = {c: n for c, (_, n) in change.cols.items()}
    if change.op == "insert":
        return new
    return None if row is None else {**row, **new}


def laid_over(server: Row | None, net: Change | None) -> Row | None:
    """The server's row with our unechoed net change on top (what the replica shows)."""
    if net is None:
        return server
    if net.op == "delete":
        return None
    if net.op == "insert":
        return {c: n for c, (_, n) in net.cols.items()}
    # An update of a feature the server no longer has cannot show; the push records the clash.
    return None if server is None else {**server, **{c: n for c, (_, n) in net.cols.items()}}


def overlay(project: Project, code: str, uuid: str) -> Change | None:
    """The net change of our unechoed change sets on one feature (None when there is none)."""
    rows = project.db.execute(
        "SELECT c.changeset, c.idx, c.op, c.cols FROM coplan_changes c JOIN coplan_changesets s "
        "ON s.id = c.changeset WHERE c.layer = ? AND c.uuid = ? AND s.echoed = 0 AND "
        "s.state != 'remote' ORDER BY s.seq, c.idx", (code, uuid)).fetchall()
    if not rows:
        return None
    changes = [Change(code, uuid, op, storage.decode_cols(project.db, cs, idx, cols))
               for cs, idx, op, cols in rows]
    try:
        net = compose(changes)
    except ValueError:
        return changes[-1]  # an impossible sequence (a damaged log): the last word stands
    return net[0] if net else Change(code, uuid, "update", {})


def _row_change(code: str, uuid: str, before: Row | None, now: Row | None) -> Change | None:
    """The change from one row to another (None when they are equal)."""
    if before == now:
        return None
    if before is None:
        assert now is not None  # before != now
        return Change(code, uuid, "insert", {c: (None, v) for c, v in now.items()})
    if now is None:
        return Change(code, uuid, "delete", {c: (v, None) for c, v in before.items()})
    cols = {c: (before.get(c), v) for c, v in now.items() if before.get(c) != v}
    return Change(code, uuid, "update", cols) if cols else None


def _require_disjoint(layer: Layer, uuid: str, uncommitted: Change, incoming: Change | None) -> None:
    if incoming is None:
        return
    same = sorted(set(uncommitted.cols) & set(incoming.cols))
    if uncommitted.op == "update" and incoming.op == "update" and not same:
        return
    what = f"columns {', '.join(same)}" if same and uncommitted.op == incoming.op == "update" else \
        "the feature itself (created or deleted on one side)"
    raise ConflictError(
        f"feature {layer.code}/{uuid} has uncommitted edits and the server changed {what}; "
        "commit your edits (a push records the conflict for a decision) or discard them, then "
        f"pull again / 要素 {uuid} 有未提交的修改且服务器上也改了同一处：请先提交（推送后记录为冲突）"
        "或放弃修改，再拉取")


def read_row(project: Project, layer: Layer, uuid: str, *, base: bool = False) -> Row | None:
    """A feature's tracked columns in the layer table (or its base), geometry as hex WKB."""
    row = tracking.committed_row(project.db, layer, uuid) if base else project.db.execute(
        f"SELECT {tracking.select_columns(layer, 't')} FROM {ident(layer.table_name)} t "
        "WHERE t.uuid = ?", (uuid,)).fetchone()
    if row is None:
        return None
    return dict(zip(tracking.tracked_columns(layer), row[1:], strict=True))


def write_row(project: Project, layer: Layer, uuid: str, row: Row | None, author: str,
              when: str) -> None:
    """Make the layer table hold exactly `row` for the feature (None: no feature)."""
    db = project.db
    exists = db.execute(f"SELECT 1 FROM {ident(layer.table_name)} WHERE uuid = ?", (uuid,)).fetchone()
    if row is None:
        db.execute(f"DELETE FROM {ident(layer.table_name)} WHERE uuid = ?", (uuid,))
        return
    op = "update" if exists else "insert"
    apply_change(db, layer, Change(layer.code, uuid, op, {c: (None, v) for c, v in row.items()}),
                 author, when, fresh_key=True)


def _log_remote(project: Project, version: dict, changes: list[Change]) -> None:
    """Keep another party's change set in the local log (for per-feature history offline)."""
    cursor = project.db.execute(
        "INSERT OR IGNORE INTO coplan_changesets (id, party, author, message, created, "
        "base_version, schema_version, state, server_version) VALUES (?, ?, ?, ?, ?, ?, ?, "
        "'remote', ?)", (version["changeset"], version["party"], version["author"],
                         version["message"], version["created"], version["base_version"],
                         DATA_SCHEMA_VERSION, version["version"]))
    if cursor.rowcount == 0:
        return  # already in the log
    tracking.store_changes(project.db, version["changeset"], changes)


def load_rows(project: Project, features: list[dict], author: str, when: str) -> None:
    """Put server rows of a clone's snapshot page into an empty copy, layer by layer, with
    the spatial index built once per page instead of by a trigger per row."""
    by_layer: dict[str, list[dict]] = {}
    for item in features:
        by_layer.setdefault(item["layer"], []).append(item)
    for code, items in by_layer.items():
        layer = project.tracked_layer(code)
        columns = tracking.tracked_columns(layer)
        names = ["uuid", *(c for c in columns if c != GEOMETRY_COLUMN), "modified_by", "modified_at"]
        values = [ident(n) for n in names]
        params = ["?"] * len(names)
        if layer.spatial:
            values.append(ident(GEOMETRY_COLUMN))
            params.append(geometry_param(layer))
        sql = (f"INSERT INTO {ident(layer.table_name)} ({', '.join(values)}) "
               f"VALUES ({', '.join(params)})")
        rows = ([item["uuid"], *(item["row"].get(c) for c in names[1:-2]), author, when,
                 *([bytes.fromhex(item["row"][GEOMETRY_COLUMN])] if layer.spatial else [])]
                for item in items)
        if layer.spatial:
            with bulk_insert(project.db, layer):
                project.db.conn.executemany(sql, rows)
        else:
            project.db.conn.executemany(sql, rows)
        tracking.copy_to_base(project.db, layer, (item["uuid"] for item in items))
