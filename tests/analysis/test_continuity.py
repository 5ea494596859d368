"""Cross-border continuity: gaps, offsets and dead ends of known size at a city border."""

from __future__ import annotations

import pytest
import shapely

from app.analysis.dataset import Dataset
from app.analysis.engine import check
from app.model.geodesy import GEOD

SHANGHAI, SUZHOU = "310000", "320500"
BORDER = 121.0


def at(lat: float, metres: float) -> tuple[float, float]:
    """The point `metres` east (positive) or west (negative) of the border at `lat`."""
    lon, lat2, _ = GEOD.fwd(BORDER, lat, 90 if metres > 0 else 270, abs(metres))
    return lon, lat2


def north_of(point: tuple[float, float], metres: float) -> tuple[float, float]:
    lon, lat, _ = GEOD.fwd(point[0], point[1], 0, metres)
    return lon, lat


def greenways(make_layer, *rows):
    return make_layer("LD", *[(u, o, {"LDBM": u, "LDMC": u}, shapely.MultiLineString([line]))
                              for u, o, line in rows])


def run(cities, standard, lines):
    result = check(Dataset({"XZQ": cities, "LD": lines}), standard)
    return [c for c in result.conflicts if c.rule == "greenway-continuity"]


def test_facing_ends_leave_a_gap_of_known_size(make_layer, cities, standard):
    # Shanghai's greenway stops 120 m short of the border, Suzhou's starts 80 m beyond it.
    lines = greenways(make_layer, ("g-sh", SHANGHAI, [(120.95, 31.0), at(31.0, -120)]),
                      ("g-sz", SUZHOU, [at(31.0, 80), (121.05, 31.0)]))
    [c] = run(cities, standard, lines)  # both ends see the same gap: reported once
    assert c.kind == "gap" and c.severity == "warning"
    assert c.length_m == pytest.approx(200.0, abs=0.05)
    assert c.gap_m == pytest.approx(200.0, abs=0.05) and c.offset_m == pytest.approx(0.0, abs=0.05)
    assert set(c.features) == {"g-sh", "g-sz"} and c.cities == (SHANGHAI, SUZHOU)
    assert c.owners == (SHANGHAI, SUZHOU) and c.area_m2 is None
    assert c.geometry.geom_type == "LineString" and c.geometry.length > 0


def test_lines_meeting_the_border_apart_are_offset(make_layer, cities, standard):
    meet_sh = (BORDER, 31.0)
    meet_sz = north_of(meet_sh, 300)
    lines = greenways(make_layer, ("g-sh", SHANGHAI, [(120.95, 31.0), meet_sh]),
                      ("g-sz", SUZHOU, [meet_sz, (121.05, meet_sz[1])]))
    [c] = run(cities, standard, lines)
    assert c.kind == "offset"
    assert c.offset_m == pytest.approx(300.0, abs=0.05) and c.gap_m == pytest.approx(0.0, abs=0.05)
    assert c.length_m == pytest.approx(300.0, abs=0.05)


def test_no_line_on_the_other_side_is_a_dead_end(make_layer, cities, standard):
    lines = greenways(make_layer, ("g-sh", SHANGHAI, [(120.95, 31.05), at(31.05, -100)]))
    [c] = run(cities, standard, lines)
    assert c.kind == "dead_end" and c.features == ("g-sh",) and c.length_m is None
    assert c.cities == (SHANGHAI, SUZHOU) and c.owners == (SHANGHAI,)
    assert c.geometry.geom_type == "Point"
    assert GEOD.inv(c.geometry.x, c.geometry.y, BORDER, c.geometry.y)[2] == pytest.approx(100, abs=0.05)


def test_continuing_lines_are_not_reported(make_layer, cities, standard):
    lines = greenways(
        make_layer,
        ("crossing", "office", [(120.95, 30.92), (121.05, 30.92)]),  # one line across the border
        ("snap-sh", SHANGHAI, [(120.95, 31.0), at(31.0, -20)]),  # ends 40 m apart: within snap_m 50
        ("snap-sz", SUZHOU, [at(31.0, 20), (121.05, 31.0)]),
        ("inland", SHANGHAI, [(120.92, 31.08), (120.95, 31.08)]))  # far from any border
    assert run(cities, standard, lines) == []


def test_beyond_search_distance_is_a_dead_end_not_a_gap(make_layer, cities, standard):
    far = north_of((BORDER, 30.95), 6000)  # search_m is 5,000 m for greenways
    lines = greenways(make_layer, ("g-sh", SHANGHAI, [(120.95, 30.95), (BORDER, 30.95)]),
                      ("g-sz", SUZHOU, [far, (121.05, far[1])]))
    kinds = sorted(c.kind for c in run(cities, standard, lines))
    assert kinds == ["dead_end", "dead_end"]


def test_ends_beyond_reach_are_not_at_the_border(make_layer, cities, standard):
    lines = greenways(make_layer, ("g-sh", SHANGHAI, [(120.95, 31.0), at(31.0, -600)]))
    assert run(cities, standard, lines) == []  # reach_m is 500 m


def test_parts_of_one_feature_continue_each_other(make_layer, cities, standard):
    line = shapely.MultiLineString([[(120.95, 31.0), at(31.0, -10)], [at(31.0, 10), (121.05, 31.0)]])
    lines = make_layer("LD", ("g", "office", {"LDBM": "g", "LDMC": "g"}, line))
    assert run(cities, standard, lines) == []


def test_ids_are_stable_and_unique(make_layer, cities, standard):
    lines = greenways(make_layer, ("a", SHANGHAI, [(120.95, 31.05), at(31.05, -100)]),
                      ("b", SHANGHAI, [(120.95, 31.0), at(31.0, -120)]),
                      ("c", SUZHOU, [at(31.0, 80), (121.05, 31.0)]))
    first, second = run(cities, standard, lines), run(cities, standard, lines)
    assert [c.id for c in first] == [c.id for c in second]
    assert len({c.id for c in first}) == len(first) == 2
