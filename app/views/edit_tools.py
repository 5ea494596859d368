"""Map tools that edit with a drawn line: split a feature along it, or reshape its outline by it;
and a vertex at typed coordinates. The line is drawn like a new line feature (clicks, snapping,
Backspace, Enter or double-click to finish, Esc to cancel, typed coordinates); the geometry work
is app.editing.ops, the edit itself an undoable command run by the main window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog
from shapely.geometry import LineString

from app.editing import geometry as G
from app.editing import ops
from app.editing.commands import MergeFeatures, SetAttribute, SplitFeature, check_mergeable
from app.editing.expression import select_where
from app.editing.geometry import GK_ZONES, SNAP_MODES, SnapOptions
from app.editing.store import editable
from app.model.coords import city_epsg
from app.model.feature import Feature
from app.views import settings
from app.views.edit_dialogs import (
    CoordinateDialog,
    ExpressionDialog,
    FieldCalculatorDialog,
    SnappingDialog,
    error_text,
)
from app.views.i18n import tr
from app.views.map_tools import DrawTool, Tool

if TYPE_CHECKING:
    from app.views.main_window import MainWindow
    from app.views.map_view import MapView

AREA_MARGIN = 1.0  # degrees around the project's extent where typed points are believed


class LineEditTool(DrawTool):
    """Draws a line, then edits the selected feature (or the one feature of the active layer
    the line meets) with it."""

    def __init__(self, view: MapView) -> None:
        super().__init__(view, "", 1)
        view.message.emit(self.hint())

    def hint(self) -> str:
        raise NotImplementedError

    def finish(self) -> None:
        if not self.sketch.can_finish():
            return
        line = LineString(self.sketch.rings[0])
        self.cancel()  # a fresh sketch for the next line
        feature = self.target(line)
        if feature is None:
            return
        try:
            self.apply(feature, line)
        except ops.EditRefused as exc:
            self.view.message.emit(error_text(exc))

    def target(self, line: LineString) -> Feature | None:
        feature = self.view.selected_feature()
        if feature is None:
            index = self.view.store.layers.get(self.view.active_layer or "")
            hits = [index.features[u] for u in index.query(line.bounds)] if index else []
            hits = [f for f in hits if f.geometry.intersects(line)]
            if len(hits) != 1:
                self.view.message.emit(tr("Select the feature to edit first (the line meets {} features)")
                                       .format(len(hits)))
                return None
            feature = hits[0]
        if not self.view.is_editable(feature):
            self.view.message.emit(tr("This feature belongs to another party and cannot be edited."))
            return None
        return feature

    def apply(self, feature: Feature, line: LineString) -> None:
        raise NotImplementedError


class SplitTool(LineEditTool):
    """Cut a polygon or line feature in two (or more) along the drawn line."""

    tool = Tool.SPLIT

    def hint(self) -> str:
        return tr("Split: draw a line across the selected feature; double-click or Enter to cut, Esc to cancel.")

    def apply(self, feature: Feature, line: LineString) -> None:
        ops.split(feature.geometry, line)  # refuse at once when the line cuts nothing
        self.view.split_drawn.emit(feature.layer, feature.uuid, line)


class ReshapeTool(LineEditTool):
    """Replace the stretch of the outline between the line's two meetings with it."""

    tool = Tool.RESHAPE

    def hint(self) -> str:
        return tr("Reshape: draw the new stretch of outline from edge to edge; double-click or Enter to apply.")

    def apply(self, feature: Feature, line: LineString) -> None:
        self.view.geometry_edited.emit(feature.layer, feature.uuid, ops.reshape(feature.geometry, line))


EDIT_TOOLS = {Tool.SPLIT: SplitTool, Tool.RESHAPE: ReshapeTool}


def add_typed_vertex(view: MapView, at: G.Coord) -> bool:
    """Use typed coordinates: a vertex of the line or shape being drawn, or (vertex tool) a new
    vertex of the selected feature on its nearest edge. False when no tool takes one."""
    tool = view.tool_object
    if isinstance(tool, DrawTool):
        tool.add_typed(at)
        return True
    feature = view.selected_feature()
    if view.tool != Tool.VERTEX or feature is None or not view.is_editable(feature) or feature.geometry.geom_type \
            in ("Point", "MultiPoint"):
        return False
    ref, _ = G.nearest_segment(feature.geometry, at, float("inf"))
    view.geometry_edited.emit(feature.layer, feature.uuid, G.insert_vertex(feature.geometry, ref, at))
    return True


class EditOperations(QObject):
    """Runs the editing operations of the Edit and Tools menus for a main window: split (from
    the split tool), merge, snapping options, typed coordinates, select by expression and the
    field calculator. Every change is an undoable command through the window's Edits."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: QDialog | None = None  # the last dialog opened (tests fill it in)
        window.map.split_drawn.connect(self.split)
        window.map.snapping = load_snapping()

    def _say(self, text: str) -> None:
        self.window.show_message(text)

    def _selected(self) -> list[Feature]:
        s, store = self.window.selection, self.window.store
        return [f for f in (store.get(s.layer, u) for u in s.uuids) if f is not None] if s.layer else []

    def _all_editable(self, features: list[Feature]) -> bool:
        p = self.window.project
        return all(editable(f, p.party, p.role) for f in features)

    def _after(self, command, then) -> None:
        """Call `then` once `command` has landed (not if it was refused)."""
        edits = self.window.edits

        def landed() -> None:
            top = edits.stack.command(edits.stack.index() - 1)
            if getattr(top, "command", None) is command:
                stop()
                then()

        def refused(which, exc) -> None:
            if which is command:
                stop()

        def stop() -> None:
            edits.applied.disconnect(landed)
            edits.refused.disconnect(refused)

        edits.applied.connect(landed)
        edits.refused.connect(refused)

    # -- split and merge ---------------------------------------------------------------------

    def split(self, code: str, uuid: str, line) -> None:
        feature = self.window.store.get(code, uuid)
        if feature is None:
            return
        command = SplitFeature(feature, line)
        self._after(command, lambda: self._split_done(command))
        self.window.edits.submit(command)

    def _split_done(self, command: SplitFeature) -> None:
        b = command.before
        self.window.selection.set(b.layer, [b.uuid, *(u for u, _ in command.new)])
        ids = ", ".join(str(a.get("BSM", "")) for _, a in command.new if a.get("BSM"))
        text = tr("Split into {} features.").format(len(command.new) + 1)
        self._say(text + (" " + tr("New pieces got the identifiers {}; edit them in the form if needed.")
                          .format(ids) if ids else ""))

    def merge_selected(self) -> None:
        features = self._selected()
        if len(features) < 2:
            self._say(tr("Select at least two features of one layer to merge."))
            return
        if not self._all_editable(features):
            self._say(tr("Some selected features belong to another party and cannot be merged."))
            return
        try:
            check_mergeable(features)
        except ops.EditRefused as exc:
            self._say(error_text(exc))
            return
        command = MergeFeatures(features)
        self._after(command, lambda: self.window.selection.set(features[0].layer, [features[0].uuid]))
        self.window.edits.submit(command)

    # -- dialogs -----------------------------------------------------------------------------

    def _open(self, dialog: QDialog, accepted=None) -> QDialog:
        if accepted is not None:
            dialog.accepted.connect(accepted)
        self.dialog = dialog
        dialog.open()  # window-modal, without a nested event loop
        return dialog

    def open_snapping(self) -> QDialog:
        m = self.window.map
        dialog = SnappingDialog(m.snapping, self.window)

        def accepted() -> None:
            m.snapping = dialog.options()
            save_snapping(m.snapping)
        return self._open(dialog, accepted)

    def enter_coordinates(self) -> QDialog | None:
        m = self.window.map
        if self.window.project is None or m.tool not in (Tool.DRAW, Tool.SPLIT, Tool.RESHAPE, Tool.VERTEX):
            self._say(tr("Typed coordinates need the draw, split, reshape or vertex tool."))
            return None
        centre = m.projection.to_lonlat(m.visible_scene_rect().center())
        zone = city_epsg(self.window.project.party, centre[0])
        x0, y0, x1, y1 = self.window.project.home
        area = (x0 - AREA_MARGIN, y0 - AREA_MARGIN, x1 + AREA_MARGIN, y1 + AREA_MARGIN)
        dialog = CoordinateDialog(centre, zone if zone in GK_ZONES else GK_ZONES[0], area, self.window)

        def add() -> None:
            if not add_typed_vertex(m, dialog.coordinate()):
                self._say(tr("Select one feature you may edit to add a vertex to."))
        return self._open(dialog, add)

    def select_by_expression(self) -> QDialog | None:
        code, project = self.window.map.active_layer, self.window.project
        if project is None or code is None:
            return None
        dialog = ExpressionDialog(project.catalogue.layer(code), self.window.store.count(code), self.window)
        dialog.run_requested.connect(lambda text, mode: self._select(dialog, code, text, mode))
        self.dialog = dialog
        dialog.show()  # stays open beside the map to refine the condition
        return dialog

    def _select(self, dialog, code: str, text: str, mode: str = "new") -> None:
        def done(found) -> None:
            s = self.window.selection
            current = s.uuids if s.layer == found.layer else ()
            if mode == "add":
                uuids = (*current, *found.uuids)
            elif mode == "within":
                hits = set(found.uuids)
                uuids = tuple(u for u in current if u in hits)
            else:
                uuids = found.uuids
            s.set(found.layer, uuids)
            dialog.show_result(found, len(s.uuids))
        self.window.worker.call(select_where, code, text, done=done, error=dialog.show_error,
                                name="select_where")

    def field_calculator(self) -> QDialog | None:
        features, project = self._selected(), self.window.project
        if not features:
            self._say(tr("Select the features to change first."))
            return None
        if not self._all_editable(features):
            self._say(tr("Some selected features belong to another party and cannot be changed."))
            return None
        layer = project.catalogue.layer(features[0].layer)
        dialog = FieldCalculatorDialog(layer, project.catalogue, features, self.window)

        def apply() -> None:
            name, text, constant = dialog.choice()
            # As they are now: undo puts back exactly these values, even after other edits.
            now = [f for f in (self.window.store.get(g.layer, g.uuid) for g in features) if f is not None]
            if now:
                self.window.edits.submit(SetAttribute(now, name, formula=(text, constant)))
        return self._open(dialog, apply)


def load_snapping() -> SnapOptions:
    """The snapping options last chosen (vertex snapping within 8 px at first)."""
    store, default = settings.settings(), SnapOptions()
    mode = str(store.value("snapping/mode", default.mode))
    try:
        pixels = int(store.value("snapping/pixels", default.pixels))
    except (TypeError, ValueError):
        pixels = default.pixels
    return SnapOptions(mode if mode in SNAP_MODES else default.mode, min(max(pixels, 1), 50))


def save_snapping(options: SnapOptions) -> None:
    store = settings.settings()
    store.setValue("snapping/mode", options.mode)
    store.setValue("snapping/pixels", options.pixels)


def texts() -> dict[str, str]:
    """Menu texts of the editing operations (merged into app.views.menus.texts)."""
    return {"split": tr("Split feature"), "reshape": tr("Reshape feature"), "merge": tr("Merge selected features"),
            "select_expr": tr("Select by expression…"), "field_calc": tr("Field calculator…"),
            "coords": tr("Enter coordinates…"), "snapping": tr("Snapping options…")}


EDIT_SHORTCUTS = {"merge": "Ctrl+Shift+G", "select_expr": "Ctrl+F3", "field_calc": "Ctrl+Shift+F",
                  "coords": "Ctrl+Shift+E"}
TOOL_KEYS = {Tool.SPLIT: "K", Tool.RESHAPE: "R"}  # K as in knife


def edit_actions(w: MainWindow) -> dict[str, QAction]:
    """The Edit and Tools menu actions of the editing operations (not the tool switches)."""
    ops_ = w.edit_ops
    slots = {"merge": ops_.merge_selected, "select_expr": ops_.select_by_expression,
             "field_calc": ops_.field_calculator, "coords": ops_.enter_coordinates,
             "snapping": ops_.open_snapping}
    out = {}
    for name, slot in slots.items():
        action = QAction(w)
        action.setObjectName(name)
        if name in EDIT_SHORTCUTS:
            action.setShortcut(QKeySequence(EDIT_SHORTCUTS[name]))
        action.triggered.connect(lambda _=False, s=slot: s())
        out[name] = action
    return out
