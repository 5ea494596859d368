"""The review on the sync server: events, drafts and attachments in the server store, and a
per-project cache of the folded state (events only ever append with higher versions, so the
cache catches up by applying the new ones).

The store has one writer for every project and every push: work that may take long (matching
the anchors of a new draft) is done before `store.write()`, never inside it."""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from app.errors import InvalidInput, NotFound, PermissionDenied
from app.review.access import Actor, require_coordinator
from app.review.anchors import Sections, plan_migration
from app.review.commands import Review, earlier_anchors
from app.review.events import Event
from app.review.state import ReviewState
from app.review.wire import sniff
from app.sync.server.store import Member, SqliteStore, now

log = logging.getLogger(__name__)

COLUMNS = "id, version, kind, round, party, user, at, data"


def _event(row: tuple) -> Event:
    return Event(row[0], row[1], row[2], row[3], row[4], row[5], row[6], json.loads(row[7]))


class SqlLog:
    """The Log of one project on a store connection (the writer, inside its transaction)."""

    def __init__(self, db, project: str):
        self.db, self.project = db, project

    def get(self, event_id: str) -> Event | None:
        row = self.db.execute(f"SELECT {COLUMNS} FROM review_events WHERE project = ? AND id = ?",
                              (self.project, event_id)).fetchone()
        return _event(row) if row else None

    def next_version(self) -> int:
        return self.db.execute("SELECT coalesce(max(version), 0) + 1 FROM review_events "
                               "WHERE project = ?", (self.project,)).fetchone()[0]

    def add(self, event: Event) -> bool:
        self.db.execute(f"INSERT INTO review_events (project, {COLUMNS}) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (self.project, *_row(event)))
        return True


def _row(e: Event) -> tuple:
    data = json.dumps(e.data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (e.id, e.version, e.kind, e.round, e.party, e.user, e.at, data)


class SqlDirectory:
    """Parties, change sets, attachments and drafts of one project, read on `db`."""

    def __init__(self, db, project: str):
        self.db, self.project = db, project

    def party(self, code: str) -> tuple[str, str] | None:
        row = self.db.execute("SELECT name, type FROM parties WHERE project = ? AND code = ?",
                              (self.project, code)).fetchone()
        return (row[0], row[1]) if row else None

    def known_changesets(self, ids: list[str]) -> set[str]:
        return {i for i in ids if self.db.execute(
            "SELECT 1 FROM versions WHERE project = ? AND changeset = ?",
            (self.project, i)).fetchone()}

    def owned_attachments(self, party: str, ids: list[str]) -> set[str]:
        return {i for i in ids if self.db.execute(
            "SELECT 1 FROM review_attachments WHERE project = ? AND id = ? AND party = ?",
            (self.project, i, party)).fetchone()}

    def save_draft(self, draft_hash: str, sections: Sections) -> None:
        self.db.execute("INSERT OR IGNORE INTO review_drafts VALUES (?, ?, ?)",
                        (self.project, draft_hash, json.dumps(dict(sections), ensure_ascii=False)))

    def draft(self, draft_hash: str) -> Sections | None:
        row = self.db.execute("SELECT sections FROM review_drafts WHERE project = ? AND hash = ?",
                              (self.project, draft_hash)).fetchone()
        return json.loads(row[0]) if row else None


@dataclass
class _Cached:
    state: ReviewState = field(default_factory=ReviewState)
    lock: threading.Lock = field(default_factory=threading.Lock)


class ReviewServer:
    """Review commands and reads over the server store."""

    def __init__(self, store: SqliteStore):
        self.store = store
        self._cache: dict[str, _Cached] = {}
        self._guard = threading.Lock()

    def _cached(self, project: str) -> _Cached:
        with self._guard:
            return self._cache.setdefault(project, _Cached())

    def _catch_up(self, db, project: str, cached: _Cached) -> None:
        rows = db.execute(f"SELECT {COLUMNS} FROM review_events WHERE project = ? AND "
                          "version > ? ORDER BY version", (project, cached.state.version))
        for row in rows.fetchall():
            cached.state.apply(_event(row))

    def read(self, project: str, fn: Callable[[ReviewState], object]) -> object:
        """`fn(state)` on the current state (under the cache lock: the state is shared)."""
        cached = self._cached(project)
        with cached.lock:
            self._catch_up(self.store.read(), project, cached)
            return fn(cached.state)

    def run(self, member: Member, command: Callable[[Review, Actor], Event]) -> Event:
        """Run one command in one write transaction; the cache is dropped if it fails."""
        cached = self._cached(member.project)
        applied = -1
        with cached.lock:  # always cache lock, then store lock: no reader takes them the other way
            try:
                with self.store.write() as db:
                    self._catch_up(db, member.project, cached)
                    applied = cached.state.count
                    review = Review(SqlLog(db, member.project), cached.state,
                                    SqlDirectory(db, member.project), now)
                    return command(review, actor_of(db, member))
            except BaseException:
                if cached.state.count != applied:
                    # The state holds an event the rollback undid: rebuild it on the next read.
                    cached.state = ReviewState()
                raise

    def freeze(self, member: Member, number: int, sections: Sections, event_id: str) -> Event:
        """Freeze a round's draft; its anchor matching runs before the write lock is taken.

        Inside the lock the plan is checked against the comments as they are then: a comment
        submitted, withdrawn or re-anchored meanwhile is matched again there (only that one)."""
        require_coordinator(member_actor(member), "freeze drafts")  # before the costly part
        earlier = self.read(member.project, lambda s: _to_match(s, number))
        matched = plan_migration(earlier, sections) if earlier else None
        return self.run(member, lambda r, a: r.freeze(a, number, sections, event_id=event_id,
                                                       matched=matched))

    def events(self, project: str, since: int = 0, limit: int = 10000) -> list[Event]:
        """Events after version `since`, in version order."""
        rows = self.store.read().execute(
            f"SELECT {COLUMNS} FROM review_events WHERE project = ? AND version > ? "
            "ORDER BY version LIMIT ?", (project, since, limit)).fetchall()
        return [_event(r) for r in rows]

    def draft(self, project: str, draft_hash: str) -> Sections:
        found = SqlDirectory(self.store.read(), project).draft(draft_hash)
        if found is None:
            raise NotFound(f"no frozen draft {draft_hash}")
        return found

    # --- attachments ----------------------------------------------------------------------

    def upload(self, member: Member, attachment_id: str, body: bytes) -> dict:
        """Keep an uploaded PDF or image under a server-made name (a repeat is answered again)."""
        check_uploader(member)
        kind = sniff(body)
        digest = hashlib.sha256(body).hexdigest()
        with self.store.write() as db:
            row = db.execute("SELECT party, sha256, name, media_type, size FROM review_attachments"
                             " WHERE project = ? AND id = ?", (member.project, attachment_id)).fetchone()
            if row:
                if row[0] != member.party or row[1] != digest:
                    raise InvalidInput(f"attachment {attachment_id} was already uploaded with "
                                       "other content")
                return {"id": attachment_id, "name": row[2], "media_type": row[3], "size": row[4],
                        "sha256": digest}
            name = f"{attachment_id}.{kind[1]}"
            db.execute("INSERT INTO review_attachments VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (member.project, attachment_id, member.party, member.user, name, kind[0],
                        len(body), digest, now(), body))
        return {"id": attachment_id, "name": name, "media_type": kind[0], "size": len(body),
                "sha256": digest}

    def attachment(self, project: str, attachment_id: str) -> tuple[str, str, bytes, str]:
        """(name, media type, bytes, uploading party) of an attachment."""
        row = self.store.read().execute(
            "SELECT name, media_type, data, party FROM review_attachments WHERE project = ? "
            "AND id = ?", (project, attachment_id)).fetchone()
        if row is None:
            raise NotFound(f"no attachment {attachment_id}")
        return row[0], row[1], bytes(row[2]), row[3]


def _to_match(state: ReviewState, number: int) -> list[tuple[str, list[dict]]]:
    """The anchors a freeze of round `number` would migrate now; none if it cannot freeze."""
    r = state.rounds.get(number)
    if r is None or not r.stages or r.stage != "draft":
        return []  # refused, or a replay: the command answers without matching anything
    return earlier_anchors(state, number)


def check_uploader(member: Member) -> None:
    """PermissionDenied for observers, who only read (checked before an upload is read)."""
    if member.role == "observer":
        raise PermissionDenied("observers cannot upload attachments")


def member_actor(member: Member) -> Actor:
    """The actor of a membership without its party type (enough for role checks)."""
    return Actor(member.user, member.party, member.role)


def actor_of(db, member: Member) -> Actor:
    """The review actor of a membership (adds the party's type)."""
    row = db.execute("SELECT type FROM parties WHERE project = ? AND code = ?",
                     (member.project, member.party)).fetchone()
    return Actor(member.user, member.party, member.role, row[0] if row else "")
