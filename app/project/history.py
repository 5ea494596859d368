"""Local history: pending changes, commits into change sets, log, revert, discard, audit."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from app.errors import ConflictError, InvalidInput, NotFound, NothingToDo
from app.model.catalogue import GEOMETRY_COLUMN, Layer
from app.model.changes import DATA_SCHEMA_VERSION, Change, ChangeSet, compose
from app.model.feature import utc_now
from app.model.ids import uuid7
from app.project import commit_checks, integrity, shadow, tracking
from app.project.apply import apply_change
from app.project.project import Project
from app.project.sql import ident

# A commit larger than this becomes several change sets, each pushed and merged on its own.
PART_CHANGES = 5_000
PART_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class LogEntry:
    """A committed change set as listed by `log`."""

    changeset: ChangeSet
    state: str  # local | pushed | remote
    counts: dict[str, int]  # op -> number of changes


def pending(project: Project) -> list[Change]:
    """All uncommitted changes of the project, layer by layer."""
    dirty = tracking.dirty_layers(project.db, project.tracked_layers())
    # A feature deleted and put back (undo) has two rows with one uuid: compose them into one.
    return [c for layer in dirty for c in compose(tracking.pending_changes(project.db, layer))]


@dataclass(frozen=True)
class Committed:
    """What a commit made: one change set, or several parts of a big commit."""

    ids: tuple[str, ...]  # change-set ids, in push order
    changes: int  # in all parts
    message: str


def commit(project: Project, message: str, *, force: bool = False) -> ChangeSet:
    """Name the pending changes into a change set (atomic); NothingToDo when there are none.
    A big commit becomes several change sets ("message (1/3)" ...): the first is returned.
    Invalid pending changes are refused (commit_checks.CommitRefused) unless a coordinator
    `force`s them."""
    done = commit_parts(project, message, force=force)
    return changeset(project, done.ids[0])


def commit_parts(project: Project, message: str, *, force: bool = False) -> Committed:
    """Commit in parts of at most PART_CHANGES changes, streaming: a commit of a million
    features never holds them all in memory."""
    if not message or not message.strip():
        raise InvalidInput("a commit needs a message")
    project.require_writable()
    message = message.strip()
    with project.db.atomic():
        forced = commit_checks.gate(project, force)
        writer = _Parts(project, message)
        dirty = tracking.dirty_layers(project.db, project.tracked_layers())
        for layer in dirty:
            # A feature deleted and put back (undo) has two rows with one uuid: those few are
            # held back and composed into one change.
            rekeyed = tracking.rekeyed_uuids(project.db, layer)
            held: list[Change] = []
            for change in tracking.iter_pending_changes(project.db, layer):
                (held if change.uuid in rekeyed else writer).append(change)
            for change in compose(held):
                writer.append(change)
        writer.flush()
        if not writer.ids:
            raise NothingToDo("nothing to commit: no pending changes")
        writer.name_parts()
        commit_checks.record_forced(project, writer.ids, forced)
        for layer in dirty:
            tracking.advance_base(project.db, layer)
    return Committed(tuple(writer.ids), writer.total, message)


class _Parts:
    """Collects changes into parts and stores each as a local change set when it is full."""

    def __init__(self, project: Project, message: str):
        self.project, self.message, self.created = project, message, utc_now()
        self.current: list[Change] = []
        self.size, self.total = 0, 0
        self.ids: list[str] = []

    def append(self, change: Change) -> None:
        weight = _weight(change)
        if self.current and (len(self.current) >= PART_CHANGES or self.size + weight > PART_BYTES):
            self.flush()
        self.current.append(change)
        self.size += weight

    def flush(self) -> None:
        if not self.current:
            return
        p = self.project
        cs = ChangeSet(uuid7(), p.party, p.author, self.message, self.created, p.base_version,
                       DATA_SCHEMA_VERSION, tuple(self.current))
        _store(p, cs, "local")
        by_layer: dict[str, list[str]] = {}
        for change in self.current:
            by_layer.setdefault(change.layer, []).append(change.uuid)
        for code, uuids in by_layer.items():
            # What the server holds under the new overlay, before the base moves on.
            shadow.record(p.db, p.tracked_layer(code), uuids)
        self.ids.append(cs.id)
        self.total += len(self.current)
        self.current, self.size = [], 0

    def name_parts(self) -> None:
        if len(self.ids) > 1:
            self.project.db.conn.executemany(
                "UPDATE coplan_changesets SET message = ? WHERE id = ?",
                ((f"{self.message} ({i + 1}/{len(self.ids)})", cs_id) for i, cs_id in enumerate(self.ids)))


def _weight(change: Change) -> int:
    """Rough size of a change on the wire, in bytes."""
    return 60 + sum(len(str(o)) + len(str(n)) + len(k) + 8 for k, (o, n) in change.cols.items())


def _store(project: Project, cs: ChangeSet, state: str) -> None:
    project.db.execute(
        "INSERT INTO coplan_changesets (id, party, author, message, created, base_version, "
        "schema_version, state, echoed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
        (cs.id, cs.party, cs.author, cs.message, cs.created, cs.base_version, cs.schema_version, state))
    tracking.store_changes(project.db, cs.id, cs.changes)


def discard(project: Project) -> int:
    """Undo every uncommitted change exactly; returns how many features were restored."""
    with project.db.atomic():
        count = 0
        for layer in tracking.dirty_layers(project.db, project.tracked_layers()):
            count += tracking.dirty_count(project.db, layer)
            tracking.restore_base(project.db, layer)
    return count


def audit(project: Project) -> int:
    """Catch writes made with capture bypassed; they become pending changes. Returns the count.
    Tables and triggers other tools removed are put back first (integrity.audit reports it)."""
    return integrity.audit(project).marked


def log(project: Project) -> list[LogEntry]:
    """Committed change sets, newest first."""
    rows = project.db.execute(
        "SELECT id, party, author, message, created, base_version, schema_version, state "
        "FROM coplan_changesets ORDER BY seq DESC").fetchall()
    entries = []
    for *head, state in rows:
        counts = dict(project.db.execute(
            "SELECT op, count(*) FROM coplan_changes WHERE changeset = ? GROUP BY op", (head[0],)))
        entries.append(LogEntry(ChangeSet(*head), state, counts))
    return entries


def changeset(project: Project, ref: str) -> ChangeSet:
    """A stored change set by id or unique id prefix (at least 4 characters)."""
    ref = (ref or "").strip().lower()
    if len(ref) < 4:
        raise InvalidInput("give at least 4 characters of a change-set id")
    rows = project.db.execute(
        "SELECT id, party, author, message, created, base_version, schema_version "
        "FROM coplan_changesets WHERE substr(id, 1, ?) = ?", (len(ref), ref)).fetchall()
    if not rows:
        raise NotFound(f"no change set {ref}")
    if len(rows) > 1:
        raise InvalidInput(f"{ref} matches {len(rows)} change sets; give more characters")
    head = rows[0]
    return ChangeSet(*head, changes=tracking.load_changes(project.db, head[0]),  # type: ignore[misc]  # head: the 7 leading fields
                     forced=commit_checks.is_forced(project, head[0]))


def revert(project: Project, ref: str) -> ChangeSet:
    """Commit the inverse of change set `ref`; refused if its features changed since."""
    target = changeset(project, ref)
    with project.db.atomic():
        if pending(project):
            raise ConflictError("there are uncommitted changes; commit or discard them first")
        inverse = ~target
        _check_current(project, inverse.changes)
        for change in inverse.changes:
            apply_change(project.db, project.tracked_layer(change.layer), change, project.author,
                         utc_now())
        # The id's tail: its head is a timestamp that change sets made together share.
        return commit(project, f'Revert "{target.message}" ({target.id[-8:]})')


def _check_current(project: Project, changes: tuple[Change, ...]) -> None:
    """Every change must start from the current state, else the revert would lose later edits."""
    stale = [c for c in changes if _current_values(project, c) != {k: o for k, (o, _) in c.cols.items()}]
    if stale:
        names = ", ".join(f"{c.layer}/{c.uuid}" for c in stale[:5])
        raise ConflictError(f"cannot revert: {len(stale)} feature(s) changed since, e.g. {names}")


def _current_values(project: Project, change: Change) -> dict:
    layer = project.tracked_layer(change.layer)
    exprs = ["hex(AsBinary(geom))" if c == GEOMETRY_COLUMN else ident(c) for c in change.cols]
    row = project.db.execute(f"SELECT {', '.join(exprs)} FROM {ident(layer.table_name)} WHERE uuid = ?",
                             (change.uuid,)).fetchone()
    if row is None:
        return {c: None for c in change.cols}
    return dict(zip(change.cols, row, strict=True))


# --- what the change log lists: cheap rows for many pending changes, values for one ----------

@dataclass(frozen=True)
class PendingRow:
    """One uncommitted change as the change log lists it: no values (a diff view asks for them
    with `pending_change`), so listing 100k pending changes reads no geometry."""

    layer: str
    uuid: str
    op: str  # insert | update | delete
    cols: tuple[str, ...]  # the changed columns
    label: str  # the feature's BSM and/or name; "" when it has neither


# Fields that name a place rather than the feature itself: a name of last resort.
_PLACE_NAMES = ("XZQMC", "QSDWMC", "ZLDWMC")


@cache
def label_fields(layer: Layer) -> tuple[str, ...]:
    """The fields that tell a planner which feature this is: its code (BSM or the layer's own
    code field) and its name (an ...MC field, the place name only as a last resort)."""
    names = layer.field_names
    key: str | None = next((n for n in ("BSM", "SECTION_ID") if n in names), None) or next(
        (n for n in names if n.endswith(("BM", "BH"))), None)
    own = [n for n in names if n.endswith("MC") and n not in _PLACE_NAMES]
    named = [n for n in names if n.endswith("MC")]
    name = next(iter(own or named or [n for n in names if n == "TITLE_ZH"]), None)
    return tuple(n for n in (key, name) if n)


def label_of(layer: Layer, values: dict) -> str:
    """A feature's human label from its values: "BSM name" ("" when both are empty)."""
    return _joined([values.get(n) for n in label_fields(layer)])


def pending_rows(project: Project) -> list[PendingRow]:
    """Every uncommitted change as a listing row, layer by layer in capture order."""
    rows = []
    for layer in tracking.dirty_layers(project.db, project.tracked_layers()):
        rows += _layer_rows(project, layer)
    return rows


def _layer_rows(project: Project, layer: Layer) -> list[PendingRow]:
    cols, shown = tracking.tracked_columns(layer), label_fields(layer)
    flags = [f"l.{ident(c)} IS NOT b.{ident(c)}" for c in cols]
    picks = [f"{side}.{ident(c)}" for side in ("l", "b") for c in shown]
    sql = (f"SELECT l.uuid, b.uuid, {', '.join(picks + flags)} "
           f"FROM {ident(tracking.dirty_table(layer))} d "
           f"LEFT JOIN {ident(layer.table_name)} l ON l.fid = d.fid "
           f"LEFT JOIN {ident(tracking.base_table(layer))} b ON b.fid = d.fid ORDER BY d.fid")
    out, k = [], len(shown)
    every = tuple(cols)
    for now, before, *rest in project.db.execute(sql):
        new, old, changed = _joined(rest[:k]), _joined(rest[k:2 * k]), rest[2 * k:]
        if now is not None and now == before:
            diff = tuple(c for c, flag in zip(cols, changed, strict=True) if flag)
            if diff:
                out.append(PendingRow(layer.code, now, "update", diff, new))
            continue
        if before is not None:
            out.append(PendingRow(layer.code, before, "delete", every, old))
        if now is not None:
            out.append(PendingRow(layer.code, now, "insert", every, new))
    return _compose_rekeyed(project, layer, out)


def _compose_rekeyed(project: Project, layer: Layer, rows: list[PendingRow]) -> list[PendingRow]:
    """A feature deleted and put back (undo) lists as a delete and an insert of one uuid: the
    few such rows become the one net change, as `pending` composes them."""
    seen: dict[str, int] = {}
    twice = set()
    for row in rows:
        seen[row.uuid] = seen.get(row.uuid, 0) + 1
        if seen[row.uuid] > 1:
            twice.add(row.uuid)
    if not twice:
        return rows
    out, done = [], set()
    for row in rows:
        if row.uuid not in twice:
            out.append(row)
        elif row.uuid not in done:
            done.add(row.uuid)
            change = pending_change(project, layer.code, row.uuid)
            if change is not None:
                out.append(PendingRow(layer.code, row.uuid, change.op, tuple(change.cols), row.label))
    return out


def _joined(values: list) -> str:
    return " ".join(str(v) for v in values if v not in (None, ""))


def pending_change(project: Project, code: str, uuid: str) -> Change | None:
    """The net uncommitted change of one feature with its old and new values (None: none)."""
    layer = project.tracked_layer(code)
    cols = tracking.tracked_columns(layer)
    now = project.db.execute(f"SELECT {tracking.select_columns(layer, 't')} FROM "
                             f"{ident(layer.table_name)} t WHERE t.uuid = ?", (uuid,)).fetchone()
    before = tracking.committed_row(project.db, layer, uuid)
    new = dict(zip(cols, now[1:], strict=True)) if now else None
    old = dict(zip(cols, before[1:], strict=True)) if before else None
    if old is None:
        return None if new is None else Change(layer.code, uuid, "insert",
                                               {c: (None, v) for c, v in new.items()})
    if new is None:
        return Change(layer.code, uuid, "delete", {c: (v, None) for c, v in old.items()})
    diff = {c: (old[c], new[c]) for c in cols if old[c] != new[c]}
    return Change(layer.code, uuid, "update", diff) if diff else None


def feature_labels(project: Project, changes: tuple[Change, ...]) -> dict[str, str]:
    """uuid -> human label of the features of `changes`: from the change's own values, and for
    an update (which carries only what changed) from the feature as it is now."""
    labels = {}
    for change in changes:
        layer = project.tracked_layer(change.layer)
        values = {k: (n if n is not None else o) for k, (o, n) in change.cols.items()}
        missing = [f for f in label_fields(layer) if f not in values]
        if missing:
            row = project.db.execute(
                f"SELECT {', '.join(ident(f) for f in missing)} FROM {ident(layer.table_name)} "
                "WHERE uuid = ?", (change.uuid,)).fetchone()
            values.update(dict(zip(missing, row or (), strict=False)))
        labels[change.uuid] = label_of(layer, values)
    return labels
