"""Versioned writes on the server: push (merge + record), pull, history, resolve, revert."""

from __future__ import annotations

import json
import uuid as uuidlib
from dataclasses import replace

from app.errors import ConflictError, InvalidInput, NotFound, PermissionDenied
from app.model.catalogue import load_catalogue
from app.model.changes import Change, ChangeSet
from app.model.tables import tracked_layer
from app.sync.merge import Clash, Outcome, apply_to_row, merge, refuse
from app.sync.server.store import Member, SqliteStore, now

WRITE_ROLES = ("editor", "coordinator")
PAGE_BYTES = 32 * 1024 * 1024  # of row text per pull or snapshot page (at least one item)


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _replay(db, project: str, key: str, body_hash: str) -> dict | None:
    """The stored answer of an earlier identical request; 422 if the key came with another body."""
    row = db.execute("SELECT body_hash, response FROM requests WHERE project = ? AND key = ?",
                     (project, key)).fetchone()
    if row is None:
        return None
    if row[0] != body_hash:
        raise InvalidInput(f"request {key} was already used with a different body")
    return json.loads(row[1])


def _feature(db, project: str, layer: str, uuid: str) -> tuple[dict | None, str | None, bool]:
    """(last row, owner, deleted) of a feature; (None, None, False) if never seen."""
    row = db.execute("SELECT row, owner, deleted FROM features WHERE project = ? AND layer = ? "
                     "AND uuid = ?", (project, layer, uuid)).fetchone()
    if row is None:
        return None, None, False
    return json.loads(row[0]), row[1], bool(row[2])


def _permission(member: Member, change: Change, owner: str | None, shared: list[str],
                parties: set[str]) -> str:
    """Why `member` may not make `change` ('' when allowed). `owner` is the server's owner of
    the feature (of its last state when deleted; None if the uuid was never used): ownership
    is read from the server's state, never from what the change claims."""
    new_owner = change.cols.get("owner", (None, None))[1] if change.op != "delete" else None
    if new_owner is not None and new_owner not in parties:
        return f"owner {new_owner!r} is not a party of this project"
    if member.role == "coordinator":
        return ""
    if change.op == "insert":
        if new_owner != member.party:
            return f"party {member.party} may only create its own features"
        if owner is not None and owner != member.party:
            return f"uuid {change.uuid} is a feature of party {owner}"
        return ""
    if change.op == "update" and "owner" in change.cols:
        return "only coordinators transfer ownership"
    if owner is None or owner == member.party or change.layer in shared:
        return ""
    return f"feature {change.uuid} belongs to party {owner}"


def _unique_taken(db, project: str, change: Change | None, claimed: dict) -> str:
    """Why `change` would give a unique field (e.g. a section id) a value another feature holds
    or claimed earlier in the same change set ('' when it does not)."""
    if change is None or change.op == "delete":
        return ""
    layer = tracked_layer(load_catalogue(), change.layer)
    for name in (n for n in layer.unique if n in change.cols):
        value = change.cols[name][1]
        other = claimed.get((layer.code, name, value)) or _holder(db, project, change, name, value)
        if other and other != change.uuid:
            return f"{name} {value!r} is already used by {other}"
        claimed[(layer.code, name, value)] = change.uuid
    return ""


def _holder(db, project: str, change: Change, name: str, value) -> str | None:
    row = db.execute("SELECT uuid FROM features WHERE project = ? AND layer = ? AND deleted = 0 "
                     "AND uuid != ? AND json_extract(row, ?) = ?",
                     (project, change.layer, change.uuid, f"$.{name}", value)).fetchone()
    return row[0] if row else None


def _feature_row(project: str, change: Change, version: int, last: dict | None) -> tuple:
    """The `features` row after `change` (a deleted feature keeps its last row)."""
    row = apply_to_row(change, last if change.op != "insert" else None)
    deleted = row is None
    row = last if deleted else row
    return (project, change.layer, change.uuid, row.get("owner"), _dumps(row), int(deleted), version)


def _store_feature(db, project: str, change: Change, version: int, last: dict | None) -> None:
    db.execute("INSERT OR REPLACE INTO features VALUES (?, ?, ?, ?, ?, ?, ?)",
               _feature_row(project, change, version, last))


def _heads(db, project: str, changes: tuple[Change, ...]) -> dict:
    """(last row, owner, deleted) of every feature a change set names, in one query."""
    db.execute("CREATE TEMP TABLE IF NOT EXISTS push_keys (layer TEXT, uuid TEXT)")
    db.execute("DELETE FROM push_keys")
    db.executemany("INSERT INTO push_keys VALUES (?, ?)", ((c.layer, c.uuid) for c in changes))
    rows = db.execute("SELECT f.layer, f.uuid, f.row, f.owner, f.deleted FROM push_keys k "
                      "JOIN features f ON f.project = ? AND f.layer = k.layer AND f.uuid = k.uuid",
                      (project,))
    return {(la, u): (json.loads(row), owner, bool(d)) for la, u, row, owner, d in rows}


def _parties(db, project: str) -> set[str]:
    return {code for (code,) in db.execute("SELECT code FROM parties WHERE project = ?", (project,))}


def _merge_all(db, member: Member, cs: ChangeSet, version: int, shared: list[str]
               ) -> tuple[list[Change], list[Clash]]:
    # A change set names each feature once (the parser checks), so heads are read up front and
    # the new rows written in one statement.
    heads, claimed = _heads(db, member.project, cs.changes), {}
    parties = _parties(db, member.project)
    applied, clashes, rows = [], [], []
    for change in cs.changes:
        last, owner, deleted = heads.get((change.layer, change.uuid), (None, None, False))
        head = None if last is None or deleted else last
        reason = _permission(member, change, owner, shared, parties)
        outcome: Outcome = refuse(change, head, reason) if reason else merge(change, head)
        taken = _unique_taken(db, member.project, outcome.applied, claimed)
        if taken:
            outcome = refuse(change, head, taken)
        if outcome.applied:
            rows.append(_feature_row(member.project, outcome.applied, version, last))
            applied.append(outcome.applied)
        if outcome.clash:
            clashes.append(outcome.clash)
    db.executemany("INSERT OR REPLACE INTO features VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    return applied, clashes


def _record(db, member: Member, cs: ChangeSet, version: int, kind: str, applied: list[Change],
            clashes: list[Clash]) -> list[dict]:
    """Write the version, its applied changes and its clashes; returns the clashes as JSON."""
    db.execute("INSERT INTO versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (member.project, version, cs.id, kind, cs.party, cs.author, member.user, cs.message,
                cs.created, now(), cs.base_version))
    db.executemany("INSERT INTO changes VALUES (?, ?, ?, ?, ?, ?, ?)",
                   ((member.project, version, i, c.layer, c.uuid, c.op,
                     _dumps({k: [o, n] for k, (o, n) in c.cols.items()}))
                    for i, c in enumerate(applied)))
    out = []
    for clash in clashes:
        last, _, deleted = _feature(db, member.project, clash.layer, clash.uuid)
        server_row = None if last is None or deleted else last
        cells = {k: list(v) for k, v in clash.cells.items()}
        cursor = db.execute(
            "INSERT INTO clashes (project, version, changeset, party, layer, uuid, kind, cells, "
            "reason, server_row) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (member.project, version, cs.id, cs.party, clash.layer, clash.uuid, clash.kind,
             _dumps(cells), clash.reason, None if server_row is None else _dumps(server_row)))
        out.append({"id": cursor.lastrowid, "layer": clash.layer, "uuid": clash.uuid,
                    "kind": clash.kind, "cells": cells, "reason": clash.reason,
                    "server_row": server_row})
    db.execute("UPDATE projects SET head = ? WHERE id = ?", (version, member.project))
    return out


def check_can_push(member: Member) -> None:
    """PermissionDenied for a role that cannot change the plan data (checked before the body
    of a push is read)."""
    if member.role not in WRITE_ROLES:
        raise PermissionDenied(f"role {member.role} cannot change the plan data / "
                               f"角色 {member.role} 不能修改规划数据")


def push(store: SqliteStore, member: Member, cs: ChangeSet, body_hash: str,
         kind: str = "push", key: str | None = None) -> dict:
    """Merge a change set as the next version (or replay the first answer for its request key,
    the change-set id unless given). The version's author is the authenticated user."""
    check_can_push(member)
    if cs.party != member.party:
        raise PermissionDenied(f"user {member.user} acts for party {member.party}, not {cs.party}")
    if cs.project != member.project:
        raise InvalidInput(f"change set is for project {cs.project!r}, not {member.project!r}")
    cs = replace(cs, author=member.user)
    with store.write() as db:
        stored = _replay(db, member.project, key or cs.id, body_hash)
        if stored is not None:
            return stored
        if db.execute("SELECT 1 FROM versions WHERE project = ? AND changeset = ?",
                      (member.project, cs.id)).fetchone():
            raise InvalidInput(f"change set id {cs.id} is already taken in this project")
        _, _, head, schema, shared = store._project_row(db, member.project)
        if cs.schema_version != schema:
            raise ConflictError(f"schema version mismatch: the change set has {cs.schema_version}, "
                                f"the project expects {schema}; update CoPlan")
        version = head + 1
        applied, clashes = _merge_all(db, member, cs, version, json.loads(shared))
        clash_json = _record(db, member, cs, version, kind, applied, clashes)
        response = {"version": version, "changeset": cs.id, "applied": len(applied),
                    "clashes": clash_json}
        db.execute("INSERT INTO requests VALUES (?, ?, ?, ?)",
                   (member.project, key or cs.id, body_hash, _dumps(response)))
    return response


def pull(store: SqliteStore, project: str, since: int, limit: int = 100,
         max_changes: int | None = None) -> dict:
    """Versions after `since` (at most `limit`, and no more than `max_changes` changes unless
    the first version alone has more), each with its applied changes and clashes."""
    db = store.read()
    head = store._project_row(db, project)[2]
    rows = db.execute("SELECT v.version, v.changeset, v.kind, v.party, v.author, v.message, "
                      "v.created, v.base_version, count(c.idx), coalesce(sum(length(c.cols)), 0) "
                      "FROM versions v LEFT JOIN changes c ON c.project = v.project AND "
                      "c.version = v.version WHERE v.project = ? AND v.version > ? "
                      "GROUP BY v.version ORDER BY v.version LIMIT ?",
                      (project, since, limit)).fetchall()
    versions, total, size = [], 0, 0
    for row in rows:
        if versions and (max_changes and total + row[8] > max_changes or size > PAGE_BYTES):
            break
        versions.append(_version_json(db, project, row[:8]))
        total, size = total + row[8], size + row[9]
    return {"head": head, "versions": versions}


def snapshot(store: SqliteStore, project: str, after: tuple[str, str] | None, limit: int) -> dict:
    """A page of the current features (ordered by layer and uuid) for a clone: at most `limit`
    features and about PAGE_BYTES of rows, at least one."""
    db = store.read()
    head = store._project_row(db, project)[2]
    layer, uuid = after or ("", "")
    rows = db.execute("SELECT layer, uuid, row FROM features WHERE project = ? AND deleted = 0 "
                      "AND (layer, uuid) > (?, ?) ORDER BY layer, uuid LIMIT ?",
                      (project, layer, uuid, limit))
    features, size, more = [], 0, False
    for la, u, r in rows:
        if features and size + len(r) > PAGE_BYTES:
            more = True
            break
        features.append({"layer": la, "uuid": u, "row": json.loads(r)})
        size += len(r)
    more = more or len(features) == limit
    # Counted on the first page only: a count of a million rows on every page adds up.
    total = db.execute("SELECT count(*) FROM features WHERE project = ? AND deleted = 0",
                       (project,)).fetchone()[0] if after is None else None
    last = {"layer": features[-1]["layer"], "uuid": features[-1]["uuid"]} if more and features else None
    return {"head": head, "taken": now(), "total": total, "features": features, "next": last}


def _version_json(db, project: str, row: tuple) -> dict:
    version, changeset, kind, party, author, message, created, base = row
    changes = [{"layer": la, "uuid": u, "op": op, "cols": json.loads(cols)} for la, u, op, cols in
               db.execute("SELECT layer, uuid, op, cols FROM changes WHERE project = ? AND "
                          "version = ? ORDER BY idx", (project, version))]
    clashes = [_clash_json(r) for r in db.execute(
        "SELECT id, layer, uuid, kind, cells, reason, server_row, status FROM clashes "
        "WHERE project = ? AND version = ? ORDER BY id", (project, version))]
    return {"version": version, "changeset": changeset, "kind": kind, "party": party,
            "author": author, "message": message, "created": created, "base_version": base,
            "changes": changes, "clashes": clashes}


def _clash_json(row: tuple) -> dict:
    cid, layer, uuid, kind, cells, reason, server_row, status = row
    return {"id": cid, "layer": layer, "uuid": uuid, "kind": kind, "cells": json.loads(cells),
            "reason": reason, "server_row": json.loads(server_row) if server_row else None,
            "status": status}


def history(store: SqliteStore, project: str, layer: str, uuid: str) -> list[dict]:
    """Every applied change of one feature, oldest first."""
    db = store.read()
    store._project_row(db, project)
    rows = db.execute(
        "SELECT c.version, c.op, c.cols, v.party, v.author, v.created, v.message, v.kind "
        "FROM changes c JOIN versions v ON v.project = c.project AND v.version = c.version "
        "WHERE c.project = ? AND c.layer = ? AND c.uuid = ? ORDER BY c.version", (project, layer, uuid))
    return [{"version": v, "op": op, "cols": json.loads(cols), "party": p, "author": a,
             "created": cr, "message": m, "kind": k} for v, op, cols, p, a, cr, m, k in rows]


def list_clashes(store: SqliteStore, project: str, status: str | None = "open") -> list[dict]:
    """Conflict records of a project (open ones by default)."""
    db = store.read()
    store._project_row(db, project)
    sql = ("SELECT id, layer, uuid, kind, cells, reason, server_row, status, version, changeset, "
           "party FROM clashes WHERE project = ?")
    params: list = [project]
    if status:
        sql += " AND status = ?"
        params.append(status)
    out = []
    for row in db.execute(sql + " ORDER BY id", params).fetchall():
        item = _clash_json(row[:8])
        last, _, deleted = _feature(db, project, item["layer"], item["uuid"])
        current = None if last is None or deleted else last
        item.update(version=row[8], changeset=row[9], party=row[10], current=current,
                    stale=item["status"] == "open" and _moved(item, current))
        out.append(item)
    return out


def _moved(clash: dict, current: dict | None) -> bool:
    """True when the server's state differs from the "ours" the record shows: the feature came
    or went, or a cell of the conflict changed since."""
    if (clash["server_row"] is None) != (current is None):
        return True
    return current is not None and any(current.get(c) != cell[1] for c, cell in clash["cells"].items())


def _load_clash(db, project: str, clash_id: int) -> dict:
    row = db.execute("SELECT id, layer, uuid, kind, cells, reason, server_row, status, party "
                     "FROM clashes WHERE project = ? AND id = ?", (project, clash_id)).fetchone()
    if row is None:
        raise NotFound(f"no conflict {clash_id} in project {project}")
    clash = _clash_json(row[:8])
    clash["party"] = row[8]
    return clash


def resolve(store: SqliteStore, member: Member, clash_id: int, choice: str,
            values: dict | None = None) -> dict:
    """Settle a conflict (ancestor, ours, theirs or explicit values) as a new version.

    The decision is merged against the server's current state: when the feature moved since
    the record was made, the record is refreshed to show the current values and the decision
    is refused (409), so nobody decides on values they did not see."""
    from app.sync.server.resolution import resolution_change

    if choice not in ("ancestor", "ours", "theirs", "value"):
        raise InvalidInput("choice must be ancestor, ours, theirs or value")
    with store.write() as db:
        clash = _load_clash(db, member.project, clash_id)
        if clash["status"] != "open":
            raise ConflictError(f"conflict {clash_id} is already resolved")
        last, owner, deleted = _feature(db, member.project, clash["layer"], clash["uuid"])
        current = None if last is None or deleted else last
        _check_resolver(member, clash, owner, choice)
        stale = _moved(clash, current)
        if stale:
            _refresh(db, clash, current)
        else:
            change = resolution_change(clash, current, last, choice, values)
            if change is not None:
                change = _check_resolution(db, member, change, owner)
            version = store._project_row(db, member.project)[2] + 1
            cs = ChangeSet(str(uuidlib.uuid4()), member.party, member.user,
                           f"Resolve conflict #{clash_id}: {choice}", now(), version - 1, 0,
                           (change,) if change else (), member.project)
            if change:
                _store_feature(db, member.project, change, version, last)
            _record(db, member, cs, version, "resolve", [change] if change else [], [])
            db.execute("UPDATE clashes SET status = 'resolved', resolution = ?, resolved_by = ?, "
                       "resolved_version = ? WHERE id = ?", (choice, member.user, version, clash_id))
    if stale:
        raise ConflictError(f"conflict {clash_id} is out of date: the feature changed on the server "
                            "since it was recorded; the record now shows the current values — look "
                            "at it again and decide / 冲突记录已过时：服务器上的要素已再次修改，"
                            "记录已更新为当前值，请重新查看后再决定")
    return {"version": version, "conflict": clash_id, "applied": 1 if change else 0}


def _refresh(db, clash: dict, current: dict | None) -> None:
    """Make the record's "ours" side the server's current values."""
    cells = {c: [a, (current or {}).get(c), t] for c, (a, _, t) in clash["cells"].items()}
    db.execute("UPDATE clashes SET cells = ?, server_row = ? WHERE id = ?",
               (_dumps(cells), None if current is None else _dumps(current), clash["id"]))


def _check_resolution(db, member: Member, change: Change, owner: str | None) -> Change:
    """A decision writes values like a push does: the same checks (geometry comes back in its
    one spelling), the same permissions."""
    from app.sync import protocol

    layer = tracked_layer(load_catalogue(), change.layer)
    try:
        cols = {c: (o, protocol.check_value(layer, c, n, f"values.{c}")) for c, (o, n) in change.cols.items()}
        change = Change(change.layer, change.uuid, change.op, cols)
        protocol.check_shape(layer, change, "resolution")
    except protocol.ProtocolError as exc:
        raise InvalidInput(exc.message) from exc
    project = db.execute("SELECT shared_layers FROM projects WHERE id = ?", (member.project,)).fetchone()
    reason = _permission(member, change, owner, json.loads(project[0]), _parties(db, member.project))
    if reason:
        raise PermissionDenied(f"this decision would make a change party {member.party} may not "
                               f"make: {reason}")
    taken = _unique_taken(db, member.project, change, {})
    if taken:
        raise ConflictError(taken)
    return change


def _check_resolver(member: Member, clash: dict, owner: str | None, choice: str) -> None:
    if clash["kind"] == "refused" and choice == "ancestor":
        # A refused change's "old" values are what its sender claimed, not a state the server had.
        raise InvalidInput("a refused change has no ancestor to go back to; keep ours or accept theirs")
    if member.role == "coordinator":
        return
    if clash["kind"] == "refused" and choice in ("theirs", "value"):
        raise PermissionDenied("only a coordinator can accept a refused change")
    if member.role != "editor" or member.party not in (clash["party"], owner):
        raise PermissionDenied("only a coordinator or the parties involved can resolve a conflict")


def revert(store: SqliteStore, member: Member, changeset_id: str, body_hash: str) -> dict:
    """Merge the inverse of what a version applied, as a new version from `member`."""
    db = store.read()
    row = db.execute("SELECT version, party, message FROM versions WHERE project = ? AND "
                     "changeset = ?", (member.project, changeset_id)).fetchone()
    if row is None:
        raise NotFound(f"no change set {changeset_id} in project {member.project}")
    if member.role != "coordinator" and member.party != row[1]:
        raise PermissionDenied("only a coordinator or the party that made it can revert a change set")
    changes = tuple(Change(la, u, op, {k: (v[0], v[1]) for k, v in json.loads(cols).items()})
                    for la, u, op, cols in db.execute(
                        "SELECT layer, uuid, op, cols FROM changes WHERE project = ? AND "
                        "version = ? ORDER BY idx", (member.project, row[0])))
    if not changes:
        raise InvalidInput(f"change set {changeset_id} applied nothing; there is nothing to revert")
    schema = store._project_row(db, member.project)[3]
    # A random id: one derived from the change set's id could be taken first by anyone who
    # pushes a change set with it. The request key makes a repeated revert return its answer.
    inverse = ~ChangeSet(str(uuidlib.uuid4()), member.party, member.user,
                         f'Revert "{row[2]}"', now(), row[0], schema, changes, member.project)
    return push(store, member, inverse, body_hash, kind="revert", key=f"revert:{changeset_id}")
