"""A party's jobs without Qt: open invitations and "no comment", replies to published answers
through the outbox, the history of a comment, and clause anchors checked on the frozen draft."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import pytest

from app.editing import party_jobs as P
from app.editing import review_jobs as R
from app.errors import ConflictError, InvalidInput, PermissionDenied, SyncError
from app.review import outbox
from app.review.access import comment_view
from app.review.events import digest
from app.review.records import history, round_detail
from tests.review.conftest import BOSS, JX, SZ, advance, comment, make_review, new_id, open_round

TEXT = "推进环太湖科创圈建设。环太湖科创圈共建共享。"
TODAY = dt.date(2026, 6, 1)  # after the invitations' due date (2026-04-01)
SECTIONS = {"Z1.strategy.2": TEXT, "S1.1": "加强区域港口协作。"}


class Api:
    """The review endpoints the jobs call, answered from an in-memory review."""

    def __init__(self, review, actor=SZ):
        self.review, self.actor, self.drafts = review, actor, 0
        self.remote = SimpleNamespace(retries=4)

    def comments(self, full=True):
        s = self.review.state
        return [comment_view(self.actor, s, c) for c in s.submitted()]

    def comment(self, comment_id):
        c = self.review.state.comments[comment_id]
        return {**comment_view(self.actor, self.review.state, c), "history": history(self.actor, c)}

    def round(self, number):
        return round_detail(self.actor, self.review.state, number, today=TODAY)

    def draft(self, draft_hash):
        self.drafts += 1
        return dict(SECTIONS)


def rounds_meta(review) -> list[dict]:
    return [{"number": n, "title": r.title, "stage": r.stage, "due": r.due, "draft_hash": r.draft_hash,
             "invited": sorted(r.invitations)} for n, r in sorted(review.state.rounds.items())]


@pytest.fixture
def review():
    """Round 1 collecting, Suzhou (this project's party) invited, frozen on SECTIONS."""
    review = make_review()
    open_round(review, 1, "parties", "collecting", sections=SECTIONS)
    return review


@pytest.fixture
def project(project):
    project.set_meta("party", "320500")
    return project


def pull(project, review) -> Api:
    api = Api(review)
    outbox.pull(project, api)
    project.set_meta(R.ROUNDS_META, json.dumps(rounds_meta(review), ensure_ascii=False))
    return api


def answered(review) -> str:
    """A comment of Suzhou (and one of Jiaxing), Suzhou's answered as not adopted."""
    cid = review.submit(SZ, comment("320500")).id
    review.submit(JX, comment("330400"))
    advance(review, 1, "responding")
    review.decide(BOSS, [cid], "not_adopted", reason="beyond_remit", answer={"zh": "超出事权。"},
                  event_id=new_id())
    review.publish(BOSS, 1, event_id=new_id())
    return cid


def test_no_comment_answers_an_open_invitation_once(project, review):
    pull(project, review)
    data = P.load_party(project)
    assert [i.number for i in data.invitations] == [1] and data.items == ()
    item_id = P.write_no_comment(project, 1)
    [queued] = outbox.pending(project)
    assert queued["id"] == item_id and queued["kind"] == "no_comment" and queued["round"] == 1
    after = P.load_party(project)
    assert after.invitations == () and after.no_comment == (1,)
    with pytest.raises(ConflictError):
        P.write_no_comment(project, 1)


def test_a_round_with_a_comment_waits_for_no_answer(project, review):
    review.submit(SZ, comment("320500"))
    pull(project, review)
    assert P.load_party(project).invitations == ()
    with pytest.raises(ConflictError):
        P.write_no_comment(project, 1)


def test_only_own_comments_are_listed_with_their_answers(project, review):
    cid = answered(review)
    pull(project, review)
    [item] = P.load_party(project).items
    assert item.id == cid and item.status == "answered" and item.can_confirm
    assert item.answer["disposition"] == "not_adopted" and item.publication


def test_not_satisfied_needs_a_note_and_waits_in_the_outbox(project, review):
    cid = answered(review)
    pull(project, review)
    with pytest.raises(InvalidInput):
        P.write_confirmation(project, cid, False, "  ")
    P.write_confirmation(project, cid, False, "请说明事权依据。")
    [queued] = outbox.pending(project)
    assert queued["kind"] == "confirm" and queued["body"]["note"] == "请说明事权依据。"
    assert queued["body"]["publication"] == review.state.comments[cid].publication
    [item] = P.load_party(project).items
    assert item.reply["satisfied"] is False and not item.can_confirm


def test_another_partys_comment_cannot_be_confirmed(project, review):
    answered(review)
    api = Api(review, BOSS)  # the office sees every comment
    outbox.pull(project, api)
    other = next(c.id for c in review.state.submitted() if c.party == "330400")
    with pytest.raises(PermissionDenied):
        P.write_confirmation(project, other, True)


def test_history_keeps_the_first_answer_and_the_note(project, review, monkeypatch):
    cid = answered(review)
    first = review.state.comments[cid].publication
    review.confirm(SZ, cid, first, False, "请说明事权依据。", event_id=new_id())
    review.decide(BOSS, [cid], "noted", answer={"zh": "已知悉，下轮研究。"}, event_id=new_id())
    review.publish(BOSS, 1, event_id=new_id())
    api = pull(project, review)
    monkeypatch.setattr(R, "review_api", lambda project: api)
    shown = P.history(project, cid)
    kinds = [(h.kind, h.current) for h in shown.entries]
    assert kinds == [("comment", False), ("publish", False), ("confirm", False), ("publish", True)]
    assert shown.entries[1].answer["disposition"] == "not_adopted"
    assert shown.entries[2].note == "请说明事权依据。" and shown.entries[2].satisfied is False
    assert api.remote.retries == 0  # a history read does not hold the worker with retries

    def offline(project):
        raise SyncError("cannot reach the server", retryable=True)
    monkeypatch.setattr(R, "review_api", offline)
    kept = P.history(project, cid)
    assert kept.offline and kept.entries == shown.entries


def test_history_entries_read_raw_events_too():
    events = [{"kind": "publish", "id": "p1", "at": "2026-05-01T01:00:00Z", "user": "boss",
               "data": {"answers": {"c1": {"disposition": "noted"}}}},
              {"kind": "confirm", "id": "x", "at": "2026-05-02T01:00:00Z", "user": "sh",
               "data": {"comment": "c1", "publication": "p1", "satisfied": True, "note": ""}},
              {"kind": "recommend", "id": "r", "at": "2026-05-03T01:00:00Z", "user": "t", "data": {}}]
    entries = P.history_entries({"history": events, "publication": "p1"}, "c1")
    assert [(h.kind, h.current, h.satisfied) for h in entries] == [("publish", True, None),
                                                                   ("confirm", True, True)]


def test_a_clause_is_anchored_on_the_frozen_text(project, review, monkeypatch):
    api = pull(project, review)
    monkeypatch.setattr(R, "review_api", lambda project: api)
    second = TEXT.index("环太湖科创圈", 1)
    check = P.check_clause(project, 1, "Z1.strategy.2", TEXT, "环太湖科创圈", second)
    assert check.anchor == {"type": "clause", "section": "Z1.strategy.2", "quote": "环太湖科创圈",
                            "position": second}
    assert review.state.rounds[1].draft_hash == digest(SECTIONS)
    P.check_clause(project, 1, "Z1.strategy.2", TEXT, "环太湖科创圈", 2)
    assert api.drafts == 1  # a frozen draft is fetched once, then read from the project


def test_a_clause_on_changed_text_gets_the_frozen_text(project, review, monkeypatch):
    api = pull(project, review)
    monkeypatch.setattr(R, "review_api", lambda project: api)
    check = P.check_clause(project, 1, "Z1.strategy.2", "新" + TEXT, "环太湖科创圈", 3)
    assert check.anchor is None and check.problem == "differs" and check.frozen == TEXT
    assert P.check_clause(project, 1, "Z9.nowhere", "", "x", 0).problem == "no_section"
    assert P.check_clause(project, 7, "Z1.strategy.2", TEXT, "x", 0).problem == "no_draft"
    with pytest.raises(InvalidInput):
        P.check_clause(project, 1, "Z1.strategy.2", TEXT, "环太湖科创圈", 3)


def test_send_quietly_keeps_the_outbox_when_offline(project, monkeypatch):
    def unreachable(project):
        raise SyncError("cannot reach the server", retryable=True)
        yield  # a generator, like review_sync

    monkeypatch.setattr(R, "review_sync", unreachable)
    steps = P.send_quietly(project)
    with pytest.raises(StopIteration) as stop:
        next(steps)
    assert stop.value.value is None

    def refused(project):
        raise SyncError("server error 500", status=500)
        yield

    monkeypatch.setattr(R, "review_sync", refused)
    with pytest.raises(SyncError):
        next(P.send_quietly(project))


def test_invitation_records_give_due_dates_reminders_and_answers(project, review, monkeypatch):
    api = pull(project, review)
    monkeypatch.setattr(R, "review_api", lambda project: api)
    review.remind(BOSS, 1, ["320500"], "请尽快反馈。", event_id=new_id())
    assert P.refresh_invitations(project) == 1
    [invitation] = P.load_party(project).invitations
    assert (invitation.due, invitation.overdue, invitation.reminded) == ("2026-04-01", True, 1)
    review.no_comment(SZ, 1, event_id=new_id())  # answered from another machine of the party
    P.refresh_invitations(project)
    assert P.load_party(project).invitations == ()
