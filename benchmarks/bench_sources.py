"""Time `read_source` on 100k-row files (not run in CI): python benchmarks/bench_sources.py [N].

Run from a checkout; prints one line per file. Compare with another checkout by running the same
script with that checkout first on PYTHONPATH (the --x/--y case needs this branch).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely
from pyogrio import raw

from app.project import sources


def shapefile(path: Path, n: int, encoding: str, name: str) -> Path:
    points = shapely.points(np.column_stack([120 + np.arange(n) * 1e-5, np.full(n, 31.0)]))
    names = np.array([f"{name}{i}" for i in range(n)], dtype=object)
    raw.write(path, shapely.to_wkb(points), [names], ["MC"], driver="ESRI Shapefile",
              geometry_type="Point", crs="EPSG:4490", encoding=encoding)
    return path


def dms_csv(path: Path, n: int) -> Path:
    lines = "".join(f"120°{i % 60}′{i % 60}.5″E,31°18′25.3″N,p{i}\n" for i in range(n))
    path.write_text("X坐标,Y坐标,MC\n" + lines, encoding="utf-8")
    return path


def timed(label: str, read) -> None:
    start = time.perf_counter()
    source = read()
    print(f"{label:<34} {len(source.wkb):>8} rows {time.perf_counter() - start:7.2f} s")


def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        gbk = shapefile(tmp / "gbk.shp", n, "GBK", "苏州市地块")
        western = shapefile(tmp / "w.shp", n, "cp1252", "Müller ")
        utf8 = shapefile(tmp / "u.shp", n, "UTF-8", "苏州市地块")
        timed("Shapefile GBK (.cpg)", lambda: sources.read_source(gbk, None, []))
        timed("Shapefile cp1252 (garbling check)", lambda: sources.read_source(western, None, []))
        timed("Shapefile UTF-8", lambda: sources.read_source(utf8, None, []))
        if hasattr(sources, "ReadOptions"):
            csv = dms_csv(tmp / "dms.csv", n)
            options = sources.ReadOptions(x="X坐标", y="Y坐标")
            timed("CSV --x/--y in DMS", lambda: sources.read_source(csv, None, [], options))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
