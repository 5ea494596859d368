"""HTTP endpoints of the joint signature (会签) under /api/v1/projects/{project}/review: signer
keys, releases and signatures. Registered by app.review.routes.

No `from __future__ import annotations` here: FastAPI reads the annotations at run time."""

from typing import Annotated

from fastapi import Depends, FastAPI, Path, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from app.errors import InvalidInput, PermissionDenied
from app.review import cosign
from app.review import release as R
from app.review.access import COMMENT_ROLES
from app.review.server import ReviewServer
from app.review.signing import key_json
from app.sync.server.limits import MIB, read_model
from app.sync.server.store import Member, Store, now, read_blob

UUID_RE = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
Hash = Annotated[str, Path(pattern="^[0-9a-f]{64}$")]
KeyId = Annotated[str, Path(pattern="^[0-9a-f]{16}$")]
MAX_RELEASE_BYTES = 64 * MIB  # a frozen draft (up to 32 MiB) and the ledger, as JSON text
_BASE = r"/api/v1/projects/[^/]+/review"
BODY_CAPS = [("POST", _BASE + r"/releases", MAX_RELEASE_BYTES)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=UUID_RE)  # the request's idempotency key


class NewKey(Body):
    party: str = Field(max_length=64)
    signer: str = Field(max_length=100)
    public_key: str = Field(max_length=100)


class Revoke(Body):
    reason: str = Field(default="", max_length=500)


class NewRelease(Body):
    files: dict[str, str] = Field(max_length=len(R.FILES) + 1)  # file name -> its UTF-8 text


class Signature(Body):
    entry: dict


def register(app: FastAPI, store: Store, member, review: ReviewServer) -> None:
    """Add the joint-signature endpoints to the server's app (`review`: the ReviewServer)."""
    from app.review import routes
    # The server gives BodyLimit the caps of the routes module after registering it.
    routes.BODY_CAPS.extend(c for c in BODY_CAPS if c not in routes.BODY_CAPS)
    Me = Annotated[Member, Depends(member)]
    base = "/api/v1/projects/{project}/review"

    def state(project: str) -> cosign.CosignState:
        return cosign.fold(review.events(project, 0, 2**62))

    @app.post(base + "/keys")
    def register_key(project: str, body: NewKey, me: Me) -> dict:
        event = review.run(me, lambda r, a: cosign.register_key(
            r, a, body.party, body.signer, body.public_key, event_id=body.id))
        return key_json(state(me.project).keys[event.data["key_id"]])

    @app.post(base + "/keys/{key_id}/revoke")
    def revoke_key(project: str, key_id: KeyId, body: Revoke, me: Me) -> dict:
        review.run(me, lambda r, a: cosign.revoke_key(r, a, key_id, body.reason,
                                                      event_id=body.id))
        return key_json(state(me.project).keys[key_id])

    @app.get(base + "/keys")
    def keys(project: str, me: Me) -> dict:
        """The keyring: every registered key (revoked ones marked) and every chain's head."""
        return state(me.project).keyring(me.project, now()).to_json()

    @app.post(base + "/releases", openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": NewRelease.model_json_schema()}}}})
    async def register_release(project: str, request: Request, me: Me) -> dict:
        if me.role != "coordinator":  # before reading a body of up to 64 MiB
            raise PermissionDenied("only coordinators register releases")
        body = await _read(request)
        files = {name: text.encode("utf-8") for name, text in body.files.items()}
        return await run_in_threadpool(_register, me, files, body.id)

    def _register(me: Member, files: dict[str, bytes], request_id: str) -> dict:
        _, release, _ = R.check_files(files)  # before a byte is stored
        for name, data in files.items():  # blobs named by the release: a repeat rewrites the same
            store.blobs.put(me.project, _blob(release, name), data)
        event = review.run(me, lambda r, a: cosign.register_release(
            r, a, files, lambda v: _version_exists(me.project, v), event_id=request_id))
        return state(me.project).release(event.data["release"]).summary()

    def _version_exists(project: str, version: int) -> bool:
        if version < 1:
            return False
        with store.reading() as s:
            found = s.versions(project, version - 1, 1)
        return bool(found) and found[0][0]["version"] == version

    @app.get(base + "/releases")
    def releases(project: str, me: Me) -> list[dict]:
        _reader(me)
        return [r.summary() for r in state(me.project).releases.values()]

    @app.get(base + "/releases/{release}")
    def one_release(project: str, release: Hash, me: Me, files: bool = False) -> dict:
        _reader(me)
        record = state(me.project).release(release)
        found = {**record.summary(), "manifest": record.manifest, "chain": record.chain}
        if files:
            found["files"] = {n: b.decode("utf-8") for n, b in _blobs(me.project, record).items()}
        return found

    @app.post(base + "/releases/{release}/signatures")
    def sign(project: str, release: Hash, body: Signature, me: Me) -> dict:
        review.run(me, lambda r, a: cosign.add_signature(r, a, release, body.entry,
                                                         event_id=body.id))
        return state(me.project).release(release).summary()

    @app.get(base + "/releases/{release}/bundle")
    def bundle(project: str, release: Hash, me: Me) -> Response:
        _reader(me)
        current = state(me.project)
        record = current.release(release)
        files = cosign.bundle_files(record, _blobs(me.project, record),
                                    current.keyring(me.project, now()))
        return Response(cosign.zip_bundle(files), media_type="application/zip", headers={
            "Content-Disposition": f'attachment; filename="release-{release[:12]}.zip"'})

    def _blobs(project: str, record: cosign.ReleaseRecord) -> dict[str, bytes]:
        return {name: read_blob(store.blobs, project, _blob(record.release, name))
                for name in record.files}


def _blob(release: str, name: str) -> str:
    """A release file in the store's blobs (beside attachments)."""
    return f"attachments/release-{release[:32]}-{name}"


def _reader(me: Member) -> None:
    """Signatories and coordinators read releases; observers (the public) do not."""
    if me.role not in COMMENT_ROLES:
        raise PermissionDenied(f"role {me.role} cannot read releases")


async def _read(request: Request) -> NewRelease:
    try:
        return await read_model(request, NewRelease, MAX_RELEASE_BYTES)
    except UnicodeError as exc:
        raise InvalidInput("release files must be UTF-8 text") from exc
