"""Change capture: overhead of the triggers on updates, and the cost of building a change set.

Baselines measured in the same run: the same updates on the same table with the capture
triggers dropped; commit cost at two table sizes and two change counts, to show it follows the
change count, not the table.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from functools import partial
from pathlib import Path

import shapely

from app.project import history
from app.project.sql import ident
from benchmarks.common import fill_layer, new_project, sample_fids, table, timed

LAYER = "GHYDYH"


def drop_capture(project) -> None:
    for event in ("insert", "update", "delete", "refid"):
        project.db.execute(f"DROP TRIGGER {ident(f'coplan_capture_{LAYER}_{event}')}")


def attribute_updates(project, fids: list[int]) -> None:
    """10k updates of one attribute, one transaction, then roll back so the run can repeat."""
    db = project.db
    db.execute("BEGIN")
    db.conn.executemany(f"UPDATE {ident(LAYER)} SET YDYHFLMC = ? WHERE fid = ?",
                        ((f"改{fid}", fid) for fid in fids))
    db.execute("ROLLBACK")


def geometry_updates(project, fids: list[int]) -> None:
    """10k geometry updates (the spatial index is maintained), rolled back afterwards."""
    db = project.db
    moved = shapely.to_wkb(shapely.box(121.0, 31.0, 121.001, 31.001))
    db.execute("BEGIN")
    db.conn.executemany(f"UPDATE {ident(LAYER)} SET geom = CastToMulti(GeomFromWKB(?, 4490)) "
                        "WHERE fid = ?", ((moved, fid) for fid in fids))
    db.execute("ROLLBACK")


def commit_cost(project, fids: list[int]) -> float:
    """Best time to build and store a change set from pending updates of `fids` (updates untimed)."""
    best = float("inf")
    for attempt in range(3):
        project.db.execute("BEGIN")
        project.db.conn.executemany(f"UPDATE {ident(LAYER)} SET YDYHFLMC = ? WHERE fid = ?",
                                    ((f"改{fid}-{attempt}", fid) for fid in fids))
        project.db.execute("COMMIT")
        start = time.perf_counter()
        history.commit(project, "bench")
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--changes", type=int, default=10_000)
    p.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()))
    args = p.parse_args()
    rows = []
    captured = new_project(args.folder, "bench_capture_a.sqlite")
    fill_layer(captured, LAYER, args.rows)
    plain = new_project(args.folder, "bench_capture_b.sqlite")
    fill_layer(plain, LAYER, args.rows)
    drop_capture(plain)
    fids = sample_fids(args.rows, args.changes)
    for name, fn in (("attribute", attribute_updates), ("geometry", geometry_updates)):
        base, with_capture = timed(partial(fn, plain, fids)), timed(partial(fn, captured, fids))
        rows.append((f"{args.changes:,} {name} updates in {args.rows:,} rows",
                     f"{base:.3f} s", f"{with_capture:.3f} s", f"{with_capture / base:.2f}×"))
    print(table(rows, ("case", "no capture (baseline)", "with capture", "ratio")))
    print()
    small = new_project(args.folder, "bench_capture_c.sqlite")
    fill_layer(small, LAYER, args.rows // 10)
    c_big = commit_cost(captured, fids)
    c_small_table = commit_cost(small, sample_fids(args.rows // 10, args.changes))
    c_few = commit_cost(captured, fids[: args.changes // 10])
    print(table([
        (f"{args.changes:,} changes, {args.rows // 10:,} rows (baseline)", f"{c_small_table:.3f} s", "1.00×"),
        (f"{args.changes:,} changes, {args.rows:,} rows", f"{c_big:.3f} s", f"{c_big / c_small_table:.2f}×"),
        (f"{args.changes // 10:,} changes, {args.rows:,} rows", f"{c_few:.3f} s", f"{c_few / c_small_table:.2f}×"),
    ], ("commit (build + store change set)", "time", "ratio")))
    for project in (captured, plain, small):
        project.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{project.path}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
