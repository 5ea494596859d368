"""The implementation state: fold order, all-or-nothing apply, the item tree, reports and
superseding, issues raised in reports, reviews and milestones, escalation, meetings and memos."""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import replace
from functools import cache

import pytest

from app.errors import ConflictError, InvalidInput, NotFound
from app.implement.events import Event, parse_data
from app.implement.items import items_from_content
from app.implement.model import Milestone
from app.implement.state import (
    ISSUE_NAMESPACE,
    ImplementState,
    fold,
    issue_id,
    item_to_json,
    natural_key,
    report_due,
)
from app.paths import schemas_dir

AT = "2026-12-05T13:45:00.000Z"


@cache
def plan_items() -> tuple:
    """The 1+8+5's tracked items; S1.action.1 gets two milestones."""
    template = json.loads((schemas_dir() / "content" / "metro-1-8-5.json").read_text("utf-8"))
    items = items_from_content(template)
    return tuple(replace(i, milestones=(Milestone("m1", "完成前期研究", "Studies", "2026-06"),
                                        Milestone("m2", "开工建设", "Works", "2027-12")))
                 if i.id == "S1.action.1" else i for i in items)


def uid(n: int) -> str:
    return str(uuid.UUID(int=n))


class Log:
    """Events in the order a server gives them (version 1, 2, 3 …)."""

    def __init__(self):
        self.events: list[Event] = []

    def add(self, kind: str, data: dict, party: str = "office", user: str = "boss") -> Event:
        e = Event(uid(10_000 + len(self.events)), len(self.events) + 1, kind, party, user, AT,
                  parse_data(kind, data))
        self.events.append(e)
        return e


def items_data(items=None) -> dict:
    return {"items": [item_to_json(i) for i in (items or plan_items())]}


def report(rid: str, period: str, lines: list[dict], written: str = AT) -> dict:
    return {"report": rid, "period": period, "written": written, "author": "测试填报人",
            "lines": lines}


def line(item: str, percent: float, status: str = "on_track", **more) -> dict:
    return {"item": item, "percent": percent, "status": status, **more}


def issue(n: int, level: int = 1, owner: str = "320500") -> dict:
    return {"issue": uid(n), "title_zh": f"问题{n}", "owner": owner, "due": "2027-01-31",
            "level": level}


def ev(state: ImplementState, kind: str, data: dict, party: str = "office", n: int = 0) -> Event:
    return Event(uid(50_000 + state.version + n), state.version + 1, kind, party, "user", AT,
                 parse_data(kind, data))


@pytest.fixture(scope="module")
def base_events() -> list[Event]:
    log = Log()
    log.add("items", items_data())
    return log.events


@pytest.fixture
def state(base_events) -> ImplementState:
    return fold(base_events)


def unchanged(state: ImplementState, e: Event, error: type) -> None:
    """Applying `e` fails with `error` and leaves `state` exactly as it was."""
    before = state.copy()
    with pytest.raises(error):
        state.apply(e)
    assert state == before


def test_items_fold_into_a_tree_in_natural_order(state):
    assert len(state.items) == len(plan_items()) and state.version == 1
    assert [c.id for c in state.children("plan")] == ["systems", "zones"]
    assert [c.id for c in state.children("systems")] == [f"S{i}" for i in range(1, 9)]
    more = [replace(state.items["S1.action.1"], id=f"S1.action.{n}", milestones=())
            for n in (10, 11)] + [replace(state.items["S8"], id="S10")]
    state.apply(ev(state, "items", items_data(more)))
    assert [c.id for c in state.children("S1")] == [f"S1.action.{n}" for n in (1, 2, 3, 4, 10, 11)]
    assert [c.id for c in state.children("systems")][-3:] == ["S7", "S8", "S10"]
    assert sorted(["S10", "S2", "S1.action.10", "S1.action.2", "S1"], key=natural_key) == \
        ["S1", "S1.action.2", "S1.action.10", "S2", "S10"]


def test_items_of_a_party_lead_or_participant(state):
    suzhou = [i.id for i in state.items_of("320500")]
    assert "Z2" in suzhou and "Z1.strategy.4" in suzhou and "Z4" in suzhou
    assert "S1" not in suzhou
    assert [i.id for i in state.items_of("310000-JTW")] == ["S1"] + \
        [f"S1.action.{n}" for n in range(1, 5)]
    assert state.items_of("nobody") == []
    assert state.ancestors("Z1.strategy.2") == ["Z1", "zones", "plan"]


def test_item_parent_must_exist_or_come_earlier_in_the_same_event(state):
    a = replace(state.items["S1"], id="S9", title_zh="新系统")
    b = replace(state.items["S1.action.1"], id="S9.action.1", parent="S9", milestones=())
    state.apply(ev(state, "items", items_data([a, b])))
    assert state.items["S9.action.1"].parent == "S9"
    c = replace(b, id="S11.action.1", parent="S11")
    d = replace(a, id="S11")
    unchanged(state, ev(state, "items", items_data([c, d])), InvalidInput)
    unchanged(state, ev(state, "items", items_data([replace(a, parent="nowhere")])), InvalidInput)


def test_an_item_cannot_become_its_own_ancestor(state):
    moved = replace(state.items["S1"], parent="S1.action.1")
    with pytest.raises(InvalidInput, match="its own ancestor"):
        state.apply(ev(state, "items", items_data([moved])))
    plan = replace(state.items["systems"], parent="Z1.strategy.1")
    zones = replace(state.items["zones"], parent="systems")
    unchanged(state, ev(state, "items", items_data([plan, zones])), InvalidInput)
    assert state.items["S1"].parent == "systems"


def test_items_upsert_replaces_whole(state):
    new = replace(state.items["Z2"], title_zh="苏州—湖州（更名）", participants=("330500",))
    state.apply(ev(state, "items", items_data([new])))
    assert state.items["Z2"] == new
    assert "Z2" not in [i.id for i in state.items_of("330400")]


def test_a_report_makes_issues_with_deterministic_ids(state):
    rid = uid(1)
    data = report(rid, "2026-11", [line("Z2", 30), line("Z2.strategy.1", 50, "at_risk", issues=[
        {"title_zh": "用地指标不足"}, {"title_zh": "资金缺口", "title_en": "Funding gap"}])])
    state.apply(ev(state, "report", data, "320500"))
    r = state.reports[rid]
    assert (r.party, r.period, r.state, r.version, r.author) == ("320500", "2026-11", "submitted",
                                                                 2, "测试填报人")
    assert r.lines[1].issues[0] == {"title_zh": "用地指标不足", "title_en": ""}
    first, second = issue_id(rid, 1, 0), issue_id(rid, 1, 1)
    assert first == str(uuid.uuid5(ISSUE_NAMESPACE, f"{rid}/1/0"))
    got = state.issues[second]
    assert (got.title_en, got.owner, got.raised_by, got.level, got.state, got.item) == \
        ("Funding gap", "320500", "320500", 1, "open", "Z2.strategy.1")
    assert got.due == "2027-01-09"  # the report's due date (2026-12-10) + 30 days
    assert got.source == {"kind": "report", "ref": rid}
    assert [s.action for s in got.history] == ["opened"]
    # Every copy makes the same ids.
    assert fold([*state_events(state, data)]).issues.keys() == state.issues.keys()


def state_events(state, data) -> list[Event]:
    log = Log()
    log.add("items", items_data())
    log.add("report", data, "320500")
    return log.events


def test_report_due_and_year_end():
    assert report_due("2026-11").isoformat() == "2026-12-10"
    assert report_due("2026-12").isoformat() == "2027-01-10"


def test_a_later_report_supersedes_submitted_ones_of_the_same_party_and_period(state):
    for n, (party, period) in enumerate([("320500", "2026-10"), ("320500", "2026-11"),
                                         ("320200", "2026-11")], 1):
        state.apply(ev(state, "report", report(uid(n), period, [line("Z1", 10 * n)]), party))
    state.apply(ev(state, "review", {"report": uid(1), "decision": "accept"}))
    state.apply(ev(state, "report", report(uid(4), "2026-11", [line("Z2", 60)]), "320500"))
    state.apply(ev(state, "report", report(uid(5), "2026-10", [line("Z2", 20)]), "320500"))
    states = {r.id: r.state for r in state.reports.values()}
    assert states == {uid(1): "accepted", uid(2): "superseded", uid(3): "submitted",
                      uid(4): "submitted", uid(5): "submitted"}
    assert [r.id for r in state.reports_of("320500")] == [uid(1), uid(5), uid(2), uid(4)]
    assert [r.id for r in state.reports_of(period="2026-11")] == [uid(2), uid(3), uid(4)]
    assert [r.id for r in state.reports_of("320200", "2026-11")] == [uid(3)]


def test_reports_are_refused_on_unknown_items_and_repeated_ids(state):
    unchanged(state, ev(state, "report", report(uid(1), "2026-11", [line("Z9", 1)]), "320500"),
              NotFound)
    state.apply(ev(state, "report", report(uid(1), "2026-11", [line("Z2", 1)]), "320500"))
    unchanged(state, ev(state, "report", report(uid(1), "2026-11", [line("Z2", 2)]), "320500"),
              ConflictError)
    bad = [line("S1.action.1", 5, milestones_done=["m9"])]
    unchanged(state, ev(state, "report", report(uid(2), "2026-11", bad), "310000-JTW"),
              InvalidInput)


def test_review_accepts_or_returns_only_a_submitted_report(state):
    state.apply(ev(state, "report", report(uid(1), "2026-11", [line("Z2", 40)]), "320500"))
    state.apply(ev(state, "review", {"report": uid(1), "decision": "return",
                                     "note": "请补充佐证材料"}))
    r = state.reports[uid(1)]
    assert (r.state, r.note, r.decided_by, r.decided_at) == ("returned", "请补充佐证材料",
                                                              "user", AT)
    unchanged(state, ev(state, "review", {"report": uid(1), "decision": "accept"}), ConflictError)
    unchanged(state, ev(state, "review", {"report": uid(2), "decision": "accept"}), NotFound)


def test_milestones_are_done_when_the_report_is_accepted(state):
    lines = [line("S1.action.1", 30, milestones_done=["m1"])]
    state.apply(ev(state, "report", report(uid(1), "2026-10", lines), "310000-JTW"))
    assert all(m.done is None for m in state.items["S1.action.1"].milestones)
    state.apply(ev(state, "report", report(uid(2), "2026-11", lines), "310000-JTW"))
    state.apply(ev(state, "review", {"report": uid(2), "decision": "accept"}))
    assert [m.done for m in state.items["S1.action.1"].milestones] == ["2026-11", None]
    state.apply(ev(state, "review", {"report": uid(1), "decision": "accept"}))
    assert [m.done for m in state.items["S1.action.1"].milestones] == ["2026-10", None]
    # Registering the items again keeps what reports marked done.
    state.apply(ev(state, "items", items_data()))
    assert [m.done for m in state.items["S1.action.1"].milestones] == ["2026-10", None]


def test_a_returned_report_marks_no_milestone(state):
    lines = [line("S1.action.1", 30, milestones_done=["m1", "m2"])]
    state.apply(ev(state, "report", report(uid(1), "2026-11", lines), "310000-JTW"))
    state.apply(ev(state, "review", {"report": uid(1), "decision": "return", "note": "不实"}))
    assert all(m.done is None for m in state.items["S1.action.1"].milestones)


def test_escalation_up_to_level_3_then_refused_with_history(state):
    state.apply(ev(state, "issue", issue(1), "320500"))
    for reason in ("overdue", "仍未解决"):
        state.apply(ev(state, "escalate", {"issue": uid(1), "reason": reason}))
    got = state.issues[uid(1)]
    assert got.level == 3 and got.raised_by == "320500"
    assert [(s.action, s.level, s.note) for s in got.history] == [
        ("opened", 1, ""), ("escalated", 2, "overdue"), ("escalated", 3, "仍未解决")]
    unchanged(state, ev(state, "escalate", {"issue": uid(1), "reason": "overdue"}), ConflictError)
    unchanged(state, ev(state, "escalate", {"issue": uid(2), "reason": "overdue"}), NotFound)
    unchanged(state, ev(state, "issue", issue(1)), ConflictError)


def meeting(n: int, agenda: list[int], level: int = 2) -> dict:
    return {"meeting": uid(n), "level": level, "date": "2026-12-15", "title_zh": "十二月部门销项会",
            "attendees": ["office", "320500"], "agenda": [uid(i) for i in agenda]}


def memo(n: int, decisions: list[tuple[int, str]], due: str | None = None) -> dict:
    return {"meeting": uid(n), "number": "沪都办纪〔2026〕12号", "text_zh": "会议纪要正文",
            "decisions": [{"issue": uid(i), "action": a, "note": f"决定{i}", "due": due}
                          for i, a in decisions]}


def test_a_memo_closes_escalates_and_keeps_issues(state):
    for n in (1, 2, 3, 4):
        state.apply(ev(state, "issue", issue(n, level=3 if n == 4 else 1)))
    state.apply(ev(state, "meeting", meeting(7, [1, 2, 3, 4])))
    state.apply(ev(state, "memo", memo(7, [(1, "close"), (2, "escalate"), (3, "keep")],
                                       due="2027-03-31")))
    one, two, three, four = (state.issues[uid(n)] for n in (1, 2, 3, 4))
    assert (one.state, one.due) == ("closed", "2027-01-31")
    assert (two.state, two.level, two.due) == ("open", 2, "2027-03-31")
    assert (three.state, three.level, three.due) == ("open", 1, "2027-03-31")
    assert four.history[-1].action == "opened"
    step = one.history[-1]
    assert (step.action, step.meeting, step.memo, step.note) == ("closed", uid(7),
                                                                  "沪都办纪〔2026〕12号", "决定1")
    assert three.history[-1].action == "kept"
    held = state.meetings[uid(7)]
    assert held.memo.number == "沪都办纪〔2026〕12号" and len(held.memo.decisions) == 3
    unchanged(state, ev(state, "memo", memo(7, [])), ConflictError)  # once per meeting
    unchanged(state, ev(state, "meeting", meeting(7, [])), ConflictError)


def test_a_memo_is_all_or_nothing(state):
    for n in (1, 2):
        state.apply(ev(state, "issue", issue(n, level=n + 1)))
    state.apply(ev(state, "issue", issue(3)))
    state.apply(ev(state, "meeting", meeting(7, [1, 2])))
    # The first decision would close issue 1; the second escalates a level-3 issue: refused whole.
    unchanged(state, ev(state, "memo", memo(7, [(1, "close"), (2, "escalate")])), ConflictError)
    unchanged(state, ev(state, "memo", memo(7, [(1, "close"), (3, "close")])), InvalidInput)
    unchanged(state, ev(state, "memo", memo(8, [(1, "close")])), NotFound)
    assert state.issues[uid(1)].state == "open" and state.meetings[uid(7)].memo is None


def test_meeting_agendas_hold_open_issues_only(state):
    state.apply(ev(state, "issue", issue(1)))
    state.apply(ev(state, "meeting", meeting(7, [1])))
    state.apply(ev(state, "memo", memo(7, [(1, "close")])))
    unchanged(state, ev(state, "meeting", meeting(8, [1])), ConflictError)
    unchanged(state, ev(state, "meeting", meeting(8, [2])), NotFound)
    state.apply(ev(state, "meeting", meeting(8, [])))
    state.apply(ev(state, "meeting", {**meeting(8, []), "date": "2026-12-20"}))  # re-planned
    assert state.meetings[uid(8)].date == "2026-12-20"
    unchanged(state, ev(state, "escalate", {"issue": uid(1), "reason": "overdue"}), ConflictError)


def test_weights_name_an_item_and_its_children(state):
    data = {"node": "Z1", "method": "custom", "weights": {"Z1.strategy.1": 3, "Z1.strategy.2": 0}}
    state.apply(ev(state, "weights", data))
    assert state.weights["Z1"].weights == {"Z1.strategy.1": 3.0, "Z1.strategy.2": 0.0}
    unchanged(state, ev(state, "weights", {**data, "weights": {"Z2.strategy.1": 1}}), InvalidInput)
    unchanged(state, ev(state, "weights", {"node": "Z9", "method": "equal"}), NotFound)


def test_indicator_entries_and_checkups_are_keyed_by_the_acting_party(state):
    entry = {"indicator_id": "TJ007", "xzqdm": "320500", "year": 2025, "value": 120.0,
             "data_source": "统计年鉴 2025"}
    state.apply(ev(state, "indicators", {"entries": [entry]}, "320500"))
    state.apply(ev(state, "indicators", {"entries": [{**entry, "value": 118.0}]}, "320500"))
    state.apply(ev(state, "indicators", {"entries": [entry]}, "320200"))
    assert state.indicators[("320500", "TJ007", "320500", 2025)]["value"] == 118.0
    assert len(state.indicators) == 2
    row = {"year": 2025, "indicator_id": "TJ007", "xzqdm": "320500", "value": 118.0,
           "origin": "entered", "status": "未达标"}
    state.apply(ev(state, "checkup", {"year": 2025, "rows": [row]}, "320500"))
    state.apply(ev(state, "checkup", {"year": 2025, "rows": []}, "320500"))
    assert state.checkups[("320500", 2025)]["rows"] == [] and len(state.checkups) == 1


PERIODS = ["2025-12"] + [f"2026-{m:02d}" for m in range(1, 12)]


@cache
def history() -> tuple[Event, ...]:
    """A realistic year: the 1+8+5's items, every party's monthly report on every item it leads
    or joins (some returned and sent again), issues raised in reports, escalations, a monthly
    meeting per level with its memo, indicator entries. Built against a running state so every
    event is valid; issue 1 is raised by hand, escalated, then closed by the last memo."""
    log, rng, n = Log(), random.Random(16), 100
    running = ImplementState()

    def add(kind: str, data: dict, party: str = "office") -> None:
        running.apply(log.add(kind, data, party))
    add("items", items_data())
    parties = sorted({p for i in running.items.values() for p in i.parties()})
    for period in PERIODS:
        for party in parties:
            n += 1
            lines = [line(i.id, rng.randint(0, 100), rng.choice(["on_track", "delayed"]),
                          issues=[{"title_zh": f"{i.title_zh}：问题"}] if rng.random() < 0.05
                          else []) for i in running.items_of(party)]
            add("report", report(uid(n), period, lines), party)
            back = rng.random() < 0.08
            add("review", {"report": uid(n), "decision": "return" if back else "accept",
                           "note": "请补充佐证" if back else ""})
        for level in (1, 2, 3):
            open_ = [i.id for i in running.issues.values() if i.state == "open"
                     and i.level == level][:6]
            n += 1
            add("meeting", {**meeting(n, []), "level": level, "agenda": open_})
            add("memo", {**memo(n, []), "decisions": [
                {"issue": i, "action": rng.choice(["close", "keep"] + ["escalate"] * (level < 3))}
                for i in open_]})
    add("issue", issue(1), "320500")
    add("escalate", {"issue": uid(1), "reason": "overdue"})
    add("meeting", meeting(7, [1]))
    add("memo", memo(7, [(1, "close")]))
    add("indicators", {"entries": [{"indicator_id": "TJ007", "xzqdm": "320500",
                                    "year": 2025, "value": 1.5}]}, "320500")
    return tuple(log.events)


def test_fold_is_the_same_whatever_the_order_and_repeats():
    events = list(history())
    expected = fold(events)
    assert expected.version == len(events) and len(expected.reports) > 200
    assert expected.issues[uid(1)].state == "closed" and len(expected.issues) > 20
    assert {r.state for r in expected.reports.values()} == {"accepted", "returned"}
    assert {s.action for i in expected.issues.values() for s in i.history} == {
        "opened", "escalated", "kept", "closed"}
    rng = random.Random(7)
    for _ in range(5):
        shuffled = events + rng.sample(events, 5)  # repeats are dropped
        rng.shuffle(shuffled)
        assert fold(shuffled) == expected


def test_fold_skips_an_event_the_state_refuses(caplog):
    events = list(history())
    bad = Event(uid(999), len(events) + 1, "escalate", "office", "boss", AT,
                {"issue": uid(1), "reason": "overdue"})  # issue 1 was closed
    after = fold([*events, bad])
    assert after.version == len(events) + 1 and after.issues[uid(1)].state == "closed"
    assert "skipped" in caplog.text


def test_a_failed_apply_leaves_the_state_unchanged_for_every_kind(state):
    state.apply(ev(state, "report", report(uid(1), "2026-11", [line("Z2", 40)]), "320500"))
    state.apply(ev(state, "issue", issue(1, level=3)))
    bad = [("items", items_data([replace(state.items["S1"], parent="S1.action.3")])),
           ("weights", {"node": "nowhere", "method": "equal"}),
           ("report", report(uid(2), "2026-11", [line("Z2", 1), line("nowhere", 1)])),
           ("review", {"report": uid(3), "decision": "accept"}),
           ("issue", issue(1)), ("escalate", {"issue": uid(1), "reason": "x"}),
           ("meeting", meeting(7, [1, 2])), ("memo", memo(7, []))]
    for kind, data in bad:
        unchanged(state, ev(state, kind, data, "320500"), (InvalidInput, NotFound, ConflictError))
    first = ev(state, "issue", issue(5))
    state.apply(first)
    unchanged(state, first, ConflictError)  # the same event twice


def test_events_made_by_hand_without_defaults_fold_like_parsed_ones(state):
    raw = {"issue": uid(1), "title_zh": "手写问题", "owner": "320500", "due": "2027-01-31"}
    e = Event(uid(70_000), state.version + 1, "issue", "320500", "sz", AT, raw)
    state.apply(e)
    got = state.issues[uid(1)]
    assert (got.level, got.source, got.item) == (1, {"kind": "manual", "ref": ""}, None)
    bad = Event(uid(70_001), state.version + 1, "report", "320500", "sz", AT,
                report(uid(2), "2026-11", [line("Z2", float("nan"))]))
    unchanged(state, bad, InvalidInput)
    assert fold([*state_events(state, report(uid(3), "2026-11", [line("Z2", 1)])), bad]) \
        .reports.keys() == {uid(3)}
