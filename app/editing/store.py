"""The features a window shows, in memory, with a spatial index per layer.

The index is a shapely STRtree over the layer's features as loaded; edits go to a small overlay
(changed and removed uuids) that queries scan linearly, so an edit never rebuilds the tree of a
100k-feature layer. The tree is rebuilt once the overlay grows past REBUILD_AFTER.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import shapely

from app.editing.events import Event
from app.model.feature import Feature

REBUILD_AFTER = 500  # overlay size that makes a rebuild cheaper than scanning
Bounds = tuple[float, float, float, float]  # lon/lat minx, miny, maxx, maxy


class LayerIndex:
    """One layer's features by uuid, and which of them meet a box."""

    def __init__(self, features: Iterable[Feature]) -> None:
        self.features: dict[str, Feature] = {f.uuid: f for f in features}
        self._rebuild()

    def _rebuild(self) -> None:
        self.version = getattr(self, "version", 0) + 1  # views cache per-feature arrays by it
        self._uuids = np.array(list(self.features), dtype=object)
        self._tree = shapely.STRtree([f.geometry for f in self.features.values()])
        self._changed: set[str] = set()
        self._removed: set[str] = set()

    def put(self, feature: Feature) -> None:
        self.features[feature.uuid] = feature
        self._changed.add(feature.uuid)
        self._removed.discard(feature.uuid)
        self._maybe_rebuild()

    def remove(self, uuid: str) -> None:
        self.features.pop(uuid, None)
        self._changed.discard(uuid)
        self._removed.add(uuid)
        self._maybe_rebuild()

    def _maybe_rebuild(self) -> None:
        if len(self._changed) + len(self._removed) > REBUILD_AFTER:
            self._rebuild()

    @property
    def uuids(self) -> np.ndarray:
        """Uuids in tree order (what `query_split` positions refer to)."""
        return self._uuids

    def query_split(self, bounds: Bounds) -> tuple[np.ndarray, list[str]]:
        """(positions in `uuids` of unedited hits, uuids of edited hits): lets a renderer use
        arrays cached per tree and look up only the few edited features."""
        box = shapely.box(*bounds)
        hits = self._tree.query(box) if len(self._uuids) else np.array([], dtype=int)
        stale = self._changed | self._removed
        if stale:
            keep = np.array([u not in stale for u in self._uuids[hits]], dtype=bool)
            hits = hits[keep] if len(hits) else hits
        edited = [u for u in self._changed if self.features[u].geometry.envelope.intersects(box)]
        return np.sort(hits), edited

    def query(self, bounds: Bounds) -> list[str]:
        """Uuids of features whose box meets `bounds` (tree order, then edited ones)."""
        hits = self._uuids[self._tree.query(shapely.box(*bounds))] if len(self._uuids) else []
        stale = self._changed | self._removed
        out = [u for u in hits if u not in stale]
        box = shapely.box(*bounds)
        out += [u for u in self._changed if self.features[u].geometry.envelope.intersects(box)]
        return out

    def at(self, x: float, y: float, tolerance: float) -> list[Feature]:
        """Features within `tolerance` degrees of (x, y), nearest first."""
        point = shapely.Point(x, y)
        near = [self.features[u] for u in self.query((x - tolerance, y - tolerance,
                                                      x + tolerance, y + tolerance))]
        near = [f for f in near if f.geometry.distance(point) <= tolerance]
        return sorted(near, key=lambda f: (f.geometry.distance(point), f.geometry.area))

    def bounds(self) -> Bounds | None:
        if not self.features:
            return None
        return tuple(float(v) for v in shapely.total_bounds([f.geometry for f in self.features.values()]))


class FeatureStore:
    """Every layer's features; `changed(code, uuid, feature_or_None)` after each put/remove."""

    def __init__(self) -> None:
        self.layers: dict[str, LayerIndex] = {}
        self.changed = Event()
        self.reset_done = Event()

    def reset(self, layers: dict[str, Iterable[Feature]]) -> None:
        self.layers = {code: LayerIndex(features) for code, features in layers.items()}
        self.reset_done.emit()

    def get(self, code: str, uuid: str) -> Feature | None:
        layer = self.layers.get(code)
        return layer.features.get(uuid) if layer else None

    def put(self, feature: Feature) -> None:
        self.layers.setdefault(feature.layer, LayerIndex(())).put(feature)
        self.changed.emit(feature.layer, feature.uuid, feature)

    def remove(self, code: str, uuid: str) -> None:
        if code in self.layers:
            self.layers[code].remove(uuid)
        self.changed.emit(code, uuid, None)

    def apply(self, results: Iterable[tuple[str, str, Feature | None]]) -> None:
        """Apply what an edit command returned: (layer, uuid, new feature or None if gone)."""
        for code, uuid, feature in results:
            if feature is None:
                self.remove(code, uuid)
            else:
                self.put(feature)

    def count(self, code: str) -> int:
        layer = self.layers.get(code)
        return len(layer.features) if layer else 0

    def bounds_of(self, features: Iterable[Feature]) -> Bounds | None:
        geoms = [f.geometry for f in features]
        return tuple(float(v) for v in shapely.total_bounds(geoms)) if geoms else None


def editable(feature: Feature, party: str, role: str) -> bool:
    """True when this project may change `feature` (its own, or any for a coordinator)."""
    return feature.owner == party or role == "coordinator"
