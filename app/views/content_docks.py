"""The content controller: ties the plan-text panel (a tab beside the map) and the publish dialog to the DB worker, the
map and the review panels. Loading, saving (with undo and redo of each save), building and
uploading outputs are worker jobs; results come back to the views and to signals tests wait on.

Clause anchors meet here both ways: the comment panel's `clause_requested(section, position)`
opens the section in the editor at that position, and words selected in the preview become a
new comment through `ReviewController.comment_on_clause`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices, QUndoCommand, QUndoStack

from app.content.model import Section
from app.editing import content_jobs as jobs
from app.editing.content_jobs import ContentData, SaveSection, SectionDraft
from app.errors import CoplanError
from app.views.content_panel import ContentPanel
from app.views.i18n import lang, tr
from app.views.publish_dialog import PublishDialog
from app.views.section_editor import LinkRows
from app.views.worker import Cancelled, PanelController, message_of

if TYPE_CHECKING:
    from app.views.main_window import MainWindow
    from app.views.review_docks import ReviewController

log = logging.getLogger(__name__)

LIBRARY_LAYERS = ("XMK_POINT", "XMK_LINE")  # where a section's project links point


class SaveCommand(QUndoCommand):
    """A save on the undo stack: redo/undo replay the plain command on the worker. Pushed after
    the first save succeeded, so push()'s immediate redo is skipped (as in views.edits)."""

    def __init__(self, controller: ContentController, command: SaveSection) -> None:
        super().__init__(command.text(lang()))
        self.controller, self.command = controller, command
        self._done_once = True

    def redo(self) -> None:
        if self._done_once:
            self._done_once = False
            return
        self.controller.replay(self.command.do)

    def undo(self) -> None:
        self.controller.replay(self.command.undo)


class ContentController(PanelController):
    """Owns the plan-text panel (the window shows it as a tab beside the map) and the publish
    dialog."""

    content_shown = Signal(object)  # ContentData
    saved = Signal(object)  # the stored Section after a save, undo or redo, or the exception
    info_shown = Signal(object)  # PublishInfo
    build_finished = Signal(object)  # list[BuiltOutput], or the exception (Cancelled too)
    published = Signal(object)  # the server's records, or the exception

    def __init__(self, window: MainWindow, review: ReviewController) -> None:
        super().__init__(window)
        self.window, self.review = window, review
        self.stack = QUndoStack(self)
        self.panel = ContentPanel(self.stack)
        self.panel.link_rows = self.link_rows
        self.dialog: PublishDialog | None = None
        self.build_job = None
        self.path: Path | None = None  # the project the panel shows
        self._clause: tuple[str, int] | None = None  # asked for before the content arrived
        self.panel.save_requested.connect(self.save)
        self.panel.clause_comment_requested.connect(review.comment_on_clause)
        self.panel.link_requested.connect(self.show_link)
        review.panel.clause_requested.connect(self.open_clause)
        window.loaded.connect(self._on_loaded)

    def retranslate(self) -> None:
        self.panel.retranslate()
        if self.dialog is not None:
            self.dialog.retranslate()

    # -- loading ---------------------------------------------------------------------------

    def _on_loaded(self, data) -> None:
        if data.path != self.path:  # another project: its own sections and undo history
            self.path = data.path
            self.stack.clear()
            self.panel.clear()
        self.reload()

    def reload(self) -> None:
        self._call(jobs.load_content_data, done=self._show, name="content")

    def _show(self, data: ContentData) -> None:
        self.panel.show_data(data)
        if self._clause is not None:
            self.panel.open_clause(*self._clause)
            self._clause = None
        self.content_shown.emit(data)

    def show_panel(self) -> None:
        """The plan text in the window's centre (in place of the map)."""
        self.window.central.setCurrentWidget(self.panel)

    # -- saving, undo and redo -------------------------------------------------------------

    def save(self, draft: SectionDraft) -> None:
        """Store the draft's changes; once stored, the save goes on the undo stack."""
        command = SaveSection.of(draft)
        if not command.after:
            return

        def done(section: Section) -> None:
            self.stack.push(SaveCommand(self, command))
            self._stored(section)
        self._call(command.do, done=done, error=self._refused, name="save section")

    def replay(self, step) -> None:
        """Undo or redo a save, queued behind earlier saves so the stack's order holds."""
        self._call(step, done=self._stored, error=self._refused, name="replay section")

    def _stored(self, section: Section) -> None:
        self.panel.section_saved(section)
        self.panel.show_message(tr("Section {} saved.").format(section.id))
        self.window.refresh_history()  # the change log lists pending content edits too
        self.saved.emit(section)

    def _refused(self, exc: Exception) -> None:
        self._failed(exc)
        self.saved.emit(exc)

    # -- clauses and links -----------------------------------------------------------------

    def open_clause(self, section_id: str, position: int) -> None:
        """A clause anchor of a comment: the section in the editor at `position`."""
        self.show_panel()
        if self.panel.data is None:
            self._clause = (section_id, position)
        else:
            self.panel.open_clause(section_id, position)

    def link_rows(self, section: Section) -> LinkRows:
        """The section's map layers and library projects by name, from the loaded project."""
        project, rows = self.window.project, []
        for code in section.links.layers:
            try:
                name = project.catalogue.layer(code).name(lang()) if project else code
            except (CoplanError, KeyError):
                name = code
            rows.append(("layer", code, tr("Layer {} {}").format(code, name)))
        for uuid in section.links.projects:
            feature = self._library_feature(uuid)
            name = str(feature.attrs.get("XMMC") or "") if feature else ""
            rows.append(("feature", uuid, tr("Project {} {}").format(name or uuid[:8], feature.layer if feature else "")))
        return rows

    def _library_feature(self, uuid: str):
        store = self.window.store
        for code in (*LIBRARY_LAYERS, *store.layers):
            feature = store.get(code, uuid)
            if feature is not None:
                return feature
        return None

    def show_link(self, kind: str, value: str) -> None:
        """A linked layer: shown and zoomed to; a linked project: selected and zoomed to."""
        w = self.window
        w.central.setCurrentWidget(w.map)
        if kind == "layer":
            w.state.set_visible(value, True)
            w.tree.select_layer(value)
            index = w.store.layers.get(value)
            w.map.zoom_to_bounds(index.bounds() if index else None)
            return
        feature = self._library_feature(value)
        if feature is None:
            w.show_message(tr("The linked project is not in this project's library."))
            return
        w.state.set_visible(feature.layer, True)
        w.selection.set(feature.layer, (feature.uuid,))
        w.map.zoom_to_bounds(w.store.bounds_of([feature]))

    # -- publishing ------------------------------------------------------------------------

    def open_publish(self) -> PublishDialog:
        """The publish dialog; versions and rights are looked up on the worker."""
        if self.dialog is None:
            self.dialog = PublishDialog(self.window)
            self.dialog.build_requested.connect(self.build)
            self.dialog.cancel_requested.connect(self.cancel_build)
            self.dialog.publish_requested.connect(self.publish)
            self.dialog.open_requested.connect(self.open_file)
        dialog = self.dialog
        if self.window.project is not None and not dialog.folder.text():
            dialog.folder.setText(str(self.window.project.path.parent / "editions"))
        if not dialog.running:
            dialog.set_info(None)
            self._call(jobs.publish_info, done=self._on_info, error=lambda e: dialog.show_error(message_of(e)),
                       name="publish info")
        dialog.show()
        dialog.raise_()
        return dialog

    def _on_info(self, info: jobs.PublishInfo) -> None:
        self.dialog.set_info(info)
        self.info_shown.emit(info)

    def build(self, versions: dict, folder: str, dpi: int) -> None:
        """Build the chosen outputs on the worker; progress feeds the dialog's bar."""
        self.dialog.set_running(True)
        self.build_job = self._call(jobs.build_outputs, dict(versions), folder, int(dpi),
                                    progress=self.dialog.set_progress, done=self._on_built,
                                    error=self._on_build_failed, name="build outputs")

    def cancel_build(self) -> None:
        if self.build_job is not None:
            self.build_job.cancel.set()  # the worker stops between two steps

    def _on_built(self, outputs: list) -> None:
        self.build_job = None
        self.dialog.show_result(outputs)
        self.build_finished.emit(outputs)

    def _on_build_failed(self, exc: Exception) -> None:
        self.build_job = None
        if isinstance(exc, Cancelled):
            self.dialog.show_cancelled()
        else:
            self.dialog.show_error(message_of(exc))
        self.build_finished.emit(exc)

    def publish(self) -> None:
        """Upload the built outputs to the server's registry and record them."""
        dialog = self.dialog
        dialog.set_running(True)

        def done(records: list) -> None:
            dialog.show_published(records)
            self.published.emit(records)

        def error(exc: Exception) -> None:
            dialog.show_error(message_of(exc))
            self.published.emit(exc)
        self._call(jobs.publish_outputs, list(dialog.outputs), done=done, error=error,
                   progress=lambda p: dialog.set_upload_progress(p.done, p.total, p.message),
                   name="publish outputs")

    def open_file(self, path: str) -> None:
        """A PDF or folder in the desktop's viewer."""
        QDesktopServices.openUrl(QUrl.fromLocalFile(path))
