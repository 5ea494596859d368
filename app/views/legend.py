"""The legend: per visible layer its symbol; a layer styled by a category field (用地用海 code,
规划分区 name) lists its classes with swatch, code and name in the interface language, by default
only the classes present in the data.

Counts are kept per feature value and updated from the store's change signal in O(1) per edit, so
a 100k-parcel layer is scanned once per project load, never per redraw of the legend.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QHeaderView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.editing.store import FeatureStore
from app.model.catalogue import Layer
from app.model.colours import ColourTable
from app.views import symbols
from app.views.i18n import lang, tr
from app.views.layer_tree import LayerState
from app.views.loader import ProjectData
from app.views.settings import settings

CODE_ROLE = Qt.ItemDataRole.UserRole  # layer code on layer rows, class value on class rows
ONLY_PRESENT_KEY = "legend/only_present"
REFRESH_MS = 150  # coalesces a burst of edits (a pull, a field calculation) into one rebuild
_MISSING = object()


class Legend(QWidget):
    """The legend dock's content; follows the layer state (visibility) and the feature store."""

    def __init__(self, state: LayerState, store: FeatureStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state, self._store = state, store
        self._data: ProjectData | None = None
        self._fields: dict[str, str] = {}  # categorised layer -> its class field
        self._values: dict[str, dict[str, object]] = {}  # layer -> uuid -> class value
        self._counts: dict[str, Counter] = {}  # layer -> class value -> features
        self.only_present = QCheckBox()
        self.only_present.setChecked(_stored_flag(ONLY_PRESENT_KEY, True))
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.only_present)
        layout.addWidget(self.tree)
        self._timer = QTimer(self, singleShot=True, interval=REFRESH_MS, timeout=self.refresh)
        self.only_present.toggled.connect(self._on_only_present)  # UI -> settings
        state.visibility_changed.connect(self._on_visibility_changed)  # state -> UI
        store.changed.connect(self._on_feature_changed)  # model -> UI
        self.retranslate()

    # -- model -> legend -------------------------------------------------------------------

    def show_project(self, data: ProjectData) -> None:
        """Start over for a loaded project: count the class values of categorised layers."""
        self._data, self._fields, self._values, self._counts = data, {}, {}, {}
        for layer_data in data.layers:
            cats = symbols.categories(layer_data.layer)
            if cats is None:
                continue
            self._fields[layer_data.layer.code] = cats.field
            values = {f.uuid: f.attrs.get(cats.field) for f in layer_data.features}
            self._values[layer_data.layer.code] = values
            self._counts[layer_data.layer.code] = Counter(values.values())
        self.refresh()

    def _on_feature_changed(self, code: str, uuid: str, feature) -> None:
        values = self._values.get(code)
        if values is not None:
            counts = self._counts[code]
            old = values.pop(uuid, _MISSING)
            if old is not _MISSING:
                counts[old] -= 1
                if counts[old] <= 0:
                    del counts[old]
            if feature is not None:
                new = values[uuid] = feature.attrs.get(self._fields[code])
                counts[new] += 1
        self._timer.start()  # counts of plain layers (shown or hidden when empty) change too

    def _on_visibility_changed(self, code: str, visible: bool) -> None:
        self._timer.start()

    def _on_only_present(self, checked: bool) -> None:
        settings().setValue(ONLY_PRESENT_KEY, checked)
        self.refresh()

    # -- rows ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Rebuild the rows: one per visible layer with features, its classes below it."""
        self._timer.stop()
        self.tree.clear()
        if self._data is None:
            return
        for layer_data in self._data.layers:
            layer = layer_data.layer
            if self._state.is_visible(layer.code) and self._store.count(layer.code) > 0:
                self._add_layer(layer)
        self.tree.expandAll()

    def _add_layer(self, layer: Layer) -> None:
        item = QTreeWidgetItem(self.tree, [layer.name(lang()), ""])
        item.setIcon(0, symbols.swatch(layer))
        item.setData(0, CODE_ROLE, layer.code)
        item.setToolTip(0, f"{layer.name('en' if lang() == 'zh' else 'zh')} · {layer.code}")
        font = QFont(item.font(0))
        font.setBold(True)
        item.setFont(0, font)
        cats = symbols.categories(layer)
        if cats is None:
            item.setText(1, str(self._store.count(layer.code)))
            return
        counts = self._counts.get(layer.code, Counter())
        values = set(counts) if self.only_present.isChecked() else set(counts) | {
            e.value for e in cats.table.entries}
        for value in sorted(values, key=lambda v: _sort_key(cats.table, v)):
            self._add_class(item, layer, cats.table, value, counts.get(value, 0))

    def _add_class(self, parent: QTreeWidgetItem, layer: Layer, table: ColourTable, value, count: int) -> None:
        entry = table.entry(value)
        color = entry.color if entry else (layer.style.fill or layer.style.stroke)
        opacity = table.fill_opacity if entry else layer.style.fill_opacity or 1.0
        item = QTreeWidgetItem(parent, [self.class_text(table, value), str(count) if count else ""])
        item.setIcon(0, symbols.color_swatch(color, opacity, layer.style.stroke))
        item.setData(0, CODE_ROLE, value)
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        tip = item.text(0)
        if entry is not None:
            tip += "\n" + _status_text(entry.status, entry.value != str(value).strip())
        item.setToolTip(0, tip)

    def class_text(self, table: ColourTable, value) -> str:
        """"0701 城镇住宅用地" for a code, the zone's name for a 规划分区, "(no value)" for none."""
        if value in (None, ""):
            return tr("(no value)")
        text = str(value).strip()
        name = self._code_name(table, text)
        if table.match == "name":
            return name or text
        return f"{text} {name}" if name else text

    def _code_name(self, table: ColourTable, value: str) -> str | None:
        codelists = self._data.catalogue.codelists if self._data else {}
        if table.codelist in codelists and value in codelists[table.codelist].codes:
            zh, en = codelists[table.codelist].codes[value]
            return zh if lang() == "zh" else en
        own = table.exact(value)
        return own.name(lang()) if own else None

    def class_rows(self, code: str) -> list[tuple[str, str]]:
        """(text, swatch colour name) of a layer's class rows, as shown (for tests and tools)."""
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, CODE_ROLE) == code:
                return [(item.child(j).text(0), item.child(j).text(1)) for j in range(item.childCount())]
        return []

    def layer_codes(self) -> list[str]:
        return [self.tree.topLevelItem(i).data(0, CODE_ROLE) for i in range(self.tree.topLevelItemCount())]

    # -- language and cleanup --------------------------------------------------------------

    def retranslate(self) -> None:
        self.only_present.setText(tr("Only classes present in the data"))
        self.tree.setHeaderLabels([tr("Layer / class"), tr("Features")])
        self.refresh()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def cleanup(self) -> None:
        self._state.visibility_changed.disconnect(self._on_visibility_changed)
        self._store.changed.disconnect(self._on_feature_changed)


def _sort_key(table: ColourTable, value) -> tuple:
    """Codes in classification order (01, 0101, 0102, 02 …), names in the table's order (zones
    before their sub-zones); values the table does not know after them, no value last."""
    text = str(value or "").strip()
    if table.match == "code":
        return (value in (None, ""), 0, text)
    entry = table.exact(text)
    position = table.entries.index(entry) if entry else len(table.entries)
    return (value in (None, ""), position, text)


def _status_text(status: str, inherited: bool) -> str:
    text = {"V": tr("Colour verified against the standard"),
            "S": tr("Colour as seen in a third-party copy of the standard (not verified)"),
            "R": tr("Colour from recall, not verified against the standard")}.get(status, status)
    return text + (tr("; colour of the parent class") if inherited else "")


def _stored_flag(key: str, default: bool) -> bool:
    value = settings().value(key, default)
    return value in (True, "true", "1", 1) if not isinstance(value, bool) else value
