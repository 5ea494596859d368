"""The features a window shows, in memory, with a spatial index per layer.

The index is a shapely STRtree over the layer's features as loaded; edits go to a small overlay
(changed and removed uuids) that queries scan linearly, so an edit never rebuilds the tree of a
100k-feature layer. The tree is rebuilt once the overlay grows past REBUILD_AFTER.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import repeat

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
        self.revision = 0  # bumped by every put/remove: caches of the attributes key on it
        self.deferred = False  # True while FeatureStore.apply puts a batch: rebuild once after
        self._values: dict[str, dict] = {}  # field -> value -> uuids, kept up to date by put/remove
        self._rebuild()

    def _rebuild(self) -> None:
        self.version = getattr(self, "version", 0) + 1  # views cache per-feature arrays by it
        self._uuids = np.array(list(self.features), dtype=object)
        self._position = {u: i for i, u in enumerate(self.features)}  # uuid -> tree position
        # Owners as small integer codes: "which of these 65k may I edit" is one array look-up.
        self._owner_names, self._owner_codes = np.unique(
            np.array([f.owner for f in self.features.values()], dtype=str), return_inverse=True)
        self._tree = shapely.STRtree([f.geometry for f in self.features.values()])
        self._boxes: np.ndarray | None = None  # of the tree's geometries, on first need
        self._changed: set[str] = set()
        self._removed: set[str] = set()

    def put(self, feature: Feature) -> None:
        self.revision += 1
        self._unindex(feature.uuid)
        self.features[feature.uuid] = feature
        for field, by_value in self._values.items():
            by_value.setdefault(feature.attrs.get(field), set()).add(feature.uuid)
        self._changed.add(feature.uuid)
        self._removed.discard(feature.uuid)
        self._maybe_rebuild()

    def remove(self, uuid: str) -> None:
        self.revision += 1
        self._unindex(uuid)
        self.features.pop(uuid, None)
        self._changed.discard(uuid)
        self._removed.add(uuid)
        self._maybe_rebuild()

    def _maybe_rebuild(self) -> None:
        if not self.deferred and len(self._changed) + len(self._removed) > REBUILD_AFTER:
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

    def positions(self, uuids: Sequence[str]) -> tuple[np.ndarray, list[str]]:
        """(tree positions of the unedited ones among `uuids` (distinct uuids: distinct positions),
        the edited ones that still exist):
        a selection of 65k features becomes an index array, not 65k feature look-ups."""
        stale = self._changed | self._removed
        kept = [u for u in uuids if u not in stale] if stale else uuids
        found = np.fromiter(map(self._position.get, kept, repeat(-1)), dtype=np.int64, count=len(kept))
        edited = [u for u in uuids if u in self._changed] if self._changed else []
        return found[found >= 0], edited

    @property
    def owners(self) -> tuple[list[str], np.ndarray]:
        """(distinct owners, index into them of each feature in tree order), as loaded; edited
        features: ask `features`."""
        return self._owner_names.tolist(), self._owner_codes

    def bounds_at(self, positions: np.ndarray) -> np.ndarray:
        """lon/lat boxes (n × 4) of the features at tree `positions` (all boxes computed once)."""
        if self._boxes is None:
            self._boxes = shapely.bounds(self._tree.geometries)
        return self._boxes[positions]

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

    def holders(self, field: str, value) -> list[str]:
        """Uuids of the features whose `field` is `value`: an index per field, built on the
        first question and kept up to date by every edit, so a form checking BSM on every
        keystroke scans 100k features once, not once per edit."""
        by_value = self._values.get(field)
        if by_value is None:
            by_value = self._values[field] = {}
            for uuid, feature in self.features.items():
                by_value.setdefault(feature.attrs.get(field), set()).add(uuid)
        return sorted(by_value.get(value, ()))

    def _unindex(self, uuid: str) -> None:
        old = self.features.get(uuid)
        if old is not None:
            for field, by_value in self._values.items():
                by_value.get(old.attrs.get(field), set()).discard(uuid)

    def bounds(self) -> Bounds | None:
        if not self.features:
            return None
        return tuple(float(v) for v in shapely.total_bounds([f.geometry for f in self.features.values()]))  # type: ignore[return-value]  # 4 values


class FeatureStore:
    """Every layer's features; `changed(code, uuid, feature_or_None)` after each put/remove."""

    def __init__(self) -> None:
        self.layers: dict[str, LayerIndex] = {}
        self.changed = Event()
        self.reset_done = Event()
        self.geometry_unchanged = False  # see `put`

    def reset(self, layers: dict[str, Iterable[Feature]]) -> None:
        self.layers = {code: LayerIndex(features) for code, features in layers.items()}
        self.reset_done.emit()

    def get(self, code: str, uuid: str) -> Feature | None:
        layer = self.layers.get(code)
        return layer.features.get(uuid) if layer else None

    def put(self, feature: Feature) -> None:
        layer = self.layers.get(feature.layer)
        if layer is None:
            layer = self.layers[feature.layer] = LayerIndex(())
        old = layer.features.get(feature.uuid)
        # An attribute-only edit (the field calculator on 65k) keeps the geometry: listeners
        # that draw it may skip redrawing (read during `changed`).
        self.geometry_unchanged = old is not None and (
            old.geometry is feature.geometry or shapely.equals_exact(old.geometry, feature.geometry, 0))
        layer.put(feature)
        self.changed.emit(feature.layer, feature.uuid, feature)
        self.geometry_unchanged = False

    def remove(self, code: str, uuid: str) -> None:
        if code in self.layers:
            self.layers[code].remove(uuid)
        self.changed.emit(code, uuid, None)

    def apply(self, results: Iterable[tuple[str, str, Feature | None]]) -> None:
        """Apply what an edit command returned: (layer, uuid, new feature or None if gone). A
        bulk edit (65k features from the field calculator) rebuilds each index once at the end,
        not once per REBUILD_AFTER features."""
        touched = set()
        for code, uuid, feature in results:
            index = self.layers.get(code)
            if index is not None:
                index.deferred = True
                touched.add(index)
            if feature is None:
                self.remove(code, uuid)
            else:
                self.put(feature)
        for index in touched:
            index.deferred = False
            index._maybe_rebuild()

    def taken(self, code: str, field: str, value, uuid: str | None = None) -> bool:
        """True when a feature of layer `code` other than `uuid` has `value` in `field`."""
        layer = self.layers.get(code)
        return layer is not None and any(u != uuid for u in layer.holders(field, value))

    def count(self, code: str) -> int:
        layer = self.layers.get(code)
        return len(layer.features) if layer else 0

    def bounds_of(self, features: Iterable[Feature]) -> Bounds | None:
        geoms = [f.geometry for f in features]
        return tuple(float(v) for v in shapely.total_bounds(geoms)) if geoms else None  # type: ignore[return-value]  # 4 values


def editable(feature: Feature, party: str, role: str) -> bool:
    """True when this project may change `feature` (its own, or any for a coordinator)."""
    return feature.owner == party or role == "coordinator"
