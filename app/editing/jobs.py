"""Work the desktop sends to its DB worker, as plain functions of the worker's open Project:
history snapshots, commit, discard, sync steps, login, conflicts and their resolution.
Everything here touches the database, files or the network, so none of it runs on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass

from app.model.changes import Change
from app.project import history
from app.project.history import LogEntry
from app.project.project import Project
from app.sync import replica
from app.sync.client import Remote
from app.sync.credentials import save_token, token_for


@dataclass(frozen=True)
class HistorySnapshot:
    """What the change-log panel and the sync panel's counters show."""

    pending: tuple[Change, ...]
    log: tuple[LogEntry, ...]
    outbox: int  # committed change sets not yet pushed
    remote: tuple[str, str] | None  # (url, project id) when the project syncs with a server
    base_version: int
    waiting: tuple[replica.OutboxEntry, ...] = ()  # change sets not echoed yet, refusals included


def snapshot(project: Project) -> HistorySnapshot:
    """Pending changes, the committed log and the sync state of `project`."""
    try:
        remote = replica.remote_of(project)
    except Exception:  # noqa: BLE001 - a project without a server is normal
        remote = None
    waiting = tuple(replica.outbox_entries(project))
    outbox = sum(entry.state == "local" for entry in waiting)
    return HistorySnapshot(tuple(history.pending(project)), tuple(history.log(project)), outbox,
                           remote, project.base_version, waiting)


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


SYNC_STEPS = {"push": replica.push_steps, "pull": replica.pull_steps, "sync": replica.sync_steps}


def sync(project: Project, kind: str) -> Generator[replica.Progress, None, object]:
    """push, pull or sync as steps; the worker reports each and may stop between them."""
    remote, _ = remote_for(project)
    return SYNC_STEPS[kind](project, remote)


def conflicts(project: Project) -> list[dict]:
    """Open conflicts of the project on its server."""
    remote, pid = remote_for(project)
    return remote.conflicts(pid)


def resolve(project: Project, conflict: int, choice: str, values: dict | None = None) -> dict:
    """Decide a conflict on the server; pull separately to see the result locally."""
    remote, pid = remote_for(project)
    return remote.resolve(pid, conflict, choice, values)
