"""Project file size after importing and committing a big layer, and the speed of the steps
around it: the code of a git revision (default HEAD, the baseline) and the working tree, each
in its own process on the same GeoPackage, in the same run.

Per-table sizes come from SQLite's dbstat virtual table (the standard library's sqlite3 has it;
the SpatiaLite build does not), read after a WAL checkpoint; "layer" is the layer table with its
indexes and its R-tree, the size the issue compares with ("≤ 2× the table").
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely

MB = 1024 * 1024
LAYERS = {"points": "XMK_POINT", "polygons": "GHYDYH"}
TIMES = ("import", "diff", "commit", "push build", "audit", "edit 10% + commit", "vacuum")  # s


# --- the source files ------------------------------------------------------------------------

def point_columns(n: int) -> tuple[list[str], list[np.ndarray]]:
    """Project-library points with the attributes a city's list of projects has."""
    i = np.arange(n)
    kinds = np.array(["JT", "LW", "ST", "SZ", "LD", "WL", "CY"])
    states = np.array(["规划", "前期", "在建", "建成"])
    agencies = np.array(["苏州市交通运输局", "苏州市水务局", "苏州市园林和绿化管理局",
                         "苏州工业园区管委会", "吴江区人民政府"])
    cols = {
        "XMBH": np.array([f"XM-320500-{k:07d}" for k in i], dtype=object),
        "XMMC": np.array([f"苏州市第{k}号{('综合交通枢纽改造', '河道整治', '绿道建设')[k % 3]}工程"
                          for k in i], dtype=object),
        "XMLX": kinds[i % len(kinds)].astype(object),
        "QTDW": agencies[i % len(agencies)].astype(object),
        "SJCS": np.where(i % 4 == 0, "320500,320600", "320500").astype(object),
        "JSZT": states[i % len(states)].astype(object),
        "QDNF": (2020 + i % 6).astype(np.int64),
        "WCNF": (2026 + i % 10).astype(np.int64),
        "TZ": np.round(np.random.default_rng(5).uniform(0.1, 80.0, n), 2),
        "MBID": np.array([f"MB-{k % 40:03d}" for k in i], dtype=object),
        "CLID": np.array([f"CL-{k % 120:03d}" for k in i], dtype=object),
        "BZ": np.where(i % 10 == 0, "近期实施项目，纳入年度计划", "").astype(object),
    }
    return list(cols), list(cols.values())


def polygon_columns(n: int) -> tuple[list[str], list[np.ndarray]]:
    i = np.arange(n)
    codes = np.array(["0701", "0801", "1001", "1401", "1207"])
    cols = {
        "BSM": np.array([f"320500{k:012d}" for k in i], dtype=object),
        "YSDM": np.full(n, "2090020620", dtype=object),
        "XZQDM": np.full(n, "320500", dtype=object),
        "XZQMC": np.full(n, "苏州市", dtype=object),
        "YDYHFLDM": codes[i % len(codes)].astype(object),
        "YDYHFLMC": np.full(n, "城镇住宅用地", dtype=object),
        "BZ": np.where(i % 7 == 0, "规划调整图斑", "").astype(object),
    }
    return list(cols), list(cols.values())


def write_gpkg(path: Path, kind: str, n: int) -> None:
    from pyogrio import raw

    from benchmarks.common import polygons

    rng = np.random.default_rng(4)
    if kind == "points":
        geoms = shapely.points(rng.uniform(119.9, 121.3, n), rng.uniform(30.8, 32.0, n))
        names, columns, gtype = *point_columns(n), "Point"
    else:
        geoms = shapely.multipolygons(polygons(n, vertices=(45, 55)).reshape(-1, 1))
        names, columns, gtype = *polygon_columns(n), "MultiPolygon"
    raw.write(path, shapely.to_wkb(geoms), columns, names, driver="GPKG", layer=LAYERS[kind],
              geometry_type=gtype, crs="EPSG:4490")


# --- one measurement, run with the code under test on sys.path -------------------------------

def sizes(path: Path) -> dict[str, int]:
    """Bytes per kind of storage (dbstat), plus the file and its free pages."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        owner = dict(conn.execute("SELECT name, tbl_name FROM sqlite_master"))
        out: dict[str, int] = {}
        for name, size in conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
            kind = _kind(owner.get(name, name), name)
            out[kind] = out.get(kind, 0) + size
        page, free = (conn.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_size", "freelist_count"))
        out["free pages"] = page * free
    finally:
        conn.close()
    out["file"] = path.stat().st_size
    return out


def _kind(table: str, name: str) -> str:
    for code in LAYERS.values():
        if table == code or name.startswith(f"idx_{code}_geom"):
            return "layer"
        if table.startswith("coplan_") and table.endswith(f"_{code}"):
            return table.removesuffix(f"_{code}")  # coplan_base, coplan_dirty, ...
    if table in ("coplan_changes", "coplan_changesets", "coplan_change_data"):
        return "history"
    if table == "coplan_shadow":
        return "shadow"
    return "other"


def measure(kind: str, n: int, src: Path, folder: Path) -> dict:
    from app.model.jobs import drive
    from app.project import history, io
    from app.project.project import Project
    from app.sync import replica

    path = folder / f"{kind}.coplan"
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)  # the previous repeat's
    project = Project.create(path, "320500", "苏州市", author="bench")
    result: dict = {}
    t = time.perf_counter()
    drive(io.import_steps(project, LAYERS[kind], src))
    result["import"] = time.perf_counter() - t
    t = time.perf_counter()
    result["diff rows"] = len(history.pending(project))
    result["diff"] = time.perf_counter() - t
    t = time.perf_counter()
    history.commit_parts(project, "import")
    result["commit"] = time.perf_counter() - t
    t = time.perf_counter()
    result["push MB"] = sum(len(json.dumps(history.changeset(project, cs_id).to_json(),
                                          ensure_ascii=False).encode())
                            for cs_id in replica.outbox_ids(project)) / MB
    result["push build"] = time.perf_counter() - t
    t = time.perf_counter()
    assert history.audit(project) == 0
    result["audit"] = time.perf_counter() - t
    project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    project.close()
    result["sizes"] = sizes(path)
    # A tenth of the features edited (one captured UPDATE) and committed.
    project = Project.open(path, author="bench")
    t = time.perf_counter()
    with project.db.atomic():
        project.db.execute(f'UPDATE "{LAYERS[kind]}" SET "BZ" = \'已核实\' WHERE fid % 10 = 0')
    history.commit_parts(project, "edit")
    result["edit 10% + commit"] = time.perf_counter() - t
    project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    project.close()
    edited = sizes(path)
    result["file after edit commit"], result["free after edit commit"] = edited["file"], edited["free pages"]
    conn = sqlite3.connect(path)
    t = time.perf_counter()
    conn.execute("VACUUM")
    result["vacuum"] = time.perf_counter() - t
    conn.close()
    result["file after VACUUM"] = path.stat().st_size
    return result


# --- the comparison --------------------------------------------------------------------------

def baseline_tree(ref: str, folder: Path) -> Path:
    """The app/ and schemas/ of git revision `ref`, unpacked into `folder`."""
    root = Path(__file__).resolve().parents[1]
    archive = subprocess.run(["git", "-C", str(root), "archive", ref, "app", "schemas"],
                             check=True, capture_output=True).stdout
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def run_variant(code_root: Path, kind: str, n: int, src: Path, folder: Path) -> dict:
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": f"{code_root}{os.pathsep}{root}"}
    folder.mkdir(parents=True, exist_ok=True)
    out = subprocess.run([sys.executable, "-m", "benchmarks.bench_project_size", "--measure", kind,
                          str(n), str(src), str(folder)],
                         env=env, cwd=folder, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def report(kind: str, n: int, results: dict[str, dict]) -> str:
    names = list(results)
    keys = sorted({k for r in results.values() for k in r["sizes"]},
                  key=lambda k: (k in ("file", "free pages"), k))
    lines = [f"\n### {n:,} {kind}\n", "| | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for k in keys:
        lines.append(f"| {k} MB | " + " | ".join(f"{r['sizes'].get(k, 0) / MB:.1f}" for r in results.values()) + " |")
    lines.append("| file / layer | " + " | ".join(
        f"{r['sizes']['file'] / r['sizes']['layer']:.2f}×" for r in results.values()) + " |")
    for k in ("file after edit commit", "free after edit commit", "file after VACUUM"):
        lines.append(f"| {k} MB | " + " | ".join(f"{r[k] / MB:.1f}" for r in results.values()) + " |")
    for k in TIMES:
        lines.append(f"| {k} s | " + " | ".join(f"{r[k]:.1f}" for r in results.values()) + " |")
    lines.append("| push MB | " + " | ".join(f"{r['push MB']:.1f}" for r in results.values()) + " |")
    return "\n".join(lines)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--points", type=int, default=300_000)
    p.add_argument("--polygons", type=int, default=100_000)
    p.add_argument("--baseline", default="HEAD", help="git revision to compare with ('' for none)")
    p.add_argument("--folder", type=Path, default=None)
    p.add_argument("--repeat", type=int, default=2, help="runs of each variant (best time kept)")
    p.add_argument("--measure", nargs=4, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.measure:
        kind, n, src, folder = args.measure
        print(json.dumps(measure(kind, int(n), Path(src), Path(folder))))
        return
    folder = args.folder or Path(tempfile.mkdtemp(prefix="coplan-size-"))
    root = Path(__file__).resolve().parents[1]
    variants = {"working tree": root}
    if args.baseline:
        variants = {args.baseline: baseline_tree(args.baseline, folder / "baseline"), **variants}
    for kind, n in (("points", args.points), ("polygons", args.polygons)):
        if not n:
            continue
        src = folder / f"{kind}.gpkg"
        src.unlink(missing_ok=True)
        write_gpkg(src, kind, n)
        results: dict[str, dict] = {}
        for _ in range(args.repeat):  # alternated, the best time kept: the machine is shared
            for name, code in variants.items():
                run = run_variant(code, kind, n, src, folder / name.replace(" ", "_"))
                best = results.setdefault(name, run)
                for key, value in run.items():
                    if key in TIMES:
                        best[key] = min(best[key], value)
        print(report(kind, n, results), flush=True)
    if not args.folder:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
