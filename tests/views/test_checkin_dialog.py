"""The check-in dialog over a real server: a party submits its synced version and sees the QC
findings; a coordinator returns the submission; the party sees it returned. Screenshots go to
/work/shots/checkin/ when that folder exists."""

from __future__ import annotations

from pathlib import Path

import shapely
from PySide6.QtCore import Qt

from app.project import features as F
from app.project import history as H
from app.sync import replica
from app.sync.client import Remote
from app.views.checkin_dialog import CheckinDialog, check_name, open_checkin
from tests.views.conftest import PROJECT, open_and_wait, serve_project, wait_idle

SHOTS = Path("/work/shots/checkin")
PARTIES = [("310000", "上海市", "city"), ("office", "协同办公室", "office")]
USERS = [("sh", "310000", "editor"), ("boss", "office", "coordinator")]


def copy_of(url: str, token: str, path: Path, red_lines: int = 0):
    project = replica.run(replica.clone_steps(Remote(url, token), PROJECT, path))
    for n in range(red_lines):  # the same BSM twice: QC finds it
        F.add_feature(project, "STBHHX", {"BSM": "1", "XZQDM": "310000", "XZQMC": "上海市",
                                          "HXMC": f"东滩{n}"},
                      shapely.box(121.5 + n / 5, 31.4, 121.55 + n / 5, 31.45))
    if red_lines:
        H.commit(project, "红线")
        replica.run(replica.sync_steps(project, Remote(url, token)))
    project.close()
    return path


def dialog_on(qtbot, window, path: Path) -> CheckinDialog:
    open_and_wait(qtbot, window, path)
    dialog = CheckinDialog(window.worker, window)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle(qtbot, window)
    return dialog


def test_one_dialog_per_window(qtbot, window, tmp_path, monkeypatch):
    server, tokens = serve_project(tmp_path / "server", PARTIES, USERS)
    try:
        sh = copy_of(server.url, tokens["sh"], tmp_path / "sh.sqlite")
        monkeypatch.setenv("COPLAN_TOKEN", tokens["sh"])
        open_and_wait(qtbot, window, sh)
        window.actions_by_name["checkin"].trigger()  # Sync → Data check-in…
        first = window.checkin_dialog
        wait_idle(qtbot, window)
        assert open_checkin(window) is first and first.isVisible()
        wait_idle(qtbot, window)
        # A copy that never synced a version has nothing on the server to submit.
        assert first.state.version is None and not first.submit_button.isEnabled()
        assert any(word in first.version_label.text() for word in ("sync", "同步"))
    finally:
        server.stop()


def shot(dialog, name: str) -> None:
    if SHOTS.is_dir():
        dialog.grab().save(str(SHOTS / name))


def test_submit_see_findings_and_return(qtbot, window, tmp_path, monkeypatch):
    server, tokens = serve_project(tmp_path / "server", PARTIES, USERS)
    try:
        sh = copy_of(server.url, tokens["sh"], tmp_path / "sh.sqlite", red_lines=2)
        boss = copy_of(server.url, tokens["boss"], tmp_path / "boss.sqlite")
        monkeypatch.setenv("COPLAN_TOKEN", tokens["sh"])
        dialog = dialog_on(qtbot, window, sh)
        assert dialog.table.rowCount() == 0 and dialog.submit_button.isEnabled()
        assert "1" in dialog.version_label.text() and not dialog.decide_box.isVisibleTo(dialog)
        dialog.note.setText("第一次提交")
        qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.findings.rowCount() >= 2, timeout=30_000)
        wait_idle(qtbot, window)
        assert dialog.table.rowCount() == 1 and dialog.table.item(0, 8).text() == "第一次提交"
        checks = {dialog.findings.item(r, 1).text() for r in range(dialog.findings.rowCount())}
        assert check_name("bsm_unique") in checks
        shot(dialog, "party-submitted.png")
        dialog.save_report(1, str(tmp_path / "质检.pdf"))
        wait_idle(qtbot, window)
        assert (tmp_path / "质检.pdf").read_bytes().startswith(b"%PDF")
        assert "质检.pdf" in dialog.message.text()
        dialog.close()

        monkeypatch.setenv("COPLAN_TOKEN", tokens["boss"])
        dialog = dialog_on(qtbot, window, boss)
        assert dialog.decide_box.isVisibleTo(dialog)
        wait_idle(qtbot, window)
        assert dialog.current is not None, dialog.message.text()
        dialog.decision.setText("标识码重复，请修改")
        dialog.return_button.click()
        qtbot.waitUntil(lambda: dialog.current is not None and
                        dialog.current["status"] == "returned", timeout=30_000)
        wait_idle(qtbot, window)
        assert "标识码重复" in dialog.detail.text()
        shot(dialog, "coordinator-returned.png")
        dialog.accept_button.click()  # a returned submission cannot be accepted
        wait_idle(qtbot, window)
        assert not dialog.accept_button.isEnabled()
    finally:
        server.stop()
