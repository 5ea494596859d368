"""Conflicts as JSON and as GeoJSON / GeoPackage features."""

from __future__ import annotations

import json

import pyogrio
import pytest
import shapely

from app.analysis.dataset import Dataset
from app.analysis.engine import check
from app.analysis.export import FORMAT, conflict_properties, result_json, write_features
from app.errors import InvalidInput


@pytest.fixture
def result(make_layer, cities, standard):
    parcels = make_layer("GHYDYH", ("p1", "310000", {"YDYHFLDM": "0701"}, shapely.box(120.99, 31.0, 121.005, 31.005)))
    red = make_layer("STBHHX", ("r1", "320500", {}, shapely.box(120.995, 30.99, 121.02, 31.02)))
    greenway = make_layer("LD", ("g1", "310000", {}, shapely.MultiLineString([[(120.95, 31.05), (120.9995, 31.05)]])))
    return check(Dataset({"XZQ": cities, "GHYDYH": parcels, "STBHHX": red, "LD": greenway}), standard)


def test_json_is_versioned_and_plain(result):
    data = json.loads(json.dumps(result_json(result)))
    assert data["format"] == FORMAT and data["summary"]["conflicts"] == 2
    overlay, dead_end = data["conflicts"]
    assert overlay["by_city"].keys() == {"310000", "320500"} and overlay["geometry"]["type"] == "Polygon"
    assert dead_end["kind"] == "dead_end" and dead_end["geometry"]["type"] == "Point"
    assert overlay["id"] == result.conflicts[0].id and overlay["parties"] == ["310000", "320500"]


@pytest.mark.parametrize("name", ["conflicts.geojson", "conflicts.gpkg"])
def test_features_round_trip(result, tmp_path, name):
    path = tmp_path / name
    assert write_features(result, path) == 2
    assert write_features(result, path) == 2  # an existing file is replaced
    meta, _, geometry, fields = pyogrio.raw.read(path)
    assert meta["crs"] == "EPSG:4490" and len(geometry) == 2
    values = dict(zip(meta["fields"], fields, strict=True))
    assert list(values["rule"]) == ["construction-in-red-line", "greenway-continuity"]
    assert values["cities"][0] == "310000,320500"
    assert values["area_m2"][0] == pytest.approx(round(result.conflicts[0].area_m2, 2))


def test_other_formats_are_refused(result, tmp_path):
    with pytest.raises(InvalidInput, match=r"use a .geojson or .gpkg file name \(or .csv / .xlsx"):
        write_features(result, tmp_path / "x.shp")


@pytest.fixture
def named(make_layer, cities, standard):
    """A named railway through a named red line entered twice, and a parcel in Shanghai."""
    rail = make_layer("XMK_LINE", ("l1", "office", {"XMMC": "沪苏湖铁路", "XMBH": "P1"},
                                   shapely.MultiLineString([[(121.01, 31.0), (121.05, 31.0)]])))
    red = shapely.box(121.02, 30.99, 121.03, 31.01)
    reds = make_layer("STBHHX", ("r1", "320500", {"HXMC": "淀山湖红线"}, red),
                      ("r2", "320500", {"HXMC": "淀山湖红线", "BSM": "2"}, red),
                      ("r3", "310000", {"HXMC": "佘山红线"}, shapely.box(120.95, 30.95, 120.99, 31.05)))
    parcel = make_layer("GHYDYH", ("p1", "310000", {"YDYHFLDM": "0701", "YDYHFLMC": "居住用地"},
                                   shapely.box(120.96, 31.0, 120.98, 31.02)))
    return check(Dataset({"XZQ": cities, "XMK_LINE": rail, "STBHHX": reds, "GHYDYH": parcel}), standard)


def test_rows_name_projects_red_lines_and_cities_with_hectares(named):
    rows = [conflict_properties(c, named) for c in named.conflicts]
    parcel = next(r for r in rows if r["rule"] == "construction-in-red-line")
    assert parcel["name_a"] == "居住用地" and parcel["name_b"] == "佘山红线"
    assert parcel["city_names"] == ["上海市"] and parcel["rule_name"] == "规划建设用地占用生态保护红线"
    assert parcel["area_ha"] == pytest.approx(parcel["area_m2"] / 1e4, abs=1e-4)
    assert parcel["area_km2"] == pytest.approx(parcel["area_m2"] / 1e6, abs=1e-6)
    rail = [r for r in rows if r["rule"] == "project-line-in-red-line"]
    assert {r["name_a"] for r in rail} == {"沪苏湖铁路 (P1)"}
    assert {r["name_b"] for r in rail} == {"淀山湖红线", "淀山湖红线 (2)"}
    assert rail[0]["area_ha"] is None and rail[0]["length_m"] > 0


def test_csv_and_xlsx_tables(named, tmp_path):
    import csv

    from openpyxl import load_workbook

    assert write_features(named, tmp_path / "c.csv") == 3
    with (tmp_path / "c.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 3 and {"area_ha", "area_km2", "name_a", "city_names", "status", "memo", "lon"} <= rows[0].keys()
    assert "沪苏湖铁路 (P1)" in {r["name_a"] for r in rows}
    assert write_features(named, tmp_path / "c.xlsx") == 3
    book = load_workbook(tmp_path / "c.xlsx")
    header = [c.value for c in book["conflicts"][1]]
    assert header[:4] == ["id", "status", "new", "rule"] and book["conflicts"].max_row == 4
    totals = [dict(zip([c.value for c in book["totals"][1]], [c.value for c in row], strict=True))
              for row in book["totals"].iter_rows(min_row=2)]
    parcel = [t for t in totals if t["rule"] == "construction-in-red-line"]
    assert parcel[0]["city_name"] == "都市圈全域" and parcel[1]["city_name"] == "上海市"
    assert parcel[0]["area_ha"] == pytest.approx(parcel[1]["area_ha"])
    rail = next(t for t in totals if t["rule"] == "project-line-in-red-line" and not t["city"])
    one = next(c.length_m for c in named.conflicts if c.rule == "project-line-in-red-line")
    assert rail["count"] == 2 and rail["length_m"] == pytest.approx(one, abs=0.01)  # union
