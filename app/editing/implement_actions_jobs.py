"""A coordinator's implementation commands for the desktop's DB worker (#16): accept or return a
report, escalate issues, plan a meeting, record its memo. Qt-free.

Like `coplan progress review` / `coplan issue escalate` / `coplan meeting …` these go straight
to the server (they decide on the shared log, so they are never queued offline), and the copy
pulls afterwards so the dashboard shows them. Each command carries a request id made when the
dialog opened: sending it again after a lost answer gets the first answer back, never a second
event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Iterator
from contextlib import contextmanager

from app.errors import PermissionDenied, SyncError
from app.model.jobs import Progress
from app.project.project import Project

Command = tuple[str, dict, str]  # (kind, data, request id)


@contextmanager
def reachable() -> Iterator[None]:
    """Say plainly that the server is out of reach (no connection, no answer in time): nothing
    was decided and nothing typed is lost."""
    try:
        yield
    except SyncError as exc:
        if exc.status is None and exc.retryable:
            raise SyncError("the server cannot be reached: nothing is lost, try again when the "
                            "network is back", retryable=True) from exc
        raise


def _api(project: Project):
    from app.editing.jobs import remote_for
    from app.implement.client import ImplementRemote
    if project.role != "coordinator":
        raise PermissionDenied(f"only a coordinator may do this (this copy acts for "
                               f"{project.party} as {project.role})")
    remote, pid = remote_for(project)
    return ImplementRemote(remote, pid)


def _pull(project: Project, api) -> int:
    from app.implement.outbox import pull
    with reachable():
        return pull(project, api)


def _send(project: Project, api, commands: list[Command]) -> Generator[Progress, None, int]:
    """Post each command, then pull; how many were sent. When one fails after others went
    through, the copy still pulls (when it can) so it shows what the server holds."""
    total = len(commands) + 1
    sent = 0
    try:
        for kind, data, request_id in commands:
            yield Progress("send", sent, total, kind)
            with reachable():
                api.post(kind, data, request_id)
            sent += 1
    except Exception:
        if sent:
            try:
                _pull(project, api)
            except Exception:  # the first failure is the one to show
                pass
        raise
    yield Progress("pull", sent, total)
    _pull(project, api)
    yield Progress("pull", total, total)
    return sent


def command_steps(project: Project, commands: list[Command]) -> Generator[Progress, None, int]:
    """Send a coordinator's commands straight to the server, then pull; how many were sent."""
    api = _api(project)
    return (yield from _send(project, api, commands))


def escalate_overdue_steps(project: Project, chosen: dict[str, str],
                           today: dt.date) -> Generator[Progress, None, int]:
    """Escalate the chosen overdue issues (issue id -> request id) that are still due for it
    once the copy has pulled the latest log (another coordinator may have escalated or closed
    some meanwhile); how many were escalated."""
    from app.implement.issues import due_escalations
    from app.implement.outbox import local_state
    api = _api(project)
    yield Progress("pull", 0, 0)
    _pull(project, api)
    due = dict(due_escalations(local_state(project), today))
    commands = [("escalate", {"issue": issue, "reason": due[issue]}, request_id)
                for issue, request_id in chosen.items() if issue in due]
    return (yield from _send(project, api, commands))
