"""What the worker sends the GUI when a project opens: plain data, plus the features' painter
paths built on the worker (QPainterPath is not a QObject; building 100k of them is the slow
part of loading and must not block the GUI).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from PySide6.QtGui import QPainterPath

from app.model.catalogue import Catalogue, Category, Layer
from app.model.feature import Feature
from app.project.features import iter_features
from app.project.project import Project
from app.views.graphics import Projection, geometry_path
from app.views.render import anchor, object_array

SCHEMATIC_MARK = "示意"  # in BZ, marks schematic (not official) geometry
DEFAULT_BOUNDS = (119.0, 29.0, 123.0, 33.0)  # lon/lat, when a project is empty


@dataclass(frozen=True)
class LayerData:
    """One layer of a loaded project with all its features."""

    layer: Layer
    features: tuple[Feature, ...]

    @functools.cached_property
    def schematic(self) -> bool:
        """True when the layer or any of its features is marked schematic (示意). Read by every
        map paint: computed once, on the worker by read_project."""
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
    catalogue: Catalogue
    categories: tuple[Category, ...]
    layers: tuple[LayerData, ...]
    home: tuple[float, float, float, float] = DEFAULT_BOUNDS  # lon/lat extent shown first
    paths: dict[str, QPainterPath] = field(default_factory=dict, compare=False)  # uuid -> path
    sizes: dict[str, float] = field(default_factory=dict, compare=False)  # uuid -> larger side, km
    # Per line/polygon layer, in feature order: (uuids, paths, sizes, anchors) for the renderer,
    # built here so the first frame of a big layer does not build them on the GUI thread.
    arrays: dict[str, tuple] = field(default_factory=dict, compare=False)
    read_only: str | None = None  # why the file cannot be written now (English), if it cannot

    def layer(self, code: str) -> LayerData:
        return next(d for d in self.layers if d.layer.code == code)

    @property
    def projection(self) -> Projection:
        return Projection((self.home[1] + self.home[3]) / 2)


def read_project(project: Project) -> ProjectData:
    """Everything the views show of an open project (runs on the worker thread)."""
    layers = tuple(LayerData(layer, tuple(iter_features(project, layer.code)))
                   for layer in project.layers())
    home = home_bounds(project.party, layers)
    for d in layers:
        d.schematic  # noqa: B018 - cached here, off the GUI thread
    projection = Projection((home[1] + home[3]) / 2)
    paths, sizes = {}, {}
    for f in (f for d in layers if d.layer.dimension > 0 for f in d.features):
        paths[f.uuid] = geometry_path(f.geometry, projection)
        sizes[f.uuid] = scene_size(f.geometry, projection)
    arrays = {d.layer.code: layer_arrays(d.features, paths, sizes)
              for d in layers if d.layer.dimension > 0}
    return ProjectData(Path(project.path), project.party, project.party_name, project.role,
                       project.meta("crs", "EPSG:4490"), project.catalogue,
                       project.catalogue.categories, layers, home, paths, sizes, arrays,
                       getattr(project, "read_only", None))


def layer_arrays(features: tuple[Feature, ...], paths: dict, sizes: dict) -> tuple:
    """(uuids, paths, sizes, anchors) arrays of a layer's features, in their order."""
    uuids = np.array([f.uuid for f in features], dtype=object)
    drawn = object_array([paths[f.uuid] for f in features])
    return (uuids, drawn, np.array([sizes[f.uuid] for f in features], dtype=float),
            object_array([anchor(p) for p in drawn]))


def scene_size(geometry, projection: Projection) -> float:
    """The larger side of the geometry's box in scene km (for level of detail)."""
    rect = projection.rect(geometry.bounds)
    return max(rect.width(), rect.height())


def home_bounds(party: str, layers: tuple[LayerData, ...]) -> tuple[float, float, float, float]:
    """lon/lat extent to show first: the party's own city, else all cities, else everything."""
    cities = [f for d in layers if d.layer.code == "XZQ" for f in d.features]
    own = [f.geometry for f in cities if f.attrs.get("XZQDM") == party]
    every = [f.geometry for d in layers for f in d.features]
    for geoms in (own, [f.geometry for f in cities], every):
        if geoms:
            return padded(shapely.total_bounds(geoms))
    return DEFAULT_BOUNDS


def padded(bounds, share: float = 0.04) -> tuple[float, float, float, float]:
    """`bounds` grown by `share` of their size (at least ~5 km) so edges do not touch the frame."""
    x0, y0, x1, y1 = (float(v) for v in bounds)
    pad = max(x1 - x0, y1 - y0, 0.05 / share) * share
    return x0 - pad, y0 - pad, x1 + pad, y1 + pad
