"""HTTP endpoints of implementation tracking under /api/v1/projects/{project}/implement (found
by app.extensions). Every endpoint needs a member.

- POST …/implement/{kind} with {"id": uuid, "data": {…}} appends one event and answers its
  JSON. An unknown kind is 404 and a role that may not write it 403, both before a byte of the
  body is read; the body is then read capped (BODY_CAPS, which the server's BodyLimit applies
  too). The event's party and user are the caller's membership, never the body's.
- GET …/implement/events?since=N&limit=M answers {"events": […], "version": head} to every
  member (observers too): every copy folds the whole log itself.

No `from __future__ import annotations` here: FastAPI reads the annotations at run time."""

from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from app.implement.events import to_json
from app.implement.server import MAX_PAGE, ImplementServer, require_role
from app.sync.server.limits import MIB, body_doc, read_model
from app.sync.server.store import Member, Store

UUID_RE = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
MAX_ITEMS_BYTES = 4 * MIB  # the whole 1+8+5 and project library as items, with room to spare
MAX_EVENT_BYTES = 256 * 1024  # a report of a few hundred lines, a memo, an issue …
_BASE = r"/api/v1/projects/[^/]+/implement"
BODY_CAPS = [("POST", _BASE + r"/items", MAX_ITEMS_BYTES),  # the first match wins
             ("POST", _BASE + r"/[^/]+", MAX_EVENT_BYTES)]


class Command(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a "party" or "user" of the body is refused
    id: str = Field(pattern=UUID_RE)  # the event id: the request's idempotency key
    data: dict[str, Any]


def cap_of(kind: str) -> int:
    return MAX_ITEMS_BYTES if kind == "items" else MAX_EVENT_BYTES


def register(app: FastAPI, store: Store, member, today=None) -> None:
    """Add the implementation-tracking endpoints to the sync server's app."""
    implement = ImplementServer(store, today)
    Me = Annotated[Member, Depends(member)]
    base = "/api/v1/projects/{project}/implement"

    @app.get(base + "/events")
    def events(project: str, me: Me, since: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0,
               limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1000) -> dict:
        found, head = implement.events(me.project, since, limit)
        return {"events": [to_json(e) for e in found], "version": head}

    @app.post(base + "/{kind}", openapi_extra=body_doc(Command))
    async def post(project: str, kind: str, request: Request, me: Me) -> dict:
        require_role(me, kind)  # 404 / 403 before a byte of the body is read
        body = await read_model(request, Command, cap_of(kind))
        event = await run_in_threadpool(implement.post, me, kind, body.id, body.data)
        return to_json(event)
