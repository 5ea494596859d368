"""The coordinator runs a comment round from the desktop's round manager against a real
`coplan serve`: open the round, freeze the plan text, invite two parties with a due date, issue,
collect (the parties comment over the API), remind, triage (accept a suggested duplicate group,
assign, see a team's own-party recommendation marked), decide, publish, export the event log and
write the handling reports. The server's state is checked after each step; no I/O runs on the GUI
thread."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt

from app.content.anchors import section_texts
from app.errors import InvalidInput
from app.model.ids import uuid7
from app.project.project import Project
from app.review.client import ReviewRemote
from app.review.state import fold
from app.sync.client import Remote
from app.sync.credentials import save_token
from app.views import dialogs, round_manager
from app.views.round_triage import GROUP, RECOMMENDATION
from tests.reports.conftest import mini_template_project  # noqa: F401 - a fixture
from tests.views.conftest import PROJECT, office_copy, open_and_wait, serve_project
from tests.views.test_end_to_end import GuiThreadGuard

TIMEOUT = 30_000
SECTION = "Z1.strategy.1"
PARTIES = [("office", "协同办公室", "office"), ("310000", "上海市", "city"),
           ("320500", "苏州市", "city"), ("330400", "嘉兴市", "city")]
USERS = [("boss", "office", "coordinator"), ("sz", "320500", "editor"), ("jx", "330400", "editor")]


class Clients:
    """The server's other users, on a thread of their own (the test's thread is the GUI's)."""

    def __init__(self, url: str, tokens: dict) -> None:
        self.pool = ThreadPoolExecutor(1)
        self.api = {u: ReviewRemote(Remote(url, t, retries=1, backoff=0.05), PROJECT) for u, t in tokens.items()}

    def run(self, user: str, fn):
        return self.pool.submit(lambda: fn(self.api[user])).result(timeout=60)

    def state(self):
        return fold(self.run("boss", lambda api: api.events()))


@pytest.fixture
def server(tmp_path):
    srv, tokens = serve_project(tmp_path / "server", PARTIES, USERS)
    srv.clients = Clients(srv.url, tokens)
    save_token(srv.url, tokens["boss"])  # the desktop works as the coordinator
    yield srv
    srv.clients.pool.shutdown()
    srv.stop()


@pytest.fixture
def office_path(mini_template_project, server, tmp_path):  # noqa: F811 - the imported fixture
    path = office_copy(mini_template_project, tmp_path, server.url)
    with Project.open(path) as project:
        sections = section_texts(project.db, "zh")
    return path, sections


@pytest.fixture
def answers(monkeypatch):
    """Every confirmation is answered yes; the questions asked are kept."""
    asked: list[str] = []

    def answer(kind, parent, text):
        asked.append(text)  # errors too: what the user would read
        return "yes" if kind == "confirm" else "ok"
    monkeypatch.setattr(dialogs, "answer", answer)
    return asked


def step(qtbot, rounds, click, name: str):
    """Click, wait for step `name` and the rounds read again after it; the step's result."""
    with qtbot.waitSignal(rounds.shown, timeout=TIMEOUT):
        with qtbot.waitSignal(rounds.finished, timeout=TIMEOUT,
                              check_params_cb=lambda n, _r: n == name) as blocker:
            click()
    assert not isinstance(blocker.args[1], Exception), blocker.args[1]
    return blocker.args[1]


def comment(party: str, text: str, sections: dict) -> dict:
    quote = sections[SECTION][:6]
    return {"format": "coplan.comment/v1", "id": uuid7(), "round": 1, "party": party,
            "author": "经办人", "channel": "app", "written": "2026-03-02T09:15:00Z",
            "body": {"zh": text}, "anchors": [{"type": "clause", "section": SECTION, "quote": quote,
                                               "position": 0}]}


def open_manager(qtbot, window, path):
    with qtbot.waitSignal(window.review.data_shown, timeout=TIMEOUT):
        open_and_wait(qtbot, window, path)
    window.actions_by_name["round_manager"].trigger()
    rounds = window.review.round_manager
    qtbot.waitUntil(lambda: rounds.panel.view is not None, timeout=TIMEOUT)
    return rounds


def new_round(qtbot, rounds, due: QDate, number: int = 1) -> None:
    rounds.panel.new_button.click()
    dialog = rounds.new_dialog
    assert dialog.number.value() == number
    dialog.title_zh.setText("第一轮书面征询")
    dialog.title_en.setText("First written consultation")
    dialog.visibility.setCurrentIndex(dialog.visibility.findData("parties"))
    dialog.due.setDate(due)
    z1 = [dialog.teams.item(r, 0).text() for r in range(dialog.teams.rowCount())].index("Z1")
    dialog.teams.item(z1, 1).setText("320500")
    step(qtbot, rounds, dialog.buttons.accepted.emit, "open")
    assert not dialog.isVisible()


def test_coordinator_runs_a_round(qtbot, window, server, office_path, answers, tmp_path, monkeypatch):
    path, sections = office_path
    clients = server.clients
    rounds = open_manager(qtbot, window, path)
    guard = GuiThreadGuard(monkeypatch)
    panel = rounds.panel
    due = QDate.currentDate().addDays(-1)  # already past: the comment is late, the silent party overdue

    new_round(qtbot, rounds, due)
    r = clients.state().rounds[1]
    assert (r.title["zh"], r.visibility, r.due, r.teams) == (
        "第一轮书面征询", "parties", due.toString("yyyy-MM-dd"), {"Z1": ["320500"]})
    assert panel.freeze_button.isVisible() and not panel.stage_buttons

    step(qtbot, rounds, panel.freeze_button.click, "freeze")
    assert f"{len(sections)} " in answers[-1]  # "(16 sections)" or "（16 个章节）"
    assert clients.state().rounds[1].stage == "frozen"
    assert list(panel.stage_buttons) == ["issued"] and not panel.freeze_button.isVisible()

    tab = panel.invitations
    with qtbot.waitSignal(rounds.finished, timeout=TIMEOUT) as blocker:
        tab.invite_button.click()  # nobody chosen: refused before the server is asked
    assert blocker.args[0] == "invite" and isinstance(blocker.args[1], InvalidInput)
    assert "至少选择一个受邀单位" in answers[-1] or "at least one party" in answers[-1]  # the UI language
    tab.check_parties(["320500", "330400"])
    tab.due.setDate(due)
    step(qtbot, rounds, tab.invite_button.click, "invite")
    invitations = clients.state().rounds[1].invitations
    assert sorted(invitations) == ["320500", "330400"]
    assert {i.due for i in invitations.values()} == {due.toString("yyyy-MM-dd")}
    assert tab.table.rowCount() == 2 and tab.parties.count() == 2  # office and Shanghai left

    step(qtbot, rounds, panel.stage_buttons["issued"].click, "advance")
    assert "A round never moves back" in answers[-1] or "不能回退" in answers[-1]
    step(qtbot, rounds, panel.stage_buttons["collecting"].click, "advance")
    assert clients.state().rounds[1].stage == "collecting"

    clients.run("sz", lambda api: api.submit(comment("320500", "建议补充太湖科学城的建设内容。", sections)))
    refresh(qtbot, rounds)
    rows = {i["party"]: i for i in panel.view.detail["invitations"]}
    assert rows["320500"]["response"] == "submitted" and rows["320500"]["late"]
    assert rows["330400"]["response"] == "none" and rows["330400"]["overdue"]
    assert "北京时间" in tab.table.item(0, 4).text()

    tab.note.setText("请于本周内反馈意见。")
    step(qtbot, rounds, tab.remind_button.click, "remind")
    assert list(clients.state().rounds[1].reminders) == ["330400"]
    [reminder] = [e for e in clients.run("boss", lambda api: api.events()) if e.kind == "remind"]
    assert reminder.data["note"] == "请于本周内反馈意见。"
    assert tab.table.item(1, 7).text().startswith("1 (")

    clients.run("jx", lambda api: api.submit(comment("330400", "建议补充太湖科学城建设内容。", sections)))
    refresh(qtbot, rounds)
    step(qtbot, rounds, panel.stage_buttons["triage"].click, "advance")

    triage = panel.triage
    assert triage.suggestions.count() == 1 and triage.table.rowCount() == 2
    triage.edit_button.click()  # the suggestion's members are selected, to be changed by hand
    assert sorted(triage.selected_ids()) == sorted(triage.suggestions.item(0).data(Qt.ItemDataRole.UserRole))
    step(qtbot, rounds, triage.accept_button.click, "group")
    assert [triage.table.item(r, GROUP).text() for r in range(2)] == ["G1", "G1"]
    state = clients.state()
    assert len(state.groups) == 1 and len(next(iter(state.groups.values())).members) == 2

    triage.select_ids([c["id"] for c in panel.view.comments])
    triage.deliverable.setCurrentIndex(triage.deliverable.findData("Z1"))
    step(qtbot, rounds, triage.assign_button.click, "assign")
    assert {c.deliverable for c in clients.state().comments.values()} == {"Z1"}

    own = next(c["id"] for c in panel.view.comments if c["party"] == "320500")
    clients.run("sz", lambda api: api.recommend([own], "noted", answer={"zh": "已知悉。"}))
    refresh(qtbot, rounds)
    row = next(c for c in panel.view.comments if c["id"] == own)
    assert row["own_party"] and row["recommendation"] == "noted"
    index = [c["id"] for c in panel.view.comments].index(own)
    assert "⚠" in triage.table.item(index, RECOMMENDATION).text()

    triage.select_ids([c["id"] for c in panel.view.comments])
    editor = triage.editor
    editor.disposition.setCurrentIndex(editor.disposition.findData("not_adopted"))
    editor.reason.setCurrentIndex(editor.reason.findData("beyond_remit"))
    editor.answer.setPlainText("超出本规划事权，由下位规划研究。")
    step(qtbot, rounds, editor.decide_button.click, "decide")
    assert {c.decision.disposition for c in clients.state().comments.values()} == {"not_adopted"}

    step(qtbot, rounds, panel.stage_buttons["responding"].click, "advance")
    assert panel.records.publish_button.isEnabled()
    step(qtbot, rounds, panel.records.publish_button.click, "publish")
    assert {c.status for c in clients.state().comments.values()} == {"answered"}
    step(qtbot, rounds, panel.stage_buttons["published"].click, "advance")
    assert list(panel.stage_buttons) == ["revising", "final"]  # only the allowed next stages
    assert panel.records.stages.text().count("北京时间") == 7  # draft … published, each with its time
    assert not panel.records.publish_button.isEnabled()  # nothing left to publish

    log, folder = tmp_path / "out" / "events.jsonl", tmp_path / "reports"
    log.parent.mkdir()
    monkeypatch.setattr(round_manager, "choose_save_path", lambda *a: str(log))
    monkeypatch.setattr(round_manager, "choose_folder", lambda *a: str(folder))
    step(qtbot, rounds, panel.records.export_button.click, "export")
    assert len(log.read_text(encoding="utf-8").splitlines()) == clients.state().count
    written = step(qtbot, rounds, panel.records.reports_button.click, "reports")
    assert sorted(Path(p).name for p in written) == ["party-320500-zh.pdf", "party-330400-zh.pdf",
                                                    "summary-zh.pdf"]
    assert all(Path(p).stat().st_size > 0 for p in written)

    step(qtbot, rounds, panel.stage_buttons["revising"].click, "advance")
    new_round(qtbot, rounds, QDate.currentDate().addDays(30), number=2)  # the next round is proposed
    assert [r["number"] for r in panel.view.rounds] == [1, 2] and panel.view.number == 2
    with qtbot.waitSignal(rounds.shown, timeout=TIMEOUT):
        panel.rounds.cellClicked.emit(0, 0)  # back to round 1
    assert panel.view.number == 1 and panel.triage.table.rowCount() == 2
    assert guard.calls == [], f"I/O on the GUI thread: {guard.calls}"


def refresh(qtbot, rounds) -> None:
    with qtbot.waitSignal(rounds.shown, timeout=TIMEOUT):
        rounds.panel.refresh_button.click()


def test_only_coordinators_open_the_manager(qtbot, window, mini_template_project, tmp_path):  # noqa: F811
    path = tmp_path / "city.sqlite"
    shutil.copy(mini_template_project, path)
    with Project.open(path) as project:
        project.set_meta("role", "editor")
    open_and_wait(qtbot, window, path)
    assert window.review.open_round_manager() is None
    assert "协调人" in window.statusBar().currentMessage() or "coordinator" in window.statusBar().currentMessage()
