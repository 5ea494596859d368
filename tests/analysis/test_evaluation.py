"""The five-year evaluation: progress against timing, goals and allowances, trend to 2035."""

from __future__ import annotations

import json

import pytest
import shapely
from openpyxl import load_workbook

from app.analysis import checkup_store as store
from app.analysis.checkup import NO_TARGET, CheckupRow
from app.analysis.evaluation import (
    AHEAD,
    ALLOWANCE,
    BEHIND,
    BREACHED,
    GOAL,
    HOLD,
    NO_BASE,
    ON_TRACK,
    evaluate,
    iter_evaluate,
    trend,
)
from app.analysis.indicators import METRO, load_definitions
from app.analysis.projects import iter_checkup, record_checkup
from app.cli import main
from app.errors import InvalidInput
from app.model.jobs import drive
from app.project.project import Project

SHANGHAI, SUZHOU = "310000", "320500"


@pytest.fixture(scope="module")
def definitions():
    return load_definitions()


def row(indicator: str, value: float | None, region: str = SHANGHAI) -> CheckupRow:
    return CheckupRow(indicator, region, value, "entered")


def base(indicator: str, base_value: float, target: float, region: str = SHANGHAI) -> store.Entry:
    return store.Entry(indicator, region, 2020, "规划", base_value=base_value, target_value_2035=target)


def one(definitions, current, entries, history=()):
    (result,) = evaluate(definitions, 2025, 2020, [current], entries, history)
    return result


@pytest.mark.parametrize("indicator, base_value, target, value, kind, progress, assessment", [
    ("TJ042", 20.0, 26.0, 23.0, GOAL, 0.5, AHEAD),  # forest cover: half way after a third
    ("TJ042", 20.0, 26.0, 22.0, GOAL, 1 / 3, ON_TRACK),
    ("TJ042", 20.0, 26.0, 20.6, GOAL, 0.1, BEHIND),
    ("TJ007", 120.0, 105.0, 110.0, GOAL, 2 / 3, AHEAD),  # water use cut towards its cap
    ("TJ034", 3000.0, 3200.0, 3150.0, ALLOWANCE, 0.75, BEHIND),  # land quota used too fast
    ("TJ034", 3000.0, 3200.0, 3040.0, ALLOWANCE, 0.2, AHEAD),
    ("TJ034", 3000.0, 3200.0, 3250.0, ALLOWANCE, 1.25, BREACHED),  # past the cap
    ("TJ003", 500.0, 500.0, 501.0, HOLD, None, ON_TRACK),  # farmland held
    ("TJ003", 500.0, 500.0, 480.0, HOLD, None, BREACHED),
])
def test_progress_against_timing(definitions, indicator, base_value, target, value, kind, progress,
                                 assessment):
    result = one(definitions, row(indicator, value), [base(indicator, base_value, target)])
    assert result.timing == pytest.approx(1 / 3)
    assert result.kind == kind and result.assessment == assessment
    assert result.progress == (None if progress is None else pytest.approx(progress))


def test_water_use_over_its_cap_is_a_breach_not_met(definitions):
    result = one(definitions, row("TJ007", 120.0), [base("TJ007", 98.0, 105.0)])
    assert result.kind == ALLOWANCE and result.assessment == BREACHED


def test_trend_uses_recorded_checkups_and_projects_to_2035(definitions):
    history = [store.Recorded(y, "TJ042", SHANGHAI, v, "entered", None, None, NO_TARGET, "x", None)
               for y, v in ((2021, 20.5), (2022, 21.0), (2023, 21.5), (2024, 22.0))]
    result = one(definitions, row("TJ042", 22.5), [base("TJ042", 20.0, 26.0)], history)
    assert [y for y, _ in result.series] == [2020, 2021, 2022, 2023, 2024, 2025]
    assert result.slope == pytest.approx(0.5) and result.projected == pytest.approx(27.5)
    assert result.projected_status == "达标"
    assert trend({2025: 1.0}) == (None, None)


def test_without_base_or_target_nothing_is_judged(definitions):
    assert one(definitions, row("TJ042", 22.0), []).assessment == NO_BASE
    entries = [store.Entry("TJ042", SHANGHAI, 2020, "x", base_value=20.0)]
    assert one(definitions, row("TJ042", 22.0), entries).kind is None


def test_years_are_checked(definitions):
    with pytest.raises(InvalidInput, match="before the base year"):
        evaluate(definitions, 2019, 2020, [], [], [])
    with pytest.raises(InvalidInput, match="must be before 2035"):
        evaluate(definitions, 2036, 2035, [], [], [])


@pytest.fixture
def project_with_history(make_project, city_features, tmp_path):
    """Two cities; forest cover entered 2020–2025 with targets; check-ups recorded 2022–2024."""
    red = ("STBHHX", 10, SHANGHAI, {}, shapely.box(120.95, 31.0, 120.96, 31.01))
    path = make_project("metro", "office", [*city_features, red])
    values = {SHANGHAI: (18.0, 24.0, [18.4, 18.8, 19.4, 19.9, 20.5]),
              SUZHOU: (20.0, 22.0, [20.0, 20.1, 20.1, 20.2, 20.2]),
              METRO: (19.0, 23.0, [19.2, 19.5, 19.8, 20.1, 20.4])}
    with Project.open(path) as project:
        for region, (first, target, later) in values.items():
            entries = [store.Entry("TJ042", region, 2020, "统计公报（测试）", value=first, base_value=first,
                                   target_value_2035=target)]
            entries += [store.Entry("TJ042", region, 2021 + k, "统计公报（测试）", value=v)
                        for k, v in enumerate(later)]
            store.enter(project.db, entries, "tester")
    for year in (2022, 2023, 2024):
        record_checkup(path, drive(iter_checkup(path, year)))
    return path


def test_evaluation_of_a_project_per_city_and_metro_wide(project_with_history):
    report = drive(iter_evaluate(project_with_history, 2025))
    forest = {r.region: r for r in report.rows if r.indicator == "TJ042"}
    assert set(forest) == {SHANGHAI, SUZHOU, METRO}
    assert forest[SHANGHAI].progress == pytest.approx(2.5 / 6) and forest[SHANGHAI].assessment == AHEAD
    assert forest[SUZHOU].assessment == BEHIND and forest[METRO].assessment == ON_TRACK
    assert [y for y, _ in forest[SHANGHAI].series] == [2020, 2021, 2022, 2023, 2024, 2025]
    assert forest[SHANGHAI].slope == pytest.approx(8.8 / 17.5)  # least squares over 2020–2025
    assert report.summary()[METRO][ON_TRACK] == 1
    assert report.region_names[METRO] == "都市圈全域"


def test_recorded_checkups_win_over_later_entries(project_with_history):
    with Project.open(project_with_history) as project:  # a 2022 figure revised after recording
        store.enter(project.db, [store.Entry("TJ042", SHANGHAI, 2022, "修订", value=30.0)], "tester")
    report = drive(iter_evaluate(project_with_history, 2025))
    forest = next(r for r in report.rows if r.indicator == "TJ042" and r.region == SHANGHAI)
    assert dict(forest.series)[2022] == pytest.approx(18.8)


def test_evaluate_cli_writes_json_table_and_chart(project_with_history, tmp_path, capsys):
    xlsx, png = tmp_path / "eval.xlsx", tmp_path / "eval.png"
    assert main(["evaluate", str(project_with_history), "--year", "2025", "--xlsx", str(xlsx),
                 "--chart", str(png)]) == 0
    out = capsys.readouterr().out
    assert "TJ042  森林覆盖率" in out and "超前" in out and f"chart written to {png}" in out
    sheet = load_workbook(xlsx)["评估表"]
    titles = [c.value for c in sheet[1]]
    assert titles[:4] == ["编号", "指标", "单位", "区域"] and "进度" in titles
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert main(["evaluate", str(project_with_history), "--year", "2025", "--base-year", "2021",
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "coplan.evaluation/v1" and data["base_year"] == 2021
    assert data["timing"] == pytest.approx(4 / 14)
    assert main(["evaluate", str(project_with_history), "--year", "2019"]) != 0
    assert "before the base year" in capsys.readouterr().err
