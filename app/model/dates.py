"""Calendar values of the catalogue: `date` fields (批准日期) and integer fields marked `year`
(起始年份, 规划期限 years).

Dates are stored as ISO text (YYYY-MM-DD, what SQLite's date functions and GeoPackage expect).
Sources spell them many ways: the national exchange format's Date 8 (YYYYMMDD, also kept as a
number in a DBF column), ISO with a time (GDAL DateTime), slashes or dots from Excel, and
2021年3月5日 in Chinese tables; all are read, and an impossible day (2023-02-30) or a year
outside YEARS is refused rather than guessed.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from app.model.catalogue import Field

YEARS = range(1900, 2101)  # planning data: surveys since 1900, plan horizons to 2100
_DATE = re.compile(r"(\d{4})(?:[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{2})(\d{2}))")
_TIME = re.compile(r"([T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?")
_YEAR = re.compile(r"(\d{4})年?")


def _whole(number: float) -> bool:
    return math.isfinite(number) and float(number).is_integer()


def _in_range(year: int) -> int:
    if year not in YEARS:
        raise ValueError(f"year {year} outside {YEARS.start}–{YEARS.stop - 1}")
    return year


def parse_date(value: object) -> str:
    """`value` as an ISO date YYYY-MM-DD; ValueError when it is no real date in YEARS."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return dt.date(_in_range(value.year), value.month, value.day).isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool) and _whole(value):
        value = str(int(value))  # Date 8 kept in a numeric column (a Shapefile's N(8,0))
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a date")
    text = value.strip()
    found = _DATE.match(text)
    if not found or not _TIME.fullmatch(text[found.end():]):
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD or YYYYMMDD)")
    year, month, day, month8, day8 = found.groups()
    # dt.date refuses month 13 and February 30 with a ValueError of its own.
    return dt.date(_in_range(int(year)), int(month or month8), int(day or day8)).isoformat()


def parse_year(value: object) -> int:
    """`value` as a calendar year in YEARS (2035, 2035.0, "2035", "2035年"); ValueError if not."""
    if isinstance(value, bool):
        raise ValueError("not a year")
    if isinstance(value, float):
        if not _whole(value):
            raise ValueError(f"{value!r} is not a year")
        value = int(value)
    if isinstance(value, str):
        found = _YEAR.fullmatch(value.strip())
        if not found:
            raise ValueError(f"{value!r} is not a year")
        value = int(found.group(1))
    if not isinstance(value, int):
        raise ValueError(f"{value!r} is not a year")
    return _in_range(value)


def is_calendar(field: Field) -> bool:
    """True for fields whose values parse_calendar checks (dates and years)."""
    return field.type == "date" or field.format == "year"


def parse_calendar(field: Field, value: object) -> object:
    """A date or year field's value checked and normalised (None stays None)."""
    if value is None:
        return None
    return parse_date(value) if field.type == "date" else parse_year(value)
