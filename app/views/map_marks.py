"""Marks over the map that are not features of the project: the geometry of a conflict, an area
anchor, or the snapshot of an anchored feature this project does not hold. One item in the
map's scene, drawn in a strong magenta so it reads over every layer style."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem
from shapely.geometry.base import BaseGeometry

from app.views.graphics import geometry_path
from app.views.map_view import MapView

MARK = QColor("#C2255C")
POINT_KM = 0.5  # radius of a marked point
CONTEXT = 1.0  # zoom out by this share of the marks' size on each side: show the surroundings
RING_PX = 14  # a ring around each mark: a conflict of a few m² is smaller than a pixel


class MapMarks(QGraphicsItem):
    """Outlines of some geometries above the map; `show` marks and zooms, `clear` removes."""

    def __init__(self, map_view: MapView) -> None:
        super().__init__()
        self.setZValue(4000)  # under the editing overlay, over the rendered layers
        self.map = map_view
        self.paths: list[tuple[QPainterPath, bool]] = []  # path, filled (lines are not)
        self.geometries: list[BaseGeometry] = []
        self.centres: list[QPointF] = []  # scene points ringed at a fixed pixel size
        map_view.scene().addItem(self)

    def boundingRect(self) -> QRectF:
        return QRectF(-1e6, -1e6, 2e6, 2e6)

    def show(self, geometries: list[BaseGeometry], zoom: bool = True) -> None:
        """Mark `geometries` (lon/lat) and, with `zoom`, fit them into the view."""
        self.geometries = [g for g in geometries if g is not None and not g.is_empty]
        self.paths = [(self._path(g), g.area > 0) for g in self.geometries]
        projection = self.map.projection
        self.centres = [projection.to_scene(c.x, c.y) for c in (g.centroid for g in self.geometries)]
        self.update()
        if zoom and self.geometries:
            self.map.zoom_to_bounds(with_context([g.bounds for g in self.geometries]))

    def clear(self) -> None:
        self.show([], zoom=False)

    def _path(self, geom: BaseGeometry) -> QPainterPath:
        projection = self.map.projection  # the open project's: it changes with the project
        if geom.geom_type not in ("Point", "MultiPoint"):
            return geometry_path(geom, projection)
        path = QPainterPath()
        for point in getattr(geom, "geoms", [geom]):
            path.addEllipse(projection.to_scene(point.x, point.y), POINT_KM, POINT_KM)
        return path

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(MARK, 3)
        pen.setCosmetic(True)  # the same width at every zoom
        painter.setPen(pen)
        for path, filled in self.paths:
            # An open path would be filled as if closed: only areas get a brush.
            painter.setBrush(QColor(194, 37, 92, 70) if filled else Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
        world = painter.worldTransform()
        painter.save()
        painter.resetTransform()  # rings in pixels
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for centre in self.centres:
            painter.drawEllipse(world.map(centre), RING_PX, RING_PX)
        painter.restore()


def with_context(bounds: list[tuple[float, float, float, float]]) -> tuple[float, float, float, float]:
    """The box around all `bounds`, grown by CONTEXT of its size (at least ~1 km) on each side."""
    x0, y0 = min(b[0] for b in bounds), min(b[1] for b in bounds)
    x1, y1 = max(b[2] for b in bounds), max(b[3] for b in bounds)
    pad = max(x1 - x0, y1 - y0, 0.01) * CONTEXT
    return x0 - pad, y0 - pad, x1 + pad, y1 + pad
