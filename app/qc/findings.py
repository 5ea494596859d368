"""A QC finding: what one check found on one feature (or on a layer), in English and Chinese.

Defined here so the check modules can share it; app.qc.checks re-exports it (the interface
check-in uses)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

import shapely

from app.model.catalogue import Layer


@dataclass(frozen=True)
class Finding:
    """One problem a check found: on a feature (uuid/bsm) or on a whole layer (both None)."""

    check: str  # a key of app.qc.checks.CHECKS, e.g. "bsm_unique", "overlap"
    severity: Literal["error", "warning"]
    layer: str  # layer code
    uuid: str | None
    bsm: str | None
    message: str  # English
    message_zh: str
    where: tuple[float, float] | None  # (lon, lat) to look at

    def to_json(self) -> dict:
        """The finding as JSON (where as [lon, lat])."""
        out = asdict(self)
        out["where"] = list(self.where) if self.where else None
        return out


def spot(geom: shapely.Geometry | None) -> tuple[float, float] | None:
    """A point on `geom` to look at (lon, lat rounded to ~1 cm); None without a geometry."""
    if geom is None or shapely.is_empty(geom) or shapely.is_missing(geom):
        return None
    try:
        p = shapely.point_on_surface(geom)
    except shapely.errors.GEOSException:  # an invalid polygon: its box's centre will do
        p = shapely.centroid(shapely.envelope(geom))
    return (round(p.x, 7), round(p.y, 7))


def feature_finding(check: str, severity: Literal["error", "warning"], layer: Layer, row: dict,
                    geom: shapely.Geometry | None, message: str, message_zh: str) -> Finding:
    """A finding on the feature `row` of `layer`."""
    bsm = row.get("BSM")
    return Finding(check, severity, layer.code, row.get("uuid"),
                   None if bsm is None or bsm == "" else str(bsm), message, message_zh, spot(geom))
