"""Row order of an attribute table: filter by text, sort by a column (Qt-free, testable).

Vectorised with numpy so 100k rows filter and sort in tens of milliseconds: the per-row text
and the sort keys are built once per layer revision (`Columns`) and reused per keystroke. A
view runs `order` for a big layer on a pool thread and swaps the result in.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from app.model.feature import Feature

SYSTEM = ("owner",)


def _value(feature: Feature, column: str):
    return feature.owner if column == "owner" else feature.attrs.get(column)


def _text(value) -> str:
    return "" if value is None else str(value)


def matches(feature: Feature, needle: str) -> bool:
    """True when `needle` occurs (case-insensitive) in any attribute or the owner."""
    if not needle:
        return True
    needle = needle.lower()
    return needle in feature.owner.lower() or any(
        v is not None and needle in str(v).lower() for v in feature.attrs.values())


class Columns:
    """One layer's rows as arrays: uuids, lower-cased search text, and sort keys per column."""

    def __init__(self, features: Sequence[Feature]) -> None:
        self.features = features
        self.uuids = np.array([f.uuid for f in features], dtype=object)
        self._search: list[np.ndarray] | None = None
        self._keys: dict[str, tuple[np.ndarray, ...]] = {}

    def _strings(self, column: str) -> np.ndarray:
        """The column as text ("" for None): C-level conversion, one Python pass to gather."""
        values = np.array([_value(f, column) for f in self.features], dtype=object)
        values[np.equal(values, None)] = ""  # type: ignore[call-overload]  # numpy compares with None elementwise
        return values.astype(str)

    def search_text(self) -> list[np.ndarray]:
        """Per column, every row's value lower-cased (built once, then each needle is a scan)."""
        if self._search is None:
            names = dict.fromkeys(name for f in self.features[:1000] for name in f.attrs)
            names.update(dict.fromkeys(n for f in self.features for n in f.attrs if n not in names))
            self._search = [np.strings.lower(self._strings(c)) for c in ("owner", *names)]
        return self._search

    def keys(self, column: str) -> tuple[np.ndarray, ...]:
        """(text, number, present) keys: None first, numbers by value, the rest by text."""
        if column not in self._keys:
            values = [_value(f, column) for f in self.features]
            present = np.array([v is not None for v in values], dtype=bool)
            number = np.array([v if isinstance(v, int | float) and not isinstance(v, bool) else 0.0
                               for v in values], dtype=float)
            text = self._strings(column)
            self._keys[column] = (text, number, present)
        return self._keys[column]

    def order(self, needle: str = "", column: str | None = None, descending: bool = False) -> np.ndarray:
        """Row positions matching `needle`, sorted by `column` (stable; load order when None)."""
        rows = np.arange(len(self.uuids))
        if needle:
            found = np.zeros(len(self.uuids), dtype=bool)
            for values in self.search_text():
                found |= np.strings.find(values, needle.lower()) >= 0
            rows = np.flatnonzero(found)
        if column is None or not len(rows):
            return rows
        keys = tuple(k[rows] for k in self.keys(column))
        if not descending:
            return rows[np.lexsort(keys)]
        # Descending and still stable (equal rows keep load order), as list.sort(reverse=True).
        backwards = np.lexsort(tuple(k[::-1] for k in keys))
        return rows[(len(rows) - 1 - backwards)[::-1]]


def order(features: list[Feature], needle: str = "", column: str | None = None,
          descending: bool = False) -> list[str]:
    """Uuids of the matching features, sorted by `column` (load order when None)."""
    columns = Columns(features)
    return columns.uuids[columns.order(needle, column, descending)].tolist()
