"""Water drawn as water on every map: the sea (East China Sea, Hangzhou Bay, the Yangtze
estuary) and the lakes, from the Natural Earth land and lakes the desktop already uses for its
offline context (app.basemap.context), plus a schematic outline of 淀山湖, which is too small
for Natural Earth, and the schematic courses of the main waterways (no river data is bundled).

The context land is the nine cities' land clipped to Natural Earth's coastline: inside it,
holes are lakes; outside it, the sea is told from the neighbouring provinces' land by a coarse
hand-drawn mask (SEA_MASK) that runs through land on its landward side, so its exact course
does not show.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyproj
import shapely
from shapely.geometry import LineString, Polygon
from shapely.geometry.base import BaseGeometry

from app.basemap.context import load_context
from app.reports.mapdata import DRAW_EPSG

log = logging.getLogger(__name__)

# lon/lat, CGCS2000. Landward edge: Nantong's land → across the Yangtze at Jiangyin → through
# Suzhou/Jiaxing → across the head of Hangzhou Bay → through Ningbo; seaward: open sea.
SEA_MASK = ((120.42, 32.25), (120.42, 31.86), (121.0, 31.05), (120.8, 30.5), (121.15, 30.2),
            (121.3, 29.5), (121.55, 29.2), (121.75, 28.9), (122.0, 28.0), (125.0, 28.0),
            (125.0, 34.0), (121.7, 34.0), (121.35, 32.62))
# 淀山湖 (about 62 km²): a schematic outline round its centre at about 120.95°E 31.11°N.
DIANSHAN = ((120.905, 31.165), (120.94, 31.172), (120.966, 31.145), (120.986, 31.107),
            (120.976, 31.074), (120.95, 31.058), (120.925, 31.072), (120.909, 31.108),
            (120.898, 31.14))
LAKE_NAMES = {  # Natural Earth leaves the smaller lakes' names out: ours, by location
    (119.79, 31.6): ("滆湖", "Gehu Lake"), (120.75, 31.42): ("阳澄湖", "Yangcheng Lake"),
    (119.54, 31.59): ("长荡湖", "Changdang Lake"), (120.25, 31.23): ("太湖", "Taihu Lake")}
# Main waterways, schematic courses through a few known points (no river data in the sources).
RIVERS = (
    ("黄浦江", "Huangpu River", ((120.99, 31.06), (121.2, 30.99), (121.45, 31.01), (121.5, 31.12),
                                (121.49, 31.24), (121.51, 31.39))),
    ("太浦河", "Taipu River", ((120.49, 31.01), (120.7, 31.0), (120.89, 31.03), (120.99, 31.06))),
    ("吴淞江", "Wusong River", ((120.6, 31.25), (120.95, 31.3), (121.25, 31.27), (121.49, 31.245))),
    ("京杭运河", "Grand Canal", ((119.95, 31.78), (120.3, 31.57), (120.6, 31.3), (120.64, 31.15),
                                 (120.75, 30.77), (120.55, 30.5), (120.2, 30.3))),
)
SEA_NAMES = (((122.6, 30.9), ("东海", "East China Sea")), ((121.3, 30.45), ("杭州湾", "Hangzhou Bay")))


@dataclass(frozen=True)
class Water:
    """Projected water polygons (EPSG:4549 metres) with their names for labels."""

    sea: BaseGeometry
    lakes: tuple[tuple[BaseGeometry, str, str], ...]  # (polygon, name_zh, name_en)
    seas: tuple[tuple[tuple[float, float], str, str], ...]  # (label point, name_zh, name_en)
    rivers: tuple[tuple[BaseGeometry, str, str], ...] = ()  # (line, name_zh, name_en), schematic


def _project(geom: BaseGeometry) -> BaseGeometry:
    t = pyproj.Transformer.from_crs(4490, DRAW_EPSG, always_xy=True)
    return shapely.transform(geom, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))


def _lake_name(lake: BaseGeometry) -> tuple[str, str]:
    for (x, y), names in LAKE_NAMES.items():
        if lake.buffer(0.02).contains(shapely.Point(x, y)):
            return names
    return ("", "")


@lru_cache(maxsize=1)
def water() -> Water:
    """The sea and lakes of the plan area (empty when the context data is missing)."""
    context = load_context()
    if not context.land:
        return Water(Polygon(), (), (), ())
    land = context.land[0]
    sea = Polygon(SEA_MASK).difference(land.buffer(0))
    holes = [Polygon(r) for p in shapely.get_parts(land) for r in p.interiors]
    lakes = [*holes, *context.water, Polygon(DIANSHAN)]
    named = []
    for lake in shapely.get_parts(shapely.union_all(lakes)):
        zh, en = ("淀山湖", "Dianshan Lake") if lake.intersects(Polygon(DIANSHAN)) else _lake_name(lake)
        named.append((_project(lake), zh, en))
    seas = tuple((tuple(_project(shapely.Point(p)).coords[0]), zh, en) for p, (zh, en) in SEA_NAMES)
    rivers = tuple((_project(LineString(xy)), zh, en) for zh, en, xy in RIVERS)
    return Water(_project(sea), tuple(named), seas, rivers)
