"""Parts of the sync benchmark about one big layer: its first push and a fresh clone (wall time
and peak RSS of client and server, against ogr2ogr copying the same layer), and the latency of
another party's small pushes while a big push is being merged. Each part runs on a fresh store:
SQLite in the benchmark's folder, or a new database on a PostgreSQL server (`pg`)."""

from __future__ import annotations

import cProfile
import hashlib
import json
import os
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
import uuid as uuidlib
from dataclasses import dataclass
from pathlib import Path

import shapely

from app.model.catalogue import load_catalogue
from app.model.feature import utc_now
from app.model.geodesy import areas_m2
from app.model.ids import uuid7_many
from app.project import history, layers
from app.project.project import Project
from app.project.sql import ident, idents
from app.sync import protocol
from app.sync.server import versions
from benchmarks.common import new_project, polygons
from benchmarks.sync_fixtures import (
    PARTY_A,
    PARTY_B,
    PROJECT,
    REPO,
    SEED_VERSION,
    Client,
    Server,
    Spec,
    clock,
    copy_project,
    mark_synced,
    new_store,
    owned_rows,
    remove_project,
    scratch_store,
    seed_features,
    settle,
)

BIG_LAYER = "STBHHX"
GB = 1024 * 1024  # kB in a GiB (RSS figures are in kB)
RSS_TARGET_KB = GB
SMALL_OWNED = 200  # features of the party making small pushes


# --- test data ----------------------------------------------------------------------------------

def big_layer_project(folder: Path, name: str, n: int) -> tuple[Path, float]:
    """A closed project of party A whose STBHHX layer holds `n` new, uncommitted polygons of 5–20
    vertices (the state after an import, before the first commit); (path, build seconds)."""
    start = time.perf_counter()
    project = new_project(folder, name)
    layer = project.layer(BIG_LAYER)
    geoms = polygons(n)
    wkb, area = shapely.to_wkb(geoms), areas_m2(geoms).round(2)
    uuids, now = uuid7_many(n), utc_now()
    names = ["uuid", "owner", "created_by", "created_at", "BSM", "XZQDM", "XZQMC", "HXMC", "HXLX",
             "MJ"]
    rows = ((uuids[i], PARTY_A, "bench", now, f"310000{i:012d}", "310000", "上海市",
             f"生态保护红线{i % 997}", ("一类", "二类")[i % 2], float(area[i]), wkb[i])
            for i in range(n))
    with project.db.atomic(), layers.bulk_insert(project.db, layer):
        project.db.conn.executemany(
            f"INSERT INTO {ident(BIG_LAYER)} ({idents(names)}, geom) "
            f"VALUES ({', '.join('?' * len(names))}, {layers.geometry_param(layer)})", rows)
    project.close()
    return project.path, time.perf_counter() - start


# --- measuring a step in its own process ----------------------------------------------------------

@dataclass(frozen=True)
class Run:
    """What one measured step took."""

    seconds: float  # wall time
    peak_kb: int  # peak RSS of the client process (ogr2ogr's own for the baseline)
    server_kb: int | None = None  # peak RSS of `coplan serve` during the step
    info: dict | None = None  # what the step reported


def step_command(step: str, *args: str, profile: Path | None = None) -> list[str]:
    extra = ["--profile", str(profile)] if profile else []
    return [sys.executable, "-m", "benchmarks.sync_step", step, *args, *extra]


def run_step(step: str, *args: str, profile: Path | None = None) -> Run:
    """Run `benchmarks.sync_step` in a subprocess; its own timing and peak RSS."""
    proc = subprocess.run(step_command(step, *args, profile=profile), cwd=REPO, text=True,
                          capture_output=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    if proc.returncode:
        raise RuntimeError(f"step {step} failed:\n{proc.stderr[-4000:]}")
    info = json.loads(proc.stdout.strip().splitlines()[-1])
    return Run(info.pop("seconds"), info.pop("peak_kb"), info=info)


# Starts a program from a small process and prints the program's ru_maxrss: a child's
# ru_maxrss begins at the RSS of the process that spawned it, here a few MB, not the benchmark's.
SPAWN = ("import os, sys\n"
         "pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ)\n"
         "_, status, usage = os.wait4(pid, 0)\n"
         "print(usage.ru_maxrss)\n"
         "sys.exit(os.waitstatus_to_exitcode(status))\n")


def ogr2ogr_copy(source: Path, target: Path) -> Run:
    """The baseline: GDAL copies the layer into a new SpatiaLite file (wall time, peak RSS)."""
    ogr2ogr = shutil.which("ogr2ogr")
    if not ogr2ogr:
        raise RuntimeError("ogr2ogr not found: apt-get install gdal-bin")
    remove_project(target)
    command = [sys.executable, "-S", "-c", SPAWN, ogr2ogr, "-f", "SQLite", "-dsco",
               "SPATIALITE=YES", str(target), str(source), BIG_LAYER]
    start = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode:
        raise RuntimeError(f"ogr2ogr failed: {proc.stderr}")
    return Run(seconds, int(proc.stdout.split()[-1]))


def server_step(server: Server, step: str, *args: str, profile: Path | None = None) -> Run:
    """A client step against `server`, with the server's peak RSS during it."""
    server.reset_peak()
    run = run_step(step, *args, profile=profile)
    return Run(run.seconds, run.peak_kb, server.peak_kb(), run.info)


# --- part: first push and clone of a big layer ----------------------------------------------------

@dataclass
class BulkResult:
    rows: int
    build: float
    baseline: Run
    commit: Run
    push: Run
    clone: Run


def bulk_sync(folder: Path, rows: int, profile: bool = False, pg: str | None = None,
              workers: int = 1) -> BulkResult:
    """Build the layer (untimed), copy it with ogr2ogr, commit, push every part, clone it fresh
    (server: a fresh store, SQLite or a new database on the PostgreSQL server `pg`)."""
    source, build = big_layer_project(folder, "bench_sync_bulk_src.sqlite", rows)
    baseline = ogr2ogr_copy(source, folder / "bench_sync_bulk_ogr.sqlite")
    remove_project(folder / "bench_sync_bulk_ogr.sqlite")
    work = copy_project(source, folder / "bench_sync_bulk_a.sqlite")
    prof = (lambda name: folder / f"bench_sync_{name}.pstats") if profile else (lambda name: None)
    commit = run_step("commit", str(work), profile=prof("commit"))
    target = folder / "bench_sync_bulk_clone.sqlite"
    remove_project(target)
    try:
        with scratch_store(folder, "bench_sync_bulk_server", pg) as data:
            store, tokens = new_store(data, {"a": PARTY_A, "b": PARTY_B})
            store.close()
            server = Server(data, workers)
            with server as url:
                with Project.open(work, author="bench-a") as project:
                    mark_synced(project, url, 0)
                push = server_step(server, "push", str(work), tokens["a"], profile=prof("push"))
                clone = server_step(server, "clone", url, tokens["b"], PROJECT, str(target),
                                    profile=prof("clone"))
        _check_bulk(rows, commit, push, clone)
    finally:
        for path in (source, work, target):
            remove_project(path)
    return BulkResult(rows, build, baseline, commit, push, clone)


def _check_bulk(rows: int, commit: Run, push: Run, clone: Run) -> None:
    if push.info["applied"] != rows or push.info["clashes"]:
        raise RuntimeError(f"the push applied {push.info['applied']} of {rows} features")
    if clone.info["features"].get(BIG_LAYER) != rows:
        raise RuntimeError(f"the clone got {clone.info['features']}, not {rows} features")
    if commit.info["parts"] != push.info["parts"]:
        raise RuntimeError(f"{commit.info['parts']} parts committed, {push.info['parts']} pushed")


def mib(kb: int | None) -> str:
    return "—" if kb is None else f"{kb / 1024:,.0f} MiB"


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def bulk_rows(r: BulkResult) -> list[tuple]:
    """Table rows: each step's time against ogr2ogr and its peak RSS against 1 GiB."""
    base = r.baseline.seconds
    both = Run(r.commit.seconds + r.push.seconds, max(r.commit.peak_kb, r.push.peak_kb),
               r.push.server_kb)
    steps = [(f"ogr2ogr copy of {r.rows:,} features (baseline)", r.baseline, None),
             (f"commit (local; {r.commit.info['parts']} parts of ≤ 5,000)", r.commit, None),
             (f"push of all {r.push.info['parts']} parts (commit untimed)", r.push, 3.0),
             ("commit + push", both, 3.0),
             ("fresh clone (snapshot pages + pull)", r.clone, 3.0)]
    out = []
    for name, run, limit in steps:
        ratio = run.seconds / base
        rss_ok = run.peak_kb <= RSS_TARGET_KB and (run.server_kb or 0) <= RSS_TARGET_KB
        target = "—" if limit is None else (f"time {verdict(ratio <= limit)}, "
                                            f"RSS {verdict(rss_ok)}")
        out.append((name, f"{run.seconds:.1f} s", f"{ratio:.1f}×", mib(run.peak_kb),
                    mib(run.server_kb), target))
    return out


BULK_HEADER = ("step", "wall", "÷ ogr2ogr", "client peak RSS", "server peak RSS",
               "target (≤ 3×, ≤ 1 GiB)")


def top_functions(path: Path, n: int = 12) -> str:
    """The `n` functions with the most own time in a cProfile dump, as a Markdown table."""
    stats = pstats.Stats(str(path))
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:n]
    lines = ["| own s | cumulative s | calls | function |", "|---|---|---|---|"]
    for (file, line, name), (_, calls, own, cum, _) in rows:
        where = f"{Path(file).name}:{line}" if line else file
        lines.append(f"| {own:.2f} | {cum:.2f} | {calls:,} | `{name}` ({where}) |")
    return "\n".join(lines)


def profile_server_part(folder: Path, n: int = 5_000, pg: str | None = None
                        ) -> tuple[float, float, Path]:
    """What the server does with one part of a first push, in-process and without HTTP: parse
    and check the body, then merge and store it (the two run_in_threadpool calls of the push
    route); (parse seconds, merge seconds, cProfile dump of both)."""
    path, _ = big_layer_project(folder, "bench_sync_part.sqlite", n)
    try:
        with scratch_store(folder, "bench_sync_part_server", pg) as data:
            store, _ = new_store(data, {"a": PARTY_A})
            try:
                with Project.open(path, author="bench-a") as project:
                    cs = history.commit(project, "首次入库")
                body = json.dumps({**cs.to_json(), "project": PROJECT},
                                  ensure_ascii=False).encode()
                member, catalogue = store.member(PROJECT, "a"), load_catalogue()
                profiler, out = cProfile.Profile(), folder / "bench_sync_server_part.pstats"
                profiler.enable()
                parsed, parse = clock(lambda: protocol.parse_changeset(body, catalogue))
                digest = hashlib.sha256(body).hexdigest()
                _, merge = clock(lambda: versions.push(store, member, parsed, digest))
                profiler.disable()
                profiler.dump_stats(out)
            finally:
                store.close()
    finally:
        remove_project(path)
    return parse, merge, out


# --- part: small pushes while a big push is merged -------------------------------------------------

def quantile_row(name: str, latencies: list[float], extra: str = "") -> tuple:
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    ok = verdict(q[98] < 0.5)
    return (name, len(latencies), f"{q[49] * 1000:.1f} ms", f"{q[98] * 1000:.1f} ms",
            f"{max(latencies) * 1000:.1f} ms", ok, extra)


def timed_pushes(client: Client, count: int) -> list[float]:
    latencies = []
    for _ in range(count):
        start = time.perf_counter()
        client.push()
        latencies.append(time.perf_counter() - start)
    return latencies


def pushes_during(client: Client, bulk: subprocess.Popen) -> tuple[list[float], dict]:
    """Small pushes back to back from when the big push sends its first part until it ends;
    (latencies, the big push's report)."""
    lines: list[str] = []
    started = threading.Event()

    def read() -> None:
        for line in bulk.stdout:
            lines.append(line)
            if line.strip() == "started":
                started.set()
        started.set()  # ended (or failed) before starting
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    started.wait()
    latencies = []
    while bulk.poll() is None:
        start = time.perf_counter()
        client.push()
        if bulk.poll() is None:  # only pushes that overlapped the big one count
            latencies.append(time.perf_counter() - start)
    reader.join()
    if bulk.returncode:
        raise RuntimeError(f"the big push failed:\n{bulk.stderr.read()[-4000:]}")
    return latencies, json.loads(lines[-1])


def latency_under_load(folder: Path, rows: int, pushes: int, pg: str | None = None,
                       workers: int = 1) -> list[tuple]:
    """1-feature pushes of party B alone (baseline), then while A's `rows`-feature push merges
    (server: a fresh store, SQLite or a new database on the PostgreSQL server `pg`)."""
    path, _ = big_layer_project(folder, "bench_sync_latency_a.sqlite", rows)
    try:
        with scratch_store(folder, "bench_sync_latency_server", pg) as data:
            during, report, alone = _latencies(data, path, pushes, workers)
    finally:
        remove_project(path)
    note = f"{rows:,}-feature push: {report['parts']} parts in {report['seconds']:.1f} s"
    return [quantile_row("1-feature push, server otherwise idle (baseline)", alone),
            quantile_row("1-feature push while the big push merges", during, note)]


def _latencies(data: Spec, path: Path, pushes: int, workers: int
               ) -> tuple[list[float], dict, list[float]]:
    """Seed the store at `data`, serve it; (latencies during the big push, its report,
    latencies on the idle server)."""
    store, tokens = new_store(data, {"a": PARTY_A, "b": PARTY_B})
    owned = [str(uuidlib.uuid4()) for _ in range(SMALL_OWNED)]
    try:
        seed_features(store, owned_rows(PARTY_B, owned), SEED_VERSION)
    finally:
        store.close()
    settle(data)
    with Server(data, workers) as url:
        with Project.open(path, author="bench-a") as project:
            history.commit(project, "首次入库")  # untimed: only the push is under test
            mark_synced(project, url, SEED_VERSION)
        client = Client(url, tokens["b"], PARTY_B, dict.fromkeys(owned, "0"),
                        random.Random(7), most=1).connect(None)
        timed_pushes(client, 10)  # warm-up
        alone = timed_pushes(client, pushes)
        bulk = subprocess.Popen(step_command("push", str(path), tokens["a"]), cwd=REPO,
                                text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env={**os.environ, "PYTHONPATH": str(REPO)})
        during, report = pushes_during(client, bulk)
    return during, report, alone


LATENCY_HEADER = ("another party's push", "pushes", "p50", "p99", "max", "p99 < 500 ms", "load")
