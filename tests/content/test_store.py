"""Sections in the project file: start from a template, edit with owner checks, add, delete,
import and export."""

from __future__ import annotations

import json

import pytest

from app.content.store import (
    add_section,
    delete_section,
    export_content,
    get_section,
    import_content,
    init_content,
    load_content,
    project_template,
    update_section,
)
from app.content.template import parse_template
from app.errors import ConflictError, InvalidInput, PermissionDenied, ProjectError


def test_init_adds_the_template_once(project):
    with pytest.raises(ProjectError, match="coplan content init"):
        project_template(project)
    assert init_content(project) == 103
    assert init_content(project) == 0
    content = load_content(project.db)
    assert len(content) == 103 and content.get("Z3.strategy.2").owner == "330200"
    assert project_template(project).id == "shanghai-metro-1-8-5"


def test_rows_are_scalar_with_a_json_links_column(content_project):
    row = content_project.db.execute(
        "SELECT uuid, owner, participants, links, json_valid(links) FROM coplan_sections "
        "WHERE section_id = 'Z1'").fetchone()
    assert row[1] == "320200" and row[2] == "320500,320400,330500" and row[4] == 1
    assert json.loads(row[3])["focus"] == {"layer": "DSQ_ZLXTQ", "field": "ZQBM", "value": "Z1"}


def test_a_party_edits_its_own_sections_only(content_project):
    project = content_project  # party 310000, editor
    with pytest.raises(PermissionDenied, match="belongs to party 330200"):
        update_section(project, "Z3.strategy.2", body_zh="改写")
    project.set_meta("role", "coordinator")
    before = get_section(project.db, "Z3.strategy.2")
    after = update_section(project, "Z3.strategy.2", body_zh="改写", status="review")
    assert (after.body_zh, after.status, after.uuid) == ("改写", "review", before.uuid)
    assert after.modified_at >= before.modified_at and after.modified_by == "tester"
    with pytest.raises(InvalidInput, match="cannot change kind"):
        update_section(project, "Z1", kind="system")
    with pytest.raises(InvalidInput, match="status must be"):
        update_section(project, "Z1", status="done")


def test_added_sections_get_kind_numbered_ids(content_project):
    project = content_project
    project.set_meta("role", "coordinator")
    first = add_section(project, "Z3.strategy.2", "action", "近期行动", "Near-term actions")
    second = add_section(project, "Z3.strategy.2", "action", "重点工程", "Key works")
    assert (first.id, second.id) == ("Z3.strategy.2.action.1", "Z3.strategy.2.action.2")
    assert first.owner == "330200" and second.ord > first.ord
    with pytest.raises(InvalidInput, match="cannot contain a goal"):
        add_section(project, "Z3.strategy.2", "goal", "x", "x")
    with pytest.raises(ConflictError, match="has sections under it"):
        delete_section(project, "Z3.strategy.2")
    with pytest.raises(ConflictError, match="part of the content template"):
        delete_section(project, "Z3.goal")
    delete_section(project, first.id)
    assert "Z3.strategy.2.action.1" not in load_content(project.db)


def test_export_import_round_trip(content_project, tmp_path):
    project = content_project
    project.set_meta("role", "coordinator")
    data = export_content(project)
    data["sections"][0]["body_zh"] = "新的愿景正文。"
    data["sections"][0]["children"][0]["children"] = [{
        "id": "vision.innovation.goal.1", "kind": "goal", "title_zh": "目标一", "title_en": "Goal 1"}]
    report = import_content(project, parse_template(data))
    assert (report.inserted, report.updated, report.unchanged) == (1, 1, 102)
    content = load_content(project.db)
    assert content.get("vision").body_zh == "新的愿景正文。"
    assert content.get("vision.innovation.goal.1").parent == "vision.innovation"
    again = import_content(project, parse_template(export_content(project)))
    assert (again.inserted, again.updated) == (0, 0)


def test_import_respects_owners(content_project):
    data = export_content(content_project)
    data["sections"][2]["children"][0]["body_zh"] = "环太湖（他方章节）"
    with pytest.raises(PermissionDenied):
        import_content(content_project, parse_template(data))
