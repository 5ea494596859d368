"""A scripted session against a real `coplan serve` process: draw a polygon with a hole, fill the
form, undo and redo, commit, push; a second client pulls it and edits the same cell; the window
syncs, sees the conflict side by side and resolves it. Throughout, a guard records every SQLite
connection, project open and HTTP request made on the GUI thread: there must be none."""

from __future__ import annotations

import os
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.model.changes import DATA_SCHEMA_VERSION
from app.project import features as F
from app.project import history as H
from app.project.project import Project
from app.sync import replica
from app.sync.client import Remote
from app.sync.server.sqlite_store import SqliteStore
from app.views.map_tools import Tool
from tests.servers import Server
from tests.views.conftest import open_and_wait, wait_idle

REPO = Path(__file__).resolve().parents[2]
PROJECT = "metro"
TIMEOUT = 30_000
SHOTS = os.environ.get("COPLAN_SCREENSHOTS")  # a folder: save screenshots of the main states


@pytest.fixture
def server(tmp_path):
    """`coplan serve` on port 0 with Shanghai (password login) and the coordinator (token)."""
    data = tmp_path / "server"
    store = SqliteStore(data)
    store.create_project(PROJECT, "上海大都市圈", DATA_SCHEMA_VERSION)
    store.add_party(PROJECT, "310000", "上海市", "city")
    store.add_party(PROJECT, "office", "协同办公室", "office")
    store.add_user("sh", "pw-sh")
    store.add_user("boss", None)
    store.grant(PROJECT, "sh", "310000", "editor")
    store.grant(PROJECT, "boss", "office", "coordinator")
    tokens = {u: store.issue_token(u) for u in ("sh", "boss")}
    store.close()
    server = Server(data)
    url = server.start()
    yield url, tokens
    server.stop()


class GuiThreadGuard:
    """Wraps the I/O entry points; remembers any call made on the main (GUI) thread."""

    def __init__(self, monkeypatch) -> None:
        self.calls: list[str] = []
        for owner, name in ((sqlite3, "connect"), (requests.Session, "request"), (Project, "open"),
                            (Project, "create")):
            self._wrap(monkeypatch, owner, name)

    def _wrap(self, monkeypatch, owner, name: str) -> None:
        original = getattr(owner, name)
        is_class_method = isinstance(owner.__dict__.get(name), classmethod)
        original = original.__func__ if is_class_method else original

        def guarded(*args, **kwargs):
            if threading.current_thread() is threading.main_thread():
                self.calls.append(f"{getattr(owner, '__name__', owner)}.{name}")
            return original(*args, **kwargs)

        monkeypatch.setattr(owner, name, classmethod(guarded) if is_class_method else guarded)


class OtherClient:
    """The coordinator's replica, used on a thread of its own (the test's thread is the GUI's)."""

    def __init__(self, url: str, token: str, path: Path) -> None:
        self.pool = ThreadPoolExecutor(1)
        self.remote = Remote(url, token, retries=1, timeout=(2, 20))
        self.project = self.run(lambda: replica.run(replica.clone_steps(self.remote, PROJECT, path)))

    def run(self, fn):
        return self.pool.submit(fn).result(timeout=60)

    def edit_and_sync(self, code: str, uuid: str, attrs: dict):
        def work():
            F.update_feature(self.project, code, uuid, attrs)
            H.commit(self.project, "coordinator edit")
            return replica.run(replica.sync_steps(self.project, self.remote))
        return self.run(work)

    def close(self) -> None:
        self.run(self.project.close)
        self.pool.shutdown()


def shoot(qtbot, window, name: str) -> None:
    """With COPLAN_SCREENSHOTS set, save the window once the map shows the current state."""
    if SHOTS:
        with qtbot.waitSignal(window.map.frame_rendered, timeout=TIMEOUT):
            window.map.render_now()
        window.grab().save(str(Path(SHOTS) / name))


def click_map(qtbot, window, points: list[tuple[float, float]]) -> None:
    """Clicks at fractions of the map viewport."""
    viewport = window.map.viewport()
    for fx, fy in points:
        QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(int(viewport.width() * fx), int(viewport.height() * fy)))


def draw_polygon_with_hole(qtbot, window) -> None:
    """Outer ring of four clicks, H, a triangular hole, Enter (the form opens)."""
    window.tree.select_layer("STBHHX")
    window.actions_by_name["draw"].trigger()
    assert window.map.tool == Tool.DRAW
    click_map(qtbot, window, [(0.3, 0.3), (0.7, 0.3), (0.7, 0.7), (0.3, 0.7)])
    QTest.keyClick(window.map, Qt.Key.Key_H)  # start a hole
    click_map(qtbot, window, [(0.45, 0.45), (0.55, 0.45), (0.5, 0.55)])
    shoot(qtbot, window, "editing-sketch.png")
    QTest.keyClick(window.map, Qt.Key.Key_Return)


def type_text(widget, text: str) -> None:
    """Typing, Chinese included (QTest.keyClicks only knows ASCII): one key event with the text."""
    widget.setFocus()
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, text))


def fill_form(qtbot, window, values: dict[str, str]) -> None:
    for name, text in values.items():
        type_text(window.form.editors[name].editor, text)  # UI -> form model
    assert window.form.model.problems == {}
    assert window.form.save_button.isEnabled()


def login(qtbot, window, url: str) -> None:
    panel = window.sync_panel
    panel.url.setText(url)
    panel.project_id.setText(PROJECT)
    panel.user.setText("sh")
    panel.password.setText("pw-sh")
    panel.login_button.click()
    qtbot.waitUntil(lambda: "sh" in panel.login_state.text(), timeout=TIMEOUT)


def sync_and_wait(qtbot, window, kind: str):
    with qtbot.waitSignal(window.sync_finished, timeout=TIMEOUT) as blocker:
        window.sync_panel.run_buttons[kind].click()
    assert not isinstance(blocker.args[0], Exception), blocker.args[0]
    wait_idle(qtbot, window)
    return blocker.args[0]


def commit(qtbot, window, message: str) -> None:
    window.change_log.message.setText(message)
    with qtbot.waitSignal(window.history_shown, timeout=TIMEOUT,
                          check_params_cb=lambda s: not s.pending):
        window.change_log.commit_button.click()


def test_draw_commit_push_conflict_resolve(qtbot, window, server, tmp_path, monkeypatch):
    url, tokens = server
    sh_path = tmp_path / "sh.sqlite"
    ThreadPoolExecutor(1).submit(lambda: replica.run(replica.clone_steps(
        Remote(url, tokens["sh"]), PROJECT, sh_path)).close()).result()
    guard = GuiThreadGuard(monkeypatch)

    open_and_wait(qtbot, window, sh_path)
    login(qtbot, window, url)
    draw_polygon_with_hole(qtbot, window)
    assert window.form.model is not None and window.form.model.is_new
    geometry = window.form.model.geometry
    assert geometry.geom_type == "MultiPolygon" and len(geometry.geoms[0].interiors) == 1
    fill_form(qtbot, window, {"BSM": "310000001", "XZQDM": "310000", "XZQMC": "上海市", "HXMC": "东滩"})
    window.form.save_button.click()
    qtbot.waitUntil(lambda: window.store.count("STBHHX") == 1 and window.edits.stack.count() == 1,
                    timeout=TIMEOUT)
    [uuid] = window.store.layers["STBHHX"].features
    shoot(qtbot, window, "editing-saved.png")

    window.actions_by_name["undo"].trigger()
    qtbot.waitUntil(lambda: window.store.count("STBHHX") == 0, timeout=TIMEOUT)
    window.actions_by_name["redo"].trigger()
    qtbot.waitUntil(lambda: window.store.count("STBHHX") == 1, timeout=TIMEOUT)
    wait_idle(qtbot, window)
    assert window.change_log.pending.topLevelItemCount() == 1  # the net change: one insert

    commit(qtbot, window, "东滩红线")
    sync_and_wait(qtbot, window, "push")
    assert window.change_log.snapshot.outbox == 0

    other = OtherClient(url, tokens["boss"], tmp_path / "boss.sqlite")  # pulls the new feature
    try:
        assert other.run(lambda: F.get_feature(other.project, "STBHHX", uuid).attrs["HXMC"]) == "东滩"
        other.edit_and_sync("STBHHX", uuid, {"HXMC": "办"})

        model = window.table.model  # the same cell, edited in the attribute table
        row, column = model.row_of(uuid), model.columns().index("HXMC")
        assert model.setData(model.index(row, column), "沪")
        qtbot.waitUntil(lambda: window.store.get("STBHHX", uuid).attrs["HXMC"] == "沪", timeout=TIMEOUT)
        commit(qtbot, window, "改名")
        with qtbot.waitSignal(window.conflicts_shown, timeout=TIMEOUT,
                              check_params_cb=lambda c: len(c) == 1):
            report = sync_and_wait(qtbot, window, "sync")
        assert len(report.clashes) == 1
        view = window.sync_panel.conflict_view
        assert view.conflict["cells"]["HXMC"] == ["东滩", "办", "沪"]
        assert view.table.item(0, 1).text() == "办" and view.table.item(0, 2).text() == "沪"
        window.docks["sync"].raise_()
        shoot(qtbot, window, "conflict.png")

        with qtbot.waitSignal(window.conflicts_shown, timeout=TIMEOUT, check_params_cb=lambda c: c == []):
            view.buttons["theirs"].click()
        wait_idle(qtbot, window)
        assert window.store.get("STBHHX", uuid).attrs["HXMC"] == "沪"
        other.run(lambda: replica.run(replica.pull_steps(other.project, other.remote)))
        assert other.run(lambda: F.get_feature(other.project, "STBHHX", uuid).attrs["HXMC"]) == "沪"
    finally:
        other.close()
    assert guard.calls == [], f"I/O on the GUI thread: {guard.calls}"
