"""Views fixtures: settings in a temporary folder, a window, small projects, waiting helpers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

LOAD_TIMEOUT_MS = 30_000
PROJECT = "metro"


@pytest.fixture(autouse=True)
def temporary_settings(tmp_path_factory, monkeypatch):
    """Every test gets empty QSettings in a temporary folder, never the user's own."""
    folder = tmp_path_factory.mktemp("settings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    monkeypatch.setenv("COPLAN_CREDENTIALS", str(folder / "credentials.json"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))  # for `python -m app` subprocesses
    return folder


@pytest.fixture(autouse=True)
def chinese_interface(qapp):
    """Every test starts in Chinese, as the window fixture opens and as a new process starts,
    whatever language an earlier test in this process left installed (test files share a
    process, in an order that varies when they run in parallel); a test that needs English
    installs it itself."""
    from app.views.i18n import install

    install("zh")


@pytest.fixture
def window(qtbot):
    from app.views.main_window import MainWindow

    w = MainWindow(lang="zh")
    qtbot.addWidget(w)
    w.show()
    yield w
    w.shutdown()


def open_and_wait(qtbot, window, path: Path):
    with qtbot.waitSignal(window.loaded, timeout=LOAD_TIMEOUT_MS) as blocker:
        window.open_project(path)
    return blocker.args[0]


def wait_idle(qtbot, window, timeout: int = LOAD_TIMEOUT_MS) -> None:
    """Until the DB worker has answered every queued job."""
    qtbot.waitUntil(lambda: not window.worker.busy, timeout=timeout)


def serve_project(folder: Path, parties, users):
    """A real `coplan serve` over a new store in `folder`, holding project PROJECT with `parties`
    ((code, name, kind)) and `users` ((user, party, role)); returns the started server and each
    user's token. The caller stops the server."""
    from app.model.changes import DATA_SCHEMA_VERSION
    from app.sync.server.sqlite_store import SqliteStore
    from tests.servers import Server

    store = SqliteStore(folder)
    store.create_project(PROJECT, "上海大都市圈", DATA_SCHEMA_VERSION)
    for code, name, kind in parties:
        store.add_party(PROJECT, code, name, kind)
    for user, party, role in users:
        store.add_user(user, None)
        store.grant(PROJECT, user, party, role)
    tokens = {user: store.issue_token(user) for user, _, _ in users}
    store.close()
    server = Server(folder)
    server.start()
    return server, tokens


def office_copy(template: Path, folder: Path, url: str) -> Path:
    """The template project copied into `folder` as the office's copy of the server's PROJECT."""
    from app.project.project import Project

    path = folder / "office.sqlite"
    shutil.copy(template, path)
    with Project.open(path) as project:
        project.set_meta("remote_url", url)
        project.set_meta("remote_project", PROJECT)
    return path
