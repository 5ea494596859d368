"""A scripted session of the review and analysis panels in the main window against a real
`coplan serve`: comment on a map selection, review-sync, jump to the anchor, decide as the
coordinator, run the conflict check, send a conflict as a coordination item (refused: the round
has moved on), run and record the check-up, load and sign a release. The guard of the editing
session records SQLite connections, project opens and HTTP requests on the GUI thread: none."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from app.model.changes import DATA_SCHEMA_VERSION
from app.project.project import Project
from app.review.client import ReviewRemote
from app.sync.client import Remote
from app.sync.credentials import save_token
from app.sync.server.sqlite_store import SqliteStore
from tests.editing.test_analysis_jobs import conflict_project
from tests.editing.test_review_jobs import make_release
from tests.review.conftest import SECTIONS
from tests.servers import Server
from tests.views.conftest import open_and_wait
from tests.views.test_end_to_end import GuiThreadGuard

PROJECT = "metro"
TIMEOUT = 30_000


@pytest.fixture
def server(tmp_path):
    """A server whose round 1 collects comments from the office (the coordinator's party)."""
    store = SqliteStore(tmp_path / "server")
    store.create_project(PROJECT, "上海大都市圈", DATA_SCHEMA_VERSION)
    store.add_party(PROJECT, "office", "协同办公室", "office")
    store.add_party(PROJECT, "310000", "上海市", "city")
    store.add_user("boss", None)
    store.grant(PROJECT, "boss", "office", "coordinator")
    token = store.issue_token("boss")
    store.close()
    srv = Server(tmp_path / "server")
    srv.start()
    srv.token = token
    srv.pool = ThreadPoolExecutor(1)  # the office's other client: never the GUI thread
    srv.api = ReviewRemote(Remote(srv.url, token, retries=1, backoff=0.05), PROJECT)
    on_other_thread(srv, lambda: [srv.api.open_round(1, {"zh": "第1轮"}, "parties"),
                                  srv.api.freeze(1, SECTIONS), srv.api.invite(1, "office"),
                                  srv.api.advance(1, "issued"), srv.api.advance(1, "collecting")])
    yield srv
    srv.pool.shutdown()
    srv.stop()


def on_other_thread(server, fn):
    return server.pool.submit(fn).result(timeout=60)


def office_project(tmp_path, server) -> str:
    path = conflict_project(tmp_path / "office.sqlite", party="office")
    with Project.open(path) as project:
        project.set_meta("remote_url", server.url)
        project.set_meta("remote_project", PROJECT)
    save_token(server.url, server.token)
    return path


def save_comment(qtbot, window) -> None:
    """Save the open comment dialog; wait until the outbox holds it and the panel shows it."""
    with qtbot.waitSignal(window.review.data_shown, timeout=TIMEOUT):
        with qtbot.waitSignal(window.review.comment_saved, timeout=TIMEOUT):
            window.review.dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def comment_on_selection(qtbot, window, text: str) -> None:
    window.actions_by_name["new_comment"].trigger()
    window.review.dialog.text.setPlainText(text)
    save_comment(qtbot, window)


def review_sync(qtbot, window):
    with qtbot.waitSignal(window.review.data_shown, timeout=TIMEOUT):  # the local copy, after the pull
        with qtbot.waitSignal(window.review.synced, timeout=TIMEOUT) as blocker:
            window.review.panel.buttons["sync"].click()
    assert not isinstance(blocker.args[0], Exception), blocker.args[0]
    return blocker.args[0]


def decide_not_adopted(qtbot, window) -> None:
    editor = window.review.panel.editor
    editor.disposition.setCurrentIndex(editor.disposition.findData("not_adopted"))
    editor.reason.setCurrentIndex(editor.reason.findData("beyond_remit"))
    editor.answer.setPlainText("超出本规划事权。")
    with qtbot.waitSignal(window.review.data_shown, timeout=TIMEOUT):
        with qtbot.waitSignal(window.review.decided, timeout=TIMEOUT) as blocker:
            editor.decide_button.click()
    assert not isinstance(blocker.args[0], Exception), blocker.args[0]


def run_check(qtbot, window):
    window.show_dock("check")
    with qtbot.waitSignal(window.analysis.check_finished, timeout=TIMEOUT) as blocker:
        window.analysis.check_panel.run_button.click()
    return blocker.args[0]


def test_review_and_check_session(qtbot, window, server, tmp_path, monkeypatch):
    path = office_project(tmp_path, server)
    release, keys = tmp_path / "release", tmp_path / "keys"
    key_file = make_release(release, keys)[0]
    guard = GuiThreadGuard(monkeypatch)

    with qtbot.waitSignal(window.review.data_shown, timeout=TIMEOUT):
        open_and_wait(qtbot, window, path)
    panel = window.review.panel
    [red] = window.store.layers["STBHHX"].features
    window.selection.set("STBHHX", (red,))
    comment_on_selection(qtbot, window, "红线范围建议复核。")
    assert [i["state"] for i in panel.data.outbox] == ["queued"]

    report = review_sync(qtbot, window)
    assert (report.sent, report.pulled, report.refused) == (1, 1, ())
    assert panel.model.rowCount() == 1 and panel.data.outbox == ()
    window.selection.clear()
    panel.anchors.itemClicked.emit(panel.anchors.item(0))  # the feature anchor -> the map
    assert window.selection.uuids == (red,)

    on_other_thread(server, lambda: [server.api.advance(1, "triage"), server.api.advance(1, "responding")])
    decide_not_adopted(qtbot, window)
    assert panel.current.decision.disposition == "not_adopted" and panel.model.rows[0]["status"] == "decided"

    outcome = run_check(qtbot, window)
    [conflict] = [c for c in outcome.result.conflicts if c.rule == "urban-boundary-over-red-line"]
    window.analysis.check_panel.select_conflict(conflict.id)
    assert window.marks.geometries == [conflict.geometry]
    window.analysis.check_panel.party_button.click()  # a coordination item for Shanghai
    dialog = window.review.dialog
    assert dialog.anchors[0]["type"] == "area" and "协调事项" in dialog.text.toPlainText()
    save_comment(qtbot, window)
    report = review_sync(qtbot, window)
    assert report.sent == 0 and len(report.refused) == 1  # the round no longer takes comments
    assert "refused" in panel.outbox.item(0).text() or "被拒" in panel.outbox.item(0).text()

    board = window.analysis.indicators
    with qtbot.waitSignal(window.analysis.checkup_shown, timeout=TIMEOUT) as blocker:
        board.run_button.click()
    assert not isinstance(blocker.args[0], Exception) and board.table.rowCount() > 0
    with qtbot.waitSignal(window.analysis.recorded, timeout=TIMEOUT):
        board.record_button.click()

    window.actions_by_name["signoff"].trigger()
    signoff = window.review.signoff
    signoff.folder.setText(str(release))
    with qtbot.waitSignal(window.review.release_shown, timeout=TIMEOUT):
        signoff.load_button.click()
    signoff.key_file.setText(str(key_file))
    with qtbot.waitSignal(window.review.release_shown, timeout=TIMEOUT) as blocker:
        signoff.sign_button.click()
    assert blocker.args[0].parties[0]["state"] == "signed"
    assert signoff.parties.item(0, 5).text() == "有效"
    assert guard.calls == [], f"I/O on the GUI thread: {guard.calls}"


def test_new_docks_menus_and_language(qtbot, window):
    for name in ("comments", "new_comment", "review_sync", "archive", "dashboard", "signoff", "check",
                 "check_files", "indicators"):
        assert window.actions_by_name[name].text()
    assert window.docks["review"].windowTitle() == "意见" and window.menus["m_review"].title() == "意见征询(&R)"
    window.set_language("en")
    assert window.docks["check"].windowTitle() == "Conflict check"
    assert window.review.panel.buttons["sync"].text() == "Review sync"
    assert window.analysis.check_panel.run_button.text() == "Run check"
    window.review.show_dashboard()
    assert window.docks["rounds"].isVisible()
    window.set_language("zh")
    assert window.review.panel.buttons["sync"].text() == "意见同步"
    assert window.review.panel.tabs.tabText(1) == "处理意见"
    window.analysis.check_panel.set_project(False)
    window.analysis.check_files()  # not a coordinator: a message, no file dialog
    assert "协调人" in window.statusBar().currentMessage()
    assert not window.review.panel.editor.decide_button.isEnabled()  # no comment chosen
