"""The implementation-tracking API seen from a client: thin calls over `app.sync.client.Remote`
(its retries and error envelope). Every write carries its event id, so a retried call is
answered with the first event."""

from __future__ import annotations

from app.implement.events import Event, from_json
from app.model.ids import uuid7
from app.review.client import ReviewRemote
from app.sync.client import Remote

PAGE = 1000  # events asked for per request


class ImplementRemote:
    """The implementation endpoints of one project on a server."""

    def __init__(self, remote: Remote, project: str):
        self.remote, self.project = remote, project
        self.base = f"/api/v1/projects/{project}/implement"

    def post(self, kind: str, data: dict, request_id: str | None = None) -> dict:
        """Append an event of `kind`; the server's answer is the event's JSON (the same event
        again when `request_id` was already sent with the same data)."""
        return self.remote.request("POST", f"{self.base}/{kind}",
                                   payload={"id": request_id or uuid7(), "data": data})

    def page(self, since: int = 0, limit: int = PAGE) -> tuple[list[Event], int]:
        """(up to `limit` events after version `since`, the server's head version)."""
        answer = self.remote.request("GET", self.base + "/events",
                                     params={"since": since, "limit": limit})
        return [from_json(e) for e in answer["events"]], answer["version"]

    def events(self, since: int = 0) -> list[Event]:
        """Every event after version `since`, in version order."""
        found: list[Event] = []
        while True:
            batch, head = self.page(since)
            found += batch
            if not batch or batch[-1].version >= head:
                return found
            since = batch[-1].version

    def upload(self, attachment_id: str, data: bytes) -> dict:
        """Upload an evidence file (a PDF or an image) through the review's attachment endpoint;
        a line of a report names it by `attachment_id`."""
        return ReviewRemote(self.remote, self.project).upload(attachment_id, data)
