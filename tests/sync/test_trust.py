"""Regression tests for sync you can trust: each case was a way to lose, hide or poison edits,
or to take over another party's feature, with an ordinary client or one hostile request."""

from __future__ import annotations

import json
import math
import uuid as uuidlib

import pytest
import shapely

from app.errors import ConflictError, InvalidInput, PermissionDenied
from app.project import features as F
from app.project import history as H
from app.sync import replica
from app.sync.protocol import MAX_VERTICES
from tests.sync.conftest import PROJECT
from tests.sync.test_sync import RED, SHARED_BOX, clone, content, sync


def pull(project, remote):
    return replica.run(replica.pull_steps(project, remote))


def ring(vertices: int, cx: float = 121.3, cy: float = 31.2) -> shapely.Polygon:
    return shapely.Polygon([(cx + 0.01 * math.cos(2 * math.pi * k / vertices),
                             cy + 0.01 * math.sin(2 * math.pi * k / vertices)) for k in range(vertices)])


@pytest.fixture
def trio(remote_for, tmp_path):
    """Shanghai, Suzhou and the coordinator, sharing one Shanghai feature named 始."""
    sh, sz, boss = (clone(remote_for, u, tmp_path) for u in ("sh", "sz", "boss"))
    uuid = F.add_feature(sh, "STBHHX", {**RED, "HXMC": "始"}, SHARED_BOX).uuid
    H.commit(sh, "add")
    for p, u in ((sh, "sh"), (sz, "sz"), (boss, "boss")):
        sync(p, remote_for(u))
    yield sh, sz, boss, uuid
    for p in (sh, sz, boss):
        p.close()


def row_of(project, uuid) -> dict:
    """Every tracked column of a STBHHX feature, geometry as hex WKB."""
    layer = project.tracked_layer("STBHHX")
    cols = ["owner", "created_by", "created_at", *layer.field_names]
    row = project.db.execute(f"SELECT {', '.join(cols)}, hex(AsBinary(geom)) FROM STBHHX WHERE uuid = ?",
                             (uuid,)).fetchone()
    return dict(zip([*cols, "geom"], row, strict=True))


def clash_on_name(sh, boss, uuid, remote_for) -> dict:
    """Shanghai renames the feature 沪 and syncs, the coordinator 办: a conflict record."""
    F.update_feature(sh, "STBHHX", uuid, {"HXMC": "沪"})
    F.update_feature(boss, "STBHHX", uuid, {"HXMC": "办"})
    H.commit(sh, "a"), H.commit(boss, "b")
    sync(sh, remote_for("sh"))
    [clash] = sync(boss, remote_for("boss")).clashes
    return clash


def name(project, uuid):
    return F.get_feature(project, "STBHHX", uuid).attrs["HXMC"]


def raw_push(client, store, user, changes, *, cs_id=None, party="320500"):
    body = {"format": "coplan.changeset/v1", "id": cs_id or str(uuidlib.uuid4()), "project": PROJECT,
            "party": party, "author": "someone-else", "created": "2026-01-01T00:00:00Z",
            "base_version": 0, "message": "m", "schema_version": 1, "changes": changes}
    return client.post(f"/api/v1/projects/{PROJECT}/changesets", content=json.dumps(body),
                       headers={"Authorization": f"Bearer {store.issue_token(user)}"})


# --- replica semantics ---------------------------------------------------------------------

def test_own_echo_replays_the_servers_result(trio, remote_for):
    """Two parties rename 始→南, one renames again 南→北: the server has 北, and so must the
    author (its own versions come after a remote one it had not pulled yet)."""
    sh, _, boss, uuid = trio
    F.update_feature(sh, "STBHHX", uuid, {"HXMC": "南"})
    H.commit(sh, "south")
    sync(sh, remote_for("sh"))
    F.update_feature(boss, "STBHHX", uuid, {"HXMC": "南"})
    H.commit(boss, "south too")
    F.update_feature(boss, "STBHHX", uuid, {"HXMC": "北"})
    H.commit(boss, "north")
    sync(boss, remote_for("boss"))
    sync(sh, remote_for("sh"))
    assert name(boss, uuid) == name(sh, uuid) == "北"
    assert replica.outbox_entries(boss) == [] and H.pending(boss) == []


def test_a_delete_on_the_server_does_not_come_back_to_the_deleter(trio, remote_for):
    sh, _, boss, uuid = trio
    F.update_feature(sh, "STBHHX", uuid, {"HXMC": "改"})
    H.commit(sh, "rename")
    sync(sh, remote_for("sh"))
    F.delete_feature(boss, "STBHHX", uuid)
    H.commit(boss, "delete")
    [clash] = sync(boss, remote_for("boss")).clashes  # delete against the rename
    remote_for("boss").resolve(PROJECT, clash["id"], "theirs")
    pull(boss, remote_for("boss")), pull(sh, remote_for("sh"))
    assert boss.count("STBHHX") == sh.count("STBHHX") == 0


def test_a_pull_keeps_uncommitted_edits_of_other_columns(trio, remote_for):
    sh, _, boss, uuid = trio
    F.update_feature(boss, "STBHHX", uuid, {"HXMC": "办"})
    H.commit(boss, "rename")
    sync(boss, remote_for("boss"))
    F.update_feature(sh, "STBHHX", uuid, {"HXLX": "湿地"})  # not committed
    pull(sh, remote_for("sh"))
    assert name(sh, uuid) == "办"
    [pending] = H.pending(sh)
    assert pending.cols == {"HXLX": (None, "湿地")}  # still pending, still the user's
    H.commit(sh, "type")
    sync(sh, remote_for("sh")), sync(boss, remote_for("boss"))
    assert F.get_feature(boss, "STBHHX", uuid).attrs["HXLX"] == "湿地"


def test_a_pull_refuses_when_an_uncommitted_edit_meets_the_same_cell(trio, remote_for):
    sh, _, boss, uuid = trio
    F.update_feature(boss, "STBHHX", uuid, {"HXMC": "办"})
    H.commit(boss, "rename")
    sync(boss, remote_for("boss"))
    F.update_feature(sh, "STBHHX", uuid, {"HXMC": "沪"})
    with pytest.raises(ConflictError, match="uncommitted"):
        pull(sh, remote_for("sh"))
    assert name(sh, uuid) == "沪" and len(H.pending(sh)) == 1  # nothing lost
    H.commit(sh, "mine")
    [clash] = sync(sh, remote_for("sh")).clashes  # the edit becomes a conflict record
    assert clash["cells"]["HXMC"] == ["始", "办", "沪"]


def test_resolve_then_pull_with_uncommitted_edits_keeps_them(trio, remote_for):
    sh, sz, boss, uuid = trio
    clash = clash_on_name(sh, boss, uuid, remote_for)
    F.update_feature(sh, "STBHHX", uuid, {"HXLX": "湿地"})  # uncommitted, another column
    remote_for("sh").resolve(PROJECT, clash["id"], "theirs")
    pull(sh, remote_for("sh"))
    assert name(sh, uuid) == "办" and [c.cols for c in H.pending(sh)] == [{"HXLX": (None, "湿地")}]


# --- resolutions ---------------------------------------------------------------------------

def test_a_stale_resolution_is_refused_and_the_record_refreshed(trio, remote_for):
    sh, _, boss, uuid = trio
    clash = clash_on_name(sh, boss, uuid, remote_for)
    F.update_feature(sh, "STBHHX", uuid, {"HXMC": "沪后来"})  # the owner edits again
    H.commit(sh, "later")
    sync(sh, remote_for("sh"))
    [listed] = remote_for("boss").conflicts(PROJECT)
    assert listed["stale"] and listed["current"]["HXMC"] == "沪后来"
    with pytest.raises(ConflictError, match="out of date"):
        remote_for("boss").resolve(PROJECT, clash["id"], "theirs")
    [refreshed] = remote_for("boss").conflicts(PROJECT)
    assert refreshed["cells"]["HXMC"] == ["始", "沪后来", "办"] and not refreshed["stale"]
    remote_for("boss").resolve(PROJECT, clash["id"], "theirs")  # decided on what was seen
    sync(sh, remote_for("sh")), sync(boss, remote_for("boss"))
    assert name(sh, uuid) == name(boss, uuid) == "办"


def test_a_resolution_with_arbitrary_values_is_refused(trio, remote_for, store):
    sh, _, boss, uuid = trio
    F.update_feature(sh, "STBHHX", uuid, {"HXMC": "沪"}, geom=shapely.box(121.0, 31.0, 121.06, 31.05))
    F.update_feature(boss, "STBHHX", uuid, {"HXMC": "办"}, geom=shapely.box(121.0, 31.0, 121.05, 31.07))
    H.commit(sh, "a"), H.commit(boss, "b")
    sync(sh, remote_for("sh"))
    [clash] = sync(boss, remote_for("boss")).clashes
    far_line = shapely.to_wkb(shapely.LineString([(1e300, 0), (0, 1)]), hex=True)
    for values in ({"HXMC": {"a": [1, 2]}}, {"geom": "zz-not-wkb"}, {"geom": far_line},
                   {"geom": None}):
        with pytest.raises(InvalidInput):
            remote_for("boss").resolve(PROJECT, clash["id"], "value", values)
    pull(sh, remote_for("sh"))  # every replica can still pull


def test_resolving_theirs_for_a_uuid_that_never_existed_creates_nothing(client, store, remote_for, tmp_path):
    sz = clone(remote_for, "sz", tmp_path)
    ghost = str(uuidlib.uuid4())
    geom = shapely.to_wkb(shapely.MultiPolygon([ring(8)]), hex=True)
    r = raw_push(client, store, "sz", [{"layer": "STBHHX", "uuid": ghost, "op": "update",
                                        "cols": {"HXMC": ["a", "b"], "geom": [geom, geom]}}])
    [clash] = r.json()["clashes"]
    assert clash["kind"] == "update-delete"
    with pytest.raises(InvalidInput, match="owner"):
        remote_for("boss").resolve(PROJECT, clash["id"], "theirs")
    pull(sz, remote_for("sz"))
    assert sz.count("STBHHX") == 0


# --- takeover ------------------------------------------------------------------------------

def test_an_insert_with_another_partys_uuid_is_refused_and_cannot_be_resolved_in(trio, client, store, remote_for):
    sh, sz, _, uuid = trio
    row = row_of(sh, uuid)
    stolen = {**row, "owner": "320500"}
    r = raw_push(client, store, "sz", [{"layer": "STBHHX", "uuid": uuid, "op": "insert",
                                        "cols": {k: [None, v] for k, v in stolen.items()}}])
    [clash] = r.json()["clashes"]
    assert clash["kind"] == "refused" and "feature of party 310000" in clash["reason"]
    for choice in ("theirs", "ancestor"):
        with pytest.raises((PermissionDenied, InvalidInput)):
            remote_for("sz").resolve(PROJECT, clash["id"], choice)
    sync(sh, remote_for("sh"))
    assert F.get_feature(sh, "STBHHX", uuid).owner == "310000"


def test_forged_old_values_cannot_be_written_back(trio, client, store, remote_for):
    sh, _, _, uuid = trio
    r = raw_push(client, store, "sz", [{"layer": "STBHHX", "uuid": uuid, "op": "update",
                                        "cols": {"HXMC": ["伪造", "占"], "owner": ["320500", "320500"]}}])
    [clash] = r.json()["clashes"]
    assert clash["kind"] == "refused"
    with pytest.raises(InvalidInput, match="no ancestor"):
        remote_for("sz").resolve(PROJECT, clash["id"], "ancestor")
    with pytest.raises(InvalidInput, match="no ancestor"):
        remote_for("sh").resolve(PROJECT, clash["id"], "ancestor")
    sync(sh, remote_for("sh"))
    assert name(sh, uuid) == "始" and F.get_feature(sh, "STBHHX", uuid).owner == "310000"


def test_a_deleted_feature_cannot_be_reinserted_by_another_party(trio, client, store, remote_for):
    sh, _, _, uuid = trio
    row = row_of(sh, uuid)
    F.delete_feature(sh, "STBHHX", uuid)
    H.commit(sh, "delete")
    sync(sh, remote_for("sh"))
    r = raw_push(client, store, "sz", [{"layer": "STBHHX", "uuid": uuid, "op": "insert",
                                        "cols": {k: [None, v] for k, v in {**row, "owner": "320500"}.items()}}])
    assert r.json()["applied"] == 0 and r.json()["clashes"][0]["kind"] == "refused"


def test_the_author_is_the_authenticated_user(trio, client, store, remote_for):
    sh, _, _, _ = trio
    r = raw_push(client, store, "sz", [{"layer": "STBHHX", "uuid": str(uuidlib.uuid4()), "op": "insert",
                                        "cols": {"owner": [None, "320500"],
                                                 "geom": [None, shapely.to_wkb(shapely.MultiPolygon([ring(8)]), hex=True)]}}])
    assert r.status_code == 200
    version = remote_for("sh").pull(PROJECT, r.json()["version"] - 1)["versions"][0]
    assert version["author"] == "sz"  # not "someone-else", as the body claimed


def test_a_revert_cannot_be_blocked_by_guessing_its_id(trio, client, store, remote_for):
    sh, _, _, uuid = trio
    F.update_feature(sh, "STBHHX", uuid, {"HXMC": "改"})
    cs = H.commit(sh, "rename")
    sync(sh, remote_for("sh"))
    old_key = str(uuidlib.uuid5(uuidlib.UUID("6f1c0b7e-2a51-4d0e-9a55-0c0b1a7e5e11"), cs.id))
    raw_push(client, store, "sz", [{"layer": "STBHHX", "uuid": str(uuidlib.uuid4()), "op": "insert",
                                    "cols": {"owner": [None, "320500"], "geom": [
                                        None, shapely.to_wkb(shapely.MultiPolygon([ring(8)]), hex=True)]}}],
             cs_id=old_key)
    answer = remote_for("sh").revert(PROJECT, cs.id)
    assert answer["applied"] == 1
    assert remote_for("sh").revert(PROJECT, cs.id) == answer  # a retried revert: the same answer


@pytest.mark.parametrize("cols", [
    {"owner": [None, "320500"]},  # an insert without geometry
    {"geom": [None, shapely.to_wkb(ring(8), hex=True)]},  # without owner
])
def test_an_insert_that_no_replica_could_apply_is_refused(client, store, cols):
    r = raw_push(client, store, "sz", [{"layer": "STBHHX", "uuid": str(uuidlib.uuid4()), "op": "insert",
                                        "cols": cols}])
    assert r.status_code == 400 and "an insert needs" in r.json()["error"]["message"]


def test_an_update_cannot_empty_the_geometry(trio, client, store):
    sh, _, _, uuid = trio
    geom = row_of(sh, uuid)["geom"]
    r = raw_push(client, store, "sh", [{"layer": "STBHHX", "uuid": uuid, "op": "update",
                                        "cols": {"geom": [geom, None]}}], party="310000")
    assert r.status_code == 400 and "cannot remove geom" in r.json()["error"]["message"]


def test_an_observer_is_refused_before_the_body_is_read(client, store):
    store.add_user("obs", None)
    store.grant(PROJECT, "obs", "310000", "observer")
    r = client.post(f"/api/v1/projects/{PROJECT}/changesets", content=b"{not json at all",
                    headers={"Authorization": f"Bearer {store.issue_token('obs')}"})
    assert r.status_code == 403  # the role, not the malformed body, answers


# --- real sizes ----------------------------------------------------------------------------

def test_a_polygon_of_200000_vertices_round_trips(trio, remote_for):
    sh, sz, _, _ = trio
    big = ring(MAX_VERTICES - 1)
    uuid = F.add_feature(sh, "STBHHX", {**RED, "HXMC": "大"}, big).uuid
    H.commit(sh, "big")
    sync(sh, remote_for("sh")), sync(sz, remote_for("sz"))
    mine = row_of(sh, uuid)
    theirs = row_of(sz, uuid)
    assert theirs == mine and shapely.get_num_coordinates(shapely.from_wkb(theirs["geom"])) == MAX_VERTICES


def test_a_polygon_over_the_vertex_cap_is_refused_with_its_reason(trio, remote_for):
    sh, _, _, _ = trio
    F.add_feature(sh, "STBHHX", {**RED, "HXMC": "太大"}, ring(MAX_VERTICES + 10))
    H.commit(sh, "too big")
    with pytest.raises(replica.PushRefused, match="vertices"):
        sync(sh, remote_for("sh"))


def test_a_big_commit_goes_in_parts_and_arrives_whole(remote_for, tmp_path, monkeypatch):
    monkeypatch.setattr(H, "PART_CHANGES", 40)
    sh, sz = clone(remote_for, "sh", tmp_path), clone(remote_for, "sz", tmp_path)
    for i in range(100):
        F.add_feature(sh, "STBHHX", {**RED, "BSM": str(i)}, shapely.box(121 + i / 1000, 31, 121.0005 + i / 1000, 31.0005))
    H.commit(sh, "bulk")
    assert [e.message for e in replica.outbox_entries(sh)] == ["bulk (1/3)", "bulk (2/3)", "bulk (3/3)"]
    report = sync(sh, remote_for("sh"))
    assert len(report.pushed) == 3
    sync(sz, remote_for("sz"))
    assert content(sz) == content(sh) and sz.count("STBHHX") == 100


def test_pull_pages_count_changes(remote_for, store, tmp_path):
    from app.sync.server import versions

    sh = clone(remote_for, "sh", tmp_path)
    for i in range(3):
        for j in range(10):
            F.add_feature(sh, "STBHHX", {**RED, "BSM": f"{i}-{j}"}, shapely.box(121 + j / 100, 31 + i / 100, 121.005 + j / 100, 31.005 + i / 100))
        H.commit(sh, f"ten {i}")
    sync(sh, remote_for("sh"))
    page = versions.pull(store, PROJECT, 0, 100, max_changes=15)
    assert len(page["versions"]) == 1  # a second version of 10 would pass 15 changes
    assert len(versions.pull(store, PROJECT, 0, 100, max_changes=20)["versions"]) == 2


def test_a_clone_starts_from_a_snapshot(remote_for, store, tmp_path, monkeypatch):
    sh = clone(remote_for, "sh", tmp_path)
    for i in range(12):
        F.add_feature(sh, "STBHHX", {**RED, "BSM": str(i)}, shapely.box(121 + i / 100, 31, 121.005 + i / 100, 31.005))
    H.commit(sh, "twelve")
    sync(sh, remote_for("sh"))
    F.delete_feature(sh, "STBHHX", next(F.iter_features(sh, "STBHHX")).uuid)
    H.commit(sh, "one less")
    sync(sh, remote_for("sh"))
    monkeypatch.setattr(replica, "SNAPSHOT_PAGE", 5)
    pulled = []
    real_apply = replica.apply_version
    monkeypatch.setattr(replica, "apply_version", lambda p, v: pulled.append(v) or real_apply(p, v))
    fresh = clone(remote_for, "sz", tmp_path)
    assert content(fresh) == content(sh) and pulled == []  # no history replayed
    assert fresh.base_version == sh.base_version


def test_pages_are_bounded_by_bytes_too(remote_for, store, tmp_path, monkeypatch):
    from app.sync.server import versions

    sh = clone(remote_for, "sh", tmp_path)
    for i in range(4):
        F.add_feature(sh, "STBHHX", {**RED, "BSM": str(i)}, ring(2000, 121 + i / 10))
        H.commit(sh, f"one {i}")
    sync(sh, remote_for("sh"))
    monkeypatch.setattr(versions, "PAGE_BYTES", 1)  # every page holds one item
    assert len(versions.snapshot(store, PROJECT, None, 100)["features"]) == 1
    assert len(versions.pull(store, PROJECT, 0, 100)["versions"]) == 1
    fresh = clone(remote_for, "sz", tmp_path)
    assert content(fresh) == content(sh)


# --- bodies, bombs and guesses --------------------------------------------------------------

def test_a_nested_collection_bomb_in_a_push_is_refused_before_geos(client, store, no_geos):
    from tests.conftest import collection_bomb

    r = raw_push(client, store, "sz", [{"layer": "STBHHX", "uuid": str(uuidlib.uuid4()), "op": "insert",
                                        "cols": {"owner": [None, "320500"],
                                                 "geom": [None, collection_bomb().hex()]}}])
    assert r.status_code == 400 and "not valid WKB" in r.json()["error"]["message"]


def test_login_is_throttled_and_its_body_capped(client, store):
    for _ in range(5):
        assert client.post("/api/v1/login", json={"user": "sh", "password": "wrong"}).status_code == 401
    r = client.post("/api/v1/login", json={"user": "sh", "password": "pw-sh"})
    assert r.status_code == 429 and r.json()["error"]["retryable"] and int(r.headers["Retry-After"]) > 0
    huge = b'{"user": "sh", "password": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    r = client.post("/api/v1/login", content=huge, headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"


def test_a_resolution_body_is_capped_before_it_is_read(client, store):
    r = client.post(f"/api/v1/projects/{PROJECT}/conflicts/1/resolve",
                    content=b'{"choice": "value", "values": {"HXMC": "' + b"x" * (2 * 1024 * 1024) + b'"}}',
                    headers={"Content-Type": "application/json"})  # no token at all
    assert r.status_code == 413


def test_a_small_commit_over_several_layers_is_one_change_set(project):
    F.add_feature(project, "STBHHX", RED, SHARED_BOX)
    F.add_feature(project, "CZKFBJ", {"BSM": "1", "XZQDM": "310000", "XZQMC": "上海市"}, SHARED_BOX)
    done = H.commit_parts(project, "two layers")
    assert len(done.ids) == 1 and done.changes == 2


def test_a_pull_after_an_uncommitted_delete_does_not_reuse_its_key(remote_for, tmp_path):
    """The deleted feature still holds its key in the base until the delete is committed: a
    pulled feature must not take it (the pull failed with a raw IntegrityError)."""
    sh, sz = clone(remote_for, "sh", tmp_path), clone(remote_for, "sz", tmp_path)
    x = F.add_feature(sh, "STBHHX", RED, SHARED_BOX).uuid
    H.commit(sh, "x")
    sync(sh, remote_for("sh"))
    F.delete_feature(sh, "STBHHX", x)  # not committed; x had the highest key
    F.add_feature(sz, "STBHHX", {**RED, "XZQDM": "320500"}, ring(8))
    H.commit(sz, "y")
    sync(sz, remote_for("sz"))
    pull(sh, remote_for("sh"))
    assert sh.count("STBHHX") == 1 and [c.op for c in H.pending(sh)] == ["delete"]
    H.commit(sh, "delete x")
    sync(sh, remote_for("sh")), sync(sz, remote_for("sz"))
    assert content(sh) == content(sz)


def test_a_decided_geometry_is_stored_as_every_copy_stores_it(trio, remote_for):
    sh, _, boss, uuid = trio
    F.update_feature(sh, "STBHHX", uuid, geom=shapely.box(121.0, 31.0, 121.06, 31.05))
    F.update_feature(boss, "STBHHX", uuid, geom=shapely.box(121.0, 31.0, 121.05, 31.07))
    H.commit(sh, "a"), H.commit(boss, "b")
    sync(sh, remote_for("sh"))
    [clash] = sync(boss, remote_for("boss")).clashes
    single = shapely.to_wkb(shapely.box(121.0, 31.0, 121.04, 31.04), hex=True)  # not multi
    remote_for("boss").resolve(PROJECT, clash["id"], "value", {"geom": single})
    pull(sh, remote_for("sh"))
    [server] = [f["row"] for f in remote_for("sh").snapshot(PROJECT, None, 10)["features"]]
    assert row_of(sh, uuid) == {k: server[k] for k in row_of(sh, uuid)}
