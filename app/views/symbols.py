"""Catalogue styles turned into Qt pens, brushes and legend swatches; layers styled by a category
field (the 用地用海 code, the 规划分区 name) get one style per colour of their colour table."""

from __future__ import annotations

import weakref
from dataclasses import dataclass, replace
from functools import cache

import numpy as np
from PySide6.QtCore import QByteArray, QDataStream, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

from app.model.catalogue import Layer, Style, colour_table
from app.model.colours import ColourTable

SWATCH_PX = 18


def pen(style: Style, scale: float = 1.0) -> QPen:
    """The stroke; cosmetic, so its width stays in pixels at every zoom."""
    p = QPen(QColor(style.stroke))
    width = max(style.stroke_width * scale, 0.5)
    p.setWidthF(width)
    p.setCosmetic(True)
    p.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    p.setCapStyle(Qt.PenCapStyle.RoundCap if not style.dash else Qt.PenCapStyle.FlatCap)
    if style.dash:
        # Qt counts dash lengths in pen widths; the catalogue gives pixels.
        p.setDashPattern([max(d / width, 0.1) for d in style.dash])
    return p


def brush(style: Style) -> QBrush:
    """The fill with the style's opacity, or no fill."""
    if not style.fill or style.fill_opacity <= 0:
        return QBrush(Qt.BrushStyle.NoBrush)
    color = QColor(style.fill)
    color.setAlphaF(min(max(style.fill_opacity, 0.0), 1.0))
    return QBrush(color)


def label_color(style: Style) -> QColor:
    """A dark shade of the stroke colour, readable on light fills."""
    color = QColor(style.stroke)
    return color.darker(160) if color.lightness() > 90 else color


def swatch(layer: Layer) -> QIcon:
    """A legend symbol for the layer: a filled box, a line or a marker."""
    pixmap = QPixmap(SWATCH_PX, SWATCH_PX)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    _draw_swatch(painter, layer)
    painter.end()
    return QIcon(pixmap)


def _draw_swatch(painter: QPainter, layer: Layer) -> None:
    style, s = layer.style, SWATCH_PX
    cats = categories(layer)
    if cats is not None:  # a categorised layer: four of its colours in a grid
        painter.setPen(Qt.PenStyle.NoPen)
        for i, fill in enumerate(_distinct_colors([st.fill for st in cats.styles[1:]], 4)):
            painter.setBrush(fill)
            painter.drawRect(QRectF(2.5 + (i % 2) * (s - 5) / 2, 3.5 + (i // 2) * (s - 7) / 2,
                                    (s - 5) / 2, (s - 7) / 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(pen(style, 1.0))
        painter.drawRect(QRectF(2.5, 3.5, s - 5, s - 7))
        return
    if layer.dimension == 0:
        painter.setPen(QPen(QColor("white"), 1.2))
        painter.setBrush(QColor(style.stroke))
        painter.drawEllipse(QPointF(s / 2, s / 2), s / 4, s / 4)
    elif layer.dimension == 1:
        path = QPainterPath(QPointF(2, s - 4))
        path.cubicTo(QPointF(s / 2, 0), QPointF(s / 2, s), QPointF(s - 2, 4))
        painter.strokePath(path, pen(style, min(1.0, 3.0 / max(style.stroke_width, 0.1))))
    else:
        painter.setBrush(brush(style))
        painter.setPen(pen(style, 1.0))
        painter.drawRect(QRectF(2.5, 3.5, s - 5, s - 7))


@dataclass(frozen=True)
class Categories:
    """A categorised layer's styles: slot 0 is the layer's own style (a value without a colour),
    slot i > 0 a colour of the table. Features of one colour share a slot, so a frame draws one
    batch per colour, not one per code."""

    table: ColourTable
    field: str
    styles: tuple[Style, ...]
    slots: dict[str, int]  # colour -> slot

    def slot(self, value: object) -> int:
        color = self.table.color(value)
        return self.slots[color] if color else 0

    def slot_array(self, features) -> np.ndarray:
        """Each feature's slot (in the order given); a missing feature (None) gets slot 0."""
        memo: dict[object, int] = {}  # few distinct values: look each up once
        out = np.zeros(len(features), dtype=np.int16)
        for i, feature in enumerate(features):
            if feature is not None:
                value = feature.attrs.get(self.field)
                slot = memo.get(value)
                if slot is None:
                    slot = memo[value] = self.slot(value)
                out[i] = slot
        return out


@cache
def categories(layer: Layer) -> Categories | None:
    """The category styles of `layer`, or None when no colour table styles it."""
    table = colour_table(layer.code)
    if table is None or layer.dimension != 2:
        return None
    colors = list(dict.fromkeys(e.color for e in table.entries))
    styles = (layer.style, *(category_style(layer.style, c, table.fill_opacity) for c in colors))
    return Categories(table, table.field(layer.code), styles, {c: i + 1 for i, c in enumerate(colors)})


def category_style(style: Style, color: str, opacity: float) -> Style:
    """The layer's style filled with a category's colour."""
    return replace(style, fill=color, fill_opacity=opacity)


def _distinct_colors(names: list[str], n: int) -> list[QColor]:
    """Up to `n` vivid colours of `names` (in table order) apart in hue: the layer icon's palette."""
    picked: list[QColor] = []
    for color in (QColor(c) for c in names):
        vivid = color.hsvSaturationF() > 0.55 and color.valueF() > 0.5
        if vivid and all(min(d := abs(color.hsvHueF() - p.hsvHueF()), 1 - d) > 0.12 for p in picked):
            picked.append(color)
    return picked[:n]


def color_swatch(color: str, opacity: float = 1.0, outline: str = "#9E9E9E") -> QIcon:
    """A legend box of one category colour."""
    pixmap = QPixmap(SWATCH_PX, SWATCH_PX)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    fill = QColor(color)
    fill.setAlphaF(opacity)
    painter.setBrush(fill)
    painter.setPen(QPen(QColor(outline), 1))
    painter.drawRect(QRectF(2.5, 3.5, SWATCH_PX - 5, SWATCH_PX - 7))
    painter.end()
    return QIcon(pixmap)


_slot_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # index -> (key, slots, xy)


def index_arrays(cats: Categories, index, anchors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(slot of each feature, its anchor as x, y) in tree order, built once per index version
    (features edited since are not among the tree's hits and are looked up one by one). Float
    anchors: a colour's dots are a scattered subset, and gathering scattered QPointF objects
    costs three times a sequential pass."""
    key = (index.version, id(anchors), cats)
    cached = _slot_cache.get(index)
    if cached is None or cached[0] != key:
        features = index.features
        slots = cats.slot_array([features.get(u) for u in index.uuids])
        cached = (key, slots, anchor_xy(anchors))
        _slot_cache[index] = cached
    return cached[1], cached[2]


def anchor_xy(anchors) -> np.ndarray:
    """QPointF anchors as an n × 2 float array, through a QPolygonF's serialised form (a
    count, then big-endian doubles): four times faster than asking each point for x and y."""
    buffer = QByteArray()
    stream = QDataStream(buffer, QIODevice.OpenModeFlag.WriteOnly)
    stream << QPolygonF(list(anchors))
    return np.frombuffer(buffer.data()[4:], dtype=">f8").astype(float).reshape(-1, 2)
