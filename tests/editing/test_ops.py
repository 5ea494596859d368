"""Split, merge and reshape as pure functions, and their undoable commands against a real project
(undo restores geometry and attributes exactly; refusals write nothing)."""

from __future__ import annotations

from dataclasses import replace

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, MultiLineString, MultiPolygon, box

from app.editing import ops
from app.editing.commands import (
    MergeFeatures,
    SetAttribute,
    SplitFeature,
    calculate,
    next_free,
)
from app.errors import PermissionDenied
from app.project.features import FeatureInvalid, add_feature, get_feature

SQUARE = MultiPolygon([box(0, 0, 10, 10)])
PARCEL = {"BSM": "320500000001", "XZQDM": "310000", "XZQMC": "上海市", "YDYHFLDM": "0701",
          "YDYHFLMC": "城镇住宅用地"}
CELL = MultiPolygon([box(121.0, 31.0, 121.02, 31.02)])


def test_split_polygon_keeps_largest_piece_first():
    pieces = ops.split(SQUARE, LineString([(-1, 3), (11, 3)]))
    assert [p.geom_type for p in pieces] == ["MultiPolygon", "MultiPolygon"]
    assert [round(p.area) for p in pieces] == [70, 30]
    assert all(p.is_valid for p in pieces)


def test_split_keeps_uncut_parts_with_the_original():
    two = MultiPolygon([box(0, 0, 10, 10), box(20, 0, 30, 10)])
    first, second = ops.split(two, LineString([(5, -1), (5, 11)]))
    assert len(first.geoms) == 2 and first.area == pytest.approx(150) and second.area == pytest.approx(50)


def test_split_with_ends_snapped_onto_the_edges():
    # An edge-snapped point is rounded: it may land a hair inside the outline.
    parcel = MultiPolygon([box(121.0, 31.0, 121.013, 31.0171)])
    pieces = ops.split(parcel, LineString([(121.0 + 1e-13, 31.005), (121.013 - 1e-13, 31.009)]))
    assert len(pieces) == 2 and sum(p.area for p in pieces) == pytest.approx(parcel.area)
    notch = ops.reshape(parcel, LineString([(121.003, 31.0 + 1e-13), (121.005, 30.99), (121.007, 31.0 + 1e-13)]))
    assert notch.area > parcel.area and notch.is_valid


def test_split_line_and_refusals():
    line = MultiLineString([[(0, 0), (10, 0)]])
    pieces = ops.split(line, LineString([(4, -1), (4, 1)]))
    assert [round(p.length) for p in pieces] == [6, 4]
    with pytest.raises(ops.EditRefused, match="does not cut"):
        ops.split(SQUARE, LineString([(2, 2), (3, 3)]))  # inside: cuts nothing
    with pytest.raises(ops.EditRefused):
        ops.split(shapely.Point(1, 1), LineString([(0, 0), (2, 2)]))


@settings(max_examples=60, deadline=None)
@given(y0=st.floats(0.5, 9.5), y1=st.floats(0.5, 9.5), x=st.floats(-5, -1), bend=st.floats(-3, 3))
def test_split_pieces_sum_to_the_original_and_merge_back(y0, y1, x, bend):
    cutter = LineString([(x, y0), (5, min(max(y0 + bend, 0.2), 9.8)), (10 - x, y1)])
    pieces = ops.split(SQUARE, cutter)
    assert sum(p.area for p in pieces) == pytest.approx(SQUARE.area, rel=1e-9)
    merged = ops.merge(pieces)
    assert merged.geom_type == "MultiPolygon" and merged.is_valid
    assert merged.area == pytest.approx(SQUARE.area, rel=1e-9)
    assert merged.symmetric_difference(SQUARE).area < 1e-9


def test_merge_refuses_mixed_dimensions_and_single():
    with pytest.raises(ops.EditRefused):
        ops.merge([SQUARE])
    with pytest.raises(ops.EditRefused):
        ops.merge([SQUARE, MultiLineString([[(0, 0), (1, 1)]])])
    lines = ops.merge([MultiLineString([[(0, 0), (1, 0)]]), MultiLineString([[(1, 0), (2, 0)]])])
    assert lines.geom_type == "MultiLineString" and len(lines.geoms) == 1 and lines.length == 2


@pytest.mark.parametrize(("drawn", "area"), [
    ([(3, 0), (5, -3), (7, 0)], 106),  # a bulge outwards
    ([(3, -1), (3, 3), (7, 3), (7, -1)], 88),  # a notch inwards
    ([(-1, 3), (5, 5), (11, 3)], 58.3333),  # across: the larger side stays
])
def test_reshape_polygon(drawn, area):
    result = ops.reshape(SQUARE, LineString(drawn))
    assert result.geom_type == "MultiPolygon" and result.is_valid
    assert result.area == pytest.approx(area, rel=1e-4)


def test_reshape_line_and_refusal():
    line = MultiLineString([[(0, 0), (10, 0)]])
    result = ops.reshape(line, LineString([(3, 0), (5, 2), (7, 0)]))
    assert list(result.geoms[0].coords) == [(0, 0), (3, 0), (5, 2), (7, 0), (10, 0)]
    with pytest.raises(ops.EditRefused, match="outline"):
        ops.reshape(SQUARE, LineString([(20, 20), (30, 30)]))


def test_next_free_identifiers():
    assert next_free({"0001", "0005"}, "0001", 2) == ["0006", "0007"]
    assert next_free({"A", "A-2"}, "A", 2) == ["A-3", "A-4"]
    assert next_free(set(), "x" * 18, 1, length=18) == ["x" * 16 + "-2"]


# -- commands on a real project ----------------------------------------------------------------

def _snapshot(project, features):
    return [(f.uuid, f.attrs, f.geometry.wkb) for f in
            (get_feature(project, g.layer, g.uuid) for g in features)]


def test_split_command_undo_redo(project):
    before = add_feature(project, "GHYDYH", PARCEL, CELL)
    command = SplitFeature(before, LineString([(121.005, 30.99), (121.005, 31.03)]))
    result = command.do(project)
    assert project.count("GHYDYH") == 2
    kept, new = result[0][2], result[1][2]
    assert kept.uuid == before.uuid and kept.attrs["YDYHFLDM"] == "0701"
    assert new.attrs["BSM"] == "320500000002" and new.attrs["XZQMC"] == "上海市"
    assert kept.attrs["TBMJ"] + new.attrs["TBMJ"] == pytest.approx(before.attrs["TBMJ"], rel=1e-6)
    command.undo(project)
    assert project.count("GHYDYH") == 1
    restored = get_feature(project, "GHYDYH", before.uuid)
    assert restored.attrs == before.attrs and restored.geometry.equals_exact(before.geometry, 0)
    command.do(project)  # redo: the same uuid and identifier for the new piece
    assert get_feature(project, "GHYDYH", new.uuid).attrs["BSM"] == "320500000002"


def test_merge_command_undo_restores_both(project):
    a = add_feature(project, "GHYDYH", PARCEL, CELL)
    b = add_feature(project, "GHYDYH", {**PARCEL, "BSM": "320500000009"},
                    MultiPolygon([box(121.02, 31.0, 121.04, 31.02)]))
    states = _snapshot(project, [a, b])
    command = MergeFeatures([a, b])
    [(_, gone, none), (_, kept, merged)] = command.do(project)
    assert (gone, none, kept) == (b.uuid, None, a.uuid) and project.count("GHYDYH") == 1
    assert merged.attrs["BSM"] == PARCEL["BSM"]
    assert merged.geometry.area == pytest.approx(a.geometry.area + b.geometry.area)
    command.undo(project)
    assert _snapshot(project, [a, b]) == states


def test_merge_refuses_mixed_owners(project):
    a = add_feature(project, "GHYDYH", PARCEL, CELL)
    other = replace(a, uuid="other", owner="320500")
    with pytest.raises(ops.EditRefused, match="different owners"):
        MergeFeatures([a, other]).do(project)
    assert get_feature(project, "GHYDYH", a.uuid).geometry.equals(CELL)


def test_set_attribute_is_one_checked_step(project):
    a = add_feature(project, "GHYDYH", PARCEL, CELL)
    b = add_feature(project, "GHYDYH", {**PARCEL, "BSM": "7"}, MultiPolygon([box(121.1, 31, 121.2, 31.1)]))
    states = _snapshot(project, [a, b])
    layer = project.layer("GHYDYH")
    values = calculate(layer, [a, b], "BZ", "BSM || ':' || ROUND", constant=True)
    assert values == ["BSM || ':' || ROUND"] * 2
    values = calculate(layer, [a, b], "BZ", "XZQMC || '-' || BSM", constant=False)
    assert values == ["上海市-320500000001", "上海市-7"]
    command = SetAttribute([a, b], "BZ", values)
    command.do(project)
    assert get_feature(project, "GHYDYH", b.uuid).attrs["BZ"] == "上海市-7"
    command.undo(project)
    assert _snapshot(project, [a, b]) == states
    # One bad value refuses the whole step before anything is written.
    with pytest.raises(FeatureInvalid):
        SetAttribute([a, b], "YDYHFLDM", ["0702", "9999"]).do(project)
    assert _snapshot(project, [a, b]) == states
    with pytest.raises(ops.EditRefused, match="computed"):
        SetAttribute([a], "TBMJ", [1.0]).do(project)


def test_set_attribute_numbers_fit_the_field(project):
    layer = project.layer("GHYDYH")
    a = add_feature(project, "GHYDYH", PARCEL, CELL)
    values = calculate(layer, [a], "TBDLMJ", "TBMJ / 10000", constant=False)
    assert values[0] == pytest.approx(a.attrs["TBMJ"] / 10000)
    assert calculate(layer, [a], "BZ", "TBMJ * 0 + 12", constant=False) == ["12"]


def test_commands_refuse_features_of_another_party(project):
    assert project.role == "editor"
    mine = add_feature(project, "GHYDYH", PARCEL, CELL)
    project.db.execute("UPDATE GHYDYH SET owner = '999999'")
    foreign = get_feature(project, "GHYDYH", mine.uuid)
    with pytest.raises(PermissionDenied):
        SplitFeature(foreign, LineString([(121.005, 30.99), (121.005, 31.03)])).do(project)
    with pytest.raises(PermissionDenied):
        SetAttribute([foreign], "BZ", ["x"]).do(project)
    assert project.count("GHYDYH") == 1 and get_feature(project, "GHYDYH", mine.uuid).attrs["BZ"] is None


def test_set_attribute_computes_its_formula_once_on_first_do(project):
    a = add_feature(project, "GHYDYH", PARCEL, CELL)
    command = SetAttribute([a], "BZ", formula=("YDYHFLDM || '/' || XZQMC", False))
    command.do(project)
    assert command.values == ["0701/上海市"] and get_feature(project, "GHYDYH", a.uuid).attrs["BZ"] == "0701/上海市"
    command.undo(project)
    command.do(project)  # redo reuses the values computed the first time
    assert get_feature(project, "GHYDYH", a.uuid).attrs["BZ"] == "0701/上海市"
