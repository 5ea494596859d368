"""Random histories over a real `coplan serve` and real HTTP: the end-to-end complement of the
in-process state machine in tests/sync/test_convergence.py.

Each history is one server project worked on by two editors of different cities, the
coordinator and a read-only reviewer (cloned part-way through), each with a replica cloned over
HTTP. About 25 operations drawn by `random.Random(seed)` add, rename, reshape and delete red
lines of 300–3,000 vertices, commit, sync, push, pull (also over uncommitted edits: the pull
rebases them or refuses, it never loses them) and let the coordinator settle open conflicts.
At the end everyone commits and syncs twice, and every replica, and a fresh clone, must equal
the server's snapshot with nothing pending, unechoed or lost.

The seed is the history's number and ids come from per-history counters, so a failure replays
with `COPLAN_HISTORY_SEEDS=SEED pytest tests/sync/test_histories.py`; each failure names its
seed and carries the operations that led to it. COPLAN_HISTORIES=400 runs a longer search."""

from __future__ import annotations

import itertools
import math
import os
import random
from pathlib import Path

import pytest
import shapely

from app.errors import ConflictError, CoplanError
from app.model.changes import DATA_SCHEMA_VERSION
from app.project import features as F
from app.project import history as H
from app.project.project import Project
from app.sync import rebase, replica
from app.sync.client import Remote
from app.sync.server.store import open_store
from tests import stores
from tests.servers import Server

HISTORIES = int(os.environ.get("COPLAN_HISTORIES", "50"))
# COPLAN_HISTORY_SEEDS="86,115" runs just those histories (seeds past HISTORIES included).
SEEDS = [int(s) for s in os.environ.get("COPLAN_HISTORY_SEEDS", "").split(",") if s.strip()] \
    or list(range(HISTORIES))
STEPS = int(os.environ.get("COPLAN_HISTORY_STEPS", "25"))
LAYER = "STBHHX"
PARTIES = [("310000", "上海市", "city"), ("320500", "苏州市", "city"),
           ("office", "协同办公室", "office")]
USERS = {"sh": ("310000", "editor"), "sz": ("320500", "editor"),
         "boss": ("office", "coordinator"), "rev": ("310000", "reviewer")}
WRITERS = ("sh", "sz", "boss")
NAMES = ("东滩", "西岸", "南汇", "北湖", None)
# Operation -> weight. Edits outnumber commits, so pulls often meet uncommitted edits.
OPERATIONS = {"add": 1.5, "rename": 3, "reshape": 2, "delete": 1, "rival": 1.5, "commit": 2,
              "sync": 4, "push": 2, "pull": 2.5, "resolve": 2}
SNAPSHOT_PAGE = 4  # features per page when reading the server's state: several pages each


def project_id(seed: int) -> str:
    return f"history-{seed}"


def polygon(vertices: int, shift: int) -> shapely.Polygon:
    """A star-shaped ring of `vertices` points (valid for any count) near Shanghai."""
    cx, cy, r = 121.2 + shift / 200, 31.1 + (shift % 3) / 300, 0.004
    ring = [(cx + r * math.cos(2 * math.pi * k / vertices) * (1 + 0.1 * math.sin(7 * k)),
             cy + r * math.sin(2 * math.pi * k / vertices)) for k in range(vertices)]
    return shapely.Polygon(ring)


@pytest.fixture(scope="module", params=stores.KINDS)
def server(tmp_path_factory, request):
    """One server process for the module, on each store; every history's project is made
    before it starts. Yields (url, {user: token})."""
    data = tmp_path_factory.mktemp("histories") / "server"
    if request.param == "postgresql":
        request.getfixturevalue("pg_cluster")
    spec = stores.store_spec(request.param, data)
    store = open_store(spec)
    try:
        for user in USERS:
            store.add_user(user, None)
        for seed in SEEDS:
            pid = project_id(seed)
            store.create_project(pid, f"随机历史 {seed}", DATA_SCHEMA_VERSION)
            for code, name, kind in PARTIES:
                store.add_party(pid, code, name, kind)
            for user, (party, role) in USERS.items():
                store.grant(pid, user, party, role)
        tokens = {user: store.issue_token(user) for user in USERS}
    finally:
        store.close()
    process = Server(data, spec)
    url = process.start()
    yield url, tokens
    process.stop()
    if request.param == "postgresql":
        stores.CLUSTER.drop(spec)


# --- reading state ---------------------------------------------------------------------------

def replica_rows(project: Project) -> dict:
    """(layer, uuid) -> every tracked column, geometry as hex WKB."""
    layer = project.tracked_layer(LAYER)
    return {(LAYER, uuid): rebase.read_row(project, layer, uuid)
            for (uuid,) in project.db.execute(f'SELECT uuid FROM "{LAYER}"')}


def server_rows(remote: Remote, pid: str) -> dict:
    """The server's current features, read through the snapshot endpoint page by page."""
    out, after = {}, None
    while True:
        page = remote.snapshot(pid, after, SNAPSHOT_PAGE)
        out.update({(f["layer"], f["uuid"]): f["row"] for f in page["features"]})
        if page["next"] is None:
            return out
        after = page["next"]


def server_versions(remote: Remote, pid: str) -> list[dict]:
    """Every version of the project, with its applied changes and clashes."""
    out: list[dict] = []
    while True:
        page = remote.pull(pid, len(out), 1000)
        out.extend(page["versions"])
        if not page["versions"] or len(out) >= page["head"]:
            return out


def pending_cells(project: Project) -> dict:
    """(layer, uuid) -> (op, {column: new value}) of the uncommitted edits."""
    return {(c.layer, c.uuid): (c.op, {k: n for k, (_, n) in c.cols.items()})
            for c in H.pending(project)}


def differences(rows: dict, expected: dict) -> str:
    """A short account of how a replica's rows differ from the server's."""
    lines = []
    for key in sorted(set(rows) | set(expected)):
        mine, theirs = rows.get(key), expected.get(key)
        if mine == theirs:
            continue
        if mine is None or theirs is None:
            where = "missing on the replica" if mine is None else "not on the server"
            lines.append(f"  {key[1]}: {where}")
            continue
        cols = sorted(c for c in mine.keys() | theirs.keys() if mine.get(c) != theirs.get(c))
        shown = [c if c == "geom" else f"{c} replica={mine.get(c)!r} server={theirs.get(c)!r}"
                 for c in cols]
        lines.append(f"  {key[1]}: {'; '.join(shown)}")
    return "\n".join(lines)


# --- one history ------------------------------------------------------------------------------

class History:
    """One random history of one server project, replayable from its seed alone."""

    def __init__(self, url: str, tokens: dict, seed: int, folder: Path):
        self.rng, self.seed, self.pid = random.Random(seed), seed, project_id(seed)
        self.folder = folder
        self.url, self.tokens = url, tokens
        self.remotes = {user: Remote(url, token) for user, token in tokens.items()}
        self.replicas: dict[str, Project] = {}
        self.uuids = itertools.count(1)
        self.trace: list[str] = []

    def note(self, text: str) -> None:
        self.trace.append(text)

    def fail(self, text: str) -> str:
        """An assertion message that names the seed and the operations so far."""
        return f"seed {self.seed}: {text}\noperations:\n  " + "\n  ".join(self.trace)

    def close(self) -> None:
        for project in self.replicas.values():
            project.close()

    def run(self) -> None:
        for user in WRITERS:
            self.clone(user)
        self.start()
        late = self.rng.randrange(STEPS // 2)  # the reviewer joins part-way, from a snapshot
        for step in range(STEPS):
            if step == late:
                self.clone("rev")
            operation = self.rng.choices(list(OPERATIONS), weights=list(OPERATIONS.values()))[0]
            getattr(self, operation)()
        self.quiesce()
        self.check()

    def start(self) -> None:
        """A shared starting state (every writer's first features on every writer's replica),
        so that concurrent edits can clash from the first operation."""
        for user in WRITERS:
            for _ in range(self.rng.randint(1, 2)):
                self.add(user)
            self.commit(user)
            self._run(user, "sync", replica.sync_steps)
        for user in WRITERS[:-1]:
            self._run(user, "pull", replica.pull_steps)

    def clone(self, user: str) -> None:
        path = self.folder / f"{user}.sqlite"
        self.replicas[user] = replica.run(replica.clone_steps(self.remotes[user], self.pid, path,
                                                              author=user))
        self.note(f"{user} clone at v{self.replicas[user].base_version}")

    # --- edits -----------------------------------------------------------------------------

    def _editable(self, user: str) -> list[str]:
        """Uuids the user may change on their replica (own party's, or any for the coordinator)."""
        project = self.replicas[user]
        rows = project.db.execute(f'SELECT uuid, owner FROM "{LAYER}" ORDER BY uuid').fetchall()
        return [u for u, owner in rows if owner == project.party or project.role == "coordinator"]

    def _pick(self) -> tuple[str, str | None]:
        user = self.rng.choice(WRITERS)
        editable = self._editable(user)
        if not editable:
            return user, None
        # Older features, which more replicas hold, come up more often: the same feature edited
        # on several replicas is what makes conflicts.
        n = len(editable)
        return user, editable[min(self.rng.randrange(n), self.rng.randrange(n))]

    def add(self, user: str | None = None) -> None:
        user = user or self.rng.choice(WRITERS)
        uuid = f"00000000-0000-7000-8000-{next(self.uuids):012x}"
        vertices, shift = self.rng.randint(300, 3000), self.rng.randrange(10)
        name = self.rng.choice(NAMES)
        attrs = {"BSM": "1", "XZQDM": "310000", "XZQMC": "上海市", "HXMC": name}
        F.add_feature(self.replicas[user], LAYER, attrs, polygon(vertices, shift), uuid=uuid)
        self.note(f"{user} add {uuid[-4:]} HXMC={name} ({vertices} vertices, shift {shift})")

    def rename(self) -> None:
        user, uuid = self._pick()
        if uuid:
            self._rename(user, uuid)

    def reshape(self) -> None:
        user, uuid = self._pick()
        if uuid:
            self._reshape(user, uuid)

    def delete(self) -> None:
        user, uuid = self._pick()
        if uuid:
            self._delete(user, uuid)

    def rival(self) -> None:
        """An owner and the coordinator both change one of the owner's features before either
        pushes (sometimes they push at once): the later push makes a conflict."""
        owner = self.rng.choice(WRITERS[:2])
        held = set(self._editable("boss"))
        both = [u for u in self._editable(owner) if u in held]
        if not both:
            return
        uuid = self.rng.choice(both)
        at_once = self.rng.random() < 0.5
        for user in self.rng.sample([owner, "boss"], 2):
            edit = self.rng.choices([self._rename, self._reshape, self._delete], [5, 4, 1])[0]
            edit(user, uuid)
            if at_once:
                self.commit(user)
                self._run(user, "push", replica.push_steps)

    def _rename(self, user: str, uuid: str) -> None:
        name = self.rng.choice(NAMES)
        F.update_feature(self.replicas[user], LAYER, uuid, {"HXMC": name})
        self.note(f"{user} rename {uuid[-4:]} HXMC={name}")

    def _reshape(self, user: str, uuid: str) -> None:
        vertices, shift = self.rng.randint(300, 3000), self.rng.randrange(10)
        F.update_feature(self.replicas[user], LAYER, uuid, geom=polygon(vertices, shift))
        self.note(f"{user} reshape {uuid[-4:]} ({vertices} vertices, shift {shift})")

    def _delete(self, user: str, uuid: str) -> None:
        F.delete_feature(self.replicas[user], LAYER, uuid)
        self.note(f"{user} delete {uuid[-4:]}")

    # --- history and sync -------------------------------------------------------------------

    def commit(self, user: str | None = None) -> None:
        user = user or self.rng.choice(WRITERS)
        if H.pending(self.replicas[user]):
            cs = H.commit(self.replicas[user], "edit")
            self.note(f"{user} commit {cs.id[-4:]} ({len(cs.changes)} changes)")

    def sync(self) -> None:
        user, first = self.rng.choice(WRITERS), self.rng.random() < 0.8
        if first:
            self.commit(user)
        self._run(user, "sync", replica.sync_steps)

    def push(self) -> None:
        user, first = self.rng.choice(WRITERS), self.rng.random() < 0.5
        if first:
            self.commit(user)
        self._run(user, "push", replica.push_steps)

    def pull(self, user: str | None = None) -> None:
        """Pull, uncommitted edits or not: they are rebased or the pull refuses; never lost."""
        user = user or self.rng.choice([*WRITERS, *(["rev"] if "rev" in self.replicas else [])])
        project = self.replicas[user]
        before = pending_cells(project)
        self._run(user, f"pull ({len(before)} uncommitted)", replica.pull_steps)
        rows = replica_rows(project)
        for key, (op, cells) in before.items():
            row, where = rows.get(key), f"{key[1]} lost in a pull by {user}"
            if op == "delete":
                assert row is None, self.fail(f"uncommitted delete of {where}")
                continue
            assert row is not None, self.fail(f"uncommitted {op} of {where}")
            lost = sorted(c for c, v in cells.items() if row[c] != v)
            assert not lost, self.fail(f"uncommitted edit of {where}: {lost}")

    def _run(self, user: str, what: str, steps) -> None:
        project = self.replicas[user]
        try:
            result = replica.run(steps(project, self.remotes[user]))
        except ConflictError as exc:
            # Only a pull over an uncommitted edit of the same cells (or a sync with edits not
            # committed) may refuse; a push the server refuses outright is a failure.
            self.note(f"{user} {what}: refused ({exc.message[:60]}...)")
            assert "uncommitted" in exc.message, self.fail(f"{user} {what} refused: {exc.message}")
            return
        except Exception as exc:
            self.note(f"{user} {what}: {type(exc).__name__}: {exc}")
            raise
        self.note(f"{user} {what} -> v{project.base_version}{_summary(result)}")

    def resolve(self) -> None:
        """The coordinator settles an open conflict (a refusal is allowed), then pulls."""
        conflicts = self.remotes["boss"].conflicts(self.pid)
        choice = self.rng.choice(["ancestor", "ours", "theirs"])
        if conflicts:
            clash = conflicts[self.rng.randrange(len(conflicts))]
            what = f"#{clash['id']} {clash['kind']} {clash['uuid'][-4:]} {sorted(clash['cells'])}"
            try:
                answer = self.remotes["boss"].resolve(self.pid, clash["id"], choice)
                self.note(f"boss resolve {what} {choice} -> v{answer['version']}")
            except CoplanError as exc:
                self.note(f"boss resolve {what} {choice}: refused ({exc.message[:60]}...)")
        else:
            self.note("boss resolve: no open conflict")
        self.pull("boss")

    # --- the end -----------------------------------------------------------------------------

    def quiesce(self) -> None:
        """Every writer commits and syncs, twice (so the last pushes reach everyone); the
        reviewer pulls."""
        self.note("-- quiesce --")
        for _ in range(2):
            for user in WRITERS:
                self.commit(user)
                self._run(user, "sync", replica.sync_steps)
            self._run("rev", "pull", replica.pull_steps)

    def check(self) -> None:
        expected = server_rows(self.remotes["sz"], self.pid)
        for user, project in self.replicas.items():
            rows = replica_rows(project)
            assert rows == expected, self.fail(
                f"replica {user} differs from the server:\n{differences(rows, expected)}")
            assert H.pending(project) == [], self.fail(f"replica {user} kept uncommitted edits")
            assert replica.outbox_entries(project) == [], self.fail(
                f"replica {user} kept unechoed change sets: {replica.outbox_entries(project)}")
        self.check_no_edit_lost()
        fresh = replica.run(replica.clone_steps(Remote(self.url, self.tokens["sz"]), self.pid,
                                                self.folder / "fresh.sqlite", author="sz"))
        try:
            rows = replica_rows(fresh)
            assert rows == expected, self.fail(
                f"a fresh clone differs from the server:\n{differences(rows, expected)}")
        finally:
            fresh.close()

    def check_no_edit_lost(self) -> None:
        """Each change set a replica pushed is one version, and each of its cells was applied,
        recorded as a conflict, or already held that value on the server."""
        versions = server_versions(self.remotes["sz"], self.pid)
        ids = [v["changeset"] for v in versions]
        assert len(ids) == len(set(ids)), self.fail("a change set was applied twice")
        pushed = {e.changeset.id: H.changeset(project, e.changeset.id)
                  for project in self.replicas.values()
                  for e in H.log(project) if e.state == "pushed"}
        missing = sorted(set(pushed) - set(ids))
        assert not missing, self.fail(f"acknowledged change sets missing on the server: {missing}")
        state: dict[str, dict | None] = {}
        for version in versions:
            if version["changeset"] in pushed:
                self._check_version(pushed[version["changeset"]], version, state)
            for change in version["changes"]:
                old = state.get(change["uuid"]) or {}
                state[change["uuid"]] = None if change["op"] == "delete" else {
                    **old, **{k: v[1] for k, v in change["cols"].items()}}

    def _check_version(self, cs, version: dict, state: dict) -> None:
        applied: dict[str, set] = {}
        for change in version["changes"]:
            applied.setdefault(change["uuid"], set()).update(change["cols"])
        clashed: dict[str, set] = {}
        for clash in version["clashes"]:
            clashed.setdefault(clash["uuid"], set()).update(clash["cells"])
        for change in cs.changes:
            before = state.get(change.uuid)
            if change.op == "delete":
                ok = change.uuid in applied or before is None or change.uuid in clashed
                assert ok, self.fail(f"edit lost: delete {change.uuid} in version "
                                     f"{version['version']}")
                continue
            for column, (_, new) in change.cols.items():
                ok = (column in applied.get(change.uuid, ())
                      or column in clashed.get(change.uuid, ())
                      or (before is not None and before.get(column) == new))
                assert ok, self.fail(f"edit lost: {change.op} {change.uuid} {column} in version "
                                     f"{version['version']}")


def _summary(result) -> str:
    """What a sync, push or pull reported, for the trace."""
    if isinstance(result, replica.SyncReport):
        return (f" (pushed {len(result.pushed)}, pulled {result.pulled}, "
                f"{len(result.clashes)} clashes)")
    if isinstance(result, list):
        return f" (pushed {len(result)}, {sum(len(a['clashes']) for a in result)} clashes)"
    return f" (pulled {result})"


@pytest.mark.parametrize("seed", SEEDS)
def test_history(server, seed, tmp_path, monkeypatch):
    url, tokens = server
    change_sets = itertools.count(1)
    # Change-set ids from a counter too, so the same seed makes the same requests.
    monkeypatch.setattr(H, "uuid7", lambda: f"00000000-0000-7000-9000-{next(change_sets):012x}")
    history = History(url, tokens, seed, tmp_path)
    try:
        history.run()
    except Exception as exc:
        if not isinstance(exc, AssertionError):
            exc.add_note(history.fail("unexpected error"))
        raise
    finally:
        history.close()
