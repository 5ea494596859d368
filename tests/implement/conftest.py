"""Shared fixtures of the implementation-tracking tests that need a server.

The project is the 1+8+5 (schemas/content/metro-1-8-5.json): its 18 parties are the server's
parties and its 70 actions and strategies the tracked items (app.implement.items). Users:

- `boss`: coordinator of the office (posts items, reviews, meetings, memos);
- `sz`: editor of Suzhou 320500 (leads zone Z2 and its strategies, joins zone Z1's);
- `wx`: editor of Wuxi 320200 (leads zone Z1 and its strategies);
- `nb`: editor of Ningbo 330200 (leads neither Z1 nor Z2: the hostile editor);
- `eye`: observer of Shanghai 310000 (reads everything, writes nothing).

Fixtures
- `implement_store` (function scope, on SQLite and on PostgreSQL through `store_kind`): a
  store set up as above, no events; `members(store)` gives the Member of each user.
- `implement_server` (module scope, SQLite): a real `coplan serve` over such a store, with the
  items already posted (event version 1, id ITEMS_EVENT). It has `.url`, `.tokens` {user:
  token} and `.store`. Tests sharing it must use their own ids and periods (the log only grows).
Helpers: `remote(server, user)` (a Remote with quick retries), `api(server, user)` (an
ImplementRemote), `report(period, lines)`, `line(item, percent)`, `items_data()`."""

from __future__ import annotations

import json
import uuid
from functools import cache

import pytest

from app.implement.client import ImplementRemote
from app.implement.items import items_from_content
from app.implement.state import item_to_json
from app.model.changes import DATA_SCHEMA_VERSION
from app.paths import schemas_dir
from app.sync.client import Remote
from app.sync.server.store import Member
from tests import stores
from tests.servers import Server

PROJECT = "metro"
USERS = (("boss", "office", "coordinator"), ("sz", "320500", "editor"),
         ("wx", "320200", "editor"), ("nb", "330200", "editor"), ("eye", "310000", "observer"))
ITEMS_EVENT = "0190f3a2-0000-7000-8000-000000000001"  # the id of the items event of the server
WRITTEN = "2026-11-30T08:00:00.000Z"


@cache
def template() -> dict:
    """The 1+8+5 content template."""
    return json.loads((schemas_dir() / "content" / "metro-1-8-5.json").read_text("utf-8"))


def items_data() -> dict:
    """The `items` event data of the 1+8+5's tracked items."""
    return {"items": [item_to_json(i) for i in items_from_content(template())]}


def setup_store(store) -> dict[str, str]:
    """Make the project, its parties and users in an empty store; {user: token}."""
    store.create_project(PROJECT, "上海大都市圈", DATA_SCHEMA_VERSION)
    for party in template()["parties"]:
        store.add_party(PROJECT, party["code"], party["name_zh"], party["type"])
    for user, party, role in USERS:
        store.add_user(user, None)
        store.grant(PROJECT, user, party, role)
    return {user: store.issue_token(user) for user, _, _ in USERS}


def members() -> dict[str, Member]:
    return {user: Member(user, PROJECT, party, role) for user, party, role in USERS}


def new_id() -> str:
    return str(uuid.uuid4())


def line(item: str, percent: float, status: str = "on_track", **fields) -> dict:
    """A report line (narratives, issues, evidence … as keyword arguments)."""
    return {"item": item, "percent": percent, "status": status, **fields}


def report(period: str, lines: list[dict], report_id: str | None = None,
           author: str = "测试填报人") -> dict:
    """A `report` event's data."""
    return {"report": report_id or new_id(), "period": period, "written": WRITTEN,
            "author": author, "lines": lines}


@pytest.fixture
def implement_store(new_store):
    """An empty store of this test's kind with the project, parties and users."""
    store = new_store()
    store.tokens = setup_store(store)
    return store


def remote(server, user: str) -> Remote:
    return Remote(server.url, server.tokens[user], retries=1, backoff=0.05, timeout=(2, 60))


def api(server, user: str) -> ImplementRemote:
    return ImplementRemote(remote(server, user), PROJECT)


@pytest.fixture(scope="module")
def implement_server(tmp_path_factory):
    """A real server (SQLite) with the project set up and the 1+8+5 items posted."""
    folder = tmp_path_factory.mktemp("implement-server")
    store = stores.open_store("sqlite", folder / "store")
    tokens = setup_store(store)
    srv = Server(folder / "store", stores.spec(store))
    srv.start()
    srv.tokens, srv.store = tokens, store
    try:
        api(srv, "boss").post("items", items_data(), request_id=ITEMS_EVENT)
        yield srv
    finally:
        srv.stop()
        stores.discard(store)
