"""A small project with content for report tests: two cities, a zone, three projects, and a
mini 1+8+5 (one dimension, one system, one zone), made once and copied per test."""

from __future__ import annotations

import copy
import shutil
import subprocess
from pathlib import Path

import pytest
import shapely

REPO = Path(__file__).resolve().parents[2]
P1, P2, P3 = ("0190a000-0000-7000-8000-000000000001", "0190a000-0000-7000-8000-000000000002",
              "0190a000-0000-7000-8000-000000000003")
TEXT_ZH = ("上海大都市圈由九市组成，陆域面积约5.6万平方千米（示例）。各方共同编制规划，形成“1+8+5”成果："
           "一份总报告、八项系统行动和五个空间板块行动；目标—策略—行动逐级展开！")
TEXT_EN = ("The metropolitan area has nine cities and about 56,000 km² of land (sample). The parties "
           "draft the plan together: one report, eight system actions and five spatial sections.")
PARTIES = [{"code": "office", "type": "office", "name_zh": "协同办公室", "name_en": "Office"},
           {"code": "310000", "type": "city", "name_zh": "上海市", "name_en": "Shanghai"},
           {"code": "320500", "type": "city", "name_zh": "苏州市", "name_en": "Suzhou"},
           {"code": "310000-JTW", "type": "department", "name_zh": "上海市交通委",
            "name_en": "Shanghai Transport Commission"}]
KINDS = {k: {"name_zh": k, "name_en": k, "children": c, **({"lead": True} if k in ("system", "zone") else {})}
         for k, c in (("report", ["dimension"]), ("dimension", ["goal"]), ("goal", ["strategy"]),
                      ("strategy", ["action"]), ("action", []), ("part", []), ("system", ["action"]),
                      ("trend", []), ("goals", []), ("projects", []), ("zone", ["strategy"]),
                      ("zone_goal", []))}
OUTPUTS = {
    "policy": {"include": ["**"]},
    "release": {"include": ["vision", "vision.*", "vision.*.goal.*", "vision.*.goal.*.strategy.*",
                            "systems", "S?", "zones", "Z?", "Z?.goal"], "maps": ["vision"]},
    "reader": {"include": ["vision", "vision.*", "vision.*.goal.*", "systems", "S?", "S?.goals",
                           "zones", "Z?", "Z?.goal", "Z?.strategy.*"], "maps": ["vision", "Z?"]},
    "onemap": {"include": ["vision", "vision.*", "vision.*.goal.*", "S?", "S?.projects", "Z?",
                           "Z?.goal"], "maps": ["vision"]},
}


def _s(sid: str, kind: str, title: str, children=(), **kw) -> dict:
    return {"id": sid, "kind": kind, "title_zh": f"{title}标题", "title_en": f"{title} title",
            "body_zh": f"{TEXT_ZH}\n\n{title}：{TEXT_ZH}", "body_en": f"{TEXT_EN}\n\n{title}: {TEXT_EN}",
            "status": "review", "children": list(children), **kw}


def mini_template() -> dict:
    """A filled-in content template small enough to build all four outputs in a second."""
    vision = _s("vision", "report", "愿景", [
        _s("vision.innovation", "dimension", "创新", [
            _s("vision.innovation.goal.1", "goal", "目标", [
                _s("vision.innovation.goal.1.strategy.1", "strategy", "策略", [
                    _s("vision.innovation.goal.1.strategy.1.action.1", "action", "行动")])])])],
        owner="office", links={"layers": ["XZQ", "DSQ_ZLXTQ", "XMK_POINT", "XMK_LINE"],
                               "projects": [P1, P2, P3]})
    systems = _s("systems", "part", "系统", [
        _s("S1", "system", "交通", [_s("S1.trend", "trend", "趋势"), _s("S1.goals", "goals", "目标"),
                                    _s("S1.action.1", "action", "港口"),
                                    _s("S1.projects", "projects", "项目库", links={"projects": [P1, P3]})],
           owner="310000-JTW", links={"layers": ["XZQ", "XMK_LINE"], "projects": [P1, P3]})],
        owner="office")
    zone = _s("Z1", "zone", "环太湖", [
        _s("Z1.goal", "zone_goal", "板块目标"),
        _s("Z1.strategy.1", "strategy", "绿色湖区", [_s("Z1.strategy.1.action.1", "action", "近期")],
           links={"layers": ["XZQ", "DSQ_ZLXTQ"]})],
        owner="320500", participants=["310000"],
        links={"layers": ["XZQ", "DSQ_ZLXTQ", "XMK_POINT"], "projects": [P2],
               "focus": {"layer": "DSQ_ZLXTQ", "field": "ZQBM", "value": "Z1"}})
    return {"format": "coplan.content-template/v1", "id": "mini", "version": "1",
            "title_zh": "测试都市圈规划", "title_en": "Test metro plan", "notice_zh": "示例内容（测试）",
            "notice_en": "Sample content (test)", "parties": copy.deepcopy(PARTIES),
            "kinds": copy.deepcopy(KINDS), "outputs": copy.deepcopy(OUTPUTS),
            "sections": [vision, systems, _s("zones", "part", "板块", [zone], owner="office")]}


def _features(project) -> None:
    from app.project.features import add_feature

    note = "示意边界 schematic"
    add_feature(project, "XZQ", {"BSM": "1", "XZQDM": "310000", "XZQMC": "上海市", "BZ": note},
                shapely.box(121.0, 30.8, 121.8, 31.5))
    add_feature(project, "XZQ", {"BSM": "2", "XZQDM": "320500", "XZQMC": "苏州市", "BZ": note},
                shapely.box(120.2, 31.0, 121.0, 31.8), owner="320500")
    add_feature(project, "DSQ_ZLXTQ", {"ZQBM": "Z1", "ZQMC": "环太湖战略协同区", "QTCS": "320500",
                                       "CYCS": "310000"}, shapely.box(120.3, 31.1, 120.9, 31.6),
                owner="320500")
    common = {"QTDW": "上海市交通委", "SJCS": "310000,320500", "JSZT": "在建"}
    add_feature(project, "XMK_POINT", {"XMBH": "P-1", "XMMC": "虹桥枢纽", "XMLX": "JT", **common},
                shapely.Point(121.3, 31.2), uuid=P1)
    add_feature(project, "XMK_POINT", {"XMBH": "P-2", "XMMC": "太湖生态岛", "XMLX": "ST", **common},
                shapely.Point(120.5, 31.3), uuid=P2)
    add_feature(project, "XMK_LINE", {"XMBH": "P-3", "XMMC": "沪苏铁路", "XMLX": "JT", **common},
                shapely.MultiLineString([[(120.6, 31.3), (121.4, 31.2)]]), uuid=P3)


@pytest.fixture(scope="session")
def mini_template_project(template_project, tmp_path_factory) -> Path:
    """The template project as a coordinator's, with features and the mini content."""
    from app.content.store import init_content
    from app.project.project import Project

    path = tmp_path_factory.mktemp("mini") / "mini.sqlite"
    shutil.copy(template_project, path)
    with Project.open(path, author="tester") as project:
        project.set_meta("role", "coordinator")
        _features(project)
        init_content(project, mini_template(), at="2024-05-01T08:00:00.000Z")
    return path


@pytest.fixture
def mini_path(mini_template_project, tmp_path) -> Path:
    """A copy of the mini project the test may change."""
    path = tmp_path / "mini.sqlite"
    shutil.copy(mini_template_project, path)
    return path


@pytest.fixture
def mini(mini_path):
    from app.project.project import Project

    with Project.open(mini_path, author="tester") as project:
        yield project


def poppler(tool: str) -> str:
    """The path of a poppler tool, or skip the test."""
    found = shutil.which(tool)
    if not found:
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return found


def run(tool: str, *args) -> str:
    """A poppler tool's standard output."""
    return subprocess.run([poppler(tool), *map(str, args)], capture_output=True, check=True,
                          text=True).stdout


def open_sample(path):
    """The office's metro project of the sample at `path`, with the sample content (open)."""
    from app.project.project import Project
    from sample_projects import writer
    from sample_projects.build import DEFAULT_REFERENCE
    from sample_projects.content import add_sample_content

    sources = writer.load_sources(DEFAULT_REFERENCE)
    target = next(t for t in writer.targets(sources) if t.file == "metro.sqlite")
    writer.write_project(path, target, writer.all_seeds(sources), "test")
    project = Project.open(path, author="coplan-sample")
    add_sample_content(project)
    return project
