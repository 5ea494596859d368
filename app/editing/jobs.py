"""Work the desktop sends to its DB worker, as plain functions of the worker's open Project:
history snapshots, commit, discard, sync steps, login, conflicts and their resolution.
Everything here touches the database, files or the network, so none of it runs on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any

from app.model.catalogue import Catalogue
from app.model.changes import Change, ChangeSet
from app.model.tables import tracked_layer
from app.project import history
from app.project.features import get_feature
from app.project.history import LogEntry, PendingRow
from app.project.project import Project
from app.sync import replica
from app.sync.client import Remote
from app.sync.credentials import save_token, token_for


@dataclass(frozen=True)
class PendingGroup:
    """The pending changes of one layer and one kind (insert, update or delete)."""

    layer: str
    op: str
    rows: tuple[PendingRow, ...]


@dataclass(frozen=True)
class HistorySnapshot:
    """What the change-log panel and the sync panel's counters show."""

    pending: tuple[PendingRow, ...]
    log: tuple[LogEntry, ...]
    outbox: int  # committed change sets not yet pushed
    remote: tuple[str, str] | None  # (url, project id) when the project syncs with a server
    base_version: int
    waiting: tuple[replica.OutboxEntry, ...] = ()  # change sets not echoed yet, refusals included
    groups: tuple[PendingGroup, ...] = ()  # `pending` by layer and kind, grouped on the worker
    catalogue: Catalogue | None = field(default=None, repr=False)  # layer names, field labels


def group_pending(rows) -> tuple[PendingGroup, ...]:
    """Pending rows by (layer, op), in the order each group first appears."""
    groups: dict[tuple[str, str], list] = {}
    for row in rows:
        groups.setdefault((row.layer, row.op), []).append(row)
    return tuple(PendingGroup(layer, op, tuple(items)) for (layer, op), items in groups.items())


@dataclass(frozen=True)
class ChangeDiff:
    """Changes with their old and new values, for the diff view: one pending change, or a
    committed change set (`changeset` set)."""

    changes: tuple[Change, ...]
    labels: dict[str, str]  # uuid -> BSM and/or name
    catalogue: Catalogue = field(repr=False)
    changeset: ChangeSet | None = None


def snapshot(project: Project) -> HistorySnapshot:
    """Pending changes, the committed log and the sync state of `project`."""
    try:
        remote = replica.remote_of(project)
    except Exception:  # noqa: BLE001 - a project without a server is normal
        remote = None
    waiting = tuple(replica.outbox_entries(project))
    outbox = sum(entry.state == "local" for entry in waiting)
    rows = tuple(history.pending_rows(project))
    return HistorySnapshot(rows, tuple(history.log(project)), outbox, remote, project.base_version,
                           waiting, group_pending(rows), project.catalogue)


def pending_diff(project: Project, layer: str, uuid: str) -> ChangeDiff:
    """One pending change with its values (none when it was undone meanwhile)."""
    change = history.pending_change(project, layer, uuid)
    changes = (change,) if change else ()
    return ChangeDiff(changes, history.feature_labels(project, changes), project.catalogue)


def changeset_diff(project: Project, changeset: str) -> ChangeDiff:
    """A committed change set with the values of each of its changes."""
    cs = history.changeset(project, changeset)
    return ChangeDiff(cs.changes, history.feature_labels(project, cs.changes), project.catalogue, cs)


def revert(project: Project, changeset: str) -> HistorySnapshot:
    """Commit the inverse of a committed change set (pushed and merged like any other)."""
    history.revert(project, changeset)
    return snapshot(project)


def commit(project: Project, message: str) -> HistorySnapshot:
    history.commit(project, message)
    return snapshot(project)


def drop(project: Project, changeset: str) -> HistorySnapshot:
    """Take a change set the server refused off the copy."""
    replica.drop(project, changeset)
    return snapshot(project)


def discard(project: Project) -> HistorySnapshot:
    history.discard(project)
    return snapshot(project)


def remote_for(project: Project) -> tuple[Remote, str]:
    """The project's server with the saved token, and the server's project id."""
    url, pid = replica.remote_of(project)
    return Remote(url, token_for(url)), pid


def login(project: Project, url: str, project_id: str, user: str, password: str) -> str:
    """Log in, remember the token, and make `url`/`project_id` the project's remote."""
    token = Remote(url).login(user, password)
    save_token(url, token)
    project.set_meta("remote_url", url.rstrip("/"))
    project.set_meta("remote_project", project_id)
    return user


SYNC_STEPS: dict[str, Callable[..., Generator[Any, Any, Any]]] = {"push": replica.push_steps, "pull": replica.pull_steps, "sync": replica.sync_steps}


def sync(project: Project, kind: str) -> Generator[replica.Progress, None, object]:
    """push, pull or sync as steps; the worker reports each and may stop between them."""
    remote, _ = remote_for(project)
    return SYNC_STEPS[kind](project, remote)


def conflicts(project: Project) -> list[dict]:
    """Open conflicts of the project on its server, each with what the conflict view shows in
    the user's words: layer and field names, the feature's label, whether the pushed side is
    this party's, and who deleted the feature when a delete is involved."""
    remote, pid = remote_for(project)
    out = []
    for c in remote.conflicts(pid):
        label, geom = _local(project, c)
        out.append({**describe_conflict(project.catalogue, project.party, c, remote, pid, label),
                    "local_geom": geom})
    return out


def _local(project: Project, conflict: dict) -> tuple[str, str | None]:
    """The feature's label and outline (hex WKB) in this copy: a feature deleted on the server
    is still here, so the view can say which one it is and show where it lies."""
    try:
        probe = Change(conflict["layer"], conflict["uuid"], "update", {})
        label = history.feature_labels(project, (probe,)).get(conflict["uuid"], "")
        geom = get_feature(project, conflict["layer"], conflict["uuid"]).geometry
        return label, geom.wkb_hex if geom is not None else None
    except Exception:  # noqa: BLE001 - not in this copy: the server's values must do
        return "", None


def describe_conflict(catalogue: Catalogue, party: str, conflict: dict, remote: Remote | None = None,
                      pid: str = "", local_label: str = "") -> dict:
    """`conflict` plus the keys `layer_name`, `labels` (column -> [zh, en]), `feature`, `mine`
    and `deleted_by` ({party, author} or None)."""
    try:
        layer = tracked_layer(catalogue, conflict["layer"])
    except Exception:  # noqa: BLE001 - a layer this copy does not know keeps its code
        layer = None
    cells = conflict.get("cells") or {}
    row = conflict.get("server_row") or conflict.get("current") or {}
    values = {**{c: next((v for v in sides if v is not None), None) for c, sides in cells.items()}, **row}
    labels = {}
    if layer is not None:
        names = set(layer.field_names)
        labels = {c: [layer.field(c).label("zh"), layer.field(c).label("en")] for c in cells if c in names}
    return {**conflict,
            "layer_name": [layer.name("zh"), layer.name("en")] if layer else [conflict["layer"]] * 2,
            "labels": labels,
            "feature": (history.label_of(layer, values) if layer else "") or local_label,
            "mine": conflict.get("party") == party,
            "deleted_by": _deleted_by(conflict, remote, pid)}


def _deleted_by(conflict: dict, remote: Remote | None, pid: str) -> dict | None:
    """Who deleted the feature: the pusher (delete-update), or whoever deleted it on the server
    (update-delete, found in the feature's server history)."""
    if conflict.get("kind") == "delete-update":
        return {"party": conflict.get("party", ""), "author": ""}
    if conflict.get("kind") != "update-delete":
        return None
    try:
        events = remote.history(pid, conflict["layer"], conflict["uuid"]) if remote else []
    except Exception:  # noqa: BLE001 - the conflict still shows, only without the name
        events = []
    deletes = [e for e in events if e.get("op") == "delete"]
    return {"party": deletes[-1].get("party", ""), "author": deletes[-1].get("author", "")} \
        if deletes else {"party": "", "author": ""}


def resolve(project: Project, conflict: int, choice: str, values: dict | None = None) -> dict:
    """Decide a conflict on the server; pull separately to see the result locally."""
    remote, pid = remote_for(project)
    return remote.resolve(pid, conflict, choice, values)
