"""The layer list: layers grouped by catalogue category, a check box each, legend symbols."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from app.views import symbols
from app.views.i18n import lang, tr
from app.views.loader import LayerData, ProjectData
from app.views.signals import signals_blocked

CODE_ROLE = Qt.ItemDataRole.UserRole
EMPTY_COLOR = QColor("#9A9A9A")


class LayerState(QObject):
    """Which layers are visible. The tree writes it; the map and the tree follow it."""

    visibility_changed = Signal(str, bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._visible: dict[str, bool] = {}

    def reset(self, visible: dict[str, bool]) -> None:
        """Start over for a newly loaded project (no signals: the views rebuild anyway)."""
        self._visible = dict(visible)

    def is_visible(self, code: str) -> bool:
        return self._visible.get(code, False)

    def set_visible(self, code: str, visible: bool) -> None:
        if self._visible.get(code) != visible:
            self._visible[code] = visible
            self.visibility_changed.emit(code, visible)

    def as_dict(self) -> dict[str, bool]:
        return dict(self._visible)


class LayerTree(QTreeWidget):
    """Category > layer rows: symbol, name (other language as tooltip), feature count."""

    current_layer_changed = Signal(object)  # layer code or None

    def __init__(self, state: LayerState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state, self._data = state, None
        self.setColumnCount(2)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.header().setStretchLastSection(False)
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(True)
        self.itemChanged.connect(self._on_item_changed)  # UI -> state
        self.currentItemChanged.connect(self._on_current_changed)
        state.visibility_changed.connect(self._on_visibility_changed)  # state -> UI

    def retranslate(self) -> None:
        self._lang = lang()
        self.setHeaderLabels([tr("Layer"), tr("Features")])
        if self._data is not None:
            current = self.current_layer()
            self.populate(self._data, self._counts)
            if current:
                self.select_layer(current)

    def populate(self, data: ProjectData, counts: dict[str, int] | None = None) -> None:
        """Rebuild the rows for `data`, checked as the state says."""
        self._data, self._lang = data, lang()
        self.setHeaderLabels([tr("Layer"), tr("Features")])
        self._counts = counts or {d.layer.code: len(d.features) for d in data.layers}
        with signals_blocked(self):
            self.clear()
            for category in data.categories:
                layers = [d for d in data.layers if d.layer.category == category.code]
                if layers:
                    self._add_category(category, layers)
            self.expandAll()

    def _add_category(self, category, layers: list[LayerData]) -> None:
        name, other = _names(category, self._lang)
        group = QTreeWidgetItem(self, [name, str(sum(self._counts[d.layer.code] for d in layers))])
        group.setToolTip(0, other)
        font = QFont(group.font(0))
        font.setBold(True)
        group.setFont(0, font)
        group.setFlags(Qt.ItemFlag.ItemIsEnabled)
        for layer_data in layers:
            self._add_layer(group, layer_data)

    def _add_layer(self, group: QTreeWidgetItem, layer_data: LayerData) -> None:
        layer, count = layer_data.layer, self._counts[layer_data.layer.code]
        name, other = _names(layer, self._lang)
        if layer_data.schematic:
            name += tr(" (schematic)")
        item = QTreeWidgetItem(group, [name, str(count)])
        item.setData(0, CODE_ROLE, layer.code)
        item.setIcon(0, symbols.swatch(layer))
        item.setToolTip(0, f"{other} · {layer.code}")
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
        checked = self._state.is_visible(layer.code)
        item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        if count == 0:
            for column in (0, 1):
                item.setForeground(column, QBrush(EMPTY_COLOR))

    def layer_item(self, code: str) -> QTreeWidgetItem | None:
        """The row of layer `code`, if listed."""
        for i in range(self.topLevelItemCount()):
            group = self.topLevelItem(i)
            for j in range(group.childCount()):
                if group.child(j).data(0, CODE_ROLE) == code:
                    return group.child(j)
        return None

    def set_count(self, code: str, count: int) -> None:
        """Model -> UI: a layer's feature count changed (an edit, undo, a pull)."""
        item = self.layer_item(code)
        if item is None or self._counts.get(code) == count:
            return
        self._counts[code] = count
        with signals_blocked(self):
            item.setText(1, str(count))
            group = item.parent()
            total = sum(int(group.child(i).text(1)) for i in range(group.childCount()))
            group.setText(1, str(total))
            colour = QBrush(EMPTY_COLOR) if count == 0 else self.palette().text()
            for column in (0, 1):
                item.setForeground(column, colour)

    def current_layer(self) -> str | None:
        item = self.currentItem()
        return item.data(0, CODE_ROLE) if item is not None else None

    def select_layer(self, code: str) -> None:
        item = self.layer_item(code)
        if item is not None:
            self.setCurrentItem(item)

    def _on_current_changed(self, current, previous) -> None:
        self.current_layer_changed.emit(current.data(0, CODE_ROLE) if current is not None else None)

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        code = item.data(0, CODE_ROLE)
        if code and column == 0:
            self._state.set_visible(code, item.checkState(0) == Qt.CheckState.Checked)

    def _on_visibility_changed(self, code: str, visible: bool) -> None:
        item = self.layer_item(code)
        if item is not None:
            with signals_blocked(self):
                item.setCheckState(0, Qt.CheckState.Checked if visible else Qt.CheckState.Unchecked)

    def cleanup(self) -> None:
        self._state.visibility_changed.disconnect(self._on_visibility_changed)


def _names(entry, lang: str) -> tuple[str, str]:
    """(shown name, tooltip name) of a layer or category in `lang`."""
    return (entry.name_zh, entry.name_en) if lang == "zh" else (entry.name_en, entry.name_zh)
