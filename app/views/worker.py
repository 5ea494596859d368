"""The one DB worker: a thread that owns the open Project and runs every job that touches the
database, files or the network. Jobs are plain functions `fn(project, *args)`; a job returning a
generator (the core's *_steps) is iterated with progress reports and can be cancelled between
steps. Results and errors come back to the GUI thread by signal (anki's taskman, cut down).
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from app.errors import CoplanError
from app.messages import as_coplan, localize, problem_text
from app.model.validation import Problem
from app.project.project import Project
from app.views import dialogs
from app.views.i18n import lang

log = logging.getLogger(__name__)
_ids = itertools.count(1)


class Cancelled(CoplanError):
    """The user cancelled a job between two of its steps."""


@dataclass
class Job:
    """A unit of work for the worker; `cancel` is checked between generator steps."""

    fn: Callable
    args: tuple
    name: str = ""
    opens: Path | None = None  # set: open this project first (closing the previous one)
    id: int = field(default_factory=lambda: next(_ids))
    cancel: threading.Event = field(default_factory=threading.Event)


class _Runner(QObject):
    """Lives on the worker thread; the only holder of the SQLite connection."""

    done = Signal(int, object)
    failed = Signal(int, object)  # the exception
    progress = Signal(int, object)

    def __init__(self) -> None:
        super().__init__()
        self.project: Project | None = None

    @Slot(object)
    def execute(self, job: Job) -> None:
        try:
            if job.opens is not None:
                self._open(job.opens)
            result = job.fn(self.project, *job.args)
            if isinstance(result, Generator):
                result = self._drive(job, result)
        except Exception as exc:  # the GUI must hear back, whatever happened
            if not isinstance(exc, CoplanError):
                log.exception("job %s failed", job.name or job.fn)
            self.failed.emit(job.id, exc)
            return
        self.done.emit(job.id, result)

    def _open(self, path: Path) -> None:
        self.close()
        self.project = Project.open(path)

    def _drive(self, job: Job, steps: Generator):
        while True:
            if job.cancel.is_set():
                steps.close()  # the core's steps leave the project consistent between steps
                raise Cancelled("cancelled")
            try:
                step = next(steps)
            except StopIteration as stop:
                return stop.value
            self.progress.emit(job.id, step)

    @Slot()
    def close(self) -> None:
        if self.project is not None:
            self.project.close()
            self.project = None


class _WorkerThread(QThread):
    """Runs its event loop from Python, so the thread keeps ONE Python thread state for its whole
    life. With a plain QThread every queued job gets a fresh thread state, which wipes
    `threading.local` data between jobs: pyproj keeps its PROJ context there and segfaults on
    its second use (the conflict check, then the check-up)."""

    def run(self) -> None:
        self.exec()


class DbWorker(QObject):
    """GUI-side handle of the worker thread: `call` queues a job, callbacks run on the GUI thread."""

    _submit = Signal(object)
    _close = Signal()
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = _WorkerThread(self)
        self._thread.setObjectName("coplan-db")
        self._runner = _Runner()
        self._runner.moveToThread(self._thread)
        self._submit.connect(self._runner.execute)  # queued: runs on the worker thread
        self._close.connect(self._runner.close)
        self._runner.done.connect(self._on_done)
        self._runner.failed.connect(self._on_failed)
        self._runner.progress.connect(self._on_progress)
        self._thread.finished.connect(self._runner.deleteLater)
        self._callbacks: dict[int, tuple] = {}
        self._thread.start()

    def call(self, fn: Callable, *args, done: Callable | None = None, error: Callable | None = None,
             progress: Callable | None = None, name: str = "", opens: Path | None = None) -> Job:
        """Run `fn(project, *args)` on the worker; `done(result)` / `error(exc)` follow."""
        job = Job(fn, args, name, Path(opens) if opens is not None else None)
        self._callbacks[job.id] = (done, error, progress)
        if len(self._callbacks) == 1:
            self.busy_changed.emit(True)
        self._submit.emit(job)
        return job

    @property
    def busy(self) -> bool:
        return bool(self._callbacks)

    def _finish(self, job_id: int) -> tuple:
        callbacks = self._callbacks.pop(job_id, (None, None, None))
        if not self._callbacks:
            self.busy_changed.emit(False)
        return callbacks

    def _on_done(self, job_id: int, result) -> None:
        done = self._finish(job_id)[0]
        if done is not None:
            done(result)

    def _on_failed(self, job_id: int, exc: Exception) -> None:
        error = self._finish(job_id)[1]
        if error is not None:
            error(exc)
        else:
            log.warning("job failed: %s", message_of(exc))

    def _on_progress(self, job_id: int, step) -> None:
        progress = self._callbacks.get(job_id, (None, None, None))[2]
        if progress is not None:
            progress(step)

    def stop(self) -> None:
        """Close the project and end the thread once queued jobs are done."""
        if self._thread.isRunning():
            self._close.emit()
            self._thread.quit()
            self._thread.wait()


def message_of(exc: BaseException, language: str | None = None) -> str:
    """What went wrong, for the user, in the UI language: a core message from the catalogue
    (app/messages.py), a foreign exception (network, SQLite, GEOS) as a clean sentence."""
    language = language or lang()
    problems = getattr(exc, "problems", None)
    if problems and all(isinstance(p, Problem) for p in problems):  # a refused feature
        sep = "；" if language == "zh" else "; "
        return sep.join(dict.fromkeys(problem_text(p, language) for p in problems))
    error = as_coplan(exc)
    if error is not exc:
        log.info("shown as %r: %s: %s", error.message, type(exc).__name__, exc)
    return localize(error.message, language)


def show_progress(bar, label, done: int, total: int, message: str = "") -> None:
    """Show a job's progress on a bar (busy-free once the total is known) and a label."""
    bar.setRange(0, max(total, 1))
    bar.setValue(min(done, max(total, 1)))
    if message:
        label.setText(message)


class PanelController(QObject):
    """Base of the controllers that run a panel's jobs on the window's DB worker and show
    failures on the panel and the status bar (subclasses set `window` and `panel`)."""

    window: object
    panel: object

    def _call(self, fn, *args, done, error=None, progress=None, name: str = ""):
        if self.window.worker is None:  # shutting down
            return None
        return self.window.worker.call(fn, *args, done=done, error=error or self._failed,
                                       progress=progress, name=name)

    def _failed(self, exc: Exception) -> None:
        message = message_of(exc)
        self.panel.show_message(message)
        self.window.show_message(message)
        if not isinstance(exc, Cancelled):
            dialogs.error(self.window, message)
