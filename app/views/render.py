"""Drawing layers into an image, safe on any thread (QImage + QPainter, no widgets).

The map renders on a thread of its own and shows the last image while the user pans (as QGIS
does): the GUI thread only blits. Level of detail: a feature smaller than TINY_PX on screen is
drawn as a dot, which keeps 100k polygons at full extent as cheap as a dot cloud.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import (
    QByteArray,
    QDataStream,
    QIODevice,
    QObject,
    QPointF,
    QRectF,
    QThread,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen, QPolygonF, QTransform

from app.model.catalogue import Layer, Style
from app.views import symbols

log = logging.getLogger(__name__)
TINY_PX = 1.5  # features smaller than this on screen are drawn as one dot


@dataclass(frozen=True)
class Batch:
    """One layer's share of a frame: paths (lines, polygons) or points, in scene coordinates."""

    layer: Layer
    paths: Sequence[QPainterPath] = ()  # a numpy object array on the hot path
    sizes: Sequence[float] = ()  # each path's larger side, scene km
    anchors: Sequence[QPointF] = ()  # a vertex of each path (or an n × 2 float array), drawn when tiny
    points: Sequence[QPointF] = ()
    style: Style | None = None  # a category's style; None: the layer's own

    @property
    def drawn_style(self) -> Style:
        return self.style or self.layer.style


@dataclass(frozen=True)
class Frame:
    """What to draw: the scene rectangle onto an image of `size` pixels."""

    generation: int
    rect: QRectF  # scene
    width: int  # px
    height: int
    batches: tuple[Batch, ...]
    background: str


def object_array(items) -> np.ndarray:
    """A 1-d object array of Qt values (np.asarray would try to look inside them)."""
    if isinstance(items, np.ndarray):
        return items
    out = np.empty(len(items), dtype=object)
    out[:] = list(items)
    return out


def anchor(path: QPainterPath) -> QPointF:
    """The point that stands for a path too small to draw."""
    element = path.elementAt(0)
    return QPointF(element.x, element.y)


def draw_batch(painter: QPainter, batch: Batch, px_per_km: float) -> None:
    """Draw one layer (or one category of it); the painter maps scene km to pixels at `px_per_km`."""
    style = batch.drawn_style
    if batch.points:
        _draw_points(painter, batch)
        return
    painter.setPen(symbols.pen(style))
    painter.setBrush(symbols.brush(style))
    paths, sizes = object_array(batch.paths), np.asarray(batch.sizes, dtype=float)
    big = sizes >= TINY_PX / px_per_km
    for path in paths[big]:
        painter.drawPath(path)
    if TINY_PX > 0 and not big.all():
        tiny = _tiny_polygon(batch.anchors, ~big)  # a vertex stands for each feature
        dot = QPen(QColor(style.fill or style.stroke), TINY_PX)
        dot.setCosmetic(True)
        painter.setPen(dot)
        painter.drawPoints(tiny)


def _tiny_polygon(anchors, tiny: np.ndarray) -> QPolygonF:
    """The anchors of the tiny features as one polygon (its points are drawn as dots)."""
    if isinstance(anchors, np.ndarray) and anchors.dtype != object:
        return polygon_of(anchors[tiny])
    return QPolygonF(object_array(anchors)[tiny].tolist())


def polygon_of(xy: np.ndarray) -> QPolygonF:
    """An n × 2 float array as a QPolygonF, read from its serialised form: ~10× faster than a
    list of QPointF and independent of where those Python objects sit in memory."""
    data = np.uint32(len(xy)).byteswap().tobytes() + np.asarray(xy, dtype=">f8").tobytes()
    buffer, polygon = QByteArray(data), QPolygonF()  # the stream reads `buffer`: keep it alive
    stream = QDataStream(buffer, QIODevice.OpenModeFlag.ReadOnly)
    stream >> polygon
    return polygon


def split_by_slot(layer: Layer, styles: Sequence[Style], slots: np.ndarray, paths: np.ndarray,
                  sizes: np.ndarray, anchors: np.ndarray) -> list[Batch]:
    """One batch per category slot present (slot i drawn with styles[i]), in slot order: a
    stable sort and a split, so 100k features cost two numpy passes, not a Python loop."""
    if len(slots) == 0:
        return []
    order = np.argsort(slots, kind="stable")
    counts = np.bincount(slots, minlength=len(styles))
    out, start = [], 0
    for slot, count in enumerate(counts):
        if count:
            take = order[start:start + count]
            out.append(Batch(layer, paths[take], sizes[take], anchors[take], style=styles[slot]))
            start += count
    return out


def _draw_points(painter: QPainter, batch: Batch) -> None:
    """Markers of constant pixel size: mapped to pixels, drawn untransformed."""
    style, world = batch.layer.style, painter.worldTransform()
    radius = (style.marker_size or 8) / 2
    painter.save()
    painter.resetTransform()
    painter.setPen(QPen(QColor("white"), 1.5))
    painter.setBrush(QColor(style.stroke))
    for point in batch.points:
        painter.drawEllipse(world.map(point), radius, radius)
    painter.restore()


def scene_transform(rect: QRectF, width: int) -> QTransform:
    """Scene -> image pixels for an image `width` px wide showing `rect`."""
    scale = width / rect.width()
    return QTransform().scale(scale, scale).translate(-rect.left(), -rect.top())


def render_frame(frame: Frame) -> QImage:
    """The frame as an image (any thread)."""
    image = QImage(frame.width, frame.height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor(frame.background))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setTransform(scene_transform(frame.rect, frame.width))
    px_per_km = frame.width / frame.rect.width()
    for batch in frame.batches:
        draw_batch(painter, batch, px_per_km)
    painter.end()
    return image


class _Renderer(QObject):
    rendered = Signal(int, QImage, QRectF)

    def __init__(self, latest) -> None:
        super().__init__()
        self._latest = latest  # () -> newest generation asked for

    @Slot(object)
    def render(self, frame: Frame) -> None:
        if frame.generation < self._latest():
            return  # superseded while queued: skip the work
        try:
            image = render_frame(frame)
        except Exception:  # a failed frame must not kill the render thread
            log.exception("rendering frame %d failed", frame.generation)
            return
        self.rendered.emit(frame.generation, image, frame.rect)


class RenderThread(QObject):
    """Renders frames off the GUI thread; only the newest request's image is reported."""

    rendered = Signal(QImage, QRectF)
    _request = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._thread = QThread(self)
        self._thread.setObjectName("coplan-render")
        self._renderer = _Renderer(lambda: self._generation)
        self._renderer.moveToThread(self._thread)
        self._request.connect(self._renderer.render)
        self._renderer.rendered.connect(self._on_rendered)
        self._thread.finished.connect(self._renderer.deleteLater)
        self._thread.start()

    def next_generation(self) -> int:
        self._generation += 1
        return self._generation

    def request(self, frame: Frame) -> None:
        self._request.emit(frame)

    def _on_rendered(self, generation: int, image: QImage, rect: QRectF) -> None:
        if generation == self._generation:  # older frames are stale: the view moved on
            self.rendered.emit(image, rect)

    def stop(self) -> None:
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait()
