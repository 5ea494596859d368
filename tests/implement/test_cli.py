"""`coplan progress|issue|meeting`: what each command refuses (one line, an exit code like the
other commands: 2 refused input, 3 not allowed, 1 not found or a clash) and what the listings
name. One real server for the module; the acceptance walk is in test_end_to_end.py."""

from __future__ import annotations

import json

import pytest

from app.model.ids import uuid7
from app.project.project import Project
from tests.implement.test_end_to_end import clone_all, ok, ok_json, run, start_site

SZ_LINE = ("--item", "Z2.strategy.3", "--percent", 30, "--status", "on_track")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The metro server with the plan's items registered, Suzhou's report of 2025-02 waiting
    for review, and every copy pulled."""
    tmp = tmp_path_factory.mktemp("implement-cli")
    srv, tokens = start_site(tmp)
    with pytest.MonkeyPatch.context() as mp:
        clone_all(srv, tokens, tmp, mp)
        mp.setenv("COPLAN_TOKEN", tokens["boss"])
        ok("progress", "items", tmp / "boss.sqlite", "--register")
        mp.setenv("COPLAN_TOKEN", tokens["sz"])
        ok("progress", "sync", tmp / "sz.sqlite")
        ok("progress", "report", tmp / "sz.sqlite", "--period", "2025-02", *SZ_LINE)
        for user in ("sz", "eye", "boss"):
            mp.setenv("COPLAN_TOKEN", tokens[user])
            ok("progress", "sync", tmp / f"{user}.sqlite")
        yield srv, tokens, tmp
    srv.stop()


@pytest.fixture
def as_user(site, monkeypatch):
    """as_user(name) -> the path of that user's copy, with the user's token set."""
    _, tokens, tmp = site

    def use(user: str):
        monkeypatch.setenv("COPLAN_TOKEN", tokens[user])
        return tmp / f"{user}.sqlite"
    return use


def refused(argv, code: int, message: str, lang: str = "en") -> str:
    got, out, err = run("--lang", lang, *argv)
    assert (got, err.count("\n"), "Traceback" in err) == (code, 1, False), err
    assert message in err, err
    return err


@pytest.mark.parametrize("line, code, message", [
    (("--item", "Z9.strategy.1", "--percent", 10, "--status", "on_track"), 1,
     "no tracked item Z9.strategy.1"),
    (("--item", "S1.action.1", "--percent", 10, "--status", "on_track"), 3,
     "neither leads nor joins item S1.action.1"),
    (("--item", "Z2.strategy.1", "--percent", 120, "--status", "on_track"), 2,
     "--percent must be 0–100, not 120"),
    (("--item", "Z2.strategy.1", "--percent", "half", "--status", "on_track"), 2,
     "--percent must be a number"),
    (("--item", "Z2.strategy.1", "--percent", 10, "--status", "fine"), 2,
     "--status must be one of"),
    (("--percent", 10, "--item", "Z2.strategy.1", "--status", "on_track"), 2,
     "--percent must follow an --item"),
    (("--item", "Z2.strategy.1", "--percent", 10), 2, "item Z2.strategy.1: give --status"),
    ((), 2, "a report needs lines"),
    (("--item", "Z2.strategy.1", "--percent", 10, "--status", "on_track", "--evidence",
      "/nonexistent.pdf"), 1, "no evidence file"),
])
def test_a_report_with_bad_lines_is_refused(as_user, line, code, message):
    refused(("progress", "report", as_user("sz"), "--period", "2025-01", *line), code, message)


@pytest.mark.parametrize("period, message", [
    ("2099-01", "period 2099-01 is in the future"), ("2025-13", "a period is YYYY-MM"),
    ("202501", "a period is YYYY-MM")])
def test_a_report_for_a_bad_period_is_refused(as_user, period, message):
    refused(("progress", "report", as_user("sz"), "--period", period, *SZ_LINE), 2, message)


@pytest.mark.parametrize("argv", [
    ("progress", "review", "{copy}", "320500/2025-01", "--accept"),
    ("progress", "weights", "{copy}", "Z2", "--method", "equal"),
    ("progress", "items", "{copy}", "--register"),
    ("issue", "escalate", "{copy}", "--overdue"),
    ("meeting", "plan", "{copy}", "--level", 1, "--date", "2025-01-01", "--title-zh", "会"),
    ("meeting", "memo", "{copy}", "2025-01-01", "--number", "1"),
])
def test_coordinator_commands_refuse_an_editor(as_user, argv):
    copy = as_user("sz")
    refused([copy if a == "{copy}" else a for a in argv], 3, "only a coordinator may do this")


def test_the_server_refuses_an_editor_whatever_its_copy_claims(as_user):
    sz = as_user("sz")
    with Project.open(sz) as project:
        project.set_meta("role", "coordinator")
    try:
        refused(("progress", "review", sz, "320500/2025-02", "--accept"), 3, "editor")
    finally:
        with Project.open(sz) as project:
            project.set_meta("role", "editor")


def test_review_refuses_what_it_cannot_decide(as_user):
    boss = as_user("boss")
    refused(("progress", "review", boss, "320500/2025-02", "--return"), 2,
            "returning a report needs --note")
    refused(("progress", "review", boss, "ffffffff-ffff", "--accept"), 1, "no report ffffffff")
    refused(("progress", "review", boss, "0123", "--accept"), 2, "too short")
    refused(("progress", "review", boss, "330400/2025-02", "--accept"), 1,
            "no report of Jiaxing for 2025-02")


def test_weights_refuse_strangers_and_bad_numbers(as_user):
    boss = as_user("boss")
    refused(("progress", "weights", boss, "Z2", "--method", "custom", "--weight", "S1=2"), 2,
            "not children of Z2: S1")
    refused(("progress", "weights", boss, "Z2", "--method", "equal", "--weight",
             "Z2.strategy.1=2"), 2, "--weight goes with --method custom")
    refused(("progress", "weights", boss, "Z2", "--method", "custom", "--weight",
             "Z2.strategy.1=-1"), 2, "a number ≥ 0")
    refused(("progress", "weights", boss, "Z9", "--method", "equal"), 1, "no tracked item Z9")


def test_issue_and_meeting_refusals(as_user):
    sz, boss = as_user("sz"), as_user("boss")
    refused(("issue", "open", sz, "--title-zh", "某问题"), 2, "an issue needs --due")
    refused(("issue", "open", sz, "--title-zh", "某问题", "--due", "2025-02-30"), 2,
            "--due must be a date")
    refused(("issue", "open", sz, "--due", "2025-03-01"), 2, "an issue needs --title-zh")
    as_user("boss")
    refused(("issue", "escalate", boss), 2, "name an issue (with --reason), or give --overdue")
    refused(("issue", "escalate", boss, "ffffffff-ffff", "--reason", "x"), 1, "no issue")
    refused(("issue", "escalate", boss, "ffffffff-ffff"), 2, "needs --reason")
    refused(("issue", "show", boss, "ffffffff-ffff"), 1, "no issue ffffffff-ffff")
    refused(("meeting", "memo", boss, "2000-01-01", "--number", "1"), 1,
            "no meeting on 2000-01-01")
    refused(("meeting", "plan", boss, "--level", 2, "--date", "2025-02-31", "--title-zh", "会"),
            2, "--date must be a date")


def test_a_refused_report_is_kept_with_the_servers_reason(as_user):
    sz = as_user("sz")
    ok("progress", "report", sz, "--period", "2025-03", *SZ_LINE, "--changeset", uuid7())
    out = ok("progress", "sync", sz)
    assert "1 refused" in out and "refused report" in out


def test_a_draft_stays_in_the_copy(as_user):
    sz = as_user("sz")
    assert ok("progress", "report", sz, "--period", "2025-04", *SZ_LINE, "--draft"
              ).startswith("drafted report")
    ok("progress", "sync", sz)
    assert ok_json("progress", "list", sz, "--period", "2025-04") == []


def test_an_issue_opened_by_a_city_reaches_the_office(as_user):
    sz = as_user("sz")
    out = ok("issue", "open", sz, "--title-zh", "太浦河清水通道水质波动", "--due", "2025-05-31",
             "--item", "Z2.strategy.3")
    assert "1 issue(s) queued" in out
    ok("progress", "sync", sz)
    boss = as_user("boss")
    ok("progress", "sync", boss)
    [found] = [i for i in ok_json("issue", "list", boss) if i["title_zh"].startswith("太浦河")]
    assert (found["owner"], found["raised_by"], found["item"]) == ("320500", "320500",
                                                                    "Z2.strategy.3")
    shown = ok("--lang", "zh", "issue", "show", boss, found["id"][:13])
    assert "苏州市" in shown and "Z2.strategy.3 共保天蓝水清的湖畔家园" in shown


def test_listings_name_items_and_parties(as_user):
    eye = as_user("eye")
    items = ok("--lang", "zh", "progress", "items", eye)
    assert "Z1 环太湖战略协同区  [zone] 无锡市 + 苏州市" in items
    status = ok("--lang", "zh", "progress", "status", eye, "--party", "320500")
    assert "Z2 淀山湖" in status and "S1 " not in status and "苏州市" in status
    assert ok("progress", "status", eye, "--depth", 2).count("\n") < 30
    reports = ok_json("progress", "list", eye, "--party", "320500")
    assert {r["period"] for r in reports} >= {"2025-02"}
    as_of = ok_json("progress", "status", eye, "--as-of", "2025-01")
    assert as_of["period"] == "2025-01" and as_of["items"]["Z2.strategy.3"]["reported"] is False
    refused(("progress", "status", eye, "--party", "999999"), 1, "neither leads nor joins any")
    refused(("progress", "timeline", eye, "Z9"), 1, "no tracked item Z9")


def test_errors_speak_chinese_with_lang_zh(as_user):
    err = refused(("progress", "report", as_user("sz"), "--period", "2099-01", *SZ_LINE), 2,
                  "coplan: 错误：", lang="zh")
    assert "2099-01" in err


def test_a_report_from_a_table_and_its_bad_rows(as_user, tmp_path):
    sz = as_user("sz")
    good = tmp_path / "good.csv"
    good.write_text("事项编号,完成百分比,状态,进展说明\nZ2.strategy.4,45,按计划推进,古镇保护规划编制中\n",
                    encoding="utf-8-sig")
    assert "1 line(s)" in ok("progress", "report", sz, "--period", "2025-05", "--from", good)
    bad = tmp_path / "bad.csv"
    bad.write_text("item,percent,status\nZ2.strategy.4,120,on_track\nZ9.x,10,on_track\n",
                   encoding="utf-8")
    err = refused(("progress", "report", sz, "--period", "2025-05", "--from", bad), 2,
                  "bad.csv: 2 bad rows")
    assert "Z9.x" in err
    refused(("progress", "report", sz, "--period", "2025-05", "--from", good, *SZ_LINE), 2,
            "not both")


def test_progress_documents_are_written(as_user, tmp_path):
    eye = as_user("eye")
    ok("progress", "pdf", eye, "--period", "2025-02", "--out", tmp_path / "p.pdf")
    ok("progress", "xlsx", eye, "--period", "2025-02", "--party", "320500", "--out",
       tmp_path / "p.xlsx")
    assert (tmp_path / "p.pdf").read_bytes()[:4] == b"%PDF"
    assert (tmp_path / "p.xlsx").read_bytes()[:2] == b"PK"


def test_open_conflicts_become_issues_once(as_user):
    from app.analysis.rules import load_rules
    boss = as_user("boss")
    rule = load_rules().rules[0]
    with Project.open(boss) as project:
        project.db["coplan_conflict_status"].insert_all(
            {"conflict_id": str(uuid7()), "key": f"{rule.id}/a/b", "rule": rule.id,
             "scope": "standard|office", "status": status, "first_seen": "2026-01-01T00:00:00Z",
             "last_seen": "2026-01-01T00:00:00Z"} for status in ("open", "accepted"))
    out = ok("issue", "open", boss, "--from-check")
    assert "1 issue(s) queued" in out and rule.name_zh in out
    refused(("issue", "open", boss, "--from-check"), 1, "no open conflict without an issue")
    ok("progress", "sync", boss)
    raised = [i for i in ok_json("issue", "list", boss) if i["source"]["kind"] == "check"]
    assert len(raised) == 1 and raised[0]["level"] == 1


def test_evidence_files_go_with_the_report(as_user, tmp_path):
    sz = as_user("sz")
    scan = tmp_path / "批复.pdf"
    scan.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    ok("progress", "report", sz, "--period", "2025-06", "--item", "Z2.strategy.4", "--percent",
       10, "--status", "on_track", "--evidence", scan)
    assert "; 0 refused" in ok("progress", "sync", sz)
    [report] = ok_json("progress", "list", sz, "--period", "2025-06")
    assert len(report["lines"][0]["attachments"]) == 1


def test_an_issue_escalated_by_hand_and_kept_by_a_memo(as_user):
    sz = as_user("sz")
    ok("issue", "open", sz, "--title-zh", "嘉善片区跨界河道整治资金缺口", "--due", "2025-03-31")
    ok("progress", "sync", sz)
    boss = as_user("boss")
    ok("progress", "sync", boss)
    [issue] = [i for i in ok_json("issue", "list", boss) if i["title_zh"].startswith("嘉善")]
    short = issue["id"][:13]
    for level in (2, 3):
        assert f"to L{level} " in ok("issue", "escalate", boss, short, "--reason", "unresolved")
    refused(("issue", "escalate", boss, short, "--reason", "unresolved"), 1, "top level")
    day = "2025-04-20"
    planned = ok("meeting", "plan", boss, "--level", 3, "--date", day, "--title-zh", "领导小组会议",
                 "--agenda", short, "--attendee", "office")
    assert "1 attendee(s), 1 issue(s) on the agenda" in planned
    refused(("meeting", "memo", boss, day, "--number", "沪都协纪〔2025〕1号", "--keep",
             "ffffffff-ffff"), 1, "no agenda issue ffffffff-ffff")
    out = ok("meeting", "memo", boss, day, "--number", "沪都协纪〔2025〕1号", "--keep", short,
             "--due", "2025-06-30")
    assert "now open L3" in out
    kept = [i for i in ok_json("issue", "list", boss) if i["id"] == issue["id"]][0]
    assert kept["due"] == "2025-06-30" and kept["history"][-1]["action"] == "kept"
    refused(("meeting", "memo", boss, day, "--number", "2"), 1, "already has memo")
    shown = ok("meeting", "show", boss, day)
    assert "keep" in shown and "沪都协纪〔2025〕1号" in shown


def test_an_issue_from_a_comment_takes_its_words(as_user):
    sz = as_user("sz")
    cid = str(uuid7())
    view = {"comment": {"id": cid, "round": 1, "party": "330400",
                        "body": {"zh": "建议明确淀山湖岸线生态修复的牵头单位和完成时限。"}},
            "status": "published"}
    with Project.open(sz) as project:
        project.db.execute("INSERT INTO coplan_review_comments VALUES (?, 1, '330400', "
                           "'published', ?, '2026-01-01T00:00:00Z')",
                           (cid, json.dumps(view, ensure_ascii=False)))
    assert "建议明确淀山湖岸线" in ok("issue", "open", sz, "--from-comment", cid[:13],
                                 "--due", "2025-07-01")
    refused(("issue", "open", sz, "--from-comment", "ffffffff", "--due", "2025-07-01"), 1,
            "no comment ffffffff")
    ok("progress", "sync", sz)
    [found] = [i for i in ok_json("issue", "list", sz) if i["source"]["kind"] == "comment"]
    assert found["source"]["ref"] == cid and found["title_zh"].startswith("建议明确")
