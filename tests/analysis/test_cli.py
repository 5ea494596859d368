"""`coplan check`, `coplan indicators`, `coplan checkup` through `app.cli.main`."""

from __future__ import annotations

import json

import pytest
import shapely

from app.cli import main

SHANGHAI, SUZHOU = "310000", "320500"


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def projects(make_project, city_features):
    parcel = ("GHYDYH", 10, SHANGHAI, {"YDYHFLDM": "0801"}, shapely.box(120.99, 31.0, 121.005, 31.005))
    red = ("STBHHX", 20, SUZHOU, {"XZQDM": SUZHOU, "XZQMC": "苏州市"}, shapely.box(120.995, 30.99, 121.02, 31.02))
    rail = ("XMK_LINE", 30, "office", {}, shapely.MultiLineString([[(120.98, 31.06), (121.02, 31.06)]]))
    red_far = ("STBHHX", 21, SUZHOU, {"XZQDM": SUZHOU, "XZQMC": "苏州市"}, shapely.box(121.01, 31.05, 121.03, 31.07))
    return (make_project("sh", SHANGHAI, [*city_features, parcel]),
            make_project("sz", SUZHOU, [*city_features, red, red_far, rail]))


def test_check_merged_projects(projects, capsys, tmp_path):
    out_file = tmp_path / "conflicts.gpkg"
    code, out, err = run(capsys, "check", *projects, "--out", out_file)
    assert code == 1 and err == ""  # an error-level conflict was found
    assert "construction-in-red-line" in out and "project-line-in-red-line" in out
    assert "2 conflict(s); parties involved: 310000 (1), 320500 (2), office (1)" in out
    assert out_file.is_file()
    code, out, _ = run(capsys, "check", projects[1], "--json")
    data = json.loads(out)
    assert code == 0 and data["format"] == "coplan.check/v1"  # a warning alone passes
    assert [c["rule"] for c in data["conflicts"]] == ["project-line-in-red-line"]


def test_check_bad_input_is_one_line(projects, capsys, tmp_path):
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps({"format": "coplan.conflict-rules/v1", "name": "x",
                                 "cities": {"layer": "XZQ", "code_field": "XZQDM"},
                                 "rules": [{"id": "r", "type": "overlay", "name_zh": "x",
                                            "name_en": "x", "a": {"layer": "GHYDYH"}}]}), encoding="utf-8")
    code, _, err = run(capsys, "check", projects[0], "--rules", rules)
    assert code == 2 and "$.rules[0]: 'b' is a required property" in err and err.count("\n") == 1
    code, _, err = run(capsys, "check", projects[0], "--out", tmp_path / "x.shp")
    assert code == 2 and "use a .geojson or .gpkg" in err and err.count("\n") == 1


def test_indicators_and_checkup(projects, capsys, tmp_path):
    sz = projects[1]
    values = tmp_path / "values.json"
    values.write_text(json.dumps([{"indicator_id": "TJ001", "xzqdm": SUZHOU, "year": 2024,
                                   "target_value_2035": 1.0, "data_source": "规划"}]), encoding="utf-8")
    code, out, _ = run(capsys, "indicators", sz, "--year", 2024, "--enter", values, "--json")
    data = json.loads(out.split("\n", 1)[1])
    tj001 = next(r for r in data["indicators"] if r["indicator"] == "TJ001")
    assert code == 0 and out.startswith("entered 1 value(s)") and tj001["region"] == SUZHOU
    assert tj001["value"] > 0 and tj001["origin"] == "computed" and "unverified" in data["note"]
    chart = tmp_path / "checkup.png"
    code, out, _ = run(capsys, "checkup", sz, "--year", 2024, "--record", "--chart", chart)
    assert code == 0 and "recorded the 2024 check-up" in out and chart.read_bytes()[:4] == b"\x89PNG"
    code, out, _ = run(capsys, "checkup", sz, "--year", 2025, "--json")
    data = json.loads(out)
    row = dict(zip(data["columns"], next(r for r in data["rows"] if r[0] == "TJ001"), strict=True))
    assert data["previous_year"] == 2024 and row["趋势"] == "持平" and row["状态"] == "达标"
