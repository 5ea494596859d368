"""Analysis jobs of the desktop: the check on the open project or on files, a conflict as a
comment the review core accepts, the check-up with its chart and year-over-year record."""

from __future__ import annotations

import shapely

from app.analysis.engine import Conflict
from app.editing import analysis_jobs as A
from app.model.feature import utc_now
from app.model.jobs import Progress, drive
from app.project.features import add_feature
from app.project.project import Project
from app.review.wire import COMMENT_FORMAT, parse_comment
from tests.analysis.conftest import DEFAULTS, SHANGHAI, SUZHOU

PNG = b"\x89PNG\r\n\x1a\n"
RED = shapely.box(120.92, 30.95, 120.96, 31.0)
URBAN = shapely.box(120.94, 30.97, 120.99, 31.05)  # overlaps RED: urban-boundary-over-red-line


def conflict_project(path, party: str = SHANGHAI) -> str:
    """Two cities, a red line and an urban boundary overlapping it (coordinator project)."""
    with Project.create(path, party, "上海市", role="coordinator", author="tester") as p:
        for code, name, box in ((SHANGHAI, "上海市", (120.9, 30.9, 121.0, 31.1)),
                                (SUZHOU, "苏州市", (121.0, 30.9, 121.1, 31.1))):
            add_feature(p, "XZQ", {**DEFAULTS["XZQ"], "XZQDM": code, "XZQMC": name},
                        shapely.box(*box), owner=code)
        add_feature(p, "STBHHX", DEFAULTS["STBHHX"], RED, owner=SHANGHAI)
        add_feature(p, "CZKFBJ", DEFAULTS["CZKFBJ"], URBAN, owner=SHANGHAI)
    return str(path)


def steps(job):
    """All progress of a job and its result."""
    seen = []
    while True:
        try:
            seen.append(next(job))
        except StopIteration as stop:
            return seen, stop.value


def test_check_open_project_and_files_agree(tmp_path):
    path = conflict_project(tmp_path / "sh.sqlite")
    with Project.open(path) as project:
        progress, outcome = steps(A.check_steps(project))
    assert progress and all(isinstance(p, Progress) for p in progress)
    [conflict] = [c for c in outcome.result.conflicts if c.rule == "urban-boundary-over-red-line"]
    assert outcome.names[SHANGHAI] == "上海市" and conflict.parties == (SHANGHAI,)
    assert outcome.rules["urban-boundary-over-red-line"][0].startswith("城镇开发边界")
    merged = drive(A.check_steps(None, [path]))
    assert [c.id for c in merged.result.conflicts] == [c.id for c in outcome.result.conflicts]
    # The desktop's check keeps statuses in the project: new the first time, open after.
    assert {t.status for t in outcome.statuses.items} == {"open"}
    assert all(t.new for t in outcome.statuses.items)
    assert not any(t.new for t in merged.statuses.items)


def line_conflict() -> Conflict:
    return Conflict("r/a/b", "project-line-in-red-line", "overlay", "warning", ("XMK_LINE", "STBHHX"),
                    ("a", "b"), ("office", SHANGHAI), (SHANGHAI,), None, 1234.5, (),
                    shapely.LineString([(121.0, 31.0), (121.01, 31.0)]))


def test_a_conflict_becomes_a_valid_comment(tmp_path):
    outcome = A.CheckOutcome(None, {SHANGHAI: "上海市", "office": "办公室"},
                             {"project-line-in-red-line": ("项目穿越红线", "Project crosses red line")})
    conflict = line_conflict()
    anchor = A.area_anchor(conflict)  # a line becomes a small area around it
    assert A.area_geometry(conflict.geometry).geom_type == "Polygon"
    body = A.conflict_body(conflict, outcome)
    assert "项目穿越红线" in body["zh"] and "上海市（310000）" in body["zh"] and "1,234.5 米" in body["zh"]
    assert body["en"].startswith("Plan conflict: Project crosses red line")
    item = A.conflict_body(conflict, outcome, to=SHANGHAI)
    assert item["zh"].startswith("【协调事项】致上海市（310000）") and "Coordination item" in item["en"]
    parse_comment({"format": COMMENT_FORMAT, "id": "0190f3a2-6c1e-7b3a-9d2e-4f5a6b7c8d9e", "round": 1,
                   "party": "office", "author": "t", "channel": "app", "written": utc_now(),
                   "body": item, "anchors": [anchor]})


def test_polygon_parts_of_a_mixed_result_are_kept():
    mixed = shapely.GeometryCollection([RED, shapely.LineString([(0, 0), (1, 1)])])
    assert A.area_geometry(mixed).equals(RED)


def test_checkup_records_and_compares(tmp_path):
    path = conflict_project(tmp_path / "sh.sqlite")
    with Project.open(path) as project:
        first = drive(A.checkup_steps(project, 2024))
        assert first.chart.startswith(PNG) and first.report.previous_year is None
        assert first.indicators["TJ001"][0] == "生态保护红线面积"
        assert A.record_checkup(project, first.report) == len(first.report.rows)
        second = drive(A.checkup_steps(project, 2025))
    assert second.report.previous_year == 2024
    row = second.report.row("TJ001", SHANGHAI)
    assert row.previous == row.value and row.trend == "持平"
