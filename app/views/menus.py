"""Menus, toolbar and keyboard shortcuts of the main window, table-driven so that a language
switch only re-reads the texts (`texts()` holds every literal for pyside6-lupdate)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from app.views.basemap_dialog import add_basemap_action
from app.views.basemap_dialog import texts as basemap_texts
from app.views.checkin_dialog import open_checkin
from app.views.coord_display import add_coordinate_menu
from app.views.coord_display import texts as coordinate_texts
from app.views.edit_tools import TOOL_KEYS, edit_actions
from app.views.edit_tools import texts as edit_texts
from app.views.i18n import tr
from app.views.implement_dashboard import open_dashboard
from app.views.label_settings import add_label_action
from app.views.label_settings import texts as label_texts
from app.views.map_tools import Tool
from app.views.progress_dialog import open_progress_dialog, run_implement_sync

if TYPE_CHECKING:
    from app.views.main_window import MainWindow

Std = QKeySequence.StandardKey


def texts() -> dict[str, str]:
    """Menu and action texts in the current language."""
    return {
        "m_file": tr("&File"), "m_edit": tr("&Edit"), "m_view": tr("&View"), "m_tools": tr("&Tools"),
        "m_sync": tr("&Sync"), "m_lang": tr("&Language"), "m_recent": tr("Recent projects"),
        "open": tr("Open project…"), "import": tr("Import…"), "export": tr("Export…"),
        "quit": tr("Quit"), "undo": tr("Undo"), "redo": tr("Redo"),
        "delete": tr("Delete selected features"), "home": tr("Full extent"), "zoom_in": tr("Zoom in"),
        "zoom_out": tr("Zoom out"), "zoom_layer": tr("Zoom to layer"),
        "zoom_selection": tr("Zoom to selection"), "pan": tr("Pan"), "select": tr("Select"),
        "identify": tr("Identify"), "draw": tr("Draw feature"), "vertex": tr("Edit vertices"),
        "push": tr("Push"), "pull": tr("Pull"), "sync": tr("Sync"), "conflicts": tr("Conflicts"),
        "checkin": tr("Data check-in…"),
        "m_review": tr("&Review"), "comments": tr("Comments"), "new_comment": tr("New comment on selection…"),
        "review_sync": tr("Review sync"), "archive": tr("Open review archive…"),
        "dashboard": tr("Round dashboard"), "signoff": tr("Joint sign-off…"),
        "round_manager": tr("Round manager…"),
        "answers": tr("Answers to my comments"), "no_comment": tr("No comment on a round…"),
        "m_analysis": tr("&Analysis"), "check": tr("Conflict check"),
        "check_files": tr("Check several projects…"), "indicators": tr("Indicators"),
        "m_content": tr("&Plan text"), "plan_text": tr("Edit plan text"),
        "publish": tr("Publish outputs…"),
        "m_implement": tr("&Implementation"), "impl_dashboard": tr("Implementation dashboard…"),
        "impl_report": tr("Write progress report…"), "impl_sync": tr("Implementation sync"),
        "measure": tr("Measure"), **coordinate_texts(), **basemap_texts(), **label_texts(), **edit_texts(),
        "zh": "中文", "en": "English",
    }


def _action(window: MainWindow, name: str, slot, shortcut=None, checkable: bool = False) -> QAction:
    action = QAction(window)
    action.setObjectName(name)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.setCheckable(checkable)
    action.triggered.connect(slot)
    return action


def build_menus(window: MainWindow) -> dict[str, QAction]:
    """Create the menus and the toolbar; returns the actions by name."""
    w, m = window, window.map
    actions = {
        "open": _action(w, "open", w.choose_project, Std.Open),
        "import": _action(w, "import", lambda: w.transfer(False), "Ctrl+I"),
        "export": _action(w, "export", lambda: w.transfer(True), "Ctrl+E"),
        "quit": _action(w, "quit", w.close, Std.Quit),
        "undo": w.edits.stack.createUndoAction(w),
        "redo": w.edits.stack.createRedoAction(w),
        "delete": _action(w, "delete", w.delete_selected, Std.Delete),
        "home": _action(w, "home", m.zoom_to_home, "Home"),
        "zoom_in": _action(w, "zoom_in", w.zoom_in, Std.ZoomIn),
        "zoom_out": _action(w, "zoom_out", w.zoom_out, Std.ZoomOut),
        "zoom_layer": _action(w, "zoom_layer", w.zoom_to_layer, "Ctrl+Shift+L"),
        "zoom_selection": _action(w, "zoom_selection", w.zoom_to_selection, "Ctrl+J"),
        "push": _action(w, "push", lambda: w.run_sync("push"), "Ctrl+Shift+P"),
        "pull": _action(w, "pull", lambda: w.run_sync("pull"), "Ctrl+Shift+U"),
        "sync": _action(w, "sync", lambda: w.run_sync("sync"), "F5"),
        "conflicts": _action(w, "conflicts", w.load_conflicts, "Ctrl+Shift+K"),
        "checkin": _action(w, "checkin", lambda: open_checkin(w)),
    }
    actions.update(_review_actions(w))
    actions.update(_implement_actions(w))
    actions["plan_text"] = _action(w, "plan_text", w.content.show_panel, "Ctrl+Shift+T")
    actions["publish"] = _action(w, "publish", w.content.open_publish, "Ctrl+Shift+B")
    actions["undo"].setShortcut(Std.Undo)
    actions["redo"].setShortcuts([QKeySequence(Std.Redo), QKeySequence("Ctrl+Y")])
    actions.update(_tool_actions(w))
    actions.update(edit_actions(w))  # merge, select by expression, field calculator… (#12)
    actions.update(_language_actions(w))
    _fill_menus(w, actions)
    actions.update(add_coordinate_menu(w))
    actions.update(add_basemap_action(w))
    actions.update(add_label_action(w))
    return actions


def _review_actions(w: MainWindow) -> dict[str, QAction]:
    """Comment rounds, sign-off, conflict check and indicators (issues #5 and #7)."""
    r, a = w.review, w.analysis
    return {
        "comments": _action(w, "comments", lambda: w.show_dock("review"), "Ctrl+Shift+M"),
        "new_comment": _action(w, "new_comment", r.comment_on_selection, "Ctrl+Shift+N"),
        "review_sync": _action(w, "review_sync", r.sync, "Shift+F5"),
        "archive": _action(w, "archive", r.panel.choose_archive),
        "dashboard": _action(w, "dashboard", r.show_dashboard),
        "signoff": _action(w, "signoff", lambda: r.open_signoff()),
        "round_manager": _action(w, "round_manager", r.open_round_manager),
        "answers": _action(w, "answers", w.party.show_panel),
        "no_comment": _action(w, "no_comment", lambda: w.party.no_comment()),
        "check": _action(w, "check", lambda: w.show_dock("check"), "Ctrl+Shift+C"),
        "check_files": _action(w, "check_files", a.check_files),
        "indicators": _action(w, "indicators", lambda: w.show_dock("indicators")),
    }


def _implement_actions(w: MainWindow) -> dict[str, QAction]:
    """Implementation tracking (#16): the dashboard, the party's progress report, the sync."""
    return {"impl_dashboard": _action(w, "impl_dashboard", lambda: open_dashboard(w)),
            "impl_report": _action(w, "impl_report", lambda: open_progress_dialog(w)),
            "impl_sync": _action(w, "impl_sync", lambda: run_implement_sync(w))}


def _tool_actions(w: MainWindow) -> dict[str, QAction]:
    group, out = QActionGroup(w), {}
    keys = {Tool.PAN: "P", Tool.SELECT: "S", Tool.IDENTIFY: "I", Tool.DRAW: "D", Tool.VERTEX: "V"}
    keys[Tool.MEASURE] = "M"
    keys.update(TOOL_KEYS)  # split, reshape
    for tool, key in keys.items():
        action = _action(w, tool.value, lambda _=False, t=tool: w.map.set_tool(t), key, checkable=True)
        group.addAction(action)
        out[tool.value] = action
    out["pan"].setChecked(True)
    return out


def _language_actions(w: MainWindow) -> dict[str, QAction]:
    group, out = QActionGroup(w), {}
    for code in ("zh", "en"):
        action = _action(w, f"lang_{code}", lambda _=False, c=code: w.set_language(c), checkable=True)
        group.addAction(action)
        out[code] = action
    return out


def _fill_menus(w: MainWindow, a: dict[str, QAction]) -> None:
    bar = w.menuBar()
    layout = {"m_file": ["open", "m_recent", None, "import", "export", None, "quit"],
              "m_edit": ["undo", "redo", None, "delete", "merge", None, "select_expr", "field_calc", None,
                         "coords"],
              "m_view": ["home", "zoom_in", "zoom_out", "zoom_layer", "zoom_selection"],
              "m_tools": ["pan", "select", "identify", "measure", "draw", "vertex", "split", "reshape", None,
                          "snapping"],
              "m_sync": ["sync", "push", "pull", "conflicts", None, "checkin"],
              "m_review": ["comments", "new_comment", "review_sync", "archive", None, "answers", "no_comment", None, "round_manager", "dashboard",
                           "signoff"],
              "m_analysis": ["check", "check_files", "indicators"],
              "m_content": ["plan_text", "publish"],
              "m_implement": ["impl_dashboard", "impl_report", None, "impl_sync"], "m_lang": ["zh", "en"]}
    w.menus = {}
    for menu_name, items in layout.items():
        menu = bar.addMenu("")
        w.menus[menu_name] = menu
        for item in items:
            if item is None:
                menu.addSeparator()
            elif item == "m_recent":
                w.recent_menu = w.menus["m_recent"] = menu.addMenu("")
            else:
                menu.addAction(a[item])
    toolbar = w.addToolBar("main")
    toolbar.setObjectName("main")
    for item in ("open", None, "undo", "redo", None, "pan", "select", "identify", "measure", "draw",
                 "vertex",
                 "delete", None, "home", "zoom_layer", "zoom_selection", None, "sync"):
        toolbar.addSeparator() if item is None else toolbar.addAction(a[item])


def retranslate_menus(w: MainWindow) -> None:
    t = texts()
    for name, menu in w.menus.items():
        menu.setTitle(t[name])
    for name, action in w.actions_by_name.items():
        if name in t and name not in ("undo", "redo"):  # the undo stack names those itself
            action.setText(t[name])
