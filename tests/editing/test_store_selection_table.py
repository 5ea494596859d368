"""The in-memory store with its spatial index, the shared selection, and table row order."""

from __future__ import annotations

import dataclasses

import shapely

from app.editing import table
from app.editing.selection import Selection
from app.editing.store import FeatureStore, editable
from app.model.feature import Feature


def feature(uuid: str, x: float, owner: str = "310000", name: str = "") -> Feature:
    return Feature("SY", uuid, owner, {"MC": name}, shapely.box(x, 0, x + 1, 1))


def test_query_sees_edits_without_rebuilding():
    store, seen = FeatureStore(), []
    store.reset({"SY": [feature(str(i), i * 2) for i in range(100)]})
    store.changed.connect(lambda *args: seen.append(args[:2]))
    assert sorted(store.layers["SY"].query((0, 0, 3.5, 1))) == ["0", "1"]
    store.put(dataclasses.replace(feature("0", 0), geometry=shapely.box(50, 0, 51, 1)))
    store.remove("SY", "1")
    store.put(feature("new", 2.5))
    assert sorted(store.layers["SY"].query((0, 0, 3.5, 1))) == ["new"]
    assert "0" in store.layers["SY"].query((50, 0, 50.5, 1))
    assert seen == [("SY", "0"), ("SY", "1"), ("SY", "new")]
    assert [f.uuid for f in store.layers["SY"].at(4.5, 0.5, 0.1)] == ["2"]


def test_editable_by_owner_or_coordinator():
    other = feature("x", 0, owner="320500")
    assert not editable(other, "310000", "editor")
    assert editable(other, "office", "coordinator")


def test_selection_emits_only_on_change():
    selection, seen = Selection(), []
    selection.changed.connect(lambda *a: seen.append(a))
    selection.set("SY", ["a"])
    selection.set("SY", ["a"])
    selection.toggle("SY", "b")
    selection.toggle("SY", "a")
    assert seen == [("SY", ("a",)), ("SY", ("a", "b")), ("SY", ("b",))]
    assert selection.single == "b"


def test_table_filter_and_sort():
    rows = [feature("a", 0, name="太湖"), feature("b", 1, owner="320500", name="阳澄湖"),
            feature("c", 2, name=None)]
    assert table.order(rows, "湖") == ["a", "b"]
    assert table.order(rows, "3205") == ["b"]
    assert table.order(rows, "", "MC") == ["c", "a", "b"]
    assert table.order(rows, "", "MC", descending=True)[0] == "b"


def _reference(rows, needle, column, descending):
    """The plain-Python order the vectorised one must equal (list.sort is stable)."""
    def key(f):
        v = f.owner if column == "owner" else f.attrs.get(column)
        return (v is not None, v if isinstance(v, int | float) else 0, "" if v is None else str(v))
    kept = [f for f in rows if table.matches(f, needle)]
    if column is not None:
        kept.sort(key=key, reverse=descending)
    return [f.uuid for f in kept]


def test_vectorised_order_equals_the_plain_one():
    import random

    rng = random.Random(4)
    values = [None, "太湖", "阳澄湖", "Lake", "lake", 3, 2.5, 10, "", "abc"]
    rows = [Feature("SY", f"u{i}", rng.choice(["310000", "320500"]),
                    {"MC": rng.choice(values), "MJ": rng.choice([None, 1.0, 2.0, 0.5])}, shapely.box(0, 0, 1, 1))
            for i in range(300)]
    for needle in ("", "湖", "LAKE", "3205", "2.5"):
        for column in (None, "MC", "MJ", "owner"):
            for descending in (False, True):
                assert table.order(rows, needle, column, descending) == _reference(rows, needle, column, descending)


def test_selection_members_and_index_positions():
    selection = Selection()
    selection.set("SY", ["b", "a", "b"])
    assert selection.uuids == ("b", "a") and "a" in selection and "c" not in selection
    store = FeatureStore()
    store.reset({"SY": [feature(str(i), i * 2) for i in range(10)]})
    index = store.layers["SY"]
    store.put(dataclasses.replace(feature("3", 6), attrs={"MC": "edited"}))
    store.remove("SY", "4")
    positions, edited = index.positions(["1", "3", "4", "9", "missing"])
    assert sorted(index.uuids[positions]) == ["1", "9"] and edited == ["3"]
    assert index.bounds_at(positions).shape == (2, 4)


def test_value_index_follows_puts_and_removes():
    store = FeatureStore()
    a, b = feature("a", 0, name="甲"), feature("b", 1, name="乙")
    store.reset({"SY": [a, b]})
    assert store.taken("SY", "MC", "甲") and not store.taken("SY", "MC", "甲", uuid="a")
    store.put(dataclasses.replace(a, attrs={**a.attrs, "MC": "丙"}))  # after the index was built
    assert not store.taken("SY", "MC", "甲") and store.taken("SY", "MC", "丙")
    store.put(feature("c", 2, name="甲"))
    store.remove("SY", "b")
    assert store.layers["SY"].holders("MC", "甲") == ["c"] and not store.taken("SY", "MC", "乙")
