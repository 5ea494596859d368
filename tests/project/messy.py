"""Messy import files as a technician receives them, built deterministically for the tests.

A land-use table exported from Excel as GBK CSV, with Chinese headers (标识码, 行政区代码 …)
instead of field names and a WKT column holding what spreadsheets do to geometry: a polygon of
thousands of vertices, the text "NaN", WKT cut at Excel's 32,767-character cell limit, a ring
that is not closed, a 1e308 placeholder, latitude and longitude swapped, a parcel in Seoul.
"""

from __future__ import annotations

import csv
import json
import math
import subprocess
from pathlib import Path

import shapely

HEADERS = ["标识码", "要素代码", "行政区代码", "行政区名称", "用地用海分类代码", "用地用海分类名称",
           "WKT"]
GOOD = dict(zip(HEADERS[:6], ["", "2090020620", "310115", "浦东新区", "0101", "水田"], strict=True))


def circle(cx: float, cy: float, r: float = 0.004, n: int = 3000) -> shapely.Polygon:
    """A valid polygon of `n` vertices (a parcel traced by a surveyor's GPS)."""
    return shapely.Polygon([(cx + r * math.cos(2 * math.pi * i / n),
                             cy + r * math.sin(2 * math.pi * i / n)) for i in range(n)])


def excel_cut(n: int = 4000) -> str:
    """The WKT of a big polygon as Excel keeps it: its first 32,767 characters."""
    text = shapely.to_wkt(circle(121.6, 31.1, n=n), rounding_precision=10)
    assert len(text) > 32_767
    return text[:32_767]


# (what the row is, its WKT cell): the expected problem code is the comment.
ROWS = [
    ("good, 3000 vertices", shapely.to_wkt(circle(121.5, 31.2), rounding_precision=9)),
    ("NaN text", "NaN"),  # not-a-geometry
    ("truncated", "POLYGON ((121.5 31.2, 121.51 31.2, 121.51"),  # truncated-wkt
    ("Excel cell limit", excel_cut()),  # truncated-wkt
    ("unclosed ring", "POLYGON ((121.5 31.2, 121.51 31.2, 121.51 31.21, 121.5 31.21))"),
    ("1e308 placeholder", "POLYGON ((121.5 31.2, 1e308 31.2, 121.51 31.21, 121.5 31.2))"),
    ("lat/lon swapped", "POLYGON ((31.2 121.5, 31.2 121.51, 31.21 121.51, 31.2 121.5))"),
    ("Seoul", shapely.to_wkt(shapely.box(126.97, 37.56, 126.98, 37.57))),
    ("empty cell", ""),  # missing-geometry
    ("good, small", shapely.to_wkt(shapely.box(121.52, 31.2, 121.53, 31.21))),
]
CODES = [None, "not-a-geometry", "truncated-wkt", "truncated-wkt", "unclosed-ring",
         "impossible-coordinate", "out-of-bounds", "outside-china", "missing-geometry", None]


def bsm(i: int) -> str:
    return f"3101150000{i:02d}"


def land_use_csv(path: Path, rows=ROWS, encoding: str = "gbk") -> Path:
    """The land-use table as a CSV in `encoding`, Chinese headers, one row per entry of `rows`."""
    with path.open("w", encoding=encoding, newline="") as f:
        out = csv.writer(f)
        out.writerow(HEADERS)
        for i, (_, wkt) in enumerate(rows):
            out.writerow([*{**GOOD, "标识码": bsm(i)}.values(), wkt])
    return path


def ogr2ogr(src: Path, dst: Path, *options: str) -> Path:
    """`dst` made from `src` by GDAL's own command-line tool, as other software makes files."""
    subprocess.run(["ogr2ogr", *options, str(dst), str(src)], check=True, capture_output=True)
    return dst


def unclosed_geojson(path: Path) -> Path:
    """A GeoJSON polygon whose ring does not return to its first point (GDAL accepts it)."""
    ring = [[121.5, 31.2], [121.51, 31.2], [121.51, 31.21], [121.5, 31.21]]
    feature = {"type": "Feature", "properties": {"BSM": bsm(0), "XZQDM": "310115",
                                                  "XZQMC": "浦东新区", "YDYHFLDM": "0101",
                                                  "YDYHFLMC": "水田"},
               "geometry": {"type": "Polygon", "coordinates": [ring]}}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]},
                               ensure_ascii=False), encoding="utf-8")
    return path
