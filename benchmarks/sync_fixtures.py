"""What the sync benchmarks share: a real `coplan serve --port 0` subprocess (with its peak
RSS), a scratch store (a SQLite folder, or a fresh database on a PostgreSQL server) seeded in
bulk, with its size on disk, replicas marked as synced, and a client pushing small change sets."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid as uuidlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from urllib.parse import urlsplit

import requests

from app.model.changes import DATA_SCHEMA_VERSION, FORMAT
from app.model.feature import utc_now
from app.project.project import Project
from app.sync.client import Remote, Response
from app.sync.server.store import Store, open_store

REPO = Path(__file__).resolve().parents[1]
LAYER = "GHYDYH"
PROJECT = "bench-metro"
SEED_VERSION = 1  # the server version replicas and server agree on before the benchmark
PARTY_A, PARTY_B = "310000", "320500"
BATCH = 50_000  # rows per executemany when seeding the server
SQLITE_FILE = "coplan-server.sqlite"  # a SQLite store's database in its folder
Spec = Path | str  # a store: a SQLite store's folder, or a PostgreSQL store's URL


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def clock(fn: Callable[[], object]) -> tuple[object, float]:
    """(result, wall seconds) of one call."""
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def batched(items: Iterator, size: int) -> Iterator[list]:
    while chunk := list(islice(items, size)):
        yield chunk


def remove_project(path: Path) -> None:
    """Delete a project file and its WAL companions."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def copy_project(source: Path, target: Path) -> Path:
    """A byte copy of a closed project file."""
    remove_project(target)
    shutil.copyfile(source, target)
    return target


def mark_synced(project: Project, url: str, version: int) -> None:
    """Make the replica believe it last synced with the server at `version`."""
    with project.db.atomic():
        project.set_meta("base_version", version)
        project.set_meta("remote_url", url)
        project.set_meta("remote_project", PROJECT)


# --- stores: SQLite folders and PostgreSQL databases -------------------------------------------

def is_pg(spec: Spec | None) -> bool:
    return str(spec or "").startswith(("postgresql://", "postgres://"))


def database_url(url: str, name: str) -> str:
    """`url` (of any database on a PostgreSQL server) naming the database `name` instead."""
    return urlsplit(url)._replace(path=f"/{name}").geturl()


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _pg_admin(url: str, statement: str, name: str) -> None:
    """Run CREATE/DROP DATABASE `name` through a connection to `url` (outside a transaction)."""
    import psycopg
    from psycopg import sql
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL(statement).format(sql.Identifier(name)))


@contextmanager
def scratch_store(folder: Path, name: str, pg: str | None = None) -> Iterator[Spec]:
    """Where a fresh, empty store goes, removed again afterwards: the folder `folder/name` for
    SQLite or, given `pg` (the URL of any database on a PostgreSQL server whose role may create
    databases), a new database `name` on that server (the store migrates it when opened)."""
    if not pg:
        data = folder / name
        shutil.rmtree(data, ignore_errors=True)
        try:
            yield data
        finally:
            shutil.rmtree(data, ignore_errors=True)
        return
    drop = "DROP DATABASE IF EXISTS {} WITH (FORCE)"
    _pg_admin(pg, drop, name)
    _pg_admin(pg, "CREATE DATABASE {}", name)
    try:
        yield database_url(pg, name)
    finally:
        _pg_admin(pg, drop, name)


def store_bytes(spec: Spec) -> int:
    """Disk space a store's rows take: the SQLite database and its WAL (files beside them, which
    these benchmarks do not make, are not counted), or `pg_database_size` of the database."""
    if is_pg(spec):
        import psycopg
        with psycopg.connect(str(spec)) as conn:
            return conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    db = Path(spec) / SQLITE_FILE
    return sum(p.stat().st_size for p in (db, Path(f"{db}-wal")) if p.exists())


def settle(spec: Spec) -> None:
    """After a bulk seed, bring a PostgreSQL store to the state autovacuum leaves it in a minute
    later: `VACUUM (ANALYZE)`. Without statistics the planner looks up a push's features with a
    hash join over all of the project's features (about 1.3 s per 5,000-change part at 1M
    features, instead of 30–50 ms). Nothing to do for SQLite."""
    if is_pg(spec):
        import psycopg
        with psycopg.connect(str(spec), autocommit=True) as conn:
            conn.execute("VACUUM (ANALYZE)")


def describe_store(pg: str | None, workers: int | None = 1) -> str:
    """One line on the store a benchmark runs on, with the settings that make commits durable
    (and the number of server processes, unless None)."""
    processes = "" if workers is None else f", {workers} server process" + "es" * (workers > 1)
    if not pg:
        return f"store: SQLite (WAL, synchronous=FULL){processes}"
    import psycopg
    with psycopg.connect(pg) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        settings = ", ".join(f"{name}={conn.execute(f'SHOW {name}').fetchone()[0]}" for name in
                             ("fsync", "synchronous_commit", "full_page_writes", "shared_buffers"))
    where = pg.split("@", 1)[-1]
    return (f"store: PostgreSQL {version} with PostGIS at {where} ({settings}; a fresh database "
            f"per case){processes}")


# --- the server -----------------------------------------------------------------------------

class Server:
    """`coplan serve --port 0` on a store (a SQLite folder or a PostgreSQL URL), with `workers`
    processes (PostgreSQL only); stderr goes to a file (an undrained pipe fills up and blocks the
    server on its next log line)."""

    def __init__(self, data: Spec, workers: int = 1):
        self.data, self.workers, self.proc, self.url = data, workers, None, ""
        if is_pg(data):
            self.log = Path(tempfile.gettempdir()) / f"{database_name(str(data))}.log"
        else:
            self.log = data.parent / f"{data.name}.log"

    def __enter__(self) -> str:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        command = [sys.executable, "-m", "app.cli", "serve", "--store", str(self.data),
                   "--port", "0"]
        if self.workers > 1:
            command += ["--workers", str(self.workers)]
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE,
                                         stderr=log, text=True)
        line = self.proc.stdout.readline()
        if "serving on" not in line:
            self.__exit__()
            raise RuntimeError(f"the server did not start: {line}")
        # "coplan: serving on URL" or "… on URL with N processes"
        self.url = line.split("serving on", 1)[1].split()[0]
        return self.url

    def __exit__(self, *exc) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=60)
        self.proc.stdout.close()
        if "Traceback" in self.log.read_text(errors="replace"):
            print(f"the server logged errors: see {self.log}", file=sys.stderr)
        else:
            self.log.unlink()

    def pids(self) -> list[int]:
        """The server's processes: the one started and, with workers, the ones it forked."""
        pid = self.proc.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return [pid, *map(int, children)]

    def reset_peak(self) -> None:
        """Restart the server's peak RSS count from its current RSS (Linux clear_refs 5)."""
        for pid in self.pids():
            Path(f"/proc/{pid}/clear_refs").write_text("5")

    def peak_kb(self) -> int:
        """The peak RSS (VmHWM) since start or the last `reset_peak` of the server process (of
        the largest one, with workers), in kB. PostgreSQL's own processes are not counted."""
        peaks = []
        for pid in self.pids():
            status = Path(f"/proc/{pid}/status").read_text().splitlines()
            peaks.append(next(int(line.split()[1]) for line in status
                              if line.startswith("VmHWM:")))
        return max(peaks)


def new_store(data: Spec, members: dict[str, str], spec: str | None = None
              ) -> tuple[Store, dict[str, str]]:
    """A store (SQLite in `data`, or the empty store `spec` names) with the project, a party and
    an editor per `members` (user -> party); tokens."""
    store = open_store(spec or data)
    store.create_project(PROJECT, "基准都市圈", DATA_SCHEMA_VERSION)
    tokens = {}
    for user, party in members.items():
        store.add_party(PROJECT, party, f"城市{party}", "city")
        store.add_user(user, None)
        store.grant(PROJECT, user, party, "editor")
        tokens[user] = store.issue_token(user)
    return store, tokens


def seed_features(store: Store, rows: Iterator[tuple[str, dict]], version: int) -> int:
    """Write (uuid, row) pairs as the server's features, with the version that inserted them, in
    one transaction (as one big push would leave them, without merging a million no-ops)."""
    n = 0
    with store.writing() as s:
        for chunk in batched(rows, BATCH):
            s.load("features", ({"project": PROJECT, "layer": LAYER, "uuid": u, "owner": r["owner"],
                                 "row": r, "deleted": False, "version": version} for u, r in chunk))
            s.load("changes", ({"project": PROJECT, "version": version, "idx": n + i,
                                "layer": LAYER, "uuid": u, "op": "insert",
                                "cols": {c: [None, v] for c, v in r.items()}}
                               for i, (u, r) in enumerate(chunk)))
            n += len(chunk)
        now = utc_now()
        s.append_version(PROJECT, {"version": version, "changeset": str(uuidlib.uuid4()),
                                   "kind": "push", "party": PARTY_A, "author": "bench",
                                   "username": "bench", "message": "seed", "created": now,
                                   "received": now, "base_version": 0}, [], [])
    return n


@dataclass(frozen=True)
class Seeded:
    """A store seeded by `seeded_store`: features, seconds, and its size before and after."""

    features: int
    seconds: float
    empty_bytes: int  # the store with its project and users, before the features
    bytes: int

    def per_million(self) -> float:
        """Bytes the seeded features added, scaled to one million features."""
        return (self.bytes - self.empty_bytes) * 1_000_000 / self.features


def seeded_store(spec: Spec, members: dict[str, str], rows: Iterator[tuple[str, dict]]
                 ) -> tuple[dict[str, str], Seeded]:
    """A new store at `spec` (project, parties, editors: `new_store`) seeded with `rows` by
    `seed_features`, then `settle`d; (tokens, what the seed took). Sizes are measured with the
    store closed (a closed SQLite store has checkpointed and removed its WAL), before `settle`."""
    store, tokens = new_store(spec, members)
    store.close()
    empty = store_bytes(spec)
    store = open_store(spec)
    try:
        n, seconds = clock(lambda: seed_features(store, rows, SEED_VERSION))
    finally:
        store.close()
    seeded = Seeded(n, seconds, empty, store_bytes(spec))
    settle(spec)
    return tokens, seeded


def owned_rows(party: str, uuids: list[str]) -> Iterator[tuple[str, dict]]:
    """Server rows of small attribute-only features of `party` (what small pushes edit)."""
    return ((u, {"owner": party, "created_by": "bench", "BZ": "0"}) for u in uuids)


# --- a client pushing small change sets -------------------------------------------------------

def fresh_connection(method: str, url: str, headers: dict, body: bytes | None, params: dict | None,
                     timeout: tuple[float, float]) -> Response:
    """A `Remote` sender that opens a new connection for every request (no keep-alive)."""
    r = requests.request(method, url, headers=headers, data=body, params=params, timeout=timeout)
    return Response(r.status_code, r.content)


@dataclass
class Client:
    """One party's client pushing small updates of its own features (values known locally)."""

    url: str
    token: str
    party: str
    values: dict[str, str]  # uuid -> the feature's current BZ on the server
    rnd: random.Random
    remote: Remote | None = None
    most: int = 3  # features per push: 1 to `most`

    def connect(self, sender: Callable | None) -> Client:
        """Talk to the server through `sender` (None: a keep-alive session, as `Remote` does)."""
        self.remote = Remote(self.url, self.token, sender=sender, retries=0)
        return self

    def push(self) -> None:
        """Push 1–`most` updates; raises when the server did not apply all of them."""
        picked = self.rnd.sample(sorted(self.values), self.rnd.randint(1, self.most))
        new = {u: f"{self.party}-{self.rnd.random():.12f}" for u in picked}
        changes = [{"layer": LAYER, "uuid": u, "op": "update", "cols": {"BZ": [self.values[u], v]}}
                   for u, v in new.items()]
        answer = self.remote.push(PROJECT, json.dumps(self.changeset(changes)).encode())
        if answer["applied"] != len(changes):
            raise RuntimeError(f"{self.party}: {answer['clashes']}")
        self.values.update(new)

    def changeset(self, changes: list[dict]) -> dict:
        return {"format": FORMAT, "id": str(uuidlib.uuid4()), "project": PROJECT,
                "party": self.party, "author": f"bench-{self.party}", "created": utc_now(),
                "base_version": 0, "message": "小改动", "schema_version": DATA_SCHEMA_VERSION,
                "changes": changes}

    def health(self) -> None:
        self.remote.request("GET", "/api/v1/health")
