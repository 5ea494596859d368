"""Nothing lost, nothing quits: each failure a planner can meet, provoked in a real window with
the UI in Chinese. The dialog says what happened in Chinese (no traceback, no library text),
the window stays open, and the drawn shape and typed values survive a failed save. Closing or
opening another project with unsaved work asks save / discard / cancel. The window fits
1366×768 and 1920×1080 with its status bar on the screen."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from PySide6.QtCore import QRect
from shapely.geometry import MultiPolygon, Polygon, box

from app.messages import has_cjk
from app.project import db
from app.views import dialogs
from app.views.i18n import tr
from app.views.map_tools import Tool
from tests.reports.conftest import mini_template_project  # noqa: F401 - a fixture
from tests.views.conftest import LOAD_TIMEOUT_MS, open_and_wait, wait_idle
from tests.views.test_end_to_end import type_text
from tests.views.test_main_window import make_project

# The dialogs' own words come from tr() (the zh_CN catalogue); the core's messages inside them
# are Chinese through app/messages.py. Both are asserted here.
FOREIGN_TEXT = ("Traceback", "HTTPConnectionPool", "Max retries", "make_valid", "Error:", "coplan ")


class Answers:
    """Stands in for the person in front of the dialogs: records each, answers from a list."""

    def __init__(self, *replies: str) -> None:
        self.replies, self.shown = list(replies), []

    def __call__(self, kind: str, parent, text: str) -> str:
        self.shown.append((kind, text))
        if kind == "error":
            return "ok"
        return self.replies.pop(0) if self.replies else "discard"  # e.g. closing at teardown

    def errors(self) -> list[str]:
        return [text for kind, text in self.shown if kind == "error"]

    def questions(self) -> list[str]:
        return [text for kind, text in self.shown if kind != "error"]


@pytest.fixture
def answers(monkeypatch):
    recorder = Answers()
    monkeypatch.setattr(dialogs, "answer", recorder)
    return recorder


@pytest.fixture
def small(tmp_path):
    return make_project(tmp_path / "small.sqlite", "320500", cities=2)


@pytest.fixture
def opened(qtbot, window, small):
    open_and_wait(qtbot, window, small)
    return window


def assert_chinese(text: str) -> None:
    assert has_cjk(text), text
    assert not any(bad in text for bad in FOREIGN_TEXT), text


def new_lake(qtbot, window, name: str = "新湖"):
    """A drawn square in SY, its name typed in the form (not saved yet)."""
    window.tree.select_layer("SY")
    window.map.sketch_finished.emit("SY", MultiPolygon([box(120.6, 31.0, 120.7, 31.1)]))
    type_text(window.form.editors["MC"].editor, name)
    assert window.form.model.values["MC"] == name
    return window.form.model


def start_sketch(window) -> None:
    window.tree.select_layer("SY")
    window.map.set_tool(Tool.DRAW, "SY")
    window.map._tool.sketch.add((120.6, 31.0))
    window.map._tool.sketch.add((120.7, 31.0))


# -- failures: a dialog in Chinese, the window stays -----------------------------------------

def test_opening_a_file_that_is_not_a_project_keeps_the_window_and_the_project(qtbot, opened, answers,
                                                                               tmp_path):
    bad = tmp_path / "notes.sqlite"
    bad.write_text("not a database at all " * 100)
    with qtbot.waitSignal(opened.failed, timeout=LOAD_TIMEOUT_MS) as blocker:
        opened.open_project(bad)
    assert "SQLite" in blocker.args[0]  # the signal keeps the English (log, command line)
    [text] = answers.errors()
    assert_chinese(text)
    assert "notes.sqlite" in text
    wait_idle(qtbot, opened)
    assert opened.isVisible() and opened.project.path.name == "small.sqlite"
    opened.refresh_history()  # the previous project answers again on the worker
    wait_idle(qtbot, opened)
    assert len(answers.errors()) == 1


def test_a_panel_reload_queued_behind_a_failed_open_is_no_error(qtbot, opened, answers, tmp_path):
    # The answers panel reloads after every review load; one queued just behind an open that
    # fails runs while the worker holds no project (before the window reopens its own): it
    # used to fail with an internal error and a second dialog.
    bad = tmp_path / "notes.sqlite"
    bad.write_text("not a database at all " * 100)
    with qtbot.waitSignal(opened.failed, timeout=LOAD_TIMEOUT_MS):
        opened.open_project(bad)
        opened.party.reload()  # queued behind the open, ahead of the reopen
    wait_idle(qtbot, opened)
    assert len(answers.errors()) == 1
    assert opened.project.path.name == "small.sqlite"


def test_a_missing_first_project_leaves_an_empty_window_with_a_dialog(qtbot, window, answers, tmp_path):
    with qtbot.waitSignal(window.failed, timeout=LOAD_TIMEOUT_MS):
        window.open_project(tmp_path / "gone.sqlite")
    [text] = answers.errors()
    assert_chinese(text)
    assert "找不到项目文件" in text and window.isVisible() and window.project is None


def test_a_failed_first_open_from_the_command_line_keeps_the_app_running(qtbot, answers, monkeypatch,
                                                                          tmp_path, capsys):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.views import launch

    seen = []

    def check_then_quit(window) -> None:
        seen.append(window.isVisible())
        QApplication.instance().exit(0)  # what a person closing the window would do

    class Recording(launch.MainWindow):
        def __init__(self, **kwargs) -> None:
            super().__init__(**kwargs)
            seen.append(self)
            self.failed.connect(lambda _: QTimer.singleShot(100, lambda: check_then_quit(self)))

    monkeypatch.setattr(launch, "MainWindow", Recording)
    bad = tmp_path / "bad.sqlite"
    bad.write_text("not a project " * 50)
    guard = QTimer(singleShot=True, interval=60_000)  # never hang the suite
    guard.timeout.connect(lambda: QApplication.instance().exit(9))
    guard.start()
    code = launch.run(bad, lang="zh")
    guard.stop()
    assert code == 0
    window, visible = seen
    assert visible and "not a readable SQLite file" in capsys.readouterr().err
    [text] = answers.errors()
    assert_chinese(text)
    window.close()


@pytest.fixture
def locked(small):
    """Another process holds the write lock of the project (SQLite locks are per process)."""
    code = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
            "c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); sys.stdin.read()")
    holder = subprocess.Popen([sys.executable, "-c", code, str(small)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    yield small
    holder.stdin.close()
    holder.wait(timeout=30)


def test_a_locked_project_opens_read_only_with_a_banner(qtbot, window, answers, locked):
    data = open_and_wait(qtbot, window, locked)
    assert data.read_only == "another program is writing to it"
    banner = window.read_only_banner
    assert banner.isVisible() and "另一个程序正在写入" in banner.text()
    editing = [window.actions_by_name[name] for name in ("draw", "vertex", "delete", "import", "split", "merge")
               if name in window.actions_by_name]
    assert len(editing) >= 4 and not any(action.isEnabled() for action in editing)
    assert answers.shown == []


def test_a_failed_save_keeps_the_shape_and_the_typed_values(qtbot, window, answers, small, monkeypatch):
    monkeypatch.setattr(db, "write_blocker", lambda path: "its file cannot be written")
    data = open_and_wait(qtbot, window, small)
    assert data.read_only and window.read_only_banner.isVisible()
    model = new_lake(qtbot, window, "留住的湖")
    window.form.save_button.click()
    wait_idle(qtbot, window)
    [text] = answers.errors()
    assert_chinese(text)
    assert "只读" in text and tr("Nothing was lost: the form keeps what you entered.") in text
    assert window.form.model is model and model.values["MC"] == "留住的湖"
    assert model.geometry.equals(MultiPolygon([box(120.6, 31.0, 120.7, 31.1)]))
    assert window.isVisible()


def test_a_save_that_lands_clears_the_form(qtbot, opened, answers):
    new_lake(qtbot, opened)
    opened.form.save_button.click()
    wait_idle(qtbot, opened)
    assert opened.form.model is None and answers.shown == []
    assert opened.store.count("SY") == 2


def test_an_invalid_geometry_is_refused_in_chinese(qtbot, opened, answers):
    uuid = str(opened.store.layers["SY"].uuids[0])
    bowtie = MultiPolygon([Polygon([(120.1, 31.1), (120.3, 31.3), (120.3, 31.1), (120.1, 31.3)])])
    opened.map.geometry_edited.emit("SY", uuid, bowtie)
    wait_idle(qtbot, opened)
    [text] = answers.errors()
    assert_chinese(text)
    assert "自相交" in text
    assert opened.isVisible()


UNREACHABLE = "http://127.0.0.1:9"  # the discard port: nothing listens


def no_retries(monkeypatch) -> None:
    """The client fails at the first refused connection instead of backing off for seconds."""
    from app.sync import client

    defaults = client.Remote.__init__.__kwdefaults__
    monkeypatch.setattr(client.Remote.__init__, "__kwdefaults__", {**defaults, "retries": 0})


def test_sync_with_an_unreachable_server_says_so_in_chinese(qtbot, opened, answers, monkeypatch):
    from app.sync.credentials import save_token

    no_retries(monkeypatch)
    save_token(UNREACHABLE, "token")
    opened.worker.call(lambda project: (project.set_meta("remote_url", UNREACHABLE),
                                        project.set_meta("remote_project", "p")))
    wait_idle(qtbot, opened)
    panel = opened.sync_panel
    with qtbot.waitSignal(opened.sync_finished, timeout=120_000):
        opened.run_sync("pull")
    [text] = answers.errors()
    assert_chinese(text)
    assert "无法连接服务器 http://127.0.0.1:9" in text
    assert panel.progress.value() != panel.progress.maximum()  # not 100 % after a failure
    assert panel.status.text() == text and opened.isVisible()


def test_logging_in_to_an_unreachable_server_says_so_in_chinese(qtbot, opened, answers, monkeypatch):
    no_retries(monkeypatch)
    opened.login(UNREACHABLE, "p", "me", "pw")
    wait_idle(qtbot, opened)
    [text] = answers.errors()
    assert_chinese(text)
    assert "无法连接服务器" in text and opened.isVisible()


# -- closing with unsaved work ----------------------------------------------------------------

def close(qtbot, window) -> None:
    window.close()
    qtbot.waitUntil(lambda: window.worker is None or not window.worker.busy, timeout=LOAD_TIMEOUT_MS)
    qtbot.wait(20)  # the close that follows a settled question is queued on the event loop


def test_close_with_an_unsaved_form_cancel_keeps_everything(qtbot, opened, answers):
    answers.replies = ["cancel"]
    model = new_lake(qtbot, opened)
    close(qtbot, opened)
    [question] = answers.questions()
    assert tr("attributes typed in the form and not saved") in question
    assert opened.isVisible() and opened.form.model is model


def test_close_with_an_unsaved_form_save_saves_commits_and_closes(qtbot, opened, answers, small):
    from app.project.history import pending
    from app.project.project import Project

    answers.replies = ["save"]
    new_lake(qtbot, opened, "关前保存")
    close(qtbot, opened)
    qtbot.waitUntil(lambda: not opened.isVisible(), timeout=LOAD_TIMEOUT_MS)
    assert answers.errors() == []
    with Project.open(small) as project:
        names = [r[0] for r in project.db.execute("SELECT MC FROM SY")]
        assert "关前保存" in names and not pending(project)


def test_close_with_an_unsaved_sketch_save_turns_it_into_the_form(qtbot, opened, answers):
    answers.replies = ["save"]
    start_sketch(opened)
    opened.map._tool.sketch.add((120.7, 31.1))
    close(qtbot, opened)
    assert opened.isVisible()
    assert opened.form.model is not None and opened.form.model.is_new  # the shape is kept
    [text] = answers.errors()
    assert text == tr("The drawn shape needs its attributes: fill in the form and save it, then close "
                      "again.")


def test_close_with_an_unsaved_sketch_discard_closes(qtbot, opened, answers):
    answers.replies = ["discard"]
    start_sketch(opened)
    close(qtbot, opened)
    qtbot.waitUntil(lambda: not opened.isVisible(), timeout=LOAD_TIMEOUT_MS)
    assert tr("a shape being drawn on the map") in answers.questions()[0]


def test_close_with_uncommitted_edits_asks_and_save_commits(qtbot, opened, answers, small):
    from app.project.history import pending
    from app.project.project import Project

    new_lake(qtbot, opened)
    opened.form.save_button.click()
    wait_idle(qtbot, opened)
    answers.replies = ["save"]
    close(qtbot, opened)
    qtbot.waitUntil(lambda: not opened.isVisible(), timeout=LOAD_TIMEOUT_MS)
    assert tr("{} uncommitted change(s): Save commits them; Don't save keeps them in the project "
              "file, uncommitted").format(1) in answers.questions()[0]
    with Project.open(small) as project:
        assert not pending(project)


def test_opening_another_project_asks_about_an_unsaved_form(qtbot, opened, answers, tmp_path):
    other = make_project(tmp_path / "other.sqlite", "310000", cities=1)
    answers.replies = ["cancel", "discard"]
    new_lake(qtbot, opened)
    opened.request_open(other)
    wait_idle(qtbot, opened)
    assert opened.project.path.name == "small.sqlite" and opened.form.model is not None
    with qtbot.waitSignal(opened.loaded, timeout=LOAD_TIMEOUT_MS):
        opened.request_open(other)
    assert opened.project.path.name == "other.sqlite" and len(answers.questions()) == 2


def test_close_with_an_unsaved_section_save_saves_it(qtbot, window, answers, mini_template_project,  # noqa: F811
                                                      tmp_path):
    from app.content.store import load_content
    from app.project.project import Project

    path = tmp_path / "mini.sqlite"
    shutil.copy(mini_template_project, path)
    open_and_wait(qtbot, window, path)
    wait_idle(qtbot, window)
    panel = window.content.panel
    window.actions_by_name["plan_text"].trigger()
    assert panel.open_section("Z1")
    title = panel.editor.texts["title_en"]
    title.selectAll()
    type_text(title, "Saved on closing")
    assert panel.has_unsaved()
    answers.replies = ["save"]
    close(qtbot, window)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=LOAD_TIMEOUT_MS)
    assert tr("plan-text section being edited") in answers.questions()[0]
    with Project.open(path) as project:
        assert load_content(project.db).get("Z1").title_en == "Saved on closing"


# -- fitting the screen -------------------------------------------------------------------------

@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_the_window_fits_the_screen_with_its_status_bar(qtbot, opened, size):
    width, height = size
    usable = QRect(0, 0, width, height - 40)  # a task bar
    hint = opened.minimumSizeHint()
    assert hint.width() <= usable.width() and hint.height() <= usable.height() - 30, hint
    opened.setGeometry(QRect(0, 30, usable.width(), usable.height() - 30))  # below a title bar
    qtbot.waitUntil(lambda: opened.height() <= usable.height() - 30)
    bar = opened.statusBar()
    bottom = opened.mapToGlobal(bar.geometry().bottomLeft()).y() - opened.mapToGlobal(opened.rect().topLeft()).y()
    assert bar.isVisible() and bottom <= opened.height()
    assert opened.geometry().bottom() <= usable.bottom() + 1


# -- the form is not lost to a click, and says why it is read-only ---------------------------

def test_a_click_on_another_feature_keeps_an_unsaved_new_feature_form(qtbot, opened, answers):
    model = new_lake(qtbot, opened, "未存的湖")
    other = str(opened.store.layers["SY"].uuids[0])
    opened.selection.set("SY", (other,))
    assert opened.form.model is model and model.values["MC"] == "未存的湖"
    assert "未保存" in opened.statusBar().currentMessage()


def test_a_read_only_file_says_so_in_the_form_of_an_own_feature(qtbot, window, answers, locked):
    data = open_and_wait(qtbot, window, locked)
    own = next(f for d in data.layers for f in d.features if f.owner == data.party)
    window.selection.set(own.layer, (own.uuid,))
    assert window.form.model.read_only and window.form.banner.text() == "只读：项目文件当前无法写入"
