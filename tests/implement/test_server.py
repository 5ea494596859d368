"""The implementation log on the server store, on SQLite and on PostgreSQL: commands checked
against the folded state, party and user from the membership, replays, evidence, and the cached
state dropped when a write fails."""

from __future__ import annotations

import datetime as dt

import pytest

from app.errors import ConflictError, InvalidInput, NotFound, PermissionDenied
from app.implement.server import ImplementServer
from app.implement.state import fold
from app.review.server import ReviewServer
from app.sync.server.store import now
from tests.implement.conftest import ITEMS_EVENT, PROJECT, items_data, line, members, new_id, report

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = dt.date(2026, 12, 5)
M = members()


@pytest.fixture
def served(implement_store):
    """(store, server) with the 1+8+5 items posted by the office."""
    server = ImplementServer(implement_store, lambda: TODAY)
    server.post(M["boss"], "items", ITEMS_EVENT, items_data())
    return implement_store, server


def test_report_review_and_the_log(served):
    store, server = served
    lines = [line("Z2.strategy.1", 40, narrative_zh="合成示例：推进中",
                  issues=[{"title_zh": "用地指标不足"}]),
             line("Z1.strategy.2", 10, "at_risk")]  # Suzhou leads Z2 and joins Z1
    sent = report("2026-11", lines)
    event = server.post(M["sz"], "report", new_id(), sent)
    assert (event.version, event.party, event.user) == (2, "320500", "sz")
    decided = server.post(M["boss"], "review", new_id(),
                          {"report": sent["report"], "decision": "accept", "note": "同意"})
    assert (decided.version, decided.party) == (3, "office")
    state = server.read(PROJECT, lambda s: s)
    assert state.reports[sent["report"]].state == "accepted"
    assert len(state.items) == 70 and state.version == 3
    [raised] = state.issues.values()
    assert (raised.owner, raised.level) == ("320500", 1)
    events, head = server.events(PROJECT)
    assert head == 3 and [e.kind for e in events] == ["items", "report", "review"]
    assert [e.version for e in server.events(PROJECT, since=1, limit=1)[0]] == [2]
    # A replica folding the log gets the server's state.
    assert fold(events).reports == state.reports and fold(events).issues == state.issues


def test_replays_answer_the_first_event_and_refuse_another_body(served):
    _, server = served
    sent, event_id = report("2026-10", [line("Z2.strategy.1", 20)]), new_id()
    first = server.post(M["sz"], "report", event_id, sent)
    assert server.post(M["sz"], "report", event_id, sent) == first
    assert server.post(M["sz"], "report", event_id, sent).data == first.data
    with pytest.raises(InvalidInput, match="already used with a different request"):
        server.post(M["sz"], "report", event_id, {**sent, "author": "别人"})
    with pytest.raises(InvalidInput, match="already used"):  # the same body from someone else
        server.post(M["wx"], "report", event_id, sent)
    assert server.events(PROJECT)[1] == 2


def test_refusals_leave_the_log_unchanged(served):
    _, server = served
    attempts = [
        (PermissionDenied, "neither leads nor joins",
         lambda: server.post(M["nb"], "report", new_id(), report("2026-11", [line("Z2.strategy.1", 5)]))),
        (PermissionDenied, "role editor cannot write items",
         lambda: server.post(M["sz"], "items", new_id(), items_data())),
        (PermissionDenied, "role editor cannot write review",
         lambda: server.post(M["sz"], "review", new_id(), {"report": new_id(), "decision": "accept"})),
        (PermissionDenied, "role observer cannot write report",
         lambda: server.post(M["eye"], "report", new_id(), report("2026-11", [line("Z2.strategy.1", 5)]))),
        (NotFound, "no implementation command",
         lambda: server.post(M["boss"], "vote", new_id(), {})),
        (InvalidInput, r"\$\.lines\[0\]\.percent",
         lambda: server.post(M["sz"], "report", new_id(), report("2026-11", [line("Z2.strategy.1", 140)]))),
        (InvalidInput, "in the future",
         lambda: server.post(M["sz"], "report", new_id(), report("2027-01", [line("Z2.strategy.1", 5)]))),
        (NotFound, "no item",
         lambda: server.post(M["sz"], "report", new_id(), report("2026-11", [line("Z9", 5)]))),
        (InvalidInput, "request id must be a UUID",
         lambda: server.post(M["sz"], "report", "not-a-uuid", report("2026-11", [line("Z2", 5)]))),
    ]
    for error, message, attempt in attempts:
        with pytest.raises(error, match=message):
            attempt()
    assert server.events(PROJECT)[1] == 1


def test_evidence_must_be_known_and_the_partys_own(served):
    store, server = served
    review = ReviewServer(store)
    mine, theirs = new_id(), new_id()
    review.upload(M["sz"], mine, PDF)
    review.upload(M["wx"], theirs, PDF)
    with pytest.raises(InvalidInput, match=r"attachments\[0\]"):
        server.post(M["sz"], "report", new_id(), report("2026-11", [
            line("Z2.strategy.1", 5, attachments=[theirs])]))
    with pytest.raises(InvalidInput, match=r"changesets\[0\]"):
        server.post(M["sz"], "report", new_id(), report("2026-11", [
            line("Z2.strategy.1", 5, changesets=["cs-that-never-was"])]))
    changeset = new_id()
    with store.writing() as s:  # a change set Suzhou pushed (its version row is what counts)
        s.append_version(PROJECT, {
            "version": 1, "changeset": changeset, "kind": "push", "party": "320500",
            "author": "sz", "username": "sz", "message": "河道蓝线", "created": now(),
            "received": now(), "base_version": 0}, [], [])
    event = server.post(M["sz"], "report", new_id(), report("2026-11", [
        line("Z2.strategy.1", 5, attachments=[mine], changesets=[changeset])]))
    assert event.data["lines"][0]["attachments"] == [mine]
    assert event.data["lines"][0]["changesets"] == [changeset]


def test_a_failed_commit_drops_the_cached_state(served, monkeypatch):
    store, server = served
    commit = type(store)._commit

    def fail_once(self, conn):
        monkeypatch.setattr(type(store), "_commit", commit)
        conn.execute("ROLLBACK")  # as a commit that did not happen
        raise RuntimeError("disk gone")
    monkeypatch.setattr(type(store), "_commit", fail_once)
    lost = report("2026-11", [line("Z2.strategy.1", 30)])
    with pytest.raises(RuntimeError):
        server.post(M["sz"], "report", new_id(), lost)
    state = server.read(PROJECT, lambda s: s)
    assert state.version == 1 and lost["report"] not in state.reports
    event = server.post(M["sz"], "report", new_id(), lost)  # the same report goes in afterwards
    assert event.version == 2


def test_two_servers_on_one_store_share_the_log(served):
    """Each server process caches its own state; it catches up on what others appended."""
    store, first = served
    second = ImplementServer(store, lambda: TODAY)
    sent = report("2026-11", [line("Z1.strategy.1", 50)])
    second.post(M["wx"], "report", new_id(), sent)
    event = first.post(M["boss"], "review", new_id(), {"report": sent["report"],
                                                        "decision": "return", "note": "请补充佐证"})
    assert event.version == 3
    assert second.read(PROJECT, lambda s: s.reports[sent["report"]].state) == "returned"
    with pytest.raises(ConflictError):  # a returned report cannot be decided again
        second.post(M["boss"], "review", new_id(), {"report": sent["report"], "decision": "accept"})
