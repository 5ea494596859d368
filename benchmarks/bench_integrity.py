"""What the integrity work costs on the hot paths (not run in CI).

    .venv/bin/python benchmarks/bench_integrity.py [N]

Times, on N polygons (default 100,000) in a fresh project: a bulk import with and without the
batch fill of stamps/derived values, a commit with and without the commit checks, an outside
SQL geometry update of N/10 features with and without the derive triggers, and opening the
file (the integrity check on open). "without" replaces the new step by a no-op, so the
difference is what the step costs."""

from __future__ import annotations

import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import shapely  # noqa: E402

from app.model.feature import utc_now  # noqa: E402
from app.model.ids import uuid7_many  # noqa: E402
from app.project import commit_checks, integrity, layers  # noqa: E402
from app.project import history as H  # noqa: E402
from app.project.layers import bulk_insert, geometry_param  # noqa: E402
from app.project.project import Project  # noqa: E402

FIELDS = {"BSM": None, "XZQDM": "310000", "XZQMC": "上海市", "HXMC": "东滩"}


@contextmanager
def timed(label: str, results: dict):
    start = time.perf_counter()
    yield
    results[label] = time.perf_counter() - start


@contextmanager
def without(module, name: str, replacement):
    saved = getattr(module, name)
    setattr(module, name, replacement)
    try:
        yield
    finally:
        setattr(module, name, saved)


def geometries(n: int) -> list[bytes]:
    x = 120.9 + (np.arange(n) % 400) * 0.001
    y = 30.9 + (np.arange(n) // 400) * 0.001
    return [shapely.to_wkb(shapely.MultiPolygon([shapely.box(a, b, a + 0.0008, b + 0.0008)]))
            for a, b in zip(x, y, strict=True)]


def load(project: Project, wkb: list[bytes]) -> None:
    names = ["uuid", "owner", "created_by", "created_at", "modified_by", "modified_at",
             *FIELDS, "MJ"]
    sql = (f'INSERT INTO "STBHHX" ({", ".join(names)}, geom) VALUES '
           f"({', '.join('?' * len(names))}, {geometry_param(project.layer('STBHHX'))})")
    now, ids = utc_now(), uuid7_many(len(wkb))
    areas = integrity.measure(project.layer("STBHHX"), shapely.from_wkb(wkb))["MJ"]  # as io does
    rows = ((u, "310000", "b", now, "b", now, f"3100{i:08d}", "310000", "上海市", "东滩", a, g)
            for i, (u, a, g) in enumerate(zip(ids, areas, wkb, strict=True)))
    with project.db.atomic(), bulk_insert(project.db, project.layer("STBHHX")):
        project.db.conn.executemany(sql, rows)


def run(n: int, folder: Path, new: bool) -> dict:
    results: dict[str, float] = {}
    path = folder / f"{'new' if new else 'old'}.sqlite"
    wkb = geometries(n)
    with Project.create(path, "310000", author="bench") as project:
        fill = integrity.fill_batch if new else (lambda *a: None)
        with without(layers.integrity, "fill_batch", fill), timed("bulk insert", results):
            load(project, wkb)
        gate = commit_checks.gate if new else (lambda *a: None)
        with without(H.commit_checks, "gate", gate), timed("commit", results):
            H.commit_parts(project, "load")
        if not new:
            for name in integrity.trigger_names(project.layer("STBHHX")):
                project.db.execute(f'DROP TRIGGER "{name}"')
    # Another tool moves a tenth of the parcels (SpatiaLite loaded, capture on).
    from app.project import db as spatialite
    db = spatialite.connect(path)
    with timed(f"outside update of {n // 10}", results), db.atomic():
        db.execute('UPDATE "STBHHX" SET geom = ST_Translate(geom, 0.0001, 0, 0) WHERE fid <= ?',
                   (n // 10,))
    db.close()
    with timed("open (queue processed)" if new else "open", results):
        Project.open(path).close()
    with timed("open again", results):
        Project.open(path).close()
    return results


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        before, after = run(n, Path(tmp), new=False), run(n, Path(tmp), new=True)
    print(f"{n:,} polygons      without (s)  with (s)")
    for (label, a), b in zip(before.items(), after.values(), strict=True):
        print(f"{label:<24} {a:>9.2f} {b:>9.2f}")


if __name__ == "__main__":
    main()
