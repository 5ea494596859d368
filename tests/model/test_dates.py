"""Dates and years of catalogue fields: every spelling sources use, and no impossible value."""

from __future__ import annotations

import datetime as dt

import pytest

from app.model.catalogue import load_catalogue
from app.model.dates import YEARS, is_calendar, parse_calendar, parse_date, parse_year


@pytest.mark.parametrize("value", [
    "2021-03-05", "20210305", "2021/3/5", "2021.03.05", "2021年3月5日", " 2021-03-05 ",
    "2021-03-05T00:00:00", "2021-03-05 08:30:00", "2021-03-05T08:30:00.5+08:00",
    "２０２１-03-05",  # full-width digits from a Chinese spreadsheet
    20210305, 20210305.0,  # Date 8 in a numeric DBF column
    dt.date(2021, 3, 5), dt.datetime(2021, 3, 5, 23, 59),
])
def test_every_spelling_of_a_date_becomes_iso(value):
    assert parse_date(value) == "2021-03-05"


@pytest.mark.parametrize("value", [
    "2023-02-30", "2023-13-01", "2023-00-10", "20230230", "2023", "2023-03", "05/03/2021",
    "2021-03-05x", "202103051", "yesterday", "", 2021.0, 20210230, 202103051, 2021030.5,
    float("nan"), True, None, "1899-12-31",
    "2101-01-01", dt.date(1850, 1, 1), "2021/03/05Z",
])
def test_impossible_or_ambiguous_dates_are_refused(value):
    with pytest.raises(ValueError):
        parse_date(value)


@pytest.mark.parametrize("value, year", [
    (2035, 2035), (2035.0, 2035), ("2035", 2035), ("2035年", 2035), (" 1949 ", 1949),
    (YEARS.start, 1900), (YEARS.stop - 1, 2100),
])
def test_years(value, year):
    assert parse_year(value) == year


@pytest.mark.parametrize("value", [
    35, 1899, 2101, 20350, 2035.5, float("nan"), float("inf"), True, "2035-01-01", "二〇三五",
    "35年", "", None,
])
def test_impossible_years_are_refused(value):
    with pytest.raises(ValueError):
        parse_year(value)


def test_the_catalogue_marks_which_fields_are_dates_and_years():
    catalogue = load_catalogue()
    start = catalogue.layer("XMK_LINE").field("QDNF")
    approved = catalogue.layer("LSWHJQ").field("PZRQ")
    assert is_calendar(start) and is_calendar(approved)
    assert not is_calendar(catalogue.layer("XMK_LINE").field("TZ"))
    assert parse_calendar(start, "2026") == 2026
    assert parse_calendar(approved, "20260301") == "2026-03-01"
    assert parse_calendar(approved, None) is None
    with pytest.raises(ValueError):
        parse_calendar(start, 1850)


def test_a_features_approval_date_is_checked_and_stored_as_iso():
    import shapely

    from app.model.validation import validate_feature

    catalogue = load_catalogue()
    layer = catalogue.layer("ZRBHD")
    attrs = {"BSM": "1", "XZQDM": "320500", "XZQMC": "苏州市", "PZRQ": "20091201"}
    area = shapely.MultiPolygon([shapely.box(120.3, 31.1, 120.4, 31.2)])
    coerced, problems = validate_feature(layer, catalogue, attrs, area)
    assert problems == [] and coerced["PZRQ"] == "2009-12-01"
    _, problems = validate_feature(layer, catalogue, {**attrs, "PZRQ": "2009-02-30"}, area)
    assert [(p.code, p.field) for p in problems] == [("type", "PZRQ")]
    assert "批准日期" in problems[0].message_zh
