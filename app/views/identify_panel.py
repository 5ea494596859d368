"""Identify results: every visible feature under the clicked point, across all layers, top layer
first. A row reads "layer name — label" with the feature's key attributes under it (catalogue
labels in the interface language); choosing a row selects that feature (the form follows)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.editing.selection import Selection
from app.editing.store import FeatureStore
from app.model import units
from app.model.catalogue import Catalogue, Layer
from app.model.feature import Feature
from app.views import i18n
from app.views.i18n import tr

if TYPE_CHECKING:
    from app.views.map_view import MapView

KEY_ATTRIBUTES = 8  # attribute rows under a feature; the form shows them all
REF = Qt.ItemDataRole.UserRole  # (layer, uuid) on every row


def feature_title(layer: Layer, feature: Feature) -> str:
    """'BSM · name' from the identifier and the label field, whichever the feature has."""
    parts = []
    for name in ("BSM", layer.style.label_field):
        value = feature.attrs.get(name or "")
        if value not in (None, "") and str(value) not in parts:
            parts.append(str(value))
    return " · ".join(parts) or tr("(no name)")


def key_attributes(layer: Layer, feature: Feature, lang: str,
                   catalogue: Catalogue | None = None) -> list[tuple[str, str]]:
    """(label, value) of the first filled-in fields in catalogue order; areas in m² and 公顷,
    codes with their names ("01 城镇集中建设区")."""
    out = []
    for f in layer.fields:
        value = feature.attrs.get(f.name)
        if value in (None, ""):
            continue
        if f.derived == "area_m2" and isinstance(value, int | float):
            value = f"{units.format_area_unit(value, 'ha', lang)} ({units.format_area_unit(value, 'm2', lang)})"
        elif f.derived == "length_m" and isinstance(value, int | float):
            value = units.format_length(value, lang)
        elif f.codelist and catalogue is not None and f.codelist in catalogue.codelists:
            names = catalogue.codelist(f.codelist).codes.get(str(value))
            value = f"{value} {names[0] if lang == 'zh' else names[1]}" if names else value
        out.append((f.label(lang), str(value)))
        if len(out) == KEY_ATTRIBUTES:
            break
    return out


def reveal(window: QMainWindow, dock: QDockWidget) -> None:
    """Show the results dock; the first time with a third of the window's height, so the list
    is readable beside the form it shares the column with."""
    if not dock.isVisible():
        dock.show()
        window.resizeDocks([dock], [max(300, window.height() // 3)], Qt.Orientation.Vertical)
    dock.raise_()


class IdentifyPanel(QWidget):
    """The list of what the identify tool found; follows the map's `identified` signal."""

    shown = Signal(int)  # number of features listed

    def __init__(self, view: MapView, store: FeatureStore, selection: Selection,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view, self.store, self.selection = view, store, selection
        self.hits: list[Feature] = []
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.itemClicked.connect(self._on_chosen)  # UI -> model
        self.tree.itemActivated.connect(self._on_chosen)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree)
        view.identified.connect(self.show_hits)  # map -> list
        store.changed.connect(self._on_feature_changed)
        store.reset_done.connect(self._on_reset)
        self.retranslate()

    def show_hits(self, hits: list[Feature]) -> None:
        """List `hits` (top layer first), the first one expanded and current."""
        self.hits = list(hits)
        self._fill()
        self.shown.emit(len(self.hits))

    def _fill(self) -> None:
        self.tree.clear()
        data, lang = self.view.data, i18n.lang()
        if data is None:
            return
        for feature in self.hits:
            layer = data.catalogue.layer(feature.layer)
            item = QTreeWidgetItem([layer.name(lang), feature_title(layer, feature)])
            item.setData(0, REF, (feature.layer, feature.uuid))
            item.setToolTip(0, item.text(0))
            item.setToolTip(1, item.text(1))
            for label, value in key_attributes(layer, feature, lang, data.catalogue):
                child = QTreeWidgetItem([label, value])
                child.setToolTip(1, value)  # the column may cut long values
                child.setData(0, REF, (feature.layer, feature.uuid))
                item.addChild(child)
            self.tree.addTopLevelItem(item)
        if self.hits:
            first = self.tree.topLevelItem(0)
            first.setExpanded(True)
            self.tree.setCurrentItem(first)
        self._fit_columns()
        self._show_summary()

    def _fit_columns(self) -> None:
        # Long layer names (English) must not push the values out of sight.
        self.tree.resizeColumnToContents(0)
        self.tree.setColumnWidth(0, min(self.tree.columnWidth(0), max(140, self.tree.viewport().width() // 2)))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def _show_summary(self) -> None:
        if not self.hits:
            self.summary.setText(tr("Click the map with the identify tool to list the features there."))
        else:
            self.summary.setText(tr("{} feature(s) under the cursor; choose one to select it.").format(len(self.hits)))

    def _on_chosen(self, item: QTreeWidgetItem, column: int = 0) -> None:
        layer, uuid = item.data(0, REF)
        if self.store.get(layer, uuid) is not None:
            self.selection.set(layer, (uuid,))

    def _on_feature_changed(self, code: str, uuid: str, feature: Feature | None) -> None:
        if not any(f.uuid == uuid for f in self.hits):
            return
        # Edited: show the new values; deleted (also by a pull): take it off the list.
        self.hits = [feature if f.uuid == uuid else f for f in self.hits if f.uuid != uuid or feature]
        self._fill()

    def _on_reset(self) -> None:
        """A reload (after a pull): keep the features that still exist, in their new state."""
        self.hits = [f for f in (self.store.get(h.layer, h.uuid) for h in self.hits) if f is not None]
        self._fill()

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([tr("Layer / field"), tr("Feature / value")])
        self._fill()
        self._show_summary()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def cleanup(self) -> None:
        self.store.changed.disconnect(self._on_feature_changed)
        self.store.reset_done.disconnect(self._on_reset)
