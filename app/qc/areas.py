"""Where a party's data should lie: its administrative area and China.

The party's area is taken, best first, from the submission's own administrative divisions
(the XZQ layer's feature whose XZQDM is the party's code), else from the reference data
bundled with CoPlan (the metro's schematic city polygons: rough, so widened more), else there
is none and the checks that need it are skipped. Codes are GB/T 2260: a city 320500 holds the
districts and counties 3205xx and, below them, the townships 3205xxyyy(zzz).
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import shapely

from app.paths import REFERENCE, resource
from app.qc import outline

log = logging.getLogger(__name__)

CITY_FILE = "schematic_city_polygons.geojson"
OWN_TOLERANCE = 0.001  # degrees, ≈ 100 m: drawing slack around the project's own XZQ boundary
SCHEMATIC_TOLERANCE = 0.05  # degrees, ≈ 5 km: the schematic polygons are generalised
BOUNDARY_LAYER = "XZQ"
_DIVISION = re.compile(r"\d{6}")


@dataclass(frozen=True)
class City:
    """A reference administrative division: code, name and (schematic) outline."""

    code: str  # XZQDM
    name: str  # XZQMC
    geometry: shapely.Geometry  # lon/lat, EPSG:4490


@cache
def reference_cities(folder: Path | None = None) -> dict[str, City]:
    """The bundled reference cities by code; empty when the data is missing (a stripped
    bundle: the checks that need it are skipped, never crash)."""
    path = (folder or resource(*REFERENCE)) / CITY_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        cities = [City(str(f["properties"]["XZQDM"]), str(f["properties"]["XZQMC"]),
                       shapely.make_valid(shapely.geometry.shape(f["geometry"])))
                  for f in data["features"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("no reference city boundaries: %s", exc)
        return {}
    return {c.code: c for c in cities}


@cache
def china_area() -> shapely.Geometry:
    """China's widened outline (app.qc.outline) with the reference cities' finer coasts."""
    return outline.china(tuple(c.geometry for c in reference_cities().values()))


def division_prefix(party: str) -> str | None:
    """The XZQDM prefix of a party whose code is a GB/T 2260 code (320500 -> 3205, 310000 ->
    31); None for other party codes (no area can be told from them)."""
    if not _DIVISION.fullmatch(party or ""):
        return None
    prefix = party
    while prefix.endswith("00") and len(prefix) > 2:
        prefix = prefix[:-2]
    return prefix


def party_boundary(party: str, features: dict) -> tuple[shapely.Geometry | None, str]:
    """(the party's area widened by its tolerance, or None; where it came from: "layer",
    "reference" or "none"). `features` is run_checks' layer code -> (layer, rows, geometries)."""
    own = own_boundary(party, features.get(BOUNDARY_LAYER))
    if own is not None:
        return _prepared(shapely.buffer(own, OWN_TOLERANCE)), "layer"
    city = reference_cities().get(party)
    if city is not None:
        return _prepared(shapely.buffer(city.geometry, SCHEMATIC_TOLERANCE)), "reference"
    return None, "none"


def own_boundary(party: str, layer_data: tuple | None) -> shapely.Geometry | None:
    """The union of the XZQ features whose XZQDM is the party's code (as drawn: no tolerance)."""
    if layer_data is None:
        return None
    _, rows, geoms = layer_data
    mine = [g for r, g in zip(rows, geoms, strict=True)
            if r.get("XZQDM") == party and g is not None and not shapely.is_empty(g)]
    return shapely.union_all(shapely.make_valid(np.array(mine, dtype=object))) if mine else None


def _prepared(geom: shapely.Geometry) -> shapely.Geometry:
    shapely.prepare(geom)  # every feature of the submission is tested against it
    return geom


def division_names(features: dict) -> dict[str, str]:
    """XZQDM -> XZQMC as the reference data and the submission's XZQ layer name them (the
    submission's own divisions win: they may be newer)."""
    names = {c.code: c.name for c in reference_cities().values()}
    layer_data = features.get(BOUNDARY_LAYER)
    if layer_data is not None:
        for row in layer_data[1]:
            code, name = row.get("XZQDM"), row.get("XZQMC")
            if isinstance(code, str) and isinstance(name, str) and code and name:
                names[code] = name
    return names
