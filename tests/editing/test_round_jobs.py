"""The round manager's Qt-free jobs: triage rows with the late and own-party marks, handling
reports from an exported event log, and input checked before anything is sent."""

from __future__ import annotations

import pytest

from app.editing import round_jobs as jobs
from app.errors import InvalidInput
from app.review.access import Actor
from app.review.events import write_jsonl
from tests.reports.conftest import mini_path, mini_template_project  # noqa: F401 - fixtures
from tests.review.conftest import BOSS, JX, SZ, advance, comment, make_review, new_id, open_round

SZ_EDITOR = Actor("sz2", "320500", "editor", "city")  # in the Z1 drafting team


@pytest.fixture
def triaged():
    """Round 1 with a comment each from Suzhou and Jiaxing, both assigned to Z1, and the Z1 team
    (Suzhou) recommending on both: on its own party's comment too."""
    review = make_review()
    open_round(review)
    ours, theirs = comment("320500"), comment("330400", text="建议补充太湖科学城建设。")
    review.submit(SZ, ours)
    review.submit(JX, theirs)
    advance(review, 1, "triage")
    review.assign(BOSS, [ours["id"], theirs["id"]], "Z1", event_id=new_id())
    review.recommend(SZ_EDITOR, [ours["id"], theirs["id"]], "noted", answer={"zh": "知悉"},
                     event_id=new_id())
    return review, ours["id"], theirs["id"]


def test_comment_rows_mark_own_party_recommendations_and_late_comments(triaged):
    review, ours, theirs = triaged
    rows = {r["id"]: r for r in jobs.comment_rows(review.state, 1)}
    assert rows[ours]["own_party"] and not rows[theirs]["own_party"]
    assert rows[ours]["recommendation"] == "noted" and rows[ours]["deliverable"] == "Z1"
    assert rows[ours]["late"]  # the invitations were due 2026-04-01, long before "now"
    assert rows[theirs]["party_name"] == "嘉兴市" and rows[theirs]["text"] == "建议补充太湖科学城建设。"
    assert jobs.comment_rows(review.state, 2) == []


def test_withdrawn_comments_are_not_triaged(triaged):
    review, ours, theirs = triaged
    review.withdraw(SZ, ours, event_id=new_id())
    assert [r["id"] for r in jobs.comment_rows(review.state, 1)] == [theirs]


def test_handling_reports_from_an_exported_log(triaged, tmp_path):
    review, _, _ = triaged
    log = tmp_path / "events.jsonl"
    write_jsonl(list(review.log), log)
    written = jobs.handling_reports(None, str(log), str(tmp_path / "new" / "reports"), "测试规划", "zh")
    assert sorted(p.rsplit("/", 1)[1] for p in written) == [
        "party-320500-zh.pdf", "party-330400-zh.pdf", "summary-zh.pdf"]


def test_input_is_checked_before_anything_is_sent(project):
    """The project has no server: each refusal comes before one would be asked for."""
    with pytest.raises(InvalidInput, match="title"):
        jobs.open_round(project, 1, {"zh": " ", "en": ""}, "sealed", {}, "2026-12-31")
    with pytest.raises(InvalidInput, match="at least one party"):
        jobs.invite(project, 1, [], "2026-12-31")
    with pytest.raises(InvalidInput, match="ISO date"):
        jobs.invite(project, 1, ["320500"], "下周二")
    with pytest.raises(InvalidInput, match="two comments"):
        jobs.group(project, ["only-one"])
    with pytest.raises(InvalidInput, match="assign"):
        jobs.assign(project, [], "Z1")
    with pytest.raises(InvalidInput, match="plan text"):
        jobs.freeze(project, 1, {})


def test_draft_sections_are_the_chinese_bodies(mini_path):  # noqa: F811 - the imported fixture
    from app.project.project import Project
    with Project.open(mini_path) as project:
        sections = jobs.draft_sections(project)
    assert "绿色湖区：" in sections["Z1.strategy.1"] and len(sections) == 16


def test_a_refresh_reads_only_the_events_added_since_the_last(triaged, monkeypatch):
    review, ours, theirs = triaged
    asked: list[int] = []

    class Api:  # the server's review API as `load` reads the events
        project, remote = "metro", type("Remote", (), {"url": "http://s", "token": "t"})()

        def events(self, since=0):
            asked.append(since)
            return [e for e in review.log if e.version > since]

    monkeypatch.setattr(jobs, "_seen", {})
    first = jobs._events(Api())
    top = first[-1].version
    review.assign(BOSS, [theirs], "S1", event_id=new_id())
    again = jobs._events(Api())
    assert asked == [0, top]
    assert [e.id for e in again] == [e.id for e in review.log]
    assert jobs.fold(again).comments[theirs].deliverable == "S1"
