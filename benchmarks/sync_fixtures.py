"""What the sync benchmarks share: a real `coplan serve --port 0` subprocess (with its peak
RSS), a server store seeded in bulk, replicas marked as synced, and a client pushing small
change sets."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import uuid as uuidlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import requests

from app.model.changes import DATA_SCHEMA_VERSION, FORMAT
from app.model.feature import utc_now
from app.project.project import Project
from app.sync.client import Remote, Response
from app.sync.server.store import SqliteStore

REPO = Path(__file__).resolve().parents[1]
LAYER = "GHYDYH"
PROJECT = "bench-metro"
SEED_VERSION = 1  # the server version replicas and server agree on before the benchmark
PARTY_A, PARTY_B = "310000", "320500"
BATCH = 50_000  # rows per executemany when seeding the server


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


# --- the server -----------------------------------------------------------------------------

class Server:
    """`coplan serve --port 0` on a store folder; stderr goes to a file (an undrained pipe fills
    up and blocks the server on its next log line)."""

    def __init__(self, data: Path):
        self.data, self.proc, self.url = data, None, ""
        self.log = data.parent / f"{data.name}.log"

    def __enter__(self) -> str:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "app.cli", "serve", "--data", str(self.data), "--port", "0"],
                cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=log, text=True)
        line = self.proc.stdout.readline()
        if "serving on" not in line:
            self.__exit__()
            raise RuntimeError(f"the server did not start: {line}")
        self.url = line.split("serving on", 1)[1].strip()
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

    def reset_peak(self) -> None:
        """Restart the server's peak RSS count from its current RSS (Linux clear_refs 5)."""
        Path(f"/proc/{self.proc.pid}/clear_refs").write_text("5")

    def peak_kb(self) -> int:
        """The server's peak RSS (VmHWM) since start or the last `reset_peak`, in kB."""
        status = Path(f"/proc/{self.proc.pid}/status").read_text().splitlines()
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))


def new_store(data: Path, members: dict[str, str]) -> tuple[SqliteStore, dict[str, str]]:
    """A store with the project, a party and an editor per `members` (user -> party); tokens."""
    store = SqliteStore(data)
    store.create_project(PROJECT, "基准都市圈", DATA_SCHEMA_VERSION)
    tokens = {}
    for user, party in members.items():
        store.add_party(PROJECT, party, f"城市{party}", "city")
        store.add_user(user, None)
        store.grant(PROJECT, user, party, "editor")
        tokens[user] = store.issue_token(user)
    return store, tokens


def seed_features(store: SqliteStore, rows: Iterator[tuple[str, dict]], version: int) -> int:
    """Write (uuid, row) pairs as the server's features, with the version that inserted them, in
    one transaction (as one big push would leave them, without merging a million no-ops)."""
    n = 0
    with store.write() as db:
        for chunk in batched(rows, BATCH):
            db.executemany("INSERT INTO features VALUES (?, ?, ?, ?, ?, 0, ?)",
                           ((PROJECT, LAYER, u, r["owner"], dumps(r), version) for u, r in chunk))
            db.executemany("INSERT INTO changes VALUES (?, ?, ?, ?, ?, 'insert', ?)",
                           ((PROJECT, version, n + i, LAYER, u, dumps({c: [None, v] for c, v in
                                                                      r.items()}))
                            for i, (u, r) in enumerate(chunk)))
            n += len(chunk)
        now = utc_now()
        db.execute("INSERT INTO versions VALUES (?, ?, ?, 'push', ?, 'bench', 'bench', 'seed', "
                   "?, ?, 0)", (PROJECT, version, str(uuidlib.uuid4()), PARTY_A, now, now))
        db.execute("UPDATE projects SET head = ? WHERE id = ?", (version, PROJECT))
    return n


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
