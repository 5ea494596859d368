"""Views fixtures: settings in a temporary folder, a window, small projects, waiting helpers."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

LOAD_TIMEOUT_MS = 30_000


@pytest.fixture(autouse=True)
def temporary_settings(tmp_path_factory, monkeypatch):
    """Every test gets empty QSettings in a temporary folder, never the user's own."""
    folder = tmp_path_factory.mktemp("settings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    monkeypatch.setenv("COPLAN_CREDENTIALS", str(folder / "credentials.json"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))  # for `python -m app` subprocesses
    return folder


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
