"""The review on the server store: a freeze matches anchors before the write lock, so pushes
are not held up by a large draft, and still migrates what changed while it was matching."""

from __future__ import annotations

import threading

import pytest

from app.errors import PermissionDenied
from app.model.changes import DATA_SCHEMA_VERSION
from app.review import anchors
from app.review.server import ReviewServer
from app.sync.server.store import Member, project_row
from tests.review.conftest import SECTIONS, comment, new_id

PROJECT = "metro"
BOSS = Member("boss", PROJECT, "office", "coordinator")
SZ = Member("sz", PROJECT, "320500", "reviewer")
DRAFT_2 = {**SECTIONS, "Z1.strategy.2": "（修改）" + SECTIONS["Z1.strategy.2"]}


@pytest.fixture
def store(new_store):
    s = new_store()
    s.create_project(PROJECT, "上海大都市圈", DATA_SCHEMA_VERSION)
    s.add_party(PROJECT, "office", "办公室", "office")
    s.add_party(PROJECT, "320500", "苏州市", "city")
    for member in (BOSS, SZ):
        s.add_user(member.user, None)
        s.grant(PROJECT, member.user, member.party, member.role)
    return s


@pytest.fixture
def review(store) -> ReviewServer:
    """Round 1 collecting, with two comments of Suzhou; round 2 open as a draft."""
    server = ReviewServer(store)
    server.run(BOSS, lambda r, a: r.open_round(a, 1, {"zh": "第一轮"}, event_id=new_id()))
    server.run(BOSS, lambda r, a: r.freeze(a, 1, SECTIONS, event_id=new_id()))
    server.run(BOSS, lambda r, a: r.invite(a, 1, "320500", event_id=new_id()))
    for stage in ("issued", "collecting"):
        server.run(BOSS, lambda r, a, s=stage: r.advance(a, 1, s, event_id=new_id()))
    for section, quote, position in (("Z1.strategy.2", "环太湖科创圈", 2), ("S1.1", "港口协作", 4)):
        written = comment(quote=quote, position=position, section=section)
        server.run(SZ, lambda r, a, c=written: r.submit(a, c))
    server.run(BOSS, lambda r, a: r.open_round(a, 2, {"zh": "第二轮"}, event_id=new_id()))
    return server


class Watch:
    """Records (quote, whether a push could write meanwhile) for each clause the server
    matches; `during_first` runs from another thread while the first one is matched."""

    def __init__(self, store, monkeypatch, during_first=None):
        self.store, self.seen, self.threads = store, [], []
        self.during_first = during_first
        self.match = anchors.migrate_clause
        monkeypatch.setattr(anchors, "migrate_clause", self.watched)

    def watched(self, anchor: dict, new: dict) -> dict:
        if self.during_first and not self.seen:
            assert self.in_thread(self.during_first), "the review was locked while matching"
        self.seen.append((anchor["quote"], self.in_thread(self.push)))
        return self.match(anchor, new)

    def push(self) -> None:
        with self.store.writing() as s:  # what every push takes: the project's lock
            project_row(s, PROJECT, lock=True)

    def in_thread(self, fn) -> bool:
        """Whether `fn` finished within a second in another thread."""
        thread = threading.Thread(target=fn)
        thread.start()
        thread.join(timeout=1)
        self.threads.append(thread)
        return not thread.is_alive()

    def close(self) -> None:
        for thread in self.threads:
            thread.join()


@pytest.fixture
def watch(store, monkeypatch):
    """Make a Watch (with an optional `during_first`); its threads are joined afterwards."""
    made: list[Watch] = []

    def make(during_first=None) -> Watch:
        made.append(Watch(store, monkeypatch, during_first))
        return made[-1]
    yield make
    for w in made:
        w.close()


def migrated(review: ReviewServer) -> dict:
    return review.read(PROJECT, lambda s: {c.comment["anchors"][0]["quote"]: dict(c.anchor_states)
                                           for c in s.submitted()})


def test_freeze_matches_anchors_while_the_writer_is_free(review, watch):
    seen = watch().seen
    review.freeze(BOSS, 2, DRAFT_2, new_id())
    assert seen == [("环太湖科创圈", True), ("港口协作", True)]
    states = migrated(review)
    assert states["环太湖科创圈"][0]["status"] == "moved"
    assert states["环太湖科创圈"][0]["anchor"]["position"] == 6
    assert states["港口协作"][0]["status"] == "confirmed"


def test_a_change_while_matching_is_matched_again_under_the_lock(review, watch):
    port = review.read(PROJECT, lambda s: [c.id for c in s.submitted()][1])
    corrected = {"type": "clause", "section": "S1.1", "quote": "各方协同", "position": 12}

    def correct() -> None:  # Suzhou corrects an anchor while the coordinator's freeze matches
        review.run(SZ, lambda r, a: r.review_anchor(a, port, 0, corrected, "moved",
                                                    event_id=new_id()))
    seen = watch(during_first=correct).seen
    review.freeze(BOSS, 2, DRAFT_2, new_id())
    # Planned with the writer free: both anchors. Under the lock: only the corrected one.
    assert seen == [("环太湖科创圈", True), ("港口协作", True), ("各方协同", False)]
    states = migrated(review)
    assert states["港口协作"][0]["anchor"] == corrected
    assert states["港口协作"][0]["status"] == "confirmed" and not states["港口协作"][0]["reviewed"]
    assert states["环太湖科创圈"][0]["anchor"]["position"] == 6


def test_a_replayed_freeze_matches_nothing(review, watch):
    event_id = new_id()
    first = review.freeze(BOSS, 2, DRAFT_2, event_id)
    seen = watch().seen
    assert review.freeze(BOSS, 2, DRAFT_2, event_id) == first
    assert seen == []


def test_only_coordinators_make_the_server_match(review, watch):
    seen = watch().seen
    with pytest.raises(PermissionDenied):
        review.freeze(SZ, 2, DRAFT_2, new_id())
    assert seen == []
