"""Indicator definitions, and values measured per city and metro-wide on hand-built layers."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import shapely

from app.analysis.cities import cities_from
from app.analysis.dataset import Dataset
from app.analysis.engine import check
from app.analysis.indicators import METRO, compute_values, load_definitions, regions_for
from app.errors import InvalidInput
from app.model import geodesy
from app.paths import schemas_dir

SHANGHAI, SUZHOU = "310000", "320500"
REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "city_checkup_indicators_draft.json"


@pytest.fixture(scope="module")
def definitions():
    return load_definitions()


def test_definitions_keep_the_reference_and_its_status_notes(definitions):
    data = json.loads((schemas_dir() / "indicators.json").read_text(encoding="utf-8"))
    assert "unverified" in data["status_note"] and "third-party" in data["status_note"]
    assert len(definitions.items) == 91 and sum(i.computed for i in definitions.items) == 20
    if not REFERENCE.is_file():
        pytest.skip("reference file not available")
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    assert data["provenance"] == reference["provenance"]
    assert data["direction_legend"] == reference["direction_legend"]
    mine = {i["id"]: i for i in data["items"]}
    for item in reference["items"]:
        kept = {k: mine[item["id"]][k] for k in item}
        assert kept == item  # names, units, directions and flags unchanged


def test_limits_and_entered_indicators(definitions):
    assert definitions.get("TJ034").limit == "max"  # a cap, despite direction "c"
    assert definitions.get("TJ001").limit == "min" and definitions.get("TJ001").computed
    assert not definitions.get("TJ032").computed  # population is entered
    assert definitions.get("TJ079").compute.per == "TJ032"
    assert definitions.get("MT088").display_unit == "个"


@pytest.mark.parametrize("change, message", [
    (lambda d: d["items"][0].__setitem__("direction", "up"), r"\$\.items\[0\]\.direction"),
    (lambda d: d["items"][0]["compute"]["layers"][0].__setitem__("where", {"NOPE": {"in": ["x"]}}),
     r"\$\.items\[0\]\.compute: layer STBHHX has no field NOPE"),
    (lambda d: d["items"][0]["compute"].__setitem__("per", {"indicator": "ZZ999"}),
     r"\$\.items\[0\]\.compute\.per: no indicator ZZ999"),
    (lambda d: d["items"][1].__setitem__("id", "TJ001"), r"\$\.items\[1\]\.id: duplicate indicator TJ001"),
])
def test_bad_definitions_name_the_json_path(tmp_path, change, message):
    data = json.loads((schemas_dir() / "indicators.json").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "indicators.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InvalidInput, match=message):
        load_definitions(path)


def area(*geoms) -> float:
    return float(sum(geodesy.area_m2(g) for g in geoms))


@pytest.fixture
def dataset(make_layer, cities):
    red = make_layer(
        "STBHHX",
        ("r1", SHANGHAI, {}, shapely.box(120.95, 31.0, 120.96, 31.01)),
        ("r2", SHANGHAI, {}, shapely.box(120.955, 31.0, 120.965, 31.01)),  # overlaps r1: counted once
        ("r3", SUZHOU, {}, shapely.box(120.99, 31.05, 121.01, 31.06)))  # straddles the border
    corridor = make_layer("STLD", ("e1", SUZHOU, {}, shapely.box(121.05, 30.95, 121.06, 30.96)))
    greenway = make_layer("LD", ("g1", SHANGHAI, {}, shapely.MultiLineString([[(120.92, 31.0), (120.98, 31.0)]])))
    parcels = make_layer("GHYDYH", ("p1", SHANGHAI, {"YDYHFLDM": "0701"}, shapely.box(120.952, 31.002, 120.953, 31.003)))
    return Dataset({"XZQ": cities, "STBHHX": red, "STLD": corridor, "LD": greenway, "GHYDYH": parcels})


def test_values_per_city_and_metro_wide(dataset, definitions, standard):
    regions = regions_for(cities_from(dataset, standard))
    assert [r.code for r in regions] == [SHANGHAI, SUZHOU, METRO]
    entered = {("TJ032", SHANGHAI): 2000.0, ("TJ032", SUZHOU): 1000.0}
    values = compute_values(dataset, definitions, regions, entered, check(dataset, standard))
    sh_red = area(shapely.box(120.95, 31.0, 120.965, 31.01), shapely.box(120.99, 31.05, 121.0, 31.06))
    sz_red = area(shapely.box(121.0, 31.05, 121.01, 31.06))
    assert values[("TJ001", SHANGHAI)] == pytest.approx(sh_red * 1e-6, abs=1e-6)  # km², to the m²
    assert values[("TJ001", SUZHOU)] == pytest.approx(sz_red * 1e-6, abs=1e-6)
    assert values[("TJ001", METRO)] == pytest.approx((sh_red + sz_red) * 1e-6, abs=1e-6)
    sz_area = regions[1].area_m2
    assert sz_area == pytest.approx(area(shapely.box(121.0, 30.9, 121.1, 31.1)))
    eco = sz_red + area(shapely.box(121.05, 30.95, 121.06, 30.96))
    assert values[("MT089", SUZHOU)] == pytest.approx(eco / sz_area * 100, rel=1e-9)
    length = geodesy.length_m(shapely.LineString([(120.92, 31.0), (120.98, 31.0)]))
    assert values[("TJ079", SHANGHAI)] == pytest.approx(length / 2000.0, rel=1e-9)  # m per 万人
    assert values[("TJ079", METRO)] == pytest.approx(length / 3000.0, rel=1e-9)  # cities summed
    assert values[("MT085", SUZHOU)] == 0.0 and values[("MT085", SHANGHAI)] == pytest.approx(length / 1000)
    assert values[("MT088", SHANGHAI)] == 1.0 and values[("MT088", SUZHOU)] == 0.0  # p1 in r1
    assert values[("MT088", METRO)] == 1.0


def test_no_layer_no_data_and_no_divisor_no_value(dataset, definitions, standard):
    regions = regions_for(cities_from(dataset, standard), (SHANGHAI,), metro=False)
    values = compute_values(dataset, definitions, regions, {}, None)
    assert [r.code for r in regions] == [SHANGHAI]
    assert values[("TJ013", SHANGHAI)] is None  # no LSWHBHX at all
    assert values[("TJ079", SHANGHAI)] is None  # no population entered
    assert values[("MT088", SHANGHAI)] is None  # no check run
    assert values[("MT084", SHANGHAI)] is None  # no project library
    assert not np.isnan(values[("TJ001", SHANGHAI)])
