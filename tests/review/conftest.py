"""Review fixtures: an in-memory review with parties and a round in any stage, and the sample
review (647 comments) simulated once per session."""

from __future__ import annotations

import uuid

import pytest

from app.review.access import Actor
from app.review.commands import MemoryDirectory, Review
from app.review.events import MemoryLog
from app.review.state import ReviewState

PARTIES = {"office": ("协同办公室", "office"), "320500": ("苏州市", "city"),
           "330400": ("嘉兴市", "city"), "experts": ("专家委", "expert"),
           "public": ("公众", "public"), "sh-jtw": ("上海市交通委", "department")}
CHANGESET = "0190f3a2-6c1e-7b3a-9d2e-4f5a6b7c8d9e"
SECTIONS = {"S1.1": "加强区域港口协作与联动。各方协同推进。",
            "Z1.strategy.2": "推进环太湖科创圈建设，共建绿色湖区。"}
BOSS = Actor("boss", "office", "coordinator", "office")
SZ = Actor("sz", "320500", "reviewer", "city")
JX = Actor("jx", "330400", "reviewer", "city")
PUBLIC = Actor("anyone", "public", "observer", "public")
JTW = Actor("jtw", "sh-jtw", "editor", "department")
SERVER_PARTIES = [("office", "办公室", "office"), ("320500", "苏州市", "city"),
                  ("330400", "嘉兴市", "city"), ("public", "公众", "public")]


def server_store(new_store, project: str, users: list[tuple[str, str, str]]):
    """A server store with project `project`, the review's parties and `users`
    ((user, party, role), no password: tests log in with issued tokens)."""
    from app.model.changes import DATA_SCHEMA_VERSION
    store = new_store()
    store.create_project(project, "上海大都市圈", DATA_SCHEMA_VERSION)
    for code, name, kind in SERVER_PARTIES:
        store.add_party(project, code, name, kind)
    for user, party, role in users:
        store.add_user(user, None)
        store.grant(project, user, party, role)
    return store


@pytest.fixture
def server(new_store, request):
    """(test client, store) of a server with the review's parties and the test module's PROJECT
    and USERS; a module's `prepare_store(store)`, if it has one, runs before the client starts."""
    from fastapi.testclient import TestClient

    from app.sync.server.api import create_app
    module = request.module
    store = server_store(new_store, module.PROJECT, module.USERS)
    getattr(module, "prepare_store", lambda store: None)(store)
    with TestClient(create_app(store), raise_server_exceptions=False) as client:
        yield client, store


@pytest.fixture
def api(server, request):
    """A ReviewRemote per user of the test module, over the `server` fixture."""
    client, store = server
    return review_apis(client, store, request.module.PROJECT, request.module.USERS)


def auth(store, user: str) -> dict:
    """Request headers with a fresh token of `user`."""
    return {"Authorization": f"Bearer {store.issue_token(user)}"}


def review_apis(client, store, project: str, users: list[tuple[str, str, str]]) -> dict:
    """A ReviewRemote per user over a FastAPI test client (no retries' sleeps)."""
    from app.review.client import ReviewRemote
    from app.sync.client import Remote
    from tests.sync.conftest import testclient_sender
    return {u: ReviewRemote(Remote("http://testserver", store.issue_token(u),
                                   sender=testclient_sender(client), sleep=lambda s: None), project)
            for u, _, _ in users}


def new_id() -> str:
    return str(uuid.uuid4())


def comment(party: str = "320500", number: int = 1, text: str = "建议补充太湖科学城。",
            section: str = "Z1.strategy.2", quote: str = "环太湖科创圈", position: int = 2,
            channel: str = "app") -> dict:
    return {"format": "coplan.comment/v1", "id": new_id(), "round": number, "party": party,
            "author": "经办人", "channel": channel, "written": "2026-03-02T09:15:00Z",
            "body": {"zh": text},
            "anchors": [{"type": "clause", "section": section, "quote": quote,
                         "position": position}]}


def make_review() -> Review:
    return Review(MemoryLog(), ReviewState(), MemoryDirectory(PARTIES, [CHANGESET]))


def open_round(review: Review, number: int = 1, visibility: str = "sealed",
               stage: str = "collecting", sections: dict | None = None) -> None:
    """Open, freeze, invite the cities and experts, and advance round `number` to `stage`."""
    review.open_round(BOSS, number, {"zh": f"第{number}轮"}, visibility,
                      {"S1": ["sh-jtw"], "Z1": ["320500"]}, event_id=new_id())
    review.freeze(BOSS, number, sections or SECTIONS, event_id=new_id())
    for party in ("320500", "330400", "experts"):
        review.invite(BOSS, number, party, "2026-04-01", event_id=new_id())
    advance(review, number, stage)


def advance(review: Review, number: int, stage: str) -> None:
    order = ["frozen", "issued", "collecting", "triage", "responding", "published", "revising"]
    current = review.state.rounds[number].stage
    for step in order[order.index(current) + 1: order.index(stage) + 1]:
        review.advance(BOSS, number, step, event_id=new_id())


ADOPT = {"answer": {"zh": "采纳"}, "changes": [{"kind": "changeset", "id": CHANGESET}]}


@pytest.fixture
def review() -> Review:
    return make_review()


@pytest.fixture(scope="session")
def sample():
    """The sample review's simulation (events and state), without PDFs."""
    from sample_projects.review import REFERENCE
    from sample_projects.review.simulate import Simulation

    sim = Simulation(REFERENCE)
    sim.run()
    return sim
