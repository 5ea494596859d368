"""Graphics items for features: the map projection, paths, point markers and haloed labels.

Scene units are kilometres of an equirectangular projection scaled by cos(latitude) at the
data's centre, so shapes keep their proportions at this latitude (about 1 % off across the
metro area, fine for display; measurements use geodesic areas from the core).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import shapely
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsItem, QGraphicsPathItem
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from app.model.catalogue import Layer
from app.model.feature import Feature
from app.views import symbols
from app.views.fonts import label_font

KM_PER_DEGREE = 111.32  # along a meridian, near enough for display


@dataclass(frozen=True)
class Projection:
    """lon/lat <-> scene kilometres (x east, y down)."""

    lat0: float  # latitude of true scale, degrees

    @property
    def kx(self) -> float:
        return KM_PER_DEGREE * math.cos(math.radians(self.lat0))

    def to_scene(self, lon: float, lat: float) -> QPointF:
        return QPointF(lon * self.kx, -lat * KM_PER_DEGREE)

    def to_lonlat(self, point: QPointF) -> tuple[float, float]:
        return point.x() / self.kx, -point.y() / KM_PER_DEGREE

    def rect(self, bounds: tuple[float, float, float, float]) -> QRectF:
        """Scene rectangle of lon/lat bounds (minx, miny, maxx, maxy)."""
        x0, y0, x1, y1 = bounds
        return QRectF(self.to_scene(x0, y1), self.to_scene(x1, y0))


def _ring(coords, projection: Projection) -> QPolygonF:
    return QPolygonF([QPointF(x * projection.kx, -y * KM_PER_DEGREE) for x, y in coords])


def geometry_path(geom: BaseGeometry, projection: Projection) -> QPainterPath:
    """A painter path of a (multi)polygon or (multi)line; holes by the odd-even rule."""
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    for part in shapely.get_parts(geom):
        if part.geom_type == "Polygon":
            for ring in (part.exterior, *part.interiors):
                path.addPolygon(_ring(ring.coords, projection))
                path.closeSubpath()
        elif part.geom_type == "LineString":
            polygon = _ring(part.coords, projection)
            path.moveTo(polygon[0])
            for point in list(polygon)[1:]:
                path.lineTo(point)
    return path


class MarkerItem(QGraphicsEllipseItem):
    """A point symbol of constant pixel size."""

    def __init__(self, layer: Layer, position: QPointF) -> None:
        size = layer.style.marker_size or 8
        super().__init__(-size / 2, -size / 2, size, size)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setPos(position)
        self.setBrush(QColor(layer.style.stroke))
        outline = QPen(QColor("white"), 1.5)
        outline.setCosmetic(True)
        self.setPen(outline)
        self.setZValue(layer.style.z)


class LabelItem(QGraphicsItem):
    """Text with a white halo, constant pixel size, centred on (or right of) its anchor."""

    def __init__(self, text: str, font: QFont, color: QColor, offset_px: float = 0.0) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.text, self.text_font = text, font  # kept for tests and tools
        path = QPainterPath()
        path.addText(0, 0, font, text)
        box = path.boundingRect()
        dx = offset_px - box.left() if offset_px else -box.center().x()
        self._text = path.translated(dx, -box.center().y())
        stroker = QPainterPathStroker()
        stroker.setWidth(3.5)
        stroker.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        self._halo = stroker.createStroke(self._text)
        self._color = color
        self._rect = self._halo.boundingRect().adjusted(-1, -1, 1, 1)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillPath(self._halo, QColor(255, 255, 255, 225))
        painter.fillPath(self._text, self._color)


@dataclass
class Label:
    """A label and what decides whether it is drawn: room on screen and collisions."""

    item: LabelItem
    layer: str
    size: tuple[float, float]  # feature's width, height in scene km (0, 0 for points)
    priority: tuple  # lower first

    def fits(self, px_per_km: float) -> bool:
        """True when the feature is large enough on screen to carry its text."""
        if self.size == (0.0, 0.0):
            return True
        w, h = self.size[0] * px_per_km, self.size[1] * px_per_km
        text = self.item.boundingRect()
        if self.size[1] == 0.0:  # a line: its length
            return w >= text.width() * 1.2
        return w >= text.width() * 0.9 and h >= text.height() * 1.5


def feature_item(layer: Layer, feature: Feature, projection: Projection) -> QGraphicsItem:
    """The graphics item drawing one feature in its layer's style."""
    geom = feature.geometry
    if layer.dimension == 0:
        point = shapely.get_parts(geom)[0]
        return MarkerItem(layer, projection.to_scene(point.x, point.y))
    item = QGraphicsPathItem(geometry_path(geom, projection))
    item.setPen(symbols.pen(layer.style))
    item.setBrush(symbols.brush(layer.style))
    item.setZValue(layer.style.z)
    item.setData(0, feature.uuid)
    return item


def default_label_size(layer: Layer) -> int:
    """Label font size (pt) unless the user chose one: city names are the map's main reading."""
    return 14 if layer.code == "XZQ" else 11


def feature_label(layer: Layer, feature: Feature, projection: Projection, order: int,
                  field: str | None = None, size: int | None = None) -> Label | None:
    """The feature's label from `field` (default: the style's label field) at `size` pt, or
    None when it has no text."""
    text = feature.attrs.get(field or layer.style.label_field or "")
    if text in (None, ""):
        return None
    big = layer.code == "XZQ"
    font = label_font(size or default_label_size(layer), bold=big)
    color = QColor("#2B2B2B") if big else symbols.label_color(layer.style)
    anchor, size = _anchor(feature.geometry, layer.dimension, projection)
    offset = (layer.style.marker_size or 8) / 2 + 3 if layer.dimension == 0 else 0.0
    item = LabelItem(str(text), font, color, offset)
    item.setPos(anchor)
    item.setZValue(1000 + layer.style.z)
    return Label(item, layer.code, size, (order, -size[0] * max(size[1], 1.0)))


def _anchor(geom: BaseGeometry, dimension: int, projection: Projection) -> tuple[QPointF, tuple]:
    """Where the label goes and the feature's on-scene size."""
    if dimension == 0:
        point = shapely.get_parts(geom)[0]
        return projection.to_scene(point.x, point.y), (0.0, 0.0)
    rect = projection.rect(geom.bounds)
    if dimension == 1:
        longest = max(shapely.get_parts(geom), key=lambda g: g.length)
        point = longest.interpolate(0.5, normalized=True)
        return projection.to_scene(point.x, point.y), (max(rect.width(), rect.height()), 0.0)
    largest = max(shapely.get_parts(geom), key=lambda g: g.area)
    x0, y0, x1, y1 = largest.bounds
    point = polylabel(largest, tolerance=max(x1 - x0, y1 - y0) / 40)
    part = projection.rect(largest.bounds)
    return projection.to_scene(point.x, point.y), (part.width(), part.height())
