"""Conflict check: planned parcels × protected polygons, against two baselines in the same run.

Baselines: a raw shapely loop (bulk STRtree query, `shapely.intersection` on the pair arrays,
then `app.model.geodesy.area_m2` for each intersecting pair) and the same query in SpatiaLite
SQL (R*Tree join, ST_Intersection, ST_Area on the ellipsoid). The engine runs one overlay rule
without filters on feature arrays (no XZQ, as the baselines have none) and, as a further row,
reading the layers from a project file first.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely

from app.analysis.dataset import Dataset, LayerData
from app.analysis.engine import check
from app.analysis.rules import parse_rules
from app.analysis.sources import load
from app.model import geodesy
from app.model.catalogue import load_catalogue
from app.project import db as spatialite
from benchmarks.common import new_project, parcels, table, timed

RULES = {
    "format": "coplan.conflict-rules/v1", "name": "bench",
    "cities": {"layer": "XZQ", "code_field": "XZQDM"},
    "rules": [{"id": "parcels-in-red-line", "type": "overlay", "name_zh": "地块×红线",
               "name_en": "parcels x red line", "a": {"layer": "GHYDYH"}, "b": {"layer": "STBHHX"}}],
}


def protected(n: int, seed: int = 7) -> np.ndarray:
    """`n` irregular protected polygons, 1–6 km across, over the same extent as the parcels."""
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(119.5, 122.0, n), rng.uniform(30.0, 32.0, n)
    radius = rng.uniform(0.005, 0.03, n)
    angles = np.linspace(0, 2 * np.pi, 33)[:-1]
    rings = [np.column_stack([x[i] + radius[i] * (1 + 0.3 * np.sin(3 * angles + i)) * np.cos(angles),
                              y[i] + radius[i] * (1 + 0.3 * np.sin(3 * angles + i)) * np.sin(angles)])
             for i in range(n)]
    return np.array([shapely.Polygon(r) for r in rings], dtype=object)


def layer(code: str, geoms: np.ndarray, prefix: str) -> LayerData:
    uuids = np.array([f"{prefix}-{i:08d}" for i in range(len(geoms))], dtype=object)
    return LayerData(code, uuids, np.full(len(geoms), "310000", dtype=object), geoms, {})


def raw_shapely(a: np.ndarray, b: np.ndarray) -> float:
    """The baseline: bulk query, vectorised intersection, official geodesic area per pair."""
    ia, ib = shapely.STRtree(b).query(a, predicate="intersects")
    pieces = shapely.intersection(a[ia], b[ib])
    return float(sum(geodesy.area_m2(p) for p in pieces))


def engine(dataset: Dataset) -> float:
    result = check(dataset, parse_rules(RULES, load_catalogue()))
    return float(sum(c.area_m2 for c in result.conflicts))


def spatialite_db(a: np.ndarray, b: np.ndarray):
    """An in-memory SpatiaLite database with both layers and R*Tree indexes."""
    db = spatialite.memory()
    for name, geoms in (("parcel", a), ("protected", b)):
        db.execute(f"CREATE TABLE {name} (id INTEGER PRIMARY KEY)")
        db.execute(f"SELECT AddGeometryColumn('{name}', 'geom', 4490, 'POLYGON', 'XY')")
        db.execute("BEGIN")
        db.conn.executemany(f"INSERT INTO {name} (id, geom) VALUES (?, GeomFromWKB(?, 4490))",
                            enumerate(shapely.to_wkb(geoms), start=1))
        db.execute("COMMIT")
        db.execute(f"SELECT CreateSpatialIndex('{name}', 'geom')")
    return db


SQL = """
SELECT sum(ST_Area(ST_Intersection(p.geom, q.geom), 1))
FROM protected AS q JOIN parcel AS p ON p.id IN (
    SELECT rowid FROM SpatialIndex WHERE f_table_name = 'parcel' AND search_frame = q.geom)
WHERE ST_Intersects(p.geom, q.geom)
"""


def spatialite_sql(db) -> float:
    return float(db.execute(SQL).fetchone()[0] or 0.0)


def project_file(folder: Path, a: np.ndarray, b: np.ndarray) -> Path:
    """A project holding the parcels (GHYDYH) and protected polygons (STBHHX)."""
    from benchmarks.common import fill_layer  # fills GHYDYH with `parcels(n)`

    project = new_project(folder, "bench_check.sqlite")
    fill_layer(project, "GHYDYH", len(a))
    _fill_protected(project, b)
    project.close()
    return folder / "bench_check.sqlite"


def _fill_protected(project, geoms: np.ndarray) -> None:
    from app.project.features import add_feature

    for i, geom in enumerate(geoms):
        add_feature(project, "STBHHX", {"BSM": f"B{i}", "XZQDM": "310000", "XZQMC": "上海市"},
                    shapely.MultiPolygon([geom]))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--parcels", type=int, default=100_000)
    p.add_argument("--protected", type=int, default=1_000)
    p.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()))
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    a, b = parcels(args.parcels), protected(args.protected)
    dataset = Dataset({"GHYDYH": layer("GHYDYH", a, "a"), "STBHHX": layer("STBHHX", b, "b")})
    db = spatialite_db(a, b)
    path = project_file(args.folder, a, b)
    totals = {"raw": raw_shapely(a, b), "engine": engine(dataset), "sql": spatialite_sql(db)}
    base = timed(lambda: raw_shapely(a, b), args.repeat)
    ours = timed(lambda: engine(dataset), args.repeat)
    sql = timed(lambda: spatialite_sql(db), args.repeat)
    with_io = timed(lambda: engine(load([path], ["GHYDYH", "STBHHX", "XZQ"])), args.repeat)
    pairs = len(check(dataset, parse_rules(RULES, load_catalogue())).conflicts)
    case = f"{args.parcels:,} parcels × {args.protected:,} protected, {pairs:,} intersecting pairs"
    rows = [
        (case, "raw shapely loop (baseline)", f"{base:.3f} s", "1.00×", f"{totals['raw'] / 1e6:,.3f}"),
        (case, "engine on feature arrays", f"{ours:.3f} s", f"{ours / base:.2f}×",
         f"{totals['engine'] / 1e6:,.3f}"),
        (case, "SpatiaLite SQL", f"{sql:.3f} s", f"{sql / base:.2f}× (engine {sql / ours:.1f}× faster)",
         f"{totals['sql'] / 1e6:,.3f}"),
        (case, "engine incl. reading the project file", f"{with_io:.3f} s", f"{with_io / base:.2f}×", ""),
    ]
    print(f"<!-- {time.strftime('%Y-%m-%d %H:%M')} best of {args.repeat} -->")
    print(table(rows, ("case", "run", "time", "ratio to raw shapely", "overlap km²")))


if __name__ == "__main__":
    main()
