"""QC checks (app.qc) on 100k polygons, step by step, against raw shapely baselines in the same run.

Layers: a planning-zone layer that tiles (a jittered 317 × 316 grid of ~100 m cells sharing
their vertices, with 20 cells left out as gaps and 20 cells grown into their neighbours as
overlaps) and 100k scattered parcels (which overlap where they fall on each other).
Baselines: the naive overlap test (STRtree query with the `intersects` predicate, then an
intersection and its area for every pair that touches) and `shapely.union_all` alone.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import shapely

from app.model.catalogue import load_catalogue
from app.qc import topology
from app.qc.areas import china_area, party_boundary
from app.qc.checks import run_checks
from benchmarks.common import parcels, table

X0, Y0, CELL = 120.55, 31.20, 0.001  # degrees: the grid's corner (Suzhou) and cell size


def grid(n: int, seed: int = 5, holes: int = 20, grown: int = 20) -> np.ndarray:
    """About `n` cells tiling a jittered grid; `holes` cells removed, `grown` cells enlarged."""
    rng = np.random.default_rng(seed)
    cols = int(np.ceil(np.sqrt(n)))
    rows = int(np.ceil(n / cols))
    xs = X0 + CELL * np.arange(cols + 1)[None, :] + rng.uniform(-0.3, 0.3, (rows + 1, cols + 1)) * CELL
    ys = Y0 + CELL * np.arange(rows + 1)[:, None] + rng.uniform(-0.3, 0.3, (rows + 1, cols + 1)) * CELL
    i, j = np.divmod(np.arange(rows * cols), cols)
    corners = [(i, j), (i, j + 1), (i + 1, j + 1), (i + 1, j), (i, j)]
    coords = np.stack([np.column_stack([xs[a, b], ys[a, b]]) for a, b in corners], axis=1)
    cells = shapely.polygons(coords)
    inner = np.flatnonzero((i > 0) & (i < rows - 1) & (j > 0) & (j < cols - 1))
    picked = rng.choice(inner, holes + grown, replace=False)
    cells[picked[holes:]] = shapely.buffer(cells[picked[holes:]], CELL * 0.2, join_style="mitre")
    return np.delete(cells, picked[:holes])


def rows_for(geoms: np.ndarray, prefix: str, ysdm: str) -> list[dict]:
    return [{"uuid": f"u{n}", "owner": "320500", "BSM": f"{prefix}{n:08d}", "YSDM": ysdm,
             "XZQDM": "320505", "XZQMC": "虎丘区", "GHFQDM": "01", "GHFQMC": "生态保护区",
             "YDYHFLDM": "0804", "YDYHFLMC": "教育用地"} for n in range(len(geoms))]


def naive_overlaps(geoms: np.ndarray) -> int:
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    keep = left < right
    area = shapely.area(shapely.intersection(geoms[left[keep]], geoms[right[keep]]))
    return int((area > topology.OVERLAP_TOLERANCE_M2 / topology.M2_PER_SQ_DEGREE).sum())


def step(label: str, fn, out: list) -> object:
    start = time.perf_counter()
    result = fn()
    out.append((label, f"{time.perf_counter() - start:.2f}", _size(result)))
    return result


def _size(result: object) -> str:
    if isinstance(result, shapely.Geometry):
        return f"{result.geom_type}, {shapely.get_num_coordinates(result):,} vertices"
    return f"{len(result):,}" if hasattr(result, "__len__") else f"{result:,}"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--rows", type=int, default=100_000)
    args = p.parse_args()
    catalogue = load_catalogue()
    zones, scattered = grid(args.rows), parcels(args.rows)
    china_area()  # built once per process: not part of a check's cost
    found: list = []
    members = np.arange(len(zones))
    ghfq, ghydyh = catalogue.layer("GHFQ"), catalogue.layer("GHYDYH")
    zone_rows = rows_for(zones, "3205002", "2090020610")
    step("baseline: naive overlaps (tiling grid)", lambda: naive_overlaps(zones), found)
    step("qc overlaps (tiling grid)",
         lambda: topology.overlaps(ghfq, zone_rows, zones, members), found)
    step("baseline: shapely.union_all (tiling grid)", lambda: shapely.union_all(zones), found)
    step("qc gaps (tiling grid: union, holes, areas)",
         lambda: topology.gaps(ghfq, shapely.union_all(zones)), found)
    step("baseline: naive overlaps (scattered parcels)", lambda: naive_overlaps(scattered), found)
    step("qc overlaps (scattered parcels)", lambda: topology.overlaps(
        ghydyh, rows_for(scattered, "3205003", "2090020620"), scattered, np.arange(len(scattered))),
        found)
    city = {"uuid": "x", "owner": "320500", "BSM": "320500000001", "YSDM": "1000600100",
            "XZQDM": "320500", "XZQMC": "苏州市", "JB": "city"}
    features = {"GHFQ": (ghfq, zone_rows, zones),  # the city: the grid's box, a margin uncovered
                "XZQ": (catalogue.layer("XZQ"), [city],
                        np.array([shapely.box(*shapely.total_bounds(zones)).buffer(0.001)]))}
    boundary, _ = party_boundary("320500", features)
    step("run_checks: every check on the tiling grid and its city",
         lambda: run_checks(features, catalogue, "320500", boundary), found)
    print(f"{len(zones):,} zone cells, {len(scattered):,} scattered parcels\n")
    print(table(found, ("step", "seconds", "findings / result")))


if __name__ == "__main__":
    main()
