"""The local side of sync: the outbox of committed change sets, pushing it, pulling server
versions (each applied in one transaction with the version cursor, local edits rebased on top:
app/sync/rebase.py), dropping a change set the server refused, cloning from a snapshot, and
sync as a generator of progress."""

from __future__ import annotations

import json
import logging
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path

from app.errors import ConflictError, InvalidInput, PermissionDenied, ProjectError
from app.model.changes import ChangeSet
from app.model.jobs import Progress, drive
from app.project import history, shadow, tracking
from app.project.project import Project
from app.sync import rebase
from app.sync.client import Remote

log = logging.getLogger(__name__)
PULL_PAGE = 50  # versions per request
PULL_CHANGES = 5_000  # changes per request (a bigger version still comes whole)
SNAPSHOT_PAGE = 5_000  # features per request of a clone


class PushRefused(ConflictError):
    """The server refused a change set outright; it stays in the outbox until dropped."""

    def __init__(self, changeset: ChangeSet, reason: str):
        super().__init__(
            f"the server refused change set {changeset.id} \"{changeset.message}\": {reason}. "
            f"Later change sets wait behind it. See `coplan outbox`; `coplan drop PROJECT "
            f"{changeset.id}` takes it off this copy so sync goes on / 服务器拒绝了变更集 "
            f"{changeset.id}：可用 coplan outbox 查看，coplan drop 撤下后继续同步")
        self.changeset, self.reason = changeset, reason


@dataclass
class SyncReport:
    pushed: list[str] = field(default_factory=list)  # change-set ids
    pulled: int = 0  # versions applied
    clashes: list[dict] = field(default_factory=list)  # conflicts and refusals of own pushes
    version: int = 0  # the server version the project is now at
    refused: PushRefused | None = None  # a change set the server would not take


def remote_of(project: Project) -> tuple[str, str]:
    """(server URL, project id) this project syncs with."""
    url, pid = project.meta("remote_url"), project.meta("remote_project")
    if not url or not pid:
        raise ProjectError("this project has no server; clone it from one or set its remote")
    return url, pid


def outbox(project: Project) -> list[ChangeSet]:
    """Committed change sets the server has not acknowledged, oldest first."""
    return [history.changeset(project, i) for i in outbox_ids(project)]


def outbox_ids(project: Project) -> list[str]:
    """Ids of the outbox, oldest first (a push loads one change set at a time)."""
    return [r[0] for r in project.db.execute(
        "SELECT id FROM coplan_changesets WHERE state = 'local' ORDER BY seq")]


@dataclass(frozen=True)
class OutboxEntry:
    """A change set of ours the server has not echoed yet, as `coplan outbox` lists it."""

    id: str
    message: str
    created: str
    changes: int
    state: str  # local (not acknowledged) | pushed (acknowledged, not pulled back yet)
    refusal: str | None  # the server's reason when it refused the change set outright


def outbox_entries(project: Project) -> list[OutboxEntry]:
    """Our change sets still laid over the server's state, oldest first."""
    rows = project.db.execute(
        "SELECT s.id, s.message, s.created, (SELECT count(*) FROM coplan_changes c WHERE "
        "c.changeset = s.id), s.state, s.refusal FROM coplan_changesets s WHERE s.echoed = 0 "
        "AND s.state != 'remote' ORDER BY s.seq")
    return [OutboxEntry(*row) for row in rows]


def drop(project: Project, ref: str) -> ChangeSet:
    """Take an unacknowledged change set off this copy: its features go back to the server's
    state with our other unechoed change sets still laid over it."""
    cs = history.changeset(project, ref)
    state = project.db.execute("SELECT state FROM coplan_changesets WHERE id = ?", (cs.id,)).fetchone()[0]
    if state != "local":
        raise ConflictError(f"change set {cs.id} is already on the server; revert it instead "
                            "(coplan revert) / 该变更集已在服务器上，请用撤销（revert）")
    if history.pending(project):
        raise ConflictError("there are uncommitted changes; commit or discard them before dropping "
                            "a change set / 请先提交或放弃未提交的修改")
    db = project.db
    with db.atomic(), tracking.capture_suppressed(db):
        db.execute("DELETE FROM coplan_changes WHERE changeset = ?", (cs.id,))
        db.execute("DELETE FROM coplan_changesets WHERE id = ?", (cs.id,))
        for change in cs.changes:
            _restore_server_state(project, change.layer, change.uuid)
    return cs


def _restore_server_state(project: Project, code: str, uuid: str) -> None:
    layer = project.tracked_layer(code)
    held = shadow.shadowed(project.db, code, [uuid])
    if uuid not in held:
        # A change set committed before copies kept the server's state: guessing would lose data.
        raise ConflictError(f"this copy does not know the server's state of {code}/{uuid}; clone "
                            "the project again to drop this change set / 此副本缺少服务器状态，请重新克隆")
    net = rebase.overlay(project, code, uuid)
    if net is None:
        shadow.remove(project.db, code, uuid)
    rebase.write_row(project, layer, uuid, rebase.laid_over(held[uuid], net), project.author,
                     history.utc_now())
    tracking.copy_to_base(project.db, layer, [uuid])


def _require_clean(project: Project) -> None:
    found = history.audit(project)
    if history.pending(project):
        hint = f" ({found} made outside CoPlan)" if found else ""
        raise ConflictError(f"there are uncommitted changes{hint}; commit or discard them before syncing")


def push_steps(project: Project, remote: Remote, answers: list[dict] | None = None
               ) -> Generator[Progress, None, list[dict]]:
    """Push the outbox in order; returns the answers (also appended to `answers` as they come,
    so a caller keeps them when a later change set is refused)."""
    _, pid = remote_of(project)
    pending = outbox_ids(project)
    answers = [] if answers is None else answers
    for i, cs_id in enumerate(pending):
        cs = history.changeset(project, cs_id)
        yield Progress("push", i, len(pending), cs.message)
        body = json.dumps({**cs.to_json(), "project": pid}, ensure_ascii=False).encode()
        try:
            answer = remote.push(pid, body)
        except (PermissionDenied, InvalidInput, ConflictError) as exc:
            with project.db.atomic():
                project.db.execute("UPDATE coplan_changesets SET refusal = ? WHERE id = ?",
                                   (exc.message, cs.id))
            raise PushRefused(cs, exc.message) from exc
        with project.db.atomic():
            project.db.execute("UPDATE coplan_changesets SET state = 'pushed', server_version = ?, "
                               "refusal = NULL WHERE id = ?", (answer["version"], cs.id))
        answers.append(answer)
    yield Progress("push", len(pending), len(pending))
    return answers


def pull_steps(project: Project, remote: Remote) -> Generator[Progress, None, int]:
    """Apply every server version after the project's; returns how many were applied."""
    _, pid = remote_of(project)
    applied = 0
    while True:
        page = remote.pull(pid, project.base_version, PULL_PAGE, PULL_CHANGES)
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
    answers: list[dict] = []
    try:
        answers = yield from push_steps(project, remote, answers)
    except PushRefused as refused:
        report.refused = refused  # pull all the same: a refusal must not cut a party off
    report.pushed = [a["changeset"] for a in answers]
    report.clashes = [c for a in answers for c in a["clashes"]]
    report.pulled = yield from pull_steps(project, remote)
    report.version = project.base_version
    if report.refused:
        raise report.refused
    return report


run = drive  # drive a sync generator to its end (callers and tests say replica.run)
apply_version = rebase.apply_version


def clone_steps(remote: Remote, project_id: str, path, *, author: str | None = None
                ) -> Generator[Progress, None, Project]:
    """Make a new local project for the user's party from the server's current state (a snapshot
    read in pages), then pull the versions that landed meanwhile. A role that cannot push gets
    a read-only copy."""
    info = remote.project(project_id)
    names = {p["code"]: p["name"] for p in info["parties"]}
    role = info["role"] if info["role"] in ("editor", "coordinator") else "observer"
    project = Project.create(path, info["party"], names.get(info["party"]), role=role, author=author)
    try:
        project.set_meta("remote_url", remote.url)
        project.set_meta("remote_project", project_id)
        project.set_meta("shared_layers", json.dumps(info.get("shared_layers", [])))
        yield from _snapshot_steps(project, remote, project_id)
        yield from pull_steps(project, remote)
    except BaseException:
        project.close()
        for leftover in (project.path, f"{project.path}-wal", f"{project.path}-shm"):
            Path(leftover).unlink(missing_ok=True)
        raise
    return project


def _snapshot_steps(project: Project, remote: Remote, project_id: str) -> Generator[Progress, None, None]:
    """Load the server's current features page by page; the cursor is the head seen first, so
    versions that land during the clone are replayed over the pages (replays are idempotent)."""
    after: dict | None = None
    head, loaded, total = None, 0, 0
    while True:
        page = remote.snapshot(project_id, after, SNAPSHOT_PAGE)
        head = page["head"] if head is None else head
        total = page["total"] if page["total"] is not None else total
        with project.db.atomic(), tracking.capture_suppressed(project.db):
            rebase.load_rows(project, page["features"], "snapshot", page["taken"])
        loaded += len(page["features"])
        yield Progress("clone", loaded, max(total, loaded), "")
        after = page["next"]
        if after is None:
            break
    project.set_meta("base_version", head)
