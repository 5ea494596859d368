"""The local side of sync: the outbox of committed change sets, applying server versions
(capture suppressed, one transaction per version together with the version cursor), recognising
the project's own change sets when they come back, and sync as a generator of progress."""

from __future__ import annotations

import json
import logging
from collections.abc import Generator
from dataclasses import dataclass, field

from app.errors import ConflictError, NotFound, ProjectError
from app.model.changes import DATA_SCHEMA_VERSION, Change, ChangeSet
from app.model.jobs import Progress, drive
from app.project import history, tracking
from app.project.apply import apply_change, apply_updates
from app.project.project import Project
from app.project.sql import ident
from app.sync.client import Remote

log = logging.getLogger(__name__)
PULL_PAGE = 50  # versions per request


@dataclass
class SyncReport:
    pushed: list[str] = field(default_factory=list)  # change-set ids
    pulled: int = 0  # versions applied
    clashes: list[dict] = field(default_factory=list)  # conflicts and refusals of own pushes
    version: int = 0  # the server version the project is now at


def remote_of(project: Project) -> tuple[str, str]:
    """(server URL, project id) this project syncs with."""
    url, pid = project.meta("remote_url"), project.meta("remote_project")
    if not url or not pid:
        raise ProjectError("this project has no server; clone it from one or set its remote")
    return url, pid


def outbox(project: Project) -> list[ChangeSet]:
    """Committed change sets the server has not acknowledged, oldest first."""
    ids = [r[0] for r in project.db.execute(
        "SELECT id FROM coplan_changesets WHERE state = 'local' ORDER BY seq")]
    return [history.changeset(project, i) for i in ids]


def _require_clean(project: Project) -> None:
    found = history.audit(project)
    if history.pending(project):
        hint = f" ({found} made outside CoPlan)" if found else ""
        raise ConflictError(f"there are uncommitted changes{hint}; commit or discard them before syncing")


def push_steps(project: Project, remote: Remote) -> Generator[Progress, None, list[dict]]:
    """Push the outbox in order; returns the answers."""
    _, pid = remote_of(project)
    pending = outbox(project)
    answers = []
    for i, cs in enumerate(pending):
        yield Progress("push", i, len(pending), cs.message)
        body = json.dumps({**cs.to_json(), "project": pid}, ensure_ascii=False).encode()
        answer = remote.push(pid, body)
        with project.db.atomic():
            project.db.execute("UPDATE coplan_changesets SET state = 'pushed', server_version = ? "
                               "WHERE id = ?", (answer["version"], cs.id))
        answers.append(answer)
    yield Progress("push", len(pending), len(pending))
    return answers


def pull_steps(project: Project, remote: Remote) -> Generator[Progress, None, int]:
    """Apply every server version after the project's; returns how many were applied."""
    _, pid = remote_of(project)
    applied = 0
    while True:
        page = remote.pull(pid, project.base_version, PULL_PAGE)
        for version in page["versions"]:
            apply_version(project, version)
            applied += 1
            yield Progress("pull", project.base_version, page["head"], version["message"])
        if not page["versions"] or project.base_version >= page["head"]:
            return applied


def sync_steps(project: Project, remote: Remote) -> Generator[Progress, None, SyncReport]:
    """Push the outbox, then pull; an interrupted sync leaves the project consistent."""
    _require_clean(project)
    report = SyncReport()
    answers = yield from push_steps(project, remote)
    report.pushed = [a["changeset"] for a in answers]
    report.clashes = [c for a in answers for c in a["clashes"]]
    report.pulled = yield from pull_steps(project, remote)
    report.version = project.base_version
    return report


run = drive  # drive a sync generator to its end (callers and tests say replica.run)


# --- applying one server version -------------------------------------------------------------

def apply_version(project: Project, version: dict) -> None:
    """Apply a server version and advance the cursor, in one transaction."""
    own = project.db.execute("SELECT state FROM coplan_changesets WHERE id = ?",
                             (version["changeset"],)).fetchone()
    touched: set[tuple[str, str]] = set()
    with project.db.atomic(), tracking.capture_suppressed(project.db):
        if own and own[0] != "remote":
            for clash in version["clashes"]:
                _correct(project, clash, version)
                touched.add((clash["layer"], clash["uuid"]))
            project.db.execute("UPDATE coplan_changesets SET state = 'pushed', server_version = ? "
                               "WHERE id = ?", (version["version"], version["changeset"]))
        else:
            changes = [Change(raw["layer"], raw["uuid"], raw["op"],
                              {k: (v[0], v[1]) for k, v in raw["cols"].items()})
                       for raw in version["changes"]]
            _apply_remote_all(project, changes, version)
            touched.update((c.layer, c.uuid) for c in changes)
            _log_remote(project, version)
        _rebase(project, touched)
        project.set_meta("base_version", version["version"])


def _apply_remote_all(project: Project, changes: list[Change], version: dict) -> None:
    """Apply a version's changes: updates of the same columns together, the rest one by one.

    A version names each feature once, so the order between features does not matter."""
    groups: dict[tuple, list[Change]] = {}
    for change in changes:
        if change.op == "update":
            groups.setdefault((change.layer, tuple(change.cols)), []).append(change)
        else:
            _apply_remote(project, change, version)
    for (code, _), same in groups.items():
        apply_updates(project.db, project.tracked_layer(code), same, version["author"],
                      version["created"])


def _apply_remote(project: Project, change: Change, version: dict) -> None:
    layer = project.tracked_layer(change.layer)
    if change.op == "insert":
        project.db.execute(f"DELETE FROM {ident(layer.table_name)} WHERE uuid = ?", (change.uuid,))
    try:
        apply_change(project.db, layer, change, version["author"], version["created"])
    except NotFound:
        # Only a change set of ours, later in this pull, can have removed it; its corrections
        # put the server's state back.
        log.debug("remote %s of missing %s/%s skipped", change.op, change.layer, change.uuid)


def _correct(project: Project, clash: dict, version: dict) -> None:
    """Put the server's value back where one of our own changes was not applied.

    Only the clashing cells are reset: the rest of the feature may carry later changes of ours
    that the server did apply (a whole-row reset would undo them). A feature absent on one side
    only is removed or restored whole."""
    layer, row = project.tracked_layer(clash["layer"]), clash["server_row"]
    exists = project.db.execute(f"SELECT 1 FROM {ident(layer.table_name)} WHERE uuid = ?",
                                (clash["uuid"],)).fetchone()
    if row is None:
        project.db.execute(f"DELETE FROM {ident(layer.table_name)} WHERE uuid = ?", (clash["uuid"],))
    elif not exists:
        change = Change(layer.code, clash["uuid"], "insert", {c: (None, v) for c, v in row.items()})
        apply_change(project.db, layer, change, version["author"], version["created"])
    else:
        cells = {c: (None, row.get(c)) for c in clash["cells"] if c in row}
        if cells:
            apply_change(project.db, layer, Change(layer.code, clash["uuid"], "update", cells),
                         version["author"], version["created"])


def _rebase(project: Project, touched: set[tuple[str, str]]) -> None:
    """The committed state of touched features is now the server's."""
    by_layer: dict[str, list[str]] = {}
    for code, uuid in touched:
        by_layer.setdefault(code, []).append(uuid)
    for code, uuids in by_layer.items():
        layer = project.tracked_layer(code)
        base, cols = ident(tracking.base_table(layer)), ", ".join(
            ident(c) for c in tracking.stored_columns(layer))
        project.db.execute("CREATE TEMP TABLE IF NOT EXISTS coplan_touched (uuid TEXT PRIMARY KEY)")
        project.db.execute("DELETE FROM coplan_touched")
        project.db.conn.executemany("INSERT OR IGNORE INTO coplan_touched VALUES (?)",
                                    ((u,) for u in uuids))
        project.db.execute(f"DELETE FROM {base} WHERE uuid IN (SELECT uuid FROM coplan_touched)")
        project.db.execute(f"INSERT INTO {base} ({cols}) SELECT {cols} FROM {ident(layer.table_name)} "
                           "WHERE uuid IN (SELECT uuid FROM coplan_touched)")


def _log_remote(project: Project, version: dict) -> None:
    """Keep another party's change set in the local log (for per-feature history offline)."""
    cursor = project.db.execute(
        "INSERT OR IGNORE INTO coplan_changesets (id, party, author, message, created, "
        "base_version, schema_version, state, server_version) VALUES (?, ?, ?, ?, ?, ?, ?, "
        "'remote', ?)", (version["changeset"], version["party"], version["author"],
                         version["message"], version["created"], version["base_version"],
                         DATA_SCHEMA_VERSION, version["version"]))
    if cursor.rowcount == 0:
        return  # already in the log
    changes = (Change(c["layer"], c["uuid"], c["op"], {k: (v[0], v[1]) for k, v in c["cols"].items()})
               for c in version["changes"])
    tracking.store_changes(project.db, version["changeset"], changes)


def clone_steps(remote: Remote, project_id: str, path, *, author: str | None = None
                ) -> Generator[Progress, None, Project]:
    """Make a new local project for the user's party and pull the whole server history."""
    info = remote.project(project_id)
    names = {p["code"]: p["name"] for p in info["parties"]}
    role = "coordinator" if info["role"] == "coordinator" else "editor"
    project = Project.create(path, info["party"], names.get(info["party"]), role=role, author=author)
    try:
        project.set_meta("remote_url", remote.url)
        project.set_meta("remote_project", project_id)
        yield from pull_steps(project, remote)
    except BaseException:
        project.close()
        raise
    return project
