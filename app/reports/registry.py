"""The server's registry of published editions: PDFs with their metadata, in the store.

Publishers and coordinators upload; every member lists and downloads. A file's name is made
by the server (kind, version, hash) and it lives under the store folder in
`editions/<project>/`; the row in `editions` (schemas/sql/server/0003_registry.sql) is
written only after the file is safely on disk. Uploading the same PDF again at the same
version answers as the first time, so a lost reply is safe to retry.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from app.errors import ConflictError, InvalidInput, NotFound, PermissionDenied
from app.sync.server.store import Member, SqliteStore, now

log = logging.getLogger(__name__)

KINDS = ("policy", "release", "reader", "onemap")
UPLOADERS = ("publisher", "coordinator")
MAX_EDITION_BYTES = 200 * 1024 * 1024  # an illustrated policy set is tens of MB
HEX64 = re.compile(r"^[0-9a-f]{64}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
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


def _row(db, project: str, kind: str, version: int) -> dict | None:
    row = db.execute(f"SELECT {', '.join(COLUMNS)} FROM editions WHERE project = ? AND "
                     "kind = ? AND version = ?", (project, kind, version)).fetchone()
    return dict(zip(COLUMNS, row, strict=True)) if row else None


def _folder(store: SqliteStore, project: str) -> Path:
    root = (store.folder / "editions").resolve()
    folder = (root / project).resolve()
    if folder.parent != root:  # project ids are checked names; this guards the invariant
        raise InvalidInput(f"bad project id {project!r}")
    return folder


def upload(store: SqliteStore, member: Member, meta: EditionMeta, body: bytes) -> dict:
    """Store a published PDF and its metadata; the stored row."""
    check_uploader(member)
    meta.check()
    check_pdf(body)
    digest = hashlib.sha256(body).hexdigest()
    existing = _row(store.read(), member.project, meta.kind, meta.version)
    if existing is not None:
        return _same_or_conflict(existing, digest, meta)
    path = _write_file(_folder(store, member.project), f"{meta.kind}-v{meta.version:04d}-"
                                                        f"{digest[:16]}.pdf", body)
    with store.write() as db:
        raced = _row(db, member.project, meta.kind, meta.version)
        if raced is not None:
            return _same_or_conflict(raced, digest, meta)
        db.execute(f"INSERT INTO editions (project, {', '.join(COLUMNS)}) VALUES "
                   f"(?, {', '.join('?' * len(COLUMNS))})",
                   (member.project, meta.kind, meta.version, path.name, len(body), digest,
                    meta.edition_date, meta.content_hash, meta.base_version, meta.layers_hash,
                    member.party, member.user, now()))
    log.info("edition %s v%d of %s published by %s", meta.kind, meta.version, member.project,
             member.user)
    return _row(store.read(), member.project, meta.kind, meta.version)


def _same_or_conflict(existing: dict, digest: str, meta: EditionMeta) -> dict:
    if existing["sha256"] == digest:
        return existing  # a retry of the same upload
    raise ConflictError(f"{meta.kind} version {meta.version} is already published with other "
                        f"content; publish it as a new version")


def _write_file(folder: Path, name: str, body: bytes) -> Path:
    """Write `body` durably under `folder`/`name` (temporary file, fsync, rename)."""
    folder.mkdir(parents=True, exist_ok=True)
    path, tmp = folder / name, folder / f".{name}.tmp"
    with open(tmp, "wb") as f:
        f.write(body)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    return path


def list_editions(store: SqliteStore, project: str) -> list[dict]:
    """Every published edition of a project, by kind and version."""
    rows = store.read().execute(f"SELECT {', '.join(COLUMNS)} FROM editions WHERE project = ? "
                                "ORDER BY kind, version", (project,))
    return [dict(zip(COLUMNS, row, strict=True)) for row in rows]


def edition_file(store: SqliteStore, project: str, kind: str, version: int) -> tuple[dict, Path]:
    """The row and file of one edition; NotFound if it was never published."""
    row = _row(store.read(), project, kind, version)
    if row is None:
        raise NotFound(f"no {kind} version {version} in project {project}")
    path = _folder(store, project) / row["file"]
    if not path.is_file():
        raise NotFound(f"the file of {kind} version {version} is missing on the server")
    return row, path
