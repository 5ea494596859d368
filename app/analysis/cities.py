"""City boundaries (XZQ): which cities a conflict lies in, and how much of it lies in each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import shapely

from app.analysis.dataset import Dataset
from app.analysis.measure import measures
from app.analysis.rules import RuleSet


@dataclass(frozen=True)
class Cities:
    """One (multi)polygon per city code, sorted by code, with a spatial index."""

    codes: tuple[str, ...]
    geoms: np.ndarray  # EPSG:4490, parallel to codes
    names: tuple[str, ...] = ()  # parallel to codes when the boundary layer names them
    tree: ClassVar[shapely.STRtree]  # set per instance in __post_init__ (not a field)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tree", shapely.STRtree(self.geoms))

    def __len__(self) -> int:
        return len(self.codes)

    def polygon(self, code: str) -> shapely.Geometry:
        """The boundary polygon of city `code`."""
        return self.geoms[self.codes.index(code)]

    def name(self, code: str) -> str:
        """The name of city `code` (its code when unnamed)."""
        return self.names[self.codes.index(code)] if code in self.codes and self.names else code

    def locate(self, geoms: np.ndarray, dimension: int) -> list[tuple[tuple[str, float], ...]]:
        """For each geometry, (city, measure of the part inside it) for every city it lies in."""
        found: list[tuple[tuple[str, float], ...]] = [()] * len(geoms)
        if not len(self) or not len(geoms):
            return found
        gi, ci = self.tree.query(geoms, predicate="intersects")
        counts = np.bincount(gi, minlength=len(geoms))
        whole = measures(geoms, dimension)
        for g, c in zip(gi[counts[gi] == 1], ci[counts[gi] == 1], strict=True):
            found[g] = ((self.codes[c], float(whole[g])),)
        # Only geometries meeting several cities are cut: most conflicts lie in one.
        many = counts[gi] > 1
        if many.any():
            parts = measures(shapely.intersection(geoms[gi[many]], self.geoms[ci[many]]), dimension)
            for g, c, m in zip(gi[many], ci[many], parts, strict=True):
                if m > 0 or dimension == 0:
                    found[g] = (*found[g], (self.codes[c], float(m)))
        return found


def cities_from(dataset: Dataset, rules: RuleSet) -> Cities:
    """The cities of the rule set's boundary layer; features sharing a code are merged."""
    layer = dataset.layer(rules.cities.layer).where(rules.cities.where)
    empty = np.full(len(layer), None, dtype=object)
    codes = layer.attrs.get(rules.city_field, empty)
    names = layer.attrs.get(rules.city_name_field, empty) if rules.city_name_field else empty
    by_code: dict[str, list] = {}
    named: dict[str, str] = {}
    for code, name, geom in zip(codes, names, layer.geoms, strict=True):
        if code:
            by_code.setdefault(str(code), []).append(geom)
            named.setdefault(str(code), str(name or code))
    ordered = sorted(by_code)
    geoms = np.empty(len(ordered), dtype=object)
    geoms[:] = [shapely.union_all(by_code[c]) if len(by_code[c]) > 1 else by_code[c][0]
                for c in ordered]
    return Cities(tuple(ordered), geoms, tuple(named[c] for c in ordered))
