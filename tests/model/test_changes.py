"""Change sets compose (+) and invert (~) consistently with applying them one by one."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.model.changes import Change, ChangeSet, compose

COLS = ("A", "B", "geom")
values = st.sampled_from(["x", "y", "z", None])


def apply(state: dict, change: Change) -> dict:
    """A tiny reference model: {uuid: {col: value}}."""
    state = {k: dict(v) for k, v in state.items()}
    if change.op == "insert":
        state[change.uuid] = {c: new for c, (_, new) in change.cols.items()}
    elif change.op == "delete":
        del state[change.uuid]
    else:
        for c, (_, new) in change.cols.items():
            state[change.uuid][c] = new
    return state


@st.composite
def edit_sequences(draw):
    """A valid sequence of changes over a few features, with the start and end states."""
    start = {f"f{i}": {c: draw(values) for c in COLS} for i in range(draw(st.integers(0, 3)))}
    state, changes = start, []
    for _ in range(draw(st.integers(0, 12))):
        uuid = draw(st.sampled_from(["f0", "f1", "f2", "f3"]))
        if uuid not in state:
            row = {c: draw(values) for c in COLS}
            change = Change("L", uuid, "insert", {c: (None, v) for c, v in row.items()})
        elif draw(st.booleans()):
            change = Change("L", uuid, "delete", {c: (v, None) for c, v in state[uuid].items()})
        else:
            col, new = draw(st.sampled_from(COLS)), draw(values)
            if state[uuid][col] == new:
                continue
            change = Change("L", uuid, "update", {col: (state[uuid][col], new)})
        changes.append(change)
        state = apply(state, change)
    return start, changes, state


def apply_all(state: dict, changes) -> dict:
    for change in changes:
        state = apply(state, change)
    return state


@given(edit_sequences())
def test_composed_changes_have_the_same_effect(case):
    start, changes, end = case
    net = compose(changes)
    assert apply_all(start, net) == end
    assert len({(c.layer, c.uuid) for c in net}) == len(net)  # one change per feature


@given(edit_sequences())
def test_inverse_undoes_a_change_set(case):
    start, changes, end = case
    cs = ChangeSet("id", "p", "a", "m", "t", 0, 1, tuple(changes))
    assert apply_all(end, (~cs).changes) == start
    assert ~~cs == cs


@given(edit_sequences(), st.integers(0, 12))
def test_adding_change_sets_composes(case, split):
    start, changes, end = case
    cs1 = ChangeSet("id1", "p", "a", "m", "t", 0, 1, tuple(changes[:split]))
    cs2 = ChangeSet("id2", "p", "a", "m", "t", 0, 1, tuple(changes[split:]))
    assert apply_all(start, (cs1 + cs2).changes) == end


def test_json_round_trip():
    cs = ChangeSet("0190", "310000", "li", "msg", "2026-01-01T00:00:00Z", 3, 1,
                   (Change("STBHHX", "u1", "update", {"HXMC": ("a", "b"), "geom": ("00", "01")}),))
    data = cs.to_json()
    assert data["format"] == "coplan.changeset/v1"
    assert ChangeSet.from_json(data) == cs


def test_insert_then_delete_cancels():
    ins = Change("L", "u", "insert", {"A": (None, 1)})
    dele = Change("L", "u", "delete", {"A": (1, None)})
    assert compose([ins, dele]) == ()
