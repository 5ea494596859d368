"""What the map draws over the rendered layers: the selection (own features in amber, others'
grey and dashed: read-only), the sketch being drawn, vertex handles, the snap marker and the
selection rectangle.

A small selection is outlined on the GUI thread at each paint. A large one (a rectangle over
65,000 parcels) becomes a `Highlight` (arrays prepared once, no per-feature Python on the GUI
thread) drawn into an image on a pool thread for the current view, as the map's layers are;
paint() only blits the newest image, so no GUI-thread work grows with the selection."""

from __future__ import annotations

import atexit
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, QPointF, QRectF, Qt, QThreadPool, Signal
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem

from app.editing.geometry import Coord, Sketch, vertices
from app.editing.store import LayerIndex
from app.model.feature import Feature
from app.views.graphics import KM_PER_DEGREE, Projection, geometry_path
from app.views.render import TINY_PX, object_array

OWN = QColor("#F08C00")
OTHERS = QColor("#6E6E6E")
SKETCH = QColor("#D6336C")
HANDLE_PX = 7
POINT_KM = 0.4  # radius of a selected point's ring
# Background jobs of this module, one at a time; waited for at exit (a thread still running
# Python while the interpreter shuts down would crash it).
POOL = QThreadPool()
POOL.setMaxThreadCount(1)
atexit.register(POOL.waitForDone)
OVERLAY_LIMIT = 300  # selections up to this size are outlined at each paint; larger: Highlight
POINT_DOT_PX = 9  # a selected point in a large selection


@dataclass(frozen=True)
class Highlight:
    """A large selection ready to draw on any thread: arrays aligned by feature."""

    paths: np.ndarray  # QPainterPath (None for points), scene km
    boxes: np.ndarray  # n × 4 scene boxes: x0, y0, x1, y1 (y down)
    sizes: np.ndarray  # larger side of each box, scene km (0 for points)
    editable: np.ndarray  # bool: drawn amber, else grey and dashed

    def __len__(self) -> int:
        return len(self.boxes)


def build_highlight(index: LayerIndex, uuids, arrays: tuple | None, paths: dict, projection: Projection,
                    is_editable) -> Highlight:
    """The Highlight of `uuids` from the map's per-layer arrays (tree order; None for points):
    index look-ups and numpy, plus the few edited features looked up one by one."""
    positions, edited = index.positions(uuids)
    boxes = index.bounds_at(positions)
    drawn = arrays[0][positions] if arrays is not None else np.full(len(positions), None, dtype=object)
    names, codes = index.owners
    # Editability depends on the owner only: ask once per distinct owner, with a stand-in feature.
    allowed = np.array([bool(is_editable(Feature("", "", name, {}, None))) for name in names] + [False])
    own = allowed[codes[positions]] if len(positions) else np.zeros(0, dtype=bool)
    features = [index.features[u] for u in edited]
    if features:
        boxes = np.vstack([boxes, [f.geometry.bounds for f in features]])
        drawn = np.concatenate([drawn, object_array([paths.get(f.uuid) for f in features])])
        own = np.concatenate([own, [bool(is_editable(f)) for f in features]])
    kx, ky = projection.kx, KM_PER_DEGREE
    scene = np.column_stack([boxes[:, 0] * kx, -boxes[:, 3] * ky, boxes[:, 2] * kx, -boxes[:, 1] * ky]) \
        if len(boxes) else np.zeros((0, 4))
    sizes = np.maximum(scene[:, 2] - scene[:, 0], scene[:, 3] - scene[:, 1])
    if arrays is None:
        sizes = np.zeros(len(scene))
    return Highlight(drawn, scene, sizes, own.astype(bool))


@dataclass(frozen=True)
class _Job:
    key: tuple  # (generation, view): a newer request makes this one stale
    generation: int
    rect: QRectF  # scene rectangle in view
    width: int  # px
    height: int
    highlight: Highlight


def draw_highlight(job: _Job) -> QImage:
    """The highlight of the features in view, on a transparent image (any thread). Features
    too small to outline are stamped as dots with numpy: no Python object per feature, so this
    thread hardly holds the interpreter lock the GUI thread needs."""
    h, rect = job.highlight, job.rect
    inside = ((h.boxes[:, 2] >= rect.left()) & (h.boxes[:, 0] <= rect.right())
              & (h.boxes[:, 3] >= rect.top()) & (h.boxes[:, 1] <= rect.bottom()))
    px_per_km = job.width / max(rect.width(), 1e-12)
    big = inside & (h.sizes >= TINY_PX * 2 / px_per_km)
    pixels = np.zeros((job.height, job.width), dtype=np.uint32)
    for own in (False, True):
        _stamp_dots(pixels, h, inside & ~big & (h.editable == own), own, rect, px_per_km)
    image = QImage(pixels.data, job.width, job.height, job.width * 4,
                   QImage.Format.Format_ARGB32_Premultiplied).copy()  # own its bytes
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(px_per_km, px_per_km)
    painter.translate(-rect.left(), -rect.top())
    for own in (False, True):
        _draw_paths(painter, h.paths[big & (h.editable == own)], own)
    painter.end()
    return image


def _draw_paths(painter: QPainter, paths: np.ndarray, own: bool) -> None:
    painter.setPen(_pen(OWN if own else OTHERS, 3 if own else 2, not own))
    painter.setBrush(QBrush(QColor(240, 140, 0, 50) if own else Qt.BrushStyle.BDiagPattern))
    for path in paths:
        if path is not None:
            painter.drawPath(path)


def _disc(radius: float) -> tuple[np.ndarray, np.ndarray]:
    r = int(np.ceil(radius))
    dy, dx = np.mgrid[-r:r + 1, -r:r + 1]
    keep = dx * dx + dy * dy <= radius * radius + 0.5
    return dx[keep], dy[keep]


def _stamp_dots(pixels: np.ndarray, h: Highlight, mask: np.ndarray, own: bool, rect: QRectF,
                px_per_km: float) -> None:
    """One dot per feature at its box centre (points: a larger dot)."""
    if not mask.any():
        return
    boxes = h.boxes[mask]
    x = ((boxes[:, 0] + boxes[:, 2]) / 2 - rect.left()) * px_per_km
    y = ((boxes[:, 1] + boxes[:, 3]) / 2 - rect.top()) * px_per_km
    dx, dy = _disc(POINT_DOT_PX / 2 if not h.sizes[mask].any() else 2)
    xs = (np.round(x)[:, None] + dx[None, :]).astype(np.int64).ravel()
    ys = (np.round(y)[:, None] + dy[None, :]).astype(np.int64).ravel()
    height, width = pixels.shape
    ok = (xs >= 0) & (xs < width) & (ys >= 0) & (ys < height)
    pixels[ys[ok], xs[ok]] = (OWN if own else OTHERS).rgba()  # opaque: premultiplied = plain


class _Bridge(QObject):
    """Carries a finished image from the pool thread back to the GUI thread."""

    rendered = Signal(int, QImage, QRectF)


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
        self.highlight: Highlight | None = None  # a large selection, drawn off the GUI thread
        self.generation = 0  # of the selection; an image of an older one is not shown
        self.shown_generation = 0  # generation of the image painted last
        self._requested: tuple | None = None
        self._image, self._image_rect, self._image_generation = QImage(), QRectF(), -1
        self._bridge = _Bridge()
        # Queued: the image is made on a pool thread, shown on the GUI thread (this item is no
        # QObject, so the connection must not guess).
        self._bridge.rendered.connect(self._on_rendered, Qt.ConnectionType.QueuedConnection)
        self.sketch: Sketch | None = None
        self.cursor: Coord | None = None
        self.snapped: Coord | None = None
        self.handles: list[Coord] = []
        self.band: QRectF | None = None  # scene rect being dragged

    def boundingRect(self) -> QRectF:
        return QRectF(-1e6, -1e6, 2e6, 2e6)

    def _scene(self, xy: Coord) -> QPointF:
        return self.projection.to_scene(*xy)

    def set_selected(self, features: list[Feature], editable, paths: dict | None = None) -> None:
        """Outline a small selection (paths: the map's uuid -> path cache, if any)."""
        self.selected = [(self._path(f, paths), editable(f)) for f in features[:OVERLAY_LIMIT]]
        self._set_highlight(None)

    def set_highlight(self, highlight: Highlight) -> None:
        """Show a large selection; drawn into an image off the GUI thread."""
        self.selected = []
        self._set_highlight(highlight)

    def _set_highlight(self, highlight: Highlight | None) -> None:
        if highlight is not None or self.highlight is not None:
            self.generation += 1
        self.highlight, self._requested = highlight, None
        self.update()

    @property
    def pending(self) -> bool:
        """True while a large selection's image for the current view is still being drawn."""
        return self.highlight is not None and self.shown_generation != self.generation

    def _path(self, feature: Feature, paths: dict | None) -> QPainterPath:
        if feature.geometry.geom_type not in ("Point", "MultiPoint"):
            cached = paths.get(feature.uuid) if paths else None
            return cached if cached is not None else geometry_path(feature.geometry, self.projection)
        path = QPainterPath()
        for point in getattr(feature.geometry, "geoms", [feature.geometry]):
            path.addEllipse(self._scene((point.x, point.y)), POINT_KM, POINT_KM)
        return path

    def set_handles(self, feature: Feature | None) -> None:
        self.handles = [xy for _, xy in vertices(feature.geometry)] if feature else []
        self.update()

    def _paint_highlight(self, painter: QPainter, widget) -> None:
        """Blit the newest image; ask for one of this view when the view or selection changed."""
        inverse, ok = painter.worldTransform().inverted()
        if not ok or widget is None:
            return
        rect = inverse.mapRect(QRectF(widget.rect()))
        ratio = widget.devicePixelRatioF()
        width, height = round(widget.width() * ratio), round(widget.height() * ratio)
        key = (self.generation, rect.x(), rect.y(), rect.width(), width, height)
        if key != self._requested and width > 1 and height > 1:
            self._requested = key
            job = _Job(key, self.generation, rect, width, height, self.highlight)
            POOL.start(lambda: self._render(job))
        if not self._image.isNull() and self._image_generation == self.generation:
            painter.drawImage(self._image_rect, self._image)
            self.shown_generation = self.generation

    def _render(self, job: _Job) -> None:
        """On a pool thread: skip superseded jobs, else draw and send the image back."""
        if job.key != self._requested:
            return  # the view moved or the selection changed while it waited
        image = draw_highlight(job)
        try:
            self._bridge.rendered.emit(job.generation, image, job.rect)
        except RuntimeError:  # the map closed meanwhile
            pass

    def _on_rendered(self, generation: int, image: QImage, rect: QRectF) -> None:
        if generation == self.generation:
            self._image, self._image_rect, self._image_generation = image, rect, generation
            self.update()

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.highlight is not None:
            self._paint_highlight(painter, widget)
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
