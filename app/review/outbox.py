"""Comments written offline in the local project: drafts, an outbox sent in order when the
server is reachable, and the comments and answers this party may see, pulled back.

Like change sets, each item keeps its UUID from the moment it is written, so a send that was
cut off is simply sent again: the server answers with its first result.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Generator, Sequence
from pathlib import Path

from app.errors import ConflictError, InvalidInput, NotFound, PermissionDenied
from app.model.feature import utc_now
from app.model.ids import uuid7
from app.model.jobs import Progress
from app.project.project import Project
from app.review.client import ReviewRemote
from app.review.wire import COMMENT_FORMAT, parse_comment, sniff

log = logging.getLogger(__name__)
REFUSALS = (ConflictError, InvalidInput, NotFound, PermissionDenied)  # 4xx: retrying cannot help


def _add(project: Project, item_id: str, kind: str, number: int, body: dict, queued: bool) -> None:
    with project.db.atomic():
        project.db.execute(
            "INSERT INTO coplan_review_outbox (id, kind, round, body, state, created) "
            "VALUES (?, ?, ?, ?, ?, ?)", (item_id, kind, number,
                                          json.dumps(body, ensure_ascii=False),
                                          "queued" if queued else "draft", utc_now()))


def write_comment(project: Project, number: int, body: dict, anchors: list[dict], *,
                  channel: str = "app", files: Sequence[Path] = (), queued: bool = True,
                  author: str | None = None) -> str:
    """Write a comment of this project's party (checked now, sent on the next sync); its id.

    `author` is the user logged in to the project's server; the server records its own
    authenticated user whatever the comment says, so this is what the copy shows meanwhile."""
    comment_id = uuid7()
    attachment_ids = [uuid7() for _ in files]
    comment = {"format": COMMENT_FORMAT, "id": comment_id, "round": number,
               "party": project.party, "author": author or project.author, "channel": channel,
               "written": utc_now(), "body": body, "anchors": anchors}
    if attachment_ids:
        comment["attachments"] = attachment_ids
    parse_comment(comment)
    with project.db.atomic():
        for attachment_id, path in zip(attachment_ids, files, strict=True):
            data = Path(path).read_bytes()
            project.db.execute("INSERT INTO coplan_review_files (id, comment, media_type, data) "
                               "VALUES (?, ?, ?, ?)", (attachment_id, comment_id, sniff(data)[0], data))
        _add(project, comment_id, "comment", number, comment, queued)
    return comment_id


def write_no_comment(project: Project, number: int) -> str:
    """Answer round `number`'s invitation with "no comment" (sent on the next sync)."""
    item_id = uuid7()
    _add(project, item_id, "no_comment", number, {"round": number}, True)
    return item_id


def write_confirmation(project: Project, comment: str, publication: str, satisfied: bool,
                       note: str = "") -> str:
    """Reply to a published answer: satisfied, or not (which reopens it)."""
    item_id = uuid7()
    body = {"comment": comment, "publication": publication, "satisfied": satisfied, "note": note}
    _add(project, item_id, "confirm", 0, body, True)
    return item_id


def queue(project: Project, item_id: str) -> None:
    """Mark a draft ready to send."""
    cursor = project.db.execute("UPDATE coplan_review_outbox SET state = 'queued' WHERE id = ? "
                                "AND state = 'draft'", (item_id,))
    if cursor.rowcount != 1:
        raise NotFound(f"no draft {item_id}")


def pending(project: Project, state: str = "queued") -> list[dict]:
    """Outbox items in one state (queued by default), in the order they were written."""
    rows = project.db.execute("SELECT id, kind, round, body, answer FROM coplan_review_outbox "
                              "WHERE state = ? ORDER BY seq", (state,)).fetchall()
    return [{"id": i, "kind": k, "round": r, "body": json.loads(b),
             "answer": json.loads(a) if a else None} for i, k, r, b, a in rows]


def _send(project: Project, api: ReviewRemote, item: dict) -> dict:
    body = item["body"]
    if item["kind"] == "comment":
        _upload_files(project, api, item["id"])
        return api.submit(body)
    if item["kind"] == "no_comment":
        return api.no_comment(item["round"], item["id"])
    if item["kind"] == "confirm":
        return api.confirm(body["comment"], body["publication"], body["satisfied"],
                           body.get("note", ""), request_id=item["id"])
    raise ConflictError(f"unknown outbox item {item['kind']}")


def _upload_files(project: Project, api: ReviewRemote, comment_id: str) -> None:
    rows = project.db.execute("SELECT id, data FROM coplan_review_files WHERE comment = ? AND "
                              "uploaded = 0", (comment_id,)).fetchall()
    for file_id, data in rows:
        api.upload(file_id, bytes(data))
        project.db.execute("UPDATE coplan_review_files SET uploaded = 1 WHERE id = ?", (file_id,))


def send_steps(project: Project, api: ReviewRemote) -> Generator[Progress, None, int]:
    """Send the outbox in order; each item is marked sent with the server's answer."""
    items = pending(project)
    sent = 0
    for n, item in enumerate(items):
        yield Progress("send", n, len(items), item["kind"])
        try:
            answer, state = _send(project, api, item), "sent"
        except REFUSALS as exc:  # this item can never go through; the others still may
            log.warning("the server refused %s %s: %s", item["kind"], item["id"], exc.message)
            answer, state = {"error": exc.message}, "refused"
        project.db.execute("UPDATE coplan_review_outbox SET state = ?, sent = ?, answer = ? "
                           "WHERE id = ?", (state, utc_now(),
                                            json.dumps(answer, ensure_ascii=False), item["id"]))
        sent += state == "sent"
    yield Progress("send", len(items), len(items))
    return sent


def pull(project: Project, api: ReviewRemote) -> int:
    """Replace the local copy of the comments this party may see; returns how many."""
    views = api.comments(full=True)
    now = utc_now()
    with project.db.atomic():
        project.db.execute("DELETE FROM coplan_review_comments")
        project.db.conn.executemany(
            "INSERT INTO coplan_review_comments VALUES (?, ?, ?, ?, ?, ?)",
            ((v["comment"]["id"], v["comment"]["round"], v["comment"]["party"], v["status"],
              json.dumps(v, ensure_ascii=False), now) for v in views))
    return len(views)


def sync_steps(project: Project, api: ReviewRemote) -> Generator[Progress, None, tuple[int, int]]:
    """Send the outbox, then pull; returns (sent, pulled)."""
    sent = yield from send_steps(project, api)
    yield Progress("pull", 0, 1)
    pulled = pull(project, api)
    return sent, pulled


def item_state(project: Project, item_id: str) -> tuple[str, dict | None]:
    """(state, server answer) of one outbox item: draft, queued, sent or refused."""
    row = project.db.execute("SELECT state, answer FROM coplan_review_outbox WHERE id = ?",
                             (item_id,)).fetchone()
    if row is None:
        raise NotFound(f"no outbox item {item_id}")
    return row[0], json.loads(row[1]) if row[1] else None


# --- frozen drafts kept in the copy, so a quote can be placed offline ------------------------

_DRAFT_KEY, _ROUNDS_KEY = "review_draft.", "review_rounds"


def cache_rounds(project: Project, rounds: list[dict]) -> None:
    """Remember the server's rounds (number -> draft hash, stage) for offline use."""
    project.set_meta(_ROUNDS_KEY, json.dumps(rounds, ensure_ascii=False))


def cached_rounds(project: Project) -> list[dict]:
    """The rounds last seen on the server; [] when never seen."""
    return json.loads(project.meta(_ROUNDS_KEY) or "[]")


def cache_draft(project: Project, draft_hash: str, sections: dict[str, str]) -> None:
    """Keep a frozen draft's sections in the copy (a draft never changes: its hash names it)."""
    project.set_meta(_DRAFT_KEY + draft_hash, json.dumps(sections, ensure_ascii=False))


def cached_draft(project: Project, draft_hash: str) -> dict[str, str] | None:
    """A frozen draft kept in the copy, or None."""
    raw = project.meta(_DRAFT_KEY + draft_hash)
    return json.loads(raw) if raw else None


def local_comments(project: Project, status: str | None = None) -> list[dict]:
    """The comment views last pulled (optionally of one status), oldest round first."""
    sql, params = "SELECT view FROM coplan_review_comments", []
    if status:
        sql += " WHERE status = ?"
        params.append(status)
    rows = project.db.execute(sql + " ORDER BY round, id", params).fetchall()
    return [json.loads(r[0]) for r in rows]
