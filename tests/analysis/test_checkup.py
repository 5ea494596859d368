"""The annual check-up: targets and status, storage in the project, year-over-year comparison."""

from __future__ import annotations

import json

import pytest
import shapely

from app.analysis import checkup_store as store
from app.analysis.checkup import (
    FAILED,
    MET,
    NO_DATA,
    NO_TARGET,
    WARNING,
    annex,
    status_of,
    target_for,
    trend_of,
)
from app.analysis.indicators import load_definitions
from app.analysis.projects import enter_file, iter_checkup, record_checkup
from app.errors import InvalidInput, NotFound
from app.model.jobs import drive
from app.project.features import delete_feature
from app.project.project import Project

SHANGHAI, SUZHOU = "310000", "320500"


@pytest.fixture(scope="module")
def definitions():
    return load_definitions()


@pytest.mark.parametrize("indicator, value, target, expected", [
    ("TJ001", 100.0, 100.0, WARNING),  # a floor (min): just at it
    ("TJ001", 106.0, 100.0, MET),
    ("TJ001", 99.0, 100.0, FAILED),
    ("TJ034", 96.0, 100.0, WARNING),  # a cap (max): close below it
    ("TJ034", 90.0, 100.0, MET),
    ("TJ034", 101.0, 100.0, FAILED),
    ("TJ011", 10.4, 10.0, MET),  # a band: within ±5 %
    ("TJ011", 10.8, 10.0, WARNING),
    ("TJ011", 12.0, 10.0, FAILED),
    ("TJ001", None, 100.0, NO_DATA),
    ("TJ001", 100.0, None, NO_TARGET),
])
def test_status(definitions, indicator, value, target, expected):
    assert status_of(definitions.get(indicator), value, target, definitions) == expected


def test_the_target_that_applies():
    latest = {("TJ001", SHANGHAI, "target_value_2025"): 1.0, ("TJ001", SHANGHAI, "target_value_2035"): 2.0,
              ("TJ034", SHANGHAI, "target_value_2025"): 3.0}
    assert target_for(latest, "TJ001", SHANGHAI, 2024) == (1.0, 2025)
    assert target_for(latest, "TJ001", SHANGHAI, 2026) == (2.0, 2035)
    assert target_for(latest, "TJ034", SHANGHAI, 2030) == (3.0, 2025)
    assert target_for(latest, "TJ002", SHANGHAI, 2030) == (None, None)


@pytest.mark.parametrize("indicator, before, after, target, expected", [
    ("TJ042", 10.0, 11.0, None, "改善"),  # + higher is better
    ("TJ008", 10.0, 11.0, None, "恶化"),  # - lower is better
    ("TJ001", 10.0, 9.0, None, "恶化"),  # c, a floor
    ("TJ034", 10.0, 9.0, None, "改善"),  # c, a cap
    ("TJ011", 8.0, 9.0, 10.0, "改善"),  # = closer to the target
    ("TJ011", 8.0, 9.0, None, None),
    ("TJ042", 10.0, 10.0, None, "持平"),
])
def test_trend(definitions, indicator, before, after, target, expected):
    assert trend_of(definitions.get(indicator), after, before, target) == expected


def test_store_round_trip_and_reading_creates_nothing(project):
    db = project.db
    assert store.entries(db, 2030) == [] and store.recorded(db, 2024) == []
    assert store.previous_year(db, 2025) is None and store.VALUES_TABLE not in db.table_names()
    entry = store.Entry("TJ032", SHANGHAI, 2024, "统计年鉴 2025", value=2480.0, target_value_2035=2500.0)
    assert store.enter(db, [entry, store.Entry("TJ032", SHANGHAI, 2026, "x", value=1.0)], "tester") == 2
    assert store.entries(db, 2025) == [entry]
    row = store.Recorded(2024, "TJ001", SHANGHAI, 1.5, "computed", None, None, NO_TARGET, "layers", "m")
    store.record(db, [row], 2024, "tester")
    store.record(db, [row], 2024, "tester")  # recording a year again replaces it
    assert store.recorded(db, 2024) == [row] and store.previous_year(db, 2025) == 2024
    with pytest.raises(InvalidInput, match="data_source is required"):
        store.enter(db, [store.Entry("TJ032", SHANGHAI, 2024, " ", value=1.0)], "tester")


@pytest.fixture
def shanghai(make_project, city_features):
    red = [("STBHHX", 10 + k, SHANGHAI, {}, shapely.box(120.95 + 0.02 * k, 31.0, 120.96 + 0.02 * k, 31.01))
           for k in range(2)]
    return make_project("sh", SHANGHAI, [*city_features, *red])


def test_year_over_year_with_targets(shanghai, definitions):
    first = drive(iter_checkup(shanghai, 2024))
    assert set(first.region_names) == {SHANGHAI} and first.previous_year is None
    before = first.row("TJ001", SHANGHAI)
    assert before.origin == "computed" and before.status == NO_TARGET and before.value > 0
    with Project.open(shanghai) as project:
        store.enter(project.db, [store.Entry("TJ001", SHANGHAI, 2024, "规划", target_value_2035=before.value * 0.9)],
                    "tester")
    assert record_checkup(shanghai, drive(iter_checkup(shanghai, 2024))) == len(first.rows)
    with Project.open(shanghai) as project:
        delete_feature(project, "STBHHX", "00000000-0000-0000-0000-00000000000b")
    report = drive(iter_checkup(shanghai, 2025))
    row = report.row("TJ001", SHANGHAI)
    assert report.previous_year == 2024 and row.previous == pytest.approx(before.value)
    assert row.value == pytest.approx(before.value / 2, rel=1e-3)
    assert row.change == pytest.approx(row.value - before.value) and row.trend == "恶化"
    assert row.target == pytest.approx(before.value * 0.9) and row.target_year == 2035
    assert row.status == FAILED
    table = annex(report, definitions)
    cells = dict(zip(table.columns, next(r for r in table.rows if r[0] == "TJ001"), strict=True))
    assert cells["区域"] == "上海市" and cells["状态"] == FAILED and cells["趋势"] == "恶化"
    assert cells["目标值"].endswith("（2035）") and cells["变化"].startswith("-")
    assert "2024" in table.notes[0] and "unverified" in table.notes[1]


def test_entered_values_win_and_are_listed(shanghai, tmp_path):
    file = tmp_path / "values.json"
    file.write_text(json.dumps([
        {"indicator_id": "TJ001", "xzqdm": SHANGHAI, "year": 2025, "value": 12.5, "data_source": "自然资源局"},
        {"indicator_id": "TJ032", "xzqdm": SHANGHAI, "year": 2025, "value": 2480, "data_source": "统计公报"},
    ], ensure_ascii=False), encoding="utf-8")
    assert enter_file(shanghai, file) == 2
    report = drive(iter_checkup(shanghai, 2025))
    assert report.row("TJ001", SHANGHAI).value == 12.5 and report.row("TJ001", SHANGHAI).origin == "entered"
    assert report.row("TJ032", SHANGHAI).source == "统计公报"


@pytest.mark.parametrize("entry, message", [
    ({"indicator_id": "TJ001", "xzqdm": "310000", "year": 1800, "data_source": "x"}, r"\$\[0\]\.year"),
    ({"indicator_id": "TJ001", "xzqdm": "310000", "year": 2025}, r"\$\[0\]\.data_source: required"),
    ({"indicator_id": "TJ001", "xzqdm": "310000", "year": 2025, "data_source": "x", "colour": 1},
     r"\$\[0\]\.colour: unknown field"),
    ({"indicator_id": "TJ001", "xzqdm": "310000", "year": 2025, "data_source": "x", "value": "12"},
     r"\$\[0\]\.value: expected a number"),
])
def test_bad_entries_name_the_path(shanghai, tmp_path, entry, message):
    file = tmp_path / "values.json"
    file.write_text(json.dumps([entry]), encoding="utf-8")
    with pytest.raises(InvalidInput, match=message):
        enter_file(shanghai, file)


def test_unknown_indicator_and_year_out_of_range(shanghai, tmp_path):
    file = tmp_path / "values.json"
    file.write_text(json.dumps([{"indicator_id": "ZZ001", "xzqdm": "1", "year": 2025, "data_source": "x"}]),
                    encoding="utf-8")
    with pytest.raises(NotFound, match="no indicator 'ZZ001'"):
        enter_file(shanghai, file)
    with pytest.raises(InvalidInput, match="year 3000 is out of range"):
        drive(iter_checkup(shanghai, 3000))
