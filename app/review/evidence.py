"""The evidence of a disposition, resolved by the server: a client names a change set or a
section of a frozen draft; the event stores what the server found, so a handling report prints
facts the server checked, never a label a client typed.

  {"kind": "changeset", "id": UUID}  ->  + "version" (the server version it landed as), "party"
  {"kind": "text", "section": ID, "revision": HASH}  ->  + "before" (the section in the draft the
      comments were made on; null when it was not there), "after" (the section in draft HASH)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from app.errors import NotFound
from app.review.wire import check_change_refs


class Evidence(Protocol):
    """What resolving needs from the server (a part of commands.Directory)."""

    def changeset_info(self, ids: list[str]) -> dict[str, tuple[int, str]]: ...
    def draft(self, draft_hash: str) -> Mapping[str, str] | None: ...


def resolve_changes(changes: object, directory: Evidence, base_hash: str | None) -> list[dict]:
    """The change references of a request, checked and resolved against the server's change
    sets and frozen drafts; `base_hash` is the draft the comments were made on."""
    refs = check_change_refs(changes)
    ids = [r["id"] for r in refs if r["kind"] == "changeset"]
    found = directory.changeset_info(ids) if ids else {}
    missing = sorted(set(ids) - set(found))
    if missing:
        raise NotFound(f"no change set(s) {', '.join(missing)} on the server")
    texts = any(r["kind"] == "text" for r in refs)  # drafts are large: read them only if cited
    base = (directory.draft(base_hash) if texts and base_hash else None) or {}
    drafts: dict[str, Mapping[str, str]] = {}
    out = []
    for ref in refs:
        if ref["kind"] == "changeset":
            version, party = found[ref["id"]]
            out.append({**ref, "version": version, "party": party})
            continue
        draft = drafts.get(ref["revision"]) or _draft(directory, ref["revision"])
        drafts[ref["revision"]] = draft
        if ref["section"] not in draft:
            raise NotFound(f"section {ref['section']} is not in frozen draft "
                           f"{ref['revision'][:12]}")
        out.append({**ref, "before": base.get(ref["section"]), "after": draft[ref["section"]]})
    return out


def _draft(directory: Evidence, revision: str) -> Mapping[str, str]:
    found = directory.draft(revision)
    if found is None:
        raise NotFound(f"no frozen draft {revision[:12]} on the server: a text revision names "
                       "the hash of a frozen draft")
    return found
