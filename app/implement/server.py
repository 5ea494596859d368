"""Implementation tracking on the sync server: the project's event log in the server store and
a per-project cache of its folded state (events only ever append with higher versions, so the
cache catches up by applying the new ones), as app/review/server.py does for the review.

A command is checked against the state inside the write transaction, under the project's lock,
and the event it makes is verified by applying it (app.implement.commands.make_event): the
server never accepts an event a replica could not fold. Every write carries its event id as
the request id: a repeat is answered with the first event, the same id with another request is
refused. The party and the user of an event are the caller's membership, never a claim."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from app.errors import InvalidInput, NotFound, PermissionDenied
from app.implement import commands
from app.implement.events import KINDS, Event
from app.implement.state import ImplementState
from app.sync.server.store import Member, Session, Store, now, project_row

log = logging.getLogger(__name__)
MAX_PAGE = 10000  # events one read answers at most


def event_of(row: tuple) -> Event:
    """An Event from a store row (id, version, kind, party, username, at, data text)."""
    return Event(id=row[0], version=row[1], kind=row[2], party=row[3], user=row[4], at=row[5],
                 data=json.loads(row[6]))


def row_of(e: Event) -> tuple:
    data = json.dumps(e.data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (e.id, e.version, e.kind, e.party, e.user, e.at, data)


def require_kind(kind: str) -> None:
    """NotFound for a kind of event the log does not know (before anything else is read)."""
    if kind not in KINDS:
        raise NotFound(f"no implementation command {kind}")


def require_role(member: Member, kind: str) -> None:
    """PermissionDenied unless `member`'s role may write events of `kind` (checked before the
    request body is read)."""
    require_kind(kind)
    if member.role not in commands.ROLES[kind]:
        raise PermissionDenied(f"role {member.role} cannot write {kind} events")


def request_hash(member: Member, kind: str, data: dict) -> str:
    """What a request id stands for: who sent which command (a replay must match it)."""
    request = {"kind": kind, "data": data, "party": member.party, "user": member.user}
    return hashlib.sha256(json.dumps(request, sort_keys=True, ensure_ascii=False)
                          .encode()).hexdigest()


def evidence(s: Session, project: str, party: str) -> Callable[[str, Iterable[str]], set[str]]:
    """`known(what, ids)`: which of `ids` the server knows as evidence of `party` —
    "attachments" it uploaded (app/review's attachment upload), "changesets" of the project."""
    def known(what: str, ids: Iterable[str]) -> set[str]:
        ids = list(dict.fromkeys(ids))
        if what == "attachments":
            found = ((i, s.attachment(project, i)) for i in ids)
            return {i for i, a in found if a is not None and a["party"] == party}
        if what == "changesets":
            return s.known_changesets(project, ids)
        raise ValueError(f"unknown evidence {what}")
    return known


@dataclass
class _Cached:
    state: ImplementState = field(default_factory=ImplementState)
    lock: threading.Lock = field(default_factory=threading.Lock)


class ImplementServer:
    """Implementation commands and reads over a server store. `today` gives the Beijing date
    the rules use (reports of future periods are refused); tests pin it."""

    def __init__(self, store: Store, today: Callable[[], dt.date] | None = None):
        self.store = store
        self.today = today or _today
        self._cache: dict[str, _Cached] = {}
        self._guard = threading.Lock()

    def _cached(self, project: str) -> _Cached:
        with self._guard:
            return self._cache.setdefault(project, _Cached())

    def _catch_up(self, s: Session, project: str, cached: _Cached) -> None:
        for row in s.implement_events(project, cached.state.version):
            cached.state.apply(event_of(row))

    def read(self, project: str, fn: Callable[[ImplementState], object]) -> object:
        """`fn(state)` on the current state (under the cache lock: the state is shared)."""
        cached = self._cached(project)
        with cached.lock, self.store.reading() as s:
            self._catch_up(s, project, cached)
            return fn(cached.state)

    def post(self, member: Member, kind: str, event_id: str, data: dict) -> Event:
        """Check a command of `member` against the current state and append its event; a
        replay of `event_id` with the same request is answered with the first event."""
        require_role(member, kind)
        key, body_hash = f"implement/{event_id}", request_hash(member, kind, data)
        today = self.today()
        cached = self._cached(member.project)
        with cached.lock:  # always cache lock, then store lock (as ReviewServer.run)
            applied = -1
            try:
                with self.store.writing() as s:
                    project_row(s, member.project, lock=True)  # orders events across processes
                    replay = _replay(s, member.project, key, body_hash, event_id)
                    if replay is not None:
                        return replay
                    self._catch_up(s, member.project, cached)
                    applied = cached.state.version
                    actor = commands.Actor(member.user, member.party, member.role)
                    event = commands.make_event(
                        cached.state, actor, event_id, kind, data, now(), today,
                        known=evidence(s, member.project, member.party))
                    s.insert_implement_event(member.project, row_of(event))
                    s.insert_request(member.project, key, body_hash, {"version": event.version})
                    cached.state.apply(event)
            except BaseException:
                if applied >= 0 and cached.state.version != applied:
                    # The state holds an event the rollback undid: rebuild it on the next read.
                    cached.state = ImplementState()
                raise
        log.info("implement %s/%s: %s by %s (%s)", member.project, event.version, kind,
                 member.party, member.user)
        return event

    def events(self, project: str, since: int = 0, limit: int = MAX_PAGE) -> tuple[list[Event], int]:
        """(events after version `since` in version order, at most `limit`; the head version)."""
        with self.store.reading() as s:
            project_row(s, project)
            rows = s.implement_events(project, since, min(limit, MAX_PAGE))
            return [event_of(r) for r in rows], s.implement_head(project)


def _replay(s: Session, project: str, key: str, body_hash: str, event_id: str) -> Event | None:
    """The first event of a repeated request; InvalidInput when the id came with another one."""
    found = s.request(project, key)
    row = s.implement_event(project, event_id)
    if found is None and row is None:
        return None
    if found is None or found[0] != body_hash or row is None:
        raise InvalidInput(f"request {event_id} was already used with a different request")
    return event_of(row)


def _today() -> dt.date:
    from app.implement.periods import today_beijing
    return today_beijing()
