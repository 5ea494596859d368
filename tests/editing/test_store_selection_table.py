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
