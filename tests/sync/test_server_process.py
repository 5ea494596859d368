"""A real server process on an ephemeral port: HTTP end to end, crashes, cut connections,
concurrent duplicates, hostile input."""

from __future__ import annotations

import json
import os
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
import shapely

from app.errors import AuthError, PermissionDenied, SyncError
from app.model.changes import DATA_SCHEMA_VERSION
from app.project import features as F
from app.project import history as H
from app.sync import replica
from app.sync.client import Remote
from tests import stores
from tests.servers import Server

REPO = Path(__file__).resolve().parents[2]
PROJECT = "metro"
RED = {"BSM": "1", "XZQDM": "310000", "XZQMC": "上海市", "HXMC": "东滩"}


@pytest.fixture
def server(new_store, tmp_path):
    data = tmp_path / "server"
    store = new_store()
    store.create_project(PROJECT, "上海大都市圈", DATA_SCHEMA_VERSION)
    store.add_party(PROJECT, "310000", "上海市", "city")
    store.add_party(PROJECT, "320500", "苏州市", "city")
    store.add_user("sh", None), store.add_user("sz", None), store.add_user("eye", None)
    store.grant(PROJECT, "sh", "310000", "editor")
    store.grant(PROJECT, "sz", "320500", "editor")
    store.grant(PROJECT, "eye", "310000", "observer")
    tokens = {u: store.issue_token(u) for u in ("sh", "sz", "eye")}
    srv = Server(data, stores.spec(store))
    srv.start()
    srv.tokens = tokens
    yield srv
    srv.stop()


def remote(server, user="sh") -> Remote:
    return Remote(server.url, server.tokens[user], retries=1, backoff=0.05, timeout=(2, 20))


def project_with_commit(server, tmp_path, name="sh"):
    project = replica.run(replica.clone_steps(remote(server, name), PROJECT, tmp_path / f"{name}.sqlite"))
    F.add_feature(project, "STBHHX", RED, shapely.box(121.9, 31.4, 121.95, 31.45))
    H.commit(project, "红线")
    return project


def body_of(project) -> bytes:
    [cs] = replica.outbox(project)
    return json.dumps({**cs.to_json(), "project": PROJECT}).encode()


def test_end_to_end_over_http(server, tmp_path):
    sh = project_with_commit(server, tmp_path)
    report = replica.run(replica.sync_steps(sh, remote(server)))
    assert report.version == 1
    sz = replica.run(replica.clone_steps(remote(server, "sz"), PROJECT, tmp_path / "sz.sqlite"))
    assert sz.count("STBHHX") == 1 and H.pending(sz) == []
    openapi = requests.get(server.url + "/openapi.json", timeout=5).json()
    assert "/api/v1/projects/{project}/changesets" in openapi["paths"]


@pytest.mark.parametrize("point", ["before-commit", "after-commit"])
def test_server_killed_mid_push(server, tmp_path, point):
    sh = project_with_commit(server, tmp_path)
    server.stop()
    server.start(failpoint=point)
    with pytest.raises(SyncError):
        replica.run(replica.push_steps(sh, remote(server)))
    assert server.proc.wait(timeout=10) == 137  # the fail-point ended the process
    server.start()
    head = requests.get(f"{server.url}/api/v1/projects/{PROJECT}/changesets",
                        headers={"Authorization": f"Bearer {server.tokens['sh']}"}, timeout=5).json()["head"]
    assert head == (1 if point == "after-commit" else 0)  # never a partial version
    report = replica.run(replica.sync_steps(sh, remote(server)))
    assert report.version == 1 and replica.outbox(sh) == []  # the retry lands exactly once


def test_hundred_concurrent_duplicates_apply_once(server, tmp_path):
    sh = project_with_commit(server, tmp_path)
    body = body_of(sh)
    headers = {"Authorization": f"Bearer {server.tokens['sh']}", "Content-Type": "application/json"}
    url = f"{server.url}/api/v1/projects/{PROJECT}/changesets"

    def post(_):
        return requests.post(url, data=body, headers=headers, timeout=30)
    with ThreadPoolExecutor(max_workers=25) as pool:
        answers = list(pool.map(post, range(100)))
    assert {r.status_code for r in answers} == {200}
    assert {r.json()["version"] for r in answers} == {1}
    pulled = requests.get(url, headers=headers, timeout=5).json()
    assert pulled["head"] == 1 and len(pulled["versions"]) == 1


def test_connection_cut_mid_upload(server, tmp_path):
    sh = project_with_commit(server, tmp_path)
    body = body_of(sh)
    host, port = server.url.split("//")[1].split(":")
    with socket.create_connection((host, int(port)), timeout=5) as s:
        s.sendall((f"POST /api/v1/projects/{PROJECT}/changesets HTTP/1.1\r\nHost: x\r\n"
                   f"Authorization: Bearer {server.tokens['sh']}\r\n"
                   f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
                  + body[: len(body) // 2])
    report = replica.run(replica.sync_steps(sh, remote(server)))
    assert report.version == 1  # nothing half-applied; the real push lands as version 1


def cutting_proxy(target: str, limit: int) -> tuple[str, threading.Thread]:
    """A TCP proxy that forwards requests whole and answers with only the first `limit` bytes."""
    host, port = target.split("//")[1].split(":")
    listener = socket.create_server(("127.0.0.1", 0))

    def run():
        conn, _ = listener.accept()
        with conn, socket.create_connection((host, int(port))) as up:
            conn.settimeout(5)
            up.sendall(conn.recv(65536))
            sent = 0
            while sent < limit:
                data = up.recv(min(4096, limit - sent))
                if not data:
                    break
                conn.sendall(data)
                sent += len(data)
        listener.close()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return f"http://127.0.0.1:{listener.getsockname()[1]}", thread


def test_connection_cut_mid_download(server, tmp_path):
    sh = project_with_commit(server, tmp_path)
    replica.run(replica.sync_steps(sh, remote(server)))
    sz = replica.run(replica.clone_steps(remote(server, "sz"), PROJECT, tmp_path / "sz.sqlite"))
    before = sz.base_version
    sz.set_meta("base_version", "0")  # pretend it has not pulled yet
    sz.db.execute('DELETE FROM "STBHHX"')  # and has none of it (consistent with version 0)
    sz.db.execute('DELETE FROM "coplan_base_STBHHX"')
    sz.db.execute('DELETE FROM "coplan_dirty_STBHHX"')
    url, thread = cutting_proxy(server.url, 300)
    cut = Remote(url, server.tokens["sz"], retries=0, timeout=(2, 5))
    with pytest.raises(SyncError):
        replica.run(replica.pull_steps(sz, cut))
    thread.join(5)
    assert sz.base_version == 0 and sz.count("STBHHX") == 0  # unchanged by the cut pull
    replica.run(replica.pull_steps(sz, remote(server, "sz")))
    assert sz.base_version == before and sz.count("STBHHX") == 1


@pytest.mark.parametrize("mangle, status, words", [
    (lambda b: b[: len(b) // 2], 400, "malformed JSON"),
    (lambda b: b"[1, 2", 400, "malformed JSON"),
    (lambda b: b.replace(b'"op": "insert"', b'"op": "upsert"'), 400, "op"),
    (lambda b: b.replace(f'"schema_version": {DATA_SCHEMA_VERSION}'.encode(), b'"schema_version": 99'),
     409, "schema version"),
    (lambda b: b.replace(b"121.9", b"NaN").replace(b'"created"', b'"x": NaN, "created"'), 400, "NaN"),
    (lambda b: b"[" * 100000 + b"]" * 100000, 400, "nested"),
])
def test_bad_change_sets_get_a_clear_4xx(server, tmp_path, mangle, status, words):
    sh = project_with_commit(server, tmp_path)
    r = requests.post(f"{server.url}/api/v1/projects/{PROJECT}/changesets", data=mangle(body_of(sh)),
                      headers={"Authorization": f"Bearer {server.tokens['sh']}"}, timeout=10)
    assert r.status_code == status
    assert words in r.json()["error"]["message"]
    assert set(r.json()) == {"error"}


def test_wrong_token_and_wrong_role(server, tmp_path):
    sh = project_with_commit(server, tmp_path)
    with pytest.raises(AuthError):
        Remote(server.url, "abc.def", retries=0).push(PROJECT, body_of(sh))
    r = requests.get(f"{server.url}/api/v1/projects/{PROJECT}", timeout=5)
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    with pytest.raises(PermissionDenied):
        remote(server, "eye").push(PROJECT, body_of(sh))


def test_unreachable_server_keeps_local_work(server, tmp_path, capsys):
    from app.cli import main

    sh = project_with_commit(server, tmp_path)
    sh.close()
    server.stop()
    os.environ["COPLAN_TOKEN"] = server.tokens["sh"]
    try:
        code = main(["sync", str(tmp_path / "sh.sqlite")])
    finally:
        del os.environ["COPLAN_TOKEN"]
    err = capsys.readouterr().err
    assert code != 0 and "cannot reach the server" in err and err.count("\n") == 1
    from app.project.project import Project
    with Project.open(tmp_path / "sh.sqlite") as again:
        assert len(replica.outbox(again)) == 1
