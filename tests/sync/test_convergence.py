"""Convergence: random edits by three parties, random sync orders and lost replies; at every
quiescent point all replicas equal the server, no acknowledged edit is lost, nothing is applied
twice, and every clash is on record.

The model is lean: replicas are copies of a template project, the server store is shared by all
examples (one server project per example), and requests call the server's functions directly
(the HTTP layer is tested elsewhere)."""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
import shapely
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule

from app.errors import CoplanError, SyncError
from app.model.catalogue import load_catalogue
from app.model.changes import DATA_SCHEMA_VERSION
from app.project import features as F
from app.project import history as H
from app.project.project import Project
from app.sync import replica
from app.sync.protocol import parse_changeset
from app.sync.server import versions
from app.sync.server.store import SqliteStore

EXAMPLES = int(os.environ.get("COPLAN_CONVERGENCE_EXAMPLES", "2000"))
PARTIES = [("sh", "310000", "editor"), ("sz", "320500", "editor"), ("boss", "office", "coordinator")]
NAMES = st.sampled_from(["东", "西", "南", "北", None])
CATALOGUE = load_catalogue()
_counter = itertools.count()


class DirectRemote:
    """The sync server's functions called in-process, with a switch to lose the next reply."""

    url = "direct://"

    def __init__(self, store: SqliteStore, user: str):
        self.store, self.user, self.lose_next_reply = store, user, False

    def _member(self, project: str):
        return self.store.member(project, self.user)

    def project(self, project: str) -> dict:
        me = self._member(project)
        return {**self.store.project_info(project), "party": me.party, "role": me.role}

    def push(self, project: str, body: bytes) -> dict:
        import hashlib
        cs = parse_changeset(body, CATALOGUE)
        answer = versions.push(self.store, self._member(project), cs, hashlib.sha256(body).hexdigest())
        if self.lose_next_reply:
            self.lose_next_reply = False
            raise SyncError("connection reset after the server committed", retryable=True)
        return answer

    def pull(self, project: str, since: int, limit: int = 100) -> dict:
        self._member(project)
        return versions.pull(self.store, project, since, limit)


@pytest.fixture(scope="module")
def world(template_project):
    # Memory-backed when available: thousands of examples would otherwise wait on fsync.
    shm = Path("/dev/shm")
    folder = Path(tempfile.mkdtemp(dir=shm if shm.is_dir() and os.access(shm, os.W_OK) else None))
    store = SqliteStore(folder / "server")
    store.add_user("sh", None), store.add_user("sz", None), store.add_user("boss", None)
    yield store, template_project, folder
    store.close()
    shutil.rmtree(folder)


def content(project: Project) -> dict:
    layer = "STBHHX"
    return {f.uuid: (f.owner, f.attrs["HXMC"], f.geometry.wkb_hex.upper())
            for f in F.iter_features(project, layer)}


def server_content(store: SqliteStore, pid: str) -> dict:
    rows = store.read().execute("SELECT uuid, row FROM features WHERE project = ? AND deleted = 0",
                                (pid,))
    out = {}
    for uuid, row in rows:
        row = json.loads(row)
        out[uuid] = (row["owner"], row["HXMC"], row["geom"].upper())
    return out


class Convergence(RuleBasedStateMachine):
    store: SqliteStore
    template: Path
    folder: Path

    @initialize()
    def setup(self):
        self.pid = f"p{next(_counter)}"
        self.store.create_project(self.pid, "test", DATA_SCHEMA_VERSION)
        for user, party, role in PARTIES:
            self.store.add_party(self.pid, party, party, "office" if party == "office" else "city")
            self.store.grant(self.pid, user, party, role)
        self.replicas, self.remotes = {}, {}
        for user, party, role in PARTIES:
            path = self.folder / f"{self.pid}-{user}.sqlite"
            shutil.copy(self.template, path)
            project = Project.open(path, author=user)
            for key, value in (("party", party), ("role", role), ("remote_url", "direct://"),
                               ("remote_project", self.pid)):
                project.set_meta(key, value)
            self.replicas[user], self.remotes[user] = project, DirectRemote(self.store, user)
        # Start from a shared state so that concurrent edits can clash from the first step.
        for user, i in (("sh", 0), ("sh", 1), ("sz", 2), ("boss", 3)):
            self.add(user, i, "始")
        for user in ("sh", "sz", "boss", "sh", "sz"):
            self.sync(user, False)

    def teardown(self):
        try:
            if hasattr(self, "pid"):
                self.quiesce()  # every example ends at a checked quiescent point
        finally:
            for project in getattr(self, "replicas", {}).values():
                project.close()
                Path(project.path).unlink(missing_ok=True)

    def _features(self, user):
        return sorted(F.iter_features(self.replicas[user], "STBHHX"), key=lambda f: f.uuid)

    @rule(user=st.sampled_from(["sh", "sz", "boss"]), i=st.integers(0, 20), name=NAMES)
    def add(self, user, i, name):
        attrs = {"BSM": str(i), "XZQDM": "310000", "XZQMC": "上海市", "HXMC": name}
        F.add_feature(self.replicas[user], "STBHHX", attrs, shapely.box(121 + i / 100, 31, 121.005 + i / 100, 31.005))

    @rule(user=st.sampled_from(["sh", "sz", "boss"]), i=st.integers(0, 5), name=NAMES,
          tamper=st.booleans())
    def rename(self, user, i, name, tamper):
        self._edit(user, i, tamper, lambda p, f: F.update_feature(p, "STBHHX", f.uuid, {"HXMC": name}))

    @rule(user=st.sampled_from(["sh", "sz", "boss"]), i=st.integers(0, 5), d=st.integers(1, 3))
    def move(self, user, i, d):
        self._edit(user, i, False, lambda p, f: F.update_feature(
            p, "STBHHX", f.uuid, geom=shapely.affinity.translate(f.geometry, d / 1000, 0)))

    @rule(user=st.sampled_from(["sh", "sz", "boss"]), i=st.integers(0, 5))
    def delete(self, user, i):
        self._edit(user, i, False, lambda p, f: F.delete_feature(p, "STBHHX", f.uuid))

    def _edit(self, user, i, tamper, action):
        features = self._features(user)
        if not features:
            return
        project, feature = self.replicas[user], features[i % len(features)]
        if tamper:  # an editor whose local role was tampered with edits another party's feature
            project.set_meta("role", "coordinator")
        try:
            if project.role == "coordinator" or feature.owner == project.party:
                action(project, feature)
        finally:
            project.set_meta("role", dict((u, r) for u, _, r in PARTIES)[user])

    @rule(user=st.sampled_from(["sh", "sz", "boss"]))
    def commit(self, user):
        if H.pending(self.replicas[user]):
            H.commit(self.replicas[user], "edit")

    @rule(user=st.sampled_from(["sh", "sz", "boss"]), lose=st.booleans())
    def sync(self, user, lose):
        self.commit(user)
        self.remotes[user].lose_next_reply = lose
        try:
            replica.run(replica.sync_steps(self.replicas[user], self.remotes[user]))
        except SyncError:
            pass
        self.remotes[user].lose_next_reply = False

    @precondition(lambda self: hasattr(self, "pid"))
    @rule(choice=st.sampled_from(["ancestor", "ours", "theirs"]))
    def resolve(self, choice):
        open_clashes = versions.list_clashes(self.store, self.pid)
        if open_clashes:
            member = self.store.member(self.pid, "boss")
            try:
                versions.resolve(self.store, member, open_clashes[0]["id"], choice)
            except CoplanError:
                pass  # e.g. the feature was deleted since

    @rule()
    def quiesce(self):
        """Everyone commits and syncs (twice, so the last pushes reach everyone), then check."""
        for _ in range(2):
            for user in self.replicas:
                self.sync(user, False)
        expected = server_content(self.store, self.pid)
        for user, project in self.replicas.items():
            assert content(project) == expected, f"replica {user} differs from the server"
            assert replica.outbox(project) == [], f"replica {user} kept unpushed change sets"
        check_no_edit_lost(self.store, self.pid, self.replicas.values())


def check_no_edit_lost(store: SqliteStore, pid: str, projects) -> None:
    """Each acknowledged change set is one version; each of its cells was applied, recorded as
    a clash, or already held that value on the server."""
    db = store.read()
    counts = dict(db.execute("SELECT changeset, count(*) FROM versions WHERE project = ? "
                             "GROUP BY changeset", (pid,)))
    state: dict[str, dict | None] = {}
    replay = {}
    for version, _layer, uuid, op, cols in db.execute(
            "SELECT version, layer, uuid, op, cols FROM changes WHERE project = ? ORDER BY version, idx",
            (pid,)):
        replay.setdefault(version, []).append((uuid, op, json.loads(cols)))
    clashes = {}
    for version, uuid, cells in db.execute(
            "SELECT version, uuid, cells FROM clashes WHERE project = ?", (pid,)):
        clashes.setdefault((version, uuid), set()).update(json.loads(cells))
    by_changeset = dict(db.execute("SELECT changeset, version FROM versions WHERE project = ?", (pid,)))
    local = {}
    for project in projects:
        for entry in H.log(project):
            if entry.state == "pushed":
                local[entry.changeset.id] = H.changeset(project, entry.changeset.id)
    for version in sorted(set(replay) | set(v for v, _ in clashes) | set(by_changeset.values())):
        cs_id = next((c for c, v in by_changeset.items() if v == version), None)
        if cs_id in local:
            _check_version(local[cs_id], replay.get(version, []), clashes, version, state)
        for uuid, op, cols in replay.get(version, []):
            state[uuid] = None if op == "delete" else {**(state.get(uuid) or {}),
                                                       **{k: v[1] for k, v in cols.items()}}
    assert all(n == 1 for n in counts.values()), "a change set was applied twice"
    missing = set(local) - set(counts)
    assert not missing, f"acknowledged change sets missing on the server: {missing}"
    pushes = {c for (c,) in db.execute("SELECT changeset FROM versions WHERE project = ? AND "
                                       "kind = 'push'", (pid,))}
    strangers = pushes - set(local)
    assert not strangers, f"server versions unknown to every replica (applied twice?): {strangers}"


def _check_version(cs, applied, clashes, version, state) -> None:
    applied_cols = {}
    for uuid, _op, cols in applied:
        applied_cols.setdefault(uuid, set()).update(cols)
    for change in cs.changes:
        before = state.get(change.uuid)
        if change.op == "delete":
            # A delete is kept whole: applied, already done, or one clash record for the feature.
            ok = (change.uuid in applied_cols or before is None
                  or (version, change.uuid) in clashes)
            assert ok, f"edit lost: delete {change.uuid} in version {version}"
            continue
        for column, (_, new) in change.cols.items():
            held = before is not None and _same(column, before.get(column), new)
            ok = (column in applied_cols.get(change.uuid, set())
                  or column in clashes.get((version, change.uuid), set()) or held)
            assert ok, f"edit lost: {change.op} {change.uuid} {column} in version {version}"


def _same(column, a, b) -> bool:
    if column == "geom" and isinstance(a, str) and isinstance(b, str):
        return a.upper() == b.upper()
    return a == b


@pytest.fixture
def machine(world):
    store, template, folder = world
    Convergence.store, Convergence.template, Convergence.folder = store, template, folder
    return Convergence


def test_replicas_converge(machine):
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(machine, settings=settings(
        max_examples=EXAMPLES, stateful_step_count=12, deadline=None,
        suppress_health_check=list(HealthCheck)))


def _failure_of(machine, examples: int = 500) -> str:
    """The text of the failure the state machine finds (the test fails if it finds none)."""
    import traceback

    from hypothesis.stateful import run_state_machine_as_test

    try:
        run_state_machine_as_test(machine, settings=settings(
            max_examples=examples, stateful_step_count=12, deadline=None, database=None,
            phases=[Phase.generate], report_multiple_bugs=False,  # stop at the first failure
            derandomize=True,  # the same search every run: the check either finds it or not
            suppress_health_check=list(HealthCheck)))
    except BaseException as exc:  # hypothesis may group several distinct failures
        return "".join(traceback.format_exception(exc))
    pytest.fail("the injected bug went unnoticed")


def test_the_check_catches_a_dedup_bug(machine, monkeypatch):
    """A client that sends each push under a fresh key: a lost reply is applied twice."""
    import uuid as uuidlib

    real_dumps = json.dumps

    def fresh_key_dumps(obj, *args, **kwargs):
        if isinstance(obj, dict) and obj.get("format") == "coplan.changeset/v1":
            obj = {**obj, "id": str(uuidlib.uuid4())}
        return real_dumps(obj, *args, **kwargs)
    monkeypatch.setattr(replica.json, "dumps", fresh_key_dumps)
    failure = _failure_of(machine)
    assert re.search("applied twice|missing on the server|unknown to every replica", failure)


def test_the_check_catches_a_drop_bug(machine, monkeypatch):
    """Merge that silently drops conflicting cells instead of recording them."""
    from app.sync import merge as merge_module

    real_merge = merge_module.merge

    def dropping_merge(change, head):
        outcome = real_merge(change, head)
        return merge_module.Outcome(outcome.applied, None)
    monkeypatch.setattr(versions, "merge", dropping_merge)
    assert "edit lost" in _failure_of(machine)
