"""Implementation commands: who may write which event, and the rules per kind (allowed and
refused), on the 1+8+5's items."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import replace

import pytest

from app.errors import ConflictError, InvalidInput, NotFound, PermissionDenied
from app.implement.commands import ROLES, Actor, check, make_event
from app.implement.events import KINDS, MAX_LINES
from app.implement.state import ImplementState, fold
from tests.implement.test_state import Log, issue, items_data, line, meeting, memo, report, uid

TODAY = dt.date(2026, 12, 5)  # Beijing
AT = "2026-12-05T13:45:00.000Z"
BOSS = Actor("boss", "office", "coordinator")
SZ = Actor("sz", "320500", "editor")  # leads Z2, joins Z1 and Z4
WX = Actor("wx", "320200", "editor")  # leads Z1
NB = Actor("nb", "330200", "editor")  # leads Z3, joins Z5; neither Z1 nor Z2
READERS = [Actor("eye", "310000", role) for role in ("observer", "reviewer", "publisher")]


@pytest.fixture(scope="module")
def base() -> ImplementState:
    log = Log()
    log.add("items", items_data())
    return fold(log.events)


@pytest.fixture
def state(base) -> ImplementState:
    return base.copy()


def do(state: ImplementState, actor: Actor, kind: str, data: dict, known=None):
    """Make the event of a command and apply it (as the server does); returns the event."""
    e = make_event(state, actor, str(uuid.uuid4()), kind, data, AT, TODAY, known=known)
    state.apply(e)
    return e


def refused(state, actor, kind, data, error, match=None, known=None) -> None:
    before = state.copy()
    with pytest.raises(error, match=match):
        check(state, actor, kind, data, TODAY, known=known)
    with pytest.raises(error, match=match):
        make_event(state, actor, str(uuid.uuid4()), kind, data, AT, TODAY, known=known)
    assert state == before


def sample(state: ImplementState) -> dict[str, dict]:
    """Valid data of every kind for the state after `prepare`."""
    return {
        "items": items_data([replace(state.items["Z2"], title_zh="苏州—湖州")]),
        "weights": {"node": "Z2", "method": "equal"},
        "report": report(uid(20), "2026-11", [line("Z2", 30)]),
        "review": {"report": uid(1), "decision": "accept"},
        "issue": issue(21),
        "escalate": {"issue": uid(2), "reason": "overdue"},
        "meeting": meeting(22, [2]),
        "memo": memo(7, [(2, "keep")]),
        "indicators": {"entries": [{"indicator_id": "TJ007", "xzqdm": "320500", "year": 2025,
                                    "value": 1.0}]},
        "checkup": {"year": 2025, "rows": []},
    }


def prepare(state: ImplementState) -> None:
    """A submitted report of Suzhou (uid 1), an open issue (uid 2), a meeting (uid 7)."""
    do(state, SZ, "report", report(uid(1), "2026-11", [line("Z2", 20)]))
    do(state, SZ, "issue", issue(2))
    do(state, BOSS, "meeting", meeting(7, [2]))


def test_roles_per_kind():
    assert set(ROLES) == set(KINDS)
    coordinator_only = {k for k, roles in ROLES.items() if roles == ("coordinator",)}
    assert coordinator_only == {"items", "weights", "review", "escalate", "meeting", "memo"}
    for kind in ("report", "issue", "indicators", "checkup"):
        assert set(ROLES[kind]) == {"editor", "coordinator"}
    for roles in ROLES.values():
        assert not {"observer", "reviewer", "publisher"} & set(roles)


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_allowed_and_refused_per_role(state, kind):
    prepare(state)
    data = sample(state)[kind]
    for reader in READERS:
        refused(state, reader, kind, data, PermissionDenied, match=reader.role)
    actor = SZ if "editor" in ROLES[kind] else BOSS
    if actor is BOSS:
        refused(state, SZ, kind, data, PermissionDenied, match="editor")
    elif kind != "report":  # coordinators write these too (a report needs the item's party)
        do(state.copy(), BOSS, kind, data)
    e = do(state, actor, kind, data)
    assert (e.kind, e.party, e.user, e.version, e.at) == (kind, actor.party, actor.user,
                                                           state.version, AT)


def test_make_event_does_not_change_the_state_and_numbers_versions(state):
    before = state.copy()
    e = make_event(state, SZ, uid(99).upper(), "report",
                   report(uid(1), "2026-11", [line("Z2", 20)]), AT, TODAY)
    assert state == before and e.version == state.version + 1 and e.id == uid(99)
    state.apply(e)
    with pytest.raises(ConflictError):  # the same event id twice
        make_event(state, SZ, uid(99), "issue", issue(3), AT, TODAY)
    with pytest.raises(InvalidInput, match="request id"):
        make_event(state, SZ, "R-1", "issue", issue(3), AT, TODAY)
    with pytest.raises(NotFound):
        check(state, BOSS, "vote", {}, TODAY)


def test_a_party_reports_only_on_items_it_leads_or_joins_every_line(state):
    do(state, SZ, "report", report(uid(1), "2026-11", [line("Z2", 20), line("Z1.strategy.2", 5),
                                                      line("Z4", 50)]))  # leads, joins, joins
    do(state, WX, "report", report(uid(2), "2026-11", [line("Z1", 20)]))
    lines = [line("Z2", 20), line("Z3", 30)]  # Z3 is Ningbo's
    refused(state, SZ, "report", report(uid(3), "2026-11", lines), PermissionDenied,
            match=r"\$\.lines\[1\]\.item")
    refused(state, NB, "report", report(uid(3), "2026-11", [line("Z2", 20)]), PermissionDenied)
    refused(state, BOSS, "report", report(uid(3), "2026-11", [line("Z2", 20)]), PermissionDenied)
    do(state, BOSS, "report", report(uid(3), "2026-11", [line("plan", 2), line("zones", 3)]))
    refused(state, SZ, "report", report(uid(4), "2026-11", [line("Z9", 1)]), NotFound)


def test_a_report_period_may_not_be_after_this_beijing_month(state):
    do(state, SZ, "report", report(uid(1), "2026-12", [line("Z2", 20)]))  # the current month
    do(state, SZ, "report", report(uid(2), "2025-01", [line("Z2", 1)]))  # late is fine
    refused(state, SZ, "report", report(uid(3), "2027-01", [line("Z2", 20)]), InvalidInput,
            match="future")
    e = make_event(state, SZ, uid(4), "report", report(uid(4), "2027-01", [line("Z2", 1)]), AT,
                   dt.date(2027, 1, 1))  # New Year's Day in Beijing
    assert e.data["period"] == "2027-01"


def test_evidence_must_be_known_to_the_server(state):
    att, other = uid(300), uid(301)
    data = report(uid(1), "2026-11", [line("Z2", 20, attachments=[att, other],
                                           changesets=["cs-1"])])
    known = {"attachments": {att, other}, "changesets": {"cs-1"}}
    asked = []

    def server(what, ids):
        asked.append((what, list(ids)))
        return known[what] & set(ids)
    do(state.copy(), SZ, "report", data, known=server)
    assert ("attachments", [att, other]) in asked
    known["attachments"] = {att}  # `other` was uploaded by another party
    refused(state, SZ, "report", data, InvalidInput, match=r"attachments\[1\]", known=server)
    known["attachments"], known["changesets"] = {att, other}, set()
    refused(state, SZ, "report", data, InvalidInput, match="change set cs-1", known=server)
    do(state, SZ, "report", data)  # no server to ask (an offline copy's own check)


def test_review_only_a_submitted_report_and_return_needs_a_note(state):
    prepare(state)
    refused(state, BOSS, "review", {"report": uid(1), "decision": "return"}, InvalidInput,
            match="note")
    do(state, BOSS, "review", {"report": uid(1), "decision": "return", "note": "请补充照片"})
    refused(state, BOSS, "review", {"report": uid(1), "decision": "accept"}, ConflictError)
    refused(state, BOSS, "review", {"report": uid(9), "decision": "accept"}, NotFound)
    do(state, SZ, "report", report(uid(3), "2026-11", [line("Z2", 25)]))
    do(state, BOSS, "review", {"report": uid(3), "decision": "accept"})
    assert state.reports[uid(3)].state == "accepted"


def test_issues_any_party_level_1_coordinators_any_level(state):
    do(state, NB, "issue", {**issue(1, owner="320500"), "item": "Z2"})
    assert state.issues[uid(1)].raised_by == "330200" and state.issues[uid(1)].owner == "320500"
    refused(state, SZ, "issue", issue(2, level=2), PermissionDenied, match="level")
    do(state, BOSS, "issue", issue(2, level=3))
    refused(state, SZ, "issue", {**issue(3), "item": "Z9"}, NotFound)


def test_escalate_refused_at_level_3_and_when_closed(state):
    do(state, SZ, "issue", issue(1))
    do(state, BOSS, "escalate", {"issue": uid(1), "reason": "overdue"})
    do(state, BOSS, "escalate", {"issue": uid(1), "reason": "unresolved"})
    refused(state, BOSS, "escalate", {"issue": uid(1), "reason": "overdue"}, ConflictError)
    do(state, SZ, "issue", issue(2))
    do(state, BOSS, "meeting", meeting(7, [2]))
    do(state, BOSS, "memo", memo(7, [(2, "close")]))
    refused(state, BOSS, "escalate", {"issue": uid(2), "reason": "overdue"}, ConflictError,
            match="closed")


def test_meetings_and_memos(state):
    prepare(state)
    do(state, SZ, "issue", issue(3))
    refused(state, BOSS, "meeting", meeting(8, [2, 4]), NotFound)
    refused(state, BOSS, "memo", memo(7, [(3, "close")]), InvalidInput, match="agenda")
    do(state, BOSS, "memo", memo(7, [(2, "close")]))
    refused(state, BOSS, "memo", memo(7, []), ConflictError, match="memo already")
    refused(state, BOSS, "meeting", meeting(8, [2]), ConflictError, match="closed")


def test_item_parents_must_exist(state):
    orphan = replace(state.items["Z2"], id="Z6", parent="zones-2")
    refused(state, BOSS, "items", items_data([orphan]), InvalidInput, match="parent")
    cycle = replace(state.items["zones"], parent="Z2.strategy.1")
    refused(state, BOSS, "items", items_data([cycle]), InvalidInput, match="ancestor")
    do(state, BOSS, "items", items_data([replace(orphan, parent="zones")]))


def test_indicators_and_checkups_are_the_acting_party_s(state):
    entry = {"indicator_id": "TJ007", "xzqdm": "320500", "year": 2025, "value": 105.0,
             "data_source": "苏州统计年鉴"}
    do(state, SZ, "indicators", {"entries": [entry]})
    do(state, WX, "indicators", {"entries": [{**entry, "xzqdm": "320200"}]})
    assert set(state.indicators) == {("320500", "TJ007", "320500", 2025),
                                     ("320200", "TJ007", "320200", 2025)}
    row = {"year": 2024, "indicator_id": "TJ007", "xzqdm": "320500", "origin": "entered",
           "status": "达标"}
    refused(state, SZ, "checkup", {"year": 2025, "rows": [row]}, InvalidInput, match="2025")
    do(state, SZ, "checkup", {"year": 2024, "rows": [row]})
    assert set(state.checkups) == {("320500", 2024)}


def test_hostile_inputs_are_refused_with_their_path(state):
    nan = json.loads('{"percent": NaN}')["percent"]
    huge = json.loads('{"percent": 1e309}')["percent"]
    for bad in (nan, huge, True, "50", -1):
        refused(state, SZ, "report", report(uid(1), "2026-11", [line("Z2", bad)]), InvalidInput,
                match=r"\$\.lines\[0\]\.percent")
    many = [line(f"Z2.strategy.{n}", 1) for n in range(MAX_LINES + 1)]
    refused(state, SZ, "report", report(uid(1), "2026-11", many), InvalidInput, match="more than")
    refused(state, SZ, "report", [], InvalidInput, match=r"^\$:")
    refused(state, BOSS, "meeting", {**meeting(7, []), "date": "2026-02-30"}, InvalidInput)


def test_chinese_everywhere_goes_through(state):
    text = "吴江区太湖新城（苏州湾）建设推进情况说明——合成示例"
    lines = [line("Z2", 42.5, "at_risk", narrative_zh=text * 20, narrative_en=text,
                  issues=[{"title_zh": text, "title_en": text}], changesets=["变更集甲"])]
    e = do(state, SZ, "report", {**report(uid(1), "2026-11", lines), "author": "王芳（苏州）"})
    assert e.data["lines"][0]["narrative_zh"] == text * 20
    got = next(iter(state.issues.values()))
    assert got.title_zh == text and got.owner == "320500"


def test_check_returns_normalised_data_and_today_defaults_to_beijing(state):
    data = check(state, SZ, "issue", {"issue": uid(1).upper(), "title_zh": "问题",
                                      "owner": "320500", "due": "2027-01-31"}, TODAY)
    assert data["issue"] == uid(1) and data["level"] == 1 and data["item"] is None
    from app.implement.periods import period_of, today_beijing
    this_month = period_of(today_beijing())
    e = make_event(state, SZ, uid(2), "report", report(uid(3), this_month, [line("Z2", 5)]), AT)
    assert e.data["period"] == this_month
