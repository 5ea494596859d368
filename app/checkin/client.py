"""The check-in API seen from a client: thin calls over `app.sync.client.Remote` (its retries
and error envelope), and what a party's copy must be before it submits."""

from __future__ import annotations

from app.errors import ConflictError
from app.model.ids import uuid7
from app.sync.client import Remote


class CheckinRemote:
    """The check-in endpoints of one project on a server. Every write carries a request id,
    so a retried call is answered with the first result."""

    def __init__(self, remote: Remote, project: str):
        self.remote, self.project = remote, project
        self.base = f"/api/v1/projects/{project}/checkin/submissions"

    def _post(self, path: str, payload: dict, request_id: str | None) -> dict:
        return self.remote.request("POST", self.base + path,
                                   payload={"id": request_id or uuid7(), **payload})

    def submit(self, version: int, note: str = "", request_id: str | None = None) -> dict:
        return self._post("", {"version": version, "note": note}, request_id)

    def submissions(self) -> list[dict]:
        return self.remote.request("GET", self.base)

    def submission(self, number: int) -> dict:
        return self.remote.request("GET", f"{self.base}/{number}")

    def accept(self, number: int, note: str = "", force: bool = False,
               request_id: str | None = None) -> dict:
        return self._post(f"/{number}/accept", {"note": note, "force": force}, request_id)

    def return_(self, number: int, note: str, request_id: str | None = None) -> dict:
        return self._post(f"/{number}/return", {"note": note}, request_id)

    def rerun(self, number: int, request_id: str | None = None) -> dict:
        return self._post(f"/{number}/qc", {}, request_id)


class NotSubmittable(ConflictError):
    """The copy holds work the server does not have: a submission would not be what it holds."""


def submittable_version(project) -> int:
    """The server version a party's copy can submit: the one it last synced to, when it holds
    nothing the server lacks (no uncommitted edits, no change set not yet pushed and pulled
    back). NotSubmittable otherwise."""
    from app.project import history
    from app.sync.replica import outbox_entries, remote_of
    remote_of(project)  # a copy without a server has nothing on it to submit
    if history.pending(project):
        raise NotSubmittable("this copy has uncommitted changes: commit and sync them (or "
                             "discard them) first; a submission is the data the server holds")
    waiting = outbox_entries(project)
    if waiting:
        raise NotSubmittable(f"this copy has {len(waiting)} change set(s) the server does not "
                             "hold yet: run coplan sync first; a submission is the data the "
                             "server holds")
    if project.base_version < 1:
        raise NotSubmittable("this copy has not synced any version yet: sync first")
    return project.base_version
