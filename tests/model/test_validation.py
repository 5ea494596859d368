"""Geometry problems say what they are: unreadable text and WKB, impossible, swapped and foreign
coordinates (before, all of these read "geometry is missing" or "projected")."""

from __future__ import annotations

import struct

import numpy as np
import pytest
import shapely

from app.model import china
from app.model.catalogue import load_catalogue
from app.model.validation import (
    check_geometries,
    coordinate_text_problem,
    geometry_text_problem,
    wkb_problem,
)

PARCELS = load_catalogue().layer("GHYDYH")
PLACES = {  # (lon, lat): in China's coarse outline?
    "Shanghai": ((121.47, 31.23), True), "Kashgar": ((75.99, 39.47), True),
    "Mohe": ((122.5, 53.47), True), "Sanya": ((109.5, 18.25), True),
    "Yongxing Island": ((112.33, 16.83), True), "Zengmu Ansha": ((112.28, 3.97), True),
    "Diaoyu Island": ((123.47, 25.74), True), "Taipei": ((121.56, 25.04), True),
    "Seoul": ((126.98, 37.57), False), "Pyongyang": ((125.75, 39.03), False),
    "Hanoi": ((105.85, 21.03), False), "Manila": ((120.98, 14.6), False),
    "Ho Chi Minh City": ((106.7, 10.8), False), "Ulaanbaatar": ((106.9, 47.9), False),
}


def problems(*geoms, unreadable=None) -> list[str]:
    found = check_geometries(PARCELS, np.array(list(geoms), dtype=object), unreadable)
    return [p.code for row in sorted(found) for p in found[row]]


@pytest.mark.parametrize("place", PLACES)
def test_the_outline_holds_china_and_not_its_neighbours(place):
    (lon, lat), inside = PLACES[place]
    assert china.in_china(np.array([shapely.Point(lon, lat)], dtype=object))[0] == inside


def test_a_place_in_the_box_but_outside_china_is_named():
    seoul = shapely.box(126.97, 37.56, 126.98, 37.57)
    assert problems(seoul) == ["outside-china"]
    assert problems(shapely.box(121.5, 31.2, 121.51, 31.21)) == []


def test_impossible_projected_and_swapped_coordinates():
    found = check_geometries(PARCELS, np.array([
        shapely.Polygon([(121.5, 31.2), (1e308, 31.2), (121.5, 31.3)]),
        shapely.box(500000, 3400000, 501000, 3401000),
        shapely.box(31.2, 121.5, 31.21, 121.51),
        shapely.box(-80, 40, -79, 41)], dtype=object))
    assert found[0][0].code == "impossible-coordinate" and "1e+308" in found[0][0].message
    assert "projected" in found[1][0].message and "swapped" not in found[1][0].message
    assert found[2][0].message.endswith("latitude and longitude look swapped (x must be the longitude)")
    assert "经纬度似乎颠倒了" in found[2][0].message_zh
    assert "swapped" not in found[3][0].message and "projected" not in found[3][0].message


def test_a_missing_geometry_takes_the_reason_it_could_not_be_read():
    reason = geometry_text_problem("NaN", "WKT")
    assert problems(None, None, unreadable={1: reason}) == ["missing-geometry", "not-a-geometry"]


@pytest.mark.parametrize("text, code, words", [
    ("", "missing-geometry", "column WKT is empty"),
    ("  nan ", "not-a-geometry", "holds 'nan'"),
    ("#VALUE!", "not-a-geometry", "holds '#VALUE!'"),
    ("POLYGON ((1 2, 3 4", "truncated-wkt", "(18 characters)"),
    ("MULTIPOLYGON (((1 2, 3 4)), ((5 6", "truncated-wkt", "ends before its closing parenthesis"),
    ("POLYGON ((1 2, 3 4)) x", "bad-wkt", "invalid WKT"),
])
def test_geometry_text_problems(text, code, words):
    problem = geometry_text_problem(text, "WKT")
    assert problem.code == code and words in problem.message and problem.message_zh


def test_wkt_cut_at_excels_cell_limit_says_so():
    text = "POLYGON ((" + "121.123456789 31.123456789, " * 2000
    problem = geometry_text_problem(text[:32_767], "geometry")
    assert "Excel's cell limit" in problem.message and "Excel" in problem.message_zh


def test_unreadable_wkb():
    ring = [(121, 31), (121.1, 31), (121.1, 31.1), (121, 31.1)]  # not back to its start
    unclosed = struct.pack("<BIII", 1, 3, 1, len(ring)) + b"".join(struct.pack("<dd", *c) for c in ring)
    assert wkb_problem(unclosed).code == "unclosed-ring"
    cut = wkb_problem(unclosed[:30])
    assert cut.code == "unreadable-geometry" and "the geometry cannot be read" in cut.message


def test_coordinate_text_problems():
    assert coordinate_text_problem({"lon": "NaN", "lat": "31.2"}).message == "coordinate lon 'NaN' is not a number"
    assert coordinate_text_problem({"lon": "121.5", "lat": " "}).message == "coordinate lat is empty"


def test_year_and_date_fields_are_checked_as_calendar_values():
    from app.model.catalogue import load_catalogue
    from app.model.validation import prepare_columns

    catalogue = load_catalogue()
    projects = catalogue.layer("XMK_POINT")
    columns, problems = prepare_columns(projects, catalogue, {"QDNF": [2035, "2035年", 1850, "abc"]}, 4)
    assert columns["QDNF"] == [2035, 2035, None, None]
    said = {row: [p.message for p in found if p.field == "QDNF"] for row, found in problems.items()}
    assert said[2] == ["QDNF: 1850 is not a valid year (1900–2100)"] and said[0] == [] and said[1] == []
    reserves = catalogue.layer("ZRBHD")
    columns, problems = prepare_columns(reserves, catalogue,
                                        {"PZRQ": ["2021年3月5日", 20210305, "2023-02-30"]}, 3)
    assert columns["PZRQ"][:2] == ["2021-03-05", "2021-03-05"]
    assert [p.code for p in problems[2] if p.field == "PZRQ"] == ["type"]
