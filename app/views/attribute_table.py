"""The attribute table: a lazy QAbstractTableModel over one layer of the FeatureStore (rows
arrive in batches through canFetchMore/fetchMore), sorting and filtering by app.editing.table,
in-place edits validated before they are sent, and the selection shared with the map."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.editing import table
from app.editing.form import field_problems, parse, type_problem
from app.editing.selection import Selection
from app.editing.store import FeatureStore, editable
from app.model.catalogue import Catalogue, Layer
from app.model.feature import Feature
from app.views.i18n import lang, tr
from app.views.signals import signals_blocked

BATCH = 500  # rows made visible per fetchMore
OTHERS = QBrush(QColor("#868E96"))
OWNER = "owner"
ROOT = QModelIndex()  # the invisible root of a flat table


class AttributeTableModel(QAbstractTableModel):
    """Rows are a layer's features in `order`; only the first `fetched` are shown so far."""

    edit_requested = Signal(object, dict)  # feature, {field: value}
    edit_refused = Signal(str)

    def __init__(self, store: FeatureStore, parent=None) -> None:
        super().__init__(parent)
        self.store = store
        self.layer: Layer | None = None
        self.catalogue: Catalogue | None = None
        self.party, self.role = "", "editor"
        self.order: list[str] = []
        self.fetched = 0
        self.needle, self.sort_key = "", (None, False)
        store.changed.connect(self._on_feature_changed)  # model -> table

    def set_layer(self, layer: Layer | None, catalogue: Catalogue, party: str, role: str) -> None:
        self.layer, self.catalogue, self.party, self.role = layer, catalogue, party, role
        self.refresh()

    def columns(self) -> list[str]:
        return [OWNER, *self.layer.field_names] if self.layer else []

    def refresh(self) -> None:
        """Recompute the row order (filter, sort) and show the first batch."""
        self.beginResetModel()
        features = list(self.store.layers[self.layer.code].features.values()) \
            if self.layer and self.layer.code in self.store.layers else []
        self.order = table.order(features, self.needle, *self.sort_key)
        self.fetched = min(BATCH, len(self.order))
        self.endResetModel()

    def set_filter(self, needle: str) -> None:
        self.needle = needle
        self.refresh()

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(self.columns()):
            self.sort_key = (self.columns()[column], order == Qt.SortOrder.DescendingOrder)
            self.refresh()

    def rowCount(self, parent=ROOT) -> int:
        return 0 if parent.isValid() else self.fetched

    def columnCount(self, parent=ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns())

    def canFetchMore(self, parent=ROOT) -> bool:
        return not parent.isValid() and self.fetched < len(self.order)

    def fetchMore(self, parent=ROOT) -> None:
        more = min(BATCH, len(self.order) - self.fetched)
        self.beginInsertRows(QModelIndex(), self.fetched, self.fetched + more - 1)
        self.fetched += more
        self.endInsertRows()

    def feature(self, row: int) -> Feature | None:
        return self.store.get(self.layer.code, self.order[row]) if 0 <= row < self.fetched else None

    def row_of(self, uuid: str) -> int:
        """The row of `uuid`, fetching rows until it is shown; -1 when filtered out."""
        try:
            row = self.order.index(uuid)
        except ValueError:
            return -1
        while row >= self.fetched:
            self.fetchMore()
        return row

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        name = self.columns()[section]
        return tr("Owner") if name == OWNER else self.layer.field(name).label(lang())

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        feature = self.feature(index.row())
        if feature is None:
            return None
        name = self.columns()[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            value = feature.owner if name == OWNER else feature.attrs.get(name)
            return "" if value is None else value if role == Qt.ItemDataRole.EditRole else str(value)
        if role == Qt.ItemDataRole.ForegroundRole and not self._editable(feature):
            return OTHERS
        if role == Qt.ItemDataRole.ToolTipRole and not self._editable(feature):
            return tr("Read-only: this feature belongs to party {} {}").format(feature.owner, "")
        return None

    def _editable(self, feature: Feature) -> bool:
        return editable(feature, self.party, self.role)

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        feature, name = self.feature(index.row()), self.columns()[index.column()]
        if feature is None or name == OWNER or self.layer.field(name).derived or not self._editable(feature):
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        """UI -> model: validate the cell, then ask for the edit (it lands via the undo stack)."""
        feature, name = self.feature(index.row()), self.columns()[index.column()]
        if role != Qt.ItemDataRole.EditRole or feature is None:
            return False
        problems = self._cell_problems(feature, name, value)
        if problems:
            self.edit_refused.emit("；".join(p.text(lang()) for p in problems))
            return False
        typed = parse(self.layer.field(name), str(value))
        if typed != feature.attrs.get(name):
            self.edit_requested.emit(feature, {name: typed})
        return True

    def _cell_problems(self, feature: Feature, name: str, value) -> list:
        try:
            typed = parse(self.layer.field(name), str(value))
        except ValueError:
            return [type_problem(self.layer.field(name))]
        attrs = {**feature.attrs, name: typed}
        return field_problems(self.layer, self.catalogue, attrs).get(name, [])

    def _on_feature_changed(self, code: str, uuid: str, feature: Feature | None) -> None:
        if self.layer is None or code != self.layer.code:
            return
        if feature is not None and uuid in self.order:
            row = self.order.index(uuid)
            if row < self.fetched:
                self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
            return
        self.refresh()  # rows came or went: recompute (cheap next to what a user can do)

    def cleanup(self) -> None:
        self.store.changed.disconnect(self._on_feature_changed)


class AttributeTable(QWidget):
    """Filter box + table view; the view's selection and the shared Selection follow each other."""

    def __init__(self, store: FeatureStore, selection: Selection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.selection = selection
        self.model = AttributeTableModel(store, self)
        self.filter = QLineEdit()
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.model.set_filter)
        self.status = QLabel()
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.verticalHeader().setDefaultSectionSize(22)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.filter)
        layout.addWidget(self.view)
        layout.addWidget(self.status)
        self.view.selectionModel().selectionChanged.connect(self._on_view_selection)  # UI -> model
        self.model.modelReset.connect(self._restore_selection)
        self.model.edit_refused.connect(self.status.setText)
        selection.changed.connect(self._on_selection_changed)  # model -> UI
        self.retranslate()

    def retranslate(self) -> None:
        self.filter.setPlaceholderText(tr("Filter rows…"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(self.model.columnCount() - 1, 0))

    def _on_view_selection(self, *_) -> None:
        if self.model.layer is None:
            return
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        self.selection.set(self.model.layer.code, [self.model.order[r] for r in rows])

    def _on_selection_changed(self, layer: str | None, uuids) -> None:
        if self.model.layer is None or layer != self.model.layer.code:
            return
        self._select_rows(uuids)

    def _restore_selection(self) -> None:
        if self.model.layer is not None and self.selection.layer == self.model.layer.code:
            self._select_rows(self.selection.uuids)

    def _select_rows(self, uuids) -> None:
        chosen = QItemSelection()
        rows = [r for r in (self.model.row_of(u) for u in uuids) if r >= 0]
        for row in rows:
            chosen.select(self.model.index(row, 0), self.model.index(row, self.model.columnCount() - 1))
        with signals_blocked(self.view.selectionModel()):
            self.view.selectionModel().select(chosen, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.view.viewport().update()
        if rows:
            self.view.scrollTo(self.model.index(rows[0], 0))

    def cleanup(self) -> None:
        self.selection.changed.disconnect(self._on_selection_changed)
        self.model.cleanup()
