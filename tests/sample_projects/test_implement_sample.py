"""The sample's synthetic year of implementation tracking: valid, deterministic, plausible."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from app.analysis.dataset import Dataset, LayerData
from app.analysis.indicators import METRO, Region, load_definitions, project_rates
from app.implement import rollup
from app.implement.events import read_jsonl, to_json
from app.implement.items import items_from_library
from app.implement.periods import periods_between
from app.implement.state import fold
from sample_projects.build import CONTENT_TEMPLATE, DEFAULT_REFERENCE
from sample_projects.implement import MARK_EN, MARK_ZH, build_implement, synthetic_events
from sample_projects.metro_layers import project_seeds
from sample_projects.sources import load_sources

PERIODS = periods_between("2025-12", "2026-11")


@pytest.fixture(scope="module")
def sources():
    return load_sources(DEFAULT_REFERENCE)


@pytest.fixture(scope="module")
def template():
    return json.loads(CONTENT_TEMPLATE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seeds(sources):
    return project_seeds(sources)


@pytest.fixture(scope="module")
def rows(seeds):
    """The project library as `items.library_rows` reads it from a built project."""
    return [{**s.attrs, "uuid": s.uuid, "layer": s.layer} for s in seeds]


@pytest.fixture(scope="module")
def events(template, rows):
    return synthetic_events(template, rows)


@pytest.fixture(scope="module")
def state(events):
    return fold(events)


def test_two_runs_give_the_same_log(template, rows, events):
    again = synthetic_events(template, rows)
    assert [to_json(e) for e in again] == [to_json(e) for e in events]
    assert [to_json(e) for e in synthetic_events(template, rows, seed=17)] != \
        [to_json(e) for e in events]


def test_versions_and_times_run_in_order_up_to_the_sample_today(events):
    assert [e.version for e in events] == list(range(1, len(events) + 1))
    times = [e.at for e in events]
    assert times == sorted(times) and len(set(times)) == len(times)
    assert times[0] == "2025-12-01T01:00:00.000Z" and times[-1] < "2026-12-05T10:00:00.000Z"
    assert {e.party for e in events if e.kind in ("items", "review", "meeting", "memo")} == {"office"}


def test_fold_holds_twelve_periods_of_reports(state, events):
    reports = list(state.reports.values())
    assert sorted({r.period for r in reports}) == PERIODS
    per_party = Counter(r.party for r in reports if r.state != "returned")
    assert len(per_party) == 17  # eight departments and nine cities
    assert all(10 <= n <= 12 for n in per_party.values()), per_party
    states = Counter(r.state for r in reports)
    assert states["accepted"] > 0.9 * len(reports) and states["returned"] >= 2
    returned = [r for r in reports if r.state == "returned"]
    for r in returned:  # resubmitted after the note
        assert r.note and any(o.party == r.party and o.period == r.period and o.state != "returned"
                              for o in reports)


def test_late_and_missing_reports(state):
    seen = Counter(s.state for p in PERIODS[:-1]
                   for s in rollup.reporting(state, p, date(2026, 12, 5)))
    assert seen["late"] >= 10 and seen["on_time"] > seen["late"]
    assert 1 <= seen["missing"] <= 2
    last = Counter(s.state for s in rollup.reporting(state, PERIODS[-1], date(2026, 12, 5)))
    assert last["not_due"] > 0  # the last month's reports are still coming in


def test_issues_are_raised_escalated_and_closed(state, events):
    issues = list(state.issues.values())
    assert 30 <= len(issues) <= 80
    steps = Counter(s.action for i in issues for s in i.history)
    assert steps["opened"] == len(issues) and steps["closed"] >= 0.8 * len(issues)
    assert steps["escalated"] >= 10 and steps["kept"] >= 10
    assert Counter(e.data["reason"] for e in events if e.kind == "escalate")["overdue"] >= 3
    assert any(i.level == 3 for i in issues)
    assert {i.source["kind"] for i in issues} == {"report", "manual"}


def test_meetings_by_level_with_memos(state):
    meetings = list(state.meetings.values())
    assert Counter(m.level for m in meetings) == {1: 11, 2: 11, 3: 3}
    assert all(m.memo is not None and m.memo.number for m in meetings)
    assert sum(len(m.agenda) for m in meetings) >= 40
    assert len({m.memo.number for m in meetings}) == len(meetings)


def test_every_text_says_it_is_synthetic(state):
    for report in state.reports.values():
        assert all(MARK_ZH in line.narrative_zh and MARK_EN in line.narrative_en
                   for line in report.lines)
    for issue in state.issues.values():
        assert MARK_ZH in issue.title_zh and MARK_EN in issue.title_en
    for m in state.meetings.values():
        assert MARK_ZH in m.title_zh and MARK_EN in m.title_en and MARK_ZH in m.memo.text_zh


def test_plan_rises_with_some_items_ahead_and_some_behind(state):
    plan = [rollup.rollup(state, as_of=p)["plan"].percent for p in PERIODS]
    # Rises every month; the last month's reports are mostly not in (or not accepted) yet.
    assert all(b > a for a, b in zip(plan[:-2], plan[1:-1], strict=True)), plan
    assert plan[-1] >= plan[-2]
    assert 20 < plan[0] < plan[-1] < 60
    nodes = rollup.rollup(state, as_of=PERIODS[-1])
    statuses = Counter(n.status for n in nodes.values() if not n.children)
    assert statuses["on_track"] > statuses["at_risk"] > 0 and 1 <= statuses["delayed"] <= 6
    assert statuses["completed"] == 4  # the library's built projects
    assert 1 <= len(rollup.behind(state, PERIODS[-1])) <= 4
    ahead = [n for n in nodes.values() if not n.children and n.planned and n.percent > n.planned]
    assert ahead
    assert state.weights["S1"].method == "investment"


def test_build_writes_the_archive_and_every_mirror(tmp_path, template_project, seeds, events):
    from app.implement.outbox import local_state, pending
    from app.project.features import add_feature
    from app.project.history import pending as pending_changes
    from app.project.project import Project

    metro = tmp_path / "metro.sqlite"
    with Project.create(metro, "office", "上海大都市圈规划协同办公室", role="coordinator",
                        author="tester") as project:
        for s in seeds:
            add_feature(project, s.layer, s.attrs, s.geom, owner=s.owner, uuid=s.uuid)
        before = len(pending_changes(project))
    city = Path(shutil.copy(template_project, tmp_path / "310000.sqlite"))
    out = tmp_path / "implement"
    written = build_implement(out, CONTENT_TEMPLATE, metro, [metro, city])
    assert [to_json(e) for e in read_jsonl(out / "events.jsonl")] == \
        [to_json(e) for e in events] == [to_json(e) for e in written]
    for path, changes in ((metro, before), (city, 0)):
        with Project.open(path, author="tester") as project:
            mirrored = local_state(project)
            assert mirrored.version == len(events) and len(mirrored.reports) == \
                len(fold(events).reports)
            assert pending(project) == [] and len(pending_changes(project)) == changes


def test_library_items_keep_years_investment_and_english_names(sources, template, rows):
    items = {i.id: i for i in items_from_library(rows, template)}
    assert len(items) == len(sources.projects) == 11
    for feature in sources.projects:
        item = items["XM:" + feature["properties"]["XMBH"]]
        assert item.title_en == feature["properties"]["name_en"]
        assert item.start_year <= item.finish_year and item.investment > 0


def test_project_library_gives_start_and_completion_rates(sources, seeds):
    by_layer: dict[str, list] = {}
    for s in seeds:
        by_layer.setdefault(s.layer, []).append(s)
    layers = {code: _layer(code, group) for code, group in by_layer.items()}
    dataset = Dataset(layers)
    shanghai = sources.city("310000").boundary
    regions = [Region("310000", shanghai, 1.0, ("310000",)), Region(METRO, shanghai, 1.0, ())]
    computes = {i.id: i.compute for i in load_definitions().items if i.id in ("MT086", "MT087")}
    start = project_rates(dataset, computes["MT086"], regions, 2026)
    done = project_rates(dataset, computes["MT087"], regions, 2026)
    assert start == {"310000": 1.0, METRO: 1.0}
    # Due by 2026: six entries, four built; 沪通铁路二期 and 环淀山湖绿道 are late.
    assert done[METRO] == pytest.approx(4 / 6)
    assert done["310000"] is not None and 0 < done["310000"] < 1
    assert project_rates(dataset, computes["MT087"], regions, 2000)[METRO] is None


def _layer(code: str, seeds: list) -> LayerData:
    n = len(seeds)

    def arr(values):
        out = np.empty(n, dtype=object)
        out[:] = list(values)
        return out
    names = sorted({k for s in seeds for k in s.attrs})
    return LayerData(code, arr(s.uuid for s in seeds), arr(s.owner for s in seeds),
                     arr(s.geom for s in seeds),
                     {k: arr(s.attrs.get(k) for s in seeds) for k in names})


def test_sample_readme_describes_the_synthetic_progress():
    readme = (DEFAULT_REFERENCE.parent / "README.md").read_text(encoding="utf-8")
    assert "implement/" in readme and "合成示例" in readme


def test_build_fingerprint_covers_the_writer():
    from sample_projects import build

    assert build.HERE / "implement.py" in build.input_files(build.DEFAULT_REFERENCE)


def test_a_shorter_window_is_valid_too(template, rows):
    state = fold(synthetic_events(template, rows, months=3, last_period="2026-02", seed=3))
    assert sorted({r.period for r in state.reports.values()}) <= ["2025-12", "2026-01", "2026-02"]
    assert state.meetings and all(m.date < "2026-03-06" for m in state.meetings.values())


def test_a_dozen_actions_have_milestones_some_done_and_one_or_two_overdue(state, events):
    from app.implement.milestones import rows
    marked = [i for i in state.items.values() if i.milestones]
    assert len(marked) == 12 and {i.kind for i in marked} <= {"action", "strategy"}
    assert all(2 <= len(i.milestones) <= 4 for i in marked)
    for item in marked:
        assert all(MARK_ZH in m.name_zh and item.start_year <= int(m.due[:4]) <= 2027
                   for m in item.milestones)
    seen = Counter(r.state for r in rows(state, PERIODS[-1]))
    assert seen["done"] >= 5 and 1 <= seen["overdue"] <= 2
    # Each one done was named by an accepted report of its lead, in that period.
    for r in rows(state, PERIODS[-1]):
        if r.state == "done":
            assert any(rep.state == "accepted" and rep.party == r.item.lead
                       and rep.period == r.milestone.done
                       and any(r.milestone.id in ln.milestones_done for ln in rep.lines
                               if ln.item == r.item.id)
                       for rep in state.reports.values())
