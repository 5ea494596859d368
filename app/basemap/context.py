"""The built-in offline context drawn when no tile source is configured: the nine cities' land
(schematic, generalised from public-domain Natural Earth land) and Taihu (Natural Earth lakes).

Why this and not a bundled raster: it is already in the repository (the sample project's
sources, ~30 KB), stays sharp at every zoom, needs no build step, and gives a freshly cloned,
still empty project its bearings. It is context, not an official boundary.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from app.paths import REFERENCE, resource

log = logging.getLogger(__name__)

LAND_FILE, WATER_FILE = "schematic_city_polygons.geojson", "taihu_naturalearth.geojson"


@dataclass(frozen=True)
class Context:
    """Land and water polygons in lon/lat (CGCS2000 ≈ WGS 84 at display scale)."""

    land: tuple[BaseGeometry, ...]
    water: tuple[BaseGeometry, ...]


def _geometries(path: Path) -> tuple[BaseGeometry, ...]:
    data = json.loads(path.read_text(encoding="utf-8"))
    features = data.get("features") or ([data] if data.get("type") == "Feature" else [])
    return tuple(shape(f["geometry"]) for f in features if f.get("geometry"))


def load_context(folder: Path | None = None) -> Context:
    """The context from `folder` (default: the bundled sample sources); empty when missing."""
    folder = folder or resource(*REFERENCE)
    try:
        land = shapely.union_all(_geometries(folder / LAND_FILE)).buffer(0)
        return Context((land,), _geometries(folder / WATER_FILE))
    except (OSError, ValueError, KeyError) as exc:  # a stripped bundle: no context, no crash
        log.warning("no built-in basemap context: %s", exc)
        return Context((), ())
