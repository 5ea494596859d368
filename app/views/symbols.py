"""Catalogue styles turned into Qt pens, brushes and legend swatches."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

from app.model.catalogue import Layer, Style

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
