"""Edits through the undo stack: each plain command (app.editing.commands) runs on the DB worker;
only once its first run succeeded is it pushed onto the QUndoStack, so undo and redo replay
commands the database accepted. Results update the FeatureStore on the GUI thread."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from app.editing.commands import EditCommand
from app.editing.store import FeatureStore
from app.views.i18n import lang
from app.views.worker import DbWorker

log = logging.getLogger(__name__)


class WorkerCommand(QUndoCommand):
    """A QUndoCommand whose redo/undo queue the plain command's do/undo on the worker."""

    def __init__(self, edits: Edits, command: EditCommand) -> None:
        super().__init__(command.text(lang()))
        self.edits, self.command = edits, command
        self._done_once = True  # pushed after the first `do` succeeded: skip push()'s redo

    def redo(self) -> None:
        if self._done_once:
            self._done_once = False
            return
        self.edits.replay(self.command.do)

    def undo(self) -> None:
        self.edits.replay(self.command.undo)


class Edits(QObject):
    """Submits edits; `applied()` after each change lands, `refused(command, exc)` when refused."""

    applied = Signal()
    refused = Signal(object, object)

    def __init__(self, worker: DbWorker, store: FeatureStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker, self.store = worker, store
        self.stack = QUndoStack(self)

    def submit(self, command: EditCommand) -> None:
        """Run `command` on the worker; on success it goes on the undo stack."""
        def done(result) -> None:
            self.store.apply(result)
            self.stack.push(WorkerCommand(self, command))
            self.applied.emit()

        self.worker.call(command.do, done=done, error=lambda exc: self.refused.emit(command, exc),
                         name=type(command).__name__)

    def replay(self, step) -> None:
        """Undo or redo: queued behind any earlier edit, so the order is the stack's order."""
        def done(result) -> None:
            self.store.apply(result)
            self.applied.emit()

        self.worker.call(step, done=done, error=lambda exc: self.refused.emit(None, exc), name="replay")

    def clear(self) -> None:
        self.stack.clear()
