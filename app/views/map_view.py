"""The map: layers rendered off the GUI thread into an image, labels, editing marks, scale bar;
wheel / drag / key navigation and the editing tools. It knows nothing of the database: it shows
a FeatureStore and a Selection and emits what the user drew or changed."""

from __future__ import annotations

import logging

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QWidget

from app.editing.geometry import Coord, SnapOptions
from app.editing.geometry import snap as snap_to
from app.editing.selection import Selection
from app.editing.store import FeatureStore, editable
from app.model.feature import Feature
from app.views import overlays, symbols
from app.views.basemap import BasemapLayer
from app.views.edit_overlay import OVERLAY_LIMIT, EditOverlay, build_highlight
from app.views.edit_tools import EDIT_TOOLS
from app.views.graphics import KM_PER_DEGREE, Label, Projection, feature_label, geometry_path
from app.views.i18n import tr
from app.views.label_settings import label_setting
from app.views.loader import ProjectData, scene_size
from app.views.map_tools import BaseTool, DrawTool, IdentifyTool, SelectTool, Tool, VertexTool
from app.views.measure import MeasureTool
from app.views.render import Batch, Frame, RenderThread, anchor, object_array, split_by_slot

log = logging.getLogger(__name__)

BACKGROUND = "#DFEAF2"  # pale sea blue: the cities read as land
ZOOM_STEP = 1.25
ZOOM_RANGE = (0.3, 2000.0)  # relative to the home view
RENDER_DELAY_MS = 15  # coalesces a burst of wheel/pan events into one frame
PAN_MARGIN = 0.5  # frames cover this share of the viewport more on each side: drags show content
FRAME_MAX_PX = 24_000_000  # cap on a frame's pixels (4 bytes each) with its margin
TOLERANCE_PX = 8  # picking and snapping radius
LABEL_LIMIT = 3000  # layers with more features are not labelled (unreadable anyway)
METRES_PER_INCH = 0.0254


class MapView(QGraphicsView):
    """Shows one project's layers from a FeatureStore; tools turn input into signals."""

    cursor_moved = Signal(float, float)  # lon, lat (EPSG:4490)
    scale_changed = Signal(float)  # denominator, 1:N
    frame_rendered = Signal()
    sketch_finished = Signal(str, object)  # layer code, shapely geometry
    geometry_edited = Signal(str, str, object)  # layer, uuid, new geometry
    identified = Signal(object)  # list[Feature]
    message = Signal(str)
    split_drawn = Signal(str, str, object)  # layer, uuid, cutting line (app.views.edit_tools)

    def __init__(self, store: FeatureStore, selection: Selection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        # Overlays are drawn in pixels over the map: partial updates would smear them on pan.
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.store, self.selection = store, selection
        self.data: ProjectData | None = None
        self.projection = Projection(31.0)
        self.visible: dict[str, bool] = {}
        self.active_layer: str | None = None
        self._labels: list[Label] = []
        self._label_settings: dict = {}  # layer -> its label setting, for labelled layers
        self._array_cache: dict[str, tuple] = {}  # layer -> (index key, paths, sizes, anchors)
        self._image, self._image_rect = QImage(), QRectF()
        self._home, self._home_scale = QRectF(), 1.0
        self.overlay = EditOverlay(self.projection)
        self.scene().addItem(self.overlay)
        self._renderer = RenderThread(self)
        self._renderer.rendered.connect(self._on_rendered)
        self.basemap = BasemapLayer(self)
        self.basemap.changed.connect(self.viewport().update)
        self.basemap.failed.connect(self.message)
        self._render_timer = QTimer(self, singleShot=True, interval=RENDER_DELAY_MS, timeout=self.render_now)
        self._relayout = QTimer(self, singleShot=True, interval=0, timeout=self._layout_labels)
        # After a burst of feature changes (a bulk edit of 65k), the highlight is redone once.
        self._reselect = QTimer(self, singleShot=True, interval=0, timeout=lambda: self._on_selection_changed(
            self.selection.layer, self.selection.uuids))
        self._tool: BaseTool = BaseTool(self)
        self.set_tool(Tool.PAN)
        store.changed.connect(self._on_feature_changed)  # model -> map
        selection.changed.connect(self._on_selection_changed)

    # -- content ---------------------------------------------------------------------------

    def show_project(self, data: ProjectData, visible: dict[str, bool]) -> None:
        """Replace the map's content with `data`; `visible` says which layers start shown."""
        for label in self._labels:
            self.scene().removeItem(label.item)
        self.data, self.visible = data, dict(visible)
        self._array_cache = {}
        self.projection = self.overlay.projection = data.projection
        self.basemap.show_project(data.path, data.projection)
        self.refresh_labels()
        self._home = self.projection.rect(data.home)
        margin = max(self._home.width(), self._home.height()) * 3
        self.setSceneRect(self._home.adjusted(-margin, -margin, margin, margin))
        self._image = QImage()
        self.zoom_to_home()
        # A reload (e.g. after a pull) may have deleted selected features: unselect those and
        # redraw the highlight from the new content, or it would outline what is gone (#12).
        layer, uuids = self.selection.layer, self.selection.uuids
        self.selection.set(layer, [u for u in uuids if self.store.get(layer, u) is not None] if layer else ())
        self._on_selection_changed(self.selection.layer, self.selection.uuids)

    def refresh_labels(self) -> None:
        """(Re)make every label from the label settings (app.views.label_settings)."""
        for label in self._labels:  # a rebuild after a settings change replaces the old ones
            if label.item.scene() is self.scene():
                self.scene().removeItem(label.item)
        self._labels, self._label_settings = [], {}
        for order, layer_data in enumerate(self.data.layers):
            layer = layer_data.layer
            setting = label_setting(layer) if layer.spatial else None
            if not setting or not setting.field or self.store.count(layer.code) > LABEL_LIMIT:
                continue
            self._label_settings[layer.code] = setting
            # Label priority: city names, then points, then the rest in catalogue order.
            rank = 0 if layer.code == "XZQ" else 1 if layer.dimension == 0 else 2 + order
            for feature in self.store.layers[layer.code].features.values():
                self._add_label(feature, rank)
        self._labels.sort(key=lambda label: label.priority)
        self._relayout.start()

    def _add_label(self, feature: Feature, rank: int) -> None:
        setting = self._label_settings.get(feature.layer)
        if setting is None:
            return
        label = feature_label(self.data.catalogue.layer(feature.layer), feature, self.projection, rank,
                              setting.field, setting.size)
        if label is not None:
            label.item.setVisible(False)  # the layout decides
            label.item.setData(0, feature.uuid)
            self.scene().addItem(label.item)
            self._labels.append(label)

    def set_layer_visible(self, code: str, visible: bool) -> None:
        """Show or hide a layer's features and labels."""
        self.visible[code] = visible
        self.schedule_render()
        self._relayout.start()

    def label_items(self, code: str) -> list:
        return [label.item for label in self._labels if label.layer == code]

    def _on_feature_changed(self, code: str, uuid: str, feature: Feature | None) -> None:
        if self.data is None:
            return
        redraw = feature is not None and not (self.store.geometry_unchanged and uuid in self.data.paths)
        if redraw and feature.geometry.geom_type not in ("Point", "MultiPoint"):
            self.data.paths[uuid] = geometry_path(feature.geometry, self.projection)
            self.data.sizes[uuid] = scene_size(feature.geometry, self.projection)
        if code in self._label_settings:  # only labelled layers have labels to redo
            self._relabel(code, uuid, feature)
        self._reselect.start()
        self.schedule_render()

    def _relabel(self, code: str, uuid: str, feature: Feature | None) -> None:
        old = [label for label in self._labels if label.layer == code and label.item.data(0) == uuid]
        for label in old:
            self.scene().removeItem(label.item)
            self._labels.remove(label)
        if feature is not None and old:
            self._add_label(feature, old[0].priority[0])
            self._labels.sort(key=lambda label: label.priority)
        self._relayout.start()

    # -- rendering -------------------------------------------------------------------------

    def schedule_render(self) -> None:
        self._render_timer.start()

    def visible_scene_rect(self) -> QRectF:
        return self.mapToScene(self.viewport().rect()).boundingRect()

    def render_now(self) -> None:
        """Ask the render thread for a frame of what is in view now."""
        if self.data is None or self.viewport().width() < 2:
            return
        rect, size = self._frame_area()
        batches = tuple(self.batches(rect))
        # Transparent: the sea colour and the basemap are drawn under it by drawBackground.
        frame = Frame(self._renderer.next_generation(), rect, size.width(), size.height(),
                      batches, "transparent")
        self._renderer.request(frame)

    def _frame_area(self) -> tuple[QRectF, object]:
        """The scene rect to render and its size in pixels: the view plus PAN_MARGIN around it."""
        view, size = self.visible_scene_rect(), self.viewport().size() * self.devicePixelRatioF()
        pixels = max(size.width() * size.height(), 1)
        margin = min(PAN_MARGIN, max(0.0, ((FRAME_MAX_PX / pixels) ** 0.5 - 1) / 2))
        mx, my = view.width() * margin, view.height() * margin
        grow = 1 + 2 * margin
        return view.adjusted(-mx, -my, mx, my), size * grow

    def batches(self, rect: QRectF):
        """Per visible layer, the features meeting `rect`, via the layer's spatial index."""
        x0, y1 = self.projection.to_lonlat(rect.topLeft())
        x1, y0 = self.projection.to_lonlat(rect.bottomRight())
        for layer_data in self.data.layers:
            layer, index = layer_data.layer, self.store.layers.get(layer_data.layer.code)
            if not self.visible.get(layer.code) or index is None:
                continue
            if layer.dimension == 0:
                uuids = index.query((x0, y0, x1, y1))
                points = tuple(self.projection.to_scene(*_xy(index.features[u])) for u in uuids)
                yield Batch(layer, points=points)
            else:
                yield from self._path_batch(layer, index, (x0, y0, x1, y1))

    def _path_batch(self, layer, index, bounds) -> list[Batch]:
        """Unedited features from arrays cached per index; the few edited ones looked up. A layer
        styled by a category field becomes one batch per colour (symbols.categories)."""
        paths, sizes, anchors = self._arrays(layer.code, index)
        hits, edited = index.query_split(bounds)
        cats = symbols.categories(layer)
        if cats is not None:
            slots, anchors = symbols.index_arrays(cats, index, anchors)
            slots = np.concatenate([slots[hits], cats.slot_array([index.features[u] for u in edited])])
        paths, sizes, anchors = paths[hits], sizes[hits], anchors[hits]
        if edited:
            extra = [self.data.paths[u] for u in edited]
            paths = np.concatenate([paths, object_array(extra)])
            sizes = np.concatenate([sizes, [self.data.sizes[u] for u in edited]])
            ends = [anchor(p) for p in extra]
            anchors = np.concatenate([anchors, symbols.anchor_xy(ends) if cats else object_array(ends)])
        if cats is None:
            return [Batch(layer, paths, sizes, anchors)]
        return split_by_slot(layer, cats.styles, slots, paths, sizes, anchors)

    def _arrays(self, code: str, index) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        key = (id(index), index.version)
        cached = self._array_cache.get(code)
        if cached is None or cached[0] != key:
            built = self.data.arrays.get(code)
            if built is not None and np.array_equal(built[0], index.uuids):
                cached = self._array_cache[code] = (key, *built[1:])  # made by the loader
                return cached[1:]
            # After an index rebuild (many edits), the arrays follow the new order once; a path
            # that did not change keeps its anchor (finding one walks the path: 100k of them
            # would block the window for half a second after a bulk edit).
            paths = object_array([self.data.paths[u] for u in index.uuids])
            sizes = np.array([self.data.sizes[u] for u in index.uuids], dtype=float)
            known = dict(zip(map(id, cached[1]), cached[3], strict=True)) if cached is not None else {}
            anchors = object_array([_known_or(known.get(id(p)), p) for p in paths])
            cached = self._array_cache[code] = (key, paths, sizes, anchors)
        return cached[1:]

    def _on_rendered(self, image: QImage, rect: QRectF) -> None:
        image.setDevicePixelRatio(self.devicePixelRatioF())
        self._image, self._image_rect = image, rect
        self.viewport().update()
        self.frame_rendered.emit()

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        painter.fillRect(rect, QColor(BACKGROUND))
        self.basemap.draw(painter, self.visible_scene_rect(), self.px_per_km())
        if not self._image.isNull():
            # The last frame, moved and scaled with the view until the next one arrives.
            painter.drawImage(self._image_rect, self._image)

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        painter.save()
        painter.resetTransform()  # draw in viewport pixels
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        size = self.viewport().size()
        overlays.draw_scale_bar(painter, size.height(), self.px_per_km())
        overlays.draw_north_arrow(painter, size.width())
        if self.schematic_shown():
            overlays.draw_notice(painter, tr("示意 schematic | boundaries and zones are schematic, "
                                             "not official; do not measure"))
        painter.restore()

    def schematic_shown(self) -> bool:
        """True when a visible layer holds schematic (示意) geometry."""
        return self.data is not None and any(
            self.visible.get(d.layer.code) and d.features and d.schematic for d in self.data.layers)

    # -- navigation ------------------------------------------------------------------------

    def zoom_to_home(self) -> None:
        """Fit the project's extent (the party's city) into the view."""
        self._fit(self._home)
        self._home_scale = self.transform().m11()
        self._view_changed()

    def zoom_to_bounds(self, bounds) -> None:
        """Fit lon/lat `bounds` (a point or tiny feature gets a sensible neighbourhood)."""
        if bounds is None:
            return
        x0, y0, x1, y1 = bounds
        pad = max(x1 - x0, y1 - y0, 0.01) * 0.15
        self._fit(self.projection.rect((x0 - pad, y0 - pad, x1 + pad, y1 + pad)))
        self._view_changed()

    def _fit(self, rect: QRectF) -> None:
        if not rect.isEmpty():
            self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)

    def zoom_by(self, factor: float) -> None:
        """Zoom around the mouse (or the centre), within ZOOM_RANGE of the home view."""
        current = self.transform().m11() / self._home_scale
        low, high = ZOOM_RANGE
        factor = min(max(factor, low / current), high / current)
        self.scale(factor, factor)
        self._view_changed()

    def pan_by(self, dx: float, dy: float) -> None:
        """Move the view by a share of its size (keys)."""
        centre = self.mapToScene(self.viewport().rect().center())
        rect = self.visible_scene_rect()
        self.centerOn(centre + QPointF(dx * rect.width(), dy * rect.height()))
        self._view_changed()

    def px_per_km(self) -> float:
        return self.transform().m11()

    def scale_denominator(self) -> float:
        """1:N at the screen's resolution."""
        metres_per_px = METRES_PER_INCH / max(self.logicalDpiX(), 1)
        return 1000.0 / max(self.px_per_km(), 1e-9) / metres_per_px

    def _view_changed(self) -> None:
        self.schedule_render()
        self._relayout.start()
        self.scale_changed.emit(self.scale_denominator())

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        if not self._render_timer.isActive():  # throttle, not debounce: frames follow a drag
            self.schedule_render()
        self._relayout.start()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if not self._home.isEmpty() and abs(self.transform().m11() - self._home_scale) < 1e-9:
            self.zoom_to_home()  # still at home: keep the whole extent in view
        self._view_changed()

    # -- tools and input -------------------------------------------------------------------

    @property
    def tool(self) -> Tool:
        return self._tool.tool

    @property
    def tool_object(self) -> BaseTool:
        """The active tool itself (its sketch, its cancel) for the window's editing commands."""
        return self._tool

    def set_tool(self, tool: Tool, layer: str | None = None) -> None:
        """Switch the mouse mode; DRAW draws into `layer` (default: the active layer)."""
        self._tool.cancel()
        self.overlay.sketch, self.overlay.cursor, self.overlay.snapped = None, None, None
        code = layer or self.active_layer
        if tool == Tool.DRAW and code and self.data is not None:
            self._tool = DrawTool(self, code, self.data.catalogue.layer(code).dimension)
        else:
            classes = {Tool.SELECT: SelectTool, Tool.IDENTIFY: IdentifyTool, Tool.VERTEX: VertexTool}
            classes[Tool.MEASURE] = MeasureTool
            classes.update(EDIT_TOOLS)
            self._tool = classes.get(tool, BaseTool)(self)
        hand = QGraphicsView.DragMode.ScrollHandDrag
        self.setDragMode(hand if self._tool.pans else QGraphicsView.DragMode.NoDrag)
        if not self._tool.pans:
            self.viewport().setCursor(Qt.CursorShape.CrossCursor)
        self._on_selection_changed(self.selection.layer, self.selection.uuids)

    def wheelEvent(self, event) -> None:
        self.zoom_by(ZOOM_STEP ** (event.angleDelta().y() / 120))
        event.accept()

    def mousePressEvent(self, event) -> None:
        if not self._tool.press(event.position(), event.button(), event.modifiers()):
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        handled = self._tool.move(event.position(), event.buttons())
        if not handled:
            super().mouseMoveEvent(event)
        self.cursor_moved.emit(*self.lonlat(event.position()))

    def mouseReleaseEvent(self, event) -> None:
        if not self._tool.release(event.position(), event.button(), event.modifiers()):
            super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:
        if not self._tool.double_click(event.position()):
            super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event) -> None:
        if self._tool.key(event.key()):
            return
        moves = {Qt.Key.Key_Left: (-0.25, 0), Qt.Key.Key_Right: (0.25, 0),
                 Qt.Key.Key_Up: (0, -0.25), Qt.Key.Key_Down: (0, 0.25)}
        if event.key() in moves:
            self.pan_by(*moves[event.key()])
        elif event.key() in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(ZOOM_STEP)
        elif event.key() == Qt.Key.Key_Minus:
            self.zoom_by(1 / ZOOM_STEP)
        elif event.key() == Qt.Key.Key_Escape:
            self.selection.clear()
        else:
            super().keyPressEvent(event)

    # -- what tools ask --------------------------------------------------------------------

    def lonlat(self, pos: QPointF) -> Coord:
        return self.projection.to_lonlat(self.mapToScene(pos.toPoint()))

    def tolerance(self, px: float = TOLERANCE_PX) -> float:
        """`px` screen pixels in degrees (of latitude; near enough for picking)."""
        return px / max(self.px_per_km(), 1e-9) / KM_PER_DEGREE

    snapping = SnapOptions()  # set from the snapping dialog (app.views.edit_dialogs)

    def snapped(self, pos: QPointF, exclude: Feature | None = None) -> Coord:
        """The cursor's lon/lat, snapped to a vertex (or an edge) of a visible feature when one
        is within the snapping tolerance."""
        at, tol = self.lonlat(pos), self.tolerance(self.snapping.pixels)
        if self.snapping.mode == "off":
            self.overlay.snapped = None
            return at
        near = [f.geometry for code in self.visible if self.visible[code] and code in self.store.layers
                for f in self.store.layers[code].at(*at, tol) if f is not exclude]
        hit = snap_to(at, near, tol, segments=self.snapping.mode == "segment")
        self.overlay.snapped = hit
        return hit or at

    def features_at(self, pos: QPointF) -> list[Feature]:
        """Visible features under `pos`, top layer first."""
        at, tol, out = self.lonlat(pos), self.tolerance(4), []
        for layer_data in sorted(self.data.layers, key=lambda d: -d.layer.style.z):
            code = layer_data.layer.code
            if self.visible.get(code) and code in self.store.layers:
                out += self.store.layers[code].at(*at, tol)
        return out

    def select_at(self, pos: QPointF, toggle: bool = False) -> None:
        hits = [f for f in self.features_at(pos) if self.active_layer in (None, f.layer)]
        if not hits:
            self.selection.set(self.selection.layer, ())
        elif toggle:
            self.selection.toggle(hits[0].layer, hits[0].uuid)
        else:
            self.selection.set(hits[0].layer, (hits[0].uuid,))

    def select_in_rect(self, rect: QRectF) -> None:
        """Select the active layer's features meeting scene `rect`."""
        code = self.active_layer
        if code is None or code not in self.store.layers:
            return
        x0, y1 = self.projection.to_lonlat(rect.topLeft())
        x1, y0 = self.projection.to_lonlat(rect.bottomRight())
        self.selection.set(code, self.store.layers[code].query((x0, y0, x1, y1)))

    def identify_at(self, pos: QPointF) -> None:
        hits = self.features_at(pos)
        if hits:
            self.selection.set(hits[0].layer, (hits[0].uuid,))
        self.identified.emit(hits)

    def selected_feature(self) -> Feature | None:
        uuid = self.selection.single
        return self.store.get(self.selection.layer, uuid) if uuid else None

    def is_editable(self, feature: Feature) -> bool:
        return self.data is not None and editable(feature, self.data.party, self.data.role)

    def _on_selection_changed(self, layer: str | None, uuids) -> None:
        index = self.store.layers.get(layer) if layer else None
        if index is not None and len(uuids) > OVERLAY_LIMIT and self.data is not None:
            # A large selection: index arrays on this thread, drawing on a pool thread.
            arrays = self._arrays(layer, index) if self.data.catalogue.layer(layer).dimension > 0 else None
            self.overlay.set_highlight(build_highlight(index, uuids, arrays, self.data.paths,
                                                       self.projection, self.is_editable))
        else:
            features = [f for f in (self.store.get(layer, u) for u in uuids) if f is not None] if index else []
            self.overlay.set_selected(features, self.is_editable, self.data.paths if self.data else None)
        target = self.selected_feature() if self.tool == Tool.VERTEX else None
        self.overlay.set_handles(target if target and self.is_editable(target) else None)

    # -- labels ----------------------------------------------------------------------------

    def _layout_labels(self) -> None:
        """Show labels that fit their feature on screen and collide with no more important one."""
        scale, placed = self.px_per_km(), []
        for label in self._labels:
            show = self.visible.get(label.layer, False) and label.fits(scale)
            if show:
                origin = self.mapFromScene(label.item.pos()).toPointF()
                rect = label.item.boundingRect().translated(origin)
                show = not any(rect.intersects(other) for other in placed)
                if show:
                    placed.append(rect)
            label.item.setVisible(show)

    def cleanup(self) -> None:
        self.store.changed.disconnect(self._on_feature_changed)
        self.selection.changed.disconnect(self._on_selection_changed)
        self._renderer.stop()
        self.basemap.stop()


def _xy(feature: Feature) -> tuple[float, float]:
    geom = feature.geometry
    point = geom.geoms[0] if hasattr(geom, "geoms") else geom
    return point.x, point.y


def _known_or(point, path):
    """`point` if known, else the anchor of `path`."""
    return point if point is not None else anchor(path)
