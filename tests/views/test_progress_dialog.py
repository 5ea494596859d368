"""The progress report dialog over the sample Suzhou copy (synthetic log in its mirror): it lists
only the items Suzhou leads or joins, and saving puts ONE queued report in the outbox with the
lines as entered (evidence file included); "Send now" runs the implementation sync with
progress. Screenshot to /work/shots/implement/ when that folder exists."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from app.editing import implement_jobs
from app.implement import outbox
from app.implement.state import fold
from app.model.jobs import Progress
from app.views.progress_dialog import ProgressDialog
from tests.views.conftest import open_and_wait, wait_idle
from tests.views.test_implement_dashboard import SHOTS, copies  # noqa: F401 (module fixture)

PARTY = "320500"


def on_worker(qtbot, window, fn, *args):
    """`fn(project, *args)` run on the window's worker; its result."""
    box = []
    window.worker.call(fn, *args, done=box.append, error=box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=10_000)
    return box[0]


@pytest.fixture
def dialog(qtbot, window, copies):  # noqa: F811
    folder, _events = copies
    open_and_wait(qtbot, window, folder / "320500.sqlite")
    window.actions_by_name["impl_report"].trigger()  # Implementation → Write progress report…
    found = window.progress_dialog
    qtbot.addWidget(found)
    wait_idle(qtbot, window)
    return found


def test_lists_only_the_party_items(dialog: ProgressDialog, copies):  # noqa: F811
    state = fold(copies[1])
    mine = {i.id for i in state.items_of(PARTY) if not state.children(i.id)}
    shown = {dialog.table.item(r, 1).data(256) for r in range(dialog.table.rowCount())}
    assert shown == mine and len(mine) > 5
    assert "苏州市" in dialog.head.text()
    assert dialog.periods.currentData() == dialog.form.periods[0]


def test_save_puts_one_report_in_the_outbox(qtbot, window, dialog, tmp_path):
    evidence = tmp_path / "photo.png"
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(QColor("green"))
    image.save(str(evidence))
    for row in range(2, dialog.table.rowCount()):  # report on the first two items only
        dialog.editors(row)[0].setChecked(False)
    first, second = (dialog.table.item(r, 1).data(256) for r in (0, 1))
    _box, spin, status = dialog.editors(0)
    spin.setValue(55)
    status.setCurrentIndex(status.findData("delayed"))
    dialog.table.selectRow(0)
    dialog.narrative_zh.setPlainText("征地滞后")
    dialog.issue_zh.setText("跨市用地指标待协调")
    dialog.files.addItem(str(evidence))
    before = len(on_worker(qtbot, window, outbox.pending))
    dialog.save(send=False)
    wait_idle(qtbot, window)
    assert dialog.saved_id is not None, dialog.message.text()
    queued = on_worker(qtbot, window, outbox.pending)
    assert len(queued) == before + 1
    item = queued[-1]
    assert item["id"] == dialog.saved_id and item["kind"] == "report"
    data = item["data"]
    assert data["period"] == dialog.periods.currentData()
    assert [line["item"] for line in data["lines"]] == [first, second]
    line = data["lines"][0]
    assert (line["percent"], line["status"], line["narrative_zh"]) == (55.0, "delayed", "征地滞后")
    assert line["issues"] == [{"title_zh": "跨市用地指标待协调", "title_en": ""}]
    assert len(line["attachments"]) == 1 and data["lines"][1]["attachments"] == []
    files = on_worker(qtbot, window, lambda p: p.db.execute(
        "SELECT id, media_type FROM coplan_implement_files WHERE outbox_id = ?", (item["id"],)).fetchall())
    assert files == [(line["attachments"][0], "image/png")]


def test_send_now_runs_the_sync_with_progress(qtbot, window, dialog, monkeypatch):
    seen = []

    def fake_sync(project):  # the server round trip is covered by the outbox's own tests
        yield Progress("send", 0, 1, "report")
        yield Progress("pull", 1, 1)
        return len(outbox.pending(project)), 3

    monkeypatch.setattr(implement_jobs, "sync_steps", fake_sync)
    dialog._on_progress = lambda step: seen.append(step.stage)
    dialog.send()
    wait_idle(qtbot, window)
    assert seen == ["send", "pull"]
    assert "3" in dialog.message.text() and dialog.send_button.isEnabled()


def test_screenshot(qtbot, window, dialog):
    if not SHOTS.is_dir():
        pytest.skip("no /work/shots/implement folder")
    dialog.table.selectRow(1)
    dialog.narrative_zh.setPlainText("环太湖生态廊道示范段已完成方案审查。")
    dialog.issue_zh.setText("跨市用地指标待协调")
    dialog.files.addItem(str(Path("/tmp/现场照片.jpg")))
    dialog.grab().save(str(SHOTS / "progress-dialog-zh.png"))


def test_send_now_over_a_real_server(qtbot, window, tmp_path, monkeypatch):
    """The coordinator registers the items; Suzhou reports two of them in the dialog and sends
    them at once: the server holds the report and the copy's mirror has it back."""
    from tests.implement.test_end_to_end import clone_all, ok, start_site

    server, tokens = start_site(tmp_path)
    try:
        clone_all(server, {u: tokens[u] for u in ("boss", "sz")}, tmp_path, monkeypatch)
        monkeypatch.setenv("COPLAN_TOKEN", tokens["boss"])
        ok("progress", "items", tmp_path / "boss.sqlite", "--register")
        monkeypatch.setenv("COPLAN_TOKEN", tokens["sz"])
        ok("progress", "sync", tmp_path / "sz.sqlite")
        open_and_wait(qtbot, window, tmp_path / "sz.sqlite")
        dialog = window.progress_dialog = ProgressDialog(window, window)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.load()
        wait_idle(qtbot, window)
        assert dialog.row_of("Z2.strategy.1") >= 0 and dialog.row_of("S1.action.1") == -1
        for row in range(dialog.table.rowCount()):
            item = dialog.table.item(row, 1).data(256)
            dialog.editors(row)[0].setChecked(item in ("Z2.strategy.1", "Z2.strategy.2"))
        dialog.editors(dialog.row_of("Z2.strategy.1"))[1].setValue(60)
        dialog.save(send=True)
        qtbot.waitUntil(lambda: dialog.form is not None and dialog.form.queued == 0
                        and "Z2.strategy.1" in dialog.form.last, timeout=20_000)
        wait_idle(qtbot, window)
        state = on_worker(qtbot, window, outbox.local_state)
        (report,) = state.reports_of("320500")
        assert [(line.item, line.percent) for line in report.lines][0] == ("Z2.strategy.1", 60.0)
        assert len(on_worker(qtbot, window, outbox.pending, "sent")) == 1
    finally:
        server.stop()
