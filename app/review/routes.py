"""HTTP endpoints of comment rounds under /api/v1/projects/{project}/review (found by
app.extensions). Every endpoint needs a member; the rules of who may do what are in
app.review.access and app.review.commands, applied to every request.

Request bodies: FastAPI reads a pydantic body before the dependencies that authenticate the
caller. Endpoints whose bodies stay small keep pydantic bodies and rely on the server's
BodyLimit (1 MiB by default) to bound what a stranger can make it read. The four that take
large bodies (comments, anchor corrections, drafts, attachments) read the request themselves,
after checking the caller's role, with the caps in BODY_CAPS, which the server also gives
BodyLimit.

No `from __future__ import annotations` here: FastAPI reads the annotations at run time."""

import json
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from app.errors import NotFound, PermissionDenied
from app.review import ledger as ledger_mod
from app.review.access import COMMENT_ROLES, can_see, comment_view
from app.review.anchors import can_read_draft
from app.review.records import history, round_detail
from app.review.server import ReviewServer, actor_of, check_uploader
from app.review.triage import CommentFilter, dashboard, suggest_groups, triage_rows
from app.review.wire import MAX_ATTACHMENT
from app.sync.protocol import loads
from app.sync.server.limits import MIB, body_doc, read_capped, read_model
from app.sync.server.store import Member, Store

UUID_RE = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
Id = Annotated[str, Field(pattern=UUID_RE)]
RoundNo = Annotated[int, Path(ge=1, le=1000)]
CommentId = Annotated[str, Path(pattern=UUID_RE)]
# May read the whole event log and the ledger. Not publishers: the log holds decisions still
# under embargo until the coordinators publish the answers.
READ_ALL = ("coordinator",)
MAX_COMMENT_BYTES = 8 * MIB  # a comment with a few anchors at the schema's largest geometry
MAX_DRAFT_BYTES = 32 * MIB  # the whole text of a plan's draft, every section
_BASE = r"/api/v1/projects/[^/]+/review"
BODY_CAPS = [  # (method, path regex, bytes) for the server's BodyLimit; other bodies get 1 MiB
    ("POST", _BASE + r"/comments", MAX_COMMENT_BYTES),
    ("POST", _BASE + r"/comments/[^/]+/anchors/[^/]+", MAX_COMMENT_BYTES),
    ("POST", _BASE + r"/rounds/[^/]+/freeze", MAX_DRAFT_BYTES),
    ("PUT", _BASE + r"/attachments/[^/]+", MAX_ATTACHMENT),
]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: Id  # the request's idempotency key


class OpenRound(Body):
    number: int = Field(ge=1, le=1000)
    title: dict[str, str]
    visibility: str = "sealed"
    teams: dict[str, list[str]] = {}
    due: str | None = Field(default=None, max_length=40)


class Freeze(Body):
    sections: dict[str, str]


class Advance(Body):
    to: str = Field(max_length=20)


class Invite(Body):
    party: str = Field(max_length=64)
    due: str | None = Field(default=None, max_length=40)


class Remind(Body):
    parties: list[Annotated[str, Field(max_length=64)]] | None = Field(default=None,
                                                                       max_length=1000)
    note: str = Field(default="", max_length=2000)


class Publish(Body):
    comments: list[Id] | None = Field(default=None, max_length=10000)


class Group(Body):
    group: Id
    members: list[Id] = Field(min_length=1, max_length=10000)
    kind: str = "concern"
    title: dict[str, str] | None = None


class Assign(Body):
    comments: list[Id] = Field(min_length=1, max_length=10000)
    deliverable: str = Field(max_length=8)


class Disposition(Body):
    comments: list[Id] = Field(default=[], max_length=10000)
    group: Id | None = None
    disposition: str = Field(max_length=40)
    reason: str | None = Field(default=None, max_length=40)
    answer: dict[str, str] | None = None
    changes: list[dict[str, Any]] = Field(default=[], max_length=500)


class Decision(Disposition):
    memo: str | None = Field(default=None, max_length=2000)


class Confirm(Body):
    publication: Id
    satisfied: bool
    note: str = Field(default="", max_length=5000)


class AnchorReview(Body):
    anchor: dict[str, Any]
    status: str = "confirmed"


def register(app: FastAPI, store: Store, member) -> None:
    """Add the review endpoints to the sync server's app."""
    review = ReviewServer(store)
    Me = Annotated[Member, Depends(member)]
    base = "/api/v1/projects/{project}/review"

    def event_json(member: Member, command) -> dict:
        return review.run(member, command).to_json()

    @app.post(base + "/rounds")
    def open_round(project: str, body: OpenRound, me: Me) -> dict:
        return event_json(me, lambda r, a: r.open_round(
            a, body.number, body.title, body.visibility, body.teams, body.due, event_id=body.id))

    @app.post(base + "/rounds/{number}/freeze", openapi_extra=body_doc(Freeze))
    async def freeze(project: str, number: RoundNo, request: Request, me: Me) -> dict:
        _require(me, ("coordinator",), "freeze drafts")  # before reading a draft of many MB
        body = await read_model(request, Freeze, MAX_DRAFT_BYTES)
        event = await run_in_threadpool(review.freeze, me, number, body.sections, body.id)
        return event.to_json()

    @app.post(base + "/rounds/{number}/advance")
    def advance(project: str, number: RoundNo, body: Advance, me: Me) -> dict:
        return event_json(me, lambda r, a: r.advance(a, number, body.to, event_id=body.id))

    @app.post(base + "/rounds/{number}/invitations")
    def invite(project: str, number: RoundNo, body: Invite, me: Me) -> dict:
        return event_json(me, lambda r, a: r.invite(a, number, body.party, body.due,
                                                    event_id=body.id))

    @app.post(base + "/rounds/{number}/reminders")
    def remind(project: str, number: RoundNo, body: Remind, me: Me) -> dict:
        _require(me, ("coordinator",), "send reminders")
        return event_json(me, lambda r, a: r.remind(a, number, body.parties, body.note,
                                                    event_id=body.id))

    @app.post(base + "/rounds/{number}/no-comment")
    def no_comment(project: str, number: RoundNo, body: Body, me: Me) -> dict:
        return event_json(me, lambda r, a: r.no_comment(a, number, event_id=body.id))

    @app.post(base + "/rounds/{number}/publish")
    def publish(project: str, number: RoundNo, body: Publish, me: Me) -> dict:
        return event_json(me, lambda r, a: r.publish(a, number, body.comments, event_id=body.id))

    @app.get(base + "/rounds")
    def rounds(project: str, me: Me) -> list[dict]:
        return review.read(me.project, lambda s: [
            {"number": n, "title": r.title, "stage": r.stage, "visibility": r.visibility,
             "due": r.due, "draft_hash": r.draft_hash, "invited": sorted(r.invitations)}
            for n, r in sorted(s.rounds.items())])

    @app.get(base + "/rounds/{number}")
    def round_(project: str, number: RoundNo, me: Me) -> dict:
        return review.read(me.project, lambda s: round_detail(actor(me), s, number))

    @app.get(base + "/rounds/{number}/suggestions")
    def suggestions(project: str, number: RoundNo, me: Me) -> dict:
        _require(me, ("coordinator",), "see suggested groups")
        return {"groups": review.read(me.project, lambda s: _suggest(s, number))}

    @app.get(base + "/drafts/{draft_hash}")
    def draft(project: str, draft_hash: Annotated[str, Path(pattern="^[0-9a-f]{64}$")],
              me: Me) -> dict:
        if not review.read(me.project, lambda s: can_read_draft(actor(me), s, draft_hash)):
            raise NotFound(f"no frozen draft {draft_hash}")  # a sealed draft stays secret
        return dict(review.draft(me.project, draft_hash))

    @app.post(base + "/comments", openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/Comment"}}}}})
    async def submit(project: str, request: Request, me: Me) -> dict:
        _require(me, COMMENT_ROLES, "comment")  # before reading a body of up to 8 MiB
        comment = await run_in_threadpool(loads, await read_capped(request, MAX_COMMENT_BYTES))
        await run_in_threadpool(review.areas.warm, store, me.project, comment)  # before the lock
        event = await run_in_threadpool(review.run, me, lambda r, a: r.submit(a, comment))
        return event.to_json()

    @app.get(base + "/comments")
    def comments(project: str, me: Me, round: Annotated[int | None, Query(ge=1, le=1000)] = None,
                 status: Annotated[str | None, Query(max_length=20)] = None,
                 party: Annotated[str | None, Query(max_length=64)] = None,
                 deliverable: Annotated[str | None, Query(max_length=8)] = None,
                 section: Annotated[str, Query(max_length=64)] = "",
                 text: Annotated[str, Query(max_length=200)] = "",
                 full: bool = False) -> list[dict]:
        flt = CommentFilter(round=round, statuses=_set(status), parties=_set(party),
                            deliverables=_set(deliverable), section=section, text=text)
        return review.read(me.project, lambda s: _listing(s, actor(me), flt, full))

    def actor(me: Member):
        with store.reading() as s:
            return actor_of(s, me)

    @app.get(base + "/comments/{comment}")
    def comment(project: str, comment: CommentId, me: Me) -> dict:
        return review.read(me.project, lambda s: _one(s, actor(me), comment))

    @app.post(base + "/comments/{comment}/withdraw")
    def withdraw(project: str, comment: CommentId, body: Body, me: Me) -> dict:
        return event_json(me, lambda r, a: r.withdraw(a, comment, event_id=body.id))

    @app.post(base + "/comments/{comment}/confirm")
    def confirm(project: str, comment: CommentId, body: Confirm, me: Me) -> dict:
        return event_json(me, lambda r, a: r.confirm(a, comment, body.publication,
                                                     body.satisfied, body.note, event_id=body.id))

    @app.post(base + "/comments/{comment}/anchors/{index}", openapi_extra=body_doc(AnchorReview))
    async def anchor(project: str, comment: CommentId, index: Annotated[int, Path(ge=0, le=49)],
                     request: Request, me: Me) -> dict:
        _require(me, COMMENT_ROLES, "review anchors")  # an anchor's geometry may be MBs
        body = await read_model(request, AnchorReview, MAX_COMMENT_BYTES)
        return await run_in_threadpool(event_json, me, lambda r, a: r.review_anchor(
            a, comment, index, body.anchor, body.status, event_id=body.id))

    @app.post(base + "/groups")
    def group(project: str, body: Group, me: Me) -> dict:
        return event_json(me, lambda r, a: r.group(a, body.group, body.members, body.kind,
                                                   body.title, event_id=body.id))

    @app.post(base + "/assignments")
    def assign(project: str, body: Assign, me: Me) -> dict:
        return event_json(me, lambda r, a: r.assign(a, body.comments, body.deliverable,
                                                    event_id=body.id))

    @app.post(base + "/recommendations")
    def recommend(project: str, body: Disposition, me: Me) -> dict:
        return event_json(me, lambda r, a: r.recommend(
            a, body.comments, body.disposition, body.reason, body.answer, body.changes,
            group=body.group, event_id=body.id))

    @app.post(base + "/decisions")
    def decide(project: str, body: Decision, me: Me) -> dict:
        return event_json(me, lambda r, a: r.decide(
            a, body.comments, body.disposition, body.reason, body.answer, body.changes,
            body.memo, group=body.group, event_id=body.id))

    @app.get(base + "/events")
    def events(project: str, me: Me, since: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0,
               limit: Annotated[int, Query(ge=1, le=10000)] = 10000) -> dict:
        _require(me, READ_ALL, "read the whole review log")
        found = review.events(me.project, since, limit)
        return {"events": [e.to_json() for e in found]}

    @app.get(base + "/ledger")
    def ledger(project: str, me: Me) -> dict:
        _require(me, READ_ALL, "read the ledger")
        return review.read(me.project, lambda s: ledger_mod.compute(s).to_json())

    @app.get(base + "/dashboard")
    def board(project: str, me: Me) -> dict:
        return review.read(me.project, lambda s: dashboard(actor(me), s).__dict__)

    @app.put(base + "/attachments/{attachment}")
    async def upload(project: str, attachment: CommentId, request: Request, me: Me) -> dict:
        check_uploader(me)  # before reading up to 20 MiB
        body = await read_capped(request, MAX_ATTACHMENT)
        return await run_in_threadpool(review.upload, me, attachment, body)

    @app.get(base + "/attachments/{attachment}")
    def download(project: str, attachment: CommentId, me: Me) -> Response:
        name, media_type, data, owner = review.attachment(me.project, attachment)
        if owner != me.party and not review.read(me.project, lambda s: _attached_and_visible(
                s, actor(me), attachment)):
            raise NotFound(f"no attachment {attachment}")
        return Response(data, media_type=media_type,
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    from app.review import cosign_routes
    cosign_routes.register(app, store, member, review)
    _comment_schema(app)



def _set(value: str | None) -> frozenset:
    return frozenset(v for v in (value or "").split(",") if v)


def _require(me: Member, roles: tuple[str, ...], what: str) -> None:
    if me.role not in roles:
        raise PermissionDenied(f"role {me.role} cannot {what}")


def _listing(state, actor, flt: CommentFilter, full: bool) -> list[dict]:
    if not full:
        return triage_rows(actor, state, flt)
    from app.review.triage import filter_comments
    return [comment_view(actor, state, c) for c in filter_comments(actor, state, flt)]


def _one(state, actor, comment_id: str) -> dict:
    c = state.comments.get(comment_id)
    if c is None or not can_see(actor, state, c):
        raise NotFound(f"no comment {comment_id}")  # 404, not 403: a sealed comment stays secret
    view = comment_view(actor, state, c)
    shown = history(actor, c)
    if shown is not None:  # coordinators and the commenting party
        view["history"] = shown
    return view


def _suggest(state, number: int) -> list[list[str]]:
    if number not in state.rounds or not state.rounds[number].stages:
        raise NotFound(f"no round {number}")
    return suggest_groups(state, number)


def _attached_and_visible(state, actor, attachment: str) -> bool:
    return any(attachment in c.comment.get("attachments", []) and can_see(actor, state, c)
               for c in state.submitted())


def _comment_schema(app: FastAPI) -> None:
    """Publish the comment JSON Schema in the OpenAPI document (components.schemas.Comment)."""
    from app.review.wire import validator
    base_openapi = app.openapi

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        spec = base_openapi()
        schema = json.loads(json.dumps(validator("comment").schema))
        schema.pop("$schema", None)
        schema.pop("$id", None)
        defs = schema.pop("$defs", {})
        text = json.dumps(schema).replace("#/$defs/", "#/components/schemas/Comment_")
        spec.setdefault("components", {}).setdefault("schemas", {})["Comment"] = json.loads(text)
        for name, sub in defs.items():
            sub_text = json.dumps(sub).replace("#/$defs/", "#/components/schemas/Comment_")
            spec["components"]["schemas"][f"Comment_{name}"] = json.loads(sub_text)
        app.openapi_schema = spec
        return spec
    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to customise it
