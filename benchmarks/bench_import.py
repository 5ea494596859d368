"""GeoJSON import of many polygons: `coplan import` (read, check, derive, write) as a ratio to
GDAL's `ogr2ogr` writing the same file into a new SpatiaLite database, in the same run."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely

from app.project import io
from benchmarks.common import new_project, parcel_attrs, parcels, table


def write_geojson(path: Path, n: int) -> None:
    """`n` parcels with the planned land-use fields, written with the json module."""
    geoms = parcels(n)
    coords = shapely.get_coordinates(geoms).round(7).reshape(n, 5, 2)
    with path.open("w", encoding="utf-8") as f:
        f.write('{"type": "FeatureCollection", "features": [\n')
        for i in range(n):
            feature = {"type": "Feature", "properties": parcel_attrs(i),
                       "geometry": {"type": "Polygon", "coordinates": [coords[i].tolist()]}}
            f.write(("," if i else "") + json.dumps(feature, ensure_ascii=False) + "\n")
        f.write("]}\n")


def time_ogr2ogr(src: Path, folder: Path) -> float:
    out = folder / "ogr.sqlite"
    out.unlink(missing_ok=True)
    start = time.perf_counter()
    subprocess.run(["ogr2ogr", "-f", "SQLite", "-dsco", "SPATIALITE=YES", "-nln", "GHYDYH",
                    "-lco", "SPATIAL_INDEX=YES", "-gt", "65536", str(out), str(src)],
                   check=True, capture_output=True)
    return time.perf_counter() - start


def time_coplan(src: Path, folder: Path) -> tuple[float, int]:
    project = new_project(folder, "coplan.sqlite")
    try:
        start = time.perf_counter()
        report = io.import_file(project, "GHYDYH", src)
        return time.perf_counter() - start, report.imported
    finally:
        project.close()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    p.add_argument("--folder", type=Path, default=Path(tempfile.mkdtemp()))
    args = p.parse_args()
    if not shutil.which("ogr2ogr"):
        raise SystemExit("ogr2ogr (Debian gdal-bin) is needed for the baseline")
    rows = []
    for n in args.rows:
        src = args.folder / f"parcels_{n}.geojson"
        write_geojson(src, n)
        ogr = time_ogr2ogr(src, args.folder)
        ours, imported = time_coplan(src, args.folder)
        assert imported == n
        rows.append((f"{n:,} polygons", f"{ogr:.2f} s", f"{ours:.2f} s", f"{ours / ogr:.2f}×"))
    print(table(rows, ("GeoJSON import", "ogr2ogr → SpatiaLite (baseline)", "coplan import", "ratio")))
    shutil.rmtree(args.folder, ignore_errors=True)
    _ = np  # numpy arrays come from benchmarks.common


if __name__ == "__main__":
    main()
