"""The diff of a pending change or a committed change set: for the chosen feature each changed
column as old → new under its catalogue label, and the old and new outlines drawn over each
other with the vertex count and the area (or length) before and after."""

from __future__ import annotations

import shapely
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.editing.jobs import ChangeDiff
from app.model.catalogue import GEOMETRY_COLUMN, Catalogue, Layer
from app.model.changes import Change
from app.model.geodesy import area_m2, length_m
from app.model.tables import tracked_layer
from app.views.graphics import Projection, geometry_path
from app.views.i18n import lang, tr

OLD_COLOR, NEW_COLOR = "#E03131", "#1C7ED6"


def op_text(op: str) -> str:
    return {"insert": tr("Added"), "update": tr("Changed"), "delete": tr("Deleted")}.get(op, op)


def layer_of(catalogue: Catalogue | None, code: str) -> Layer | None:
    try:
        return tracked_layer(catalogue, code) if catalogue else None
    except Exception:  # noqa: BLE001 - a layer this catalogue does not know keeps its code
        return None


def layer_name(catalogue: Catalogue | None, code: str) -> str:
    layer = layer_of(catalogue, code)
    return layer.name(lang()) if layer else code


def column_label(layer: Layer | None, column: str) -> str:
    """A column's name in the UI language: the catalogue label, or the system column's name."""
    system = {"owner": tr("Owner"), "created_by": tr("Created by"), "created_at": tr("Created at"),
              GEOMETRY_COLUMN: tr("Geometry")}
    if column in system:
        return system[column]
    if layer is not None and column in layer.field_names:
        return layer.field(column).label(lang())
    return column


def feature_text(label: str, uuid: str) -> str:
    """BSM and/or name, else the uuid's tail (its head is a timestamp shared by a batch)."""
    return label or "…" + uuid[-8:]


def geometry_of(value):
    """A cell's geometry (hex WKB) or None."""
    try:
        return shapely.from_wkb(value) if value else None
    except Exception:  # noqa: BLE001 - a damaged cell shows as missing, not as a crash
        return None


def value_text(catalogue: Catalogue | None, layer: Layer | None, column: str, value) -> str:
    """A cell for people: "—" for empty, a geometry by its vertices, a code with its name."""
    if value is None or value == "":
        return "—"
    if column == GEOMETRY_COLUMN:
        geom = geometry_of(value)
        return tr("{} vertices").format(shapely.get_num_coordinates(geom)) if geom is not None else "?"
    field = layer.field(column) if layer is not None and column in layer.field_names else None
    if field is not None and field.derived and isinstance(value, int | float):
        return _derived_text(field.derived, float(value))
    if field is not None and field.codelist and catalogue is not None:
        try:
            names = catalogue.codelist(field.codelist).codes.get(str(value))
        except Exception:  # noqa: BLE001 - an unknown code list shows the bare code
            names = None
        if names:
            return f"{value} {names[0] if lang() == 'zh' else names[1]}"
    return str(value)


def _derived_text(kind: str, value: float) -> str:
    """An area field in m² (and 公顷 when large), a length in m (and km)."""
    if kind == "area_m2":
        text = tr("{:,.2f} m²").format(value)
        return text + (f" ({tr('{:,.2f} ha').format(value / 10_000)})" if value >= 10_000 else "")
    text = tr("{:,.2f} m").format(value)
    return text + (f" ({tr('{:,.2f} km').format(value / 1_000)})" if value >= 1_000 else "")


def measure_text(geom) -> str:
    """Area of a polygon (m² or 公顷), length of a line (m or km); "" for points."""
    if geom is None:
        return "—"
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        m2 = area_m2(geom)
        return tr("{:,.0f} m²").format(m2) if m2 < 10_000 else tr("{:,.2f} ha").format(m2 / 10_000)
    if geom.geom_type in ("LineString", "MultiLineString"):
        m = length_m(geom)
        return tr("{:,.0f} m").format(m) if m < 1_000 else tr("{:,.2f} km").format(m / 1_000)
    return ""


def geometry_summary(old, new) -> str:
    """"Vertices 5 → 7 · Area 1.20 ha → 1.35 ha" for the change of one geometry."""
    def vertices(g) -> str:
        return str(shapely.get_num_coordinates(g)) if g is not None else "—"
    parts = [tr("Vertices {} → {}").format(vertices(old), vertices(new))]
    sample = new if new is not None else old
    if sample is not None and sample.geom_type not in ("Point", "MultiPoint"):
        name = tr("Area") if sample.geom_type.endswith("Polygon") else tr("Length")
        parts.append(f"{name} {measure_text(old)} → {measure_text(new)}")
    return " · ".join(parts)


class GeometryDiff(QWidget):
    """The old outline (red, dashed) under the new one (blue, filled) at a common scale."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.old = self.new = None
        self.setMinimumSize(180, 140)

    def set_geometries(self, old, new) -> None:
        self.old, self.new = old, new
        self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#F8F9FA"))
        shown = [g for g in (self.old, self.new) if g is not None and not g.is_empty]
        if not shown:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, tr("no geometry"))
            return
        self._legend(painter)
        x0, y0, x1, y1 = shapely.total_bounds(shown)
        projection = Projection((y0 + y1) / 2)
        box = projection.rect((x0, y0, x1, y1))
        painter.save()
        scale = self._fit(painter, box)
        for geom, color, dashed in ((self.old, OLD_COLOR, True), (self.new, NEW_COLOR, False)):
            if geom is not None and not geom.is_empty:
                self._draw(painter, geom, projection, color, dashed, scale)
        painter.restore()

    def _legend(self, painter: QPainter) -> None:
        y = self.height() - 8
        for i, (text, color) in enumerate(((tr("old"), OLD_COLOR), (tr("new"), NEW_COLOR))):
            x = 8 + i * 70
            painter.setPen(_pen(color, 2, dashed=color == OLD_COLOR))
            painter.drawLine(QPointF(x, y - 4), QPointF(x + 20, y - 4))
            painter.setPen(QColor("#495057"))
            painter.drawText(QPointF(x + 25, y), text)

    def _fit(self, painter: QPainter, box: QRectF) -> float:
        margin = 14
        w, h = self.width() - 2 * margin, self.height() - 2 * margin - 14  # room for the legend
        scale = min(w / max(box.width(), 1e-9), h / max(box.height(), 1e-9))
        painter.translate(margin + (w - box.width() * scale) / 2, margin + (h - box.height() * scale) / 2)
        painter.scale(scale, scale)
        painter.translate(-box.left(), -box.top())
        return scale

    def _draw(self, painter: QPainter, geom, projection: Projection, color: str, dashed: bool,
              scale: float) -> None:
        painter.setPen(_pen(color, 2, dashed))
        fill = QColor(color)
        fill.setAlpha(0 if dashed else 50)
        painter.setBrush(fill)
        for part in shapely.get_parts(geom):
            if part.geom_type == "Point":
                radius = 4 / scale  # a marker of constant pixel size
                painter.drawEllipse(projection.to_scene(part.x, part.y), radius, radius)
            else:
                painter.drawPath(geometry_path(part, projection))


def _pen(color: str, width: float, dashed: bool = False) -> QPen:
    pen = QPen(QColor(color), width)
    pen.setCosmetic(True)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    return pen


class DiffView(QWidget):
    """Shows a ChangeDiff: its features on the left, the chosen one's columns and outlines."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.diff: ChangeDiff | None = None
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.changes = QListWidget()
        self.changes.currentRowChanged.connect(self._on_change_chosen)
        self.table = QTableWidget(0, 3)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.geometry = GeometryDiff()
        self.geometry_text = QLabel()
        self.geometry_text.setWordWrap(True)
        shape = QWidget()
        column = QVBoxLayout(shape)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.geometry_text)
        column.addWidget(self.geometry, 1)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        for pane in (self.changes, self.table, shape):
            self.split.addWidget(pane)
        self.split.setSizes([220, 380, 300])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.split, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([tr("Field"), tr("Before"), tr("After")])
        self.show_diff(self.diff)

    def show_diff(self, diff: ChangeDiff | None) -> None:
        """Model -> UI: a pending change or a committed change set (None: nothing chosen)."""
        self.diff = diff
        self.title.setText(self._title(diff))
        self.changes.blockSignals(True)
        self.changes.clear()
        for change in diff.changes if diff else ():
            text = f"{op_text(change.op)}  {layer_name(diff.catalogue, change.layer)}  " \
                   f"{feature_text(diff.labels.get(change.uuid, ''), change.uuid)}"
            QListWidgetItem(text, self.changes).setToolTip(change.uuid)
        self.changes.blockSignals(False)
        # One change needs no list: the room goes to the values.
        self.changes.setVisible(bool(diff) and len(diff.changes) > 1)
        self.changes.setCurrentRow(0 if diff and diff.changes else -1)
        self._show_change(diff.changes[0] if diff and diff.changes else None)

    def _title(self, diff: ChangeDiff | None) -> str:
        if diff is None:
            return tr("Choose a change or a change set to see what it changed.")
        cs = diff.changeset
        if cs is None:
            return tr("Uncommitted change") if diff.changes else tr("This change was undone.")
        return tr("“{}” · {} · {} · {} change(s)").format(
            cs.message, cs.author or cs.party, cs.created[:19].replace("T", " "), len(cs.changes))

    def _on_change_chosen(self, row: int) -> None:
        if self.diff and 0 <= row < len(self.diff.changes):
            self._show_change(self.diff.changes[row])

    def _show_change(self, change: Change | None) -> None:
        cols = self._shown_columns(change) if change else []
        catalogue = self.diff.catalogue if self.diff else None
        layer = layer_of(catalogue, change.layer) if change else None
        self.table.setRowCount(len(cols))
        for row, column in enumerate(cols):
            old, new = change.cols[column]
            cells = (column_label(layer, column), value_text(catalogue, layer, column, old),
                     value_text(catalogue, layer, column, new))
            for i, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if i:
                    item.setForeground(QColor(OLD_COLOR if i == 1 else NEW_COLOR))
                self.table.setItem(row, i, item)
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(1)
        old, new = change.cols.get(GEOMETRY_COLUMN, (None, None)) if change else (None, None)
        self.geometry.set_geometries(geometry_of(old), geometry_of(new))
        self.geometry.setVisible(GEOMETRY_COLUMN in cols)
        self.geometry_text.setText("" if change is None else
                                   geometry_summary(geometry_of(old), geometry_of(new))
                                   if GEOMETRY_COLUMN in cols else tr("Geometry unchanged"))

    @staticmethod
    def _shown_columns(change: Change) -> list[str]:
        """An update shows what changed; an insert or delete every column that has a value."""
        if change.op == "update":
            return list(change.cols)
        return [c for c, (o, n) in change.cols.items() if o not in (None, "") or n not in (None, "")]
