"""The map: features drawn in catalogue styles, labels, scale bar, wheel zoom and drag pan."""

from __future__ import annotations

import logging

import shapely
from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsView, QWidget

from app.views import overlays
from app.views.graphics import Label, Projection, feature_item, feature_label
from app.views.loader import LayerData, ProjectData

log = logging.getLogger(__name__)

BACKGROUND = "#DFEAF2"  # pale sea blue: the cities read as land
DEFAULT_BOUNDS = (119.0, 29.0, 123.0, 33.0)  # lon/lat, when a project is empty
ZOOM_STEP = 1.25
ZOOM_RANGE = (0.3, 500.0)  # relative to the home view
SCHEMATIC_NOTICE = {"zh": "示意 schematic｜边界与范围为示意，非官方界线，不可用于量算",
                    "en": "示意 schematic | boundaries and zones are schematic, not official"}


class MapView(QGraphicsView):
    """Shows one project's layers; knows nothing of the database."""

    cursor_moved = Signal(float, float)  # lon, lat (EPSG:4490)

    def __init__(self, parent: QWidget | None = None, lang: str = "zh") -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        # Overlays are drawn in pixels over the map: partial updates would smear them on pan.
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setBackgroundBrush(QColor(BACKGROUND))
        self.setMouseTracking(True)
        self._lang = lang
        self._projection = Projection(31.0)
        self._items: dict[str, list[QGraphicsItem]] = {}
        self._labels: list[Label] = []
        self._visible: dict[str, bool] = {}
        self._schematic: set[str] = set()
        self._home, self._home_scale = QRectF(), 1.0
        self._relayout = QTimer(self, singleShot=True, interval=0, timeout=self._layout_labels)

    # -- content ---------------------------------------------------------------------------

    def show_project(self, data: ProjectData, visible: dict[str, bool]) -> None:
        """Replace the map's content with `data`; `visible` says which layers start shown."""
        self.scene().clear()
        self._items, self._labels, self._visible = {}, [], {}
        bounds = _data_bounds(data)
        self._projection = Projection((bounds[1] + bounds[3]) / 2)
        for order, layer_data in enumerate(data.layers):
            self._add_layer(layer_data, order, visible.get(layer_data.layer.code, True))
        self._labels.sort(key=lambda label: label.priority)
        self._schematic = {d.layer.code for d in data.layers if d.features and d.schematic}
        self._home = self._projection.rect(bounds)
        margin = max(self._home.width(), self._home.height()) * 3
        self.setSceneRect(self._home.adjusted(-margin, -margin, margin, margin))
        self.zoom_to_home()

    def _add_layer(self, layer_data: LayerData, order: int, visible: bool) -> None:
        layer, items = layer_data.layer, []
        # Label priority: city names, then points, then the rest in catalogue order.
        rank = 0 if layer.code == "XZQ" else 1 if layer.dimension == 0 else 2 + order
        for feature in layer_data.features:
            item = feature_item(layer, feature, self._projection)
            item.setVisible(visible)
            self.scene().addItem(item)
            items.append(item)
            label = feature_label(layer, feature, self._projection, rank)
            if label is not None:
                label.item.setVisible(False)  # the layout decides
                self.scene().addItem(label.item)
                self._labels.append(label)
        self._items[layer.code] = items
        self._visible[layer.code] = visible

    def set_layer_visible(self, code: str, visible: bool) -> None:
        """Show or hide a layer's features and labels."""
        for item in self._items.get(code, []):
            item.setVisible(visible)
        self._visible[code] = visible
        self._relayout.start()
        self.viewport().update()

    def layer_items(self, code: str) -> list[QGraphicsItem]:
        """The feature items of a layer (for tests and selection)."""
        return list(self._items.get(code, []))

    def label_items(self, code: str) -> list[QGraphicsItem]:
        return [label.item for label in self._labels if label.layer == code]

    # -- navigation ------------------------------------------------------------------------

    def zoom_to_home(self) -> None:
        """Fit the project's extent (the cities) into the view."""
        self.fitInView(self._home, Qt.AspectRatioMode.KeepAspectRatio)
        self._home_scale = self.transform().m11()
        self._relayout.start()

    def zoom_by(self, factor: float) -> None:
        """Zoom around the mouse (or the centre), within ZOOM_RANGE of the home view."""
        current = self.transform().m11() / self._home_scale
        low, high = ZOOM_RANGE
        factor = min(max(factor, low / current), high / current)
        self.scale(factor, factor)
        self._relayout.start()

    def px_per_km(self) -> float:
        return self.transform().m11()

    def wheelEvent(self, event) -> None:
        self.zoom_by(ZOOM_STEP ** (event.angleDelta().y() / 120))
        event.accept()

    def mouseMoveEvent(self, event) -> None:
        super().mouseMoveEvent(event)
        lon, lat = self._projection.to_lonlat(self.mapToScene(event.position().toPoint()))
        self.cursor_moved.emit(lon, lat)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if not self._home.isEmpty() and abs(self.transform().m11() - self._home_scale) < 1e-9:
            self.zoom_to_home()  # still at home: keep the whole extent in view
        self._relayout.start()

    # -- labels and overlays ---------------------------------------------------------------

    def _layout_labels(self) -> None:
        """Show labels that fit their feature on screen and collide with no more important one."""
        scale, placed = self.px_per_km(), []
        for label in self._labels:
            show = self._visible.get(label.layer, False) and label.fits(scale)
            if show:
                origin = self.mapFromScene(label.item.pos()).toPointF()
                rect = label.item.boundingRect().translated(origin)
                show = not any(rect.intersects(other) for other in placed)
                if show:
                    placed.append(rect)
            label.item.setVisible(show)

    def schematic_shown(self) -> bool:
        """True when a visible layer holds schematic (示意) geometry."""
        return any(self._visible.get(code) for code in self._schematic)

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        painter.save()
        painter.resetTransform()  # draw in viewport pixels
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        size = self.viewport().size()
        overlays.draw_scale_bar(painter, size.height(), self.px_per_km())
        overlays.draw_north_arrow(painter, size.width())
        if self.schematic_shown():
            overlays.draw_notice(painter, SCHEMATIC_NOTICE.get(self._lang, SCHEMATIC_NOTICE["zh"]))
        painter.restore()


def _data_bounds(data: ProjectData) -> tuple[float, float, float, float]:
    """lon/lat extent to show first: the party's own city, else all cities, else everything."""
    cities = [f for d in data.layers if d.layer.code == "XZQ" for f in d.features]
    own = [f.geometry for f in cities if f.attrs.get("XZQDM") == data.party]
    every = [f.geometry for d in data.layers for f in d.features]
    for geoms in (own, [f.geometry for f in cities], every):
        if geoms:
            return _padded(shapely.total_bounds(geoms))
    return DEFAULT_BOUNDS


def _padded(bounds, share: float = 0.04) -> tuple[float, float, float, float]:
    """`bounds` grown by `share` of their size (at least ~5 km) so edges do not touch the frame."""
    x0, y0, x1, y1 = (float(v) for v in bounds)
    pad = max(x1 - x0, y1 - y0, 0.05 / share) * share
    return x0 - pad, y0 - pad, x1 + pad, y1 + pad
