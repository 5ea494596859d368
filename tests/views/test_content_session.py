"""A scripted authoring and publishing session in the main window against a real `coplan serve`:
write in a section and save it (the stored section changes), undo and redo the save, jump to a
clause from the comment panel, comment on words selected in the preview, then build two
outputs with the options chosen in the publish dialog, watch the bar, open one, upload them as
a publisher, and cancel a third build. The guard of the editing session records SQLite
connections, project opens and HTTP requests on the GUI thread: there must be none."""

from __future__ import annotations

import threading

import pytest

from app.editing import content_jobs
from app.project import history
from app.project.project import Project
from app.sync import replica
from app.sync.client import Remote
from app.sync.credentials import save_token
from app.views import content_docks
from app.views.worker import Cancelled
from tests.reports.conftest import P2, mini_template_project  # noqa: F401 - a fixture
from tests.views.conftest import office_copy, open_and_wait, serve_project, wait_idle
from tests.views.test_end_to_end import GuiThreadGuard, type_text

TIMEOUT = 30_000
NEW_TITLE = "Around Lake Taihu"


@pytest.fixture
def server(tmp_path):
    """A server where `pub` publishes for the office."""
    parties = (("office", "协同办公室", "office"), ("310000", "上海市", "city"),
               ("320500", "苏州市", "city"), ("310000-JTW", "上海市交通委", "department"))
    users = (("pub", "office", "publisher"), ("boss", "310000", "coordinator"))
    srv, tokens = serve_project(tmp_path / "server", parties, users)
    save_token(srv.url, tokens["pub"])
    srv.boss = tokens["boss"]
    yield srv
    srv.stop()


@pytest.fixture
def office_path(mini_template_project, server, tmp_path):  # noqa: F811 - the imported fixture
    """The mini project (a coordinator's) as if cloned from the server."""
    path = office_copy(mini_template_project, tmp_path, server.url)
    commit_and_sync(server, path, "mini")
    return path


def commit_and_sync(server, path, message: str) -> None:
    """What the coordinator does before publishing: commit the edits and sync them. On its own
    thread, as the desktop's sync runs (the test's thread is the GUI's)."""
    def run() -> None:
        with Project.open(path) as project:
            history.commit(project, message)
            replica.run(replica.sync_steps(project, Remote(server.url, server.boss)))
    thread = threading.Thread(target=run)
    thread.start()
    thread.join()


class Opened:
    """Stands in for the desktop's viewer: remembers what was opened."""

    urls: list = []

    @classmethod
    def openUrl(cls, url) -> bool:  # noqa: N802 - Qt's name
        cls.urls.append(url.toLocalFile())
        return True


def save_and_wait(qtbot, window, click) -> object:
    with qtbot.waitSignal(window.content.saved, timeout=TIMEOUT) as blocker:
        click()
    assert not isinstance(blocker.args[0], Exception), blocker.args[0]
    return blocker.args[0]


def author(qtbot, window) -> None:
    """Type a new English title, save, undo, redo; a clause from the comments, and back."""
    content, panel = window.content, window.content.panel
    window.actions_by_name["plan_text"].trigger()
    assert window.central.currentWidget() is panel and panel.open_section("Z1")
    title = panel.editor.texts["title_en"]
    title.selectAll()
    type_text(title, NEW_TITLE)
    assert save_and_wait(qtbot, window, panel.editor.save_button.click).title_en == NEW_TITLE
    assert content.stack.count() == 1 and not panel.draft.dirty
    assert save_and_wait(qtbot, window, panel.editor.undo_button.click).title_en == "环太湖 title"
    assert title.text() == "环太湖 title"
    assert save_and_wait(qtbot, window, panel.editor.redo_button.click).title_en == NEW_TITLE
    assert title.text() == NEW_TITLE

    links = panel.editor.links  # Z1 links layers and one library project: shown on the map
    panel.editor.show_link_button.click()
    assert window.central.currentWidget() is window.map and window.tree.current_layer() == "XZQ"
    links.setCurrentRow(links.count() - 1)
    panel.editor.show_link_button.click()
    assert window.selection.uuids == (P2,) and window.selection.layer == "XMK_POINT"

    window.review.panel.clause_requested.emit("Z1.strategy.1", 12)  # a comment's clause anchor
    assert window.central.currentWidget() is panel
    assert panel.tree.current_id() == "Z1.strategy.1"
    assert panel.editor.texts["body_zh"].textCursor().position() == 12
    document = panel.preview.browser.document()
    panel.preview.browser.setTextCursor(document.find("九市组成"))
    panel.preview.comment_button.click()
    dialog = window.review.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.anchors == [{"type": "clause", "section": "Z1.strategy.1", "quote": "九市组成",
                               "position": panel.draft.values["body_zh"].index("九市组成")}]
    dialog.close()


def build(window, kinds: dict[str, bool], dpi: int, folder) -> None:
    """Choose outputs, resolution and folder in the publish dialog and press Build."""
    dialog = window.content.dialog
    for kind, box in dialog.kinds.items():
        box.setChecked(kinds.get(kind, False))
    dialog.dpi.setValue(dpi)
    dialog.folder.setText(str(folder))
    dialog.build_button.click()


def publish(qtbot, window, tmp_path, built_with: list) -> None:
    with qtbot.waitSignal(window.content.info_shown, timeout=TIMEOUT) as info:
        window.actions_by_name["publish"].trigger()
    dialog = window.content.dialog
    assert info.args[0].role == "publisher" and dialog.publish_button.isVisible()
    bar = []
    dialog.bar.valueChanged.connect(bar.append)
    with qtbot.waitSignal(window.content.build_finished, timeout=TIMEOUT) as finished:
        build(window, {"release": True, "onemap": True}, 40, tmp_path / "out")
    outputs = finished.args[0]
    assert built_with == [({"release": 1, "onemap": 1}, str(tmp_path / "out"), 40)]
    assert [(o.kind, o.version) for o in outputs] == [("release", 1), ("onemap", 1)]
    assert len(bar) > 3 and bar == sorted(bar) and bar[-1] == 1000
    assert dialog.table.rowCount() == 2 and dialog.table.item(0, 4).text() == outputs[0].built.sha256[:16]
    dialog.open_button.click()
    assert Opened.urls == [outputs[0].path]
    with qtbot.waitSignal(window.content.published, timeout=TIMEOUT) as published:
        dialog.publish_button.click()
    records = published.args[0]
    assert [(r["kind"], r["version"], r["sha256"]) for r in records] == [
        (o.kind, o.version, o.built.sha256) for o in outputs]


def cancel_a_build(qtbot, window, tmp_path) -> None:
    dialog = window.content.dialog

    def cancel_on_first_progress(value: int) -> None:
        if value > 0 and dialog.running:  # the user clicks Cancel as soon as the bar moves
            dialog.bar.valueChanged.disconnect(cancel_on_first_progress)
            dialog.cancel_button.click()
    dialog.bar.valueChanged.connect(cancel_on_first_progress)
    with qtbot.waitSignal(window.content.build_finished, timeout=TIMEOUT) as finished:
        build(window, {"policy": True}, 200, tmp_path / "cancelled")
    assert isinstance(finished.args[0], Cancelled) and dialog.bar.value() == 0
    assert not list((tmp_path / "cancelled").glob("*.pdf"))


def test_author_and_publish_session(qtbot, window, server, office_path, tmp_path, monkeypatch):
    built_with = []
    original = content_jobs.build_outputs

    def recording(project, versions, folder, dpi):
        built_with.append((versions, folder, dpi))
        return original(project, versions, folder, dpi)
    monkeypatch.setattr(content_jobs, "build_outputs", recording)
    monkeypatch.setattr(content_docks, "QDesktopServices", Opened)
    Opened.urls = []
    guard = GuiThreadGuard(monkeypatch)

    with qtbot.waitSignal(window.content.content_shown, timeout=TIMEOUT):
        open_and_wait(qtbot, window, office_path)
    author(qtbot, window)
    commit_and_sync(server, office_path, "Z1 英文标题")  # publishing refuses uncommitted edits
    publish(qtbot, window, tmp_path, built_with)
    cancel_a_build(qtbot, window, tmp_path)
    wait_idle(qtbot, window)
    assert guard.calls == [], f"I/O on the GUI thread: {guard.calls}"

    window.shutdown()  # then read the file as the next session would
    with Project.open(office_path) as project:
        from app.content.store import get_section
        from app.reports.edition import published

        assert get_section(project.db, "Z1").title_en == NEW_TITLE
        assert {(e["kind"], e["version"]) for e in published(project)} == {("release", 1), ("onemap", 1)}


def test_plan_text_menus_and_language(qtbot, window):
    assert window.central.tabText(1) == "规划文本" and window.central.tabText(0) == "地图"
    assert window.menus["m_content"].title() == "规划文本(&P)"
    window.set_language("en")
    assert window.actions_by_name["publish"].text() == "Publish outputs…"
    assert window.content.panel.editor.save_button.text() == "Save section"
    window.set_language("zh")
    assert window.content.panel.editor.save_button.text() == "保存章节"
