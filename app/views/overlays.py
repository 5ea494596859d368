"""Map furniture drawn in screen pixels over the map: scale bar, north arrow, schematic notice."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen, QPolygonF

from app.views.fonts import label_font

SCALE_BAR_MAX_PX = 150
PANEL = QColor(255, 255, 255, 215)


def nice_length(max_km: float) -> float:
    """The largest 1, 2 or 5 × 10^n km not longer than `max_km`."""
    if max_km <= 0:
        return 0.0
    power = 10 ** math.floor(math.log10(max_km))
    return max(step * power for step in (1, 2, 5) if step * power <= max_km)


def length_text(km: float) -> str:
    return f"{km * 1000:g} m" if km < 1 else f"{km:g} km"


def draw_scale_bar(painter: QPainter, height: float, px_per_km: float) -> None:
    """A two-segment scale bar in the bottom-left corner."""
    km = nice_length(SCALE_BAR_MAX_PX / px_per_km) if px_per_km > 0 else 0
    if km <= 0:
        return
    width, x, y = km * px_per_km, 18.0, height - 24.0
    font = label_font(11)
    end = length_text(km)
    painter.setFont(font)
    panel = QRectF(x - 10, y - 20, width + QFontMetricsF(font).horizontalAdvance(end) / 2 + 24, 34)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(PANEL)
    painter.drawRoundedRect(panel, 3, 3)
    painter.setPen(QPen(QColor("#333333"), 1))
    for i, fill in enumerate(("#333333", "#FFFFFF")):
        painter.setBrush(QColor(fill))
        painter.drawRect(QRectF(x + i * width / 2, y, width / 2, 5))
    painter.drawText(QPointF(x - 3, y - 5), "0")
    painter.drawText(QPointF(x + width - QFontMetricsF(font).horizontalAdvance(end) / 2, y - 5), end)


def draw_north_arrow(painter: QPainter, width: float) -> None:
    """A small north arrow in the top-right corner (the projection keeps north up)."""
    cx, top = width - 30.0, 14.0
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(PANEL)
    painter.drawRoundedRect(QRectF(cx - 16, top - 4, 32, 50), 3, 3)
    painter.setBrush(QColor("#333333"))
    painter.drawPolygon(QPolygonF([QPointF(cx, top + 16), QPointF(cx - 7, top + 34),
                                   QPointF(cx, top + 29), QPointF(cx + 7, top + 34)]))
    painter.setPen(QColor("#333333"))
    painter.setFont(label_font(11, bold=True))
    painter.drawText(QRectF(cx - 10, top - 2, 20, 16), Qt.AlignmentFlag.AlignCenter, "N")


def draw_notice(painter: QPainter, text: str) -> None:
    """An amber notice in the top-left corner, e.g. that boundaries are schematic."""
    font = label_font(12, bold=True)
    painter.setFont(font)
    box = QFontMetricsF(font).boundingRect(text)
    rect = QRectF(12, 12, box.width() + 20, box.height() + 10)
    painter.setPen(QPen(QColor("#C8962E"), 1))
    painter.setBrush(QColor(255, 244, 214, 235))
    painter.drawRoundedRect(rect, 4, 4)
    painter.setPen(QColor("#6B4A00"))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
