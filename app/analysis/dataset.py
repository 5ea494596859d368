"""Feature arrays the analysis works on: one `LayerData` per layer, gathered in a `Dataset`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from app.analysis.where import Where
from app.model.feature import Feature


def _objects(values: Iterable, n: int) -> np.ndarray:
    out = np.empty(n, dtype=object)
    out[:] = list(values)
    return out


@dataclass(frozen=True)
class LayerData:
    """The features of one layer as parallel arrays (geometries in EPSG:4490 lon/lat)."""

    code: str
    uuids: np.ndarray  # str
    owners: np.ndarray  # party codes
    geoms: np.ndarray  # shapely geometries
    attrs: Mapping[str, np.ndarray] = field(default_factory=dict)  # field -> object array

    def __len__(self) -> int:
        return len(self.uuids)

    @classmethod
    def empty(cls, code: str) -> LayerData:
        """A layer with no features."""
        return cls(code, _objects([], 0), _objects([], 0), _objects([], 0), {})

    @classmethod
    def from_features(cls, code: str, features: Iterable[Feature]) -> LayerData:
        """Arrays from `Feature` objects (as `iter_features` yields them)."""
        rows = list(features)
        n = len(rows)
        names = sorted({name for f in rows for name in f.attrs})
        attrs = {name: _objects((f.attrs.get(name) for f in rows), n) for name in names}
        return cls(code, _objects((f.uuid for f in rows), n), _objects((f.owner for f in rows), n),
                   _objects((f.geometry for f in rows), n), attrs)

    def take(self, index: np.ndarray) -> LayerData:
        """The rows at `index` (a boolean mask or integer positions)."""
        return LayerData(self.code, self.uuids[index], self.owners[index], self.geoms[index],
                         {k: v[index] for k, v in self.attrs.items()})

    def where(self, where: Where) -> LayerData:
        """The rows passing `where` (self when it has no condition)."""
        if not where.conditions:
            return self
        return self.take(where.mask(self.attrs, len(self)))


@dataclass(frozen=True)
class Dataset:
    """Every layer the analysis needs, from one project or the merged metro state."""

    layers: Mapping[str, LayerData]
    parties: tuple[str, ...] = ()  # parties of the projects read (their own state)

    def layer(self, code: str) -> LayerData:
        """The layer `code`; empty when no project held it."""
        return self.layers.get(code) or LayerData.empty(code)
