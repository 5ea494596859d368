"""The wire format refuses what it must, with a message naming where."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from app.model.catalogue import load_catalogue
from app.sync import protocol
from app.sync.protocol import ProtocolError, parse_changeset

EXAMPLES = Path(__file__).resolve().parents[2] / "schemas" / "examples" / "changeset"
SCHEMA = json.loads((EXAMPLES.parents[1] / "changeset.v1.schema.json").read_text())
VALID = json.loads((EXAMPLES / "three-ops.valid.json").read_text())
CATALOGUE = load_catalogue()


def with_geom(geom_hex: str) -> dict:
    data = copy.deepcopy(VALID)
    data["changes"][0]["cols"]["geom"] = [None, geom_hex]
    return data


def test_the_valid_example_parses():
    cs = parse_changeset(json.dumps(VALID), CATALOGUE)
    assert [c.op for c in cs.changes] == ["update", "insert", "delete"]
    assert cs.project == "shanghai-metro" and cs.base_version == 12


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.invalid-*.json")), ids=lambda p: p.stem)
def test_invalid_examples_are_refused_by_the_parser_too(path):
    with pytest.raises(ProtocolError):
        parse_changeset(path.read_text(encoding="utf-8"), CATALOGUE)


@pytest.mark.parametrize("geom, words", [
    (shapely.box(0, 0, 1, 1), "outside CGCS2000"),
    (shapely.LineString([(121, 31), (121.1, 31.1)]), "LineString geometry in a MultiPolygon layer"),
    (shapely.Polygon(), "MultiPolygon layer"),
])
def test_bad_geometry_is_refused(geom, words):
    with pytest.raises(ProtocolError, match=words):
        parse_changeset(with_geom(geom.wkb_hex), CATALOGUE)


def test_vertex_cap(monkeypatch):
    monkeypatch.setattr(protocol, "MAX_VERTICES", 100)
    ring = shapely.Point(121, 31).buffer(0.01, 64)
    with pytest.raises(ProtocolError, match="more than 100 vertices"):
        parse_changeset(with_geom(ring.wkb_hex), CATALOGUE)


def test_nan_infinity_and_garbage():
    with pytest.raises(ProtocolError, match="NaN is not allowed"):
        parse_changeset('{"a": NaN}', CATALOGUE)
    with pytest.raises(ProtocolError, match="Infinity is not allowed"):
        parse_changeset('{"a": Infinity}', CATALOGUE)
    with pytest.raises(ProtocolError, match="not valid WKB"):
        parse_changeset(with_geom("00ff"), CATALOGUE)
    nan_point = "0101000000000000000000F87F0000000000003F40"
    with pytest.raises(ProtocolError, match="NaN or infinity|outside"):
        data = copy.deepcopy(VALID)
        data["changes"][1]["cols"]["geom"] = [None, nan_point]
        parse_changeset(data, CATALOGUE)


def test_unknown_columns_and_bad_values():
    data = copy.deepcopy(VALID)
    data["changes"][1]["cols"]["NOPE"] = [None, 1]
    with pytest.raises(ProtocolError, match="has no column NOPE"):
        parse_changeset(data, CATALOGUE)
    data = copy.deepcopy(VALID)
    data["changes"][1]["cols"]["TZ"] = [None, "lots"]
    with pytest.raises(ProtocolError, match="not a valid real"):
        parse_changeset(data, CATALOGUE)


def test_a_feature_twice_in_one_change_set():
    data = copy.deepcopy(VALID)
    data["changes"].append(copy.deepcopy(data["changes"][0]))
    with pytest.raises(ProtocolError, match="appears twice"):
        parse_changeset(data, CATALOGUE)


def test_geometry_hex_is_normalised_to_upper_case():
    data = with_geom(shapely.MultiPolygon([shapely.box(121, 31, 121.1, 31.1)]).wkb_hex.lower())
    cs = parse_changeset(data, CATALOGUE)
    assert cs.changes[0].cols["geom"][1] == cs.changes[0].cols["geom"][1].upper()


# The parser and the JSON Schema agree on the head of a change set.
heads = st.fixed_dictionaries({
    "base_version": st.one_of(st.integers(-3, 5), st.text(max_size=2), st.none()),
    "party": st.sampled_from(["320500", "", "a b", "x" * 40]),
    "message": st.text(max_size=3),
    "format": st.sampled_from(["coplan.changeset/v1", "coplan.changeset/v2"]),
})


@settings(max_examples=200)
@given(heads)
def test_parser_and_schema_agree(head):
    data = {**copy.deepcopy(VALID), **head}
    schema_ok = jsonschema.Draft202012Validator(SCHEMA).is_valid(data)
    try:
        parse_changeset(data, CATALOGUE)
        parser_ok = True
    except ProtocolError:
        parser_ok = False
    assert parser_ok == schema_ok


@pytest.mark.parametrize("mutate, words", [
    (lambda d: d.__setitem__("base_version", 2**63), "base_version"),
    (lambda d: d["changes"][1]["cols"].__setitem__("TZ", [None, 2**70]), "integer out of range"),
    (lambda d: d["changes"][1]["cols"].__setitem__("owner", [None, 42]), "a text value or null"),
    (lambda d: d.__setitem__("author", "\ud800"), "author"),
    (lambda d: d["changes"][1]["cols"].__setitem__("XMMC", [None, "x\udfff"]), "lone surrogate"),
    (lambda d: d["changes"][1]["cols"].__setitem__("XMMC", [None, "名\x00称"]), "NUL"),
    (lambda d: d.__setitem__("message", "提交\x00"), "message"),
])
def test_values_a_store_cannot_keep_are_refused(mutate, words):
    """Found by fuzzing: these used to pass and break the store or every later pull (NUL: a
    PostgreSQL store refuses it in text and jsonb)."""
    data = copy.deepcopy(VALID)
    mutate(data)
    with pytest.raises(ProtocolError, match=words):
        parse_changeset(data, CATALOGUE)
