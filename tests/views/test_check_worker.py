"""The DB worker runs several pyproj jobs in a row (a check, then a check-up): its thread keeps
one Python thread state, so pyproj's thread-local PROJ context survives between jobs (with a
plain QThread the second job segfaulted)."""

from __future__ import annotations

import numpy as np
import shapely

from app.analysis.measure import metric_crs
from app.views.worker import DbWorker


def crs_name(_project) -> str:
    return metric_crs(np.array([shapely.Point(121, 31)], dtype=object)).name


def test_pyproj_in_consecutive_jobs(qtbot):
    worker = DbWorker()
    names: list[str] = []
    try:
        for _ in range(3):
            worker.call(crs_name, done=names.append, error=names.append)
        qtbot.waitUntil(lambda: len(names) == 3, timeout=20_000)
    finally:
        worker.stop()
    assert names == ["CGCS2000 / 3-degree Gauss-Kruger CM 120E"] * 3
