"""Content templates: the bundled 1+8+5, id patterns, output rules, and refusals."""

from __future__ import annotations

import copy
import json

import pytest

from app.content.template import (
    child_id,
    default_template_path,
    load_template,
    matches,
    parse_template,
    section_uuid,
)
from app.errors import InvalidInput


@pytest.fixture(scope="module")
def raw() -> dict:
    return json.loads(default_template_path().read_text(encoding="utf-8"))


def test_bundled_template_holds_the_1_8_5_facts():
    t = load_template()
    ids = {s.id for s in t.sections}
    assert {f"S{n}" for n in range(1, 9)} <= ids and {f"Z{n}" for n in range(1, 6)} <= ids
    assert {f"vision.{d}" for d in ("innovation", "mobility", "ecology", "culture")} <= ids
    z1 = next(s for s in t.sections if s.id == "Z1")
    assert (z1.owner, z1.participants) == ("320200", ("320500", "320400", "330500"))
    assert next(s for s in t.sections if s.id == "S1").owner == "310000-JTW"
    assert t.party("310000-JTW").name_zh == "上海市交通委" and t.kind("zone").lead
    assert next(s for s in t.sections if s.id == "Z3.strategy.2").title_zh == "共建枢纽链接的高效网络"


@pytest.mark.parametrize("pattern, sid, hit", [
    ("**", "vision.innovation.goal.1", True), ("vision.*", "vision.innovation", True),
    ("vision.*", "vision.innovation.goal.1", False), ("S?", "S1", True), ("S?", "S10", False),
    ("Z?.strategy.*", "Z3.strategy.2", True), ("Z?.strategy.*", "Z3.strategy.2.action.1", False),
    ("vision.**.action.*", "vision.a.goal.1.strategy.1.action.2", True), ("vision", "visions", False),
])
def test_patterns_match_by_dotted_parts(pattern, sid, hit):
    assert matches(pattern, sid) is hit


def test_output_rules_of_the_bundled_template():
    t = load_template()
    assert t.output("policy").includes("vision.innovation.goal.1.strategy.1.action.1")
    assert not t.output("release").includes("S1.action.1")
    assert t.output("reader").includes("Z3.strategy.2") and t.output("onemap").includes("S1.projects")
    with pytest.raises(InvalidInput):
        t.output("poster")


def test_template_sections_have_stable_uuids():
    assert section_uuid("t", "S1") == section_uuid("t", "S1") != section_uuid("t", "S2")
    assert load_template().sections[0].uuid == section_uuid("shanghai-metro-1-8-5", "vision")
    assert child_id("Z3.strategy.2", "action", 4) == "Z3.strategy.2.action.4"


def test_refuses_unknown_party_duplicate_id_and_schema_errors(raw):
    bad = copy.deepcopy(raw)
    bad["sections"][1]["children"][0]["owner"] = "nobody"
    with pytest.raises(InvalidInput, match="unknown party 'nobody'"):
        parse_template(bad)
    bad = copy.deepcopy(raw)
    bad["sections"][2]["children"][0]["id"] = "S1"
    with pytest.raises(InvalidInput, match="appears twice"):
        parse_template(bad)
    bad = copy.deepcopy(raw)
    bad["outputs"].pop("reader")
    with pytest.raises(InvalidInput, match=r"\$\.outputs"):
        parse_template(bad)


def test_unreadable_template_file(tmp_path):
    path = tmp_path / "t.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(InvalidInput, match="cannot read content template"):
        load_template(path)
