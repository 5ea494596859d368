"""Conflict statuses kept in the project: new, still open, accepted with a memo, resolved."""

from __future__ import annotations

import json

import pytest
import shapely

from app.analysis import lifecycle
from app.analysis.projects import iter_check_projects, track
from app.cli import main
from app.errors import InvalidInput, NotFound, PermissionDenied
from app.model.jobs import drive
from app.project.features import add_feature, delete_feature
from app.project.project import Project

from .conftest import DEFAULTS, uid

SHANGHAI, SUZHOU = "310000", "320500"
MEMO = "沪都协纪〔2025〕12号"


@pytest.fixture
def metro(make_project, city_features):
    """A coordinator's project: a railway through a red line and a parcel in it (an error)."""
    rail = ("XMK_LINE", 30, "office", {"XMMC": "沪苏湖铁路", "XMBH": "P1"},
            shapely.MultiLineString([[(121.01, 31.0), (121.05, 31.0)]]))
    red = ("STBHHX", 20, SUZHOU, {"XZQDM": SUZHOU, "XZQMC": "苏州市", "HXMC": "淀山湖红线"},
           shapely.box(121.02, 30.99, 121.03, 31.01))
    parcel = ("GHYDYH", 10, SUZHOU, {"YDYHFLDM": "0801"}, shapely.box(121.025, 31.002, 121.027, 31.004))
    return make_project("metro", "office", [*city_features, rail, red, parcel], role="coordinator")


def run(path, record=True, decisions=()):
    from app.analysis.rules import load_rules

    result = drive(iter_check_projects([path], load_rules()))
    return result, track(path, result, record=record, decisions=decisions)


def ids(report, rule):
    return [t.id for t in report.items if t.record and t.record.rule == rule]


def test_a_rerun_reports_nothing_new(metro):
    result, first = run(metro)
    assert first.counts() == {"new": 2, "open": 0, "accepted": 0, "resolved": 0} and first.recorded
    _, second = run(metro)
    assert second.counts() == {"new": 0, "open": 2, "accepted": 0, "resolved": 0}
    assert [t.id for t in second.items] == [c.id for c in result.conflicts]  # same identity


def test_an_accepted_crossing_stays_accepted_with_its_memo(metro):
    _, report = run(metro)
    [rail] = ids(report, "project-line-in-red-line")
    with Project.open(metro, author="coordinator-li") as project:
        row = lifecycle.accept(project, rail[:8], MEMO, "2025-11-28")
    assert (row.status, row.memo, row.memo_date, row.decided_by) == ("accepted", MEMO, "2025-11-28",
                                                                     "coordinator-li")
    _, again = run(metro)
    assert again.counts() == {"new": 0, "open": 1, "accepted": 1, "resolved": 0}
    assert again.get(rail).memo == MEMO
    with Project.open(metro) as project:
        timeline = lifecycle.events(project.db, rail)
    assert [e["action"] for e in timeline] == ["found", "accepted"]
    assert timeline[1]["memo"] == f"{MEMO} (2025-11-28)" and timeline[1]["by"] == "coordinator-li"


def test_a_conflict_no_longer_found_is_resolved_and_comes_back_as_new(metro):
    run(metro)
    with Project.open(metro) as project:
        delete_feature(project, "GHYDYH", uid(10))
    _, report = run(metro)
    assert report.counts() == {"new": 0, "open": 1, "accepted": 0, "resolved": 1}
    [gone] = [t for t in report.items if t.conflict is None]
    assert gone.record.resolution == "gone" and gone.status == "resolved"
    _, still = run(metro)  # resolved stays resolved, listed once
    assert still.counts()["resolved"] == 1
    with Project.open(metro) as project:
        add_feature(project, "GHYDYH", {**DEFAULTS["GHYDYH"], "YDYHFLDM": "0801"},
                    shapely.box(121.025, 31.002, 121.027, 31.004), owner=SUZHOU, uuid=uid(10))
    _, back = run(metro)
    assert back.counts() == {"new": 1, "open": 1, "accepted": 0, "resolved": 0}
    with Project.open(metro) as project:
        actions = [e["action"] for e in lifecycle.events(project.db, gone.id)]
    assert actions == ["found", "gone", "reappeared"]


def test_resolve_by_change_set_and_reopen(metro):
    _, report = run(metro)
    [parcel] = ids(report, "construction-in-red-line")
    with Project.open(metro) as project:
        assert lifecycle.resolve(project, parcel, "cs-0042").change_set == "cs-0042"
        assert lifecycle.reopen(project, parcel).status == "open"
        assert lifecycle.accept(project, parcel, MEMO).memo_date  # today by default
        assert lifecycle.reopen(project, parcel).memo is None


def test_decisions_are_checked(metro, make_project, city_features):
    _, report = run(metro)
    with Project.open(metro) as project:
        with pytest.raises(InvalidInput, match="at least 8"):
            lifecycle.accept(project, "abc", MEMO)
        with pytest.raises(InvalidInput, match="approving memo"):
            lifecycle.accept(project, report.items[0].id, " ")
        with pytest.raises(InvalidInput, match="not a date"):
            lifecycle.accept(project, report.items[0].id, MEMO, "28/11/2025")
        with pytest.raises(NotFound, match="run the check"):
            lifecycle.accept(project, "ffffffff", MEMO)
    editor = make_project("sz", SUZHOU, city_features, role="editor")
    with Project.open(editor) as project, pytest.raises(PermissionDenied, match="coordinator"):
        lifecycle.accept(project, "ffffffff", MEMO)


def test_other_scopes_are_left_alone_and_no_record_writes_nothing(metro, make_project, city_features):
    run(metro)
    with Project.open(metro) as project:
        before = lifecycle.statuses(project.db)
    # A run over other parties (another scope) sees none of the kept conflicts: none resolved.
    other = make_project("other", SUZHOU, city_features, role="coordinator")
    from app.analysis.rules import load_rules

    empty = drive(iter_check_projects([other], load_rules()))
    with Project.open(metro) as project:
        report = lifecycle.results_with_status(project, empty)
        assert report.counts()["resolved"] == 0
    _, shown = run(metro, record=False)
    assert not shown.recorded
    with Project.open(metro) as project:
        assert lifecycle.statuses(project.db) == before


def test_cli_accept_counts_exit_code_and_json(metro, capsys):
    code = main(["check", str(metro)])
    out = capsys.readouterr().out
    assert code == 1 and "2 new, 0 still open, 0 accepted, 0 resolved" in out
    assert "沪苏湖铁路 (P1) × 淀山湖红线" in out
    parcel = next(line.split()[0] for line in out.splitlines() if "construction-in-red-line  overlay" in line)
    code = main(["check", str(metro), "--accept", parcel, "--memo", MEMO, "--memo-date", "2025-11-28"])
    out = capsys.readouterr().out
    assert code == 0  # the only error-level conflict is an accepted exception now
    assert "0 new, 1 still open, 1 accepted, 0 resolved" in out and f"memo={MEMO}" in out
    code = main(["check", str(metro), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["status"] == {"new": 0, "open": 1, "accepted": 1, "resolved": 0}
    accepted = next(c for c in data["conflicts"] if c["status"] == "accepted")
    assert accepted["memo"] == MEMO and accepted["memo_date"] == "2025-11-28" and accepted["new"] is False
    code = main(["check", str(metro), "--reopen", parcel])
    assert code == 1 and "0 new, 2 still open" in capsys.readouterr().out
    assert main(["check", str(metro), "--accept", parcel]) == 2
    assert "--memo" in capsys.readouterr().err


def test_exports_carry_status_memo_and_resolved_rows(metro, tmp_path):
    import csv

    _, report = run(metro)
    [rail] = ids(report, "project-line-in-red-line")
    assert main(["check", str(metro), "--accept", rail, "--memo", MEMO]) == 1
    with Project.open(metro) as project:
        delete_feature(project, "GHYDYH", uid(10))
    out = tmp_path / "c.csv"
    assert main(["check", str(metro), "--out", str(out)]) == 0
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = {r["id"]: r for r in csv.DictReader(f)}
    assert rows[rail]["status"] == "accepted" and rows[rail]["memo"] == MEMO
    assert rows[rail]["name_a"] == "沪苏湖铁路 (P1)" and rows[rail]["city_names"] == "苏州市"
    [gone] = [r for r in rows.values() if r["status"] == "resolved"]
    assert gone["resolution"] == "gone" and gone["rule"] == "construction-in-red-line"


def test_an_accepted_crossing_that_grows_needs_a_new_decision(metro):
    from app.project.features import update_feature

    _, report = run(metro)
    [rail] = ids(report, "project-line-in-red-line")
    with Project.open(metro) as project:
        lifecycle.accept(project, rail, MEMO)
        # Re-aligned along the red line: the crossing is now far longer than the one approved.
        update_feature(project, "XMK_LINE", uid(30),
                       geom=shapely.MultiLineString([[(121.01, 31.0), (121.022, 31.0), (121.022, 31.008),
                                                      (121.05, 31.008)]]))
    _, again = run(metro)
    assert again.get(rail).status == "open" and again.get(rail).memo is None
    with Project.open(metro) as project:
        actions = [(e["action"], e["memo"]) for e in lifecycle.events(project.db, rail)]
    assert actions[-1][0] == "grown" and MEMO in actions[-1][1]


@pytest.mark.slow
def test_the_metro_sample_approved_bridge_is_not_new_again(tmp_path, sample_folder):
    import shutil

    sample = sample_folder / "metro.sqlite"
    metro = tmp_path / "metro.sqlite"
    shutil.copy(sample, metro)
    _, first = run(metro)
    bridge = next(t for t in first.items if "杭州湾跨海大桥" in " ".join(t.conflict.labels))
    with Project.open(metro) as project:
        lifecycle.accept(project, bridge.id, MEMO, "2025-11-28")
    for _ in range(2):
        _, again = run(metro)
        assert again.counts()["new"] == 0 and again.get(bridge.id).status == "accepted"
        assert again.counts()["accepted"] == 1 and again.counts()["open"] == len(first.items) - 1


def test_cli_resolve_needs_a_change_set_and_keeps_it(metro, capsys):
    main(["check", str(metro)])
    parcel = next(line.split()[0] for line in capsys.readouterr().out.splitlines()
                  if "construction-in-red-line  overlay" in line)
    assert main(["check", str(metro), "--resolve", parcel]) == 2
    assert "--change-set" in capsys.readouterr().err
    main(["check", str(metro), "--resolve", parcel, "--change-set", "cs-0042"])
    capsys.readouterr()
    with Project.open(metro) as project:
        row = lifecycle.find(project.db, parcel)
    assert (row.status, row.change_set, row.resolution) == ("resolved", "cs-0042", "change_set")
