"""Who may do what, and when: visibility, roles, stages, evidence rules, idempotency."""

from __future__ import annotations

import pytest

from app.errors import ConflictError, InvalidInput, NotFound, PermissionDenied
from app.review.access import can_see, comment_view
from tests.conftest import collection_bomb
from tests.review.conftest import (
    ADOPT,
    BOSS,
    JTW,
    JX,
    PUBLIC,
    SZ,
    advance,
    comment,
    new_id,
    open_round,
)


def test_sealed_round_hides_other_parties_until_collecting_closes(review):
    open_round(review)
    mine = review.submit(SZ, comment("320500")).id
    theirs = review.submit(JX, comment("330400")).id
    state = review.state
    assert can_see(SZ, state, state.comments[mine]) and not can_see(SZ, state, state.comments[theirs])
    assert can_see(BOSS, state, state.comments[theirs])
    advance(review, 1, "triage")
    assert can_see(SZ, state, state.comments[theirs])


def test_parties_round_shows_everything_to_parties_but_not_to_the_public(review):
    open_round(review, visibility="parties")
    cid = review.submit(JX, comment("330400")).id
    assert can_see(SZ, review.state, review.state.comments[cid])
    assert not can_see(PUBLIC, review.state, review.state.comments[cid])


def test_public_sees_only_published_answers_of_public_rounds(review):
    open_round(review, visibility="public")
    answered, unanswered = (review.submit(SZ, comment()).id for _ in range(2))
    advance(review, 1, "responding")
    review.decide(BOSS, [answered, unanswered], "adopted", **ADOPT, event_id=new_id())
    review.publish(BOSS, 1, [answered], event_id=new_id())
    state = review.state
    assert can_see(PUBLIC, state, state.comments[answered])
    assert not can_see(PUBLIC, state, state.comments[unanswered])
    view = comment_view(PUBLIC, state, state.comments[answered])
    assert "author" not in view["comment"] and "decision" not in view


def test_only_coordinators_decide_and_publish(review):
    open_round(review)
    cid = review.submit(SZ, comment()).id
    advance(review, 1, "responding")
    for actor in (SZ, JTW):
        with pytest.raises(PermissionDenied):
            review.decide(actor, [cid], "adopted", **ADOPT, event_id=new_id())
        with pytest.raises(PermissionDenied):
            review.publish(actor, 1, event_id=new_id())
    review.decide(BOSS, [cid], "adopted", **ADOPT, event_id=new_id())
    view = comment_view(SZ, review.state, review.state.comments[cid])
    assert view["answer"] is None and view["status"] == "open"  # embargoed


def test_drafting_team_recommends_only_for_its_deliverable(review):
    open_round(review)
    on_s1 = review.submit(SZ, comment(section="S1.1", quote="港口协作", position=4)).id
    on_z1 = review.submit(SZ, comment()).id
    advance(review, 1, "triage")
    review.recommend(JTW, [on_s1], "adopted", **ADOPT, event_id=new_id())
    with pytest.raises(PermissionDenied):
        review.recommend(JTW, [on_z1], "adopted", **ADOPT, event_id=new_id())
    state = review.state.comments[on_s1]
    assert state.recommendation.disposition == "adopted" and state.decision is None


def test_a_party_cannot_confirm_for_another(review):
    open_round(review)
    cid = review.submit(SZ, comment()).id
    advance(review, 1, "responding")
    review.decide(BOSS, [cid], "adopted", **ADOPT, event_id=new_id())
    pub = review.publish(BOSS, 1, event_id=new_id()).id
    for actor in (JX, BOSS):
        with pytest.raises(PermissionDenied):
            review.confirm(actor, cid, pub, True, event_id=new_id())
    review.confirm(SZ, cid, pub, False, "不够具体", event_id=new_id())
    c = review.state.comments[cid]
    assert c.status == "reopened" and [e.kind for e in c.history][-3:] == ["decide", "publish",
                                                                           "confirm"]


def test_reopened_comment_is_decided_again_and_keeps_its_history(review):
    open_round(review)
    cid = review.submit(SZ, comment()).id
    advance(review, 1, "responding")
    review.decide(BOSS, [cid], "not_adopted", "beyond_remit", {"zh": "未采纳"}, event_id=new_id())
    first = review.publish(BOSS, 1, event_id=new_id()).id
    review.confirm(SZ, cid, first, False, "请再研究", event_id=new_id())
    advance(review, 1, "revising")
    review.decide(BOSS, [cid], "partially_adopted", **ADOPT, memo="复议纪要", event_id=new_id())
    assert review.state.comments[cid].status == "decided"
    with pytest.raises(ConflictError):  # the old answer was replaced by a new publication
        second = review.publish(BOSS, 1, event_id=new_id()).id
        review.confirm(SZ, cid, first, True, event_id=new_id())
    review.confirm(SZ, cid, second, True, event_id=new_id())
    c = review.state.comments[cid]
    assert c.status == "satisfied" and c.published.memo == "复议纪要"
    assert [e.kind for e in c.history].count("decide") == 2


@pytest.mark.parametrize("disposition, reason, fields, message", [
    ("adopted", None, {"answer": {"zh": "采纳"}}, "change references"),
    ("partially_adopted", None, {"answer": {"zh": "部分"}, "changes": []}, "change references"),
    ("not_adopted", None, {"answer": {"zh": "否"}}, "reason code"),
    ("not_adopted", "because", {"answer": {"zh": "否"}}, "reason code"),
    ("adopted", None, {"answer": {"zh": "采纳"}, "changes": [
        {"kind": "changeset", "id": "00000000-0000-4000-8000-000000000000"}]}, "no change set"),
    ("adopted", None, {"answer": {"zh": "采纳"}, "changes": [{"kind": "text", "section": "../x",
                                                             "revision": "r"}]}, "not a change"),
    ("maybe", None, {"answer": {"zh": "?"}}, "disposition must be"),
])
def test_disposition_rules(review, disposition, reason, fields, message):
    open_round(review)
    cid = review.submit(SZ, comment()).id
    advance(review, 1, "responding")
    with pytest.raises((InvalidInput, NotFound), match=message):
        review.decide(BOSS, [cid], disposition, reason, **fields, event_id=new_id())


def test_same_comment_twice_is_one_event_and_changed_body_is_refused(review):
    open_round(review)
    c = comment()
    first = review.submit(SZ, c)
    assert review.submit(SZ, c) == first and len(review.log) == first.version
    with pytest.raises(InvalidInput, match="different body"):
        review.submit(SZ, {**c, "body": {"zh": "改了"}})
    advance(review, 1, "triage")
    assert review.submit(SZ, c) == first  # a late retry still gets its first answer


def test_comment_rules(review):
    open_round(review)
    with pytest.raises(PermissionDenied, match="acts for party"):
        review.submit(SZ, comment("330400"))
    with pytest.raises(PermissionDenied, match="not invited"):
        review.submit(PUBLIC.__class__("p", "public", "reviewer", "public"), comment("public"))
    letter = review.submit(BOSS, comment("330400", channel="letter"))  # the office types in a letter
    assert letter.data["party_name"] == "嘉兴市"
    with pytest.raises(InvalidInput, match="comment"):
        review.submit(SZ, {**comment(), "channel": "email"})


def test_round_lifecycle_moves_only_forward(review):
    open_round(review, stage="issued")
    with pytest.raises(ConflictError):
        review.advance(BOSS, 1, "published", event_id=new_id())
    with pytest.raises(PermissionDenied):
        review.advance(SZ, 1, "collecting", event_id=new_id())
    advance(review, 1, "revising")
    review.advance(BOSS, 1, "closed", event_id=new_id())
    assert [s for s, _ in review.state.rounds[1].stages][-2:] == ["revising", "closed"]


def test_a_draft_of_headings_only_cannot_be_frozen(review):
    review.open_round(BOSS, 1, {"zh": "第一轮"}, event_id=new_id())
    with pytest.raises(InvalidInput, match="all 2 section.s. are empty"):
        review.freeze(BOSS, 1, {"Z1": "", "Z1.strategy.1": "  "}, event_id=new_id())
    assert review.state.rounds[1].stage == "draft"
    review.freeze(BOSS, 1, {"Z1": "", "Z1.strategy.1": "共建绿色湖区。"}, event_id=new_id())
    assert review.state.rounds[1].stage == "frozen"


def test_no_comment_and_withdraw(review):
    open_round(review)
    review.no_comment(JX, 1, event_id=new_id())
    cid = review.submit(SZ, comment()).id
    with pytest.raises(PermissionDenied):
        review.withdraw(JX, cid, event_id=new_id())
    review.withdraw(SZ, cid, event_id=new_id())
    assert review.state.comments[cid].status == "withdrawn"
    with pytest.raises(ConflictError):
        review.no_comment(SZ, 1, event_id=new_id())


def test_groups_serve_many_comments_with_one_decision(review):
    open_round(review)
    ids = [review.submit(SZ, comment()).id, review.submit(JX, comment("330400")).id]
    advance(review, 1, "responding")
    group = new_id()
    review.group(BOSS, group, ids, "duplicate", {"zh": "同一诉求"}, event_id=new_id())
    review.decide(BOSS, [], "adopted", **ADOPT, group=group, event_id=new_id())
    assert {review.state.comments[i].decision.disposition for i in ids} == {"adopted"}


def test_a_corrected_anchor_gets_the_geometry_checks_of_a_comment(review, no_geos):
    open_round(review)
    cid = review.submit(SZ, comment()).id
    bomb = {"type": "area", "geometry": collection_bomb().hex()}
    with pytest.raises(InvalidInput, match="nested collections"):
        review.review_anchor(SZ, cid, 0, bomb, "moved", event_id=new_id())
