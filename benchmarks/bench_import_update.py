"""`coplan import --update-by uuid` of an edited export (1% of the rows changed) against a plain
import of the same file into an empty layer, in the same run."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from app.project import export, history, io
from benchmarks.bench_import import write_geojson
from benchmarks.common import new_project, table


def edited_export(folder: Path, n: int) -> tuple[Path, Path]:
    """A project holding `n` committed parcels, and its export with every 100th class changed."""
    src = folder / f"parcels_{n}.geojson"
    write_geojson(src, n)
    project = new_project(folder, "base.sqlite")
    try:
        io.import_file(project, "GHYDYH", src)
        history.commit(project, "base")
        out = folder / "export.gpkg"
        export.export_layer(project, "GHYDYH", out)
    finally:
        project.close()
    subprocess.run(["ogrinfo", "-q", "-dialect", "SQLite", "-sql", "UPDATE GHYDYH SET BZ = "
                    "'edited' WHERE fid % 100 = 0", str(out)], check=True, capture_output=True)
    return folder / "base.sqlite", out


def timed_import(project_path: Path, path: Path, **options) -> tuple[float, object]:
    from app.project.project import Project
    project = Project.open(project_path, author="bench")
    try:
        start = time.perf_counter()
        report = io.import_file(project, "GHYDYH", path, **options)
        return time.perf_counter() - start, report
    finally:
        project.close()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--rows", type=int, nargs="+", default=[100_000])
    p.add_argument("--folder", type=Path, default=Path(tempfile.mkdtemp()))
    args = p.parse_args()
    rows = []
    for n in args.rows:
        base, edited = edited_export(args.folder, n)
        empty = new_project(args.folder, "empty.sqlite")
        empty.close()
        plain, _ = timed_import(args.folder / "empty.sqlite", edited)
        update, report = timed_import(base, edited, update_by="uuid")
        assert report.updated == n // 100 and report.unchanged == n - n // 100
        rows.append((f"{n:,} parcels, {n // 100:,} edited", f"{plain:.2f} s", f"{update:.2f} s",
                     f"{update / plain:.2f}×"))
        for name in ("base.sqlite", "empty.sqlite", "export.gpkg"):
            (args.folder / name).unlink(missing_ok=True)
    print(table(rows, ("re-import of an export", "plain import (baseline)", "--update-by uuid",
                       "ratio")))
    shutil.rmtree(args.folder, ignore_errors=True)


if __name__ == "__main__":
    main()
