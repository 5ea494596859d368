"""Conflict rules: the standard set loads; a bad file fails with the JSON path of the problem."""

from __future__ import annotations

import copy
import json

import pytest

from app.analysis.rules import (
    ContinuityRule,
    OverlayRule,
    load_rules,
    parse_rules,
    standard_rules_path,
)
from app.errors import InvalidInput, NotFound
from app.model.catalogue import load_catalogue


@pytest.fixture
def data() -> dict:
    return json.loads(standard_rules_path().read_text(encoding="utf-8"))


def test_standard_rules_cover_the_control_lines_and_networks(standard):
    overlays = {(r.a.layer, r.b.layer) for r in standard.rules if isinstance(r, OverlayRule)}
    assert {("GHYDYH", "STBHHX"), ("CZKFBJ", "YJJBNTBHTB"), ("STBHHX", "YJJBNTBHTB")} <= overlays
    lines = {r.line.layer for r in standard.rules if isinstance(r, ContinuityRule)}
    assert lines == {"LD", "LW", "QYFZLD"}
    construction = standard.rule("construction-in-red-line").a.where.conditions[0]
    assert construction.op == "prefix" and construction.values == tuple(f"{c:02d}" for c in range(7, 17))
    assert standard.cities.layer == "XZQ" and standard.city_field == "XZQDM"
    assert "XZQ" in standard.layers and "LD" in standard.layers


def test_unknown_rule_id(standard):
    with pytest.raises(NotFound, match="no rule 'nope'"):
        standard.rule("nope")


@pytest.mark.parametrize("change, message", [
    (lambda d: d["rules"][1].__setitem__("min_area_m2", -1), r"\$\.rules\[1\]\.min_area_m2: -1 is less than"),
    (lambda d: d["rules"][7].pop("reach_m"), r"\$\.rules\[7\]: 'reach_m' is a required property"),
    (lambda d: d["rules"][0].__setitem__("type", "buffer"), r"\$\.rules\[0\]\.type: 'buffer' is not one of"),
    (lambda d: d["rules"][2]["a"].__setitem__("where", {"MJ": {"in": [1], "prefix": ["1"]}}),
     r"\$\.rules\[2\]\.a\.where\.MJ: .* has too many properties"),
    (lambda d: d["rules"][2]["a"].__setitem__("layer", "NOPE"), r"\$\.rules\[2\]\.a\.layer: unknown layer 'NOPE'"),
    (lambda d: d["rules"][2]["a"].__setitem__("where", {"FOO": {"in": ["x"]}}),
     r"\$\.rules\[2\]\.a\.where\.FOO: layer CZKFBJ has no field FOO"),
    (lambda d: d["rules"][7]["line"].__setitem__("layer", "STBHHX"),
     r"\$\.rules\[7\]\.line\.layer: STBHHX is not a line layer"),
    (lambda d: d["rules"][1].__setitem__("id", d["rules"][0]["id"]), r"\$\.rules\[1\]\.id: duplicate rule id"),
    (lambda d: d["cities"].__setitem__("code_field", "NOPE"), r"\$\.cities\.code_field: layer XZQ has no field NOPE"),
    (lambda d: d.__setitem__("format", "coplan.conflict-rules/v2"), r"\$\.format: "),
])
def test_bad_rules_name_the_json_path(data, change, message):
    bad = copy.deepcopy(data)
    change(bad)
    with pytest.raises(InvalidInput, match=message) as error:
        parse_rules(bad, load_catalogue(), source="my.json")
    assert error.value.message.startswith("my.json: $") and "\n" not in error.value.message


def test_unreadable_files(tmp_path):
    with pytest.raises(InvalidInput, match="cannot read rules file"):
        load_rules(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(InvalidInput, match="is not JSON"):
        load_rules(broken)
