"""Symbology by attribute: 用地用海 parcels drawn in their class colours (pixels read back from a
rendered frame), the legend's classes following data, visibility and language, label settings."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QColor
from shapely.geometry import Point, box

from app.model.catalogue import load_catalogue
from app.model.feature import Feature
from app.project.features import add_feature
from app.project.history import commit
from app.project.project import Project
from app.views import render, symbols
from app.views.label_settings import LabelSettingsDialog, label_setting
from app.views.map_view import BACKGROUND
from tests.views.conftest import open_and_wait

# code -> parcel's lower-left corner (lon, lat); each parcel 0.04° square
PARCELS = {"0701": (120.00, 31.00), "0901": (120.05, 31.00), "1401": (120.10, 31.00),
           "070102": (120.00, 31.05), "0804": (120.05, 31.05), "0101": (120.10, 31.05)}
SIZE = 0.04


def make_landuse_project(path: Path) -> Path:
    """Six 规划用地用海 parcels, a city and a project point."""
    names = load_catalogue().codelist("YDYH2023").codes
    with Project.create(path, "320500", "测试320500", role="coordinator", author="tester") as p:
        add_feature(p, "XZQ", {"BSM": "32050001", "XZQDM": "320500", "XZQMC": "城市1"},
                    box(119.95, 30.95, 120.2, 31.15), owner="320500")
        for i, (code, (x, y)) in enumerate(PARCELS.items()):
            add_feature(p, "GHYDYH", {"BSM": f"P{i}", "XZQDM": "320500", "XZQMC": "城市1",
                                      "YDYHFLDM": code, "YDYHFLMC": names[code][0]},
                        box(x, y, x + SIZE, y + SIZE), owner="320500")
        add_feature(p, "XMK_POINT", {"XMBH": "P1", "XMMC": "示例项目", "XMLX": "JT", "QTDW": "交通委",
                                     "SJCS": "320500", "JSZT": "规划"}, Point(120.3, 31.25))
        commit(p, "test data")
    return path


@pytest.fixture
def landuse(qtbot, window, tmp_path):
    open_and_wait(qtbot, window, make_landuse_project(tmp_path / "landuse.sqlite"))
    window.map.zoom_to_bounds((119.95, 30.95, 120.2, 31.15))
    return window


def frame_colours(window) -> dict[str, QColor]:
    """Render the map's current view and read the colour at each parcel's centre."""
    view = window.map
    rect = view.visible_scene_rect()
    width, height = 400, max(int(400 * rect.height() / rect.width()), 1)
    image = render.render_frame(render.Frame(0, rect, width, height, tuple(view.batches(rect)), BACKGROUND))
    to_px = render.scene_transform(rect, width)
    out = {}
    for code, (x, y) in PARCELS.items():
        point = to_px.map(view.projection.to_scene(x + SIZE / 2, y + SIZE / 2))
        out[code] = QColor(image.pixel(int(point.x()), int(point.y())))
    return out


def _hex(color: QColor) -> str:
    return color.name().upper()


def test_each_class_is_drawn_in_its_standard_colour(landuse):
    colours = frame_colours(landuse)
    assert _hex(colours["0701"]) == "#FFFF2D"  # residential yellow
    assert _hex(colours["0901"]) == "#FF0000"  # commerce red
    assert _hex(colours["1401"]) == "#00FF00"  # park green
    assert _hex(colours["0804"]) == "#FF85C9"  # education pink
    assert _hex(colours["070102"]) == "#FFFF2D"  # a level-3 code: its parent's colour
    assert _hex(colours["0101"]) == "#F5F8DC"  # paddy field: 01 耕地's colour


def test_one_batch_per_colour(landuse):
    rect = landuse.map.visible_scene_rect()
    fills = [b.drawn_style.fill for b in landuse.map.batches(rect) if b.layer.code == "GHYDYH"]
    assert sorted(fills) == sorted({"#F5F8DC", "#FFFF2D", "#FF0000", "#00FF00", "#FF85C9"})


def _recode(window, code: str, new: str) -> None:
    old = next(f for f in window.store.layers["GHYDYH"].features.values() if f.attrs["YDYHFLDM"] == code)
    window.store.put(Feature(old.layer, old.uuid, old.owner, {**old.attrs, "YDYHFLDM": new}, old.geometry))


def test_an_edited_code_takes_its_new_colour(landuse):
    _recode(landuse, "0901", "1001")
    assert _hex(frame_colours(landuse)["0901"]) == "#BB9674"  # now industrial brown


def test_a_value_without_a_colour_keeps_the_layer_style(qtbot, landuse):
    _recode(landuse, "0901", "99")  # e.g. imported from an older classification
    colour = frame_colours(landuse)["0901"]
    assert colour.red() > colour.blue() and _hex(colour) not in {"#FF0000", "#FFFF2D", "#F5F8DC"}
    qtbot.waitUntil(lambda: "99" in dict(landuse.legend.class_rows("GHYDYH")))  # deferred refresh
    assert "0901 商业用地" not in dict(landuse.legend.class_rows("GHYDYH"))


def test_split_by_slot_groups_features_of_one_colour():
    layer = load_catalogue().layer("GHYDYH")
    cats = symbols.categories(layer)
    features = [Feature("GHYDYH", str(i), "p", {"YDYHFLDM": c}, None)
                for i, c in enumerate(["0701", "09", "070102", "", "0901"])]
    slots = cats.slot_array(features)
    assert slots[0] == slots[2] and slots[1] == slots[4] and slots[3] == 0
    paths = render.object_array(list("abcde"))
    batches = render.split_by_slot(layer, cats.styles, slots, paths, np.arange(5.0), np.zeros((5, 2)))
    assert [list(b.paths) for b in batches] == [["d"], ["a", "c"], ["b", "e"]]
    assert batches[0].style is layer.style and batches[1].style.fill == "#FFFF2D"


def test_tiny_features_become_dots_from_float_anchors():
    xy = np.array([[1.5, 2.0], [3.0, -4.25]])
    polygon = render.polygon_of(xy)
    assert [(p.x(), p.y()) for p in polygon] == [(1.5, 2.0), (3.0, -4.25)]
    assert np.array_equal(symbols.anchor_xy(list(polygon)), xy)


# -- the legend -----------------------------------------------------------------------------


def test_legend_lists_the_classes_present_with_code_and_name(landuse):
    rows = dict(landuse.legend.class_rows("GHYDYH"))
    assert rows["0701 城镇住宅用地"] == "1" and rows["0901 商业用地"] == "1"
    assert "070102 二类城镇住宅用地" in rows and "0101 水田" in rows
    assert "01 耕地" not in rows  # not in the data
    assert {"XZQ", "GHYDYH", "XMK_POINT"} <= set(landuse.legend.layer_codes())


def test_legend_can_list_every_class(landuse):
    landuse.legend.only_present.setChecked(False)
    texts = [text for text, _ in landuse.legend.class_rows("GHYDYH")]
    assert {"01 耕地", "24 其他海域", "0701 城镇住宅用地"} <= set(texts)


def test_legend_follows_visibility_and_edits(qtbot, landuse):
    w = landuse
    w.state.set_visible("GHYDYH", False)
    qtbot.waitUntil(lambda: "GHYDYH" not in w.legend.layer_codes())
    w.state.set_visible("GHYDYH", True)
    park = next(f for f in w.store.layers["GHYDYH"].features.values() if f.attrs["YDYHFLDM"] == "1401")
    w.store.remove("GHYDYH", park.uuid)
    qtbot.waitUntil(lambda: "GHYDYH" in w.legend.layer_codes())
    assert "1401 公园绿地" not in dict(w.legend.class_rows("GHYDYH"))


def test_legend_speaks_the_interface_language(qtbot, landuse):
    landuse.set_language("en")
    qtbot.waitUntil(lambda: "0701 Urban residential land" in dict(landuse.legend.class_rows("GHYDYH")))


# -- label settings ---------------------------------------------------------------------------


def _label_texts(window, code: str) -> set[str]:
    return {item.text for item in window.map.label_items(code)}


def test_label_settings_change_the_map_labels(landuse):
    w = landuse
    assert "0701" in _label_texts(w, "GHYDYH")  # the catalogue's label field: the code
    layers = [d.layer.code for d in w.project.layers if d.layer.spatial]
    dialog = LabelSettingsDialog(w.project.catalogue, layers, "GHYDYH", w)
    dialog.applied.connect(lambda _code: w.map.refresh_labels())
    dialog.field_box.setCurrentIndex(dialog.field_box.findData("BSM"))
    dialog.size_box.setValue(20)
    dialog.apply()
    assert _label_texts(w, "GHYDYH") == {f"P{i}" for i in range(len(PARCELS))}
    assert {item.text_font.pixelSize() for item in w.map.label_items("GHYDYH")} == {20}
    assert label_setting(w.project.catalogue.layer("GHYDYH")).field == "BSM"  # remembered
    dialog.field_box.setCurrentIndex(dialog.field_box.findData(None))
    dialog.apply()
    assert _label_texts(w, "GHYDYH") == set()
    assert _label_texts(w, "XZQ") == {"城市1"}  # other layers untouched
    dialog.restore()
    assert "0701" in _label_texts(w, "GHYDYH")


def test_label_settings_menu_opens_the_dialog(landuse):
    landuse.actions_by_name["labels"].trigger()
    dialogs = landuse.findChildren(LabelSettingsDialog)
    assert dialogs and dialogs[-1].layer_box.count() > 5
    dialogs[-1].close()


def make_zone_project(path: Path, zones: list[str]) -> Path:
    with Project.create(path, "320500", "测试320500", role="coordinator", author="tester") as p:
        for i, name in enumerate(zones):
            add_feature(p, "GHFQ", {"BSM": f"Z{i}", "XZQDM": "320500", "XZQMC": "城市1", "GHFQDM": f"{i:02d}",
                                    "GHFQMC": name}, box(120 + i * 0.05, 31, 120.04 + i * 0.05, 31.04),
                        owner="320500")
        commit(p, "zones")
    return path


def test_planning_zones_are_coloured_by_name_and_listed_in_zone_order(qtbot, window, tmp_path):
    zones = ["城镇集中建设区", "矿产能源发展区", "生态保护区", "未知分区"]
    open_and_wait(qtbot, window, make_zone_project(tmp_path / "zones.sqlite", zones))
    rows = [text for text, _ in window.legend.class_rows("GHFQ")]
    assert rows == ["生态保护区", "城镇集中建设区", "矿产能源发展区", "未知分区"]
    rect = window.map.visible_scene_rect()
    fills = {b.drawn_style.fill for b in window.map.batches(rect) if b.layer.code == "GHFQ"}
    assert {"#1E8C45", "#9E6C54"} <= fills  # ecological green, mineral brown
    window.set_language("en")
    qtbot.waitUntil(lambda: "Ecological protection zone" in dict(window.legend.class_rows("GHFQ")))
