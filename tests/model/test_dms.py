"""Coordinates as surveyors write them."""

import pytest

from app.model.dms import parse_coordinate

DMS = 120 + 35 / 60 + 12.5 / 3600


@pytest.mark.parametrize("text, value", [
    ("120°35′12.5″E", DMS), ("120°35'12.5\"", DMS), ("120 35 12.5", DMS), ("120度35分12.5秒", DMS),
    ("E120:35:12.5", DMS), ("东经120°35′12.5″", DMS), ("120°35′12.5″ E", DMS),
    ("120°35'12.5''", DMS), ("120º35’12.5”", DMS), ("120°35.5′", 120 + 35.5 / 60),
    ("31°18′25.3″S", -(31 + 18 / 60 + 25.3 / 3600)), ("西经1°30′", -1.5), ("-31 30", -31.5),
    ("120°", 120.0), ("3400123.45", 3400123.45), (" -31.5 ", -31.5),
])
def test_parses(text, value):
    assert parse_coordinate(text) == pytest.approx(value, abs=1e-12)


@pytest.mark.parametrize("text", ["", "abc", "120d", "120°75′", "120°35′61″", "120.5°35′",
                                  "W-120", "N120E", "1 2 3 4", "nan", "inf"])
def test_refuses(text):
    with pytest.raises(ValueError):
        parse_coordinate(text)
