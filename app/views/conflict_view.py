"""One conflict side by side, in the user's words: each clashing column under its catalogue label
as the server's current value / my change (the pushed one) / the common original, a deleted
side shown as a delete with who deleted it, map previews of the geometries, the resolve actions.

The record's triple is the server's merge triple (app/sync/merge.py): ancestor = the value the
pusher started from, ours = the server's current value, theirs = the pushed value. The pushed
side is "my change" when this copy's party pushed it (`mine`, added by jobs.describe_conflict),
else the pushing party's change."""

from __future__ import annotations

import shapely
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.views.diff_view import value_text
from app.views.graphics import Projection, geometry_path
from app.views.i18n import lang, tr

SIDES = ("ours", "theirs", "ancestor")  # as shown, left to right
INDEX = {"ancestor": 0, "ours": 1, "theirs": 2}  # in the record's (ancestor, ours, theirs)
SIDE_COLORS = {"ancestor": "#868E96", "ours": "#1C7ED6", "theirs": "#E8590C"}
GEOM = "geom"


def side_title(side: str, conflict: dict | None = None) -> str:
    if side == "theirs" and conflict is not None and not conflict.get("mine", True):
        return tr("Change by {}").format(conflict.get("party", ""))
    return {"ancestor": tr("Common original"), "ours": tr("Server's current value"),
            "theirs": tr("My change")}[side]


def kind_text(conflict: dict) -> str:
    """What happened, in a sentence."""
    kind = conflict.get("kind")
    if kind == "refused":
        return tr("The server refused this change: {}").format(conflict.get("reason", ""))
    return {"cell": tr("The same field was changed on the server and in the pushed change."),
            "update-delete": tr("The pushed change edits a feature that was deleted on the server."),
            "delete-update": tr("The pushed change deletes a feature that was changed on the server."),
            "insert-insert": tr("The same feature was added twice with different values."),
            }.get(kind, kind or "")


def kind_short(kind: str) -> str:
    return {"cell": tr("same field"), "update-delete": tr("changed / deleted"),
            "delete-update": tr("deleted / changed"), "insert-insert": tr("added twice"),
            "refused": tr("refused")}.get(kind, kind)


def layer_text(conflict: dict) -> str:
    names = conflict.get("layer_name")
    return names[0 if lang() == "zh" else 1] if names else conflict.get("layer", "")


def field_text(conflict: dict, column: str) -> str:
    if column == GEOM:
        return tr("Geometry")
    names = (conflict.get("labels") or {}).get(column)
    return names[0 if lang() == "zh" else 1] if names else column


def conflict_summary(conflict: dict) -> str:
    """One line for the list of conflicts: number, layer, feature, what clashed, which fields."""
    fields = "、".join(field_text(conflict, c) for c in conflict.get("cells", {}))
    parts = [f"#{conflict['id']}", layer_text(conflict), conflict.get("feature") or "",
             kind_short(conflict.get("kind", "")), fields]
    return "  ".join(p for p in parts if p)


def deleted_side(conflict: dict) -> str | None:
    """The side that holds a delete: ours (deleted on the server) or theirs (the pusher's)."""
    return {"update-delete": "ours", "delete-update": "theirs"}.get(conflict.get("kind"))


def deleted_text(conflict: dict) -> str:
    """"Deleted by 310000 sh", or just "Deleted" when nobody is known."""
    who = conflict.get("deleted_by") or {}
    name = " ".join(p for p in (who.get("party"), who.get("author")) if p)
    return tr("Deleted by {}").format(name) if name else tr("Deleted")


def geometry_of(value):
    """A cell's geometry (hex WKB) or None."""
    try:
        return shapely.from_wkb(value) if value else None
    except Exception:  # noqa: BLE001 - a damaged cell shows as missing, not as a crash
        return None


def cell_text(conflict: dict, side: str, column: str, value) -> str:
    """A cell in words: a deleted side says so, a feature that did not exist yet too."""
    if value is None and side == deleted_side(conflict):
        return deleted_text(conflict)
    if value is None and side == "ancestor" and conflict.get("kind") == "insert-insert":
        return tr("(did not exist)")
    return value_text(None, None, column, value)


class GeometryPreview(QWidget):
    """A small map of one side's geometry, drawn over the other sides in grey for context."""

    def __init__(self, side: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.side = side
        self.geoms: dict[str, object] = {}
        self.note = ""  # e.g. "Deleted by …" on the side that deleted the feature
        self.setMinimumSize(150, 130)

    def set_geometries(self, geoms: dict[str, object]) -> None:
        self.geoms = geoms
        self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#F8F9FA"))
        if self.note:
            painter.setPen(QColor("#C92A2A"))
            painter.drawText(self.rect().adjusted(6, 4, -6, -4), Qt.AlignmentFlag.AlignTop, self.note)
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

    def __init__(self, parent: QWidget | None = None, popout: bool = True) -> None:
        super().__init__(parent)
        self.conflict: dict | None = None
        self.window_view: ConflictView | None = None  # the larger copy, once opened
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.popout_button = QPushButton()
        self.popout_button.setVisible(popout)
        self.popout_button.clicked.connect(self.open_window)
        self.table = QTableWidget(0, 4)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.previews = {side: GeometryPreview(side) for side in SIDES}
        self.preview_titles = {side: QLabel() for side in SIDES}
        grid = QGridLayout()
        for i, side in enumerate(SIDES):
            grid.addWidget(self.preview_titles[side], 0, i)
            grid.addWidget(self.previews[side], 1, i)
        grid.setRowStretch(1, 1)
        self.buttons = {side: QPushButton() for side in SIDES}
        row = QHBoxLayout()
        row.addStretch()
        for side, button in self.buttons.items():
            button.clicked.connect(lambda _=False, s=side: self._resolve(s))
            row.addWidget(button)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.popout_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(head)
        layout.addWidget(self.table, 1)
        layout.addLayout(grid, 1)
        layout.addLayout(row)
        self.retranslate()

    def retranslate(self) -> None:
        self.popout_button.setText(tr("Larger view…"))
        self.popout_button.setToolTip(tr("Compare the versions in a window of their own"))
        self.show_conflict(self.conflict)
        if self.window_view is not None:
            self.window_view.window().setWindowTitle(tr("Conflict"))
            self.window_view.retranslate()

    def open_window(self) -> ConflictView:
        """The same conflict in a window of its own (the dock is narrow); resolving there is
        resolving here."""
        if self.window_view is None:
            dialog = QDialog(self)
            dialog.resize(1100, 720)
            self.window_view = ConflictView(dialog, popout=False)
            QVBoxLayout(dialog).addWidget(self.window_view)
            self.window_view.resolve_requested.connect(self._resolved_in_window)
            dialog.setWindowTitle(tr("Conflict"))
        self.window_view.show_conflict(self.conflict)
        self.window_view.window().show()
        self.window_view.window().raise_()
        return self.window_view

    def _resolved_in_window(self, conflict: int, side: str) -> None:
        self.window_view.window().hide()
        self.resolve_requested.emit(conflict, side)

    def _show_titles(self, conflict: dict | None) -> None:
        self.table.setHorizontalHeaderLabels([tr("Field"), *(side_title(s, conflict) for s in SIDES)])
        mine = conflict is None or conflict.get("mine", True)
        labels = {"ancestor": tr("Restore the common original"), "ours": tr("Keep the server's value"),
                  "theirs": tr("Use my change") if mine else tr("Use the pushed change")}
        kind = conflict.get("kind") if conflict else None
        if kind == "update-delete":
            labels["ours"] = tr("Keep it deleted")
        if kind == "delete-update":
            labels["theirs"] = tr("Delete it")
        for side in SIDES:
            self.preview_titles[side].setText(side_title(side, conflict))
            self.buttons[side].setText(labels[side])

    def show_conflict(self, conflict: dict | None) -> None:
        """Model -> UI: one conflict (None: nothing selected)."""
        self.conflict = conflict
        cells = conflict["cells"] if conflict else {}
        self._show_titles(conflict)
        self.title.setText(self._title(conflict))
        self.table.setRowCount(len(cells))
        for row, (column, values) in enumerate(cells.items()):
            self.table.setItem(row, 0, QTableWidgetItem(field_text(conflict, column)))
            for i, side in enumerate(SIDES):
                text = cell_text(conflict, side, column, values[INDEX[side]])
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                item.setForeground(QColor(SIDE_COLORS[side]))
                self.table.setItem(row, i + 1, item)
        geoms = {side: geometry_of(cells[GEOM][INDEX[side]]) if GEOM in cells else None for side in SIDES}
        if GEOM not in cells and conflict and conflict.get("server_row"):
            geoms["ours"] = geometry_of(conflict["server_row"].get(GEOM))
        if GEOM not in cells and conflict and conflict.get("local_geom"):
            # Only attributes clash: the outline in this copy shows where the feature lies.
            geoms["theirs"] = geometry_of(conflict["local_geom"])
        for side, preview in self.previews.items():
            preview.note = deleted_text(conflict) if conflict and side == deleted_side(conflict) else ""
            preview.set_geometries(geoms)
        for button in self.buttons.values():
            button.setEnabled(conflict is not None)
        self.popout_button.setEnabled(conflict is not None)
        if self.window_view is not None and self.window_view.window().isVisible():
            self.window_view.show_conflict(conflict)

    @staticmethod
    def _title(conflict: dict | None) -> str:
        if conflict is None:
            return tr("Select a conflict to compare the versions.")
        head = tr("Conflict #{}: {} {}").format(conflict["id"], layer_text(conflict), conflict.get("feature", ""))
        return f"{head.strip()}\n{kind_text(conflict)}"

    def _resolve(self, side: str) -> None:
        if self.conflict is not None:
            self.resolve_requested.emit(int(self.conflict["id"]), side)
