"""The issue list: overdue, escalations, agendas, and issues from conflict-check results."""

from __future__ import annotations

import shutil
from datetime import date

from shapely.geometry import Point

from app.analysis.engine import Conflict
from app.analysis.lifecycle import Status, StatusReport, Tracked
from app.implement import issues as iss
from app.implement.commands import Actor, make_event
from app.implement.events import parse_data
from app.implement.state import ImplementState
from app.project.features import iter_features
from app.project.project import Project
from tests.implement.test_rollup import OFFICE, uid, with_items

SZ = Actor("sz", "320500", "editor")


def raise_issue(log, n: int, due: str, *, level: int = 1, actor: Actor = SZ,
                at: str | None = None) -> str:
    iid = uid("issue", n)
    data = {"issue": iid, "title_zh": f"问题{n}", "title_en": f"Issue {n}", "owner": actor.party,
            "due": due, "level": level, "item": "Z2.strategy.1",
            "source": {"kind": "manual", "ref": ""}}
    if at is None:
        log.post(actor, "issue", data)
    else:  # an issue raised at a given server time
        e = make_event(log.state, actor, uid("event", iid), "issue", data, at, date(2026, 12, 5))
        log.state.apply(e)
    return iid


def test_overdue_and_due_escalations():
    log = with_items()
    late = raise_issue(log, 1, "2026-11-01")
    on_day = raise_issue(log, 2, "2026-12-05")
    top = raise_issue(log, 3, "2026-10-01", level=3, actor=OFFICE)
    later = raise_issue(log, 4, "2027-01-01")
    today = date(2026, 12, 5)
    assert [i.id for i in iss.overdue(log.state, today)] == [top, late]
    assert iss.due_escalations(log.state, today) == [(late, "overdue")]
    assert {on_day, later}.isdisjoint(i.id for i in iss.overdue(log.state, today))
    # escalated after its due date passed: not again for the same lapse
    log.post(OFFICE, "escalate", {"issue": late, "reason": "overdue"})
    assert log.state.issues[late].level == 2
    assert iss.due_escalations(log.state, today) == []


def test_agenda_is_open_issues_of_the_level_by_due_date():
    log = with_items()
    b = raise_issue(log, 1, "2026-12-20")
    a = raise_issue(log, 2, "2026-12-10")
    raise_issue(log, 3, "2026-12-01", level=2, actor=OFFICE)
    raise_issue(log, 4, "2026-12-01", at="2026-12-20T01:00:00.000Z")  # raised after the day
    assert iss.agenda_for(log.state, 1, date(2026, 12, 15)) == [a, b]
    assert len(iss.agenda_for(log.state, 2, date(2026, 12, 15))) == 1
    assert iss.agenda_for(ImplementState(), 1, date(2026, 12, 15)) == []


def conflict(rule: str, a: str, b: str, owners: tuple[str, ...], labels=("", "")) -> Conflict:
    return Conflict(f"{rule}/{a}/{b}", rule, "overlay", "error", ("XMK_LINE", "STBHHX"), (a, b),
                    owners, ("320500",), 1200.0, None, (), Point(120.6, 31.3), labels=labels)


def tracked(c: Conflict, status: str = "open", new: bool = False) -> Tracked:
    record = Status(c.id, c.key, c.rule, "scope", status, "2026-11-01T00:00:00Z",
                    "2026-12-01T00:00:00Z")
    return Tracked(c.id, c.key, status, new, c, record)


XM = "0190f3a2-0000-7000-8000-00000000a001"
RL = "0190f3a2-0000-7000-8000-00000000b002"
NAMES = {XM: "沪苏湖铁路（P-JT-001）", RL: "太湖生态保护红线",
         "project_in_redline": ("项目穿越生态保护红线", "Project crossing an ecological red line")}


def test_open_conflicts_become_issues_with_names_not_uuids():
    one = conflict("project_in_redline", XM, RL, ("320500", "office"))
    two = conflict("project_in_redline", "x-uuid", "y-uuid", ("320500", "330400"),
                   labels=("嘉兴站", ""))
    accepted = conflict("project_in_redline", "p", "q", ("320500",))
    gone = conflict("other_rule", "r", "s", ("320500",))
    report = StatusReport((tracked(one, new=True), tracked(two), tracked(accepted, "accepted"),
                           tracked(gone, "resolved")), True)
    made = iss.issues_from_conflicts(report, NAMES, today=date(2026, 12, 5))
    assert [d["source"] for d in made] == [{"kind": "check", "ref": one.id},
                                            {"kind": "check", "ref": two.id}]
    first, second = made
    assert first["title_zh"] == "冲突检查（项目穿越生态保护红线）：沪苏湖铁路（P-JT-001）、太湖生态保护红线"
    assert first["title_en"].startswith("Conflict check (Project crossing an ecological red line): ")
    assert "uuid" not in second["title_zh"] and "嘉兴站" in second["title_zh"]
    assert "STBHHX" in second["title_zh"]  # a feature without a name is named by its layer
    # one party besides the office: it owns the issue; two parties: the office brokers it
    assert (first["owner"], second["owner"]) == ("320500", "office")
    assert first["due"] == "2027-01-04" and first["level"] == 1 and first["item"] is None
    for d in made:
        parse_data("issue", d)  # a valid 'issue' event data
    again = iss.issues_from_conflicts(list(report.items), NAMES, today=date(2026, 12, 5))
    assert [d["issue"] for d in again] == [d["issue"] for d in made]  # deterministic ids


def test_status_rows_alone_give_office_issues_and_known_ones_are_skipped():
    c = conflict("project_in_redline", XM, RL, ("320500",))
    rows = {c.id: tracked(c).record}
    made = iss.issues_from_conflicts(rows, NAMES, today=date(2026, 12, 5))
    assert len(made) == 1 and made[0]["owner"] == "office"
    # the features are read from the key ("rule/uuid/uuid"): named by `names` or left unnamed
    assert made[0]["title_en"].endswith("沪苏湖铁路（P-JT-001） and 太湖生态保护红线")
    unnamed = iss.issues_from_conflicts(rows, {}, today=date(2026, 12, 5))[0]
    assert unnamed["title_zh"] == "冲突检查（project_in_redline）：未命名要素、未命名要素"
    gap = Status("c1", f"net_continuity/{XM}/0/end/320500/{RL}", "net_continuity", "s", "open",
                 "2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z")
    title = iss.issues_from_conflicts([gap], NAMES, today=date(2026, 12, 5))[0]["title_en"]
    assert title == "Conflict check (net_continuity): 沪苏湖铁路（P-JT-001） and 太湖生态保护红线"
    log = with_items()
    log.post(OFFICE, "issue", made[0])
    assert iss.new_conflict_issues(log.state, rows, NAMES, today=date(2026, 12, 5)) == []
    assert log.state.issues[iss.conflict_issue_id(c.id)].source == {"kind": "check", "ref": c.id}


def test_feature_names_come_from_the_project_layers(tmp_path, sample_folder):
    copy = tmp_path / "metro.sqlite"
    shutil.copy(sample_folder / "metro.sqlite", copy)
    with Project.open(copy) as project:
        line = next(iter_features(project, "XMK_LINE"))
        red = next(iter_features(project, "STBHHX"))
        c = conflict("project_in_redline", line.uuid, red.uuid, ("office",))
        names = iss.feature_names(project, [tracked(c).record])
    assert names[line.uuid] == f"{line.attrs['XMMC']} ({line.attrs['XMBH']})"
    assert names[red.uuid].startswith(red.attrs["HXMC"])
    made = iss.issues_from_conflicts([tracked(c).record], names, today=date(2026, 12, 5))
    assert line.attrs["XMMC"] in made[0]["title_zh"] and line.uuid not in made[0]["title_zh"]
