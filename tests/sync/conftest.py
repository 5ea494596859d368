"""A sync server in-process (FastAPI TestClient) with a project, parties and users."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.model.changes import DATA_SCHEMA_VERSION
from app.sync.client import Remote, Response
from app.sync.server.api import create_app

PROJECT = "shanghai-metro"
PARTIES = [("310000", "上海市", "city"), ("320500", "苏州市", "city"),
           ("330400", "嘉兴市", "city"), ("office", "协同办公室", "office")]
USERS = [("sh", "310000", "editor"), ("sz", "320500", "editor"), ("jx", "330400", "editor"),
         ("boss", "office", "coordinator"), ("rev", "310000", "reviewer")]


def testclient_sender(client: TestClient):
    """Route the client's requests into the in-process app."""
    def send(method, url, headers, body, params, timeout):
        path = url.split("://", 1)[1].split("/", 1)[1]
        r = client.request(method, "/" + path, headers=headers, content=body, params=params)
        return Response(r.status_code, r.content)
    return send


@pytest.fixture
def store(new_store):
    s = new_store()
    s.create_project(PROJECT, "上海大都市圈", DATA_SCHEMA_VERSION)
    for code, name, kind in PARTIES:
        s.add_party(PROJECT, code, name, kind)
    for user, party, role in USERS:
        # Only "sh" gets a password: argon2 costs ~0.15 s per hash, tokens are instant.
        s.add_user(user, f"pw-{user}" if user == "sh" else None)
        s.grant(PROJECT, user, party, role)
    return s


@pytest.fixture
def client(store):
    with TestClient(create_app(store), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def remote_for(client, store):
    """A factory: a Remote with a fresh token of `user`."""
    def make(user: str) -> Remote:
        return Remote("http://testserver", store.issue_token(user),
                      sender=testclient_sender(client), sleep=lambda s: None)
    return make
