"""The change log in a real window: human labels, the diff of a pending change and of a committed
change set, revert, Discard asking first, undo across a commit, and 100,000 pending changes."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from shapely.geometry import box

from app.editing import jobs
from app.editing.commands import AddFeature, UpdateFeature
from app.project import features as F
from app.project import history as H
from app.project.project import Project
from app.sync import replica
from app.sync.client import Remote
from app.views import dialogs, i18n
from app.views.change_log import PAGE, ChangeLog
from tests.views.conftest import open_and_wait, wait_idle
from tests.views.test_end_to_end import PROJECT, login, server, sync_and_wait  # noqa: F401

TIMEOUT = 30_000
SHOTS = os.environ.get("COPLAN_SCREENSHOTS")
RED_LINE = {"BSM": "310000000001", "XZQDM": "310000", "XZQMC": "上海市", "HXMC": "东滩"}


def make_project(path: Path) -> tuple[Path, list[str]]:
    """Two red lines made together (their UUIDv7s share a head), committed, then one renamed
    and reshaped and the other deleted: two pending changes."""
    with Project.create(path, "310000", "上海市", author="tester") as p:
        a = F.add_feature(p, "STBHHX", RED_LINE, box(121.0, 31.0, 121.02, 31.02))
        b = F.add_feature(p, "STBHHX", {**RED_LINE, "BSM": "310000000002", "HXMC": "西滩"},
                          box(121.05, 31.0, 121.07, 31.02))
        H.commit(p, "两条红线")
        F.update_feature(p, "STBHHX", a.uuid, {"HXMC": "南滩"},
                         geom=box(121.0, 31.0, 121.03, 31.025).union(box(121.0, 31.0, 121.01, 31.03)))
        F.delete_feature(p, "STBHHX", b.uuid)
    return path, [a.uuid, b.uuid]


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path / "log.sqlite")


def open_with_history(qtbot, window, path: Path):
    with qtbot.waitSignal(window.history_shown, timeout=TIMEOUT):
        open_and_wait(qtbot, window, path)
    wait_idle(qtbot, window)
    return window.change_log


def shoot(qtbot, window, name: str) -> None:
    """With COPLAN_SCREENSHOTS set: the window at 1920×1080 with the change log up, zh and en."""
    if not SHOTS:
        return
    window.resize(1920, 1080)
    window.docks["log"].raise_()
    for code in ("zh", "en"):
        window.set_language(code)
        qtbot.wait(200)
        window.grab().save(str(Path(SHOTS) / f"{name}-{code}.png"))
    window.set_language("zh")


def child(log: ChangeLog, group: int, row: int):
    model = log.model
    return model.index(row, 0, model.index(group, 0))


def test_pending_changes_are_grouped_and_named_by_bsm_and_name(qtbot, window, project):
    path, (a, b) = project
    log = open_with_history(qtbot, window, path)
    model = log.model
    assert model.rowCount() == 2  # 生态保护红线 · 修改, 生态保护红线 · 删除
    groups = [(model.index(i, 0).data(), model.index(i, 1).data()) for i in range(2)]
    assert groups == [("生态保护红线", i18n.tr("Changed")), ("生态保护红线", i18n.tr("Deleted"))]
    for group in range(2):
        log.pending.expand(model.index(group, 0))
    assert child(log, 0, 0).data() == "310000000001 南滩"
    assert child(log, 1, 0).data() == "310000000002 西滩"
    columns = model.index(0, 2, model.index(0, 0)).data()
    assert "红线名称" in columns and i18n.tr("Geometry") in columns and "HXMC" not in columns


def test_choosing_a_pending_change_shows_its_diff(qtbot, window, project):
    path, (a, _) = project
    log = open_with_history(qtbot, window, path)
    log.pending.expand(log.model.index(0, 0))
    log.pending.setCurrentIndex(child(log, 0, 0))
    view = log.diff
    qtbot.waitUntil(lambda: view.diff is not None, timeout=TIMEOUT)
    assert [c.uuid for c in view.diff.changes] == [a]
    rows = {view.table.item(r, 0).text(): (view.table.item(r, 1).text(), view.table.item(r, 2).text())
            for r in range(view.table.rowCount())}
    assert rows["红线名称"] == ("东滩", "南滩")
    assert i18n.tr("Geometry") in rows
    assert view.geometry.old is not None and view.geometry.new is not None
    summary = view.geometry_text.text()
    assert "5 → " in summary and "→" in summary  # vertex counts before and after
    shoot(qtbot, window, "change-log-pending")


def test_a_committed_change_set_shows_its_diff_and_reverts(qtbot, window, project, monkeypatch):
    path, (a, b) = project
    log = open_with_history(qtbot, window, path)
    with qtbot.waitSignal(window.history_shown, timeout=TIMEOUT, check_params_cb=lambda s: not s.pending):
        log.message.setText("改名并删除")
        log.commit_button.click()
    wait_idle(qtbot, window)
    assert log.history.topLevelItemCount() == 2
    log.history.setCurrentItem(log.history.topLevelItem(0))  # the newest
    qtbot.waitUntil(lambda: log.diff.diff is not None, timeout=TIMEOUT)
    assert log.diff.diff.changeset.message == "改名并删除"
    texts = [log.diff.changes.item(i).text() for i in range(log.diff.changes.count())]
    assert any("310000000001 南滩" in t for t in texts) and any("310000000002 西滩" in t for t in texts)
    assert log.revert_button.isEnabled()
    shoot(qtbot, window, "change-log-changeset")

    asked = []
    monkeypatch.setattr(dialogs, "answer", lambda kind, parent, text: asked.append(text) or "yes")
    with qtbot.waitSignal(window.loaded, timeout=TIMEOUT):
        log.revert_button.click()
    wait_idle(qtbot, window)
    assert "改名并删除" in asked[0]
    assert window.store.get("STBHHX", a).attrs["HXMC"] == "东滩"
    assert window.store.get("STBHHX", b) is not None  # the delete was reverted too
    assert log.history.topLevelItemCount() == 3 and log.history.topLevelItem(0).text(1).startswith("Revert")


def test_revert_refused_over_later_edits_says_why(qtbot, window, project, monkeypatch):
    path, (a, _) = project
    with Project.open(path) as p:
        first = H.commit(p, "one")
        F.update_feature(p, "STBHHX", a, {"HXMC": "北滩"})
        H.commit(p, "two")
    log = open_with_history(qtbot, window, path)
    shown = []
    monkeypatch.setattr(dialogs, "answer", lambda kind, parent, text: shown.append((kind, text)) or "ok")
    window.change_log_jobs.revert(first.id)
    qtbot.waitUntil(lambda: log.status.text() != "", timeout=TIMEOUT)
    assert shown and shown[0][0] == "error" and shown[0][1] == log.status.text()
    assert window.store.get("STBHHX", a).attrs["HXMC"] == "北滩"


def test_discard_asks_first_and_cancel_keeps_everything(qtbot, window, project, monkeypatch):
    path, (a, _) = project
    log = open_with_history(qtbot, window, path)
    asked = []
    monkeypatch.setattr(dialogs, "answer", lambda kind, parent, text: asked.append(text) or "no")
    log.discard_button.click()
    wait_idle(qtbot, window)
    assert asked and "2" in asked[0]  # the count of changes it would drop
    assert len(log.snapshot.pending) == 2 and window.store.get("STBHHX", a).attrs["HXMC"] == "南滩"

    monkeypatch.setattr(dialogs, "answer", lambda kind, parent, text: "yes")
    with qtbot.waitSignal(window.loaded, timeout=TIMEOUT):
        log.discard_button.click()
    wait_idle(qtbot, window)
    assert log.snapshot.pending == () and window.store.get("STBHHX", a).attrs["HXMC"] == "东滩"


def test_discard_question_is_in_the_ui_language(qtbot, window, project, monkeypatch):
    path, _ = project
    log = open_with_history(qtbot, window, path)
    asked = []
    monkeypatch.setattr(dialogs, "answer", lambda kind, parent, text: asked.append((kind, text)) or "no")
    log.discard_button.click()
    assert asked == [("confirm", i18n.tr("Discard {} uncommitted change(s)? They cannot be restored.").format(2))]


def test_undo_survives_a_commit_as_a_new_inverse_edit(qtbot, window, project):
    path, (a, _) = project
    log = open_with_history(qtbot, window, path)
    with qtbot.waitSignal(window.history_shown, timeout=TIMEOUT, check_params_cb=lambda s: not s.pending):
        log.message.setText("先提交")
        log.commit_button.click()
    window.edits.submit(UpdateFeature(window.store.get("STBHHX", a), {"HXLX": "湿地"}))
    qtbot.waitUntil(lambda: window.edits.stack.count() == 1, timeout=TIMEOUT)
    wait_idle(qtbot, window)  # the change log knows of the edit
    with qtbot.waitSignal(window.history_shown, timeout=TIMEOUT, check_params_cb=lambda s: not s.pending):
        log.message.setText("类型")
        log.commit_button.click()
    assert window.edits.stack.canUndo()  # kept across the commit
    with qtbot.waitSignal(window.history_shown, timeout=TIMEOUT, check_params_cb=lambda s: len(s.pending) == 1):
        window.actions_by_name["undo"].trigger()
    wait_idle(qtbot, window)
    # The committed history is untouched; the undo is a new pending change back to the old value.
    assert [e.changeset.message for e in log.snapshot.log][:1] == ["类型"]
    [row] = log.snapshot.pending
    assert (row.uuid, row.op, row.cols) == (a, "update", ("HXLX",))
    assert window.store.get("STBHHX", a).attrs["HXLX"] is None


def test_a_reload_clears_the_undo_stack(qtbot, window, project, monkeypatch):
    path, (a, _) = project
    open_with_history(qtbot, window, path)
    window.edits.submit(UpdateFeature(window.store.get("STBHHX", a), {"HXLX": "湿地"}))
    qtbot.waitUntil(lambda: window.edits.stack.count() == 1, timeout=TIMEOUT)
    with qtbot.waitSignal(window.loaded, timeout=TIMEOUT):
        window.reload()  # as after a pull: the remembered features may have moved
    assert window.edits.stack.count() == 0


# --- 100,000 pending changes ------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_snapshot(tmp_path_factory):
    """A snapshot of a project with 100,000 pending changes (one column of every parcel)."""
    from benchmarks.common import fill_layer, new_project

    project = new_project(tmp_path_factory.mktemp("big"), "big.sqlite")
    try:
        fill_layer(project, "GHYDYH", 100_000)
        with project.db.atomic():
            project.db.execute("UPDATE GHYDYH SET BZ = '改'")
        return jobs.snapshot(project)
    finally:
        project.close()


def test_100k_pending_changes_show_as_one_group_fetched_page_by_page(qtbot, big_snapshot):
    log = ChangeLog()
    qtbot.addWidget(log)
    log.show_snapshot(big_snapshot)
    model = log.model
    assert len(big_snapshot.pending) == 100_000
    assert model.rowCount() == 1  # one group: 规划用地用海 · changed · 100,000
    group = model.index(0, 0)
    assert model.index(0, 2).data() == i18n.tr("{:,} feature(s)").format(100_000)
    assert model.rowCount(group) == 0  # a big group stays closed: no rows made yet
    log.pending.expand(group)
    loaded = model.rowCount(group)
    assert PAGE <= loaded <= 4 * PAGE  # opened: the pages that fill the view, not 100,000 rows
    first = model.index(0, 0, group)
    assert first.data() == "310000000000000000 示例" and model.index(0, 2, group).data() == "备注"
    model.fetchMore(group)  # as when scrolled to the end
    assert model.rowCount(group) == loaded + PAGE
    assert model.index(PAGE, 0, group).data() == f"3100000{PAGE:011d} 示例"
    assert log.pending_label.text() == i18n.tr("Pending changes: {}").format("100,000")
    if SHOTS:
        log.resize(1920, 420)
        log.pending.setCurrentIndex(first)
        for code in ("zh", "en"):
            i18n.install(code)
            log.retranslate()
            log.pending.expand(model.index(0, 0))
            log.grab().save(str(Path(SHOTS) / f"change-log-100k-{code}.png"))


def test_undo_survives_a_push_and_is_cleared_by_a_pull(qtbot, window, server, tmp_path):  # noqa: F811
    url, tokens = server
    path = tmp_path / "sh.sqlite"
    with ThreadPoolExecutor(1) as pool:  # the clone's I/O off the GUI thread, as the app does
        pool.submit(lambda: replica.run(replica.clone_steps(Remote(url, tokens["sh"]), PROJECT, path))
                    .close()).result(timeout=60)
    log = open_with_history(qtbot, window, path)
    login(qtbot, window, url)
    window.edits.submit(AddFeature("STBHHX", RED_LINE, box(121.0, 31.0, 121.02, 31.02)))
    qtbot.waitUntil(lambda: window.edits.stack.count() == 1, timeout=TIMEOUT)
    wait_idle(qtbot, window)
    with qtbot.waitSignal(window.history_shown, timeout=TIMEOUT, check_params_cb=lambda s: not s.pending):
        log.message.setText("红线")
        log.commit_button.click()
    sync_and_wait(qtbot, window, "push")
    assert window.edits.stack.canUndo()  # a push changes nothing here: undo is still a new edit
    with qtbot.waitSignal(window.loaded, timeout=TIMEOUT):
        sync_and_wait(qtbot, window, "pull")
    wait_idle(qtbot, window)
    assert window.edits.stack.count() == 0  # a pull may have moved what the stack remembers
