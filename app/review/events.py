"""Review events: the immutable facts a round is made of, their wire form and an event log.

An event's `id` is its idempotency key (a comment's event id is the comment's UUID); `version`
is the logical version the accepting log gave it. `state.fold` orders events by
(version, id), so a set of events has one meaning whatever order it arrived in.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from app.errors import InvalidInput, NotFound

FORMAT = "coplan.review-event/v1"
KINDS = ("round.open", "round.freeze", "round.advance", "invite", "comment", "respond",
         "withdraw", "group", "assign", "recommend", "decide", "publish", "confirm",
         "anchor.migrate", "anchor.review", "remind",
         # the joint signature (app.review.cosign): keys, releases and the signature chain
         "key.register", "key.revoke", "release.register", "signature")
COSIGN_KINDS = ("key.register", "key.revoke", "release.register", "signature")


def canonical(value: object) -> bytes:
    """Canonical JSON bytes (sorted keys, no spaces, UTF-8): the input of every hash."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def digest(value: object) -> str:
    """SHA-256 (hex) of the canonical JSON of `value`."""
    return hashlib.sha256(canonical(value)).hexdigest()


@dataclass(frozen=True)
class Event:
    """One accepted fact of the review: who (party, user) did what (kind, data) in which round."""

    id: str
    version: int  # logical version given by the accepting log; fold order is (version, id)
    kind: str
    round: int  # 0 for events outside any round
    party: str  # the acting party
    user: str
    at: str  # ISO 8601 UTC time of acceptance
    data: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def key(self) -> tuple[int, str]:
        return (self.version, self.id)

    def to_json(self) -> dict:
        return {"format": FORMAT, "id": self.id, "version": self.version, "kind": self.kind,
                "round": self.round, "party": self.party, "user": self.user, "at": self.at,
                "data": self.data}

    @classmethod
    def from_json(cls, raw: dict) -> Event:
        """An event from its wire form; InvalidInput when it is not one."""
        try:
            if raw["format"] != FORMAT or raw["kind"] not in KINDS:
                raise InvalidInput(f"not a {FORMAT} event: {raw.get('kind')!r}")
            return cls(str(raw["id"]), int(raw["version"]), raw["kind"], int(raw["round"]),
                       str(raw["party"]), str(raw["user"]), str(raw["at"]), dict(raw["data"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInput(f"malformed review event: {exc}") from exc

    def body_hash(self) -> str:
        """Hash of what the event says (not of when or in which version it was accepted)."""
        return digest([self.kind, self.round, self.party, self.user, self.data])


class MemoryLog:
    """An in-memory event log (tests, the sample, benchmarks); the server's lives in SQLite."""

    def __init__(self, events: Iterable[Event] = ()):
        self._events: dict[str, Event] = {}
        self._top = 0  # highest version held
        for event in events:
            self.add(event)

    def add(self, event: Event) -> bool:
        """Keep `event`; False when an event with its id is already here."""
        if event.id in self._events:
            return False
        self._events[event.id] = event
        self._top = max(self._top, event.version)
        return True

    def get(self, event_id: str) -> Event | None:
        return self._events.get(event_id)

    def next_version(self) -> int:
        return self._top + 1

    def __iter__(self) -> Iterator[Event]:
        return iter(sorted(self._events.values(), key=lambda e: e.key))

    def events(self, since: int = 0) -> Iterator[Event]:
        """The events after version `since`, in order (as the server's log gives them)."""
        return (e for e in self if e.version > since)

    def __len__(self) -> int:
        return len(self._events)


def write_jsonl(events: Iterable[Event], path: str | Path) -> int:
    """Write events one JSON object per line, in fold order; returns how many."""
    ordered = sorted(events, key=lambda e: e.key)
    with open(path, "w", encoding="utf-8") as fh:
        for event in ordered:
            fh.write(json.dumps(event.to_json(), ensure_ascii=False, sort_keys=True) + "\n")
    return len(ordered)


def read_jsonl(path: str | Path) -> list[Event]:
    """Events from a JSON-lines archive; InvalidInput names the first bad line."""
    events = []
    if not Path(path).is_file():
        raise NotFound(f"no review archive {path}")
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                events.append(Event.from_json(json.loads(line)))
            except (ValueError, InvalidInput) as exc:
                raise InvalidInput(f"{path}:{number}: {exc}") from exc
    return events
