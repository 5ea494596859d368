"""Shared helpers: timing, synthetic polygons, a project with a big layer."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import shapely

from app.model.feature import utc_now
from app.model.ids import uuid7
from app.project import storage, tracking
from app.project.layers import geometry_param
from app.project.project import Project
from app.project.sql import ident, idents


def timed(fn: Callable[[], object], repeat: int = 3) -> float:
    """Best wall time of `repeat` runs, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def parcels(n: int, seed: int = 1) -> np.ndarray:
    """`n` small quadrilateral parcels scattered over the metro area (EPSG:4490)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(119.5, 122.0, n)
    y = rng.uniform(30.0, 32.0, n)
    w = rng.uniform(0.0005, 0.003, n)
    return shapely.box(x, y, x + w, y + w * rng.uniform(0.5, 1.5, n))


def polygons(n: int, seed: int = 3, vertices: tuple[int, int] = (5, 20)) -> np.ndarray:
    """`n` small polygons of 5–20 vertices scattered over the metro area (EPSG:4490); each is
    star-shaped around its centre with vertices in angle order, so it is simple and valid."""
    rng = np.random.default_rng(seed)
    k = rng.integers(vertices[0], vertices[1] + 1, n)
    owner = np.repeat(np.arange(n), k)
    starts = np.cumsum(k) - k
    step = rng.uniform(0.5, 1.5, int(k.sum()))
    turn = np.cumsum(step)
    before = np.repeat(turn[starts] - step[starts], k)  # the running sum up to each polygon
    angle = 2 * np.pi * (turn - before) / np.repeat(np.add.reduceat(step, starts), k)
    radius = np.repeat(rng.uniform(0.0003, 0.0015, n), k) * rng.uniform(0.6, 1.0, len(step))
    x = np.repeat(rng.uniform(119.5, 122.0, n), k) + radius * np.cos(angle)
    y = np.repeat(rng.uniform(30.0, 32.0, n), k) + radius * np.sin(angle)
    return shapely.polygons(shapely.linearrings(np.column_stack([x, y]), indices=owner))


def parcel_attrs(i: int) -> dict:
    codes = ("0101", "0701", "0801", "1001", "1401")
    return {"BSM": f"3100000{i:011d}", "YSDM": "2090020620", "XZQDM": "310000",
            "XZQMC": "上海市", "YDYHFLDM": codes[i % 5], "YDYHFLMC": "示例", "TBMJ": 1000.0 + i}


def fill_layer(project: Project, code: str, n: int, seed: int = 1) -> None:
    """Insert `n` committed parcels quickly (capture suppressed, base written in bulk)."""
    layer = project.layer(code)
    geoms = shapely.to_wkb(parcels(n, seed))
    names = ["uuid", "owner", "created_by", "created_at", *parcel_attrs(0)]
    now = utc_now()
    rows = ([uuid7(), project.party, "bench", now, *parcel_attrs(i).values(), geoms[i]]
            for i in range(n))
    with project.db.atomic(), tracking.capture_suppressed(project.db):
        project.db.conn.executemany(
            f"INSERT INTO {ident(code)} ({idents(names)}, geom) "
            f"VALUES ({', '.join('?' * len(names))}, {geometry_param(layer)})", rows)
    with project.db.atomic():  # committed as they are: their checksums, no old copies
        storage.record_sums(project.db, layer, "1")


def new_project(folder: Path, name: str) -> Project:
    path = folder / name
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return Project.create(path, "310000", "上海市", author="bench")


def sample_fids(n_rows: int, k: int, seed: int = 2) -> list[int]:
    return random.Random(seed).sample(range(1, n_rows + 1), k)


def table(rows: list[tuple], header: tuple) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
