"""A party's comment round in the main window against a real `coplan serve`: comment on words
selected in the plan text (the anchor's position is the selected occurrence's, in the round's
frozen draft, also when the project's text has changed since), review sync, read the published
answer, reply "not satisfied" with a note, see the first answer and the note in the history
after the office answers again; and a second party answers "no comment". Every step is checked
on the server; no I/O runs on the GUI thread.

With COPLAN_SHOTS=<folder> (under xvfb-run) the window is grabbed at 1366×768 in zh and en."""

from __future__ import annotations

import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QDialogButtonBox

from app.content.anchors import section_texts
from app.editing import review_jobs
from app.editing.party_jobs import AnswerItem
from app.project import migrations
from app.project.project import Project
from app.review.client import ReviewRemote
from app.sync.client import Remote
from app.sync.credentials import save_token
from app.sync.server.sqlite_store import SqliteStore
from app.views import dialogs
from app.views.confirm_dialog import ConfirmDialog
from app.views.frozen_text import FrozenTextDialog
from tests.reports.conftest import mini_template_project  # noqa: F401 - a fixture
from tests.servers import Server
from tests.views.conftest import open_and_wait
from tests.views.test_end_to_end import GuiThreadGuard
from tests.views.test_review_session import review_sync, save_comment

PROJECT = "metro"
TIMEOUT = 30_000
QUOTE = "九市组成"  # twice in every section body of the mini project
CHANGED = "Z1.strategy.1"  # frozen with a sentence the parties' copies do not have
SHOTS = os.environ.get("COPLAN_SHOTS")
DUE = "2025-01-06"  # long past: Shanghai's invitation is overdue


@pytest.fixture
def server(tmp_path, mini_template_project):  # noqa: F811 - the imported fixture
    """Round 1 (visible to the parties) frozen on the mini project's text, Shanghai and Suzhou
    invited; `srv.api` is the office's client."""
    store = SqliteStore(tmp_path / "server")
    store.create_project(PROJECT, "上海大都市圈", migrations.SCHEMA_VERSION)
    srv = Server(tmp_path / "server")
    srv.tokens = {}
    for code, name, kind, user, role in (("office", "协同办公室", "office", "boss", "coordinator"),
                                         ("310000", "上海市", "city", "sh", "reviewer"),
                                         ("320500", "苏州市", "city", "sz", "reviewer")):
        store.add_party(PROJECT, code, name, kind)
        store.add_user(user, None)
        store.grant(PROJECT, user, code, role)
        srv.tokens[code] = store.issue_token(user)
    store.close()
    srv.start()
    srv.pool = ThreadPoolExecutor(1)  # the office's client: never on the GUI thread
    srv.api = ReviewRemote(Remote(srv.url, srv.tokens["office"], retries=1, backoff=0.05), PROJECT)
    with Project.open(mini_template_project) as project:
        sections = section_texts(project.db)
    sections[CHANGED] = "本条已修订。" + sections[CHANGED]
    office(srv, lambda a: [a.open_round(1, {"zh": "第1轮征询", "en": "Round 1"}, "parties"),
                           a.freeze(1, sections), a.invite(1, "310000", DUE), a.invite(1, "320500"),
                           a.advance(1, "issued"), a.advance(1, "collecting"),
                           a.remind(1, ["310000"], "请尽快反馈。")])
    srv.sections = sections
    yield srv
    srv.pool.shutdown()
    srv.stop()


def office(server, fn):
    return server.pool.submit(fn, server.api).result(timeout=60)


def party_project(mini: Path, tmp_path: Path, server, party: str) -> Path:
    path = tmp_path / f"{party}.sqlite"
    shutil.copy(mini, path)
    with Project.open(path) as project:
        for key, value in (("party", party), ("role", "reviewer"), ("remote_url", server.url),
                           ("remote_project", PROJECT)):
            project.set_meta(key, value)
    return path


def open_as(qtbot, window, server, path: Path, party: str) -> None:
    """Log in as the party's user and open its project, then a review sync."""
    save_token(server.url, server.tokens[party])
    with qtbot.waitSignal(window.party.party_shown, timeout=TIMEOUT):
        open_and_wait(qtbot, window, path)
    party_sync(qtbot, window)


def party_sync(qtbot, window):
    """A review sync; returns once the Answers view shows its result and the invitations."""
    with qtbot.waitSignal(window.party.invitations_refreshed, timeout=TIMEOUT):
        with qtbot.waitSignal(window.party.party_shown, timeout=TIMEOUT):
            report = review_sync(qtbot, window)
    return report


def second(text: str) -> int:
    return text.index(QUOTE, text.index(QUOTE) + 1)


def checked_clause(qtbot, window, click):
    with qtbot.waitSignal(window.party.clause_checked, timeout=TIMEOUT) as blocker:
        click()
    assert not isinstance(blocker.args[0], Exception), blocker.args[0]
    return blocker.args[0]


def comment_on_selected_words(qtbot, window, server) -> None:
    """The second occurrence, in an unchanged section and in one changed since the freeze."""
    panel = window.content.panel
    window.actions_by_name["plan_text"].trigger()
    assert panel.open_section("Z1.goal")
    document = panel.preview.browser.document()
    panel.preview.browser.setTextCursor(document.find(QUOTE, document.find(QUOTE)))
    check = checked_clause(qtbot, window, panel.preview.comment_button.click)
    assert check.anchor["position"] == second(server.sections["Z1.goal"])
    dialog = window.review.dialog
    assert dialog.anchors == [{"type": "clause", "section": "Z1.goal", "quote": QUOTE,
                               "position": second(panel.draft.values["body_zh"])}]
    dialog.text.setPlainText("建议明确九市范围。")
    save_comment(qtbot, window)

    assert panel.open_section(CHANGED)
    document = panel.preview.browser.document()
    panel.preview.browser.setTextCursor(document.find(QUOTE, document.find(QUOTE)))
    check = checked_clause(qtbot, window, panel.preview.comment_button.click)
    assert check.problem == "differs" and check.anchor is None and window.review.dialog is None \
        or not window.review.dialog.isVisible()
    frozen = window.party.frozen_dialog
    assert frozen.isVisible() and frozen.frozen == server.sections[CHANGED]
    start = second(frozen.frozen)
    cursor = frozen.text.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len(QUOTE), QTextCursor.MoveMode.KeepAnchor)
    frozen.text.setTextCursor(cursor)
    shot(window, "frozen-text", frozen)
    frozen.comment_button.click()
    dialog = window.review.dialog
    assert dialog.anchors == [{"type": "clause", "section": CHANGED, "quote": QUOTE, "position": start}]
    assert start != second(panel.draft.values["body_zh"])  # the frozen text's offset, not the copy's
    dialog.text.setPlainText("修订后的条文请再征询。")
    shot(window, "clause-comment", dialog)
    save_comment(qtbot, window)


def reply_not_satisfied(qtbot, window, comment_id: str) -> None:
    answers = window.party.panel
    window.actions_by_name["answers"].trigger()
    with qtbot.waitSignal(window.party.history_shown, timeout=TIMEOUT):
        answers.select(comment_id)
    assert answers.current.status == "answered" and answers.confirm_button.isEnabled()
    answers.confirm_button.click()
    dialog = window.party.confirm_dialog
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    dialog.not_satisfied.setChecked(True)
    assert not ok.isEnabled()  # a note is required
    dialog.note.setPlainText("请说明事权依据。")
    shot(window, "confirm", dialog)
    with qtbot.waitSignal(window.party.party_shown, timeout=TIMEOUT):
        with qtbot.waitSignal(window.party.sent, timeout=TIMEOUT) as blocker:
            ok.click()
    assert blocker.args[0].sent == 1 and not dialog.isVisible()


def shot(window, name: str, widget=None) -> None:
    """Grab the window (or a dialog) in Chinese, then in English, when COPLAN_SHOTS is set."""
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for code in ("zh", "en"):
        window.set_language(code)
        (widget or window).grab().save(str(Path(SHOTS) / f"{name}-{code}.png"))
    window.set_language("zh")


def test_a_party_comments_replies_and_another_says_no_comment(qtbot, window, server, tmp_path,
                                                               mini_template_project, monkeypatch):  # noqa: F811
    window.resize(1366, 768)
    monkeypatch.setattr(dialogs, "answer", lambda kind, parent, text: "yes")
    shanghai = party_project(mini_template_project, tmp_path, server, "310000")
    suzhou = party_project(mini_template_project, tmp_path, server, "320500")
    guard = GuiThreadGuard(monkeypatch)

    open_as(qtbot, window, server, shanghai, "310000")
    [invitation] = window.party.panel.data.invitations
    assert (invitation.number, invitation.due, invitation.overdue, invitation.reminded) == (1, DUE, True, 1)
    assert DUE in window.party.panel.invitation_label.text()
    window.actions_by_name["answers"].trigger()
    shot(window, "invitation")
    comment_on_selected_words(qtbot, window, server)
    assert party_sync(qtbot, window).sent == 2
    on_server = office(server, lambda a: a.comments(party="310000"))
    anchors = sorted((v["comment"]["anchors"][0]["section"], v["comment"]["anchors"][0]["position"])
                     for v in on_server)
    assert anchors == sorted([("Z1.goal", second(server.sections["Z1.goal"])),
                              (CHANGED, second(server.sections[CHANGED]))])
    first = next(v["comment"]["id"] for v in on_server if v["comment"]["anchors"][0]["section"] == "Z1.goal")

    open_as(qtbot, window, server, suzhou, "320500")
    answers = window.party.panel
    window.actions_by_name["answers"].trigger()
    assert answers.no_comment_button.isVisible() and "1" in answers.no_comment_button.text()
    shot(window, "no-comment")
    with qtbot.waitSignal(window.party.sent, timeout=TIMEOUT) as blocker:
        answers.no_comment_button.click()
    assert blocker.args[0].sent == 1
    events = office(server, lambda a: a.events())
    assert [(e.kind, e.party) for e in events if e.kind == "respond"] == [("respond", "320500")]

    office(server, lambda a: [a.advance(1, "triage"), a.advance(1, "responding"),
                              a.decide([first], "not_adopted", reason="beyond_remit",
                                       answer={"zh": "超出本规划事权。", "en": "Beyond the plan's remit."}),
                              a.publish(1, [first])])
    open_as(qtbot, window, server, shanghai, "310000")
    reply_not_satisfied(qtbot, window, first)
    view = office(server, lambda a: a.comment(first))
    assert view["status"] == "reopened" and view["confirmation"]["note"] == "请说明事权依据。"

    office(server, lambda a: [a.decide([first], "noted", answer={"zh": "已知悉，下一轮研究。",
                                                                 "en": "Noted; studied next round."}),
                              a.publish(1, [first])])
    party_sync(qtbot, window)
    with qtbot.waitSignal(window.party.history_shown, timeout=TIMEOUT) as blocker:
        window.party.panel.select(first)
    history = blocker.args[0]
    assert [(h.kind, h.current) for h in history.entries if h.kind != "comment"] == [
        ("publish", False), ("confirm", False), ("publish", True)]
    shown = window.party.panel.detail.toPlainText()
    assert "请说明事权依据。" in shown and "超出本规划事权。" in shown and "已知悉" in shown
    assert f"“{QUOTE}”" in shown and "Z1.goal" in shown  # the clause as the party wrote it
    assert window.party.panel.current.status == "answered"
    shot(window, "answers")
    assert guard.calls == [], f"I/O on the GUI thread: {guard.calls}"


def test_no_comment_offline_waits_in_the_outbox(qtbot, window, tmp_path, monkeypatch,
                                                mini_template_project):  # noqa: F811
    """No server: the answer is kept in the outbox (for the next review sync), nothing is lost."""
    path = tmp_path / "offline.sqlite"
    shutil.copy(mini_template_project, path)
    with Project.open(path) as project:
        for key, value in (("party", "320500"), ("role", "reviewer"), ("remote_url", "http://127.0.0.1:9"),
                           ("remote_project", PROJECT)):
            project.set_meta(key, value)
        project.set_meta(review_jobs.ROUNDS_META, json.dumps([
            {"number": 1, "title": {"zh": "第1轮征询"}, "stage": "collecting", "due": "2026-04-01",
             "draft_hash": None, "invited": ["310000", "320500"]}]))
    save_token("http://127.0.0.1:9", "token")
    monkeypatch.setattr(review_jobs, "review_api", lambda project: ReviewRemote(
        Remote("http://127.0.0.1:9", "token", retries=0), PROJECT))
    answers = []
    monkeypatch.setattr(dialogs, "answer", lambda kind, parent, text: answers.append(text) or "yes")
    with qtbot.waitSignal(window.party.party_shown, timeout=TIMEOUT):
        open_and_wait(qtbot, window, path)
    assert "（截止 2026-04-01）" in window.party.panel.invitation_label.text() \
        or "(due 2026-04-01)" in window.party.panel.invitation_label.text()
    with qtbot.waitSignal(window.party.party_shown, timeout=TIMEOUT):
        with qtbot.waitSignal(window.party.sent, timeout=TIMEOUT) as blocker:
            window.actions_by_name["no_comment"].trigger()  # one open invitation: that round
    assert blocker.args[0] is None and "1" in answers[0]
    assert window.party.panel.data.invitations == () and window.party.panel.data.no_comment == (1,)
    assert [i["kind"] for i in window.review.panel.data.outbox] == ["no_comment"]
    answers.clear()
    window.actions_by_name["no_comment"].trigger()  # nothing waits any more: said so, not asked
    assert answers and ("review sync" in answers[0] or "意见同步" in answers[0])


def test_reply_needs_a_choice_and_a_note_when_not_satisfied(qtbot):
    item = AnswerItem("c1", 1, {"zh": "意见"}, "answered", "", "", False,
                      {"disposition": "noted", "answer": {"zh": "知悉"}}, "p1", None)
    dialog = ConfirmDialog(item)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    dialog.not_satisfied.setChecked(True)
    assert not ok.isEnabled() and dialog.problem.text()
    dialog.note.setPlainText("理由")
    assert ok.isEnabled()
    with qtbot.waitSignal(dialog.confirmed) as blocker:
        ok.click()
    assert blocker.args == ["c1", False, "理由"]
    dialog.show_error("refused")
    dialog.satisfied.setChecked(True)
    dialog.note.clear()
    with qtbot.waitSignal(dialog.confirmed) as blocker:
        ok.click()
    assert blocker.args == ["c1", True, ""]


def test_frozen_text_offsets_count_characters_not_utf16_units(qtbot):
    text = "𠀀古字。九市组成，九市组成。"  # a character outside the BMP: two UTF-16 units
    dialog = FrozenTextDialog(2, "S1.1", text)
    qtbot.addWidget(dialog)
    assert not dialog.comment_button.isEnabled()
    start = text.rindex(QUOTE)
    cursor = dialog.text.textCursor()
    cursor.setPosition(start + 1)  # Qt counts the first character twice
    cursor.setPosition(start + 1 + len(QUOTE), QTextCursor.MoveMode.KeepAnchor)
    dialog.text.setTextCursor(cursor)
    with qtbot.waitSignal(dialog.clause_chosen) as blocker:
        dialog.comment_button.click()
    assert blocker.args == ["S1.1", QUOTE, start]
