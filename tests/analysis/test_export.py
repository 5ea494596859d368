"""Conflicts as JSON and as GeoJSON / GeoPackage features."""

from __future__ import annotations

import json

import pyogrio
import pytest
import shapely

from app.analysis.dataset import Dataset
from app.analysis.engine import check
from app.analysis.export import FORMAT, result_json, write_features
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
    with pytest.raises(InvalidInput, match="use a .geojson or .gpkg"):
        write_features(result, tmp_path / "x.shp")
