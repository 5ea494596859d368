"""The review API in-process: roles on every endpoint, sealed rounds, embargo, idempotency,
attachments, and the offline outbox of a desktop project syncing through it."""

from __future__ import annotations

import json
import re

import pytest

from app.errors import InvalidInput, NotFound, PermissionDenied
from app.project.project import Project
from app.review import outbox
from app.review.events import digest
from app.review.routes import BODY_CAPS, MAX_COMMENT_BYTES, MAX_DRAFT_BYTES
from app.review.wire import MAX_ATTACHMENT
from app.sync.server.limits import DEFAULT_CAP, MIB, BodyLimit
from tests.conftest import collection_bomb
from tests.review.conftest import SECTIONS, auth, comment

PROJECT = "metro"
USERS = [("boss", "office", "coordinator"), ("sz", "320500", "reviewer"),
         ("jx", "330400", "reviewer"), ("eye", "public", "observer"), ("pub", "office", "publisher")]
PDF = b"%PDF-1.4\n% sample\n"
BASE = f"/api/v1/projects/{PROJECT}/review"
DRAFT = digest(SECTIONS)  # the hash of round 1's frozen draft


def _open(api, visibility="sealed") -> None:
    boss = api["boss"]
    boss.open_round(1, {"zh": "第一轮"}, visibility, {"Z1": ["320500"]})
    boss.freeze(1, SECTIONS)
    for party in ("320500", "330400"):
        boss.invite(1, party, "2026-04-01")
    boss.advance(1, "issued")
    boss.advance(1, "collecting")


def test_sealed_round_over_http(api):
    _open(api)
    mine = api["sz"].submit(comment("320500"))["id"]
    api["jx"].submit(comment("330400"))
    assert [c["comment"]["id"] for c in api["sz"].comments()] == [mine]
    assert len(api["boss"].comments()) == 2 and api["eye"].comments() == []
    with pytest.raises(NotFound):  # a sealed comment of another party does not exist for you
        api["jx"].comment(mine)
    api["boss"].advance(1, "triage")
    assert len(api["jx"].comments()) == 2


def test_roles_are_checked_on_every_write(api):
    _open(api)
    cid = api["sz"].submit(comment())["id"]
    api["boss"].advance(1, "triage")
    api["boss"].advance(1, "responding")
    with pytest.raises(PermissionDenied):
        api["sz"].decide([cid], "adopted", answer={"zh": "采纳"},
                         changes=[{"kind": "text", "section": "Z1.strategy.2", "revision": DRAFT}])
    with pytest.raises(PermissionDenied):
        api["sz"].events()
    with pytest.raises(PermissionDenied):
        api["eye"].submit(comment("public"))
    api["boss"].decide([cid], "adopted", answer={"zh": "采纳"},
                       changes=[{"kind": "text", "section": "Z1.strategy.2", "revision": DRAFT}])
    assert api["sz"].comment(cid)["answer"] is None  # embargoed
    with pytest.raises(PermissionDenied):  # the log and ledger hold the embargoed decision
        api["pub"].events()
    with pytest.raises(PermissionDenied):
        api["pub"].ledger()
    publication = api["boss"].publish(1)["id"]
    with pytest.raises(PermissionDenied):
        api["jx"].confirm(cid, publication, True)
    api["sz"].confirm(cid, publication, False, "请补充")
    assert api["sz"].comment(cid)["status"] == "reopened"
    assert api["boss"].ledger()["total"]["reopened"] == 1
    assert [e.kind for e in api["boss"].events()][-1] == "confirm"


def test_idempotent_comment_and_bad_input(api):
    _open(api)
    c = comment()
    first = api["sz"].submit(c)
    assert api["sz"].submit(c) == first
    with pytest.raises(InvalidInput, match="different body"):
        api["sz"].submit({**c, "body": {"zh": "别的"}})
    with pytest.raises(InvalidInput, match="anchors"):
        api["sz"].submit({**comment(), "anchors": [{"type": "area", "geometry": "00"}]})
    with pytest.raises(InvalidInput, match="polygon"):
        api["sz"].submit({**comment(), "anchors": [{"type": "area",
                          "geometry": "0101000000AE47E17A145E5E407B14AE47E13A3F40"}]})


def test_attachments_get_server_names_and_follow_visibility(api):
    _open(api)
    attachment = "0190f3a2-6c1e-7b3a-9d2e-000000000abc"
    meta = api["sz"].upload(attachment, PDF)
    assert meta["name"] == f"{attachment}.pdf" and meta["media_type"] == "application/pdf"
    assert api["sz"].upload(attachment, PDF) == meta
    with pytest.raises(InvalidInput, match="PDF, PNG or JPEG"):
        api["sz"].upload("0190f3a2-6c1e-7b3a-9d2e-000000000abd", b"MZ\x90\x00 exe")
    with pytest.raises(NotFound, match="not uploaded by party 330400"):
        api["jx"].submit({**comment("330400"), "attachments": [attachment]})
    api["sz"].submit({**comment(), "attachments": [attachment]})
    base = api["jx"].base + f"/attachments/{attachment}"
    with pytest.raises(NotFound):  # sealed: the other party cannot fetch it either
        api["jx"].remote.request("GET", base)


def test_offline_comments_sync_through_the_outbox(api, project_path):
    _open(api)
    with Project.open(project_path, author="王工") as project:
        project.set_meta("party", "320500")
        pdf = project_path.parent / "note.pdf"
        pdf.write_bytes(PDF)
        cid = outbox.write_comment(project, 1, {"zh": "离线撰写的意见"},
                                   [{"type": "clause", "section": "S1.1", "quote": "港口",
                                     "position": 4}], files=[pdf])
        outbox.write_comment(project, 9, {"zh": "错轮次"}, [])
        from app.sync.replica import run
        sent, pulled = run(outbox.sync_steps(project, api["sz"]))
        assert (sent, pulled) == (1, 1)
        assert outbox.pending(project, "refused")[0]["answer"]["error"].startswith("no round 9")
        assert outbox.local_comments(project)[0]["comment"]["attachments"]
        project.db.execute("UPDATE coplan_review_outbox SET state = 'queued' WHERE id = ?", (cid,))
        assert run(outbox.sync_steps(project, api["sz"])) == (1, 1)  # a resend changes nothing
    assert len(api["boss"].comments()) == 1


def test_a_collection_bomb_in_an_area_anchor_is_refused_before_geos(server, api, no_geos):
    client, store = server
    _open(api)
    bomb = {**comment(), "anchors": [{"type": "area", "geometry": collection_bomb().hex()}]}
    r = client.post(f"{BASE}/comments", json=bomb, headers=auth(store, "sz"))
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "invalid" and set(r.json()) == {"error"}
    assert "$.anchors[0]" in r.json()["error"]["message"]
    assert "nested collections" in r.json()["error"]["message"]
    assert api["sz"].comments() == []


def unread(consumed: list, size: int = 5 * MIB):
    """A chunked body that notes when the server starts reading it."""
    consumed.append("read")
    yield b"{" + b" " * size + b"}"


@pytest.mark.parametrize("method, path, user", [
    ("POST", "/comments", "eye"),
    ("POST", "/comments/0190f3a2-6c1e-7b3a-9d2e-4f5a6b7c8d9e/anchors/0", "eye"),
    ("POST", "/rounds/1/freeze", "sz"),
    ("PUT", "/attachments/0190f3a2-6c1e-7b3a-9d2e-4f5a6b7c8d9e", "eye"),
])
def test_large_bodies_are_not_read_before_the_role_check(server, method, path, user):
    client, store = server
    consumed: list = []
    r = client.request(method, BASE + path, content=unread(consumed),
                       headers={**auth(store, user), "Content-Type": "application/json"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    assert consumed == []


def test_only_the_large_body_endpoints_get_more_than_the_default_cap(server):
    client, _ = server
    limit = BodyLimit(None, DEFAULT_CAP, BODY_CAPS)
    large = {}
    for route in client.app.routes:
        methods = getattr(route, "methods", set()) & {"POST", "PUT"}
        if "/review/" not in route.path or not methods:
            continue
        path = re.sub(r"\{[a-z]+\}", "1", route.path)
        cap = limit.cap(methods.pop(), path)
        if cap > DEFAULT_CAP:
            large[route.name] = cap
            assert route.body_field is None  # read by the endpoint after its role check
    own = {"submit": MAX_COMMENT_BYTES, "anchor": MAX_COMMENT_BYTES, "freeze": MAX_DRAFT_BYTES,
           "upload": MAX_ATTACHMENT}
    assert {k: v for k, v in large.items() if k in own} == own
    assert set(large) - set(own) <= {"register_release"}  # app.review.cosign_routes: a release


def test_freeze_body_is_still_validated(server, api):
    client, store = server
    api["boss"].open_round(1, {"zh": "第一轮"})
    r = client.post(f"{BASE}/rounds/1/freeze", json={"id": "nope", "sections": {"S1": 1}},
                    headers=auth(store, "boss"))
    assert r.status_code == 422 and r.json()["error"]["message"].startswith("body.id")
    paths = client.get("/openapi.json").json()["paths"]
    schema = paths["/api/v1/projects/{project}/review/rounds/{number}/freeze"]
    assert "sections" in json.dumps(schema["post"]["requestBody"])
