"""Attribute filters of rules and indicators: field -> condition, evaluated on columns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

OPERATORS = ("in", "not_in", "prefix", "contains")


@dataclass(frozen=True)
class Condition:
    """One test on a field, e.g. YDYHFLDM prefix 07…16."""

    field: str
    op: str  # one of OPERATORS
    values: tuple  # null in `in`/`not_in` stands for an empty field

    def mask(self, column: np.ndarray) -> np.ndarray:
        """Which rows of `column` (an object array) pass."""
        empty = np.fromiter((v is None or v == "" for v in column), dtype=bool, count=len(column))
        if self.op in ("in", "not_in"):
            wanted = {str(v) for v in self.values if v is not None}
            hit = np.isin(column.astype(str), list(wanted)) & ~empty
            if None in self.values:
                hit |= empty
            return hit if self.op == "in" else ~hit
        text = np.where(empty, "", column.astype(str)).astype(str)
        test = np.char.startswith if self.op == "prefix" else _contains
        hit = np.zeros(len(column), dtype=bool)
        for value in self.values:
            hit |= test(text, str(value))  # type: ignore[operator]  # numpy's overloaded startswith
        return hit & ~empty


def _contains(text: np.ndarray, value: str) -> np.ndarray:
    return np.char.find(text, value) >= 0


@dataclass(frozen=True)
class Where:
    """All conditions on a layer's attributes (an empty Where passes everything)."""

    conditions: tuple[Condition, ...] = ()

    @classmethod
    def parse(cls, data: Mapping | None) -> Where:
        """From the JSON form {"FIELD": {"op": [values]}}."""
        conditions = []
        for field, test in sorted((data or {}).items()):
            (op, values), = test.items()
            conditions.append(Condition(field, op, tuple(values)))
        return cls(tuple(conditions))

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields the conditions test."""
        return tuple(c.field for c in self.conditions)

    def mask(self, columns: Mapping[str, np.ndarray], n: int) -> np.ndarray:
        """Rows passing every condition; a missing column counts as empty fields."""
        keep = np.ones(n, dtype=bool)
        for condition in self.conditions:
            column = columns.get(condition.field)
            if column is None:
                column = np.full(n, None, dtype=object)
            keep &= condition.mask(column)
        return keep
