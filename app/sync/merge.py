"""Column-level three-way merge of an incoming change against the server's current feature.

For each cell: ancestor = the value the author started from (the change's old value),
ours = the server's current value, theirs = the change's new value. Different columns merge;
identical values are a no-op; the same cell changed differently, update vs delete either way,
and clashing inserts become conflict records. Nothing is settled silently and nothing is dropped:
what is not applied is kept in the conflict record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.model.changes import Change

Row = dict[str, object]  # a feature's tracked columns (owner, fields, geom as hex WKB)


@dataclass(frozen=True)
class Clash:
    """A part of an incoming change that was not applied, with the three sides of each cell."""

    layer: str
    uuid: str
    kind: str  # cell | update-delete | delete-update | insert-insert | refused
    cells: Mapping[str, tuple[object, object, object]]  # column -> (ancestor, ours, theirs)
    reason: str = ""


@dataclass(frozen=True)
class Outcome:
    """What merging one change did: the change applied to the server (relative to its state) and
    the clash recorded, either of which may be None."""

    applied: Change | None
    clash: Clash | None


def merge(change: Change, head: Row | None) -> Outcome:
    """Merge `change` into the feature's current server row `head` (None when absent/deleted)."""
    if change.op == "insert":
        return _merge_insert(change, head)
    if change.op == "update":
        return _merge_update(change, head)
    return _merge_delete(change, head)


def _merge_insert(change: Change, head: Row | None) -> Outcome:
    new = {c: n for c, (_, n) in change.cols.items()}
    if head is None:
        return Outcome(change, None)
    differ = {c: (None, head.get(c), v) for c, v in new.items() if head.get(c) != v}
    if not differ:
        return Outcome(None, None)  # the same feature arrived twice
    return Outcome(None, Clash(change.layer, change.uuid, "insert-insert", differ))


def _merge_update(change: Change, head: Row | None) -> Outcome:
    if head is None:
        cells = {c: (o, None, n) for c, (o, n) in change.cols.items()}
        return Outcome(None, Clash(change.layer, change.uuid, "update-delete", cells))
    apply, clash = {}, {}
    for column, (old, new) in change.cols.items():
        ours = head.get(column)
        if ours == new:
            continue  # both sides agree already
        if ours == old:
            apply[column] = (ours, new)
        else:
            clash[column] = (old, ours, new)
    applied = Change(change.layer, change.uuid, "update", apply) if apply else None
    return Outcome(applied, Clash(change.layer, change.uuid, "cell", clash) if clash else None)


def _merge_delete(change: Change, head: Row | None) -> Outcome:
    if head is None:
        return Outcome(None, None)  # deleted on both sides
    changed = {c: (o, head.get(c), None) for c, (o, _) in change.cols.items() if head.get(c) != o}
    if changed:
        return Outcome(None, Clash(change.layer, change.uuid, "delete-update", changed))
    return Outcome(Change(change.layer, change.uuid, "delete", {c: (v, None) for c, v in head.items()}),
                   None)


def refuse(change: Change, head: Row | None, reason: str) -> Outcome:
    """An outcome that applies nothing and keeps the whole change as a refused record."""
    cells = {c: (o, (head or {}).get(c), n) for c, (o, n) in change.cols.items()}
    return Outcome(None, Clash(change.layer, change.uuid, "refused", cells, reason))


def apply_to_row(change: Change, head: Row | None) -> Row | None:
    """The row after an applied change (None when deleted)."""
    if change.op == "delete":
        return None
    row = dict(head or {})
    row.update({c: n for c, (_, n) in change.cols.items()})
    return row
