"""Work that closing the window, quitting or opening another project would lose: a shape being
drawn, a filled-in form not saved yet, a plan-text section being edited, and edits not
committed. `UnsavedWork.settle(then)` asks save / discard / cancel and runs `then` once nothing
is at risk.

Saving runs on the DB worker like any save. The worker runs jobs in order, so a no-op job queued
after the saves answers only once they have landed (or failed); only then is it checked that
nothing is left, and the close or the open goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from app.editing import jobs
from app.errors import NothingToDo
from app.project.project import Project
from app.views import dialogs
from app.views.i18n import tr

if TYPE_CHECKING:
    from app.views.main_window import MainWindow

log = logging.getLogger(__name__)


def commit_if_any(project: Project, message: str) -> jobs.HistorySnapshot:
    """Commit the pending edits, if there are any (on the worker)."""
    try:
        return jobs.commit(project, message)
    except NothingToDo:
        return jobs.snapshot(project)


def _nothing(project: Project | None) -> None:
    """A no-op job: its answer means every job queued before it has answered."""


class UnsavedWork(QObject):
    """What the window would lose now, and asking about it."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.pending = 0  # uncommitted changes, as the last history snapshot counted them
        window.history_shown.connect(self._on_history)

    def _on_history(self, snapshot) -> None:
        self.pending = len(snapshot.pending)

    # -- what is at risk -------------------------------------------------------------------

    def sketch(self):
        """The shape being drawn on the map, if it has any vertex."""
        sketch = getattr(self.window.map.tool_object, "sketch", None)  # only the draw tool has one
        return sketch if sketch is not None and sketch.rings[0] else None

    def form(self):
        """The form's model when it holds a new feature or typed changes."""
        model = self.window.form.model
        if model is None or model.read_only:
            return None
        return model if model.is_new or model.changed_attrs() else None

    def items(self) -> list[str]:
        """One line per kind of work at risk, in the UI language (empty: nothing)."""
        w, out = self.window, []
        if self.sketch() is not None:
            out.append(tr("a shape being drawn on the map"))
        if self.form() is not None:
            out.append(tr("attributes typed in the form and not saved"))
        if w.content.panel.has_unsaved():
            out.append(tr("plan-text section being edited"))
        if self.pending and w.project is not None and not w.project.read_only:
            out.append(tr("{} uncommitted change(s): Save commits them; Don't save keeps them "
                          "in the project file, uncommitted").format(self.pending))
        return out

    # -- asking ----------------------------------------------------------------------------

    def settle(self, then: Callable[[], None], doing: str) -> None:
        """Run `then` now if nothing is at risk, else after the user saves or discards."""
        items = self.items()
        if not items or self.window.worker is None:
            then()
            return
        text = tr("Before {}, there is unsaved work:").format(doing) + "\n• " + "\n• ".join(items)
        choice = dialogs.ask_save_discard_cancel(self.window, text)
        if choice == "discard":
            self.discard()
            then()
        elif choice == "save" and self.save():
            self.window.worker.call(_nothing, done=lambda _: self._after_saving(then), name="saved")

    def discard(self) -> None:
        """Forget the shape being drawn and the form (edits in the file stay)."""
        if self.sketch() is not None:
            self.window.map.tool_object.cancel()
        if self.form() is not None:
            self.window.form.set_model(None)

    def save(self) -> bool:
        """Start saving everything at risk; False when the user must finish something first
        (a shape to complete, a form with problems): then nothing goes on."""
        w = self.window
        if self.sketch() is not None:
            self._finish_sketch()
            return False
        model = self.form()
        if model is not None:
            if not model.validate():
                dialogs.error(w, tr("The form has problems (shown in red): correct them and save, "
                                    "or choose Don't save."))
                return False
            w.form.save_requested.emit(model)
        if w.content.panel.has_unsaved():
            w.content.panel.save_pending()
        if (self.pending or model is not None) and w.project is not None and not w.project.read_only:
            w.worker.call(commit_if_any, tr("Saved before closing the project"), done=w._on_history,
                          error=w._on_failed, name="commit")
        return True

    def _finish_sketch(self) -> None:
        tool = self.window.map.tool_object
        if tool.sketch.can_finish():
            tool.finish()  # the form opens for the new feature's attributes
            text = tr("The drawn shape needs its attributes: fill in the form and save it, then "
                      "close again.")
        else:
            text = tr("The shape has too few vertices to be saved: add vertices and double-click "
                      "to finish it, or press Esc to drop it.")
        dialogs.error(self.window, text)

    def _after_saving(self, then: Callable[[], None]) -> None:
        left = self.items()
        if left:
            dialogs.error(self.window, tr("Not everything could be saved, so nothing was closed:")
                          + "\n• " + "\n• ".join(left))
            return
        then()
