"""Identify lists every layer under the cursor and selects the chosen row; measuring distance
and area on the map; cursor coordinates in Gauss–Krüger; a feature gone after a reload is no
longer highlighted."""

from __future__ import annotations

import dataclasses
import math

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QGuiApplication, QMouseEvent
from PySide6.QtTest import QTest

from app.model import geodesy
from app.views import coord_display
from app.views.map_tools import Tool
from tests.views.conftest import open_and_wait
from tests.views.test_main_window import make_project

# A point on the corridor line, inside the lake, inside city 1 (see make_project).
ON_THREE_LAYERS = (120.2, 31.1 + 0.2 * 0.1 / 0.9)
CELL = [(120.6, 31.1), (120.61, 31.1), (120.61, 31.11), (120.6, 31.11)]  # in city 2, no vertex near


@pytest.fixture
def loaded(qtbot, window, tmp_path):
    open_and_wait(qtbot, window, make_project(tmp_path / "p.sqlite", "320500", cities=2))
    return window


def pixel_of(window, lon: float, lat: float) -> QPoint:
    return window.map.mapFromScene(window.map.projection.to_scene(lon, lat))


def move_to(window, lon: float, lat: float) -> None:
    p = QPointF(pixel_of(window, lon, lat))
    window.map.mouseMoveEvent(QMouseEvent(QEvent.Type.MouseMove, p, p, Qt.MouseButton.NoButton,
                                          Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier))


def click(window, lon: float, lat: float, button=Qt.MouseButton.LeftButton) -> None:
    QTest.mouseClick(window.map.viewport(), button, pos=pixel_of(window, lon, lat))


def identify(window, lon: float, lat: float) -> None:
    window.map.set_tool(Tool.IDENTIFY)
    click(window, lon, lat)


def test_identify_lists_every_layer_under_the_cursor(qtbot, loaded):
    w = loaded
    identify(w, *ON_THREE_LAYERS)
    tree = w.identify.tree
    rows = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    layers = [w.store.get(*row.data(0, Qt.ItemDataRole.UserRole)).layer for row in rows]
    assert sorted(layers) == ["QYFZLD", "SY", "XZQ"]
    assert [row.text(0) for row in rows] == [w.project.catalogue.layer(code).name("zh") for code in layers]
    z = [w.project.catalogue.layer(code).style.z for code in layers]
    assert z == sorted(z, reverse=True)  # top layer first
    city = rows[layers.index("XZQ")]
    assert city.text(1) == "31000001 · 城市1"
    attributes = {city.child(i).text(0): city.child(i).text(1) for i in range(city.childCount())}
    assert attributes["行政区名称"] == "城市1"
    assert w.docks["identify"].isVisible()


def test_choosing_a_row_selects_the_feature_and_fills_the_form(qtbot, loaded):
    w = loaded
    identify(w, *ON_THREE_LAYERS)
    tree = w.identify.tree
    row = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
               if tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)[0] == "SY")
    tree.itemClicked.emit(row.child(0), 0)  # a field row chooses its feature too
    layer, uuid = row.data(0, Qt.ItemDataRole.UserRole)
    assert (w.selection.layer, w.selection.uuids) == ("SY", (uuid,))
    assert w.form.model.feature.uuid == uuid


def test_identify_in_english_and_a_deleted_feature_leaves_the_list(qtbot, loaded):
    w = loaded
    w.set_language("en")
    identify(w, *ON_THREE_LAYERS)
    tree = w.identify.tree
    names = {tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())}
    assert w.project.catalogue.layer("XZQ").name("en") in names
    uuid = next(iter(w.store.layers["SY"].features))
    w.store.remove("SY", uuid)
    assert tree.topLevelItemCount() == 2
    identify(w, 110.0, 20.0)  # nothing there
    assert tree.topLevelItemCount() == 0


def test_measure_area_of_a_cell_then_distance(qtbot, loaded):
    w = loaded
    # Clicks land on whole pixels: zoomed close enough that a pixel is a few metres, so the
    # clicked cell is within 1% of the true one whatever size the docks leave the map.
    w.map.zoom_to_bounds((120.598, 31.098, 120.612, 31.112))
    w.map.set_tool(Tool.MEASURE)
    tool, panel = w.map._tool, w.map._tool.panel
    assert panel.isVisible()
    QTest.keyClick(w.map, Qt.Key.Key_A)  # distance -> area
    assert panel.current_mode == "area"
    for lon, lat in CELL:
        click(w, lon, lat)
    area, perimeter = geodesy.ring_area_perimeter(tool.measurement.points)
    assert math.isclose(area, geodesy.ring_area_perimeter(CELL)[0], rel_tol=0.01)
    assert "公顷" in panel.result.text() or "ha" in panel.result.text()
    QTest.mouseDClick(w.map.viewport(), Qt.MouseButton.LeftButton, pos=pixel_of(w, *CELL[-1]))
    assert tool.measurement.finished
    panel.copy.click()
    assert QGuiApplication.clipboard().text() == panel.result.text()
    QTest.keyClick(w.map, Qt.Key.Key_A)  # area -> distance, same points
    assert math.isclose(tool.measurement.length_m(), geodesy.path_length_m(tool.measurement.points))
    QTest.keyClick(w.map, Qt.Key.Key_Escape)
    assert tool.measurement.points == []


def test_measured_distance_follows_the_cursor(qtbot, loaded):
    w = loaded
    w.map.zoom_to_bounds((120.59, 31.09, 120.62, 31.12))
    w.map.set_tool(Tool.MEASURE)
    tool = w.map._tool
    click(w, *CELL[0])
    move_to(w, *CELL[1])
    live = tool.measurement.length_m()
    assert math.isclose(live, 955, rel_tol=0.02)  # 0.01° of longitude at 31.1°N
    move_to(w, *CELL[2])
    assert tool.measurement.length_m() > live
    w.set_language("en")  # Qt delivers the language change as an event
    qtbot.waitUntil(lambda: tool.panel.result.text().endswith(" km"), timeout=5_000)
    assert tool.panel.mode.itemText(1) == "Area" and tool.panel.result.text().startswith("Distance: ")
    w.map.set_tool(Tool.PAN)
    assert not tool.panel.isVisible() and tool.item.scene() is None


def test_cursor_coordinates_in_gauss_krueger_are_remembered(qtbot, loaded):
    w = loaded
    move_to(w, 120.3, 31.2)
    assert "°" in w.cursor_label.text()
    w.actions_by_name["coords_4550"].trigger()
    assert "EPSG:4550" in w.cursor_label.text()  # at once, without moving
    w.actions_by_name["coords_auto"].trigger()
    move_to(w, 120.3, 31.2)
    assert "EPSG:4549" in w.cursor_label.text()  # 苏州 (320500) works in CM 120°E
    assert "3,4" in w.cursor_label.text()  # X: about 3,450 km north of the equator
    assert coord_display.mode() == "auto"
    assert coord_display.CoordinateReadout(w.cursor_label, lambda: None).mode == "auto"
    w.set_language("en")  # retitling keeps the chosen mode and the last position
    assert "EPSG:4549" in w.cursor_label.text() and "°" not in w.cursor_label.text()


def test_feature_gone_after_a_reload_is_no_longer_highlighted(qtbot, loaded):
    w = loaded
    uuid = next(iter(w.store.layers["SY"].features))
    w.selection.set("SY", [uuid])
    assert len(w.map.overlay.selected) == 1
    # What a pull that deleted the lake leads to: the project re-read without it.
    data = dataclasses.replace(w.project, layers=tuple(
        dataclasses.replace(d, features=tuple(f for f in d.features if f.uuid != uuid)) for d in w.project.layers))
    w._on_loaded(data, keep_view=True)
    assert w.map.overlay.selected == []
    assert uuid not in w.selection.uuids


def test_dragging_with_identify_draws_no_selection_rectangle(qtbot, loaded):
    w = loaded
    w.map.set_tool(Tool.IDENTIFY)
    QTest.mousePress(w.map.viewport(), Qt.MouseButton.LeftButton, pos=pixel_of(w, 120.1, 31.1))
    move_to(w, 120.3, 31.3)
    QTest.mouseRelease(w.map.viewport(), Qt.MouseButton.LeftButton, pos=pixel_of(w, 120.3, 31.3))
    assert w.map.overlay.band is None
    assert w.identify.tree.topLevelItemCount() >= 1  # what is under the release point


def test_auto_zone_without_a_city_is_the_project_centres_not_the_cursors():
    east_of_121_5 = coord_display.format_position(122.0, 30.5, "auto", party="metro", centre_lon=120.9)
    assert east_of_121_5.endswith("EPSG:4549")
    assert coord_display.format_position(122.0, 30.5, "auto", party="330900").endswith("EPSG:4550")
    assert "°" in coord_display.format_position(122.0, 30.5, "lonlat")


def test_key_attributes_name_codes_and_give_areas_in_hectares():
    from app.model.catalogue import load_catalogue
    from app.model.feature import Feature
    from app.views.identify_panel import feature_title, key_attributes

    catalogue = load_catalogue()
    layer = catalogue.layer("XZQ")
    feature = Feature("XZQ", "u1", "320500", {"BSM": "32050001", "XZQMC": "苏州市", "MJ": 12_345.6,
                                              "JB": "city", "BZ": ""}, None)
    rows = dict(key_attributes(layer, feature, "zh", catalogue))
    assert rows["面积"] == "1.2346 公顷 (12,345.6 平方米)"
    assert rows["级别"].startswith("city ") and "BZ" not in rows and "备注" not in rows
    assert dict(key_attributes(layer, feature, "en", catalogue))["Area"].startswith("1.2346 ha")
    assert feature_title(layer, feature) == "32050001 · 苏州市"
