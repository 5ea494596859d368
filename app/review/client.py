"""The review API seen from a client: thin calls over `app.sync.client.Remote` (its retries and
error envelope). Every write carries an id, so a retried call is answered with the first result."""

from __future__ import annotations

from app.model.ids import uuid7
from app.review.events import Event
from app.sync.client import Remote


class ReviewRemote:
    """The review endpoints of one project on a server."""

    def __init__(self, remote: Remote, project: str):
        self.remote, self.project = remote, project
        self.base = f"/api/v1/projects/{project}/review"

    def _post(self, path: str, payload: dict) -> dict:
        return self.remote.request("POST", self.base + path, payload={"id": uuid7(), **payload})

    # --- coordinators -------------------------------------------------------------------

    def open_round(self, number: int, title: dict, visibility: str = "sealed",
                   teams: dict | None = None, due: str | None = None) -> dict:
        return self._post("/rounds", {"number": number, "title": title, "visibility": visibility,
                                      "teams": teams or {}, "due": due})

    def freeze(self, number: int, sections: dict[str, str]) -> dict:
        return self._post(f"/rounds/{number}/freeze", {"sections": sections})

    def advance(self, number: int, to: str) -> dict:
        return self._post(f"/rounds/{number}/advance", {"to": to})

    def invite(self, number: int, party: str, due: str | None = None) -> dict:
        return self._post(f"/rounds/{number}/invitations", {"party": party, "due": due})

    def group(self, members: list[str], kind: str = "concern", title: dict | None = None) -> dict:
        return self._post("/groups", {"group": uuid7(), "members": members, "kind": kind,
                                      "title": title})

    def assign(self, comments: list[str], deliverable: str) -> dict:
        return self._post("/assignments", {"comments": comments, "deliverable": deliverable})

    def recommend(self, comments: list[str], disposition: str, **fields) -> dict:
        return self._post("/recommendations", {"comments": comments, "disposition": disposition,
                                               **fields})

    def decide(self, comments: list[str], disposition: str, **fields) -> dict:
        return self._post("/decisions", {"comments": comments, "disposition": disposition,
                                         **fields})

    def publish(self, number: int, comments: list[str] | None = None) -> dict:
        return self._post(f"/rounds/{number}/publish", {"comments": comments})

    def round(self, number: int) -> dict:
        """A round in detail: stages, invitations with responses, late and overdue flags."""
        return self.remote.request("GET", f"{self.base}/rounds/{number}")

    def remind(self, number: int, parties: list[str] | None = None, note: str = "") -> dict:
        """Remind invited parties (default: every party that has not answered)."""
        return self._post(f"/rounds/{number}/reminders", {"parties": parties, "note": note})

    def suggestions(self, number: int) -> list[list[str]]:
        """Suggested groups of near-duplicate comments of a round (comment ids)."""
        return self.remote.request("GET", f"{self.base}/rounds/{number}/suggestions")["groups"]

    def draft(self, draft_hash: str) -> dict[str, str]:
        """The sections of a frozen draft (invitees and coordinators of a sealed round)."""
        return self.remote.request("GET", f"{self.base}/drafts/{draft_hash}")

    def events(self, since: int = 0) -> list[Event]:
        """Every review event after `since` (coordinators and publishers)."""
        found: list[Event] = []
        while True:
            page = self.remote.request("GET", self.base + "/events", params={"since": since})
            batch = [Event.from_json(e) for e in page["events"]]
            if not batch:
                return found
            found += batch
            since = batch[-1].version

    def ledger(self) -> dict:
        return self.remote.request("GET", self.base + "/ledger")

    # --- every party ----------------------------------------------------------------------

    def submit(self, comment: dict) -> dict:
        return self.remote.request("POST", self.base + "/comments", payload=comment)

    def upload(self, attachment_id: str, data: bytes) -> dict:
        return self.remote.request("PUT", f"{self.base}/attachments/{attachment_id}", body=data)

    def no_comment(self, number: int, request_id: str) -> dict:
        return self.remote.request("POST", f"{self.base}/rounds/{number}/no-comment",
                                   payload={"id": request_id})

    def confirm(self, comment: str, publication: str, satisfied: bool, note: str = "",
                request_id: str | None = None) -> dict:
        return self.remote.request("POST", f"{self.base}/comments/{comment}/confirm", payload={
            "id": request_id or uuid7(), "publication": publication, "satisfied": satisfied,
            "note": note})

    def withdraw(self, comment: str, request_id: str | None = None) -> dict:
        return self.remote.request("POST", f"{self.base}/comments/{comment}/withdraw",
                                   payload={"id": request_id or uuid7()})

    def comments(self, full: bool = True, **filters) -> list[dict]:
        params = {k: v for k, v in filters.items() if v is not None}
        return self.remote.request("GET", self.base + "/comments",
                                   params={**params, "full": str(full).lower()})

    def comment(self, comment_id: str) -> dict:
        return self.remote.request("GET", f"{self.base}/comments/{comment_id}")

    def rounds(self) -> list[dict]:
        return self.remote.request("GET", self.base + "/rounds")

    def dashboard(self) -> dict:
        return self.remote.request("GET", self.base + "/dashboard")
