"""One conflict side by side: each clashing column as ancestor / ours (server) / theirs (the
pusher), map previews of the three geometries, and the resolve actions."""

from __future__ import annotations

import shapely
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.views.graphics import Projection, geometry_path
from app.views.i18n import tr

SIDES = ("ancestor", "ours", "theirs")
SIDE_COLORS = {"ancestor": "#868E96", "ours": "#1C7ED6", "theirs": "#E8590C"}
GEOM = "geom"


def side_title(side: str) -> str:
    return {"ancestor": tr("Ancestor"), "ours": tr("Ours (server)"), "theirs": tr("Theirs (pushed)")}[side]


def geometry_of(value):
    """A cell's geometry (hex WKB) or None."""
    try:
        return shapely.from_wkb(value) if value else None
    except Exception:  # noqa: BLE001 - a damaged cell shows as missing, not as a crash
        return None


def cell_text(column: str, value) -> str:
    if value is None:
        return "—"
    if column == GEOM:
        geom = geometry_of(value)
        return tr("geometry, {} vertices").format(shapely.get_num_coordinates(geom)) if geom else "?"
    return str(value)


class GeometryPreview(QWidget):
    """A small map of one side's geometry, drawn over the other sides in grey for context."""

    def __init__(self, side: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.side = side
        self.geoms: dict[str, object] = {}
        self.setMinimumSize(150, 130)

    def set_geometries(self, geoms: dict[str, object]) -> None:
        self.geoms = geoms
        self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#F8F9FA"))
        shown = [g for g in self.geoms.values() if g is not None]
        if not shown:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, tr("no geometry"))
            return
        x0, y0, x1, y1 = shapely.total_bounds(shown)
        projection = Projection((y0 + y1) / 2)
        box = projection.rect((x0, y0, x1, y1))
        self._fit(painter, box)
        for side, geom in self.geoms.items():
            if geom is None or (side == self.side):
                continue
            painter.setPen(_pen("#CED4DA", 1))
            painter.drawPath(geometry_path(geom, projection))
        mine = self.geoms.get(self.side)
        if mine is not None:
            painter.setPen(_pen(SIDE_COLORS[self.side], 2))
            color = QColor(SIDE_COLORS[self.side])
            color.setAlpha(60)
            painter.setBrush(color)
            painter.drawPath(geometry_path(mine, projection))

    def _fit(self, painter: QPainter, box: QRectF) -> None:
        margin = 10
        w, h = self.width() - 2 * margin, self.height() - 2 * margin
        scale = min(w / max(box.width(), 1e-9), h / max(box.height(), 1e-9))
        painter.translate(margin + (w - box.width() * scale) / 2, margin + (h - box.height() * scale) / 2)
        painter.scale(scale, scale)
        painter.translate(-box.left(), -box.top())


def _pen(color: str, width: float) -> QPen:
    pen = QPen(QColor(color), width)
    pen.setCosmetic(True)
    return pen


class ConflictView(QWidget):
    """Shows one conflict record (the server's dict); `resolve_requested(id, choice)`."""

    resolve_requested = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.conflict: dict | None = None
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.verticalHeader().hide()
        self.previews = {side: GeometryPreview(side) for side in SIDES}
        self.preview_titles = {side: QLabel() for side in SIDES}
        grid = QGridLayout()
        for i, side in enumerate(SIDES):
            grid.addWidget(self.preview_titles[side], 0, i)
            grid.addWidget(self.previews[side], 1, i)
        self.buttons = {side: QPushButton() for side in SIDES}
        row = QHBoxLayout()
        row.addStretch()
        for side, button in self.buttons.items():
            button.clicked.connect(lambda _=False, s=side: self._resolve(s))
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addLayout(grid)
        layout.addLayout(row)
        self.retranslate()

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([tr("Column"), *(side_title(s) for s in SIDES)])
        labels = {"ancestor": tr("Keep ancestor"), "ours": tr("Keep ours"), "theirs": tr("Take theirs")}
        for side in SIDES:
            self.preview_titles[side].setText(side_title(side))
            self.buttons[side].setText(labels[side])
        self.show_conflict(self.conflict)

    def show_conflict(self, conflict: dict | None) -> None:
        """Model -> UI: one conflict (None: nothing selected)."""
        self.conflict = conflict
        cells = conflict["cells"] if conflict else {}
        self.title.setText(tr("Conflict #{} · {} · {} · party {}").format(
            conflict["id"], conflict["layer"], conflict["kind"], conflict.get("party", ""))
            if conflict else tr("Select a conflict to compare the versions."))
        self.table.setRowCount(len(cells))
        for row, (column, values) in enumerate(cells.items()):
            self.table.setItem(row, 0, QTableWidgetItem(column))
            for i, value in enumerate(values):
                item = QTableWidgetItem(cell_text(column, value))
                item.setForeground(QColor(SIDE_COLORS[SIDES[i]]))
                self.table.setItem(row, i + 1, item)
        geoms = {side: geometry_of(cells[GEOM][i]) if GEOM in cells else None
                 for i, side in enumerate(SIDES)}
        if GEOM not in cells and conflict and conflict.get("server_row"):
            geoms["ours"] = geometry_of(conflict["server_row"].get(GEOM))
        for preview in self.previews.values():
            preview.set_geometries(geoms)
        for button in self.buttons.values():
            button.setEnabled(conflict is not None)

    def _resolve(self, side: str) -> None:
        if self.conflict is not None:
            self.resolve_requested.emit(int(self.conflict["id"]), side)
