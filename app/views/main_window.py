"""The main window: layer tree, map, attribute table, feature form, change log, sync panel and
the review and analysis panels as docks around the map; menus, shortcuts, status bar (party,
CRS, scale, cursor). Every DB, file and network step goes to the one DB worker; results come
back by signal."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QFileDialog, QLabel, QMainWindow, QTabWidget, QWidget

from app.editing import jobs
from app.editing.commands import AddFeature, DeleteFeatures, UpdateFeature
from app.editing.form import FormModel
from app.editing.selection import Selection
from app.editing.store import FeatureStore, editable
from app.messages import localize
from app.sync.replica import PushRefused
from app.views import dialogs, i18n, settings
from app.views.analysis_docks import AnalysisController
from app.views.attribute_table import AttributeTable
from app.views.change_log import ChangeLog, ChangeLogJobs
from app.views.content_docks import ContentController
from app.views.coord_display import CoordinateReadout
from app.views.edit_tools import EditOperations
from app.views.edits import Edits
from app.views.feature_form import FeatureForm
from app.views.fonts import install_cjk_font
from app.views.i18n import tr
from app.views.identify_panel import IdentifyPanel, reveal
from app.views.io_dialogs import TransferDialog
from app.views.layer_tree import LayerState, LayerTree
from app.views.legend import Legend
from app.views.loader import ProjectData, read_project
from app.views.map_marks import MapMarks
from app.views.map_tools import Tool
from app.views.map_view import ZOOM_STEP, MapView
from app.views.menus import build_menus, retranslate_menus, texts
from app.views.party_docks import PartyController
from app.views.review_docks import ReviewController
from app.views.sync_panel import SyncPanel
from app.views.unsaved import UnsavedWork
from app.views.window_fit import ReadOnlyBanner, above, fit_screen, hide_stale_tab_bars, scrolled
from app.views.worker import Cancelled, DbWorker, message_of

log = logging.getLogger(__name__)
CRS_TEXT = "EPSG:4490 CGCS2000"
# Off while the project is read-only (tools by their Tool value, then menu actions).
EDIT_ACTIONS = ("draw", "vertex", "split", "reshape", "delete", "import", "merge", "field_calc", "coords")


def _first_own_layer(data: ProjectData) -> str:
    """The layer to start with: the first holding the party's own features, else the first."""
    for d in data.layers:
        if any(f.owner == data.party for f in d.features):
            return d.layer.code
    return data.layers[0].layer.code


def role_text(role: str) -> str:
    return {"editor": tr("editor"), "coordinator": tr("coordinator")}.get(role, role)


class MainWindow(QMainWindow):
    """Shows one project at a time; `loaded` fires once its layers are on the map."""

    loaded = Signal(object)  # ProjectData
    failed = Signal(str)
    history_shown = Signal(object)  # HistorySnapshot
    sync_finished = Signal(object)  # result or exception
    conflicts_shown = Signal(list)

    def __init__(self, lang: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        install_cjk_font()
        i18n.install(lang or settings.language(i18n.system_language()))
        self.project: ProjectData | None = None
        self.worker = DbWorker(self)
        self.store, self.selection = FeatureStore(), Selection()
        self.state = LayerState(self)
        self.edits = Edits(self.worker, self.store, self)
        self._sync_job = None
        self.unsaved = UnsavedWork(self)
        self._closing = False  # the user has settled unsaved work: close for real
        self._refused: set[int] = set()  # ids of edit commands the worker refused
        self._build_widgets()
        self._build_docks()
        self.actions_by_name: dict[str, QAction] = build_menus(self)
        self._build_status_bar()
        self._connect()
        fit_screen(self, 1440, 900)
        self.retranslate()
        self._restore_state()

    # -- construction ----------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.map = MapView(self.store, self.selection, self)
        self.tree = LayerTree(self.state)
        self.table = AttributeTable(self.store, self.selection)
        self.form = FeatureForm(taken=self.store.taken)  # BSM unique within the layer
        self.change_log = ChangeLog()
        self.sync_panel = SyncPanel()
        self.marks = MapMarks(self.map)  # conflicts and anchors that are not project features
        self.edit_ops = EditOperations(self)  # split, merge, snapping, expressions (#12)
        self.review = ReviewController(self)
        self.analysis = AnalysisController(self, self.review)
        self.content = ContentController(self, self.review)
        self.party = PartyController(self, self.review)  # a party's answers and replies (#13)
        # The plan text takes the map's place when chosen: writing needs the room, and the
        # comment panel stays beside it.
        self.central = QTabWidget()
        self.central.setDocumentMode(True)
        self.central.addTab(self.map, "")
        self.central.addTab(self.content.panel, "")
        self.read_only_banner = ReadOnlyBanner()
        self.setCentralWidget(above(self.read_only_banner, self.central))

    def _dock(self, name: str, widget: QWidget, area, min_width: int = 0) -> QDockWidget:
        dock = QDockWidget(self)
        dock.setObjectName(name)
        dock.setWidget(scrolled(widget))  # tall panels scroll: the window fits 1366×768
        if min_width:
            dock.setMinimumWidth(min_width)
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        left, right, bottom = (Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea,
                               Qt.DockWidgetArea.BottomDockWidgetArea)
        self.docks = {"layers": self._dock("layers", self.tree, left, 280),
                      "form": self._dock("form", self.form, right, 340),
                      "sync": self._dock("sync", self.sync_panel, right, 340),
                      "review": self._dock("review", self.review.panel, right, 340),
                      "check": self._dock("check", self.analysis.check_panel, right, 340),
                      "table": self._dock("table", self.table, bottom),
                      "log": self._dock("log", self.change_log, bottom),
                      "rounds": self._dock("rounds", self.review.dashboard, bottom),
                      "indicators": self._dock("indicators", self.analysis.indicators, bottom)}
        self.identify = IdentifyPanel(self.map, self.store, self.selection)
        self.docks["identify"] = self._dock("identify", self.identify, right, 340)
        self.splitDockWidget(self.docks["form"], self.docks["identify"], Qt.Orientation.Vertical)
        self.docks["identify"].hide()  # until the first identify click
        self.identify.shown.connect(lambda _: reveal(self, self.docks["identify"]))
        self.legend = Legend(self.state, self.store)  # below the layer list
        self.docks["legend"] = self._dock("legend", self.legend, left, 280)
        self.splitDockWidget(self.docks["layers"], self.docks["legend"], Qt.Orientation.Vertical)
        self.loaded.connect(self.legend.show_project)
        self.docks["answers"] = self._dock("answers", self.party.panel, right, 340)
        for name in ("sync", "review", "answers", "check"):
            self.tabifyDockWidget(self.docks["form"], self.docks[name])
        for name in ("log", "rounds", "indicators"):
            self.tabifyDockWidget(self.docks["table"], self.docks[name])
        self.docks["form"].raise_()
        self.docks["table"].raise_()
        self.resizeDocks([self.docks["table"]], [230], Qt.Orientation.Vertical)

    def _build_status_bar(self) -> None:
        self.party_label, self.crs_label = QLabel(), QLabel(CRS_TEXT)
        self.scale_label, self.cursor_label = QLabel(), QLabel()
        self.cursor_label.setMinimumWidth(230)
        self.coords = CoordinateReadout(self.cursor_label, lambda: self.project)
        for label in (self.party_label, self.crs_label, self.scale_label, self.cursor_label):
            self.statusBar().addPermanentWidget(label)

    def _show_counts(self) -> None:
        for code in self._recount:
            self.tree.set_count(code, self.store.count(code))
        self._recount.clear()

    def _connect(self) -> None:
        self._recount: set[str] = set()
        self._recount_timer = QTimer(self, singleShot=True, interval=0, timeout=self._show_counts)
        self.state.visibility_changed.connect(self.map.set_layer_visible)  # state -> map
        self.tree.current_layer_changed.connect(self.set_active_layer)
        self.map.cursor_moved.connect(self._on_cursor_moved)
        self.map.scale_changed.connect(self._on_scale_changed)
        self.map.message.connect(self.show_message)
        self.map.sketch_finished.connect(self._on_sketch_finished)
        self.map.geometry_edited.connect(self._on_geometry_edited)
        self.selection.changed.connect(self._on_selection_changed)
        self.store.changed.connect(self._on_feature_changed)
        self.form.save_requested.connect(self._on_form_saved)
        self.form.cancel_requested.connect(lambda: self.form.set_model(None))
        self.table.model.edit_requested.connect(
            lambda feature, attrs: self.edits.submit(UpdateFeature(feature, attrs)))
        self.edits.applied.connect(self.refresh_history)
        self.edits.refused.connect(self._on_edit_refused)
        self.change_log.commit_requested.connect(self.commit)
        self.change_log.discard_requested.connect(self.discard)
        self.change_log_jobs = ChangeLogJobs(self)  # diffs and revert on the worker
        # Undo survives a commit and a push (undoing then makes a new inverse edit); anything that
        # reloads the project (pull, discard, revert, import) may have moved the features the
        # undo stack remembers, so the stack is cleared then.
        self.loaded.connect(lambda _data: self.edits.clear())
        self.sync_panel.login_requested.connect(self.login)
        self.sync_panel.run_requested.connect(self.run_sync)
        self.sync_panel.cancel_requested.connect(self.cancel_sync)
        self.sync_panel.conflicts_requested.connect(self.load_conflicts)
        self.sync_panel.resolve_requested.connect(self.resolve)
        self.sync_panel.drop_requested.connect(self.drop_changeset)

    def retranslate(self) -> None:
        """Every visible text in the current language (also after a switch)."""
        titles = {"layers": tr("Layers"), "form": tr("Attributes"), "sync": tr("Sync"),
                  "table": tr("Attribute table"), "log": tr("Changes"), "review": tr("Comments"),
                  "check": tr("Conflict check"), "rounds": tr("Round dashboard"),
                  "indicators": tr("Indicators")}
        titles["identify"] = tr("Identify results")
        titles["legend"] = tr("Legend")
        titles["answers"] = tr("Answers")
        for name, dock in self.docks.items():
            dock.setWindowTitle(titles[name])
        self.central.setTabText(0, tr("Map"))
        self.central.setTabText(1, tr("Plan text"))
        retranslate_menus(self)
        self.actions_by_name[i18n.lang()].setChecked(True)
        for panel in (self.tree, self.table, self.form, self.change_log, self.sync_panel, self.review,
                      self.analysis, self.content, self.party):
            panel.retranslate()
        self._show_titles()

    def _show_titles(self) -> None:
        title = tr("CoPlan metro-area joint planning")
        data = self.project
        self.setWindowTitle(f"{data.party_name} — {data.path.name} — {title}" if data else title)
        if data:
            self.party_label.setText(tr("Party {} {} ({})").format(data.party, data.party_name, role_text(data.role)))
        self.coords.reset()
        self._on_scale_changed(self.map.scale_denominator())

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_language(self, code: str) -> None:
        """Switch the interface language now and remember it."""
        settings.set_language(code)
        i18n.install(code)  # Qt sends LanguageChange -> retranslate
        self.retranslate()

    # -- projects --------------------------------------------------------------------------

    def open_project(self, path: str | Path) -> None:
        """Open `path` on the worker; `loaded` or `failed` follows."""
        self.statusBar().showMessage(tr("Loading {}…").format(Path(path).name))
        self.worker.call(read_project, opens=Path(path), done=self._on_loaded,
                         error=lambda exc: self._on_open_failed(exc, Path(path)), name="open")

    def request_open(self, path: str | Path) -> None:
        """Open `path` once the user has saved or discarded unsaved work (or cancelled)."""
        self.unsaved.settle(lambda: self.open_project(path), tr("opening another project"))

    def _on_open_failed(self, exc: Exception, path: Path) -> None:
        """Say why `path` did not open; the project shown before stays open."""
        self._on_failed(exc, hint=tr("Choose a CoPlan project file (.sqlite) with File → Open."))
        if self.project is not None and self.project.path != path:
            # The worker closed the previous project before trying `path`: open it again.
            self.worker.call(read_project, opens=self.project.path, name="reopen",
                             done=lambda data: self._on_loaded(data, keep_view=True),
                             error=lambda exc: self._on_failed(exc))

    def reload(self) -> None:
        """Re-read the open project (after a pull or an import), keeping the view."""
        self.worker.call(read_project, done=lambda data: self._on_loaded(data, keep_view=True),
                         error=self._on_failed, name="reload")

    def choose_project(self) -> None:
        start = str(self.project.path.parent) if self.project else ""
        path, _ = QFileDialog.getOpenFileName(self, tr("Open project…"), start,
                                              tr("CoPlan projects (*.sqlite)"))
        if path:
            self.request_open(path)

    def _on_loaded(self, data: ProjectData, keep_view: bool = False) -> None:
        first = self.project is None or self.project.path != data.path
        transform, centre = self.map.transform(), self.map.visible_scene_rect().center()
        self.project = data
        self.store.reset({d.layer.code: d.features for d in data.layers})
        if first:
            self.state.reset({d.layer.code: True for d in data.layers})
            self.edits.clear()
            settings.add_recent(data.path)
            self.rebuild_recent_menu()
        self.tree.populate(data, {code: self.store.count(code) for code in self.store.layers})
        self.map.show_project(data, self.state.as_dict())
        if keep_view and not first:
            self.map.setTransform(transform)
            self.map.centerOn(centre)
        self.tree.select_layer(self.map.active_layer or _first_own_layer(data))
        self.set_active_layer(self.tree.current_layer())
        if first or not (self.form.model and self.form.model.is_new):
            self.form.set_model(None)  # a new feature's form survives a reload (pull, import)
        self._show_read_only(data.read_only)
        self._show_titles()
        self.crs_label.setText(CRS_TEXT if data.crs == "EPSG:4490" else data.crs)
        count = sum(self.store.count(c) for c in self.store.layers)
        self.statusBar().showMessage(tr("Loaded {} features").format(count), 5000)
        self.refresh_history()
        self.loaded.emit(data)

    def _on_failed(self, exc: Exception, hint: str = "") -> None:
        """A dialog in the UI language saying what went wrong; `failed` carries the English."""
        message = message_of(exc)
        self.statusBar().showMessage(message, 15000)
        dialogs.error(self, f"{message}\n\n{hint}" if hint else message)
        self.failed.emit(message_of(exc, "en"))

    def set_active_layer(self, code: str | None) -> None:
        """The layer that drawing, rectangle selection and the table work on."""
        if self.project is None or code is None:
            return
        self.map.active_layer = code
        layer = self.project.catalogue.layer(code)
        party, role = self._edit_rights()
        self.table.model.set_layer(layer, self.project.catalogue, party, role)
        if self.map.tool == Tool.DRAW:
            self.map.set_tool(Tool.DRAW, code)

    def _edit_rights(self) -> tuple[str, str]:
        """(party, role) that edits are checked against; none may be edited when read-only."""
        if self.project.read_only:
            return "", "observer"
        return self.project.party, self.project.role

    def _show_read_only(self, reason: str | None) -> None:
        """The banner above the map and the editing actions, for a file opened read-only."""
        self.form.file_read_only = bool(reason)
        self.read_only_banner.show_reason(localize(reason, i18n.lang()) if reason else None)
        if reason and self.map.tool.value in EDIT_ACTIONS:
            self.map.set_tool(Tool.PAN)
        for name in EDIT_ACTIONS:
            if name in self.actions_by_name:
                self.actions_by_name[name].setEnabled(not reason)

    # -- selection and the form ------------------------------------------------------------

    def _on_selection_changed(self, layer: str | None, uuids) -> None:
        feature = self.store.get(layer, uuids[0]) if layer and len(uuids) == 1 else None
        model = self.form.model
        unsaved = model is not None and not model.read_only and (model.is_new or model.changed_attrs())
        if unsaved and (feature is None or model.feature is None or feature.uuid != model.feature.uuid):
            # A new feature's attributes or typed changes are never replaced by a click elsewhere.
            self.show_message(tr("The form has unsaved input: save or cancel it first."))
            return
        if feature is None:
            if len(uuids) > 1:
                self.form.show_count(len(uuids))  # several: no one feature's attributes to show
            return
        can_edit = editable(feature, *self._edit_rights())
        model = FormModel(self.project.catalogue.layer(layer), self.project.catalogue, feature,
                          read_only=not can_edit)
        self.form.set_model(model)

    def _on_feature_changed(self, code: str, uuid: str, feature) -> None:
        # The layer counts once per burst: a bulk edit of 20k features is not 20k tree updates.
        self._recount.add(code)
        self._recount_timer.start()
        model = self.form.model
        if model is None or model.feature is None or model.feature.uuid != uuid:
            return
        if feature is None:
            self.form.set_model(None)
        else:
            model.replace_feature(feature)  # model -> form

    def _on_sketch_finished(self, code: str, geometry) -> None:
        """A drawn shape: fill its attributes in the form, then save."""
        layer = self.project.catalogue.layer(code)
        self.form.set_model(FormModel(layer, self.project.catalogue, None, geometry=geometry))
        self.docks["form"].raise_()
        self.show_message(tr("Fill in the attributes and save the new feature."))

    def _on_form_saved(self, model: FormModel) -> None:
        if model.is_new:
            command = AddFeature(model.layer.code, model.changed_attrs(), model.geometry)
            self.edits.submit(command)
            # The form keeps the new feature until the save has landed: a refused save (a
            # read-only or locked file, a bad geometry) leaves the shape and the typed values.
            self.worker.call(lambda project: None, name="saved?",
                             done=lambda _: self._after_new_saved(model, command))
        elif model.changed_attrs():
            self.edits.submit(UpdateFeature(model.feature, model.changed_attrs()))

    def _on_geometry_edited(self, code: str, uuid: str, geometry) -> None:
        feature = self.store.get(code, uuid)
        if feature is not None:
            self.edits.submit(UpdateFeature(feature, geometry=geometry))

    def _after_new_saved(self, model: FormModel, command: AddFeature) -> None:
        if id(command) in self._refused:
            self._refused.discard(id(command))
        elif self.form.model is model:
            self.form.set_model(None)

    def _on_edit_refused(self, command, exc: Exception) -> None:
        problems = getattr(exc, "problems", None)
        self._refused.add(id(command))
        shown = self.form.model is not None and self.form.model.is_new
        if problems and isinstance(command, AddFeature) and not shown:
            self.form.set_model(FormModel(self.project.catalogue.layer(command.layer), self.project.catalogue,
                                          None, geometry=command.geometry))
            self.form.model.values.update(command.attrs)
            self.form.set_model(self.form.model)
        if problems:
            self.form.show_problems(problems)
        self.show_message(message_of(exc))
        kept = tr("Nothing was lost: the form keeps what you entered.") if shown else ""
        dialogs.error(self, tr("The edit was not saved: {}").format(message_of(exc))
                      + (f"\n\n{kept}" if kept else ""))

    def delete_selected(self) -> None:
        features = [f for f in (self.store.get(self.selection.layer, u) for u in self.selection.uuids) if f]
        if not features:
            return
        if not all(editable(f, self.project.party, self.project.role) for f in features):
            self.show_message(tr("Some selected features belong to another party and cannot be deleted."))
            return
        self.selection.clear()
        self.edits.submit(DeleteFeatures(features))

    # -- navigation ------------------------------------------------------------------------

    def zoom_to_layer(self) -> None:
        index = self.store.layers.get(self.map.active_layer or "")
        self.map.zoom_to_bounds(index.bounds() if index else None)

    def zoom_to_selection(self) -> None:
        features = [self.store.get(self.selection.layer, u) for u in self.selection.uuids]
        self.map.zoom_to_bounds(self.store.bounds_of([f for f in features if f]))

    def show_dock(self, name: str) -> None:
        self.docks[name].show()
        self.docks[name].raise_()

    def zoom_in(self) -> None:
        self.map.zoom_by(ZOOM_STEP)

    def zoom_out(self) -> None:
        self.map.zoom_by(1 / ZOOM_STEP)

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def _on_cursor_moved(self, lon: float, lat: float) -> None:
        self.coords.show(lon, lat)

    def _on_scale_changed(self, denominator: float) -> None:
        self.scale_label.setText(tr("Scale 1:{:,.0f}").format(denominator))

    # -- history and sync (worker jobs) ----------------------------------------------------

    def refresh_history(self) -> None:
        self.worker.call(jobs.snapshot, done=self._on_history, name="history")

    def _on_history(self, snapshot: jobs.HistorySnapshot) -> None:
        self.change_log.show_snapshot(snapshot)
        self.sync_panel.show_snapshot(snapshot)
        self.history_shown.emit(snapshot)

    def commit(self, message: str) -> None:
        def done(snapshot) -> None:
            self.change_log.committed()  # the undo stack stays: see _connect
            self._on_history(snapshot)
        self.worker.call(jobs.commit, message, done=done, error=self._on_failed, name="commit")

    def discard(self) -> None:
        self.worker.call(jobs.discard, done=lambda s: (self.edits.clear(), self.reload()),
                         error=self._on_failed, name="discard")

    def login(self, url: str, project_id: str, user: str, password: str) -> None:
        def done(who: str) -> None:
            self.sync_panel.set_logged_in(who)
            self.refresh_history()
        self.worker.call(jobs.login, url, project_id, user, password, done=done,
                         error=self._on_sync_error, name="login")

    def run_sync(self, kind: str) -> None:
        """push, pull or sync on the worker, reporting progress; reload and list conflicts after."""
        self.sync_panel.set_running(True)
        self._sync_job = self.worker.call(
            jobs.sync, kind, progress=lambda p: self.sync_panel.set_progress(p.done, p.total, p.message),
            done=lambda result: self._on_synced(kind, result),
            error=self._on_sync_failed, name=kind)

    def _on_synced(self, kind: str, result) -> None:
        self._sync_job = None
        clashes = len(getattr(result, "clashes", []) or [])
        self.sync_panel.finished(tr("{} finished; {} new conflict(s)").format(texts()[kind], clashes))
        if kind != "push":
            self.reload()  # also refreshes the history
        else:
            self.refresh_history()
        self.load_conflicts()
        self.sync_finished.emit(result)

    def _on_sync_error(self, exc: Exception) -> None:
        """A sync-panel job failed: the panel says so (its bar not full) and a dialog says what
        to do (not for a cancel the user asked for)."""
        self.sync_panel.failed(message_of(exc))
        if not isinstance(exc, Cancelled):
            dialogs.error(self, message_of(exc))

    def _on_sync_failed(self, exc: Exception) -> None:
        self._sync_job = None
        self._on_sync_error(exc)
        if isinstance(exc, PushRefused):
            self.reload()  # the sync pulled all the same
        else:
            self.refresh_history()
        self.sync_finished.emit(exc)

    def drop_changeset(self, changeset: str) -> None:
        """Take a refused change set off the copy, then show the server's state again."""
        self.worker.call(jobs.drop, changeset, done=lambda s: self.reload(),
                         error=self._on_sync_error, name="drop")

    def cancel_sync(self) -> None:
        if self._sync_job is not None:
            self._sync_job.cancel.set()

    def load_conflicts(self) -> None:
        def done(conflicts: list) -> None:
            self.sync_panel.set_conflicts(conflicts)
            self.conflicts_shown.emit(conflicts)
        self.worker.call(jobs.conflicts, done=done, error=self._on_sync_error,
                         name="conflicts")

    def resolve(self, conflict: int, choice: str) -> None:
        """Decide on the server, then pull the decision and refresh the list."""
        def done(answer: dict) -> None:
            self.show_message(tr("Conflict #{} resolved: {}").format(conflict, choice))
            self.run_sync("pull")
        self.worker.call(jobs.resolve, conflict, choice, done=done,
                         error=self._on_sync_error, name="resolve")

    def transfer(self, export: bool) -> TransferDialog | None:
        if self.project is None:
            return None
        dialog = TransferDialog(self.worker, [d.layer for d in self.project.layers], export, self)
        if not export:
            dialog.finished.connect(lambda _: self.reload() if getattr(dialog, "imported", None) else None)
        dialog.show()
        return dialog

    # -- window state ----------------------------------------------------------------------

    def rebuild_recent_menu(self) -> None:
        menu = self.recent_menu
        menu.clear()
        for path in settings.recent_projects():
            menu.addAction(path, lambda p=path: self.request_open(p))
        menu.setEnabled(not menu.isEmpty())

    def _restore_state(self) -> None:
        store = settings.settings()
        if store.value("geometry") is not None:
            self.restoreGeometry(store.value("geometry"))
        if store.value("state") is not None:
            self.restoreState(store.value("state"))
        self.rebuild_recent_menu()

    def closeEvent(self, event) -> None:
        if self.worker is not None and not self._closing and not self._settled_to_close():
            event.ignore()  # cancelled, or saving first: the close comes back once saved
            return
        store = settings.settings()
        store.setValue("geometry", self.saveGeometry())
        store.setValue("state", self.saveState())
        self.shutdown()
        super().closeEvent(event)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, lambda: hide_stale_tab_bars(self, self.docks.values()))

    def _settled_to_close(self) -> bool:
        """True when the window may close now: nothing unsaved, or the user discarded it.
        When the user saves, the close is tried again once the saves have landed."""
        state = {"asking": True, "now": False}

        def go() -> None:
            if state["asking"]:
                state["now"] = True
            else:
                self._closing = True
                QTimer.singleShot(0, self.close)
        self.unsaved.settle(go, tr("closing"))
        state["asking"] = False
        return state["now"]

    def shutdown(self) -> None:
        """Stop the worker and render threads and disconnect from the shared models (once)."""
        if self.worker is not None:
            self.worker.stop()
            self.map.cleanup()
            self.table.cleanup()
            self.tree.cleanup()
            self.identify.cleanup()
            self.worker = None
