"""View → Basemap…: choose what lies under the planning layers (the built-in context, nothing,
an MBTiles file, an XYZ tile folder, an XYZ or WMS address) and its opacity. The choice is
remembered for the project and as the default for other projects (app/views/basemap.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QWidget,
)

from app.basemap.sources import BasemapConfig
from app.views.basemap import BasemapLayer, save_config
from app.views.i18n import tr

if TYPE_CHECKING:
    from app.views.main_window import MainWindow


def texts() -> dict[str, str]:
    return {"basemap": tr("Basemap…")}


def kinds() -> list[tuple[str, str]]:
    """(kind, label) in the order the dialog offers them."""
    return [("builtin", tr("Built-in context (offline)")), ("none", tr("None")),
            ("mbtiles", tr("MBTiles file")), ("folder", tr("XYZ tile folder")),
            ("xyz", tr("XYZ tile address")), ("wms", tr("WMS address"))]


def hints() -> dict[str, str]:
    return {
        "builtin": tr("City land and Taihu, schematic (Natural Earth, public domain); no files needed."),
        "none": tr("Features on the plain background."),
        "mbtiles": tr("A .mbtiles file in Web Mercator, e.g. exported from QGIS or gdal."),
        "folder": tr("A folder laid out as {z}/{x}/{y}.png, e.g. made by gdal2tiles --xyz."),
        "xyz": tr("An address with {z}, {x} and {y}, e.g. http://tiles.office/{z}/{x}/{y}.png. "
                  "Tiles seen once stay available offline. Tiles in GCJ-02 appear offset."),
        "wms": tr("The WMS GetMap address and a layer name; requested in EPSG:3857."),
    }


class BasemapDialog(QDialog):
    """Edits a BasemapConfig; the opacity slider previews on the map at once."""

    def __init__(self, layer: BasemapLayer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Basemap"))
        self._layer, self._original = layer, layer.config
        self.kind = QComboBox()
        for kind, label in kinds():
            self.kind.addItem(label, kind)
        self.location, self.layer_name = QLineEdit(), QLineEdit()
        self.browse = QPushButton(tr("Browse…"))
        self.hint = QLabel(wordWrap=True)
        self.opacity = QSlider(Qt.Orientation.Horizontal, minimum=0, maximum=100)
        self._build()
        self.set_config(layer.config)
        self.kind.currentIndexChanged.connect(self._on_kind)
        self.browse.clicked.connect(self._browse)
        self.opacity.valueChanged.connect(lambda v: self._layer.set_opacity(v / 100))  # UI -> map

    def _build(self) -> None:
        form = QFormLayout(self)
        row = QHBoxLayout()
        row.addWidget(self.location, 1)
        row.addWidget(self.browse)
        form.addRow(tr("Source"), self.kind)
        form.addRow(tr("File, folder or address"), row)
        form.addRow(tr("WMS layer"), self.layer_name)
        form.addRow(self.hint)
        form.addRow(tr("Opacity"), self.opacity)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.setMinimumWidth(560)

    def set_config(self, config: BasemapConfig) -> None:
        """Show `config` in the widgets."""
        self.kind.setCurrentIndex(max(0, self.kind.findData(config.kind)))
        self.location.setText(config.location)
        self.layer_name.setText(config.layer)
        self.opacity.setValue(round(config.opacity * 100))
        self._on_kind()

    def config(self) -> BasemapConfig:
        """The configuration the widgets describe."""
        kind = self.kind.currentData()
        location = self.location.text().strip() if kind not in ("builtin", "none") else ""
        layer = self.layer_name.text().strip() if kind == "wms" else ""
        return BasemapConfig(kind, location, layer, self.opacity.value() / 100)

    def _on_kind(self) -> None:
        kind = self.kind.currentData()
        self.location.setEnabled(kind not in ("builtin", "none"))
        self.browse.setEnabled(kind in ("mbtiles", "folder"))
        self.layer_name.setEnabled(kind == "wms")
        self.hint.setText(hints()[kind])

    def _browse(self) -> None:
        if self.kind.currentData() == "folder":
            path = QFileDialog.getExistingDirectory(self, tr("XYZ tile folder"), self.location.text())
        else:
            path, _ = QFileDialog.getOpenFileName(self, tr("MBTiles file"), self.location.text(),
                                                  tr("MBTiles (*.mbtiles);;All files (*)"))
        if path:
            self.location.setText(path)

    def reject(self) -> None:
        self._layer.set_opacity(self._original.opacity)  # undo the preview
        super().reject()


def choose_basemap(window: MainWindow) -> BasemapDialog:
    """Open the dialog; on OK the map switches and the choice is remembered."""
    layer = window.map.basemap
    dialog = BasemapDialog(layer, window)

    def apply() -> None:
        config = dialog.config()
        layer.configure(config)
        save_config(config, layer.project_path)

    dialog.accepted.connect(apply)
    dialog.open()
    return dialog


def add_basemap_action(window: MainWindow) -> dict[str, QAction]:
    """View → Basemap…, after the zoom actions."""
    action = QAction(texts()["basemap"], window)
    action.setObjectName("basemap")
    action.triggered.connect(lambda: choose_basemap(window))
    menu = window.menus["m_view"]
    menu.addSeparator()
    menu.addAction(action)
    return {"basemap": action}
