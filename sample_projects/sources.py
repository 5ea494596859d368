"""The vendored reference files the sample project is built from, read into plain objects."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

PROVINCES = {"31": "310000", "32": "320000", "33": "330000"}  # GB/T 2260 province codes


@dataclass(frozen=True)
class City:
    """One of the metro area's cities with its schematic (示意) boundary."""

    code: str  # 6-digit GB/T 2260 code, also the party code
    name_zh: str
    name_en: str
    short: str  # one-character abbreviation, e.g. 沪
    label_point: tuple[float, float]  # lon, lat
    boundary: BaseGeometry  # schematic MultiPolygon, EPSG:4490

    @property
    def province(self) -> str:
        return PROVINCES[self.code[:2]]


@dataclass(frozen=True)
class Sources:
    """Everything read from the reference folder."""

    cities: tuple[City, ...]
    boundary_note: str  # provenance of the schematic boundaries
    taihu: BaseGeometry
    taihu_note: str
    projects: tuple[dict, ...]  # GeoJSON features of the project library
    plan: dict  # metro_plan_1_8_5.json
    structure: dict  # metro_plan_structure.json

    def city(self, code: str) -> City:
        return next(c for c in self.cities if c.code == code)


def _json(folder: Path, name: str) -> dict:
    return json.loads((folder / name).read_text(encoding="utf-8"))


def _features(data: dict) -> list[dict]:
    """A GeoJSON object's features (a lone Feature counts as a collection of one)."""
    return data["features"] if data.get("type") == "FeatureCollection" else [data]


def _cities(folder: Path) -> tuple[tuple[City, ...], str]:
    boundaries = {f["properties"]["XZQDM"]: f for f in
                  _features(_json(folder, "schematic_city_polygons.geojson"))}
    cities = []
    for c in _json(folder, "cities.json")["cities"]:
        feature = boundaries[c["xzqdm"]]
        cities.append(City(c["xzqdm"], c["name_zh"], c["name_en"], c["short"],
                           tuple(c["label_point_lonlat"]), shape(feature["geometry"])))
    note = next(iter(boundaries.values()))["properties"]["source"]
    return tuple(cities), note


def load_sources(folder: str | Path) -> Sources:
    """Read the reference files in `folder`."""
    folder = Path(folder)
    cities, boundary_note = _cities(folder)
    taihu = _features(_json(folder, "taihu_naturalearth.geojson"))[0]
    return Sources(
        cities=cities, boundary_note=boundary_note,
        taihu=shape(taihu["geometry"]), taihu_note=taihu["properties"]["source"],
        projects=tuple(_features(_json(folder, "projects_sample.geojson"))),
        plan=_json(folder, "metro_plan_1_8_5.json"),
        structure=_json(folder, "metro_plan_structure.json"),
    )
