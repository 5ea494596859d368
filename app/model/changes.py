"""Change sets as data: column-level feature changes that compose (`+`) and invert (`~`).

A change names a feature by its UUID (integer keys never leave a replica) and carries, for each
changed column, the pair (old, new). Geometry travels as hex WKB under the column `geom`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

FORMAT = "coplan.changeset/v1"
# The version of the data model change sets carry (layers and fields), checked by the server.
# Bumped only when a change set made by one version cannot be applied by another; local-only
# tables of the project file (outboxes, caches) do not change it.
DATA_SCHEMA_VERSION = 1
OPS = ("insert", "update", "delete")


@dataclass(frozen=True)
class Change:
    """One feature's change: insert (old values None), update (changed columns), delete (new None)."""

    layer: str
    uuid: str
    op: str
    cols: dict[str, tuple[object, object]]  # column -> (old, new); geometry as hex WKB

    def __invert__(self) -> Change:
        op = {"insert": "delete", "delete": "insert", "update": "update"}[self.op]
        return Change(self.layer, self.uuid, op, {k: (new, old) for k, (old, new) in self.cols.items()})

    def __add__(self, later: Change) -> Change | None:
        """This change followed by `later` on the same feature; None when they cancel out."""
        if (self.layer, self.uuid) != (later.layer, later.uuid):
            raise ValueError("changes of different features do not compose")
        cols = dict(self.cols)
        for name, (old, new) in later.cols.items():
            cols[name] = (cols[name][0] if name in cols else old, new)
        op = _compose_op(self.op, later.op)
        if op is None:
            return None
        if op == "update":
            cols = {k: v for k, v in cols.items() if v[0] != v[1]}
            if not cols:
                return None
        return Change(self.layer, self.uuid, op, cols)

    def to_json(self) -> dict:
        return {"layer": self.layer, "uuid": self.uuid, "op": self.op,
                "cols": {k: [old, new] for k, (old, new) in self.cols.items()}}

    @classmethod
    def from_json(cls, data: dict) -> Change:
        return cls(data["layer"], data["uuid"], data["op"],
                   {k: (v[0], v[1]) for k, v in data["cols"].items()})


def _compose_op(first: str, second: str) -> str | None:
    table = {
        ("insert", "update"): "insert", ("insert", "delete"): None,
        ("update", "update"): "update", ("update", "delete"): "delete",
        ("delete", "insert"): "update",
    }
    if (first, second) not in table:
        raise ValueError(f"a {second} cannot follow a {first} of the same feature")
    return table[(first, second)]


@dataclass(frozen=True)
class ChangeSet:
    """A named group of changes by one author of one party, made on top of `base_version`."""

    id: str  # UUIDv7
    party: str
    author: str
    message: str
    created: str  # ISO 8601 UTC
    base_version: int  # server version the author's replica had synced to
    schema_version: int
    changes: tuple[Change, ...] = field(default_factory=tuple)
    project: str = ""  # the shared project it belongs to (set when pushed)
    forced: bool = False  # committed by a coordinator over failed checks (commit --force)

    def __invert__(self) -> ChangeSet:
        return replace(self, changes=tuple(~c for c in reversed(self.changes)))

    def __add__(self, later: ChangeSet) -> ChangeSet:
        """One change set with the net effect of this one followed by `later`."""
        return replace(self, changes=compose(self.changes + later.changes), message=self.message)

    def to_json(self) -> dict:
        return {
            "format": FORMAT, "id": self.id, "project": self.project, "party": self.party,
            "author": self.author,
            "message": self.message, "created": self.created, "base_version": self.base_version,
            "schema_version": self.schema_version, "changes": [c.to_json() for c in self.changes],
            **({"forced": True} if self.forced else {}),
        }

    @classmethod
    def from_json(cls, data: dict) -> ChangeSet:
        if data.get("format") != FORMAT:
            raise ValueError(f"not a change set of format {FORMAT}")
        return cls(data["id"], data["party"], data["author"], data["message"], data["created"],
                   int(data["base_version"]), int(data["schema_version"]),
                   tuple(Change.from_json(c) for c in data["changes"]), data.get("project", ""),
                   bool(data.get("forced", False)))


def compose(changes: tuple[Change, ...] | list[Change]) -> tuple[Change, ...]:
    """The net changes of a sequence, one per feature, in order of first appearance."""
    net: dict[tuple[str, str], Change | None] = {}
    for change in changes:
        key = (change.layer, change.uuid)
        previous = net.get(key)
        net[key] = change if previous is None and key not in net else _then(previous, change)
    return tuple(c for c in net.values() if c is not None)


def _then(previous: Change | None, change: Change) -> Change | None:
    if previous is None:  # cancelled earlier (insert then delete): start afresh
        return change
    return previous + change
