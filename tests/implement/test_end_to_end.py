"""The acceptance test of co-implement (#16), driven through `coplan` as users drive it, over a
real server on a socket: the coordinator registers the plan's items; a city writes a progress
report offline with an issue raised in a line; sync; review; the roll-up; the issue goes to a
level-1 meeting, overdue, escalated to level 2, closed by a level-2 meeting's memo; memo PDF."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys

import pytest

from app.cli import main
from app.implement.outbox import local_state, pending
from app.implement.periods import beijing_date, due_plus, period_of, today_beijing
from app.model.changes import DATA_SCHEMA_VERSION
from app.project.project import Project
from app.sync.server.store import open_store
from tests.servers import Server

PROJECT = "metro"
# user: (party, party type, role). 320500 (Suzhou) leads zone Z2 and joins Z1 and Z4.
USERS = {"boss": ("office", "office", "coordinator"), "sz": ("320500", "city", "editor"),
         "eye": ("330400", "city", "observer")}
DEAD = "http://127.0.0.1:9"  # nothing listens there: the copy is offline
# Meetings take up the issues raised by their day, and events carry the server's clock: the
# walk happens today, on a report of four months ago whose issues are overdue by now.
TODAY = today_beijing()
PERIOD = period_of(TODAY - dt.timedelta(days=120))
DUE = due_plus(PERIOD, 30)  # a raised issue is due 30 days after the report


def run(*argv) -> tuple[int, str, str]:
    """`coplan ARGV` in-process: (exit code, stdout, stderr); English unless ARGV starts with
    --lang (the locale must not decide what the tests see)."""
    argv = argv if argv[:1] == ("--lang",) else ("--lang", "en", *argv)
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


def ok_json(*argv):
    return json.loads(ok(*argv, "--json"))


def start_site(tmp) -> tuple[Server, dict[str, str]]:
    """A server with the metro project, its parties and users; (server, tokens)."""
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
    return srv, tokens


def clone_all(srv: Server, tokens: dict[str, str], tmp, mp) -> None:
    for user, token in tokens.items():
        mp.setenv("COPLAN_TOKEN", token)
        ok("clone", srv.url, PROJECT, tmp / f"{user}.sqlite")


def point_at(path, url: str) -> str:
    """Point a copy at another server address; returns the one it had."""
    with Project.open(path) as project:
        before = project.meta("remote_url")
        project.set_meta("remote_url", url)
    return before


def state_of(path):
    with Project.open(path) as project:
        return local_state(project)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("implement-e2e")
    srv, tokens = start_site(tmp)
    with pytest.MonkeyPatch.context() as mp:
        clone_all(srv, tokens, tmp, mp)
        yield srv, tokens, tmp
    srv.stop()


def test_offline_report_to_a_closed_issue(site, monkeypatch):
    _, tokens, tmp = site
    boss, sz = tmp / "boss.sqlite", tmp / "sz.sqlite"

    def as_user(user):
        monkeypatch.setenv("COPLAN_TOKEN", tokens[user])

    # The coordinator registers the plan's items; a second run has nothing new to send.
    as_user("boss")
    assert "registered" in ok("progress", "items", boss, "--register")
    assert ok("progress", "items", boss, "--register").startswith("registered 0 ")

    # Suzhou pulls the items, then writes its report with the server out of reach.
    as_user("sz")
    ok("progress", "sync", sz)
    listing = ok("--lang", "zh", "progress", "items", sz)
    assert "Z2 淀山湖战略协同区" in listing and "苏州市" in listing
    url = point_at(sz, DEAD)
    out = ok("progress", "report", sz, "--period", PERIOD,
             "--item", "Z2.strategy.1", "--percent", 60, "--status", "on_track",
             "--note-zh", "创新高地规划已批复", "--issue", "跨界道路征地协调滞后",
             "--item", "Z2.strategy.2", "--percent", 20, "--status", "at_risk")
    assert "queued report" in out and "2 line(s), 1 issue(s)" in out
    with Project.open(sz) as project:
        assert [i["kind"] for i in pending(project)] == ["report"]
    point_at(sz, url)
    assert ok("progress", "sync", sz).startswith("sent 1 item(s); 0 refused")

    # The coordinator sees it waiting, accepts it and weighs zone Z2 three times the others.
    as_user("boss")
    ok("progress", "sync", boss)
    assert "submitted" in ok("progress", "list", boss, "--state", "submitted")
    assert "now accepted" in ok("progress", "review", boss, f"320500/{PERIOD}", "--accept")
    ok("progress", "weights", boss, "zones", "--method", "custom", "--weight", "Z2=3")

    # The roll-up: strategy → zone Z2 → the zones part → the plan, by the weights.
    state = state_of(boss)
    z2_children = [c.id for c in state.children("Z2")]
    zones = [c.id for c in state.children("zones")]
    parts = [c.id for c in state.children("plan")]
    z2 = (60 + 20) / len(z2_children)
    part = 3 * z2 / (3 + len(zones) - 1)
    plan = part / len(parts)
    nodes = ok_json("progress", "status", boss)["items"]
    assert nodes["Z2.strategy.1"]["percent"] == pytest.approx(60)
    assert nodes["Z2"]["percent"] == pytest.approx(z2)
    assert nodes["zones"]["percent"] == pytest.approx(part)
    assert nodes["plan"]["percent"] == pytest.approx(plan)
    text = ok("progress", "status", boss, "--party", "320500")
    assert f"{z2:5.1f}%" in next(line for line in text.splitlines() if "Z2 " in line)
    assert f"{plan:5.1f}%" in text.splitlines()[0]
    assert "60.0%" in ok("progress", "timeline", boss, "Z2.strategy.1")
    assert f"{z2:5.1f}%  " in ok("progress", "timeline", boss, "Z2")  # a roll-up has no report

    # The raised issue is on the list, owned by Suzhou; a level-1 meeting takes it up.
    [issue] = ok_json("issue", "list", boss, "--open")
    assert issue["title_zh"] == "跨界道路征地协调滞后" and issue["owner"] == "320500"
    assert issue["level"] == 1 and issue["due"] == DUE
    # A meeting takes up the issues raised by its day: hold them on the (Beijing) day the issue
    # was raised, which may be after TODAY when the walk crosses midnight in Beijing.
    day1 = beijing_date(issue["history"][0]["at"])
    day2 = day1 + dt.timedelta(days=1)
    planned = ok("meeting", "plan", boss, "--level", 1, "--date", day1,
                 "--title-zh", "日常推进会", "--agenda", "auto")
    assert "1 issue(s) on the agenda" in planned and "跨界道路征地协调滞后" in planned

    # Past its due date it is escalated to level 2, and a level-2 meeting closes it.
    assert issue["id"][:13] in ok("issue", "list", boss, "--overdue")
    out = ok("issue", "escalate", boss, "--overdue")
    assert "1 issue(s) escalated" in out and "L2" in out
    assert ok("issue", "list", boss, "--level", 1).endswith("0 issue(s)\n")
    planned = ok("meeting", "plan", boss, "--level", 2, "--date", day2,
                 "--title-zh", "部门销项会", "--agenda", "auto")
    assert "跨界道路征地协调滞后" in planned
    memo = ok("meeting", "memo", boss, day2, "--number", "沪都协纪〔2025〕9号",
              "--text-zh", "征地协调已完成，销项。", "--close", issue["id"][:13])
    assert "now closed" in memo

    # Suzhou's copy, after a sync, shows the issue closed by the memo.
    as_user("sz")
    ok("progress", "sync", sz)
    shown = ok("issue", "show", sz, issue["id"][:13])
    assert "closed" in shown and "沪都协纪〔2025〕9号" in shown
    assert str(day2) in ok("meeting", "list", sz)

    # The memo as PDF.
    pdf = tmp / "memo.pdf"
    ok("meeting", "pdf", sz, day2, "--out", pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
