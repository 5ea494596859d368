"""Editing operations on a real window: split and reshape by a drawn line, merge, typed
coordinates, snapping options, select by expression and the field calculator — each through the
undo stack, undo restoring geometry and attributes exactly. Dialogs are filled in and accepted
directly (no nested modal loop)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from app.editing.geometry import SnapOptions, gk_to_lonlat
from app.views.map_tools import Tool
from tests.views.conftest import open_and_wait, wait_idle
from tests.views.test_main_window import make_project

WAIT = 10_000


@pytest.fixture
def loaded(qtbot, window, tmp_path):
    open_and_wait(qtbot, window, make_project(tmp_path / "p.sqlite", "320500", cities=2))
    window.tree.select_layer("XZQ")
    return window


def pixel_of(window, lon: float, lat: float) -> QPoint:
    return window.map.mapFromScene(window.map.projection.to_scene(lon, lat))


def city(w, name: str = "城市1"):
    return next(f for f in w.store.layers["XZQ"].features.values() if f.attrs["XZQMC"] == name)


def draw_line(w, points) -> None:
    viewport = w.map.viewport()
    for lon, lat in points:
        QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=pixel_of(w, lon, lat))
    QTest.keyClick(w.map, Qt.Key.Key_Return)


def state(w, code: str = "XZQ"):
    return {u: (f.attrs, f.geometry.wkb) for u, f in w.store.layers[code].features.items()}


def undo_and_wait(qtbot, w, before) -> None:
    w.actions_by_name["undo"].trigger()
    qtbot.waitUntil(lambda: state(w) == before, timeout=WAIT)
    wait_idle(qtbot, w)


def split_city(qtbot, w):
    original = city(w)
    w.selection.set("XZQ", [original.uuid])
    w.actions_by_name["split"].trigger()
    assert w.map.tool == Tool.SPLIT
    w.map.snapping = SnapOptions("off")
    draw_line(w, [(119.9, 31.1), (120.6, 31.1)])
    qtbot.waitUntil(lambda: w.store.count("XZQ") == 3, timeout=WAIT)
    return original


def test_split_by_drawn_line_and_undo(qtbot, loaded):
    w = loaded
    before = state(w)
    original = split_city(qtbot, w)
    kept = w.store.get("XZQ", original.uuid)
    [new] = [f for u, f in w.store.layers["XZQ"].features.items() if u not in before]
    assert kept.attrs["XZQMC"] == new.attrs["XZQMC"] == "城市1" and new.owner == original.owner
    assert new.attrs["BSM"] not in {f.attrs["BSM"] for f in (city(w, "城市2"), kept)}
    assert kept.geometry.area > new.geometry.area
    assert kept.geometry.area + new.geometry.area == pytest.approx(original.geometry.area)
    qtbot.waitUntil(lambda: set(w.selection.uuids) == {original.uuid, new.uuid}, timeout=WAIT)
    assert "2" in w.statusBar().currentMessage()
    undo_and_wait(qtbot, w, before)


def test_split_line_that_misses_says_so(qtbot, loaded):
    w = loaded
    w.selection.set("XZQ", [city(w).uuid])
    w.map.set_tool(Tool.SPLIT)
    with qtbot.waitSignal(w.map.message) as said:
        draw_line(w, [(120.1, 31.1), (120.2, 31.2)])  # inside: cuts nothing
    assert said.args[0] and w.store.count("XZQ") == 2 and w.edits.stack.count() == 0


def test_merge_split_pieces_back_and_undo(qtbot, loaded):
    w = loaded
    original = split_city(qtbot, w)
    qtbot.waitUntil(lambda: len(w.selection.uuids) == 2, timeout=WAIT)
    split_state = state(w)
    w.actions_by_name["merge"].trigger()
    qtbot.waitUntil(lambda: w.store.count("XZQ") == 2, timeout=WAIT)
    merged = w.store.get("XZQ", original.uuid)
    assert merged.attrs["BSM"] == original.attrs["BSM"]
    assert merged.geometry.area == pytest.approx(original.geometry.area)
    undo_and_wait(qtbot, w, split_state)


def test_merge_refuses_mixed_owners(qtbot, loaded):
    w = loaded
    w.selection.set("XZQ", [city(w).uuid, city(w, "城市2").uuid])
    w.actions_by_name["merge"].trigger()
    wait_idle(qtbot, w)
    assert "310000" in w.statusBar().currentMessage() and w.store.count("XZQ") == 2
    assert w.edits.stack.count() == 0


def test_reshape_by_drawn_line_and_undo(qtbot, loaded):
    w = loaded
    before, target = state(w), city(w)
    w.selection.set("XZQ", [target.uuid])
    w.actions_by_name["reshape"].trigger()
    w.map.snapping = SnapOptions("off")
    draw_line(w, [(120.1, 30.9), (120.2, 31.1), (120.3, 30.9)])  # a notch into the south edge
    qtbot.waitUntil(lambda: w.store.get("XZQ", target.uuid).geometry.area < target.geometry.area, timeout=WAIT)
    reshaped = w.store.get("XZQ", target.uuid)
    assert reshaped.geometry.geom_type == "MultiPolygon" and reshaped.geometry.is_valid
    assert reshaped.attrs["MJ"] < target.attrs["MJ"]  # the derived area follows
    undo_and_wait(qtbot, w, before)


def test_typed_coordinates_while_drawing(qtbot, loaded):
    w = loaded
    w.tree.select_layer("QYFZLD")
    w.map.set_tool(Tool.DRAW)
    dialog = w.edit_ops.enter_coordinates()
    dialog.set_system(0)
    dialog.first.setValue(120.5)
    dialog.second.setValue(31.25)
    dialog.accept()
    dialog = w.edit_ops.enter_coordinates()
    dialog.set_system(4549)
    dialog.first.setValue(3_470_000.0)  # X: northing
    dialog.second.setValue(560_000.0)  # Y: easting
    expected = gk_to_lonlat(3_470_000.0, 560_000.0, 4549)
    assert "°" in dialog.result.text()
    dialog.accept()
    with qtbot.waitSignal(w.map.sketch_finished) as finished:
        QTest.keyClick(w.map, Qt.Key.Key_Return)
    coords = list(finished.args[1].geoms[0].coords)
    assert coords[0] == (120.5, 31.25) and coords[1] == pytest.approx(expected)
    assert w.form.model is not None and w.form.model.is_new


def test_typed_coordinates_refuse_points_outside_china(qtbot, loaded):
    w = loaded
    w.map.set_tool(Tool.DRAW)
    dialog = w.edit_ops.enter_coordinates()
    dialog.set_system(4549)
    dialog.first.setValue(560_000.0)  # X and Y swapped: far outside
    dialog.second.setValue(347_000.0)
    from PySide6.QtWidgets import QDialogButtonBox
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    dialog.reject()
    w.map.set_tool(Tool.PAN)
    assert w.edit_ops.enter_coordinates() is None  # only with a drawing or vertex tool


def test_typed_vertex_on_selected_feature(qtbot, loaded):
    w = loaded
    before, target = state(w), city(w)
    w.selection.set("XZQ", [target.uuid])
    w.map.set_tool(Tool.VERTEX)
    dialog = w.edit_ops.enter_coordinates()
    dialog.set_system(0)
    dialog.first.setValue(120.2)
    dialog.second.setValue(30.95)
    dialog.accept()
    qtbot.waitUntil(lambda: len(w.store.get("XZQ", target.uuid).geometry.geoms[0].exterior.coords) == 6,
                    timeout=WAIT)
    assert (120.2, 30.95) in list(w.store.get("XZQ", target.uuid).geometry.geoms[0].exterior.coords)
    undo_and_wait(qtbot, w, before)


def test_snapping_options_reach_the_map(qtbot, loaded):
    w = loaded
    dialog = w.edit_ops.open_snapping()
    dialog.mode.setCurrentIndex(dialog.mode.findData("segment"))
    dialog.pixels.setValue(12)
    dialog.accept()
    assert w.map.snapping == SnapOptions("segment", 12)
    from app.views.edit_tools import load_snapping
    assert load_snapping() == SnapOptions("segment", 12)  # remembered for the next start
    near_edge = pixel_of(w, 120.2, 31.0) + QPoint(0, 5)  # 5 px below the south edge, far from corners
    lon, lat = w.map.snapped(near_edge.toPointF())
    assert lat == pytest.approx(31.0) and lon == pytest.approx(120.2, abs=0.01)
    w.map.snapping = SnapOptions("vertex", 12)
    assert w.map.snapped(near_edge.toPointF())[1] != pytest.approx(31.0)


def test_select_by_expression_runs_on_the_worker(qtbot, loaded):
    w = loaded
    dialog = w.edit_ops.select_by_expression()
    dialog.text.setPlainText("XZQMC >")
    assert not dialog.select_button.isEnabled() and "8" in dialog.status.text()
    dialog.text.setPlainText("XZQMC LIKE '%2' OR MJ > 1e12")
    assert dialog.select_button.isEnabled()
    dialog.run()
    qtbot.waitUntil(lambda: w.selection.uuids == (city(w, "城市2").uuid,), timeout=WAIT)
    assert "1" in dialog.result.text() and "2" in dialog.result.text()
    dialog.mode.setCurrentIndex(dialog.mode.findData("add"))  # add city 1 to the selection
    dialog.text.setPlainText("XZQMC = '城市1'")
    dialog.run()
    qtbot.waitUntil(lambda: len(w.selection.uuids) == 2, timeout=WAIT)
    dialog.mode.setCurrentIndex(dialog.mode.findData("within"))  # keep only those in 310000
    dialog.text.setPlainText("XZQDM LIKE '31%'")
    dialog.run()
    qtbot.waitUntil(lambda: w.selection.uuids == (city(w).uuid,), timeout=WAIT)


def test_field_calculator_sets_many_in_one_undo_step(qtbot, loaded):
    w = loaded
    before = state(w)
    w.selection.set("XZQ", list(w.store.layers["XZQ"].features))
    dialog = w.edit_ops.field_calculator()
    dialog.field.setCurrentIndex(dialog.field.findData("BZ"))
    dialog.formula.setChecked(True)
    dialog.value.setText("XZQMC || '-' || BSM")
    assert "城市1-31000001" in dialog.preview.text()
    dialog.accept()
    qtbot.waitUntil(lambda: city(w).attrs["BZ"] == "城市1-31000001", timeout=WAIT)
    assert city(w, "城市2").attrs["BZ"] == "城市2-32000001" and w.edits.stack.count() == 1
    undo_and_wait(qtbot, w, before)


def test_field_calculator_checks_values_before_writing(qtbot, loaded):
    w = loaded
    w.selection.set("XZQ", list(w.store.layers["XZQ"].features))
    dialog = w.edit_ops.field_calculator()
    dialog.field.setCurrentIndex(dialog.field.findData("JB"))  # a code-list field
    dialog.value.setText("not-a-code")
    from PySide6.QtWidgets import QDialogButtonBox
    assert dialog.problem.text() and not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    dialog.formula.setChecked(True)
    dialog.value.setText("MJ +")
    assert dialog.problem.text()
    dialog.reject()
    assert w.edits.stack.count() == 0


def test_line_tools_leave_features_of_other_parties_alone(qtbot, loaded, monkeypatch):
    w = loaded
    before = state(w)
    monkeypatch.setattr(w.map, "is_editable", lambda feature: False)  # as seen by an editor
    w.selection.set("XZQ", [city(w).uuid])
    w.map.set_tool(Tool.SPLIT)
    with qtbot.waitSignal(w.map.message) as said:
        draw_line(w, [(119.9, 31.1), (120.6, 31.1)])
    assert said.args[0] == "该要素属于其他参与方，不能编辑。" or "another party" in said.args[0]
    wait_idle(qtbot, w)
    assert state(w) == before and w.edits.stack.count() == 0
