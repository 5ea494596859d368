"""The window with tens of thousands of parcels: a rectangle selection reaches the map, the
table and the form as the same uuids; the table's selection is held as row ranges; table ->
map; filter and sort of a big layer (ordered off the GUI thread) stay right. No timings here:
benchmarks/bench_desktop.py measures them."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, QRectF, Qt

from app.editing import table as table_rules
from app.project.project import Project
from app.views.attribute_table import BATCH
from app.views.edit_overlay import OWN
from benchmarks.common import fill_layer
from tests.views.conftest import open_and_wait, wait_idle

LAYER = "GHYDYH"
N = 20_000
WEST, SOUTH, EAST, NORTH = 119.5, 30.0, 122.0, 32.0  # where benchmarks.common.parcels lie


@pytest.fixture(scope="module")
def big_project(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "big.sqlite"
    with Project.create(path, "310000", "上海市", author="tester") as project:
        fill_layer(project, LAYER, N)
    return path


@pytest.fixture
def big(qtbot, window, big_project):
    open_and_wait(qtbot, window, big_project)
    window.tree.select_layer(LAYER)
    window.set_active_layer(LAYER)
    wait_table(qtbot, window)
    wait_idle(qtbot, window)
    return window


def wait_table(qtbot, window) -> None:
    model = window.table.model
    qtbot.waitUntil(lambda: not model.ordering and not window.table.selecting, timeout=30_000)


def select_box(window, bounds) -> None:
    p = window.map.projection
    window.map.select_in_rect(QRectF(p.to_scene(bounds[0], bounds[3]), p.to_scene(bounds[2], bounds[1])))


def view_rows(window) -> set[int]:
    rows = set()
    for r in window.table.view.selectionModel().selection():
        rows.update(range(r.top(), r.bottom() + 1))
    return rows


def test_rectangle_selection_reaches_map_table_and_form(qtbot, big):
    w = big
    bounds = (WEST - 0.1, SOUTH - 0.1, 121.2, NORTH + 0.1)  # about two thirds of the parcels
    expected = set(w.store.layers[LAYER].query(bounds))
    select_box(w, bounds)
    wait_table(qtbot, w)
    assert w.selection.layer == LAYER and set(w.selection.uuids) == expected and len(expected) > 10_000
    # the table: every selected uuid's row, and the view holds them as merged row ranges
    table, model = w.table, w.table.model
    assert set(model.uuids_of(table.selected_rows())) == expected
    model.fetch_to(len(model.order) - 1)  # scrolling to the end selects the rows fetched
    rows = view_rows(w)
    assert {model.order[r] for r in rows} == expected
    runs = 1 + int((np.diff(sorted(rows)) != 1).sum())  # consecutive rows are one range
    ranges = len(table.view.selectionModel().selection())
    assert runs <= ranges <= runs + N // BATCH < len(rows)  # a run may split where a fetch ended
    # the map: one highlight of every selected feature, drawn off the GUI thread
    assert len(w.map.overlay.highlight) == len(expected) and w.map.overlay.selected == []
    qtbot.waitUntil(lambda: not w.map.overlay.pending, timeout=30_000)
    # the form: several features, none shown
    assert w.form.model is None and f"{len(expected):,}" in w.form.title.text()


def test_selection_image_marks_the_selected_parcels(qtbot, big):
    w = big
    w.map.zoom_to_bounds((WEST, SOUTH, EAST, NORTH))
    select_box(w, (WEST - 0.1, SOUTH - 0.1, 120.7, NORTH + 0.1))
    qtbot.waitUntil(lambda: not w.map.overlay.pending, timeout=30_000)
    overlay = w.map.overlay
    image, rect = overlay._image, overlay._image_rect

    def pixel(lon: float, lat: float):
        at = w.map.projection.to_scene(lon, lat)
        x = (at.x() - rect.left()) / rect.width() * image.width()
        y = (at.y() - rect.top()) / rect.height() * image.height()
        return image.pixelColor(round(x), round(y))

    chosen = w.store.get(LAYER, w.selection.uuids[0]).geometry.bounds
    assert pixel((chosen[0] + chosen[2]) / 2, (chosen[1] + chosen[3]) / 2).name() == OWN.name()
    assert pixel(121.9, 31.0).alpha() == 0  # east of the rectangle: nothing drawn


def test_table_to_map_and_back(qtbot, big):
    w = big
    table, model = w.table, w.table.model
    table.view.selectRow(3)  # UI -> model
    assert w.selection.uuids == (model.order[3],)
    assert len(w.map.overlay.selected) == 1 and w.form.model.feature.uuid == model.order[3]
    chosen = QItemSelection(model.index(10, 0), model.index(409, model.columnCount() - 1))
    table.view.selectionModel().select(chosen, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    assert list(w.selection.uuids) == model.order[10:410]
    assert len(w.map.overlay.highlight) == 400  # more than the overlay outlines per paint
    w.selection.set(LAYER, [model.order[5]])  # model -> UI
    assert view_rows(w) == {5}


def test_filter_and_sort_a_big_layer(qtbot, big):
    w = big
    table, model = w.table, w.table.model
    uuid = model.order[1]
    w.selection.set(LAYER, [uuid])
    with qtbot.waitSignal(model.order_ready, timeout=30_000):
        table.filter.setText("0701")  # ordered on a pool thread, then swapped in
    everything = w.store.layers[LAYER].features.values()
    expected = [f.uuid for f in everything if table_rules.matches(f, "0701")]  # in load order
    assert model.order == expected and len(expected) >= N // 5
    assert view_rows(w) == {0}  # parcel 1 is a 0701 one: still selected, now in row 0
    column = model.columns().index("TBMJ")
    with qtbot.waitSignal(model.order_ready, timeout=30_000):
        model.sort(column, Qt.SortOrder.DescendingOrder)
    areas = [w.store.get(LAYER, u).attrs["TBMJ"] for u in model.order]
    assert areas == sorted(areas, reverse=True) and len(areas) == len(expected)
    assert model.row_of(uuid) == len(areas) - 1  # the smallest 0701 parcel: last
    with qtbot.waitSignal(model.order_ready, timeout=30_000):
        table.filter.setText("")
    assert len(model.order) == N and model.row_of(uuid) == N - 2


def test_identify_finds_the_parcel_under_the_point(qtbot, big):
    w = big
    feature = w.store.get(LAYER, w.table.model.order[7])
    centre = feature.geometry.centroid
    hits = w.store.layers[LAYER].at(centre.x, centre.y, 1e-7)
    assert feature.uuid in [f.uuid for f in hits]


# -- bulk edits: work per burst, not per feature ----------------------------------------------

def test_a_bulk_edit_updates_the_window_once_per_burst(qtbot, window, big_project, tmp_path, monkeypatch):
    import shutil

    from app.editing.commands import DeleteFeatures, SetAttribute
    from app.views import map_view

    copy = tmp_path / "bulk.sqlite"
    shutil.copy(big_project, copy)
    w = open_and_wait(qtbot, window, copy) and window
    index = w.store.layers[LAYER]
    uuids = [str(u) for u in index.uuids[:3000]]  # past REBUILD_AFTER: one rebuild, not six
    w.selection.set(LAYER, uuids)
    wait_idle(qtbot, w)
    counts, highlights = [], []
    monkeypatch.setattr(w.tree, "set_count", lambda code, n: counts.append((code, n)))
    real = map_view.build_highlight
    monkeypatch.setattr(map_view, "build_highlight", lambda *a: highlights.append(1) or real(*a))
    paths = {u: w.map.data.paths[u] for u in uuids[:50]}
    version = index.version
    features = [w.store.get(LAYER, u) for u in uuids]
    w.edits.submit(SetAttribute(features, "BZ", values=["批量"] * len(features)))
    qtbot.waitUntil(lambda: w.store.get(LAYER, uuids[-1]).attrs["BZ"] == "批量", timeout=60_000)
    wait_idle(qtbot, w)
    qtbot.wait(50)
    assert index.version == version + 1 and len(highlights) == 1
    assert all(w.map.data.paths[u] is p for u, p in paths.items())  # same shapes: not redrawn
    w.selection.clear()
    w.edits.submit(DeleteFeatures(features))
    qtbot.waitUntil(lambda: w.store.count(LAYER) == N - len(features), timeout=60_000)
    qtbot.wait(50)
    assert counts[-1] == (LAYER, N - len(features)) and len(counts) <= 2
