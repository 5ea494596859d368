"""Check results as JSON (`coplan.check/v1`), GeoJSON / GeoPackage features, CSV and XLSX.

Every written row names what clashes (the project's XMMC (XMBH), the red line's HXMC, the
cities' XZQMC), gives areas in m², 公顷 and km², and, when the statuses were reconciled
(app/analysis/lifecycle.py), the conflict's status and the approving memo. CSV and XLSX also
list the conflicts resolved since the last run (they have no geometry any more) and, in XLSX,
the totals per rule and city, measured on the union of the conflicts.
"""

from __future__ import annotations

import csv
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyogrio
import shapely

from app.analysis.engine import CheckResult, Conflict
from app.errors import InvalidInput
from app.model.crs import STORAGE_EPSG

if TYPE_CHECKING:
    from app.analysis.lifecycle import StatusReport, Tracked

log = logging.getLogger(__name__)

FORMAT = "coplan.check/v1"
DRIVERS = {".geojson": "GeoJSON", ".json": "GeoJSON", ".gpkg": "GPKG", ".csv": "CSV",
           ".xlsx": "XLSX"}
LAYER = "conflicts"
M2_PER_HA, M2_PER_KM2 = 10_000.0, 1_000_000.0
# Fields of the written rows, in order; lists become comma-separated text.
FIELDS = {"id": str, "status": str, "new": str, "rule": str, "rule_name": str, "kind": str,
          "severity": str, "layers": str, "features": str, "name_a": str, "name_b": str,
          "owners": str, "cities": str, "city_names": str, "parties": str,
          "area_m2": float, "area_ha": float, "area_km2": float, "length_m": float,
          "gap_m": float, "offset_m": float, "by_city": str, "memo": str, "memo_date": str,
          "decided_by": str, "decided_at": str, "change_set": str, "resolution": str}
STATUS_FIELDS = ("memo", "memo_date", "decided_by", "decided_at", "change_set", "resolution")


def conflict_properties(c: Conflict, result: CheckResult | None = None,
                        tracked: Tracked | None = None) -> dict:
    """The attributes of a conflict as plain JSON values (geometry excluded)."""
    names = c.labels or ()
    cities = [result.city_name(code) for code in c.cities] if result else []
    return {"id": c.id, **_status(tracked), "rule": c.rule, "rule_name": _rule_name(result, c.rule),
            "kind": c.kind, "severity": c.severity, "layers": list(c.layers),
            "features": list(c.features), "name_a": names[0] if names else None,
            "name_b": names[1] if len(names) > 1 else None, "owners": list(c.owners),
            "cities": list(c.cities), "city_names": cities, "parties": list(c.parties),
            **areas(c.area_m2), "length_m": _round(c.length_m),
            "gap_m": _round(c.gap_m), "offset_m": _round(c.offset_m),
            "by_city": {code: round(size, 2) for code, size in c.by_city},
            **_decision(tracked)}


def areas(m2: float | None) -> dict:
    """An area in m², 公顷 and km² (None when the conflict is not an area)."""
    if m2 is None:
        return {"area_m2": None, "area_ha": None, "area_km2": None}
    return {"area_m2": round(m2, 2), "area_ha": round(m2 / M2_PER_HA, 4),
            "area_km2": round(m2 / M2_PER_KM2, 6)}


def _status(tracked: Tracked | None) -> dict:
    if tracked is None:
        return {"status": None, "new": None}
    return {"status": tracked.status, "new": tracked.new}


def _decision(tracked: Tracked | None) -> dict:
    record = tracked.record if tracked else None
    return {name: getattr(record, name) if record else None for name in STATUS_FIELDS}


def _rule_name(result: CheckResult | None, rule: str) -> str | None:
    for s in result.rules if result else ():
        if s.rule == rule:
            return s.name_zh
    return None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def summary_json(result: CheckResult, report: StatusReport | None = None) -> dict:
    """Totals per rule (areas of the union of its conflicts) and per party; status counts."""
    rules = [{"rule": s.rule, "name_zh": s.name_zh, "name_en": s.name_en,
              "severity": s.severity, "count": s.count, **areas(s.area_m2),
              "length_m": round(s.length_m, 2),
              "by_city": {code: round(size, 2) for code, size in s.by_city}} for s in result.rules]
    out = {"rules": rules, "parties": result.by_party(), "conflicts": len(result.conflicts)}
    if report is not None:
        out["status"] = report.counts()
    return out


def result_json(result: CheckResult, report: StatusReport | None = None) -> dict:
    """The whole result, geometries as GeoJSON objects in EPSG:4490."""
    found = _found(result, report)
    data = {"format": FORMAT, "rule_set": result.rule_set, "parties": list(result.parties),
            "summary": summary_json(result, report),
            "conflicts": [{**conflict_properties(c, result, t),
                           "geometry": shapely.geometry.mapping(c.geometry)} for c, t in found]}
    if report is not None:
        data["resolved"] = [_resolved_row(t) for t in report.items if t.conflict is None]
    return data


def _found(result: CheckResult, report: StatusReport | None) -> list[tuple[Conflict, Tracked | None]]:
    by_id = {t.id: t for t in report.items} if report else {}
    return [(c, by_id.get(c.id)) for c in result.conflicts]


def _resolved_row(t: Tracked) -> dict:
    """A conflict no longer found: what the kept status still knows about it."""
    row = dict.fromkeys(FIELDS)
    row.update({"id": t.id, **_status(t), "rule": t.record.rule if t.record else None,
                "features": t.key.split("/")[1:3], **_decision(t)})
    return row


def driver_for(path: str | Path) -> str:
    """The driver for an output file name; InvalidInput for other extensions."""
    driver = DRIVERS.get(Path(path).suffix.lower())
    if driver is None:
        raise InvalidInput(f"cannot write {Path(path).name}: use a .geojson or .gpkg file name "
                           "(or .csv / .xlsx for a table)")
    return driver


def write_features(result: CheckResult, path: str | Path, report: StatusReport | None = None) -> int:
    """Write the conflicts to .geojson, .gpkg, .csv or .xlsx (replacing the file); returns the
    number of found conflicts written."""
    path, driver = Path(path), driver_for(path)
    found = _found(result, report)
    rows = [conflict_properties(c, result, t) for c, t in found]
    path.unlink(missing_ok=True)
    if driver in ("CSV", "XLSX"):
        resolved = [_resolved_row(t) for t in report.items if t.conflict is None] if report else []
        table = [_flat_row(r, c.geometry) for r, (c, _) in zip(rows, found, strict=True)]
        table += [_flat_row(r, None) for r in resolved]
        (_write_csv if driver == "CSV" else _write_xlsx)(path, table, result)
    else:
        _write_ogr(path, driver, rows, [c.geometry for c in result.conflicts])
    log.info("wrote %d conflict(s) to %s", len(rows), path)
    return len(rows)


def _write_ogr(path: Path, driver: str, rows: list[dict], geoms: list) -> None:
    names = list(FIELDS)
    columns = [_column([_flat(r[name]) for r in rows], name) for name in names]
    wkb = shapely.to_wkb(np.array(geoms, dtype=object))
    pyogrio.raw.write(str(path), wkb, columns, names, layer=LAYER, driver=driver,
                      geometry_type="Unknown", crs=f"EPSG:{STORAGE_EPSG}")


def _flat_row(row: dict, geometry) -> dict:
    """A row of scalars; a point inside the conflict locates it (the geometry may be huge)."""
    flat = {name: _flat(row[name]) for name in FIELDS}
    point = geometry.point_on_surface() if geometry is not None and not geometry.is_empty else None
    flat["lon"], flat["lat"] = (round(point.x, 6), round(point.y, 6)) if point else (None, None)
    return flat


def _write_csv(path: Path, table: list[dict], result: CheckResult) -> None:
    # utf-8-sig: Excel opens a CSV with a BOM as UTF-8, so the Chinese names read right.
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=[*FIELDS, "lon", "lat"])
        writer.writeheader()
        writer.writerows(table)


def _write_xlsx(path: Path, table: list[dict], result: CheckResult) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = LAYER
    _fill(sheet, [*FIELDS, "lon", "lat"], [list(r.values()) for r in table], Font(bold=True))
    totals = book.create_sheet("totals")
    _fill(totals, ["rule", "rule_name", "severity", "city", "city_name", "count", "area_m2",
                   "area_ha", "area_km2", "length_m"], totals_rows(result), Font(bold=True))
    book.save(path)


def _fill(sheet, header: list[str], rows: list[list], bold) -> None:
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = bold
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column[:200])
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 48)


def totals_rows(result: CheckResult) -> list[list]:
    """One row per rule (all cities), then one per city it reaches: union areas, not pair sums."""
    rows = []
    for s in result.rules:
        area = s.area_m2 if s.area_m2 else None
        rows.append([s.rule, s.name_zh, s.severity, "", "都市圈全域", s.count,
                     *areas(area).values(), round(s.length_m, 2) if s.length_m else None])
        for code, size in s.by_city:
            city_area = size if area else None
            rows.append([s.rule, s.name_zh, s.severity, code, result.city_name(code), None,
                         *areas(city_area).values(), None if area else round(size, 2)])
    return rows


def _flat(value: object) -> object:
    """Lists as comma-separated text, mappings as JSON, flags as yes/no: the formats want
    scalar text fields."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False) if value else None
    return value


def _column(values: list, name: str) -> np.ndarray:
    if FIELDS[name] is float:
        return np.array([np.nan if v is None else v for v in values], dtype=float)
    return np.array(values, dtype=object)
