"""Coordinates as surveyors and spreadsheets write them: decimal or degrees-minutes-seconds.

'120°35′12.5″E', "120°35'12.5\"", '31 18 25.3', '120度35分12.5秒', 'E120:35:12.5', '东经120°35′',
'-31.5' and '3400123.45' all read; a southern or western hemisphere makes the value negative.
"""

from __future__ import annotations

import math
import re

# Degree, minute and second marks, including the typographic and Chinese ones and the
# doubled apostrophe Excel users type for seconds.
_DEG, _MIN, _SEC = "°º度", "′'’‘分", "″\"”“秒"
_HEMISPHERE = re.compile(r"^(东经|西经|北纬|南纬|[NSEW东西南北])|([NSEW东西南北])$")
_PARTS = re.compile(
    rf"""(?P<d>\d+(?:\.\d+)?)\s*(?:[{_DEG}:]\s*|\s+|$)
         (?:(?P<m>\d+(?:\.\d+)?)\s*(?:[{_MIN}:]\s*|\s+|$)
         (?:(?P<s>\d+(?:\.\d+)?)\s*(?:''|[{_SEC}])?)?)?""", re.VERBOSE)
_NEGATIVE = {"S", "W", "西", "南", "西经", "南纬"}


def parse_coordinate(text: str) -> float:
    """A coordinate from decimal or DMS text; ValueError when it is neither."""
    value = text.strip().upper()
    try:
        number = float(value)
    except ValueError:
        return _parse_dms(value.replace("''", "″"), text)
    if not math.isfinite(number):
        raise ValueError(f"not a finite number: {text!r}")
    return number


def _parse_dms(value: str, text: str) -> float:
    hemispheres = [m.group(0) for m in _HEMISPHERE.finditer(value)]
    core = _HEMISPHERE.sub("", value).strip()
    sign = -1.0 if core.startswith("-") else 1.0
    core = core.lstrip("+-").strip()
    match = _PARTS.fullmatch(core)
    if not core or match is None or len(hemispheres) > 1 or (hemispheres and sign < 0):
        raise ValueError(f"not a coordinate: {text!r}")
    d, m, s = (match.group(k) for k in "dms")
    # Only the last part given may have decimals (120°35.5′ yes, 120.5°35′ no); minutes and
    # seconds stay below 60.
    given = [p for p in (d, m, s) if p is not None]
    if any("." in p for p in given[:-1]) or any(float(p) >= 60 for p in (m, s) if p):
        raise ValueError(f"not a coordinate: {text!r}")
    degrees = float(d) + float(m or 0) / 60 + float(s or 0) / 3600
    if hemispheres and hemispheres[0] in _NEGATIVE:
        sign = -1.0
    return sign * degrees
