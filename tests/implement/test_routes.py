"""The implementation endpoints over a real server on a real socket (one server for the module):
who may write what, roles checked before a body is read, capped bodies, replays, reads."""

from __future__ import annotations

import json

import pytest
import requests

from app.errors import InvalidInput, NotFound, PermissionDenied
from tests.implement.conftest import PROJECT, api, line, new_id, report
from tests.implement.test_server import PDF


def url(server, kind: str) -> str:
    return f"{server.url}/api/v1/projects/{PROJECT}/implement/{kind}"


def post_raw(server, user: str | None, kind: str, data) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    if user:
        headers["Authorization"] = f"Bearer {server.tokens[user]}"
    return requests.post(url(server, kind), data=data, headers=headers, timeout=30)


def test_a_report_and_its_review_over_http(implement_server):
    sz, boss = api(implement_server, "sz"), api(implement_server, "boss")
    sent = report("2026-09", [line("Z2.strategy.2", 25, narrative_zh="合成示例")])
    event = sz.post("report", sent)
    assert (event["kind"], event["party"], event["user"]) == ("report", "320500", "sz")
    assert event["data"]["lines"][0]["percent"] == 25
    boss.post("review", {"report": sent["report"], "decision": "accept", "note": ""})
    # Every member reads the whole log, observers too; paging follows `since`.
    eye = api(implement_server, "eye")
    kinds = {e.id: e.kind for e in eye.events()}
    assert kinds[event["id"]] == "report" and "items" in kinds.values()
    first, head = eye.page(0, limit=1)
    assert [e.version for e in first] == [1] and head >= 3
    assert [e.version for e in eye.events(since=head - 1)] == [head]


def test_hostile_editor_with_a_valid_token(implement_server):
    nb = api(implement_server, "nb")
    with pytest.raises(PermissionDenied, match="neither leads nor joins"):
        nb.post("report", report("2026-11", [line("Z2.strategy.1", 99, "completed")]))
    for kind, data in (("review", {"report": new_id(), "decision": "accept"}),
                       ("items", {"items": []}), ("meeting", {}), ("escalate", {})):
        with pytest.raises(PermissionDenied, match=f"cannot write {kind}"):
            nb.post(kind, data)
    # The party is the membership's: a body claiming one is refused as it stands …
    claim = {"id": new_id(), "party": "320500",
             "data": report("2026-11", [line("Z2.strategy.1", 5)])}
    with pytest.raises(InvalidInput, match="party"):
        nb.remote.request("POST", nb.base + "/report", payload=claim)
    # … and so is one inside the data.
    with pytest.raises(InvalidInput, match="party"):
        nb.post("issue", {"issue": new_id(), "title_zh": "冒名", "owner": "330200",
                          "due": "2026-12-31", "party": "320500"})
    # An issue it raises is its own party's, whoever it names as the owner.
    event = nb.post("issue", {"issue": new_id(), "title_zh": "跨界河道整治滞后", "owner": "320500",
                              "due": "2026-12-31"})
    assert (event["party"], event["user"]) == ("330200", "nb")
    with pytest.raises(PermissionDenied, match="above level 1"):
        nb.post("issue", {"issue": new_id(), "title_zh": "直送领导小组", "owner": "330200",
                          "due": "2026-12-31", "level": 3})


def test_replays_and_bad_bodies(implement_server):
    wx = api(implement_server, "wx")
    request_id, sent = new_id(), report("2026-08", [line("Z1.strategy.3", 60)])
    first = wx.post("report", sent, request_id=request_id)
    assert wx.post("report", sent, request_id=request_id) == first
    with pytest.raises(InvalidInput, match="already used with a different request"):
        wx.post("report", {**sent, "author": "另一人"}, request_id=request_id)
    with pytest.raises(NotFound, match="no implementation command"):
        wx.post("vote", {})
    bad = post_raw(implement_server, "wx", "report", b'{"id": "' + new_id().encode() + b'", "da')
    assert bad.status_code in (400, 422) and bad.json()["error"]["message"]
    wrong = post_raw(implement_server, "wx", "report", json.dumps({"id": "x", "data": {}}))
    assert wrong.status_code == 422
    nested = post_raw(implement_server, "wx", "report", json.dumps(
        {"id": new_id(), "data": report("2026-11", [line("Z1.strategy.3", "80")])}))
    assert nested.status_code == 422 and "$.lines[0].percent" in nested.json()["error"]["message"]


def chunked(size: int):
    """A body without a declared length: BodyLimit counts it only as the endpoint reads it."""
    yield b'{"id": "'
    for _ in range(size // (64 * 1024)):
        yield b"x" * (64 * 1024)
    yield b'"}'


def test_roles_and_kinds_are_checked_before_the_body_is_read(implement_server):
    def status(user: str | None, kind: str, size: int = 4 * 1024 * 1024 + 1) -> int:
        return post_raw(implement_server, user, kind, chunked(size)).status_code
    # 403 / 404, not 413: the endpoint refused before reading past the cap.
    assert status("eye", "report") == 403  # observers read only
    assert status("sz", "items") == 403
    assert status("sz", "memo") == 403
    assert status("sz", "nonsense") == 404
    assert status(None, "report") == 401
    # Members who may write get their bodies capped all the same.
    assert status("sz", "report", 300 * 1024) == 413  # 256 KiB for a report
    assert status("boss", "items", 5 * 1024 * 1024) == 413  # 4 MiB for items
    declared = requests.post(url(implement_server, "report"), data=b"x" * (300 * 1024), timeout=30,
                             headers={"Authorization": f"Bearer {implement_server.tokens['sz']}",
                                      "Content-Type": "application/json"})
    assert declared.status_code == 413
    paths = requests.get(implement_server.url + "/openapi.json", timeout=10).json()["paths"]
    assert "/api/v1/projects/{project}/implement/{kind}" in paths


def test_observer_reads_but_cannot_write(implement_server):
    eye = api(implement_server, "eye")
    assert eye.events()[0].kind == "items"
    for kind in ("report", "issue", "indicators", "checkup", "review"):
        with pytest.raises(PermissionDenied, match="role observer"):
            eye.post(kind, {})


def test_evidence_uploaded_through_the_review_attachments(implement_server):
    sz, wx = api(implement_server, "sz"), api(implement_server, "wx")
    mine, theirs = new_id(), new_id()
    sz.upload(mine, PDF)
    wx.upload(theirs, PDF)
    with pytest.raises(InvalidInput, match=r"attachments\[0\]"):
        sz.post("report", report("2026-11", [line("Z2.strategy.3", 15, attachments=[theirs])]))
    event = sz.post("report", report("2026-11", [line("Z2.strategy.3", 15, attachments=[mine])]))
    assert event["data"]["lines"][0]["attachments"] == [mine]
