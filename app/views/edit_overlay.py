"""What the map draws over the rendered layers, on the GUI thread: the selection (own features
in amber, others' grey and dashed: read-only), the sketch being drawn, vertex handles, the snap
marker and the selection rectangle. Few shapes, so painting them each frame is cheap."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem

from app.editing.geometry import Coord, Sketch, vertices
from app.model.feature import Feature
from app.views.graphics import Projection, geometry_path

OWN = QColor("#F08C00")
OTHERS = QColor("#6E6E6E")
SKETCH = QColor("#D6336C")
HANDLE_PX = 7
POINT_KM = 0.4  # radius of a selected point's ring
MAX_SHOWN = 3000  # selected features outlined; beyond that the table still lists them


def _pen(color: QColor, width: float, dashed: bool = False) -> QPen:
    pen = QPen(color, width)
    pen.setCosmetic(True)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    return pen


class EditOverlay(QGraphicsItem):
    """One item above the map holding every editing mark."""

    def __init__(self, projection: Projection) -> None:
        super().__init__()
        self.setZValue(5000)
        self.projection = projection
        self.selected: list[tuple[QPainterPath, bool]] = []  # path, editable
        self.sketch: Sketch | None = None
        self.cursor: Coord | None = None
        self.snapped: Coord | None = None
        self.handles: list[Coord] = []
        self.band: QRectF | None = None  # scene rect being dragged

    def boundingRect(self) -> QRectF:
        return QRectF(-1e6, -1e6, 2e6, 2e6)

    def _scene(self, xy: Coord) -> QPointF:
        return self.projection.to_scene(*xy)

    def set_selected(self, features: list[Feature], editable) -> None:
        self.selected = [(self._path(f), editable(f)) for f in features[:MAX_SHOWN]]
        self.update()

    def _path(self, feature: Feature) -> QPainterPath:
        if feature.geometry.geom_type not in ("Point", "MultiPoint"):
            return geometry_path(feature.geometry, self.projection)
        path = QPainterPath()
        for point in getattr(feature.geometry, "geoms", [feature.geometry]):
            path.addEllipse(self._scene((point.x, point.y)), POINT_KM, POINT_KM)
        return path

    def set_handles(self, feature: Feature | None) -> None:
        self.handles = [xy for _, xy in vertices(feature.geometry)] if feature else []
        self.update()

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for path, editable in self.selected:
            painter.setPen(_pen(OWN if editable else OTHERS, 3 if editable else 2, not editable))
            painter.setBrush(QBrush(QColor(240, 140, 0, 50) if editable else Qt.BrushStyle.BDiagPattern))
            painter.drawPath(path)
        if self.sketch is not None:
            self._paint_sketch(painter)
        if self.band is not None:
            painter.setPen(_pen(QColor("#1C7ED6"), 1, True))
            painter.setBrush(QColor(28, 126, 214, 40))
            painter.drawRect(self.band)
        self._paint_marks(painter)

    def _paint_sketch(self, painter: QPainter) -> None:
        path = QPainterPath()
        for i, ring in enumerate(self.sketch.rings):
            points = [self._scene(xy) for xy in ring]
            if i == len(self.sketch.rings) - 1 and self.cursor is not None and self.sketch.dimension:
                points.append(self._scene(self.cursor))
            if not points:
                continue
            path.moveTo(points[0])
            for p in points[1:]:
                path.lineTo(p)
            if self.sketch.dimension == 2 and len(points) > 2:
                path.closeSubpath()
        path.setFillRule(Qt.FillRule.OddEvenFill)
        painter.setPen(_pen(SKETCH, 2))
        painter.setBrush(QColor(214, 51, 108, 45) if self.sketch.dimension == 2 else Qt.BrushStyle.NoBrush)
        painter.drawPath(path)

    def _paint_marks(self, painter: QPainter) -> None:
        """Handles and the snap marker in pixels, whatever the zoom."""
        world = painter.worldTransform()
        marks = list(self.handles)
        if self.sketch is not None:
            marks += [xy for ring in self.sketch.rings for xy in ring]
        painter.save()
        painter.resetTransform()
        painter.setPen(QPen(QColor("#333333"), 1))
        painter.setBrush(QColor("white"))
        h = HANDLE_PX
        for xy in marks:
            c = world.map(self._scene(xy))
            painter.drawRect(QRectF(c.x() - h / 2, c.y() - h / 2, h, h))
        if self.snapped is not None:
            c = world.map(self._scene(self.snapped))
            painter.setPen(QPen(QColor("#E03131"), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(c, 7, 7)
        painter.restore()
