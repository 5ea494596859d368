"""The conflict view in the user's words, on real conflicts from a real server: the server's
current value / my change / the common original, catalogue labels, deletes shown as deletes with
who deleted; and the same from hand-made records (which side of the triple is which)."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from shapely.geometry import box

from app.editing.jobs import describe_conflict
from app.model.catalogue import load_catalogue
from app.project import features as F
from app.project import history as H
from app.project.project import Project
from app.sync import replica
from app.sync.client import Remote
from app.views import i18n
from app.views.conflict_view import ConflictView, conflict_summary
from tests.views.conftest import open_and_wait, wait_idle
from tests.views.test_end_to_end import PROJECT, OtherClient, login, server, sync_and_wait  # noqa: F401

TIMEOUT = 30_000
SHOTS = os.environ.get("COPLAN_SCREENSHOTS")
LINE = {"XZQDM": "310000", "XZQMC": "上海市"}


def red_line(bsm: str, name: str, i: int) -> tuple[dict, object]:
    return {**LINE, "BSM": bsm, "HXMC": name}, box(121.0 + i / 50, 31.0, 121.015 + i / 50, 31.015)


def run_in_thread(fn):
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(fn).result(timeout=60)


def prepare(url: str, tokens: dict, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """Shanghai adds three red lines and pushes; the coordinator renames one, deletes another
    and renames the third; Shanghai, not yet pulled, renames the first, edits the deleted one
    and deletes the third: a cell, an update-delete and a delete-update conflict on push."""
    path = tmp_path / "sh.sqlite"
    remote = Remote(url, tokens["sh"])

    def first() -> dict[str, str]:
        with replica.run(replica.clone_steps(remote, PROJECT, path)) as p:
            uuids = {name: F.add_feature(p, "STBHHX", *red_line(f"31000000000{i}", name, i)).uuid
                     for i, name in enumerate(("东滩", "西滩", "南滩"))}
            H.commit(p, "三条红线")
            replica.run(replica.sync_steps(p, remote))
        return uuids
    uuids = run_in_thread(first)

    other = OtherClient(url, tokens["boss"], tmp_path / "boss.sqlite")
    try:
        other.edit_and_sync("STBHHX", uuids["东滩"], {"HXMC": "办"})
        other.edit_and_sync("STBHHX", uuids["南滩"], {"HXMC": "办南"})

        def delete() -> None:
            F.delete_feature(other.project, "STBHHX", uuids["西滩"])
            H.commit(other.project, "删除西滩")
            replica.run(replica.sync_steps(other.project, other.remote))
        other.run(delete)
    finally:
        other.close()

    def second() -> None:
        with Project.open(path) as p:
            F.update_feature(p, "STBHHX", uuids["东滩"], {"HXMC": "沪"})
            F.update_feature(p, "STBHHX", uuids["西滩"], {"HXLX": "湿地"})
            F.delete_feature(p, "STBHHX", uuids["南滩"])
            H.commit(p, "我的修改")
    run_in_thread(second)
    return path, uuids


def table(view: ConflictView) -> list[list[str]]:
    return [[view.table.item(r, c).text() for c in range(4)] for r in range(view.table.rowCount())]


def headers(view: ConflictView) -> list[str]:
    return [view.table.horizontalHeaderItem(c).text() for c in range(4)]


def test_real_conflicts_in_the_users_words(qtbot, window, server, tmp_path):  # noqa: F811
    url, tokens = server
    path, uuids = prepare(url, tokens, tmp_path)
    open_and_wait(qtbot, window, path)
    login(qtbot, window, url)
    with qtbot.waitSignal(window.conflicts_shown, timeout=TIMEOUT, check_params_cb=lambda c: len(c) == 3):
        sync_and_wait(qtbot, window, "push")
    wait_idle(qtbot, window)
    panel = window.sync_panel
    by_uuid = {c["uuid"]: i for i, c in enumerate(panel.conflicts)}
    view = panel.conflict_view
    tr = i18n.tr

    panel.conflict_list.setCurrentRow(by_uuid[uuids["东滩"]])
    assert view.conflict["kind"] == "cell" and view.conflict["mine"]
    assert headers(view) == [tr("Field"), tr("Server's current value"), tr("My change"), tr("Common original")]
    # The server holds the coordinator's 办; my pushed change is 沪; we both started from 东滩.
    assert table(view) == [["红线名称", "办", "沪", "东滩"]]
    summary = panel.conflict_list.currentItem().text()
    assert "生态保护红线" in summary and "红线名称" in summary and "STBHHX" not in summary
    assert "310000000000" in summary  # the feature's BSM, not its uuid
    _shoot(qtbot, window, "conflict-cell")

    panel.conflict_list.setCurrentRow(by_uuid[uuids["西滩"]])
    assert view.conflict["kind"] == "update-delete"
    [row] = table(view)
    assert row == ["红线类型", tr("Deleted by {}").format("office boss"), "湿地", "—"]
    assert view.buttons["ours"].text() == tr("Keep it deleted")
    _shoot(qtbot, window, "conflict-update-delete")

    panel.conflict_list.setCurrentRow(by_uuid[uuids["南滩"]])
    assert view.conflict["kind"] == "delete-update"
    assert ["红线名称", "办南", tr("Deleted by {}").format("310000"), "南滩"] in table(view)

    larger = view.open_window()  # the same conflict in a window of its own; resolving there works
    assert table(larger) == table(view) and larger.window().isVisible()
    chosen = view.conflict["id"]
    with qtbot.waitSignal(window.conflicts_shown, timeout=TIMEOUT, check_params_cb=lambda c: len(c) == 2):
        larger.buttons["ours"].click()  # keep the server's value
    wait_idle(qtbot, window)
    assert not larger.window().isVisible() and chosen not in [c["id"] for c in panel.conflicts]


def _shoot(qtbot, window, name: str) -> None:
    """With COPLAN_SCREENSHOTS set: the window at 1920×1080 with the sync panel up, zh and en."""
    if not SHOTS:
        return
    window.resize(1920, 1080)
    window.docks["sync"].raise_()
    larger = window.sync_panel.conflict_view.open_window()
    for code in ("zh", "en"):
        window.set_language(code)
        qtbot.wait(200)
        window.grab().save(str(Path(SHOTS) / f"{name}-{code}.png"))
        larger.window().grab().save(str(Path(SHOTS) / f"{name}-window-{code}.png"))
    larger.window().hide()
    window.set_language("zh")


def record(kind: str, cells: dict, party: str = "310000", **extra) -> dict:
    return {"id": 7, "layer": "STBHHX", "uuid": "u-1", "kind": kind, "cells": cells, "party": party,
            "server_row": None, "reason": "", **extra}


def test_another_partys_pushed_change_is_not_called_mine(qtbot):
    i18n.install("en")
    view = ConflictView()
    qtbot.addWidget(view)
    conflict = describe_conflict(load_catalogue(), "office", record("cell", {"HXMC": ["a", "b", "c"]}))
    view.show_conflict(conflict)
    assert headers(view) == ["Field", "Server's current value", "Change by 310000", "Common original"]
    assert table(view) == [["Red line name", "b", "c", "a"]]
    assert view.buttons["theirs"].text() == "Use the pushed change"


def test_the_list_line_names_layer_feature_and_fields(qtbot):
    i18n.install("zh")
    conflict = describe_conflict(load_catalogue(), "310000", record(
        "update-delete", {"HXLX": ["a", None, "b"]}, server_row=None),)
    conflict["cells"]["BSM"] = ["310000000009", None, "310000000009"]
    line = conflict_summary(describe_conflict(load_catalogue(), "310000", conflict))
    assert line.startswith("#7  生态保护红线") and "红线类型" in line and "标识码" in line


def test_a_double_click_opens_the_larger_view(qtbot):
    from app.views.sync_panel import SyncPanel

    i18n.install("zh")
    panel = SyncPanel()
    qtbot.addWidget(panel)
    conflict = describe_conflict(load_catalogue(), "310000", record("cell", {"HXMC": ["东滩", "办", "沪"]}))
    panel.set_conflicts([conflict])  # model -> UI
    assert panel.conflict_list.item(0).text().startswith("#7  生态保护红线")
    panel.conflict_list.itemDoubleClicked.emit(panel.conflict_list.item(0))  # UI -> larger view
    larger = panel.conflict_view.window_view
    assert larger is not None and larger.window().isVisible()
    assert table(larger) == [["红线名称", "办", "沪", "东滩"]]
    larger.window().hide()
