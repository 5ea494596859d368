"""The server's two stores side by side: SQLite (one file, one server process) and PostgreSQL
with PostGIS (one or more server processes), through a real `coplan serve --port 0`. Each case
runs on a fresh store: a folder in `--folder`, or a new database on the PostgreSQL server
`--store` names (created and dropped by the benchmark; `VACUUM (ANALYZE)` after the seed, as
autovacuum would shortly after a bulk load). Every ratio is against the SQLite store measured
in the same run.

clients: for each `--clients` count, that many concurrent clients (threads of this process,
   keep-alive connections, each its own user and party) push small change sets (1–3 updates of
   their own features) as fast as they can: bench_sync's clients part. SQLite with one server
   process (the baseline) against PostgreSQL with each `--workers` count of processes. After
   the pushes the same clients hammer GET /api/v1/health on the same server: the framework's
   ceiling for that many processes. With `--rounds` R every case runs R times, round-robin
   (each time on a fresh store), and its latencies and wall times are pooled.
push-pull: bench_sync's push-pull part on each store (one server process): push + merge + pull
   of `--changes` changed features in a layer of `--rows` features.
disk: the store's size on disk per million features, after seeding `--rows` features (the
   push-pull layer: parcels with 7 attributes) through the store's `load`, as one big push
   leaves them (current state + the insert log). SQLite: the database file and its WAL, the
   store closed; PostgreSQL: `pg_database_size` less that of the same store before the seed
   (migrated, with its project and users), before the VACUUM. Taken from the push-pull setup
   when both run.

    python -m benchmarks.bench_store --store postgresql://… [--only clients|push-pull|disk]
        [--clients 9 100] [--pushes 100 10] [--rounds 3] [--workers 1 2 4] [--rows 1000000]
        [--changes 10000] [--repeat 3]

With the defaults the whole run takes about 7 minutes on 2 cores (each clients case 4–12 s,
the 1M-feature setups about 1.5 minutes per store).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from benchmarks import bench_sync
from benchmarks.common import fill_layer, new_project, table
from benchmarks.sync_fixtures import (
    LAYER,
    PARTY_A,
    PARTY_B,
    Client,
    Seeded,
    describe_store,
    is_pg,
    remove_project,
    scratch_store,
    seeded_store,
)

SQLITE, POSTGRES = "SQLite", "PostgreSQL"
MIB = 1024 * 1024


@dataclass(frozen=True)
class Case:
    """One server configuration: a store and its number of processes."""

    store: str  # SQLITE or POSTGRES
    workers: int

    def pg(self, url: str) -> str | None:
        return url if self.store == POSTGRES else None


def cases(workers: list[int]) -> list[Case]:
    return [Case(SQLITE, 1), *(Case(POSTGRES, n) for n in workers)]


def ratio(value: float, base: float | None) -> str:
    return "—" if not base else f"{value / base:.2f}×"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


# --- clients ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Measured:
    case: Case
    clients: int
    push: bench_sync.Load | None
    health: bench_sync.Load | None
    seconds: float  # wall time of the whole case: store, seed, server start, requests
    error: str = ""


def pooled(loads: list[bench_sync.Load]) -> bench_sync.Load:
    """Several runs of one request as one: all latencies, over the sum of the wall times."""
    return bench_sync.Load(loads[0].request, loads[0].connection,
                           [t for load in loads for t in load.latencies],
                           sum(load.wall for load in loads))


def pool(runs: list[Measured]) -> Measured:
    """A case's rounds as one result (a failed round fails the case)."""
    failed = next((m for m in runs if m.push is None), None)
    seconds = sum(m.seconds for m in runs)
    if failed:
        return Measured(failed.case, failed.clients, None, None, seconds, failed.error)
    return Measured(runs[0].case, runs[0].clients, pooled([m.push for m in runs]),
                    pooled([m.health for m in runs]), seconds)


def measure_clients(args: argparse.Namespace, case: Case, clients: int, pushes: int
                    ) -> Measured:
    """One case: a fresh store with `clients` editors, then pushes, then health."""
    start = time.perf_counter()
    try:
        loads = bench_sync.client_loads(
            args.folder, clients, pushes, args.warmup, case.pg(args.store), case.workers,
            connections=(("keep-alive", None),),
            requests=((bench_sync.PUSH, Client.push), (bench_sync.HEALTH, Client.health)))
    except Exception as exc:  # noqa: BLE001 - one failed case is reported, the others still run
        traceback.print_exc()
        return Measured(case, clients, None, None, time.perf_counter() - start,
                        f"{type(exc).__name__}: {exc}".splitlines()[0][:200])
    push, health = loads
    return Measured(case, clients, push, health, time.perf_counter() - start)


def clients_rows(results: list[Measured]) -> list[tuple]:
    """Table rows, with throughput and p99 against SQLite at the same client count."""
    out = []
    base = {m.clients: m for m in results if m.case.store == SQLITE and m.push}
    for m in results:
        name = f"{m.case.store}{' (baseline)' if m.case.store == SQLITE else ''}"
        if m.push is None:
            out.append((m.clients, name, m.case.workers, "—", f"**failed**: {m.error}",
                        *["—"] * 6))
            continue
        b = base.get(m.clients)
        p99 = m.push.quantile(99)
        out.append((m.clients, name, m.case.workers, len(m.push.latencies),
                    f"{m.push.throughput:,.0f}/s", ratio(m.push.throughput, b and b.push.throughput),
                    ms(m.push.quantile(50)), ms(p99), ratio(p99, b and b.push.quantile(99)),
                    ms(max(m.push.latencies)), f"{m.health.throughput:,.0f}/s"))
    return out


CLIENTS_HEADER = ("clients", "store", "server processes", "pushes measured", "pushes/s",
                  "÷ SQLite", "p50", "p99", "p99 ÷ SQLite", "max", "GET /health/s (same server)")


def print_clients(args: argparse.Namespace) -> None:
    plan = list(zip(args.clients, args.pushes, strict=True))
    rounds = f", {args.rounds} rounds round-robin, pooled" if args.rounds > 1 else ""
    print("Small pushes (1–3 updates of the client's own features) from concurrent clients, "
          f"each client its own user and party, keep-alive connections, threads in one "
          f"process; {args.warmup} untimed pushes per client first; server processes, "
          f"PostgreSQL and clients all on the same {os.cpu_count()} cores. Measured pushes per "
          f"client: {', '.join(f'{p} for {c} clients' for c, p in plan)}{rounds}.\n",
          flush=True)
    runs: dict[tuple[int, Case], list[Measured]] = {}
    for r in range(args.rounds):
        for clients, pushes in plan:
            for case in cases(args.workers):
                m = measure_clients(args, case, clients, pushes)
                runs.setdefault((clients, case), []).append(m)
                what = (f"{m.push.throughput:,.0f} pushes/s, p99 {ms(m.push.quantile(99))}"
                        if m.push else f"failed: {m.error}")
                print(f"  (round {r + 1}: {clients} clients, {case.store} × {case.workers}: "
                      f"{what}; case took {m.seconds:.0f} s; load average "
                      f"{os.getloadavg()[0]:.1f})", file=sys.stderr, flush=True)
    print(table(clients_rows([pool(rounds_of) for rounds_of in runs.values()]), CLIENTS_HEADER))


# --- push-pull and disk -------------------------------------------------------------------------

def push_pull_rows(runs: dict[str, bench_sync.LargeSync]) -> list[tuple]:
    """Per case and store: the best times, against the raw SQLite apply and the SQLite store."""
    out = []
    sqlite = dict(runs[SQLITE].cases) if SQLITE in runs else {}
    for store, run in runs.items():
        for case, t in run.cases:
            base = sqlite.get(case)
            out.append((case, store, f"{t['baseline']:.3f} s", f"{t['push']:.3f} s",
                        f"{t['pull']:.3f} s", f"{t['total']:.3f} s",
                        f"{t['total'] / t['baseline']:.1f}×",
                        ratio(t["push"], base and base["push"]),
                        ratio(t["pull"], base and base["pull"]),
                        ratio(t["total"], base and base["total"])))
    return sorted(out, key=lambda row: row[0])


PUSH_PULL_HEADER = ("case", "store", "raw SQLite apply", "push", "pull", "push + pull",
                    "total ÷ raw apply", "push ÷ SQLite store", "pull ÷ SQLite store",
                    "total ÷ SQLite store")


def disk_rows(seeds: dict[str, Seeded]) -> list[tuple]:
    base = seeds.get(SQLITE)
    return [(store, f"{s.features:,}", f"{s.seconds:.0f} s", f"{s.empty_bytes / MIB:,.1f} MiB",
             f"{s.bytes / MIB:,.1f} MiB", f"{s.per_million() / MIB:,.0f} MiB",
             ratio(s.per_million(), base and base.per_million()))
            for store, s in seeds.items()]


DISK_HEADER = ("store", "features seeded", "seed (one transaction)", "store before the seed",
               "store after", "per 1M features", "÷ SQLite")


def print_push_pull(args: argparse.Namespace, seeds: dict[str, Seeded]) -> None:
    print(f"Push + pull through `coplan serve` (one server process), best of {args.repeat} "
          f"after one untimed round of {args.changes:,} changes, per store:\n", flush=True)
    runs = {}
    for case in cases([1]):
        print(f"{case.store}: ", end="", flush=True)
        runs[case.store] = bench_sync.large_sync_times(args.folder, args.rows, args.changes,
                                                       args.repeat, case.pg(args.store))
        seeds[case.store] = runs[case.store].seeded
    print(table(push_pull_rows(runs), PUSH_PULL_HEADER))


def seed_only(args: argparse.Namespace) -> dict[str, Seeded]:
    """The disk part alone: one replica's features seeded into a fresh store of each kind."""
    project = new_project(args.folder, "bench_store_disk.sqlite")
    seeds = {}
    try:
        fill_layer(project, LAYER, args.rows)
        for case in cases([1]):
            with scratch_store(args.folder, "bench_store_disk", case.pg(args.store)) as spec:
                _, seeds[case.store] = seeded_store(spec, {"a": PARTY_A, "b": PARTY_B},
                                                    bench_sync.tracked_rows(project))
    finally:
        project.close()
        remove_project(project.path)
    return seeds


def print_disk(args: argparse.Namespace, seeds: dict[str, Seeded]) -> None:
    if not seeds:
        seeds.update(seed_only(args))
    print(f"Server disk size per million features ({args.rows:,} features of {LAYER} seeded, "
          "scaled to 1M):\n")
    print(table(disk_rows(seeds), DISK_HEADER))


# --- main ---------------------------------------------------------------------------------------

PARTS = ("clients", "push-pull", "disk")


def arguments() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--store", required=True, metavar="POSTGRESQL_URL",
                   help="the URL of any database on a PostgreSQL server with PostGIS; each case "
                        "creates (and drops) a database of its own there")
    p.add_argument("--only", choices=PARTS, action="append",
                   help="run only this part (repeatable; default: all)")
    p.add_argument("--clients", type=int, nargs="+", default=[9, 100],
                   help="concurrent client counts")
    p.add_argument("--pushes", type=int, nargs="+", default=[100, 10],
                   help="measured pushes per client, one per --clients count")
    p.add_argument("--warmup", type=int, default=3, help="untimed pushes per client first")
    p.add_argument("--rounds", type=int, default=3,
                   help="runs of every clients case, round-robin, pooled")
    p.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4],
                   help="PostgreSQL server process counts")
    p.add_argument("--rows", type=int, default=1_000_000, help="features of the big layer")
    p.add_argument("--changes", type=int, default=10_000)
    p.add_argument("--repeat", type=int, default=3, help="measured rounds per case (best shown)")
    p.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()))
    args = p.parse_args()
    if not is_pg(args.store):
        p.error("--store takes a postgresql:// URL")
    if len(args.pushes) != len(args.clients):
        p.error("give one --pushes count per --clients count")
    return args


def main() -> None:
    args = arguments()
    args.folder.mkdir(parents=True, exist_ok=True)
    print(bench_sync.machine(args.folder), flush=True)
    print(describe_store(None, None), flush=True)
    print(describe_store(args.store, None), flush=True)
    print(f"load average before the run: {os.getloadavg()[0]:.2f} (1 min)", flush=True)
    started = time.perf_counter()
    seeds: dict[str, Seeded] = {}
    parts = args.only or PARTS
    if "clients" in parts:
        print()
        print_clients(args)
    if "push-pull" in parts:
        print()
        print_push_pull(args, seeds)
    if "disk" in parts:
        print()
        print_disk(args, seeds)
    print(f"\n(the whole run took {(time.perf_counter() - started) / 60:.1f} min)")


if __name__ == "__main__":
    main()
