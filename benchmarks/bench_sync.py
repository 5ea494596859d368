"""Sync at scale over HTTP, against a real `coplan serve --port 0` in a subprocess. Each part
prints a Markdown table of ratios against a baseline measured in the same run.

push-pull: push + merge + pull of `--changes` changed features (one attribute; separately
   geometry) in a layer of `--rows` features. Two replicas (A and B) and the server hold the
   same features at version 1; A edits and commits (untimed), pushes (client JSON + HTTP +
   server parse, merge and store), B pulls (HTTP + apply + rebase). Baseline: the same UPDATE
   statements B's pull runs, with `executemany` in one transaction on a copy of the replica
   (capture triggers dropped, spatial index maintained). Target: ≤ 2×.
bulk: the first push of a `--rows`-feature STBHHX layer (polygons of 5–20 vertices): the commit
   and the push of all its parts, each in its own process, then a fresh clone (snapshot pages).
   Wall time and peak RSS of the client process (VmHWM) and of `coplan serve` (VmHWM, reset
   before each step). Baseline: `ogr2ogr -f SQLite -dsco SPATIALITE=YES` copying the same layer
   into a new SpatiaLite file. Targets: ≤ 3× ogr2ogr, RSS ≤ 1 GiB.
latency: p50/p99 of another party's 1-feature pushes, back to back, while a
   `--latency-rows`-feature push is being merged; baseline: the same pushes on an idle server.
   Target: p99 < 500 ms.
clients: `--clients` concurrent clients, each its own user and party, pushing `--pushes` small
   change sets (1–3 updates of their own features) as fast as they can; next to the same client
   load on GET /api/v1/health, the framework's empty endpoint. Both with keep-alive connections
   (what `Remote` does) and with a new connection per request.

The server store is SQLite in `--folder` unless `--store` gives the URL of a PostgreSQL server
(any database on it; the role must be allowed to create databases): each part then runs on a
fresh database of its own, dropped afterwards, served by `--workers` processes; a seeded
database is `VACUUM (ANALYZE)`d first, as autovacuum would shortly after a bulk load.
`benchmarks/bench_store.py` runs the parts that compare the two stores side by side.

    python -m benchmarks.bench_sync [--rows 1000000] [--changes 10000] [--repeat 3]
        [--latency-rows 100000] [--only push-pull|bulk|latency|clients] [--profile]
        [--store postgresql://… [--workers N]]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import tempfile
import threading
import time
import uuid as uuidlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import shapely
from pysqlite3 import dbapi2 as sqlite3

from app.model.changes import ChangeSet
from app.project import history, tracking
from app.project.layers import geometry_param
from app.project.project import Project
from app.project.sql import ident
from app.sync import replica
from app.sync.client import Remote
from benchmarks import sync_bulk
from benchmarks.common import fill_layer, new_project, parcels, sample_fids, table
from benchmarks.sync_fixtures import (
    LAYER,
    PARTY_A,
    PARTY_B,
    SEED_VERSION,
    Client,
    Seeded,
    Server,
    Spec,
    clock,
    copy_project,
    describe_store,
    fresh_connection,
    is_pg,
    mark_synced,
    new_store,
    owned_rows,
    remove_project,
    scratch_store,
    seed_features,
    seeded_store,
    settle,
)

# --- replicas -----------------------------------------------------------------------------------

def tracked_rows(project: Project) -> Iterator[tuple[str, dict]]:
    """(uuid, row) of every feature as the server keeps it: tracked columns, geometry as hex WKB
    spelled the way a commit spells it."""
    layer = project.layer(LAYER)
    cols = tracking.tracked_columns(layer)
    exprs = [ident(c) for c in cols[:-1]] + ["hex(AsBinary(geom))"]
    for uuid, *values in project.db.execute(f"SELECT uuid, {', '.join(exprs)} FROM {ident(LAYER)}"):
        yield uuid, dict(zip(cols, values, strict=True))


def drop_capture(project: Project) -> None:
    """Remove the change-capture triggers: the raw copy measures SQLite alone."""
    for event in ("insert", "update", "delete", "refid"):
        project.db.execute(f"DROP TRIGGER {ident(f'coplan_capture_{LAYER}_{event}')}")


@dataclass
class Replicas:
    """Client A (pushes), client B (pulls) and a raw copy for the baseline, all equal at start."""

    a: Project
    b: Project
    raw: Project
    remote_a: Remote | None = None
    remote_b: Remote | None = None

    def close(self) -> None:
        """Close and delete the three files."""
        for project in (self.a, self.b, self.raw):
            project.close()
            remove_project(project.path)


def make_replicas(folder: Path, rows: int) -> Replicas:
    """A filled replica for party A; byte copies of it for B (another party) and the baseline."""
    a = new_project(folder, "bench_sync_a.sqlite")
    fill_layer(a, LAYER, rows)
    a.close()
    b = Project.open(copy_project(a.path, folder / "bench_sync_b.sqlite"), author="bench-b")
    b.set_meta("party", PARTY_B)
    raw = Project.open(copy_project(a.path, folder / "bench_sync_raw.sqlite"), author="bench-raw")
    drop_capture(raw)
    return Replicas(Project.open(a.path, author="bench-a"), b, raw)


# --- one round: edit, commit, baseline, push, pull ---------------------------------------------

@dataclass(frozen=True)
class Edit:
    """What a round changes: one column of `fids`, to values made for round `n`."""

    column: str
    fids: list[int]
    n: int

    def rows(self) -> Iterator[tuple]:
        """(new value, fid) for A's UPDATE statement."""
        if self.column == "geom":
            geoms = shapely.to_wkb(parcels(len(self.fids), seed=1000 + self.n))
            return zip(geoms, self.fids, strict=True)
        return ((f"改{self.n}-{fid}", fid) for fid in self.fids)

    def sql(self) -> str:
        param = "CastToMulti(GeomFromWKB(?, 4490))" if self.column == "geom" else "?"
        return f"UPDATE {ident(LAYER)} SET {ident(self.column)} = {param} WHERE fid = ?"


def edit_and_commit(project: Project, edit: Edit) -> ChangeSet:
    """A's edits and commit (not timed)."""
    with project.db.atomic():
        project.db.conn.executemany(edit.sql(), edit.rows())
    done = history.commit_parts(project, f"bench round {edit.n}: {edit.column}")
    parts = [history.changeset(project, i) for i in done.ids]  # 5,000 changes each
    return replace(parts[0], changes=tuple(c for cs in parts for c in cs.changes))


def raw_apply(project: Project, cs: ChangeSet) -> float:
    """Seconds to run the UPDATE statements B's pull runs, with executemany, one transaction."""
    layer = project.layer(LAYER)
    [column] = cs.changes[0].cols
    param = geometry_param(layer) if column == "geom" else "?"
    sql = (f"UPDATE {ident(LAYER)} SET modified_by = ?, modified_at = ?, {ident(column)} = {param} "
           "WHERE uuid = ?")
    rows = [(cs.author, cs.created, bytes.fromhex(c.cols[column][1]) if column == "geom"
             else c.cols[column][1], c.uuid) for c in cs.changes]
    start = time.perf_counter()
    with project.db.atomic():
        project.db.conn.executemany(sql, rows)
    return time.perf_counter() - start


def push(reps: Replicas, expected: int) -> tuple[float, int]:
    """(seconds, parts) for A to push its outbox (a commit over 5,000 changes goes in parts);
    checks every change was applied without a clash."""
    answers, seconds = clock(lambda: replica.run(replica.push_steps(reps.a, reps.remote_a)))
    applied = sum(a["applied"] for a in answers)
    clashes = sum(len(a["clashes"]) for a in answers)
    if applied != expected or clashes:
        raise RuntimeError(f"push applied {applied} of {expected} with {clashes} clashes: "
                           "replicas and server drifted apart")
    return seconds, len(answers)


def pull(reps: Replicas, cs: ChangeSet, parts: int) -> float:
    """Seconds for B to pull the new versions (one per part); checks B now has A's values."""
    count, seconds = clock(lambda: replica.run(replica.pull_steps(reps.b, reps.remote_b)))
    [column] = cs.changes[0].cols
    expr = "hex(AsBinary(geom))" if column == "geom" else ident(column)
    for change in cs.changes[:: max(1, len(cs.changes) // 25)]:
        got = reps.b.db.execute(f"SELECT {expr} FROM {ident(LAYER)} WHERE uuid = ?",
                                (change.uuid,)).fetchone()[0]
        if count != parts or got != change.cols[column][1]:
            raise RuntimeError(f"B did not get {change.uuid}'s new {column}")
    return seconds


def sync_round(reps: Replicas, edit: Edit) -> dict[str, float]:
    """Edit and commit in A (untimed); time the baseline, the push and the pull."""
    cs = edit_and_commit(reps.a, edit)
    base = raw_apply(reps.raw, cs)
    pushed, parts = push(reps, len(cs.changes))
    pulled = pull(reps, cs, parts)
    return {"baseline": base, "push": pushed, "pull": pulled, "total": pushed + pulled}


def best(rounds: list[dict[str, float]]) -> dict[str, float]:
    """The fastest of each measure over repeated rounds."""
    return {key: min(r[key] for r in rounds) for key in rounds[0]}


# --- part 1 -------------------------------------------------------------------------------------

def setup_large(folder: Path, rows: int, spec: Spec
                ) -> tuple[Replicas, dict[str, str], float, Seeded]:
    """Replicas and a server store at `spec` holding the same `rows` features;
    (replicas, tokens, seconds, what seeding the store took)."""
    start = time.perf_counter()
    reps = make_replicas(folder, rows)
    try:
        tokens, seeded = seeded_store(spec, {"a": PARTY_A, "b": PARTY_B}, tracked_rows(reps.a))
    except BaseException:
        reps.close()
        raise
    return reps, tokens, time.perf_counter() - start, seeded


@dataclass(frozen=True)
class LargeSync:
    """Part 1's figures: (case, best seconds of each measure) per edited column, and the seed."""

    cases: list[tuple[str, dict[str, float]]]
    seeded: Seeded


def large_sync_times(folder: Path, rows: int, changes: int, repeat: int, pg: str | None = None,
                     workers: int = 1) -> LargeSync:
    """Part 1 on a fresh store (SQLite in `folder`, or a new database on the PostgreSQL server
    `pg`): the best times of push / pull / total and of the raw apply, per edited column."""
    with scratch_store(folder, "bench_sync_server", pg) as spec:
        reps, tokens, setup_seconds, seeded = setup_large(folder, rows, spec)
        print(f"(setup, untimed: three replicas and a server store of {rows:,} features in "
              f"{setup_seconds:.0f} s, of which {seeded.seconds:.0f} s seeding the store)\n",
              flush=True)
        try:
            with Server(spec, workers) as url:
                for project in (reps.a, reps.b):
                    mark_synced(project, url, SEED_VERSION)
                reps.remote_a, reps.remote_b = Remote(url, tokens["a"]), Remote(url, tokens["b"])
                sync_round(reps, Edit("BZ", sample_fids(rows, changes, seed=99), 0))  # warm-up
                cases = [sync_case(reps, column, rows, changes, repeat)
                         for column in ("YDYHFLMC", "geom")]
        finally:
            reps.close()
    return LargeSync(cases, seeded)


def large_sync(folder: Path, rows: int, changes: int, repeat: int, pg: str | None = None,
               workers: int = 1) -> list[tuple]:
    """Part 1: table rows of push / pull / total against the raw apply, per edited column."""
    return [sync_row(case, t) for case, t in
            large_sync_times(folder, rows, changes, repeat, pg, workers).cases]


def sync_case(reps: Replicas, column: str, rows: int, changes: int, repeat: int
              ) -> tuple[str, dict[str, float]]:
    """Best of `repeat` rounds editing `column`: (what was edited, best seconds per measure)."""
    results = [sync_round(reps, Edit(column, sample_fids(rows, changes, seed=10 * i + len(column)),
                                     i + 1)) for i in range(repeat)]
    what = "geometry" if column == "geom" else f"attribute {column}"
    return f"{changes:,} × {what} in {rows:,}", best(results)


def sync_row(case: str, t: dict[str, float]) -> tuple:
    """One case's best times as a table row."""
    return (case, f"{t['baseline']:.3f} s", f"{t['push']:.3f} s",
            f"{t['pull']:.3f} s", f"{t['total']:.3f} s", f"{t['push'] / t['baseline']:.1f}×",
            f"{t['pull'] / t['baseline']:.1f}×", f"{t['total'] / t['baseline']:.1f}×")


SYNC_HEADER = ("case", "raw SQLite apply (baseline)", "push", "pull", "push + pull",
               "push ÷ base", "pull ÷ base", "total ÷ base")


# --- part 2: concurrent small pushes ------------------------------------------------------------

def busy_store(data: Spec, clients: int, features: int) -> dict[str, tuple[str, list[str]]]:
    """A store with `clients` editors, each of its own party owning `features` features;
    user -> (token, uuids of its features)."""
    members = {f"u{i}": f"c{i:02d}" for i in range(clients)}
    store, tokens = new_store(data, members)
    owned = {user: [str(uuidlib.uuid4()) for _ in range(features)] for user in members}
    rows = (row for user, uuids in owned.items() for row in owned_rows(members[user], uuids))
    try:
        seed_features(store, rows, SEED_VERSION)
    finally:
        store.close()
    settle(data)
    return {user: (tokens[user], owned[user]) for user in members}


def hammer(clients: list[Client], action: Callable[[Client], None], count: int,
           warmup: int) -> tuple[list[float], float]:
    """Every client runs `action` `warmup` times, then all start together and run it `count`
    times as fast as they can; (latencies in seconds, wall seconds of the measured part)."""
    started: list[float] = []
    barrier = threading.Barrier(len(clients), action=lambda: started.append(time.perf_counter()))
    latencies: list[float] = []  # list.append is atomic under the GIL

    def work(client: Client) -> None:
        for _ in range(warmup):
            action(client)
        barrier.wait()
        for _ in range(count):
            start = time.perf_counter()
            action(client)
            latencies.append(time.perf_counter() - start)
    with ThreadPoolExecutor(len(clients)) as pool:
        list(pool.map(work, clients))  # re-raises a client's error
    return latencies, time.perf_counter() - started[0]


@dataclass(frozen=True)
class Load:
    """One request hammered by every client: the latencies and the wall time they took."""

    request: str
    connection: str
    latencies: list[float]
    wall: float

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.wall

    def quantile(self, percent: int) -> float:
        """The `percent`th percentile latency in seconds."""
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[percent - 1]


def load_row(name: str, connection: str, latencies: list[float], wall: float) -> tuple:
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    return (name, connection, len(latencies), f"{len(latencies) / wall:,.0f}/s",
            f"{q[49] * 1000:.1f} ms", f"{q[98] * 1000:.1f} ms", f"{max(latencies) * 1000:.1f} ms")


HEALTH, PUSH = "GET /api/v1/health (baseline)", "push of 1–3 updates"
REQUESTS: tuple[tuple[str, Callable[[Client], None]], ...] = (
    (HEALTH, Client.health), (PUSH, Client.push))
CONNECTIONS: tuple[tuple[str, Callable | None], ...] = (
    ("keep-alive", None), ("new per request", fresh_connection))


def client_loads(folder: Path, clients: int, pushes: int, warmup: int, pg: str | None = None,
                 workers: int = 1, connections=CONNECTIONS, requests=REQUESTS) -> list[Load]:
    """Each of `requests` from `clients` concurrent clients, per connection mode, against a
    fresh store (SQLite in `folder`, or a new database on the PostgreSQL server `pg`) served by
    `workers` processes."""
    out = []
    with scratch_store(folder, "bench_sync_busy", pg) as spec:
        members = busy_store(spec, clients, 200)
        with Server(spec, workers) as url:
            team = [Client(url, token, f"c{i:02d}", dict.fromkeys(uuids, "0"), random.Random(i))
                    for i, (token, uuids) in enumerate(members.values())]
            for connection, sender in connections:
                team = [client.connect(sender) for client in team]
                for name, action in requests:
                    out.append(Load(name, connection, *hammer(team, action, pushes, warmup)))
    return out


def concurrent_pushes(folder: Path, clients: int, pushes: int, warmup: int, pg: str | None = None,
                      workers: int = 1) -> list[tuple]:
    """Part 2: health and small pushes under the same client concurrency, two connection modes."""
    return [load_row(load.request, load.connection, load.latencies, load.wall)
            for load in client_loads(folder, clients, pushes, warmup, pg, workers)]


LOAD_HEADER = ("request", "connection", "requests", "throughput", "p50", "p99", "max")


# --- main ---------------------------------------------------------------------------------------

def cpu_model() -> str:
    info = Path("/proc/cpuinfo")
    lines = info.read_text().splitlines() if info.exists() else []
    return next((ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("model name")),
                platform.machine())


def machine(folder: Path) -> str:
    """One line on where the figures come from."""
    return (f"machine: {os.cpu_count()} cores ({cpu_model()}), {platform.platform()}, Python "
            f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}; files in {folder}")


PARTS = ("push-pull", "bulk", "latency", "clients")


def arguments() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=int, default=1_000_000, help="features of the big layer")
    p.add_argument("--changes", type=int, default=10_000)
    p.add_argument("--repeat", type=int, default=3, help="measured rounds per case (best shown)")
    p.add_argument("--only", choices=PARTS, action="append",
                   help="run only this part (repeatable; default: all)")
    p.add_argument("--latency-rows", type=int, default=100_000,
                   help="features of the big push the small pushes wait behind")
    p.add_argument("--small-pushes", type=int, default=200,
                   help="1-feature pushes measured on the idle server")
    p.add_argument("--clients", type=int, default=9)
    p.add_argument("--pushes", type=int, default=50, help="measured requests per client")
    p.add_argument("--warmup", type=int, default=5, help="untimed requests per client first")
    p.add_argument("--profile", action="store_true",
                   help="cProfile the bulk client steps; print their top functions")
    p.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()))
    p.add_argument("--store", metavar="POSTGRESQL_URL",
                   help="run on PostgreSQL: the URL of any database on the server; each part "
                        "creates (and drops) a database of its own there (default: SQLite in "
                        "--folder)")
    p.add_argument("--workers", type=int, default=1,
                   help="server processes (`coplan serve --workers`; more than 1 needs --store)")
    args = p.parse_args()
    if args.store and not is_pg(args.store):
        p.error("--store takes a postgresql:// URL (a SQLite store goes in --folder)")
    if args.workers != 1 and not args.store:
        p.error("--workers above 1 needs the PostgreSQL store (--store)")
    return args


def print_push_pull(args: argparse.Namespace) -> None:
    print(f"Push + pull through `coplan serve` (best of {args.repeat}, after one untimed "
          f"round of {args.changes:,} changes to warm every file and the server):\n")
    print(table(large_sync(args.folder, args.rows, args.changes, args.repeat, args.store,
                           args.workers), SYNC_HEADER))


def print_bulk(args: argparse.Namespace) -> None:
    result = sync_bulk.bulk_sync(args.folder, args.rows, args.profile, args.store, args.workers)
    print(f"First push and fresh clone of a {args.rows:,}-feature layer (STBHHX, polygons of "
          f"5–20 vertices; built untimed in {result.build:.0f} s); each client step in its own "
          "process:\n")
    print(table(sync_bulk.bulk_rows(result), sync_bulk.BULK_HEADER))
    startup = result.push.info["startup_kb"] / 1024
    print(f"\n(a client process holds {startup:.0f} MiB after its imports, before any work)")
    if args.profile:
        print_profiles(args.folder, args.store)


def print_profiles(folder: Path, pg: str | None = None) -> None:
    """Top functions of each client step, and of the server's work on one part."""
    for step in ("commit", "push", "clone"):
        print(f"\nTop functions of the {step} step (cProfile, own time):\n")
        print(sync_bulk.top_functions(folder / f"bench_sync_{step}.pstats"))
    parse, merge, dump = sync_bulk.profile_server_part(folder, pg=pg)
    print(f"\nThe server's work on one part of 5,000 new features, in-process without HTTP: "
          f"parse and check {parse:.2f} s, merge and store {merge:.2f} s (cProfile on):\n")
    print(sync_bulk.top_functions(dump))


def print_latency(args: argparse.Namespace) -> None:
    print(f"Another party's 1-feature pushes, back to back from one client, while party A pushes "
          f"{args.latency_rows:,} new features (all processes on the same "
          f"{os.cpu_count()} cores):\n")
    rows = sync_bulk.latency_under_load(args.folder, args.latency_rows, args.small_pushes,
                                        args.store, args.workers)
    print(table(rows, sync_bulk.LATENCY_HEADER))


def print_clients(args: argparse.Namespace) -> None:
    print(f"{args.clients} concurrent clients × {args.pushes} requests each ({args.warmup} "
          f"untimed first), threads in one process, server on the same {os.cpu_count()} cores:\n")
    rows = concurrent_pushes(args.folder, args.clients, args.pushes, args.warmup, args.store,
                             args.workers)
    print(table(rows, LOAD_HEADER))


def main() -> None:
    args = arguments()
    args.folder.mkdir(parents=True, exist_ok=True)
    print(machine(args.folder), flush=True)
    print(describe_store(args.store, args.workers), flush=True)
    parts = {"push-pull": print_push_pull, "bulk": print_bulk, "latency": print_latency,
             "clients": print_clients}
    for name in args.only or PARTS:
        print()
        parts[name](args)
        print(flush=True)


if __name__ == "__main__":
    main()
