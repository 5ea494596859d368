"""The main window: layer list, map, status bar; projects load on the DB worker thread."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QFileDialog, QLabel, QMainWindow, QWidget

from app.views.fonts import install_cjk_font
from app.views.layer_tree import LayerState, LayerTree
from app.views.loader import LoaderThread, ProjectData
from app.views.map_view import ZOOM_STEP, MapView

log = logging.getLogger(__name__)

TEXT = {  # key -> (zh, en)
    "title": ("CoPlan 都市圈协同规划", "CoPlan metro-area joint planning"),
    "layers": ("图层", "Layers"),
    "open": ("打开项目…", "Open project…"),
    "home": ("全图", "Full extent"),
    "zoom_in": ("放大", "Zoom in"),
    "zoom_out": ("缩小", "Zoom out"),
    "loading": ("正在加载 {}…", "Loading {}…"),
    "loaded": ("已加载 {} 个要素", "Loaded {} features"),
    "party": ("参与方 {} {}（{}）", "Party {} {} ({})"),
    "cursor": ("经度 {:.5f}°  纬度 {:.5f}°", "lon {:.5f}°  lat {:.5f}°"),
    "cursor_none": ("经度 —  纬度 —", "lon —  lat —"),
    "filter": ("CoPlan 项目 (*.sqlite)", "CoPlan projects (*.sqlite)"),
}
CRS_TEXT = "EPSG:4490 CGCS2000"


class MainWindow(QMainWindow):
    """Shows one project at a time; `loaded` fires once its layers are on the map."""

    loaded = Signal(object)  # ProjectData
    failed = Signal(str)

    def __init__(self, lang: str = "zh", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        install_cjk_font()
        self._lang = lang
        self.project: ProjectData | None = None
        self.state = LayerState(self)
        self.map = MapView(self, lang)
        self.tree = LayerTree(self.state, lang)
        self._loader: LoaderThread | None = LoaderThread(self)
        self.setCentralWidget(self.map)
        self._build_dock()
        self._build_actions()
        self._build_status_bar()
        self.setWindowTitle(self.tr_("title"))
        self.resize(1440, 900)
        self.state.visibility_changed.connect(self.map.set_layer_visible)  # state -> map
        self.map.cursor_moved.connect(self._on_cursor_moved)
        self._loader.loaded.connect(self._on_loaded)
        self._loader.failed.connect(self._on_failed)

    def tr_(self, key: str, *args) -> str:
        """UI text in the window's language."""
        zh, en = TEXT[key]
        return (zh if self._lang == "zh" else en).format(*args)

    def _build_dock(self) -> None:
        dock = QDockWidget(self.tr_("layers"), self)
        dock.setObjectName("layers")
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        dock.setTitleBarWidget(QWidget())  # the tree's header already says 图层
        dock.setWidget(self.tree)
        dock.setMinimumWidth(300)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)

    def _build_actions(self) -> None:
        toolbar = self.addToolBar("map")
        toolbar.setObjectName("map")
        toolbar.setMovable(False)
        toolbar.setIconSize(QSize(16, 16))
        for key, shortcut, slot in (
                ("open", QKeySequence.StandardKey.Open, self._choose_project),
                ("home", "Home", self.map.zoom_to_home),
                ("zoom_in", QKeySequence.StandardKey.ZoomIn, lambda: self.map.zoom_by(ZOOM_STEP)),
                ("zoom_out", QKeySequence.StandardKey.ZoomOut, lambda: self.map.zoom_by(1 / ZOOM_STEP))):
            action = QAction(self.tr_(key), self)
            action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
            toolbar.addAction(action)

    def _build_status_bar(self) -> None:
        self.party_label = QLabel()
        self.crs_label = QLabel(CRS_TEXT)
        self.cursor_label = QLabel(self.tr_("cursor_none"))
        self.cursor_label.setMinimumWidth(230)
        for label in (self.party_label, self.crs_label, self.cursor_label):
            self.statusBar().addPermanentWidget(label)

    # -- loading ---------------------------------------------------------------------------

    def open_project(self, path: str | Path) -> None:
        """Load `path` on the worker thread; `loaded` or `failed` follows."""
        self.statusBar().showMessage(self.tr_("loading", Path(path).name))
        self._loader.request(path)

    def _choose_project(self) -> None:
        start = str(self.project.path.parent) if self.project else ""
        path, _ = QFileDialog.getOpenFileName(self, self.tr_("open"), start, self.tr_("filter"))
        if path:
            self.open_project(path)

    def _on_loaded(self, data: ProjectData) -> None:
        self.project = data
        self.state.reset({d.layer.code: True for d in data.layers})
        self.tree.populate(data)  # model -> UI
        self.map.show_project(data, self.state.as_dict())
        count = sum(len(d.features) for d in data.layers)
        self.party_label.setText(self.tr_("party", data.party, data.party_name, data.role))
        self.crs_label.setText(CRS_TEXT if data.crs == "EPSG:4490" else data.crs)
        self.setWindowTitle(f"{data.party_name} — {data.path.name} — {self.tr_('title')}")
        self.statusBar().showMessage(self.tr_("loaded", count), 5000)
        log.info("showing %s: %d features", data.path, count)
        self.loaded.emit(data)

    def _on_failed(self, message: str) -> None:
        self.statusBar().showMessage(message)
        self.failed.emit(message)

    def _on_cursor_moved(self, lon: float, lat: float) -> None:
        self.cursor_label.setText(self.tr_("cursor", lon, lat))

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop the worker thread and disconnect from the shared state (once)."""
        if self._loader is not None:
            self._loader.stop()
            self.tree.cleanup()
            self._loader = None
