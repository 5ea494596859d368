"""A real `coplan serve` on an ephemeral port: a comment written offline with `coplan comment`,
sent with `coplan review-sync`, decided, published and confirmed over HTTP."""

from __future__ import annotations

import pytest

from app.cli import main
from app.model.changes import DATA_SCHEMA_VERSION
from app.project.project import Project
from app.review.client import ReviewRemote
from app.sync.client import Remote
from tests import stores
from tests.review.conftest import SECTIONS
from tests.servers import Server

PROJECT = "metro"


@pytest.fixture
def server(new_store, tmp_path):
    store = new_store()
    store.create_project(PROJECT, "上海大都市圈", DATA_SCHEMA_VERSION)
    for code, name, kind in [("office", "办公室", "office"), ("320500", "苏州市", "city")]:
        store.add_party(PROJECT, code, name, kind)
    for user, party, role in [("boss", "office", "coordinator"), ("sz", "320500", "reviewer")]:
        store.add_user(user, None)
        store.grant(PROJECT, user, party, role)
    tokens = {u: store.issue_token(u) for u in ("boss", "sz")}
    srv = Server(tmp_path / "server", stores.spec(store))
    srv.start()
    srv.tokens = tokens
    yield srv
    srv.stop()


def test_offline_comment_round_trip_over_http(server, project_path, capsys, monkeypatch):
    boss = ReviewRemote(Remote(server.url, server.tokens["boss"], retries=1, backoff=0.05), PROJECT)
    boss.open_round(1, {"zh": "第一轮"}, "sealed")
    boss.freeze(1, SECTIONS)
    boss.invite(1, "320500")
    boss.advance(1, "issued")
    boss.advance(1, "collecting")
    with Project.open(project_path) as project:
        project.set_meta("party", "320500")
        project.set_meta("remote_url", server.url)
        project.set_meta("remote_project", PROJECT)
    assert main(["comment", str(project_path), "--round", "1", "--text", "建议补充太湖科学城",
                 "--section", "Z1.strategy.2", "--quote", "环太湖科创圈", "--position", "2"]) == 0
    monkeypatch.setenv("COPLAN_TOKEN", server.tokens["sz"])
    assert main(["review-sync", str(project_path)]) == 0
    assert "sent 1 item(s); 0 refused; 1 comment(s)" in capsys.readouterr().out
    [view] = boss.comments()
    for stage in ("triage", "responding"):
        boss.advance(1, stage)
    boss.open_round(2, {"zh": "第二轮"}, "sealed")  # the revised text the answer cites
    revised = boss.freeze(2, {**SECTIONS, "Z1.strategy.2": "推进环太湖科创圈和太湖科学城建设。"})
    decided = boss.decide([view["comment"]["id"]], "adopted", answer={"zh": "采纳"}, changes=[
        {"kind": "text", "section": "Z1.strategy.2", "revision": revised["data"]["draft_hash"]}])
    assert decided["data"]["changes"][0]["after"] == "推进环太湖科创圈和太湖科学城建设。"
    assert decided["data"]["changes"][0]["before"] == SECTIONS["Z1.strategy.2"]
    boss.publish(1)
    assert main(["review-sync", str(project_path)]) == 0
    with Project.open(project_path) as project:
        from app.review.outbox import local_comments
        [mine] = local_comments(project)
    assert mine["status"] == "answered" and mine["answer"]["disposition"] == "adopted"
