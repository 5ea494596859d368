"""The plan-text jobs of the desktop without Qt: loading with names, the section draft (typing,
revert, a save landing), saving with undo, owner rules as the store has them, clause positions,
building outputs as cancellable steps and the publishing rights."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from app.content.model import Section
from app.editing import content_jobs as J
from app.errors import CoplanError, PermissionDenied
from app.model.jobs import Progress
from app.project.project import Project
from app.reports import registry
from tests.reports.conftest import mini_path, mini_template_project  # noqa: F401 - fixtures

DPI = 40


@pytest.fixture
def mini(mini_path):  # noqa: F811 - the imported fixture
    with Project.open(mini_path, author="tester") as project:
        yield project


def section(**kw) -> Section:
    values = {"uuid": "u", "id": "Z1", "parent": None, "ord": 0, "kind": "zone", "owner": "320500",
              "title_zh": "环太湖", "title_en": "Taihu", "body_zh": "第一段。\n\n第二段落，湖区。",
              "body_en": "One.\n\nTwo."}
    return Section(**{**values, **kw})


def test_owner_rule_and_missing_translations():
    s = section()
    assert J.can_edit(s, "320500", "editor") and J.can_edit(s, "310000", "coordinator")
    assert not J.can_edit(s, "310000", "editor")
    assert J.missing_fields(J.section_values(s)) == ()
    assert J.missing_fields(J.section_values(section(title_en=" ", body_zh=""))) == ("title_en", "body_zh")


def test_draft_typing_revert_and_a_save_landing():
    draft, shown = J.SectionDraft(section()), []
    draft.value_changed.connect(lambda name, value: shown.append((name, value)))
    draft.set("body_en", "")
    draft.set("participants", ["310000"])
    assert draft.dirty and draft.missing() == ("body_en",)
    assert draft.changes() == {"body_en": "", "participants": ("310000",)}
    assert shown == []  # typing is not echoed back to the editors
    draft.revert()
    assert not draft.dirty and ("body_en", "One.\n\nTwo.") in shown
    draft.set("title_en", "Taihu lake")
    draft.set("body_zh", "新的正文。")
    # The save of the title landed while the body was typed: the body stays as typed.
    draft.replace_section(section(title_en="Taihu lake", title_zh="环太湖地区"))
    assert draft.values["title_zh"] == "环太湖地区" and draft.values["body_zh"] == "新的正文。"
    assert draft.changes() == {"body_zh": "新的正文。"}


def test_a_read_only_draft_ignores_typing():
    draft = J.SectionDraft(section(), read_only=True)
    draft.set("title_zh", "别人的")
    assert not draft.dirty


def test_load_names_and_an_empty_project(mini, project):
    data = J.load_content_data(mini)
    assert data.started and len(data.content) > 10 and data.role == "coordinator"
    assert data.party_name("320500") == "苏州市" and data.party_name("320500", "en") == "Suzhou"
    assert data.kind_name("zone", "en") == "zone" and data.editable(data.content.get("Z1"))
    empty = J.load_content_data(project)
    assert not empty.started and len(empty.content) == 0


def test_save_and_undo_through_the_store(mini):
    draft = J.SectionDraft(J.load_content_data(mini).content.get("Z1"))
    draft.set("title_en", "Around Lake Taihu")
    command = J.SaveSection.of(draft)
    assert command.after == {"title_en": "Around Lake Taihu"}
    assert command.before == {"title_en": "环太湖 title"}
    assert command.do(mini).title_en == "Around Lake Taihu"
    assert command.undo(mini).title_en == "环太湖 title"
    assert "Z1" in command.text("en") and "保存" in command.text("zh")


def test_another_partys_section_is_refused_as_can_edit_says(mini):
    mini.set_meta("role", "editor")  # party 310000 as an editor: Z1 belongs to Suzhou
    data = J.load_content_data(mini)
    assert not data.editable(data.content.get("Z1"))
    with pytest.raises(PermissionDenied):
        J.SaveSection("Z1", {"title_en": "x"}, {"title_en": "y"}).do(mini)


def test_clause_position_in_the_body():
    body = "第一段，湖区。\n\n第二段：\n湖区协同。湖区治理。"
    # "湖区" in the second paragraph (rendering joins its two lines with a space).
    assert J.clause_position(body, "第二段： 湖区协同。湖区治理。", 10, "湖区") == body.rindex("湖区")
    assert J.clause_position(body, "第一段，湖区。", 4, "湖区") == 4
    assert J.clause_position(body, "", 0, "不在") is None
    assert J.clause_position(body, "", 0, "  ") is None


def test_overall_fraction_moves_through_outputs_and_stages():
    steps = [J.OutputProgress("release", 1, 2, Progress("read", 0, 0)),
             J.OutputProgress("release", 1, 2, Progress("map", 1, 2)),
             J.OutputProgress("release", 1, 2, Progress("layout", 10, 10)),
             J.OutputProgress("onemap", 2, 2, Progress("map", 0, 1))]
    fractions = [J.overall_fraction(s) for s in steps]
    assert fractions == sorted(fractions) and fractions[0] == 0 and fractions[2] == 0.5


def test_build_outputs_writes_each_pdf(mini, tmp_path):
    job = J.build_outputs(mini, {"release": 3, "onemap": 1}, str(tmp_path / "out"), DPI)
    steps = []
    while True:
        try:
            steps.append(next(job))
        except StopIteration as stop:
            outputs = stop.value
            break
    assert [(o.kind, o.version) for o in outputs] == [("release", 3), ("onemap", 1)]
    assert {(s.kind, s.number, s.count) for s in steps} >= {("release", 1, 2), ("onemap", 2, 2)}
    for o in outputs:
        assert Path(o.path).name == J.output_name(o.kind, o.version)
        assert Path(o.path).read_bytes() == o.built.pdf and o.built.pages >= 1


def test_closing_the_build_stops_it(mini, tmp_path):
    job = J.build_outputs(mini, {"policy": 1}, str(tmp_path), DPI)
    for step in job:
        if step.step.stage == "layout":
            job.close()  # what the worker does on cancel
            break
    assert not list(tmp_path.glob("*.pdf"))
    assert not any(t.name == "coplan-layout" for t in threading.enumerate())


def test_build_needs_an_output(mini, tmp_path):
    with pytest.raises(CoplanError):
        next(J.build_outputs(mini, {}, str(tmp_path)))


def test_publish_info_without_a_server(mini):
    info = J.publish_info(mini)
    assert info.versions == {"policy": 1, "release": 1, "reader": 1, "onemap": 1}
    assert info.server is None and not info.can_publish and "server" in info.problem


def test_the_uploaders_are_the_servers():
    assert J.UPLOADERS == registry.UPLOADERS
    assert J.PublishInfo({}, "http://x", "publisher").can_publish
    assert not J.PublishInfo({}, "http://x", "editor").can_publish
