"""The check engine on hand-built layers whose answers are known to the m²."""

from __future__ import annotations

import uuid

import pytest
import shapely

from app.analysis import engine
from app.analysis.dataset import Dataset
from app.analysis.engine import NAMESPACE, check, iter_check
from app.model.geodesy import GEOD, area_m2
from app.model.jobs import Progress

SHANGHAI, SUZHOU = "310000", "320500"
# Geodesic areas on CGCS2000 of lon/lat boxes, computed once with pyproj and checked below.
BOX_01 = 1_058_796.209  # 0.01° × 0.01° at 121°E 31°N
HALF_BOX = 529_398.104  # 0.005° × 0.01°
QUARTER_WEST = QUARTER_EAST = 264_705.856  # 0.005° × 0.005° either side of 121°E


def box_area(x0, y0, x1, y1) -> float:
    """The same area computed independently: pyproj on the four corners."""
    return abs(GEOD.polygon_area_perimeter([x0, x1, x1, x0], [y0, y0, y1, y1])[0])


def test_the_known_answers_are_right():
    assert box_area(121.0, 31.0, 121.01, 31.01) == pytest.approx(BOX_01, abs=0.001)
    assert box_area(121.005, 31.0, 121.01, 31.01) == pytest.approx(HALF_BOX, abs=0.001)
    assert box_area(120.995, 31.0, 121.0, 31.005) == pytest.approx(QUARTER_WEST, abs=0.001)


def construction(make_layer, *rows):
    return make_layer("GHYDYH", *[(u, o, {"YDYHFLDM": code}, g) for u, o, code, g in rows])


def red_line(make_layer, *rows):
    return make_layer("STBHHX", *[(u, o, {}, g) for u, o, g in rows])


def test_overlap_area_to_the_square_metre(make_layer, cities, standard):
    parcels = construction(make_layer, ("p1", SUZHOU, "0701", shapely.box(121.0, 31.0, 121.01, 31.01)))
    red = red_line(make_layer, ("r1", SUZHOU, shapely.box(121.005, 31.0, 121.02, 31.01)))
    result = check(Dataset({"XZQ": cities, "GHYDYH": parcels, "STBHHX": red}), standard)
    [c] = result.conflicts
    assert c.rule == "construction-in-red-line" and c.kind == "overlay" and c.severity == "error"
    assert c.area_m2 == pytest.approx(HALF_BOX, abs=1)
    assert c.length_m is None and c.features == ("p1", "r1") and c.layers == ("GHYDYH", "STBHHX")
    assert c.owners == (SUZHOU,) and c.cities == (SUZHOU,) and c.parties == (SUZHOU,)
    assert c.geometry.equals(shapely.box(121.005, 31.0, 121.01, 31.01))
    assert c.id == str(uuid.uuid5(NAMESPACE, "construction-in-red-line/p1/r1"))


def test_a_parcel_wholly_inside_measures_its_own_area(make_layer, cities, standard):
    parcels = construction(make_layer, ("p1", SUZHOU, "0801", shapely.box(121.0, 31.0, 121.01, 31.01)))
    red = red_line(make_layer, ("r1", SUZHOU, shapely.box(121.0, 30.95, 121.05, 31.05)))
    [c] = check(Dataset({"XZQ": cities, "GHYDYH": parcels, "STBHHX": red}), standard).conflicts
    assert c.area_m2 == pytest.approx(BOX_01, abs=1)


def test_conflict_straddling_a_city_border_names_both_cities(make_layer, cities, standard):
    # A Suzhou red line drawn 0.005° into Shanghai, under a Shanghai parcel across the border.
    parcels = construction(make_layer, ("p1", SHANGHAI, "1001", shapely.box(120.99, 31.0, 121.005, 31.005)))
    red = red_line(make_layer, ("r1", SUZHOU, shapely.box(120.995, 30.99, 121.02, 31.02)))
    [c] = check(Dataset({"XZQ": cities, "GHYDYH": parcels, "STBHHX": red}), standard).conflicts
    assert c.cities == (SHANGHAI, SUZHOU) and c.owners == (SHANGHAI, SUZHOU)
    assert c.area_m2 == pytest.approx(QUARTER_WEST + QUARTER_EAST, abs=1)
    by_city = dict(c.by_city)
    assert by_city[SHANGHAI] == pytest.approx(QUARTER_WEST, abs=1)
    assert by_city[SUZHOU] == pytest.approx(QUARTER_EAST, abs=1)


def test_filters_touching_and_minimum_area(make_layer, cities, rules_from):
    rules = rules_from({"id": "in-red", "type": "overlay", "name_zh": "x", "name_en": "x",
                        "a": {"layer": "GHYDYH", "where": {"YDYHFLDM": {"prefix": ["07"]}}},
                        "b": {"layer": "STBHHX"}, "min_area_m2": 300_000})
    parcels = construction(
        make_layer,
        ("farm", SUZHOU, "0101", shapely.box(121.0, 31.0, 121.01, 31.01)),  # not construction
        ("touch", SUZHOU, "0701", shapely.box(121.02, 31.0, 121.03, 31.01)),  # shares an edge only
        ("small", SUZHOU, "0701", shapely.box(121.015, 31.02, 121.025, 31.025)),  # 264,706 m² < min
        ("big", SUZHOU, "0702", shapely.box(121.005, 31.0, 121.015, 31.01)))
    red = red_line(make_layer, ("r1", SUZHOU, shapely.box(121.01, 31.0, 121.02, 31.05)))
    result = check(Dataset({"XZQ": cities, "GHYDYH": parcels, "STBHHX": red}), rules)
    assert [c.features[0] for c in result.conflicts] == ["big"]
    assert result.conflicts[0].area_m2 == pytest.approx(HALF_BOX, abs=1)


def test_line_in_polygon_is_measured_in_metres(make_layer, cities, standard):
    line = shapely.MultiLineString([[(120.98, 31.0025), (121.02, 31.0025)]])
    projects = make_layer("XMK_LINE", ("rail", "office", {"XMLX": "JT"}, line))
    red = red_line(make_layer, ("r1", SHANGHAI, shapely.box(120.99, 31.0, 121.0, 31.005)))
    [c] = check(Dataset({"XZQ": cities, "XMK_LINE": projects, "STBHHX": red}), standard).conflicts
    expected = GEOD.line_length([120.99, 121.0], [31.0025, 31.0025])
    assert c.rule == "project-line-in-red-line" and c.area_m2 is None
    assert c.length_m == pytest.approx(expected, abs=0.01) and c.length_m == pytest.approx(955.018, abs=0.01)
    assert c.owners == (SHANGHAI, "office") and c.cities == (SHANGHAI,)


def test_one_layer_against_itself_counts_each_pair_once(make_layer, cities, rules_from):
    rules = rules_from({"id": "red-overlap", "type": "overlay", "name_zh": "x", "name_en": "x",
                        "a": {"layer": "STBHHX"}, "b": {"layer": "STBHHX"}})
    red = red_line(make_layer, ("r1", SHANGHAI, shapely.box(120.99, 31.0, 121.0, 31.01)),
                   ("r2", SUZHOU, shapely.box(120.995, 31.0, 121.01, 31.01)))
    [c] = check(Dataset({"XZQ": cities, "STBHHX": red}), rules).conflicts
    assert c.features == ("r1", "r2") and c.area_m2 == pytest.approx(HALF_BOX, abs=1)
    assert c.area_m2 == pytest.approx(area_m2(shapely.box(120.995, 31.0, 121.0, 31.01)), abs=0.01)
    assert c.owners == (SHANGHAI, SUZHOU) and c.cities == (SHANGHAI,)


def _scattered(make_layer):
    parcels = construction(make_layer, *[
        (f"p{i:03d}", SUZHOU if i % 2 else SHANGHAI, "0701",
         shapely.box(120.95 + i * 0.001, 31.0, 120.9505 + i * 0.001, 31.0005)) for i in range(60)])
    red = red_line(make_layer, ("r1", SHANGHAI, shapely.box(120.96, 30.99, 120.98, 31.01)),
                   ("r2", SUZHOU, shapely.box(120.99, 30.99, 121.02, 31.01)))
    return parcels, red


def test_results_do_not_depend_on_input_order_or_chunking(make_layer, cities, standard, monkeypatch):
    parcels, red = _scattered(make_layer)
    first = check(Dataset({"XZQ": cities, "GHYDYH": parcels, "STBHHX": red}), standard)
    backwards = parcels.take(slice(None, None, -1))
    monkeypatch.setattr(engine, "CHUNK", 7)
    again = check(Dataset({"XZQ": cities, "GHYDYH": backwards, "STBHHX": red}), standard)
    assert len(first.conflicts) == 40
    assert [c.id for c in first.conflicts] == [c.id for c in again.conflicts]
    assert [c.area_m2 for c in first.conflicts] == pytest.approx([c.area_m2 for c in again.conflicts])
    assert len({c.id for c in first.conflicts}) == len(first.conflicts)


def test_iter_check_yields_progress_then_returns_the_result(make_layer, cities, standard, monkeypatch):
    parcels, red = _scattered(make_layer)
    monkeypatch.setattr(engine, "CHUNK", 25)
    job = iter_check(Dataset({"XZQ": cities, "GHYDYH": parcels, "STBHHX": red}), standard)
    steps = []
    with pytest.raises(StopIteration) as stop:
        while True:
            steps.append(next(job))
    assert all(isinstance(s, Progress) for s in steps)
    assert [s.done for s in steps] == list(range(1, len(steps) + 1))
    assert steps[-1].done == steps[-1].total and "construction-in-red-line: 60 of 60" in " ".join(
        s.message for s in steps)
    assert len(stop.value.value.conflicts) == 40


def test_summary_per_rule_and_party(make_layer, cities, standard):
    parcels, red = _scattered(make_layer)
    result = check(Dataset({"XZQ": cities, "GHYDYH": parcels, "STBHHX": red}), standard)
    summary = {s.rule: s for s in result.rules}
    assert summary["construction-in-red-line"].count == 40
    assert summary["construction-in-red-line"].area_m2 == pytest.approx(
        sum(c.area_m2 for c in result.conflicts))
    assert summary["construction-on-farmland"].count == 0
    assert sum(result.by_party().values()) >= 40
    assert set(result.by_party()) == {SHANGHAI, SUZHOU}


def test_no_data_no_conflicts(standard):
    result = check(Dataset({}), standard)
    assert result.conflicts == () and all(s.count == 0 for s in result.rules)
