"""A two-round comment process over a real `coplan serve`, driven only through the `coplan`
command: 3 cities, an expert, a department, a province and the coordinator, each with its own
login and local copy. No raw HTTP: every step is a `main([...])` call, as a user would type it."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys

import pytest
import shapely

from app.cli import main
from app.project import features as F
from app.project.project import Project
from tests.servers import Server

PROJECT = "metro"
FUTURE, PAST = "2999-12-31", "2000-01-01"
USERS = {  # user: (party, party name, party type, role)
    "boss": ("office", "协同办公室", "office", "coordinator"),
    "sz": ("320500", "苏州市", "city", "editor"),
    "sh": ("310000", "上海市", "city", "editor"),
    "jx": ("330400", "嘉兴市", "city", "reviewer"),
    "zj": ("experts", "专家委", "expert", "reviewer"),
    "jtw": ("310000-JTW", "上海市交通委", "department", "editor"),
    "zjs": ("330000", "浙江省自然资源厅", "province", "reviewer"),
}
PORTS = "加强区域港口协作与联动，推动上海港、宁波舟山港、苏州港分工协作，共建世界级港口群。"
PORTS_2 = ("坚持陆海统筹。加强区域港口协作与联动，推动上海港、宁波舟山港、苏州港分工协作，"
           "明确2025年前完成分工方案，共建世界级港口群。")
LAKE = "推进环太湖科创圈建设，共建绿色湖区。"


class Cli:
    """`coplan` as each user runs it: their own credentials file, stdin and captured output."""

    def __init__(self, tmp_path, capsys, monkeypatch):
        self.tmp, self.capsys, self.monkeypatch = tmp_path, capsys, monkeypatch

    def __call__(self, user: str | None, *argv, stdin: str | None = None, ok: bool = True):
        if user:
            self.monkeypatch.setenv("COPLAN_CREDENTIALS", str(self.tmp / f"cred-{user}.json"))
        if stdin is not None:
            self.monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main([str(a) for a in argv])
        captured = self.capsys.readouterr()
        if ok:
            assert code == 0, captured.err
        return code, captured.out, captured.err

    def copy(self, user: str):
        return self.tmp / f"{user}.sqlite"


@pytest.fixture
def server(tmp_path, capsys, monkeypatch):
    cli = Cli(tmp_path, capsys, monkeypatch)
    admin = ["admin", "--store", tmp_path / "srv"]
    cli(None, *admin, "create-project", PROJECT, "--name", "上海大都市圈")
    for user, (party, name, kind, role) in USERS.items():
        cli(None, *admin, "add-party", PROJECT, party, "--name", name, "--type", kind)
        cli(None, *admin, "add-user", user, "--password-stdin", stdin=f"pw-{user}\n")
        cli(None, *admin, "grant", PROJECT, user, "--party", party, "--role", role)
    srv = Server(tmp_path / "srv")
    srv.start()
    yield srv, cli
    srv.stop()


def set_text(cli, sections: dict[str, str]) -> None:
    """The coordinator writes the plan's text in their copy (coplan content export/import)."""
    path = cli.tmp / "content.json"
    cli("boss", "content", "export", cli.copy("boss"), path)
    data = json.loads(path.read_text(encoding="utf-8"))

    def fill(nodes):
        for node in nodes:
            node["body_zh"] = sections.get(node["id"], node.get("body_zh", ""))
            fill(node.get("children", []))
    fill(data["sections"])
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    cli("boss", "content", "import", cli.copy("boss"), path)


def short_ids(out: str) -> list[str]:
    return re.findall(r"comment ([0-9a-f-]{36})", out)


def comments(cli, *argv) -> dict[str, str]:
    """`round comments` of the coordinator: short id -> its line."""
    _, out, _ = cli("boss", "round", "comments", cli.copy("boss"), *argv)
    return {line.split()[0]: line for line in out.splitlines()[:-1]}


def test_two_rounds_through_the_cli(server, tmp_path):
    srv, cli = server
    for user in USERS:
        cli(user, "login", srv.url, "--user", user, "--password-stdin", stdin=f"pw-{user}\n")
        if user == "zjs":  # the province clones after Suzhou has drawn its red line
            feature = draw_red_line(cli)
        cli(user, "clone", srv.url, PROJECT, cli.copy(user))
    ids = round_one(cli, feature)
    round_two(cli, ids, feature)
    records(cli, tmp_path)


def draw_red_line(cli) -> str:
    with Project.open(cli.copy("sz")) as sz:
        f = F.add_feature(sz, "STBHHX", {"BSM": "HX-01", "XZQDM": "320500", "XZQMC": "苏州市"},
                          shapely.box(120.5, 31.1, 120.6, 31.2))
    cli("sz", "commit", cli.copy("sz"), "-m", "红线 HX-01")
    cli("sz", "sync", cli.copy("sz"))
    return f.uuid


def open_round(cli, number: int, title: str, invited: dict[str, str]) -> str:
    """Open, freeze, invite and issue a round; what the freeze said."""
    boss = cli.copy("boss")
    cli("boss", "round", "open", boss, number, "--title-zh", title, "--team",
        "S1=310000-JTW,320500", "--team", "Z1=320500", "--due", FUTURE)
    _, frozen, _ = cli("boss", "round", "freeze", boss, number, "--from-project")
    assert f"froze round {number}" in frozen
    for party, due in invited.items():
        cli("boss", "round", "invite", boss, number, party, "--due", due)
    for stage in ("issued", "collecting"):
        _, out, _ = cli("boss", "round", "next", boss, number)
        assert f"now {stage}" in out
    return frozen


def comment(cli, user: str, number: int, text: str, *anchor, send: bool = True) -> str:
    _, out, _ = cli(user, "comment", cli.copy(user), "--round", number, "--text", text, *anchor)
    [cid] = short_ids(out)
    if send:
        _, out, _ = cli(user, "review-sync", cli.copy(user))
        assert "sent 1 item(s); 0 refused" in out
    return cid


def round_one(cli, feature: str) -> dict[str, str]:
    boss = cli.copy("boss")
    cli("boss", "content", "init", boss)
    set_text(cli, {"S1.action.1": PORTS, "Z1.strategy.2": LAKE})
    open_round(cli, 1, "第一轮书面征询", {"320500": FUTURE, "310000": FUTURE, "experts": FUTURE,
                                          "310000-JTW": FUTURE, "330000": FUTURE, "330400": PAST})
    ids = {"sz": comment(cli, "sz", 1, "建议进一步明确上海港、宁波舟山港与苏州港的分工协作机制。",
                         "--quote", "分工协作"),
           "sh": comment(cli, "sh", 1, "建议进一步明确上海港、宁波舟山港、苏州港分工协作的机制。",
                         "--quote", "分工协作", "--section", "S1.action.1")}
    # "港口" occurs twice: the expert is shown both places and picks one.
    code, out, err = cli("zj", "comment", cli.copy("zj"), "--round", 1, "--text", "x",
                         "--quote", "港口", ok=False)
    assert code != 0 and "--occurrence" in err and err.count("\n") == 1
    assert "1. S1.action.1 @4" in out and "2. S1.action.1 @" in out and "[港口]群" in out
    ids["zj"] = comment(cli, "zj", 1, "港口群建设应统筹岸线资源保护。", "--quote", "港口",
                        "--occurrence", "2")
    ids["zjs"] = comment(cli, "zjs", 1, "该生态保护红线范围与省级划定成果不一致，建议核对。",
                         "--feature", f"STBHHX/{feature}")
    _, out, _ = cli("jtw", "round", "no-comment", cli.copy("jtw"), 1)
    assert "no comment on round 1: sent" in out
    invitations_and_reminder(cli)
    ids["jx"] = comment(cli, "jx", 1, "建议补充嘉兴科技城。", "--quote", "环太湖科创圈")
    _, out, _ = cli("boss", "round", "status", boss, 1)
    assert re.search(r"330400 .* submitted .* late", out), out
    assert "no_comment" in out and "6 invitation(s)" in out
    triage_and_answer(cli, ids)
    confirmations(cli, ids)
    return ids


def invitations_and_reminder(cli) -> None:
    boss = cli.copy("boss")
    _, out, _ = cli("boss", "round", "overdue", boss, 1)
    assert "330400" in out and "1 invitation(s) overdue" in out
    _, out, _ = cli("boss", "round", "remind", boss, 1, "330400", "--note", "请尽快反馈")
    assert "reminded 1 party(ies) of round 1: 330400" in out
    _, out, _ = cli("boss", "round", "status", boss, 1)
    assert re.search(r"330400 .* overdue .*Beijing time", out), out


def triage_and_answer(cli, ids: dict[str, str]) -> None:
    boss, short = cli.copy("boss"), {k: v[:13] for k, v in ids.items()}
    cli("boss", "round", "next", boss, 1)  # triage
    _, out, _ = cli("boss", "round", "suggest", boss, 1)
    assert "1 suggested group(s)" in out and short["sz"] in out and short["sh"] in out
    _, out, _ = cli("boss", "round", "group", boss, "--accept", 1)
    assert "grouped 2 comments as duplicate" in out
    cli("boss", "round", "assign", boss, "S1", short["sz"], short["sh"], short["zj"])
    cli("boss", "round", "assign", boss, "Z1", short["jx"], short["zjs"])
    changeset = json.loads(cli("sz", "log", cli.copy("sz"), "--json")[1])[0]["id"]
    # Suzhou drafts S1 too: recommending on its own comment is flagged.
    _, out, _ = cli("sz", "round", "recommend", cli.copy("sz"), short["sz"], short["sh"],
                    "--disposition", "adopted", "--answer-zh", "采纳", "--changeset", changeset)
    assert "recommended adopted" in out and "flagged: 1 comment(s)" in out
    code, _, err = cli("sz", "round", "decide", cli.copy("sz"), short["sz"], "--disposition",
                       "adopted", "--answer-zh", "采纳", ok=False)
    assert code != 0 and err.count("\n") == 1  # a drafting team recommends, it does not decide
    cli("jtw", "round", "recommend", cli.copy("jtw"), short["zj"], "--disposition", "not_adopted",
        "--reason", "beyond_remit", "--answer-zh", "岸线保护由专项规划落实。")
    decide = ["boss", "round", "decide", boss]
    cli(*decide, short["sz"], short["sh"], "--disposition", "adopted", "--answer-zh",
        "采纳，已明确三港分工。", "--changeset", changeset)
    cli(*decide, short["zj"], "--disposition", "not_adopted", "--reason", "beyond_remit",
        "--answer-zh", "岸线保护由专项规划落实。")
    cli(*decide, short["zjs"], "--disposition", "noted", "--answer-zh", "已转自然资源部门核对。")
    cli(*decide, short["jx"], "--disposition", "partially_adopted", "--answer-zh",
        "部分采纳，纳入科创圈节点。", "--changeset", changeset)
    cli("boss", "round", "next", boss, 1)  # responding
    _, out, _ = cli("boss", "round", "publish", boss, 1)
    assert "published 5 answer(s) of round 1" in out


def confirmations(cli, ids: dict[str, str]) -> None:
    _, out, _ = cli("sz", "round", "answers", cli.copy("sz"))
    assert "采纳 (adopted)" in out and "采纳，已明确三港分工。" in out and "change set" in out
    assert "1 answer(s); 0 comment(s) not answered yet" in out
    _, out, _ = cli("sz", "round", "confirm", cli.copy("sz"), ids["sz"][:13], "--not-satisfied",
                    "--note", "未明确分工时限")
    assert "not satisfied with the answer" in out and out.strip().endswith("sent")
    _, out, _ = cli("zj", "round", "confirm", cli.copy("zj"), ids["zj"][:10], "--satisfied")
    assert "sent" in out
    _, out, _ = cli("sz", "round", "history", cli.copy("sz"), ids["sz"][:13])
    assert "not satisfied 未明确分工时限" in out and "now reopened" in out
    assert "recommend" not in out  # a party never sees the drafting team's recommendation
    lines = comments(cli, "--round", "1")
    assert "reopened" in lines[ids["sz"][:13]] and "satisfied" in lines[ids["zj"][:13]]
    assert "late" in lines[ids["jx"][:13]]


def round_two(cli, ids: dict[str, str], feature: str) -> None:
    boss = cli.copy("boss")
    cli("boss", "round", "next", boss, 1)  # published; its answers may still change
    set_text(cli, {"S1.action.1": PORTS_2})
    with Project.open(cli.copy("sz")) as sz:  # Suzhou redraws the red line the province cited
        F.update_feature(sz, "STBHHX", feature, geom=shapely.box(120.5, 31.1, 120.65, 31.2))
    cli("sz", "commit", cli.copy("sz"), "-m", "红线 HX-01 调整")
    cli("sz", "sync", cli.copy("sz"))
    frozen = open_round(cli, 2, "第二轮书面征询", {"320500": FUTURE, "experts": FUTURE})
    assert re.search(r"anchors of earlier comments: .*\d+ moved", frozen), frozen
    lines = comments(cli, "--round", "1")
    # The quotes of S1.action.1 moved in the revised text; the lake's did not.
    assert "anchor~" in lines[ids["sz"][:13]] and "anchor" not in lines[ids["jx"][:13]]
    assert "anchor~" in lines[ids["zjs"][:13]]  # the feature changed since: marked moved
    _, out, _ = cli("sz", "round", "history", cli.copy("sz"), ids["sz"][:13])
    assert re.search(r"anchor\.migrate +boss +anchor moved", out), out
    new = comment(cli, "sz", 2, "时限可行，建议补充考核机制。", "--quote", "明确2025年前完成分工方案")
    cli("zj", "round", "no-comment", cli.copy("zj"), 2)
    for _ in ("triage", "responding"):
        cli("boss", "round", "next", boss, 2)
    cli("boss", "round", "decide", boss, ids["sz"][:13], "--disposition", "adopted",
        "--answer-zh", "已在第二轮文本中明确分工时限。", "--text-revision", "S1.action.1@2",
        "--memo", "第二次协调会纪要")
    cli("boss", "round", "decide", boss, new[:13], "--disposition", "adopted", "--answer-zh",
        "采纳，考核机制纳入实施评估。", "--text-revision", "S1.action.1@2")
    assert "published 1 answer(s)" in cli("boss", "round", "publish", boss, 1)[1]
    assert "published 1 answer(s)" in cli("boss", "round", "publish", boss, 2)[1]
    _, out, _ = cli("sz", "round", "answers", cli.copy("sz"))
    assert "已在第二轮文本中明确分工时限。" in out and "section S1.action.1 revised" in out
    for cid in (ids["sz"], new):
        cli("sz", "round", "confirm", cli.copy("sz"), cid[:13], "--satisfied")
    lines = comments(cli, "--status", "satisfied")
    assert set(lines) == {ids["sz"][:13], ids["zj"][:13], new[:13]}


def records(cli, tmp_path) -> None:
    boss, log = cli.copy("boss"), tmp_path / "events.jsonl"
    _, out, _ = cli("boss", "round", "log", boss, "--out", log)
    assert re.search(r"wrote \d+ event\(s\)", out) and log.stat().st_size > 0
    _, out, _ = cli(None, "ledger", log, "--json", "--xlsx", tmp_path / "ledger.xlsx")
    ledger = json.loads(out)
    assert ledger["total"]["comments"] == 6 and ledger["total"]["satisfied"] == 3
    assert ledger["total"]["dispositions"]["adopted"] == 3
    assert ledger["total"]["dispositions"]["partially_adopted"] == 1
    # Authors are the logged-in users, as the server recorded them (not the OS login).
    assert {(r["party"], r["author"]) for r in ledger["rows"]} == {
        (party, user) for user, (party, *_) in USERS.items() if user not in ("boss", "jtw")}
    assert [r["late"] for r in ledger["rows"] if r["party"] == "330400"] == [True]
    assert (tmp_path / "ledger.xlsx").stat().st_size > 0
    cli(None, "handling-report", log, "--out", tmp_path / "reports")
    pdfs = sorted(p.name for p in (tmp_path / "reports").glob("*.pdf"))
    assert pdfs == ["party-310000-zh.pdf", "party-320500-zh.pdf", "party-330000-zh.pdf",
                    "party-330400-zh.pdf", "party-experts-zh.pdf", "summary-zh.pdf"]
    summary = pdf_text(tmp_path / "reports" / "summary-zh.pdf")
    assert "6条" in summary and "80.0%" in summary and "上海市交通委" in summary
    province = pdf_text(tmp_path / "reports" / "party-330000-zh.pdf")
    assert "HX-01" in province and "STBHHX" not in province  # the feature by its label
    _, out, _ = cli("boss", "round", "report", boss, "--out", tmp_path / "suzhou", "--party",
                    "320500")
    [party_pdf] = (tmp_path / "suzhou").glob("*.pdf")
    text = pdf_text(party_pdf)
    assert "已在第二轮文本中明确分工时限" in text and "分工协作" in text
    assert "未明确分工时限" in text  # the first answer's "not satisfied" note, kept


def pdf_text(path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return re.sub(r"\s+", "", text)
