"""Each panel in both directions: UI -> model (what a click or typing changes) and
model -> UI (what a model change shows), without the window or the database."""

from __future__ import annotations

import shapely
from PySide6.QtCore import Qt

from app.editing.form import FormModel
from app.editing.jobs import HistorySnapshot
from app.editing.selection import Selection
from app.editing.store import FeatureStore
from app.model.catalogue import load_catalogue
from app.model.changes import Change
from app.model.feature import Feature
from app.views.attribute_table import BATCH, AttributeTable
from app.views.change_log import ChangeLog
from app.views.feature_form import FeatureForm
from app.views.sync_panel import SyncPanel

CATALOGUE = load_catalogue()
LAYER = CATALOGUE.layer("STBHHX")


def red(i: int, owner: str = "310000") -> Feature:
    return Feature("STBHHX", f"u{i:05d}", owner, {"BSM": str(i), "XZQDM": "310000", "XZQMC": "上海市",
                                                  "HXMC": f"红线{i}", "MJ": 1.0},
                   shapely.MultiPolygon([shapely.box(121 + i * 1e-3, 31, 121.0005 + i * 1e-3, 31.001)]))


def test_form_ui_to_model_and_back(qtbot):
    form = FeatureForm()
    qtbot.addWidget(form)
    model = FormModel(LAYER, CATALOGUE, red(1))
    form.set_model(model)
    form.editors["HXMC"].editor.textEdited.emit("东滩")  # UI -> model
    assert model.values["HXMC"] == "东滩"
    form.editors["BSM"].editor.textEdited.emit("")
    assert not form.editors["BSM"].error.isHidden() and not form.save_button.isEnabled()
    model.replace_feature(red(2))  # model -> UI
    assert form.editors["HXMC"].editor.text() == "红线2" and form.editors["BSM"].error.isHidden()
    with qtbot.waitSignal(form.save_requested):
        form.save_button.click()


def test_form_is_read_only_for_another_party(qtbot):
    form = FeatureForm()
    qtbot.addWidget(form)
    form.set_model(FormModel(LAYER, CATALOGUE, red(1, owner="320500"), read_only=True))
    assert not form.banner.isHidden() and "320500" in form.banner.text()
    assert not form.editors["HXMC"].editor.isEnabled() and not form.save_button.isEnabled()


def table_with(qtbot, n: int):
    store, selection = FeatureStore(), Selection()
    store.reset({"STBHHX": [red(i, "320500" if i == 1 else "310000") for i in range(n)]})
    widget = AttributeTable(store, selection)
    qtbot.addWidget(widget)
    widget.model.set_layer(LAYER, CATALOGUE, "310000", "editor")
    return store, selection, widget


def test_table_is_lazy_and_sorts_and_filters(qtbot):
    store, _, widget = table_with(qtbot, 1200)
    model = widget.model
    assert model.rowCount() == BATCH and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 2 * BATCH
    column = model.columns().index("HXMC")
    model.sort(column, Qt.SortOrder.DescendingOrder)
    assert model.data(model.index(0, column)) == "红线999"
    widget.filter.setText("红线11")  # UI -> model
    assert model.rowCount() == 111  # 11, 110-119, 1100-1199
    assert model.data(model.index(0, 0)) == "310000"


def test_table_edits_are_validated_and_requested(qtbot):
    store, _, widget = table_with(qtbot, 3)
    model = widget.model
    column = model.columns().index("HXMC")
    with qtbot.waitSignal(model.edit_requested) as blocker:
        assert model.setData(model.index(0, column), "东滩")  # UI -> edit request
    assert blocker.args[1] == {"HXMC": "东滩"}
    bsm = model.columns().index("BSM")
    with qtbot.waitSignal(model.edit_refused):
        assert not model.setData(model.index(0, bsm), "")  # required
    assert not model.flags(model.index(1, column)) & Qt.ItemFlag.ItemIsEditable  # another party's
    store.put(red(0).__class__(**{**red(0).__dict__, "attrs": {**red(0).attrs, "HXMC": "新"}}))
    assert model.data(model.index(0, column)) == "新"  # model -> UI


def test_table_selection_both_ways(qtbot):
    store, selection, widget = table_with(qtbot, 800)
    selection.set("STBHHX", ["u00700"])  # model -> UI, beyond the first batch
    rows = widget.view.selectionModel().selectedRows()
    assert [widget.model.order[i.row()] for i in rows] == ["u00700"]
    widget.view.selectRow(2)  # UI -> model
    assert selection.uuids == ("u00002",)


def test_change_log_both_ways(qtbot):
    log = ChangeLog()
    qtbot.addWidget(log)
    snapshot = HistorySnapshot((Change("STBHHX", "u1", "insert", {"HXMC": (None, "x")}),), (), 0, None, 0)
    log.show_snapshot(snapshot)  # model -> UI
    assert log.pending.topLevelItemCount() == 1 and log.commit_button.isEnabled()
    log.message.setText("红线")
    with qtbot.waitSignal(log.commit_requested) as blocker:  # UI -> request
        log.commit_button.click()
    assert blocker.args == ["红线"]


CONFLICT = {"id": 7, "layer": "STBHHX", "uuid": "u1", "kind": "cell", "party": "310000", "status": "open",
            "cells": {"HXMC": ["东滩", "办", "沪"],
                      "geom": [None, shapely.box(121, 31, 121.1, 31.1).wkb_hex,
                               shapely.box(121, 31, 121.2, 31.1).wkb_hex]},
            "server_row": None}


def test_sync_panel_both_ways(qtbot):
    panel = SyncPanel()
    qtbot.addWidget(panel)
    panel.show_snapshot(HistorySnapshot((), (), 2, ("http://s", "metro"), 5))  # model -> UI
    assert panel.url.text() == "http://s" and "2" in panel.counts.text()
    with qtbot.waitSignal(panel.run_requested) as blocker:
        panel.run_buttons["sync"].click()  # UI -> request
    assert blocker.args == ["sync"]
    panel.set_running(True)
    assert panel.cancel_button.isEnabled() and not panel.run_buttons["push"].isEnabled()
    with qtbot.waitSignal(panel.cancel_requested):
        panel.cancel_button.click()
    panel.set_progress(3, 4, "step")
    assert panel.progress.value() == 3


def test_conflict_view_side_by_side_and_resolve(qtbot):
    panel = SyncPanel()
    qtbot.addWidget(panel)
    panel.set_conflicts([CONFLICT])  # model -> UI
    view = panel.conflict_view
    assert view.table.rowCount() == 2 and view.table.item(0, 2).text() == "沪"
    assert view.previews["theirs"].geoms["theirs"].bounds[2] > view.previews["ours"].geoms["ours"].bounds[2]
    assert view.previews["ancestor"].geoms["ancestor"] is None
    with qtbot.waitSignal(panel.resolve_requested) as blocker:
        view.buttons["ours"].click()  # UI -> request
    assert blocker.args == [7, "ours"]
    panel.set_conflicts([])
    assert view.conflict is None and not view.buttons["ours"].isEnabled()


def test_sync_panel_lists_waiting_change_sets_and_drops_a_refused_one(qtbot):
    from app.sync.replica import OutboxEntry

    panel = SyncPanel()
    qtbot.addWidget(panel)
    waiting = (OutboxEntry("id-sent", "rename", "2026-12-01T00:00Z", 1, "pushed", None),
               OutboxEntry("id-refused", "too big", "2026-12-01T00:01Z", 3, "local", "more than 200,000 vertices"))
    panel.show_snapshot(HistorySnapshot((), (), 1, ("http://s", "metro"), 5, waiting))  # model -> UI
    assert panel.waiting_list.count() == 2
    assert "200,000 vertices" in panel.waiting_list.item(1).text()
    panel.waiting_list.setCurrentRow(0)
    assert not panel.drop_button.isEnabled()  # only a refused one can be dropped
    panel.waiting_list.setCurrentRow(1)
    with qtbot.waitSignal(panel.drop_requested) as blocker:
        panel.drop_button.click()  # UI -> request
    assert blocker.args == ["id-refused"]
