"""Who may write which implementation event, and the rules a command must keep.

The server checks every command here before appending its event: the role (per kind, checked
by the routes before the body is read, and again here), the data's shape (events.parse_data),
the rules that depend on who acts and on the date (a party reports only on items it leads or
joins, not for a future month; evidence is its own), and finally the state's own checks
(ImplementState.validate: parents exist, a report is still submitted, an issue is open …).
`make_event` then verifies the event by applying it to a copy of the state, so an event the
server logs always folds.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from app.errors import InvalidInput, NotFound, PermissionDenied
from app.implement.events import KINDS, Event, parse_data
from app.implement.state import ImplementState

COORDINATOR = ("coordinator",)
PARTY = ("editor", "coordinator")
ROLES: dict[str, tuple[str, ...]] = {
    "items": COORDINATOR, "weights": COORDINATOR, "review": COORDINATOR,
    "escalate": COORDINATOR, "meeting": COORDINATOR, "memo": COORDINATOR,
    "report": PARTY, "issue": PARTY, "indicators": PARTY, "checkup": PARTY}
# Observers, reviewers and publishers read only: they are in no list above.

# known(what, ids) -> the subset of ids the server knows (attachments: uploaded by this party)
Known = Callable[[str, Iterable[str]], set[str]]


@dataclass(frozen=True)
class Actor:
    """A user acting for a party with a role (the server's membership, never the client's claim)."""

    user: str
    party: str
    role: str  # editor | coordinator | reviewer | publisher | observer

    @property
    def coordinator(self) -> bool:
        return self.role == "coordinator"


def check(state: ImplementState, actor: Actor, kind: str, data: dict, today: dt.date,
          known: Known | None = None) -> dict:
    """The normalised data of a command `actor` may give now; PermissionDenied, InvalidInput,
    NotFound or ConflictError (English messages) otherwise. `today` is the Beijing date;
    `known` (the server's) says which evidence exists: unknown attachments or change sets are
    refused when it is given."""
    if kind not in KINDS:
        raise NotFound(f"no implementation command {str(kind)[:40]}")
    if actor.role not in ROLES[kind]:
        raise PermissionDenied(f"role {actor.role} cannot write {kind} events")
    clean = parse_data(kind, data)
    rule = _RULES.get(kind)
    if rule is not None:
        rule(state, actor, clean, today, known)
    # The state's own checks, on a provisional event that is never kept.
    state.validate(Event(str(uuid.uuid4()), state.version + 1, kind, actor.party, actor.user,
                         "", clean))
    return clean


def make_event(state: ImplementState, actor: Actor, event_id: str, kind: str, data: dict,
               at: str, today: dt.date | None = None, known: Known | None = None) -> Event:
    """check(), then the Event with version state.version + 1, verified by applying it to a
    copy of the state (the state itself is not changed)."""
    if today is None:
        from app.implement.periods import today_beijing
        today = today_beijing()
    clean = check(state, actor, kind, data, today, known)
    event = Event(_event_id(event_id), state.version + 1, kind, actor.party, actor.user, at,
                  clean)
    state.copy().apply(event)
    return event


def _event_id(value: object) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise InvalidInput("the request id must be a UUID") from None


def _period_now(today: dt.date) -> str:
    return f"{today.year:04d}-{today.month:02d}"


def _report(state: ImplementState, actor: Actor, data: dict, today: dt.date,
            known: Known | None) -> None:
    if data["period"] > _period_now(today):
        raise InvalidInput(f"$.period: {data['period']} is in the future "
                           f"(this month is {_period_now(today)})")
    for n, line in enumerate(data["lines"]):
        item = state.items.get(line["item"])
        if item is None:
            raise NotFound(f"$.lines[{n}].item: no item {line['item']}")
        if actor.party != item.lead and actor.party not in item.participants:
            raise PermissionDenied(f"$.lines[{n}].item: party {actor.party} neither leads "
                                   f"nor joins item {item.id}")
        _evidence(known, "attachments", line["attachments"], f"$.lines[{n}].attachments")
        _evidence(known, "changesets", line["changesets"], f"$.lines[{n}].changesets")


def _evidence(known: Known | None, what: str, ids: list[str], path: str) -> None:
    """Refuse evidence the server does not know (only when the server's `known` is given)."""
    if known is None or not ids:
        return
    found = known(what, ids)
    for n, i in enumerate(ids):
        if i in found:
            continue
        if what == "attachments":
            raise InvalidInput(f"{path}[{n}]: no attachment {i} uploaded by your party")
        raise InvalidInput(f"{path}[{n}]: no change set {i} on the server")


def _issue(state: ImplementState, actor: Actor, data: dict, today: dt.date,
           known: Known | None) -> None:
    if data["item"] is not None and data["item"] not in state.items:
        raise NotFound(f"$.item: no item {data['item']}")
    # A party raises issues for the daily meeting; only coordinators put one higher directly.
    if data["level"] != 1 and not actor.coordinator:
        raise PermissionDenied("$.level: only coordinators raise an issue above level 1")


def _checkup(state: ImplementState, actor: Actor, data: dict, today: dt.date,
             known: Known | None) -> None:
    for n, row in enumerate(data["rows"]):
        if row["year"] != data["year"]:
            raise InvalidInput(f"$.rows[{n}].year: a check-up of {data['year']} "
                               f"holds rows of {data['year']} only")


# Indicator entries and check-ups need no rule of their own: they are keyed by the acting
# party (server-decided), so a party only ever writes its own. Coordinator kinds need none
# beyond the state's checks.
_RULES: dict[str, Callable[..., None]] = {"report": _report, "issue": _issue,
                                          "checkup": _checkup}
