"""The basemap under the map (built-in context, MBTiles, a URL on a local server, a failing URL),
the Basemap dialog (UI -> map, remembered per project) and continuous drag-pan."""

from __future__ import annotations

import socket
import time

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QMouseEvent
from PySide6.QtWidgets import QApplication

from app.basemap.sources import BasemapConfig
from app.basemap.tiles import Tile, tile_at
from app.project.project import Project
from app.views import basemap, map_view
from app.views.basemap_dialog import BasemapDialog
from tests.basemap.mbtiles import checker, write_mbtiles
from tests.basemap.tileserver import tile_server
from tests.views.conftest import open_and_wait
from tests.views.test_main_window import make_project

REGION = (119.0, 30.0, 122.5, 32.5)  # around every test project's home view


@pytest.fixture
def empty(qtbot, window, tmp_path):
    """A project as freshly cloned: the layers exist, no feature yet."""
    path = tmp_path / "fresh.sqlite"
    Project.create(path, "320500", "苏州市").close()
    open_and_wait(qtbot, window, path)
    return window


@pytest.fixture
def bare(qtbot, window, tmp_path):
    """A small project with every layer hidden: only the basemap shows."""
    open_and_wait(qtbot, window, make_project(tmp_path / "p.sqlite", "320500", cities=2))
    for code in list(window.map.visible):
        window.map.set_layer_visible(code, False)
    return window


def colour_at(window, lon: float, lat: float, dy: int = 0) -> QColor:
    m = window.map
    point = m.mapFromScene(m.projection.to_scene(lon, lat)) + QPoint(0, dy)
    return m.viewport().grab().toImage().pixelColor(point)


def near(colour: QColor, rgb, tolerance: int = 6) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour.getRgb()[:3], rgb, strict=True))


def test_fresh_project_shows_the_builtin_context(qtbot, empty):
    layer = empty.map.basemap
    assert layer.config.kind == "builtin"
    qtbot.waitUntil(lambda: layer.ready, timeout=10_000)
    assert near(colour_at(empty, 120.6, 31.35), QColor(basemap.LAND).getRgb()[:3])  # Suzhou's land
    assert near(colour_at(empty, 120.2, 31.2), QColor(basemap.WATER).getRgb()[:3])  # Taihu


def test_mbtiles_tiles_are_placed_by_their_edges(qtbot, bare, tmp_path):
    path = write_mbtiles(tmp_path / "base.mbtiles", REGION, range(6, 13))
    layer = bare.map.basemap
    layer.configure(BasemapConfig("mbtiles", str(path)))
    qtbot.waitUntil(lambda: layer.ready, timeout=10_000)
    z = layer.tiles_in_view(bare.map.visible_scene_rect(), bare.map.px_per_km())[0].z
    x, y = tile_at(120.6, 31.3, z)
    tile = Tile(z, int(x), int(y))
    north = tile.bounds()[3]
    # Inside the tile its colour; just north of its edge the neighbour's (rows not flipped).
    neighbour = Tile(z, tile.x, tile.y - 1)
    qtbot.waitUntil(lambda: near(colour_at(bare, 120.6, north, dy=3), checker(tile))
                    and near(colour_at(bare, 120.6, north, dy=-3), checker(neighbour)), timeout=20_000)


def test_opacity_fades_the_basemap(qtbot, bare, tmp_path):
    path = write_mbtiles(tmp_path / "base.mbtiles", REGION, range(6, 13), colour=lambda t: (0, 0, 0))
    layer = bare.map.basemap
    layer.configure(BasemapConfig("mbtiles", str(path), opacity=0.5))
    qtbot.waitUntil(lambda: colour_at(bare, 120.6, 31.3).lightness() < 200, timeout=10_000)
    faded = colour_at(bare, 120.6, 31.3)
    assert 40 < faded.lightness() < 200  # half black over the pale sea colour


def test_url_tiles_from_a_local_server(qtbot, bare, tmp_path):
    layer = bare.map.basemap
    layer.cache_dir = tmp_path / "cache"
    with tile_server() as address:
        layer.configure(BasemapConfig("xyz", address + "/{z}/{x}/{y}.png"))
        qtbot.waitUntil(lambda: layer.ready, timeout=10_000)
        z = layer.tiles_in_view(bare.map.visible_scene_rect(), bare.map.px_per_km())[0].z
        x, y = tile_at(120.6, 31.3, z)
        expected = checker(Tile(z, int(x), int(y)))
        qtbot.waitUntil(lambda: near(colour_at(bare, 120.6, 31.3), expected), timeout=10_000)
    assert any((tmp_path / "cache").rglob("*.tile"))  # kept for offline use


def test_a_failing_url_says_so_and_the_map_still_works(qtbot, bare, tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    layer = bare.map.basemap
    layer.cache_dir = tmp_path / "cache"
    with qtbot.waitSignal(layer.failed, timeout=20_000) as blocker:
        layer.configure(BasemapConfig("xyz", f"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png"))
    assert f"127.0.0.1:{port}" in blocker.args[0]
    qtbot.waitUntil(lambda: f"127.0.0.1:{port}" in bare.statusBar().currentMessage(), timeout=5_000)
    with qtbot.waitSignal(bare.map.frame_rendered, timeout=10_000):
        bare.map.zoom_by(1.5)


def test_a_missing_file_says_so(qtbot, bare, tmp_path):
    with qtbot.waitSignal(bare.map.basemap.failed, timeout=10_000) as blocker:
        bare.map.basemap.configure(BasemapConfig("mbtiles", str(tmp_path / "gone.mbtiles")))
    assert "gone.mbtiles" in blocker.args[0]


def test_dialog_applies_and_remembers_per_project(qtbot, bare, tmp_path):
    path = write_mbtiles(tmp_path / "base.mbtiles", REGION, [10])
    bare.actions_by_name["basemap"].trigger()
    dialog = bare.findChild(BasemapDialog)
    assert dialog.kind.currentData() == "builtin" and not dialog.location.isEnabled()
    dialog.kind.setCurrentIndex(dialog.kind.findData("mbtiles"))  # UI -> model
    dialog.location.setText(str(path))
    dialog.opacity.setValue(70)
    assert bare.map.basemap.config.opacity == pytest.approx(0.7)  # previewed at once
    dialog.accept()
    expected = BasemapConfig("mbtiles", str(path), "", 0.7)
    assert bare.map.basemap.config == expected
    assert basemap.saved_config(bare.project.path) == expected
    assert basemap.saved_config(tmp_path / "other.sqlite") == expected  # the new default
    again = BasemapDialog(bare.map.basemap)  # model -> UI
    assert again.config() == expected and again.location.isEnabled()


def test_dialog_cancel_restores_the_opacity(qtbot, bare):
    dialog = BasemapDialog(bare.map.basemap)
    qtbot.addWidget(dialog)
    dialog.opacity.setValue(20)
    dialog.reject()
    assert bare.map.basemap.config.opacity == 1.0


def test_frames_cover_more_than_the_view(qtbot, bare):
    m = bare.map
    m.zoom_by(4.0)
    with qtbot.waitSignal(m.frame_rendered, timeout=10_000):
        m.render_now()
    before = m._image_rect
    m.pan_by(map_view.PAN_MARGIN * 0.9, -map_view.PAN_MARGIN * 0.9)
    assert before.contains(m.visible_scene_rect())  # the old frame still fills the view


def test_frames_keep_coming_during_a_long_drag(qtbot, bare):
    m, frames = bare.map, []
    m.frame_rendered.connect(lambda: frames.append(1))
    viewport, at = m.viewport(), QPointF(m.viewport().width() / 2, m.viewport().height() / 2)

    def send(kind, buttons):
        button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
        QApplication.sendEvent(viewport, QMouseEvent(kind, at, m.mapToGlobal(at.toPoint()).toPointF(),
                                                     button, buttons, Qt.KeyboardModifier.NoModifier))

    send(QEvent.Type.MouseButtonPress, Qt.MouseButton.LeftButton)
    start = m.visible_scene_rect()

    def dragged_and_rendered() -> bool:
        nonlocal at
        at += QPointF(2, 1)  # the button stays down: a drag that never pauses
        send(QEvent.Type.MouseMove, Qt.MouseButton.LeftButton)
        return bool(frames)

    qtbot.waitUntil(dragged_and_rendered, timeout=10_000)
    assert m.visible_scene_rect() != start
    send(QEvent.Type.MouseButtonRelease, Qt.MouseButton.NoButton)


def test_dragging_does_not_postpone_the_next_frame(qtbot, bare):
    m = bare.map
    timer = m._render_timer
    m.scrollContentsBy(5, 0)
    time.sleep(0.005)  # no event loop: the timer cannot fire meanwhile
    left = timer.remainingTime()
    m.scrollContentsBy(5, 0)  # a debounce would restart the timer here, never rendering mid-drag
    assert timer.isActive() and timer.remainingTime() <= left


def test_a_source_without_tiles_for_this_scale_draws_nothing_and_asks_nothing(qtbot, bare, tmp_path):
    path = write_mbtiles(tmp_path / "deep.mbtiles", (120.6, 31.3, 120.61, 31.31), [17])
    layer = bare.map.basemap
    layer.configure(BasemapConfig("mbtiles", str(path)))
    qtbot.waitUntil(lambda: layer.ready, timeout=10_000)
    bare.map.viewport().grab()  # a paint
    assert not layer._pending and not layer._images  # the home view would need thousands
