"""The three-way cell merge, rule by rule."""

from app.model.changes import Change
from app.sync.merge import apply_to_row, merge, refuse

HEAD = {"owner": "310000", "HXMC": "a", "HXLX": "x", "geom": "G1"}


def update(**cols):
    return Change("STBHHX", "u", "update", cols)


def test_untouched_cells_apply():
    out = merge(update(HXMC=("a", "b")), HEAD)
    assert out.applied.cols == {"HXMC": ("a", "b")} and out.clash is None


def test_same_value_is_a_no_op():
    out = merge(update(HXMC=("z", "a")), HEAD)
    assert out.applied is None and out.clash is None


def test_same_cell_changed_differently_clashes_and_the_rest_applies():
    out = merge(update(HXMC=("old", "b"), HXLX=("x", "y")), HEAD)
    assert out.applied.cols == {"HXLX": ("x", "y")}
    assert out.clash.kind == "cell" and out.clash.cells == {"HXMC": ("old", "a", "b")}


def test_update_of_a_deleted_feature_clashes():
    out = merge(update(HXMC=("a", "b")), None)
    assert out.applied is None and out.clash.kind == "update-delete"


def test_delete_of_a_changed_feature_clashes():
    delete = Change("STBHHX", "u", "delete", {"HXMC": ("old", None), "geom": ("G1", None)})
    out = merge(delete, HEAD)
    assert out.applied is None and out.clash.kind == "delete-update"
    assert set(out.clash.cells) == {"HXMC"}


def test_delete_of_an_unchanged_feature_applies_and_double_delete_is_a_no_op():
    delete = Change("STBHHX", "u", "delete", {c: (v, None) for c, v in HEAD.items()})
    assert merge(delete, HEAD).applied.op == "delete"
    assert merge(delete, None) == merge(delete, None).__class__(None, None)


def test_inserts_clash_only_when_different():
    insert = Change("STBHHX", "u", "insert", {c: (None, v) for c, v in HEAD.items()})
    assert merge(insert, HEAD).applied is None and merge(insert, HEAD).clash is None
    other = Change("STBHHX", "u", "insert", {**insert.cols, "HXMC": (None, "b")})
    assert merge(other, HEAD).clash.kind == "insert-insert"
    assert merge(insert, None).applied == insert


def test_refusal_keeps_the_whole_change():
    out = refuse(update(HXMC=("a", "b")), HEAD, "not yours")
    assert out.applied is None and out.clash.kind == "refused" and out.clash.reason == "not yours"


def test_apply_to_row():
    assert apply_to_row(update(HXMC=("a", "b")), HEAD)["HXMC"] == "b"
    assert apply_to_row(Change("STBHHX", "u", "delete", {}), HEAD) is None
