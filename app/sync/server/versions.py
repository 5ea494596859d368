"""Versioned writes on the server: push (merge + record), pull, history, resolve, revert."""

from __future__ import annotations

import uuid as uuidlib
from dataclasses import replace

from app.errors import ConflictError, InvalidInput, NotFound, PermissionDenied
from app.model.catalogue import load_catalogue
from app.model.changes import Change, ChangeSet
from app.model.tables import tracked_layer
from app.sync.merge import Clash, Outcome, apply_to_row, merge, refuse
from app.sync.server.store import (
    FeatureState,
    Member,
    ProjectRow,
    Session,
    Store,
    now,
    project_row,
)

WRITE_ROLES = ("editor", "coordinator")
PAGE_BYTES = 32 * 1024 * 1024  # of row text per pull or snapshot page (at least one item)


def _replay(s: Session, project: str, key: str, body_hash: str) -> dict | None:
    """The stored answer of an earlier identical request; 422 if the key came with another body."""
    found = s.request(project, key)
    if found is None:
        return None
    if found[0] != body_hash:
        raise InvalidInput(f"request {key} was already used with a different body")
    return found[1]


def _feature(s: Session, project: str, layer: str, uuid: str) -> FeatureState:
    """A feature's server state; an empty FeatureState if the uuid was never used."""
    return s.features(project, [(layer, uuid)]).get((layer, uuid), NEVER)


NEVER = FeatureState(None, None, False)  # type: ignore[arg-type]


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


def _unique_taken(s: Session, project: str, change: Change | None, claimed: dict) -> str:
    """Why `change` would give a unique field (e.g. a section id) a value another feature holds
    or claimed earlier in the same change set ('' when it does not)."""
    if change is None or change.op == "delete":
        return ""
    layer = tracked_layer(load_catalogue(), change.layer)
    for name in (n for n in layer.unique if n in change.cols):
        value = change.cols[name][1]
        other = (claimed.get((layer.code, name, value))
                 or s.holder(project, change.layer, change.uuid, name, value))
        if other and other != change.uuid:
            return f"{name} {value!r} is already used by {other}"
        claimed[(layer.code, name, value)] = change.uuid
    return ""


def _feature_row(change: Change, version: int, last: dict | None) -> tuple:
    """The `features` row after `change` (a deleted feature keeps its last row):
    (layer, uuid, owner, row, deleted, version)."""
    row = apply_to_row(change, last if change.op != "insert" else None)
    deleted = row is None
    row = last if deleted else row
    return (change.layer, change.uuid, row.get("owner"), row, deleted, version)  # type: ignore[union-attr]  # deleted: it had a row


def _parties(s: Session, project: str) -> set[str]:
    return {code for code, _, _ in s.parties(project)}


def _merge_all(s: Session, member: Member, cs: ChangeSet, version: int, shared: list[str]
               ) -> tuple[list[Change], list[Clash]]:
    # A change set names each feature once (the parser checks), so heads are read up front and
    # the new rows written in one statement.
    heads = s.features(member.project, ((c.layer, c.uuid) for c in cs.changes))
    claimed: dict[tuple, str] = {}
    parties = _parties(s, member.project)
    applied, clashes, rows = [], [], []
    for change in cs.changes:
        state = heads.get((change.layer, change.uuid), NEVER)
        last = state.row
        head = None if last is None or state.deleted else last
        reason = _permission(member, change, state.owner, shared, parties)
        outcome: Outcome = refuse(change, head, reason) if reason else merge(change, head)
        taken = _unique_taken(s, member.project, outcome.applied, claimed)
        if taken:
            outcome = refuse(change, head, taken)
        if outcome.applied:
            rows.append(_feature_row(outcome.applied, version, last))
            applied.append(outcome.applied)
        if outcome.clash:
            clashes.append(outcome.clash)
    s.put_features(member.project, rows)
    return applied, clashes


def _record(s: Session, member: Member, cs: ChangeSet, version: int, kind: str,
            applied: list[Change], clashes: list[Clash]) -> list[dict]:
    """Write the version, its applied changes and its clashes; returns the clashes as JSON."""
    states = s.features(member.project, {(c.layer, c.uuid) for c in clashes}) if clashes else {}
    out = []
    for clash in clashes:
        state = states.get((clash.layer, clash.uuid), NEVER)
        server_row = None if state.row is None or state.deleted else state.row
        out.append({"layer": clash.layer, "uuid": clash.uuid, "kind": clash.kind,
                    "cells": {k: list(v) for k, v in clash.cells.items()},
                    "reason": clash.reason, "server_row": server_row})
    record = {"version": version, "changeset": cs.id, "kind": kind, "party": cs.party,
              "author": cs.author, "username": member.user, "message": cs.message,
              "created": cs.created, "received": now(), "base_version": cs.base_version,
              "forced": cs.forced}  # a coordinator's commit --force, kept on record
    ids = s.append_version(member.project, record,
                           [(c.layer, c.uuid, c.op, {k: [o, n] for k, (o, n) in c.cols.items()})
                            for c in applied], out)
    return [{"id": i, **item} for i, item in zip(ids, out, strict=True)]


def check_can_push(member: Member) -> None:
    """PermissionDenied for a role that cannot change the plan data (checked before the body
    of a push is read)."""
    if member.role not in WRITE_ROLES:
        raise PermissionDenied(f"role {member.role} cannot change the plan data / "
                               f"角色 {member.role} 不能修改规划数据")


def push(store: Store, member: Member, cs: ChangeSet, body_hash: str,
         kind: str = "push", key: str | None = None) -> dict:
    """Merge a change set as the next version (or replay the first answer for its request key,
    the change-set id unless given). The version's author is the authenticated user."""
    check_can_push(member)
    if cs.party != member.party:
        raise PermissionDenied(f"user {member.user} acts for party {member.party}, not {cs.party}")
    if cs.project != member.project:
        raise InvalidInput(f"change set is for project {cs.project!r}, not {member.project!r}")
    cs = replace(cs, author=member.user)
    with store.writing() as s:
        project = project_row(s, member.project, lock=True)  # one writer per project from here
        stored = _replay(s, member.project, key or cs.id, body_hash)
        if stored is not None:
            return stored
        if s.changeset(member.project, cs.id):
            raise InvalidInput(f"change set id {cs.id} is already taken in this project")
        if cs.schema_version != project.schema_version:
            raise ConflictError(f"schema version mismatch: the change set has {cs.schema_version}, "
                                f"the project expects {project.schema_version}; update CoPlan")
        version = project.head + 1
        applied, clashes = _merge_all(s, member, cs, version, project.shared_layers)
        clash_json = _record(s, member, cs, version, kind, applied, clashes)
        response = {"version": version, "changeset": cs.id, "applied": len(applied),
                    "clashes": clash_json}
        s.insert_request(member.project, key or cs.id, body_hash, response)
    return response


def pull(store: Store, project: str, since: int, limit: int = 100,
         max_changes: int | None = None) -> dict:
    """Versions after `since` (at most `limit`, and no more than `max_changes` changes unless
    the first version alone has more), each with its applied changes and clashes."""
    with store.reading() as s:
        head = project_row(s, project).head
        versions: list[dict] = []
        total, size = 0, 0
        for meta, count, length in s.versions(project, since, limit):
            if versions and (max_changes and total + count > max_changes or size > PAGE_BYTES):
                break
            versions.append(_version_json(s, project, meta))
            total, size = total + count, size + length
    return {"head": head, "versions": versions}


def snapshot(store: Store, project: str, after: tuple[str, str] | None, limit: int) -> dict:
    """A page of the current features (ordered by layer and uuid) for a clone: at most `limit`
    features and about PAGE_BYTES of rows, at least one."""
    with store.reading() as s:
        head = project_row(s, project).head
        features: list = []
        size, more = 0, False
        for la, u, row, length in s.snapshot(project, after or ("", ""), limit):
            if features and size + length > PAGE_BYTES:
                more = True
                break
            features.append({"layer": la, "uuid": u, "row": row})
            size += length
        more = more or len(features) == limit
        # Counted on the first page only: a count of a million rows on every page adds up.
        total = s.count_features(project) if after is None else None
    last = {"layer": features[-1]["layer"], "uuid": features[-1]["uuid"]} if more and features else None
    return {"head": head, "taken": now(), "total": total, "features": features, "next": last}


def _version_json(s: Session, project: str, meta: dict) -> dict:
    clashes = [{k: c[k] for k in CLASH_KEYS} for c in s.version_clashes(project, meta["version"])]
    return {**{k: meta[k] for k in VERSION_KEYS},
            "changes": s.version_changes(project, meta["version"]), "clashes": clashes}


VERSION_KEYS = ("version", "changeset", "kind", "party", "author", "message", "created",
                "base_version", "forced")
CLASH_KEYS = ("id", "layer", "uuid", "kind", "cells", "reason", "server_row", "status")


def history(store: Store, project: str, layer: str, uuid: str) -> list[dict]:
    """Every applied change of one feature, oldest first."""
    with store.reading() as s:
        project_row(s, project)
        return s.history(project, layer, uuid)


def list_clashes(store: Store, project: str, status: str | None = "open") -> list[dict]:
    """Conflict records of a project (open ones by default)."""
    with store.reading() as s:
        project_row(s, project)
        records = s.clashes(project, status)
        states = s.features(project, {(c["layer"], c["uuid"]) for c in records})
    out = []
    for record in records:
        item = {k: record[k] for k in CLASH_KEYS}
        state = states.get((item["layer"], item["uuid"]), NEVER)
        current = None if state.row is None or state.deleted else state.row
        item.update(version=record["version"], changeset=record["changeset"],
                    party=record["party"], current=current,
                    stale=item["status"] == "open" and _moved(item, current))
        out.append(item)
    return out


def _moved(clash: dict, current: dict | None) -> bool:
    """True when the server's state differs from the "ours" the record shows: the feature came
    or went, or a cell of the conflict changed since."""
    if (clash["server_row"] is None) != (current is None):
        return True
    return current is not None and any(current.get(c) != cell[1] for c, cell in clash["cells"].items())


def _load_clash(s: Session, project: str, clash_id: int) -> dict:
    found = s.clashes(project, None, clash_id)
    if not found:
        raise NotFound(f"no conflict {clash_id} in project {project}")
    return found[0]


def resolve(store: Store, member: Member, clash_id: int, choice: str,
            values: dict | None = None) -> dict:
    """Settle a conflict (ancestor, ours, theirs or explicit values) as a new version.

    The decision is merged against the server's current state: when the feature moved since
    the record was made, the record is refreshed to show the current values and the decision
    is refused (409), so nobody decides on values they did not see."""
    from app.sync.server.resolution import resolution_change

    if choice not in ("ancestor", "ours", "theirs", "value"):
        raise InvalidInput("choice must be ancestor, ours, theirs or value")
    with store.writing() as s:
        project = project_row(s, member.project, lock=True)
        clash = _load_clash(s, member.project, clash_id)
        if clash["status"] != "open":
            raise ConflictError(f"conflict {clash_id} is already resolved")
        state = _feature(s, member.project, clash["layer"], clash["uuid"])
        last = state.row
        current = None if last is None or state.deleted else last
        _check_resolver(member, clash, state.owner, choice)
        stale = _moved(clash, current)
        if stale:
            _refresh(s, member.project, clash, current)
        else:
            change = resolution_change(clash, current, last, choice, values)
            if change is not None:
                change = _check_resolution(s, member, project, change, state.owner)
            version = project.head + 1
            cs = ChangeSet(str(uuidlib.uuid4()), member.party, member.user,
                           f"Resolve conflict #{clash_id}: {choice}", now(), version - 1, 0,
                           (change,) if change else (), member.project)
            if change:
                s.put_features(member.project, [_feature_row(change, version, last)])
            _record(s, member, cs, version, "resolve", [change] if change else [], [])
            s.update_clash(member.project, clash_id, status="resolved", resolution=choice,
                           resolved_by=member.user, resolved_version=version)
    if stale:
        raise ConflictError(f"conflict {clash_id} is out of date: the feature changed on the server "
                            "since it was recorded; the record now shows the current values — look "
                            "at it again and decide / 冲突记录已过时：服务器上的要素已再次修改，"
                            "记录已更新为当前值，请重新查看后再决定")
    return {"version": version, "conflict": clash_id, "applied": 1 if change else 0}


def _refresh(s: Session, project: str, clash: dict, current: dict | None) -> None:
    """Make the record's "ours" side the server's current values."""
    cells = {c: [a, (current or {}).get(c), t] for c, (a, _, t) in clash["cells"].items()}
    s.update_clash(project, clash["id"], cells=cells, server_row=current)


def _check_resolution(s: Session, member: Member, project: ProjectRow, change: Change,
                      owner: str | None) -> Change:
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
    reason = _permission(member, change, owner, project.shared_layers, _parties(s, member.project))
    if reason:
        raise PermissionDenied(f"this decision would make a change party {member.party} may not "
                               f"make: {reason}")
    taken = _unique_taken(s, member.project, change, {})
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


def revert(store: Store, member: Member, changeset_id: str, body_hash: str) -> dict:
    """Merge the inverse of what a version applied, as a new version from `member`."""
    with store.reading() as s:
        found = s.changeset(member.project, changeset_id)
        if found is None:
            raise NotFound(f"no change set {changeset_id} in project {member.project}")
        version, party, message = found
        if member.role != "coordinator" and member.party != party:
            raise PermissionDenied("only a coordinator or the party that made it can revert a "
                                   "change set")
        changes = tuple(Change(c["layer"], c["uuid"], c["op"],
                               {k: (v[0], v[1]) for k, v in c["cols"].items()})
                        for c in s.version_changes(member.project, version))
        schema = project_row(s, member.project).schema_version
    if not changes:
        raise InvalidInput(f"change set {changeset_id} applied nothing; there is nothing to revert")
    # A random id: one derived from the change set's id could be taken first by anyone who
    # pushes a change set with it. The request key makes a repeated revert return its answer.
    inverse = ~ChangeSet(str(uuidlib.uuid4()), member.party, member.user,
                         f'Revert "{message}"', now(), version, schema, changes, member.project)
    return push(store, member, inverse, body_hash, kind="revert", key=f"revert:{changeset_id}")
