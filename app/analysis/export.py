"""Check results as JSON (`coplan.check/v1`) and as GeoJSON / GeoPackage features."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pyogrio
import shapely

from app.analysis.engine import CheckResult, Conflict
from app.errors import InvalidInput
from app.model.crs import STORAGE_EPSG

log = logging.getLogger(__name__)

FORMAT = "coplan.check/v1"
DRIVERS = {".geojson": "GeoJSON", ".json": "GeoJSON", ".gpkg": "GPKG"}
LAYER = "conflicts"
# Fields of the written features, in order; lists become comma-separated text.
FIELDS = {"id": str, "rule": str, "kind": str, "severity": str, "layers": str, "features": str,
          "owners": str, "cities": str, "parties": str, "area_m2": float, "length_m": float,
          "gap_m": float, "offset_m": float, "by_city": str}


def conflict_properties(c: Conflict) -> dict:
    """The attributes of a conflict as plain JSON values (geometry excluded)."""
    return {"id": c.id, "rule": c.rule, "kind": c.kind, "severity": c.severity,
            "layers": list(c.layers), "features": list(c.features), "owners": list(c.owners),
            "cities": list(c.cities), "parties": list(c.parties),
            "area_m2": _round(c.area_m2), "length_m": _round(c.length_m),
            "gap_m": _round(c.gap_m), "offset_m": _round(c.offset_m),
            "by_city": {code: round(size, 2) for code, size in c.by_city}}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def summary_json(result: CheckResult) -> dict:
    """Totals per rule and per party."""
    return {"rules": [{"rule": s.rule, "name_zh": s.name_zh, "name_en": s.name_en,
                       "severity": s.severity, "count": s.count, "area_m2": round(s.area_m2, 2),
                       "length_m": round(s.length_m, 2)} for s in result.rules],
            "parties": result.by_party(), "conflicts": len(result.conflicts)}


def result_json(result: CheckResult) -> dict:
    """The whole result, geometries as GeoJSON objects in EPSG:4490."""
    return {"format": FORMAT, "rule_set": result.rule_set, "parties": list(result.parties),
            "summary": summary_json(result),
            "conflicts": [{**conflict_properties(c), "geometry": shapely.geometry.mapping(c.geometry)}
                          for c in result.conflicts]}


def driver_for(path: str | Path) -> str:
    """The OGR driver for an output file name; InvalidInput for other extensions."""
    driver = DRIVERS.get(Path(path).suffix.lower())
    if driver is None:
        raise InvalidInput(f"cannot write {Path(path).name}: use a .geojson or .gpkg file name")
    return driver


def write_features(result: CheckResult, path: str | Path) -> int:
    """Write the conflicts to a .geojson or .gpkg file (replaced if it exists); returns the count."""
    path, driver = Path(path), driver_for(path)
    rows = [conflict_properties(c) for c in result.conflicts]
    names = list(FIELDS)
    columns = [_column([_flat(r[name]) for r in rows], name) for name in names]
    geoms = shapely.to_wkb(np.array([c.geometry for c in result.conflicts], dtype=object))
    path.unlink(missing_ok=True)
    pyogrio.raw.write(str(path), geoms, columns, names, layer=LAYER, driver=driver,
                      geometry_type="Unknown", crs=f"EPSG:{STORAGE_EPSG}")
    log.info("wrote %d conflict(s) to %s", len(rows), path)
    return len(rows)


def _flat(value: object) -> object:
    """Lists as comma-separated text, mappings as JSON: both formats want scalar fields."""
    if isinstance(value, list):
        return ",".join(value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False) if value else None
    return value


def _column(values: list, name: str) -> np.ndarray:
    if FIELDS[name] is float:
        return np.array([np.nan if v is None else v for v in values], dtype=float)
    return np.array(values, dtype=object)
