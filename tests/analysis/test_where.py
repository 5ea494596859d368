"""Attribute filters."""

from __future__ import annotations

import numpy as np

from app.analysis.where import Where


def column(*values) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = list(values)
    return out


CODES = column("0701", "1001", "0101", None, "", "16")


def mask(spec: dict, col: np.ndarray = CODES) -> list[bool]:
    return Where.parse({"F": spec}).mask({"F": col}, len(col)).tolist()


def test_prefix_in_not_in_contains():
    assert mask({"prefix": ["07", "16"]}) == [True, False, False, False, False, True]
    assert mask({"in": ["1001", "16"]}) == [False, True, False, False, False, True]
    assert mask({"in": [None]}) == [False, False, False, True, True, False]
    assert mask({"not_in": ["0101", None]}) == [True, True, False, False, False, True]
    names = column("沪苏湖铁路", "杭州湾跨海大桥", None)
    assert mask({"contains": ["铁路", "轨道"]}, names) == [True, False, False]


def test_numbers_match_their_text_and_conditions_combine():
    years = column(2024, 2025, None)
    assert mask({"in": [2025]}, years) == [False, True, False]
    where = Where.parse({"A": {"in": ["x"]}, "B": {"prefix": ["1"]}})
    columns = {"A": column("x", "x", "y"), "B": column("10", "20", "10")}
    assert where.mask(columns, 3).tolist() == [True, False, False]
    assert where.fields == ("A", "B")


def test_a_missing_column_is_empty_fields():
    assert Where.parse({"F": {"in": [None]}}).mask({}, 2).tolist() == [True, True]
    assert Where.parse({"F": {"in": ["x"]}}).mask({}, 2).tolist() == [False, False]
    assert Where().mask({}, 3).tolist() == [True, True, True]
