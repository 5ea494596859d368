"""`coplan round …` and `coplan comment --quote`: quotes placed in the frozen draft (online and
offline), short comment ids, a party's writes queued offline, one-line errors."""

from __future__ import annotations

import io
import json
import sys

import pytest

from app.cli import main
from app.errors import InvalidInput, NotFound
from app.model.changes import DATA_SCHEMA_VERSION
from app.project.project import Project
from app.review.cli import occurrences, pad, resolve_ids
from app.review.round_cli import _draft_hash
from app.sync.server.store import open_store
from tests.servers import Server

PROJECT = "metro"
DRAFT = {"S1.action.1": "加强区域港口协作与联动，共建世界级港口群。",
         "Z1.strategy.2": "推进环太湖科创圈建设，共建绿色湖区。"}
USERS = {"boss": ("office", "office", "coordinator"), "sz": ("320500", "city", "editor"),
         "jx": ("330400", "city", "reviewer")}
DEAD = "http://127.0.0.1:9"  # nothing listens there: the copy is offline


def run(*argv, stdin: str | None = None) -> tuple[int, str, str]:
    """`coplan ARGV`: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        code = main([str(a) for a in argv])
    finally:
        sys.stdout, sys.stderr = old
    return code, out.getvalue(), err.getvalue()


def ok(*argv) -> str:
    code, out, err = run(*argv)
    assert code == 0, err
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A real server with round 1 collecting, and a logged-in copy per user."""
    tmp = tmp_path_factory.mktemp("round-cli")
    store = open_store(str(tmp / "srv"))
    store.create_project(PROJECT, "上海大都市圈", DATA_SCHEMA_VERSION)
    tokens = {}
    for user, (party, kind, role) in USERS.items():
        store.add_party(PROJECT, party, party, kind)
        store.add_user(user, None)
        store.grant(PROJECT, user, party, role)
        tokens[user] = store.issue_token(user)
    store.close()
    srv = Server(tmp / "srv")
    srv.start()
    with pytest.MonkeyPatch.context() as mp:
        for user, token in tokens.items():
            mp.setenv("COPLAN_TOKEN", token)
            ok("clone", srv.url, PROJECT, tmp / f"{user}.sqlite")
        mp.setenv("COPLAN_TOKEN", tokens["boss"])
        (tmp / "draft.json").write_text(json.dumps(DRAFT, ensure_ascii=False), encoding="utf-8")
        boss = tmp / "boss.sqlite"
        ok("round", "open", boss, 1, "--title-zh", "第一轮", "--due", "2999-12-31")
        ok("round", "freeze", boss, 1, "--text", tmp / "draft.json")
        ok("round", "invite", boss, 1, "320500", "330400", "--due", "2999-12-31")
        ok("round", "advance", boss, 1, "issued")
        ok("round", "next", boss, 1)
    yield srv, tokens, tmp
    srv.stop()


def as_user(monkeypatch, site, user: str):
    _, tokens, tmp = site
    monkeypatch.setenv("COPLAN_TOKEN", tokens[user])
    return tmp / f"{user}.sqlite"


def offline(path, url: str = DEAD) -> str:
    """Point a copy at another server address; returns the one it had."""
    with Project.open(path) as project:
        before = project.meta("remote_url")
        project.set_meta("remote_url", url)
    return before


def test_quotes_are_found_in_every_section():
    sections = {"a": "港口与港口", "b": "港口群", "c": "湖区"}
    assert occurrences(sections, "港口") == [("a", 0), ("a", 3), ("b", 0)]
    assert occurrences(sections, "港口", "b") == [("b", 0)]
    assert occurrences(sections, "机场") == []


def test_short_ids_and_drafts_resolve_uniquely():
    known = ["01a2451f-ab81-751d-8cd6-431c63fe00be", "01a2451f-ad85-77f9-a2af-5a5db08cf2ae"]
    assert resolve_ids(["01a2451f-ab"], known) == [known[0]]
    with pytest.raises(InvalidInput, match="too short"):
        resolve_ids(["01a245"], known)
    with pytest.raises(InvalidInput, match="ambiguous"):
        resolve_ids(["01a2451f"], known)
    with pytest.raises(NotFound, match="no comment"):
        resolve_ids(["ffffffff"], known)
    rounds = [{"number": 1, "draft_hash": "ab" * 32}, {"number": 2, "draft_hash": None}]
    assert _draft_hash(rounds, "1") == _draft_hash(rounds, "abababab") == "ab" * 32
    with pytest.raises(NotFound, match="round 2 has no frozen draft"):
        _draft_hash(rounds, "2")
    assert pad("苏州市", 8) == "苏州市  " and pad("sz", 4) == "sz  "


def test_a_quote_is_placed_online_then_offline(site, monkeypatch):
    sz = as_user(monkeypatch, site, "sz")
    out = ok("comment", sz, "--round", 1, "--text", "建议补充", "--quote", "环太湖科创圈")
    code, listing, err = run("comment", sz, "--round", 1, "--text", "x", "--quote", "港口")
    assert code == 2 and "--occurrence K (1–2)" in err and err.count("\n") == 1
    assert "1. S1.action.1 @4: …加强区域[港口]协作与联动" in listing
    code, listing, err = run("comment", sz, "--round", 1, "--text", "x", "--quote", "港口",
                             "--section", "S1.action.1")
    assert code == 2 and "2. S1.action.1 @17" in listing and "--occurrence" in err
    code, _, err = run("comment", sz, "--round", 1, "--text", "x", "--quote", "港口",
                       "--section", "S1.action.1", "--occurrence", 3)
    assert code == 2 and "2 occurrence(s) of the quote, not 3" in err
    url = offline(sz)
    monkeypatch.delenv("COPLAN_TOKEN")  # not logged in to that address either
    try:  # the draft was kept in the copy: the quote is placed without the server
        out = ok("comment", sz, "--round", 1, "--text", "岸线", "--quote", "港口",
                 "--occurrence", 2, "--draft")
        assert "drafted comment" in out
    finally:
        offline(sz, url)
    from app.review.outbox import pending
    with Project.open(sz) as project:
        [drafted] = [d for d in pending(project, "draft") if d["id"] == out.split()[2]]
    assert drafted["body"]["anchors"] == [{"type": "clause", "section": "S1.action.1",
                                           "quote": "港口", "position": 17}]


def test_the_author_is_the_logged_in_user(site, monkeypatch):
    from app.sync import credentials
    sz = as_user(monkeypatch, site, "sz")
    monkeypatch.setattr(credentials, "user_for", lambda url: "sz-login")
    out = ok("comment", sz, "--round", 1, "--text", "作者", "--quote", "绿色湖区", "--draft")
    cid = out.split()[2]
    from app.review.outbox import pending
    with Project.open(sz, author="os-login") as project:
        [mine] = [d for d in pending(project, "draft") if d["id"] == cid]
    assert mine["body"]["author"] == "sz-login"


def test_a_position_is_checked_against_the_draft(site, monkeypatch):
    sz = as_user(monkeypatch, site, "sz")
    code, _, err = run("comment", sz, "--round", 1, "--text", "x", "--section", "S1.action.1",
                       "--quote", "港口", "--position", 5)
    assert code == 2 and "not at position 5 of section S1.action.1: it is at position(s) 4, 17" in err
    code, _, err = run("comment", sz, "--round", 1, "--text", "x", "--section", "Z9.nowhere",
                       "--quote", "港口")
    assert code != 0 and "section Z9.nowhere is not in the frozen draft" in err
    ok("comment", sz, "--round", 1, "--text", "x", "--section", "S1.action.1", "--quote", "港口",
       "--position", 17, "--draft")


def test_without_the_draft_offline_a_quote_is_refused(project_path, monkeypatch):
    monkeypatch.delenv("COPLAN_TOKEN", raising=False)
    code, _, err = run("comment", project_path, "--round", 1, "--text", "x", "--quote", "港口")
    assert code != 0 and "not in this copy" in err and err.count("\n") == 1
    # An expert's position goes through: the server checks it when the comment arrives.
    assert "queued comment" in ok("comment", project_path, "--round", 1, "--text", "x",
                                  "--section", "S1.action.1", "--quote", "港口", "--position", 4)


def test_no_comment_waits_offline_then_is_sent(site, monkeypatch):
    jx = as_user(monkeypatch, site, "jx")
    url = offline(jx)
    try:
        out = ok("round", "no-comment", jx, 1)
        assert "no comment on round 1: queued; cannot reach the server" in out
    finally:
        offline(jx, url)
    assert "sent 1 item(s); 0 refused" in ok("review-sync", jx)
    # A party sees its own invitation only.
    out = ok("round", "status", jx, 1)
    assert "330400" in out and "no_comment" in out and "320500" not in out
    assert "1 invitation(s)" in out


def test_the_coordinator_lists_and_names_comments(site, monkeypatch):
    boss = as_user(monkeypatch, site, "boss")
    sz = as_user(monkeypatch, site, "sz")
    ok("review-sync", sz)
    monkeypatch.setenv("COPLAN_TOKEN", site[1]["boss"])
    out = ok("round", "comments", boss, "--round", 1)
    assert "320500" in out and "建议补充" in out and out.strip().endswith("comment(s)")
    code, _, err = run("round", "decide", boss, out.split()[0][:6], "--disposition", "noted",
                       "--answer-zh", "知悉")
    assert code == 2 and "at least 8 characters" in err


@pytest.mark.parametrize("argv, message", [
    (["round", "open", "{boss}", "9", "--title-zh", "t", "--due", "下周二"], "ISO date"),
    (["round", "open", "{boss}", "9", "--title-zh", "t", "--team", "X9=1"], "--team takes"),
    (["round", "freeze", "{boss}", "9", "--text", "{tmp}/missing.json"], "cannot read"),
    (["round", "invite", "{boss}", "1", "320500", "--due", "2026-02-30"], "not a calendar date"),
    (["round", "group", "{boss}", "01a2451f-ab81"], "at least two comments"),
    (["round", "confirm", "{boss}", "01a2451f-ab81", "--not-satisfied"], "--note"),
    (["round", "advance", "{boss}", "1", "final"], "cannot go to final"),
    (["round", "status", "{boss}", "7"], "no round 7"),
])
def test_bad_input_is_one_line(site, monkeypatch, argv, message):
    boss = as_user(monkeypatch, site, "boss")
    code, _, err = run(*[a.format(boss=boss, tmp=site[2]) for a in argv])
    assert code != 0 and message in err and err.count("\n") == 1, err


def test_a_refused_answer_is_one_line(site, monkeypatch):
    sz = as_user(monkeypatch, site, "sz")
    ok("review-sync", sz)  # its comment is on the server
    code, _, err = run("round", "no-comment", sz, 1)
    assert code != 0 and "the server refused it" in err and "already sent comments" in err
    assert err.count("\n") == 1
