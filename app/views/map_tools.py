"""Map tools: what a click, a drag or a key means in each mode (select, identify, draw, edit
vertices). Geometry work is delegated to app.editing.geometry; the tools only translate
events into lon/lat, ask the view for snapping and tolerances, and emit the outcome."""

from __future__ import annotations

import dataclasses
import enum
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt

from app.editing import geometry as G
from app.editing.geometry import Sketch
from app.views.i18n import tr

if TYPE_CHECKING:
    from app.views.map_view import MapView

DRAG_PX = 4  # movement that turns a click into a drag


class Tool(enum.Enum):
    PAN = "pan"
    SELECT = "select"
    IDENTIFY = "identify"
    DRAW = "draw"
    VERTEX = "vertex"
    MEASURE = "measure"  # app.views.measure.MeasureTool
    SPLIT = "split"  # app.views.edit_tools.SplitTool
    RESHAPE = "reshape"  # app.views.edit_tools.ReshapeTool


class BaseTool:
    """Does nothing: the view pans (drag) and zooms (wheel)."""

    tool = Tool.PAN
    pans = True  # the view's hand-drag stays on

    def __init__(self, view: MapView) -> None:
        self.view = view

    def press(self, pos: QPointF, button, modifiers) -> bool:
        return False

    def move(self, pos: QPointF, buttons) -> bool:
        return False

    def release(self, pos: QPointF, button, modifiers) -> bool:
        return False

    def double_click(self, pos: QPointF) -> bool:
        return False

    def key(self, key: int) -> bool:
        return False

    def cancel(self) -> None:
        """Drop any half-done work (tool switched, Esc)."""


class SelectTool(BaseTool):
    """Click selects the top feature under the cursor, drag selects by rectangle; Ctrl toggles."""

    tool, pans = Tool.SELECT, False

    def __init__(self, view: MapView) -> None:
        super().__init__(view)
        self._start: QPointF | None = None

    def press(self, pos, button, modifiers) -> bool:
        if button != Qt.MouseButton.LeftButton:
            return False
        self._start = pos
        return True

    def move(self, pos, buttons) -> bool:
        if self._start is None or (pos - self._start).manhattanLength() < DRAG_PX:
            return False
        a, b = self.view.mapToScene(self._start.toPoint()), self.view.mapToScene(pos.toPoint())
        self.view.overlay.band = QRectF(a, b).normalized()
        self.view.overlay.update()
        return True

    def release(self, pos, button, modifiers) -> bool:
        if self._start is None:
            return False
        band, self._start = self.view.overlay.band, None
        self.view.overlay.band = None
        self.view.overlay.update()
        toggle = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
        if band is not None:
            self.view.select_in_rect(band)
        else:
            self.view.select_at(pos, toggle=toggle)
        return True

    def cancel(self) -> None:
        self._start, self.view.overlay.band = None, None


class IdentifyTool(SelectTool):
    """Click lists every visible feature under the cursor (and selects the top one)."""

    tool = Tool.IDENTIFY

    def move(self, pos, buttons) -> bool:
        return False  # no selection rectangle: identify is a click

    def release(self, pos, button, modifiers) -> bool:
        if self._start is None:
            return False
        self._start = None
        self.view.identify_at(pos)
        return True


class DrawTool(BaseTool):
    """Click adds a (snapped) vertex; double-click or Enter finishes; Backspace removes the last
    vertex; H starts a hole in a polygon; Esc cancels."""

    tool, pans = Tool.DRAW, False

    def __init__(self, view: MapView, layer: str, dimension: int) -> None:
        super().__init__(view)
        self.layer, self.sketch = layer, Sketch(dimension)
        view.overlay.sketch = self.sketch

    def press(self, pos, button, modifiers) -> bool:
        if button != Qt.MouseButton.LeftButton:
            return False
        if self.sketch.add(self.view.snapped(pos)):
            self.finish()
        self.view.overlay.update()
        return True

    def move(self, pos, buttons) -> bool:
        self.view.overlay.cursor = self.view.snapped(pos)
        self.view.overlay.update()
        return False  # let the view report the cursor position

    def double_click(self, pos) -> bool:
        # The double-click's first press already added the vertex.
        self.finish()
        return True

    def key(self, key: int) -> bool:
        actions = {Qt.Key.Key_Return: self.finish, Qt.Key.Key_Enter: self.finish,
                   Qt.Key.Key_Backspace: self.sketch.undo_last, Qt.Key.Key_Escape: self.cancel,
                   Qt.Key.Key_H: self.sketch.start_hole}
        action = actions.get(Qt.Key(key))
        if action is None:
            return False
        action()
        self.view.overlay.update()
        return True

    def add_typed(self, point: G.Coord) -> None:
        """Add a vertex at coordinates typed by the user (app.views.edit_dialogs)."""
        if self.sketch.add(point):
            self.finish()
        self.view.overlay.update()

    def finish(self) -> None:
        if not self.sketch.can_finish():
            return
        geometry = self.sketch.geometry()
        self.sketch = Sketch(self.sketch.dimension)
        self.view.overlay.sketch = self.sketch
        self.view.sketch_finished.emit(self.layer, geometry)

    def cancel(self) -> None:
        self.sketch = Sketch(self.sketch.dimension)
        self.view.overlay.sketch = self.sketch
        self.view.overlay.update()


class VertexTool(BaseTool):
    """On the selected feature (if editable): drag a vertex to move it, double-click a segment
    to add one, right-click a vertex (or hover it and press Delete) to remove it."""

    tool, pans = Tool.VERTEX, False

    def __init__(self, view: MapView) -> None:
        super().__init__(view)
        self._dragging: G.VertexRef | None = None
        self._hover: QPointF | None = None

    def _target(self):
        feature = self.view.selected_feature()
        return feature if feature is not None and self.view.is_editable(feature) else None

    def press(self, pos, button, modifiers) -> bool:
        feature = self._target()
        if feature is None:
            return False
        ref = G.nearest_vertex(feature.geometry, self.view.lonlat(pos), self.view.tolerance())
        if ref is None:
            return False
        if button == Qt.MouseButton.RightButton:
            self._delete(feature, ref)
        else:
            self._dragging = ref
        return True

    def move(self, pos, buttons) -> bool:
        self._hover = pos
        if self._dragging is None:
            return False
        feature = self._target()
        moved = G.move_vertex(feature.geometry, self._dragging, self.view.snapped(pos, exclude=feature))
        self.view.overlay.set_handles(dataclasses.replace(feature, geometry=moved))
        return False

    def release(self, pos, button, modifiers) -> bool:
        if self._dragging is None:
            return False
        ref, self._dragging = self._dragging, None
        feature = self._target()
        to = self.view.snapped(pos, exclude=feature)
        self.view.geometry_edited.emit(feature.layer, feature.uuid, G.move_vertex(feature.geometry, ref, to))
        return True

    def double_click(self, pos) -> bool:
        feature = self._target()
        if feature is None:
            return False
        hit = G.nearest_segment(feature.geometry, self.view.lonlat(pos), self.view.tolerance())
        if hit is None:
            return False
        ref, at = hit
        self.view.geometry_edited.emit(feature.layer, feature.uuid, G.insert_vertex(feature.geometry, ref, at))
        return True

    def key(self, key: int) -> bool:
        feature = self._target()
        if key != Qt.Key.Key_Delete or feature is None or self._hover is None:
            return False
        ref = G.nearest_vertex(feature.geometry, self.view.lonlat(self._hover), self.view.tolerance())
        if ref is not None:
            self._delete(feature, ref)
        return ref is not None

    def _delete(self, feature, ref) -> None:
        geometry = G.delete_vertex(feature.geometry, ref)
        if geometry is None:
            self.view.message.emit(tr("A ring needs at least three vertices"))
            return
        self.view.geometry_edited.emit(feature.layer, feature.uuid, geometry)

    def cancel(self) -> None:
        self._dragging = None
