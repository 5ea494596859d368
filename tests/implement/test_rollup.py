"""Roll-up of reported progress over the 1+8+5 tree: weights, planned %, status, reporting."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.content.template import default_template_path
from app.implement import rollup as ru
from app.implement.commands import Actor, make_event
from app.implement.items import items_from_content, items_from_library
from app.implement.model import Item, Milestone
from app.implement.periods import periods_between
from app.implement.state import ImplementState, fold, item_to_json

TODAY = date(2026, 12, 5)
OFFICE = Actor("lin", "office", "coordinator")
NS = uuid.UUID("0b16c0de-0000-4000-8000-000000000016")


def uid(*parts: object) -> str:
    """A stable uuid for a test object (reports, events)."""
    return str(uuid.uuid5(NS, "/".join(map(str, parts))))


class Log:
    """A server log in miniature: commands checked against the state, appended in order."""

    def __init__(self) -> None:
        self.state = ImplementState()
        self.events = []
        self.clock = 0

    def post(self, actor: Actor, kind: str, data: dict, event_id: str | None = None,
             at: str | None = None):
        self.clock += 1
        at = at or f"2026-12-01T00:{self.clock // 60 % 60:02d}:{self.clock % 60:02d}.000Z"
        e = make_event(self.state, actor, event_id or uid("event", kind, self.clock, json.dumps(
            data, sort_keys=True)), kind, data, at, TODAY)
        self.state.apply(e)
        self.events.append(e)
        return e


def template() -> dict:
    return json.loads(default_template_path().read_text(encoding="utf-8"))


LIBRARY = [  # three projects of the library, two with investments (亿元)
    {"XMBH": "P-JT-001", "XMMC": "沪苏湖铁路", "XMLX": "JT", "QTDW": "上海市交通委",
     "SJCS": "310000,320500,330500", "QDNF": 2021, "WCNF": 2024, "TZ": 366.0, "uuid": "a",
     "layer": "XMK_LINE"},
    {"XMBH": "P-JT-004", "XMMC": "通苏嘉甬铁路", "XMLX": "JT", "QTDW": "上海市交通委",
     "SJCS": "320500,320600,330200,330400", "QDNF": 2023, "WCNF": 2028, "TZ": 1200.0,
     "uuid": "b", "layer": "XMK_LINE"},
    {"XMBH": "P-LD-001", "XMMC": "环淀山湖绿道", "XMLX": "LD", "QTDW": "上海市绿化市容局",
     "SJCS": "310000", "uuid": "c", "layer": "XMK_LINE"},
]


def plan_tree() -> list[Item]:
    t = template()
    return items_from_content(t) + items_from_library(LIBRARY, t)


def with_items(items: list[Item] | None = None) -> Log:
    log = Log()
    log.post(OFFICE, "items", {"items": [item_to_json(i) for i in items or plan_tree()]})
    return log


def report(log: Log, party: str, period: str, lines: list[tuple], *, written: str | None = None,
           rid: str | None = None, sent: str | None = None) -> str:
    """A report written at `written` and reaching the server then (or at `sent`)."""
    rid = rid or uid("report", party, period, written, len(log.events))
    data = {"report": rid, "period": period, "author": "张三",
            "written": written or f"{period}-28T02:00:00.000Z",
            "lines": [{"item": i, "percent": p, "status": s} for i, p, s in lines]}
    log.post(Actor("editor-" + party, party, "editor"), "report", data, at=sent or written)
    return rid


def review(log: Log, rid: str, decision: str = "accept", note: str = "") -> None:
    log.post(OFFICE, "review", {"report": rid, "decision": decision,
                                "note": note or ("请补充" if decision == "return" else "")})


def test_unreported_plan_is_all_zero_and_not_started():
    nodes = ru.rollup(with_items().state, as_of="2026-06")
    assert nodes["plan"].percent == 0 and nodes["plan"].status == "not_started"
    assert not nodes["plan"].reported and nodes["plan"].weight == 1.0
    assert nodes["S1"].children[:2] == ("S1.action.1", "S1.action.2")
    assert pytest.approx(sum(nodes[c].weight for c in nodes["S1"].children)) == 1.0


def test_equal_weights_roll_a_leaf_up_to_the_plan():
    log = with_items()
    rid = report(log, "310000-JTW", "2026-03", [("S1.action.1", 80, "on_track"),
                                                ("S1.action.2", 40, "delayed")])
    review(log, rid)
    nodes = ru.rollup(log.state, as_of="2026-03")
    s1 = nodes["S1"]
    kids = len(s1.children)  # 4 actions and 2 library projects
    assert s1.percent == pytest.approx((80 + 40) / kids)
    assert s1.status == "delayed" and s1.period == "2026-03" and s1.reported
    systems = nodes["systems"]
    assert systems.percent == pytest.approx(s1.percent / 8)
    assert nodes["plan"].percent == pytest.approx(systems.percent / 2)
    assert nodes["plan"].status == "delayed"
    assert nodes["S1.action.1"].reported and not nodes["S1.action.3"].reported


def test_only_accepted_reports_count_unless_asked():
    log = with_items()
    rid = report(log, "320200", "2026-04", [("Z1.strategy.1", 30, "at_risk")])
    assert ru.rollup(log.state, as_of="2026-04")["Z1.strategy.1"].percent == 0
    loose = ru.rollup(log.state, as_of="2026-04", accepted_only=False)["Z1.strategy.1"]
    assert (loose.percent, loose.status, loose.reported) == (30, "at_risk", True)
    review(log, rid, "return")
    assert not ru.rollup(log.state, accepted_only=False)["Z1.strategy.1"].reported


def test_latest_accepted_line_wins_by_period_then_written_and_as_of_cuts():
    log = with_items()
    # a participant city and the lead both report on the same strategy
    a = report(log, "320500", "2026-05", [("Z1.strategy.1", 50, "on_track")])
    b = report(log, "320200", "2026-05", [("Z1.strategy.1", 45, "at_risk")],
               written="2026-06-02T01:00:00.000Z")
    c = report(log, "320200", "2026-04", [("Z1.strategy.1", 35, "on_track")],
               written="2026-06-03T01:00:00.000Z")
    for rid in (c, b, a):
        review(log, rid)
    nodes = ru.rollup(log.state, as_of="2026-05")
    assert (nodes["Z1.strategy.1"].percent, nodes["Z1.strategy.1"].status) == (45, "at_risk")
    assert ru.rollup(log.state, as_of="2026-04")["Z1.strategy.1"].percent == 35
    assert ru.rollup(log.state, as_of="2026-03")["Z1.strategy.1"].reported is False


def test_investment_weights_use_descendants_and_the_mean_for_unknown():
    log = with_items()
    log.post(OFFICE, "weights", {"node": "S1", "method": "investment", "weights": {}})
    rid = report(log, "310000-JTW", "2026-06", [("XM:P-JT-004", 50, "on_track"),
                                                ("S1.action.1", 100, "completed")])
    review(log, rid)
    weights = ru.child_weights(log.state, "S1")
    mean = (366.0 + 1200.0) / 2
    assert weights["XM:P-JT-004"] == 1200.0 and weights["S1.action.1"] == mean
    total = 366.0 + 1200.0 + 4 * mean
    s1 = ru.rollup(log.state, as_of="2026-06")["S1"]
    assert s1.percent == pytest.approx((50 * 1200 + 100 * mean) / total)
    # a parent's investment is the sum of its children's: systems weighs S1 by 1566, others mean
    log.post(OFFICE, "weights", {"node": "systems", "method": "investment", "weights": {}})
    assert ru.child_weights(log.state, "systems")["S1"] == pytest.approx(1566.0)
    # nothing known anywhere: equal
    log.post(OFFICE, "weights", {"node": "Z1", "method": "investment", "weights": {}})
    assert set(ru.child_weights(log.state, "Z1").values()) == {1.0}


def test_custom_weights_default_to_one_and_all_zero_falls_back_to_equal():
    log = with_items()
    log.post(OFFICE, "weights", {"node": "Z2", "method": "custom",
                                 "weights": {"Z2.strategy.1": 3, "Z2.strategy.2": 0}})
    rid = report(log, "320500", "2026-06", [("Z2.strategy.1", 60, "on_track"),
                                            ("Z2.strategy.2", 100, "completed")])
    review(log, rid)
    nodes = ru.rollup(log.state, as_of="2026-06")
    assert nodes["Z2.strategy.1"].weight == pytest.approx(3 / 5)
    assert nodes["Z2.strategy.2"].weight == 0
    assert nodes["Z2"].percent == pytest.approx(60 * 3 / 5)
    log.post(OFFICE, "weights", {"node": "Z2", "method": "custom",
                                 "weights": dict.fromkeys(nodes["Z2"].children, 0)})
    assert ru.rollup(log.state, as_of="2026-06")["Z2"].percent == pytest.approx(160 / 4)


def test_planned_percent_is_linear_over_the_years():
    item = Item("x", "project", "S1", "x", start_year=2025, finish_year=2026)
    assert ru.planned_percent(item, "2024-12") == 0
    assert ru.planned_percent(item, "2025-01") == pytest.approx(100 / 24)
    assert ru.planned_percent(item, "2025-12") == pytest.approx(50)
    assert ru.planned_percent(item, "2026-12") == 100 and ru.planned_percent(item, "2030-01") == 100
    assert ru.planned_percent(replace(item, start_year=None), "2026-01") is None


def test_planned_percent_follows_milestones():
    item = Item("x", "project", "S1", "x", start_year=2025, finish_year=2026, milestones=(
        Milestone("m2", "竣工", due="2026-06"), Milestone("m1", "开工", due="2025-03")))
    assert ru.planned_percent(item, "2025-03") == pytest.approx(50)  # first of two by due
    assert ru.planned_percent(item, "2025-02") == pytest.approx(100 / 3)
    assert ru.planned_percent(item, "2026-06") == 100
    early = replace(item, milestones=(Milestone("m1", "开工", due="2025-06"),))
    assert ru.planned_percent(early, "2025-06") == pytest.approx(100)
    late = replace(item, milestones=(Milestone("m1", "一半", due="2025-12"),
                                     Milestone("m2", "多余"),))  # no due: ignored
    assert ru.planned_percent(late, "2026-06") == pytest.approx(100)
    assert ru.planned_percent(late, "2025-06") == pytest.approx(50)


def test_parent_status_is_the_worst_of_its_children():
    assert ru._worst(["completed", "on_track", "not_started"]) == "on_track"
    assert ru._worst(["completed", "completed"]) == "completed"
    assert ru._worst(["completed", "not_started"]) == "not_started"
    assert ru._worst(["on_track", "suspended", "at_risk"]) == "at_risk"
    assert ru._worst([]) == "not_started"


def test_behind_lists_items_far_behind_plan():
    items = [i for i in plan_tree()]
    log = with_items(items)
    rid = report(log, "310000-JTW", "2026-10", [("XM:P-JT-001", 60, "delayed"),
                                                ("XM:P-JT-004", 60, "on_track")])
    review(log, rid)
    late = ru.behind(log.state, "2026-10")
    assert ("XM:P-JT-001", 60, 100.0) == late[0]  # due to finish in 2024
    assert all(planned - percent > 15 for _, percent, planned in late)
    assert "XM:P-JT-004" not in {i for i, _, _ in late}  # 60 of a planned 57.1


def test_timeline_of_a_leaf_and_of_a_parent():
    log = with_items()
    first = report(log, "310000-SWJ", "2026-01", [("S2.action.1", 10, "on_track")])
    second = report(log, "310000-SWJ", "2026-02", [("S2.action.1", 20, "at_risk")])
    returned = report(log, "310000-SWJ", "2026-03", [("S2.action.1", 99, "on_track")])
    review(log, first)
    review(log, second)
    review(log, returned, "return")
    points = ru.timeline(log.state, "S2.action.1")
    assert [(p.period, p.percent, p.status, p.state) for p in points] == [
        ("2026-01", 10, "on_track", "accepted"), ("2026-02", 20, "at_risk", "accepted")]
    assert points[0].report == first and points[0].party == "310000-SWJ"
    up = ru.timeline(log.state, "S2")
    assert [(p.period, p.state) for p in up] == [("2026-01", "rollup"), ("2026-02", "rollup")]
    assert up[1].percent == pytest.approx(20 / 4) and up[1].status == "at_risk"
    assert ru.timeline(log.state, "nope") == []


def test_reporting_flags_on_time_late_missing_returned_pending():
    log = with_items()
    z1 = ["320200", "320500", "320400", "330500"]
    on_time = report(log, z1[0], "2026-10", [("Z1.strategy.1", 10, "on_track")],
                     written="2026-11-10T15:00:00.000Z")  # 23:00 on the 10th in Beijing
    late = report(log, z1[1], "2026-10", [("Z1.strategy.1", 10, "on_track")],
                  written="2026-11-10T16:30:00.000Z")  # 00:30 on the 11th in Beijing
    returned = report(log, z1[2], "2026-10", [("Z1.strategy.2", 10, "on_track")])
    report(log, z1[3], "2026-10", [("Z1.strategy.2", 10, "on_track")])  # pending
    for rid in (on_time, late):
        review(log, rid)
    review(log, returned, "return")
    rows = {r.party: r for r in ru.reporting(log.state, "2026-10", TODAY)}
    assert [rows[p].state for p in z1] == ["on_time", "late", "returned", "pending"]
    assert rows[z1[0]].report == on_time and rows[z1[0]].submitted == "2026-11-10T15:00:00.000Z"
    assert rows["310000-JTW"].state == "missing" and rows["310000-JTW"].report is None
    assert "office" not in rows  # the office leads only rolled-up parents
    # November's reports are due on 10 December: not due yet on the 5th
    assert {r.state for r in ru.reporting(log.state, "2026-11", TODAY)} == {"not_due"}


def test_resubmitted_after_return_counts_from_the_first_submission():
    log = with_items()
    first = report(log, "330900", "2026-10", [("Z5.strategy.1", 10, "on_track")],
                   written="2026-11-05T01:00:00.000Z")
    review(log, first, "return", "数据不全")
    again = report(log, "330900", "2026-10", [("Z5.strategy.1", 12, "on_track")],
                   written="2026-11-20T01:00:00.000Z")
    row = next(r for r in ru.reporting(log.state, "2026-10", TODAY) if r.party == "330900")
    assert (row.state, row.report) == ("pending", again)
    review(log, again)
    row = next(r for r in ru.reporting(log.state, "2026-10", TODAY) if r.party == "330900")
    assert (row.state, row.report) == ("on_time", again)


def test_fold_of_the_log_gives_the_same_rollup():
    log = with_items()
    rid = report(log, "310000-JTW", "2026-03", [("S1.action.1", 80, "on_track")])
    review(log, rid)
    assert ru.rollup(fold(log.events), as_of="2026-03") == ru.rollup(log.state, as_of="2026-03")


def test_the_server_time_decides_punctuality_not_the_copy_clock():
    log = with_items()
    # written on time offline (9 November, Beijing) but reached the server on 12 November
    late = report(log, "330900", "2026-10", [("Z5.strategy.1", 10, "on_track")],
                  written="2026-11-09T01:00:00.000Z", sent="2026-11-12T01:00:00.000Z")
    # a copy whose clock is set back does not make a late report on time either
    backdated = report(log, "330200", "2026-10", [("Z3.strategy.1", 10, "on_track")],
                       written="2026-10-01T01:00:00.000Z", sent="2026-11-20T01:00:00.000Z")
    for rid in (late, backdated):
        review(log, rid)
    rows = {r.party: r for r in ru.reporting(log.state, "2026-10", TODAY)}
    assert (rows["330900"].state, rows["330900"].submitted) == ("late", "2026-11-12T01:00:00.000Z")
    assert rows["330200"].state == "late"


@settings(derandomize=True, database=None, max_examples=60, deadline=None)
@given(st.integers(2020, 2030), st.integers(0, 8),
       st.lists(st.tuples(st.integers(2018, 2040), st.integers(1, 12)), max_size=5))
def test_planned_percent_never_falls_and_ends_at_100(start, years, dues):
    milestones = tuple(Milestone(f"m{n}", f"节点{n}", due=f"{y}-{m:02d}")
                       for n, (y, m) in enumerate(dues))
    item = Item("x", "project", "S1", "x", start_year=start, finish_year=start + years,
                milestones=milestones)
    months = periods_between(f"{start - 1}-01", f"{max(start + years, 2040) + 1}-12")
    values = [ru.planned_percent(item, p) for p in months]
    assert all(0 <= v <= 100 for v in values)
    assert all(a <= b for a, b in zip(values, values[1:], strict=False))
    assert values[0] == 0 and values[-1] == 100
