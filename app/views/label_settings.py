"""Label settings: per layer the field its map labels show (or none) and their font size,
remembered in QSettings (keys `labels/<LAYER>/field` and `labels/<LAYER>/size`) and applied to
the map at once. View → Label settings… opens the dialog."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QSpinBox, QWidget

from app.model.catalogue import Catalogue, Layer
from app.views.graphics import default_label_size
from app.views.i18n import lang, tr
from app.views.settings import settings
from app.views.signals import signals_blocked

if TYPE_CHECKING:
    from app.views.main_window import MainWindow

SIZE_RANGE = (6, 40)  # px
OFF = "-"  # stored as the field when the user turned a layer's labels off


@dataclass(frozen=True)
class LabelSetting:
    """What a layer's labels show."""

    field: str | None  # None: no labels
    size: int  # font size, px


def label_setting(layer: Layer) -> LabelSetting:
    """The layer's label setting: the user's choice if any, else the catalogue style's."""
    store = settings()
    field = str(store.value(f"labels/{layer.code}/field", "") or "")
    if field == OFF:
        chosen = None
    elif field and field in layer.field_names:
        chosen = field
    else:
        chosen = layer.style.label_field  # no choice, or a field the catalogue no longer has
    try:
        size = int(store.value(f"labels/{layer.code}/size", default_label_size(layer)))
    except (TypeError, ValueError):
        size = default_label_size(layer)
    return LabelSetting(chosen, min(max(size, SIZE_RANGE[0]), SIZE_RANGE[1]))


def save_label_setting(code: str, setting: LabelSetting) -> None:
    store = settings()
    store.setValue(f"labels/{code}/field", setting.field or OFF)
    store.setValue(f"labels/{code}/size", setting.size)


def reset_label_setting(code: str) -> None:
    """Back to the catalogue's label field and the default size."""
    settings().remove(f"labels/{code}")


class LabelSettingsDialog(QDialog):
    """Layer, its label field (or none) and size; Apply or OK saves and emits `applied`."""

    applied = Signal(str)  # layer code

    def __init__(self, catalogue: Catalogue, layers: list[str], current: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Label settings"))
        self._catalogue = catalogue
        self.layer_box, self.field_box, self.size_box = QComboBox(), QComboBox(), QSpinBox()
        self.size_box.setRange(*SIZE_RANGE)
        self.size_box.setSuffix(" px")
        for code in layers:
            self.layer_box.addItem(f"{catalogue.layer(code).name(lang())} ({code})", code)
        form = QFormLayout(self)
        form.addRow(tr("Layer"), self.layer_box)
        form.addRow(tr("Label field"), self.field_box)
        form.addRow(tr("Font size"), self.size_box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Apply
                                   | QDialogButtonBox.StandardButton.Cancel
                                   | QDialogButtonBox.StandardButton.RestoreDefaults)
        form.addRow(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.apply)
        buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(self.restore)
        self.layer_box.currentIndexChanged.connect(self._show_layer)
        if current in layers:
            self.layer_box.setCurrentIndex(layers.index(current))
        self._show_layer()

    def layer(self) -> Layer:
        return self._catalogue.layer(self.layer_box.currentData())

    def _show_layer(self, *_) -> None:
        layer = self.layer()
        setting = label_setting(layer)
        with signals_blocked(self.field_box):
            self.field_box.clear()
            self.field_box.addItem(tr("(no labels)"), None)
            for f in layer.fields:
                self.field_box.addItem(f"{f.label(lang())} ({f.name})", f.name)
            self.field_box.setCurrentIndex(max(self.field_box.findData(setting.field), 0))
        self.size_box.setValue(setting.size)

    def setting(self) -> LabelSetting:
        return LabelSetting(self.field_box.currentData(), self.size_box.value())

    def apply(self) -> None:
        """Save the shown layer's choice and tell the map."""
        code = self.layer().code
        save_label_setting(code, self.setting())
        self.applied.emit(code)

    def restore(self) -> None:
        code = self.layer().code
        reset_label_setting(code)
        self._show_layer()
        self.applied.emit(code)

    def accept(self) -> None:
        self.apply()
        super().accept()


def texts() -> dict[str, str]:
    return {"labels": tr("Label settings…")}


def open_label_settings(window: MainWindow) -> LabelSettingsDialog | None:
    """The dialog for the open project's layers, applied to the window's map (non-modal)."""
    data = window.project
    if data is None:
        return None
    layers = [d.layer.code for d in data.layers if d.layer.spatial]
    dialog = LabelSettingsDialog(data.catalogue, layers, window.map.active_layer, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.applied.connect(lambda _code: window.map.refresh_labels())
    dialog.show()
    return dialog


def add_label_action(window: MainWindow) -> dict[str, QAction]:
    """View → Label settings…"""
    action = QAction(texts()["labels"], window)
    action.setObjectName("labels")
    action.triggered.connect(lambda: open_label_settings(window))
    window.menus["m_view"].addAction(action)
    return {"labels": action}
