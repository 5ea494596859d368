"""Records that can't lie: ISO due dates, the logged-in author, receipt times and lateness,
reminders, the round's detail, suggested groups, evidence resolved by the server, the flag on a
team answering its own party, and a party's own history of its comment."""

from __future__ import annotations

import datetime as dt

import pytest

from app.errors import ConflictError, InvalidInput, NotFound, PermissionDenied
from app.review.access import Actor, comment_view
from app.review.commands import MemoryDirectory, Review
from app.review.events import MemoryLog, digest
from app.review.records import round_detail
from app.review.state import ReviewState
from app.review.wire import check_schema, client_refs
from tests.review.conftest import (
    ADOPT,
    BOSS,
    CHANGESET,
    JTW,
    JX,
    PARTIES,
    SECTIONS,
    SZ,
    advance,
    auth,
    comment,
    new_id,
    open_round,
)

PROJECT = "metro"
BASE = f"/api/v1/projects/{PROJECT}/review"
USERS = [("boss", "office", "coordinator"), ("sz", "320500", "reviewer"),
         ("jx", "330400", "reviewer"), ("eye", "public", "observer")]
REVISED = {**SECTIONS, "Z1.strategy.2": "推进环太湖科创圈和太湖科学城建设，共建绿色湖区。"}
SZ_EDITOR = Actor("sz-ed", "320500", "editor", "city")  # Suzhou also drafts Z1 (its team)


class Clock:
    """A clock the test sets: every event is received at `self.at`."""

    def __init__(self, at: str = "2026-03-20T02:00:00Z"):
        self.at = at

    def __call__(self) -> str:
        return self.at


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def review(clock) -> Review:
    directory = MemoryDirectory(PARTIES, {CHANGESET: (42, "sh-jtw")})
    return Review(MemoryLog(), ReviewState(), directory, now=clock)


# --- due dates ---------------------------------------------------------------------------

def test_due_dates_are_iso_dates(review):
    with pytest.raises(InvalidInput, match="due date '下周二' must be an ISO date YYYY-MM-DD"):
        review.open_round(BOSS, 1, {"zh": "第一轮"}, due="下周二", event_id=new_id())
    review.open_round(BOSS, 1, {"zh": "第一轮"}, due="2026-04-01", event_id=new_id())
    review.freeze(BOSS, 1, SECTIONS, event_id=new_id())
    with pytest.raises(InvalidInput, match="must be an ISO date"):
        review.invite(BOSS, 1, "320500", "下周二", event_id=new_id())
    with pytest.raises(InvalidInput, match="not a calendar date"):
        review.invite(BOSS, 1, "320500", "2026-02-30", event_id=new_id())
    review.invite(BOSS, 1, "320500", "2026-03-25", event_id=new_id())
    r = review.state.rounds[1]
    assert r.due == "2026-04-01" and r.invitations["320500"].due == "2026-03-25"


# --- author, receipt time, lateness --------------------------------------------------------

def test_the_author_is_the_logged_in_user(review):
    open_round(review)
    sent = comment()  # the client claims author "经办人"
    event = review.submit(SZ, sent)
    c = review.state.comments[event.id]
    assert event.data["author"] == "sz" and c.author == "sz"
    assert c.comment["author"] == "经办人"  # kept as who says they wrote it
    assert c.received == "2026-03-20T02:00:00Z" and c.written == sent["written"]
    letter = review.submit(BOSS, comment("330400", channel="letter"))  # typed in by the office
    assert letter.user == "boss" and letter.data["author"] == "boss"
    check_schema("review-event", event.to_json())
    assert review.state.comments[letter.id].comment["author"] == "经办人"


def test_a_comment_received_after_the_due_beijing_day_is_late(review, clock):
    open_round(review)  # invitations due 2026-04-01
    clock.at = "2026-04-01T15:59:59Z"  # 23:59:59 in Beijing on the due day
    on_time = review.submit(SZ, comment()).id
    clock.at = "2026-04-01T16:00:00Z"  # midnight in Beijing: the next day
    late = review.submit(JX, comment("330400")).id
    assert not review.state.comments[on_time].late
    assert review.state.comments[late].late


# --- reminders and the round's detail ------------------------------------------------------

def test_reminders_go_to_the_parties_that_have_not_answered(review, clock):
    open_round(review)
    review.submit(SZ, comment())
    review.no_comment(JX, 1, event_id=new_id())
    with pytest.raises(PermissionDenied):
        review.remind(SZ, 1, event_id=new_id())
    with pytest.raises(ConflictError, match="already answered"):
        review.remind(BOSS, 1, ["320500"], event_id=new_id())
    with pytest.raises(InvalidInput, match="not invited"):
        review.remind(BOSS, 1, ["sh-jtw"], event_id=new_id())
    clock.at = "2026-03-28T01:00:00Z"
    event = review.remind(BOSS, 1, None, "请于4月1日前反馈", event_id=new_id())
    assert event.data["parties"] == ["experts"] and event.data["note"] == "请于4月1日前反馈"
    assert review.state.rounds[1].reminders == {"experts": ["2026-03-28T01:00:00Z"]}
    check_schema("review-event", event.to_json())
    review.no_comment(Actor("ex", "experts", "reviewer", "expert"), 1, event_id=new_id())
    with pytest.raises(ConflictError, match="no one to remind"):
        review.remind(BOSS, 1, event_id=new_id())


def test_round_detail_shows_responses_receipts_and_flags(review, clock):
    open_round(review)
    clock.at = "2026-04-03T01:00:00Z"  # after the due date: late
    first = review.submit(SZ, comment()).id
    review.submit(SZ, comment())
    review.no_comment(JX, 1, event_id=new_id())
    review.remind(BOSS, 1, event_id=new_id())
    review.withdraw(SZ, first, event_id=new_id())  # the second comment now is the answer
    detail = round_detail(BOSS, review.state, 1, today=dt.date(2026, 4, 5))
    assert [s["stage"] for s in detail["stages"]] == ["draft", "frozen", "issued", "collecting"]
    assert detail["draft_hash"] == digest(SECTIONS) and detail["teams"]["Z1"] == ["320500"]
    by_party = {i["party"]: i for i in detail["invitations"]}
    assert by_party["320500"] == {
        "party": "320500", "name": "苏州市", "type": "city", "due": "2026-04-01",
        "response": "submitted", "received": "2026-04-03T01:00:00Z", "late": True,
        "overdue": False, "reminded": []}
    assert by_party["330400"]["response"] == "no_comment" and by_party["330400"]["late"]
    assert by_party["experts"]["response"] == "none" and by_party["experts"]["overdue"]
    assert by_party["experts"]["reminded"] == ["2026-04-03T01:00:00Z"]
    early = round_detail(BOSS, review.state, 1, today=dt.date(2026, 4, 1))
    assert not {i["party"]: i for i in early["invitations"]}["experts"]["overdue"]
    assert [i["party"] for i in round_detail(SZ, review.state, 1)["invitations"]] == ["320500"]
    with pytest.raises(NotFound):
        round_detail(BOSS, review.state, 7)


# --- evidence -----------------------------------------------------------------------------

def _two_rounds(review: Review) -> str:
    """Round 1 responding with one comment of Suzhou; round 2's revised draft frozen."""
    open_round(review)
    cid = review.submit(SZ, comment()).id
    advance(review, 1, "responding")
    review.open_round(BOSS, 2, {"zh": "第二轮"}, event_id=new_id())
    review.freeze(BOSS, 2, REVISED, event_id=new_id())
    return cid


def test_evidence_is_resolved_by_the_server(review):
    cid = _two_rounds(review)
    changes = [{"kind": "changeset", "id": CHANGESET},
               {"kind": "text", "section": "Z1.strategy.2", "revision": digest(REVISED),
                "note": "补充太湖科学城"}]
    event = review.decide(BOSS, [cid], "adopted", answer={"zh": "采纳"}, changes=changes,
                          event_id=new_id())
    assert event.data["changes"] == [
        {"kind": "changeset", "id": CHANGESET, "version": 42, "party": "sh-jtw"},
        {"kind": "text", "section": "Z1.strategy.2", "revision": digest(REVISED),
         "note": "补充太湖科学城", "before": SECTIONS["Z1.strategy.2"],
         "after": REVISED["Z1.strategy.2"]}]
    assert review.state.comments[cid].decision.changes == tuple(event.data["changes"])
    again = review.decide(BOSS, [cid], "adopted", answer={"zh": "采纳"}, event_id=new_id(),
                          changes=client_refs(event.data["changes"]))  # re-sent as a client may
    assert again.data["changes"] == event.data["changes"]
    check_schema("review-event", event.to_json())


def test_every_event_of_the_sample_review_keeps_to_the_event_schema(sample):
    kinds = set()
    for event in sample.log:
        check_schema("review-event", event.to_json())
        kinds.add(event.kind)
    assert {"comment", "recommend", "decide", "publish", "confirm", "anchor.migrate"} <= kinds
    decided = [e for e in sample.log if e.kind == "decide" and e.data["changes"]]
    assert all(ref["after"] for e in decided for ref in e.data["changes"])


@pytest.mark.parametrize("ref, error, message", [
    ({"kind": "text", "section": "NOSUCH.section", "revision": "whatever"}, InvalidInput,
     "text revision 'whatever' must be the hash"),
    ({"kind": "text", "section": "Z1.strategy.2", "revision": "0" * 64}, NotFound,
     "no frozen draft 000000000000 on the server"),
    ({"kind": "text", "section": "NOSUCH.section", "revision": digest(REVISED)}, NotFound,
     "section NOSUCH.section is not in frozen draft"),
    ({"kind": "changeset", "id": "00000000-0000-4000-8000-000000000000"}, NotFound,
     "no change set"),
    ({"kind": "text", "section": "Z1.strategy.2", "revision": digest(REVISED), "before": "x"},
     InvalidInput, "before is filled in by the server"),
    ({"kind": "changeset", "id": CHANGESET, "version": 1}, InvalidInput, "version is filled in"),
])
def test_evidence_the_server_cannot_find_is_refused(review, ref, error, message):
    cid = _two_rounds(review)
    for command in (review.decide, lambda *a, **k: review.recommend(SZ_EDITOR, *a[1:], **k)):
        with pytest.raises(error, match=message):
            command(BOSS, [cid], "adopted", answer={"zh": "采纳"}, changes=[ref],
                    event_id=new_id())


def test_a_text_revision_the_comment_round_lacks_has_no_before(review):
    cid = _two_rounds(review)
    review.open_round(BOSS, 3, {"zh": "第三轮"}, event_id=new_id())
    review.freeze(BOSS, 3, {**REVISED, "Z1.strategy.3": "新增条款。"}, event_id=new_id())
    ref = {"kind": "text", "section": "Z1.strategy.3",
           "revision": digest({**REVISED, "Z1.strategy.3": "新增条款。"})}
    event = review.decide(BOSS, [cid], "partially_adopted", answer={"zh": "部分采纳"},
                          changes=[ref], event_id=new_id())
    assert event.data["changes"][0]["before"] is None
    assert event.data["changes"][0]["after"] == "新增条款。"


# --- recommendations on one's own party ---------------------------------------------------

def test_a_team_recommending_on_its_own_partys_comment_is_flagged(review):
    open_round(review)
    own = review.submit(SZ, comment()).id
    other = review.submit(JX, comment("330400")).id
    advance(review, 1, "triage")
    review.assign(BOSS, [own, other], "Z1", event_id=new_id())
    flagged = review.recommend(SZ_EDITOR, [own, other], "adopted", **ADOPT, event_id=new_id())
    assert flagged.data["own_party"] == [own]
    view = comment_view(BOSS, review.state, review.state.comments[own])
    assert view["recommendation"]["own_party"] is True
    plain = review.recommend(SZ_EDITOR, [other], "adopted", **ADOPT, event_id=new_id())
    assert "own_party" not in plain.data
    assert comment_view(BOSS, review.state, review.state.comments[other])["recommendation"][
        "own_party"] is False
    with pytest.raises(PermissionDenied):  # the team recommends; only coordinators decide
        review.decide(SZ_EDITOR, [own], "adopted", **ADOPT, event_id=new_id())
    assert review.state.comments[own].decision is None
    with pytest.raises(PermissionDenied):  # another team cannot recommend on Z1 at all
        review.recommend(JTW, [own], "adopted", **ADOPT, event_id=new_id())


# --- over HTTP ----------------------------------------------------------------------------

def _collecting(api, due_sz: str = "2000-01-01", due_jx: str = "2999-12-31") -> None:
    boss = api["boss"]
    boss.open_round(1, {"zh": "第一轮"}, "sealed", {"Z1": ["320500"]}, "2999-12-31")
    boss.freeze(1, SECTIONS)
    boss.invite(1, "320500", due_sz)
    boss.invite(1, "330400", due_jx)
    boss.advance(1, "issued")
    boss.advance(1, "collecting")


def test_a_free_text_due_date_is_refused_over_http(server, api):
    client, store = server
    r = client.post(f"{BASE}/rounds", headers=auth(store, "boss"), json={
        "id": new_id(), "number": 1, "title": {"zh": "第一轮"}, "due": "下周二"})
    assert r.status_code == 422, r.text
    assert r.json()["error"]["message"] == "due date '下周二' must be an ISO date YYYY-MM-DD"
    api["boss"].open_round(1, {"zh": "第一轮"}, due="2026-04-01")
    api["boss"].freeze(1, SECTIONS)
    r = client.post(f"{BASE}/rounds/1/invitations", headers=auth(store, "boss"),
                    json={"id": new_id(), "party": "320500", "due": "下周二"})
    assert r.status_code == 422 and "ISO date" in r.json()["error"]["message"]
    assert api["boss"].invite(1, "320500", "2026-03-25")["data"]["due"] == "2026-03-25"


def test_round_detail_reminders_and_suggestions_over_http(server, api):
    client, store = server
    _collecting(api)
    sent = api["sz"].submit(comment(text="建议补充太湖科学城的建设要求。"))
    api["sz"].submit(comment(text="建议补充太湖科学城的建设要求！"))
    with pytest.raises(PermissionDenied):
        api["sz"].remind(1)
    reminded = api["boss"].remind(1, note="请尽快反馈")
    assert reminded["kind"] == "remind" and reminded["data"]["parties"] == ["330400"]
    detail = api["boss"].round(1)
    assert set(detail) == {"number", "title", "stage", "visibility", "due", "draft_hash", "teams",
                           "stages", "invitations"}
    sz, jx = detail["invitations"]
    assert sz["party"] == "320500" and sz["response"] == "submitted" and sz["late"]
    assert sz["received"] == sent["at"] and sz["reminded"] == []
    view = api["sz"].comment(sent["id"])
    assert view["received"] == sent["at"] and view["late"] and view["author"] == "sz"
    assert jx["response"] == "none" and not jx["overdue"] and jx["reminded"] == [reminded["at"]]
    assert [i["party"] for i in api["sz"].round(1)["invitations"]] == ["320500"]
    assert api["eye"].round(1)["invitations"] == []
    with pytest.raises(NotFound):
        api["boss"].round(9)
    assert api["boss"].suggestions(1) == [sorted(c["comment"]["id"]
                                                 for c in api["boss"].comments())]
    with pytest.raises(PermissionDenied):
        api["sz"].suggestions(1)
    with pytest.raises(NotFound):
        api["boss"].suggestions(9)
    r = client.post(f"{BASE}/rounds/1/reminders", headers=auth(store, "boss"),
                    json={"id": new_id(), "parties": ["320500"], "note": ""})
    assert r.status_code == 409 and "already answered" in r.json()["error"]["message"]


def _landed_changeset(store) -> str:
    """A change set the server accepted as version 1 of party 320500."""
    changeset = "0190f3a2-6c1e-7b3a-9d2e-0000000000c5"
    with store.writing() as s:
        s.append_version(PROJECT, {
            "version": 1, "changeset": changeset, "kind": "push", "party": "320500",
            "author": "王工", "username": "sz", "message": "太湖科学城", "created": "2026-03-01",
            "received": "2026-03-01T00:00:00Z", "base_version": 0}, [], [])
    return changeset


def test_evidence_and_history_over_http(server, api):
    client, store = server
    _collecting(api)
    cid = api["sz"].submit(comment())["id"]
    for stage in ("triage", "responding"):
        api["boss"].advance(1, stage)
    changeset = _landed_changeset(store)
    with pytest.raises(NotFound, match="no change set"):
        api["boss"].decide([cid], "adopted", answer={"zh": "采纳"},
                           changes=[{"kind": "changeset", "id": CHANGESET}])
    with pytest.raises(InvalidInput, match="hash"):
        api["boss"].decide([cid], "adopted", answer={"zh": "采纳"}, changes=[
            {"kind": "text", "section": "NOSUCH.section", "revision": "whatever"}])
    first = api["boss"].decide([cid], "adopted", answer={"zh": "采纳"},
                               changes=[{"kind": "changeset", "id": changeset}])
    assert first["data"]["changes"] == [{"kind": "changeset", "id": changeset, "version": 1,
                                         "party": "320500"}]
    publication = api["boss"].publish(1)["id"]
    api["sz"].confirm(cid, publication, False, "请明确建设时序")
    api["boss"].advance(1, "published")
    api["boss"].advance(1, "revising")
    api["boss"].open_round(2, {"zh": "第二轮"})
    revised = api["boss"].freeze(2, REVISED)["data"]["draft_hash"]
    api["boss"].decide([cid], "partially_adopted", answer={"zh": "已补充"}, changes=[
        {"kind": "text", "section": "Z1.strategy.2", "revision": revised}])
    second = api["boss"].publish(1)["id"]
    mine = api["sz"].comment(cid)["history"]
    assert [h["kind"] for h in mine] == ["comment", "publish", "confirm", "anchor.migrate",
                                         "publish"]
    assert mine[0]["author"] == "sz" and mine[0]["written"] == "2026-03-02T09:15:00Z"
    assert mine[1]["answer"]["answer"] == {"zh": "采纳"} and mine[1]["publication"] == publication
    assert mine[2] == {"kind": "confirm", "at": mine[2]["at"], "user": "sz", "party": "320500",
                       "publication": publication, "satisfied": False, "note": "请明确建设时序"}
    assert mine[3]["results"][0]["status"] == "confirmed"  # the quote is still in round 2
    assert mine[4]["answer"]["changes"][0]["after"] == REVISED["Z1.strategy.2"]
    assert mine[4]["publication"] == second
    coordinator = [h["kind"] for h in api["boss"].comment(cid)["history"]]
    assert coordinator.count("decide") == 2
    assert "history" not in api["jx"].comment(cid)  # visible now, but not jx's history
