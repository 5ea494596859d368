"""MT086/MT087: start and completion rates of the project library, per city and metro-wide."""

from __future__ import annotations

import pytest
import shapely

from app.analysis.cities import cities_from
from app.analysis.dataset import Dataset
from app.analysis.indicators import METRO, compute_values, load_definitions, regions_for

from .conftest import SHANGHAI, SUZHOU, layer


def project(n: int, status: str, start: int | None, end: int | None) -> dict:
    return {"XMBH": f"P{n}", "XMMC": f"项目{n}", "XMLX": "JT", "JSZT": status, "QDNF": start, "WCNF": end}


@pytest.fixture
def library(cities) -> Dataset:
    """Three projects in Shanghai, one due later in Suzhou, a line across the border, one without years."""
    points = layer("XMK_POINT",
                   ("p1", SHANGHAI, project(1, "建成", 2023, 2025), shapely.Point(120.95, 31.0)),
                   ("p2", SHANGHAI, project(2, "在建", 2024, 2027), shapely.Point(120.95, 31.05)),
                   ("p3", SHANGHAI, project(3, "前期", 2025, 2026), shapely.Point(120.92, 30.95)),
                   ("p4", SUZHOU, project(4, "规划", 2026, 2030), shapely.Point(121.05, 31.0)))
    lines = layer("XMK_LINE", ("p5", SHANGHAI, project(5, "在建", 2022, 2024),
                               shapely.LineString([(120.95, 31.02), (121.05, 31.02)])))
    polygons = layer("XMK_POLYGON", ("p6", SUZHOU, project(6, "在建", None, None),
                                     shapely.box(121.02, 30.95, 121.04, 30.97)))
    return Dataset({"XZQ": cities, "XMK_POINT": points, "XMK_LINE": lines, "XMK_POLYGON": polygons})


def rates(dataset, standard, year):
    regions = regions_for(cities_from(dataset, standard))
    return compute_values(dataset, load_definitions(), regions, {}, None, year)


def test_start_rate_counts_projects_due_to_start_by_the_year(library, standard):
    values = rates(library, standard, 2025)
    assert values[("MT086", SHANGHAI)] == pytest.approx(75.0)  # p1, p2, p5 of p1, p2, p3, p5
    assert values[("MT086", SUZHOU)] == pytest.approx(100.0)  # the line; p4 is due in 2026
    assert values[("MT086", METRO)] == pytest.approx(75.0)  # the line counts once


def test_completion_rate_counts_projects_due_to_finish_by_the_year(library, standard):
    values = rates(library, standard, 2025)
    assert values[("MT087", SHANGHAI)] == pytest.approx(50.0)  # p1 of p1, p5
    assert values[("MT087", SUZHOU)] == 0.0  # the line is due in 2024 and not finished
    assert values[("MT087", METRO)] == pytest.approx(50.0)


def test_nothing_due_or_no_year_is_no_data(library, standard):
    values = rates(library, standard, 2021)
    assert values[("MT086", METRO)] is None and values[("MT087", METRO)] is None
    assert rates(library, standard, None)[("MT086", SHANGHAI)] is None


def test_the_library_s_own_cities_beat_the_geometry(library, standard):
    port = layer("XMK_POINT", ("p7", SUZHOU, {**project(7, "建成", 2020, 2024), "SJCS": f"{SUZHOU}，"},
                               shapely.Point(120.5, 30.0)))  # offshore, outside both city polygons
    dataset = Dataset({**library.layers, "XMK_POINT": port})
    values = rates(dataset, standard, 2025)
    assert values[("MT087", SUZHOU)] == pytest.approx(50.0)  # the port done, the line not
    assert values[("MT087", METRO)] == pytest.approx(50.0)  # every entry once, wherever it lies


def test_the_formula_is_stated(standard):
    definitions = load_definitions()
    assert "QDNF ≤ 体检年" in definitions.get("MT086").compute.method
    assert "WCNF ≤ 体检年" in definitions.get("MT087").compute.method
    assert definitions.get("MT086").display_unit == "%"


# Years set on the metro sample's 11 projects for this test (illustrative, not sourced); the
# greenway is put back to 前期 so that one project due to start has not started.
SAMPLE_YEARS = {"太湖生态岛（金庭镇）": (2021, 2030), "水乡客厅": (2020, 2025), "洋山深水港": (2002, 2017),
                "虹桥国际开放枢纽（虹桥商务区）": (2019, 2027), "沪苏湖铁路": (2020, 2024),
                "沪苏通铁路（沪通铁路一期）": (2014, 2020), "沪通铁路二期（太仓—四团）": (2019, 2025),
                "通苏嘉甬铁路": (2022, 2027), "甬舟铁路": (2021, 2028), "杭州湾跨海大桥": (2003, 2008),
                "环淀山湖绿道": (2025, 2027)}


@pytest.mark.slow
def test_rates_on_the_metro_sample(tmp_path, sample_folder):
    import shutil

    from app.analysis.projects import iter_checkup
    from app.model.jobs import drive
    from app.project.features import iter_features, update_feature
    from app.project.project import Project

    sample = sample_folder / "metro.sqlite"
    metro = tmp_path / "metro.sqlite"
    shutil.copy(sample, metro)
    with Project.open(metro) as project:
        project.set_meta("role", "coordinator")
        for code in ("XMK_POINT", "XMK_LINE"):
            for f in list(iter_features(project, code)):
                start, end = SAMPLE_YEARS[f.attrs["XMMC"]]
                status = "前期" if f.attrs["XMMC"] == "环淀山湖绿道" else f.attrs["JSZT"]
                update_feature(project, code, f.uuid, {"QDNF": start, "WCNF": end, "JSZT": status})
    report = drive(iter_checkup(metro, 2025))
    assert report.row("MT086", METRO).value == pytest.approx(100 * 10 / 11)
    # Due to finish by 2025: 水乡客厅, 洋山, 沪苏湖, 沪苏通, 沪通二期, 大桥; four are 建成.
    assert report.row("MT087", METRO).value == pytest.approx(100 * 4 / 6)
    assert report.row("MT087", "330900").value == pytest.approx(100.0)  # 洋山 (舟山)
    cities = [r for r in report.rows if r.indicator == "MT086" and r.region != METRO]
    assert all(r.value is None or 0 <= r.value <= 100 for r in cities)
    assert report.row("MT086", "310000").value < 100  # the greenway in Shanghai has not started
