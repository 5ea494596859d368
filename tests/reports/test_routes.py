"""The edition registry in-process: roles, idempotent uploads, refusals in the one error
envelope, server-made file names under the store folder, list and download."""

from __future__ import annotations

import hashlib

import pytest
from fastapi.testclient import TestClient

from app.project import migrations
from app.reports import registry
from app.sync.server.api import create_app
from app.sync.server.store import read_blob

PROJECT = "metro"
USERS = [("pub", "office", "publisher"), ("boss", "office", "coordinator"),
         ("sz", "320500", "editor"), ("eye", "320500", "observer")]
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
META = {"edition_date": "2024-05-01", "content_hash": "a" * 64, "layers_hash": "b" * 64,
        "base_version": 0}


@pytest.fixture
def api(new_store):
    store = new_store()
    store.create_project(PROJECT, "上海大都市圈", migrations.SCHEMA_VERSION)
    store.add_party(PROJECT, "office", "办公室", "office")
    store.add_party(PROJECT, "320500", "苏州市", "city")
    for user, party, role in USERS:
        store.add_user(user, None)
        store.grant(PROJECT, user, party, role)
    tokens = {u: store.issue_token(u) for u, _, _ in USERS}
    with TestClient(create_app(store), raise_server_exceptions=False) as client:
        client.store, client.tokens = store, tokens
        yield client


def put(api, user: str, body: bytes = PDF, kind: str = "policy", version: int = 1, **meta):
    return api.put(f"/api/v1/projects/{PROJECT}/editions/{kind}/{version}", content=body,
                   params={**META, **meta}, headers={"Authorization": f"Bearer {api.tokens[user]}",
                                                     "Content-Type": "application/pdf"})


def get(api, user: str, path: str = ""):
    return api.get(f"/api/v1/projects/{PROJECT}/editions{path}",
                   headers={"Authorization": f"Bearer {api.tokens[user]}"})


def test_publishers_and_coordinators_upload_everyone_lists_and_downloads(api, tmp_path):
    r = put(api, "pub")
    assert r.status_code == 200, r.text
    row = r.json()
    assert (row["publisher_party"], row["uploaded_by"], row["sha256"]) == (
        "office", "pub", hashlib.sha256(PDF).hexdigest())
    assert row["file"] == f"policy-v0001-{row['sha256'][:16]}.pdf"  # named by the server
    assert read_blob(api.store.blobs, PROJECT, f"editions/{row['file']}") == PDF
    assert put(api, "boss", kind="onemap").status_code == 200
    for user in ("eye", "sz"):
        assert [(e["kind"], e["version"]) for e in get(api, user).json()] == [("onemap", 1),
                                                                                ("policy", 1)]
        r = get(api, user, "/policy/1")
        assert r.status_code == 200 and r.content == PDF
        assert r.headers["content-type"] == "application/pdf"
        assert r.headers["x-content-sha256"] == row["sha256"]


@pytest.mark.parametrize("user", ["sz", "eye"])
def test_editors_and_observers_may_not_upload(api, user):
    r = put(api, user)
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    assert get(api, "pub").json() == []


def test_the_same_upload_again_is_answered_alike_other_bytes_conflict(api):
    first = put(api, "pub").json()
    assert put(api, "pub").json() == first
    r = put(api, "pub", PDF.replace(b"1 0 obj", b"2 0 obj"))
    assert r.status_code == 409 and "new version" in r.json()["error"]["message"]


@pytest.mark.parametrize("body, meta, status, words", [
    (b"not a pdf", {}, 422, "not a complete PDF"),
    (PDF[:-7], {}, 422, "not a complete PDF"),
    (PDF, {"content_hash": "xyz"}, 422, "content_hash"),
    (PDF, {"edition_date": "May 1"}, 422, "edition_date"),
    (PDF, {"base_version": -1}, 422, "base_version"),
    (PDF, {"base_version": 7}, 422, "refers to data version 7, but the server is at version 0"),
    (PDF.replace(b"<< >>", b"<< /Keywords (coplan:partial-draft) >>", 1), {}, 422,
     "partial draft"),
])
def test_bad_uploads_get_one_envelope(api, body, meta, status, words):
    r = put(api, "pub", body, **meta)
    assert r.status_code == status and words in r.json()["error"]["message"]
    assert set(r.json()) == {"error"}


def test_bad_kind_version_and_size(api, monkeypatch):
    assert put(api, "pub", kind="poster").status_code == 422
    assert put(api, "pub", version=0).status_code == 422
    monkeypatch.setattr(registry, "MAX_EDITION_BYTES", 16)
    r = put(api, "pub")
    assert r.status_code == 422 and "MiB" in r.json()["error"]["message"]


def test_unknown_edition_and_strangers(api):
    assert get(api, "eye", "/policy/9").status_code == 404
    r = api.get(f"/api/v1/projects/{PROJECT}/editions")
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    api.store.add_user("stranger", None)
    api.tokens["stranger"] = api.store.issue_token("stranger")
    assert get(api, "stranger").status_code == 403


def test_endpoints_are_in_the_openapi_document(api):
    paths = api.get("/openapi.json").json()["paths"]
    assert "/api/v1/projects/{project}/editions/{kind}/{version}" in paths


def test_the_partial_keyword_is_the_one_builds_write():
    from app.reports.build import PARTIAL_KEYWORD

    assert registry.PARTIAL_KEYWORD == PARTIAL_KEYWORD.encode()
