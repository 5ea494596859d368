"""The lifecycle of conflict-check results: open, accepted exception, resolved.

A conflict's id is the UUIDv5 of its rule and features (app/analysis/engine.py), so the same
clash keeps its id run after run. Each run is reconciled with the statuses kept in the project
(`coplan_conflict_status`, migration 0008): a clash seen for the first time is *new*; one seen
before stays *open*, or stays *accepted* when a coordinator accepted it as an exception with the
approving memo (纪要); one no longer found is *resolved* (automatically, or earlier by a change
set). Every transition is appended to `coplan_conflict_events`, never rewritten.

Only rows of the same scope (rule set and parties read) are resolved by their absence: checking
one city's project must not resolve the metro-wide clashes the coordinator keeps.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import sqlite_utils

from app.analysis.engine import CheckResult, Conflict
from app.errors import InvalidInput, NotFound, PermissionDenied
from app.model.feature import utc_now
from app.project.project import Project

log = logging.getLogger(__name__)

STATUS_TABLE = "coplan_conflict_status"
EVENTS_TABLE = "coplan_conflict_events"
STATUSES = ("open", "accepted", "resolved")
GROWTH = 1.01  # an accepted clash this much larger (plus 1 m² or 1 m) is open again
MIN_PREFIX = 8  # the CLI prints ids to 8 characters: a prefix that long names one conflict
COLUMNS = ("conflict_id", "key", "rule", "scope", "status", "first_seen", "last_seen", "size",
           "memo", "memo_date", "decided_by", "decided_at", "change_set", "resolution")


@dataclass(frozen=True)
class Status:
    """The kept state of one conflict (a row of coplan_conflict_status)."""

    conflict_id: str
    key: str  # rule/feature/feature…
    rule: str
    scope: str  # rule set and parties of the run that last saw it
    status: str  # open | accepted | resolved
    first_seen: str  # UTC ISO 8601
    last_seen: str
    size: float | None = None  # m² or m when last seen
    memo: str | None = None  # approving memo of an accepted exception (纪要编号…)
    memo_date: str | None = None  # YYYY-MM-DD
    decided_by: str | None = None
    decided_at: str | None = None
    change_set: str | None = None  # the change set that resolved it
    resolution: str | None = None  # gone | change_set


@dataclass(frozen=True)
class Tracked:
    """A check result with its identity and status: what a later tracked-items module consumes."""

    id: str  # stable across runs (UUIDv5 of `key`)
    key: str
    status: str  # open | accepted | resolved
    new: bool  # first seen in this run (or seen again after it was resolved)
    conflict: Conflict | None  # None for a resolved one: it was not found in this run
    record: Status | None  # the kept state (None when nothing could be kept: read-only)

    @property
    def memo(self) -> str | None:
        return self.record.memo if self.record else None


@dataclass(frozen=True)
class StatusReport:
    """Every conflict of a run with its status, and the resolved ones of the same scope."""

    items: tuple[Tracked, ...]  # found conflicts in the result's order, then resolved ones
    recorded: bool  # False when the project could not be written (statuses shown, not kept)

    def counts(self) -> dict[str, int]:
        """new / open (still open, not new) / accepted / resolved."""
        c = Counter("new" if t.new else t.status for t in self.items)
        return {k: c.get(k, 0) for k in ("new", "open", "accepted", "resolved")}

    def get(self, conflict_id: str) -> Tracked | None:
        return next((t for t in self.items if t.id == conflict_id), None)

    def updated(self, row: Status) -> StatusReport:
        """This report after a decision on one of its conflicts (`row` is its new state)."""
        items = tuple(replace(t, status=row.status, record=row) if t.id == row.conflict_id else t
                      for t in self.items)
        return replace(self, items=items)


def scope_of(result: CheckResult) -> str:
    """What a run covered: its rule set and the parties whose projects were read."""
    return f"{result.rule_set}|{','.join(result.parties)}"


def has_tables(db: sqlite_utils.Database) -> bool:
    return STATUS_TABLE in db.table_names()


def statuses(db: sqlite_utils.Database) -> dict[str, Status]:
    """Every kept status, by conflict id (empty for a file older than migration 0008)."""
    if not has_tables(db):
        return {}
    rows = db.execute(f"SELECT {', '.join(COLUMNS)} FROM {STATUS_TABLE}")
    return {row[0]: Status(*row) for row in rows}


def results_with_status(project: Project, result: CheckResult, *, record: bool = True) -> StatusReport:
    """The result's conflicts with identity and status, reconciled with those kept in `project`
    (and the reconciliation kept there when `record` and the project can be written)."""
    if not (record and project.writable and has_tables(project.db)):
        items, _, _ = _reconcile(statuses(project.db), result)
        return StatusReport(items, False)
    # Read and written in one write transaction: a decision another process commits meanwhile
    # (the GUI accepting while the CLI re-runs) is never overwritten by a stale row.
    with immediate(project.db):
        items, rows, events = _reconcile(statuses(project.db), result)
        _write(project.db, rows, events)
    return StatusReport(items, True)


def _reconcile(kept: dict[str, Status], result: CheckResult) -> tuple[tuple[Tracked, ...], list, list]:
    """(items, rows to keep, events to log) of a run against the kept statuses."""
    scope, now = scope_of(result), utc_now()
    items: list[Tracked] = []
    rows: list = []
    events: list[tuple] = []
    for c in result.conflicts:
        before = kept.get(c.id)
        new = before is None or before.status == "resolved"
        status = before.status if before is not None and not new else "open"
        if status == "accepted" and before is not None and grown(before, c):
            # The approval covered the clash as it was: a larger one needs a new decision.
            status = "open"
            events.append((c.id, now, None, "grown", f"{before.memo} ({before.memo_date})", None))
        row = _seen(before, c, scope, status, now)
        rows.append(row)
        if new:
            events.append((c.id, now, None, "found" if before is None else "reappeared", None, None))
        items.append(Tracked(c.id, c.key, status, new, c, row))
    found = {c.id for c in result.conflicts}
    for s in sorted(kept.values(), key=lambda s: s.key):
        if s.conflict_id in found or s.scope != scope or not _rule_run(s, result):
            continue
        if s.status != "resolved":
            s = replace(s, status="resolved", resolution="gone")
            rows.append(s)
            events.append((s.conflict_id, now, None, "gone", None, None))
        items.append(Tracked(s.conflict_id, s.key, "resolved", False, None, s))
    return tuple(items), rows, events


@contextmanager
def immediate(db: sqlite_utils.Database) -> Iterator[None]:
    """A write transaction taken before the first read (BEGIN IMMEDIATE); nested: a savepoint."""
    if db.conn.in_transaction:
        with db.atomic():
            yield
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if db.conn.in_transaction:
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def size_of(c: Conflict) -> float | None:
    """The conflict's size: m² of an area, m of a line or a gap."""
    return c.area_m2 if c.area_m2 is not None else c.length_m


def grown(accepted: Status, c: Conflict) -> bool:
    """Whether `c` is larger than when it was accepted (beyond 1 % and 1 m² or 1 m)."""
    now = size_of(c)
    return accepted.size is not None and now is not None and now > accepted.size * GROWTH + 1.0


def _rule_run(s: Status, result: CheckResult) -> bool:
    """Only a rule that ran can say its conflict is gone."""
    return any(r.rule == s.rule for r in result.rules)


def _seen(before: Status | None, c: Conflict, scope: str, status: str, now: str) -> Status:
    size = size_of(c)
    if before is None:
        return Status(c.id, c.key, c.rule, scope, status, now, now, size)
    if status == "open" and before.status == "resolved":  # reappeared: the old decision is void
        return Status(c.id, c.key, c.rule, scope, "open", before.first_seen, now, size)
    # An accepted exception keeps the size it was accepted at: the approval covered that much.
    if status == "accepted":
        return replace(before, scope=scope, last_seen=now)  # keeps the size it was accepted at
    if before.status == "accepted":  # grown past its approval: the memo no longer covers it
        return replace(before, scope=scope, status=status, last_seen=now, size=size, memo=None,
                       memo_date=None)
    return replace(before, scope=scope, status=status, last_seen=now, size=size)


def _write(db: sqlite_utils.Database, rows: list[Status], events: list[tuple]) -> None:
    names = ", ".join(COLUMNS)
    marks = ", ".join("?" * len(COLUMNS))
    with db.atomic():
        db.conn.executemany(f"INSERT OR REPLACE INTO {STATUS_TABLE} ({names}) VALUES ({marks})",
                            [tuple(r.__dict__[k] for k in COLUMNS) for r in rows])
        _log(db, events)


def _log(db: sqlite_utils.Database, events: list[tuple]) -> None:
    db.conn.executemany(f"INSERT INTO {EVENTS_TABLE} (conflict_id, at, by, action, memo, change_set) "
                        "VALUES (?, ?, ?, ?, ?, ?)", events)


# --- a coordinator's decisions --------------------------------------------------------------

def find(db: sqlite_utils.Database, ref: str) -> Status:
    """The kept conflict whose id is `ref` or starts with it (at least 8 characters)."""
    ref = ref.strip().lower()
    if len(ref) < MIN_PREFIX:
        raise InvalidInput(f"conflict id {ref!r} is too short: give at least {MIN_PREFIX} characters")
    matches = [s for i, s in statuses(db).items() if i.startswith(ref)]
    if not matches:
        raise NotFound(f"no conflict {ref} is recorded in this project: run the check on it first")
    if len(matches) > 1:
        raise InvalidInput(f"conflict id {ref} is ambiguous: give more characters")
    return matches[0]


def accept(project: Project, ref: str, memo: str, memo_date: str | None = None) -> Status:
    """Accept a conflict as an exception, citing the approving memo (纪要编号…) and its date."""
    memo = (memo or "").strip()
    if not memo:
        raise InvalidInput("accepting a conflict needs the approving memo (--memo), e.g. its number")
    day = _day(memo_date)
    return _decide(project, ref, "accepted", "accepted", memo=memo, memo_date=day,
                   change_set=None, resolution=None)


def reopen(project: Project, ref: str) -> Status:
    """Put an accepted or resolved conflict back to open (the memo is kept in the events only)."""
    return _decide(project, ref, "open", "reopened", memo=None, memo_date=None, change_set=None,
                   resolution=None)


def resolve(project: Project, ref: str, change_set: str) -> Status:
    """Mark a conflict resolved by a change set (the edit that removes the clash)."""
    change_set = (change_set or "").strip()
    if not change_set:
        raise InvalidInput("resolving a conflict needs the change set id that resolves it")
    return _decide(project, ref, "resolved", "resolved", memo=None, memo_date=None,
                   change_set=change_set, resolution="change_set")


def _decide(project: Project, ref: str, status: str, action: str, **fields) -> Status:
    _require_coordinator(project)
    with immediate(project.db):
        current = find(project.db, ref)
        now = utc_now()
        row = replace(current, **fields, status=status, decided_by=project.author, decided_at=now)
        memo = f"{row.memo} ({row.memo_date})" if status == "accepted" else None
        _write(project.db, [row], [(row.conflict_id, now, project.author, action, memo,
                                    row.change_set)])
    log.info("conflict %s %s by %s", row.conflict_id, action, project.author)
    return row


def _require_coordinator(project: Project) -> None:
    project.require_writable()
    if project.role != "coordinator":
        raise PermissionDenied(f"only a coordinator decides on conflicts (this copy's role is "
                               f"{project.role})")
    if not has_tables(project.db):  # pragma: no cover - Project.open migrates writable files
        raise NotFound("this project keeps no conflict statuses")


def _day(text: str | None) -> str:
    if not text:
        return dt.date.today().isoformat()
    try:
        return dt.date.fromisoformat(text.strip()).isoformat()
    except ValueError as exc:
        raise InvalidInput(f"memo date {text!r} is not a date (YYYY-MM-DD)") from exc


def events(db: sqlite_utils.Database, conflict_id: str) -> list[dict]:
    """The status timeline of one conflict, oldest first."""
    if not has_tables(db):
        return []
    sql = (f"SELECT at, by, action, memo, change_set FROM {EVENTS_TABLE} WHERE conflict_id = ? "
           "ORDER BY seq")
    return [dict(zip(("at", "by", "action", "memo", "change_set"), row, strict=True))
            for row in db.execute(sql, (conflict_id,))]
