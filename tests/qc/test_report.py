"""The QC report: the PDF's text (title, party, version, Beijing date, summary, findings by
BSM and Chinese layer name, no internal ids), embedded fonts; the workbook's sheets and cells."""

from __future__ import annotations

import re
import subprocess

import openpyxl
import pytest

from app.qc.checks import CHECKS
from app.qc.report import write_pdf
from app.qc.xlsx import write_xlsx

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}")
AT = "2026-12-05T02:30:00Z"  # 10:30 in Beijing


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def pdf(messy_findings, tmp_path_factory):
    found, source = messy_findings
    path = tmp_path_factory.mktemp("pdf") / "qc.pdf"
    return write_pdf(found, path, title_zh="数据质检报告", party="苏州市（320500）", version="12",
                     at=AT, boundary_source=source)


def test_pdf_heads_with_party_version_and_beijing_date(pdf):
    text = pdf_text(pdf)
    assert "数据质检报告" in text and "苏州市（320500）" in text
    assert re.search(r"数据版本\s+12", text)
    assert "2026-12-05 10:30 北京时间" in text
    assert "不合格：发现" in text and "示意边界" in text  # verdict; where the area came from


def test_pdf_summarises_every_check_and_lists_findings_by_bsm_and_layer_name(pdf, messy_findings):
    text = pdf_text(pdf)
    for check in CHECKS.values():
        assert check.name_zh in text
    assert "320500210001" in text and "320500210004" in text
    assert "规划用地用海" in text and "规划分区" in text and "项目库（点）" in text
    assert "GHYDYH" not in text  # layers by their Chinese names
    assert "（无标识码）" in text  # the Seoul point has no BSM: never its uuid
    assert not UUID.search(text)
    assert "三、问题位置示意" in text and "1 处我国范围以外的问题未绘出" in text


def test_pdf_fonts_are_embedded(pdf):
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True,
                           text=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts


def test_pdf_of_a_clean_submission_passes(tmp_path):
    path = write_pdf([], tmp_path / "ok.pdf", title_zh="数据质检报告", party="苏州市", version="3", at=AT)
    text = pdf_text(path)
    assert "合格：未发现错误" in text and "无空间位置类问题" in text and "四、问题清单" not in text


def test_pdf_in_english(messy_findings, tmp_path):
    found, _ = messy_findings
    path = write_pdf(found, tmp_path / "en.pdf", title_zh="数据质检报告", party="Suzhou",
                     version="12", lang="en", at=AT)
    text = pdf_text(path)
    assert "Data quality inspection report" in text and "Beijing time" in text
    assert "Planned land and sea use" in text or "land" in text.lower()
    assert "BSM unique within a layer" in text


def test_workbook_has_a_summary_and_every_finding(messy_findings, tmp_path):
    found, _ = messy_findings
    path = write_xlsx(found, tmp_path / "qc.xlsx", party="苏州市（320500）", version="12", at=AT)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["汇总", "问题清单"]
    summary, sheet = wb["汇总"], wb["问题清单"]
    assert summary["A1"].value == "数据质检报告" and summary["B2"].value == "苏州市（320500）"
    assert summary["B4"].value == "2026-12-05 10:30 北京时间" and summary["B7"].value == "不合格"
    assert summary["B5"].value == sum(f.severity == "error" for f in found)
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:K")
    assert sheet["D1"].value == "标识码 BSM" and sheet.column_dimensions["G"].width == 60
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(found)
    seoul = next(r for r in rows if r[4] == "超出我国范围")
    assert seoul[2] == "项目库（点）" and seoul[3] is None and seoul[8] == 126.9707
    assert UUID.match(seoul[10])  # the workbook keeps the key to find the feature
    dup = [r for r in rows if r[3] == "320500210001" and r[4] == "标识码图层内唯一"]
    assert len(dup) == 2 and dup[0][5] == "错误" and "重复" in dup[0][6]
