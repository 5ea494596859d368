"""The HTTP/JSON API (FastAPI). One JSON error envelope for every error:
{"error": {"code": "...", "message": "...", "retryable": false}}.

No `from __future__ import annotations` here: FastAPI reads the annotations at run time."""


import hashlib
import importlib
import json
import logging
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from app import __version__
from app.errors import (
    AuthError,
    ConflictError,
    CoplanError,
    InvalidInput,
    NotFound,
    PermissionDenied,
    StoreUnavailable,
)
from app.extensions import extension_modules
from app.model.catalogue import load_catalogue
from app.paths import schemas_dir
from app.sync import protocol
from app.sync.protocol import ProtocolError
from app.sync.server import versions
from app.sync.server.limits import DEFAULT_CAP, BodyLimit, LoginThrottle, TooLarge, TooManyAttempts
from app.sync.server.logs import note_user
from app.sync.server.store import Member, Store

log = logging.getLogger(__name__)

MAX_INT = 2**63 - 1  # SQLite's INTEGER; larger numbers are refused, not overflowed
STATUS = [(AuthError, 401, "unauthorized"), (PermissionDenied, 403, "forbidden"),
          (NotFound, 404, "not_found"), (ConflictError, 409, "conflict"),
          (ProtocolError, 400, "bad_request"), (InvalidInput, 422, "invalid"),
          (TooLarge, 413, "too_large")]


def envelope(status: int, code: str, message: str, retryable: bool = False) -> JSONResponse:
    """The one error shape every endpoint answers with."""
    return JSONResponse({"error": {"code": code, "message": message, "retryable": retryable}},
                        status_code=status, headers={"WWW-Authenticate": "Bearer"} if status == 401 else None)


class Login(BaseModel):
    user: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class Resolution(BaseModel):
    choice: str = Field(pattern="^(ancestor|ours|theirs|value)$")
    values: dict[str, Any] | None = None


def _changeset_schema() -> dict:
    """The change-set JSON Schema with its $defs inlined (OpenAPI resolves $refs elsewhere)."""
    schema = json.loads((schemas_dir() / "changeset.v1.schema.json").read_text(encoding="utf-8"))
    defs = schema.pop("$defs", {})
    for key in ("$schema", "$id"):
        schema.pop(key, None)
    return _inline(schema, defs)


def _inline(node, defs: dict):
    """`node` with every {"$ref": "#/$defs/X"} replaced by X (the definitions are not recursive)."""
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/$defs/"):
            return _inline(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _inline(v, defs) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


async def read_body(request: Request) -> bytes:
    """The request body, refused past the size cap without reading it all."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > protocol.MAX_BODY_BYTES:
        raise ProtocolError("request body too large")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > protocol.MAX_BODY_BYTES:
            raise ProtocolError("request body too large")
        chunks.append(chunk)
    return b"".join(chunks)


def create_app(store: Store) -> FastAPI:
    """The API over `store`."""
    app = FastAPI(title="CoPlan sync server", version=__version__,
                  description="Versioned change sets of a joint metro-area plan.")
    catalogue = load_catalogue()
    _errors(app)

    async def user(request: Request, authorization: Annotated[str | None, Header()] = None) -> str:
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise AuthError("missing bearer token")
        name = await run_in_threadpool(store.authenticate, token.strip())
        note_user(request.scope, name)  # for the access log
        return name

    async def member(project: str, name: Annotated[str, Depends(user)]) -> Member:
        return await run_in_threadpool(store.member, project, name)

    Reader = Annotated[Member, Depends(member)]

    @app.get("/api/v1/health")
    def health() -> dict:
        """Liveness: the process answers (it does not touch the store)."""
        return {"status": "ok", "version": __version__}

    @app.get("/api/v1/ready")
    def ready() -> dict:
        """Readiness: the store answers a trivial query; 503 (retryable) when it does not."""
        try:
            with store.reading() as s:
                s.project("-")  # no project has this id: one indexed lookup
        except Exception as exc:  # any failure means "do not send traffic here"
            log.warning("not ready: the store does not answer: %s", exc)
            raise StoreUnavailable("the server's store does not answer; see the server log") from exc
        return {"status": "ready", "version": __version__, "store": store.kind}

    throttle = LoginThrottle()

    @app.post("/api/v1/login")
    def login(body: Login, request: Request) -> dict:
        address = request.client.host if request.client else "unknown"
        throttle.check(body.user, address)  # before a password is hashed
        try:
            token, expires = store.login(body.user, body.password)
        except AuthError:
            throttle.failed(body.user, address)
            raise
        throttle.succeeded(body.user, address)
        note_user(request.scope, body.user)  # on success only: a failed name may be a password
        return {"token": token, "expires": expires}

    @app.get("/api/v1/projects")
    def projects(name: Annotated[str, Depends(user)]) -> list[dict]:
        return store.projects_for(name)

    @app.get("/api/v1/projects/{project}")
    def project_info(project: str, me: Reader) -> dict:
        return {**store.project_info(project), "party": me.party, "role": me.role}

    @app.post("/api/v1/projects/{project}/changesets",
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/json": {"schema": _changeset_schema()}}}})
    async def push(project: str, request: Request, me: Reader) -> dict:
        versions.check_can_push(me)  # before a byte of the body is read
        body = await read_body(request)
        changeset = await run_in_threadpool(protocol.parse_changeset, body, catalogue)
        digest = hashlib.sha256(body).hexdigest()
        return await run_in_threadpool(versions.push, store, me, changeset, digest)

    @app.get("/api/v1/projects/{project}/changesets")
    def pull(project: str, me: Reader, since: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
             limit: Annotated[int, Query(ge=1, le=1000)] = 100,
             max_changes: Annotated[int | None, Query(ge=1, le=1_000_000)] = None) -> dict:
        return versions.pull(store, me.project, since, limit, max_changes)

    @app.get("/api/v1/projects/{project}/snapshot")
    def snapshot(project: str, me: Reader,
                 after_layer: Annotated[str | None, Query(max_length=64)] = None,
                 after_uuid: Annotated[str | None, Query(max_length=64)] = None,
                 limit: Annotated[int, Query(ge=1, le=20_000)] = 5_000) -> dict:
        after = (after_layer, after_uuid) if after_layer and after_uuid else None
        return versions.snapshot(store, me.project, after, limit)

    @app.post("/api/v1/projects/{project}/changesets/{changeset}/revert")
    def revert(project: str, changeset: str, me: Reader) -> dict:
        return versions.revert(store, me, changeset, hashlib.sha256(changeset.encode()).hexdigest())

    @app.get("/api/v1/projects/{project}/features/{layer}/{uuid}/history")
    def history(project: str, layer: str, uuid: str, me: Reader) -> list[dict]:
        return versions.history(store, me.project, layer, uuid)

    @app.get("/api/v1/projects/{project}/conflicts")
    def conflicts(project: str, me: Reader,
                  status: Annotated[str, Query(pattern="^(open|resolved|all)$")] = "open") -> list[dict]:
        return versions.list_clashes(store, me.project, None if status == "all" else status)

    @app.post("/api/v1/projects/{project}/conflicts/{conflict}/resolve")
    def resolve(project: str, conflict: Annotated[int, Path(ge=1, le=MAX_INT)], body: Resolution,
                me: Reader) -> dict:
        return versions.resolve(store, me, conflict, body.choice, body.values)

    # Other areas (comment rounds, publishing) add their endpoints from app/<area>/routes.py.
    caps = [("POST", r"/api/v1/projects/[^/]+/changesets", protocol.MAX_BODY_BYTES)]
    for name in extension_modules("routes"):
        module = importlib.import_module(name)
        module.register(app, store, member)
        caps += getattr(module, "BODY_CAPS", [])
    # Every other body is capped at 1 MiB before FastAPI reads it (it reads before auth).
    app.add_middleware(BodyLimit, default=DEFAULT_CAP, caps=caps)
    return app


def _errors(app: FastAPI) -> None:
    @app.exception_handler(CoplanError)
    async def coplan_error(request: Request, exc: CoplanError) -> JSONResponse:
        for cls, status, code in STATUS:
            if isinstance(exc, cls):
                return envelope(status, code, exc.message)
        return envelope(400, "bad_request", exc.message)

    @app.exception_handler(StoreUnavailable)
    async def unavailable(request: Request, exc: StoreUnavailable) -> JSONResponse:
        log.warning("store unavailable on %s: %s", request.url.path, exc.message)
        response = envelope(503, "unavailable", exc.message, retryable=True)
        response.headers["Retry-After"] = "1"
        return response

    @app.exception_handler(TooManyAttempts)
    async def throttled(request: Request, exc: TooManyAttempts) -> JSONResponse:
        response = envelope(429, "too_many_requests", exc.message, retryable=True)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return envelope(422, "invalid", f"{where}: {first.get('msg', 'invalid request')}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return envelope(exc.status_code, "http_error", str(exc.detail))

    @app.exception_handler(UnicodeEncodeError)
    async def bad_text(request: Request, exc: UnicodeEncodeError) -> JSONResponse:
        return envelope(400, "bad_request", "text contains invalid Unicode (a lone surrogate)")

    @app.exception_handler(OverflowError)
    async def bad_number(request: Request, exc: OverflowError) -> JSONResponse:
        return envelope(400, "bad_request", "a number is out of range (at most 2**63 - 1)")

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        log.exception("internal error on %s", request.url.path)
        return envelope(500, "internal", "internal server error", retryable=True)
