"""A messy submission for party 320500 (苏州市), built the way it happens: a parcel file
imported twice, overlapping parcels, a 2,000-vertex parcel with the wrong feature code, a
code/name mismatch, a GBK Shapefile of planning zones with a hole and a bad code (made by
ogr2ogr), a parcel in Shanghai, and a project point in Seoul written by an outside tool (the
import refuses it: QGIS does not). Deterministic; no network."""

from __future__ import annotations

import json
import math
import subprocess
from pathlib import Path

import shapely

from app.cli import main
from app.model.ids import uuid7
from app.project.layers import geometry_param
from app.project.project import Project
from app.project.sql import idents

PARTY = "320500"
OGR2OGR = "/usr/bin/ogr2ogr"


def box(x: float, y: float, w: float = 0.01, h: float = 0.01) -> shapely.Polygon:
    return shapely.box(x, y, x + w, y + h)


def circle(x: float, y: float, r: float, n: int = 2000) -> shapely.Polygon:
    return shapely.Polygon([(x + r * math.cos(2 * math.pi * k / n), y + r * math.sin(2 * math.pi * k / n))
                            for k in range(n)])


def _collection(rows: list[tuple[dict, shapely.Geometry]]) -> dict:
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": json.loads(shapely.to_geojson(geom))}
        for props, geom in rows]}


def _parcel(bsm: str, code: str, name: str, **extra) -> dict:
    return {"BSM": bsm, "YSDM": "2090020620", "XZQDM": "320508", "XZQMC": "姑苏区",
            "YDYHFLDM": code, "YDYHFLMC": name, **extra}


PARCELS = [  # GHYDYH: P2 overlaps P1 by half; P3 has 2,000 vertices and GHFQ's feature code
    (_parcel("320500210001", "0804", "教育用地"), box(120.60, 31.30)),
    (_parcel("320500210002", "0804", "工业用地"), box(120.605, 31.30)),  # name of 1001
    (_parcel("320500210003", "1401", "公园绿地", YSDM="2090020610"), circle(120.64, 31.32, 0.004)),
]
SHANGHAI = [(_parcel("320500210004", "0804", "教育用地", XZQDM="310101", XZQMC="黄浦区"),
             box(121.47, 31.23, 0.005, 0.005))]


def _zones() -> list[tuple[dict, shapely.Geometry]]:
    """GHFQ: a 3×3 grid of 0.01° cells without the middle one (a gap of ≈ 1 km²)."""
    rows = []
    for n, (i, j) in enumerate((i, j) for j in range(3) for i in range(3) if (i, j) != (1, 1)):
        code, name = ("01", "生态保护区") if n < 5 else ("04", "城镇发展区")
        if n == 2:
            name = "农田保护区"  # the third "01" is named differently from the other four
        if n == 7:
            code = "A1"  # not a number
        rows.append(({"BSM": f"32050020{n:04d}", "YSDM": "2090020610", "XZQDM": "320506",
                      "XZQMC": "吴中区", "GHFQDM": code, "GHFQMC": name},
                     box(120.70 + 0.01 * i, 31.35 + 0.01 * j)))
    return rows


def write_geojson(path: Path, rows: list[tuple[dict, shapely.Geometry]]) -> Path:
    path.write_text(json.dumps(_collection(rows), ensure_ascii=False), encoding="utf-8")
    return path


def write_gbk_shapefile(folder: Path, rows: list[tuple[dict, shapely.Geometry]]) -> Path:
    """A Shapefile in GBK with a .cpg, as ogr2ogr (and ArcGIS) write it."""
    source = write_geojson(folder / "zones_src.geojson", rows)
    target = folder / "zones.shp"
    subprocess.run([OGR2OGR, "-f", "ESRI Shapefile", "-lco", "ENCODING=GBK", str(target), str(source)],
                   check=True, capture_output=True)
    return target


def raw_insert(project: Project, code: str, attrs: dict, geom: shapely.Geometry) -> str:
    """Insert a feature as an outside tool does: straight into the table, nothing checked."""
    layer = project.layer(code)
    uuid = uuid7()
    names = ["uuid", "owner", "created_by", "created_at", "modified_by", "modified_at", *attrs]
    values = [uuid, PARTY, "qgis", "2026-12-01T00:00:00Z", "qgis", "2026-12-01T00:00:00Z",
              *attrs.values()]
    with project.db.atomic():
        project.db.execute(f"INSERT INTO {layer.table_name} ({idents(names)}, geom) VALUES "
                           f"({', '.join('?' * len(names))}, {geometry_param(layer)})",
                           [*values, shapely.to_wkb(geom)])
    return uuid


def _import(project: Path, layer: str, source: Path) -> None:
    code = main(["import", str(project), layer, str(source)])
    assert code == 0, f"import of {source.name} into {layer} failed ({code})"


def build(folder: Path) -> Path:
    """The messy project file for party 320500 in `folder`."""
    path = folder / "suzhou.sqlite"
    Project.create(path, PARTY, "苏州市", author="tester").close()
    parcels = write_geojson(folder / "parcels.geojson", PARCELS)
    _import(path, "GHYDYH", parcels)
    _import(path, "GHYDYH", parcels)  # the same file again: every BSM twice
    _import(path, "GHYDYH", write_geojson(folder / "shanghai.geojson", SHANGHAI))
    _import(path, "GHFQ", write_gbk_shapefile(folder, _zones()))
    with Project.open(path, author="tester") as project:
        raw_insert(project, "XMK_POINT", {"XMBH": "P-KR-001", "XMMC": "首尔站", "XMLX": "JT",
                                          "JSZT": "建成"}, shapely.Point(126.9707, 37.5547))
    return path


def build_clean(folder: Path) -> Path:
    """A tidy project for party 320500: its own XZQ boundary, two touching parcels with right
    codes and names, and four planning zones tiling the boundary."""
    path = folder / "clean.sqlite"
    Project.create(path, PARTY, "苏州市", author="tester").close()
    xzq = [({"BSM": "320500010001", "YSDM": "1000600100", "XZQDM": PARTY, "XZQMC": "苏州市",
             "JB": "city"}, box(120.55, 31.25, 0.25, 0.2))]
    parcels = [(_parcel("320500210101", "0804", "教育用地"), box(120.60, 31.30)),
               (_parcel("320500210102", "1401", "公园绿地"), box(120.61, 31.30))]
    zones = [({"BSM": f"3205002001{n:02d}", "YSDM": "2090020610", "XZQDM": "320506",
               "XZQMC": "吴中区", "GHFQDM": "01", "GHFQMC": "生态保护区"},
              box(120.55 + 0.125 * (n % 2), 31.25 + 0.1 * (n // 2), 0.125, 0.1)) for n in range(4)]
    for layer, rows in (("XZQ", xzq), ("GHYDYH", parcels), ("GHFQ", zones)):
        _import(path, layer, write_geojson(folder / f"{layer}.geojson", rows))
    return path
