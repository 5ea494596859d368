"""Turn a conflict decision into the change that makes the server state match it."""

from __future__ import annotations

from app.errors import ConflictError, InvalidInput
from app.model.catalogue import load_catalogue
from app.model.changes import Change
from app.model.tables import tracked_layer
from app.sync.protocol import columns

SIDE = {"ancestor": 0, "ours": 1, "theirs": 2}


def _target_cells(clash: dict, choice: str, values: dict | None) -> dict:
    """Column -> chosen value for each cell of the conflict."""
    if choice == "value":
        if not isinstance(values, dict) or not values:
            raise InvalidInput("choice 'value' needs a values object {column: value}")
        unknown = set(values) - set(clash["cells"])
        if unknown:
            raise InvalidInput(f"values name columns outside the conflict: {', '.join(sorted(unknown))}")
        return {c: values.get(c, cell[1]) for c, cell in clash["cells"].items()}
    return {c: cell[SIDE[choice]] for c, cell in clash["cells"].items()}


def _update(clash: dict, head: dict, target: dict) -> Change | None:
    cols = {c: (head.get(c), v) for c, v in target.items() if head.get(c) != v}
    return Change(clash["layer"], clash["uuid"], "update", cols) if cols else None


def _restore(clash: dict, last: dict | None, target: dict) -> Change:
    row = {**(last or {}), **target}
    if row.get("geom") is None and last is None:
        raise ConflictError("the feature has no stored state to restore")
    layer = tracked_layer(load_catalogue(), clash["layer"])
    return Change(clash["layer"], clash["uuid"], "insert",
                  {c: (None, row.get(c)) for c in columns(layer)})


def _delete(clash: dict, head: dict) -> Change:
    return Change(clash["layer"], clash["uuid"], "delete", {c: (v, None) for c, v in head.items()})


def _wants_delete(clash: dict, choice: str) -> bool:
    """True when the decision keeps the pusher's delete."""
    if choice != "theirs":
        return False
    return clash["kind"] == "delete-update" or (clash["kind"] == "refused"
                                                 and _refused_op(clash) == "delete")


def resolution_change(clash: dict, head: dict | None, last: dict | None, choice: str,
                      values: dict | None) -> Change | None:
    """The change from the current server state to the decided one (None: nothing to do)."""
    if choice == "ours":
        return None  # the server already holds "ours"
    if _wants_delete(clash, choice):
        return _delete(clash, head) if head is not None else None
    target = _target_cells(clash, choice, values)
    if head is None:
        return _restore(clash, last, target)
    return _update(clash, head, target)


def _refused_op(clash: dict) -> str:
    """The operation a refused change asked for, read from its cells."""
    cells = clash["cells"].values()
    if all(cell[0] is None for cell in cells):
        return "insert"
    if all(cell[2] is None for cell in cells):
        return "delete"
    return "update"
