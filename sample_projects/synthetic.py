"""Synthetic (合成示例) planning layers for each city: plausible shapes, not real plans.

Per city, in this order so the control lines do not overlap: urban development boundaries
around the centre and county seats (CZKFBJ), ecological red lines on hills, lake shores and
coasts outside them (STBHHX), permanent basic farmland patches in what is left (YJJBNTBHTB),
and planned land-use parcels in the central urban area (GHYDYH). Everything is clipped to the
schematic city boundary and drawn from a `random.Random` seeded per city.
"""

from __future__ import annotations

import math
import random

import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from app.model.catalogue import Catalogue
from sample_projects.places import LAND_USE_RINGS, LANDSCAPES, TOWNS
from sample_projects.seeds import SYNTHETIC, Seed, bsm
from sample_projects.shapes import blob, buffer_km, clip, polygonal, rectangle, to_lonlat, to_metric
from sample_projects.sources import City

FARMLAND_PATCHES = 18  # per city
FARMLAND_CLASSES = {"0101": "水田", "0102": "水浇地", "0103": "旱地"}  # 三调 DLBM
FARMLAND_WEIGHTS = (6, 2, 1)  # paddy dominates south of the Yangtze and around Taihu
COLLECTIVE = "30"  # QSXZ 集体土地所有权 (三调 code, recalled [R])
GRID_CELLS = 6  # parcels per side of the central land-use grid
BLOCK_M, STREET_M = 650.0, 90.0  # block size and street width of that grid


def synthetic_seeds(city: City, catalogue: Catalogue) -> list[Seed]:
    """The synthetic planning layers of one city, owned by the city."""
    rng = random.Random(f"shanghai-metro/{city.code}")  # str seeds are stable across runs
    urban = urban_boundaries(city, rng)
    built = shapely.union_all([geom for _, geom in urban])
    red = red_lines(city, rng, built)
    taken = shapely.union_all([buffer_km(built, 1.0), *(geom for _, geom in red)])
    farmland = farmland_patches(city, rng, taken)
    parcels = land_use_parcels(city, rng, urban[0][1])
    names = catalogue.codelist("YDYH2023").codes
    return [*_urban_seeds(city, urban), *_red_seeds(city, red), *_farmland_seeds(city, rng, farmland),
            *_parcel_seeds(city, parcels, names)]


def urban_boundaries(city: City, rng: random.Random) -> list[tuple[str, BaseGeometry]]:
    """(town name, polygon) around the centre and county seats, without overlaps."""
    out, taken = [], None
    for town in TOWNS[city.code]:
        shape = blob(rng, town.lon, town.lat, town.radius_km, roughness=0.3,
                     stretch=rng.uniform(1.0, 1.4))
        geom = clip(shape if taken is None else shape.difference(taken), city.boundary)
        if geom is not None:
            out.append((town.name, geom))
            taken = geom if taken is None else taken.union(geom)
    return out


def red_lines(city: City, rng: random.Random, built: BaseGeometry) -> list[tuple[tuple, BaseGeometry]]:
    """(landscape, polygon) ecological red lines outside the urban boundaries."""
    out, taken = [], built
    for land in LANDSCAPES[city.code]:
        shape = blob(rng, land.lon, land.lat, land.radius_km, roughness=0.35,
                     stretch=rng.uniform(1.0, 1.7))
        geom = clip(shape.difference(taken), city.boundary)
        if geom is not None:
            out.append((land, geom))
            taken = taken.union(geom)
    return out


def farmland_patches(city: City, rng: random.Random, taken: BaseGeometry) -> list[BaseGeometry]:
    """Farmland patches (~1–8 km²) in the rural rest of the city."""
    rural = polygonal(city.boundary.difference(taken))
    shapely.prepare(rural)
    x0, y0, x1, y1 = rural.bounds
    out = []
    for _ in range(FARMLAND_PATCHES * 30):  # bounded: small island cities fill up early
        if len(out) == FARMLAND_PATCHES:
            break
        lon, lat = rng.uniform(x0, x1), rng.uniform(y0, y1)
        if not rural.contains(Point(lon, lat)):
            continue
        patch = blob(rng, lon, lat, rng.uniform(0.6, 1.5), roughness=0.2, stretch=rng.uniform(1, 2))
        geom = clip(patch, rural)
        if geom is not None:
            out.append(geom)
            rural = polygonal(rural.difference(geom))  # patches never overlap
            shapely.prepare(rural)
    return out


def land_use_parcels(city: City, rng: random.Random, centre_area: BaseGeometry) -> list[tuple[str, BaseGeometry]]:
    """(YDYH2023 code, polygon) blocks of a street grid around the city centre."""
    centre = to_metric(Point(TOWNS[city.code][0].lon, TOWNS[city.code][0].lat))
    angle, pitch = rng.uniform(-0.35, 0.35), BLOCK_M + STREET_M
    half = (GRID_CELLS - 1) / 2
    out = []
    for i in range(GRID_CELLS):
        for j in range(GRID_CELLS):
            ring = int(max(abs(i - half), abs(j - half)))  # 0 core, 1 middle, 2 edge
            dx, dy = (i - half) * pitch, (j - half) * pitch
            cx = centre.x + dx * math.cos(angle) - dy * math.sin(angle)
            cy = centre.y + dx * math.sin(angle) + dy * math.cos(angle)
            for block in _split(rng, cx, cy, angle):
                geom = clip(to_lonlat(block), centre_area)
                if geom is not None:
                    out.append((rng.choice(LAND_USE_RINGS[ring]), geom))
    return out


def _split(rng: random.Random, cx: float, cy: float, angle: float) -> list[BaseGeometry]:
    """One block, or two halves of it (a third of the time) for a less regular pattern."""
    w, h = BLOCK_M * rng.uniform(0.85, 1.0), BLOCK_M * rng.uniform(0.85, 1.0)
    if rng.random() > 1 / 3:
        return [rectangle(cx, cy, w, h, angle)]
    off, half_w = (w + STREET_M / 2) / 4, (w - STREET_M / 2) / 2
    ox, oy = off * math.cos(angle), off * math.sin(angle)
    return [rectangle(cx - ox, cy - oy, half_w, h, angle), rectangle(cx + ox, cy + oy, half_w, h, angle)]


def _urban_seeds(city: City, urban: list) -> list[Seed]:
    return [Seed("CZKFBJ", f"{city.code}/{n}", city.code, {
        "BSM": bsm(city.code, 13, n), "XZQDM": city.code, "XZQMC": city.name_zh,
        "CZKFBJLX": "01", "BZ": f"{SYNTHETIC}（{name}）"}, geom, city.code)
        for n, (name, geom) in enumerate(urban, start=1)]


def _red_seeds(city: City, red: list) -> list[Seed]:
    return [Seed("STBHHX", f"{city.code}/{n}", city.code, {
        "BSM": bsm(city.code, 11, n), "XZQDM": city.code, "XZQMC": city.name_zh,
        "HXMC": f"{land.name}生态保护红线（示例）", "HXLX": land.kind, "BZ": SYNTHETIC},
        geom, city.code) for n, (land, geom) in enumerate(red, start=1)]


def _farmland_seeds(city: City, rng: random.Random, patches: list) -> list[Seed]:
    seeds = []
    for n, geom in enumerate(patches, start=1):
        dlbm = rng.choices(list(FARMLAND_CLASSES), FARMLAND_WEIGHTS)[0]
        village = f"{city.code}{rng.randint(1, 40):06d}0000000"  # 19-digit unit code, synthetic
        name = f"{city.short}示例村{village[6:12].lstrip('0')}（合成）"
        seeds.append(Seed("YJJBNTBHTB", f"{city.code}/{n}", city.code, {
            "BSM": bsm(city.code, 12, n), "TBBH": f"{n:04d}", "DLBM": dlbm,
            "DLMC": FARMLAND_CLASSES[dlbm], "QSXZ": COLLECTIVE, "QSDWDM": village,
            "QSDWMC": name, "ZLDWDM": village, "ZLDWMC": name, "BZ": SYNTHETIC}, geom, city.code))
    return seeds


def _parcel_seeds(city: City, parcels: list, names: dict) -> list[Seed]:
    return [Seed("GHYDYH", f"{city.code}/{n}", city.code, {
        "BSM": bsm(city.code, 21, n), "XZQDM": city.code, "XZQMC": city.name_zh,
        "YDYHFLDM": code, "YDYHFLMC": names[code][0], "BZ": SYNTHETIC}, geom, city.code)
        for n, (code, geom) in enumerate(parcels, start=1)]
