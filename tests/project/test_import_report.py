"""Import messages that tell the truth, rows named by FID and BSM, and the complete report."""

from __future__ import annotations

import csv
import json

import pytest
import shapely

from app import cli
from app.errors import ImportRefused
from app.project import history, io
from tests.project import messy
from tests.project.test_io import LAYER, box, rows, state, stored, write

CRS = {"crs": "EPSG:4490"}  # a CSV does not say
GBK_CSV = {**CRS, "encoding": "GBK"}  # what Excel saves on a Chinese Windows
MATCHES = ("标识码 → BSM, 要素代码 → YSDM, 行政区代码 → XZQDM, 行政区名称 → XZQMC, "
           "用地用海分类代码 → YDYHFLDM, 用地用海分类名称 → YDYHFLMC")


def refusal(project, path, **kwargs) -> ImportRefused:
    """The import must be refused and change nothing."""
    before = state(project)
    with pytest.raises(ImportRefused) as exc:
        io.import_file(project, LAYER, path, **kwargs)
    assert state(project) == before
    return exc.value


def test_each_messy_geometry_says_what_it_is(project, tmp_path):
    """Before, all of these said "geometry is missing" (1e308 "projected", no swap hint)."""
    error = refusal(project, messy.land_use_csv(tmp_path / "land.csv"), **GBK_CSV)
    found = {r.fid: r.problems[0] for r in error.problems}
    expected = {fid: code for fid, code in enumerate(messy.CODES) if code}
    assert {fid: p.code for fid, p in found.items()} == expected
    assert found[1].message == "column WKT holds 'NaN', not a geometry (WKT)"
    assert "ends before its closing parenthesis (41 characters)" in found[2].message
    assert "(cut at 32,767 characters, Excel's cell limit)" in found[3].message
    assert found[4].message.startswith("a polygon ring is not closed")
    assert "1e+308 is impossible" in found[5].message and "projected" not in found[5].message
    assert "latitude and longitude look swapped" in found[6].message
    assert "far outside China" in found[7].message and "126.98" in found[7].message
    assert found[8].message == "geometry is missing (column WKT is empty)"
    assert all(p.message_zh and p.message_zh != p.message for p in found.values())


def test_an_unclosed_geojson_ring_is_named(project, tmp_path):
    error = refusal(project, messy.unclosed_geojson(tmp_path / "open.geojson"))
    assert error.problems[0].problems[0].code == "unclosed-ring"
    assert "FID 0 (BSM 310115000000): a polygon ring is not closed" in error.message


def test_rows_are_fids_as_qgis_shows_them_with_the_bsm(project, tmp_path):
    data = rows(3)
    data[1]["YDYHFLDM"] = "9999"
    gpkg = write(tmp_path / "a.gpkg", [box(0), box(1), box(2)], data)
    assert [(r.fid, r.bsm) for r in refusal(project, gpkg).problems] == [(2, "310115000001")]
    shp = messy.ogr2ogr(gpkg, tmp_path / "a.shp")  # a Shapefile numbers its rows from 0
    assert [(r.fid, r.bsm) for r in refusal(project, shp).problems] == [(1, "310115000001")]
    csv_file = messy.ogr2ogr(gpkg, tmp_path / "a.csv", "-lco", "GEOMETRY=AS_WKT")
    error = refusal(project, csv_file, **CRS)  # GDAL counts CSV rows from 1; QGIS from 0
    assert [(r.fid, r.bsm) for r in error.problems] == [(1, "310115000001")]
    assert "FID 1 (BSM 310115000001): YDYHFLDM: '9999'" in error.message


def test_the_refusal_stays_short_and_the_report_lists_every_row(project, tmp_path):
    path = messy.land_use_csv(tmp_path / "land.csv")
    report = tmp_path / "bad rows.csv"
    error = refusal(project, path, report_path=report, **GBK_CSV)
    assert error.message.startswith("land.csv: 8 of 10 row(s) are bad, nothing was imported: FID 1")
    assert error.message.count("FID ") == 5 and "... and 3 more" in error.message
    assert error.message.endswith(f"every bad row is listed in {report}")
    assert report.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 with a BOM
    lines = list(csv.reader(report.read_text(encoding="utf-8-sig").splitlines()))
    assert lines[0] == ["FID (from 0, as QGIS shows it)", "BSM", "field", "code", "problem",
                        "problem_zh"]
    assert [(int(r[0]), r[1], r[3]) for r in lines[1:]] == [
        (fid, messy.bsm(fid), code) for fid, code in enumerate(messy.CODES) if code]
    assert lines[2][5].startswith("列 WKT 中的 WKT 不完整")


def test_the_json_report_of_an_import_with_skipped_rows(project, tmp_path):
    path = messy.land_use_csv(tmp_path / "land.csv")
    report = io.import_file(project, LAYER, path, skip_invalid=True,
                            report_path=tmp_path / "r.json", **GBK_CSV)
    assert (report.read, report.imported) == (10, 2)
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["format"] == "coplan.import-report/v1" and data["status"] == "imported"
    assert data["fid"] == "from 0, as QGIS shows it"
    assert [r["fid"] for r in data["bad_rows"]] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert data["bad_rows"][0]["problems"][0] == {
        "field": None, "code": "not-a-geometry", "problem": "column WKT holds 'NaN', not a geometry (WKT)",
        "problem_zh": "列 WKT 的值为 'NaN'，不是几何图形（WKT）"}
    assert {m["source"]: m["field"] for m in data["matched_fields"]} == {
        "标识码": "BSM", "要素代码": "YSDM", "行政区代码": "XZQDM", "行政区名称": "XZQMC",
        "用地用海分类代码": "YDYHFLDM", "用地用海分类名称": "YDYHFLMC"}
    assert [f.attrs["BSM"] for f in stored(project)] == [messy.bsm(0), messy.bsm(9)]


def test_skip_invalid_prints_a_count_and_names_the_report(project_path, tmp_path, capsys):
    path = messy.land_use_csv(tmp_path / "land.csv")
    report = tmp_path / "r.csv"
    code = cli.main(["--lang", "en", "import", str(project_path), LAYER, str(path), "--crs",
                     "EPSG:4490", "--encoding", "GBK", "--skip-invalid", "--report", str(report)])
    out = capsys.readouterr().out
    assert code == 0 and "imported 2 of 10 feature(s)" in out
    assert "skipped 8 bad row(s) (rows are FIDs from 0, as QGIS shows it):" in out
    assert f"every bad row is listed in {report}" in out
    assert f"source field(s) matched by Chinese label: {MATCHES}" in out
    assert len(report.read_text(encoding="utf-8-sig").splitlines()) == 9


def bad_only(tmp_path):
    bad = [row for row, code in zip(messy.ROWS, messy.CODES, strict=True) if code]
    return messy.land_use_csv(tmp_path / "bad.csv", rows=bad)


def test_importing_nothing_is_refused(project, tmp_path):
    """Before, --skip-invalid importing 0 of 8 rows succeeded."""
    error = refusal(project, bad_only(tmp_path), skip_invalid=True, **GBK_CSV)
    assert error.message.startswith("bad.csv: 8 of 8 row(s) are bad, nothing was imported")
    assert "--skip-invalid imports" not in error.message


def test_importing_nothing_exits_non_zero(project_path, tmp_path, capsys):
    """Before, `coplan import --skip-invalid` importing 0 of 8 rows exited 0."""
    path = bad_only(tmp_path)
    code = cli.main(["--lang", "en", "import", str(project_path), LAYER, str(path), "--crs",
                     "EPSG:4490", "--encoding", "GBK", "--skip-invalid"])
    assert code == 2 and "nothing was imported" in capsys.readouterr().err


def test_a_report_path_is_checked_before_anything_is_read(project, tmp_path):
    path = write(tmp_path / "a.gpkg", [box()], rows(1))
    with pytest.raises(Exception, match="must be a .json or .csv file"):
        io.import_file(project, LAYER, path, report_path=tmp_path / "r.txt")
    with pytest.raises(Exception, match="folder .* does not exist"):
        io.import_file(project, LAYER, path, report_path=tmp_path / "no" / "r.csv")
    assert history.pending(project) == []


def test_the_cli_speaks_chinese_by_option(project_path, tmp_path, capsys):
    path = messy.unclosed_geojson(tmp_path / "open.geojson")
    code = cli.main(["--lang", "zh", "import", str(project_path), LAYER, str(path)])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("coplan: 错误：") and "多边形的环未闭合" in err


def test_the_cli_speaks_chinese_by_locale(project_path, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert cli.main(["import", str(project_path), LAYER, str(tmp_path / "none.gpkg")]) == 1
    assert "找不到文件" in capsys.readouterr().err
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")  # LC_ALL wins over LANG
    cli.main(["import", str(project_path), LAYER, str(tmp_path / "none.gpkg")])
    assert "no such file" in capsys.readouterr().err


def test_report_lines_in_chinese(project, tmp_path):
    """Needs the lead's merge of /work/i18n-pending/import-core.tsv into the core catalogue."""
    path = messy.land_use_csv(tmp_path / "land.csv")
    report = io.import_file(project, LAYER, path, skip_invalid=True, **GBK_CSV)
    lines = report.lines("zh")
    assert lines[0] == "已从 land.csv 向图层 GHYDYH 导入 2 个要素（文件共 10 个；源坐标系 EPSG:4490）"
    assert f"按中文名称匹配的源字段：{MATCHES}" in lines
    assert "跳过 8 个问题行（行号为 FID，从 0 开始，与 QGIS 显示一致）：" in lines
    assert "  FID 1（BSM 310115000001）：列 WKT 的值为 'NaN'，不是几何图形（WKT）" in lines


def test_a_placeholder_in_a_projected_file_is_impossible_not_infinite(project, tmp_path):
    good = shapely.box(500000, 3400000, 501000, 3401000)
    placeholder = shapely.Polygon([(500000, 3400000), (1e308, 3400000), (500000, 3401000)])
    path = write(tmp_path / "gk.gpkg", [good, placeholder], rows(2), crs="EPSG:4549")
    error = refusal(project, path)
    assert [p.code for r in error.problems for p in r.problems] == ["impossible-coordinate"]
