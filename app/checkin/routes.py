"""HTTP endpoints of check-in under /api/v1/projects/{project}/checkin (found by
app.extensions). Every endpoint needs a member; each write checks the caller's role before it
reads its body (read here, capped at BODY_CAP, which the server's BodyLimit also applies), so
a stranger with a valid token cannot make the server read or parse anything large.

No `from __future__ import annotations` here: FastAPI reads the annotations at run time."""

from typing import Annotated

from fastapi import Depends, FastAPI, Path, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from app.checkin.server import MAX_NOTE, CheckinServer, require_coordinator, require_submitter
from app.sync.server.limits import body_doc, read_model
from app.sync.server.store import Member, Store

UUID_RE = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
MAX_INT = 2**63 - 1
BODY_CAP = 64 * 1024  # a request id and a note of at most 2,000 characters
Number = Annotated[int, Path(ge=1, le=MAX_INT)]
_BASE = r"/api/v1/projects/[^/]+/checkin/submissions"
BODY_CAPS = [("POST", _BASE, BODY_CAP),
             ("POST", _BASE + r"/[^/]+/(accept|return|qc)", BODY_CAP)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=UUID_RE)  # the request's idempotency key


class Submit(Body):
    version: int = Field(ge=1, le=MAX_INT)
    note: str = Field(default="", max_length=MAX_NOTE)


class Accept(Body):
    note: str = Field(default="", max_length=MAX_NOTE)
    force: bool = False


class Return(Body):
    note: str = Field(min_length=1, max_length=MAX_NOTE)


def register(app: FastAPI, store: Store, member) -> None:
    """Add the check-in endpoints to the sync server's app."""
    checkin = CheckinServer(store)
    Me = Annotated[Member, Depends(member)]
    base = "/api/v1/projects/{project}/checkin/submissions"

    @app.post(base, openapi_extra=body_doc(Submit))
    async def submit(project: str, request: Request, me: Me) -> dict:
        require_submitter(me)  # before a byte of the body is read
        body = await read_model(request, Submit, BODY_CAP)
        return await run_in_threadpool(checkin.submit, me, body.id, body.version, body.note)

    @app.get(base)
    def listing(project: str, me: Me) -> list[dict]:
        return checkin.listing(me)

    @app.get(base + "/{number}")
    def show(project: str, number: Number, me: Me) -> dict:
        return checkin.show(me, number)

    @app.post(base + "/{number}/accept", openapi_extra=body_doc(Accept))
    async def accept(project: str, number: Number, request: Request, me: Me) -> dict:
        require_coordinator(me, "accept submissions")
        body = await read_model(request, Accept, BODY_CAP)
        return await run_in_threadpool(checkin.accept, me, number, body.id, body.note, body.force)

    @app.post(base + "/{number}/return", openapi_extra=body_doc(Return))
    async def return_(project: str, number: Number, request: Request, me: Me) -> dict:
        require_coordinator(me, "return submissions")
        body = await read_model(request, Return, BODY_CAP)
        return await run_in_threadpool(checkin.return_, me, number, body.id, body.note)

    @app.post(base + "/{number}/qc", openapi_extra=body_doc(Body))
    async def rerun(project: str, number: Number, request: Request, me: Me) -> dict:
        require_coordinator(me, "run QC on a submission")
        body = await read_model(request, Body, BODY_CAP)
        return await run_in_threadpool(checkin.rerun, me, number, body.id)

