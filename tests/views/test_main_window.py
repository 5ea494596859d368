"""The main window: loading on the worker, layer tree <-> map state, status bar, screenshots."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QImage, QMouseEvent
from PySide6.QtWidgets import QApplication
from shapely.geometry import LineString, Point, box

from app.project.features import add_feature
from app.project.history import commit
from app.project.project import Project
from tests.views.conftest import open_and_wait

REPO = Path(__file__).resolve().parents[2]
LOAD_TIMEOUT_MS = 30_000


def make_project(path: Path, party: str, cities: int) -> Path:
    """A small project: `cities` schematic city squares, a lake, a corridor and a project point."""
    with Project.create(path, party, f"测试{party}", role="coordinator", author="tester") as p:
        for i in range(cities):
            code = f"3{i + 1}0000"
            add_feature(p, "XZQ", {"BSM": f"{code}01", "XZQDM": code, "XZQMC": f"城市{i + 1}",
                                   "BZ": "示意 schematic"}, box(120 + i * 0.5, 31, 120.45 + i * 0.5, 31.4),
                        owner=code)
        add_feature(p, "SY", {"MC": "太湖"}, Point(120.2, 31.2).buffer(0.1))
        add_feature(p, "QYFZLD", {"LDBM": "C1", "LDMC": "沪宁廊道", "LDLX": "综合"},
                    LineString([(120.1, 31.1), (121.0, 31.3)]))
        add_feature(p, "XMK_POINT", {"XMBH": "P1", "XMMC": "示例项目", "XMLX": "JT", "QTDW": "交通委",
                                     "SJCS": party, "JSZT": "规划"}, Point(120.3, 31.25))
        commit(p, "test data")
    return path


@pytest.fixture
def small_project(tmp_path) -> Path:
    return make_project(tmp_path / "small.sqlite", "320500", cities=2)


def distinct_colours(image: QImage, size: tuple[int, int] = (160, 100)) -> int:
    small = image.scaled(*size, Qt.AspectRatioMode.IgnoreAspectRatio,
                         Qt.TransformationMode.FastTransformation)
    return len({small.pixel(x, y) for x in range(small.width()) for y in range(small.height())})


def test_tree_lists_layers_with_counts(qtbot, window, small_project):
    open_and_wait(qtbot, window, small_project)
    counts = {code: window.tree.layer_item(code).text(1) for code in ("XZQ", "SY", "QYFZLD", "XMK_POINT", "GHYDYH")}
    assert counts == {"XZQ": "2", "SY": "1", "QYFZLD": "1", "XMK_POINT": "1", "GHYDYH": "0"}
    xzq = window.tree.layer_item("XZQ")
    assert xzq.text(0).startswith("行政区") and "示意" in xzq.text(0)
    assert "Administrative" in xzq.toolTip(0) or "XZQ" in xzq.toolTip(0)
    assert xzq.parent().text(0) == "基础"
    assert xzq.checkState(0) == Qt.CheckState.Checked


def visible_batches(window) -> dict[str, int]:
    batches = window.map.batches(window.map.visible_scene_rect())
    return {b.layer.code: len(b.paths) + len(b.points) for b in batches}


def test_features_are_drawn_in_layer_order(qtbot, window, small_project):
    open_and_wait(qtbot, window, small_project)
    counts = visible_batches(window)
    assert counts["XZQ"] == 2 and counts["SY"] == 1 and counts["XMK_POINT"] == 1
    order = [b.layer.code for b in window.map.batches(window.map.visible_scene_rect())]
    assert order.index("SY") > order.index("XZQ")  # water over the cities


def test_unchecking_a_layer_hides_its_items(qtbot, window, small_project):
    open_and_wait(qtbot, window, small_project)
    window.tree.layer_item("XZQ").setCheckState(0, Qt.CheckState.Unchecked)  # UI -> state
    assert window.state.is_visible("XZQ") is False
    assert "XZQ" not in visible_batches(window)
    qtbot.waitUntil(lambda: not any(i.isVisible() for i in window.map.label_items("XZQ")))
    assert not window.map.schematic_shown()
    window.tree.layer_item("XZQ").setCheckState(0, Qt.CheckState.Checked)
    assert visible_batches(window)["XZQ"] == 2
    assert window.map.schematic_shown()


def test_state_change_updates_tree_and_map(qtbot, window, small_project):
    open_and_wait(qtbot, window, small_project)
    window.state.set_visible("SY", False)  # model -> UI
    assert window.tree.layer_item("SY").checkState(0) == Qt.CheckState.Unchecked
    assert "SY" not in visible_batches(window)


def test_loading_another_project_updates_tree(qtbot, window, small_project, tmp_path):
    open_and_wait(qtbot, window, small_project)
    other = make_project(tmp_path / "other.sqlite", "330400", cities=3)
    data = open_and_wait(qtbot, window, other)
    assert data.party == "330400"
    assert window.tree.layer_item("XZQ").text(1) == "3"
    assert window.store.count("XZQ") == 3
    assert "330400" in window.party_label.text()


def test_status_bar_shows_crs_party_and_cursor(qtbot, window, small_project):
    open_and_wait(qtbot, window, small_project)
    assert window.crs_label.text() == "EPSG:4490 CGCS2000"
    assert "320500" in window.party_label.text() and "测试320500" in window.party_label.text()
    viewport = window.map.viewport()
    centre = QPointF(viewport.width() / 2, viewport.height() / 2)
    event = QMouseEvent(QEvent.Type.MouseMove, centre, centre, Qt.MouseButton.NoButton,
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, event)
    text = window.cursor_label.text()
    lon, lat = (float(part.rstrip("°")) for part in text.split() if part[0].isdigit())
    assert 120.0 < lon < 121.0 and 31.0 < lat < 31.4


def test_wheel_zoom_and_home(qtbot, window, small_project):
    open_and_wait(qtbot, window, small_project)
    home = window.map.px_per_km()
    window.map.zoom_by(2.0)
    assert window.map.px_per_km() == pytest.approx(home * 2)
    window.map.zoom_by(1e6)  # clamped
    assert window.map.px_per_km() <= home * 2000 * 1.0001
    window.map.zoom_to_home()
    assert window.map.px_per_km() == pytest.approx(home)


def test_missing_project_reports_failure(qtbot, window, tmp_path):
    with qtbot.waitSignal(window.failed, timeout=LOAD_TIMEOUT_MS) as blocker:
        window.open_project(tmp_path / "nope.sqlite")
    assert "no such project file" in blocker.args[0]


def test_screenshot_is_not_blank(qtbot, window, small_project, tmp_path):
    with qtbot.waitSignal(window.map.frame_rendered, timeout=LOAD_TIMEOUT_MS):
        open_and_wait(qtbot, window, small_project)
    image = window.grab().toImage()
    assert image.save(str(tmp_path / "window.png"))
    assert distinct_colours(image) > 40
    assert distinct_colours(window.map.viewport().grab().toImage()) > 10


def test_sample_project_loads_with_every_layer(qtbot, window, tmp_path):
    from sample_projects import build

    build.build(out=tmp_path, review=False)
    data = open_and_wait(qtbot, window, tmp_path / "metro.sqlite")
    with Project.open(tmp_path / "metro.sqlite") as project:
        expected = {layer.code: project.count(layer.code) for layer in project.layers()}
    assert {d.layer.code: len(d.features) for d in data.layers} == expected
    assert window.tree.layer_item("XZQ").text(1) == "9"
    assert window.map.schematic_shown()


def run_app(*args: str, platform: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": platform}
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)


def test_cli_missing_project_is_one_line_and_exit_1(tmp_path):
    result = run_app(str(tmp_path / "nope.sqlite"), "--screenshot", str(tmp_path / "x.png"),
                     platform="offscreen")
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "no such project file" in result.stderr


@pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs an X display (run under xvfb-run)")
def test_cli_screenshot_on_a_real_display(small_project, tmp_path):
    shot = tmp_path / "shot.png"
    result = run_app(str(small_project), "--screenshot", str(shot), platform="xcb")
    assert result.returncode == 0, result.stderr
    image = QImage(str(shot))
    assert not image.isNull() and image.width() > 600
    assert distinct_colours(image) > 40


def test_cli_not_a_project_is_one_line_and_exit_1(tmp_path):
    import sqlite3

    bad = tmp_path / "plain.sqlite"
    sqlite3.connect(bad).execute("CREATE TABLE t (x)").connection.close()
    result = run_app(str(bad), "--screenshot", str(tmp_path / "x.png"), platform="offscreen")
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "not a CoPlan project" in result.stderr
    assert not (tmp_path / "x.png").exists()
