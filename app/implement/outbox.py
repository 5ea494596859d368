"""Implementation tracking in the party's copy: an outbox of events written offline (progress
reports, issues, indicator values, check-ups) sent in order when the server is reachable, and a
mirror of the server's event log, folded locally so dashboards and reports work offline.

Like comments, each item keeps its UUID (the event id) from the moment it is written, so a send
that was cut off is simply sent again: the server answers with its first event. Evidence files
are uploaded as review attachments before their item is sent. An item the server refuses is
marked refused with its message; the rest still go.

Sent events are not put into the mirror from the send's answers: the mirror is pulled in
version order (since its highest version), and an answer's version may lie past events not
pulled yet."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Generator, Iterable
from dataclasses import asdict
from pathlib import Path

from app.analysis import checkup_store
from app.errors import ConflictError, InvalidInput, NotFound, PermissionDenied
from app.implement.client import ImplementRemote
from app.implement.events import Event, parse_data
from app.implement.state import ImplementState, fold
from app.model.feature import utc_now
from app.model.ids import uuid7
from app.model.jobs import Progress
from app.project.project import Project
from app.review.wire import sniff

log = logging.getLogger(__name__)
REFUSALS = (ConflictError, InvalidInput, NotFound, PermissionDenied)  # 4xx: retrying cannot help
STATES = ("draft", "queued", "sent", "refused")
OUTBOX, FILES, EVENTS = "coplan_implement_outbox", "coplan_implement_files", "coplan_implement_events"
SENT_INDICATORS = "implement_indicators_sent"  # coplan_meta: {entry key: digest} last queued
SENT_CHECKUP = "implement_checkup_sent."  # + year: digest of the check-up rows last queued
MIRROR_OF = "implement_mirror_of"  # coplan_meta: "server URL|project" the mirror's log is of
ENTRIES_PER_EVENT = 1000  # indicator entries per `indicators` event (well under its body cap)
FileArg = tuple[str, "str | Path | bytes"]


def write(project: Project, kind: str, data: dict, *, files: Iterable[FileArg] = (),
          queued: bool = True) -> str:
    """Put an event of `kind` into the outbox (its data checked now, sent on the next sync);
    returns its id. `files` are evidence files as (attachment id, path or bytes): the data
    must name each id (a report line's `attachments`); make ids with app.model.ids.uuid7."""
    parse_data(kind, data)
    bodies = [(i, v if isinstance(v, bytes) else Path(v).read_bytes()) for i, v in files]
    named = _attachments(data)
    for file_id, _ in bodies:
        if file_id not in named:
            raise InvalidInput(f"evidence file {file_id} is not named by any line's attachments")
    item_id = uuid7()
    with project.db.atomic():
        for file_id, body in bodies:
            project.db.execute(f"INSERT INTO {FILES} (id, outbox_id, media_type, data) "
                               "VALUES (?, ?, ?, ?)", (file_id, item_id, sniff(body)[0], body))
        project.db.execute(
            f"INSERT INTO {OUTBOX} (id, kind, body, state, created) VALUES (?, ?, ?, ?, ?)",
            (item_id, kind, json.dumps(data, ensure_ascii=False),
             "queued" if queued else "draft", utc_now()))
    return item_id


def report_data(project: Project, period: str, lines: list[dict], *,
                author: str | None = None) -> dict:
    """The data of a new `report` event of this copy: a new report id, written now, by
    `author` (the project's author by default). Put it in the outbox with `write`."""
    return {"report": str(uuid7()), "period": period, "written": utc_now(),
            "author": author or project.author, "lines": lines}


def _attachments(data: dict) -> set[str]:
    lines = data.get("lines") if isinstance(data, dict) else None
    return {a for line in lines or () if isinstance(line, dict)
            for a in line.get("attachments") or ()}


def queue(project: Project, item_id: str) -> None:
    """Mark a draft ready to send."""
    cursor = project.db.execute(f"UPDATE {OUTBOX} SET state = 'queued' WHERE id = ? "
                                "AND state = 'draft'", (item_id,))
    if cursor.rowcount != 1:
        raise NotFound(f"no draft {item_id}")


def discard(project: Project, item_id: str) -> None:
    """Drop a draft (and its files) that was never queued."""
    with project.db.atomic():
        cursor = project.db.execute(f"DELETE FROM {OUTBOX} WHERE id = ? AND state = 'draft'",
                                    (item_id,))
        if cursor.rowcount != 1:
            raise NotFound(f"no draft {item_id}")
        project.db.execute(f"DELETE FROM {FILES} WHERE outbox_id = ?", (item_id,))


def pending(project: Project, state: str = "queued") -> list[dict]:
    """Outbox items in one state (queued by default), in the order they were written: each
    {"id", "kind", "data", "state", "created", "sent", "answer"}."""
    if state not in STATES:
        raise InvalidInput(f"an outbox item's state is one of {', '.join(STATES)}")
    rows = project.db.execute(f"SELECT id, kind, body, state, created, sent, answer FROM {OUTBOX} "
                              "WHERE state = ? ORDER BY seq", (state,)).fetchall()
    return [{"id": i, "kind": k, "data": json.loads(b), "state": s, "created": c, "sent": se,
             "answer": json.loads(a) if a else None} for i, k, b, s, c, se, a in rows]


def item_state(project: Project, item_id: str) -> tuple[str, dict | None]:
    """(state, server answer) of one outbox item."""
    row = project.db.execute(f"SELECT state, answer FROM {OUTBOX} WHERE id = ?",
                             (item_id,)).fetchone()
    if row is None:
        raise NotFound(f"no outbox item {item_id}")
    return row[0], json.loads(row[1]) if row[1] else None


def _upload_files(project: Project, api: ImplementRemote, item_id: str) -> None:
    rows = project.db.execute(f"SELECT id, data FROM {FILES} WHERE outbox_id = ? AND "
                              "uploaded = 0", (item_id,)).fetchall()
    for file_id, data in rows:
        api.upload(file_id, bytes(data))  # a repeat is answered again (same id, same bytes)
        project.db.execute(f"UPDATE {FILES} SET uploaded = 1 WHERE id = ?", (file_id,))


def send_steps(project: Project, api: ImplementRemote) -> Generator[Progress, None, int]:
    """Send the queued items in order; each is marked sent with the server's event, or refused
    with its message. Returns how many were sent."""
    items = pending(project)
    sent = 0
    for n, item in enumerate(items):
        yield Progress("send", n, len(items), item["kind"])
        try:
            _upload_files(project, api, item["id"])
            answer, state = api.post(item["kind"], item["data"], request_id=item["id"]), "sent"
        except REFUSALS as exc:  # this item can never go through; the others still may
            log.warning("the server refused %s %s: %s", item["kind"], item["id"], exc.message)
            answer, state = {"error": exc.message}, "refused"
        project.db.execute(f"UPDATE {OUTBOX} SET state = ?, sent = ?, answer = ? WHERE id = ?",
                           (state, utc_now(), json.dumps(answer, ensure_ascii=False), item["id"]))
        sent += state == "sent"
    yield Progress("send", len(items), len(items))
    return sent


def head(project: Project) -> int:
    """The highest event version in the mirror (0 when empty)."""
    return project.db.execute(f"SELECT coalesce(max(version), 0) FROM {EVENTS}").fetchone()[0]


def mirror(project: Project, events: Iterable[Event]) -> int:
    """Insert pulled events into the mirror, ignoring ones it holds; returns how many were new."""
    rows = [(e.version, e.id, e.kind, e.party, e.user, e.at,
             json.dumps(e.data, ensure_ascii=False, sort_keys=True)) for e in events]
    with project.db.atomic():
        before = project.db.execute(f"SELECT count(*) FROM {EVENTS}").fetchone()[0]
        project.db.conn.executemany(f"INSERT OR IGNORE INTO {EVENTS} (version, id, kind, party, "
                                    "username, at, data) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        after = project.db.execute(f"SELECT count(*) FROM {EVENTS}").fetchone()[0]
    return after - before


def mirrored(project: Project, since: int = 0) -> list[Event]:
    """The mirror's events after version `since`, in version order."""
    rows = project.db.execute(f"SELECT id, version, kind, party, username, at, data FROM {EVENTS} "
                              "WHERE version > ? ORDER BY version", (since,)).fetchall()
    return [Event(i, v, k, p, u, at, json.loads(d)) for i, v, k, p, u, at, d in rows]


def pull(project: Project, api: ImplementRemote) -> int:
    """Pull the events after the mirror's highest version; returns how many were new.

    The mirror is one server project's log: when it holds another's (the synthetic log of a
    sample, or the copy now syncs with another server), it is emptied and pulled whole."""
    origin = f"{api.remote.url}|{api.project}"
    if project.meta(MIRROR_OF) != origin:
        with project.db.atomic():
            project.db.execute(f"DELETE FROM {EVENTS}")
            project.set_meta(MIRROR_OF, origin)
    return mirror(project, api.events(head(project)))


def sync_steps(project: Project, api: ImplementRemote) -> Generator[Progress, None, tuple[int, int]]:
    """Send the outbox, then pull; returns (sent, pulled)."""
    sent = yield from send_steps(project, api)
    yield Progress("pull", 0, 1)
    pulled = pull(project, api)
    yield Progress("pull", 1, 1)
    return sent, pulled


def local_state(project: Project) -> ImplementState:
    """The state of the mirrored log (folded here: no server needed)."""
    return fold(mirrored(project))


# --- indicator values and check-ups, from app/analysis/checkup_store --------------------------

def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, sort_keys=True)
                          .encode()).hexdigest()[:32]


def queue_indicators(project: Project) -> str | None:
    """Queue the indicator values entered (or changed) since the last ones queued, as
    `indicators` events of at most ENTRIES_PER_EVENT entries; the id of the last, or None when
    nothing is new."""
    sent = json.loads(project.meta(SENT_INDICATORS) or "{}")
    new = {}
    for entry in checkup_store.entries(project.db, 9999):
        row = asdict(entry)
        key = f"{entry.indicator_id}|{entry.xzqdm}|{entry.year}"
        if sent.get(key) != _digest(row):
            new[key] = row
    if not new:
        return None
    rows, last = list(new.values()), None
    with project.db.atomic():
        for start in range(0, len(rows), ENTRIES_PER_EVENT):
            last = write(project, "indicators", {"entries": rows[start:start + ENTRIES_PER_EVENT]})
        sent.update({k: _digest(v) for k, v in new.items()})
        project.set_meta(SENT_INDICATORS, json.dumps(sent, ensure_ascii=False, sort_keys=True))
    return last


def queue_checkup(project: Project, year: int) -> str | None:
    """Queue the recorded check-up of `year` (all its rows: a later one replaces it on the
    server); None when it is not recorded or unchanged since it was last queued."""
    rows = [asdict(r) for r in checkup_store.recorded(project.db, year)]
    digest = _digest(rows)
    if not rows or project.meta(SENT_CHECKUP + str(year)) == digest:
        return None
    with project.db.atomic():
        item_id = write(project, "checkup", {"year": year, "rows": rows})
        project.set_meta(SENT_CHECKUP + str(year), digest)
    return item_id
