"""The server's registry of published editions: PDFs with their metadata, in the store.

Publishers and coordinators upload; every member lists and downloads. A file's name is made
by the server (kind, version, hash) and it lives in the store's blobs (a folder beside a SQLite
store, the database for PostgreSQL); the row in `editions` is written only after the file is
safely stored. Uploading the same PDF again at the same
version answers as the first time, so a lost reply is safe to retry.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

from app.errors import ConflictError, InvalidInput, NotFound, PermissionDenied
from app.sync.server.store import Member, Store, now, project_row

log = logging.getLogger(__name__)

KINDS = ("policy", "release", "reader", "onemap")
UPLOADERS = ("publisher", "coordinator")
MAX_EDITION_BYTES = 200 * 1024 * 1024  # an illustrated policy set is tens of MB
HEX64 = re.compile(r"^[0-9a-f]{64}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The keyword app.reports.build writes into a partial draft's PDF metadata (a test pins it):
# a partial draft is never an edition, whichever client sends it.
PARTIAL_KEYWORD = b"coplan:partial-draft"
COLUMNS = ("kind", "version", "file", "size", "sha256", "edition_date", "content_hash",
           "base_version", "layers_hash", "publisher_party", "uploaded_by", "uploaded_at")


@dataclass(frozen=True)
class EditionMeta:
    """What the uploader says about a PDF (checked; the publisher comes from the login)."""

    kind: str
    version: int
    edition_date: str  # YYYY-MM-DD
    content_hash: str  # SHA-256 hex
    base_version: int
    layers_hash: str  # SHA-256 hex

    def check(self) -> EditionMeta:
        """Self if every field is well formed; InvalidInput naming the first that is not."""
        if self.kind not in KINDS:
            raise InvalidInput(f"kind must be one of {', '.join(KINDS)}")
        if not 1 <= self.version <= 1_000_000 or self.base_version < 0:
            raise InvalidInput("version must be 1–1000000 and base_version 0 or more")
        if not DATE.match(self.edition_date):
            raise InvalidInput("edition_date must be YYYY-MM-DD")
        for name in ("content_hash", "layers_hash"):
            if not HEX64.match(getattr(self, name)):
                raise InvalidInput(f"{name} must be 64 lower-case hex digits")
        return self


def check_uploader(member: Member) -> None:
    """PermissionDenied unless the member may publish."""
    if member.role not in UPLOADERS:
        raise PermissionDenied(f"role {member.role} may not publish editions "
                               f"(publisher or coordinator may)")


def check_pdf(body: bytes) -> None:
    """InvalidInput unless `body` looks like a whole PDF of an allowed size."""
    if len(body) > MAX_EDITION_BYTES:
        raise InvalidInput(f"edition over {MAX_EDITION_BYTES // 1024 // 1024} MiB")
    if not body.startswith(b"%PDF-") or b"%%EOF" not in body[-1024:]:
        raise InvalidInput("the upload is not a complete PDF file")
    if PARTIAL_KEYWORD in body:
        raise InvalidInput("the upload is a partial draft (one party's content only) and "
                           "cannot be published")


def upload(store: Store, member: Member, meta: EditionMeta, body: bytes) -> dict:
    """Store a published PDF and its metadata; the stored row."""
    check_uploader(member)
    meta.check()
    check_pdf(body)
    digest = hashlib.sha256(body).hexdigest()
    with store.reading() as s:
        existing = s.edition(member.project, meta.kind, meta.version)
        head = project_row(s, member.project).head
    if existing is not None:
        return _same_or_conflict(existing, digest, meta)
    if meta.base_version > head:  # the printed data version must be one the server has
        raise InvalidInput(f"the edition refers to data version {meta.base_version}, but the "
                           f"server is at version {head}")
    # The file first, its row after: a row never names a missing file. The name holds the
    # hash, so a racing upload of other content writes its own file.
    name = f"{meta.kind}-v{meta.version:04d}-{digest[:16]}.pdf"
    store.blobs.put(member.project, f"editions/{name}", body)
    with store.writing() as s:
        project_row(s, member.project, lock=True)
        raced = s.edition(member.project, meta.kind, meta.version)
        if raced is not None:
            return _same_or_conflict(raced, digest, meta)
        s.insert_edition(member.project, {
            "kind": meta.kind, "version": meta.version, "file": name, "size": len(body),
            "sha256": digest, "edition_date": meta.edition_date, "content_hash": meta.content_hash,
            "base_version": meta.base_version, "layers_hash": meta.layers_hash,
            "publisher_party": member.party, "uploaded_by": member.user, "uploaded_at": now()})
    log.info("edition %s v%d of %s published by %s", meta.kind, meta.version, member.project,
             member.user)
    with store.reading() as s:
        return s.edition(member.project, meta.kind, meta.version)  # type: ignore[return-value]  # just stored


def _same_or_conflict(existing: dict, digest: str, meta: EditionMeta) -> dict:
    if existing["sha256"] == digest:
        return existing  # a retry of the same upload
    raise ConflictError(f"{meta.kind} version {meta.version} is already published with other "
                        f"content; publish it as a new version")


def list_editions(store: Store, project: str) -> list[dict]:
    """Every published edition of a project, by kind and version."""
    with store.reading() as s:
        return s.editions(project)


def edition_file(store: Store, project: str, kind: str, version: int
                 ) -> tuple[dict, Iterator[bytes]]:
    """The row and the file's bytes (in chunks) of one edition; NotFound if it was never
    published or its file is gone."""
    with store.reading() as s:
        row = s.edition(project, kind, version)
    if row is None:
        raise NotFound(f"no {kind} version {version} in project {project}")
    name = f"editions/{row['file']}"
    if store.blobs.size(project, name) != row["size"]:
        raise NotFound(f"the file of {kind} version {version} is missing on the server")
    return row, store.blobs.chunks(project, name)
