"""Wire formats of the review: comments (schemas/comment.v1.schema.json) and change references."""

from __future__ import annotations

import json
import re
from functools import cache

from jsonschema import Draft202012Validator

from app.errors import InvalidInput
from app.paths import schemas_dir
from app.review.anchors import check_geometry
from app.review.model import SECTION_ID, UUID

COMMENT_FORMAT = "coplan.comment/v1"
MAX_ATTACHMENT = 20 * 1024 * 1024  # bytes per file
ATTACHMENT_TYPES = ((b"%PDF-", "application/pdf", "pdf"), (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
                    (b"\xff\xd8\xff", "image/jpeg", "jpg"))


@cache
def validator(name: str) -> Draft202012Validator:
    """The validator of `schemas/<name>.v1.schema.json`."""
    path = schemas_dir() / f"{name}.v1.schema.json"
    return Draft202012Validator(json.loads(path.read_text(encoding="utf-8")))


def check_schema(name: str, data: object) -> None:
    """InvalidInput naming the first place `data` breaks schema `name`."""
    error = next(iter(validator(name).iter_errors(data)), None)
    if error is not None:
        where = "$" + "".join(f"[{p!r}]" if isinstance(p, int) else f".{p}" for p in error.path)
        raise InvalidInput(f"{name} {where}: {error.message[:300]}")


def parse_comment(data: object) -> dict:
    """A valid comment (schema + geometry checks); InvalidInput says what is wrong."""
    check_schema("comment", data)
    assert isinstance(data, dict)
    for index, anchor in enumerate(data["anchors"]):
        if anchor["type"] in ("feature", "area"):
            try:
                check_geometry(anchor["geometry"], polygon=anchor["type"] == "area")
            except InvalidInput as exc:
                raise InvalidInput(f"comment $.anchors[{index}]: {exc.message}") from exc
    return data


SERVER_FILLED = ("before", "after", "version", "party")  # resolved by the server (evidence.py)
DRAFT_HASH = re.compile(r"^[0-9a-f]{64}$")


def check_change_refs(changes: object) -> list[dict]:
    """Change references as a client sends them: {"kind": "changeset", "id": UUID} or
    {"kind": "text", "section": ID, "revision": <64-hex frozen draft hash>}, each with an
    optional "note"; InvalidInput otherwise (the server fills in the rest)."""
    if not isinstance(changes, list) or len(changes) > 500:
        raise InvalidInput("changes must be a list of at most 500 change references")
    for ref in changes:
        if not isinstance(ref, dict):
            raise InvalidInput("a change reference is an object")
        _check_ref(ref)
    return changes


def client_refs(changes: list[dict]) -> list[dict]:
    """Stored (resolved) change references as a client sends them again, e.g. a decision
    that takes over a recommendation's evidence: the server-filled keys dropped."""
    return [{k: v for k, v in ref.items() if k not in SERVER_FILLED} for ref in changes]


def _check_ref(ref: dict) -> None:
    shown = json.dumps(ref, ensure_ascii=False)[:200]
    filled = sorted(set(ref) & set(SERVER_FILLED))
    if filled:
        raise InvalidInput(f"change reference {shown}: {', '.join(filled)} is filled in by "
                           "the server, do not send it")
    if "note" in ref and not (isinstance(ref["note"], str) and len(ref["note"]) <= 2000):
        raise InvalidInput("a change reference's note is text of at most 2,000 characters")
    if ref.get("kind") == "changeset" and set(ref) <= {"kind", "id", "note"} \
            and isinstance(ref.get("id"), str) and UUID.match(ref["id"]):
        return
    if ref.get("kind") == "text" and set(ref) <= {"kind", "section", "revision", "note"} \
            and isinstance(ref.get("section"), str) and SECTION_ID.match(ref["section"]):
        if not (isinstance(ref.get("revision"), str) and DRAFT_HASH.match(ref["revision"])):
            raise InvalidInput(f"text revision {str(ref.get('revision'))[:80]!r} must be the "
                               "hash (64 hex digits) of a frozen draft on the server")
        return
    raise InvalidInput(f"not a change reference: {shown}")


def check_text(value: object, what: str, required: bool = True) -> dict:
    """A bilingual text {"zh": ..., "en": ...} with at least one language when required."""
    if value is None:
        value = {}
    if not isinstance(value, dict) or not set(value) <= {"zh", "en"} or not all(
            isinstance(v, str) and len(v) <= 20000 for v in value.values()):
        raise InvalidInput(f"{what} must be {{\"zh\": text, \"en\": text}}")
    if required and not any(v.strip() for v in value.values()):
        raise InvalidInput(f"{what} needs Chinese or English text")
    return value


def sniff(body: bytes) -> tuple[str, str]:
    """(media type, extension) of a PDF, PNG or JPEG by its first bytes; InvalidInput else."""
    if not body:
        raise InvalidInput("the attachment is empty")
    if len(body) > MAX_ATTACHMENT:
        raise InvalidInput(f"attachments are limited to {MAX_ATTACHMENT // 1024 // 1024} MiB")
    for magic, media_type, ext in ATTACHMENT_TYPES:
        if body.startswith(magic):
            return media_type, ext
    raise InvalidInput("attachments must be PDF, PNG or JPEG files")
