"""The attribute table: a lazy QAbstractTableModel over one layer of the FeatureStore (rows
arrive in batches through canFetchMore/fetchMore), sorting and filtering by app.editing.table,
in-place edits validated before they are sent, and the selection shared with the map.

Sized for 100k rows: a uuid -> row dict kept with the order; a big layer is filtered and sorted
on a pool thread and the new order swapped in; a selection from the map becomes contiguous row
ranges for the rows fetched so far (a 65k selection is 45k ranges: they are made as rows are)."""

from __future__ import annotations

import atexit
from itertools import repeat

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.editing import table
from app.editing.form import (
    area_text,
    field_problems,
    is_area,
    parse,
    type_problem,
    with_paired_name,
)
from app.editing.selection import Selection
from app.editing.store import FeatureStore, editable
from app.messages import problem_text
from app.model.catalogue import Catalogue, Layer
from app.model.feature import Feature
from app.views.feature_form import CodeDelegate
from app.views.i18n import lang, tr
from app.views.signals import signals_blocked

# Background jobs of this module, one at a time; waited for at exit (a thread still running
# Python while the interpreter shuts down would crash it).
POOL = QThreadPool()
POOL.setMaxThreadCount(1)
atexit.register(POOL.waitForDone)
BATCH = 500  # rows made visible per fetchMore
SYNC_LIMIT = 5000  # layers up to this size are filtered and sorted at once (a few ms)
OTHERS = QBrush(QColor("#868E96"))
OWNER = "owner"
ROOT = QModelIndex()  # the invisible root of a flat table


class _Bridge(QObject):
    """Carries a row order computed on a pool thread back to the GUI thread."""

    ordered = Signal(int, object, object)  # generation, (columns, key), row positions


class AttributeTableModel(QAbstractTableModel):
    """Rows are a layer's features in `order`; only the first `fetched` are shown so far."""

    edit_requested = Signal(object, dict)  # feature, {field: value}
    edit_refused = Signal(str)
    order_ready = Signal()  # a new row order is in place (after a filter, sort or edit)
    layer_changed = Signal()

    def __init__(self, store: FeatureStore, parent=None) -> None:
        super().__init__(parent)
        self.store = store
        self.layer: Layer | None = None
        self.catalogue: Catalogue | None = None
        self.party, self.role = "", "editor"
        self._columns_of: Layer | None = None
        self._names: list[str] = []
        self._areas_of: Layer | None = None
        self._area_names: frozenset[str] = frozenset()
        self.order: list[str] = []
        self._rows: dict[str, int] = {}  # uuid -> row, rebuilt with the order
        self._columns, self._columns_key = None, None  # table.Columns of the layer's revision
        self._generation = 0  # of the newest order asked for; older results are dropped
        self.ordering = False  # a new order is being computed off the GUI thread
        self.fetched = 0
        self.needle, self.sort_key = "", (None, False)
        self._bridge = _Bridge()
        self._bridge.ordered.connect(self._on_ordered, Qt.ConnectionType.QueuedConnection)
        # Rows coming or going are counted once per burst (undoing a 65k delete is 65k events).
        self._refresh_timer = QTimer(self, singleShot=True, interval=0, timeout=self.refresh)
        self._dirty: tuple[int, int] | None = None  # rows changed since the last repaint
        self._repaint_timer = QTimer(self, singleShot=True, interval=0, timeout=self._repaint)
        store.changed.connect(self._on_feature_changed)  # model -> table

    def set_layer(self, layer: Layer | None, catalogue: Catalogue, party: str, role: str) -> None:
        self.layer, self.catalogue, self.party, self.role = layer, catalogue, party, role
        self.refresh()
        self.layer_changed.emit()

    def columns(self) -> list[str]:
        return self._column_names

    @property
    def _column_names(self) -> list[str]:
        # Asked for every cell painted and every index made: cached per layer.
        if self._columns_of is not self.layer:
            self._columns_of = self.layer
            self._names = [OWNER, *self.layer.field_names] if self.layer else []
        return self._names

    def refresh(self) -> None:
        """Recompute the row order (filter, sort) and show the first batch; for a big layer
        the order is computed on a pool thread and `order_ready` says when it is shown."""
        self._refresh_timer.stop()
        self._generation += 1
        index = self.store.layers.get(self.layer.code) if self.layer else None
        key = (self.layer.code, id(index), index.revision) if index is not None else None
        columns = self._columns if key is not None and key == self._columns_key else \
            table.Columns(list(index.features.values()) if index is not None else [])
        needle, (column, descending) = self.needle, self.sort_key
        if (not needle and column is None) or len(columns.uuids) <= SYNC_LIMIT:
            self._swap(columns, key, columns.order(needle, column, descending))
        else:
            self.ordering, generation = True, self._generation
            POOL.start(lambda: self._order_off_thread(generation, columns, key, needle, column, descending))
        if len(columns.uuids) > SYNC_LIMIT:
            POOL.start(columns.search_text)  # ready before the first keystroke in the filter

    def _order_off_thread(self, generation: int, columns, key, needle, column, descending) -> None:
        if generation != self._generation:
            return  # superseded while queued (typing in the filter box)
        rows = columns.order(needle, column, descending)
        try:
            self._bridge.ordered.emit(generation, (columns, key), rows)
        except RuntimeError:  # the table closed meanwhile
            pass

    def _on_ordered(self, generation: int, keyed, rows) -> None:
        if generation == self._generation:
            self._swap(*keyed, rows)

    def _swap(self, columns, key, rows: np.ndarray) -> None:
        self.beginResetModel()
        self._columns, self._columns_key = columns, key
        self.order = columns.uuids[rows].tolist()
        self._rows = {u: i for i, u in enumerate(self.order)}
        self.fetched = min(BATCH, len(self.order))
        self.ordering = False
        self.endResetModel()
        self.order_ready.emit()

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

    def uuids_of(self, rows: np.ndarray) -> list[str]:
        order = self.order
        return [order[r] for r in rows.tolist() if r < len(order)]

    def fetch_to(self, row: int) -> None:
        """Make rows up to `row` visible in one insertion (not a batch at a time)."""
        if row < self.fetched:
            return
        last = min(len(self.order), (row // BATCH + 1) * BATCH) - 1
        self.beginInsertRows(QModelIndex(), self.fetched, last)
        self.fetched = last + 1
        self.endInsertRows()

    def rows_of(self, uuids) -> np.ndarray:
        """Sorted rows of those `uuids` that are in the table (not filtered out)."""
        found = np.fromiter(map(self._rows.get, uuids, repeat(-1)), dtype=np.int64)
        return np.unique(found[found >= 0])

    def selected_mask(self, members: frozenset[str]) -> np.ndarray:
        """For each row, whether its uuid is in `members` (one C-level pass, no Python loop)."""
        return np.fromiter(map(members.__contains__, self.order), dtype=bool, count=len(self.order))

    def row_of(self, uuid: str) -> int:
        """The row of `uuid`, fetching rows until it is shown; -1 when filtered out."""
        row = self._rows.get(uuid, -1)
        self.fetch_to(row)
        return row

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        name = self.columns()[section]
        if name == OWNER:
            return tr("Owner")
        field = self.layer.field(name)
        return f"{field.label(lang())} (m²)" if is_area(field) else field.label(lang())

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        feature = self.feature(index.row())
        if feature is None:
            return None
        name = self.columns()[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            value = feature.owner if name == OWNER else feature.attrs.get(name)
            if value is None or role == Qt.ItemDataRole.EditRole:
                return "" if value is None else value
            return self._area(value) if name in self._areas else str(value)
        if role == Qt.ItemDataRole.ForegroundRole and not self._editable(feature):
            return OTHERS
        if role == Qt.ItemDataRole.ToolTipRole and not self._editable(feature):
            return tr("Read-only: this feature belongs to party {} {}").format(feature.owner, "")
        if role == Qt.ItemDataRole.ToolTipRole and name in self._areas:
            value = feature.attrs.get(name)
            return area_text(float(value), lang()) if isinstance(value, int | float) else None
        if role == Qt.ItemDataRole.TextAlignmentRole and name in self._areas:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @property
    def _areas(self) -> frozenset[str]:
        """Area columns (m² in the header; whole m² in the cells, full value in the edit)."""
        if self._areas_of is not self.layer:
            self._areas_of = self.layer
            self._area_names = frozenset(f.name for f in self.layer.fields if is_area(f)) if self.layer else frozenset()
        return self._area_names

    @staticmethod
    def _area(value) -> str:
        return f"{value:,.{2 if abs(value) < 100 else 0}f}" if isinstance(value, int | float) else str(value)

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
        try:
            typed = parse(self.layer.field(name), str(value))
        except ValueError:
            self.edit_refused.emit(type_problem(self.layer.field(name)).text(lang()))
            return False
        edits = with_paired_name(self.layer, self.catalogue, name, typed)  # a code fills its name
        problems = self._cell_problems(feature, edits)
        if problems:
            self.edit_refused.emit("；".join(problem_text(p, lang()) for p in problems))
            return False
        edits = {k: v for k, v in edits.items() if v != feature.attrs.get(k)}
        if edits:
            self.edit_requested.emit(feature, edits)
        return True

    def _cell_problems(self, feature: Feature, edits: dict) -> list:
        """Problems of the edited cells (a name that does not match its code, a duplicate BSM…)."""
        def taken(field: str, value) -> bool:
            return self.store.taken(self.layer.code, field, value, feature.uuid)
        problems = field_problems(self.layer, self.catalogue, {**feature.attrs, **edits}, taken=taken)
        return [p for name in edits for p in problems.get(name, [])]

    def _on_feature_changed(self, code: str, uuid: str, feature: Feature | None) -> None:
        if self.layer is None or code != self.layer.code:
            return
        row = self._rows.get(uuid, -1)
        if feature is not None and row >= 0:
            if row < self.fetched:  # one dataChanged for a burst (a bulk edit), not one per row
                self._dirty = (min(row, self._dirty[0]), max(row, self._dirty[1])) if self._dirty else (row, row)
                self._repaint_timer.start()
            return
        self._refresh_timer.start()  # rows came or went: recompute once the burst is over

    def _repaint(self) -> None:
        if self._dirty is not None and self._dirty[0] < self.fetched:
            last = min(self._dirty[1], self.fetched - 1)
            self.dataChanged.emit(self.index(self._dirty[0], 0), self.index(last, self.columnCount() - 1))
        self._dirty = None

    def cleanup(self) -> None:
        self._generation += 1  # an order still being computed is dropped
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
        # Which rows are selected, over the whole order; the view's selection model holds only
        # the rows fetched so far and grows as more are (a map selection of 65k is 45k ranges).
        self._selected = np.zeros(0, dtype=bool)
        self._deferred = QTimer(self, singleShot=True, interval=0, timeout=self._select_rows)
        self.view.selectionModel().selectionChanged.connect(self._on_view_selection)  # UI -> model
        self.model.modelReset.connect(self._restore_selection)
        self.model.rowsInserted.connect(self._on_rows_fetched)
        self.model.edit_refused.connect(self.status.setText)
        self.model.layer_changed.connect(self._set_delegates)
        selection.changed.connect(self._on_selection_changed)  # model -> UI
        self.retranslate()

    def _set_delegates(self) -> None:
        """Code-list columns are edited with the searchable picker; the rest as text."""
        for column in range(self.model.columnCount()):
            self.view.setItemDelegateForColumn(column, None)
        self._delegates = []
        for column, name in enumerate(self.model.columns()):
            field = self.model.layer.field(name) if name != OWNER else None
            if field is not None and field.codelist:
                delegate = CodeDelegate(self.model.catalogue, field, self.view)
                self._delegates.append(delegate)
                self.view.setItemDelegateForColumn(column, delegate)

    def retranslate(self) -> None:
        self.filter.setPlaceholderText(tr("Filter rows…"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(self.model.columnCount() - 1, 0))

    def _on_view_selection(self, *_) -> None:
        if self.model.layer is None:
            return
        fetched = self.model.fetched
        shown = np.zeros(fetched, dtype=bool)
        for r in self.view.selectionModel().selection():  # selectedRows() is quadratic in ranges
            shown[r.top():r.bottom() + 1] = True
        # Ctrl or Shift adds to the selection: rows not fetched yet keep theirs; a plain click
        # starts a new one.
        adding = QApplication.keyboardModifiers() & (Qt.KeyboardModifier.ControlModifier
                                                     | Qt.KeyboardModifier.ShiftModifier)
        rest = self._selected[fetched:] if adding and len(self._selected) == len(self.model.order) \
            else np.zeros(len(self.model.order) - fetched, dtype=bool)
        self._selected = np.concatenate([shown, rest])
        self.selection.set(self.model.layer.code, self.model.uuids_of(np.flatnonzero(self._selected)))

    def _on_selection_changed(self, layer: str | None, uuids) -> None:
        if self.model.layer is None or layer != self.model.layer.code:
            return
        if len(uuids) > BATCH:  # the map shows it first; the rows follow in the next turn
            self._deferred.start()
        else:
            self._select_rows()

    def _restore_selection(self) -> None:
        if self.model.layer is not None:
            self._select_rows()

    def selected_rows(self) -> np.ndarray:
        """Rows of the shared selection in the current order, fetched or not."""
        return np.flatnonzero(self._selected)

    @property
    def selecting(self) -> bool:
        """True while a large selection waits to be shown in the rows."""
        return self._deferred.isActive()

    def _select_rows(self) -> None:
        """Show the shared selection: a mask over all rows, ranges for the fetched ones."""
        self._deferred.stop()
        if self.model.layer is None:
            return
        mine = self.selection.layer == self.model.layer.code
        self._selected = self.model.selected_mask(self.selection.members if mine else frozenset())
        rows = np.flatnonzero(self._selected)
        if len(rows) and len(rows) <= BATCH:
            self.model.fetch_to(int(rows[-1]))  # a few features: make sure they are all listed
        elif len(rows):
            self.model.fetch_to(int(rows[0]))
        model = self.view.selectionModel()
        with signals_blocked(model):  # clear first: Qt compares old and new range by range
            model.select(QItemSelection(), QItemSelectionModel.SelectionFlag.Clear)
            model.select(self._ranges(0, self.model.fetched), QItemSelectionModel.SelectionFlag.Select)
        self.view.viewport().update()
        if len(rows):
            self.view.scrollTo(self.model.index(int(rows[0]), 0))

    def _on_rows_fetched(self, _parent, first: int, last: int) -> None:
        """Rows fetched by scrolling: select those of them that are selected."""
        chosen = self._ranges(first, last + 1)
        if not chosen.isEmpty():
            with signals_blocked(self.view.selectionModel()):
                self.view.selectionModel().select(chosen, QItemSelectionModel.SelectionFlag.Select)

    def _ranges(self, first: int, end: int) -> QItemSelection:
        """Whole-row ranges, one per run of consecutive selected rows in [first, end)."""
        rows = first + np.flatnonzero(self._selected[first:end])
        breaks = np.flatnonzero(np.diff(rows) != 1)
        starts = np.concatenate([rows[:1], rows[breaks + 1]]).tolist()
        ends = np.concatenate([rows[breaks], rows[-1:]]).tolist()
        chosen, last = QItemSelection(), self.model.columnCount() - 1
        index = self.model.createIndex  # index() would ask Python for the row and column counts
        for start, stop in zip(starts, ends, strict=True):
            chosen.select(index(start, 0), index(stop, last))
        return chosen

    def cleanup(self) -> None:
        self.selection.changed.disconnect(self._on_selection_changed)
        self.model.cleanup()
