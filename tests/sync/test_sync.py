"""Sync through the HTTP API in-process: merge outcomes, permissions, idempotency, own echo."""

from __future__ import annotations

import json

import pytest
import shapely

from app.errors import AuthError, ConflictError, InvalidInput, PermissionDenied
from app.project import features as F
from app.project import history as H
from app.sync import replica
from tests import stores
from tests.sync.conftest import PROJECT

RED = {"BSM": "1", "XZQDM": "310000", "XZQMC": "上海市", "HXMC": "东滩"}
SHARED_BOX = shapely.box(121.0, 31.0, 121.05, 31.05)


def clone(remote_for, user, tmp_path):
    return replica.run(replica.clone_steps(remote_for(user), PROJECT, tmp_path / f"{user}.sqlite"))


def sync(project, remote):
    return replica.run(replica.sync_steps(project, remote))


@pytest.fixture
def pair(remote_for, tmp_path):
    """Shanghai's and the coordinator's replicas sharing one Shanghai feature."""
    sh, boss = clone(remote_for, "sh", tmp_path), clone(remote_for, "boss", tmp_path)
    feature = F.add_feature(sh, "STBHHX", RED, SHARED_BOX)
    H.commit(sh, "add")
    sync(sh, remote_for("sh"))
    sync(boss, remote_for("boss"))
    yield sh, boss, feature.uuid
    sh.close()
    boss.close()


def content(project):
    return {(lay.code, f.uuid): (f.owner, f.attrs, f.geometry.wkb_hex)
            for lay in project.layers() for f in F.iter_features(project, lay.code)}


def test_different_columns_merge(pair, remote_for):
    sh, boss, uuid = pair
    F.update_feature(sh, "STBHHX", uuid, {"HXMC": "东滩湿地"})
    F.update_feature(boss, "STBHHX", uuid, {"HXLX": "湿地"})
    H.commit(sh, "name"), H.commit(boss, "type")
    sync(sh, remote_for("sh"))
    report = sync(boss, remote_for("boss"))
    sync(sh, remote_for("sh"))
    assert report.clashes == []
    assert F.get_feature(boss, "STBHHX", uuid).attrs["HXMC"] == "东滩湿地"
    assert F.get_feature(sh, "STBHHX", uuid).attrs["HXLX"] == "湿地"
    assert content(sh) == content(boss)


def test_same_cell_becomes_a_conflict_record(pair, remote_for):
    sh, boss, uuid = pair
    F.update_feature(sh, "STBHHX", uuid, {"HXMC": "沪"})
    F.update_feature(boss, "STBHHX", uuid, {"HXMC": "办"})
    H.commit(sh, "a"), H.commit(boss, "b")
    sync(sh, remote_for("sh"))
    report = sync(boss, remote_for("boss"))
    [clash] = report.clashes
    assert clash["kind"] == "cell" and clash["cells"]["HXMC"] == ["东滩", "沪", "办"]
    # The server kept "ours"; the coordinator's replica now shows it too, the value is not lost.
    assert F.get_feature(boss, "STBHHX", uuid).attrs["HXMC"] == "沪"
    listed = remote_for("boss").conflicts(PROJECT)
    assert [c["id"] for c in listed] == [clash["id"]]


def test_identical_edits_are_a_no_op(pair, remote_for):
    sh, boss, uuid = pair
    F.update_feature(sh, "STBHHX", uuid, {"HXMC": "同"})
    F.update_feature(boss, "STBHHX", uuid, {"HXMC": "同"})
    H.commit(sh, "a"), H.commit(boss, "b")
    sync(sh, remote_for("sh"))
    assert sync(boss, remote_for("boss")).clashes == []


def test_geometry_against_geometry_conflicts(pair, remote_for):
    sh, boss, uuid = pair
    F.update_feature(sh, "STBHHX", uuid, geom=shapely.box(121.0, 31.0, 121.06, 31.05))
    F.update_feature(boss, "STBHHX", uuid, geom=shapely.box(121.0, 31.0, 121.05, 31.07))
    H.commit(sh, "a"), H.commit(boss, "b")
    sync(sh, remote_for("sh"))
    [clash] = sync(boss, remote_for("boss")).clashes
    assert "geom" in clash["cells"]


@pytest.mark.parametrize("first", ["update", "delete"])
def test_update_against_delete_either_way(pair, remote_for, first):
    sh, boss, uuid = pair
    deleter, updater = (boss, sh) if first == "delete" else (sh, boss)
    users = {id(sh): "sh", id(boss): "boss"}
    F.delete_feature(deleter, "STBHHX", uuid)
    F.update_feature(updater, "STBHHX", uuid, {"HXMC": "改"})
    H.commit(sh, "a"), H.commit(boss, "b")
    one, two = (deleter, updater) if first == "delete" else (updater, deleter)
    sync(one, remote_for(users[id(one)]))
    [clash] = sync(two, remote_for(users[id(two)])).clashes
    assert clash["kind"] == ("update-delete" if first == "delete" else "delete-update")
    sync(one, remote_for(users[id(one)]))
    assert content(sh) == content(boss)


def test_resolve_takes_theirs_and_everyone_gets_it(pair, remote_for):
    sh, boss, uuid = pair
    F.update_feature(sh, "STBHHX", uuid, {"HXMC": "沪"})
    F.update_feature(boss, "STBHHX", uuid, {"HXMC": "办"})
    H.commit(sh, "a"), H.commit(boss, "b")
    sync(sh, remote_for("sh"))
    [clash] = sync(boss, remote_for("boss")).clashes
    answer = remote_for("boss").resolve(PROJECT, clash["id"], "theirs")
    assert answer["applied"] == 1
    sync(sh, remote_for("sh")), sync(boss, remote_for("boss"))
    assert F.get_feature(sh, "STBHHX", uuid).attrs["HXMC"] == "办"
    assert content(sh) == content(boss)
    with pytest.raises(ConflictError, match="already resolved"):
        remote_for("boss").resolve(PROJECT, clash["id"], "ours")


def test_another_partys_feature_is_refused_and_kept_on_record(pair, remote_for, tmp_path):
    sh, _, uuid = pair
    sz = clone(remote_for, "sz", tmp_path)
    sz.set_meta("role", "coordinator")  # a tampered local role does not fool the server
    F.update_feature(sz, "STBHHX", uuid, {"HXMC": "苏"})
    H.commit(sz, "not mine")
    [clash] = sync(sz, remote_for("sz")).clashes
    assert clash["kind"] == "refused" and "belongs to party 310000" in clash["reason"]
    assert F.get_feature(sz, "STBHHX", uuid).attrs["HXMC"] == "东滩"  # back to the server's
    with pytest.raises(PermissionDenied):
        remote_for("sz").resolve(PROJECT, clash["id"], "theirs")


def test_a_reviewer_gets_a_read_only_copy(remote_for, tmp_path):
    rev = clone(remote_for, "rev", tmp_path)
    assert rev.role == "observer" and not rev.writable
    with pytest.raises(PermissionDenied, match="read-only"):
        F.add_feature(rev, "STBHHX", RED, SHARED_BOX)


def test_a_refused_change_set_does_not_stop_pulls_and_can_be_dropped(remote_for, tmp_path, pair):
    rev = clone(remote_for, "rev", tmp_path)
    rev.set_meta("role", "editor")  # a copy made before copies of such roles were read-only
    F.add_feature(rev, "STBHHX", RED, SHARED_BOX)
    H.commit(rev, "x")
    sh, _, uuid = pair
    F.update_feature(sh, "STBHHX", uuid, {"HXMC": "后来"})
    H.commit(sh, "rename")
    sync(sh, remote_for("sh"))
    with pytest.raises(replica.PushRefused, match="cannot change"):
        sync(rev, remote_for("rev"))
    assert F.get_feature(rev, "STBHHX", uuid).attrs["HXMC"] == "后来"  # pulled all the same
    [entry] = replica.outbox_entries(rev)
    assert "cannot change" in entry.refusal
    replica.drop(rev, entry.id)
    assert replica.outbox(rev) == [] and rev.count("STBHHX") == 1
    assert H.pending(rev) == []
    sync(rev, remote_for("rev"))  # goes on


def test_repeated_push_is_idempotent_and_reused_ids_are_refused(pair, remote_for):
    sh, _, uuid = pair
    F.update_feature(sh, "STBHHX", uuid, {"HXMC": "一次"})
    cs = H.commit(sh, "once")
    body = json.dumps({**cs.to_json(), "project": PROJECT}).encode()
    remote = remote_for("sh")
    first, again = remote.push(PROJECT, body), remote.push(PROJECT, body)
    assert first == again
    assert remote.pull(PROJECT, 0)["head"] == first["version"]
    tampered = json.dumps({**cs.to_json(), "project": PROJECT, "message": "other"}).encode()
    with pytest.raises(InvalidInput, match="different body"):
        remote.push(PROJECT, tampered)


def test_lost_reply_is_recognised_as_own_echo(pair, remote_for):
    sh, boss, uuid = pair
    F.update_feature(sh, "STBHHX", uuid, {"HXMC": "回声"})
    cs = H.commit(sh, "echo")
    # The server commits but the reply never arrives: push by hand, leave the outbox as is.
    remote_for("sh").push(PROJECT, json.dumps({**cs.to_json(), "project": PROJECT}).encode())
    assert [c.id for c in replica.outbox(sh)] == [cs.id]
    replica.run(replica.pull_steps(sh, remote_for("sh")))
    assert replica.outbox(sh) == []
    assert H.pending(sh) == []
    sync(boss, remote_for("boss"))
    assert content(sh) == content(boss)


def test_expired_token_keeps_the_outbox(pair, remote_for, store):
    sh, _, uuid = pair
    F.update_feature(sh, "STBHHX", uuid, {"HXMC": "过期"})
    H.commit(sh, "later")
    remote = remote_for("sh")
    stores.execute(store, "UPDATE tokens SET expires = '2000-01-01T00:00:00+00:00'")
    with pytest.raises(AuthError, match="expired"):
        sync(sh, remote)
    assert len(replica.outbox(sh)) == 1
    report = sync(sh, remote_for("sh"))  # logged in again
    assert len(report.pushed) == 1 and replica.outbox(sh) == []


def test_sync_refuses_uncommitted_changes(pair, remote_for):
    sh, _, uuid = pair
    F.update_feature(sh, "STBHHX", uuid, {"HXMC": "未提交"})
    with pytest.raises(ConflictError, match="uncommitted"):
        sync(sh, remote_for("sh"))


def test_server_revert_is_merged_like_any_change(pair, remote_for):
    sh, boss, uuid = pair
    F.update_feature(sh, "STBHHX", uuid, {"HXMC": "将被撤销"})
    cs = H.commit(sh, "to revert")
    sync(sh, remote_for("sh"))
    answer = remote_for("boss").revert(PROJECT, cs.id)
    assert answer["applied"] == 1 and answer["clashes"] == []
    sync(sh, remote_for("sh"))
    assert F.get_feature(sh, "STBHHX", uuid).attrs["HXMC"] == "东滩"


def test_feature_history(pair, remote_for):
    sh, _, uuid = pair
    F.update_feature(sh, "STBHHX", uuid, {"HXMC": "二"})
    H.commit(sh, "second")
    sync(sh, remote_for("sh"))
    steps = remote_for("sh").history(PROJECT, "STBHHX", uuid)
    assert [s["op"] for s in steps] == ["insert", "update"]
    assert steps[1]["cols"] == {"HXMC": ["东滩", "二"]}


def test_login_with_password(client, store):
    from app.sync.client import Remote
    from tests.sync.conftest import testclient_sender

    remote = Remote("http://testserver", sender=testclient_sender(client))
    token = remote.login("sh", "pw-sh")
    assert store.authenticate(token) == "sh"
    with store.reading() as s:
        stored = list(s.dump("tokens"))
    assert stored and all(token.split(".", 1)[1] not in str(row) for row in stored)  # only hashes
    with pytest.raises(AuthError, match="wrong user name or password"):
        remote.login("sh", "wrong")
    with pytest.raises(AuthError):
        remote.login("nobody", "pw")


def test_shared_layers_are_editable_by_every_editor(store, remote_for, tmp_path):
    stores.execute(store, "UPDATE projects SET shared_layers = '[\"XMK_POINT\"]'")
    sh = clone(remote_for, "sh", tmp_path)
    sz = clone(remote_for, "sz", tmp_path)
    attrs = {"XMBH": "P1", "XMMC": "枢纽", "XMLX": "JT", "QTDW": "交通委", "SJCS": "310000",
             "JSZT": "规划"}
    point = F.add_feature(sh, "XMK_POINT", attrs, shapely.Point(121.3, 31.2))
    red = F.add_feature(sh, "STBHHX", RED, SHARED_BOX)
    H.commit(sh, "add")
    sync(sh, remote_for("sh")), sync(sz, remote_for("sz"))
    sz.set_meta("role", "coordinator")  # local role only lets the API write; the server decides
    F.update_feature(sz, "XMK_POINT", point.uuid, {"JSZT": "在建"})
    F.update_feature(sz, "STBHHX", red.uuid, {"HXMC": "苏"})
    H.commit(sz, "both")
    clashes = sync(sz, remote_for("sz")).clashes
    assert [(c["layer"], c["kind"]) for c in clashes] == [("STBHHX", "refused")]
    sync(sh, remote_for("sh"))
    assert F.get_feature(sh, "XMK_POINT", point.uuid).attrs["JSZT"] == "在建"
    assert F.get_feature(sh, "STBHHX", red.uuid).attrs["HXMC"] == "东滩"


def test_a_correction_keeps_later_own_changes(pair, remote_for):
    """Found by the convergence test: a clash in one change set and a clean change in the next
    one of the same feature; the correction must reset only the clashing cell."""
    sh, boss, uuid = pair
    F.update_feature(boss, "STBHHX", uuid, {"HXMC": "东"})
    H.commit(boss, "rename")
    moved = shapely.box(121.001, 31.0, 121.051, 31.05)
    F.update_feature(boss, "STBHHX", uuid, geom=moved)
    H.commit(boss, "move")
    F.update_feature(sh, "STBHHX", uuid, {"HXMC": "西"})
    H.commit(sh, "rename too")
    sync(sh, remote_for("sh"))
    report = sync(boss, remote_for("boss"))
    assert [c["kind"] for c in report.clashes] == ["cell"]
    got = F.get_feature(boss, "STBHHX", uuid)
    assert got.attrs["HXMC"] == "西" and got.geometry.equals(moved)
    sync(sh, remote_for("sh"))
    assert content(sh) == content(boss)


@pytest.mark.parametrize("method, path, body", [
    ("GET", f"/api/v1/projects/{PROJECT}/changesets?since={2**63}", None),
    ("POST", f"/api/v1/projects/{PROJECT}/conflicts/{2**70}/resolve", {"choice": "theirs"}),
])
def test_out_of_range_numbers_get_a_4xx_envelope(client, store, method, path, body):
    headers = {"Authorization": f"Bearer {store.issue_token('sh')}"}
    r = client.request(method, path, json=body, headers=headers)
    assert r.status_code == 422 and set(r.json()) == {"error"}


def test_openapi_change_set_body_has_no_dangling_refs(client):
    body = client.get("/openapi.json").json()["paths"]["/api/v1/projects/{project}/changesets"]
    text = json.dumps(body["post"]["requestBody"])
    assert "$defs" not in text and '"uuid"' in text


def test_sections_sync_merge_and_keep_their_ids_unique(pair, remote_for, tmp_path):
    from app.content import store as content

    sh, boss, _ = pair
    content.init_content(boss)
    H.commit(boss, "text")
    sync(boss, remote_for("boss")), sync(sh, remote_for("sh"))
    assert content.get_section(sh.db, "vision").title_zh == content.get_section(boss.db, "vision").title_zh
    # Suzhou drafts its own spatial section while the office reviews the vision: both land.
    sz = clone(remote_for, "sz", tmp_path)
    content.update_section(sz, "Z2.goal", body_zh="苏州起草的目标。")
    content.update_section(boss, "vision", status="review")
    H.commit(sz, "Z2"), H.commit(boss, "vision")
    sync(sz, remote_for("sz")), sync(boss, remote_for("boss")), sync(sh, remote_for("sh"))
    assert content.get_section(sh.db, "Z2.goal").body_zh == "苏州起草的目标。"
    assert content.get_section(sh.db, "vision").status == "review"
    # Suzhou and the office add a section under Z2 at the same time: the same new id. The
    # second is refused (section ids are unique) and undone in its replica; nothing is lost.
    content.add_section(boss, "Z2", "strategy", "办", "Office")
    content.add_section(sz, "Z2", "strategy", "苏", "Suzhou")
    H.commit(boss, "add"), H.commit(sz, "add")
    sync(boss, remote_for("boss"))
    report = sync(sz, remote_for("sz"))
    assert [c["kind"] for c in report.clashes] == ["refused"]
    assert "already used" in report.clashes[0]["reason"]
    assert content.get_section(sz.db, "Z2.strategy.5").title_zh == "办"
    sz.close()
