"""The SQL-like expression: parsing with positioned errors, SQL's three-valued logic, LIKE/IN/IS
NULL, arithmetic and concatenation, and the worker job that selects from a project."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, box

from app.editing import expression as E
from app.model.catalogue import load_catalogue
from app.project.features import add_feature

LAYER = load_catalogue().layer("GHYDYH")
ROWS = [
    {"BSM": "1", "TBMJ": 400000.0, "YDYHFLDM": "0701", "XZQMC": "苏州市"},
    {"BSM": "2", "TBMJ": 100.0, "YDYHFLDM": "0701", "XZQMC": "苏州市"},
    {"BSM": "3", "TBMJ": None, "YDYHFLDM": "0801", "XZQMC": "上海市"},
    {"BSM": "4", "TBMJ": 500000.0, "YDYHFLDM": None, "XZQMC": ""},
]


def rows_where(text: str, rows=ROWS) -> list[str]:
    expr = E.parse_condition(text, LAYER)
    mask = E.select(expr, E.columns(rows, expr), len(rows))
    return [r["BSM"] for r, hit in zip(rows, mask, strict=True) if hit]


@pytest.mark.parametrize(("text", "bsm"), [
    ("TBMJ > 300000 AND YDYHFLDM LIKE '07%'", ["1"]),
    ("tbmj > 300000 or ydyhfldm = '0801'", ["1", "3", "4"]),
    ("NOT TBMJ > 300000", ["2"]),  # unknown area stays unknown under NOT
    ("NOT (TBMJ > 300000 AND YDYHFLDM LIKE '07%')", ["2", "3"]),
    ("YDYHFLDM IN ('0701', '0801')", ["1", "2", "3"]),
    ("YDYHFLDM NOT IN ('0701')", ["3"]),
    ("TBMJ IS NULL OR YDYHFLDM IS NULL", ["3", "4"]),
    ("XZQMC IS NOT NULL", ["1", "2", "3"]),  # an empty text counts as empty
    ("YDYHFLDM LIKE '0_01'", ["1", "2", "3"]),
    ("YDYHFLDM NOT LIKE '07%'", ["3"]),
    ("TBMJ / 10000 >= 40", ["1", "4"]),
    ("BSM = 3", ["3"]),  # a code compared with a number compares numerically
    ("图斑面积 < 1000", ["2"]),  # a field by its Chinese label
    ('"BSM" <> \'1\' AND -TBMJ < 0', ["2", "4"]),
    ("TBMJ >= 100 AND TBMJ <= 400000 AND XZQMC = '苏州市'", ["1", "2"]),
])
def test_select(text, bsm):
    assert rows_where(text) == bsm


def test_evaluate_arithmetic_and_concatenation():
    expr = E.parse("XZQMC || '-' || BSM || '-' || TBMJ / 10000", LAYER)
    assert expr.kind == E.TEXT
    assert E.evaluate(expr, E.columns(ROWS, expr), 4) == ["苏州市-1-40", "苏州市-2-0.01", None, None]
    expr = E.parse("(TBMJ + 100) * 2 % 7", LAYER)
    assert E.evaluate(expr, E.columns(ROWS, expr), 4)[1] == pytest.approx(400 % 7)
    expr = E.parse("TBMJ / 0", LAYER)
    assert E.evaluate(expr, E.columns(ROWS, expr), 4) == [None] * 4  # as SQL: unknown, not inf


@pytest.mark.parametrize(("text", "message", "position"), [
    ("TBMJ >", "Incomplete expression", 6),
    ("FOO = 1", "Unknown field FOO", 0),
    ("YDYHFLDM + 1", "join text with ||", 9),
    ("'abc", "Unclosed quote", 0),
    ("TBMJ # 3", "Unexpected character #", 5),
    ("(TBMJ > 1", "Incomplete expression", 9),
    ("TBMJ AND 1", "AND needs a condition", 5),
    ("TBMJ > 1 BSM", "Unexpected BSM", 9),
    ("TBMJ NOT 3", "Expected LIKE or IN", 9),
    ("", "empty", 0),
])
def test_errors_name_the_place(text, message, position):
    with pytest.raises(E.ExpressionError) as exc:
        E.parse_condition(text, LAYER)
    assert message in exc.value.message and exc.value.position == position
    assert f"position {position + 1}" in exc.value.message or position == 0


def test_a_value_is_not_a_condition():
    with pytest.raises(E.ExpressionError, match="condition"):
        E.parse_condition("TBMJ * 2", LAYER)


def test_nothing_is_evaluated_as_python():
    for text in ("__import__('os').system('true')", "BSM.__class__", "TBMJ ** 2"):
        with pytest.raises(E.ExpressionError):
            E.parse(text, LAYER)


@settings(max_examples=80, deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False)), min_size=1, max_size=30),
       limit=st.floats(-1e6, 1e6, allow_nan=False))
def test_condition_and_its_negation_partition_the_known_rows(values, limit):
    rows = [{"BSM": str(i), "TBMJ": v} for i, v in enumerate(values)]
    above, not_above = rows_where(f"TBMJ > {limit!r}", rows), rows_where(f"NOT TBMJ > {limit!r}", rows)
    known = [r["BSM"] for r in rows if r["TBMJ"] is not None]
    assert sorted(above + not_above, key=int) == known
    assert above == [r["BSM"] for r in rows if r["TBMJ"] is not None and r["TBMJ"] > limit]


def test_select_where_reads_the_project(project):
    parcel = {"XZQDM": "310000", "XZQMC": "上海市", "YDYHFLMC": "x"}
    for i, (code, size) in enumerate([("0701", 0.01), ("0701", 0.001), ("0801", 0.01)]):
        add_feature(project, "GHYDYH", {**parcel, "BSM": str(i), "YDYHFLDM": code},
                    MultiPolygon([box(121, 31, 121 + size, 31 + size)]))
    found = E.select_where(project, "GHYDYH", "TBMJ > 300000 AND YDYHFLDM LIKE '07%'")
    assert found.total == 3 and len(found.uuids) == 1 and found.seconds >= 0
    assert E.select_where(project, "GHYDYH", "TRUE").uuids.__len__() == 3


def test_select_is_vectorised_on_100k_rows():
    n = 100_000
    rng = np.random.default_rng(1)
    area = rng.uniform(0, 1e6, n)
    codes = np.array([f"{a:02d}{b:02d}" for a, b in zip(rng.integers(1, 24, n), rng.integers(1, 10, n),
                                                        strict=True)], dtype=object)
    expr = E.parse_condition("TBMJ > 300000 AND YDYHFLDM LIKE '07%'", LAYER)
    mask = E.select(expr, {"TBMJ": area.astype(object), "YDYHFLDM": codes}, n)
    assert mask.sum() == ((area > 300000) & np.char.startswith(codes.astype(str), "07")).sum()
