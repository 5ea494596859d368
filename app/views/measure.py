"""Measuring on the map: click points, read the geodesic distance (line) or area (polygon) on
the CGCS2000 ellipsoid live as the cursor moves. Double-click or right-click finishes, Esc
clears, A switches distance ↔ area; a small panel over the map shows the result and copies it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGraphicsItem,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.model import geodesy, units
from app.views import i18n
from app.views.i18n import tr
from app.views.map_tools import BaseTool, Tool

if TYPE_CHECKING:
    from app.views.map_view import MapView

Coord = tuple[float, float]
COLOUR = QColor("#1971C2")
LINE, AREA = "line", "area"
PANEL_POS_PX = (10, 44)  # top left, below the map's schematic-data banner


class Measurement:
    """The points clicked so far, the live cursor and whether the user finished."""

    def __init__(self, mode: str = LINE) -> None:
        self.mode = mode
        self.points: list[Coord] = []
        self.cursor: Coord | None = None
        self.finished = False

    def add(self, xy: Coord) -> None:
        if self.finished:  # a click after finishing starts a new measurement
            self.points, self.finished = [], False
        self.points.append(xy)

    def coords(self) -> list[Coord]:
        """The points with the live cursor as the next one (until finished)."""
        live = self.cursor is not None and not self.finished and self.points
        return [*self.points, self.cursor] if live else list(self.points)

    def length_m(self) -> float:
        return geodesy.path_length_m(self.coords())

    def area_perimeter(self) -> tuple[float, float]:
        return geodesy.ring_area_perimeter(self.coords())

    def short(self, lang: str) -> str:
        """The running total for the label on the map: length, or area in m² and 公顷."""
        if self.mode == LINE:
            return units.format_length(self.length_m(), lang)
        area = self.area_perimeter()[0]
        return f"{units.format_area_unit(area, 'm2', lang)} ({units.format_area_unit(area, 'ha', lang)})"

    def lines(self, lang: str) -> list[str]:
        """The result as text lines in `lang` (empty before the first point)."""
        if not self.points:
            return []
        if self.mode == LINE:
            return [tr("Distance: {}").format(units.format_length(self.length_m(), lang))]
        area, perimeter = self.area_perimeter()
        parts = [units.format_area_unit(area, unit, lang) for _, unit in units.area_parts(area)]
        return [tr("Area: {}").format(parts[0]), *(f"  = {p}" for p in parts[1:]),
                tr("Perimeter: {}").format(units.format_length(perimeter, lang))]


class MeasureItem(QGraphicsItem):
    """The measured line or polygon over the map, with its running total next to the cursor."""

    def __init__(self, view: MapView, measurement: Measurement) -> None:
        super().__init__()
        self.setZValue(5001)  # above the editing marks
        self.view, self.measurement = view, measurement

    def boundingRect(self) -> QRectF:
        return QRectF(-1e6, -1e6, 2e6, 2e6)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        points = [self.view.projection.to_scene(*xy) for xy in self.measurement.coords()]
        if not points:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        path = QPainterPath(points[0])
        for p in points[1:]:
            path.lineTo(p)
        area = self.measurement.mode == AREA
        if area and len(points) > 2:
            path.closeSubpath()
        pen = QPen(COLOUR, 2)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(QColor(25, 113, 194, 50) if area else Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        self._paint_marks(painter, points)

    def _paint_marks(self, painter: QPainter, points: list[QPointF]) -> None:
        """Vertices and the result text in pixels, whatever the zoom."""
        world = painter.worldTransform()
        painter.save()
        painter.resetTransform()
        painter.setPen(QPen(COLOUR, 1.5))
        painter.setBrush(QColor("white"))
        for p in points:
            painter.drawEllipse(world.map(p), 3.5, 3.5)
        if len(points) > 1:
            text = self.measurement.short(i18n.lang())
            at = world.map(points[-1]) + QPointF(10, -10)
            box = painter.fontMetrics().boundingRect(text).adjusted(-4, -2, 4, 2).translated(at.toPoint())
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(255, 255, 255, 220))
            painter.drawRoundedRect(box, 3, 3)
            painter.setPen(QColor("#1B1B1B"))
            painter.drawText(at, text)
        painter.restore()


class MeasurePanel(QFrame):
    """Mode, result and copy/clear buttons, floating in the map's top-left corner."""

    mode_changed = Signal(str)
    clear_requested = Signal()
    retranslated = Signal()  # the result's units follow the language too

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("measure_panel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#measure_panel { background: rgba(255, 255, 255, 235); border: 1px solid #adb5bd;"
                           " border-radius: 4px; }")
        self.mode = QComboBox()
        self.mode.addItems(["", ""])
        self.mode.currentIndexChanged.connect(lambda i: self.mode_changed.emit((LINE, AREA)[i]))
        self.copy, self.clear = QPushButton(), QPushButton()
        self.copy.clicked.connect(self.copy_result)
        self.clear.clicked.connect(self.clear_requested)
        self.result, self.hint = QLabel(), QLabel()
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.setMinimumWidth(260)
        self.hint.setStyleSheet("color: #495057; font-size: 11px;")
        self.hint.setWordWrap(True)
        row = QHBoxLayout()
        for widget in (self.mode, self.copy, self.clear):
            row.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.result)
        layout.addWidget(self.hint)
        self.move(*PANEL_POS_PX)
        self.retranslate()

    @property
    def current_mode(self) -> str:
        return (LINE, AREA)[self.mode.currentIndex()]

    def toggle_mode(self) -> None:
        self.mode.setCurrentIndex(1 - self.mode.currentIndex())

    def show_result(self, lines: list[str]) -> None:
        self.result.setText("\n".join(lines) or tr("Click on the map to start measuring."))
        self.adjustSize()

    def copy_result(self) -> None:
        QGuiApplication.clipboard().setText(self.result.text())

    def retranslate(self) -> None:
        self.mode.setItemText(0, tr("Distance"))
        self.mode.setItemText(1, tr("Area"))
        self.copy.setText(tr("Copy"))
        self.clear.setText(tr("Clear"))
        self.hint.setText(tr("Click to add points; double-click or right-click finishes; "
                             "Esc clears; A switches distance/area."))
        self.adjustSize()
        self.retranslated.emit()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class MeasureTool(BaseTool):
    """Click points (snapped to visible vertices); the panel and the map show the running total."""

    tool, pans = Tool.MEASURE, False

    def __init__(self, view: MapView) -> None:
        super().__init__(view)
        # One panel per map, kept between uses so the chosen mode stays.
        self.panel = view.findChild(MeasurePanel) or MeasurePanel(view)
        self.measurement = Measurement(self.panel.current_mode)
        self.item = MeasureItem(view, self.measurement)
        view.scene().addItem(self.item)
        self.panel.mode_changed.connect(self._on_mode)
        self.panel.clear_requested.connect(self.clear)
        self.panel.retranslated.connect(self._refresh)
        self.panel.show()
        self.panel.raise_()
        self._refresh()

    def press(self, pos, button, modifiers) -> bool:
        if button == Qt.MouseButton.RightButton:
            self.measurement.finished = bool(self.measurement.points)
        elif button == Qt.MouseButton.LeftButton:
            self.measurement.add(self.view.snapped(pos))
        else:
            return False
        self._refresh()
        return True

    def move(self, pos, buttons) -> bool:
        self.measurement.cursor = self.view.snapped(pos)  # also shows the snap marker
        self.view.overlay.update()
        self._refresh()
        return False  # the view still reports the cursor position

    def release(self, pos, button, modifiers) -> bool:
        return button in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton)

    def double_click(self, pos) -> bool:
        # The double-click's first press already added the last point.
        self.measurement.finished = bool(self.measurement.points)
        self._refresh()
        return True

    def key(self, key: int) -> bool:
        if key == Qt.Key.Key_Escape:
            self.clear()
        elif key == Qt.Key.Key_A:
            self.panel.toggle_mode()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.double_click(None)
        else:
            return False
        return True

    def clear(self) -> None:
        """Forget the points (Esc, the Clear button)."""
        self.measurement.points, self.measurement.finished = [], False
        self._refresh()

    def _on_mode(self, mode: str) -> None:
        self.measurement.mode = mode
        self._refresh()

    def _refresh(self) -> None:
        self.panel.show_result(self.measurement.lines(i18n.lang()))
        self.item.update()

    def cancel(self) -> None:
        """The tool is switched off: take the drawing and the panel away (once)."""
        if self.item.scene() is None:
            return
        self.panel.mode_changed.disconnect(self._on_mode)
        self.panel.clear_requested.disconnect(self.clear)
        self.panel.retranslated.disconnect(self._refresh)
        self.panel.hide()
        self.item.scene().removeItem(self.item)
