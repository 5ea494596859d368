"""Cursor coordinates in CGCS2000 3° Gauss–Krüger zones (EPSG:4534–4554, no zone prefix).

Chinese surveying names the northing X and the easting Y; `to_gk` returns them in that order.
Which zone a city uses comes from the survey of the nine cities' areas per zone
(docs: shared reference crs.json): eight work in CM 120°E, Zhoushan in CM 123°E.
"""

from __future__ import annotations

from functools import cache

import pyproj

from app.model.crs import STORAGE_EPSG

GK_CM120, GK_CM123 = 4549, 4550
FIRST_GK_EPSG, FIRST_CM, LAST_CM = 4534, 75, 135  # EPSG:4534 is CM 75°E, then one code per 3°
# The zone holding most of each city's area: Zhoushan lies wholly in CM 123°E; Shanghai, Ningbo
# and Nantong straddle 121.5°E but most of their land is in CM 120°E.
CITY_ZONES = {"310000": GK_CM120, "320200": GK_CM120, "320400": GK_CM120, "320500": GK_CM120,
              "320600": GK_CM120, "330200": GK_CM120, "330400": GK_CM120, "330500": GK_CM120,
              "330900": GK_CM123}

MODES = ("lonlat", "auto", str(GK_CM120), str(GK_CM123))  # what the status bar can show


def zone_epsg(lon: float) -> int:
    """The EPSG code of the 3° zone holding longitude `lon` (clamped to China's 75–135°E)."""
    cm = min(max(3 * round(lon / 3), FIRST_CM), LAST_CM)
    return FIRST_GK_EPSG + (cm - FIRST_CM) // 3


def central_meridian(epsg: int) -> int:
    """The zone's central meridian in degrees east."""
    return FIRST_CM + 3 * (epsg - FIRST_GK_EPSG)


def city_epsg(party: str | None, lon: float | None = None) -> int:
    """The zone a project works in: its city's (party = 行政区代码) when known, else the zone
    of `lon` (e.g. the map's centre), else CM 120°E."""
    code = (party or "")[:6]
    for city in (code, code[:4] + "00", code[:2] + "0000"):  # a county's code finds its city
        if city in CITY_ZONES:
            return CITY_ZONES[city]
    return zone_epsg(lon) if lon is not None else GK_CM120


def mode_epsg(mode: str, party: str | None = None, lon: float | None = None) -> int | None:
    """The EPSG code a display mode shows (None for lon/lat)."""
    if mode == "lonlat":
        return None
    if mode == "auto":
        return city_epsg(party, lon)
    return int(mode)


@cache
def _to_gk(epsg: int) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(STORAGE_EPSG, epsg, always_xy=True)


def to_gk(lon: float, lat: float, epsg: int) -> tuple[float, float]:
    """(X northing, Y easting) in metres in Gauss–Krüger zone `epsg` of a CGCS2000 lon/lat."""
    easting, northing = _to_gk(epsg).transform(lon, lat)
    return float(northing), float(easting)
