"""HTTP endpoints of the edition registry, added to the sync server by convention.

    PUT  /api/v1/projects/{project}/editions/{kind}/{version}   upload a PDF (publisher, coordinator)
    GET  /api/v1/projects/{project}/editions                    list (every member)
    GET  /api/v1/projects/{project}/editions/{kind}/{version}   download (every member)

The PDF is the request body; its metadata travels as query parameters. No
`from __future__ import annotations`: FastAPI reads the annotations at run time."""

from typing import Annotated

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from app.errors import InvalidInput
from app.reports import registry
from app.sync.server.store import Member, Store

KIND = "^(policy|release|reader|onemap)$"
HEX64 = "^[0-9a-f]{64}$"
# (method, path regex, bytes) for the server's BodyLimit: an edition is a large PDF.
BODY_CAPS = [("PUT", r"/api/v1/projects/[^/]+/editions/[^/]+/[^/]+", registry.MAX_EDITION_BYTES)]


async def read_capped(request: Request, cap: int) -> bytes:
    """The request body, refused past `cap` bytes without reading it all."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > cap:
        raise InvalidInput(f"edition over {cap // 1024 // 1024} MiB")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise InvalidInput(f"edition over {cap // 1024 // 1024} MiB")
        chunks.append(chunk)
    return b"".join(chunks)


def register(app: FastAPI, store: Store, member) -> None:
    """Add the registry's endpoints to the server app."""
    Reader = Annotated[Member, Depends(member)]
    Kind = Annotated[str, Path(pattern=KIND)]
    Version = Annotated[int, Path(ge=1, le=1_000_000)]

    @app.put("/api/v1/projects/{project}/editions/{kind}/{version}",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}})
    async def upload(project: str, kind: Kind, version: Version, request: Request, me: Reader,
                     edition_date: Annotated[str, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")],
                     content_hash: Annotated[str, Query(pattern=HEX64)],
                     layers_hash: Annotated[str, Query(pattern=HEX64)],
                     base_version: Annotated[int, Query(ge=0)]) -> dict:
        registry.check_uploader(me)  # before reading a body that may be large
        body = await read_capped(request, registry.MAX_EDITION_BYTES)
        meta = registry.EditionMeta(kind, version, edition_date, content_hash, base_version,
                                    layers_hash)
        return await run_in_threadpool(registry.upload, store, me, meta, body)

    @app.get("/api/v1/projects/{project}/editions")
    def editions(project: str, me: Reader) -> list[dict]:
        return registry.list_editions(store, me.project)

    @app.get("/api/v1/projects/{project}/editions/{kind}/{version}",
             responses={200: {"content": {"application/pdf": {}}}})
    def download(project: str, kind: Kind, version: Version, me: Reader) -> StreamingResponse:
        row, chunks = registry.edition_file(store, me.project, kind, version)
        name = f"{me.project}-{kind}-v{version}.pdf"
        return StreamingResponse(chunks, media_type="application/pdf", headers={
            "X-Content-SHA256": row["sha256"], "Content-Length": str(row["size"]),
            "Content-Disposition": f'attachment; filename="{name}"'})
