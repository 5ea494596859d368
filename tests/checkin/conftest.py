"""A real `coplan serve` process (on port 0, over the test's store) with two cities, the
office's coordinator and an observer, and local copies cloned from it."""

from __future__ import annotations

import pytest
import shapely

from app.model.changes import DATA_SCHEMA_VERSION
from app.project import features as F
from app.project import history as H
from app.sync import replica
from app.sync.client import Remote
from tests import stores
from tests.servers import Server

PROJECT = "metro"
USERS = (("sh", "310000", "editor"), ("sz", "320500", "editor"),
         ("boss", "office", "coordinator"), ("eye", "310000", "observer"))


def red_line(bsm: str, x: float) -> tuple[dict, shapely.Geometry]:
    """A Shanghai ecological red line (attributes, polygon) at longitude `x` (apart from others
    by 0.1°, so they do not overlap)."""
    return ({"BSM": bsm, "XZQDM": "310000", "XZQMC": "上海市", "HXMC": f"东滩{bsm}"},
            shapely.box(x, 31.4, x + 0.05, 31.45))


@pytest.fixture
def server(new_store, tmp_path):
    store = new_store()
    store.create_project(PROJECT, "上海大都市圈", DATA_SCHEMA_VERSION)
    for code, kind in (("310000", "city"), ("320500", "city"), ("office", "office")):
        store.add_party(PROJECT, code, code, kind)
    for user, party, role in USERS:
        store.add_user(user, None)
        store.grant(PROJECT, user, party, role)
    tokens = {user: store.issue_token(user) for user, _, _ in USERS}
    srv = Server(tmp_path / "server", stores.spec(store))
    srv.start()
    srv.tokens, srv.store = tokens, store
    yield srv
    srv.stop()


def remote(server, user: str) -> Remote:
    return Remote(server.url, server.tokens[user], retries=1, backoff=0.05, timeout=(2, 60))


def clone(server, tmp_path, user: str):
    return replica.run(replica.clone_steps(remote(server, user), PROJECT, tmp_path / f"{user}.sqlite"))


def push_red_lines(server, project, user: str, items: list[tuple[dict, shapely.Geometry]],
                   message: str = "红线") -> int:
    """Add features, commit and sync; the server version the copy is then at."""
    for attrs, geom in items:
        F.add_feature(project, "STBHHX", attrs, geom)
    H.commit(project, message)
    return replica.run(replica.sync_steps(project, remote(server, user))).version
