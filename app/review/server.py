"""The review on the sync server: events, drafts and attachments in the server store, and a
per-project cache of the folded state (events only ever append with higher versions, so the
cache catches up by applying the new ones).

A write holds its project's lock (and, on SQLite, the one writer): work that may take long
(matching the anchors of a new draft) is done before `store.writing()`, never inside it."""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from app.errors import InvalidInput, NotFound, PermissionDenied
from app.review.access import Actor, require_coordinator
from app.review.anchors import Sections, plan_migration
from app.review.commands import Review, earlier_anchors
from app.review.events import Event
from app.review.plan_area import PlanAreas, anchored_features
from app.review.state import ReviewState
from app.review.wire import sniff
from app.sync.server.store import Member, Session, Store, now, project_row, read_blob

log = logging.getLogger(__name__)
T = TypeVar("T")


def _event(row: tuple) -> Event:
    return Event(row[0], row[1], row[2], row[3], row[4], row[5], row[6], json.loads(row[7]))


class SqlLog:
    """The Log of one project on a store session (the writer, inside its transaction)."""

    def __init__(self, session: Session, project: str):
        self.s, self.project = session, project

    def get(self, event_id: str) -> Event | None:
        row = self.s.review_event(self.project, event_id)
        return _event(row) if row else None

    def next_version(self) -> int:
        return self.s.next_review_version(self.project)

    def add(self, event: Event) -> bool:
        self.s.insert_review_event(self.project, _row(event))
        return True

    def events(self, since: int = 0) -> Iterator[Event]:
        """The project's events after version `since`, in order."""
        return (_event(row) for row in self.s.review_events(self.project, since))


def _row(e: Event) -> tuple:
    data = json.dumps(e.data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (e.id, e.version, e.kind, e.round, e.party, e.user, e.at, data)


class SqlDirectory:
    """Parties, change sets, attachments and drafts of one project, read on a session."""

    def __init__(self, session: Session, project: str, areas: PlanAreas | None = None):
        self.s, self.project, self.areas = session, project, areas or PlanAreas()

    def party(self, code: str) -> tuple[str, str] | None:
        return next(((n, t) for c, n, t in self.s.parties(self.project) if c == code), None)

    def known_changesets(self, ids: list[str]) -> set[str]:
        return self.s.known_changesets(self.project, ids)

    def changeset_info(self, ids: list[str]) -> dict[str, tuple[int, str]]:
        found = {i: self.s.changeset(self.project, i) for i in dict.fromkeys(ids)}
        return {i: (int(row[0]), str(row[1])) for i, row in found.items() if row}

    def owned_attachments(self, party: str, ids: list[str]) -> set[str]:
        found = ((i, self.s.attachment(self.project, i)) for i in ids)
        return {i for i, a in found if a is not None and a["party"] == party}

    def save_draft(self, draft_hash: str, sections: Sections) -> None:
        self.s.save_draft(self.project, draft_hash, dict(sections))

    def draft(self, draft_hash: str) -> Sections | None:
        return self.s.draft(self.project, draft_hash)

    def plan_area(self) -> object | None:
        return self.areas.get(self.s, self.project)


@dataclass
class _Cached:
    state: ReviewState = field(default_factory=ReviewState)
    lock: threading.Lock = field(default_factory=threading.Lock)


class ReviewServer:
    """Review commands and reads over the server store."""

    def __init__(self, store: Store):
        self.store = store
        self._cache: dict[str, _Cached] = {}
        self._guard = threading.Lock()
        self.areas = PlanAreas()  # per project and data version (see app.review.plan_area)

    def _cached(self, project: str) -> _Cached:
        with self._guard:
            return self._cache.setdefault(project, _Cached())

    def _catch_up(self, s: Session, project: str, cached: _Cached) -> None:
        for row in s.review_events(project, cached.state.version):
            cached.state.apply(_event(row))

    def read(self, project: str, fn: Callable[[ReviewState], T]) -> T:
        """`fn(state)` on the current state (under the cache lock: the state is shared)."""
        cached = self._cached(project)
        with cached.lock, self.store.reading() as s:
            self._catch_up(s, project, cached)
            return fn(cached.state)

    def run(self, member: Member, command: Callable[[Review, Actor], Event]) -> Event:
        """Run one command in one write transaction; the cache is dropped if it fails."""
        cached = self._cached(member.project)
        applied = -1
        with cached.lock:  # always cache lock, then store lock: no reader takes them the other way
            try:
                with self.store.writing() as s:
                    # The project's lock orders its events across server processes.
                    project_row(s, member.project, lock=True)
                    self._catch_up(s, member.project, cached)
                    applied = cached.state.count
                    review = Review(SqlLog(s, member.project), cached.state,
                                    SqlDirectory(s, member.project, self.areas), now)
                    return command(review, actor_of(s, member))
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
        features = anchored_features(self.store, member.project, earlier)  # changed: "moved"
        matched = plan_migration(earlier, sections, features) if earlier else None
        return self.run(member, lambda r, a: r.freeze(a, number, sections, event_id=event_id,
                                                       features=features, matched=matched))

    def events(self, project: str, since: int = 0, limit: int = 10000) -> list[Event]:
        """Events after version `since`, in version order."""
        with self.store.reading() as s:
            return [_event(r) for r in s.review_events(project, since, limit)]

    def draft(self, project: str, draft_hash: str) -> Sections:
        with self.store.reading() as s:
            found = s.draft(project, draft_hash)
        if found is None:
            raise NotFound(f"no frozen draft {draft_hash}")
        return found

    # --- attachments ----------------------------------------------------------------------

    def upload(self, member: Member, attachment_id: str, body: bytes) -> dict:
        """Keep an uploaded PDF or image under a server-made name (a repeat is answered again).
        The file is written before its row: a row never names a missing file."""
        check_uploader(member)
        kind = sniff(body)
        digest = hashlib.sha256(body).hexdigest()
        name = f"{attachment_id}.{kind[1]}"
        with self.store.reading() as s:
            found = s.attachment(member.project, attachment_id)
        if found is None:  # the file's name holds its hash: a racing upload writes its own file
            self.store.blobs.put(member.project, attachment_blob(name, digest), body)
        with self.store.writing() as s:
            project_row(s, member.project, lock=True)
            found = s.attachment(member.project, attachment_id)
            if found:
                if found["party"] != member.party or found["sha256"] != digest:
                    raise InvalidInput(f"attachment {attachment_id} was already uploaded with "
                                       "other content")
                return {"id": attachment_id, "name": found["name"],
                        "media_type": found["media_type"], "size": found["size"], "sha256": digest}
            s.insert_attachment(member.project, {
                "id": attachment_id, "party": member.party, "username": member.user, "name": name,
                "media_type": kind[0], "size": len(body), "sha256": digest, "created": now()})
        return {"id": attachment_id, "name": name, "media_type": kind[0], "size": len(body),
                "sha256": digest}

    def attachment(self, project: str, attachment_id: str) -> tuple[str, str, bytes, str]:
        """(name, media type, bytes, uploading party) of an attachment."""
        with self.store.reading() as s:
            found = s.attachment(project, attachment_id)
        if found is None:
            raise NotFound(f"no attachment {attachment_id}")
        data = read_blob(self.store.blobs, project, attachment_blob(found["name"], found["sha256"]))
        return found["name"], found["media_type"], data, found["party"]


def attachment_blob(name: str, sha256: str) -> str:
    """The file of an attachment in the store's blobs."""
    return f"attachments/{sha256[:16]}-{name}"


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


def actor_of(session: Session, member: Member) -> Actor:
    """The review actor of a membership (adds the party's type)."""
    kind = next((t for c, _, t in session.parties(member.project) if c == member.party), "")
    return Actor(member.user, member.party, member.role, kind)
