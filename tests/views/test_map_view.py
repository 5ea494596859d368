"""The map: selection by click and rectangle (UI -> model), selection and edits shown (model ->
UI), vertex editing through the undo stack, zooming, and frames rendered off the GUI thread."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest

from app.views import render
from app.views.map_tools import Tool
from tests.views.conftest import open_and_wait, wait_idle
from tests.views.test_main_window import make_project


@pytest.fixture
def loaded(qtbot, window, tmp_path):
    open_and_wait(qtbot, window, make_project(tmp_path / "p.sqlite", "320500", cities=2))
    window.tree.select_layer("XZQ")
    return window


def pixel_of(window, lon: float, lat: float) -> QPoint:
    return window.map.mapFromScene(window.map.projection.to_scene(lon, lat))


def test_click_selects_and_form_follows(qtbot, loaded):
    w = loaded
    w.map.set_tool(Tool.SELECT)
    QTest.mouseClick(w.map.viewport(), Qt.MouseButton.LeftButton, pos=pixel_of(w, 120.2, 31.3))
    [uuid] = w.selection.uuids
    assert w.store.get("XZQ", uuid).attrs["XZQMC"] == "城市1"
    assert len(w.map.overlay.selected) == 1 and w.form.model.feature.uuid == uuid


def test_rectangle_selects_the_active_layer(qtbot, loaded):
    w = loaded
    w.map.set_tool(Tool.SELECT)
    viewport = w.map.viewport()
    start, end = pixel_of(w, 119.9, 31.5), pixel_of(w, 121.2, 30.9)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    w.map.mouseMoveEvent(_move(end))
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)
    assert w.selection.layer == "XZQ" and len(w.selection.uuids) == 2


def _move(pos: QPoint):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QMouseEvent

    p = QPointF(pos)
    return QMouseEvent(QEvent.Type.MouseMove, p, p, Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)


def test_selection_model_shows_on_map_and_zooms(qtbot, loaded):
    w = loaded
    uuid = next(iter(w.store.layers["XZQ"].features))
    before = w.map.px_per_km()
    w.selection.set("XZQ", [uuid])  # model -> UI
    assert len(w.map.overlay.selected) == 1
    w.zoom_to_selection()
    assert w.map.px_per_km() > before


def test_vertex_drag_is_an_undoable_edit(qtbot, loaded):
    w = loaded
    uuid = next(u for u, f in w.store.layers["XZQ"].features.items() if f.attrs["XZQMC"] == "城市1")
    w.selection.set("XZQ", [uuid])
    w.map.set_tool(Tool.VERTEX)
    assert len(w.map.overlay.handles) == 4
    area = w.store.get("XZQ", uuid).geometry.area
    viewport = w.map.viewport()
    corner, target = pixel_of(w, 120.45, 31.4), pixel_of(w, 120.6, 31.5)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, pos=corner)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=target)
    qtbot.waitUntil(lambda: w.store.get("XZQ", uuid).geometry.area > area, timeout=10_000)
    w.actions_by_name["undo"].trigger()
    qtbot.waitUntil(lambda: w.store.get("XZQ", uuid).geometry.area == pytest.approx(area), timeout=10_000)
    wait_idle(qtbot, w)
    assert w.change_log.pending.topLevelItemCount() == 0


def test_delete_selected_and_undo(qtbot, loaded):
    w = loaded
    uuid = next(iter(w.store.layers["SY"].features))
    w.selection.set("SY", [uuid])
    w.actions_by_name["delete"].trigger()
    qtbot.waitUntil(lambda: w.store.count("SY") == 0, timeout=10_000)
    assert w.tree.layer_item("SY").text(1) == "0"
    w.actions_by_name["undo"].trigger()
    qtbot.waitUntil(lambda: w.store.count("SY") == 1, timeout=10_000)


def test_frames_render_on_another_thread(qtbot, loaded, monkeypatch):
    threads = []
    original = render.render_frame
    monkeypatch.setattr(render, "render_frame",
                        lambda frame: threads.append(threading.current_thread()) or original(frame))
    loaded.map.zoom_by(2)
    qtbot.waitUntil(lambda: bool(threads), timeout=10_000)
    assert all(t is not threading.main_thread() for t in threads)


def test_language_switch_retranslates(qtbot, loaded):
    w = loaded
    w.set_language("en")
    assert w.menus["m_file"].title() == "&File" and w.tree.headerItem().text(0) == "Layer"
    assert w.tree.layer_item("XZQ").text(0).startswith("Administrative")
    assert w.docks["table"].windowTitle() == "Attribute table"
    w.set_language("zh")
    assert w.menus["m_file"].title() == "文件(&F)" and w.tree.layer_item("XZQ").text(0).startswith("行政区")
    from app.views import settings
    assert settings.language("en") == "zh"  # remembered


def test_recent_projects_and_window_state_persist(qtbot, loaded, temporary_settings):
    from app.views import settings

    assert settings.recent_projects()[0].endswith("p.sqlite")
    assert loaded.recent_menu.actions()[0].text().endswith("p.sqlite")
    loaded.close()
    assert settings.settings().value("geometry") is not None
    assert str(temporary_settings) in settings.settings().fileName()


def test_first_frame_uses_arrays_built_by_the_loader(qtbot, loaded, monkeypatch):
    """Painter-path arrays of a big layer come from the worker, not from the GUI thread."""
    w = loaded
    built = w.map.data.arrays["XZQ"]
    monkeypatch.setattr(render, "anchor", lambda path: pytest.fail("anchor built on the GUI thread"))
    w.map._array_cache.clear()
    paths, sizes, anchors = w.map._arrays("XZQ", w.store.layers["XZQ"])
    assert paths is built[1] and sizes is built[2] and anchors is built[3]
