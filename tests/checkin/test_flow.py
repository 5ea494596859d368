"""Check-in end to end over a real server on a real socket, on both stores: submit → QC →
return with findings → fix → resubmit → accept → tagged 入库."""

from __future__ import annotations

import pytest
import requests

from app.checkin.client import CheckinRemote, NotSubmittable, submittable_version
from app.errors import ConflictError, InvalidInput
from app.project import features as F
from app.project import history as H
from app.project.features import iter_features
from app.sync import replica
from tests.checkin.conftest import PROJECT, clone, push_red_lines, red_line, remote


def checkin(server, user: str) -> CheckinRemote:
    return CheckinRemote(remote(server, user), PROJECT)


def test_submit_return_fix_resubmit_accept(server, tmp_path):
    sh = clone(server, tmp_path, "sh")
    # A file imported twice leaves a BSM on two features: QC on the server finds it.
    version = push_red_lines(server, sh, "sh", [red_line("1", 121.5), red_line("1", 121.7)])
    first = checkin(server, "sh").submit(submittable_version(sh), "第一次提交")
    assert (first["number"], first["party"], first["version"]) == (1, "310000", version)
    assert first["status"] == "pending" and first["features"] == 2 and first["errors"] >= 2
    assert first["boundary"] == "reference"  # Shanghai's schematic area: no XZQ of its own
    boss = checkin(server, "boss")
    with pytest.raises(ConflictError, match="QC error"):
        boss.accept(1, "看着还行")
    returned = boss.return_(1, "标识码重复，请修改后重新提交")
    assert returned["status"] == "returned" and returned["decided_by"] == "boss"
    mine = checkin(server, "sh").submission(1)
    dup = [f for f in mine["findings"] if f["check"] == "bsm_unique"]
    assert len(dup) == 2 and {f["bsm"] for f in dup} == {"1"}
    assert mine["decision_note"] == "标识码重复，请修改后重新提交"

    # The party fixes its data and submits again.
    second = next(f for f in iter_features(sh, "STBHHX") if f.attrs["HXMC"] == "东滩1"
                  and f.geometry.bounds[0] > 121.6)
    F.update_feature(sh, "STBHHX", second.uuid, {"BSM": "2"})
    H.commit(sh, "改标识码")
    fixed = replica.run(replica.sync_steps(sh, remote(server, "sh"))).version
    again = checkin(server, "sh").submit(submittable_version(sh), "已修改")
    assert (again["number"], again["version"], again["errors"]) == (2, fixed, 0)
    accepted = boss.accept(2, "入库")
    assert accepted["status"] == "accepted" and accepted["tag"] == "入库"
    assert not accepted["forced"]

    history = checkin(server, "sh").submissions()
    assert [(s["number"], s["status"], s["tag"]) for s in history] == [
        (2, "accepted", "入库"), (1, "returned", None)]
    info = remote(server, "sh").project(PROJECT)
    assert info["tags"] == [{"version": fixed, "tag": "入库", "party": "310000",
                             "submission": 2, "at": accepted["decided_at"]}]
    with pytest.raises(ConflictError, match="already accepted"):
        boss.return_(2, "改主意了")


def test_forced_accept_is_recorded(server, tmp_path):
    sh = clone(server, tmp_path, "sh")
    push_red_lines(server, sh, "sh", [red_line("7", 121.5), red_line("7", 121.7)])
    checkin(server, "sh").submit(submittable_version(sh))
    accepted = checkin(server, "boss").accept(1, "领导同意", force=True)
    assert accepted["forced"] and accepted["status"] == "accepted"
    assert checkin(server, "sh").submission(1)["forced"]


def test_resubmission_replaces_a_pending_one(server, tmp_path):
    sh = clone(server, tmp_path, "sh")
    push_red_lines(server, sh, "sh", [red_line("1", 121.5)])
    checkin(server, "sh").submit(submittable_version(sh))
    push_red_lines(server, sh, "sh", [red_line("2", 121.7)], "又一条")
    checkin(server, "sh").submit(submittable_version(sh))
    statuses = [(s["number"], s["status"], s["features"]) for s in checkin(server, "sh").submissions()]
    assert statuses == [(2, "pending", 2), (1, "superseded", 1)]
    with pytest.raises(ConflictError, match="replaced by a later submission"):
        checkin(server, "boss").accept(1)


def test_hostile_editor(server, tmp_path):
    sh = clone(server, tmp_path, "sh")
    push_red_lines(server, sh, "sh", [red_line("1", 121.5)])
    checkin(server, "sh").submit(submittable_version(sh))
    sz = checkin(server, "sz")
    for attempt in (lambda: sz.accept(1, force=True), lambda: sz.return_(1, "不行"),
                    lambda: sz.rerun(1), lambda: checkin(server, "sh").accept(1)):
        with pytest.raises(Exception, match="only coordinators") as caught:
            attempt()
        assert caught.value.exit_code == 3  # PermissionDenied
    # Another party's submission is not there for it; its list holds its own party's only.
    with pytest.raises(Exception, match="no submission 1"):
        sz.submission(1)
    assert sz.submissions() == []
    # Submitting is always for the caller's own party: Suzhou has no data at that version,
    # and a request naming another party is refused as it stands.
    with pytest.raises(InvalidInput, match="party 320500 has no data"):
        sz.submit(1)
    claim = {"id": "0190f3a2-6c1e-7b3a-9d2e-4f5a6b7c8d90", "version": 1, "party": "310000"}
    with pytest.raises(InvalidInput, match="party"):
        sz.remote.request("POST", sz.base, payload=claim)
    assert [s["party"] for s in checkin(server, "boss").submissions()] == ["310000"]


def test_observer_reads_only(server, tmp_path):
    sh = clone(server, tmp_path, "sh")
    push_red_lines(server, sh, "sh", [red_line("1", 121.5)])
    checkin(server, "sh").submit(submittable_version(sh))
    eye = checkin(server, "eye")
    assert [s["number"] for s in eye.submissions()] == [1]
    assert eye.submission(1)["party"] == "310000"
    with pytest.raises(Exception, match="role observer cannot submit"):
        eye.submit(1)


def chunked(size: int = 4 * 1024 * 1024):
    """A body without a declared length: BodyLimit counts it only as the endpoint reads it."""
    yield b'{"id": "'
    yield b"x" * size
    yield b'"}'


def test_roles_are_checked_before_the_body_is_read(server):
    base = f"{server.url}/api/v1/projects/{PROJECT}/checkin/submissions"

    def post(user: str, path: str) -> requests.Response:
        return requests.post(base + path, data=chunked(), timeout=30, headers={
            "Authorization": f"Bearer {server.tokens[user]}", "Content-Type": "application/json"})
    # 403, not 413: the endpoint refused before it read past the 64 KiB cap.
    for user, path in (("sz", "/1/accept"), ("sz", "/1/return"), ("sh", "/1/qc"), ("eye", "")):
        r = post(user, path)
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden", r.text
    assert post("sh", "").status_code == 413  # a submitter's body is capped all the same
    assert requests.get(base, timeout=5).status_code == 401
    paths = requests.get(server.url + "/openapi.json", timeout=10).json()["paths"]
    assert "/api/v1/projects/{project}/checkin/submissions/{number}/accept" in paths


def test_submissions_are_idempotent(server, tmp_path):
    sh = clone(server, tmp_path, "sh")
    version = push_red_lines(server, sh, "sh", [red_line("1", 121.5)])
    api = checkin(server, "sh")
    request_id = "0190f3a2-6c1e-7b3a-9d2e-4f5a6b7c8d9e"
    first = api.submit(version, "一次", request_id=request_id)
    assert api.submit(version, "一次", request_id=request_id) == first
    with pytest.raises(InvalidInput, match="already used with a different request"):
        api.submit(version, "另一次", request_id=request_id)
    assert len(api.submissions()) == 1
    boss = checkin(server, "boss")
    decided = boss.return_(1, "请补充", request_id="0190f3a2-6c1e-7b3a-9d2e-4f5a6b7c8d9f")
    assert boss.return_(1, "请补充", request_id="0190f3a2-6c1e-7b3a-9d2e-4f5a6b7c8d9f") == decided


def test_unpushed_work_refuses_submit(server, tmp_path):
    sh = clone(server, tmp_path, "sh")
    push_red_lines(server, sh, "sh", [red_line("1", 121.5)])
    attrs, geom = red_line("2", 121.7)
    F.add_feature(sh, "STBHHX", attrs, geom)
    with pytest.raises(NotSubmittable, match="uncommitted changes"):
        submittable_version(sh)
    H.commit(sh, "未推送")
    with pytest.raises(NotSubmittable, match="1 change set"):
        submittable_version(sh)
    replica.run(replica.push_steps(sh, remote(server, "sh")))  # pushed, not pulled back
    with pytest.raises(NotSubmittable, match="coplan sync"):
        submittable_version(sh)
    assert replica.run(replica.sync_steps(sh, remote(server, "sh"))).version == 2
    assert submittable_version(sh) == 2


def test_a_stale_version_is_refused(server, tmp_path):
    sh = clone(server, tmp_path, "sh")
    first = push_red_lines(server, sh, "sh", [red_line("1", 121.5)])
    push_red_lines(server, sh, "sh", [red_line("2", 121.7)], "又一条")
    with pytest.raises(ConflictError, match=f"pushed version {first + 1} after {first}"):
        checkin(server, "sh").submit(first)
    with pytest.raises(InvalidInput, match="not on the server"):
        checkin(server, "sh").submit(99)
