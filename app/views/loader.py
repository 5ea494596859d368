"""Reading a project off the GUI thread: a worker with its own connection, plain data back.

SQLite connections must not cross threads, so the worker opens (and closes) its own
`Project`; what it sends back by signal is frozen Python data: catalogue layers and
`Feature`s with shapely geometries. The GUI thread only builds graphics from it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from app.errors import CoplanError
from app.model.catalogue import Category, Layer
from app.model.feature import Feature
from app.project.features import iter_features
from app.project.project import Project

log = logging.getLogger(__name__)

SCHEMATIC_MARK = "示意"  # in BZ, marks schematic (not official) geometry


@dataclass(frozen=True)
class LayerData:
    """One layer of a loaded project with all its features."""

    layer: Layer
    features: tuple[Feature, ...]

    @property
    def schematic(self) -> bool:
        """True when the layer or any of its features is marked schematic (示意)."""
        return self.layer.schematic or any(
            SCHEMATIC_MARK in str(f.attrs.get("BZ") or "") for f in self.features)


@dataclass(frozen=True)
class ProjectData:
    """A project as the views see it: who it belongs to and its layers in catalogue order."""

    path: Path
    party: str
    party_name: str
    role: str
    crs: str  # e.g. EPSG:4490
    categories: tuple[Category, ...]
    layers: tuple[LayerData, ...]

    def layer(self, code: str) -> LayerData:
        return next(d for d in self.layers if d.layer.code == code)


def read_project(path: Path) -> ProjectData:
    """Everything the views show of the project at `path` (runs on the worker thread)."""
    with Project.open(path) as project:
        layers = tuple(LayerData(layer, tuple(iter_features(project, layer.code)))
                       for layer in project.layers())
        return ProjectData(Path(path), project.party, project.party_name, project.role,
                           project.meta("crs", "EPSG:4490"), project.catalogue.categories, layers)


class ProjectLoader(QObject):
    """The DB worker: lives on its own thread, loads projects on request."""

    loaded = Signal(object)  # ProjectData
    failed = Signal(str)  # a one-line message for the user

    @Slot(str)
    def load(self, path: str) -> None:
        try:
            data = read_project(Path(path))
        except CoplanError as exc:
            self.failed.emit(exc.message)
            return
        except Exception as exc:  # the worker must answer, or the window waits forever
            log.exception("loading %s failed", path)
            self.failed.emit(f"{path}: {exc}")
            return
        self.loaded.emit(data)


class LoaderThread(QObject):
    """Owns the worker thread; `request(path)` queues a load, results come as signals."""

    loaded = Signal(object)
    failed = Signal(str)
    _requested = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread(self)
        self._thread.setObjectName("coplan-db")
        self._worker = ProjectLoader()
        self._worker.moveToThread(self._thread)
        self._requested.connect(self._worker.load)  # queued: runs on the worker thread
        self._worker.loaded.connect(self.loaded)
        self._worker.failed.connect(self.failed)
        self._thread.finished.connect(self._worker.deleteLater)
        self._thread.start()

    def request(self, path: str | Path) -> None:
        self._requested.emit(str(path))

    def stop(self) -> None:
        """Finish the current load and end the thread (call before the window goes)."""
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait()
