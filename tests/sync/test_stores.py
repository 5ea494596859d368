"""The server store behind one interface: PostGIS geometry, backup and restore (across kinds),
migration SQLite → PostgreSQL, and several server processes on one PostgreSQL."""

from __future__ import annotations

import hashlib
import io
import json
import math
import tarfile
import threading
import uuid as uuidlib
from concurrent.futures import ThreadPoolExecutor

import pytest
import shapely

from app.cli import main
from app.errors import ConflictError, InvalidInput
from app.implement.events import to_json
from app.implement.server import ImplementServer
from app.model.changes import DATA_SCHEMA_VERSION
from app.reports import registry
from app.review.server import ReviewServer
from app.sync.client import Remote
from app.sync.protocol import parse_changeset
from app.sync.server import backup, versions
from app.sync.server.backup import digests
from app.sync.server.store import Member, read_blob
from app.sync.server.store import open_store as open_spec
from tests import stores
from tests.servers import Server

PROJECT = "metro"
PDF = b"%PDF-1.4\n% edition\n%%EOF\n"
SH = Member("sh", PROJECT, "310000", "editor")
SZ = Member("sz", PROJECT, "320500", "editor")
BOSS = Member("boss", PROJECT, "office", "coordinator")
PUB = Member("pub", PROJECT, "office", "publisher")


def star(vertices: int, shift: float = 0.0) -> str:
    """Hex WKB of a MultiPolygon ring of `vertices` points near Shanghai."""
    ring = [(121.3 + shift + 0.01 * math.cos(2 * math.pi * k / vertices),
             31.2 + 0.01 * math.sin(2 * math.pi * k / vertices)) for k in range(vertices)]
    return shapely.to_wkb(shapely.MultiPolygon([shapely.Polygon(ring)]), hex=True, byte_order=1).upper()


def body(member: Member, changes: list[dict], message: str = "编辑") -> bytes:
    return json.dumps({
        "format": "coplan.changeset/v1", "id": str(uuidlib.uuid4()), "project": PROJECT,
        "party": member.party, "author": member.user, "created": "2026-01-01T00:00:00Z",
        "base_version": 0, "message": message, "schema_version": DATA_SCHEMA_VERSION,
        "changes": changes}, ensure_ascii=False).encode()


def insert(member: Member, uuid: str, name: str, geom: str, area: float = 1e16) -> dict:
    row = {"owner": member.party, "created_by": member.user, "created_at": "2026-01-01T00:00:00Z",
           "BSM": "1", "XZQDM": member.party, "XZQMC": "上海市", "HXMC": name, "MJ": area,
           "geom": geom}
    return {"layer": "STBHHX", "uuid": uuid, "op": "insert", "cols": {k: [None, v] for k, v in row.items()}}


def push(store, member: Member, data: bytes) -> dict:
    from app.model.catalogue import load_catalogue
    cs = parse_changeset(data, load_catalogue())
    return versions.push(store, member, cs, hashlib.sha256(data).hexdigest())


def setup_project(store) -> None:
    store.create_project(PROJECT, "上海大都市圈", DATA_SCHEMA_VERSION)
    for code, name, kind in (("310000", "上海市", "city"), ("320500", "苏州市", "city"),
                             ("office", "协同办公室", "office")):
        store.add_party(PROJECT, code, name, kind)
    for m in (SH, SZ, BOSS, PUB):
        store.add_user(m.user, None)
        store.grant(PROJECT, m.user, m.party, m.role)


def populate(store) -> str:
    """A store with every kind of row: versions, a conflict and its decision, a review round
    with an attachment, a published edition. Returns a token of "sh"."""
    setup_project(store)
    token = store.issue_token("sh")
    uuid = str(uuidlib.uuid4())
    push(store, SH, body(SH, [insert(SH, uuid, "东滩", star(3000))]))
    push(store, SH, body(SH, [{"layer": "STBHHX", "uuid": uuid, "op": "update",
                               "cols": {"HXMC": ["东滩", "沪"]}}]))
    answer = push(store, BOSS, body(BOSS, [{"layer": "STBHHX", "uuid": uuid, "op": "update",
                                            "cols": {"HXMC": ["东滩", "办"]}}]))
    [clash] = answer["clashes"]
    versions.resolve(store, BOSS, clash["id"], "theirs")
    review = ReviewServer(store)
    review.run(BOSS, lambda r, a: r.open_round(a, 1, {"zh": "第一轮"}, event_id=str(uuidlib.uuid4())))
    review.upload(SH, str(uuidlib.uuid4()), PDF)
    registry.upload(store, PUB, registry.EditionMeta("policy", 1, "2026-01-01", "a" * 64, 3,
                                                     "b" * 64), PDF)
    implement = ImplementServer(store)  # implementation tracking: items and a report
    implement.post(BOSS, "items", str(uuidlib.uuid4()), {"items": [
        {"id": "plan", "kind": "plan", "title_zh": "规划"},
        {"id": "A1", "kind": "action", "parent": "plan", "title_zh": "行动", "lead": "310000"}]})
    implement.post(SH, "report", str(uuidlib.uuid4()), {
        "report": str(uuidlib.uuid4()), "period": "2026-01", "written": "2026-02-01T00:00:00Z",
        "author": "沪", "lines": [{"item": "A1", "percent": 12.5, "status": "on_track"}]})
    return token


def state(store) -> dict:
    """What clients can read of a project, through the domain functions."""
    snap = versions.snapshot(store, PROJECT, None, 1000)
    snap.pop("taken")
    return {"pull": versions.pull(store, PROJECT, 0, 1000), "snapshot": snap,
            "conflicts": versions.list_clashes(store, PROJECT, None),
            "editions": registry.list_editions(store, PROJECT),
            "review": [e.id for e in ReviewServer(store).events(PROJECT)],
            "implement": [to_json(e) for e in ImplementServer(store).events(PROJECT)[0]],
            "info": store.project_info(PROJECT)}


@pytest.fixture
def made(tmp_path, pg_cluster):
    """A factory of empty stores of either kind, discarded afterwards."""
    opened = []

    def make(kind: str, name: str):
        opened.append(stores.open_store(kind, tmp_path / name))
        return opened[-1]
    yield make
    for store in opened:
        stores.discard(store)


def test_features_live_in_postgis_with_a_spatial_index(made):
    store = made("postgresql", "pg")
    setup_project(store)
    uuid = str(uuidlib.uuid4())
    geom = star(5000)
    push(store, SH, body(SH, [insert(SH, uuid, "东滩", geom)]))
    with store.reading() as s:
        srid, points, kind, attrs = s.conn.execute(
            "SELECT ST_SRID(geom), ST_NPoints(geom), GeometryType(geom), attrs FROM features").fetchone()
        indexes = s.conn.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'features'"
                                 ).fetchall()
    assert (srid, points, kind) == (4490, 5001, "MULTIPOLYGON")
    assert "geom" not in attrs and attrs["HXMC"] == "东滩"  # the rest is jsonb
    assert any("gist (geom)" in i[0] for i in indexes)
    row = versions.snapshot(store, PROJECT, None, 10)["features"][0]["row"]
    assert row["geom"] == geom  # the same bytes come back
    assert row["MJ"] == 1e16 and isinstance(row["MJ"], float)  # jsonb prints it as an integer


@pytest.mark.parametrize("source,target", [("sqlite", "postgresql"), ("postgresql", "sqlite"),
                                           ("postgresql", "postgresql"), ("sqlite", "sqlite")])
def test_backup_restores_into_either_kind(made, tmp_path, source, target):
    src = made(source, "src")
    token = populate(src)
    manifest = backup.backup(src, tmp_path / "metro.backup")
    assert manifest["tables"]["versions"][0] == 4 and manifest["files"][0] == 2
    dst = made(target, "dst")
    backup.restore(dst, tmp_path / "metro.backup")
    assert digests(dst) == digests(src)
    assert state(dst) == state(src)
    name = f"editions/{registry.list_editions(dst, PROJECT)[0]['file']}"
    assert read_blob(dst.blobs, PROJECT, name) == PDF
    assert dst.authenticate(token) == "sh"  # users and their tokens come along
    with pytest.raises(ConflictError, match="not empty"):
        backup.restore(dst, tmp_path / "metro.backup")


def rewrite(tar_path, out, change) -> None:
    """A copy of the backup `tar_path` at `out`, its members {name: bytes} passed to `change`."""
    with tarfile.open(tar_path) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    change(members)
    with tarfile.open(out, "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


@pytest.mark.parametrize("target", ["sqlite", "postgresql"])
def test_forced_versions_and_check_ins_survive_a_backup(made, tmp_path, target):
    src = made("sqlite", "src")
    populate(src)
    forced = json.loads(body(BOSS, [insert(BOSS, str(uuidlib.uuid4()), "强制", star(5, 0.1))]))
    push(src, BOSS, json.dumps({**forced, "forced": True}, ensure_ascii=False).encode())
    backup.backup(src, tmp_path / "b.tar")
    dst = made(target, "dst")
    backup.restore(dst, tmp_path / "b.tar")
    assert digests(dst) == digests(src)
    with dst.reading() as s:
        assert [v["forced"] for v, *_ in s.versions(PROJECT, 0, 100)] == [False] * 4 + [True]


@pytest.mark.parametrize("target", ["sqlite", "postgresql"])
def test_a_backup_from_before_forced_versions_and_check_ins_restores(made, tmp_path, target):
    src = made("sqlite", "src")
    populate(src)
    backup.backup(src, tmp_path / "b.tar")

    def older(members: dict) -> None:  # as the previous release wrote it
        manifest = json.loads(members["coplan-backup.json"])
        for added in ("checkin_submissions", "implement_events"):
            del manifest["tables"][added], members[f"tables/{added}.jsonl"]
        members["coplan-backup.json"] = json.dumps(manifest).encode()
        rows = [json.loads(line) for line in members["tables/versions.jsonl"].splitlines()]
        assert rows and all("forced" in r for r in rows)
        members["tables/versions.jsonl"] = "".join(
            json.dumps({k: v for k, v in r.items() if k != "forced"}, ensure_ascii=False) + "\n"
            for r in rows).encode()
    rewrite(tmp_path / "b.tar", tmp_path / "old.tar", older)
    dst = made(target, "dst")
    backup.restore(dst, tmp_path / "old.tar")
    # Everything comes back; the implementation log, which the old backup lacked, is empty.
    restored, source = digests(dst), digests(src)
    assert restored.pop("implement_events")[0] == 0 and source.pop("implement_events")[0] == 2
    assert restored == source
    assert {**state(dst), "implement": None} == {**state(src), "implement": None}


def test_a_tampered_backup_is_refused(made, tmp_path):
    src = made("sqlite", "src")
    populate(src)
    backup.backup(src, tmp_path / "b.tar")
    with tarfile.open(tmp_path / "b.tar") as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    members["tables/parties.jsonl"] = members["tables/parties.jsonl"].replace("苏州市".encode(), "苏州".encode())
    with tarfile.open(tmp_path / "bad.tar", "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    with pytest.raises(InvalidInput, match="parties: expected 3 rows"):
        backup.restore(made("postgresql", "dst"), tmp_path / "bad.tar")
    members["tables/parties.jsonl"] = members["tables/parties.jsonl"][:-5]  # cut short
    with tarfile.open(tmp_path / "cut.tar", "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    dst = made("postgresql", "dst3")
    with pytest.raises(InvalidInput, match="table parties, line 3: damaged"):
        backup.restore(dst, tmp_path / "cut.tar")
    assert backup.restore(dst, tmp_path / "b.tar")  # nothing was loaded: the good one goes in
    assert digests(dst) == digests(src)
    with pytest.raises(InvalidInput, match="not a CoPlan backup"):
        backup.restore(made("sqlite", "dst2"), tmp_path / "b.tar.missing")


def test_a_backup_taken_while_pushing_is_consistent(made, tmp_path):
    store = made("postgresql", "live")
    setup_project(store)
    stop, pushed = threading.Event(), threading.Event()

    def writer():
        n = 0
        while not stop.is_set():
            push(store, SH, body(SH, [insert(SH, str(uuidlib.uuid4()), f"要素{n}", star(50, n / 1000))]))
            pushed.set()
            n += 1
    thread = threading.Thread(target=writer)
    thread.start()
    try:
        # The backups start once the writer has pushed (however slow the machine), and run
        # while it goes on pushing.
        assert pushed.wait(timeout=300)
        for i in range(3):
            backup.backup(store, tmp_path / f"live{i}.tar")
    finally:
        stop.set()
        thread.join()
    restored = made("sqlite", "restored")
    backup.restore(restored, tmp_path / "live2.tar")
    # The restored head's versions are all there, and they add up to its features.
    pulled = versions.pull(restored, PROJECT, 0, 100000)
    assert [v["version"] for v in pulled["versions"]] == list(range(1, pulled["head"] + 1))
    features = versions.snapshot(restored, PROJECT, None, 100000)["features"]
    assert len(features) == pulled["head"] > 0


def test_migrate_store_moves_everything_and_says_so(made, tmp_path, capsys):
    src = made("sqlite", "src")
    populate(src)
    expected = state(src)
    url = stores.CLUSTER.new_database()
    try:
        secret = url.replace("coplan@", "coplan:s3cret@")  # the test cluster trusts; never shown
        assert main(["admin", "--store", str(src.folder), "migrate-store", "--to", secret]) == 0
        said = capsys.readouterr()
        assert "every table's rows and digest match" in said.out
        assert "s3cret" not in said.out + said.err
        dst = open_spec(url)
        try:
            assert state(dst) == expected
            assert main(["admin", "--store", str(src.folder), "migrate-store", "--to", url]) != 0
            assert "not empty" in capsys.readouterr().err
        finally:
            dst.close()
    finally:
        stores.CLUSTER.drop(url)


def test_serve_refuses_several_processes_on_sqlite(tmp_path, capsys):
    assert main(["serve", "--store", str(tmp_path / "s"), "--port", "0", "--workers", "2"]) != 0
    assert "PostgreSQL" in capsys.readouterr().err


def test_two_processes_fifty_pushers_exactly_once_in_order(made, tmp_path):
    store = made("postgresql", "multi")
    setup_project(store)
    pushers = [Member(f"p{i}", PROJECT, ("310000", "320500")[i % 2], "editor") for i in range(50)]
    for m in pushers:
        store.add_user(m.user, None)
        store.grant(PROJECT, m.user, m.party, m.role)
    tokens = {m.user: store.issue_token(m.user) for m in pushers}
    server = Server(tmp_path / "server", stores.spec(store), workers=2)
    server.start()
    try:
        def work(m: Member) -> list[dict]:
            remote = Remote(server.url, tokens[m.user], retries=3, backoff=0.05)
            answers = []
            for k in range(4):
                data = body(m, [insert(m, str(uuidlib.uuid4()), f"{m.user}-{k}", star(200, k / 100))])
                first = remote.push(PROJECT, data)
                assert remote.push(PROJECT, data) == first  # a retry gets the same answer
                answers.append(first)
            return answers
        with ThreadPoolExecutor(50) as pool:
            answers = [a for batch in pool.map(work, pushers) for a in batch]
        pids = _worker_pids(server)
    finally:
        server.stop()
    numbers = sorted(a["version"] for a in answers)
    assert numbers == list(range(1, 201))  # each change set once, no gaps, no duplicates
    pulled = versions.pull(store, PROJECT, 0, 1000)
    assert pulled["head"] == 200
    assert {v["changeset"] for v in pulled["versions"]} == {a["changeset"] for a in answers}
    assert len(pids) == 2


def _worker_pids(server) -> list[int]:
    import subprocess
    out = subprocess.run(["pgrep", "-P", str(server.proc.pid)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def test_a_busy_store_answers_503_to_retry(tmp_path, pg_cluster, monkeypatch):
    from fastapi.testclient import TestClient

    from app.sync.server import pg_store
    from app.sync.server.api import create_app

    monkeypatch.setattr(pg_store, "POOL_WAIT", 0.2)
    store = stores.open_store("postgresql", tmp_path, pool_size=1)
    try:
        setup_project(store)
        token = store.issue_token("sh")
        with TestClient(create_app(store), raise_server_exceptions=False) as client:
            with store.writing():  # the one connection is taken
                r = client.get(f"/api/v1/projects/{PROJECT}", headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == 503 and r.json()["error"]["retryable"] is True
            assert r.headers["Retry-After"] == "1"
            r = client.get(f"/api/v1/projects/{PROJECT}", headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == 200  # free again
    finally:
        stores.discard(store)


EDGE = [("MJ", 3), ("MJ", -0.0), ("MJ", 1.7976931348623157e308), ("MJ", 5e-324), ("MJ", 0.1),
        ("HXMC", "😀 \"引号\" \\ 反斜杠 ' \u3000全角空格"), ("HXMC", "长" * 10_000), ("BZ", ""),
        ("HXMC", "ＧＢＫ之外：𠀀𪚥")]


def test_edge_values_read_back_equal_on_both_stores(made):
    """Every value a push may carry comes back equal from either store, and a migration of
    them checks out (numbers compare by value: jsonb prints 1e308 as an integer)."""
    seen, opened = {}, {}
    for kind in stores.KINDS:
        store = opened[kind] = made(kind, kind)
        setup_project(store)
        for i, (column, value) in enumerate(EDGE):
            uuid = f"00000000-0000-4000-8000-{i:012d}"
            change = insert(SH, uuid, "边界", star(5, i / 100))
            change["cols"][column] = [None, value]
            push(store, SH, body(SH, [change]))
        pulled = [{k: v for k, v in version.items() if k != "changeset"}  # ids are random
                  for version in versions.pull(store, PROJECT, 0, 100)["versions"]]
        seen[kind] = (versions.snapshot(store, PROJECT, None, 100)["features"], pulled)
    assert seen["sqlite"] == seen["postgresql"]
    rows = {f["uuid"]: f["row"] for f in seen["postgresql"][0]}
    for i, (column, value) in enumerate(EDGE):
        assert rows[f"00000000-0000-4000-8000-{i:012d}"][column] == value
    target = made("postgresql", "copy")
    backup.migrate(opened["sqlite"], target)  # checks every table's digest
    assert digests(target) == digests(opened["sqlite"])


def test_clear_errors_without_a_store_or_a_reachable_one(tmp_path, capsys, monkeypatch, pg_cluster):
    monkeypatch.delenv("COPLAN_STORE", raising=False)
    assert main(["admin", "create-project", "metro"]) == 2
    assert "no store" in capsys.readouterr().err
    gone = f"postgresql://coplan@/nothing?host={tmp_path}&port=5432"
    assert main(["serve", "--store", gone, "--port", "0"]) == 2
    assert "cannot reach the PostgreSQL store" in capsys.readouterr().err
    url = stores.CLUSTER.new_database()
    try:
        import psycopg
        with psycopg.connect(url, autocommit=True) as conn:  # a role that may not add PostGIS
            conn.execute("CREATE ROLE plain LOGIN")
            conn.execute("DROP EXTENSION postgis CASCADE")
            conn.execute("DROP TABLE coplan_migrations")
            conn.execute("GRANT ALL ON SCHEMA public TO plain")
        plain = url.replace("coplan@", "plain@")
        assert main(["admin", "--store", plain, "create-project", "metro"]) == 2
        assert "CREATE EXTENSION postgis" in capsys.readouterr().err
    finally:
        stores.CLUSTER.drop(url)
        with psycopg.connect(stores.CLUSTER.database_url("postgres"), autocommit=True) as conn:
            conn.execute("DROP ROLE IF EXISTS plain")


def test_attachments_kept_inside_an_older_sqlite_store_move_beside_it(tmp_path):
    """Stores made before files lived beside the database kept attachment bytes in it."""
    from app.review.server import attachment_blob
    from app.sync.server.sqlite_store import SqliteStore

    store = SqliteStore(tmp_path / "old")
    setup_project(store)
    digest = hashlib.sha256(PDF).hexdigest()
    with store.writing() as s:
        s.db.execute("INSERT INTO review_attachments (project, id, party, username, name, "
                     "media_type, size, sha256, created, data) VALUES (?, 'a1', '310000', 'sh', "
                     "'a1.pdf', 'application/pdf', ?, ?, 'now', ?)", (PROJECT, len(PDF), digest, PDF))
    store.close()
    store = SqliteStore(tmp_path / "old")  # opening it moves the bytes
    try:
        assert ReviewServer(store).attachment(PROJECT, "a1")[2] == PDF
        assert (tmp_path / "old" / attachment_blob("a1.pdf", digest).replace(
            "attachments/", f"attachments/{PROJECT}/")).read_bytes() == PDF
        with store.reading() as s:
            assert s.db.execute("SELECT length(data) FROM review_attachments").fetchone()[0] == 0
    finally:
        store.close()
