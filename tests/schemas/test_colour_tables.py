"""schemas/colours/*.json: schema-valid, every level-1 class coloured, values and layers that the
catalogue knows, provenance and a verification status on every entry."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
TABLES = sorted((SCHEMAS / "colours").glob("*.json"))
SCHEMA = SCHEMAS / "colour-table.v1.schema.json"
GHFQ_ZONES = ["生态保护区", "生态控制区", "农田保护区", "城镇发展区", "城镇集中建设区", "城镇弹性发展区",
              "特别用途区", "乡村发展区", "海洋发展区", "矿产能源发展区"]


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def catalogue() -> dict:
    return _load(SCHEMAS / "layers.json")


@pytest.fixture(params=TABLES, ids=lambda p: p.name)
def table(request) -> dict:
    return _load(request.param)


def _ydyh() -> dict:
    return _load(SCHEMAS / "colours" / "ydyh-2023.json")


def test_there_are_two_tables():
    assert [p.name for p in TABLES] == ["ghfq.json", "ydyh-2023.json"]


def test_table_validates_against_its_schema(table):
    errors = [e.message for e in Draft202012Validator(_load(SCHEMA)).iter_errors(table)]
    assert errors == []


def test_values_are_unique_and_parents_exist(table):
    values = [e["value"] for e in table["entries"]]
    assert len(values) == len(set(values))
    assert {e["parent"] for e in table["entries"]} - {None} <= set(values)


def test_provenance_and_status_are_given(table):
    assert len(table["provenance"]) > 80 and "Verify" in table["provenance"]
    for entry in table["entries"]:
        assert entry["status"] in {"V", "S", "R"}, entry["value"]
        assert entry["status"] != "V", "nothing here was checked against the official PDF"


def test_layers_and_fields_exist_in_the_catalogue(table, catalogue):
    layers = {layer["code"]: layer for layer in catalogue["layers"]}
    for code, field in table["layers"].items():
        assert field in {f["name"] for f in layers[code]["fields"]}, (code, field)


def test_colours_are_hex_rgb(table):
    for entry in table["entries"]:
        assert re.fullmatch(r"#[0-9A-F]{6}", entry["color"]), entry


def test_every_level1_land_sea_class_has_a_colour(catalogue):
    codes = {c["code"] for c in catalogue["codelists"]["YDYH2023"]["codes"]}
    level1 = {c for c in codes if len(c) == 2}
    coloured = {e["value"] for e in _ydyh()["entries"]}
    assert len(level1) == 24 and level1 <= coloured
    assert coloured <= codes  # no invented codes


def test_ydyh_names_match_the_codelist(catalogue):
    names = {c["code"]: c["name_zh"] for c in catalogue["codelists"]["YDYH2023"]["codes"]}
    for entry in _ydyh()["entries"]:
        assert entry["name_zh"] == names[entry["value"]]
        assert entry["parent"] == (entry["value"][:-2] or None)


def test_classes_that_planners_tell_apart_have_different_colours():
    colour = {e["value"]: e["color"] for e in _ydyh()["entries"]}
    distinct = ["01", "03", "07", "08", "09", "10", "11", "12", "13", "14", "17"]
    assert len({colour[c] for c in distinct}) == len(distinct)
    assert colour["07"] == "#FFFF2D" and colour["09"] == "#FF0000"  # residential yellow, commerce red


def test_ghfq_covers_the_planning_zones():
    values = {e["value"] for e in _load(SCHEMAS / "colours" / "ghfq.json")["entries"]}
    assert set(GHFQ_ZONES) <= values
