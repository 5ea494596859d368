"""Tracked items from the 1+8+5 template and the project library."""

import json
import shutil

import pytest

from app.content.template import default_template_path
from app.implement.events import parse_data
from app.implement.items import items_from_content, items_from_library, natural_key, plan_items
from app.implement.model import ITEM_KINDS, PLAN
from app.implement.state import item_to_json
from app.project.project import Project
from sample_projects.build import OUTPUTS


@pytest.fixture(scope="module")
def template() -> dict:
    return json.loads(default_template_path().read_text(encoding="utf-8"))


def test_content_items_form_the_1_8_5_tree(template):
    items = items_from_content(template)
    by_id = {i.id: i for i in items}
    assert len(by_id) == len(items)
    assert by_id[PLAN].parent is None and by_id[PLAN].lead == "office"
    assert {i.id for i in items if i.kind == "system"} == {f"S{n}" for n in range(1, 9)}
    assert {i.id for i in items if i.kind == "zone"} == {f"Z{n}" for n in range(1, 6)}
    assert by_id["S1"].parent == "systems" and by_id["Z2"].parent == "zones"
    # actions inherit their system's lead; strategies get the zone's lead and cities
    assert by_id["S1.action.1"].lead == "310000-JTW" and by_id["S1.action.1"].parent == "S1"
    assert by_id["Z1.strategy.2"].lead == "320200"
    assert set(by_id["Z1.strategy.2"].participants) == {"320500", "320400", "330500"}
    assert by_id["S1.action.1"].title_en == "Strengthen cooperation among the region's ports"
    # text sections are not work
    assert not any(i.id.endswith((".trend", ".goals", ".projects", ".goal")) for i in items)
    assert all(i.kind in ITEM_KINDS and i.start_year == 2022 and i.finish_year == 2035 for i in items)
    assert all(i.parent in by_id for i in items if i.id != PLAN)
    assert sum(i.kind in ("action", "strategy") for i in items) >= 50


def test_library_rows_become_projects_under_their_system_or_strategy(template):
    rows = [
        {"XMBH": "P-JT-010", "XMMC": "沪苏湖铁路", "XMLX": "JT", "QTDW": "上海市交通委",
         "SJCS": "310000,320500，330500", "JSZT": "在建", "QDNF": 2021, "WCNF": 2024, "TZ": 366.6,
         "MBID": None, "CLID": None, "uuid": "u1", "layer": "XMK_LINE",
         "BZ": "备注；Shanghai–Suzhou–Huzhou HSR"},
        {"XMBH": "P-JT-2", "XMMC": "嘉兴站", "XMLX": "JT", "QTDW": "某公司", "SJCS": "330400,999999",
         "CLID": "Z2.strategy.2", "uuid": "u2", "layer": "XMK_POINT", "BZ": "只有中文"},
        {"XMBH": "P-JT-2", "XMMC": "duplicate", "XMLX": "JT", "uuid": "u3", "layer": "XMK_POLYGON"},
        {"XMBH": "P-XX-1", "XMMC": "未知类型", "XMLX": "??", "MBID": "nowhere", "uuid": "u4",
         "layer": "XMK_POINT", "TZ": -5, "QDNF": "不详"},
    ]
    items = items_from_library(rows, template)
    assert [i.id for i in items] == ["XM:P-JT-2", "XM:P-JT-010", "XM:P-XX-1"]
    hsr, station, odd = items[1], items[0], items[2]
    assert (hsr.parent, hsr.lead, hsr.participants) == ("S1", "310000-JTW", ("310000", "320500", "330500"))
    assert (hsr.start_year, hsr.finish_year, hsr.investment) == (2021, 2024, 366.6)
    assert hsr.title_en == "Shanghai–Suzhou–Huzhou HSR" and hsr.title_zh == "沪苏湖铁路"
    assert hsr.source == {"layer": "XMK_LINE", "uuid": "u1", "XMBH": "P-JT-010"}
    # an unknown lead agency falls back to the system's owner; unknown city codes are dropped
    assert (station.parent, station.lead, station.participants) == ("Z2.strategy.2", "310000-JTW", ("330400",))
    assert station.title_en == "嘉兴站" and station.title_zh == "嘉兴站"
    assert odd.parent == "systems" and odd.lead == "office"
    assert (odd.start_year, odd.finish_year, odd.investment) == (2022, 2035, None)
    assert station.investment is None


@pytest.mark.parametrize("name", OUTPUTS)
def test_plan_items_work_on_every_sample_project(name, tmp_path, sample_folder):
    copy = tmp_path / f"{name}.sqlite"
    shutil.copy(sample_folder / copy.name, copy)
    with Project.open(copy) as project:
        items = plan_items(project)
    ids = [i.id for i in items]
    assert len(ids) == len(set(ids))
    projects = [i for i in items if i.kind == "project"]
    assert projects and all(i.id.startswith("XM:") and i.parent for i in projects)
    assert all(i.title_zh and i.title_en for i in items)
    known = set(ids)
    assert all(i.parent in known for i in items if i.parent)
    # the coordinator can register them as they are: a valid 'items' event
    parse_data("items", {"items": [item_to_json(i) for i in items]})


def test_plan_items_of_an_empty_project_are_the_template(project):
    items = plan_items(project)
    assert items and not [i for i in items if i.kind == "project"]


def test_natural_order():
    assert sorted(["S10", "S2", "S1.action.10", "S1.action.2"], key=natural_key) == \
        ["S1.action.2", "S1.action.10", "S2", "S10"]
