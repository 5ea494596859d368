"""The project's layers prepared for drawing: read once per build, projected to EPSG:4549.

Drawing and hashing share one read of each layer: `MapData.layer()` loads a layer's features,
projects them to CGCS2000 / 3-degree Gauss-Krüger CM 120°E and caches the matplotlib paths, so
forty maps cost forty renders, not forty reads. `layers_digest` fingerprints the layer content
an edition was made from (attributes and geometry, not who edited when).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pyproj
import shapely
from matplotlib.path import Path as MPath
from shapely.geometry.base import BaseGeometry

from app.content.model import Focus
from app.model.catalogue import Layer
from app.project.features import iter_features
from app.project.project import Project
from app.project.sql import ident

log = logging.getLogger(__name__)

DRAW_EPSG = 4549  # CGCS2000 / 3-degree GK CM 120°E: 8 of the 9 cities; Zhoushan is close
SCHEMATIC_WORDS = ("示意", "schematic")


@dataclass
class LayerData:
    """One layer's features, projected, with what drawing needs."""

    layer: Layer
    uuids: list[str]
    attrs: list[dict]
    geoms: np.ndarray  # shapely geometries in EPSG:4549 metres
    owners: list[str] = field(default_factory=list)  # party code of each feature
    notes: list[str] = field(default_factory=list)  # BZ of each feature, for the 示意 check

    @cached_property
    def paths(self) -> list[MPath]:
        """matplotlib paths of every feature (polygons with holes, lines)."""
        return [to_path(g) for g in self.geoms]

    @property
    def schematic(self) -> bool:
        """True when the layer or any of its features is marked schematic."""
        return self.layer.schematic or any(w in n for n in self.notes for w in SCHEMATIC_WORDS)

    def label(self, row: int) -> str | None:
        """The label-field value of a feature, if the layer has a label field."""
        name = self.layer.style.label_field
        value = self.attrs[row].get(name) if name else None
        return str(value) if value not in (None, "") else None


def to_path(geom: BaseGeometry) -> MPath:
    """A matplotlib path of a (multi)polygon or (multi)line in the drawing CRS."""
    verts, codes = [], []
    for part in shapely.get_parts(geom):
        rings = [part.exterior, *part.interiors] if part.geom_type == "Polygon" else [part]
        for ring in rings:
            xy = np.asarray(ring.coords)[:, :2]
            if len(xy) < 2:
                continue
            c = np.full(len(xy), MPath.LINETO, dtype=np.uint8)
            c[0] = MPath.MOVETO
            if part.geom_type == "Polygon":
                c[-1] = MPath.CLOSEPOLY
            verts.append(xy)
            codes.append(c)
    if not verts:
        return MPath(np.zeros((1, 2)), [MPath.MOVETO])
    return MPath(np.concatenate(verts), np.concatenate(codes))


class MapData:
    """Layers of an open project, loaded on first use."""

    def __init__(self, project: Project):
        self.project = project
        self._cache: dict[str, LayerData | None] = {}
        t = pyproj.Transformer.from_crs(4490, DRAW_EPSG, always_xy=True)
        self._project_xy = lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1]))

    def layer(self, code: str) -> LayerData | None:
        """The layer's features (None when the project lacks the layer or it is empty)."""
        if code not in self._cache:
            self._cache[code] = self._load(code)
        return self._cache[code]

    def _load(self, code: str) -> LayerData | None:
        codes = {lay.code for lay in self.project.layers()}
        if code not in codes:
            return None
        features = list(iter_features(self.project, code))
        if not features:
            return None
        geoms = np.array([f.geometry for f in features], dtype=object)
        return LayerData(self.project.layer(code), [f.uuid for f in features],
                         [f.attrs for f in features], shapely.transform(geoms, self._project_xy),
                         [f.owner for f in features], [str(f.attrs.get("BZ") or "") for f in features])

    def focus(self, focus: Focus | None) -> BaseGeometry | None:
        """The projected geometry of the feature a focus names (None if there is none)."""
        if focus is None:
            return None
        data = self.layer(focus.layer)
        if data is None:
            return None
        for attrs, geom in zip(data.attrs, data.geoms, strict=True):
            if str(attrs.get(focus.field)) == focus.value:
                return geom
        log.warning("map focus %s.%s=%s not found", focus.layer, focus.field, focus.value)
        return None

    def find(self, uuid: str, codes: tuple[str, ...]) -> tuple[LayerData, int] | None:
        """(layer, row) of the feature `uuid` among the layers `codes`."""
        for code in codes:
            data = self.layer(code)
            if data is not None and uuid in data.uuids:
                return data, data.uuids.index(uuid)
        return None

    def extent(self) -> tuple[float, float, float, float]:
        """Bounds of the whole plan area (the cities), else of everything loaded."""
        base = self.layer("XZQ")
        geoms = base.geoms if base is not None else np.array(
            [g for d in self._cache.values() if d is not None for g in d.geoms], dtype=object)
        if len(geoms) == 0:
            return (0.0, 0.0, 1.0, 1.0)
        return tuple(shapely.total_bounds(geoms))


def layers_digest(project: Project) -> str:
    """SHA-256 of every layer's features (uuid, owner, fields, geometry), in uuid order."""
    digest = hashlib.sha256()
    for layer in project.layers():
        cols = ", ".join(["uuid", "owner", *(ident(n) for n in layer.field_names),
                          "hex(AsBinary(geom))"])
        digest.update(layer.code.encode())
        for row in project.db.execute(f"SELECT {cols} FROM {ident(layer.code)} ORDER BY uuid"):
            digest.update(repr(row).encode())
    return digest.hexdigest()
